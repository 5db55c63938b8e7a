import type { AggSpec, DocSet } from '../aggs/agg-types.js';
import type { Leaf } from '../match-set.js';
import { nanoTime } from './query-profile.js';

/**
 * The aggregation profile of one shard (Elasticsearch's AggregationProfiler): one node per
 * aggregator, named as the aggregator class Elasticsearch would choose for the request on this
 * shard (agg-implementation.ts), described by the aggregation's name, with the time the engine
 * spent in each phase and the debug counters of that class computed from the shard's own data.
 *
 * The engine aggregates set-wise (a bucket's docs at once), not document by document, so the
 * phases map onto its work as follows:
 * - initialize: choosing the implementation (reading the field's mapping and global terms);
 * - build_leaf_collector: reading each segment's doc values shape (one count per segment);
 * - collect: the aggregation's work over the docs it is given, its sub-aggregations included (a
 *   parent's times include its children's, as Elasticsearch's collectors wrap their sub-collectors),
 *   counted once per document collected (per parent bucket, as Elasticsearch counts);
 * - post_collection: gathering the counters of the collected buckets;
 * - build_aggregation: rendering the result;
 * - reduce: always 0 on a shard, as in Elasticsearch.
 */

export const AGG_TIMINGS = ['initialize', 'build_leaf_collector', 'collect', 'post_collection', 'build_aggregation', 'reduce'] as const;
export type AggTiming = (typeof AGG_TIMINGS)[number];

export class AggProfileNode {
  readonly times = new Map<AggTiming, bigint>();
  readonly counts = new Map<AggTiming, number>();
  debug: Record<string, unknown> = {};
  readonly children: AggProfileNode[] = [];
  /** Per-invocation counters the implementation keeps (buckets collected, docs collected). */
  readonly state: Record<string, number> = {};
  /** The sub-aggregation nodes, by spec. */
  readonly bySpec = new Map<AggSpec, AggProfileNode>();
  /** Whether this aggregator counts without collecting (FilterByFilterAggregator): collect_count stays 0. */
  countsOnly = false;
  /** Names of the sub-aggregations Elasticsearch defers (breadth_first). */
  deferred: string[] = [];
  constructor(
    public type: string,
    readonly description: string,
  ) {}

  add(timing: AggTiming, nanos: bigint, count = 1): void {
    this.times.set(timing, (this.times.get(timing) ?? 0n) + (nanos > 0n ? nanos : 0n));
    this.counts.set(timing, (this.counts.get(timing) ?? 0) + count);
  }

  toJSON(): Record<string, unknown> {
    const breakdown: Record<string, number> = {};
    let total = 0n;
    for (const timing of AGG_TIMINGS) {
      const t = this.times.get(timing) ?? 0n;
      total += t;
      breakdown[timing] = Number(t);
      breakdown[`${timing}_count`] = this.counts.get(timing) ?? 0;
    }
    const out: Record<string, unknown> = { type: this.type, description: this.description, time_in_nanos: Number(total), breakdown };
    if (Object.keys(this.debug).length > 0) out.debug = this.debug;
    if (this.children.length > 0) out.children = this.children.map((c) => c.toJSON());
    return out;
  }
}

/** What an implementation describer is given: the spec, the shard's leaves, the parent aggregator. */
export interface DescribeContext {
  spec: AggSpec;
  /** The shard's segments (every leaf of the target, in order). */
  leaves: readonly Leaf[];
  /** The enclosing aggregation's spec, undefined at the top level. */
  parent: AggSpec | undefined;
  /** Whether the enclosing aggregators collect into a single bucket (CardinalityUpperBound.ONE). */
  singleBucket: boolean;
  /** The shard's top-level query is `match_all` over an index without nested documents (a filter-by-filter union stays a TermQuery). */
  matchAllQuery: boolean;
  /** `search.aggs.rewrite_to_filter_by_filter`. */
  filterByFilter: boolean;
  /** Times a step as the node's build_leaf_collector (once per segment). */
  perSegment<T>(fn: () => T): T;
}

/** Chooses an aggregator's class and its fixed debug entries; `collected` fills the counters after collection. */
export interface Implementation {
  type: string;
  debug?: Record<string, unknown>;
  /** Filter-by-filter aggregators count matches per filter instead of collecting docs. */
  countsOnly?: boolean;
  /** Sub-aggregations Elasticsearch defers (breadth_first collection). */
  deferred?: string[];
  /** After each invocation: update the counters from the docs and the result. */
  collected?(node: AggProfileNode, docs: DocSet, result: unknown): void;
  /** The debug entries computed from the counters, after every invocation. */
  finish?(node: AggProfileNode): void;
}

export type Describer = (ctx: DescribeContext) => Implementation;

