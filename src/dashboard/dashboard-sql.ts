import type { Knex } from 'knex';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';
import { listConversions, type Conversion } from '../search/conversions.js';
import { getQuery, listQueries } from '../search/query-audit.js';
import { figuresSql, positionsSql, searchesWithConversions, termsSql, toFigures, toTermStats, type FigureFilters, type SearchFigures, type TermStats } from '../search/query-stats.js';
import type { SearchQuery } from '../search/search-query.js';
import { bucketMs, figureFilters, type DashboardFilters } from './dashboard-filters.js';

/**
 * The dashboard's figures: functions that return rows, built on the SQL of `search queries
 * stats` (src/search/query-stats.ts), so the pages and the CLI agree for the same filters.
 * The pages only lay these out.
 */

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

export async function headline(db: Knex, filters: FigureFilters): Promise<SearchFigures> {
  const [row] = (await figuresSql(db, filters)) as Array<Record<string, unknown>>;
  const [positions] = (await positionsSql(db, filters)) as Array<Record<string, unknown>>;
  return toFigures(row, positions);
}

/** Figures per bucket of `step` ms from `filters.since`. One pass over the period's rows. */
export function seriesSql(db: Knex, filters: FigureFilters & { since: Date }, step: number): Knex.QueryBuilder {
  return searchesWithConversions(db, filters)
    .select(
      db.raw('floor(extract(epoch from (s.executed_at - ?::timestamptz)) * 1000 / ?)::int as bucket', [filters.since, step]),
      db.raw('count(*) as n'),
      db.raw('count(distinct s.user_id) as users'),
      db.raw('count(*) filter (where s.total_hits = 0) as zero_hits'),
      db.raw('count(c.query_id) as converted'),
      db.raw('percentile_cont(0.5) within group (order by s.duration_ms) as p50'),
      db.raw('percentile_cont(0.95) within group (order by s.duration_ms) as p95'),
    )
    .groupByRaw('1')
    .orderByRaw('1');
}

async function series(db: Knex, filters: FigureFilters & { since: Date }, step: number, buckets: number, timeBase: Date): Promise<Series> {
  const rows = (await seriesSql(db, filters, step)) as Array<Record<string, unknown>>;
  const byBucket = new Map(rows.map((r) => [Number(r.bucket), r]));
  const out: Series = { time: [], searches: [], users: [], zeroHitRate: [], conversionRate: [], p50: [], p95: [] };
  for (let i = 0; i < buckets; i++) {
    const r = byBucket.get(i);
    const n = Number(r?.n ?? 0);
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
  const now = figureFilters(f) as FigureFilters & { since: Date };
  const before = figureFilters(f, 1) as FigureFilters & { since: Date };
  const step = bucketMs(f.periodMs);
  const buckets = Math.ceil(f.periodMs / step);
  return {
    current: await headline(db, now),
    previous: await headline(db, before),
    series: await series(db, now, step, buckets, now.since),
    previousSeries: await series(db, before, step, buckets, now.since),
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
