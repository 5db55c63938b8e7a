import type { SegmentView } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { MAX_CLAUSE_COUNT } from '../clause-limit.js';
import { firstAtLeast } from '../scorer.js';
import {
  BlockIterator,
  DisjunctionIterator,
  DuplicateIterator,
  ExtendedIterator,
  FilterIterator,
  OffsetIterator,
  OrderedIterator,
  RelationIterator,
  UnorderedIterator,
} from './combined-iterators.js';
import type { Relation } from './combined-iterators.js';
import { TermIntervalIterator } from './interval-iterator.js';
import type { IntervalIterator } from './interval-iterator.js';

/**
 * Lucene's IntervalsSource tree, built with Lucene's factory rewrites (`Intervals.phrase`,
 * `ordered`, `unordered`, `or`, `maxgaps`, `containing`, ...): flattening, repeated sources,
 * disjunctions pulled up through gap-sensitive sources. `key` stands for Lucene's equals.
 *
 * Per segment a source gives a `LeafIntervals`: the candidate docs (a superset of the matches,
 * Lucene's approximation) and an iterator over one doc's intervals.
 */
export interface LeafIntervals {
  docs: Int32Array;
  /** The doc's intervals, or null when the doc is not a candidate. */
  at(doc: number): IntervalIterator | null;
}

export abstract class IntervalsSource {
  abstract readonly key: string;
  abstract leaf(seg: SegmentView): LeafIntervals | null;
  abstract minExtent(): number;
  pullUpDisjunctions(): IntervalsSource[] {
    return [this];
  }
}

/** A term's positions, from the postings of `field`. */
export class TermSource extends IntervalsSource {
  readonly key: string;
  constructor(
    readonly field: string,
    readonly term: string,
    private readonly noPositions: (field: string) => never,
  ) {
    super();
    this.key = `T(${field}:${term})`;
  }
  leaf(seg: SegmentView): LeafIntervals | null {
    return termLeaf(seg, this.field, this.term, this.noPositions);
  }
  minExtent(): number {
    return 1;
  }
}

function termLeaf(seg: SegmentView, field: string, term: string, noPositions: (field: string) => never): LeafIntervals | null {
  const post = seg.postings(field, term);
  if (!post || post.docs.length === 0) return null;
  const positions = post.positions ?? noPositions(field);
  return {
    docs: post.docs,
    at(doc) {
      const i = firstAtLeast(post.docs, 0, doc);
      return post.docs[i] === doc ? new TermIntervalIterator(positions[i] as Int32Array) : null;
    },
  };
}

/**
 * Every term of `field` a predicate accepts, as one disjunction (Lucene's
 * MultiTermIntervalsSource): more than `maxExpansions` terms in a segment is an error.
 */
export class MultiTermSource extends IntervalsSource {
  readonly key: string;
  constructor(
    readonly field: string,
    private readonly pattern: string,
    private readonly accept: (term: string) => boolean,
    private readonly noPositions: (field: string) => never,
    private readonly maxExpansions = MAX_CLAUSE_COUNT,
  ) {
    super();
    this.key = `MT(${field}:${pattern})`;
  }
  leaf(seg: SegmentView): LeafIntervals | null {
    const leaves: LeafIntervals[] = [];
    for (const t of seg.terms(this.field)) {
      if (!this.accept(t)) continue;
      const l = termLeaf(seg, this.field, t, this.noPositions);
      if (!l) continue;
      leaves.push(l);
      if (leaves.length > this.maxExpansions) {
        throw new EngineError(500, 'illegal_state_exception', `Automaton [${this.pattern}] expanded to too many terms (limit ${this.maxExpansions})`);
      }
    }
    return disjunctionLeaf(leaves, seg.maxDoc);
  }
  minExtent(): number {
    return 1;
  }
}

function disjunctionLeaf(leaves: LeafIntervals[], maxDoc: number): LeafIntervals | null {
  if (leaves.length === 0) return null;
  if (leaves.length === 1) return leaves[0] as LeafIntervals;
  return {
    docs: unionDocs(leaves.map((l) => l.docs), maxDoc),
    at(doc) {
      const its: IntervalIterator[] = [];
      for (const l of leaves) {
        const it = l.at(doc);
        if (it) its.push(it);
      }
      return its.length === 0 ? null : new DisjunctionIterator(its);
    },
  };
}

