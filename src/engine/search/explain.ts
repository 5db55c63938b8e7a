import { unsupported } from '../errors.js';
import type { SegmentView } from '../contract.js';
import { bm25AvgFieldLength, bm25Idf } from './bm25.js';
import { Bm25Similarity } from './similarity/bm25-similarity.js';
import type { SimScorer } from './similarity/sim-scorer.js';
import { javaFloat } from './float-format.js';
import { NO_NORMS_BYTE } from './norms.js';
import { intervalsFreq } from './intervals/interval-weight.js';
import { spanFreq, spanTermStats } from './spans/span-weight.js';
import { PhraseScorer } from './phrase-scorer.js';
import type { Primitive, PrimitiveOf } from './primitive.js';
import { LENGTH_TABLE } from './small-float.js';
import { createWeight, phraseSimScorer, synonymSimScorer } from './weight.js';
import type { WeightContext } from './weight.js';

/**
 * `explain: true`: an Elasticsearch-shaped explanation tree, best effort. Values are the
 * engine's real scores (each node re-scored on the doc); BM25 term, synonym and phrase nodes carry
 * LegacyBM25Similarity's details as Elasticsearch 8 prints them (boost * (k1 + 1), idf from n and N,
 * tf from freq, k1, b, dl, avgdl). Other nodes summarise.
 */
export interface Explanation {
  value: number;
  description: string;
  details: Explanation[];
}

const f = Math.fround;

const node = (value: number, description: string, details: Explanation[] = []): Explanation => ({ value: javaFloat(value), description, details });

function scoreOn(p: Primitive, ctx: WeightContext, seg: SegmentView, doc: number): number | null {
  const s = createWeight(p, ctx, true).scorer(seg);
  if (!s || s.advance(doc) !== doc) return null;
  return s.score();
}

function pushBoost(p: Primitive, boost: number): Primitive {
  if (boost === 1 || p.op === 'none') return p;
  if (p.op === 'named') return { ...p, inner: pushBoost(p.inner, boost) };
  return { ...p, boost: p.boost * boost };
}

