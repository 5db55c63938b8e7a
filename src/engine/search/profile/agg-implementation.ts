import type { FieldInfo } from '../../contract.js';
import { unsupported } from '../../errors.js';
import type { AggSpec, BucketResult, DocSet } from '../aggs/agg-types.js';
import { SURVIVING_BUCKETS } from '../aggs/buckets/auto-date-histogram.js';
import { datePlan } from '../aggs/buckets/histogram.js';
import { SOURCE_FETCHES } from '../aggs/buckets/significant-text.js';
import { PIPELINE_TYPES } from '../aggs/pipelines.js';
import { NUMERIC_TYPES } from '../field-values.js';
import type { Leaf } from '../match-set.js';
import type { AggProfileNode, DescribeContext, Describer } from './agg-profile.js';

/**
 * The aggregator class Elasticsearch 8 would build for an aggregation on one shard, chosen by the
 * rules of its factories (TermsAggregatorFactory, CardinalityAggregatorFactory,
 * DateHistogramAggregator.build, ...) from the shard's own data: its global terms, its segments,
 * the doc values shape of each segment, the top-level query and the request's options. A case
 * whose class or counters the engine cannot tell honestly is refused with a 400 naming it.
 */

const refuse = (what: string): never => {
  throw unsupported(`profile of ${what}`);
};

function fieldOf(ctx: DescribeContext): string {
  const field = ctx.spec.body.field;
  if (typeof field !== 'string') return refuse(`[${ctx.spec.type}] aggregations without a field`);
  return field;
}

function infoOf(ctx: DescribeContext, field: string): FieldInfo | undefined {
  for (const leaf of ctx.leaves) {
    const info = leaf.view.mapping.field(field);
    if (info) return info;
  }
  return undefined;
}

const isFloating = (info: FieldInfo): boolean => ['double', 'float', 'half_float', 'scaled_float'].includes(info.type);

/** The non-pipeline sub-aggregations (what AggregatorFactories counts). */
const subAggregators = (spec: AggSpec): AggSpec[] => spec.subs.filter((s) => PIPELINE_TYPES[s.type] === undefined);

/** Every value of a keyword field in one segment, and whether some document has more than one. */
function segmentTerms(leaf: Leaf, field: string, info: FieldInfo): { terms: Set<string>; multi: boolean } {
  const seg = leaf.segment;
  const terms = new Set<string>();
  let multi = false;
  for (let d = 0; d < seg.maxDoc; d++) {
    const vs = seg.keywordValues(field, d);
    if (!vs) continue;
    if (vs.length > 1) multi = true;
    if (!info.indexed) for (const v of vs) terms.add(v);
  }
  if (info.indexed) for (const t of seg.terms(field)) terms.add(t);
  return { terms, multi };
}

function hasDeletions(leaf: Leaf): boolean {
  for (let d = 0; d < leaf.segment.maxDoc; d++) if (!leaf.segment.isLive(d)) return true;
  return false;
}

function liveDocs(leaves: readonly Leaf[]): number {
  let n = 0;
  for (const leaf of leaves) for (let d = 0; d < leaf.segment.maxDoc; d++) if (leaf.segment.isLive(d)) n++;
  return n;
}

/** Distinct values per invocation, summed over invocations: LongKeyedBucketOrds / BytesKeyedBucketOrds size. */
function countDistinct(node: AggProfileNode, docs: DocSet, field: string): void {
  const seen = new Set<string | number>();
  for (let i = 0; i < docs.count; i++) {
    const leaf = docs.leaves[docs.leaf[i] as number] as Leaf;
    const info = leaf.view.mapping.field(field);
    if (!info) continue;
    const vs = info.type === 'keyword' ? leaf.segment.keywordValues(field, docs.doc[i] as number) : leaf.segment.numericValues(field, docs.doc[i] as number);
    if (vs) for (const v of vs) seen.add(v);
  }
  node.state.total_buckets = (node.state.total_buckets ?? 0) + seen.size;
}

/** Aggregations that need the query's scores: filter-by-filter cannot run them (FilterByFilterAggregator.AdapterBuilder.build). */
function needsScores(specs: AggSpec[]): boolean {
  return specs.some((s) => s.type === 'top_hits' || s.type === 'sampler' || s.type === 'diversified_sampler' || needsScores(s.subs));
}

