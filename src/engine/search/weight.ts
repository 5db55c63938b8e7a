import type { IndexView, SegmentView, TermPostings } from '../contract.js';
import { EngineError, unsupported } from '../errors.js';
import { PHRASE_FIELD_SUFFIX } from '../analysis/fixed-shingles.js';
import { DEFAULT_BM25, LUCENE_BM25 } from './similarity/bm25-similarity.js';
import type { CollectionStats, SimScorer, Similarity, TermStats } from './similarity/sim-scorer.js';
import { NO_NORMS_BYTE, segmentNorms } from './norms.js';
import { ConjunctionScorer, ReqExclScorer, ReqOptScorer, disjunction } from './boolean-scorers.js';
import { BoostingScorer, FunctionScoreScorer, NestedScorer } from './compound-scorers.js';
import type { SegmentFunction } from './compound-scorers.js';
import { combinedWeight } from './combined-field-weight.js';
import { intervalsWeight } from './intervals/interval-weight.js';
import { spanWeight } from './spans/span-weight.js';
import { PhraseScorer } from './phrase-scorer.js';
import type { PositionPostings } from './phrase-scorer.js';
import type { Primitive, PrimitiveOf, PrimitiveOp } from './primitive.js';
import { ScriptFilterScorer, ScriptScoreScorer } from './script/script-scorers.js';
import { AllScorer, ConstantScorer, DocListScorer, NO_MORE_DOCS, Scorer, TermScorer, TwoPhaseScorer } from './scorer.js';
import { activeProfiler } from './profile/query-profile.js';

/**
 * Weight: a primitive query with the index statistics attached (idf, avgdl, norm caches),
 * created once per search per index; `scorer(segment)` then iterates one segment.
 */
export interface Weight {
  /** null when nothing in the segment can match. */
  scorer(segment: SegmentView): Scorer | null;
}

/** Shared per (search, index): collection statistics and similarities per field. */
export class WeightContext {
  private readonly collections = new Map<string, CollectionStats | null>();
  private readonly sims = new Map<string, Similarity>();
  /** Elasticsearch's LegacyBM25Similarity (the (k1 + 1) factor); false: Lucene's BM25Similarity (a percolator's MemoryIndex). */
  legacyBm25 = true;
  constructor(
    readonly view: IndexView,
    readonly shardFailure: (reason: string, type?: string) => EngineError,
  ) {}

  /**
   * Lucene's CollectionStatistics of a field, or null when no document has it. Fields indexed
   * without freqs (keyword, index_options: docs) have sumTotalTermFreq = sumDocFreq in Lucene.
   */
  collectionStats(field: string): CollectionStats | null {
    let s = this.collections.get(field);
    if (s === undefined) {
      const st = this.view.fieldStats(field);
      s = st && st.docCount > 0 ? { docCount: st.docCount, sumTotalTermFreq: this.hasFreqs(field) ? st.sumTotalTermFreq : st.sumDocFreq, sumDocFreq: st.sumDocFreq } : null;
      this.collections.set(field, s);
    }
    return s;
  }

  /**
   * The similarity a field is scored with (PerFieldSimilarityWrapper over the mapping): the one its
   * mapping names, else the index's `default`, else BM25; the hidden `._index_phrase` field shares
   * its parent's.
   */
  similarity(field: string): Similarity {
    if (!this.legacyBm25) return LUCENE_BM25;
    let sim = this.sims.get(field);
    if (sim === undefined) {
      const service = this.view.similarities?.();
      const owner = field.endsWith(PHRASE_FIELD_SUFFIX) ? field.slice(0, -PHRASE_FIELD_SUFFIX.length) : field;
      const name = this.view.mapping.field(owner)?.similarity;
      sim = service ? ((name !== undefined ? service.get(name) : undefined) ?? service.defaultSimilarity) : DEFAULT_BM25;
      this.sims.set(field, sim);
    }
    return sim;
  }

  /** TermStatistics of a term; totalTermFreq (summed over the segments) only when the similarity reads it. */
  termStats(field: string, term: string, sim: Similarity, docFreq?: number, totalTermFreq?: number): TermStats {
    const df = docFreq ?? this.view.docFreq(field, term);
    if (totalTermFreq !== undefined) return { docFreq: df, totalTermFreq };
    if (!sim.needsTotalTermFreq || !this.hasFreqs(field)) return { docFreq: df, totalTermFreq: df };
    let ttf = 0;
    for (const seg of this.view.segments) ttf += seg.postings(field, term)?.totalTermFreq ?? 0;
    return { docFreq: df, totalTermFreq: ttf };
  }

