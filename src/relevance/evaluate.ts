import type { Client as ElasticsearchClient, estypes } from '@elastic/elasticsearch';
import { toSearchSide } from '../client/adapters/elasticsearch.js';
import type { SearchSide as Client } from '../client/search-side.js';
import type { Knex } from 'knex';
import { RelevanceError } from '../errors.js';
import { indexState } from '../indexes/index-state.js';
import { bootstrapInterval, pairedDifferenceInterval, type Interval } from './bootstrap.js';
import { readJudgments, replayableRequest, type JudgedTerm, type JudgmentSummary } from './judgments.js';
import { metricLabel, parseMetricSpec, type MetricSpec } from './metrics.js';
import { rankEvalBody, readRankEvalResponse, type RatedSearch } from './rank-eval-request.js';

/**
 * `search evaluate` and the rebuild gate: the judgments of an index's logged searches replayed
 * through `_rank_eval` on one index (or two, paired on the same terms), with a metric per term,
 * its mean over terms and a percentile-bootstrap interval of that mean (of the mean difference
 * when comparing). Ratings name the concrete indexes behind each side, as `_rank_eval` joins hits
 * and ratings on `_index` and `_id`.
 *
 * @example
 * const report = await evaluateRelevance({ client, db }, { index: 'blog', against: 'blog-20261201093000000', since, metric: 'ndcg@10' });
 * report.change; // { estimate: -0.04, low: -0.07, high: -0.01, ... }: blog ranks worse than the other index
 */

