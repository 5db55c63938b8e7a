import type { SegmentView } from '../../contract.js';
import { firstAtLeast } from '../scorer.js';
import {
  ContainingSpans,
  FilterSpans,
  GapSpans,
  NearSpansOrdered,
  NearSpansUnordered,
  OrSpans,
  TermSpans,
  WithinSpans,
  firstAccept,
  notAccept,
} from './spans.js';
import type { ConjunctionSpans, Spans } from './spans.js';

/**
 * Lucene's SpanQuery tree once rewritten for one index (terms resolved, span_multi expanded):
 * `field` is getField(), `toString()` Lucene's toString(""), `collectTerms` the terms whose
 * statistics the weight sums (extractTermStates), and per segment a LeafSpans: the candidate docs
 * (a superset of the matches) and the spans of one doc, or null when the doc does not match.
 */
export interface LeafSpans {
  docs: Int32Array;
  at(doc: number): Spans | null;
}

/** A term the weight reads statistics of: `docFreq` given for terms of a hidden field (index_prefixes). */
export interface SpanTerm {
  field: string;
  term: string;
  docFreq?: number;
}

export interface SpanContext {
  /** Whether the field indexes positions (text fields). */
  hasPositions(field: string): boolean;
  /** Fails the shard as Lucene does for a field indexed without positions. */
  noPositions(field: string, term: string): never;
}

export abstract class SpanSource {
  abstract readonly field: string;
  abstract toString(): string;
  abstract collectTerms(out: SpanTerm[]): void;
  /** Leaf clauses as IndexSearcher's clause-count visitor counts them (every term, span_not's exclude too). */
  abstract leafCount(): number;
  abstract leaf(seg: SegmentView, ctx: SpanContext): LeafSpans | null;
  /** The source whose weight scores this one when it is outermost (a field mask scores as its query). */
  scoring(): SpanSource {
    return this;
  }
}

/** SpanTermQuery; `positionsOf` set for a term of a hidden field answered from the main field (index_prefixes). */
export class SpanTermSource extends SpanSource {
  constructor(
    readonly field: string,
    readonly term: string,
    private readonly prefixOf?: { mainField: string; docFreq: number },
  ) {
    super();
  }
  /** A term of a hidden prefix field (index_prefixes). */
  get hiddenPrefix(): boolean {
    return this.prefixOf !== undefined;
  }
  toString(): string {
    return `${this.field}:${this.term}`;
  }
  collectTerms(out: SpanTerm[]): void {
    out.push({ field: this.field, term: this.term, ...(this.prefixOf ? { docFreq: this.prefixOf.docFreq } : {}) });
  }
  leafCount(): number {
    return 1;
  }
  leaf(seg: SegmentView, ctx: SpanContext): LeafSpans | null {
    if (this.prefixOf) return prefixLeaf(seg, this.prefixOf.mainField, this.term, ctx);
    const post = seg.postings(this.field, this.term);
    if (!post || post.docs.length === 0) return null;
    // SpanTermQuery.getSpans: a field indexed without positions (keyword) fails the shard
    if (!ctx.hasPositions(this.field)) ctx.noPositions(this.field, this.term);
    const positions = post.positions ?? ctx.noPositions(this.field, this.term);
    return {
      docs: post.docs,
      at(doc) {
        const i = firstAtLeast(post.docs, 0, doc);
        return post.docs[i] === doc ? new TermSpans(positions[i] as Int32Array) : null;
      },
    };
  }
}

/** The positions of every term of `field` starting with `prefix`: what the hidden `._index_prefix` field holds for it. */
function prefixLeaf(seg: SegmentView, field: string, prefix: string, ctx: SpanContext): LeafSpans | null {
  const byDoc = new Map<number, number[]>();
  for (const t of seg.terms(field)) {
    if (!t.startsWith(prefix)) continue;
    const post = seg.postings(field, t);
    if (!post) continue;
    const positions = post.positions ?? ctx.noPositions(field, t);
    post.docs.forEach((d, i) => {
      const into = byDoc.get(d) ?? [];
      for (const p of positions[i] ?? []) into.push(p);
      byDoc.set(d, into);
    });
  }
  if (byDoc.size === 0) return null;
  const docs = Int32Array.from([...byDoc.keys()].sort((a, b) => a - b));
  return {
    docs,
    at(doc) {
      const ps = byDoc.get(doc);
      return ps ? new TermSpans(Int32Array.from(ps.sort((a, b) => a - b))) : null;
    },
  };
}

