import type { Knex } from 'knex';
import type { IndexkitMigration } from './index.js';
import { SEARCH_QUERIES_TABLE } from './0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from './0003-search-conversions.js';
import { durationBucketSql, ROLLUP_TABLES, searchRollupsMigration, SEARCH_USERS_TABLE, USER_CHUNK } from './0004-search-rollups.js';

/**
 * The dashboard's rollups in levels, replacing 0004's: per UTC hour, day and Monday week, per
 * index and for all indexes together (index_name '*', which no index can be named), so a page
 * reads one row per bucket of its chart, not one per hour, index and distinct duration
 * (src/search/rollup-sql.ts reads them; bench/dashboard.ts measures both).
 *
 * - rollup_buckets, keyed by (grain, start, index_name), grain 'hour', 'day' or 'week': searches,
 *   zero-hit searches, the sum of total hits, the longest duration, the first and last search,
 *   converted searches and conversions, and two histograms as sorted arrays of values and
 *   counts: durations rounded to two significant digits (durationBucketSql, what the
 *   percentiles are taken over) and converted positions. 0004 kept one row per distinct
 *   duration and per position: a week of hours was 64,000 rows to read, now 168 per period.
 * - rollup_user_bits: which users searched, bitmaps of 4,096 users (USER_CHUNK) numbered by
 *   search_users (0004's numbering, kept), per (grain, start, index_name, chunk).
 * - rollup_term_totals, per (grain, start, index_name, term), grain 'day', 'week' or 'all' (the
 *   whole log, start '-infinity'): searches, zero-hit searches, total hits, converted searches
 *   (and converted zero-hit ones), the sum and number of known converted positions.
 *
 * Writes: an insert into the log adds its batch to every level (one statement per table, rows
 * locked in key order so that concurrent batches cannot deadlock); a conversion that gets its
 * query row adds to its query's levels after locking that query row (two processes converting
 * on the same search count it as converted once). Deletes (prune), other updates and
 * conversions leaving recompute what they touched: hours from the log, days from their hours,
 * weeks from their days, '*' from the indexes' rows, term days from the log and term weeks and
 * whole-log rows from the term days and weeks. Truncate empties the rollups. The same recompute
 * fills them from an existing log here, in this migration's transaction (log writes wait for it,
 * queued by the query log: bench/dashboard.ts prints how long on a million searches).
 */
export const LEVEL_TABLES = {
  buckets: 'indexkit_search_rollup_buckets',
  users: 'indexkit_search_rollup_user_bits',
  terms: 'indexkit_search_rollup_term_totals',
} as const;
/** The index_name of the rows that roll up every index (an index name cannot contain `*`). */
export const ALL_INDEXES = '*';

const T = { log: SEARCH_QUERIES_TABLE, conv: SEARCH_CONVERSIONS_TABLE, userIds: SEARCH_USERS_TABLE, ...LEVEL_TABLES };
const GRAINS = "(values ('hour'), ('day'), ('week')) as g(grain)";
/** A search's term rows: its UTC day and week, and the whole log. */
const TERM_GRAINS = (at: string) => `(values ('day', date_trunc('day', ${at}, 'UTC')), ('week', date_trunc('week', ${at}, 'UTC')), ('all', '-infinity'::timestamptz)) as d(grain, start)`;
/** Its index and all indexes. */
const KEYS = (index: string) => `(values (${index}), ('${ALL_INDEXES}')) as k(index_name)`;
const TERM = 'lower(btrim(s.search_terms))';
const DURATION = durationBucketSql('s.duration_ms');
/** A child grain's rows inside a parent's: hours in a day, days in a week (UTC lengths, not the session's `1 day`). */
const CHILD = { day: ['hour', "interval '24 hours'"], week: ['day', "interval '168 hours'"] } as const;

/** `(values_column, counts_column) = ` the sum of the row's histogram and the excluded one (ON CONFLICT). */
const mergeHistogram = (values: string, counts: string) =>
  `(${values}, ${counts}) = (select coalesce(array_agg(v order by v), '{}'), coalesce(array_agg(n order by v), '{}') from (
      select v, sum(n)::int as n from (select * from unnest(r.${values}, r.${counts}) union all select * from unnest(excluded.${values}, excluded.${counts})) as x(v, n) group by v) as y)`;

