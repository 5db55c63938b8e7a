import type { Knex } from 'knex';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';
import { listConversions, type Conversion } from '../search/conversions.js';
import { getQuery, listQueries } from '../search/query-audit.js';
import { figureColumns, positionsSql, searchesWithConversions, termsSql, toFigures, toTermStats, type SearchFigures, type TermStats } from '../search/query-stats.js';
import type { SearchQuery } from '../search/search-query.js';
import { bucketMs, figureFilters, type DashboardFilters } from './dashboard-filters.js';

/**
 * The dashboard's figures: functions that return rows, built on the SQL of `search queries
 * stats` (src/search/query-stats.ts), so the pages and the CLI agree for the same filters.
 * The pages only lay these out.
 */

/**
 * Runs a page's reads in one read-only transaction with room to sort in memory: a week of a
 * busy log is ~80,000 rows per period whose percentiles and distinct users are sorted, which
 * spills to disk under PostgreSQL's default 4 MB work_mem (`set local`: this transaction only).
 */
export async function readFigures<T>(db: Knex, read: (db: Knex) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw("set local work_mem = '64MB'");
    return read(trx);
  }, { readOnly: true });
}

/** One time series point per bucket of the period (null where there were no searches). */
export interface Series {
  /** Bucket starts, epoch seconds. */
  time: number[];
  searches: number[];
  users: number[];
  zeroHitRate: Array<number | null>;
  conversionRate: Array<number | null>;
  p50: Array<number | null>;
  p95: Array<number | null>;
}

export interface Overview {
  current: SearchFigures;
  previous: SearchFigures;
  series: Series;
  /** The previous period's series, on the current period's bucket times. */
  previousSeries: Series;
  bucketMs: number;
}

/**
 * The overview in one pass over the period and the one before it: the figures per period
 * (`bucket` null) and per bucket of `step` ms (grouping sets), with the same aggregates as
 * `search queries stats`. `period` is 0 for the current period, 1 for the previous one.
 */
export function overviewSql(db: Knex, f: DashboardFilters): Knex.QueryBuilder {
  const now = figureFilters(f);
  const before = figureFilters(f, 1);
  const step = bucketMs(f.periodMs);
  const both = { ...now, since: before.since };
  const rows = searchesWithConversions(db, both).select(
    's.*',
    'c.query_id as c_query_id',
    'c.n as c_n',
    db.raw('case when s.executed_at >= ? then 0 else 1 end as period', [now.since!]),
    db.raw('floor(extract(epoch from (s.executed_at - case when s.executed_at >= ? then ?::timestamptz else ?::timestamptz end)) * 1000 / ?)::int as bucket', [now.since!, now.since!, before.since!, step]),
  );
  return db
    .from(rows.as('s'))
    .select('s.period', 's.bucket', ...figureColumns(db, { queryId: 's.c_query_id', n: 's.c_n' }))
    .groupByRaw('grouping sets ((s.period, s.bucket), (s.period))');
}

function seriesOf(rows: Array<Record<string, unknown>>, period: number, step: number, buckets: number, timeBase: Date): Series {
  const byBucket = new Map(rows.filter((r) => Number(r.period) === period && r.bucket !== null).map((r) => [Number(r.bucket), r]));
  const out: Series = { time: [], searches: [], users: [], zeroHitRate: [], conversionRate: [], p50: [], p95: [] };
  for (let i = 0; i < buckets; i++) {
    const r = byBucket.get(i);
    const n = Number(r?.volume ?? 0);
    out.time.push(Math.floor((timeBase.getTime() + i * step) / 1000));
    out.searches.push(n);
    out.users.push(Number(r?.users ?? 0));
    out.zeroHitRate.push(n ? Number(r!.zero_hits) / n : null);
    out.conversionRate.push(n ? Number(r!.converted) / n : null);
    out.p50.push(r ? Number(r.p50) : null);
    out.p95.push(r ? Number(r.p95) : null);
  }
  return out;
}

/** The overview: headline figures of the period and of the one before, and both as time series. */
export async function overview(db: Knex, f: DashboardFilters): Promise<Overview> {
  const now = figureFilters(f);
  const before = figureFilters(f, 1);
  const step = bucketMs(f.periodMs);
  const buckets = Math.ceil(f.periodMs / step);
  const rows = (await overviewSql(db, f)) as Array<Record<string, unknown>>;
  const total = (period: number) => rows.find((r) => Number(r.period) === period && r.bucket === null);
  const [positionsNow] = (await positionsSql(db, now)) as Array<Record<string, unknown>>;
  const [positionsBefore] = (await positionsSql(db, before)) as Array<Record<string, unknown>>;
  return {
    current: toFigures(total(0), positionsNow),
    previous: toFigures(total(1), positionsBefore),
    series: seriesOf(rows, 0, step, buckets, now.since!),
    previousSeries: seriesOf(rows, 1, step, buckets, now.since!),
    bucketMs: step,
  };
}

export const TERM_PAGES = ['top', 'zero', 'low'] as const;
export type TermPage = (typeof TERM_PAGES)[number];

/** Terms of the period: most searched, most searched without results, or lowest converting (at least `minSearches` searches). */
export async function terms(db: Knex, f: DashboardFilters, page: TermPage, { limit = 100, offset = 0, minSearches = 5 } = {}): Promise<TermStats[]> {
  const rows = (await termsSql(db, figureFilters(f), { limit, offset, zeroHits: page === 'zero', order: page === 'low' ? 'lowConversion' : 'count', minSearches })) as Array<Record<string, unknown>>;
  return rows.map(toTermStats);
}

export interface LatestSearch extends SearchQuery {
  conversions: number;
}

/** The newest searches of the period (counts too), with how many conversions each has. */
export async function latest(db: Knex, f: DashboardFilters, limit = 50): Promise<LatestSearch[]> {
  const queries = await listQueries(db, { ...figureFilters(f), limit });
  if (!queries.length) return [];
  const counts = (await db(SEARCH_CONVERSIONS_TABLE).select('query_id').count('* as n').whereIn('query_id', queries.map((q) => q.id)).groupBy('query_id')) as Array<{ query_id: string; n: unknown }>;
  const byId = new Map(counts.map((c) => [String(c.query_id), Number(c.n)]));
  return queries.map((q) => ({ ...q, conversions: byId.get(q.id) ?? 0 }));
}

/** One logged search with its conversions. */
export async function oneSearch(db: Knex, id: string): Promise<{ query: SearchQuery; conversions: Conversion[] }> {
  const query = await getQuery(db, id);
  return { query, conversions: await listConversions(db, id) };
}
