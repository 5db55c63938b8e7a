import { LucenePriorityQueue } from '../lucene-priority-queue.js';
/**
 * Lucene's Spans, one document at a time: `nextStartPosition()` walks the doc's matches in order
 * of start position, `startPosition()`/`endPosition()` are -1 before the first and
 * NO_MORE_POSITIONS after the last (end is exclusive), `width()` is what the match adds to the
 * sloppy frequency. A composite spans is built for one doc already matched (Lucene's two-phase
 * `matches()` has run and found a first match: `atFirst`), so every Spans a LeafSpans hands out
 * has at least one match. The algorithms (NearSpansOrdered, NearSpansUnordered, the SpanOr
 * position queue, FilterSpans, SpanNot, ContainSpans) are Lucene's, kept literal so that the
 * matches, their widths and so the scores are Lucene's.
 */
export const NO_MORE_POSITIONS = 0x7fffffff;

export abstract class Spans {
  abstract nextStartPosition(): number;
  abstract startPosition(): number;
  abstract endPosition(): number;
  abstract width(): number;
}

/** The positions of one term in one doc (TermSpans): each a one-position span of width 0. */
export class TermSpans extends Spans {
  private i = -1;
  private pos = -1;
  constructor(private readonly positions: Int32Array) {
    super();
  }
  nextStartPosition(): number {
    this.i++;
    this.pos = this.i < this.positions.length ? (this.positions[this.i] as number) : NO_MORE_POSITIONS;
    return this.pos;
  }
  startPosition(): number {
    return this.pos;
  }
  endPosition(): number {
    return this.pos === -1 ? -1 : this.pos === NO_MORE_POSITIONS ? NO_MORE_POSITIONS : this.pos + 1;
  }
  width(): number {
    return 0;
  }
}

/** SpanNearQuery.GapSpans: a run of `gapWidth` positions that fits anywhere. */
export class GapSpans extends Spans {
  private pos = -1;
  constructor(private readonly gapWidth: number) {
    super();
  }
  nextStartPosition(): number {
    return ++this.pos;
  }
  skipToPosition(position: number): number {
    return (this.pos = position);
  }
  startPosition(): number {
    return this.pos;
  }
  endPosition(): number {
    return this.pos + this.gapWidth;
  }
  width(): number {
    return this.gapWidth;
  }
}

/** Lucene's PriorityQueue of spans (ties break as Lucene breaks them). */
export class SpansQueue extends LucenePriorityQueue<Spans> {}

/** ConjunctionSpans: sub-spans all in the doc; `matchFirst()` is twoPhaseCurrentDocMatches. */
abstract class ConjunctionSpans extends Spans {
  atFirst = true;
  oneExhausted = false;
  constructor(readonly subSpans: Spans[]) {
    super();
  }
  abstract matchFirst(): boolean;
}

/** NearSpansOrdered: the subs in order, not overlapping, at most `allowedSlop` positions between them in all. */
export class NearSpansOrdered extends ConjunctionSpans {
  private matchStart = -1;
  private matchEnd = -1;
  private matchWidth = -1;
  constructor(
    private readonly allowedSlop: number,
    subSpans: Spans[],
  ) {
    super(subSpans);
  }
  matchFirst(): boolean {
    this.oneExhausted = false;
    while ((this.subSpans[0] as Spans).nextStartPosition() !== NO_MORE_POSITIONS && !this.oneExhausted) {
      if (this.stretchToOrder() && this.matchWidth <= this.allowedSlop) return (this.atFirst = true);
    }
    return false;
  }
  nextStartPosition(): number {
    if (this.atFirst) {
      this.atFirst = false;
      return this.matchStart;
    }
    this.oneExhausted = false;
    while ((this.subSpans[0] as Spans).nextStartPosition() !== NO_MORE_POSITIONS && !this.oneExhausted) {
      if (this.stretchToOrder() && this.matchWidth <= this.allowedSlop) return this.matchStart;
    }
    return (this.matchStart = this.matchEnd = NO_MORE_POSITIONS);
  }
  private stretchToOrder(): boolean {
    let prev = this.subSpans[0] as Spans;
    this.matchStart = prev.startPosition();
    this.matchWidth = 0;
    for (let i = 1; i < this.subSpans.length; i++) {
      const spans = this.subSpans[i] as Spans;
      if (advancePosition(spans, prev.endPosition()) === NO_MORE_POSITIONS) {
        this.oneExhausted = true;
        return false;
      }
      this.matchWidth += spans.startPosition() - prev.endPosition();
      prev = spans;
    }
    this.matchEnd = (this.subSpans[this.subSpans.length - 1] as Spans).endPosition();
    return true;
  }
  startPosition(): number {
    return this.atFirst ? -1 : this.matchStart;
  }
  endPosition(): number {
    return this.atFirst ? -1 : this.matchEnd;
  }
  width(): number {
    return this.matchWidth;
  }
}