/**
 * Sums of bucket rows (`src`, a query with columns grain, start, index_name and the bucket
 * columns) per (grain, start, index_name): one insert statement (histograms merged value by value).
 */
const insertSums = (src: string) => `
  insert into ${T.buckets} (grain, start, index_name, searches, zero_hits, hits_sum, max_ms, first_at, last_at, converted, conversions, durations, duration_counts, positions, position_counts)
    with src as (${src}),
    sums as (select grain, start, index_name, sum(searches)::int as searches, sum(zero_hits)::int as zero_hits, sum(hits_sum) as hits_sum, max(max_ms) as max_ms, min(first_at) as first_at, max(last_at) as last_at,
                    sum(converted)::int as converted, sum(conversions)::int as conversions from src group by 1, 2, 3),
    d as (select grain, start, index_name, array_agg(v order by v) as vs, array_agg(n order by v) as ns from (
            select src.grain, src.start, src.index_name, x.v, sum(x.n)::int as n from src cross join unnest(src.durations, src.duration_counts) as x(v, n) group by 1, 2, 3, 4) h group by 1, 2, 3),
    p as (select grain, start, index_name, array_agg(v order by v) as vs, array_agg(n order by v) as ns from (
            select src.grain, src.start, src.index_name, x.v, sum(x.n)::int as n from src cross join unnest(src.positions, src.position_counts) as x(v, n) group by 1, 2, 3, 4) h group by 1, 2, 3)
    select s.*, coalesce(d.vs, '{}'), coalesce(d.ns, '{}'), coalesce(p.vs, '{}'), coalesce(p.ns, '{}')
      from sums s left join d using (grain, start, index_name) left join p using (grain, start, index_name)
     where s.searches > 0 order by 1, 2, 3;`;

const BUCKET_COLUMNS = 'searches, zero_hits, hits_sum, max_ms, first_at, last_at, converted, conversions, durations, duration_counts, positions, position_counts';
const TERM_COLUMNS = 'searches, zero_hits, hits_sum, converted, zero_converted, position_sum, placed';
const TERM_SUMS = 'sum(searches), sum(zero_hits), sum(hits_sum), sum(converted), sum(zero_converted), sum(position_sum), sum(placed)';

