import {
  WB_EMOJI,
  WB_EMOJI_MODIFIER,
  WB_PRESENTATION,
  WB_ZWJ,
  cls,
  isExtendClass,
  width,
} from './word-break-classes.js';

/**
 * Emoji sequences as Lucene's StandardTokenizer grammar matches them (UTS #51 emoji_sequence):
 *
 *   ZWJ* emoji extenders* U+FE0F? (ZWJ emoji extenders* U+FE0F?)*    -> <EMOJI>
 *   [0-9#*] U+FE0F? U+20E3 extenders*                                -> <EMOJI> (keycap)
 *
 * where "extenders" are the WB4 Extend/Format/ZWJ characters other than the presentation
 * selectors U+FE0E/U+FE0F. Each function returns the end of the match, or -1.
 */

/**
 * Skips extenders except the presentation selectors (emoji sequences treat those apart), and
 * except ZWJ when `stopAtZwj` (so the ZWJ can join the next emoji).
 */
export function skipExtendSansPresentation(text: string, i: number, end: number, stopAtZwj = false): number {
  while (i < end) {
    const c = cls(text, i);
    if (!isExtendClass(c) || c === WB_PRESENTATION || (stopAtZwj && c === WB_ZWJ)) return i;
    i += width(text, i);
  }
  return i;
}

/** One emoji element: emoji (or modifier) + extenders + optional U+FE0F; -1 if none at i. */
export function scanEmojiElement(text: string, i: number, end: number): number {
  if (i >= end) return -1;
  const c = cls(text, i);
  if (c !== WB_EMOJI && c !== WB_EMOJI_MODIFIER) return -1;
  i = skipExtendSansPresentation(text, i + width(text, i), end, true);
  if (i < end && text.charCodeAt(i) === 0xfe0f) i++;
  return i;
}

/** An emoji sequence from i (the first element already known to be there). */
export function scanEmoji(text: string, i: number, end: number): number {
  let e = scanEmojiElement(text, i, end);
  while (e < end && cls(text, e) === WB_ZWJ) {
    const next = scanEmojiElement(text, e + 1, end);
    if (next < 0) break;
    e = next;
  }
  // A ZWJ (and extenders) with no emoji after it still belongs to the token.
  return skipExtendSansPresentation(text, e, end);
}

/** A keycap sequence `[0-9#*] U+FE0F? U+20E3` at i, or -1. */
export function scanKeycap(text: string, i: number, end: number): number {
  let j = i + 1;
  if (j < end && text.charCodeAt(j) === 0xfe0f) j++;
  if (j < end && text.charCodeAt(j) === 0x20e3) return skipExtendSansPresentation(text, j + 1, end);
  return -1;
}
