import { unsupported } from '../../errors.js';
import type { Primitive } from '../primitive.js';
import { NO_MORE_DOCS, Scorer, TwoPhaseScorer } from '../scorer.js';
import type { Weight } from '../weight.js';

/**
 * The query profiler (Elasticsearch's QueryProfiler over Lucene's ProfileWeight and ProfileScorer):
 * every query the search builds a weight for becomes a node named as its Lucene query class, with
 * Lucene's toString as description, and the real time (process.hrtime) spent creating its weight,
 * building its scorers and in its scorers' next_doc, advance and score, and `match` for two-phase
 * scorers (doc-values queries: their approximation's steps are next_doc/advance). The operations the
 * engine's scorers never perform (two-phase iteration elsewhere, block-max `shallow_advance`/
 * `compute_max_score`, `set_min_competitive_score`, `count_weight`) stay at 0, as on a Lucene query
 * that does not use them.
 */

/** QueryTimingType, in Elasticsearch's order. */
export const QUERY_TIMINGS = ['create_weight', 'count_weight', 'build_scorer', 'next_doc', 'advance', 'match', 'score', 'shallow_advance', 'compute_max_score', 'set_min_competitive_score'] as const;
export type QueryTiming = (typeof QUERY_TIMINGS)[number];

export function nanoTime(): bigint {
  return process.hrtime.bigint();
}

export class ProfileNode {
  readonly times = new Map<QueryTiming, bigint>();
  readonly counts = new Map<QueryTiming, number>();
  readonly children: ProfileNode[] = [];
  constructor(
    readonly type: string,
    readonly description: string,
  ) {}

  add(timing: QueryTiming, nanos: bigint): void {
    this.times.set(timing, (this.times.get(timing) ?? 0n) + nanos);
    this.counts.set(timing, (this.counts.get(timing) ?? 0) + 1);
  }

  /** ProfileResult: time_in_nanos is the sum of the timings; children omitted when none. */
  toJSON(): Record<string, unknown> {
    const breakdown: Record<string, number> = {};
    let total = 0n;
    for (const timing of QUERY_TIMINGS) {
      const t = this.times.get(timing) ?? 0n;
      total += t;
      breakdown[timing] = Number(t);
      breakdown[`${timing}_count`] = this.counts.get(timing) ?? 0;
    }
    const out: Record<string, unknown> = { type: this.type, description: this.description, time_in_nanos: Number(total), breakdown };
    if (this.children.length > 0) out.children = this.children.map((c) => c.toJSON());
    return out;
  }
}

/** Lucene's ProfileScorer: times each call and counts it on the node. */
class ProfileScorer extends Scorer {
  constructor(
    private readonly inner: Scorer,
    private readonly node: ProfileNode,
  ) {
    super();
  }
  nextDoc(): number {
    const inner = this.inner;
    if (inner instanceof TwoPhaseScorer) return (this.doc = this.confirmed(this.timed('next_doc', () => inner.approximationNext()), inner));
    const start = nanoTime();
    this.doc = this.inner.nextDoc();
    this.node.add('next_doc', nanoTime() - start);
    return this.doc;
  }
  advance(target: number): number {
    const inner = this.inner;
    if (inner instanceof TwoPhaseScorer) return (this.doc = this.confirmed(this.timed('advance', () => inner.approximationAdvance(target)), inner));
    const start = nanoTime();
    this.doc = this.inner.advance(target);
    this.node.add('advance', nanoTime() - start);
    return this.doc;
  }
  /** A two-phase scorer's approximation walked until `matches` confirms a doc, each step timed on its own. */
  private confirmed(first: number, inner: TwoPhaseScorer): number {
    let doc = first;
    while (doc !== NO_MORE_DOCS && !this.timed('match', () => inner.matches())) doc = this.timed('next_doc', () => inner.approximationNext());
    return doc;
  }
  private timed<T>(timing: QueryTiming, fn: () => T): T {
    const start = nanoTime();
    try {
      return fn();
    } finally {
      this.node.add(timing, nanoTime() - start);
    }
  }
  score(): number {
    const start = nanoTime();
    const s = this.inner.score();
    this.node.add('score', nanoTime() - start);
    return s;
  }
  cost(): number {
    return this.inner.cost();
  }
}

function occur(prefix: string, q: Primitive): string {
  const inner = describe(q);
  return q.op === 'bool' ? `${prefix}(${inner.description})` : `${prefix}${inner.description}`;
}

/**
 * The Lucene class and toString of a rewritten query, for the kinds whose Lucene form the engine's
 * primitive keeps exactly; any other (boosts folded into clauses, multi-term rewrites, ...) is refused.
 */
