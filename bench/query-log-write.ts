/**
 * What the dashboard's rollup triggers (migration 0004) cost the query log's writes
 * (`npm run bench:query-log-write`).
 *
 * A search never waits for the log (QueryLog.record only queues), so the cost is in the batch
 * write behind the searches: this times QueryLog.flush of one batch of the default size (100
 * searches, 10 of them converted, conversions written after their searches) into a log with the
 * rollup triggers and into one without them (the same migrations, triggers dropped), alternately,
 * BENCH_ROUNDS times after a warm-up, over a log that already holds BENCH_PREFILL searches per
 * schema. Prints the median batch times and the ratio.
 *
 * The database is DATABASE_URL, else PostgreSQL on 127.0.0.1:5432, else PGlite (as the tests
 * choose), in schemas of their own dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Knex } from 'knex';
import { mulberry32 } from '../demo/seeded-random.js';
import { migrateLatest } from '../src/db/migration-source.js';
import { QueryLog } from '../src/search/query-log.js';
import type { SearchQuery } from '../src/search/search-query.js';
import { isolatedDatabase } from '../test/helpers/database.js';
import { compareAlternating } from './lib/timing.js';

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

const schemas = [await isolatedDatabase(), await isolatedDatabase()];
try {
  const [withRollups, without] = schemas.map((s) => s.db) as [Knex, Knex];
  for (const db of [withRollups, without]) await migrateLatest(db);
  for (const [table, trigger] of [
    ['indexkit_search_queries', 'indexkit_rollup_log_inserted'],
    ['indexkit_search_queries', 'indexkit_rollup_log_updated'],
    ['indexkit_search_queries', 'indexkit_rollup_log_deleted'],
    ['indexkit_search_queries', 'indexkit_rollup_log_truncated'],
    ['indexkit_search_conversions', 'indexkit_rollup_conversions_inserted'],
    ['indexkit_search_conversions', 'indexkit_rollup_conversions_updated'],
    ['indexkit_search_conversions', 'indexkit_rollup_conversions_deleted'],
  ] as const) {
    await without.raw('drop trigger ?? on ??', [trigger, table]);
  }
  const logs = [withRollups, without].map((db) => new QueryLog({ db, maxBatch: 1000, flushIntervalMs: 600_000 }));
  // The prefill spreads over the last 30 days; the timed batches are searches of now.
  const start = Date.now() - 30 * 86_400_000;
  for (const log of logs) for (let i = 0; i < PREFILL; i += 1000) await batch(log, Math.min(1000, PREFILL - i), () => new Date(start + random() * 30 * 86_400_000));
  const { a, b } = await compareAlternating(ROUNDS, 10, () => batch(logs[0]!, BATCH, () => new Date()), () => batch(logs[1]!, BATCH, () => new Date()));
  for (const log of logs) await log.close();
  console.log(`query log write of one batch (${BATCH} searches, ${BATCH / 10} conversions) over ${PREFILL.toLocaleString('en-US')} logged searches; ${ROUNDS} rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`with rollup triggers     ${a.toFixed(2)} ms (${((a / BATCH) * 1000).toFixed(0)} µs per search)`);
  console.log(`without rollup triggers  ${b.toFixed(2)} ms (${((b / BATCH) * 1000).toFixed(0)} µs per search)`);
  console.log(`ratio                    ${(a / b).toFixed(2)}x`);
} finally {
  for (const s of schemas) await s.cleanup();
}
