import type { Knex } from 'knex';
import { RelevanceError } from '../errors.js';
import { DEFAULT_GRADING, judgedTermsSql, judgmentsSql, type Grading, type JudgmentFilters } from './judgments-sql.js';

/**
 * Judgments from the query log: what people converted on, per search term, as the ratings of
 * rated requests.
 *
 * The model: the logged searches of one index over a period are grouped by normalised term
 * (lower-cased, white space collapsed, trimmed). A term counts once it was searched at least
 * `minSearches` times. A hit that was converted on (recordConversion) in any of the term's
 * searches is relevant to the term, rated with the highest grade of its conversions (Grading:
 * a click 1, another kind such as a purchase 2, one more with a positive value, at most 3). A hit
 * nobody converted on is unrated: `_rank_eval` counts it as not relevant. Each term replays the
 * body of its latest first-page search.
 *
 * Known biases, and what is done about them:
 * - Position bias: people convert on what is on top, so the live ranking's first hits collect
 *   judgments whatever their relevance. Ratings are the best grade, not a count of clicks, so a
 *   top hit clicked a hundred times weighs no more than a lower hit clicked twice; and the
 *   summary reports how many judgments come only from rank 1 (`fromRank1`), so a set of
 *   judgments made mostly of top-hit clicks is visible as such.
 * - Presentation bias: only hits people were shown can be judged. A new ranking that brings up
 *   relevant documents nobody saw gets no credit for them (they are unrated, counted as not
 *   relevant), so comparisons lean towards the live ranking: a gate on them errs on the side of
 *   keeping it. The evaluation reports unrated hits per term.
 * - Terms with no conversion at all say nothing about ranking (every ranking scores 0) and are
 *   left out (`withoutConversions`).
 *
 * @example
 * const { terms, summary } = await readJudgments(db, { index: 'blog', since: new Date(Date.now() - 30 * 864e5), minSearches: 3 });
 */

export interface Judgment {
  /** The document `_id`. */
  id: string;
  rating: number;
  /** Conversions on it, and searches of the term that converted on it. */
  conversions: number;
  searches: number;
  /** The lowest rank it was converted at (null: never placed among the logged hits). */
  bestPosition: number | null;
  /** Every conversion on it was at rank 1. */
  onlyRank1: boolean;
}

export interface JudgedTerm {
  term: string;
  /** Searches of the term in the period, and those with at least one conversion. */
  searches: number;
  converted: number;
  /** The body replayed (the latest first-page search's), without the parts `_rank_eval` refuses or overrides. */
  request: Record<string, unknown>;
  judgments: Judgment[];
}

export interface JudgmentSummary {
  /** Terms with enough searches and at least one conversion: the rated requests. */
  terms: number;
  /** Searches of those terms. */
  searches: number;
  /** Rated (term, document) pairs. */
  judgments: number;
  /** Judgments whose every conversion was at rank 1 (position bias: see the module comment). */
  fromRank1: number;
  /** Terms searched fewer than minSearches times, and terms with enough searches but no conversion. */
  belowMinSearches: number;
  withoutConversions: number;
  /** The highest rating (ERR's maximum relevance); 0 when there is none. */
  maxRating: number;
}

export interface ReadJudgmentsOptions extends Partial<JudgmentFilters> {
  index: string;
  grading?: Partial<Grading>;
}

/** Parts of a logged body that `_rank_eval` refuses (aggregations, highlight, suggest, ...) or sets itself (size, _source), and paging. */
const DROPPED_KEYS = ['from', 'size', 'aggs', 'aggregations', 'highlight', 'suggest', 'explain', 'profile', '_source', 'stored_fields', 'docvalue_fields', 'fields', 'script_fields', 'search_after', 'pit', 'track_total_hits', 'version', 'seq_no_primary_term'];

/** A search body as `_rank_eval` replays it: the ranking parts only. */
export function replayableRequest(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !DROPPED_KEYS.includes(key)));
}

const parsed = (v: unknown): Record<string, unknown> => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>));

/** Reads the judgments of `options.index` over the period (see the module comment for the model). */
export async function readJudgments(db: Knex, options: ReadJudgmentsOptions): Promise<{ terms: JudgedTerm[]; summary: JudgmentSummary }> {
  const minSearches = options.minSearches ?? 3;
  if (!Number.isInteger(minSearches) || minSearches < 1) throw new RelevanceError('ARGUMENT_INVALID', `min searches is ${minSearches}, expected a positive integer`);
  const grading: Grading = { ...DEFAULT_GRADING, ...options.grading, kinds: { ...DEFAULT_GRADING.kinds, ...options.grading?.kinds } };
  const filters: JudgmentFilters = { index: options.index, since: options.since, until: options.until, minSearches };
  const termRows = rowsOf(await judgedTermsSql(db, filters));
  const judgmentRows = rowsOf(await judgmentsSql(db, filters, grading));
  const byTerm = new Map<string, Judgment[]>();
  for (const r of judgmentRows) {
    const list = byTerm.get(String(r.term)) ?? [];
    list.push({
      id: String(r.hit_id),
      rating: Number(r.rating),
      conversions: Number(r.conversions),
      searches: Number(r.searches),
      bestPosition: r.best_position === null ? null : Number(r.best_position),
      onlyRank1: r.only_rank1 === true,
    });
    byTerm.set(String(r.term), list);
  }
  const terms: JudgedTerm[] = [];
  let withoutConversions = 0;
  for (const r of termRows) {
    const judgments = byTerm.get(String(r.term)) ?? [];
    if (judgments.length === 0) {
      withoutConversions++;
      continue;
    }
    terms.push({ term: String(r.term), searches: Number(r.searches), converted: Number(r.converted), request: replayableRequest(parsed(r.query)), judgments });
  }
  const all = terms.flatMap((t) => t.judgments);
  return {
    terms,
    summary: {
      terms: terms.length,
      searches: terms.reduce((n, t) => n + t.searches, 0),
      judgments: all.length,
      fromRank1: all.filter((j) => j.onlyRank1).length,
      belowMinSearches: termRows.length ? Number(termRows[0]!.below_min) : await countBelowMin(db, filters),
      withoutConversions,
      maxRating: all.reduce((m, j) => Math.max(m, j.rating), 0),
    },
  };
}

/** below_min rides on the terms' rows; with no term above the minimum it is counted apart. */
async function countBelowMin(db: Knex, filters: JudgmentFilters): Promise<number> {
  const rows = rowsOf(await judgedTermsSql(db, { ...filters, minSearches: 1 }));
  return rows.filter((r) => Number(r.searches) < filters.minSearches).length;
}

/** knex.raw's rows: pg gives `{ rows }`, PGlite through the dialect the same. */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return ((result as { rows?: Array<Record<string, unknown>> }).rows ?? (result as Array<Record<string, unknown>>)) as Array<Record<string, unknown>>;
}