/** plpgsql: recompute every rollup row of the (hour, index) pairs in p_hours/p_indexes, of their days and weeks, and of all indexes. */
const RECOMPUTE = `
create or replace function indexkit_rollup_levels_recompute(p_hours timestamptz[], p_indexes text[]) returns void language plpgsql set search_path from current as $f$
begin
  create temporary table if not exists indexkit_rollup_level_keys (grain text, start timestamptz, index_name text) on commit drop;
  truncate indexkit_rollup_level_keys;
  insert into indexkit_rollup_level_keys
    select distinct g.grain, date_trunc(g.grain, k.hour, 'UTC'), k.index_name from unnest(p_hours, p_indexes) as k(hour, index_name) cross join ${GRAINS} where k.index_name <> '${ALL_INDEXES}';
  insert into indexkit_rollup_level_keys select distinct grain, start, '${ALL_INDEXES}' from indexkit_rollup_level_keys;
  -- Its size, for the plans below (a prune touches a few keys, the backfill every hour of the log).
  analyze indexkit_rollup_level_keys;
  delete from ${T.buckets} r using indexkit_rollup_level_keys k where (r.grain, r.start, r.index_name) = (k.grain, k.start, k.index_name);
  delete from ${T.users} r using indexkit_rollup_level_keys k where (r.grain, r.start, r.index_name) = (k.grain, k.start, k.index_name);
  delete from ${T.terms} r using indexkit_rollup_level_keys k where k.grain in ('day', 'week') and (r.grain, r.start, r.index_name) = (k.grain, k.start, k.index_name);

  -- Hours of an index, from the log: its searches with their conversions of that hour, its durations, its converted positions.
  insert into ${T.buckets} (grain, start, index_name, ${BUCKET_COLUMNS})
    select k.grain, k.start, k.index_name, a.*, d.vs, d.ns, coalesce(p.vs, '{}'), coalesce(p.ns, '{}')
      from indexkit_rollup_level_keys k
      cross join lateral (
        select count(*)::int, (count(*) filter (where s.total_hits = 0))::int, sum(s.total_hits), max(s.duration_ms), min(s.executed_at), max(s.executed_at), count(c.query_id)::int, coalesce(sum(c.n), 0)::int
          from ${T.log} s left join (select query_id, count(*) as n from ${T.conv} where query_executed_at >= k.start and query_executed_at < k.start + interval '1 hour' group by query_id) c on c.query_id = s.id
         where s.index_name = k.index_name and s.executed_at >= k.start and s.executed_at < k.start + interval '1 hour' and s.query_type = 'search'
        having count(*) > 0) a
      cross join lateral (
        select array_agg(v order by v) as vs, array_agg(n order by v) as ns from (
          select ${DURATION} as v, count(*)::int as n from ${T.log} s
           where s.index_name = k.index_name and s.executed_at >= k.start and s.executed_at < k.start + interval '1 hour' and s.query_type = 'search' group by 1) x) d
      cross join lateral (
        select array_agg(v order by v) as vs, array_agg(n order by v) as ns from (
          select v.position as v, count(*)::int as n from ${T.conv} v join ${T.log} s on s.id = v.query_id and s.query_type = 'search' and s.index_name = k.index_name
           where v.query_executed_at >= k.start and v.query_executed_at < k.start + interval '1 hour' and v.position is not null group by 1) x) p
     where k.grain = 'hour' and k.index_name <> '${ALL_INDEXES}'
     order by 1, 2, 3;
  -- Days from their hours, weeks from their days.
${(['day', 'week'] as const)
  .map(
    (grain) => `  ${insertSums(`select k.grain, k.start, k.index_name, ${BUCKET_COLUMNS.split(', ').map((c) => `h.${c}`).join(', ')}
      from indexkit_rollup_level_keys k join ${T.buckets} h on h.grain = '${CHILD[grain][0]}' and h.index_name = k.index_name and h.start >= k.start and h.start < k.start + ${CHILD[grain][1]}
     where k.grain = '${grain}' and k.index_name <> '${ALL_INDEXES}'`)}`,
  )
  .join('\n')}
  -- All indexes from the indexes' rows of the same grain and start.
  ${insertSums(`select k.grain, k.start, k.index_name, ${BUCKET_COLUMNS.split(', ').map((c) => `h.${c}`).join(', ')}
      from indexkit_rollup_level_keys k join ${T.buckets} h on h.grain = k.grain and h.start = k.start and h.index_name <> '${ALL_INDEXES}'
     where k.index_name = '${ALL_INDEXES}'`)}

  insert into ${T.users} (grain, start, index_name, chunk, bits)
    select k.grain, k.start, k.index_name, u.n / ${USER_CHUNK}, bit_or(set_bit(0::bit(${USER_CHUNK}), u.n % ${USER_CHUNK}, 1))
      from indexkit_rollup_level_keys k
      join ${T.log} s on s.index_name = k.index_name and s.executed_at >= k.start and s.executed_at < k.start + interval '1 hour' and s.query_type = 'search'
      join ${T.userIds} u on u.user_id = s.user_id
     where k.grain = 'hour' and k.index_name <> '${ALL_INDEXES}'
     group by 1, 2, 3, 4 order by 1, 2, 3, 4;
${(['day', 'week'] as const)
  .map(
    (grain) => `  insert into ${T.users} (grain, start, index_name, chunk, bits)
    select k.grain, k.start, k.index_name, h.chunk, bit_or(h.bits)
      from indexkit_rollup_level_keys k join ${T.users} h on h.grain = '${CHILD[grain][0]}' and h.index_name = k.index_name and h.start >= k.start and h.start < k.start + ${CHILD[grain][1]}
     where k.grain = '${grain}' and k.index_name <> '${ALL_INDEXES}'
     group by 1, 2, 3, 4 order by 1, 2, 3, 4;`,
  )
  .join('\n')}
  insert into ${T.users} (grain, start, index_name, chunk, bits)
    select k.grain, k.start, k.index_name, h.chunk, bit_or(h.bits)
      from indexkit_rollup_level_keys k join ${T.users} h on h.grain = k.grain and h.start = k.start and h.index_name <> '${ALL_INDEXES}'
     where k.index_name = '${ALL_INDEXES}'
     group by 1, 2, 3, 4 order by 1, 2, 3, 4;

  -- Term days of an index from the log; weeks from their days; all indexes from the indexes' rows.
  insert into ${T.terms} (grain, start, index_name, term, ${TERM_COLUMNS})
    select k.grain, k.start, k.index_name, a.* from indexkit_rollup_level_keys k cross join lateral (
      select ${TERM}, count(*), count(*) filter (where s.total_hits = 0), sum(s.total_hits), count(c.query_id), count(c.query_id) filter (where s.total_hits = 0),
             coalesce(sum(c.position_sum), 0), coalesce(sum(c.placed), 0)
        from ${T.log} s left join (
          select v.query_id, sum(v.position) as position_sum, count(v.position) as placed from ${T.conv} v
           where v.query_executed_at >= k.start and v.query_executed_at < k.start + interval '24 hours' group by v.query_id) c on c.query_id = s.id
       where s.index_name = k.index_name and s.executed_at >= k.start and s.executed_at < k.start + interval '24 hours' and s.query_type = 'search' and btrim(s.search_terms) <> ''
       group by 1) a
     where k.grain = 'day' and k.index_name <> '${ALL_INDEXES}'
     order by 1, 2, 3, 4;
  insert into ${T.terms} (grain, start, index_name, term, ${TERM_COLUMNS})
    select k.grain, k.start, k.index_name, h.term, ${TERM_SUMS}
      from indexkit_rollup_level_keys k join ${T.terms} h on h.grain = 'day' and h.index_name = k.index_name and h.start >= k.start and h.start < k.start + interval '168 hours'
     where k.grain = 'week' and k.index_name <> '${ALL_INDEXES}'
     group by 1, 2, 3, 4 order by 1, 2, 3, 4;
  insert into ${T.terms} (grain, start, index_name, term, ${TERM_COLUMNS})
    select k.grain, k.start, k.index_name, h.term, ${TERM_SUMS}
      from indexkit_rollup_level_keys k join ${T.terms} h on h.grain = k.grain and h.start = k.start and h.index_name <> '${ALL_INDEXES}'
     where k.index_name = '${ALL_INDEXES}' and k.grain in ('day', 'week')
     group by 1, 2, 3, 4 order by 1, 2, 3, 4;
  -- The whole log of each touched index (and of all), from its weeks.
  delete from ${T.terms} r where r.grain = 'all' and r.index_name in (select index_name from indexkit_rollup_level_keys);
  insert into ${T.terms} (grain, start, index_name, term, ${TERM_COLUMNS})
    select 'all', '-infinity', h.index_name, h.term, ${TERM_SUMS}
      from ${T.terms} h where h.grain = 'week' and h.index_name in (select index_name from indexkit_rollup_level_keys)
     group by 3, 4 order by 3, 4;
  truncate indexkit_rollup_level_keys;
end $f$`;

