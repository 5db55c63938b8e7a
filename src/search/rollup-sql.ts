import type { Knex } from 'knex';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from '../db/migrations/0003-search-conversions.js';
import { durationBucketSql, SEARCH_USERS_TABLE, USER_CHUNK } from '../db/migrations/0004-search-rollups.js';
import { ALL_INDEXES, LEVEL_TABLES } from '../db/migrations/0006-search-rollup-levels.js';
import type { TermOrder } from './query-stats.js';

/**
 * The audit figures read from the rollup levels of migration 0006 instead of the log: the same
 * numbers as the SQL of query-stats.ts (tests compare them), for filters by index and period
 * only (the rollups are not kept per user or reference; those filters read the log, which their
 * indexes keep small).
 *
 * A time range is cut into whole UTC weeks (from Monday), days and hours, then the rest
 * (`pieces`); those are read from the rollup rows of the index, or of all indexes ('*'), the
 * rest from the log (at most two partial hours, or two partial days for terms, which are rolled
 * up per day and week), and not even that at an end beyond which the log holds nothing
 * (`widen`). A page so reads about one row per bucket of its chart (per term and piece for the
 * term pages), not one per search. Counts and sums add up; distinct users are the OR of the
 * pieces' user bitmaps; percentiles are taken exactly, as PostgreSQL's percentile_cont does,
 * from the merged histograms of durations rounded to two significant digits
 * (durationBucketSql), which is what `search queries stats` sorts too.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

export type Grain = 'week' | 'day' | 'hour' | 'raw';
export interface Piece {
  grain: Grain;
  since: Date;
  until: Date;
}

// Weeks start on Monday 00:00 UTC, as date_trunc('week', t, 'UTC') (1970-01-05 was a Monday).
const GRAIN_MS: Record<Exclude<Grain, 'raw'>, [step: number, origin: number]> = { week: [WEEK_MS, 4 * DAY_MS], day: [DAY_MS, 0], hour: [HOUR_MS, 0] };

/** [since, until) as whole `grains` (largest first, aligned to UTC) and raw rests, in time order. */
export function pieces(since: Date, until: Date, grains: ReadonlyArray<Exclude<Grain, 'raw'>> = ['week', 'day', 'hour']): Piece[] {
  const from = since.getTime();
  const to = until.getTime();
  if (from >= to) return [];
  const [grain, ...smaller] = grains;
  if (grain === undefined) return [{ grain: 'raw', since, until }];
  const [step, origin] = GRAIN_MS[grain];
  const a = origin + Math.ceil((from - origin) / step) * step;
  const b = origin + Math.floor((to - origin) / step) * step;
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

const T = { log: SEARCH_QUERIES_TABLE, conv: SEARCH_CONVERSIONS_TABLE, userIds: SEARCH_USERS_TABLE, ...LEVEL_TABLES };

/**
 * percentile_cont(p) of a histogram held as two arrays in a row: `vs` its values ascending and
 * `ups` the number of values up to and including each (ascending, since every count is
 * positive). The values at ranks floor and ceil of p·(total − 1) are found by binary search
 * (width_bucket counts the entries of `ups` at or below a rank) and interpolated as
 * PostgreSQL's float8_lerp does, so the result is the same double as percentile_cont's.
 */
const percentileSql = (p: number, vs = 'vs', ups = 'ups'): string => {
  const pos = `(${p}::float8 * (${ups}[cardinality(${ups})] - 1)::float8)`;
  const at = (rank: string) => `${vs}[width_bucket(${rank}::bigint, ${ups}) + 1]`;
  return `(${at(`floor(${pos})`)} + (${at(`ceil(${pos})`)} - ${at(`floor(${pos})`)}) * (${pos} - floor(${pos})))`;
};

/** Binds values in the order the SQL text names them. */
function binder(): { bind: (value: Knex.RawBinding) => string; bindings: Knex.RawBinding[] } {
  const bindings: Knex.RawBinding[] = [];
  return { bind: (value) => (bindings.push(value), '?'), bindings };
}

/**
 * The overview's figures per (period, bucket) and per period (bucket null), for every range of
 * `ranges` (the buckets of each period, which tile it): the columns of figureColumns plus
 * mean_position and median_position on the period rows.
 *
 * Each range is cut into whole weeks, days and hours (`pieces`), read from the rollup rows of
 * `index` (or of all indexes, '*'), and at most two raw rests at the period's ends, read from
 * the log. Counts and sums add up; distinct users are the OR of the pieces' user bitmaps;
 * percentiles are taken from the merged histograms of durations, value by value.
 */
export function rollupOverviewSql(db: Knex, index: string | undefined, ranges: readonly OverviewRange[]): Knex.Raw {
  const { bind, bindings } = binder();
  // The pieces as five array literals (five bound values, not five per piece: planning a VALUES
  // list of 600 parameters took longer than running the statement).
  const columns: [number[], number[], string[], string[], string[]] = [[], [], [], [], []];
  for (const r of ranges) {
    for (const piece of pieces(r.since, r.until)) {
      columns[0].push(r.period);
      columns[1].push(r.bucket);
      columns[2].push(piece.grain);
      columns[3].push(piece.since.toISOString());
      columns[4].push(piece.until.toISOString());
    }
  }
  const literal = (values: ReadonlyArray<string | number>) => `{${values.map((v) => `"${v}"`).join(',')}}`;
  const unnest = `unnest(${bind(literal(columns[0]))}::int[], ${bind(literal(columns[1]))}::int[], ${bind(literal(columns[2]))}::text[], ${bind(literal(columns[3]))}::timestamptz[], ${bind(literal(columns[4]))}::timestamptz[])`;
  const key = index ?? ALL_INDEXES;
  const ofIndex = (alias: string) => (index === undefined ? '' : ` and ${alias}.index_name = ${bind(index)}`);
  // Each piece is its own index range (lateral, `offset 0` so it is not flattened into one
  // join, which would compare every rollup row with every piece).
  const rollup = (table: string, columns: string) =>
    `from p cross join lateral (select ${columns} from ${table} r where r.index_name = ${bind(key)} and r.grain = p.grain and r.start >= p.since and r.start < p.until offset 0) r`;
  const sql = `with p as materialized (select * from ${unnest} as p (period, bucket, grain, since, until)),
b as (select p.period, p.bucket, r.* ${rollup(T.buckets, 'r.searches, r.zero_hits, r.hits_sum, r.max_ms, r.first_at, r.last_at, r.converted, r.conversions, r.durations, r.duration_counts, r.positions, r.position_counts')}),
-- The raw rests' searches, read once, each with its conversions of that piece and its user's number (looked up by key: a join would hash the whole numbering for a few searches).
raw as (
  select p.period, p.bucket, s.* from p cross join lateral (
    select s.id, s.total_hits, s.duration_ms, s.executed_at, (select d.n from ${T.userIds} d where d.user_id = s.user_id) as user_n
      from ${T.log} s where p.grain = 'raw' and s.executed_at >= p.since and s.executed_at < p.until and s.query_type = 'search'${ofIndex('s')} offset 0) s),
rawc as (
  select p.period, p.bucket, v.query_id, count(*) as n from p cross join lateral (
    select v.query_id from ${T.conv} v where p.grain = 'raw' and v.query_executed_at >= p.since and v.query_executed_at < p.until offset 0) v group by 1, 2, 3),
counts as (
  select period, bucket, searches, zero_hits, hits_sum, max_ms, first_at, last_at, converted, conversions from b
  union all
  select r.period, r.bucket, count(*)::int, (count(*) filter (where r.total_hits = 0))::int, coalesce(sum(r.total_hits), 0)::numeric, max(r.duration_ms), min(r.executed_at), max(r.executed_at),
         count(c.query_id)::int, coalesce(sum(c.n), 0)::int
    from raw r left join rawc c on c.period = r.period and c.bucket = r.bucket and c.query_id = r.id group by r.period, r.bucket),
c as (
  select period, bucket, sum(searches) as volume, sum(zero_hits) as zero_hits, (sum(hits_sum) / nullif(sum(searches), 0))::float8 as mean_hits, max(max_ms) as max_ms,
         min(first_at) as first, max(last_at) as last, sum(converted) as converted, sum(conversions) as conversions
    from counts group by grouping sets ((period, bucket), (period))),
lat as (
  select b.period, b.bucket, x.v, x.n from b cross join unnest(b.durations, b.duration_counts) as x(v, n)
  union all
  select r.period, r.bucket, ${durationBucketSql('r.duration_ms')}, 1 from raw r),
lb as (select period, bucket, v, sum(n) as n from lat group by period, bucket, v),
lh as (select period, bucket, v, n from lb union all select period, null, v, sum(n) from lb group by period, v),
lc as (select period, bucket, v, (sum(n) over (partition by period, bucket order by v))::bigint as upto from lh),
la as (select period, bucket, array_agg(v order by v) as vs, array_agg(upto order by v) as ups from lc group by period, bucket),
l as (select period, bucket, ${percentileSql(0.5)} as p50, ${percentileSql(0.95)} as p95, ${percentileSql(0.99)} as p99 from la),
us as (
  select p.period, p.bucket, r.chunk, r.bits ${rollup(T.users, 'r.chunk, r.bits')}
  union all
  select r.period, r.bucket, r.user_n / ${USER_CHUNK}, set_bit(0::bit(${USER_CHUNK}), r.user_n % ${USER_CHUNK}, 1) from raw r where r.user_n is not null),
u as (select period, bucket, sum(bit_count(b)) as users from (select period, bucket, chunk, bit_or(bits) as b from us group by grouping sets ((period, bucket, chunk), (period, chunk))) x group by period, bucket),
ps as (
  select b.period, x.v, x.n from b cross join unnest(b.positions, b.position_counts) as x(v, n)
  union all
  select p.period, v.position, 1 from p cross join lateral (select * from ${T.conv} v where p.grain = 'raw' and v.query_executed_at >= p.since and v.query_executed_at < p.until and v.position is not null offset 0) v
    join ${T.log} s on s.id = v.query_id and s.query_type = 'search'${ofIndex('s')}),
ph as (select period, v, sum(n) as n from ps group by period, v),
pa as (select period, (sum(v * n) / sum(n))::float8 as mean_position, array_agg(v order by v) as vs, array_agg(upto order by v) as ups
         from (select period, v, n, (sum(n) over (partition by period order by v))::bigint as upto from ph) x group by period),
pos as (select period, mean_position, ${percentileSql(0.5)}::float8 as median_position from pa)
select c.period, c.bucket, c.volume, coalesce(u.users, 0) as users, c.zero_hits, c.mean_hits, l.p50, l.p95, l.p99, c.max_ms, c.converted, c.conversions, c.first, c.last,
       case when c.bucket is null then pos.mean_position end as mean_position, case when c.bucket is null then pos.median_position end as median_position
  from c
  left join l on l.period = c.period and l.bucket is not distinct from c.bucket
  left join u on u.period = c.period and u.bucket is not distinct from c.bucket
  left join pos on pos.period = c.period and c.bucket is null`;
  return db.raw(sql, bindings);
}

/** What the log holds: its oldest and newest search (any index), and the first and last day of the term rollups; null when empty. */
export interface LogSpan {
  oldest: Date | null;
  newest: Date | null;
  first: Date | null;
  last: Date | null;
}

export interface RollupTermsOptions {
  order?: TermOrder;
  limit: number;
  offset?: number;
  minSearches?: number;
  zeroHits?: boolean;
  /** The log's span (logSpanSql), read in the same snapshot: when given, the period is widened where the log has nothing and read as the whole log less what lies outside it when that is fewer rows. */
  span?: LogSpan;
}

/** The log's span, one row (oldest, newest, first, last), each read at one end of an index. */
export const logSpanSql = (db: Knex): Knex.Raw =>
  db.raw(
    `select (select executed_at from ${T.log} order by executed_at limit 1) as oldest, (select executed_at from ${T.log} order by executed_at desc limit 1) as newest,
            (select start from ${T.terms} where index_name = ? and grain = 'day' order by start limit 1) as first, (select start from ${T.terms} where index_name = ? and grain = 'day' order by start desc limit 1) as last`,
    [ALL_INDEXES, ALL_INDEXES],
  );

const floorTo = (t: Date, grain: Exclude<Grain, 'raw'>): Date => {
  const [step, origin] = GRAIN_MS[grain];
  return new Date(origin + Math.floor((t.getTime() - origin) / step) * step);
};
const ceilTo = (t: Date, grain: Exclude<Grain, 'raw'>): Date => {
  const [step, origin] = GRAIN_MS[grain];
  return new Date(origin + Math.ceil((t.getTime() - origin) / step) * step);
};

/**
 * [since, until) widened to `grain` boundaries at an end beyond which the log holds nothing (a
 * period ending now, after the newest search; one starting before the oldest): the same
 * searches, in whole rollup rows instead of a raw rest read from the log. The span must come
 * from the same snapshot as the figures (readFigures reads in one repeatable-read transaction).
 */
export function widen(since: Date, until: Date, span: LogSpan | undefined, grain: Exclude<Grain, 'raw'>): { since: Date; until: Date } {
  if (!span) return { since, until };
  const before = span.oldest === null || since.getTime() <= span.oldest.getTime();
  const after = span.newest === null || until.getTime() > span.newest.getTime();
  return { since: before ? floorTo(since, grain) : since, until: after ? ceilTo(until, grain) : until };
}

// What a piece of term rows costs to read, about: a week holds about twice the terms of a day, the whole log three times.
const pieceCost = (ps: readonly Piece[]): number => ps.reduce((n, p) => n + (p.grain === 'week' ? 2 * Math.round((p.until.getTime() - p.since.getTime()) / WEEK_MS) : Math.round((p.until.getTime() - p.since.getTime()) / DAY_MS)), 0);

/**
 * termsSql (query-stats.ts) over [since, until) of one index or all, read from the weekly and
 * daily term rollups and the log for the partial days at either end: the same rows (term, n,
 * mean_hits, converted, mean_position, position). For zero-hit searches, the mean hits is 0 and
 * there is no converted position (they returned no hits to convert on). Every figure is a sum,
 * so the whole log's row less the rows of the weeks and days outside the period is exact too
 * (`days`), and read instead when it is fewer rows.
 */
export function rollupTermsSql(db: Knex, index: string | undefined, since: Date, until: Date, options: RollupTermsOptions): Knex.Raw {
  const { order = 'count', zeroHits = false } = options;
  const { bind, bindings } = binder();
  const span = options.span;
  const widened = widen(since, until, span, 'week');
  const parts = pieces(widened.since, widened.until, ['week', 'day']);
  const inside = parts.filter((p) => p.grain !== 'raw');
  const edges = parts.filter((p) => p.grain === 'raw');
  const key = index ?? ALL_INDEXES;
  const n = zeroHits ? 'zero_hits' : 'searches';
  const converted = zeroHits ? 'zero_converted' : 'converted';
  const rank = order === 'count' ? 'sum(n) desc, term' : 'sum(converted)::float8 / sum(n), sum(n) desc, term';
  let rolled = inside.map((p) => ({ sign: '', piece: p }));
  if (inside.length && span?.first && span.last) {
    const [a, b] = [inside[0]!.since, inside[inside.length - 1]!.until];
    const outside = [...pieces(span.first, a, ['week', 'day']), ...pieces(b, new Date(span.last.getTime() + DAY_MS), ['week', 'day'])].filter((p) => p.grain !== 'raw');
    if (3 + pieceCost(outside) < pieceCost(inside)) rolled = [{ sign: '', piece: { grain: 'all' as Grain, since: new Date(-8.64e15), until: new Date(8.64e15) } }, ...outside.map((p) => ({ sign: '-', piece: p }))];
  }
  const fromRollups = rolled.map(({ sign, piece }) =>
    piece.grain === ('all' as Grain)
      ? `select r.term, r.${n}, r.hits_sum, r.${converted}, r.position_sum, r.placed from ${T.terms} r where r.index_name = ${bind(key)} and r.grain = 'all'`
      : `select r.term, ${sign}r.${n}, ${sign}r.hits_sum, ${sign}r.${converted}, ${sign}r.position_sum, ${sign}r.placed from ${T.terms} r where r.index_name = ${bind(key)} and r.grain = ${bind(piece.grain)} and r.start >= ${bind(piece.since)} and r.start < ${bind(piece.until)}`,
  );
  const within = (column: string) => (edges.length ? `(${edges.map((e) => `(${column} >= ${bind(e.since)} and ${column} < ${bind(e.until)})`).join(' or ')})` : 'false');
  const fromLog = `select lower(btrim(s.search_terms)), 1, s.total_hits, (c.query_id is not null)::int, coalesce(c.position_sum, 0), coalesce(c.placed, 0)
    from ${T.log} s left join (select query_id, sum(position) as position_sum, count(position) as placed from ${T.conv} where ${within('query_executed_at')} group by query_id) c on c.query_id = s.id
   where ${within('s.executed_at')} and s.query_type = 'search' and btrim(s.search_terms) <> ''${zeroHits ? ' and s.total_hits = 0' : ''}${index === undefined ? '' : ` and s.index_name = ${bind(index)}`}`;
  const offset = options.offset ?? 0;
  const sql = `with parts (term, n, hits_sum, converted, position_sum, placed) as (
  ${[...fromRollups, fromLog].join('\n  union all\n  ')}),
terms as (
  select term, sum(n) as n, ${zeroHits ? '0::float8' : '(sum(hits_sum) / sum(n))::float8'} as mean_hits, sum(converted) as converted,
         ${zeroHits ? 'null::float8' : 'sum(position_sum)::float8 / nullif(sum(placed), 0)'} as mean_position, row_number() over (order by ${rank}) as position
    from parts group by term having sum(n) >= ${bind(order === 'lowConversion' ? Math.max(1, options.minSearches ?? 5) : 1)})
select * from terms where position > ${bind(offset)} and position <= ${bind(offset + options.limit)} order by position`;
  return db.raw(sql, bindings);
}
