import type { Knex } from 'knex';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';
import { durationBucketSql } from '../db/migrations/0004-search-rollups.js';
import { applyQueryFilters, type QueryFilters } from './query-audit.js';

/**
 * The audit figures of `search queries stats` and of the dashboard: one set of SQL builders
 * (pure, every value bound), so both show the same numbers for the same filters.
 *
 * Definitions: a search is a logged query of type `search` (counts are left out); a search is
 * converted when at least one conversion was recorded against it; the conversion rate is
 * converted searches / searches; converted positions are the ranks of the converted hits
 * (conversions whose hit was not among the logged hits have none); terms are lower-cased and
 * trimmed, empty terms left out.
 */

export interface TermCount {
  term: string;
  count: number;
}

/** Figures of one search term. */
export interface TermStats extends TermCount {
  /** Mean of total hits. */
  meanHits: number;
  /** Searches with at least one conversion. */
  converted: number;
  /** converted / count, 0..1. */
  conversionRate: number;
  /** Mean rank of the converted hits; null when none has a position. */
  meanPosition: number | null;
}

/** Conversion figures of a set of searches. */
export interface ConversionFigures {
  /** Searches with at least one conversion. */
  converted: number;
  /** converted / searches, 0..1. */
  conversionRate: number;
  /** Conversions recorded against these searches. */
  conversions: number;
  /** Mean and median (interpolated, percentile_cont) rank of the converted hits; null when none. */
  meanPosition: number | null;
  medianPosition: number | null;
}

/** The headline figures of a set of searches. */
export interface SearchFigures {
  /** Searches logged. */
  volume: number;
  /** Distinct user ids (searches without a user are not counted as one). */
  users: number;
  /** Searches with total hits 0. */
  zeroHits: number;
  /** zeroHits / volume, 0..1. */
  zeroHitRate: number;
  /** Mean of total hits. */
  meanHits: number;
  /**
   * Duration percentiles in ms, interpolated between ranks (PostgreSQL percentile_cont) over the
   * durations rounded to two significant digits (durationBucketSql: 12.34 counts as 12), which
   * the dashboard's rollups hold exactly; `max` is the unrounded longest duration.
   */
  latency: { p50: number; p95: number; p99: number; max: number };
  conversion: ConversionFigures;
  first: Date | null;
  last: Date | null;
}

/** Audit figures of one index over a period. */
export interface IndexQueryStats extends SearchFigures {
  index: string;
  /** Most frequent search terms with their hits and conversions. */
  topTerms: TermStats[];
  /** Most frequent search terms of zero-hit searches. */
  topZeroHitTerms: TermCount[];
  /** Terms searched at least `minSearches` times, lowest conversion rate first. */
  lowConvertingTerms: TermStats[];
}

/** The filters the figures take: those of `search queries list` that make sense for a set of searches. */
export type FigureFilters = Pick<QueryFilters, 'index' | 'since' | 'until' | 'user' | 'reference'>;

export interface StatsOptions extends FigureFilters {
  /** Terms listed per index (default 10). */
  top?: number;
  /** Low-converting terms need at least this many searches (default 5). */
  minSearches?: number;
}

export type TermOrder = 'count' | 'lowConversion';

/** Searches matching the filters (counts left out). */
export const searchesOf = (db: Knex, filters: FigureFilters): Knex.QueryBuilder => applyQueryFilters(db(SEARCH_QUERIES_TABLE).where('query_type', 'search'), filters);

/** A period's bound: a moment, or a column of an outer row (a lateral subquery per time bucket). */
type Bound = Date | Knex.Ref<string, Record<string, string>>;

/**
 * Per logged query of the period: its conversions, the sum and count of their known positions.
 * Read through (query_executed_at), so only the period's conversions are aggregated.
 */
function perQuery(db: Knex, since: Bound | undefined, until: Bound | undefined, of?: Knex.QueryBuilder): Knex.QueryBuilder {
  const builder = db(SEARCH_CONVERSIONS_TABLE).select('query_id', db.raw('count(*) as n'), db.raw('sum(position) as position_sum'), db.raw('count(position) as placed')).groupBy('query_id');
  // A user's or reference's searches are few: their conversions only, not the period's.
  if (of) builder.whereIn('query_id', of);
  return between(builder, 'query_executed_at', since, until).as('c');
}

/** Rows whose `column` is in [since, until). */
function between(builder: Knex.QueryBuilder, column: string, since: Bound | undefined, until: Bound | undefined): Knex.QueryBuilder {
  if (since !== undefined) builder.where(column, '>=', since);
  if (until !== undefined) builder.where(column, '<', until);
  return builder;
}

/** Conversions of queries executed in the filters' period (query_executed_at is the query's executed_at). */
function periodOfConversions(builder: Knex.QueryBuilder, filters: FigureFilters, column = 'query_executed_at'): Knex.QueryBuilder {
  return between(builder, column, filters.since, filters.until);
}

