import { EngineError, parsingError, unsupported } from '../../../errors.js';
import { runSteps } from '../../paced-run.js';
import { JsonDouble, javaFloat } from '../../float-format.js';
import type { Leaf } from '../../match-set.js';
import { searchSettingsOf } from '../../search-settings.js';
import type { SearchSettings } from '../../search-settings.js';
import type { JavaValue } from '../../script/java-values.js';
import { deepCopy, fromJson, toJson } from '../../script/java-values.js';
import { JavaHashMap } from '../../script/java-collections.js';
import type { CompiledScript, ScriptEnv } from '../../script/painless.js';
import { compileScript, parseScript } from '../../script/script-spec.js';
import type { ScriptSpec } from '../../script/script-spec.js';
import type { AggContext, AggSpec, DocSet, MetricType } from '../agg-types.js';

/**
 * `scripted_metric` (ScriptedMetricAggregator, InternalScriptedMetric) as Elasticsearch 8 runs it:
 * on every shard of the search, `init_script` fills a fresh `state` map, `map_script` runs on each
 * matching document (`doc`, `_score`, `state`, `params`), `combine_script` turns the state into the
 * shard's result; then `reduce_script` gets the shards' results as `states` (in shard order) and
 * its return value is the aggregation's `value`. The aggregation's `params` are deep-copied into
 * each script's params (a name in both is an error), as ScriptedMetricAggregatorFactory merges
 * them. `_agg` (the 6.x name of `state`) does not exist in 8.x.
 *
 * The scripts allowed are those of `search.aggs.allowed_inline_metric_scripts` /
 * `search.aggs.allowed_stored_metric_scripts` when the list is not empty (or always with
 * `search.aggs.only_allowed_metric_scripts: true`): another script answers `[map_script] contains
 * not allowed script: [<agg>]`.
 *
 * Deviation: only as a top-level aggregation (under a bucket aggregation, which shards hold a
 * bucket decides which states the reduce sees; the engine answers a 400 there rather than guess).
 */

const SCRIPTS = ['init_script', 'map_script', 'combine_script', 'reduce_script'] as const;
type ScriptKey = (typeof SCRIPTS)[number];

const CONTEXTS: Record<ScriptKey, string> = { init_script: 'aggs_init', map_script: 'aggs_map', combine_script: 'aggs_combine', reduce_script: 'aggs_reduce' };

/** Docs collected between two pauses of a paced request. */
const STEP_DOCS = 16;

interface Parsed {
  scripts: Partial<Record<ScriptKey, ScriptSpec>>;
  params: Record<string, unknown> | undefined;
}

function parse(spec: AggSpec): Parsed {
  const body = spec.body;
  const scripts: Partial<Record<ScriptKey, ScriptSpec>> = {};
  let params: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(body)) {
    if ((SCRIPTS as readonly string[]).includes(k)) scripts[k as ScriptKey] = parseScript(v, 'scripted_metric');
    else if (k === 'params') {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw parsingError(`[scripted_metric] params doesn't support values of type: ${Array.isArray(v) ? 'START_ARRAY' : 'VALUE_STRING'}`);
      params = v as Record<string, unknown>;
    } else throw new EngineError(400, 'x_content_parse_exception', `[1:1] [scripted_metric] unknown field [${k}]`);
  }
  if (!scripts.map_script) throw new EngineError(400, 'x_content_parse_exception', `[1:1] Required [map_script]`);
  return { scripts, params };
}

/** The allow lists of search.aggs.*_metric_scripts (ScriptedMetricAggregationBuilder.validateScript). */
function checkAllowed(spec: AggSpec, parsed: Parsed, settings: SearchSettings | undefined): void {
  if (!settings) return;
  const { onlyAllowed, inline, stored } = settings.metricScripts;
  for (const key of SCRIPTS) {
    const s = parsed.scripts[key];
    if (!s) continue;
    const list = s.id !== undefined ? stored : inline;
    if (!onlyAllowed && list.length === 0) continue;
    if (!list.includes((s.id ?? s.source) as string)) throw new EngineError(400, 'illegal_argument_exception', `[${key}] contains not allowed script: [${spec.name}]`);
  }
}

/** ScriptedMetricAggregatorFactory.mergeParams: the script's params plus the aggregation's, a name in both refused. */
function mergeParams(agg: JavaValue, script: Record<string, unknown>): JavaValue {
  const merged = fromJson(script) as Extract<JavaValue, { t: 'map' }>;
  if (agg.t !== 'map') return merged;
  for (const [k, v] of agg.v) {
    if (merged.v.has(k)) throw new EngineError(400, 'illegal_argument_exception', `Parameter name "${k.t === 'str' ? k.v : ''}" used in both aggregation and script parameters`);
    merged.v.set(k, v);
  }
  return merged;
}

