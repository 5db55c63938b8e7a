import type { Knex } from 'knex';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';
import { SearchQueryError } from '../errors.js';
import { fromQueryLogRow } from './query-log-row.js';
import type { SearchQuery } from './search-query.js';

/** Filters of `search queries list` (and of stats and prune, where they apply). */
export interface QueryFilters {
  index?: string;
  user?: string;
  reference?: string;
  /** Search terms containing this text (case-insensitive; % and _ match themselves). */
  contains?: string;
  since?: Date;
  until?: Date;
  /** Only queries that found nothing. */
  zeroHits?: boolean;
  /** Only queries that took longer than this many milliseconds. */
  slowerThanMs?: number;
  /** true: only queries with at least one conversion; false: only queries without. */
  converted?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Escapes LIKE wildcards so that `contains` matches the text literally. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Applies `filters` to a builder over the query log. Pure; every value bound. */
export function applyQueryFilters(builder: Knex.QueryBuilder, filters: QueryFilters): Knex.QueryBuilder {
  if (filters.index !== undefined) builder.where('index_name', filters.index);
  if (filters.user !== undefined) builder.where('user_id', filters.user);
  if (filters.reference !== undefined) builder.where('reference', filters.reference);
  if (filters.contains !== undefined && filters.contains !== '') builder.whereRaw("search_terms ilike ? escape '\\'", [`%${escapeLike(filters.contains)}%`]);
  if (filters.since !== undefined) builder.where('executed_at', '>=', filters.since);
  if (filters.until !== undefined) builder.where('executed_at', '<', filters.until);
  if (filters.zeroHits) builder.where('total_hits', 0);
  if (filters.slowerThanMs !== undefined) builder.where('duration_ms', '>', filters.slowerThanMs);
  if (filters.converted !== undefined) builder.whereRaw(`${filters.converted ? '' : 'not '}exists (select 1 from ?? v where v.query_id = ??.id)`, [SEARCH_CONVERSIONS_TABLE, SEARCH_QUERIES_TABLE]);
  return builder;
}

export interface ListOptions extends QueryFilters {
  /** Most rows returned (default 50). */
  limit?: number;
  offset?: number;
}

/**
 * Logged queries, newest first, matching `filters`.
 *
 * @example
 * await listQueries(db, { index: 'blog', zeroHits: true, since: new Date(Date.now() - 864e5) });
 */
export async function listQueries(db: Knex, options: ListOptions = {}): Promise<SearchQuery[]> {
  const builder = applyQueryFilters(db(SEARCH_QUERIES_TABLE).select('*'), options)
    .orderBy('executed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0);
  return ((await builder) as Array<Record<string, unknown>>).map(fromQueryLogRow);
}

/** One logged query by id; throws SearchQueryError (SEARCH_QUERY_NOT_FOUND) when there is none. */
export async function getQuery(db: Knex, id: string): Promise<SearchQuery> {
  const row = UUID.test(id) ? ((await db(SEARCH_QUERIES_TABLE).where('id', id).first()) as Record<string, unknown> | undefined) : undefined;
  if (!row) throw new SearchQueryError('SEARCH_QUERY_NOT_FOUND', `no logged query has id "${id}"${UUID.test(id) ? '' : ' (ids are UUIDs, as `search queries list` shows them)'}`);
  return fromQueryLogRow(row);
}

/**
 * Deletes logged queries executed before `before` (optionally of one index) with their
 * conversions, in one statement; returns how many queries. Without an index, conversions
 * recorded before `before` whose query never reached the log go too. With `dryRun`, counts
 * the queries and deletes nothing.
 */
export async function pruneQueries(db: Knex, before: Date, options: { index?: string; dryRun?: boolean } = {}): Promise<number> {
  const builder = db(SEARCH_QUERIES_TABLE).where('executed_at', '<', before);
  if (options.index !== undefined) builder.where('index_name', options.index);
  if (options.dryRun) {
    const row = (await builder.count<{ n: string | number }[]>('* as n'))[0];
    return Number(row?.n ?? 0);
  }
  // Counted in SQL: drivers disagree on what a delete resolves to (pg: a count; PGlite: not).
  const orphans = options.index === undefined ? db(SEARCH_CONVERSIONS_TABLE).where('converted_at', '<', before).whereNotExists(db(`${SEARCH_QUERIES_TABLE} as q`).select(db.raw('1')).whereRaw('q.id = ??.query_id', [SEARCH_CONVERSIONS_TABLE])).delete() : db.raw('select 1');
  const result = (await db.raw('with deleted as (?), conversions as (delete from ?? where query_id in (select id from deleted)), orphans as (?) select count(*) as n from deleted', [
    builder.delete().returning('id'),
    SEARCH_CONVERSIONS_TABLE,
    orphans,
  ])) as { rows: Array<{ n: unknown }> };
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Runs an audit read, turning "the log table does not exist" (PostgreSQL 42P01) into an error
 * that says what to do instead of a raw database message.
 */
export async function readQueryLog<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as { code?: string })?.code === '42P01' || /relation "?[\w.]*indexkit_search_queries"? does not exist/.test(String((error as Error)?.message))) {
      throw new SearchQueryError('QUERY_LOG_MISSING', `the query log table ${SEARCH_QUERIES_TABLE} does not exist in this database; run \`search migrate\` first`, { cause: error });
    }
    throw error;
  }
}