function advancePosition(spans: Spans, position: number): number {
  if (spans instanceof GapSpans) return spans.skipToPosition(position);
  while (spans.startPosition() < position) spans.nextStartPosition();
  return spans.startPosition();
}

/** NearSpansUnordered: the subs in any order (overlaps allowed) within a window of `allowedSlop` free positions. */
export class NearSpansUnordered extends ConjunctionSpans {
  private readonly window: SpansQueue;
  private totalSpanLength = 0;
  private maxEndPosition = -1;
  constructor(
    private readonly allowedSlop: number,
    subSpans: Spans[],
  ) {
    super(subSpans);
    this.window = new SpansQueue(subSpans.length, (a, b) => a.startPosition() < b.startPosition() || (a.startPosition() === b.startPosition() && a.endPosition() < b.endPosition()));
  }
  private startDocument(): void {
    this.totalSpanLength = 0;
    this.maxEndPosition = -1;
    for (const spans of this.subSpans) {
      spans.nextStartPosition();
      this.window.add(spans);
      if (spans.endPosition() > this.maxEndPosition) this.maxEndPosition = spans.endPosition();
      this.totalSpanLength += spans.endPosition() - spans.startPosition();
    }
  }
  private nextPosition(): boolean {
    const top = this.window.top();
    let spanLength = top.endPosition() - top.startPosition();
    if (top.nextStartPosition() === NO_MORE_POSITIONS) return false;
    this.totalSpanLength -= spanLength;
    spanLength = top.endPosition() - top.startPosition();
    this.totalSpanLength += spanLength;
    if (top.endPosition() > this.maxEndPosition) this.maxEndPosition = top.endPosition();
    this.window.updateTop();
    return true;
  }
  private atMatch(): boolean {
    return this.maxEndPosition - this.window.top().startPosition() - this.totalSpanLength <= this.allowedSlop;
  }
  matchFirst(): boolean {
    this.startDocument();
    for (;;) {
      if (this.atMatch()) {
        this.atFirst = true;
        this.oneExhausted = false;
        return true;
      }
      if (!this.nextPosition()) return false;
    }
  }
  nextStartPosition(): number {
    if (this.atFirst) {
      this.atFirst = false;
      return this.window.top().startPosition();
    }
    for (;;) {
      if (!this.nextPosition()) {
        this.oneExhausted = true;
        return NO_MORE_POSITIONS;
      }
      if (this.atMatch()) return this.window.top().startPosition();
    }
  }
  startPosition(): number {
    return this.atFirst ? -1 : this.oneExhausted ? NO_MORE_POSITIONS : this.window.top().startPosition();
  }
  endPosition(): number {
    return this.atFirst ? -1 : this.oneExhausted ? NO_MORE_POSITIONS : this.maxEndPosition;
  }
  width(): number {
    return this.maxEndPosition - this.window.top().startPosition();
  }
}

/**
 * Lucene's ContainSpans: `big` and `little` positioned together, the matches those of `source`
 * (big for containing, little for within); subclasses say how to move to the next match.
 */
abstract class ContainSpans extends ConjunctionSpans {
  constructor(
    protected readonly big: Spans,
    protected readonly little: Spans,
    private readonly source: Spans,
  ) {
    super([big, little]);
  }
  protected abstract next(): number;
  matchFirst(): boolean {
    this.oneExhausted = false;
    if (this.next() === NO_MORE_POSITIONS) return false;
    return (this.atFirst = true);
  }
  nextStartPosition(): number {
    if (this.atFirst) {
      this.atFirst = false;
      return this.source.startPosition();
    }
    return this.next();
  }
  startPosition(): number {
    return this.atFirst ? -1 : this.oneExhausted ? NO_MORE_POSITIONS : this.source.startPosition();
  }
  endPosition(): number {
    return this.atFirst ? -1 : this.oneExhausted ? NO_MORE_POSITIONS : this.source.endPosition();
  }
  width(): number {
    return this.source.width();
  }
}

/** SpanContainingQuery's spans: `big` matches that contain a `little` match. */
export class ContainingSpans extends ContainSpans {
  constructor(big: Spans, little: Spans) {
    super(big, little, big);
  }
  protected next(): number {
    while (this.big.nextStartPosition() !== NO_MORE_POSITIONS) {
      while (this.little.startPosition() < this.big.startPosition()) {
        if (this.little.nextStartPosition() === NO_MORE_POSITIONS) {
          this.oneExhausted = true;
          return NO_MORE_POSITIONS;
        }
      }
      if (this.big.endPosition() >= this.little.endPosition()) return this.big.startPosition();
    }
    this.oneExhausted = true;
    return NO_MORE_POSITIONS;
  }
}

