import { VALUE_SEPARATOR } from './break-iterators.js';
import type { Passage } from './passages.js';

/**
 * Elasticsearch's CustomPassageFormatter: the passage's text with each match wrapped in the tags;
 * overlapping matches are merged into one tag (adjacent ones are not), a match running past the
 * passage is cut at its end. A trailing value separator is dropped and, unless the whole field
 * was asked for (`number_of_fragments: 0`), the snippet is trimmed.
 */

export interface FormatOptions {
  preTag: string;
  postTag: string;
  html: boolean;
  trim: boolean;
}

const HTML_ESCAPES: Record<string, string> = { '"': '&quot;', '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#x27;', '/': '&#x2F;' };

/** Lucene's SimpleHTMLEncoder (encoder: html). */
export function htmlEncode(text: string): string {
  return text.replace(/["&<>'/]/g, (c) => HTML_ESCAPES[c] as string);
}

/** Java's String.trim: strips every char <= U+0020 at both ends. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

export function formatPassage(p: Passage, content: string, opts: FormatOptions): string {
  const encode = opts.html ? htmlEncode : (s: string): string => s;
  let out = '';
  let pos = p.start;
  const ms = p.matches;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    out += encode(content.slice(pos, m.start));
    let end = m.end;
    while (i + 1 < ms.length && ms[i + 1]!.start < end) end = Math.max(ms[++i]!.end, end);
    end = Math.min(end, p.end);
    out += opts.preTag + encode(content.slice(m.start, end)) + opts.postTag;
    pos = end;
  }
  out += encode(content.slice(pos, Math.max(pos, p.end)));
  if (out.endsWith(VALUE_SEPARATOR) || out.endsWith('\u2029')) out = out.slice(0, -1);
  return opts.trim ? javaTrim(out) : out;
}
