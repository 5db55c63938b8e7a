import { EngineError } from '../../../errors.js';
import { UTC, parseIsoDate } from '../../date-math.js';
import { JsonDouble } from '../../float-format.js';
import { LucenePriorityQueue } from '../../lucene-priority-queue.js';
import { runSteps } from '../../paced-run.js';
import type { Query } from '../../query.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { javaHashMapOrder } from '../metrics/matrix-stats.js';
import { dateFormatter, compileDecimalFormat } from '../value-format.js';
import { byTarget, commonKind, fieldReaders, subset } from '../values-source.js';
import type { FieldReader, ValueKind } from '../values-source.js';
import { compileIncludeExclude, validateIncludeExclude } from './include-exclude.js';
import type { TermFilter } from './include-exclude.js';
import { formatIpKey, ipKey, ipKeyReaders, isIpInLeaves, keyBytes, requestIp } from './ip-values.js';
import { checkKeysSuggesting, optInt, optString, positive, requireField } from './options.js';
import { aggQuery } from './query-docs.js';
import { shardBackground } from './significance-background.js';
import { HEURISTIC_NAMES, heuristicOf } from './significance-heuristics.js';
import type { Heuristic } from './significance-heuristics.js';
import { hasBucketSubs } from './subs.js';

/**
 * `significant_terms` (SignificantTermsAggregatorFactory, the SignificantTermsResults of
 * MapStringTermsAggregator / GlobalOrdinalsStringTermsAggregator / NumericTermsAggregator, and
 * InternalSignificantTerms.reduce), shard by shard: each shard counts the terms of its docs
 * (`subsetDf`, the docs collected being `subsetSize`), looks up each term's background frequency
 * (`supersetDf` over `supersetSize`, significance-background.ts), scores it with the heuristic and
 * keeps the `shard_size` best (default `2 * (size * 1.5 + 10)`) with `shard_min_doc_count`; the
 * reduce sums the shards' sizes and each term's frequencies, scores again and keeps the `size`
 * best with a score above 0 and `min_doc_count` (default 3), through Lucene's PriorityQueue in
 * the iteration order of the HashMap of keys ES builds, so that ties come out as ES orders them.
 */

const KEYS = [
  'field',
  'size',
  'shard_size',
  'min_doc_count',
  'shard_min_doc_count',
  'execution_hint',
  'include',
  'exclude',
  'background_filter',
  'missing',
  'value_type',
  'format',
  'script',
  ...HEURISTIC_NAMES,
];

export interface SignificantOptions {
  size: number;
  shardSize: number;
  minDocCount: number;
  shardMinDocCount: number;
  heuristic: Heuristic;
  background?: Query;
}

/** The options significant_terms and significant_text share (BucketCountThresholds(3, 0, 10, -1), the heuristic, background_filter). */
export function significantOptions(spec: AggSpec): SignificantOptions {
  const size = positive(spec, 'size', optInt(spec, 'size') ?? 10);
  const explicitShard = optInt(spec, 'shard_size');
  if (explicitShard !== undefined) positive(spec, 'shard_size', explicitShard);
  // SignificantTermsAggregatorFactory: twice BucketUtils.suggestShardSideQueueSize; ensureValidity: at least size
  const shardSize = Math.max(size, explicitShard ?? 2 * Math.min(2147483647, Math.floor(size * 1.5 + 10)));
  const minDocCount = positive(spec, 'min_doc_count', optInt(spec, 'min_doc_count') ?? 3, true);
  const shardMinDocCount = Math.min(minDocCount, positive(spec, 'shard_min_doc_count', optInt(spec, 'shard_min_doc_count') ?? 0, true));
  const hint = optString(spec, 'execution_hint');
  if (hint !== undefined && !['map', 'global_ordinals', 'global_ordinals_hash', 'global_ordinals_low_cardinality'].includes(hint)) {
    throw new EngineError(400, 'illegal_argument_exception', `Unknown execution_hint: [${hint}], expected any of [map, global_ordinals]`);
  }
  const bg = spec.body.background_filter;
  return { size, shardSize, minDocCount, shardMinDocCount, heuristic: heuristicOf(spec), ...(bg !== undefined ? { background: aggQuery(bg) } : {}) };
}

type Key = string | number;

/** One shard's view of the terms: its readers (keys per doc) and how the background counts them. */
export interface TermSource {
  /** Keys of a doc (position in the DocSet), distinct within the doc, in collection order; undefined when none. */
  keysOf(target: number, positions: Int32Array): Generator<void, Array<readonly Key[] | undefined>>;
  /** The readers the background reads (keys as keysOf gives them). */
  readers: ReadonlyArray<FieldReader | null>;
  field: string;
  /** Keys iterated in term order on the shard (global ordinals) rather than first seen. */
  sortedOrds: boolean;
}