export function describe(p: Primitive): { type: string; description: string } {
  const refuse = (what: string): never => {
    throw unsupported(`profile of ${what}`);
  };
  // a doc set whose Lucene query is known; boost 0 marks a pure filter (the nested path's), whose score is never read
  if (p.op === 'docs' && p.profile && (p.boost === 1 || p.boost === 0)) return p.profile;
  if ('boost' in p && p.boost !== 1) refuse('boosted queries');
  switch (p.op) {
    case 'all':
      return { type: 'MatchAllDocsQuery', description: '*:*' };
    case 'none':
      if (p.reason === undefined) return refuse('[none] queries');
      return { type: 'MatchNoDocsQuery', description: `MatchNoDocsQuery("${p.reason}")` };
    case 'term':
      if (p.docFreq !== undefined) refuse('blended term queries (fuzzy, cross_fields)');
      return { type: 'TermQuery', description: `${p.field}:${p.term}` };
    case 'synonym':
      return { type: 'SynonymQuery', description: `Synonym(${p.terms.map((t) => `${p.field}:${t}`).join(' ')})` };
    case 'phrase': {
      const consecutive = p.positions.every((pos, i) => pos === i);
      if (!consecutive || p.terms.some((alts) => alts.length !== 1)) refuse('phrase queries with gaps or alternatives');
      return { type: 'PhraseQuery', description: `${p.field}:"${p.terms.map((alts) => alts[0]).join(' ')}"${p.slop > 0 ? `~${p.slop}` : ''}` };
    }
    case 'const':
      return { type: 'ConstantScoreQuery', description: `ConstantScore(${describe(p.inner).description})` };
    case 'docs':
      return refuse('[docs] queries');
    case 'nested':
      return { type: 'ESToParentBlockJoinQuery', description: `ToParentBlockJoinQuery (${blockJoinChild(p)})` };
    case 'bool': {
      // BoolQueryBuilder adds must, must_not, should, then filter clauses
      const parts = [...p.must.map((c) => occur('+', c)), ...p.mustNot.map((c) => occur('-', c)), ...p.should.map((c) => occur('', c)), ...p.filter.map((c) => occur('#', c))];
      const text = parts.join(' ');
      return { type: 'BooleanQuery', description: p.msm > 0 ? `(${text})~${p.msm}` : text };
    }
    default:
      return refuse(`[${p.op}] queries`);
  }
}

/**
 * The toString of a nested query's rewritten child query (NestedQueryBuilder: the inner query filtered
 * by the `_nested_path` term, BooleanQuery(+inner #_nested_path:path), which Lucene rewrites to
 * ConstantScore(_nested_path:path) when the inner query is match_all; the inner query alone when it
 * can only match the path's docs). Inner queries that Lucene's
 * BooleanQuery would rewrite further (bool, constant_score, ...) are refused.
 */
function blockJoinChild(p: Extract<Primitive, { op: 'nested' }>): string {
  const child = p.inner;
  const [inner] = child.op === 'bool' ? child.must : [];
  const [path] = child.op === 'bool' ? child.filter : [];
  if (child.op !== 'bool' || !inner || !path || child.must.length !== 1 || child.filter.length !== 1 || child.should.length + child.mustNot.length > 0) {
    throw unsupported('profile of this nested query');
  }
  const filter = describe(path).description;
  if (inner.op === 'all' && inner.boost === 1) return `ConstantScore(${filter})`;
  if (!NESTED_INNER.has(inner.op)) throw unsupported(`profile of nested queries over [${inner.op}] queries`);
  // a term on a field of this nested path only: Elasticsearch adds no path filter
  if (p.unfilteredChild) return describe(inner).description;
  return `+${describe(inner).description} #${filter}`;
}

/** The inner queries a nested query's child keeps as they are in BooleanQuery(+inner #_nested_path:path). */
const NESTED_INNER = new Set<Primitive['op']>(['term', 'synonym', 'phrase', 'docs', 'nested']);

/** One shard's query profile: the tree of nodes as weights are created (children while their parent's weight is built). */
export class QueryProfiler {
  readonly roots: ProfileNode[] = [];
  /**
   * @param scoreModeKnown whether the engine's `needsScores` is the score mode Lucene creates the
   *   weights with (not for size 0, where the aggregations decide it): a tree whose shape depends on
   *   it (a nested query's child) is refused otherwise.
   */
  constructor(readonly scoreModeKnown = true) {}
  private readonly stack: ProfileNode[] = [];
  rewriteNanos = 0n;
  collectNanos = 0n;

  /** Lucene's ContextIndexSearcher.createWeight under a profiler: times `build` and wraps the weight. */
  profileWeight(p: Primitive, build: () => Weight): Weight {
    const { type, description } = describe(p);
    const node = new ProfileNode(type, description);
    (this.stack[this.stack.length - 1]?.children ?? this.roots).push(node);
    this.stack.push(node);
    const start = nanoTime();
    let weight: Weight;
    try {
      weight = build();
    } finally {
      node.add('create_weight', nanoTime() - start);
      this.stack.pop();
    }
    return {
      scorer(segment) {
        const t0 = nanoTime();
        const scorer = weight.scorer(segment);
        node.add('build_scorer', nanoTime() - t0);
        return scorer ? new ProfileScorer(scorer, node) : null;
      },
    };
  }

  /** The time the query's scorers spent (what the collectors' own time excludes). */
  scorerNanos(): bigint {
    let total = 0n;
    for (const root of this.roots) for (const timing of ['next_doc', 'advance', 'score'] as const) total += root.times.get(timing) ?? 0n;
    return total;
  }
}

let active: QueryProfiler | undefined;

/** Runs `fn` with `profiler` receiving every weight created meanwhile (the main query's, on one shard). */
export function withProfiler<T>(profiler: QueryProfiler, fn: () => T): T {
  const previous = active;
  active = profiler;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** The profiler the weights being created report to, if any. */
export function activeProfiler(): QueryProfiler | undefined {
  return active;
}
