import type { Knex } from 'knex';
import type { IndexkitMigration } from './index.js';
import { SEARCH_QUERIES_TABLE } from './0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from './0003-search-conversions.js';

/**
 * The dashboard's rollups: the query log's figures summed per UTC hour and per UTC day, kept
 * exact by triggers on the log and on the conversions (src/search/rollup-sql.ts reads them).
 *
 * Every table is keyed by (grain, start, index_name): `grain` is 'hour' or 'day', `start` the
 * UTC hour or day. Only searches count (query_type 'search'); a conversion counts once its query
 * row is there (query_executed_at set), as in the figures of `search queries stats`.
 * - rollup_counts: searches, zero-hit searches, the sum of total hits, the longest duration,
 *   the first and last search, converted searches and conversions;
 * - rollup_latency: searches per duration rounded to two significant digits (DURATION_BUCKET),
 *   so percentiles over any set of hours and days are exact at that resolution;
 * - rollup_users: which users searched, as bitmaps of 4,096 users (USER_CHUNK) numbered by
 *   search_users, so distinct users over any set of hours and days are one OR and a bit count;
 * - rollup_positions: conversions per converted position;
 * - rollup_terms, per UTC day and for the whole log (day '-infinity'), per lower-cased, trimmed
 *   term: its searches, zero-hit searches, total hits, converted searches (and converted
 *   zero-hit ones), and the sum and number of known converted positions. A long period is read
 *   as the whole log less the days outside it, when those are fewer.
 *
 * Writes: an insert into the log adds its batch (one statement per table, rows locked in key
 * order so concurrent batches cannot deadlock); a conversion that gets its query row (insert, or
 * the update that places it) adds to its query's hour and day, after locking that query row so
 * that two processes converting on the same search count it as converted once. Deletes (prune),
 * other updates and conversions leaving recompute the hours and days they touched from the log
 * (and the whole-log term rows of their indexes from the days);
 * truncate empties the rollups. The same recompute fills the rollups from an existing log here.
 */
export const ROLLUP_TABLES = {
  counts: 'indexkit_search_rollup_counts',
  latency: 'indexkit_search_rollup_latency',
  users: 'indexkit_search_rollup_users',
  positions: 'indexkit_search_rollup_positions',
  terms: 'indexkit_search_rollup_terms',
} as const;
/** The numbering of user ids for the user bitmaps (rows leave with the user's last search). */
export const SEARCH_USERS_TABLE = 'indexkit_search_users';
/** Users per bitmap row. */
export const USER_CHUNK = 4096;

/**
 * A duration (ms) rounded to two significant digits (12.34 -> 12, 123.4 -> 120, 5 -> 5; at most
 * 5% off, 2.6% on average over a decade), as SQL over `column`: the latency percentiles of the
 * CLI and the dashboard are taken over these values, which the rollups can hold exactly.
 */
export const durationBucketSql = (column: string): string => `(case when ${column} > 0 then round(${column}::numeric, 1 - floor(log(${column}))::int)::float8 else 0::float8 end)`;

const T = { log: SEARCH_QUERIES_TABLE, conv: SEARCH_CONVERSIONS_TABLE, userIds: SEARCH_USERS_TABLE, ...ROLLUP_TABLES };
// A grain's length in UTC (not `1 day`, which follows the session's time zone across DST).
const LENGTH = "(case k.grain when 'hour' then interval '1 hour' else interval '24 hours' end)";
const GRAINS = "(values ('hour'), ('day')) as g(grain)";
const PER_QUERY = `(select query_id, count(*) as n, sum(position) as position_sum, count(position) as placed from ${T.conv} where query_executed_at >= k.start and query_executed_at < k.start + ${LENGTH} group by query_id)`;
const TERM = 'lower(btrim(s.search_terms))';
/** A search's term rows: its UTC day, and the whole log ('-infinity'). */
const TERM_DAYS = (at: string) => `(values (date_trunc('day', ${at}, 'UTC')), ('-infinity'::timestamptz)) as d(day)`;

