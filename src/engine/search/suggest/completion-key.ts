import type { Token } from '../../contract.js';

/**
 * The analyzed form a completion input is indexed under and a prefix is matched against, as
 * Lucene's ConcatenateGraphFilter builds it: the tokens concatenated, separated by SEP_LABEL
 * (U+001F) when preserve_separators, with one more separator per position left empty (a removed
 * stop word) when preserve_position_increments. Only the first path of a token graph is kept.
 */

export const SEP_LABEL = '\u001f';

export interface CompletionKeyOptions {
  preserveSeparators: boolean;
  preservePositionIncrements: boolean;
}

export function completionKey(tokens: readonly Token[], o: CompletionKeyOptions): string {
  let key = '';
  let previous = -1;
  let first = true;
  for (const t of tokens) {
    if (t.position <= previous) continue;
    const gap = o.preservePositionIncrements ? t.position - previous : 1;
    const separators = (first ? 0 : 1) + Math.max(0, gap - 1);
    if (o.preserveSeparators) key += SEP_LABEL.repeat(separators);
    key += t.term;
    previous = t.position;
    first = false;
  }
  return key;
}

/** CompletionFieldMapper's truncation of an input to max_input_length UTF-16 units, not splitting a surrogate pair. */
export function truncateInput(input: string, maxInputLength: number): string {
  if (input.length <= maxInputLength) return input;
  let len = maxInputLength;
  const c = input.charCodeAt(len - 1);
  if (c >= 0xd800 && c <= 0xdbff) len += 1;
  return input.slice(0, len);
}

const encoder = new TextEncoder();

/** The labels a fuzzy completion compares: code points when unicode_aware, else UTF-8 bytes. */
export const labels = (s: string, unicodeAware: boolean): number[] =>
  unicodeAware ? Array.from(s, (c) => c.codePointAt(0) as number) : Array.from(encoder.encode(s));

/**
 * FuzzyCompletionQuery's match of one key: the shortest prefix of `key` that starts with the
 * query's first `prefixLength` labels and is within `maxEdits` of the query (Damerau with
 * transpositions) is where the automaton first accepts. Returns its length, or -1.
 */
export function fuzzyPrefixMatch(key: readonly number[], query: readonly number[], prefixLength: number, maxEdits: number, transpositions: boolean): number {
  const npl = prefixLength;
  if (key.length < npl) return -1;
  for (let i = 0; i < npl; i++) if (key[i] !== query[i]) return -1;
  const a = query.slice(npl);
  const m = a.length;
  let prev2 = new Int32Array(m + 1);
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let c = 0; c <= m; c++) prev[c] = c;
  if ((prev[m] as number) <= maxEdits) return npl;
  for (let r = 1; npl + r <= key.length; r++) {
    const ch = key[npl + r - 1];
    cur[0] = r;
    let rowMin = r;
    for (let c = 1; c <= m; c++) {
      const cost = ch === a[c - 1] ? 0 : 1;
      let v = Math.min((prev[c] as number) + 1, (cur[c - 1] as number) + 1, (prev[c - 1] as number) + cost);
      if (transpositions && r > 1 && c > 1 && ch === a[c - 2] && key[npl + r - 2] === a[c - 1]) v = Math.min(v, (prev2[c - 2] as number) + 1);
      cur[c] = v;
      if (v < rowMin) rowMin = v;
    }
    if ((cur[m] as number) <= maxEdits) return npl + r;
    if (rowMin > maxEdits) return -1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return -1;
}

/** Length of the common prefix of two label sequences (FuzzyCompletionWeight's boost). */
export function commonPrefixLength(a: readonly number[], aLength: number, b: readonly number[]): number {
  const n = Math.min(aLength, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