/** The searches of `filters` with their conversion counts: `s.*` columns and c.n, c.position_sum, c.placed. */
export function searchesWithConversions(db: Knex, filters: FigureFilters): Knex.QueryBuilder {
  return searchesWithConversionsBetween(db, filters, filters.since, filters.until);
}

/**
 * searchesWithConversions over [since, until) instead of the filters' period, where the bounds
 * may be columns of an outer row: the dashboard's overview reads each time bucket with a lateral
 * subquery, so each bucket is one index range and no sort of the whole period is needed.
 */
export function searchesWithConversionsBetween(db: Knex, filters: FigureFilters, since: Bound | undefined, until: Bound | undefined): Knex.QueryBuilder {
  const few = filters.user !== undefined || filters.reference !== undefined ? searchesBetween(db, filters, since, until).clearSelect().select('id') : undefined;
  return db.from(searchesBetween(db, filters, since, until).as('s')).leftJoin(perQuery(db, since, until, few), 'c.query_id', 's.id');
}

/** The searches of `filters` over [since, until) (bounds as for searchesWithConversionsBetween), without their conversions. */
export function searchesBetween(db: Knex, filters: FigureFilters, since: Bound | undefined, until: Bound | undefined): Knex.QueryBuilder {
  const searches = between(searchesOf(db, { ...filters, since: undefined, until: undefined }), 'executed_at', since, until);
  return searches.select('id', 'index_name', 'search_terms', 'total_hits', 'duration_ms', 'user_id', 'executed_at');
}

/**
 * The headline aggregates over searchesWithConversions rows: one list for the CLI and the
 * dashboard (which reads the conversion columns through a subquery, as `s.c_query_id`, `s.c_n`).
 */
export function figureColumns(db: Knex, c: { queryId: string; n: string } | null = { queryId: 'c.query_id', n: 'c.n' }): Knex.Raw[] {
  return [
    db.raw('count(*) as volume'),
    // Compared bytewise: the same distinct ids under any deterministic collation, and sorting
    // them is about twice as fast as under a libc locale such as C.UTF-8 (bench/dashboard.ts).
    db.raw('count(distinct s.user_id collate "C") as users'),
    db.raw('count(*) filter (where s.total_hits = 0) as zero_hits'),
    db.raw('avg(s.total_hits)::float8 as mean_hits'),
    db.raw(`percentile_cont(0.5) within group (order by ${durationBucketSql('s.duration_ms')}) as p50`),
    db.raw(`percentile_cont(0.95) within group (order by ${durationBucketSql('s.duration_ms')}) as p95`),
    db.raw(`percentile_cont(0.99) within group (order by ${durationBucketSql('s.duration_ms')}) as p99`),
    db.raw('max(s.duration_ms) as max_ms'),
    // Without conversion columns (`c` null), the caller adds these up from parts of the period.
    c ? db.raw('count(??) as converted', [c.queryId]) : db.raw('null::bigint as converted'),
    c ? db.raw('coalesce(sum(??), 0) as conversions', [c.n]) : db.raw('null::numeric as conversions'),
    db.raw('min(s.executed_at) as first'),
    db.raw('max(s.executed_at) as last'),
  ];
}

/** Headline figures, one row (or one per index with `perIndex`). */
export function figuresSql(db: Knex, filters: FigureFilters, { perIndex = false } = {}): Knex.QueryBuilder {
  const builder = searchesWithConversions(db, filters).select(figureColumns(db));
  if (perIndex) builder.select('s.index_name').groupBy('s.index_name').orderBy('s.index_name');
  return builder;
}

/** Mean and median converted position, one row (or one per index). */
export function positionsSql(db: Knex, filters: FigureFilters, { perIndex = false } = {}): Knex.QueryBuilder {
  const conversions = periodOfConversions(db(`${SEARCH_CONVERSIONS_TABLE} as v`).select('v.query_id', 'v.position').whereNotNull('v.position'), filters, 'v.query_executed_at').as('v');
  const builder = db
    .from(conversions)
    .join(searchesOf(db, filters).select('id', 'index_name').as('s'), 'v.query_id', 's.id')
    .select(db.raw('avg(v.position)::float8 as mean_position'), db.raw('percentile_cont(0.5) within group (order by v.position) as median_position'));
  if (perIndex) builder.select('s.index_name').groupBy('s.index_name');
  return builder;
}

/**
 * Term figures, the first `limit` terms per index (or overall) in `order`: most searched
 * first, or (`lowConversion`) terms with at least `minSearches` searches, lowest conversion
 * rate first, then most searched. `zeroHits` restricts to searches that found nothing.
 */
