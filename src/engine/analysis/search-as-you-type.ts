import type { Analyzer, Token } from '../contract.js';
import { TOKEN_TYPES } from './analysis-types.js';
import { analyzeWithEnd } from './fixed-shingles.js';

/** SearchAsYouTypeFieldMapper.Defaults: the `._index_prefix` edge n-grams, 1 to 20 characters. */
export const SAYT_MIN_GRAM = 1;
export const SAYT_MAX_GRAM = 20;
export const SAYT_PREFIX_SUFFIX = '._index_prefix';

/** `<root>._<n>gram`, SearchAsYouTypeFieldMapper.getShingleFieldName. */
export const shingleFieldName = (root: string, size: number): string => `${root}._${size}gram`;

/**
 * Lucene's FixedShingleFilter(size, separator, filler) over a token stream: from every token, the
 * shingles of exactly `size` positions that follow it through the graph (stacked tokens give one
 * shingle per path), a missing position (a removed stop word) filled with `filler`. A shingle
 * that runs past the last token is kept only when the stream's end position increment
 * (`endPosInc`, Lucene's end()) covers the missing positions (`endPosInc + taken >= size`), and
 * is then completed with fillers. Each shingle sits at its first token's position, with the
 * offsets of its first and last real tokens.
 */
export function fixedShingleFilter(tokens: readonly Token[], endPosInc: number, size: number, separator: string, filler: string): Token[] {
  const byPos = new Map<number, Token[]>();
  for (const t of tokens) {
    const at = byPos.get(t.position);
    if (at) at.push(t);
    else byPos.set(t.position, [t]);
  }
  const positions = [...byPos.keys()].sort((a, b) => a - b);
  const lastPos = positions[positions.length - 1] ?? -1;
  const out: Token[] = [];
  for (const root of tokens) {
    // the paths of size-1 more slots after the root: real tokens, or fillers for holes
    let paths: Array<{ terms: string[]; end: Token }> = [{ terms: [root.term], end: root }];
    let complete = true;
    for (let i = 1; i < size; i++) {
      const pos = root.position + i;
      if (pos > lastPos) {
        if (endPosInc + i < size) complete = false;
        else for (const p of paths) p.terms.push(filler);
        if (!complete) break;
        continue;
      }
      const at = byPos.get(pos);
      if (!at) {
        for (const p of paths) p.terms.push(filler);
        continue;
      }
      const next: Array<{ terms: string[]; end: Token }> = [];
      for (const p of paths) for (const t of at) next.push({ terms: [...p.terms, t.term], end: t });
      paths = next;
    }
    if (!complete) continue;
    for (const p of paths) {
      out.push({
        term: p.terms.join(separator),
        position: root.position,
        startOffset: root.startOffset,
        endOffset: p.end.endOffset,
        type: TOKEN_TYPES.shingle,
        positionLength: size,
      });
    }
  }
  out.sort((a, b) => a.position - b.position);
  return out;
}

/** Lucene's EdgeNGramTokenFilter(min, max, preserveOriginal): each term's leading code points, the whole term kept when outside min..max. */
export function edgeNGrams(tokens: readonly Token[], min: number, max: number): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const cps = [...t.term];
    for (let n = min; n <= Math.min(max, cps.length); n++) out.push({ ...t, term: cps.slice(0, n).join('') });
    if (cps.length < min || cps.length > max) out.push({ ...t });
  }
  return out;
}

/**
 * SearchAsYouTypeFieldMapper.SearchAsYouTypeAnalyzer: a field's analyzer wrapped with a
 * FixedShingleFilter(size, " ", "") (the `._<n>gram` fields), and for `._index_prefix` first
 * TrailingShingleTokenFilter (the end position increment set to size - 1, so that the last
 * tokens start shingles of their own, padded with empty fillers) and then edge n-grams of 1-20.
 */
export class SearchAsYouTypeAnalyzer implements Analyzer {
  readonly name: string;
  readonly positionIncrementGap: number;

  constructor(
    readonly delegate: Analyzer,
    readonly shingleSize: number,
    readonly indexPrefixes: boolean,
  ) {
    this.name = delegate.name;
    this.positionIncrementGap = delegate.positionIncrementGap;
  }

  analyze(text: string): Token[] {
    return this.run(text).tokens;
  }

  run(text: string): { tokens: Token[]; positionCount: number } {
    const { tokens, endPosition } = analyzeWithEnd(this.delegate, text);
    const last = tokens[tokens.length - 1];
    const endPosInc = this.indexPrefixes ? this.shingleSize - 1 : endPosition - (last === undefined ? 0 : last.position + 1);
    const shingles = fixedShingleFilter(tokens, endPosInc, this.shingleSize, ' ', '');
    const out = this.indexPrefixes ? edgeNGrams(shingles, SAYT_MIN_GRAM, SAYT_MAX_GRAM) : shingles;
    return { tokens: out, positionCount: endPosition };
  }
}