  /** The field's similarity scorer for `boost` and the terms' statistics, or null when no document has the field. */
  simScorer(field: string, boost: number, terms: ReadonlyArray<{ term: string; docFreq?: number; totalTermFreq?: number }>): SimScorer | null {
    const collection = this.collectionStats(field);
    if (!collection) return null;
    const sim = this.similarity(field);
    return sim.scorer(boost, collection, terms.map((t) => this.termStats(field, t.term, sim, t.docFreq, t.totalTermFreq)));
  }

  /** Text fields index freqs and positions; keyword fields only docs (every freq reads as 1). */
  hasFreqs(field: string): boolean {
    return this.isText(field) && this.view.mapping.field(field)?.withoutPositions !== 'docs';
  }

  /** Norms: text fields have them; keyword and others are indexed without (null: norm byte 1). */
  norms(segment: SegmentView, field: string): Uint8Array | null {
    // `norms: false` and search_as_you_type's `._index_prefix`: indexed without norms
    return this.isText(field) && this.view.mapping.field(field)?.omitNorms !== true ? segmentNorms(segment, field) : null;
  }

  /** A text field, or the hidden shingle field of one with index_phrases (freqs, positions, norms). */
  private isText(field: string): boolean {
    if (this.view.mapping.field(field)?.type === 'text') return true;
    return field.endsWith(PHRASE_FIELD_SUFFIX) && this.view.mapping.field(field.slice(0, -PHRASE_FIELD_SUFFIX.length))?.indexPhrases === true;
  }
}

type Builder<K extends PrimitiveOp> = (p: PrimitiveOf<K>, ctx: WeightContext, needsScores: boolean) => Weight;

const NULL_WEIGHT: Weight = { scorer: () => null };

export function createWeight(p: Primitive, ctx: WeightContext, needsScores: boolean): Weight {
  const build = BUILDERS[p.op] as Builder<typeof p.op>;
  // `profile: true`: the weight and its scorers timed as Lucene's ProfileWeight / ProfileScorer
  const profiler = activeProfiler();
  if (profiler) return profiler.profileWeight(p, () => build(p as never, ctx, needsScores));
  return build(p as never, ctx, needsScores);
}

function termWeight(p: PrimitiveOf<'term'>, ctx: WeightContext): Weight {
  if (ctx.view.docFreq(p.field, p.term) === 0) return NULL_WEIGHT;
  const sim = ctx.simScorer(p.field, p.boost, [{ term: p.term, docFreq: p.docFreq, totalTermFreq: p.totalTermFreq }]);
  if (!sim) return NULL_WEIGHT;
  return {
    scorer(seg) {
      const post = seg.postings(p.field, p.term);
      if (!post || post.docs.length === 0) return null;
      return new TermScorer(post.docs, ctx.hasFreqs(p.field) ? post.freqs : null, sim, ctx.norms(seg, p.field));
    },
  };
}

/** Lucene SynonymQuery: one pseudo-term whose freq is the sum of its terms' freqs and df the max. */
class SynonymScorer extends Scorer {
  private readonly union: Scorer;
  constructor(
    private readonly subs: TermScorer[],
    private readonly sim: SimScorer,
    private readonly norms: Uint8Array | null,
  ) {
    super();
    this.union = disjunction(subs);
  }
  nextDoc(): number {
    return (this.doc = this.union.nextDoc());
  }
  advance(target: number): number {
    return (this.doc = this.union.advance(target));
  }
  score(): number {
    let freq = 0;
    for (const s of this.subs) if (s.doc === this.doc) freq += s.freq();
    return this.sim.score(freq, this.norms === null ? NO_NORMS_BYTE : (this.norms[this.doc] as number));
  }
  cost(): number {
    return this.union.cost();
  }
}

function synonymWeight(p: PrimitiveOf<'synonym'>, ctx: WeightContext): Weight {
  const sim = synonymSimScorer(p, ctx);
  if (!sim) return NULL_WEIGHT;
  return {
    scorer(seg) {
      const subs: TermScorer[] = [];
      for (const t of p.terms) {
        const post = seg.postings(p.field, t);
        if (post && post.docs.length > 0) subs.push(new TermScorer(post.docs, post.freqs, null, null));
      }
      return subs.length === 0 ? null : new SynonymScorer(subs, sim, ctx.norms(seg, p.field));
    },
  };
}

/**
 * SynonymQuery scores one pseudo-term: df is the max of its terms' df, totalTermFreq their sum
 * (SynonymWeight's mergeStats), or null when none of its terms is in the index.
 */