/** A query builder module's export: the search body to try for a term (instead of the logged one). */
export type QueryBuilder = (term: string, context: { index: string; logged: Record<string, unknown> }) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface EvaluateOptions {
  /** The configured index whose logged searches are read (the query log's index name). */
  index: string;
  /** The index, alias or concrete index evaluated (default `index`). */
  target?: string;
  /** A second index, alias or concrete index, evaluated on the same terms and compared. */
  against?: string;
  since?: Date;
  until?: Date;
  minSearches?: number;
  /** `ndcg@10` (default), `mrr`, `precision@10`, `recall@10`, `err@10`, `dcg@10`. */
  metric?: string;
  queryBuilder?: QueryBuilder;
  /** Judgments already read (the rebuild gate reads them before the fill). */
  judgments?: { terms: JudgedTerm[]; summary: JudgmentSummary };
  /** Rated requests per `_rank_eval` call (default 50). */
  batchSize?: number;
  /** Bootstrap resamples and seed (defaults 1,000 and 1). */
  resamples?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SideReport {
  /** As given, and the concrete indexes behind it. */
  index: string;
  concrete: string[];
  /** Mean over the compared terms, with its interval; null when no term could be scored. */
  overall: Interval | null;
}

export interface TermReport {
  term: string;
  searches: number;
  judgments: number;
  /** Score on the target (null when its search failed), hits of its top k that are unrated. */
  score: number | null;
  unrated: number;
  against?: { score: number | null; unrated: number };
  /** target − against. */
  change?: number | null;
}

export interface EvaluationReport {
  index: string;
  metric: string;
  since: string | null;
  until: string | null;
  judgments: JudgmentSummary;
  target: SideReport;
  against: SideReport | null;
  /** Mean per-term difference target − against with its paired interval. */
  change: Interval | null;
  /** Sorted by the size of the change (largest first) when comparing, else by term. */
  terms: TermReport[];
  failures: Array<{ term: string; index: string; reason: string }>;
}

interface SideScores {
  index: string;
  concrete: string[];
  scores: Map<string, { score: number; unrated: number }>;
  failures: Map<string, string>;
}

/** Evaluates `options.target` (and `options.against`) on the judgments of `options.index`. */
export async function evaluateRelevance(deps: { client: Client | ElasticsearchClient; db: Knex }, options: EvaluateOptions): Promise<EvaluationReport> {
  const { terms, summary } = options.judgments ?? (await readJudgments(deps.db, { index: options.index, since: options.since, until: options.until, minSearches: options.minSearches }));
  if (terms.length === 0) {
    throw new RelevanceError(
      'JUDGMENTS_INSUFFICIENT',
      `no judgments for "${options.index}" in the period: ${summary.belowMinSearches} term(s) searched fewer than ${options.minSearches ?? 3} times, ${summary.withoutConversions} term(s) without a conversion; record conversions (recordConversion) or lower --min-searches`,
      { exitCode: 1 },
    );
  }
  const spec = parseMetricSpec(options.metric ?? 'ndcg@10', { maximumRelevance: Math.max(1, summary.maxRating) });
  const requests = await requestsOf(terms, options);
  const sides = [options.target ?? options.index, ...(options.against !== undefined ? [options.against] : [])];
  const total = terms.length * sides.length;
  let done = 0;
  const results: SideScores[] = [];
  for (const side of sides) {
    results.push(
      await scoreSide(toSearchSide(deps.client), side, terms, requests, spec, options.batchSize ?? 50, (n) => {
        done += n;
        options.onProgress?.(done, total);
      }),
    );
  }
  return report(options, spec, summary, terms, results);
}

async function requestsOf(terms: readonly JudgedTerm[], options: EvaluateOptions): Promise<Map<string, Record<string, unknown>>> {
  const requests = new Map<string, Record<string, unknown>>();
  for (const t of terms) {
    if (!options.queryBuilder) {
      requests.set(t.term, t.request);
      continue;
    }
    let body: unknown;
    try {
      body = await options.queryBuilder(t.term, { index: options.index, logged: t.request });
    } catch (error) {
      throw new RelevanceError('ARGUMENT_INVALID', `the query builder failed for the term "${t.term}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new RelevanceError('ARGUMENT_INVALID', `the query builder returned ${Array.isArray(body) ? 'an array' : JSON.stringify(body)} for the term "${t.term}", expected a search body object ({ query: ... })`);
    }
    requests.set(t.term, replayableRequest(body as Record<string, unknown>));
  }
  return requests;
}

async function scoreSide(
  client: Client,
  index: string,
  terms: readonly JudgedTerm[],
  requests: Map<string, Record<string, unknown>>,
  spec: MetricSpec,
  batchSize: number,
  progress: (n: number) => void,
): Promise<SideScores> {
  const state = await indexState(client, index);
  if (state.kind === 'missing') throw new RelevanceError('INDEX_NOT_FOUND', `index "${index}" does not exist (neither an alias nor a concrete index)`, { exitCode: 1 });
  const { concrete } = state;
  const scores = new Map<string, { score: number; unrated: number }>();
  const failures = new Map<string, string>();
  for (let i = 0; i < terms.length; i += batchSize) {
    const batch = terms.slice(i, i + batchSize);
    const searches: RatedSearch[] = batch.map((t) => ({
      id: t.term,
      request: requests.get(t.term)!,
      ratings: concrete.flatMap((c) => t.judgments.map((j) => ({ index: c, id: j.id, rating: j.rating }))),
    }));
    let response: unknown;
    try {
      response = await client.rankEval({ index, ...rankEvalBody(searches, spec) } as estypes.RankEvalRequest);
    } catch (error) {
      const reason = (error as { meta?: { body?: { error?: { type?: string; reason?: string } } } })?.meta?.body?.error;
      throw new RelevanceError('SEARCH_FAILED', `_rank_eval on "${index}" failed: ${reason?.type ? `${reason.type}: ${reason.reason ?? ''}` : error instanceof Error ? error.message : String(error)}`, { cause: error, exitCode: 1 });
    }
    const result = readRankEvalResponse(response);
    for (const [term, s] of result.scores) scores.set(term, { score: s.score, unrated: s.unrated });
    for (const [term, reason] of result.failures) failures.set(term, reason);
    progress(batch.length);
  }
  return { index, concrete, scores, failures };
}

function report(options: EvaluateOptions, spec: MetricSpec, summary: JudgmentSummary, terms: readonly JudgedTerm[], sides: SideScores[]): EvaluationReport {
  const [target, against] = sides as [SideScores, SideScores | undefined];
  const boot = { resamples: options.resamples, seed: options.seed };
  // Terms scored on every side: the paired comparison and both means use the same terms.
  const scored = terms.filter((t) => sides.every((s) => s.scores.has(t.term)));
  const scoresOf = (side: SideScores) => scored.map((t) => side.scores.get(t.term)!.score);
  const interval = (side: SideScores) => (scored.length ? bootstrapInterval(scoresOf(side), boot) : null);
  const rows: TermReport[] = terms.map((t) => {
    const mine = target.scores.get(t.term);
    const row: TermReport = { term: t.term, searches: t.searches, judgments: t.judgments.length, score: mine?.score ?? null, unrated: mine?.unrated ?? 0 };
    if (against) {
      const theirs = against.scores.get(t.term);
      row.against = { score: theirs?.score ?? null, unrated: theirs?.unrated ?? 0 };
      row.change = mine && theirs ? mine.score - theirs.score : null;
    }
    return row;
  });
  if (against) rows.sort((a, b) => Math.abs(b.change ?? 0) - Math.abs(a.change ?? 0) || a.term.localeCompare(b.term));
  return {
    index: options.index,
    metric: metricLabel(spec),
    since: options.since?.toISOString() ?? null,
    until: options.until?.toISOString() ?? null,
    judgments: summary,
    target: { index: target.index, concrete: target.concrete, overall: interval(target) },
    against: against ? { index: against.index, concrete: against.concrete, overall: interval(against) } : null,
    change: against && scored.length ? pairedDifferenceInterval(scoresOf(against), scoresOf(target), boot) : null,
    terms: rows,
    failures: sides.flatMap((s) => [...s.failures].map(([term, reason]) => ({ term, index: s.index, reason }))),
  };
}