/** Statement trigger on log inserts: adds the batch's searches to every level. */
const LOG_INSERTED = `
create or replace function indexkit_rollup_levels_log_inserted() returns trigger language plpgsql set search_path from current as $f$
begin
  insert into ${T.buckets} as r (grain, start, index_name, searches, zero_hits, hits_sum, max_ms, first_at, last_at, converted, conversions, durations, duration_counts, positions, position_counts)
    -- Summed per hour, index and duration first (a batch is mostly one hour), then into every level.
    with h as (
      select date_trunc('hour', s.executed_at, 'UTC') as hour, s.index_name, ${DURATION} as v, count(*)::int as n, (count(*) filter (where s.total_hits = 0))::int as zero_hits,
             sum(s.total_hits) as hits_sum, max(s.duration_ms) as max_ms, min(s.executed_at) as first_at, max(s.executed_at) as last_at
        from new_rows s where s.query_type = 'search' group by 1, 2, 3),
    e as (select g.grain, date_trunc(g.grain, h.hour, 'UTC') as start, k.index_name, h.v, h.n, h.zero_hits, h.hits_sum, h.max_ms, h.first_at, h.last_at
            from h cross join ${GRAINS} cross join lateral ${KEYS('h.index_name')}),
    c as (select grain, start, index_name, sum(n)::int as searches, sum(zero_hits)::int as zero_hits, sum(hits_sum) as hits_sum, max(max_ms) as max_ms,
                 min(first_at) as first_at, max(last_at) as last_at from e group by 1, 2, 3),
    d as (select grain, start, index_name, array_agg(v order by v) as vs, array_agg(n order by v) as ns from (select grain, start, index_name, v, sum(n)::int as n from e group by 1, 2, 3, 4) x group by 1, 2, 3)
    select c.*, 0, 0, d.vs, d.ns, '{}'::int[], '{}'::int[] from c join d using (grain, start, index_name) order by 1, 2, 3
  on conflict (grain, start, index_name) do update set searches = r.searches + excluded.searches, zero_hits = r.zero_hits + excluded.zero_hits, hits_sum = r.hits_sum + excluded.hits_sum,
    max_ms = greatest(r.max_ms, excluded.max_ms), first_at = least(r.first_at, excluded.first_at), last_at = greatest(r.last_at, excluded.last_at),
    ${mergeHistogram('durations', 'duration_counts')};
  insert into ${T.userIds} (user_id)
    select distinct s.user_id from new_rows s where s.query_type = 'search' and s.user_id is not null and not exists (select 1 from ${T.userIds} u where u.user_id = s.user_id) order by 1
  on conflict (user_id) do nothing;
  -- Each user's bit set once per hour and index (a batch is mostly one hour), then OR-ed into every level.
  insert into ${T.users} as r (grain, start, index_name, chunk, bits)
    with h as (
      select date_trunc('hour', s.executed_at, 'UTC') as hour, s.index_name, u.n / ${USER_CHUNK} as chunk, bit_or(set_bit(0::bit(${USER_CHUNK}), u.n % ${USER_CHUNK}, 1)) as bits
        from new_rows s join ${T.userIds} u on u.user_id = s.user_id where s.query_type = 'search' group by 1, 2, 3)
    select g.grain, date_trunc(g.grain, h.hour, 'UTC'), k.index_name, h.chunk, bit_or(h.bits)
      from h cross join ${GRAINS} cross join lateral ${KEYS('h.index_name')} group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (grain, start, index_name, chunk) do update set bits = r.bits | excluded.bits;
  insert into ${T.terms} as r (grain, start, index_name, term, searches, zero_hits, hits_sum)
    with h as (
      select date_trunc('day', s.executed_at, 'UTC') as day, s.index_name, ${TERM} as term, count(*) as n, count(*) filter (where s.total_hits = 0) as zero_hits, sum(s.total_hits) as hits_sum
        from new_rows s where s.query_type = 'search' and btrim(s.search_terms) <> '' group by 1, 2, 3)
    select d.grain, d.start, k.index_name, h.term, sum(h.n), sum(h.zero_hits), sum(h.hits_sum)
      from h cross join lateral ${TERM_GRAINS('h.day')} cross join lateral ${KEYS('h.index_name')} group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (grain, start, index_name, term) do update set searches = r.searches + excluded.searches, zero_hits = r.zero_hits + excluded.zero_hits, hits_sum = r.hits_sum + excluded.hits_sum;
  return null;
end $f$`;