export function synonymSimScorer(p: PrimitiveOf<'synonym'>, ctx: WeightContext): SimScorer | null {
  const collection = ctx.collectionStats(p.field);
  if (!collection) return null;
  const sim = ctx.similarity(p.field);
  let docFreq = 0;
  let totalTermFreq = 0;
  for (const t of p.terms) {
    const st = ctx.termStats(p.field, t, sim);
    if (st.docFreq === 0) continue;
    docFreq = Math.max(docFreq, st.docFreq);
    totalTermFreq += st.totalTermFreq;
  }
  if (docFreq === 0) return null;
  return sim.scorer(p.boost, collection, [{ docFreq, totalTermFreq }]);
}

/** Union of several terms' postings with merged positions (a MultiPhraseQuery position). */
function unionPositions(list: TermPostings[]): PositionPostings {
  if (list.length === 1) {
    const only = list[0] as TermPostings;
    return { docs: only.docs, positions: only.positions ?? [] };
  }
  const byDoc = new Map<number, number[]>();
  for (const t of list) {
    t.docs.forEach((d, i) => {
      const ps = t.positions?.[i];
      const into = byDoc.get(d) ?? [];
      if (ps) for (const x of ps) into.push(x);
      byDoc.set(d, into);
    });
  }
  const docs = Int32Array.from([...byDoc.keys()].sort((a, b) => a - b));
  const positions = Array.from(docs, (d) => Int32Array.from((byDoc.get(d) ?? []).sort((a, b) => a - b)));
  return { docs, positions };
}

/**
 * PhraseWeight's similarity scorer: the statistics of every term of the phrase (every alternative
 * of a MultiPhraseQuery that exists; BM25 sums their idf, SimilarityBase sums the terms' scores),
 * or null when a position has no term in the index.
 */
export function phraseSimScorer(p: PrimitiveOf<'phrase'>, ctx: WeightContext): SimScorer | null {
  const collection = ctx.collectionStats(p.field);
  if (!collection) return null;
  const sim = ctx.similarity(p.field);
  const stats: TermStats[] = [];
  for (const alts of p.terms) {
    let any = false;
    for (const t of alts) {
      // MultiPhraseWeight only counts the statistics of terms that exist
      const st = ctx.termStats(p.field, t, sim);
      if (st.docFreq === 0) continue;
      any = true;
      stats.push(st);
    }
    if (!any) return null;
  }
  return sim.scorer(p.boost, collection, stats);
}

function phraseWeight(p: PrimitiveOf<'phrase'>, ctx: WeightContext): Weight {
  const sim = phraseSimScorer(p, ctx);
  if (!sim) return NULL_WEIGHT;
  return {
    scorer(seg) {
      const postings: PositionPostings[] = [];
      for (const alts of p.terms) {
        const found = alts.map((t) => seg.postings(p.field, t)).filter((x): x is TermPostings => !!x && x.docs.length > 0);
        if (found.length === 0) return null;
        if (found.some((x) => !x.positions)) {
          throw ctx.shardFailure(
            `field:[${p.field}] was indexed without position data; cannot run PhraseQuery (phrase=${p.field}:"${p.terms.map((a) => a.join('|')).join(' ')}")`,
            'illegal_state_exception',
          );
        }
        postings.push(unionPositions(found));
      }
      return new PhraseScorer(postings, p.positions, p.slop, sim, ctx.norms(seg, p.field), p.terms.map((alts) => alts.join('\u0000')));
    },
  };
}