function unionDocs(lists: Int32Array[], maxDoc: number): Int32Array {
  const hit = new Uint8Array(maxDoc);
  let n = 0;
  for (const l of lists) {
    for (const d of l) {
      if (hit[d] === 0) {
        hit[d] = 1;
        n++;
      }
    }
  }
  const out = new Int32Array(n);
  let k = 0;
  for (let d = 0; d < maxDoc; d++) if (hit[d] === 1) out[k++] = d;
  return out;
}

function intersectDocs(lists: Int32Array[]): Int32Array {
  let acc = lists[0] as Int32Array;
  for (let i = 1; i < lists.length; i++) {
    const other = lists[i] as Int32Array;
    acc = acc.filter((d) => other[firstAtLeast(other, 0, d)] === d);
  }
  return acc;
}

/** Lucene's DisjunctionIntervalsSource: nested disjunctions flattened, duplicates dropped. */
export class DisjunctionSource extends IntervalsSource {
  readonly key: string;
  private constructor(readonly subs: IntervalsSource[]) {
    super();
    this.key = `OR(${subs.map((s) => s.key).sort().join(',')})`;
  }
  /** `Intervals.or`. */
  static of(sources: IntervalsSource[]): IntervalsSource {
    const simplified = new Map<string, IntervalsSource>();
    for (const s of sources) {
      for (const x of s instanceof DisjunctionSource ? s.pullUpDisjunctions() : [s]) if (!simplified.has(x.key)) simplified.set(x.key, x);
    }
    const subs = [...simplified.values()];
    if (subs.length === 1) return subs[0] as IntervalsSource;
    return new DisjunctionSource(subs);
  }
  leaf(seg: SegmentView): LeafIntervals | null {
    const leaves = this.subs.map((s) => s.leaf(seg)).filter((l): l is LeafIntervals => l !== null);
    return disjunctionLeaf(leaves, seg.maxDoc);
  }
  minExtent(): number {
    return Math.min(...this.subs.map((s) => s.minExtent()));
  }
  override pullUpDisjunctions(): IntervalsSource[] {
    return this.subs;
  }
}

/** A source whose doc iterators combine its sub-sources' on docs where all of them are candidates. */
abstract class ConjunctionSource extends IntervalsSource {
  constructor(readonly subs: IntervalsSource[]) {
    super();
  }
  protected abstract combine(its: IntervalIterator[]): IntervalIterator;
  leaf(seg: SegmentView): LeafIntervals | null {
    const leaves: LeafIntervals[] = [];
    for (const s of this.subs) {
      const l = s.leaf(seg);
      if (!l) return null;
      leaves.push(l);
    }
    return {
      docs: intersectDocs(leaves.map((l) => l.docs)),
      at: (doc) => {
        const its: IntervalIterator[] = [];
        for (const l of leaves) {
          const it = l.at(doc);
          if (!it) return null;
          its.push(it);
        }
        return this.combine(its);
      },
    };
  }
  minExtent(): number {
    return this.subs.reduce((n, s) => n + s.minExtent(), 0);
  }
}

/**
 * Disjunctions.pullUp: FUNC(a, OR(b, "c d")) -> [FUNC(a, b), FUNC(a, "c d")], the one-position
 * alternatives kept together as one OR.
 */
function pullUp(sources: IntervalsSource[], fn: (subs: IntervalsSource[]) => IntervalsSource): IntervalsSource[] {
  let rewritten: IntervalsSource[][] = [[]];
  for (const source of sources) {
    const disjuncts = splitDisjunctions(source);
    if (disjuncts.length === 1) {
      for (const l of rewritten) l.push(disjuncts[0] as IntervalsSource);
    } else {
      if (rewritten.length * disjuncts.length > MAX_CLAUSE_COUNT) throw new EngineError(400, 'illegal_argument_exception', 'Too many disjunctions to expand');
      const next: IntervalsSource[][] = [];
      for (const d of disjuncts) for (const l of rewritten) next.push([...l, d]);
      rewritten = next;
    }
  }
  return rewritten.map(fn);
}

function splitDisjunctions(source: IntervalsSource): IntervalsSource[] {
  const singletons: IntervalsSource[] = [];
  const others: IntervalsSource[] = [];
  for (const d of source.pullUpDisjunctions()) (d.minExtent() === 1 ? singletons : others).push(d);
  return [...(singletons.length > 0 ? [DisjunctionSource.of(singletons)] : []), ...others];
}

/** `Intervals.phrase`: BLOCK with the disjunctions pulled up. */
export function phrase(sources: IntervalsSource[]): IntervalsSource {
  if (sources.length === 1) return sources[0] as IntervalsSource;
  return DisjunctionSource.of(pullUp(sources, (subs) => new BlockSource(subs)));
}