/**
 * plpgsql: adds conversions that just got their query (query ids and positions, one entry per
 * conversion). The query rows are locked first, so a concurrent conversion of the same search
 * commits before this one counts whether the search was converted already.
 */
// Per query: the conversions just placed, their positions, whether they are its first (the search becomes converted), its time, index, hits and term.
const PLACED = `with p as (
  select e.n, e.position_sum, e.placed, e.positions, s.executed_at, s.index_name, s.total_hits,
         (select count(*) from ${T.conv} c where c.query_id = e.query_id and c.query_executed_at is not null) = e.n as first,
         case when btrim(s.search_terms) <> '' then ${TERM} end as term
    from (select query_id, count(*)::int as n, coalesce(sum(position), 0) as position_sum, count(position)::int as placed, array_agg(position) filter (where position is not null) as positions
            from unnest(p_queries, p_positions) as e(query_id, position) group by 1) e
    join ${T.log} s on s.id = e.query_id and s.query_type = 'search')`;
const CONVERSIONS_PLACED = `
create or replace function indexkit_rollup_levels_conversions_placed(p_queries uuid[], p_positions int[]) returns void language plpgsql set search_path from current as $f$
begin
  if coalesce(cardinality(p_queries), 0) = 0 then return; end if;
  perform 1 from ${T.log} where id = any(p_queries) and query_type = 'search' order by id for update;
  ${PLACED},
    k as (select g.grain, date_trunc(g.grain, p.executed_at, 'UTC') as start, k.index_name, p.n, p.positions, p.first from p cross join ${GRAINS} cross join lateral ${KEYS('p.index_name')}),
    c as (select grain, start, index_name, (count(*) filter (where first))::int as converted, sum(n)::int as conversions from k group by 1, 2, 3),
    h as (select grain, start, index_name, array_agg(v order by v) as vs, array_agg(n order by v) as ns from (
            select k.grain, k.start, k.index_name, x.v, count(*)::int as n from k cross join unnest(k.positions) as x(v) group by 1, 2, 3, 4) y group by 1, 2, 3)
  insert into ${T.buckets} as r (grain, start, index_name, searches, zero_hits, hits_sum, converted, conversions, durations, duration_counts, positions, position_counts)
    select c.grain, c.start, c.index_name, 0, 0, 0, c.converted, c.conversions, '{}'::float8[], '{}'::int[], coalesce(h.vs, '{}'), coalesce(h.ns, '{}')
      from c left join h using (grain, start, index_name) order by 1, 2, 3
  on conflict (grain, start, index_name) do update set converted = r.converted + excluded.converted, conversions = r.conversions + excluded.conversions,
    ${mergeHistogram('positions', 'position_counts')};
  ${PLACED}
  insert into ${T.terms} as r (grain, start, index_name, term, ${TERM_COLUMNS})
    select d.grain, d.start, k.index_name, p.term, 0, 0, 0, count(*) filter (where p.first), count(*) filter (where p.first and p.total_hits = 0), sum(p.position_sum), sum(p.placed)
      from p cross join lateral ${TERM_GRAINS('p.executed_at')} cross join lateral ${KEYS('p.index_name')}
     where p.term is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (grain, start, index_name, term) do update set converted = r.converted + excluded.converted, zero_converted = r.zero_converted + excluded.zero_converted,
    position_sum = r.position_sum + excluded.position_sum, placed = r.placed + excluded.placed;
end $f$`;

