import type { SearchPhase } from '../phases.js';
import { runAggregations } from './aggregations.js';

/** The aggregations phase: `aggs` / `aggregations` over the query's matches (before post_filter). */
export const aggregationsPhase: SearchPhase = {
  keys: ['aggs', 'aggregations'],
  run(ctx) {
    // both keys given: the one parsed last wins, as SearchSourceBuilder assigns the field twice
    const keys = Object.keys(ctx.sections);
    const json = ctx.sections[keys[keys.length - 1] as string];
    ctx.response.aggregations = runAggregations(json, ctx.exec, ctx.params, ctx.nowMs);
  },
};
