import { parseBucketPath } from './bucket-path.js';
import { EngineError, parsingError, tokenOf, unsupported } from '../../errors.js';
import type { Execution } from '../executor.js';
import { isShardError, allShardsFailed } from '../shard-failure.js';
import type { SearchParams } from '../../contract.js';
import type { AggContext, AggSpec, BucketResult, DocSet } from './agg-types.js';
import { BUCKET_TYPES } from './buckets/index.js';
import { OUTSIDE_NESTED } from './buckets/subs.js';
import { validateRandomSampler } from './buckets/random-sampler.js';
import { didYouMean } from './buckets/options.js';
import { METRIC_TYPES } from './metrics.js';
import { countBuckets, maxBucketsOf, tooManyBuckets } from './max-buckets.js';
import { PIPELINE_TYPES } from './pipelines.js';
import { runSteps } from '../paced-run.js';
import { subset } from './values-source.js';
import { AggProfiler } from '../profile/agg-profile.js';
import { checkProfiledAggregations, describerOf } from '../profile/agg-implementation.js';
import { searchSettingsOf } from '../search-settings.js';

/**
 * The aggregation framework: parses the request's `aggs` tree (Elasticsearch's
 * AggregatorFactories.parseAggregators), validates every node before anything runs, then
 * computes the tree over the query's matches (before post_filter): metrics through
 * METRIC_TYPES, bucket aggregations through BUCKET_TYPES (`buckets/*`), sub-aggregations per
 * bucket, parent pipelines on the enclosing multi-bucket aggregation's buckets, sibling
 * pipelines after the other aggregations of their level, `meta`, and `typed_keys` last.
 *
 * Known deviations from Elasticsearch 8:
 * - Each target index is one single-shard index. `terms` follows ES's shard-then-reduce path
 *   (top shard_size per index, doc_count_error_upper_bound, sum_other_doc_count, a bucket's
 *   sub-aggregations over the indexes that returned it); every other aggregation is computed
 *   over the union of the indexes, which is what ES's reduce gives for them.
 * - A failure while collecting (e.g. the fielddata error of a text field) fails every target
 *   index (`all shards failed`), not only the indexes where the field has that type, and the
 *   hits already computed are not returned with partial aggregations.
 * - Parse errors carry `[1:1]` as their location (the engine keeps no parser positions).
 * - `key_as_string` of dates uses the request's `format`, else strict_date_optional_time: a
 *   custom `format` of the date field's mapping is not applied (FieldInfo does not carry it).
 * - Scripts are not supported except in scripted_metric and bucket_selector (a 400 names them); terms `execution_hint`, `collect_mode` and
 *   `value_type` are accepted and ignored. terms on `_index` works; on `_id` it does not.
 * - histogram `hard_bounds` compares the bucket key (ES compares the key before the offset).
 * - Range buckets are sorted by from, then to (as RangeAggregator sorts them).
 * - Aggregation types ES has but the engine does not (multi_terms, geohex_grid, geo_line, ...)
 *   answer a 400 saying so instead of computing anything.
 * - significant_terms/significant_text, rare_terms, auto_date_histogram and
 *   variable_width_histogram run per shard and reduce as ES does (their files say how);
 *   auto_date_histogram runs FromSingle's collection also under a multi-bucket parent, and
 *   ES's partial (batched) reduces are not modelled: every reduce is the final one.
 * - Failures Elasticsearch confines to some shards fail only those shards (ShardTargetFailure:
 *   the search runs again without them and lists them in `_shards.failures`) where the engine
 *   knows the shard: a terms `value_type` the field's mapping contradicts, hdr percentiles over a
 *   negative value. Other collection failures still fail every shard (below).
 * - sampler/diversified_sampler need the query's scores: under `global` or with a sort by field
 *   they answer a 400.
 */

export const PIPELINE_TYPED: Record<string, string> = {
  sum_bucket: 'simple_value',
  avg_bucket: 'simple_value',
  cumulative_sum: 'simple_value',
  bucket_script: 'simple_value',
  moving_fn: 'simple_value',
  serial_diff: 'simple_value',
  max_bucket: 'bucket_metric_value',
  min_bucket: 'bucket_metric_value',
};