class BlockSource extends ConjunctionSource {
  readonly key: string;
  constructor(subs: IntervalsSource[]) {
    super(subs.flatMap((s) => (s instanceof BlockSource ? s.subs : [s])));
    this.key = `BLOCK(${this.subs.map((s) => s.key).join(',')})`;
  }
  protected combine(its: IntervalIterator[]): IntervalIterator {
    return new BlockIterator(its);
  }
}

/** `Intervals.ordered` / `Intervals.unordered`: flattened, equal neighbours (ordered) or equal sources (unordered) repeated. */
export function ordered(sources: IntervalsSource[]): IntervalsSource {
  if (sources.length === 1) return sources[0] as IntervalsSource;
  const flat = sources.flatMap((s) => (s instanceof MinimizingSource && s.ordered ? s.subs : [s]));
  const runs: Array<{ source: IntervalsSource; count: number }> = [];
  for (const s of flat) {
    const last = runs[runs.length - 1];
    if (last && last.source.key === s.key) last.count++;
    else runs.push({ source: s, count: 1 });
  }
  return minimizing(true, runs);
}

export function unordered(sources: IntervalsSource[]): IntervalsSource {
  if (sources.length === 1) return sources[0] as IntervalsSource;
  const flat = sources.flatMap((s) => (s instanceof MinimizingSource && !s.ordered ? s.subs : [s]));
  const counts = new Map<string, { source: IntervalsSource; count: number }>();
  for (const s of flat) {
    const c = counts.get(s.key);
    if (c) c.count++;
    else counts.set(s.key, { source: s, count: 1 });
  }
  return minimizing(false, [...counts.values()]);
}

function minimizing(isOrdered: boolean, runs: Array<{ source: IntervalsSource; count: number }>): IntervalsSource {
  const subs = runs.map((r) => (r.count === 1 ? r.source : new RepeatingSource(r.source, r.count)));
  // a single repeated source stands alone (Lucene names it ORDERED/UNORDERED, same iterator)
  if (subs.length === 1) return subs[0] as IntervalsSource;
  return new MinimizingSource(isOrdered, subs);
}

class MinimizingSource extends ConjunctionSource {
  readonly key: string;
  constructor(
    readonly ordered: boolean,
    subs: IntervalsSource[],
  ) {
    super(subs);
    this.key = `${ordered ? 'ORDERED' : 'UNORDERED'}(${subs.map((s) => s.key).join(',')})`;
  }
  protected combine(its: IntervalIterator[]): IntervalIterator {
    return this.ordered ? new OrderedIterator(its) : new UnorderedIterator(its);
  }
  override pullUpDisjunctions(): IntervalsSource[] {
    return pullUp(this.subs, (subs) => new MinimizingSource(this.ordered, subs));
  }
}

class RepeatingSource extends IntervalsSource {
  readonly key: string;
  constructor(
    private readonly inner: IntervalsSource,
    private readonly copies: number,
  ) {
    super();
    this.key = `REPEAT(${inner.key},${copies})`;
  }
  leaf(seg: SegmentView): LeafIntervals | null {
    const l = this.inner.leaf(seg);
    if (!l) return null;
    return { docs: l.docs, at: (doc) => wrap(l.at(doc), (it) => new DuplicateIterator(it, this.copies)) };
  }
  minExtent(): number {
    return this.inner.minExtent();
  }
}

const wrap = (it: IntervalIterator | null, fn: (it: IntervalIterator) => IntervalIterator): IntervalIterator | null => (it === null ? null : fn(it));

/** `Intervals.maxgaps`: a MAXGAPS filter over each pulled-up disjunct. */
export function maxGaps(source: IntervalsSource, gaps: number): IntervalsSource {
  return DisjunctionSource.of(source.pullUpDisjunctions().map((s) => new MaxGapsSource(s, gaps)));
}

class MaxGapsSource extends IntervalsSource {
  readonly key: string;
  constructor(
    private readonly inner: IntervalsSource,
    private readonly gaps: number,
  ) {
    super();
    this.key = `MAXGAPS/${gaps}(${inner.key})`;
  }
  leaf(seg: SegmentView): LeafIntervals | null {
    const l = this.inner.leaf(seg);
    if (!l) return null;
    return { docs: l.docs, at: (doc) => wrap(l.at(doc), (it) => new FilterIterator(it, (x) => x.gaps() <= this.gaps)) };
  }
  minExtent(): number {
    return this.inner.minExtent();
  }
}

