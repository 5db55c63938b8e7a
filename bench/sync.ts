/**
 * What keeping an index in sync costs, in one run (`npm run bench:sync`):
 *
 * 1. Outbox lag, commit to searchable, at a steady `--rate` writes/s (default 500) for
 *    `--seconds` (default 20): single-row UPDATEs on a table of 10,000 rows, caught by the
 *    capture triggers, sent by a SyncWorker in live mode (bulk with refresh=wait_for, so an
 *    acknowledged change is searchable). Lag of a write = acknowledgement time − the time its
 *    commit returned; p50, p99 and max.
 * 2. Related fan-out: 1,600 rows all belong to one category whose name is in their documents;
 *    one UPDATE of that category's name, then the time until a search finds all 1,600 documents
 *    with the new name (goal < 1 s; a tutorial reports 100 s for exactly this with signals).
 *
 * The engine is served over HTTP by a child process (its CPU is not the worker's); the worker
 * and the writer share this process, as an application and its sync worker would on one box.
 * The tables live in a schema of their own on the real PostgreSQL (DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test), dropped at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { createIndex } from '../src/indexes/create-index.js';
import { updateIndex } from '../src/indexes/update-index.js';
import { createKnex } from '../src/db/knex-factory.js';
import { openProject } from '../src/project.js';
import { installSync } from '../src/sync/change-capture.js';
import { syncStatus } from '../src/sync/outbox-status.js';
import { SyncWorker } from '../src/sync/sync-worker.js';
import { startEngineProcess } from './lib/children.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOCAL = 'postgres://postgres@127.0.0.1:5432/test';
const { values: flags } = parseArgs({ options: { rate: { type: 'string', default: '500' }, seconds: { type: 'string', default: '20' }, fanout: { type: 'string', default: '1600' } } });
const RATE = Number(flags.rate);
const SECONDS = Number(flags.seconds);
const FANOUT = Number(flags.fanout);
const ROWS = 10_000;

const MODEL = `export const Item = {
  table: 'items',
  getSearchQueryset: (db) => db('items').leftJoin('categories', 'categories.id', 'items.category_id')
    .select('items.id', 'items.name', 'items.v', 'categories.name as category'),
  asSearchDocument: (row) => ({ name: row.name, v: row.v, category: row.category }),
};
`;
const MAPPING = { mappings: { properties: { name: { type: 'text' }, v: { type: 'long' }, category: { type: 'keyword' } } } };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'indexkit-bench-sync-'));
const schema = `bench_sync_${process.pid}`;
const connection = process.env.DATABASE_URL ?? LOCAL;
const engine = await startEngineProcess(join(ROOT, 'bench/lib/engine-server.ts'), join(dir, 'engine'));
mkdirSync(join(dir, 'models'));
mkdirSync(join(dir, 'mappings'));
writeFileSync(join(dir, 'models/item.mjs'), MODEL);
writeFileSync(join(dir, 'mappings/items.json'), JSON.stringify(MAPPING));
writeFileSync(
  join(dir, 'search.config.yaml'),
  stringify({
    connections: { default: engine.url },
    database: { connection, searchPath: [schema], pool: { max: 4 } },
    indexes: { items: { models: ['./models/item.mjs#Item'] } },
    settings: { sync: { mode: 'live', pollIntervalMs: 1000, batchSize: 500, related: [{ model: 'Item', table: 'categories', columns: ['name'], foreignKey: 'category_id' }] } },
  }),
);
const project = await openProject({ cwd: dir, env: {} });
const db = await project.db();
try {
  await db.raw('create schema ??', [schema]);
  await db.schema.createTable('categories', (t) => {
    t.increments('id');
    t.text('name').notNullable();
  });
  await db('categories').insert(Array.from({ length: 10 }, (_, i) => ({ name: `category ${i + 1}` })));
  await db.schema.createTable('items', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.integer('v').notNullable().defaultTo(0);
    t.integer('category_id').nullable();
  });
  // Category 1 holds exactly FANOUT rows; the rest spread over the other nine.
  for (let start = 0; start < ROWS; start += 1000) {
    await db('items').insert(Array.from({ length: 1000 }, (_, k) => ({ name: `item ${start + k + 1}`, category_id: start + k < FANOUT ? 1 : 2 + ((start + k) % 9) })));
  }
  await createIndex(project, 'items');
  await updateIndex(project, 'items');
  await installSync(project);

  const worker = new SyncWorker({ project });
  /** key -> commit times not yet acknowledged. */
  const commits = new Map<string, number[]>();
  const lags: number[] = [];
  worker.events.on('batch', (b) => {
    if (process.env.BENCH_DEBUG) console.error(`batch ${b.claimed} entries ${b.rows} rows ${b.durationMs.toFixed(0)} ms`);
    const now = performance.now();
    const claimedAt = now - b.durationMs;
    for (const { key } of b.keys) {
      const times = commits.get(key);
      if (!times) continue;
      // Writes committed before the batch claimed its entries are covered by this acknowledgement.
      while (times.length > 0 && times[0]! <= claimedAt) lags.push(now - times.shift()!);
    }
  });
  const running = worker.run();

  // 1. Steady writes: RATE per second, in ticks of 10 ms, each write awaited for its commit time.
  // The writer is the application: a pool of its own, as it would be in another process.
  const app = await createKnex({ client: 'pg', connection, searchPath: [schema], pool: { max: 10 } }, { baseDir: dir });
  const total = RATE * SECONDS;
  const perTick = RATE / 100;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let issued = 0;
  while (issued < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 10) * perTick));
    for (; issued < due; issued++) {
      const id = ((issued * 7919) % ROWS) + 1;
      const write: Promise<void> = app('items')
        .where('id', id)
        .update({ v: app.raw('v + 1') })
        .then(() => {
          const key = String(id);
          const list = commits.get(key) ?? [];
          list.push(performance.now());
          commits.set(key, list);
        })
        .finally(() => inFlight.delete(write));
      inFlight.add(write);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(inFlight);
  await app.destroy();
  const writeSeconds = (performance.now() - started) / 1000;
  const deadline = performance.now() + 60_000;
  for (;;) {
    const status = await syncStatus(db);
    if (status.pending + status.inFlight === 0 || performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // A write whose commit returned only after the worker claimed its entry cannot be told apart
  // from one that missed the batch; those few are left out (they would have the smallest lags).
  const unmatched = [...commits.values()].reduce((n, l) => n + l.length, 0);
  const sorted = [...lags].sort((a, b) => a - b);

  // 2. Related fan-out: one change to the row FANOUT documents depend on.
  const client = await project.clients.forIndex('items');
  const t0 = performance.now();
  await db('categories').where('id', 1).update({ name: 'renamed category' });
  const committed = performance.now();
  let found = 0;
  while (found < FANOUT && performance.now() - t0 < 120_000) {
    found = (await client.count({ index: 'items', query: { term: { category: 'renamed category' } } })).count;
    if (found < FANOUT) await new Promise((r) => setTimeout(r, 5));
  }
  const fanoutMs = performance.now() - committed;
  worker.stop();
  await running;

  console.log(`sync benchmark (PostgreSQL ${connection.replace(/\/\/[^@]*@/, '//')}, engine server child, worker mode live)`);
  console.log(`1. outbox lag, commit to searchable, ${issued} writes at ${(issued / writeSeconds).toFixed(0)} writes/s for ${writeSeconds.toFixed(1)} s: p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? NaN)} (${sorted.length} writes matched to their acknowledgement, ${unmatched} committed during their batch's claim and left out)`);
  console.log(`2. related fan-out: ${found}/${FANOUT} documents searchable with the new category name ${ms(fanoutMs)} after the one UPDATE committed (goal < 1000 ms)`);
} finally {
  await db.raw('drop schema if exists ?? cascade', [schema]).catch(() => undefined);
  await project.close();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}