export const METRIC_TYPED: Record<string, string> = {
  percentiles: 'tdigest_percentiles',
  percentile_ranks: 'tdigest_percentile_ranks',
};

/** Aggregation types Elasticsearch has that the engine does not implement: a clear 400, not "unknown". */
const KNOWN_UNSUPPORTED = new Set([
  'multi_terms',
  'geohex_grid',
  'geo_line',
  'string_stats',
  'boxplot',
  't_test',
  'rate',
  'top_metrics',
  'frequent_item_sets',
  'categorize_text',
  'time_series',
  'cumulative_cardinality',
  'moving_percentiles',
  'normalize',
  'inference',
]);

const VALID_NAME = /^[^[\]>]+$/;


const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type AggKind = 'metric' | 'bucket' | 'parent' | 'sibling';

export function kindOfType(type: string): AggKind | undefined {
  if (Object.hasOwn(BUCKET_TYPES, type)) return 'bucket';
  if (Object.hasOwn(METRIC_TYPES, type)) return 'metric';
  if (Object.hasOwn(PIPELINE_TYPES, type)) return (PIPELINE_TYPES[type] as { kind: 'parent' | 'sibling' }).kind;
  return undefined;
}

/** Deepest sub-aggregation nesting accepted (Elasticsearch refuses deeper trees before building them). */
export const MAX_AGG_NESTED_DEPTH = 100;

/** Parses an `aggs` object into specs (throws ES's parsing errors). */
export function parseAggregations(json: unknown, path: string[] = []): AggSpec[] {
  if (path.length >= MAX_AGG_NESTED_DEPTH) {
    throw new EngineError(
      400,
      'action_request_validation_exception',
      `Validation Failed: 1: The nested depth of the aggregations exceeds the maximum nested depth for aggregations of [${MAX_AGG_NESTED_DEPTH}];`,
    );
  }
  if (!isRecord(json)) throw parsingError(`Unknown key for a ${tokenOf(json)} in [aggs].`);
  const specs: AggSpec[] = [];
  for (const [name, def] of Object.entries(json)) {
    if (!VALID_NAME.test(name)) {
      throw parsingError(`Invalid aggregation name [${name}]. Aggregation names can contain any character except '[', ']', and '>'`);
    }
    if (!isRecord(def)) {
      throw parsingError(`Aggregation definition for [${name} starts with a [${tokenOf(def)}], expected a [START_OBJECT].`);
    }
    let type: string | undefined;
    let body: Record<string, unknown> = {};
    let subs: unknown;
    let meta: Record<string, unknown> | undefined;
    for (const [field, value] of Object.entries(def)) {
      if (!isRecord(value)) {
        throw parsingError(`Expected [START_OBJECT] under [${field}], but got a [${tokenOf(value)}] in [${name}]`);
      }
      if (field === 'meta') meta = value;
      else if (field === 'aggs' || field === 'aggregations') {
        if (subs !== undefined) throw parsingError(`Found two sub aggregation definitions under [${name}]`);
        subs = value;
      } else {
        if (type !== undefined) throw parsingError(`Found two aggregation type definitions in [${name}]: [${type}] and [${field}]`);
        if (kindOfType(field) === undefined) throw unknownType(field);
        type = field;
        body = value;
      }
    }
    if (type === undefined) throw parsingError(`Missing definition for aggregation [${name}]`);
    const kind = kindOfType(type) as AggKind;
    const here = [...path, name];
    const subSpecs = subs !== undefined ? parseAggregations(subs, here) : [];
    if (subs !== undefined && kind === 'metric') {
      throw new EngineError(400, 'illegal_argument_exception', `Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`);
    }
    if (subs !== undefined && (kind === 'parent' || kind === 'sibling')) {
      throw new EngineError(400, 'illegal_argument_exception', `Aggregation [${name}] cannot define sub-aggregations`);
    }
    specs.push({ name, type, body, subs: subSpecs, ...(meta !== undefined ? { meta } : {}), path: here });
  }
  return specs;
}