interface Frame {
  node: AggProfileNode;
  spec: AggSpec;
  impl: Implementation;
  singleBucket: boolean;
}

/** One shard's aggregation profiler: the tree of nodes and the stack of aggregators being run. */
export class AggProfiler {
  readonly roots: AggProfileNode[] = [];
  private readonly rootsBySpec = new Map<AggSpec, AggProfileNode>();
  private readonly stack: Frame[] = [];
  private readonly impls = new Map<AggProfileNode, Implementation>();

  constructor(
    readonly leaves: readonly Leaf[],
    private readonly describe: (spec: AggSpec) => Describer,
    private readonly options: { matchAllQuery: boolean; filterByFilter: boolean },
  ) {}

  /** Runs one invocation of `spec` over `docs` (`steps` compute its result, pausing between units of work), timing it on the spec's node. */
  *run<T>(spec: AggSpec, docs: DocSet, steps: Generator<void, T>, render: (r: T) => unknown): Generator<void, unknown> {
    const parentFrame = this.stack[this.stack.length - 1];
    const siblings = parentFrame ? parentFrame.node.bySpec : this.rootsBySpec;
    let node = siblings.get(spec);
    let impl: Implementation;
    if (!node) {
      node = new AggProfileNode(spec.type, spec.name);
      const made = node;
      siblings.set(spec, node);
      (parentFrame ? parentFrame.node.children : this.roots).push(node);
      const singleBucket = parentFrame ? parentFrame.singleBucket && SINGLE_BUCKET.has(parentFrame.spec.type) : true;
      const start = nanoTime();
      let segmentNanos = 0n;
      let segments = 0;
      impl = this.describe(spec)({
        spec,
        leaves: this.leaves,
        parent: parentFrame?.spec,
        singleBucket,
        ...this.options,
        perSegment<R>(fn: () => R): R {
          const t0 = nanoTime();
          try {
            return fn();
          } finally {
            segmentNanos += nanoTime() - t0;
            segments++;
          }
        },
      });
      made.add('initialize', nanoTime() - start - segmentNanos);
      made.add('build_leaf_collector', segmentNanos, segments);
      made.type = impl.type;
      if (impl.debug) made.debug = { ...impl.debug };
      if (impl.countsOnly) made.countsOnly = true;
      if (impl.deferred) made.deferred = impl.deferred;
      this.impls.set(made, impl);
    } else {
      impl = this.impls.get(node) as Implementation;
    }
    const frame: Frame = { node, spec, impl, singleBucket: parentFrame ? parentFrame.singleBucket && SINGLE_BUCKET.has(parentFrame.spec.type) : true };
    this.stack.push(frame);
    const start = nanoTime();
    // the pauses for other requests are not the aggregation's time (each level sees each pause once)
    let paused = 0n;
    let result: T;
    try {
      let step = steps.next();
      while (!step.done) {
        const pausedAt = nanoTime();
        yield;
        paused += nanoTime() - pausedAt;
        step = steps.next();
      }
      result = step.value;
    } finally {
      this.stack.pop();
    }
    node.add('collect', nanoTime() - start - paused, node.countsOnly ? 0 : docs.count);
    if (node.countsOnly) node.counts.set('collect', 0);
    const post = nanoTime();
    impl.collected?.(node, docs, result);
    node.add('post_collection', nanoTime() - post);
    const build = nanoTime();
    const rendered = render(result);
    const buildNanos = nanoTime() - build;
    node.add('build_aggregation', buildNanos);
    return rendered;
  }

  /** The profile of the shard's aggregations, with every node's final debug entries. */
  toJSON(): Array<Record<string, unknown>> {
    const finish = (n: AggProfileNode): void => {
      this.impls.get(n)?.finish?.(n);
      if (n.deferred.length > 0) n.debug = { deferred_aggregators: n.deferred, ...n.debug };
      n.children.forEach(finish);
    };
    this.roots.forEach(finish);
    for (const n of this.allNodes()) {
      // post_collection and build_aggregation happen once per aggregator in Elasticsearch, whatever the buckets
      for (const t of ['initialize', 'post_collection', 'build_aggregation'] as const) n.counts.set(t, 1);
      n.counts.set('reduce', 0);
    }
    return this.roots.map((r) => r.toJSON());
  }

  private *allNodes(): Generator<AggProfileNode> {
    const walk = function* (n: AggProfileNode): Generator<AggProfileNode> {
      yield n;
      for (const c of n.children) yield* walk(c);
    };
    for (const r of this.roots) yield* walk(r);
  }
}

/** Aggregations whose sub-aggregators collect into one bucket per parent bucket (CardinalityUpperBound stays ONE). */
const SINGLE_BUCKET = new Set(['global', 'filter', 'nested', 'reverse_nested', 'missing', 'sampler', 'diversified_sampler']);