/** plpgsql: recompute every rollup row of the (hour, index) pairs in p_hours/p_indexes and of their days, from the log. */
const RECOMPUTE = `
create or replace function indexkit_rollup_recompute(p_hours timestamptz[], p_indexes text[]) returns void language plpgsql set search_path from current as $f$
begin
  create temporary table if not exists indexkit_rollup_keys (grain text, start timestamptz, index_name text) on commit drop;
  truncate indexkit_rollup_keys;
  insert into indexkit_rollup_keys
    select distinct g.grain, date_trunc(g.grain, k.hour, 'UTC'), k.index_name from unnest(p_hours, p_indexes) as k(hour, index_name) cross join ${GRAINS};
  delete from ${T.counts} r using indexkit_rollup_keys k where (r.grain, r.start, r.index_name) = (k.grain, k.start, k.index_name);
  delete from ${T.latency} r using indexkit_rollup_keys k where (r.grain, r.start, r.index_name) = (k.grain, k.start, k.index_name);
  delete from ${T.users} r using indexkit_rollup_keys k where (r.grain, r.start, r.index_name) = (k.grain, k.start, k.index_name);
  delete from ${T.positions} r using indexkit_rollup_keys k where (r.grain, r.start, r.index_name) = (k.grain, k.start, k.index_name);
  delete from ${T.terms} r using indexkit_rollup_keys k where k.grain = 'day' and (r.day, r.index_name) = (k.start, k.index_name);
  insert into ${T.counts} (grain, start, index_name, searches, zero_hits, hits_sum, max_ms, first_at, last_at, converted, conversions)
    select k.grain, k.start, k.index_name, a.* from indexkit_rollup_keys k cross join lateral (
      select count(*), count(*) filter (where s.total_hits = 0), sum(s.total_hits), max(s.duration_ms), min(s.executed_at), max(s.executed_at), count(c.query_id), coalesce(sum(c.n), 0)
        from ${T.log} s left join ${PER_QUERY} c on c.query_id = s.id
       where s.query_type = 'search' and s.index_name = k.index_name and s.executed_at >= k.start and s.executed_at < k.start + ${LENGTH}
      having count(*) > 0) a
    order by 1, 2, 3;
  insert into ${T.latency} (grain, start, index_name, duration_ms, searches)
    select k.grain, k.start, k.index_name, a.* from indexkit_rollup_keys k cross join lateral (
      select ${durationBucketSql('s.duration_ms')}, count(*) from ${T.log} s
       where s.query_type = 'search' and s.index_name = k.index_name and s.executed_at >= k.start and s.executed_at < k.start + ${LENGTH}
       group by 1) a
    order by 1, 2, 3, 4;
  insert into ${T.users} (grain, start, index_name, chunk, bits)
    select k.grain, k.start, k.index_name, a.* from indexkit_rollup_keys k cross join lateral (
      select u.n / ${USER_CHUNK}, bit_or(set_bit(0::bit(${USER_CHUNK}), u.n % ${USER_CHUNK}, 1)) from ${T.log} s join ${T.userIds} u on u.user_id = s.user_id
       where s.query_type = 'search' and s.index_name = k.index_name and s.executed_at >= k.start and s.executed_at < k.start + ${LENGTH}
       group by 1) a
    order by 1, 2, 3, 4;
  insert into ${T.positions} (grain, start, index_name, position, conversions)
    select k.grain, k.start, k.index_name, a.* from indexkit_rollup_keys k cross join lateral (
      select v.position, count(*) from ${T.conv} v join ${T.log} s on s.id = v.query_id
       where v.query_executed_at >= k.start and v.query_executed_at < k.start + ${LENGTH} and v.position is not null
         and s.query_type = 'search' and s.index_name = k.index_name
       group by 1) a
    order by 1, 2, 3, 4;
  insert into ${T.terms} (day, index_name, term, searches, zero_hits, hits_sum, converted, zero_converted, position_sum, placed)
    select k.start, k.index_name, a.* from indexkit_rollup_keys k cross join lateral (
      select ${TERM}, count(*), count(*) filter (where s.total_hits = 0), sum(s.total_hits), count(c.query_id), count(c.query_id) filter (where s.total_hits = 0), coalesce(sum(c.position_sum), 0), coalesce(sum(c.placed), 0)
        from ${T.log} s left join ${PER_QUERY} c on c.query_id = s.id
       where s.query_type = 'search' and s.index_name = k.index_name and s.executed_at >= k.start and s.executed_at < k.start + interval '24 hours' and btrim(s.search_terms) <> ''
       group by 1) a
     where k.grain = 'day'
    order by 1, 2, 3;
  delete from ${T.terms} r where r.day = '-infinity' and r.index_name in (select index_name from indexkit_rollup_keys);
  insert into ${T.terms} (day, index_name, term, searches, zero_hits, hits_sum, converted, zero_converted, position_sum, placed)
    select '-infinity', r.index_name, r.term, sum(r.searches), sum(r.zero_hits), sum(r.hits_sum), sum(r.converted), sum(r.zero_converted), sum(r.position_sum), sum(r.placed)
      from ${T.terms} r where r.day > '-infinity' and r.index_name in (select index_name from indexkit_rollup_keys)
     group by r.index_name, r.term order by 2, 3;
  truncate indexkit_rollup_keys;
end $f$`;

