/**
 * What the search helper costs on top of the raw calls, in one run (`npm run bench:search`):
 *
 * 1. executeSearch (with the query log on, default settings) vs a bare `client.search` of the
 *    same body on the embedded engine: median overhead; goal ≤ 10% or ≤ 1 ms, whichever is larger.
 * 2. fromSearchQuery on 100 and 1,000 hits vs a plain `whereIn` fetch of the same ids (which
 *    returns them unordered and unranked): goal ≤ 1.5x. fromSearchQuery with keyType given and
 *    looked up (the default), and for reference rerankQuery, the SQL-ordered builder (used when
 *    the builder has a limit) with a typed key and with the key::text fallback.
 *
 * The database is DATABASE_URL, else PostgreSQL on 127.0.0.1:5432, else PGlite in memory (as
 * the tests choose), in a schema of its own that is dropped at the end.
 */
import { seedDemo } from '../demo/seed.js';
import { migrateLatest } from '../src/db/migration-source.js';
import { executeSearch } from '../src/search/execute-search.js';
import { fromSearchQuery } from '../src/search/from-search-query.js';
import { rerankQuery } from '../src/search/rerank-query.js';
import { QueryLog } from '../src/search/query-log.js';
import type { SearchQuery } from '../src/search/search-query.js';
import { openTestClient, removeDir } from '../test/engine/helpers.js';
import { isolatedDatabase } from '../test/helpers/database.js';
import { compareAlternating } from './lib/timing.js';

/** `a` and `b` alternately after up to 50 warm-up rounds; medians in ms. */
const compare = (rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>) => compareAlternating(rounds, Math.min(50, rounds), a, b);

const POSTS = Number(process.env.BENCH_POSTS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);

const f = (n: number, digits = 3) => n.toFixed(digits);

async function main(): Promise<void> {
  const { db, kind, cleanup } = await isolatedDatabase();
  const engine = await openTestClient();
  const log = new QueryLog({ db });
  try {
    await migrateLatest(db);
    await seedDemo(db, { posts: POSTS });
    const rows = (await db('posts').select('id', 'title', 'summary', 'body')) as Array<{ id: number; title: string; summary: string; body: string }>;
    await engine.client.indices.create({ index: 'blog', mappings: { properties: { title: { type: 'text' }, summary: { type: 'text' }, body: { type: 'text' } } } });
    for (let i = 0; i < rows.length; i += 500) {
      await engine.client.bulk({ operations: rows.slice(i, i + 500).flatMap((r) => [{ index: { _index: 'blog', _id: String(r.id) } }, { title: r.title, summary: r.summary, body: r.body }]) });
    }
    await engine.client.indices.refresh({ index: 'blog' });
    console.log(`database ${kind}, ${rows.length} posts, ${ROUNDS} rounds per figure, medians\n`);

    // 1. executeSearch with logging vs bare client.search.
    const body = { query: { match: { body: 'postgresql latency dashboards' } }, from: 0, size: 25 };
    const search = await compare(
      ROUNDS,
      () => executeSearch('blog', body, { client: engine.client, log, searchTerms: 'postgresql latency dashboards', user: 42 }),
      () => engine.client.search({ index: 'blog', ...body }),
    );
    await log.flush();
    const overhead = search.a - search.b;
    const allowed = Math.max(0.1 * search.b, 1);
    console.log('executeSearch (logging on) vs client.search');
    console.log(`  bare ${f(search.b)} ms, executeSearch ${f(search.a)} ms: overhead ${f(overhead)} ms = ${f((search.a / search.b - 1) * 100, 1)}% (ratio ${f(search.a / search.b, 3)}x); goal ≤ ${f(allowed)} ms: ${overhead <= allowed ? 'met' : 'NOT met'}`);
    console.log(`  query log: ${log.counters.written} rows written, ${log.counters.dropped} dropped, ${log.counters.failedWrites} failed writes\n`);

    // 2. fromSearchQuery vs whereIn of the same ids.
    console.log('re-ranked rows vs db(posts).whereIn(id, ids) (unordered, unranked)');
    for (const size of [100, 1000]) {
      const result: SearchQuery = await executeSearch('blog', { query: { match: { body: 'the' } } }, { client: engine.client, size });
      if (result.hits.length < size) throw new Error(`the search found ${result.hits.length} hits, fewer than ${size}: raise BENCH_POSTS`);
      const ids = result.hits.map((h) => Number(h.id));
      const plain = () => db('posts').whereIn('id', ids) as unknown as Promise<unknown>;
      const variants: Array<[string, () => Promise<unknown>]> = [
        ['fromSearchQuery, keyType integer', () => fromSearchQuery(db('posts'), result, { keyType: 'integer' })],
        ['fromSearchQuery, default', () => fromSearchQuery(db('posts'), result)],
        // An aliased table: the type is not looked up, the key is compared as text (no key index).
        ['fromSearchQuery, key::text', () => fromSearchQuery(db('posts as p'), result, { keyColumn: 'p.id' })],
        // Ordered in SQL (what fromSearchQuery runs when the builder has a limit or offset).
        ['rerankQuery, keyType integer', () => rerankQuery(db('posts'), result, { keyType: 'integer' }) as unknown as Promise<unknown>],
        // The universal fallback (an aliased table or an unknown key type): key::text, no key index.
        ['rerankQuery, key::text', () => rerankQuery(db('posts'), result) as unknown as Promise<unknown>],
      ];
      for (const [label, run] of variants) {
        const timing = await compare(Math.max(50, Math.floor(ROUNDS / (size / 100))), run, plain);
        const ratio = timing.a / timing.b;
        console.log(`  ${String(size).padStart(4)} hits, ${label.padEnd(32)} ${f(timing.a)} ms vs whereIn ${f(timing.b)} ms: ratio ${f(ratio, 2)}x; goal ≤ 1.5x: ${ratio <= 1.5 ? 'met' : 'NOT met'}`);
      }
    }
  } finally {
    await log.close();
    await engine.close();
    removeDir(engine.dir);
    await cleanup();
  }
}

await main();
