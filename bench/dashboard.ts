/**
 * The dashboard on a real-sized log (`npm run bench:dashboard`).
 *
 * Generates 1,000,000 logged queries over 90 days, appended in time order as the query log
 * writes them (3 indexes, about 5,000 terms with a skewed distribution, 2% counts, 8%
 * zero-result searches, 70% with a user) and 100,000 conversions
 * (positions skewed to the top ranks) in SQL with generate_series, then VACUUM ANALYZE (as
 * autovacuum would leave an insert-only table). Each page is requested through the real
 * handler over HTTP, `BENCH_ROUNDS` times after a warm-up, for every period the filter form
 * offers (1 hour to 365 days; BENCH_PERIODS=7d,30d picks some); p50 and p95 per page are printed
 * against the 300 ms goal. Pages filtered by index and period read the rollups of migration
 * 0006 (0004 before it); the user-filtered page reads the log. The baseline, measured in the same run, is the same pages without the covering index
 * of migration 0005 (`search_figures`): the ratio says what that index buys.
 *
 * Sizes: BENCH_SEARCHES (default 1000000), BENCH_CONVERSIONS (100000). The database is
 * DATABASE_URL, else PostgreSQL on 127.0.0.1:5432 (PGlite is too slow for a million rows), in
 * the schema `indexkit_bench_dashboard`, kept between runs (generating takes minutes): a run
 * reuses it when it holds the requested sizes, after applying pending migrations to it (which
 * also measures them on a big log). Pages are pinned (`until`) to the newest logged search, so a
 * reused log shows the same periods. `--fresh` regenerates it; `--drop` drops it and exits.
 */
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { PERIODS as DASHBOARD_PERIODS } from '../src/dashboard/dashboard-filters.js';
import { dashboardHandler } from '../src/dashboard/dashboard-handler.js';
import { migrateLatest } from '../src/db/migration-source.js';
import { SEARCH_QUERIES_TABLE } from '../src/db/migrations/0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from '../src/db/migrations/0003-search-conversions.js';
import { createKnex } from '../src/db/knex-factory.js';
import { testDatabase } from '../test/helpers/database.js';

const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 1_000_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const GOAL_MS = 300;
// Every period the filter form offers, or BENCH_PERIODS=7d,30d.
const PERIODS = process.env.BENCH_PERIODS ? process.env.BENCH_PERIODS.split(',') : [...DASHBOARD_PERIODS];

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};

// BENCH_SCHEMA: another schema, to keep two logs (one per branch, say) side by side.
const SCHEMA = process.env.BENCH_SCHEMA ?? 'indexkit_bench_dashboard';
const { settings, kind } = await testDatabase();
if (kind !== 'pg') {
  console.error('bench:dashboard needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432); PGlite is not what production logs live in');
  process.exit(1);
}
{
  const admin = await createKnex(settings, { baseDir: process.cwd() });
  if (process.argv.includes('--fresh') || process.argv.includes('--drop')) await admin.raw('drop schema if exists ?? cascade', [SCHEMA]);
  await admin.raw('create schema if not exists ??', [SCHEMA]);
  await admin.destroy();
  if (process.argv.includes('--drop')) process.exit(0);
}
const db = await createKnex({ ...settings, searchPath: [SCHEMA] }, { baseDir: process.cwd() });
async function generate(): Promise<void> {
  const t = performance.now();
  await db.raw('truncate ??, ??', [SEARCH_QUERIES_TABLE, SEARCH_CONVERSIONS_TABLE]);
  const hits = JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), index: 'blog', score: 10 - i, rank: i + 1 })));
  await db.raw(
    `insert into ?? (id, query_type, index_name, search_terms, query, hits, hit_count, total_hits, total_hits_relation, max_score, min_score, page_from, page_size, user_id, reference, executed_at, duration_ms)
     select gen_random_uuid(), case when i % 50 = 0 then 'count' else 'search' end, (array['blog', 'shop', 'docs'])[1 + i % 3],
            'term ' || floor(5000 * power(random(), 3))::int,
            '{"query": {"match": {"title": "term"}}, "from": 0, "size": 10}'::jsonb,
            case when z then '[]'::jsonb else ?::jsonb end, case when z then 0 else 10 end,
            case when z then 0 else 10 + floor(random() * 500)::int end, 'eq', case when z then null else 10 end, case when z then null else 1 end,
            0, 10, case when random() < 0.7 then 'u' || floor(random() * 20000)::int end, 'session-' || floor(random() * 200000)::int,
            at, 2 + 40 * power(random(), 4)
       from (select i, random() < 0.08 as z, now() - random() * interval '90 days' as at from generate_series(1, ?) i) g
      order by at`,
    [SEARCH_QUERIES_TABLE, hits, SEARCHES],
  );
  await db.raw(
    `insert into ?? (query_id, hit_id, kind, index_name, position, query_executed_at, converted_at)
     select id, p::text, 'click', 'blog', p, executed_at, executed_at + interval '20 seconds'
       from (select id, executed_at, 1 + floor(10 * power(random(), 2))::int as p from ?? where query_type = 'search' and total_hits > 0 and random() < ? limit ?) s`,
    [SEARCH_CONVERSIONS_TABLE, SEARCH_QUERIES_TABLE, (CONVERSIONS / SEARCHES) * 1.25, CONVERSIONS],
  );
  await db.raw('vacuum analyze ??', [SEARCH_QUERIES_TABLE]);
  await db.raw('vacuum analyze ??', [SEARCH_CONVERSIONS_TABLE]);
  const counts = (await db.raw(`select (select count(*) from ??) as q, (select count(*) from ??) as c`, [SEARCH_QUERIES_TABLE, SEARCH_CONVERSIONS_TABLE])).rows[0];
  console.log(`generated ${counts.q} logged queries and ${counts.c} conversions in ${((performance.now() - t) / 1000).toFixed(1)} s (PostgreSQL, schema ${SCHEMA})`);
}