/** Statement trigger on log inserts: adds the batch's searches. */
const LOG_INSERTED = `
create or replace function indexkit_rollup_log_inserted() returns trigger language plpgsql set search_path from current as $f$
begin
  insert into ${T.counts} as r (grain, start, index_name, searches, zero_hits, hits_sum, max_ms, first_at, last_at)
    select g.grain, date_trunc(g.grain, s.executed_at, 'UTC'), s.index_name, count(*), count(*) filter (where s.total_hits = 0), sum(s.total_hits), max(s.duration_ms), min(s.executed_at), max(s.executed_at)
      from new_rows s cross join ${GRAINS} where s.query_type = 'search' group by 1, 2, 3 order by 1, 2, 3
  on conflict (grain, start, index_name) do update set searches = r.searches + excluded.searches, zero_hits = r.zero_hits + excluded.zero_hits, hits_sum = r.hits_sum + excluded.hits_sum,
    max_ms = greatest(r.max_ms, excluded.max_ms), first_at = least(r.first_at, excluded.first_at), last_at = greatest(r.last_at, excluded.last_at);
  insert into ${T.latency} as r (grain, start, index_name, duration_ms, searches)
    select g.grain, date_trunc(g.grain, s.executed_at, 'UTC'), s.index_name, ${durationBucketSql('s.duration_ms')}, count(*)
      from new_rows s cross join ${GRAINS} where s.query_type = 'search' group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (grain, start, index_name, duration_ms) do update set searches = r.searches + excluded.searches;
  insert into ${T.userIds} (user_id)
    select distinct s.user_id from new_rows s where s.query_type = 'search' and s.user_id is not null and not exists (select 1 from ${T.userIds} u where u.user_id = s.user_id) order by 1
  on conflict (user_id) do nothing;
  insert into ${T.users} as r (grain, start, index_name, chunk, bits)
    select g.grain, date_trunc(g.grain, s.executed_at, 'UTC'), s.index_name, u.n / ${USER_CHUNK}, bit_or(set_bit(0::bit(${USER_CHUNK}), u.n % ${USER_CHUNK}, 1))
      from new_rows s join ${T.userIds} u on u.user_id = s.user_id cross join ${GRAINS} where s.query_type = 'search' group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (grain, start, index_name, chunk) do update set bits = r.bits | excluded.bits;
  insert into ${T.terms} as r (day, index_name, term, searches, zero_hits, hits_sum)
    select d.day, s.index_name, ${TERM}, count(*), count(*) filter (where s.total_hits = 0), sum(s.total_hits)
      from new_rows s cross join lateral ${TERM_DAYS('s.executed_at')} where s.query_type = 'search' and btrim(s.search_terms) <> '' group by 1, 2, 3 order by 1, 2, 3
  on conflict (day, index_name, term) do update set searches = r.searches + excluded.searches, zero_hits = r.zero_hits + excluded.zero_hits, hits_sum = r.hits_sum + excluded.hits_sum;
  return null;
end $f$`;

/**
 * plpgsql: adds conversions that just got their query (query ids and positions, one entry per
 * conversion). The query rows are locked first, so a concurrent conversion of the same search
 * commits before this one counts whether the search was converted already.
 */
