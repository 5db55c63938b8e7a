import type { Token } from '../contract.js';

/**
 * What a token_count field stores for one value (TokenCountFieldMapper.countPositions): the
 * number of positions the tokens advance (stopword gaps included) or, without position
 * increments, the number of tokens.
 */
export function countTokens(tokens: readonly Token[], enablePositionIncrements: boolean): number {
  if (!enablePositionIncrements) return tokens.length;
  let last = -1;
  for (const token of tokens) if (token.position > last) last = token.position;
  return last + 1;
}
