import type { Knex } from 'knex';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { applyQueryFilters, type QueryFilters } from './query-audit.js';

export interface TermCount {
  term: string;
  count: number;
}

/** Audit figures of one index over a period (searches only; counts are left out). */
export interface IndexQueryStats {
  index: string;
  /** Searches logged. */
  volume: number;
  /** Searches with total hits 0. */
  zeroHits: number;
  /** zeroHits / volume, 0..1. */
  zeroHitRate: number;
  /** Mean of total hits. */
  meanHits: number;
  /** Duration percentiles in ms, interpolated between ranks (PostgreSQL percentile_cont). */
  latency: { p50: number; p95: number; p99: number; max: number };
  /** Most frequent search terms (lower-cased and trimmed; empty terms left out). */
  topTerms: TermCount[];
  /** Most frequent search terms of zero-hit searches. */
  topZeroHitTerms: TermCount[];
  first: Date;
  last: Date;
}

export interface StatsOptions extends Pick<QueryFilters, 'index' | 'since' | 'until' | 'user' | 'reference'> {
  /** Terms listed per index (default 10). */
  top?: number;
}

const searches = (db: Knex, options: StatsOptions) => applyQueryFilters(db(SEARCH_QUERIES_TABLE).where('query_type', 'search'), options);

/** The top `n` terms per index of `builder` (grouped, ranked with row_number so that only n rows per index come back). */
function topTerms(db: Knex, builder: Knex.QueryBuilder, n: number): Knex.QueryBuilder {
  const grouped = builder
    .select('index_name', db.raw('lower(btrim(search_terms)) as term'), db.raw('count(*) as n'), db.raw('row_number() over (partition by index_name order by count(*) desc, lower(btrim(search_terms))) as position'))
    .whereRaw("btrim(search_terms) <> ''")
    .groupBy('index_name', db.raw('lower(btrim(search_terms))'));
  return db.select('index_name', 'term', 'n').from(grouped.as('terms')).where('position', '<=', n).orderBy(['index_name', 'position']);
}

/**
 * Per index: volume, zero-result rate and the top zero-result terms, top terms, latency
 * p50/p95/p99, mean hits, over the filtered period. Three statements, each one pass over the
 * period's rows through the (index_name, executed_at) index.
 *
 * @example
 * const [blog] = await queryStats(db, { index: 'blog', since: new Date(Date.now() - 7 * 864e5) });
 * blog.zeroHitRate; // 0.12
 */
export async function queryStats(db: Knex, options: StatsOptions = {}): Promise<IndexQueryStats[]> {
  const top = options.top ?? 10;
  const figures = (await searches(db, options)
    .select(
      'index_name',
      db.raw('count(*) as volume'),
      db.raw('count(*) filter (where total_hits = 0) as zero_hits'),
      db.raw('avg(total_hits)::float8 as mean_hits'),
      db.raw('percentile_cont(0.5) within group (order by duration_ms) as p50'),
      db.raw('percentile_cont(0.95) within group (order by duration_ms) as p95'),
      db.raw('percentile_cont(0.99) within group (order by duration_ms) as p99'),
      db.raw('max(duration_ms) as max_ms'),
      db.raw('min(executed_at) as first'),
      db.raw('max(executed_at) as last'),
    )
    .groupBy('index_name')
    .orderBy('index_name')) as Array<Record<string, unknown>>;
  if (!figures.length) return [];
  const terms = (await topTerms(db, searches(db, options), top)) as Array<{ index_name: string; term: string; n: unknown }>;
  const zeroTerms = (await topTerms(db, searches(db, options).where('total_hits', 0), top)) as Array<{ index_name: string; term: string; n: unknown }>;
  const termsOf = (rows: typeof terms, index: string): TermCount[] => rows.filter((r) => r.index_name === index).map((r) => ({ term: r.term, count: Number(r.n) }));
  return figures.map((row) => {
    const index = String(row.index_name);
    const volume = Number(row.volume);
    const zeroHits = Number(row.zero_hits);
    return {
      index,
      volume,
      zeroHits,
      zeroHitRate: volume ? zeroHits / volume : 0,
      meanHits: Number(row.mean_hits),
      latency: { p50: Number(row.p50), p95: Number(row.p95), p99: Number(row.p99), max: Number(row.max_ms) },
      topTerms: termsOf(terms, index),
      topZeroHitTerms: termsOf(zeroTerms, index),
      first: new Date(row.first as string | Date),
      last: new Date(row.last as string | Date),
    };
  });
}