function boolWeight(p: PrimitiveOf<'bool'>, ctx: WeightContext, needsScores: boolean): Weight {
  const must = p.must.map((c) => createWeight(p.boost === 1 ? c : scaled(c, p.boost), ctx, needsScores));
  const should = p.should.map((c) => createWeight(p.boost === 1 ? c : scaled(c, p.boost), ctx, needsScores));
  const filter = p.filter.map((c) => createWeight(c, ctx, false));
  const mustNot = p.mustNot.map((c) => createWeight(c, ctx, false));
  const pureNegative = must.length === 0 && filter.length === 0 && should.length === 0 && mustNot.length > 0;
  return {
    scorer(seg) {
      const required: Scorer[] = [];
      const scoring: Scorer[] = [];
      for (const w of must) {
        const s = w.scorer(seg);
        if (!s) return null;
        required.push(s);
        scoring.push(s);
      }
      for (const w of filter) {
        const s = w.scorer(seg);
        if (!s) return null;
        required.push(s);
      }
      if (pureNegative) required.push(new AllScorer(seg.maxDoc, 0));
      const optional: Scorer[] = [];
      for (const w of should) {
        const s = w.scorer(seg);
        if (s) optional.push(s);
      }
      const msm = p.msm > 0 ? p.msm : required.length === 0 ? 1 : 0;
      if (msm > optional.length) return null;
      let main: Scorer;
      if (required.length === 0) {
        if (optional.length === 0) return null;
        main = optional.length === 1 ? (optional[0] as Scorer) : disjunction(optional, msm);
      } else if (msm > 0) {
        const disj = optional.length === 1 ? (optional[0] as Scorer) : disjunction(optional, msm);
        main = new ConjunctionScorer([...required, disj], needsScores ? [...scoring, disj] : []);
      } else {
        const req = required.length === 1 && scoring.length === 1 ? (required[0] as Scorer) : new ConjunctionScorer(required, scoring);
        main = optional.length === 0 || !needsScores ? req : new ReqOptScorer(req, optional.length === 1 ? (optional[0] as Scorer) : disjunction(optional, 1));
      }
      const excl: Scorer[] = [];
      for (const w of mustNot) {
        const s = w.scorer(seg);
        if (s) excl.push(s);
      }
      if (excl.length > 0) main = new ReqExclScorer(main, excl.length === 1 ? (excl[0] as Scorer) : disjunction(excl, 1));
      return main;
    },
  };
}

/** Pushes a boost down to a clause, as Lucene's BoostQuery propagates through createWeight. */
function scaled(p: Primitive, boost: number): Primitive {
  if (p.op === 'none') return p;
  if (p.op === 'named') return { ...p, inner: scaled(p.inner, boost) };
  return { ...p, boost: p.boost * boost };
}

function functionScoreWeight(p: PrimitiveOf<'function_score'>, ctx: WeightContext, needsScores: boolean): Weight {
  const inner = createWeight(p.inner, ctx, true);
  const filters = p.functions.map((fn) => (fn.filter ? createWeight(fn.filter, ctx, false) : null));
  return {
    scorer(seg) {
      const s = inner.scorer(seg);
      if (!s) return null;
      const fns: SegmentFunction[] = p.functions.map((fn, i) => {
        const w = filters[i];
        const filter = w ? w.scorer(seg) : 'all';
        if (filter && filter !== 'all') filter.nextDoc();
        return { fn, filter };
      });
      const fail = (e: Error): never => {
        // ES throws a plain ElasticsearchException here: type `exception`, status 500
        throw new EngineError(500, 'exception', e.message);
      };
      return new FunctionScoreScorer(s, fns, seg, p.scoreMode, p.boostMode, p.maxBoost, p.minScore, needsScores || p.minScore !== undefined ? p.boost : 0, fail);
    },
  };
}

