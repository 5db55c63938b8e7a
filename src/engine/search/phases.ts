import type { SearchParams } from '../contract.js';
import type { Execution } from './executor.js';

/**
 * The seam where later phases plug in: aggregations (over `exec.matches`, the query's matches
 * before post_filter), highlighting (over the returned hits), suggesters (over the request).
 * A phase claims body keys; a request using a key that no registered phase claims is a 400.
 */
export interface SearchPhase {
  /** Body keys this phase answers, e.g. `['aggs', 'aggregations']`. */
  readonly keys: readonly string[];
  /**
   * A fetch sub-phase (highlighting): runs on every page of a scroll too. Others (aggregations,
   * suggest) answer on the first response only, as in Elasticsearch.
   */
  readonly everyPage?: boolean;
  /**
   * Adds to the response (e.g. `aggregations`, `suggest`) or to each hit (`highlight`).
   * `hits` are the response's hit objects with the index of each in `exec.hitIdx`.
   */
  run(ctx: PhaseContext): void;
  /**
   * The same as steps that pause between units of work (a hit), for a phase whose work grows with
   * the page (highlighting 5,000 hits): paced requests run these instead of `run`.
   */
  steps?(ctx: PhaseContext): Generator<void, void>;
}

export interface PhaseContext {
  exec: Execution;
  /** The request's body sections this phase claimed. */
  sections: Record<string, unknown>;
  hits: Array<{ hit: Record<string, unknown>; hitIndex: number }>;
  response: Record<string, unknown>;
  /** The request's URL parameters (`typed_keys`, ...). */
  params: SearchParams;
  /** The search's start: `now` in date math. */
  nowMs: number;
}