/** Statement triggers on conversions: placed ones add; any other change recomputes its queries' hours. */
const CONVERSIONS_CHANGED = `
create or replace function indexkit_rollup_levels_conversions_changed() returns trigger language plpgsql set search_path from current as $f$
declare
  queries uuid[];
  positions int[];
begin
  if tg_op = 'INSERT' then
    select array_agg(query_id), array_agg(position) into queries, positions from new_rows where query_executed_at is not null;
    perform indexkit_rollup_levels_conversions_placed(queries, positions);
    return null;
  end if;
  if tg_op = 'UPDATE' then
    -- Placing (query_executed_at from null, nothing else changed but position and index_name) adds; any other change recomputes.
    select array_agg(n.query_id), array_agg(n.position) into queries, positions
      from new_rows n join old_rows o on (o.query_id, o.hit_id, o.kind) = (n.query_id, n.hit_id, n.kind)
     where o.query_executed_at is null and n.query_executed_at is not null;
    perform indexkit_rollup_levels_conversions_placed(queries, positions);
    perform indexkit_rollup_levels_recompute(array_agg(date_trunc('hour', s.executed_at, 'UTC')), array_agg(s.index_name))
       from (select distinct x.query_id from (
               select o.query_id from old_rows o join new_rows n on (o.query_id, o.hit_id, o.kind) = (n.query_id, n.hit_id, n.kind)
                where o.query_executed_at is not null or n.query_executed_at is null or o.query_id <> n.query_id
               union select o.query_id from old_rows o where not exists (select 1 from new_rows n where (o.query_id, o.hit_id, o.kind) = (n.query_id, n.hit_id, n.kind))
               union select n.query_id from new_rows n where not exists (select 1 from old_rows o where (o.query_id, o.hit_id, o.kind) = (n.query_id, n.hit_id, n.kind))) x) q
       join ${T.log} s on s.id = q.query_id and s.query_type = 'search'
    having count(*) > 0;
    return null;
  end if;
  perform indexkit_rollup_levels_recompute(array_agg(date_trunc('hour', s.executed_at, 'UTC')), array_agg(s.index_name))
     from (select distinct query_id from old_rows where query_executed_at is not null) q join ${T.log} s on s.id = q.query_id and s.query_type = 'search'
  having count(*) > 0;
  return null;
end $f$`;