interface ShardBucket {
  key: Key;
  subsetDf: number;
  supersetDf: number;
  score: number;
  pos: number[];
}

interface ShardResult {
  subsetSize: number;
  supersetSize: number;
  buckets: ShardBucket[];
}

const byScore = (a: { score: number }, b: { score: number }): boolean => a.score < b.score;

function* collectShard(o: SignificantOptions, src: TermSource, docs: DocSet, ctx: AggContext, target: number, positions: Int32Array): Generator<void, ShardResult> {
  const perDoc = yield* src.keysOf(target, positions);
  const counts = new Map<Key, number[]>();
  for (let i = 0; i < positions.length; i++) {
    const keys = perDoc[i];
    if (!keys) continue;
    for (const k of keys) {
      let list = counts.get(k);
      if (!list) {
        list = [];
        counts.set(k, list);
      }
      list.push(positions[i] as number);
    }
  }
  yield;
  const bg = shardBackground({ ctx, docs, target, field: src.field, readers: src.readers, ...(o.background ? { filter: o.background } : {}) });
  let keys = [...counts.keys()];
  if (src.sortedOrds) keys = keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const queue = new LucenePriorityQueue<ShardBucket>(Math.min(keys.length, o.shardSize), byScore);
  const subsetSize = positions.length;
  for (const key of keys) {
    const pos = counts.get(key) as number[];
    if (pos.length < o.shardMinDocCount) continue;
    const supersetDf = bg.freq(key);
    queue.insertWithOverflow({ key, subsetDf: pos.length, supersetDf, score: o.heuristic(pos.length, subsetSize, supersetDf, bg.supersetSize), pos });
  }
  return { subsetSize, supersetSize: bg.supersetSize, buckets: queue.drainDescending() };
}

interface Rendering {
  typed: string;
  /** The HashMap key of InternalSignificantTerms.reduce (getKeyAsString). */
  keyString(key: Key): string;
  render(key: Key): Record<string, unknown>;
}

/** Runs the shards, the reduce and the rendering (the part significant_terms and significant_text share). */
export function* significantSteps(spec: AggSpec, docs: DocSet, ctx: AggContext, o: SignificantOptions, src: TermSource, view: Rendering): Generator<void, BucketResult> {
  const shards: ShardResult[] = [];
  for (const [target, positions] of byTarget(docs, ctx.exec.states.length)) {
    // a shard where the field is unmapped answers UnmappedSignificantTerms: no sizes, no buckets
    if (!docs.leaves.some((l, li) => l.target === target && src.readers[li] !== null)) continue;
    shards.push(yield* collectShard(o, src, docs, ctx, target, positions));
  }
  let subsetSize = 0;
  let supersetSize = 0;
  for (const s of shards) {
    subsetSize += s.subsetSize;
    supersetSize += s.supersetSize;
  }
  const merged = new Map<string, { key: Key; subsetDf: number; supersetDf: number; pos: number[]; score: number }>();
  for (const s of shards) {
    for (const b of s.buckets) {
      const ks = view.keyString(b.key);
      const m = merged.get(ks);
      if (m) {
        m.subsetDf += b.subsetDf;
        m.supersetDf += b.supersetDf;
        m.pos.push(...b.pos);
      } else merged.set(ks, { key: b.key, subsetDf: b.subsetDf, supersetDf: b.supersetDf, pos: [...b.pos], score: 0 });
    }
  }
  yield;
  const queue = new LucenePriorityQueue<{ key: Key; subsetDf: number; supersetDf: number; pos: number[]; score: number }>(Math.min(o.size, merged.size), byScore);
  for (const ks of javaHashMapOrder([...merged.keys()])) {
    const b = merged.get(ks) as { key: Key; subsetDf: number; supersetDf: number; pos: number[]; score: number };
    b.score = o.heuristic(b.subsetDf, subsetSize, b.supersetDf, supersetSize);
    if (b.score > 0 && b.subsetDf >= o.minDocCount) queue.insertWithOverflow(b);
  }
  const withSubs = hasBucketSubs(spec.subs);
  const buckets: Array<Record<string, unknown>> = [];
  for (const b of queue.drainDescending()) {
    const out: Record<string, unknown> = { ...view.render(b.key), doc_count: b.subsetDf, score: new JsonDouble(b.score), bg_count: b.supersetDf };
    if (withSubs) {
      const pos = Int32Array.from(b.pos).sort();
      Object.assign(out, yield* ctx.runSubsSteps(spec.subs, subset(docs, pos)));
    }
    buckets.push(out);
  }
  if (shards.length === 0) return { typed: view.typed, result: {}, buckets: [] };
  return { typed: view.typed, result: { doc_count: subsetSize, bg_count: supersetSize }, buckets };
}

