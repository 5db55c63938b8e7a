import type { Knex } from 'knex';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';
import { durationBucketSql, ROLLUP_TABLES, SEARCH_USERS_TABLE, USER_CHUNK } from '../db/migrations/0004-search-rollups.js';
import type { TermOrder } from './query-stats.js';

/**
 * The audit figures read from the rollups of migration 0004 instead of the log: the same numbers
 * as the SQL of query-stats.ts (tests compare them), for filters by index and period only (the
 * rollups are not kept per user or reference; those filters read the log, which their indexes
 * keep small).
 *
 * A time range is cut into whole UTC days, then whole hours, then the rest (`pieces`); days and
 * hours are read from the rollups, the rest from the log (at most two partial hours, or two
 * partial days for terms, which are rolled up per day only). Counts and sums add up; distinct
 * users are the OR of the pieces' user bitmaps; percentiles are taken exactly, as PostgreSQL's
 * percentile_cont does, from the merged histogram of durations rounded to two significant
 * digits (durationBucketSql), which is what `search queries stats` sorts too.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Grain = 'day' | 'hour' | 'raw';
export interface Piece {
  grain: Grain;
  since: Date;
  until: Date;
}

const GRAIN_MS: Record<Exclude<Grain, 'raw'>, number> = { day: DAY_MS, hour: HOUR_MS };

/** [since, until) as whole `grains` (largest first, aligned to UTC) and raw rests, in time order. */
export function pieces(since: Date, until: Date, grains: ReadonlyArray<Exclude<Grain, 'raw'>> = ['day', 'hour']): Piece[] {
  const from = since.getTime();
  const to = until.getTime();
  if (from >= to) return [];
  const [grain, ...smaller] = grains;
  if (grain === undefined) return [{ grain: 'raw', since, until }];
  const step = GRAIN_MS[grain];
  const a = Math.ceil(from / step) * step;
  const b = Math.floor(to / step) * step;
  if (a >= b) return pieces(since, until, smaller);
  return [...pieces(since, new Date(a), smaller), { grain, since: new Date(a), until: new Date(b) }, ...pieces(new Date(b), until, smaller)];
}

/** A range of the overview: `bucket` null for a whole period. */
export interface OverviewRange {
  period: number;
  bucket: number;
  since: Date;
  until: Date;
}

const T = { log: SEARCH_QUERIES_TABLE, conv: SEARCH_CONVERSIONS_TABLE, userIds: SEARCH_USERS_TABLE, ...ROLLUP_TABLES };
const PERCENTILES = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

/**
 * percentile_cont(p) over a histogram `h` (columns v, upto: the rows up to and including v,
 * total), within a group: the values at ranks floor and ceil of p·(total − 1), interpolated as
 * PostgreSQL's float8_lerp does, so the result is the same double.
 */
const percentileSql = (p: number): string => {
  const pos = `(${p}::float8 * (total - 1)::float8)`;
  const at = (rank: string) => `min(v) filter (where upto > ${rank})`;
  return `(${at(`floor(${pos})`)} + (${at(`ceil(${pos})`)} - ${at(`floor(${pos})`)}) * (${pos} - floor(${pos})))`;
};

/** Filters of the rollup reads: an index or all of them. */
const indexSql = (alias: string, index: string | undefined): [string, Knex.RawBinding[]] => (index === undefined ? ['', []] : [` and ${alias}.index_name = ?`, [index]]);

/**
 * The overview's figures per (period, bucket) and per period (bucket null), for every range of
 * `ranges` (the buckets of each period, which tile it): the columns of figureColumns plus
 * mean_position and median_position on the period rows.
 */