function unknownType(type: string): EngineError {
  if (KNOWN_UNSUPPORTED.has(type)) return unsupported(`${type} aggregation`);
  const candidates = [...Object.keys(BUCKET_TYPES), ...Object.keys(METRIC_TYPES), ...Object.keys(PIPELINE_TYPES)].sort();
  const suggestion = didYouMean(type, candidates);
  // the cause is an XContentParseException, not an ElasticsearchException: ES keeps the parsing_exception as root cause
  const cause = { type: 'named_object_not_found_exception', reason: `[1:1] unknown field [${type}]` };
  return new EngineError(400, 'parsing_exception', `Unknown aggregation type [${type}]${suggestion}`, { line: 1, col: 1, caused_by: cause });
}

/**
 * A sibling pipeline's `buckets_path` must name aggregations of the request, each below the
 * previous one (the request's validation, so an empty result cannot hide a bad path).
 */
function validateSiblingPath(spec: AggSpec, siblings: AggSpec[]): void {
  const path = spec.body.buckets_path;
  if (typeof path !== 'string') return;
  const steps = parseBucketPath(path);
  let level: AggSpec[] = siblings;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const last = i === steps.length - 1;
    if (i > 0 && last && (step.name === '_count' || step.name === '_key')) return;
    const found = level.find((s) => s.name === step.name);
    if (!found) {
      // the first element is the bucket-metric type's own check (buckets_path aggregation does not exist)
      if (i === 0) return;
      throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: No aggregation [${step.name}] found for path [${path}];`);
    }
    level = found.subs;
  }
}

/**
 * AggregatorFactories.resolvePipelineAggregatorOrder, for a parent pipeline's `buckets_path`: the
 * first element names an aggregation or a pipeline of the same level (deeper elements name
 * sub-aggregations), else the request fails its validation (even when no bucket would be read).
 */
function validateParentPaths(spec: AggSpec, level: AggSpec[]): void {
  const raw = spec.body.buckets_path;
  const paths = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : isRecord(raw) ? Object.values(raw) : [];
  for (const path of paths) {
    if (typeof path !== 'string' || path === '_count' || path === '_key') continue;
    const steps = parseBucketPath(path);
    const first = level.find((s) => s.name === steps[0]?.name);
    if (first === undefined) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: No aggregation found for path [${path}];`);
    if (kindOfType(first.type) === 'bucket' || kindOfType(first.type) === 'metric') validateSiblingPath({ ...spec, body: { buckets_path: path } }, level);
  }
}

/**
 * ValidationContext.validateParentAggSequentiallyOrdered (cumulative_sum, serial_diff) and its
 * `WithoutSkips` form (derivative, moving_fn: a histogram parent must also keep its empty buckets,
 * min_doc_count 0).
 */