/** SpanMatchNoDocsQuery: a field, no match (span_multi whose query matches nothing). */
export class SpanNoneSource extends SpanSource {
  constructor(
    readonly field: string,
    private readonly reason: string,
  ) {
    super();
  }
  toString(): string {
    return `SpanMatchNoDocsQuery("${this.reason}")`;
  }
  collectTerms(): void {}
  leafCount(): number {
    return 1;
  }
  leaf(): LeafSpans | null {
    return null;
  }
}

/** SpanNearQuery.SpanGapQuery. */
export class SpanGapSource extends SpanSource {
  constructor(
    readonly field: string,
    private readonly width: number,
  ) {
    super();
  }
  toString(): string {
    return `SpanGap(${this.field}:${this.width})`;
  }
  collectTerms(): void {}
  leafCount(): number {
    return 1;
  }
  leaf(seg: SegmentView): LeafSpans {
    const width = this.width;
    return { docs: Int32Array.from({ length: seg.maxDoc }, (_, i) => i), at: () => new GapSpans(width) };
  }
}

/** Docs in every list (the conjunction's approximation). */
function intersect(lists: Int32Array[]): Int32Array {
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let out = sorted[0] as Int32Array;
  for (const l of sorted.slice(1)) out = out.filter((d) => l[firstAtLeast(l, 0, d)] === d);
  return out;
}

function union(lists: Int32Array[]): Int32Array {
  const set = new Set<number>();
  for (const l of lists) for (const d of l) set.add(d);
  return Int32Array.from([...set].sort((a, b) => a - b));
}

/** A conjunction's leaf: every sub must match the doc, then the spans' own first match decides. */
function conjunctionLeaf(subs: Array<LeafSpans | null>, make: (spans: Spans[]) => ConjunctionSpans): LeafSpans | null {
  if (subs.some((s) => s === null)) return null;
  const leaves = subs as LeafSpans[];
  return {
    docs: intersect(leaves.map((l) => l.docs)),
    at(doc) {
      const spans: Spans[] = [];
      for (const l of leaves) {
        const s = l.at(doc);
        if (!s) return null;
        spans.push(s);
      }
      const c = make(spans);
      return c.matchFirst() ? c : null;
    },
  };
}

/** SpanNearQuery: clauses within `slop`, in order or not. */
export class SpanNearSource extends SpanSource {
  constructor(
    readonly field: string,
    private readonly clauses: SpanSource[],
    private readonly slop: number,
    private readonly inOrder: boolean,
  ) {
    super();
  }
  toString(): string {
    return `spanNear([${this.clauses.map((c) => c.toString()).join(', ')}], ${this.slop}, ${this.inOrder})`;
  }
  collectTerms(out: SpanTerm[]): void {
    for (const c of this.clauses) c.collectTerms(out);
  }
  leafCount(): number {
    return this.clauses.reduce((n, c) => n + c.leafCount(), 0);
  }
  leaf(seg: SegmentView, ctx: SpanContext): LeafSpans | null {
    // SpanNearWeight: no match in a segment where the near's field has no terms
    if (seg.terms(this.field).length === 0) return null;
    const slop = this.slop;
    return conjunctionLeaf(
      this.clauses.map((c) => c.leaf(seg, ctx)),
      (spans) => (this.inOrder ? new NearSpansOrdered(slop, spans) : new NearSpansUnordered(slop, spans)),
    );
  }
}

/** SpanOrQuery: the union of its clauses' matches. */
export class SpanOrSource extends SpanSource {
  constructor(
    readonly field: string,
    private readonly clauses: SpanSource[],
  ) {
    super();
  }
  toString(): string {
    return `spanOr([${this.clauses.map((c) => c.toString()).join(', ')}])`;
  }
  collectTerms(out: SpanTerm[]): void {
    for (const c of this.clauses) c.collectTerms(out);
  }
  leafCount(): number {
    return this.clauses.reduce((n, c) => n + c.leafCount(), 0);
  }
  leaf(seg: SegmentView, ctx: SpanContext): LeafSpans | null {
    const leaves = this.clauses.map((c) => c.leaf(seg, ctx)).filter((l): l is LeafSpans => l !== null);
    if (leaves.length === 0) return null;
    if (leaves.length === 1) return leaves[0] as LeafSpans;
    return {
      docs: union(leaves.map((l) => l.docs)),
      at(doc) {
        const spans = leaves.map((l) => l.at(doc)).filter((s): s is Spans => s !== null);
        return spans.length === 0 ? null : new OrSpans(spans);
      },
    };
  }
}