/** A script result as the response writes it (doubles keep their `.0`, NaN as a string), cycles refused as ES refuses them. */
function responseValue(v: JavaValue, what: string, seen: Set<unknown> = new Set()): unknown {
  switch (v.t) {
    case 'null':
      return null;
    case 'obj':
    case 'field':
      return toJson(v);
    case 'bool':
    case 'str':
      return v.v;
    case 'int':
      return v.v;
    case 'long':
      return Number.isSafeInteger(Number(v.v)) ? Number(v.v) : v.v;
    case 'double':
      return Number.isFinite(v.v) ? new JsonDouble(v.v) : String(v.v);
    case 'float':
      return Number.isFinite(v.v) ? new JsonDouble(javaFloat(v.v)) : String(v.v);
    case 'list':
    case 'map': {
      if (seen.has(v.v)) throw new EngineError(400, 'illegal_argument_exception', `Iterable object is self-referencing itself (${what})`);
      seen.add(v.v);
      try {
        if (v.t === 'list') return v.v.map((x) => responseValue(x, what, seen));
        const out: Record<string, unknown> = {};
        for (const [k, x] of v.v) out[k.t === 'str' ? k.v : String(responseValue(k, what, seen))] = responseValue(x, what, seen);
        return out;
      } finally {
        seen.delete(v.v);
      }
    }
  }
}

/** Fails when a state holds itself (CollectionUtils.ensureNoSelfReferences). */
function ensureNoSelfReferences(v: JavaValue, what: string): void {
  responseValue(v, what);
}

const noValues = (): readonly JavaValue[] => [];

/** The aggregation as steps that pause every {@link STEP_DOCS} documents (for a paced request). */
export function* scriptedMetricSteps(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, Record<string, unknown>> {
  const parsed = parse(spec);
  if (spec.path.length > 1) throw unsupported(`scripted_metric aggregation [${spec.name}] under another aggregation`);
  const settings = searchSettingsOf(ctx.params);
  checkAllowed(spec, parsed, settings);
  const { init_script: init, map_script: map, combine_script: combine, reduce_script: reduce } = parsed.scripts;
  if (!combine) throw new EngineError(400, 'illegal_argument_exception', `[combineScript] must not be null: [${spec.name}]`);
  if (!reduce) throw new EngineError(400, 'illegal_argument_exception', `[reduceScript] must not be null: [${spec.name}]`);
  const policy = settings?.scripts;
  const noField = (): undefined => undefined;
  const aggParams = parsed.params !== undefined ? (fromJson(parsed.params) as JavaValue) : { t: 'null' as const };
  const initScript = init ? compileScript(init, noField, false, CONTEXTS.init_script, policy, { state: true }) : undefined;
  const combineScript = compileScript(combine, noField, false, CONTEXTS.combine_script, policy, { state: true });
  const reduceScript = compileScript(reduce, noField, false, CONTEXTS.reduce_script, policy, { states: true });
  const initParams = mergeParams(aggParams, init?.params ?? {});
  const mapParams = mergeParams(aggParams, (map as ScriptSpec).params);
  const combineParams = mergeParams(aggParams, combine.params);
  const reduceParams = mergeParams(aggParams, reduce.params);

  // the documents of each shard, in collection order
  const byTarget = new Map<number, number[]>();
  for (let i = 0; i < docs.count; i++) {
    const leaf = docs.leaves[docs.leaf[i] as number] as Leaf;
    let list = byTarget.get(leaf.target);
    if (!list) byTarget.set(leaf.target, (list = []));
    list.push(i);
  }
  const states: JavaValue[] = [];
  for (let target = 0; target < ctx.exec.states.length; target++) {
    yield;
    const view = (ctx.exec.states[target] as (typeof ctx.exec.states)[number]).view;
    const mapScript: CompiledScript = compileScript(map as ScriptSpec, (path) => view.mapping.field(path), true, CONTEXTS.map_script, policy, { doc: true, state: true });
    const state: JavaValue = { t: 'map', v: new JavaHashMap() };
    if (initScript) {
      initScript.run({ doc: -1, values: noValues, state, params: deepCopy(initParams) });
      ensureNoSelfReferences(state, 'Scripted metric aggs init script');
    }
    const env: ScriptEnv = { doc: -1, values: noValues, state, params: deepCopy(mapParams) };
    let leafIndex = -1;
    let n = 0;
    for (const i of byTarget.get(target) ?? []) {
      const li = docs.leaf[i] as number;
      if (li !== leafIndex) {
        leafIndex = li;
        env.values = mapScript.segmentValues((docs.leaves[li] as Leaf).segment);
      }
      env.doc = docs.doc[i] as number;
      const score = docs.score[i] as number;
      env.score = Number.isNaN(score) ? undefined : score;
      if (mapScript.usesScore && env.score === undefined) throw unsupported(`[_score] in the map_script of scripted_metric [${spec.name}] when the search does not compute scores`);
      mapScript.run(env);
      if (++n % STEP_DOCS === 0) yield;
    }
    ensureNoSelfReferences(state, 'Scripted metric aggs map script');
    const combined = combineScript.run({ doc: -1, values: noValues, state, params: deepCopy(combineParams) });
    ensureNoSelfReferences(combined, 'Scripted metric aggs combine script');
    states.push(combined);
  }
  yield;
  // the final reduce runs on the coordinating node: its failure is not a shard's
  let result: JavaValue;
  try {
    result = reduceScript.run({ doc: -1, values: noValues, states: { t: 'list', v: states }, params: reduceParams });
    return { value: responseValue(result, 'reduce script') };
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new EngineError(e.status, 'search_phase_execution_exception', '', { phase: 'fetch', grouped: true, failed_shards: [] }, e);
  }
}

export const scriptedMetric: MetricType = {
  validate(spec) {
    parse(spec);
  },
  collect(spec, docs, ctx) {
    return runSteps(scriptedMetricSteps(spec, docs, ctx));
  },
  steps: scriptedMetricSteps,
};