/** Keys of a reader per doc, distinct within the doc (a doc's doc values are sorted, so repeats are adjacent). */
export function readerKeys(docs: DocSet, readers: ReadonlyArray<FieldReader | null>, filter: TermFilter | undefined, missing: Key | undefined): TermSource['keysOf'] {
  return function* keysOf(_target, positions) {
    const out = new Array<readonly Key[] | undefined>(positions.length);
    for (let i = 0; i < positions.length; i++) {
      if (i % 4096 === 4095) yield;
      const p = positions[i] as number;
      const vals = readers[docs.leaf[p] as number]?.values(docs.doc[p] as number);
      if (!vals || vals.length === 0) {
        if (missing !== undefined && (!filter || filter(missing))) out[i] = [missing];
        continue;
      }
      const keys: Key[] = [];
      for (let j = 0; j < vals.length; j++) {
        const v = vals[j] as Key;
        if (j > 0 && v === vals[j - 1]) continue;
        if (!filter || filter(v)) keys.push(v);
      }
      out[i] = keys;
    }
    return out;
  };
}

const DOUBLE_TYPES = new Set(['double', 'float', 'half_float', 'scaled_float']);

/** A request value (include/exclude, missing) as a key of the field's kind. */
export function requestKey(kind: ValueKind, ip: boolean, v: unknown): Key {
  if (ip) return ipKey(requestIp(v));
  if (kind === 'keyword') return String(v);
  if (kind === 'boolean') return v === true || v === 'true' ? 1 : 0;
  if (kind === 'date' && typeof v === 'string') {
    const iso = parseIsoDate(v, false, UTC);
    if (iso !== undefined) return iso;
  }
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new EngineError(400, 'number_format_exception', `For input string: "${String(v)}"`);
  return n;
}

/** How a term key renders (`key`, and `key_as_string` for dates, booleans and formatted numbers) and its getKeyAsString. */
export function termRendering(kind: ValueKind, ip: boolean, format: string | undefined): Rendering {
  if (ip) return { typed: 'sigsterms', keyString: (k) => formatIpKey(String(k)), render: (k) => ({ key: formatIpKey(String(k)) }) };
  if (kind === 'keyword') return { typed: 'sigsterms', keyString: String, render: (k) => ({ key: k }) };
  let asString: ((k: number) => string) | undefined;
  if (kind === 'date') asString = dateFormatter(format);
  else if (kind === 'boolean') asString = (k) => (k === 1 ? 'true' : 'false');
  else if (format !== undefined) asString = compileDecimalFormat(format);
  const f = asString;
  return {
    typed: 'siglterms',
    keyString: (k) => (f ? f(k as number) : String(k)),
    render: (k) => (f ? { key: k, key_as_string: f(k as number) } : { key: k }),
  };
}

function* significantTermsSteps(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, BucketResult> {
  checkKeysSuggesting(spec, KEYS);
  const o = significantOptions(spec);
  const field = requireField(spec);
  const ip = isIpInLeaves(docs, field);
  const readers = ip ? ipKeyReaders(spec, docs, field) : fieldReaders(docs, field);
  const kind = commonKind(readers) ?? 'keyword';
  const regex = typeof spec.body.include === 'string' || typeof spec.body.exclude === 'string';
  if (regex && (kind !== 'keyword' || ip)) {
    const tail = kind === 'keyword' ? 'Use an array of values for include/exclude clauses' : 'Use an array of numeric values for include/exclude clauses used to filter numeric fields';
    throw new EngineError(400, 'illegal_argument_exception', `Aggregation [${spec.name}] cannot support regular expression style include/exclude settings as they can only be applied to string fields. ${tail}`);
  }
  if (readers.some((r) => r !== null && DOUBLE_TYPES.has(r.info.type))) {
    throw new EngineError(500, 'unsupported_operation_exception', 'No support for examining floating point numerics');
  }
  const toKey = (v: unknown): Key => requestKey(kind, ip, v);
  const filter = compileIncludeExclude(spec, ip ? 'ip' : kind, toKey, ip ? (key) => keyBytes(String(key)) : undefined);
  const missing = spec.body.missing === undefined ? undefined : toKey(spec.body.missing);
  // GlobalOrdinalsStringTermsAggregator walks dense ordinals (term order) only without sub-aggregations or include/exclude
  const sortedOrds = kind === 'keyword' && !hasBucketSubs(spec.subs) && filter === undefined;
  const src: TermSource = { keysOf: readerKeys(docs, readers, filter, missing), readers, field, sortedOrds };
  return yield* significantSteps(spec, docs, ctx, o, src, termRendering(kind, ip, optString(spec, 'format')));
}

export const significantTermsAgg: BucketType = {
  validate(spec) {
    checkKeysSuggesting(spec, KEYS);
    significantOptions(spec);
    requireField(spec);
    validateIncludeExclude(spec);
  },
  collect(spec, docs, ctx) {
    return runSteps(significantTermsSteps(spec, docs, ctx));
  },
  steps: significantTermsSteps,
};