/** SpanNotQuery: include matches not overlapping an exclude match (widened by pre/post). Only include's terms score. */
export class SpanNotSource extends SpanSource {
  constructor(
    private readonly include: SpanSource,
    private readonly exclude: SpanSource,
    private readonly pre: number,
    private readonly post: number,
  ) {
    super();
  }
  get field(): string {
    return this.include.field;
  }
  toString(): string {
    return `spanNot(${this.include.toString()}, ${this.exclude.toString()}, ${this.pre}, ${this.post})`;
  }
  collectTerms(out: SpanTerm[]): void {
    this.include.collectTerms(out);
  }
  leafCount(): number {
    return this.include.leafCount() + this.exclude.leafCount();
  }
  leaf(seg: SegmentView, ctx: SpanContext): LeafSpans | null {
    const include = this.include.leaf(seg, ctx);
    if (!include) return null;
    const exclude = this.exclude.leaf(seg, ctx);
    if (!exclude) return include;
    const { pre, post } = this;
    return {
      docs: include.docs,
      at(doc) {
        const inner = include.at(doc);
        if (!inner) return null;
        const f = new FilterSpans(inner, notAccept(exclude.at(doc), pre, post));
        return f.matchFirst() ? f : null;
      },
    };
  }
}

/** SpanFirstQuery: matches ending at or before position `end`. */
export class SpanFirstSource extends SpanSource {
  constructor(
    private readonly match: SpanSource,
    private readonly end: number,
  ) {
    super();
  }
  get field(): string {
    return this.match.field;
  }
  toString(): string {
    return `spanFirst(${this.match.toString()}, ${this.end})`;
  }
  collectTerms(out: SpanTerm[]): void {
    this.match.collectTerms(out);
  }
  leafCount(): number {
    return this.match.leafCount();
  }
  leaf(seg: SegmentView, ctx: SpanContext): LeafSpans | null {
    const inner = this.match.leaf(seg, ctx);
    if (!inner) return null;
    const accept = firstAccept(this.end);
    return {
      docs: inner.docs,
      at(doc) {
        const s = inner.at(doc);
        if (!s) return null;
        const f = new FilterSpans(s, accept);
        return f.matchFirst() ? f : null;
      },
    };
  }
}

/** SpanContainingQuery (big matches containing a little one) and SpanWithinQuery (little matches inside a big one). */
export class SpanContainSource extends SpanSource {
  constructor(
    private readonly kind: 'containing' | 'within',
    private readonly big: SpanSource,
    private readonly little: SpanSource,
  ) {
    super();
  }
  get field(): string {
    return this.big.field;
  }
  toString(): string {
    return `${this.kind === 'containing' ? 'SpanContaining' : 'SpanWithin'}(${this.big.toString()}, ${this.little.toString()})`;
  }
  collectTerms(out: SpanTerm[]): void {
    this.big.collectTerms(out);
    this.little.collectTerms(out);
  }
  leafCount(): number {
    return this.big.leafCount() + this.little.leafCount();
  }
  leaf(seg: SegmentView, ctx: SpanContext): LeafSpans | null {
    const big = this.big.leaf(seg, ctx);
    if (!big) return null;
    const little = this.little.leaf(seg, ctx);
    const kind = this.kind;
    return conjunctionLeaf([big, little], ([b, l]) => (kind === 'containing' ? new ContainingSpans(b as Spans, l as Spans) : new WithinSpans(b as Spans, l as Spans)));
  }
}

/** FieldMaskingSpanQuery: its query under another field's name; outermost, it scores as its query. */
export class SpanMaskSource extends SpanSource {
  constructor(
    private readonly inner: SpanSource,
    readonly field: string,
  ) {
    super();
  }
  toString(): string {
    return `mask(${this.inner.toString()}) as ${this.field}`;
  }
  collectTerms(out: SpanTerm[]): void {
    this.inner.collectTerms(out);
  }
  leafCount(): number {
    return this.inner.leafCount();
  }
  leaf(seg: SegmentView, ctx: SpanContext): LeafSpans | null {
    return this.inner.leaf(seg, ctx);
  }
  override scoring(): SpanSource {
    return this.inner.scoring();
  }
}
