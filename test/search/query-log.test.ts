import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_QUERIES_TABLE } from '../../src/db/migrations/0001-search-queries.js';
import { migrateLatest } from '../../src/db/migration-source.js';
import { executeSearch } from '../../src/search/execute-search.js';
import { listQueries } from '../../src/search/query-audit.js';
import { QueryLog } from '../../src/search/query-log.js';
import type { QueryLogEventMap } from '../../src/search/query-log-events.js';
import type { SearchQuery } from '../../src/search/search-query.js';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { isolatedDatabase } from '../helpers/database.js';
import { baseline, makeProject, VALID_CONFIG } from '../helpers/project.js';
import { searchFixture, type SearchFixture } from './fixture.js';

let f: SearchFixture;

beforeAll(async () => {
  f = await searchFixture({ posts: 40 });
});

afterAll(async () => {
  await f.close();
});

function query(n: number, overrides: Partial<SearchQuery> = {}): SearchQuery {
  return {
    id: randomUUID(),
    queryType: 'search',
    index: 'blog',
    searchTerms: `term ${n}`,
    query: { query: { match: { title: `term ${n}` } }, from: 0, size: 10 },
    hits: [{ id: String(n), index: 'blog', score: 1, rank: 1 }],
    totalHits: 1,
    totalHitsRelation: 'eq',
    maxScore: 1,
    minScore: 1,
    aggregations: null,
    page: { from: 0, size: 10, number: 1 },
    executedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    durationMs: n,
    user: null,
    reference: 'log-test',
    ...overrides,
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback server that accepts connections and never answers: a database that hangs. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// knex's own per-attempt log lines are the application's to configure; silent here.
const QUIET = { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined };

const unreachableKnex = (port: number): Knex =>
  knexFactory({ client: 'pg', connection: { host: '127.0.0.1', port, user: 'postgres', database: 'test', connectionTimeoutMillis: 1500 }, acquireConnectionTimeout: 1500, pool: { min: 0, max: 2 }, log: QUIET });

function collect<K extends keyof QueryLogEventMap>(log: QueryLog, name: K): Array<QueryLogEventMap[K]> {
  const events: Array<QueryLogEventMap[K]> = [];
  log.events.on(name, (e) => events.push(e));
  return events;
}

describe('QueryLog', () => {
  it('still returns hits when the log database is unreachable, reports the failure once and keeps the query', async () => {
    const down = unreachableKnex(await closedPort());
    const lines: string[] = [];
    const log = new QueryLog({ db: down, flushIntervalMs: 60_000, logger: { warn: (m) => lines.push(m) } });
    const failures = collect(log, 'writeFailed');
    try {
      const result = await executeSearch('blog', { query: { match: { title: 'postgresql' } } }, { client: f.side, log, searchTerms: 'postgresql' });
      expect(result.hits.length).toBeGreaterThan(0);
      expect(log.pending).toBe(1);
      expect(await log.flush()).toEqual({ written: 0, failed: true });
      expect(await log.flush()).toEqual({ written: 0, failed: true });
      expect(failures).toHaveLength(2);
      expect(String((failures[0]!.error as Error).message ?? failures[0]!.error)).toMatch(/ECONNREFUSED|connect/);
      expect(failures[1]!.consecutiveFailures).toBe(2);
      // One log line per outage, not one per attempt.
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/query log write failed/);
      expect(log.pending).toBe(1);
    } finally {
      await log.close();
      await down.destroy();
    }
  });

  it('does not slow a search down when the log database hangs', async () => {
    const silent = await silentServer();
    const hung = unreachableKnex(silent.port);
    const log = new QueryLog({ db: hung, flushIntervalMs: 0, logger: { warn: () => undefined } });
    try {
      log.record(query(1));
      await new Promise((resolve) => setTimeout(resolve, 20)); // the write is now in flight and hanging
      // The search is answered while the hung write (which never ends) is still pending: it did not wait for it.
      const result = await executeSearch('blog', { query: { match: { title: 'postgresql' } } }, { client: f.side, log });
      expect(result.hits.length).toBeGreaterThan(0);
      // its own query waits in the queue behind the hung batch
      expect(log.pending).toBe(1);
      // Shutdown is bounded too: close() gives up after its timeout (the write never ends, so only the
      // timeout can end it) and says what it could not write.
      expect(await log.close({ timeoutMs: 200 })).toEqual({ written: 0, failed: true, unwritten: 2 });
    } finally {
      await silent.close();
      await log.close();
      await hung.destroy();
    }
  });

  it('drops the oldest queries past maxQueue, counts them and warns once', async () => {
    const down = unreachableKnex(await closedPort());
    const lines: string[] = [];
    const log = new QueryLog({ db: down, flushIntervalMs: 60_000, maxQueue: 3, logger: { warn: (m) => lines.push(m) } });
    const dropped = collect(log, 'dropped');
    try {
      const queries = [1, 2, 3, 4, 5].map((n) => query(n));
      for (const q of queries) log.record(q);
      expect(log.pending).toBe(3);
      expect(log.counters.dropped).toBe(2);
      expect(dropped.map((d) => d.totalDropped)).toEqual([1, 2]);
      expect(lines.filter((l) => /queue is full/.test(l))).toHaveLength(1);
      // A failed write puts the batch back; still bounded.
      await log.flush();
      expect(log.pending).toBe(3);
    } finally {
      await log.close();
      await down.destroy();
    }
  });

  it('writes in batches of maxBatch at once and the rest on flush, in order', async () => {
    const { db, cleanup } = await isolatedDatabase();
    await migrateLatest(db);
    const log = new QueryLog({ db, flushIntervalMs: 60_000, maxBatch: 5 });
    const flushed = collect(log, 'flushed');
    try {
      const queries = Array.from({ length: 12 }, (_, i) => query(i + 1));
      for (const q of queries) log.record(q);
      // Two full batches go without waiting for the interval.
      for (let i = 0; i < 100 && log.counters.written < 10; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(log.counters.written).toBe(10);
      expect(log.pending).toBe(2);
      await log.flush();
      expect(flushed.map((e) => e.count)).toEqual([5, 5, 2]);
      const rows = await listQueries(db, { reference: 'log-test', limit: 100 });
      expect(rows.map((r) => r.id).reverse()).toEqual(queries.map((q) => q.id));
    } finally {
      await log.close();
      await cleanup();
    }
  });

  it('writes on its own after flushIntervalMs', async () => {
    const { db, cleanup } = await isolatedDatabase();
    await migrateLatest(db);
    const log = new QueryLog({ db, flushIntervalMs: 30 });
    try {
      const done = new Promise<QueryLogEventMap['flushed']>((resolve) => log.events.once('flushed', resolve));
      log.record(query(1));
      expect((await done).count).toBe(1);
      expect(await db(SEARCH_QUERIES_TABLE).count<{ n: unknown }[]>('* as n')).toEqual([{ n: expect.anything() }]);
      expect(Number((await db(SEARCH_QUERIES_TABLE).count<{ n: unknown }[]>('* as n'))[0]!.n)).toBe(1);
    } finally {
      await log.close();
      await cleanup();
    }
  });

  it('recovers when the table appears, writing what was kept and reporting the recovery', async () => {
    const { db, cleanup } = await isolatedDatabase();
    const lines: string[] = [];
    const log = new QueryLog({ db, flushIntervalMs: 60_000, logger: { warn: (m) => lines.push(m) } });
    const recovered = collect(log, 'recovered');
    try {
      const queries = [1, 2, 3].map((n) => query(n));
      for (const q of queries) log.record(q);
      expect((await log.flush()).failed).toBe(true); // no migration yet: the table does not exist
      await migrateLatest(db);
      expect(await log.flush()).toEqual({ written: 3, failed: false });
      expect(recovered).toEqual([{ failures: 1, droppedMeanwhile: 0 }]);
      expect(lines).toHaveLength(2);
      expect((await listQueries(db, { reference: 'log-test' })).map((r) => r.id).sort()).toEqual(queries.map((q) => q.id).sort());
    } finally {
      await log.close();
      await cleanup();
    }
  });

  it('survives a listener that throws', async () => {
    const down = unreachableKnex(await closedPort());
    const log = new QueryLog({ db: down, flushIntervalMs: 60_000, logger: { warn: () => undefined } });
    log.events.on('writeFailed', () => {
      throw new Error('listener bug');
    });
    try {
      log.record(query(1));
      await expect(log.flush()).resolves.toEqual({ written: 0, failed: true });
    } finally {
      await log.close();
      await down.destroy();
    }
  });

  it('takes settings.queryLog from the settings file, with the schema\'s defaults for the rest', async () => {
    const project = makeProject(baseline({ 'search.config.yaml': `${VALID_CONFIG}  queryLog:\n    maxQueue: 5\n` }));
    try {
      const config = await loadConfig({ path: join(project.dir, 'search.config.yaml') });
      expect(config.settings.queryLog).toEqual({ enabled: true, flushIntervalMs: 1000, maxBatch: 100, maxQueue: 5 });
      expect(new QueryLog({ db: f.db }).settings).toEqual({ enabled: true, flushIntervalMs: 1000, maxBatch: 100, maxQueue: 10_000 });
    } finally {
      project.cleanup();
    }
  });

  it('records nothing when disabled or closed', async () => {
    const log = new QueryLog({ db: f.db, enabled: false });
    log.record(query(1));
    expect(log.pending).toBe(0);
    const open = new QueryLog({ db: f.db });
    await open.close();
    open.record(query(2));
    expect(open.pending).toBe(0);
  });
});
