import type { Analyzer, Token } from '../contract.js';

/**
 * `index_phrases`: the hidden `<field>._index_phrase` field of two-word shingles, as
 * Elasticsearch's PhraseWrappedAnalyzer indexes it with Lucene's FixedShingleFilter(2).
 */
export const PHRASE_FIELD_SUFFIX = '._index_phrase';

export interface Shingle {
  term: string;
  position: number;
}

/**
 * FixedShingleFilter(2, " ", "_") over an analysed value: from each token, a shingle with the
 * token(s) at the next position, or with the filler `_` when positions are missing there (stop
 * words) or after the last token (trailing ones; `endPosition` is Lucene's end() position). No
 * unigrams. Each shingle sits at its first token's position.
 */
export function fixedShingles(tokens: readonly Pick<Token, 'term' | 'position'>[], endPosition: number): Shingle[] {
  const byPos = new Map<number, string[]>();
  for (const t of tokens) {
    const at = byPos.get(t.position);
    if (at) at.push(t.term);
    else byPos.set(t.position, [t.term]);
  }
  const positions = [...byPos.keys()].sort((a, b) => a - b);
  const out: Shingle[] = [];
  positions.forEach((p, i) => {
    const next = positions[i + 1];
    for (const term of byPos.get(p) as string[]) {
      if (next === undefined) {
        // end of the stream: a filler only when positions trail the last token
        if (endPosition - 1 - p >= 1) out.push({ term: `${term} _`, position: p });
      } else if (next === p + 1) {
        for (const second of byPos.get(next) as string[]) out.push({ term: `${term} ${second}`, position: p });
      } else out.push({ term: `${term} _`, position: p });
    }
  });
  return out;
}

/** An analyzer's tokens and end position (Lucene's end(): trailing removed words included). */
export function analyzeWithEnd(analyzer: Analyzer, text: string): { tokens: Token[]; endPosition: number } {
  const run = (analyzer as { run?: (text: string) => { tokens: Token[]; positionCount: number } }).run;
  if (typeof run === 'function') {
    const r = run.call(analyzer, text);
    const last = r.tokens[r.tokens.length - 1];
    return { tokens: r.tokens, endPosition: Math.max(r.positionCount, last === undefined ? 0 : last.position + 1) };
  }
  const tokens = analyzer.analyze(text);
  const last = tokens[tokens.length - 1];
  return { tokens, endPosition: last === undefined ? 0 : last.position + 1 };
}
