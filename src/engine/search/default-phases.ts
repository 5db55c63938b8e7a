import { aggregationsPhase } from './aggs/index.js';
import { highlightPhase } from './highlight/index.js';
import type { SearchPhase } from './phases.js';
import { suggestPhase } from './suggest/index.js';

/** The engine's search phases after the query phase, in the order they add to the response. */
export function defaultPhases(): SearchPhase[] {
  return [aggregationsPhase, highlightPhase, suggestPhase];
}
