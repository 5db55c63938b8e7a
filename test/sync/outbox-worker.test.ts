import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_OUTBOX_TABLE } from '../../src/db/migrations/0002-sync-outbox.js';
import { startEngineServer, type EngineServer } from '../../src/engine/index.js';
import { createIndex } from '../../src/indexes/create-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { installSync, uninstallSync } from '../../src/sync/change-capture.js';
import { syncStatus } from '../../src/sync/outbox-status.js';
import { SyncWorker } from '../../src/sync/sync-worker.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import type { TestProject } from '../helpers/lifecycle-project.js';
import { compareIndexToTable, diffLists, EQUAL, syncProject } from './sync-fixtures.js';

let current: TestProject | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function ready(items: number, categories = 10, connection?: string, settings: Record<string, unknown> = {}) {
  current = await syncProject({ items, categories, connection, settings });
  await createIndex(current.project, 'items');
  await updateIndex(current.project, 'items');
  await installSync(current.project);
  return current;
}

const pendingKeys = async (t: TestProject) => ((await t.db(SYNC_OUTBOX_TABLE).distinct('row_key')) as Array<{ row_key: string }>).map((r) => Number(r.row_key)).sort((a, b) => a - b);

describe('change capture and the outbox worker', () => {
  it('catches a raw-SQL bulk UPDATE of 10,000 rows in one statement and ends with the index equal to the table', async () => {
    const t = await ready(10_000);
    await t.db.raw('update items set price = price * 2, v = v + 1');
    expect(Number((await t.db(SYNC_OUTBOX_TABLE).count({ n: '*' }))[0]!.n)).toBe(10_000);
    const worker = new SyncWorker({ project: t.project });
    const summary = await worker.run({ once: true });
    expect(summary.rows).toBe(10_000);
    expect(summary.failed).toBe(0);
    const client = await t.project.clients.forIndex('items');
    const diff = await compareIndexToTable(client, t.db);
    expect(diffLists(diff)).toEqual(EQUAL);
    expect(diff.documents).toBe(10_000);
    expect((await syncStatus(t.db)).pending).toBe(0);
  }, 120_000);

  it('re-indexes exactly the documents of the rows a related-row change affects, and none for an unlisted column', async () => {
    const t = await ready(300, 10);
    await t.db('categories').where('id', 3).update({ color: 'blue' });
    expect(await pendingKeys(t)).toEqual([]);
    await t.db('categories').where('id', 3).update({ name: 'renamed' });
    const affected = ((await t.db('items').where('category_id', 3).select('id')) as Array<{ id: number }>).map((r) => r.id).sort((a, b) => a - b);
    expect(affected).toHaveLength(30);
    expect(await pendingKeys(t)).toEqual(affected);
    const worker = new SyncWorker({ project: t.project });
    const batches: number[] = [];
    worker.events.on('batch', (b) => batches.push(b.rows));
    await worker.run({ once: true });
    expect(batches).toEqual([30]);
    const client = await t.project.clients.forIndex('items');
    expect(diffLists(await compareIndexToTable(client, t.db))).toEqual(EQUAL);
    const hits = await client.search({ index: 'items', query: { term: { category: 'renamed' } }, size: 0 });
    expect((hits.hits.total as { value: number }).value).toBe(30);
  });

  it('finds the affected rows through keyColumn and through a select with a bound parameter', async () => {
    current = await syncProject({
      items: 20,
      categories: 2,
      settings: {
        sync: {
          related: [
            { model: 'Item', table: 'notes', columns: ['body'], keyColumn: 'item_id' },
            { model: 'Item', table: 'tags', columns: ['name'], select: 'select item_id from item_tags where tag_id = ?' },
          ],
        },
      },
    });
    const t = current;
    await t.db.schema.createTable('notes', (n) => {
      n.increments('id');
      n.integer('item_id');
      n.text('body');
    });
    await t.db.schema.createTable('tags', (n) => {
      n.increments('id');
      n.text('name');
      n.text('color');
    });
    await t.db.schema.createTable('item_tags', (n) => {
      n.integer('item_id');
      n.integer('tag_id');
    });
    await t.db('tags').insert([{ name: 'a' }, { name: 'b' }]);
    await t.db('item_tags').insert([{ item_id: 4, tag_id: 1 }, { item_id: 5, tag_id: 1 }, { item_id: 6, tag_id: 2 }]);
    await t.db('notes').insert({ item_id: 9, body: 'x' });
    await installSync(t.project);
    await t.db('notes').where('item_id', 9).update({ body: 'y' });
    await t.db('notes').where('item_id', 9).update({ item_id: 10 });
    expect(await pendingKeys(t)).toEqual([9, 10]);
    await t.db(SYNC_OUTBOX_TABLE).delete();
    await t.db('tags').where('id', 1).update({ color: 'green' });
    expect(await pendingKeys(t)).toEqual([]);
    await t.db('tags').where('id', 1).update({ name: 'a2' });
    expect(await pendingKeys(t)).toEqual([4, 5]);
  });

  it('removes the document of a row deleted or moved out of the queryset, and follows a row moved between categories', async () => {
    const t = await ready(50, 5);
    await t.db('items').where('id', 7).delete();
    await t.db('items').where('id', 8).update({ active: false });
    await t.db('items').where('id', 9).update({ category_id: 1 });
    await t.db('items').insert({ name: 'new one', price: 1, category_id: 2 });
    await new SyncWorker({ project: t.project }).run({ once: true });
    const client = await t.project.clients.forIndex('items');
    const diff = await compareIndexToTable(client, t.db);
    expect(diffLists(diff)).toEqual(EQUAL);
    expect(diff.documents).toBe(49);
  });

  it('coalesces repeated changes of one row into one write whose version is the highest outbox id', async () => {
    const t = await ready(5, 1);
    for (let i = 0; i < 5; i++) await t.db('items').where('id', 1).update({ v: i + 1 });
    const ids = ((await t.db(SYNC_OUTBOX_TABLE).select('id')) as Array<{ id: string }>).map((r) => Number(r.id));
    const worker = new SyncWorker({ project: t.project });
    const keys: Array<{ key: string; version: number }> = [];
    worker.events.on('batch', (b) => keys.push(...b.keys));
    await worker.run({ once: true });
    expect(keys).toEqual([{ source: 'items', key: '1', version: Math.max(...ids) }]);
    const client = await t.project.clients.forIndex('items');
    const doc = await client.get({ index: 'items', id: '1' });
    expect(doc._version).toBe(Math.max(...ids));
    expect(doc._source).toMatchObject({ v: 5 });
  });

  it('parks a refused entry as dead with its error, and search sync retry re-queues it', async () => {
    const t = await ready(5, 1, undefined, { sync: { maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 1 } });
    // 'abc' is not a long: the search side refuses the document every time.
    await t.db.raw('alter table items alter column price type text');
    await t.db('items').where('id', 2).update({ price: 'abc' });
    const worker = new SyncWorker({ project: t.project });
    const dead: string[] = [];
    worker.events.on('dead', (d) => dead.push(d.error));
    await worker.run({ once: true });
    await new Promise((r) => setTimeout(r, 20));
    await worker.run({ once: true });
    const status = await syncStatus(t.db);
    expect(status).toMatchObject({ pending: 0, inFlight: 0, dead: 1 });
    expect(status.deadEntries[0]!.lastError).toMatch(/document_parsing_exception|mapper_parsing_exception|failed to parse/);
    expect(dead).toHaveLength(1);
    await t.db('items').where('id', 2).update({ price: '42' });
    await t.db(SYNC_OUTBOX_TABLE).where('status', 'pending').delete();
    const { requeued } = await (await import('../../src/sync/outbox-status.js')).retryDead(t.db);
    expect(requeued).toBe(1);
    await worker.run({ once: true });
    expect(await syncStatus(t.db)).toMatchObject({ pending: 0, dead: 0 });
  });

  it('parks a document the search side refuses for what it is (a 400) as dead at once, while a retryable 503 backs off', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'indexkit-permanent-'));
    const server = await startEngineServer({ dataDir, port: 0 });
    const proxy = await startFaultProxy(server.url, { statuses: [503, 503, 503, 503], match: (method, path) => method === 'POST' && path.includes('_bulk') });
    try {
      const t = await ready(5, 1, server.url, { maxRetries: 0, sync: { maxAttempts: 5, backoffBaseMs: 60_000, backoffMaxMs: 60_000 } });
      await t.db.raw('alter table items alter column price type text');
      await t.db('items').where('id', 2).update({ price: 'abc' });
      const worker = new SyncWorker({ project: t.project });
      const dead: string[] = [];
      worker.events.on('dead', (d) => dead.push(d.error));
      const summary = await worker.run({ once: true });
      expect(summary).toMatchObject({ failed: 1, dead: 1 });
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatch(/document_parsing_exception|mapper_parsing_exception/);
      const status = await syncStatus(t.db);
      expect(status).toMatchObject({ pending: 0, inFlight: 0, dead: 1 });
      expect(status.deadEntries[0]).toMatchObject({ key: '2', attempts: 1 });

      // The same kind of change through a search side answering 503: it waits for a retry, not dead.
      await t.write('search.config.yaml', readFileSync(join(t.dir, 'search.config.yaml'), 'utf8').replace(server.url, proxy.url));
      await t.db('items').where('id', 3).update({ v: 9 });
      const busy = await new SyncWorker({ project: t.project }).run({ once: true });
      expect(busy).toMatchObject({ failed: 1, dead: 0 });
      expect(proxy.seen.faults).toBeGreaterThanOrEqual(1);
      const after = await syncStatus(t.db);
      expect(after).toMatchObject({ pending: 1, waitingRetry: 1, dead: 1 });
    } finally {
      await proxy.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('re-queues a row the index holds at a higher version, and parks it as dead when the conflict never resolves', async () => {
    const t = await ready(5, 1, undefined, { sync: { maxAttempts: 3 } });
    const client = await t.project.clients.forIndex('items');
    // As if the outbox had been recreated: the index holds a version its sequence will not reach soon.
    await client.index({ index: 'items', id: '1', version: 1_000_000, version_type: 'external', document: { name: 'from elsewhere', price: 0, v: 0, category: null } });
    await t.db('items').where('id', 1).update({ v: 7 });
    await t.db('items').where('id', 2).update({ v: 7 });
    const worker = new SyncWorker({ project: t.project });
    const requeued: number[] = [];
    worker.events.on('batch', (b) => requeued.push(b.requeued));
    await worker.run({ once: true });
    expect(requeued).toEqual([1, 1, 1]);
    const status = await syncStatus(t.db);
    expect(status).toMatchObject({ pending: 0, inFlight: 0, dead: 1 });
    expect(status.deadEntries[0]).toMatchObject({ key: '1', attempts: 3 });
    expect(status.deadEntries[0]!.lastError).toMatch(/version conflict, re-queued: .*version_conflict_engine_exception/);
    expect((await client.get<{ v: number }>({ index: 'items', id: '2' }))._source!.v).toBe(7);
  });

  it('uninstall removes the triggers: later changes are no longer captured', async () => {
    const t = await ready(5, 1);
    const { removed } = await uninstallSync(t.project);
    expect(removed).toHaveLength(2);
    await t.db('items').update({ v: 9 });
    expect(await pendingKeys(t)).toEqual([]);
    const again = await installSync(t.project);
    expect(again.installed.map((i) => i.changed)).toEqual([true, true]);
    const same = await installSync(t.project);
    expect(same.installed.map((i) => i.changed)).toEqual([false, false]);
  });

  it('near-live wakes on NOTIFY long before its next poll; periodic waits for its interval', async () => {
    const t = await ready(5, 1, undefined, { sync: { pollIntervalMs: 60_000, intervalMs: 1500 } });
    const waitEmpty = async (limitMs: number) => {
      const start = Date.now();
      while (Date.now() - start < limitMs) {
        if ((await syncStatus(t.db)).pending === 0) return Date.now() - start;
        await new Promise((r) => setTimeout(r, 20));
      }
      return Infinity;
    };
    if (t.dbKind === 'pg') {
      const nearLive = new SyncWorker({ project: t.project });
      const listening = new Promise((resolve) => nearLive.events.once('listening', resolve));
      const running = nearLive.run();
      await listening;
      await t.db('items').where('id', 1).update({ v: 1 });
      expect(await waitEmpty(5000)).toBeLessThan(5000);
      nearLive.stop();
      await running;
    } else {
      console.log('NOTIFY part skipped on PGlite (no LISTEN/NOTIFY; the worker polls)');
    }
    const periodic = new SyncWorker({ project: t.project, settings: { mode: 'periodic' } });
    const batches: number[] = [];
    periodic.events.on('batch', (b) => batches.push(b.rows));
    const running = periodic.run();
    await new Promise((r) => setTimeout(r, 100));
    await t.db('items').where('id', 2).update({ v: 1 });
    await t.db('items').where('id', 3).update({ v: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await syncStatus(t.db)).pending).toBe(2);
    expect(await waitEmpty(10_000)).toBeLessThan(10_000);
    periodic.stop();
    await running;
    expect(batches).toEqual([2]);
    const client = await t.project.clients.forIndex('items');
    expect(diffLists(await compareIndexToTable(client, t.db))).toEqual(EQUAL);
  });

  it('keeps every change while the search side is down during a stream of writes and ends equal to the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexkit-sync-outage-'));
    let server: EngineServer = await startEngineServer({ dataDir: dir, port: 0 });
    const port = Number(new URL(server.url).port);
    try {
      const t = await ready(500, 5, server.url, { maxRetries: 1, requestTimeout: 2000, sync: { backoffBaseMs: 50, backoffMaxMs: 500, pollIntervalMs: 50, maxAttempts: 1000 } });
      const worker = new SyncWorker({ project: t.project });
      const warnings: string[] = [];
      worker.events.on('warning', (w) => warnings.push(w.message));
      const running = worker.run();
      let stopWrites = false;
      const writes = (async () => {
        let n = 0;
        while (!stopWrites) {
          const id = (n % 500) + 1;
          await t.db('items').where('id', id).update({ v: t.db.raw('v + 1'), price: n });
          if (n % 97 === 0) await t.db('categories').where('id', (n % 5) + 1).update({ name: `category v${n}` });
          n++;
          await new Promise((r) => setTimeout(r, 2));
        }
        return n;
      })();
      await new Promise((r) => setTimeout(r, 700));
      await server.close();
      await new Promise((r) => setTimeout(r, 1500));
      server = await startEngineServer({ dataDir: dir, port });
      await new Promise((r) => setTimeout(r, 700));
      stopWrites = true;
      const written = await writes;
      expect(written).toBeGreaterThan(100);
      const deadline = Date.now() + 30_000;
      while ((await syncStatus(t.db)).pending + (await syncStatus(t.db)).inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      worker.stop();
      await running;
      expect(warnings.length).toBeGreaterThan(0);
      const client = await t.project.clients.forIndex('items');
      expect(diffLists(await compareIndexToTable(client, t.db))).toEqual(EQUAL);
      expect((await syncStatus(t.db)).dead).toBe(0);
    } finally {
      await current?.cleanup();
      current = undefined;
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
