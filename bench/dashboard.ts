/**
 * The dashboard on a real-sized log (`npm run bench:dashboard`).
 *
 * Generates 1,000,000 logged queries over 90 days (3 indexes, about 5,000 terms with a skewed
 * distribution, 2% counts, 8% zero-result searches, 70% with a user) and 100,000 conversions
 * (positions skewed to the top ranks) in SQL with generate_series, then VACUUM ANALYZE (as
 * autovacuum would leave an insert-only table). Each page is requested through the real
 * handler over HTTP, `BENCH_ROUNDS` times after a warm-up, for the default period (7 days,
 * about 78,000 searches) and for 30 days; p50 and p95 per page are printed against the 300 ms
 * goal. The baseline, measured in the same run, is the same pages without the covering index
 * of migration 0003 (`search_figures`): the ratio says what that index buys.
 *
 * Sizes: BENCH_SEARCHES (default 1000000), BENCH_CONVERSIONS (100000). The database is
 * DATABASE_URL, else PostgreSQL on 127.0.0.1:5432 (PGlite is too slow for a million rows), in a
 * schema of its own dropped at the end.
 */
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { dashboardHandler } from '../src/dashboard/dashboard-handler.js';
import { migrateLatest } from '../src/db/migration-source.js';
import { SEARCH_QUERIES_TABLE } from '../src/db/migrations/0001-search-queries.js';
import { SEARCH_CONVERSIONS_TABLE } from '../src/db/migrations/0003-search-conversions.js';
import { isolatedDatabase } from '../test/helpers/database.js';

const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 1_000_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const GOAL_MS = 300;

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};

const { db, kind, cleanup } = await isolatedDatabase();
if (kind !== 'pg') {
  console.error('bench:dashboard needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432); PGlite is not what production logs live in');
  await cleanup();
  process.exit(1);
}
const server = createServer(dashboardHandler({ db: async () => db, indexNames: () => ['blog', 'shop', 'docs'] }, { token: 'bench' }));
try {
  await migrateLatest(db);
  let t = performance.now();
  const hits = JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), index: 'blog', score: 10 - i, rank: i + 1 })));
  await db.raw(
    `insert into ?? (id, query_type, index_name, search_terms, query, hits, hit_count, total_hits, total_hits_relation, max_score, min_score, page_from, page_size, user_id, reference, executed_at, duration_ms)
     select gen_random_uuid(), case when i % 50 = 0 then 'count' else 'search' end, (array['blog', 'shop', 'docs'])[1 + i % 3],
            'term ' || floor(5000 * power(random(), 3))::int,
            '{"query": {"match": {"title": "term"}}, "from": 0, "size": 10}'::jsonb,
            case when z then '[]'::jsonb else ?::jsonb end, case when z then 0 else 10 end,
            case when z then 0 else 10 + floor(random() * 500)::int end, 'eq', case when z then null else 10 end, case when z then null else 1 end,
            0, 10, case when random() < 0.7 then 'u' || floor(random() * 20000)::int end, 'session-' || floor(random() * 200000)::int,
            now() - random() * interval '90 days', 2 + 40 * power(random(), 4)
       from (select i, random() < 0.08 as z from generate_series(1, ?) i) g`,
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
  console.log(`generated ${counts.q} logged queries and ${counts.c} conversions in ${((performance.now() - t) / 1000).toFixed(1)} s (PostgreSQL, schema of its own)`);

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const oneId = (await db(SEARCH_QUERIES_TABLE).select('id').where('query_type', 'search').orderBy('executed_at', 'desc').first()).id as string;
  const pages = (period: string) => [
    ['overview', `/?period=${period}`],
    ['top terms', `/terms?period=${period}`],
    ['zero results', `/zero?period=${period}`],
    ['low converting', `/low?period=${period}`],
    ['live', `/live?period=${period}`],
    ['one search', `/searches/${oneId}?period=${period}`],
    ['overview, index blog', `/?period=${period}&index=blog`],
    ['top terms, one user', `/terms?period=${period}&user=u42`],
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
  for (const period of ['7d', '30d']) for (const [name, path] of pages(period)) {
    const times = await measure(path!);
    results.push({ period, name: name!, p50: percentile(times, 0.5), p95: percentile(times, 0.95) });
  }
  // Baseline: the same pages without the covering index.
  await db.raw('drop index ??', [`${SEARCH_QUERIES_TABLE}_search_figures`]);
  await db.raw('analyze ??', [SEARCH_QUERIES_TABLE]);
  const baseline = new Map<string, number>();
  for (const period of ['7d', '30d']) for (const [name, path] of pages(period)) baseline.set(`${period} ${name}`, percentile(await measure(path!), 0.5));

  console.log(`\n${SEARCHES.toLocaleString('en-US')} logged searches, ${CONVERSIONS.toLocaleString('en-US')} conversions; ${ROUNDS} requests per page (ms; goal: under ${GOAL_MS}); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${'period'.padEnd(7)}${'page'.padEnd(24)}${'p50'.padStart(8)}${'p95'.padStart(8)}  ${'no index p50'.padStart(12)}  ratio`);
  for (const r of results) {
    const base = baseline.get(`${r.period} ${r.name}`)!;
    console.log(`${r.period.padEnd(7)}${r.name.padEnd(24)}${r.p50.toFixed(1).padStart(8)}${r.p95.toFixed(1).padStart(8)}  ${base.toFixed(1).padStart(12)}  ${(r.p50 / base).toFixed(2)}${r.p95 > GOAL_MS ? '  over the goal' : ''}`);
  }
} finally {
  server.close();
  await cleanup();
}
