import type { Knex } from 'knex';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';
import { listConversions, type Conversion } from '../search/conversions.js';
import { getQuery, listQueries } from '../search/query-audit.js';
import { figureColumns, positionsSql, searchesBetween, searchesWithConversionsBetween, termsSql, toFigures, toTermStats, type SearchFigures, type TermStats } from '../search/query-stats.js';
import type { SearchQuery } from '../search/search-query.js';
import { logSpanSql, rollupOverviewSql, rollupTermsSql, widen, type LogSpan } from '../search/rollup-sql.js';
import { bucketMs, bucketRanges, figureFilters, type DashboardFilters } from './dashboard-filters.js';

/**
 * The dashboard's figures: functions that return rows, built on the SQL of `search queries
 * stats` (src/search/query-stats.ts), so the pages and the CLI agree for the same filters.
 * The pages only lay these out.
 */

/**
 * Runs a page's reads in one read-only transaction with room to sort in memory (a page read
 * from the log with a user or reference filter may sort many rows, which spills to disk under
 * PostgreSQL's default 4 MB work_mem) and without JIT (`set local`: this transaction only).
 */
export async function readFigures<T>(db: Knex, read: (db: Knex) => Promise<T>): Promise<T> {
  // Repeatable read: the log's span and the figures are read in one snapshot (see `widen`).
  return db.transaction(async (trx) => {
    await trx.raw("set local work_mem = '64MB'");
    // The rollup statements are many small index ranges that the planner's cost adds up past
    // jit_above_cost: compiling them took seconds (bench/dashboard.ts) to save milliseconds.
    await trx.raw('set local jit = off');
    return read(trx);
  }, { readOnly: true, isolationLevel: 'repeatable read' });
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
 * From the log, for filters the rollups do not cover (a user or a reference; see
 * rollup-sql.ts for the others): the overview of the period and of the one before it: the figures per period (`bucket` null)
 * and per bucket of `step` ms, with the same aggregates as `search queries stats`. `period` is 0
 * for the current period, 1 for the previous one.
 *
 * Each (period, bucket) is a lateral subquery over its own time range: an index range scan of the
 * log (`search_figures`, read index-only) whose percentiles and distinct users sort that range
 * only. Grouping the whole of both periods instead sorted every row (~650,000 for 30 days) by
 * bucket before aggregating, spilling to disk, and then sorted each value again per bucket and
 * per period (bench/dashboard.ts measures both). A period's own row reads its searches without
 * joining their conversions: its converted searches and conversions are the sums of its buckets',
 * which tile the period exactly. Each branch has `where b.bucket is [not] null`, a one-time filter
 * that skips its scan, and the same as `having`, which drops the empty aggregate row it would
 * still make.
 */
export function overviewSql(db: Knex, f: DashboardFilters): Knex.QueryBuilder {
  const bounds: Array<number | Date | null> = [];
  for (const period of [0, 1]) {
    const { since, until } = figureFilters(f, period);
    bounds.push(period, null, since!, until!);
    for (const b of bucketRanges(f, period)) bounds.push(period, b.bucket, b.since, b.until);
  }
  const ranges = `(values ${Array.from({ length: bounds.length / 4 }, () => '(?::int, ?::int, ?::timestamptz, ?::timestamptz)').join(', ')}) as b (period, bucket, since, until)`;
  const [since, until] = [db.ref('b.since'), db.ref('b.until')];
  const bucket = searchesWithConversionsBetween(db, figureFilters(f), since, until).select(figureColumns(db)).whereRaw('b.bucket is not null').havingRaw('b.bucket is not null');
  const period = db.from(searchesBetween(db, figureFilters(f), since, until).as('s')).select(figureColumns(db, null)).whereRaw('b.bucket is null').havingRaw('b.bucket is null');
  const parts = db.select('b.period', 'b.bucket', 'f.*').from(db.raw(`${ranges} cross join lateral (? union all ?) as f`, [...bounds, bucket, period]));
  const sumOfBuckets = (column: string) => db.raw(`coalesce(p.${column}, sum(p.${column}) over (partition by p.period)) as ${column}`);
  const columns = ['period', 'bucket', 'volume', 'users', 'zero_hits', 'mean_hits', 'p50', 'p95', 'p99', 'max_ms', 'first', 'last'];
  return db.from(parts.as('p')).select(...columns.map((c) => `p.${c}`), sumOfBuckets('converted'), sumOfBuckets('conversions'));
}

/** Whether the figures of `f` can be read from the rollups (which are per index and time only). */
export const fromRollups = (f: DashboardFilters): boolean => f.user === undefined && f.reference === undefined;

function seriesOf(rows: Array<Record<string, unknown>>, period: number, times: readonly Date[]): Series {
  const byBucket = new Map(rows.filter((r) => Number(r.period) === period && r.bucket !== null).map((r) => [Number(r.bucket), r]));
  const out: Series = { time: [], searches: [], users: [], zeroHitRate: [], conversionRate: [], p50: [], p95: [] };
  times.forEach((time, i) => {
    const r = byBucket.get(i);
    const n = Number(r?.volume ?? 0);
    out.time.push(Math.floor(time.getTime() / 1000));
    out.searches.push(n);
    out.users.push(Number(r?.users ?? 0));
    out.zeroHitRate.push(n ? Number(r!.zero_hits) / n : null);
    out.conversionRate.push(n ? Number(r!.converted) / n : null);
    out.p50.push(n ? Number(r!.p50) : null);
    out.p95.push(n ? Number(r!.p95) : null);
  });
  return out;
}

/**
 * The overview: headline figures of the period and of the one before, and both as time series
 * (the previous period's buckets drawn at the current period's bucket times). Read from the
 * rollups unless a user or reference filter applies (rollup-sql.ts), in one statement either way.
 */
export async function overview(db: Knex, f: DashboardFilters): Promise<Overview> {
  const now = figureFilters(f);
  const before = figureFilters(f, 1);
  const buckets = [bucketRanges(f), bucketRanges(f, 1)];
  const times = buckets[0]!.map((b) => b.since);
  let rows: Array<Record<string, unknown>>;
  let positionsNow: Record<string, unknown> | undefined;
  let positionsBefore: Record<string, unknown> | undefined;
  const total = (period: number) => rows.find((r) => Number(r.period) === period && r.bucket === null);
  if (fromRollups(f)) {
    // The period's ends widened to whole hours where the log has nothing beyond them (a period ending now).
    const [span] = ((await logSpanSql(db)) as { rows: LogSpan[] }).rows;
    const ranges = buckets.flatMap((ranges, period) => ranges.map((r) => ({ ...r, ...widen(r.since, r.until, span, 'hour'), period })));
    rows = ((await rollupOverviewSql(db, f.index, ranges)) as { rows: Array<Record<string, unknown>> }).rows;
    [positionsNow, positionsBefore] = [total(0), total(1)];
  } else {
    rows = (await overviewSql(db, f)) as Array<Record<string, unknown>>;
    [positionsNow] = (await positionsSql(db, now)) as Array<Record<string, unknown>>;
    [positionsBefore] = (await positionsSql(db, before)) as Array<Record<string, unknown>>;
  }
  return {
    current: toFigures(total(0), positionsNow),
    previous: toFigures(total(1), positionsBefore),
    series: seriesOf(rows, 0, times),
    previousSeries: seriesOf(rows, 1, times),
    bucketMs: bucketMs(f.periodMs),
  };
}

export const TERM_PAGES = ['top', 'zero', 'low'] as const;
export type TermPage = (typeof TERM_PAGES)[number];

/** Terms of the period: most searched, most searched without results, or lowest converting (at least `minSearches` searches). */
export async function terms(db: Knex, f: DashboardFilters, page: TermPage, { limit = 100, offset = 0, minSearches = 5 } = {}): Promise<TermStats[]> {
  const options = { limit, offset, zeroHits: page === 'zero', order: page === 'low' ? ('lowConversion' as const) : ('count' as const), minSearches };
  const { since, until } = figureFilters(f);
  if (!fromRollups(f)) return ((await termsSql(db, figureFilters(f), options)) as Array<Record<string, unknown>>).map(toTermStats);
  const [span] = ((await logSpanSql(db)) as { rows: LogSpan[] }).rows;
  const rows = ((await rollupTermsSql(db, f.index, since!, until!, { ...options, span })) as { rows: Array<Record<string, unknown>> }).rows;
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
