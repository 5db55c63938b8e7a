import type { Analyzer } from '../contract.js';
import { analyzeWithEnd } from './fixed-shingles.js';

/**
 * What a token_count field stores for one value (TokenCountFieldMapper.countPositions). With
 * position increments: their sum plus the final increment of end(), i.e. the stream's end
 * position (removed stop words count, trailing ones too). Without: one per token that advances
 * the position (tokens stacked at the same position, as synonyms, count once).
 */
export function countTokens(analyzer: Analyzer, text: string, enablePositionIncrements: boolean): number {
  const { tokens, endPosition } = analyzeWithEnd(analyzer, text);
  if (enablePositionIncrements) return endPosition;
  let count = 0;
  let last = -1;
  for (const token of tokens) {
    if (token.position > last) count++;
    last = token.position;
  }
  return count;
}
