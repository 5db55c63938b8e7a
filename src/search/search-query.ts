import type { estypes } from '@elastic/elasticsearch';
/**
 * A search as it ran: what was asked, what came back, when, for whom and how long it took.
 * `executeSearch` returns one, the query log stores it, and `fromSearchQuery` turns its hits
 * into database rows.
 */

export const QUERY_TYPES = ['search', 'count'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

export const TOTAL_RELATIONS = ['eq', 'gte'] as const;
export type TotalRelation = (typeof TOTAL_RELATIONS)[number];

/** One hit, in the order the search returned it. */
export interface SearchHit {
  /** The document `_id`. */
  id: string;
  /** The concrete index the hit came from (not the alias searched). */
  index: string;
  /** `_score`; null when the search was sorted by something else without `track_scores`. */
  score: number | null;
  /** 1-based position over all pages: the first hit of page 2 of size 10 has rank 11. */
  rank: number;
  /** Highlighted fragments per field, when the request asked for highlighting (not logged). */
  highlight?: Record<string, string[]>;
  /** The sort values, when the request was sorted. */
  sort?: unknown[];
  /** `_source`, when the request returned it (not logged). */
  source?: Record<string, unknown>;
}

/** The page a search asked for: `from`/`size` and the 1-based page number they make. */
export interface SearchPage {
  from: number;
  size: number;
  /** 1-based; `floor(from / size) + 1` (1 when size is 0). */
  number: number;
}

/** Aggregation results as the client types them: name -> aggregate (narrow with SearchQuery's generic). */
export type SearchAggregations = Record<string, estypes.AggregationsAggregate>;
/** Suggestions as the client types them: name -> entries. */
export type SearchSuggestions = Record<string, Array<estypes.SearchSuggest<unknown>>>;

/**
 * One search as it ran and was logged. `TAggregations` narrows `aggregations` through the client's
 * own types, e.g. `SearchQuery<{ brands: estypes.AggregationsStringTermsAggregate }>`, so that
 * `result.aggregations?.brands.buckets` type-checks.
 */
export interface SearchQuery<TAggregations = SearchAggregations, TSuggestions = SearchSuggestions> {
  /** A UUID made before the search ran, so the result can name its log row at once. */
  id: string;
  queryType: QueryType;
  /** The index or alias searched (several joined with commas). */
  index: string;
  /** What the person typed; '' when not given. */
  searchTerms: string;
  /** The request body as sent, with from and size. */
  query: Record<string, unknown>;
  hits: SearchHit[];
  totalHits: number;
  /** `gte` when Elasticsearch stopped counting (track_total_hits). */
  totalHitsRelation: TotalRelation;
  /** Highest score among the hits; null when no hit has a score. */
  maxScore: number | null;
  /** Lowest score among the hits; null when no hit has a score. */
  minScore: number | null;
  aggregations: TAggregations | null;
  /** Suggestions, when the request asked for them (not logged). */
  suggest?: TSuggestions;
  page: SearchPage;
  executedAt: Date;
  /** Wall time of the search request in milliseconds (monotonic clock, fractional). */
  durationMs: number;
  /** The user id, if given. */
  user: string | null;
  /** A free grouping key (a session id, a request id, a feature name), if given. */
  reference: string | null;
}

/** What an application may pass as the user: an id, or an object with an `id` (or `pk`). */
export type UserLike = string | number | bigint | { id?: unknown; pk?: unknown } | null | undefined;

/** The user reduced to a string id (null when none). */
export function userId(user: UserLike): string | null {
  if (user === null || user === undefined) return null;
  if (typeof user === 'object') {
    const id = user.id ?? user.pk;
    return id === null || id === undefined ? null : String(id);
  }
  return String(user);
}

/** Max and min of the scores that are numbers; both null when none is (a sorted search). */
export function scoreRange(hits: ReadonlyArray<{ score: number | null }>, reportedMax?: number | null): { maxScore: number | null; minScore: number | null } {
  let max: number | null = null;
  let min: number | null = null;
  for (const { score } of hits) {
    if (typeof score !== 'number' || Number.isNaN(score)) continue;
    if (max === null || score > max) max = score;
    if (min === null || score < min) min = score;
  }
  // Elasticsearch's max_score covers every matching document, not only this page.
  if (typeof reportedMax === 'number' && !Number.isNaN(reportedMax) && (max === null || reportedMax > max)) max = reportedMax;
  return { maxScore: max, minScore: min };
}

/** The page of `from`/`size`. */
export function pageOf(from: number, size: number): SearchPage {
  return { from, size, number: size > 0 ? Math.floor(from / size) + 1 : 1 };
}

interface RawHit {
  _id?: string;
  _index?: string;
  _score?: number | null;
  highlight?: Record<string, string[]>;
  sort?: unknown[];
  _source?: Record<string, unknown>;
}

export interface RawSearchResponse {
  hits?: { total?: number | { value: number; relation: string }; max_score?: number | null; hits?: RawHit[] };
  aggregations?: SearchAggregations;
  suggest?: SearchSuggestions;
}

/** The hits of a search response, ranked from `from + 1`. */
export function hitsOf(response: RawSearchResponse, from: number): SearchHit[] {
  return (response.hits?.hits ?? []).map((hit, i) => {
    const result: SearchHit = { id: String(hit._id), index: String(hit._index ?? ''), score: typeof hit._score === 'number' ? hit._score : null, rank: from + i + 1 };
    if (hit.highlight) result.highlight = hit.highlight;
    if (hit.sort) result.sort = hit.sort;
    if (hit._source) result.source = hit._source;
    return result;
  });
}

/** `hits.total` as a number and relation; without it (track_total_hits: false), the hits counted with `gte`. */
export function totalOf(response: RawSearchResponse, hitCount: number): { totalHits: number; totalHitsRelation: TotalRelation } {
  const total = response.hits?.total;
  if (typeof total === 'number') return { totalHits: total, totalHitsRelation: 'eq' };
  if (total && typeof total.value === 'number') return { totalHits: total.value, totalHitsRelation: total.relation === 'gte' ? 'gte' : 'eq' };
  return { totalHits: hitCount, totalHitsRelation: 'gte' };
}