// The conversions just placed, per query: how many, their positions' sum and count, whether they are its first (the search becomes converted), and the query's hour, index, term and hits.
const PLACED = `with p as (
  select e.query_id, e.n, e.position_sum, e.placed, s.executed_at, s.index_name, s.total_hits,
         (select count(*) from ${T.conv} c where c.query_id = e.query_id and c.query_executed_at is not null) = e.n as first,
         case when btrim(s.search_terms) <> '' then ${TERM} end as term
    from (select query_id, count(*) as n, coalesce(sum(position), 0) as position_sum, count(position) as placed from unnest(p_queries, p_positions) as e(query_id, position) group by 1) e
    join ${T.log} s on s.id = e.query_id and s.query_type = 'search')`;
const CONVERSIONS_PLACED = `
create or replace function indexkit_rollup_conversions_placed(p_queries uuid[], p_positions int[]) returns void language plpgsql set search_path from current as $f$
begin
  if coalesce(cardinality(p_queries), 0) = 0 then return; end if;
  perform 1 from ${T.log} where id = any(p_queries) and query_type = 'search' order by id for update;
  ${PLACED}
  insert into ${T.counts} as r (grain, start, index_name, searches, zero_hits, hits_sum, converted, conversions)
    select g.grain, date_trunc(g.grain, p.executed_at, 'UTC'), p.index_name, 0, 0, 0, count(*) filter (where p.first), sum(p.n)
      from p cross join ${GRAINS} group by 1, 2, 3 order by 1, 2, 3
  on conflict (grain, start, index_name) do update set converted = r.converted + excluded.converted, conversions = r.conversions + excluded.conversions;
  insert into ${T.positions} as r (grain, start, index_name, position, conversions)
    select g.grain, date_trunc(g.grain, s.executed_at, 'UTC'), s.index_name, e.position, count(*)
      from unnest(p_queries, p_positions) as e(query_id, position) join ${T.log} s on s.id = e.query_id and s.query_type = 'search' cross join ${GRAINS}
     where e.position is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (grain, start, index_name, position) do update set conversions = r.conversions + excluded.conversions;
  ${PLACED}
  insert into ${T.terms} as r (day, index_name, term, searches, zero_hits, hits_sum, converted, zero_converted, position_sum, placed)
    select d.day, p.index_name, p.term, 0, 0, 0, count(*) filter (where p.first), count(*) filter (where p.first and p.total_hits = 0), sum(p.position_sum), sum(p.placed)
      from p cross join lateral ${TERM_DAYS('p.executed_at')} where p.term is not null group by 1, 2, 3 order by 1, 2, 3
  on conflict (day, index_name, term) do update set converted = r.converted + excluded.converted, zero_converted = r.zero_converted + excluded.zero_converted,
    position_sum = r.position_sum + excluded.position_sum, placed = r.placed + excluded.placed;
end $f$`;

/** Statement triggers on conversions: placed ones add; any other change recomputes its queries' hours. */
const CONVERSIONS_CHANGED = `
create or replace function indexkit_rollup_conversions_changed() returns trigger language plpgsql set search_path from current as $f$
declare
  queries uuid[];
  positions int[];
begin
  if tg_op = 'INSERT' then
    select array_agg(query_id), array_agg(position) into queries, positions from new_rows where query_executed_at is not null;
    perform indexkit_rollup_conversions_placed(queries, positions);
    return null;
  end if;
  if tg_op = 'UPDATE' then
    -- Placing (query_executed_at from null, nothing else changed but position and index_name) adds; any other change recomputes.
    select array_agg(n.query_id), array_agg(n.position) into queries, positions
      from new_rows n join old_rows o on (o.query_id, o.hit_id, o.kind) = (n.query_id, n.hit_id, n.kind)
     where o.query_executed_at is null and n.query_executed_at is not null;
    perform indexkit_rollup_conversions_placed(queries, positions);
    perform indexkit_rollup_recompute(array_agg(date_trunc('hour', s.executed_at, 'UTC')), array_agg(s.index_name))
       from (select distinct x.query_id from (
               select o.query_id from old_rows o join new_rows n on (o.query_id, o.hit_id, o.kind) = (n.query_id, n.hit_id, n.kind)
                where o.query_executed_at is not null or n.query_executed_at is null or o.query_id <> n.query_id
               union select o.query_id from old_rows o where not exists (select 1 from new_rows n where (o.query_id, o.hit_id, o.kind) = (n.query_id, n.hit_id, n.kind))
               union select n.query_id from new_rows n where not exists (select 1 from old_rows o where (o.query_id, o.hit_id, o.kind) = (n.query_id, n.hit_id, n.kind))) x) q
       join ${T.log} s on s.id = q.query_id and s.query_type = 'search'
    having count(*) > 0;
    return null;
  end if;
  perform indexkit_rollup_recompute(array_agg(date_trunc('hour', s.executed_at, 'UTC')), array_agg(s.index_name))
     from (select distinct query_id from old_rows where query_executed_at is not null) q join ${T.log} s on s.id = q.query_id and s.query_type = 'search'
  having count(*) > 0;
  return null;
end $f$`;