/** Statement triggers on log deletes and updates: recompute the hours they touched; users with no search left leave the numbering. */
const LOG_CHANGED = `
create or replace function indexkit_rollup_levels_log_changed() returns trigger language plpgsql set search_path from current as $f$
begin
  if tg_op = 'UPDATE' then
    -- A search moved in time takes its conversions along (their query_executed_at is its executed_at).
    update ${T.conv} c set query_executed_at = n.executed_at from new_rows n join old_rows o on o.id = n.id
     where c.query_id = n.id and c.query_executed_at is not null and c.query_executed_at is distinct from n.executed_at;
    perform indexkit_rollup_levels_recompute(array_agg(h), array_agg(i)) from (
      select date_trunc('hour', executed_at, 'UTC') as h, index_name as i from old_rows union select date_trunc('hour', executed_at, 'UTC'), index_name from new_rows) k
    having count(*) > 0;
    return null;
  end if;
  delete from ${T.userIds} u where u.user_id in (select distinct user_id from old_rows where user_id is not null)
     and not exists (select 1 from ${T.log} s where s.user_id = u.user_id);
  perform indexkit_rollup_levels_recompute(array_agg(h), array_agg(i)) from (select distinct date_trunc('hour', executed_at, 'UTC') as h, index_name as i from old_rows) k
  having count(*) > 0;
  return null;
end $f$`;

const TRUNCATED = `
create or replace function indexkit_rollup_levels_log_truncated() returns trigger language plpgsql set search_path from current as $f$
begin
  truncate ${Object.values(LEVEL_TABLES).join(', ')}, ${T.userIds};
  return null;
end $f$`;

const TRIGGERS = [
  `create trigger indexkit_rollup_levels_log_inserted after insert on ${T.log} referencing new table as new_rows for each statement execute function indexkit_rollup_levels_log_inserted()`,
  `create trigger indexkit_rollup_levels_log_updated after update on ${T.log} referencing old table as old_rows new table as new_rows for each statement execute function indexkit_rollup_levels_log_changed()`,
  `create trigger indexkit_rollup_levels_log_deleted after delete on ${T.log} referencing old table as old_rows for each statement execute function indexkit_rollup_levels_log_changed()`,
  `create trigger indexkit_rollup_levels_log_truncated after truncate on ${T.log} for each statement execute function indexkit_rollup_levels_log_truncated()`,
  `create trigger indexkit_rollup_levels_conversions_inserted after insert on ${T.conv} referencing new table as new_rows for each statement execute function indexkit_rollup_levels_conversions_changed()`,
  `create trigger indexkit_rollup_levels_conversions_updated after update on ${T.conv} referencing old table as old_rows new table as new_rows for each statement execute function indexkit_rollup_levels_conversions_changed()`,
  `create trigger indexkit_rollup_levels_conversions_deleted after delete on ${T.conv} referencing old table as old_rows for each statement execute function indexkit_rollup_levels_conversions_changed()`,
];
const FUNCTIONS = [
  'indexkit_rollup_levels_log_inserted()',
  'indexkit_rollup_levels_log_changed()',
  'indexkit_rollup_levels_log_truncated()',
  'indexkit_rollup_levels_conversions_changed()',
  'indexkit_rollup_levels_conversions_placed(uuid[], int[])',
  'indexkit_rollup_levels_recompute(timestamptz[], text[])',
];

// 0004's triggers and functions, dropped here (its tables too; its user numbering is kept).
const OLD_TRIGGERS: Array<[name: string, table: string]> = [
  ['indexkit_rollup_log_inserted', T.log],
  ['indexkit_rollup_log_updated', T.log],
  ['indexkit_rollup_log_deleted', T.log],
  ['indexkit_rollup_log_truncated', T.log],
  ['indexkit_rollup_conversions_inserted', T.conv],
  ['indexkit_rollup_conversions_updated', T.conv],
  ['indexkit_rollup_conversions_deleted', T.conv],
];
const OLD_FUNCTIONS = ['indexkit_rollup_log_inserted()', 'indexkit_rollup_log_changed()', 'indexkit_rollup_log_truncated()', 'indexkit_rollup_conversions_changed()', 'indexkit_rollup_conversions_placed(uuid[], int[])', 'indexkit_rollup_recompute(timestamptz[], text[])'];