export function termsSql(db: Knex, filters: FigureFilters, options: { order?: TermOrder; limit: number; offset?: number; minSearches?: number; perIndex?: boolean; zeroHits?: boolean }): Knex.QueryBuilder {
  const { order = 'count', perIndex = false } = options;
  const term = db.raw('lower(btrim(s.search_terms))');
  const rank =
    order === 'count'
      ? 'count(*) desc, lower(btrim(s.search_terms))'
      : 'count(c.query_id)::float8 / count(*), count(*) desc, lower(btrim(s.search_terms))';
  const grouped = searchesWithConversions(db, filters)
    .select(
      db.raw('lower(btrim(s.search_terms)) as term'),
      db.raw('count(*) as n'),
      db.raw('avg(s.total_hits)::float8 as mean_hits'),
      db.raw('count(c.query_id) as converted'),
      db.raw('(sum(c.position_sum)::float8 / nullif(sum(c.placed), 0)) as mean_position'),
      db.raw(`row_number() over (${perIndex ? 'partition by s.index_name ' : ''}order by ${rank}) as position`),
    )
    .whereRaw("btrim(s.search_terms) <> ''")
    .groupBy(term);
  if (perIndex) grouped.select('s.index_name').groupBy('s.index_name');
  if (options.zeroHits) grouped.where('s.total_hits', 0);
  if (order === 'lowConversion') grouped.havingRaw('count(*) >= ?', [options.minSearches ?? 5]);
  const outer = db.select('*').from(grouped.as('terms'));
  const offset = options.offset ?? 0;
  outer.where('position', '>', offset).andWhere('position', '<=', offset + options.limit);
  return perIndex ? outer.orderBy(['index_name', 'position']) : outer.orderBy('position');
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string | Date));

/** A row of figuresSql and one of positionsSql as SearchFigures. */
export function toFigures(row: Record<string, unknown> | undefined, positions: Record<string, unknown> | undefined): SearchFigures {
  const volume = Number(row?.volume ?? 0);
  const zeroHits = Number(row?.zero_hits ?? 0);
  const converted = Number(row?.converted ?? 0);
  return {
    volume,
    users: Number(row?.users ?? 0),
    zeroHits,
    zeroHitRate: volume ? zeroHits / volume : 0,
    meanHits: Number(row?.mean_hits ?? 0),
    latency: { p50: Number(row?.p50 ?? 0), p95: Number(row?.p95 ?? 0), p99: Number(row?.p99 ?? 0), max: Number(row?.max_ms ?? 0) },
    conversion: {
      converted,
      conversionRate: volume ? converted / volume : 0,
      conversions: Number(row?.conversions ?? 0),
      meanPosition: numOrNull(positions?.mean_position),
      medianPosition: numOrNull(positions?.median_position),
    },
    first: dateOrNull(row?.first),
    last: dateOrNull(row?.last),
  };
}

/** A row of termsSql as TermStats. */
export function toTermStats(row: Record<string, unknown>): TermStats {
  const count = Number(row.n);
  const converted = Number(row.converted);
  return { term: String(row.term), count, meanHits: Number(row.mean_hits), converted, conversionRate: count ? converted / count : 0, meanPosition: numOrNull(row.mean_position) };
}

/**
 * Per index: volume, distinct users, zero-result rate and the top zero-result terms, top
 * terms, latency p50/p95/p99, mean hits, conversion rate and converted positions, and the
 * lowest-converting terms, over the filtered period.
 *
 * @example
 * const [blog] = await queryStats(db, { index: 'blog', since: new Date(Date.now() - 7 * 864e5) });
 * blog.zeroHitRate; // 0.12
 * blog.conversion.conversionRate; // 0.31
 */
export async function queryStats(db: Knex, options: StatsOptions = {}): Promise<IndexQueryStats[]> {
  const top = options.top ?? 10;
  const figures = (await figuresSql(db, options, { perIndex: true })) as Array<Record<string, unknown>>;
  if (!figures.length) return [];
  const positions = (await positionsSql(db, options, { perIndex: true })) as Array<Record<string, unknown>>;
  const terms = (await termsSql(db, options, { limit: top, perIndex: true })) as Array<Record<string, unknown>>;
  const zeroTerms = (await termsSql(db, options, { limit: top, perIndex: true, zeroHits: true })) as Array<Record<string, unknown>>;
  const lowTerms = (await termsSql(db, options, { limit: top, perIndex: true, order: 'lowConversion', minSearches: options.minSearches })) as Array<Record<string, unknown>>;
  const of = (rows: Array<Record<string, unknown>>, index: string) => rows.filter((r) => r.index_name === index);
  return figures.map((row) => {
    const index = String(row.index_name);
    return {
      index,
      ...toFigures(row, of(positions, index)[0]),
      topTerms: of(terms, index).map(toTermStats),
      topZeroHitTerms: of(zeroTerms, index).map((r) => ({ term: String(r.term), count: Number(r.n) })),
      lowConvertingTerms: of(lowTerms, index).map(toTermStats),
    };
  });
}