/** Statement triggers on log deletes and updates: recompute the hours and days they touched; users with no search left leave the numbering. */
const LOG_CHANGED = `
create or replace function indexkit_rollup_log_changed() returns trigger language plpgsql set search_path from current as $f$
begin
  if tg_op = 'UPDATE' then
    -- A search moved in time takes its conversions along (their query_executed_at is its executed_at).
    update ${T.conv} c set query_executed_at = n.executed_at from new_rows n join old_rows o on o.id = n.id
     where c.query_id = n.id and c.query_executed_at is not null and c.query_executed_at is distinct from n.executed_at;
    perform indexkit_rollup_recompute(array_agg(h), array_agg(i)) from (
      select date_trunc('hour', executed_at, 'UTC') as h, index_name as i from old_rows union select date_trunc('hour', executed_at, 'UTC'), index_name from new_rows) k
    having count(*) > 0;
    return null;
  end if;
  delete from ${T.userIds} u where u.user_id in (select distinct user_id from old_rows where user_id is not null)
     and not exists (select 1 from ${T.log} s where s.user_id = u.user_id);
  perform indexkit_rollup_recompute(array_agg(h), array_agg(i)) from (select distinct date_trunc('hour', executed_at, 'UTC') as h, index_name as i from old_rows) k
  having count(*) > 0;
  return null;
end $f$`;

const TRUNCATED = `
create or replace function indexkit_rollup_log_truncated() returns trigger language plpgsql set search_path from current as $f$
begin
  truncate ${Object.values(ROLLUP_TABLES).join(', ')}, ${T.userIds};
  return null;
end $f$`;

const TRIGGERS = [
  `create trigger indexkit_rollup_log_inserted after insert on ${T.log} referencing new table as new_rows for each statement execute function indexkit_rollup_log_inserted()`,
  `create trigger indexkit_rollup_log_updated after update on ${T.log} referencing old table as old_rows new table as new_rows for each statement execute function indexkit_rollup_log_changed()`,
  `create trigger indexkit_rollup_log_deleted after delete on ${T.log} referencing old table as old_rows for each statement execute function indexkit_rollup_log_changed()`,
  `create trigger indexkit_rollup_log_truncated after truncate on ${T.log} for each statement execute function indexkit_rollup_log_truncated()`,
  `create trigger indexkit_rollup_conversions_inserted after insert on ${T.conv} referencing new table as new_rows for each statement execute function indexkit_rollup_conversions_changed()`,
  `create trigger indexkit_rollup_conversions_updated after update on ${T.conv} referencing old table as old_rows new table as new_rows for each statement execute function indexkit_rollup_conversions_changed()`,
  `create trigger indexkit_rollup_conversions_deleted after delete on ${T.conv} referencing old table as old_rows for each statement execute function indexkit_rollup_conversions_changed()`,
];
const FUNCTIONS = ['indexkit_rollup_log_inserted()', 'indexkit_rollup_log_changed()', 'indexkit_rollup_log_truncated()', 'indexkit_rollup_conversions_changed()', 'indexkit_rollup_conversions_placed(uuid[], int[])', 'indexkit_rollup_recompute(timestamptz[], text[])'];