/** `Intervals.extend`: positions added before/after (a stop word's hole in a phrase). */
export class ExtendedSource extends IntervalsSource {
  readonly key: string;
  constructor(
    private readonly inner: IntervalsSource,
    private readonly before: number,
    private readonly after: number,
  ) {
    super();
    this.key = `EXTEND(${inner.key},${before},${after})`;
  }
  leaf(seg: SegmentView): LeafIntervals | null {
    const l = this.inner.leaf(seg);
    if (!l) return null;
    return { docs: l.docs, at: (doc) => wrap(l.at(doc), (it) => new ExtendedIterator(it, this.before, this.after)) };
  }
  minExtent(): number {
    const n = this.before + this.inner.minExtent() + this.after;
    return n > 0x7fffffff ? 0x7fffffff : n;
  }
  override pullUpDisjunctions(): IntervalsSource[] {
    const inner = this.inner.pullUpDisjunctions();
    if (inner.length === 0) return [this];
    return inner.map((s) => new ExtendedSource(s, this.before, this.after));
  }
}

class OffsetSource extends IntervalsSource {
  readonly key: string;
  constructor(
    private readonly inner: IntervalsSource,
    private readonly before: boolean,
  ) {
    super();
    this.key = `${before ? 'PRECEDING' : 'FOLLOWING'}(${inner.key})`;
  }
  leaf(seg: SegmentView): LeafIntervals | null {
    const l = this.inner.leaf(seg);
    if (!l) return null;
    return { docs: l.docs, at: (doc) => wrap(l.at(doc), (it) => new OffsetIterator(it, this.before)) };
  }
  minExtent(): number {
    return 1;
  }
}

/** One of ES's interval filters between `source` and `reference`, as Lucene's Intervals factories build it. */
export type FilterType = Relation | 'before' | 'after';

export function relate(type: FilterType, source: IntervalsSource, reference: IntervalsSource): IntervalsSource {
  switch (type) {
    case 'before':
      return relate('contained_by', source, new ExtendedSource(new OffsetSource(reference, true), 0x7fffffff, 0));
    case 'after':
      return relate('contained_by', source, new ExtendedSource(new OffsetSource(reference, false), 0, 0x7fffffff));
    case 'containing':
    case 'not_containing':
      // pulled up over the big (minuend) side
      return DisjunctionSource.of(splitDisjunctions(source).map((s) => new RelationSource(type, s, reference)));
    case 'contained_by':
    case 'not_contained_by':
      return DisjunctionSource.of(splitDisjunctions(reference).map((r) => new RelationSource(type, source, r)));
    case 'overlapping':
      return new RelationSource(type, source, reference);
    case 'not_overlapping':
      return new RelationSource(type, source, reference);
  }
}

class RelationSource extends IntervalsSource {
  readonly key: string;
  constructor(
    private readonly relation: Relation,
    private readonly a: IntervalsSource,
    private readonly b: IntervalsSource,
  ) {
    super();
    this.key = `${relation.toUpperCase()}(${a.key},${b.key})`;
  }
  leaf(seg: SegmentView): LeafIntervals | null {
    const la = this.a.leaf(seg);
    if (!la) return null;
    const lb = this.b.leaf(seg);
    const negative = this.relation.startsWith('not_');
    if (!lb && !negative) return null;
    return {
      docs: negative || !lb ? la.docs : intersectDocs([la.docs, lb.docs]),
      at: (doc) => {
        const a = la.at(doc);
        if (!a) return null;
        const b = lb ? lb.at(doc) : null;
        if (!b && !negative) return null;
        return new RelationIterator(this.relation, a, b);
      },
    };
  }
  minExtent(): number {
    return this.a.minExtent();
  }
  override pullUpDisjunctions(): IntervalsSource[] {
    switch (this.relation) {
      case 'containing':
        return pullUpOne(this.a, (s) => new RelationSource(this.relation, s, this.b));
      case 'contained_by':
        return pullUpOne(this.b, (s) => new RelationSource(this.relation, this.a, s));
      case 'overlapping':
        return pullUp([this.a, this.b], (ss) => new RelationSource(this.relation, ss[0] as IntervalsSource, ss[1] as IntervalsSource));
      default:
        return [this];
    }
  }
}

function pullUpOne(source: IntervalsSource, fn: (s: IntervalsSource) => IntervalsSource): IntervalsSource[] {
  return splitDisjunctions(source).map(fn);
}
