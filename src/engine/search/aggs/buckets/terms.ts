import type { FieldInfo } from '../../../contract.js';
import { EngineError, unsupported } from '../../../errors.js';
import { UTC, parseIsoDate } from '../../date-math.js';
import type { AggContext, AggSpec, BucketResult, BucketType, DocSet } from '../agg-types.js';
import { byTarget, commonKind, fieldReaders, subset } from '../values-source.js';
import type { FieldReader, ValueKind } from '../values-source.js';
import { dateFormatter, compileDecimalFormat } from '../value-format.js';
import { compileIncludeExclude, validateIncludeExclude } from './include-exclude.js';
import { formatIpKey, ipKey, ipKeyReaders, keyBytes, requestIp } from './ip-values.js';
import type { TermFilter } from './include-exclude.js';
import { hasBucketSubs, isPipeline } from './subs.js';
import { checkValueTypeHint } from '../value-type-hint.js';
import { checkKeys, optBoolean, optInt, optString, positive, requireField } from './options.js';
import { bucketComparator, isCountDesc, isKeyOrder, needsSubs, parseOrder, validateOrderPaths } from './order.js';
import type { BucketOrder } from './order.js';
import { runSteps } from '../../paced-run.js';
import { sortSteps } from '../../paced-sort.js';

/**
 * `terms`, computed as Elasticsearch does over one shard per target index: each index selects
 * its top `shard_size` buckets (default `size * 1.5 + 10`) and reports the doc counts it left
 * out; the reduce merges them (AbstractInternalTerms) into `size` buckets with
 * `doc_count_error_upper_bound` and `sum_other_doc_count` as ES reports them. A bucket's
 * sub-aggregations run over the docs of the indexes that returned it, and only for the buckets
 * that survive, unless the order reads a sub-aggregation.
 */

const KEYS = [
  'field',
  'size',
  'shard_size',
  'min_doc_count',
  'shard_min_doc_count',
  'order',
  'missing',
  'include',
  'exclude',
  'format',
  'show_term_doc_count_error',
  'execution_hint',
  'collect_mode',
  'value_type',
  'script',
];

interface TermsOptions {
  field: string;
  size: number;
  shardSize: number;
  minDocCount: number;
  shardMinDocCount: number;
  orders: BucketOrder[];
  missing: unknown;
  format?: string;
  showError: boolean;
}

function options(spec: AggSpec): TermsOptions {
  checkKeys(spec, KEYS);
  const field = requireField(spec);
  const size = positive(spec, 'size', optInt(spec, 'size') ?? 10);
  const explicitShard = optInt(spec, 'shard_size');
  if (explicitShard !== undefined) positive(spec, 'shard_size', explicitShard);
  let shardSize = explicitShard ?? Math.min(2147483647, Math.floor(size * 1.5 + 10));
  // TermsAggregatorFactory: shard_size cannot be smaller than size
  if (shardSize < size) shardSize = size;
  const minDocCount = positive(spec, 'min_doc_count', optInt(spec, 'min_doc_count') ?? 1, true);
  const shardMinDocCount = positive(spec, 'shard_min_doc_count', optInt(spec, 'shard_min_doc_count') ?? 0, true);
  const orders = parseOrder(spec, spec.body.order, [{ kind: 'count', asc: false }]);
  validateIncludeExclude(spec);
  const format = optString(spec, 'format');
  return { field, size, shardSize, minDocCount, shardMinDocCount, orders, missing: spec.body.missing, ...(format !== undefined ? { format } : {}), showError: optBoolean(spec, 'show_term_doc_count_error') ?? false };
}

type Key = string | number;

interface ShardBucket {
  key: Key;
  count: number;
  /** Positions (into the DocSet) of the bucket's docs in this shard, when sub-aggregations need them. */
  pos?: number[];
  subs?: Record<string, unknown>;
}

interface ShardResult {
  buckets: ShardBucket[];
  otherDocCount: number;
  /** getDocCountError of this shard's result: 0, the smallest returned count, or -1 (unbounded). */
  error: number;
}