const BUILDERS: { [K in PrimitiveOp]: Builder<K> } = {
  all: (p) => ({ scorer: (seg) => new AllScorer(seg.maxDoc, p.boost) }),
  none: () => NULL_WEIGHT,
  term: (p, ctx, needsScores) => (needsScores ? termWeight(p, ctx) : filterTerm(p.field, p.term)),
  synonym: (p, ctx) => synonymWeight(p, ctx),
  phrase: (p, ctx) => phraseWeight(p, ctx),
  intervals: (p) => intervalsWeight(p),
  span: (p, ctx) => spanWeight(p, ctx),
  combined: (p, ctx) => combinedWeight(p, ctx),
  docs: (p) => {
    // profiled, a doc-values query iterates in two phases as Lucene's does, so its `match` steps are timed
    const twoPhase = activeProfiler() ? p.twoPhase : undefined;
    if (twoPhase) {
      return {
        scorer(seg) {
          const approximation = twoPhase.approximation(seg);
          return approximation.length > 0 ? new TwoPhaseScorer(approximation, twoPhase.matches(seg), p.boost) : null;
        },
      };
    }
    return docsWeight(p);
  },
  bool: boolWeight,
  dismax: (p, ctx, needsScores) => {
    const subs = p.subs.map((c) => createWeight(scaled(c, p.boost), ctx, needsScores));
    return {
      scorer(seg) {
        const ss = subs.map((w) => w.scorer(seg)).filter((s): s is Scorer => s !== null);
        if (ss.length === 0) return null;
        return ss.length === 1 ? (ss[0] as Scorer) : disjunction(ss, 1, p.tieBreaker);
      },
    };
  },
  const: (p, ctx) => {
    const inner = createWeight(p.inner, ctx, false);
    return {
      scorer(seg) {
        const s = inner.scorer(seg);
        return s ? new ConstantScorer(s, p.boost) : null;
      },
    };
  },
  boosting: (p, ctx, needsScores) => {
    const pos = createWeight(p.positive, ctx, needsScores);
    const neg = createWeight(p.negative, ctx, false);
    return {
      scorer(seg) {
        const s = pos.scorer(seg);
        if (!s) return null;
        const n = neg.scorer(seg);
        n?.nextDoc();
        return new BoostingScorer(s, n, p.negativeBoost, p.boost);
      },
    };
  },
  function_score: functionScoreWeight,
  nested: (p, ctx, needsScores) => {
    const childScores = needsScores && p.scoreMode !== 'none';
    // profiled: the child query's clauses are the nested node's children, as in Lucene
    const inner = activeProfiler() ? blockJoinChildWeight(p, ctx, childScores) : createWeight(p.inner, ctx, childScores);
    return {
      scorer(seg) {
        const s = inner.scorer(seg);
        return s ? new NestedScorer(s, seg, p.path, p.scoreMode, p.boost, needsScores && p.scoreMode !== 'none', p.parentPath) : null;
      },
    };
  },
  named: (p, ctx, needsScores) => createWeight(p.inner, ctx, needsScores),
  script_score: (p, ctx, needsScores) => {
    const inner = createWeight(p.inner, ctx, p.script.usesScore);
    return {
      scorer(seg) {
        const s = inner.scorer(seg);
        if (!s) return null;
        // in filter context without min_score the script does not run (ES: the inner query's matches)
        return needsScores || p.minScore !== undefined ? new ScriptScoreScorer(s, p.script, seg, p.boost, p.minScore) : s;
      },
    };
  },
  script_filter: (p) => ({ scorer: (seg) => new ScriptFilterScorer(seg, p.script, p.boost) }),
};

/**
 * The child weight of a profiled nested query, created as Lucene's ToParentBlockJoinQuery creates it:
 * its child query (the rewrite's BooleanQuery(+inner #_nested_path:path)) is created directly, not
 * through the searcher, so it is no profile node of its own and its clauses, the `_nested_path`
 * TermQuery included, are the nested node's children. Lucene rewrote +*:* #_nested_path:path to
 * ConstantScore(_nested_path:path); a child whose scores are not needed is created as
 * ConstantScore(#inner #_nested_path:path), whose BooleanQuery is a node. Where Elasticsearch adds
 * no path filter (`unfilteredChild`) the child is the inner query itself.
 */
function blockJoinChildWeight(p: PrimitiveOf<'nested'>, ctx: WeightContext, childScores: boolean): Weight {
  const child = p.inner;
  const [inner] = child.op === 'bool' ? child.must : [];
  const [path] = child.op === 'bool' ? child.filter : [];
  if (child.op !== 'bool' || !inner || !path) return createWeight(child, ctx, childScores);
  if (inner.op === 'all' && inner.boost === 1) return BUILDERS.const({ op: 'const', inner: path, boost: 1 }, ctx, childScores);
  if (activeProfiler()?.scoreModeKnown === false) throw unsupported('profile of a nested query in a search of size 0');
  // no path filter in Elasticsearch's child query (NestedHelper): the inner query, or ConstantScore over it
  // (the NestedScorer still keeps only this path's docs: the same ones)
  if (p.unfilteredChild) return childScores ? (BUILDERS[inner.op] as Builder<typeof inner.op>)(inner as never, ctx, true) : BUILDERS.const({ op: 'const', inner, boost: 1 }, ctx, false);
  if (childScores) return BUILDERS.bool(child, ctx, true);
  return BUILDERS.const({ op: 'const', inner: { op: 'bool', must: [], should: [], filter: [inner, path], mustNot: [], msm: 0, boost: 1 }, boost: 1 }, ctx, false);
}

function docsWeight(p: PrimitiveOf<'docs'>): Weight {
  return {
    scorer(seg) {
      const docs = p.match(seg);
      if (docs.length === 0) return null;
      return p.score ? new DocListScorer(docs, p.boost, p.score(seg)) : new DocListScorer(docs, p.boost);
    },
  };
}

/** A term in filter context: postings only, no statistics. */
function filterTerm(field: string, term: string): Weight {
  return {
    scorer(seg) {
      const post = seg.postings(field, term);
      return post && post.docs.length > 0 ? new DocListScorer(post.docs, 0) : null;
    },
  };
}

export { NO_MORE_DOCS };