export function rollupOverviewSql(db: Knex, index: string | undefined, ranges: readonly OverviewRange[]): Knex.Raw {
  const rows: Knex.RawBinding[] = [];
  for (const r of ranges) for (const piece of pieces(r.since, r.until)) rows.push(r.period, r.bucket, piece.grain, piece.since, piece.until);
  if (!rows.length) rows.push(0, 0, 'raw', new Date(0), new Date(0));
  const values = `(values ${Array.from({ length: rows.length / 5 }, () => '(?::int, ?::int, ?::text, ?::timestamptz, ?::timestamptz)').join(', ')}) as p (period, bucket, grain, since, until)`;
  const [ri, rb] = indexSql('r', index);
  const [si, sb] = indexSql('s', index);
  // Each piece is its own index range (lateral, `offset 0` so it is not flattened into one
  // join, which would compare every rollup row of the table with every piece).
  const rollup = (table: string) => `from p cross join lateral (select * from ${table} r where r.grain = p.grain and r.start >= p.since and r.start < p.until${ri} offset 0) r`;
  const raw = `from p cross join lateral (select * from ${T.log} s where p.grain = 'raw' and s.executed_at >= p.since and s.executed_at < p.until and s.query_type = 'search'${si} offset 0) s`;
  const sql = `with p as (select * from ${values}),
counts as (
  select p.period, p.bucket, r.searches, r.zero_hits, r.hits_sum, r.max_ms, r.first_at, r.last_at, r.converted, r.conversions ${rollup(T.counts)}
  union all
  select p.period, p.bucket, a.* from p cross join lateral (
    select count(*)::int, (count(*) filter (where s.total_hits = 0))::int, coalesce(sum(s.total_hits), 0)::numeric, max(s.duration_ms), min(s.executed_at), max(s.executed_at), count(c.query_id)::int, coalesce(sum(c.n), 0)::int
      from ${T.log} s left join (select query_id, count(*) as n from ${T.conv} where query_executed_at >= p.since and query_executed_at < p.until group by query_id) c on c.query_id = s.id
     where s.executed_at >= p.since and s.executed_at < p.until and s.query_type = 'search'${si}) a
   where p.grain = 'raw'),
c as (
  select period, bucket, sum(searches) as volume, sum(zero_hits) as zero_hits, (sum(hits_sum) / nullif(sum(searches), 0))::float8 as mean_hits, max(max_ms) as max_ms,
         min(first_at) as first, max(last_at) as last, sum(converted) as converted, sum(conversions) as conversions
    from counts group by grouping sets ((period, bucket), (period))),
lat as (
  select p.period, p.bucket, r.duration_ms as v, r.searches as n ${rollup(T.latency)}
  union all
  select p.period, p.bucket, ${durationBucketSql('s.duration_ms')}, 1 ${raw}),
lh as (select period, bucket, v, sum(n) as n from lat group by grouping sets ((period, bucket, v), (period, v))),
lc as (select period, bucket, v, sum(n) over (partition by period, bucket order by v) as upto, sum(n) over (partition by period, bucket) as total from lh),
l as (select period, bucket, ${PERCENTILES.map(([name, p]) => `${percentileSql(p)} as ${name}`).join(', ')} from lc group by period, bucket, total),
us as (
  select p.period, p.bucket, r.chunk, r.bits ${rollup(T.users)}
  union all
  select p.period, p.bucket, d.n / ${USER_CHUNK}, set_bit(0::bit(${USER_CHUNK}), d.n % ${USER_CHUNK}, 1) ${raw} join ${T.userIds} d on d.user_id = s.user_id),
u as (select period, bucket, sum(bit_count(b)) as users from (select period, bucket, chunk, bit_or(bits) as b from us group by grouping sets ((period, bucket, chunk), (period, chunk))) x group by period, bucket),
ps as (
  select p.period, r.position, r.conversions as n ${rollup(T.positions)}
  union all
  select p.period, v.position, 1 from p cross join lateral (select * from ${T.conv} v where p.grain = 'raw' and v.query_executed_at >= p.since and v.query_executed_at < p.until and v.position is not null offset 0) v
    join ${T.log} s on s.id = v.query_id and s.query_type = 'search'${si}),
ph as (select period, position as v, sum(n) as n from ps group by period, position),
pc as (select period, v, n, sum(n) over (partition by period order by v) as upto, sum(n) over (partition by period) as total from ph),
pos as (select period, (sum(v * n) / sum(n))::float8 as mean_position, ${percentileSql(0.5)}::float8 as median_position from pc group by period, total)
select c.period, c.bucket, c.volume, coalesce(u.users, 0) as users, c.zero_hits, c.mean_hits, l.p50, l.p95, l.p99, c.max_ms, c.converted, c.conversions, c.first, c.last,
       case when c.bucket is null then pos.mean_position end as mean_position, case when c.bucket is null then pos.median_position end as median_position
  from c
  left join l on l.period = c.period and l.bucket is not distinct from c.bucket
  left join u on u.period = c.period and u.bucket is not distinct from c.bucket
  left join pos on pos.period = c.period and c.bucket is null`;
  return db.raw(sql, [...rows, ...rb, ...sb, ...rb, ...sb, ...rb, ...sb, ...rb, ...sb]);
}

export interface RollupTermsOptions {
  order?: TermOrder;
  limit: number;
  offset?: number;
  minSearches?: number;
  zeroHits?: boolean;
  /** The first and last day of the term rollups (termDaysSql): when given, a period with fewer days outside it than in it is read as the whole log less those. */
  days?: { first: Date | null; last: Date | null };
}

