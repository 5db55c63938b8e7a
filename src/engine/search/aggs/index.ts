import type { PhaseContext, SearchPhase } from '../phases.js';
import { runAggregationsSteps } from './aggregations.js';
import { runSteps } from '../paced-run.js';

/** The aggregations phase: `aggs` / `aggregations` over the query's matches (before post_filter). */
export const aggregationsPhase: SearchPhase = {
  keys: ['aggs', 'aggregations'],
  run(ctx) {
    runSteps(aggregationSteps(ctx));
  },
  steps: aggregationSteps,
};

function* aggregationSteps(ctx: PhaseContext): Generator<void, void> {
  // both keys given: the one parsed last wins, as SearchSourceBuilder assigns the field twice
  const keys = Object.keys(ctx.sections);
  const json = ctx.sections[keys[keys.length - 1] as string];
  ctx.response.aggregations = yield* runAggregationsSteps(json, ctx.exec, ctx.params, ctx.nowMs);
}