function validateSequentialParent(spec: AggSpec, parent: AggSpec | undefined, withoutGaps: boolean): void {
  const fail = (reason: string): never => {
    throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: ${reason};`);
  };
  if (parent === undefined) fail(`${spec.type} aggregation [${spec.name}] must have a histogram, date_histogram or auto_date_histogram as parent but doesn't have a parent`);
  else if (parent.type === 'histogram' || parent.type === 'date_histogram') {
    const minDocCount = parent.body.min_doc_count;
    if (withoutGaps && minDocCount !== undefined && Number(minDocCount) !== 0) fail(`parent histogram of ${spec.type} aggregation [${spec.name}] must have min_doc_count of 0`);
  } else if (parent.type !== 'auto_date_histogram') fail(`${spec.type} aggregation [${spec.name}] must have a histogram, date_histogram or auto_date_histogram as parent`);
}

/** Validates every node (types' own validation, pipeline placement) before anything runs. */
export function validateAggregations(specs: AggSpec[], parent?: AggSpec, insideNested = false, ancestors: readonly AggSpec[] = []): void {
  for (const spec of specs) {
    if (spec.type === 'reverse_nested' && !insideNested) OUTSIDE_NESTED.add(spec);
    const kind = kindOfType(spec.type) as AggKind;
    if (kind === 'bucket') BUCKET_TYPES[spec.type]?.validate(spec);
    if (spec.type === 'random_sampler') validateRandomSampler(spec, parent);
    else if (kind === 'metric') METRIC_TYPES[spec.type]?.validate(spec);
    else {
      const p = PIPELINE_TYPES[spec.type];
      if (p?.kind === 'parent' && !p.histogramParent && parent === undefined) {
        throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: ${spec.type} aggregation [${spec.name}] must be declared inside of another aggregation;`);
      }
      p?.validate(spec);
      if (kind === 'sibling') validateSiblingPath(spec, specs);
      if (p?.kind === 'parent') validateParentPaths(spec, specs);
      if (p?.kind === 'parent' && p.histogramParent) validateSequentialParent(spec, parent, p.withoutGaps === true);
    }
    // CompositeAggregationBuilder.checkParentIsSafe: only filter, nested and reverse_nested may enclose a composite
    const unsafe = spec.type === 'composite' ? [...ancestors].reverse().find((a) => a.type !== 'filter' && a.type !== 'nested' && a.type !== 'reverse_nested') : undefined;
    if (unsafe !== undefined) {
      const factory = unsafe.type.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());
      throw new EngineError(400, 'illegal_argument_exception', `[composite] aggregation cannot be used with a parent aggregation of type: [${factory}AggregatorFactory]`);
    }
    if (spec.type === 'global' && parent !== undefined) {
      throw new EngineError(
        400,
        'illegal_argument_exception',
        `Aggregation [${parent.name}] cannot have a global sub-aggregation [${spec.name}]. Global aggregations can only be defined as top level aggregations`,
      );
    }
    validateAggregations(spec.subs, spec, (insideNested || spec.type === 'nested') && spec.type !== 'global', [...ancestors, spec]);
  }
}

/** The `typed_keys` prefix of each rendered result object. */
const TYPED = new WeakMap<object, string>();

function withMeta(spec: AggSpec, body: Record<string, unknown>): Record<string, unknown> {
  return spec.meta !== undefined ? { meta: spec.meta, ...body } : body;
}

/**
 * The level's parent pipelines in AggregatorFactories.resolvePipelineAggregatorOrder's order: one
 * whose buckets_path starts at another pipeline of the level runs after it (a derivative of a
 * derivative), else in the request's order.
 */
function pipelineOrder(subs: AggSpec[]): AggSpec[] {
  const pipelines = subs.filter((s) => PIPELINE_TYPES[s.type]?.kind === 'parent');
  const out: AggSpec[] = [];
  const visiting = new Set<AggSpec>();
  const visit = (p: AggSpec): void => {
    if (out.includes(p)) return;
    if (visiting.has(p)) throw new EngineError(400, 'illegal_argument_exception', `Cyclical dependency found with pipeline aggregator [${p.name}]`);
    visiting.add(p);
    const raw = p.body.buckets_path;
    const paths = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : isRecord(raw) ? Object.values(raw) : [];
    for (const path of paths) {
      if (typeof path !== 'string' || path === '') continue;
      const first = parseBucketPath(path)[0]?.name;
      const dep = pipelines.find((q) => q.name === first);
      if (dep !== undefined) visit(dep);
    }
    visiting.delete(p);
    out.push(p);
  };
  pipelines.forEach(visit);
  return out;
}

/** Renders a bucket aggregation: parent pipelines on its buckets, then `keyed`. */
function renderBucketResult(spec: AggSpec, br: BucketResult): Record<string, unknown> {
  const out = withMeta(spec, { ...br.result });
  if (br.buckets !== undefined) {
    let buckets = br.buckets;
    for (const sub of pipelineOrder(spec.subs)) {
      const p = PIPELINE_TYPES[sub.type];
      if (p?.kind !== 'parent') continue;
      buckets = p.apply(sub, buckets);
      // a value the pipeline added to the buckets: its meta and typed_keys prefix
      for (const b of buckets) {
        const added = b[sub.name];
        if (!isRecord(added) || TYPED.has(added)) continue;
        const r = withMeta(sub, added);
        b[sub.name] = r;
        TYPED.set(r, PIPELINE_TYPED[sub.type] ?? sub.type);
      }
    }
    if (br.keyed) {
      const keyed: Record<string, unknown> = {};
      for (const b of buckets) {
        const [k, v] = br.keyed(b);
        keyed[k] = v;
      }
      out.buckets = keyed;
    } else {
      out.buckets = buckets;
    }
  }
  TYPED.set(out, br.typed);
  return out;
}

/** Runs the aggregation tree for one search. */
export class AggRunner implements AggContext {
  private all?: DocSet;
  constructor(
    readonly exec: Execution,
    readonly params: SearchParams,
    readonly nowMs: number,
    /** `profile: true`: the one shard (target) this run is restricted to, and its profiler. */
    private readonly profiled?: { target: number; profiler: AggProfiler },
  ) {}

  allDocs(): DocSet {
    if (this.all) return this.all;
    const leafArr: number[] = [];
    const docArr: number[] = [];
    this.exec.leaves.forEach((leaf, li) => {
      if (this.profiled && leaf.target !== this.profiled.target) return;
      const seg = leaf.segment;
      const hasNested = leaf.view.mapping.nestedPaths().length > 0;
      for (let d = 0; d < seg.maxDoc; d++) {
        if (!seg.isLive(d) || (hasNested && seg.nestedPath(d) !== undefined)) continue;
        leafArr.push(li);
        docArr.push(d);
      }
    });
    const n = docArr.length;
    this.all = { leaves: this.exec.leaves, leaf: Int32Array.from(leafArr), doc: Int32Array.from(docArr), score: new Float32Array(n).fill(Number.NaN), count: n };
    return this.all;
  }

  /** The top-level DocSet: the query's matches before post_filter. */
  topDocs(): DocSet {
    const m = this.exec.matches;
    const all: DocSet = { leaves: m.leaves, leaf: m.leaf.subarray(0, m.count), doc: m.doc.subarray(0, m.count), score: m.score.subarray(0, m.count), count: m.count };
    if (!this.profiled) return all;
    const target = this.profiled.target;
    const idx: number[] = [];
    for (let i = 0; i < all.count; i++) if (m.leaves[all.leaf[i] as number]?.target === target) idx.push(i);
    return subset(all, idx);
  }

  runSubs(subs: AggSpec[], docs: DocSet): Record<string, unknown> {
    return runSteps(this.runSubsSteps(subs, docs));
  }

  /** Each aggregation of the level in turn, with a pause point before each (see AggContext.runSubsSteps). */
  *runSubsSteps(subs: AggSpec[], docs: DocSet): Generator<void, Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    const profiler = this.profiled?.profiler;
    for (const spec of subs) {
      const metric = METRIC_TYPES[spec.type];
      if (profiler && (metric || BUCKET_TYPES[spec.type])) {
        // a profiled shard: each aggregation is timed as one unit (its sub-aggregations on their own nodes)
        yield;
        const collected = spec.type === 'global' ? this.allDocs() : docs;
        if (metric) {
          const steps = metric.steps ? metric.steps(spec, docs, this) : once(() => metric.collect(spec, docs, this));
          out[spec.name] = yield* profiler.run(spec, collected, this.collectSteps(steps), (r) => withMeta(spec, r));
        } else {
          const bucket = BUCKET_TYPES[spec.type] as (typeof BUCKET_TYPES)[string];
          const steps = bucket.steps ? bucket.steps(spec, docs, this) : once(() => bucket.collect(spec, docs, this));
          out[spec.name] = yield* profiler.run(spec, collected, this.collectSteps(steps), (r) => renderBucketResult(spec, r));
        }
        continue;
      }
      if (metric) {
        yield;
        const r = withMeta(spec, metric.steps ? yield* this.collectSteps(metric.steps(spec, docs, this)) : this.collect(() => metric.collect(spec, docs, this)));
        TYPED.set(r, metric.typed?.(spec) ?? METRIC_TYPED[spec.type] ?? spec.type);
        out[spec.name] = r;
        continue;
      }
      const bucket = BUCKET_TYPES[spec.type];
      if (!bucket) continue;
      yield;
      const result = bucket.steps ? yield* this.collectSteps(bucket.steps(spec, docs, this)) : this.collect(() => bucket.collect(spec, docs, this));
      out[spec.name] = renderBucketResult(spec, result);
    }
    for (const spec of subs) {
      const p = PIPELINE_TYPES[spec.type];
      if (p?.kind !== 'sibling') continue;
      const r = withMeta(spec, p.reduce(spec, out));
      TYPED.set(r, PIPELINE_TYPED[spec.type] ?? spec.type);
      out[spec.name] = r;
    }
    return out;
  }

  /** Collection failures are shard failures in Elasticsearch: `all shards failed`. */
  private collect<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.shardFailure(e);
    }
  }

  private *collectSteps<T>(steps: Generator<void, T>): Generator<void, T> {
    try {
      return yield* steps;
    } catch (e) {
      throw this.shardFailure(e);
    }
  }

  private shardFailure(e: unknown): unknown {
    if (!isShardError(e) || e.type === 'search_phase_execution_exception' || e.type === 'action_request_validation_exception') return e;
    const failures = this.exec.states.map((s) => ({ index: s.view.index, error: e }));
    return allShardsFailed(failures.length > 0 ? failures : [{ index: '_na_', error: e }]);
  }
}

/** A computation as steps without pauses. */
// eslint-disable-next-line require-yield
function* once<T>(fn: () => T): Generator<void, T> {
  return fn();
}

/** Renames result keys to `type#name` throughout the tree (`typed_keys=true`). */
export function applyTypedKeys(level: Record<string, unknown>, specs: AggSpec[]): void {
  const renames = new Map<string, string>();
  for (const spec of specs) {
    const r = level[spec.name];
    if (!isRecord(r)) continue;
    const prefix = TYPED.get(r);
    if (prefix === undefined) continue;
    if (spec.subs.length > 0) {
      const buckets = r.buckets;
      if (Array.isArray(buckets)) for (const b of buckets) applyTypedKeys(b as Record<string, unknown>, spec.subs);
      else if (isRecord(buckets)) for (const b of Object.values(buckets)) applyTypedKeys(b as Record<string, unknown>, spec.subs);
      else applyTypedKeys(r, spec.subs);
    }
    renames.set(spec.name, `${prefix}#${spec.name}`);
  }
  if (renames.size === 0) return;
  const entries = Object.entries(level);
  for (const [k] of entries) delete level[k];
  for (const [k, v] of entries) level[renames.get(k) ?? k] = v;
}

/** Parses, validates and runs the `aggs` of a search; returns the `aggregations` section. */
export function runAggregations(json: unknown, exec: Execution, params: SearchParams, nowMs: number): Record<string, unknown> {
  return runSteps(runAggregationsSteps(json, exec, params, nowMs));
}

/** runAggregations as steps that pause between aggregations and inside the long ones (a paced request). */
export function* runAggregationsSteps(json: unknown, exec: Execution, params: SearchParams, nowMs: number): Generator<void, Record<string, unknown>> {
  const specs = parseAggregations(json);
  validateAggregations(specs);
  const runner = new AggRunner(exec, params, nowMs);
  if (exec.req.profile) checkProfiledAggregations(specs);
  const out = yield* runner.runSubsSteps(specs, runner.topDocs());
  if (exec.req.profile) exec.aggProfiles = yield* profileShards(specs, exec, params, nowMs);
  const limit = maxBucketsOf(params as Record<string, unknown>);
  if (countBuckets(out) > limit) throw tooManyBuckets(limit);
  const flag: unknown = params.typed_keys;
  const typed = flag === true || flag === 'true' || flag === '';
  if (typed) applyTypedKeys(out, specs);
  return out;
}

/**
 * `profile: true`: each searched shard's aggregations run again over that shard's docs alone, each
 * aggregation timed and described as the aggregator Elasticsearch would build there
 * (profile/agg-profile.ts); the response's aggregations are those of the run above.
 */
function* profileShards(specs: AggSpec[], exec: Execution, params: SearchParams, nowMs: number): Generator<void, Map<number, Array<Record<string, unknown>>>> {
  const out = new Map<number, Array<Record<string, unknown>>>();
  const settings = searchSettingsOf(params);
  for (let target = 0; target < exec.states.length; target++) {
    const state = exec.states[target];
    if (!state) continue;
    const leaves = exec.leaves.filter((l) => l.target === target);
    const matchAllQuery = state.query.op === 'all' && state.view.mapping.nestedPaths().length === 0;
    const profiler = new AggProfiler(leaves, describerOf, { matchAllQuery, filterByFilter: settings?.rewriteToFilterByFilter ?? true });
    const runner = new AggRunner(exec, params, nowMs, { target, profiler });
    yield* runner.runSubsSteps(specs, runner.topDocs());
    out.set(target, profiler.toJSON());
  }
  return out;
}