/**
 * Creates the rollups and fills them from the log in one transaction: the triggers take a lock
 * that makes log writes wait until it commits (the query log keeps them queued meanwhile), about
 * a minute per million logged searches (bench/dashboard.ts prints it).
 */
export const searchRollupsMigration: IndexkitMigration = {
  name: '0004_search_rollups',
  async up(db: Knex) {
    const key = (t: Knex.CreateTableBuilder) => {
      t.text('grain').notNullable();
      t.timestamp('start', { useTz: true }).notNullable();
      t.text('index_name').notNullable();
    };
    await db.schema.createTable(T.counts, (t) => {
      key(t);
      t.integer('searches').notNullable();
      t.integer('zero_hits').notNullable();
      t.decimal('hits_sum', null).notNullable();
      t.double('max_ms').nullable();
      t.timestamp('first_at', { useTz: true }).nullable();
      t.timestamp('last_at', { useTz: true }).nullable();
      t.integer('converted').notNullable().defaultTo(0);
      t.integer('conversions').notNullable().defaultTo(0);
      t.primary(['grain', 'start', 'index_name']);
    });
    await db.schema.createTable(T.latency, (t) => {
      key(t);
      t.double('duration_ms').notNullable();
      t.integer('searches').notNullable();
      t.primary(['grain', 'start', 'index_name', 'duration_ms']);
    });
    await db.schema.createTable(SEARCH_USERS_TABLE, (t) => {
      t.text('user_id').primary();
      t.integer('n').notNullable();
    });
    await db.raw('alter table ?? alter column n add generated always as identity', [SEARCH_USERS_TABLE]);
    await db.schema.createTable(T.users, (t) => {
      key(t);
      t.integer('chunk').notNullable();
      t.specificType('bits', `bit(${USER_CHUNK})`).notNullable();
      t.primary(['grain', 'start', 'index_name', 'chunk']);
    });
    await db.schema.createTable(T.positions, (t) => {
      key(t);
      t.integer('position').notNullable();
      t.integer('conversions').notNullable();
      t.primary(['grain', 'start', 'index_name', 'position']);
    });
    await db.schema.createTable(T.terms, (t) => {
      t.timestamp('day', { useTz: true }).notNullable();
      t.text('index_name').notNullable();
      t.text('term').notNullable();
      t.integer('searches').notNullable();
      t.integer('zero_hits').notNullable();
      t.decimal('hits_sum', null).notNullable();
      t.integer('converted').notNullable().defaultTo(0);
      t.integer('zero_converted').notNullable().defaultTo(0);
      t.bigInteger('position_sum').notNullable().defaultTo(0);
      t.integer('placed').notNullable().defaultTo(0);
      t.primary(['day', 'index_name', 'term']);
    });
    for (const sql of [RECOMPUTE, LOG_INSERTED, CONVERSIONS_PLACED, CONVERSIONS_CHANGED, LOG_CHANGED, TRUNCATED, ...TRIGGERS]) await db.raw(sql);
    // Users first (numbered in order of their first search), then every hour of the log.
    await db.raw(`insert into ${T.userIds} (user_id) select user_id from ${T.log} where query_type = 'search' and user_id is not null group by user_id order by min(executed_at), user_id`);
    await db.raw(`select indexkit_rollup_recompute(array_agg(h), array_agg(i)) from (select distinct date_trunc('hour', executed_at, 'UTC') as h, index_name as i from ${T.log} where query_type = 'search') k having count(*) > 0`);
    // Statistics now, so the first reads plan index ranges rather than wait for autovacuum.
    for (const table of [...Object.values(ROLLUP_TABLES), SEARCH_USERS_TABLE]) await db.raw('analyze ??', [table]);
  },
  async down(db: Knex) {
    for (const sql of TRIGGERS) {
      const [, name, table] = /create trigger (\S+) .* on (\S+) /.exec(sql)!;
      await db.raw('drop trigger if exists ?? on ??', [name!, table!]);
    }
    for (const f of FUNCTIONS) await db.raw(`drop function if exists ${f}`);
    for (const table of [...Object.values(ROLLUP_TABLES), SEARCH_USERS_TABLE]) await db.schema.dropTableIfExists(table);
  },
};