const server = createServer(dashboardHandler({ db: async () => db, indexNames: () => ['blog', 'shop', 'docs'] }, { token: 'bench' }));
try {
  let t = performance.now();
  const applied = await migrateLatest(db);
  if (applied.length) console.log(`applied ${applied.join(', ')} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const have = (await db.raw(`select (select count(*) from ??) as q, (select count(*) from ??) as c`, [SEARCH_QUERIES_TABLE, SEARCH_CONVERSIONS_TABLE])).rows[0];
  if (Number(have.q) !== SEARCHES || Number(have.c) !== CONVERSIONS) await generate();
  else console.log(`reusing ${have.q} logged queries and ${have.c} conversions in schema ${SCHEMA} (--fresh regenerates them)`);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const oneId = (await db(SEARCH_QUERIES_TABLE).select('id').where('query_type', 'search').orderBy('executed_at', 'desc').first()).id as string;
  const newest = (await db(SEARCH_QUERIES_TABLE).max('executed_at as at').first()) as { at: Date };
  const until = encodeURIComponent(new Date(new Date(newest.at).getTime() + 1000).toISOString());
  const pages = (period: string) => [
    ['overview', `/?period=${period}&until=${until}`],
    ['top terms', `/terms?period=${period}&until=${until}`],
    ['zero results', `/zero?period=${period}&until=${until}`],
    ['low converting', `/low?period=${period}&until=${until}`],
    ['live', `/live?period=${period}&until=${until}`],
    ['one search', `/searches/${oneId}?period=${period}&until=${until}`],
    ['overview, index blog', `/?period=${period}&index=blog&until=${until}`],
    ['top terms, one user', `/terms?period=${period}&user=u42&until=${until}`],
  ];
  async function measure(path: string): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS + 2; i++) {
      t = performance.now();
      const res = await fetch(`${origin}${path}`, { headers: { authorization: 'Bearer bench' } });
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.text();
      if (i >= 2) times.push(performance.now() - t);
    }
    return times;
  }
  const results: Array<{ period: string; name: string; p50: number; p95: number }> = [];
  for (const period of PERIODS) for (const [name, path] of pages(period)) {
    const times = await measure(path!);
    results.push({ period, name: name!, p50: percentile(times, 0.5), p95: percentile(times, 0.95) });
  }
  // Baseline (unless --no-baseline): the same pages without the covering index, created again after.
  const baseline = new Map<string, number>();
  if (!process.argv.includes('--no-baseline')) {
    const [index] = (await db.raw("select pg_get_indexdef(format('%I', ?::text)::regclass) as def", [`${SEARCH_QUERIES_TABLE}_search_figures`])).rows as Array<{ def: string }>;
    await db.raw('drop index ??', [`${SEARCH_QUERIES_TABLE}_search_figures`]);
    try {
      for (const period of PERIODS) for (const [name, path] of pages(period)) baseline.set(`${period} ${name}`, percentile(await measure(path!), 0.5));
    } finally {
      await db.raw(index!.def);
    }
  }

  console.log(`\n${SEARCHES.toLocaleString('en-US')} logged searches, ${CONVERSIONS.toLocaleString('en-US')} conversions; ${ROUNDS} requests per page (ms; goal: under ${GOAL_MS}); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${'period'.padEnd(7)}${'page'.padEnd(24)}${'p50'.padStart(8)}${'p95'.padStart(8)}  ${'no index p50'.padStart(12)}  ratio`);
  for (const r of results) {
    const base = baseline.get(`${r.period} ${r.name}`);
    const vs = base === undefined ? '' : `  ${base.toFixed(1).padStart(12)}  ${(r.p50 / base).toFixed(2)}`;
    console.log(`${r.period.padEnd(7)}${r.name.padEnd(24)}${r.p50.toFixed(1).padStart(8)}${r.p95.toFixed(1).padStart(8)}${vs}${r.p95 > GOAL_MS ? '  over the goal' : ''}`);
  }
} finally {
  server.close();
  await db.destroy();
}
