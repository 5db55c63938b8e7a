/**
 * What the dashboard's rollup triggers (migration 0006, and 0004's before it) cost the query
 * log's writes (`npm run bench:query-log-write`).
 *
 * A search never waits for the log (QueryLog.record only queues), so the cost is in the batch
 * write behind the searches: this times QueryLog.flush of one batch of the default size (100
 * searches, 10 of them converted, conversions written after their searches) into a log with the
 * rollup levels of migration 0006, into one with the rollups of 0004 they replaced (a log migrated
 * up to 0005) and into one without rollup triggers (the same migrations, triggers dropped), in
 * turn, BENCH_ROUNDS times after a warm-up, over a log that already holds BENCH_PREFILL searches
 * per schema. Prints the median batch times and the ratios to the one without triggers.
 *
 * The database is DATABASE_URL, else PostgreSQL on 127.0.0.1:5432, else PGlite (as the tests
 * choose), in schemas of their own dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Knex } from 'knex';
import { mulberry32 } from '../demo/seeded-random.js';
import { indexkitMigrationSource, migrateLatest, MIGRATIONS_TABLE } from '../src/db/migration-source.js';
import { MIGRATIONS } from '../src/db/migrations/index.js';
import { QueryLog } from '../src/search/query-log.js';
import type { SearchQuery } from '../src/search/search-query.js';
import { isolatedDatabase } from '../test/helpers/database.js';
import { median } from './lib/timing.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const PREFILL = Number(process.env.BENCH_PREFILL ?? 20_000);
const BATCH = 100;
const random = mulberry32(7);

function search(at: Date): SearchQuery {
  const total = random() < 0.1 ? 0 : 1 + Math.floor(random() * 300);
  return {
    id: randomUUID(),
    queryType: 'search',
    index: ['blog', 'shop', 'docs'][Math.floor(random() * 3)]!,
    searchTerms: `term ${Math.floor(3000 * random() ** 3)}`,
    query: { query: { match: { title: 'term' } }, from: 0, size: 10 },
    hits: Array.from({ length: Math.min(total, 10) }, (_, i) => ({ id: String(i + 1), index: 'blog', score: 10 - i, rank: i + 1 })),
    totalHits: total,
    totalHitsRelation: 'eq',
    maxScore: total ? 10 : null,
    minScore: total ? 1 : null,
    aggregations: null,
    page: { from: 0, size: 10, number: 1 },
    executedAt: at,
    durationMs: 2 + 40 * random() ** 4,
    user: random() < 0.7 ? `u${Math.floor(random() * 20000)}` : null,
    reference: null,
  };
}

async function batch(log: QueryLog, size: number, at: () => Date): Promise<void> {
  const queries = Array.from({ length: size }, () => search(at()));
  for (const q of queries) log.record(q);
  for (const q of queries.slice(0, size / 10)) log.recordConversion(q.id, { hitId: '2' });
  const { failed } = await log.flush();
  if (failed) throw new Error('a batch write failed');
}

const schemas = [await isolatedDatabase(), await isolatedDatabase(), await isolatedDatabase()];
try {
  const [levels, rollups, without] = schemas.map((s) => s.db) as [Knex, Knex, Knex];
  for (const db of [levels, without]) await migrateLatest(db);
  // 0004's rollups, as a log migrated up to 0005 keeps them (what 0006 replaced).
  for (const m of MIGRATIONS.filter((m) => m.name < '0006')) await rollups.migrate.up({ migrationSource: indexkitMigrationSource, tableName: MIGRATIONS_TABLE, name: m.name });
  const triggers = (await without.raw("select tgname as name, tgrelid::regclass::text as table from pg_trigger where tgname like 'indexkit\\_rollup\\_%' and tgrelid::regclass::text like 'indexkit\\_search\\_%'")).rows as Array<{ name: string; table: string }>;
  if (triggers.length !== 7) throw new Error(`expected the 7 rollup triggers, found ${triggers.map((t) => t.name).join(', ')}`);
  for (const { name, table } of triggers) await without.raw('drop trigger ?? on ??', [name, table]);
  const logs = [levels, rollups, without].map((db) => new QueryLog({ db, maxBatch: 1000, flushIntervalMs: 600_000 }));
  // The prefill spreads over the last 30 days; the timed batches are searches of now.
  const start = Date.now() - 30 * 86_400_000;
  for (const log of logs) for (let i = 0; i < PREFILL; i += 1000) await batch(log, Math.min(1000, PREFILL - i), () => new Date(start + random() * 30 * 86_400_000));
  // All three in each round, the order rotating, so drift on a loaded machine hits each alike.
  const now = () => new Date();
  const times: number[][] = [[], [], []];
  for (let round = -10; round < ROUNDS; round++) {
    for (let k = 0; k < 3; k++) {
      const i = (round + 10 + k) % 3;
      const t = performance.now();
      await batch(logs[i]!, BATCH, now);
      if (round >= 0) times[i]!.push(performance.now() - t);
    }
  }
  const [levelsMs, rollupsMs, withoutMs] = times.map(median) as [number, number, number];
  for (const log of logs) await log.close();
  console.log(`query log write of one batch (${BATCH} searches, ${BATCH / 10} conversions) over ${PREFILL.toLocaleString('en-US')} logged searches; ${ROUNDS} rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const line = (name: string, ms: number) => `${name.padEnd(34)}${ms.toFixed(2).padStart(8)} ms (${((ms / BATCH) * 1000).toFixed(0)} µs per search, ${(ms / withoutMs).toFixed(2)}x)`;
  console.log(line('with the rollup levels (0006)', levelsMs));
  console.log(line("with 0004's rollups (before 0006)", rollupsMs));
  console.log(line('without rollup triggers', withoutMs));
} finally {
  for (const s of schemas) await s.cleanup();
}