interface MergedBucket {
  key: Key;
  count: number;
  errorOfReturning: number;
  parts: ShardBucket[];
  subs?: Record<string, unknown>;
}

const DOUBLE_TYPES = new Set(['double', 'float', 'half_float', 'scaled_float']);

/** Converts a request value (missing, include/exclude entries) to a key of the field kind. */
function keyOf(kind: ValueKind, v: unknown): Key {
  if (kind === 'keyword') return typeof v === 'string' ? v : String(v);
  if (kind === 'boolean') return v === true || v === 'true' || v === 1 ? 1 : 0;
  if (typeof v === 'number') return v;
  if (kind === 'date' && typeof v === 'string') {
    const iso = parseIsoDate(v, false, UTC);
    if (iso !== undefined) return iso;
  }
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) {
    throw new EngineError(400, 'number_format_exception', `For input string: "${String(v)}"`);
  }
  return n;
}

function unmappedKind(valueType: unknown): ValueKind {
  switch (valueType) {
    case undefined:
    case 'string':
      return 'keyword';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'long':
    case 'double':
    case 'number':
    case 'numeric':
    case 'float':
      return 'number';
    default:
      throw unsupported(`terms aggregation with [value_type] [${String(valueType)}] on an unmapped field`);
  }
}

export const termsAgg: BucketType = {
  validate(spec) {
    options(spec);
  },

  collect(spec, docs, ctx) {
    return runSteps(termsSteps(spec, docs, ctx));
  },

  steps: termsSteps,
};

/** Docs collected, or buckets handled, between two pause points. */
const STEP = 2048;