/** SpanWithinQuery's spans: `little` matches inside a `big` match. */
export class WithinSpans extends ContainSpans {
  constructor(big: Spans, little: Spans) {
    super(big, little, little);
  }
  protected next(): number {
    while (this.little.nextStartPosition() !== NO_MORE_POSITIONS) {
      while (this.big.endPosition() < this.little.endPosition()) {
        if (this.big.nextStartPosition() === NO_MORE_POSITIONS) {
          this.oneExhausted = true;
          return NO_MORE_POSITIONS;
        }
      }
      if (this.big.startPosition() <= this.little.startPosition()) return this.little.startPosition();
    }
    this.oneExhausted = true;
    return NO_MORE_POSITIONS;
  }
}

/** The union of the clauses' spans (SpanOrQuery's spans): a queue by start, then end position. */
export class OrSpans extends Spans {
  private readonly queue: SpansQueue;
  private topSpans: Spans | null = null;
  constructor(private readonly subs: Spans[]) {
    super();
    this.queue = new SpansQueue(subs.length, (a, b) => a.startPosition() < b.startPosition() || (a.startPosition() === b.startPosition() && a.endPosition() < b.endPosition()));
  }
  nextStartPosition(): number {
    if (this.topSpans === null) {
      for (const s of this.subs) {
        s.nextStartPosition();
        this.queue.add(s);
      }
      this.topSpans = this.queue.top();
    } else {
      this.topSpans.nextStartPosition();
      this.topSpans = this.queue.updateTop();
    }
    return this.topSpans.startPosition();
  }
  startPosition(): number {
    return this.topSpans === null ? -1 : this.topSpans.startPosition();
  }
  endPosition(): number {
    return this.topSpans === null ? -1 : this.topSpans.endPosition();
  }
  width(): number {
    return (this.topSpans as Spans).width();
  }
}

export const enum Accept {
  YES,
  NO,
  NO_MORE_IN_CURRENT_DOC,
}

/** FilterSpans: the matches of `inner` that `accept` keeps (span_first, span_not). */
export class FilterSpans extends Spans {
  private atFirst = false;
  private startPos = -1;
  constructor(
    private readonly inner: Spans,
    private readonly accept: (candidate: Spans) => Accept,
  ) {
    super();
  }
  /** twoPhaseCurrentDocMatches: moves to the first accepted match. */
  matchFirst(): boolean {
    this.atFirst = false;
    this.startPos = this.inner.nextStartPosition();
    for (;;) {
      switch (this.accept(this.inner)) {
        case Accept.YES:
          this.atFirst = true;
          return true;
        case Accept.NO:
          this.startPos = this.inner.nextStartPosition();
          if (this.startPos !== NO_MORE_POSITIONS) break;
          this.startPos = -1;
          return false;
        case Accept.NO_MORE_IN_CURRENT_DOC:
          this.startPos = -1;
          return false;
      }
    }
  }
  nextStartPosition(): number {
    if (this.atFirst) {
      this.atFirst = false;
      return this.startPos;
    }
    for (;;) {
      this.startPos = this.inner.nextStartPosition();
      if (this.startPos === NO_MORE_POSITIONS) return NO_MORE_POSITIONS;
      switch (this.accept(this.inner)) {
        case Accept.YES:
          return this.startPos;
        case Accept.NO:
          break;
        case Accept.NO_MORE_IN_CURRENT_DOC:
          return (this.startPos = NO_MORE_POSITIONS);
      }
    }
  }
  startPosition(): number {
    return this.atFirst ? -1 : this.startPos;
  }
  endPosition(): number {
    return this.atFirst ? -1 : this.startPos !== NO_MORE_POSITIONS ? this.inner.endPosition() : NO_MORE_POSITIONS;
  }
  width(): number {
    return this.inner.width();
  }
}

/** SpanFirstQuery's check: matches ending at or before `end`. */
export function firstAccept(end: number): (s: Spans) => Accept {
  return (s) => (s.startPosition() >= end ? Accept.NO_MORE_IN_CURRENT_DOC : s.endPosition() <= end ? Accept.YES : Accept.NO);
}

/**
 * SpanNotQuery's check: an include match is kept unless an exclude match (of the same doc, read
 * forward once) overlaps it widened by `pre` positions before and `post` after.
 */
export function notAccept(exclude: Spans | null, pre: number, post: number): (s: Spans) => Accept {
  return (candidate) => {
    if (exclude === null) return Accept.YES;
    if (exclude.startPosition() === -1) exclude.nextStartPosition();
    while (exclude.endPosition() <= candidate.startPosition() - pre) {
      if (exclude.nextStartPosition() === NO_MORE_POSITIONS) return Accept.YES;
    }
    return exclude.startPosition() - post >= candidate.endPosition() ? Accept.YES : Accept.NO;
  };
}

export { ConjunctionSpans };