/** The first and last day in the term rollups, one row (first, last), read at both ends of their key. */
export const termDaysSql = (db: Knex): Knex.Raw =>
  db.raw(`select (select day from ${T.terms} where day > '-infinity' order by day limit 1) as first, (select day from ${T.terms} order by day desc limit 1) as last`);

/**
 * termsSql (query-stats.ts) over [since, until) of one index or all, read from the daily term
 * rollups and the log for the partial days at either end: the same rows (term, n, mean_hits,
 * converted, mean_position, position). For zero-hit searches, the mean hits is 0 and there is no
 * converted position (they returned no hits to convert on). Every figure is a sum, so the whole
 * log's row less the rows of the days outside the period is exact too (`days`).
 */
export function rollupTermsSql(db: Knex, index: string | undefined, since: Date, until: Date, options: RollupTermsOptions): Knex.Raw {
  const { order = 'count', zeroHits = false } = options;
  const parts = pieces(since, until, ['day']);
  const days = parts.filter((p) => p.grain === 'day');
  const edges = parts.filter((p) => p.grain === 'raw');
  const [ri, rb] = indexSql('r', index);
  const [si, sb] = indexSql('s', index);
  const within = (column: string) => (edges.length ? `(${edges.map(() => `(${column} >= ? and ${column} < ?)`).join(' or ')})` : 'false');
  const edgeBounds = edges.flatMap((e) => [e.since, e.until]);
  const n = zeroHits ? 'zero_hits' : 'searches';
  const converted = zeroHits ? 'zero_converted' : 'converted';
  const rank = order === 'count' ? 'sum(n) desc, term' : 'sum(converted)::float8 / sum(n), sum(n) desc, term';
  const dayBounds = days.length ? [days[0]!.since, days[days.length - 1]!.until] : [];
  const dayCount = (a: number, b: number) => Math.max(0, Math.round((b - a) / DAY_MS));
  const span = options.days;
  // Whole log less the days outside [since, until) when those are fewer than the days inside.
  const complement =
    days.length > 0 && span?.first && span.last && dayCount(span.first.getTime(), dayBounds[0]!.getTime()) + dayCount(dayBounds[1]!.getTime(), span.last.getTime() + DAY_MS) < dayCount(dayBounds[0]!.getTime(), dayBounds[1]!.getTime());
  const columns = (sign: string) => `r.term, ${sign}r.${n}, ${sign}r.hits_sum, ${sign}r.${converted}, ${sign}r.position_sum, ${sign}r.placed`;
  const fromDays = complement
    ? `select ${columns('')} from ${T.terms} r where r.day = '-infinity'${ri}
  union all
  select ${columns('-')} from ${T.terms} r where r.day > '-infinity' and (r.day < ? or r.day >= ?)${ri}`
    : `select ${columns('')} from ${T.terms} r where ${days.length ? 'r.day >= ? and r.day < ?' : 'false'}${ri}`;
  const sql = `with parts (term, n, hits_sum, converted, position_sum, placed) as (
  ${fromDays}
  union all
  select lower(btrim(s.search_terms)), 1, s.total_hits, (c.query_id is not null)::int, coalesce(c.position_sum, 0), coalesce(c.placed, 0)
    from ${T.log} s left join (select query_id, sum(position) as position_sum, count(position) as placed from ${T.conv} where ${within('query_executed_at')} group by query_id) c on c.query_id = s.id
   where ${within('s.executed_at')} and s.query_type = 'search' and btrim(s.search_terms) <> ''${zeroHits ? ' and s.total_hits = 0' : ''}${si}),
terms as (
  select term, sum(n) as n, ${zeroHits ? '0::float8' : '(sum(hits_sum) / sum(n))::float8'} as mean_hits, sum(converted) as converted,
         ${zeroHits ? 'null::float8' : 'sum(position_sum)::float8 / nullif(sum(placed), 0)'} as mean_position, row_number() over (order by ${rank}) as position
    from parts group by term having sum(n) >= ?)
select * from terms where position > ? and position <= ? order by position`;
  const offset = options.offset ?? 0;
  const dayBindings = complement ? [...rb, ...dayBounds, ...rb] : [...dayBounds, ...rb];
  return db.raw(sql, [...dayBindings, ...edgeBounds, ...edgeBounds, ...sb, order === 'lowConversion' ? Math.max(1, options.minSearches ?? 5) : 1, offset, offset + options.limit]);
}