function* termsSteps(spec: AggSpec, docs: DocSet, ctx: AggContext): Generator<void, BucketResult> {
  const o = options(spec);
  validateOrderPaths(spec, o.orders, isPipeline);
  // a `value_type` the field's type contradicts fails that shard (the others answer)
  if (o.field !== '_index') checkValueTypeHint(ctx.exec, o.field, spec.body.value_type);
  // TermsAggregatorFactory: a keyword field runs in global ordinals mode unless the hint says `map`
  const hint = spec.body.execution_hint;
  if (o.field !== '_index' && hint !== 'map') {
    for (const st of ctx.exec.states) if (st.view.mapping.field(o.field)?.type === 'keyword') st.view.loadGlobalOrdinals?.(o.field);
  }
  const ip = o.field !== '_index' && isIpField(ctx, o.field);
  const readers = o.field === '_index' ? indexReaders(docs) : ip ? ipKeyReaders(spec, docs, o.field) : fieldReaders(docs, o.field);
  if (!ip && spec.body.value_type === 'ip' && ctx.exec.states.some((st) => st.view.mapping.field(o.field) !== undefined)) {
    // a field type checkValueTypeHint does not know (wildcard, ...): refused rather than read as keywords
    throw unsupported(`terms aggregation with [value_type] [ip] on field [${o.field}] that is not an ip field`);
  }
  let kind = commonKind(readers);
  if (kind === undefined && o.missing === undefined) {
    return { typed: 'sterms', result: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0 }, buckets: [] };
  }
  // an unmapped field takes the kind `value_type` names (ValueType.lenientParse), else keyword
  kind ??= unmappedKind(spec.body.value_type);
  const mixed = readers.some((r) => r !== null && (r.kind === 'keyword') !== (kind === 'keyword'));
  if (mixed) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Merging/Reducing the aggregations failed when computing the aggregation [${spec.name}] because the field you gave in the aggregation query existed as two different types in two different indices`,
    );
  }
  const k = kind;
  const toKey = ip ? (v: unknown): Key => ipKey(requestIp(v)) : (v: unknown): Key => keyOf(k, v);
  const filter = compileIncludeExclude(spec, ip ? 'ip' : k, toKey, ip ? (key) => keyBytes(String(key)) : undefined);
  const missingKey = o.missing === undefined ? undefined : toKey(o.missing);
  const withSubs = hasBucketSubs(spec.subs);
  const subOrder = needsSubs(o.orders);
  const numShards = Math.max(1, ctx.exec.states.length);

  // one shard per target index
  const shards: ShardResult[] = [];
  for (const [target, positions] of byTarget(docs, ctx.exec.states.length)) {
    shards.push(yield* collectShard(spec, o, docs, readers, target, positions, k, filter, missingKey, withSubs || subOrder, subOrder, ctx, ip));
  }
  const reduced = yield* reduce(spec, o, shards, numShards, docs, withSubs, ctx);
  const typed = k === 'keyword' ? 'sterms' : readers.some((r) => r !== null && DOUBLE_TYPES.has(r.info.type)) ? 'dterms' : 'lterms';
  // a date's key_as_string is in the field's DocValueFormat (its mapping `format`) unless the agg names one
  const render = keyRenderer(k, o.format ?? (k === 'date' ? readers.find((r) => r !== null)?.info.dateFormat : undefined));
  const buckets: Array<Record<string, unknown>> = [];
  for (const b of reduced.buckets) {
    if (buckets.length % STEP === 0) yield;
    // ip keys are their bytes in hex until here (so that they sort as ES's BytesRef keys)
    const out: Record<string, unknown> = { key: ip ? formatIpKey(b.key as string) : b.key };
    const asString = render(b.key);
    if (asString !== undefined) out.key_as_string = asString;
    out.doc_count = b.count;
    if (o.showError) out.doc_count_error_upper_bound = reduced.sumError === -1 ? -1 : reduced.sumError - b.errorOfReturning;
    if (b.subs) Object.assign(out, b.subs);
    buckets.push(out);
  }
  const result: BucketResult = {
    typed,
    result: { doc_count_error_upper_bound: reduced.docCountError, sum_other_doc_count: reduced.otherDocCount },
    buckets,
  };
  return result;
}

function* collectShard(
  spec: AggSpec,
  o: TermsOptions,
  docs: DocSet,
  readers: ReadonlyArray<FieldReader | null>,
  target: number,
  positions: Int32Array,
  kind: ValueKind,
  filter: TermFilter | undefined,
  missingKey: Key | undefined,
  keepPositions: boolean,
  subOrder: boolean,
  ctx: AggContext,
  ip: boolean,
): Generator<void, ShardResult> {
  const ords = new Map<Key, number>();
  const keys: Key[] = [];
  let counts = new Int32Array(64);
  const pairOrd: number[] = [];
  const pairPos: number[] = [];
  const ordOf = (key: Key): number => {
    let ord = ords.get(key);
    if (ord === undefined) {
      ord = keys.length;
      ords.set(key, ord);
      keys.push(key);
      if (ord === counts.length) {
        const bigger = new Int32Array(counts.length * 2);
        bigger.set(counts);
        counts = bigger;
      }
    }
    return ord;
  };
  const leafOf = docs.leaf;
  const docOf = docs.doc;
  let lastLeaf = -1;
  let r: FieldReader | null | undefined = null;
  // the hot loop in a plain function (optimised on the stack, which a generator's loop is not), a pause between ranges
  const collectRange = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const p = positions[i] as number;
      const li = leafOf[p] as number;
      if (li !== lastLeaf) {
        r = readers[li];
        lastLeaf = li;
      }
      const vals = r ? r.values(docOf[p] as number) : undefined;
      if (!vals || vals.length === 0) {
        if (missingKey !== undefined && (!filter || filter(missingKey))) {
          const ord = ordOf(missingKey);
          counts[ord] = (counts[ord] as number) + 1;
          if (keepPositions) {
            pairOrd.push(ord);
            pairPos.push(p);
          }
        }
        continue;
      }
      let prev: Key | undefined;
      for (let j = 0; j < vals.length; j++) {
        const v = vals[j] as Key;
        if (j > 0 && v === prev) continue;
        prev = v;
        if (filter && !filter(v)) continue;
        const ord = ordOf(v);
        counts[ord] = (counts[ord] as number) + 1;
        if (keepPositions) {
          pairOrd.push(ord);
          pairPos.push(p);
        }
      }
    }
  };
  for (let from = 0; from < positions.length; from += STEP) {
    if (from > 0) yield;
    collectRange(from, Math.min(positions.length, from + STEP));
  }
  if (o.minDocCount === 0) addZeroCountTerms(docs, readers, target, kind, filter, ordOf, ip);

  let total = 0;
  const candidates: ShardBucket[] = [];
  for (let ord = 0; ord < keys.length; ord++) {
    if (ord % STEP === STEP - 1) yield;
    const c = counts[ord] as number;
    total += c;
    if (c < o.shardMinDocCount) continue;
    candidates.push({ key: keys[ord] as Key, count: c });
  }
  if (keepPositions) {
    const lists: number[][] = keys.map(() => []);
    for (let i = 0; i < pairOrd.length; i++) (lists[pairOrd[i] as number] as number[]).push(pairPos[i] as number);
    for (const b of candidates) b.pos = lists[ords.get(b.key) as number];
    yield;
  }
  if (subOrder) for (const b of candidates) b.subs = yield* ctx.runSubsSteps(spec.subs, subset(docs, b.pos ?? []));
  const cmp = bucketComparator<ShardBucket & { rendered?: () => Record<string, unknown> }>(o.orders, spec);
  // a path order reads each bucket rendered with its sub-aggregations
  const withRender = subOrder ? candidates.map((b) => Object.assign(b, { rendered: () => ({ key: b.key, doc_count: b.count, ...b.subs }) })) : candidates;
  yield;
  const selected = yield* selectTop(withRender, o.shardSize, cmp);
  let returned = 0;
  for (const b of selected) returned += b.count;
  const size = selected.length;
  let error: number;
  if (size === 0 || size < o.shardSize || isKeyOrder(o.orders)) error = 0;
  else if (isCountDesc(o.orders)) error = Math.min(...selected.map((b) => b.count));
  else error = -1;
  return { buckets: selected, otherDocCount: total - returned, error };
}

/** min_doc_count 0: every term of the field in the index, with a count of 0 where no doc matched. */
function addZeroCountTerms(docs: DocSet, readers: ReadonlyArray<FieldReader | null>, target: number, kind: ValueKind, filter: TermFilter | undefined, ordOf: (k: Key) => number, ip: boolean): void {
  docs.leaves.forEach((leaf, li) => {
    if (leaf.target !== target) return;
    const r = readers[li];
    if (!r) return;
    const seg = leaf.segment;
    if (r.info.path === '_index') {
      // ConstantIndexFieldData: every segment has the index name as its one ordinal
      const name = leaf.view.index;
      if (seg.maxDoc > 0 && (!filter || filter(name))) ordOf(name);
      return;
    }
    if (kind === 'keyword' && !ip) {
      for (const t of seg.terms(r.info.path)) if (!filter || filter(t)) ordOf(t);
      return;
    }
    for (let d = 0; d < seg.maxDoc; d++) {
      if (!seg.isLive(d)) continue;
      const vals = r.values(d);
      if (vals) for (const v of vals) if (!filter || filter(v)) ordOf(v);
    }
  });
}

/** The first `n` buckets under `cmp` (stable sort; n is small next to the candidates). */
function* selectTop<B>(candidates: B[], n: number, cmp: (a: B, b: B) => number): Generator<void, B[]> {
  const sorted = yield* sortSteps(candidates, cmp);
  return sorted.length > n ? sorted.slice(0, n) : sorted;
}

interface Reduced {
  buckets: MergedBucket[];
  docCountError: number;
  sumError: number;
  otherDocCount: number;
}

/** AbstractInternalTerms.TermsAggregationReducer over the per-index results. */
function* reduce(spec: AggSpec, o: TermsOptions, shards: ShardResult[], numShards: number, docs: DocSet, withSubs: boolean, ctx: AggContext): Generator<void, Reduced> {
  let sumError = 0;
  let other = 0;
  const merged = new Map<Key, MergedBucket>();
  for (const s of shards) {
    other += s.otherDocCount;
    if (sumError !== -1) sumError = s.error === -1 ? -1 : sumError + s.error;
    for (let i = 0; i < s.buckets.length; i++) {
      if (i % STEP === STEP - 1) yield;
      const b = s.buckets[i] as ShardBucket;
      let m = merged.get(b.key);
      if (!m) {
        m = { key: b.key, count: 0, errorOfReturning: 0, parts: [] };
        merged.set(b.key, m);
      }
      m.count += b.count;
      m.errorOfReturning += s.error;
      m.parts.push(b);
    }
  }
  const all = [...merged.values()];
  yield;
  const docsOf = (m: MergedBucket): DocSet => {
    if (m.parts.length === 1) return subset(docs, m.parts[0]?.pos ?? []);
    const pos = Int32Array.from(m.parts.flatMap((p) => p.pos ?? []));
    pos.sort();
    return subset(docs, pos);
  };
  function* subsOf(m: MergedBucket): Generator<void, void> {
    if (!m.subs) m.subs = m.parts.length === 1 && m.parts[0]?.subs ? m.parts[0].subs : yield* ctx.runSubsSteps(spec.subs, docsOf(m));
  }
  let result: MergedBucket[];
  if (isKeyOrder(o.orders) && o.minDocCount <= 1) {
    const asc = o.orders[0]?.asc ?? true;
    const sorted = yield* sortSteps(all, (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (asc ? 1 : -1));
    result = sorted.slice(0, o.size);
    for (const m of sorted.slice(o.size)) other += m.count;
  } else {
    const kept = all.filter((m) => m.count >= o.minDocCount);
    const subOrder = needsSubs(o.orders);
    // an order on a sub-aggregation compares every kept bucket's sub-aggregations: computed first, a pause point between buckets
    if (subOrder && kept.length > 1) for (const m of kept) yield* subsOf(m);
    const cmp = bucketComparator<{ key: Key; count: number; m: MergedBucket; rendered?: () => Record<string, unknown> }>(o.orders, spec);
    yield;
    const wrapped = kept.map((m) => (subOrder ? { key: m.key, count: m.count, m, rendered: () => ({ key: m.key, doc_count: m.count, ...m.subs }) } : { key: m.key, count: m.count, m }));
    yield;
    const sorted = yield* sortSteps(wrapped, cmp);
    result = sorted.slice(0, o.size).map((w) => w.m);
    for (const w of sorted.slice(o.size)) other += w.count;
  }
  // breadth first: sub-aggregations only for the buckets that survive
  if (withSubs) for (const m of result) yield* subsOf(m);
  const docCountError = sumError === -1 ? -1 : numShards === 1 ? 0 : sumError;
  return { buckets: result, docCountError, sumError, otherDocCount: other };
}

/** `key_as_string`: dates and booleans always, numbers with a `format`, keywords never. */
function keyRenderer(kind: ValueKind, format: string | undefined): (key: Key) => string | undefined {
  if (kind === 'date') {
    const f = dateFormatter(format);
    return (k) => f(k as number);
  }
  if (kind === 'boolean') return (k) => (k === 1 ? 'true' : 'false');
  if (kind === 'number' && format !== undefined) {
    const f = compileDecimalFormat(format);
    return (k) => f(k as number);
  }
  return () => undefined;
}

/** `_index` as a keyword field: each doc's value is the name of its index. */
function indexReaders(docs: DocSet): FieldReader[] {
  const info: FieldInfo = { path: '_index', type: 'keyword', indexed: true, docValues: true };
  return docs.leaves.map((leaf) => {
    const value = [leaf.view.index];
    return { kind: 'keyword' as const, info, values: () => value };
  });
}

/** Whether `field` is an ip field where it is mapped (an ip in some indexes and not in others is refused). */
function isIpField(ctx: AggContext, field: string): boolean {
  const types = new Set<string>();
  for (const state of ctx.exec.states) {
    const info = state.view.mapping.field(field);
    if (info) types.add(info.type);
  }
  if (!types.has('ip')) return false;
  if (types.size > 1) throw unsupported(`terms aggregation on field [${field}] mapped as [ip] in some indices and as [${[...types].filter((t) => t !== 'ip').join(', ')}] in others`);
  return true;
}
