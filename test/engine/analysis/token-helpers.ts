import type { Token } from '../../../src/engine/contract.js';
import { EngineError } from '../../../src/engine/errors.js';

/** `term@position[start-end]type` per token: compact and exact, for toEqual. */
export const describeTokens = (tokens: readonly Token[]): string[] =>
  tokens.map((t) => `${t.term}@${t.position}[${t.startOffset}-${t.endOffset}]${t.type}`);

export const terms = (tokens: readonly Token[]): string[] => tokens.map((t) => t.term);

/** Runs `fn` and returns the EngineError it throws (fails when it throws none or another error). */
export function engineError(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}
