import type { Token } from '../../../src/engine/contract.js';

/** `term@position[start-end]type` per token: compact and exact, for toEqual. */
export const describeTokens = (tokens: readonly Token[]): string[] =>
  tokens.map((t) => `${t.term}@${t.position}[${t.startOffset}-${t.endOffset}]${t.type}`);

export const terms = (tokens: readonly Token[]): string[] => tokens.map((t) => t.term);
