import type { QueryType, SearchAggregations, SearchHit, SearchQuery, TotalRelation } from './search-query.js';
import { pageOf } from './search-query.js';

/** A row of the query log table (indexkit_search_queries) as written. */
export interface QueryLogRow {
  id: string;
  query_type: QueryType;
  index_name: string;
  search_terms: string;
  query: string;
  hits: string;
  hit_count: number;
  total_hits: number;
  total_hits_relation: TotalRelation;
  max_score: number | null;
  min_score: number | null;
  aggregations: string | null;
  page_from: number;
  page_size: number;
  user_id: string | null;
  reference: string | null;
  executed_at: Date;
  duration_ms: number;
}

/** The hit fields the log keeps: highlights and `_source` are left out (they can be large and are not audit data). */
export type LoggedHit = Pick<SearchHit, 'id' | 'index' | 'score' | 'rank' | 'sort'>;

export function loggedHit(hit: SearchHit): LoggedHit {
  const logged: LoggedHit = { id: hit.id, index: hit.index, score: hit.score, rank: hit.rank };
  if (hit.sort !== undefined) logged.sort = hit.sort;
  return logged;
}

const text = (value: string): string => value.replaceAll('\u0000', '');
// jsonb cannot hold \u0000; a search term or document id containing it would fail the whole batch.
const json = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? text(v) : v));

/** The row to insert for a SearchQuery (jsonb values as JSON text, so pg and PGlite bind them the same way). */
export function toQueryLogRow(q: SearchQuery): QueryLogRow {
  return {
    id: q.id,
    query_type: q.queryType,
    index_name: text(q.index),
    search_terms: text(q.searchTerms),
    query: json(q.query),
    hits: json(q.hits.map(loggedHit)),
    hit_count: q.hits.length,
    total_hits: q.totalHits,
    total_hits_relation: q.totalHitsRelation,
    max_score: q.maxScore,
    min_score: q.minScore,
    aggregations: q.aggregations === null ? null : json(q.aggregations),
    page_from: q.page.from,
    page_size: q.page.size,
    user_id: q.user === null ? null : text(q.user),
    reference: q.reference === null ? null : text(q.reference),
    executed_at: q.executedAt,
    duration_ms: q.durationMs,
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** A row read back (pg returns bigint as string, jsonb parsed; PGlite may differ) as a SearchQuery. */
export function fromQueryLogRow(row: Record<string, unknown>): SearchQuery {
  const from = num(row.page_from);
  const size = num(row.page_size);
  return {
    id: String(row.id),
    queryType: row.query_type as QueryType,
    index: String(row.index_name),
    searchTerms: String(row.search_terms ?? ''),
    query: parsed<Record<string, unknown>>(row.query),
    hits: parsed<LoggedHit[]>(row.hits),
    totalHits: num(row.total_hits),
    totalHitsRelation: row.total_hits_relation as TotalRelation,
    maxScore: numOrNull(row.max_score),
    minScore: numOrNull(row.min_score),
    aggregations: row.aggregations === null || row.aggregations === undefined ? null : parsed<SearchAggregations>(row.aggregations),
    page: pageOf(from, size),
    executedAt: row.executed_at instanceof Date ? row.executed_at : new Date(String(row.executed_at)),
    durationMs: num(row.duration_ms),
    user: row.user_id === null || row.user_id === undefined ? null : String(row.user_id),
    reference: row.reference === null || row.reference === undefined ? null : String(row.reference),
  };
}