/** Recomputes every level from the log (the backfill, and what the tests compare the triggers' rollups with). */
export const RECOMPUTE_ALL_SQL = `select indexkit_rollup_levels_recompute(array_agg(h), array_agg(i)) from (select distinct date_trunc('hour', executed_at, 'UTC') as h, index_name as i from ${T.log} where query_type = 'search') k having count(*) > 0`;

/**
 * Creates the levels, fills them from the log and drops 0004's rollups, in one transaction: the
 * triggers take a lock that makes log writes wait until it commits (the query log keeps them
 * queued meanwhile).
 */
export const searchRollupLevelsMigration: IndexkitMigration = {
  name: '0006_search_rollup_levels',
  async up(db: Knex) {
    for (const [name, table] of OLD_TRIGGERS) await db.raw('drop trigger if exists ?? on ??', [name, table]);
    for (const f of OLD_FUNCTIONS) await db.raw(`drop function if exists ${f}`);
    for (const table of Object.values(ROLLUP_TABLES)) await db.schema.dropTableIfExists(table);
    // Keys lead with the index: every read is of one index (or '*') over a range of one grain.
    const key = (t: Knex.CreateTableBuilder) => {
      t.text('index_name').notNullable();
      t.text('grain').notNullable();
      t.timestamp('start', { useTz: true }).notNullable();
    };
    await db.schema.createTable(T.buckets, (t) => {
      key(t);
      t.integer('searches').notNullable();
      t.integer('zero_hits').notNullable();
      t.decimal('hits_sum', null).notNullable();
      t.double('max_ms').nullable();
      t.timestamp('first_at', { useTz: true }).nullable();
      t.timestamp('last_at', { useTz: true }).nullable();
      t.integer('converted').notNullable().defaultTo(0);
      t.integer('conversions').notNullable().defaultTo(0);
      t.specificType('durations', 'float8[]').notNullable();
      t.specificType('duration_counts', 'int[]').notNullable();
      t.specificType('positions', 'int[]').notNullable();
      t.specificType('position_counts', 'int[]').notNullable();
      t.primary(['index_name', 'grain', 'start']);
    });
    await db.schema.createTable(T.users, (t) => {
      key(t);
      t.integer('chunk').notNullable();
      t.specificType('bits', `bit(${USER_CHUNK})`).notNullable();
      t.primary(['index_name', 'grain', 'start', 'chunk']);
    });
    await db.schema.createTable(T.terms, (t) => {
      key(t);
      t.text('term').notNullable();
      t.integer('searches').notNullable();
      t.integer('zero_hits').notNullable();
      t.decimal('hits_sum', null).notNullable();
      t.integer('converted').notNullable().defaultTo(0);
      t.integer('zero_converted').notNullable().defaultTo(0);
      t.bigInteger('position_sum').notNullable().defaultTo(0);
      t.integer('placed').notNullable().defaultTo(0);
      t.primary(['index_name', 'grain', 'start', 'term']);
    });
    // Every log batch updates the rows of its hour, day, week and terms: room on each page lets
    // PostgreSQL update them in place (HOT, no index entry per update).
    for (const table of Object.values(LEVEL_TABLES)) await db.raw('alter table ?? set (fillfactor = 70)', [table]);
    for (const sql of [RECOMPUTE, LOG_INSERTED, CONVERSIONS_PLACED, CONVERSIONS_CHANGED, LOG_CHANGED, TRUNCATED, ...TRIGGERS]) await db.raw(sql);
    await db.raw(RECOMPUTE_ALL_SQL);
    // Statistics now, so the first reads plan index ranges rather than wait for autovacuum.
    for (const table of Object.values(LEVEL_TABLES)) await db.raw('analyze ??', [table]);
  },
  async down(db: Knex) {
    for (const sql of TRIGGERS) {
      const [, name, table] = /create trigger (\S+) .* on (\S+) /.exec(sql)!;
      await db.raw('drop trigger if exists ?? on ??', [name!, table!]);
    }
    for (const f of FUNCTIONS) await db.raw(`drop function if exists ${f}`);
    for (const table of Object.values(LEVEL_TABLES)) await db.schema.dropTableIfExists(table);
    // 0004 again, from the log (it numbers the users afresh).
    await db.schema.dropTableIfExists(SEARCH_USERS_TABLE);
    await searchRollupsMigration.up(db);
  },
};