/** Float.toString of a Java float, as Lucene writes freq values into descriptions ("1.0", "0.5"). */
function floatText(x: number): string {
  const v = javaFloat(x);
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** BM25Similarity's idf explanation of one term (n documents of N). */
function idfExplanation(n: number, N: number): Explanation {
  return node(bm25Idf(n, N), 'idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:', [
    node(n, 'n, number of documents containing term'),
    node(N, 'N, total number of documents with field'),
  ]);
}

/**
 * LegacyBM25Similarity's explanation of one scored doc, as Elasticsearch 8 prints it: the boost
 * detail is boost * (k1 + 1), then idf and BM25Similarity's tf. `freq` is the term frequency
 * (or phrase frequency) with its description; `norm` the doc's one-byte length.
 */
function bm25Explanation(sim: Bm25Similarity, value: number, freq: Explanation, boost: number, idf: Explanation, avgdl: number, norm: number): Explanation {
  const dl = LENGTH_TABLE[norm] ?? 1;
  const { k1, b } = sim;
  const tf = freq.value / (freq.value + f(k1 * f(f(1 - b) + f(f(b * dl) / avgdl))));
  const boosted = sim.boosted(boost);
  return node(value, `score(freq=${floatText(freq.value)}), computed as boost * idf * tf from:`, [
    ...(boosted !== 1 ? [node(boosted, 'boost')] : []),
    idf,
    node(tf, 'tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:', [
      freq,
      node(k1, 'k1, term saturation parameter'),
      node(b, 'b, length normalization parameter'),
      // Lucene labels every norm byte past 39 approximate (lengths are exact below it)
      node(dl, norm > 39 ? 'dl, length of field (approximate)' : 'dl, length of field'),
      node(avgdl, 'avgdl, average length of field'),
    ]),
  ]);
}

/** avgdl of a field and the doc's norm byte (1 for fields without norms). */
function lengthStats(field: string, ctx: WeightContext, seg: SegmentView, doc: number): { avgdl: number; norm: number } | null {
  const st = ctx.view.fieldStats(field);
  if (!st) return null;
  const avgdl = bm25AvgFieldLength(ctx.hasFreqs(field) ? st.sumTotalTermFreq : st.sumDocFreq, st.docCount);
  const norms = ctx.norms(seg, field);
  return { avgdl, norm: norms ? (norms[doc] ?? NO_NORMS_BYTE) : NO_NORMS_BYTE };
}

/** A field scored by a similarity other than BM25: its own explanation (SimScorer.explain) under the weight's node. */
function similarityNode(sim: SimScorer | null, value: number, query: string, docId: number, freq: Explanation, norm: number): Explanation {
  return sim ? weightNode(value, query, docId, sim.explain(freq, norm)) : node(value, `weight(${query} in ${docId})`);
}

function weightNode(value: number, query: string, docId: number, score: Explanation): Explanation {
  return node(value, `weight(${query} in ${docId}) [PerFieldSimilarity], result of:`, [score]);
}

function termExplanation(p: PrimitiveOf<'term'>, value: number, ctx: WeightContext, seg: SegmentView, doc: number, docId: number): Explanation | null {
  const post = seg.postings(p.field, p.term);
  const i = post ? post.docs.indexOf(doc) : -1;
  const stats = lengthStats(p.field, ctx, seg, doc);
  const N = ctx.view.fieldStats(p.field)?.docCount ?? 0;
  if (!post || i < 0 || !stats) return null;
  const freq = ctx.hasFreqs(p.field) ? (post.freqs[i] ?? 1) : 1;
  const freqNode = node(freq, 'freq, occurrences of term within document');
  const sim = ctx.similarity(p.field);
  if (!(sim instanceof Bm25Similarity)) return similarityNode(ctx.simScorer(p.field, p.boost, [{ term: p.term, docFreq: p.docFreq, totalTermFreq: p.totalTermFreq }]), value, `${p.field}:${p.term}`, docId, freqNode, stats.norm);
  const idf = idfExplanation(p.docFreq ?? ctx.view.docFreq(p.field, p.term), N);
  const score = bm25Explanation(sim, value, freqNode, p.boost, idf, stats.avgdl, stats.norm);
  return weightNode(value, `${p.field}:${p.term}`, docId, score);
}

function synonymExplanation(p: PrimitiveOf<'synonym'>, value: number, ctx: WeightContext, seg: SegmentView, doc: number, docId: number): Explanation | null {
  const stats = lengthStats(p.field, ctx, seg, doc);
  const N = ctx.view.fieldStats(p.field)?.docCount ?? 0;
  if (!stats) return null;
  let freq = 0;
  for (const t of p.terms) {
    const post = seg.postings(p.field, t);
    const i = post ? post.docs.indexOf(doc) : -1;
    if (post && i >= 0) freq += ctx.hasFreqs(p.field) ? (post.freqs[i] ?? 1) : 1;
  }
  const name = `Synonym(${p.terms.map((t) => `${p.field}:${t}`).join(' ')})`;
  const sim = ctx.similarity(p.field);
  if (!(sim instanceof Bm25Similarity)) return similarityNode(synonymSimScorer(p, ctx), value, name, docId, node(freq, `termFreq=${floatText(freq)}`), stats.norm);
  // SynonymQuery scores one pseudo-term: df is the max of its terms' df
  const idf = idfExplanation(Math.max(0, ...p.terms.map((t) => ctx.view.docFreq(p.field, t))), N);
  const score = bm25Explanation(sim, value, node(freq, `termFreq=${floatText(freq)}`), p.boost, idf, stats.avgdl, stats.norm);
  return weightNode(value, name, docId, score);
}

/** PhraseQuery.toString: `field:"a ? c"~slop`, a `?` for each position the analyzer left empty (a stop word). */
function phraseText(p: PrimitiveOf<'phrase'>): string {
  const words: string[] = [];
  p.terms.forEach((alts, i) => {
    const at = p.positions[i] ?? i;
    while (words.length < at) words.push('?');
    words.push(alts.length > 1 ? `(${alts.join(' ')})` : (alts[0] as string));
  });
  return `${p.field}:"${words.join(' ')}"${p.slop > 0 ? `~${p.slop}` : ''}`;
}

function phraseExplanation(p: PrimitiveOf<'phrase'>, value: number, ctx: WeightContext, seg: SegmentView, doc: number, docId: number): Explanation | null {
  const stats = lengthStats(p.field, ctx, seg, doc);
  const N = ctx.view.fieldStats(p.field)?.docCount ?? 0;
  const s = createWeight(p, ctx, true).scorer(seg);
  if (!stats || !(s instanceof PhraseScorer) || s.advance(doc) !== doc) return null;
  const sim = ctx.similarity(p.field);
  if (!(sim instanceof Bm25Similarity)) return similarityNode(phraseSimScorer(p, ctx), value, phraseText(p), docId, node(s.freq(), `phraseFreq=${floatText(s.freq())}`), stats.norm);
  // PhraseWeight sums the idf of every term that exists (every alternative of a MultiPhraseQuery)
  const subs = p.terms.flat().map((t) => ctx.view.docFreq(p.field, t)).filter((n) => n > 0).map((n) => idfExplanation(n, N));
  const idf = node(f(subs.reduce((a, e) => a + e.value, 0)), 'idf, sum of:', subs);
  const freq = s.freq();
  const score = bm25Explanation(sim, value, node(freq, `phraseFreq=${floatText(freq)}`), p.boost, idf, stats.avgdl, stats.norm);
  return weightNode(value, phraseText(p), docId, score);
}

/**
 * SpanWeight.explain: BM25 of the doc's sloppy frequency (`phraseFreq=`), the idf of the tree's
 * distinct terms (one term: its own node; more: "sum of"), named by the weight's query (a field
 * mask outermost explains as its query).
 */
function spanExplanation(p: PrimitiveOf<'span'>, value: number, ctx: WeightContext, seg: SegmentView, doc: number, docId: number): Explanation {
  const scoring = p.source.scoring();
  const stats = lengthStats(scoring.field, ctx, seg, doc);
  const freq = spanFreq(p, ctx, seg, doc) ?? 0;
  const N = ctx.view.fieldStats(scoring.field)?.docCount ?? 0;
  const subs = spanTermStats(scoring, ctx)
    .filter((t) => t.df > 0)
    .map((t) => idfExplanation(t.df, N));
  if (!stats || subs.length === 0) return node(value, `weight(${scoring.toString()} in ${docId})`);
  const sim = ctx.similarity(scoring.field);
  if (!(sim instanceof Bm25Similarity)) {
    const collection = ctx.collectionStats(scoring.field);
    const terms = spanTermStats(scoring, ctx).filter((t) => t.df > 0).map((t) => ctx.termStats(t.field, t.term, sim, t.df));
    return similarityNode(collection ? sim.scorer(p.boost, collection, terms) : null, value, scoring.toString(), docId, node(freq, `phraseFreq=${floatText(freq)}`), stats.norm);
  }
  const idf = subs.length === 1 ? (subs[0] as Explanation) : node(f(subs.reduce((a, e) => a + e.value, 0)), 'idf, sum of:', subs);
  const score = bm25Explanation(sim, value, node(freq, `phraseFreq=${floatText(freq)}`), p.boost, idf, stats.avgdl, stats.norm);
  return weightNode(value, scoring.toString(), docId, score);
}

/** The explanation of `doc` for a primitive query, or null when it does not match. */
export function explain(p: Primitive, ctx: WeightContext, seg: SegmentView, doc: number, docId: number): Explanation | null {
  const value = scoreOn(p, ctx, seg, doc);
  if (value === null) return null;
  switch (p.op) {
    case 'term':
      // BoostQuery.rewrite: a zero boost makes the query constant-score (Lucene then skips scoring)
      if (p.boost === 0) return node(0, `ConstantScore(${p.field}:${p.term})^0.0`);
      return termExplanation(p, value, ctx, seg, doc, docId) ?? node(value, `weight(${p.field}:${p.term} in ${docId})`);
    case 'bool': {
      const scored = [...p.must, ...p.should].map((c) => explain(pushBoost(c, p.boost), ctx, seg, doc, docId)).filter((e): e is Explanation => e !== null);
      const filters = p.filter.map((c) => explain(c, ctx, seg, doc, docId)).filter((e): e is Explanation => e !== null);
      if (scored.length === 0) return node(value, 'match on required clause(s), score 0', filters);
      return node(value, 'sum of:', scored);
    }
    case 'dismax': {
      const subs = p.subs.map((c) => explain(pushBoost(c, p.boost), ctx, seg, doc, docId)).filter((e): e is Explanation => e !== null);
      return node(value, p.tieBreaker === 0 ? 'max of:' : `max plus ${p.tieBreaker} times others of:`, subs);
    }
    case 'named':
      return explain(p.inner, ctx, seg, doc, docId);
    case 'all':
      return node(value, '*:*');
    case 'const':
    case 'docs': {
      // AbstractScriptFieldQuery.explain: the boost, the runtime field's score always 1
      if (p.op === 'const' && p.runtime !== undefined) return node(value, `${p.runtime} approximated by *:*`, [node(value, 'boost * runtime_field_score', [node(p.boost, 'boost'), node(1, 'runtime_field_score is always 1')])]);
      const own = p.op === 'docs' ? p.explain?.(seg)(doc, p.boost) : undefined;
      if (own) return node(value, own.description, own.details.map(([v, d]) => node(v, d)));
      if (p.op === 'docs' && p.describe) return node(value, `${p.describe(seg, doc)}${p.describeBoost && p.boost !== 1 ? `^${floatText(p.boost)}` : ''}`);
      return node(value, `${p.op === 'docs' ? p.label : 'ConstantScore'}`);
    }
    case 'phrase':
      return phraseExplanation(p, value, ctx, seg, doc, docId) ?? node(value, `weight(${p.field}:"${p.terms.map((a) => a.join(' ')).join(' ')}" in ${docId})`);
    case 'synonym':
      return synonymExplanation(p, value, ctx, seg, doc, docId) ?? node(value, `weight(Synonym(${p.terms.map((t) => `${p.field}:${t}`).join(' ')}) in ${docId})`);
    case 'boosting':
      return node(value, 'boosting: positive score, times negative_boost where the negative query matches', [explain(p.positive, ctx, seg, doc, docId)].filter((e): e is Explanation => e !== null));
    case 'function_score':
      return node(value, `function score, score mode [${p.scoreMode}], boost mode [${p.boostMode}]`, [explain(p.inner, ctx, seg, doc, docId)].filter((e): e is Explanation => e !== null));
    case 'nested':
      return node(value, `Score based on ${p.scoreMode} of the child docs of [${p.path}]`);
    case 'combined': {
      const fields = [...p.fields].sort((a, b) => (a.field < b.field ? -1 : 1)).map((f) => (f.weight === 1 ? f.field : `${f.field}^${f.weight}`));
      return node(value, `weight(CombinedFieldQuery((${fields.join(' ')})(${p.terms.join(' ')})) in ${docId}), result of:`);
    }
    case 'span':
      return spanExplanation(p, value, ctx, seg, doc, docId);
    case 'intervals': {
      // IntervalScoreFunction.SaturationFunction.explain
      const freq = intervalsFreq(p, seg, doc) ?? 0;
      return node(value, 'Saturation function on interval frequency, computed as w * S / (S + k) from:', [
        node(p.boost, 'w, weight of this function'),
        node(1, 'k, pivot feature value that would give a score contribution equal to w/2'),
        node(freq, 'S, feature value'),
      ]);
    }
    case 'script_score': {
      const desc = `script score function, computed with script:"${p.script.description}"`;
      const inner = explain(p.inner, ctx, seg, doc, docId);
      const own = p.script.usesScore && inner ? node(value, desc, [node(inner.value, '_score: ', [inner])]) : node(value, desc);
      // how ScriptScoreQuery words a boost in its explanation is not known here: refused rather than guessed
      if (p.boost !== 1) throw unsupported('explain of a boosted script_score query');
      return own;
    }
    case 'script_filter':
      return node(value, `ScriptQuery(${p.script.description})`);
    case 'none':
      return null;
  }
}