/** TermsAggregatorFactory.pickSubAggColectMode and the deferred sub-aggregations (TermsAggregator.shouldDefer). */
function deferredOf(spec: AggSpec, shardSize: number, maxOrd: number): string[] {
  const subs = subAggregators(spec);
  const mode = spec.body.collect_mode;
  const breadth = mode === 'breadth_first' ? true : mode === 'depth_first' ? false : subs.length > 0 && shardSize !== 2147483647 && (maxOrd === -1 || maxOrd > shardSize);
  if (!breadth) return [];
  const sortedBy = new Set(orderPaths(spec.body.order));
  return subs.filter((s) => !sortedBy.has(s.name)).map((s) => s.name);
}

function orderPaths(order: unknown): string[] {
  const list = Array.isArray(order) ? order : order !== undefined ? [order] : [];
  const out: string[] = [];
  for (const o of list) if (o && typeof o === 'object') for (const k of Object.keys(o)) if (k !== '_count' && k !== '_key' && k !== '_term') out.push(k.split(/[>.[]/)[0] as string);
  return out;
}

/** InternalOrder.isKeyOrder: the (first) order element is by key. */
function isKeyOrder(order: unknown): boolean {
  const first: unknown = Array.isArray(order) ? order[0] : order;
  if (first === null || typeof first !== 'object') return false;
  const key = Object.keys(first)[0];
  return key === '_key' || key === '_term';
}

/** The shard size TermsAggregatorFactory collects with (BucketUtils.suggestShardSideQueueSize unless ordered by key or set). */
function shardSizeOf(spec: AggSpec): number {
  const size = typeof spec.body.size === 'number' ? spec.body.size : 10;
  if (typeof spec.body.shard_size === 'number') return Math.max(spec.body.shard_size, size);
  return isKeyOrder(spec.body.order) ? size : Math.min(2147483647, Math.floor(size * 1.5 + 10));
}

const terms: Describer = (ctx) => {
  const { spec } = ctx;
  const field = fieldOf(ctx);
  if (spec.body.include !== undefined || spec.body.exclude !== undefined) refuse('terms aggregations with include or exclude');
  if (spec.body.missing !== undefined) refuse('terms aggregations with missing');
  const info = infoOf(ctx, field);
  const perSegment = (): void => {
    for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
  };
  if (!info) {
    perSegment();
    return { type: 'NonCollectingAggregator' };
  }
  const shardSize = shardSizeOf(spec);
  if (NUMERIC_TYPES.has(info.type) || info.type === 'date' || info.type === 'boolean') {
    perSegment();
    return {
      type: 'NumericTermsAggregator',
      deferred: deferredOf(spec, shardSize, -1),
      debug: { result_strategy: isFloating(info) ? 'double_terms' : 'long_terms' },
      collected: (node, docs) => countDistinct(node, docs, field),
      finish: (node) => {
        node.debug.total_buckets = node.state.total_buckets ?? 0;
      },
    };
  }
  if (info.type !== 'keyword') return refuse(`terms aggregations on [${info.type}] fields`);
  if (spec.body.execution_hint === 'map') {
    perSegment();
    return {
      type: 'MapStringTermsAggregator',
      deferred: deferredOf(spec, shardSize, -1),
      collected: (node, docs) => countDistinct(node, docs, field),
      finish: (node) => {
        node.debug.total_buckets = node.state.total_buckets ?? 0;
        node.debug.result_strategy = 'terms';
      },
    };
  }
  // global ordinals: the shard's distinct terms, and each segment's doc values shape
  const global = new Set<string>();
  let single = 0;
  let multi = 0;
  const deleted: boolean[] = [];
  for (const leaf of ctx.leaves) {
    ctx.perSegment(() => {
      const s = segmentTerms(leaf, field, info);
      for (const t of s.terms) global.add(t);
      if (s.multi) multi++;
      else single++;
      deleted.push(hasDeletions(leaf));
    });
  }
  const maxOrd = global.size;
  const subs = subAggregators(spec);
  if (maxOrd > 0 && maxOrd <= 1000 && ctx.filterByFilter && ctx.parent === undefined && info.indexed && ctx.matchAllQuery && !needsScores(spec.subs)) {
    // StringTermsAggregatorFromFilters over FilterByFilterAggregator: one TermQuery per global ordinal
    const sorted = [...global].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
    const counting = spec.subs.length === 0;
    const constant = counting ? deleted.filter((d) => !d).length : 0;
    return {
      type: 'StringTermsAggregatorFromFilters',
      countsOnly: true,
      debug: {
        delegate: 'FilterByFilterAggregator',
        delegate_debug: {
          filters: sorted.map((t) => ({ query: `${field}:${t}`, segments_counted_in_constant_time: constant })),
          segments_counted: counting ? ctx.leaves.length : 0,
          segments_collected: counting ? 0 : ctx.leaves.length,
          segments_with_deleted_docs: deleted.filter(Boolean).length,
          segments_with_doc_count_field: 0,
        },
      },
    };
  }
  const deferred = deferredOf(spec, shardSize, maxOrd);
  const numDocs = liveDocs(ctx.leaves);
  const counters = { segments_with_single_valued_ords: single, segments_with_multi_valued_ords: multi, has_filter: false };
  if (spec.subs.length === 0 && ctx.singleBucket && numDocs > 0 && maxOrd / numDocs <= 0.5 && maxOrd <= 2048) {
    return { type: 'GlobalOrdinalsStringTermsAggregator.LowCardinality', debug: { collection_strategy: 'dense', result_strategy: 'terms', ...counters } };
  }
  const aggregationSort = orderPaths(spec.body.order).length > 0;
  const remap = !(ctx.singleBucket && (subs.length === 0 || (!aggregationSort && deferred.length > 0)));
  const strategy = remap ? `remap using ${ctx.singleBucket ? 'single bucket ords' : 'many bucket ords'}` : 'dense';
  return { type: 'GlobalOrdinalsStringTermsAggregator', deferred, debug: { collection_strategy: strategy, result_strategy: 'terms', ...counters } };
};

/** HyperLogLogPlusPlus.precisionFromThreshold. */
function precisionOf(spec: AggSpec): number {
  const t = spec.body.precision_threshold;
  if (typeof t !== 'number') return 14;
  const entries = Math.ceil(t / 0.75) * 4;
  const bits = entries <= 0 ? 1 : Math.floor(Math.log2(entries)) + 1;
  return Math.min(18, Math.max(4, bits));
}

const cardinality: Describer = (ctx) => {
  const { spec } = ctx;
  const field = fieldOf(ctx);
  if (spec.body.execution_hint !== undefined || spec.body.missing !== undefined) refuse('cardinality aggregations with execution_hint or missing');
  const info = infoOf(ctx, field);
  if (!info) return { type: 'NonCollectingSingleMetricAggregator' };
  const counters = { empty_collectors_used: 0, numeric_collectors_used: 0, ordinals_collectors_used: 0, ordinals_collectors_overhead_too_high: 0, string_hashing_collectors_used: 0 };
  if (info.type === 'keyword') {
    let total = 0;
    const perSegment: number[] = [];
    for (const leaf of ctx.leaves) {
      ctx.perSegment(() => {
        const n = segmentTerms(leaf, field, info).terms.size;
        perSegment.push(n);
        total += n;
      });
    }
    const memory = ctx.leaves.length === 1 ? total * 4 : total * 3;
    if (memory < 2 ** precisionOf(spec)) return { type: 'GlobalOrdCardinalityAggregator' };
    // save_time_heuristic: segment ordinals in every segment that has terms
    for (const n of perSegment) {
      if (n === 0) counters.empty_collectors_used++;
      else counters.ordinals_collectors_used++;
    }
    return { type: 'CardinalityAggregator', debug: counters };
  }
  if (NUMERIC_TYPES.has(info.type) || info.type === 'date' || info.type === 'boolean') {
    for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
    counters.numeric_collectors_used = ctx.leaves.length;
    return { type: 'CardinalityAggregator', debug: counters };
  }
  return refuse(`cardinality aggregations on [${info.type}] fields`);
};

const metric =
  (type: string): Describer =>
  (ctx) => {
    fieldOf(ctx);
    if (ctx.spec.body.script !== undefined) refuse(`[${ctx.spec.type}] aggregations with a script`);
    for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
    return { type };
  };

/** Buckets collected (doc_count > 0) per invocation, summed: LongKeyedBucketOrds.size(). */
function histogramBuckets(node: AggProfileNode, result: unknown): void {
  const buckets = (result as BucketResult).buckets ?? [];
  node.state.total_buckets = (node.state.total_buckets ?? 0) + buckets.filter((b) => Number(b.doc_count) > 0).length;
}

const histogram: Describer = (ctx) => {
  const field = fieldOf(ctx);
  const info = infoOf(ctx, field);
  if (info && !(NUMERIC_TYPES.has(info.type) || info.type === 'date' || info.type === 'boolean')) refuse(`histogram aggregations on [${info.type}] fields`);
  const minDocCount = ctx.spec.body.min_doc_count;
  if (typeof minDocCount === 'number' && minDocCount > 1) refuse('histogram aggregations with min_doc_count above 1');
  for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
  return {
    type: 'NumericHistogramAggregator',
    collected: (node, _docs, result) => histogramBuckets(node, result),
    finish: (node) => {
      node.debug.total_buckets = node.state.total_buckets ?? 0;
    },
  };
};

/** Most rounding points a prepared rounding turns into a fixed array (Rounding.PreparedRounding.maybeUseArray, 128, plus the two units its minimum is moved down by). */
const MAX_ROUNDING_POINTS = 130;

const dateHistogram: Describer = (ctx) => {
  const { spec } = ctx;
  const field = fieldOf(ctx);
  const info = infoOf(ctx, field);
  if (info && info.type !== 'date') refuse(`date_histogram aggregations on [${info.type}] fields`);
  if (typeof spec.body.min_doc_count === 'number' && spec.body.min_doc_count > 1) refuse('date_histogram aggregations with min_doc_count above 1');
  if (info?.indexed) {
    // ValuesSourceConfig.roundingPreparer: the field's range in the shard's points; few rounding
    // points make Elasticsearch run it as a range aggregation (DateHistogramAggregator.FromDateRange)
    if (spec.body.time_zone !== undefined || spec.body.offset !== undefined || !ctx.matchAllQuery) refuse('date_histogram aggregations on an indexed date field with a time_zone, an offset or a query (Elasticsearch may adapt them into a range aggregation)');
    let min = Infinity;
    let max = -Infinity;
    for (const leaf of ctx.leaves) {
      ctx.perSegment(() => {
        for (let d = 0; d < leaf.segment.maxDoc; d++) {
          for (const v of leaf.segment.numericValues(field, d) ?? []) {
            if (v < min) min = v;
            if (v > max) max = v;
          }
        }
      });
    }
    if (min <= max) {
      const { rounding } = datePlan(spec, Date.now());
      let points = 1;
      for (let k = rounding.next(rounding.round(min)); k <= max && points <= MAX_ROUNDING_POINTS; k = rounding.next(k)) points++;
      if (points <= MAX_ROUNDING_POINTS) refuse('date_histogram aggregations that Elasticsearch adapts into a range aggregation (DateHistogramAggregator.FromDateRange)');
    }
  } else {
    for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
  }
  return {
    type: 'DateHistogramAggregator',
    collected: (node, _docs, result) => histogramBuckets(node, result),
    finish: (node) => {
      node.debug.total_buckets = node.state.total_buckets ?? 0;
    },
  };
};

const global: Describer = (ctx) => {
  for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
  return { type: 'GlobalAggregator' };
};

const autoDateHistogram: Describer = (ctx) => {
  const field = fieldOf(ctx);
  const info = infoOf(ctx, field);
  if (info && info.type !== 'date') refuse(`auto_date_histogram aggregations on [${info.type}] fields`);
  // AutoDateHistogramAggregatorFactory: FromMany under a multi-bucket parent (its counters are not the engine's)
  if (!ctx.singleBucket) refuse('auto_date_histogram aggregations under a multi-bucket aggregation (AutoDateHistogramAggregator.FromMany)');
  for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
  return {
    type: 'AutoDateHistogramAggregator.FromSingle',
    // DeferableBucketAggregator: auto_date_histogram defers every sub-aggregation
    deferred: subAggregators(ctx.spec).map((s) => s.name),
    collected: (node, _docs, result) => {
      node.state.surviving_buckets = (node.state.surviving_buckets ?? 0) + (SURVIVING_BUCKETS.get(result as BucketResult) ?? 0);
    },
    finish: (node) => {
      node.debug.surviving_buckets = node.state.surviving_buckets ?? 0;
    },
  };
};

/** significant_text: MapStringTermsAggregator over SignificantTextCollectorSource (text analysed from _source). */
const significantText: Describer = (ctx) => {
  const { spec } = ctx;
  fieldOf(ctx);
  if (spec.body.include !== undefined || spec.body.exclude !== undefined || spec.body.background_filter !== undefined) refuse('significant_text aggregations with include, exclude or background_filter');
  for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
  const keys = ['values_fetched', 'chars_fetched', 'extract_count', 'collect_analyzed_count'] as const;
  return {
    type: 'MapStringTermsAggregator',
    deferred: deferredOf(spec, shardSizeOf(spec), -1),
    collected: (node, _docs, result) => {
      const r = result as BucketResult;
      const f = SOURCE_FETCHES.get(r);
      if (!f) return;
      for (const k of keys) node.state[k] = (node.state[k] ?? 0) + f[k];
      node.state.extract_ns = (node.state.extract_ns ?? 0) + Number(f.extract_ns);
      node.state.collect_analyzed_ns = (node.state.collect_analyzed_ns ?? 0) + Number(f.collect_analyzed_ns);
      // BytesKeyedBucketOrds: the distinct terms collected in this parent bucket
      node.state.total_buckets = (node.state.total_buckets ?? 0) + f.terms.size;
    },
    finish: (node) => {
      const st = node.state;
      node.debug = {
        ...node.debug,
        total_buckets: st.total_buckets ?? 0,
        result_strategy: 'significant_terms',
        collection_strategy: 'analyze text from _source',
        values_fetched: st.values_fetched ?? 0,
        chars_fetched: st.chars_fetched ?? 0,
        extract_ns: st.extract_ns ?? 0,
        extract_count: st.extract_count ?? 0,
        collect_analyzed_ns: st.collect_analyzed_ns ?? 0,
        collect_analyzed_count: st.collect_analyzed_count ?? 0,
      };
    },
  };
};

/** A metric over a field that must be mapped on the shard (an unmapped one builds another class in some factories). */
const mappedMetric =
  (type: (spec: AggSpec) => string, field = 'field'): Describer =>
  (ctx) => {
    const name = ctx.spec.body[field];
    if (typeof name !== 'string') return refuse(`[${ctx.spec.type}] aggregations without a ${field}`);
    if (!infoOf(ctx, name)) return refuse(`[${ctx.spec.type}] aggregations on a field unmapped in the shard`);
    for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
    return { type: type(ctx.spec) };
  };

const hdr = (spec: AggSpec): boolean => spec.body.hdr !== undefined;

/** A single-bucket aggregation with a fixed class (its sub-aggregations collect into one bucket per parent bucket). */
const singleBucket =
  (type: string): Describer =>
  (ctx) => {
    for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
    return { type };
  };

const DESCRIBERS: Record<string, Describer> = {
  percentiles: mappedMetric((spec) => (hdr(spec) ? 'HDRPercentilesAggregator' : 'TDigestPercentilesAggregator')),
  percentile_ranks: mappedMetric((spec) => (hdr(spec) ? 'HDRPercentileRanksAggregator' : 'TDigestPercentileRanksAggregator')),
  median_absolute_deviation: mappedMetric(() => 'MedianAbsoluteDeviationAggregator'),
  top_hits: singleBucket('TopHitsAggregator'),
  missing: mappedMetric(() => 'MissingAggregator'),
  nested: (ctx) => {
    const path = ctx.spec.body.path;
    if (typeof path !== 'string' || !ctx.leaves.some((l) => l.view.mapping.nestedPaths().includes(path))) return refuse('nested aggregations over a path that is not nested in the shard');
    for (const leaf of ctx.leaves) ctx.perSegment(() => leaf.segment.maxDoc);
    return { type: 'NestedAggregator' };
  },
  reverse_nested: singleBucket('ReverseNestedAggregator'),
  significant_text: significantText,
  auto_date_histogram: autoDateHistogram,
  terms,
  cardinality,
  histogram,
  date_histogram: dateHistogram,
  global,
  max: metric('MaxAggregator'),
  min: metric('MinAggregator'),
  sum: metric('SumAggregator'),
  avg: metric('AvgAggregator'),
  value_count: metric('ValueCountAggregator'),
  stats: metric('StatsAggregator'),
  extended_stats: metric('ExtendedStatsAggregator'),
};

/** The describer of an aggregation type; a type whose profile is not built is refused with a 400. */
export function describerOf(spec: AggSpec): Describer {
  return DESCRIBERS[spec.type] ?? refuse(`[${spec.type}] aggregations`);
}

/** Checks, before anything runs, that every aggregation of the request has its profile built. */
export function checkProfiledAggregations(specs: AggSpec[]): void {
  for (const spec of specs) {
    if (PIPELINE_TYPES[spec.type] === undefined) describerOf(spec);
    checkProfiledAggregations(spec.subs);
  }
}
