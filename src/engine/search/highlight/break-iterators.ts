/**
 * The boundaries the unified highlighter cuts passages at: java.text.BreakIterator's sentence and
 * word instances (Locale.ROOT, the JDK's rule set, approximated below), the separator iterator
 * used for `number_of_fragments: 0` and keyword fields, and Elasticsearch's
 * BoundedBreakIteratorScanner (sentences bounded by `fragment_size`, re-split at words).
 *
 * `\0` separates the values of a multi-valued field in the highlighted content; every iterator
 * breaks after it so that a passage never spans two values.
 */

export const VALUE_SEPARATOR = '\u0000';

/** `preceding`/`following` as java.text.BreakIterator: strictly before / after, -1 when none. */
export interface BreakIter {
  preceding(offset: number): number;
  following(offset: number): number;
}

/** A BreakIterator over precomputed boundaries (ascending, from the start to the end of the text or window scanned). */
export class BoundaryList implements BreakIter {
  constructor(readonly bounds: number[]) {}

  preceding(offset: number): number {
    const bounds = this.bounds;
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((bounds[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? -1 : (bounds[lo - 1] as number);
  }

  following(offset: number): number {
    const bounds = this.bounds;
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((bounds[mid] as number) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === bounds.length ? -1 : (bounds[lo] as number);
  }
}

const SPACE = /[\t\n\f\r\u2028\p{Zs}]/u;
const START_PUNCT = /[\p{Ps}"'\p{Pi}]/u;
const END_PUNCT = /[\p{Pe}"'\p{Pf}]/u;
const TERM = /[!?\u3002\uff01\uff1f]/u;
const PERIOD = /[.\uff0e]/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{N}/u;

/** Lucene's SplittingBreakIterator: each value is broken on its own, a value ends before its separator. */
function withSeparators(text: string, bounds: Set<number>, from = 0, to = text.length): number[] {
  for (let i = from; i < to; i++) {
    if (text[i] === VALUE_SEPARATOR) bounds.add(i).add(i + 1);
    else if (text[i] === '\u2029') bounds.add(i + 1);
  }
  bounds.add(from);
  bounds.add(to);
  return [...bounds].sort((a, b) => a - b);
}

/**
 * Sentence boundaries as the JDK's sentence rules: `!`/`?` end a sentence (with following closing
 * punctuation and spaces); a period does when followed by spaces and then anything but a
 * lowercase letter or a digit ("e.g. this" is one sentence). Newlines are plain whitespace.
 */
export function sentenceBoundaries(text: string): number[] {
  const bounds = new Set<number>();
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i] as string;
    if (TERM.test(c)) {
      let j = i + 1;
      while (j < n && (TERM.test(text[j] as string) || PERIOD.test(text[j] as string) || END_PUNCT.test(text[j] as string))) j++;
      while (j < n && SPACE.test(text[j] as string)) j++;
      if (j < n) bounds.add(j);
      i = j - 1;
    } else if (PERIOD.test(c)) {
      let j = i + 1;
      while (j < n && (PERIOD.test(text[j] as string) || END_PUNCT.test(text[j] as string))) j++;
      let k = j;
      while (k < n && SPACE.test(text[k] as string)) k++;
      if (k === j || k >= n) {
        i = j - 1;
        continue;
      }
      let m = k;
      while (m < n && START_PUNCT.test(text[m] as string)) m++;
      const next = text[m];
      if (next !== undefined && !LOWER.test(next) && !DIGIT.test(next)) bounds.add(k);
      i = k - 1;
    }
  }
  return withSeparators(text, bounds);
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const MID_LETTER = /['\u2019]/u;
const MID_NUM = /[.,]/u;

/** Word boundaries as the JDK's word rules: runs of letters/digits (with inner `'` and digit `.`/`,`), runs of spaces, single other characters. */
export function wordBoundaries(text: string, from = 0, to = text.length): number[] {
  const bounds = new Set<number>();
  const n = to;
  let i = from;
  while (i < n) {
    bounds.add(i);
    const c = text[i] as string;
    if (WORD_CHAR.test(c)) {
      let j = i + 1;
      while (j < n) {
        const d = text[j] as string;
        if (WORD_CHAR.test(d)) j++;
        else if (j + 1 < n && MID_LETTER.test(d) && /\p{L}/u.test(text[j - 1] as string) && /\p{L}/u.test(text[j + 1] as string)) j += 2;
        else if (j + 1 < n && MID_NUM.test(d) && DIGIT.test(text[j - 1] as string) && DIGIT.test(text[j + 1] as string)) j += 2;
        else break;
      }
      i = j;
    } else if (SPACE.test(c)) {
      let j = i + 1;
      while (j < n && SPACE.test(text[j] as string)) j++;
      i = j;
    } else {
      i++;
    }
  }
  return withSeparators(text, bounds, from, to);
}

/** CustomSeparatorBreakIterator: one passage per value. */
export function separatorBoundaries(text: string): number[] {
  return withSeparators(text, new Set());
}

/**
 * Elasticsearch's BoundedBreakIteratorScanner: the sentences around a match that fit in
 * `maxLen` chars from the sentence holding it; a longer sentence is re-split at word boundaries
 * around the match. Stateful: `preceding` is called with increasing offsets, each followed by
 * `following(offset - 1)`, as FieldHighlighter does.
 */
export class BoundedScanner implements BreakIter {
  private windowStart = -1;
  private windowEnd = -1;
  private innerStart = -1;
  private innerEnd = 0;

  private inner?: BoundaryList;
  constructor(
    private readonly main: BoundaryList,
    /** Word boundaries of [start, end) (a sentence window: it starts at a word boundary). */
    private readonly words: (start: number, end: number) => BoundaryList,
    private readonly maxLen: number,
    private readonly text: string,
  ) {}

  preceding(offset: number): number {
    if (offset > this.windowStart && offset < this.windowEnd) {
      this.innerStart = this.innerEnd;
      this.innerEnd = this.windowEnd;
    } else {
      // the scanner sees one value at a time (SplittingBreakIterator): its text ends at the value's end
      const sep = this.text.indexOf(VALUE_SEPARATOR, offset - 1);
      const textEnd = sep === -1 ? this.text.length : sep;
      this.innerStart = Math.max(this.main.preceding(offset), 0);
      const targetEnd = offset + Math.max(0, this.maxLen - (offset - this.innerStart));
      this.innerEnd = targetEnd + 1 > textEnd ? textEnd : this.main.preceding(targetEnd + 1);
      // no break up to maxLen: take the first one after it
      if (this.innerStart === this.innerEnd) this.innerEnd = this.main.following(targetEnd);
      this.windowStart = this.innerStart;
      this.windowEnd = this.innerEnd;
      this.inner = undefined;
    }
    if (this.innerEnd - this.innerStart > this.maxLen) {
      this.inner ??= this.words(this.windowStart, this.windowEnd);
      // too long: find word boundaries on the left first, then expand to the right with what is left
      if (offset - this.maxLen > this.innerStart) this.innerStart = Math.max(this.innerStart, this.inner.preceding(offset - this.maxLen));
      const remaining = Math.max(0, this.maxLen - (offset - this.innerStart));
      if (offset + remaining < this.windowEnd) this.innerEnd = Math.min(this.windowEnd, this.inner.following(offset + remaining));
    }
    return this.innerStart;
  }

  following(_offset: number): number {
    return this.innerEnd;
  }
}
