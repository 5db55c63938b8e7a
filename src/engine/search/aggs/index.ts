import { EngineError } from '../../errors.js';
import type { SearchPhase } from '../phases.js';

/** The aggregations phase: `aggs` / `aggregations` over the query's matches (before post_filter). */
export const aggregationsPhase: SearchPhase = {
  keys: ['aggs', 'aggregations'],
  run() {
    throw new EngineError(400, 'illegal_argument_exception', '[aggs] is not supported by the indexkit embedded engine');
  },
};
