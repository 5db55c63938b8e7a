import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createIndex } from '../../src/indexes/create-index.js';
import { indexState, updateMeta } from '../../src/indexes/index-state.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { startEngineServer } from '../../src/engine/index.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { ITEM_MAPPING, ITEM_MODEL, createItems, makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';

let current: TestProject | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function itemsProject(rows: number, price?: (i: number) => string, extra: Parameters<typeof makeLifecycleProject>[0]['settings'] = {}, connection?: string) {
  current = await makeLifecycleProject({
    indexes: { items: { models: ['./models/item.mjs#Item'] } },
    files: { 'models/item.mjs': ITEM_MODEL, 'mappings/items.json': JSON.stringify(ITEM_MAPPING) },
    settings: extra,
    connection,
  });
  await createItems(current.db, rows, price);
  return current;
}

const count = async (t: TestProject) => {
  const client = await t.project.clients.forIndex('items');
  await client.indices.refresh({ index: 'items' });
  return (await client.count({ index: 'items' })).count;
};

describe('updateIndex', () => {
  it('indexes every row of the queryset through keyset pages smaller than the table', async () => {
    const t = await itemsProject(1050);
    await t.db('items').whereIn('id', [3, 500, 1049]).update({ active: false });
    await createIndex(t.project, 'items');
    const pages: number[] = [];
    const result = await updateIndex(t.project, 'items', { chunkSize: 100, onProgress: (p) => pages.push(p.done) });
    expect(result.indexed).toBe(1047);
    expect(result.failed).toBe(0);
    // 1047 rows in pages of 100: 11 pages, the last of 47, plus the final report.
    expect(pages.slice(0, 11)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1047]);
    expect(await count(t)).toBe(1047);
    const client = await t.project.clients.forIndex('items');
    const doc = await client.get({ index: 'items', id: '1049' }).catch((e: { meta?: { statusCode?: number } }) => e.meta?.statusCode);
    expect(doc).toBe(404);
    expect((await client.get<{ name: string; price: string }>({ index: 'items', id: '1048' }))._source).toEqual({ name: 'item 1048', price: '1048' });
  });

  it('reports every document the mapping rejects with its id and reason, grouped, and indexes the rest', async () => {
    const t = await itemsProject(300, (i) => (i % 100 === 42 ? 'forty-two' : String(i)));
    await createIndex(t.project, 'items');
    const result = await updateIndex(t.project, 'items');
    expect(result.indexed).toBe(297);
    expect(result.failed).toBe(3);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.ids.sort()).toEqual(['142', '242', '42']);
    expect(result.failures[0]!.reason).toMatch(/failed to parse field \[price\] of type \[long\]/);
    expect(await count(t)).toBe(297);
  });

  it('caps bulk requests by bytes as well as by count', async () => {
    const t = await itemsProject(200, undefined, { chunkSize: 1000, chunkBytes: 4096 });
    await createIndex(t.project, 'items');
    const client = await t.project.clients.forIndex('items');
    const sizes: number[] = [];
    client.onRequest((request) => {
      if (request.path === '/_bulk') sizes.push(Buffer.byteLength(request.body ?? ''));
    });
    const result = await updateIndex(t.project, 'items');
    expect(result.indexed).toBe(200);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
  });

  it('indexes only rows changed since a time, for models that name their updated-at column', async () => {
    const t = await itemsProject(100);
    await t.db('items').update({ updated_at: new Date('2026-01-01T00:00:00Z') });
    await t.db('items').whereIn('id', [10, 20, 30]).update({ updated_at: new Date('2026-06-01T00:00:00Z') });
    await createIndex(t.project, 'items');
    const result = await updateIndex(t.project, 'items', { since: new Date('2026-05-01T00:00:00Z') });
    expect(result.indexed).toBe(3);
    expect(await count(t)).toBe(3);
  });

  it('continues an interrupted run after the last acknowledged key with resume', async () => {
    const t = await itemsProject(1000);
    await createIndex(t.project, 'items');
    // Interrupt the first run after the fourth page of 100 rows was read.
    const interrupted = updateIndex(t.project, 'items', {
      chunkSize: 100,
      concurrency: 1,
      checkpointIntervalMs: 0,
      onProgress: (p) => {
        if (p.done === 400) throw new Error('interrupted');
      },
    });
    await expect(interrupted).rejects.toThrow('interrupted');
    const client = await t.project.clients.forIndex('items');
    await client.indices.refresh({ index: 'items' });
    const before = (await client.count({ index: 'items' })).count;
    expect(before).toBeGreaterThanOrEqual(300);
    expect(before).toBeLessThan(1000);
    const resumed = await updateIndex(t.project, 'items', { resume: true, chunkSize: 100 });
    const run = resumed.models[0]!;
    expect(Number(run.resumedAfter)).toBeGreaterThanOrEqual(300);
    expect(run.indexed).toBe(1000 - Number(run.resumedAfter));
    expect(await count(t)).toBe(1000);
    const again = await updateIndex(t.project, 'items', { resume: true });
    expect(again.models[0]!.alreadyDone).toBe(true);
  });

  it('retries bulk requests the search side answers with 429 and 503, and loses nothing', async () => {
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/indexkit-engine-`);
    const server = await startEngineServer({ dataDir: dir, port: 0 });
    const proxy = await startFaultProxy(server.url, { statuses: [429, 503, 429, 503] });
    try {
      const t = await itemsProject(500, undefined, { maxRetries: 6 }, proxy.url);
      await createIndex(t.project, 'items');
      const result = await updateIndex(t.project, 'items', { chunkSize: 100 });
      expect(proxy.seen.faults).toBe(4);
      expect(result.retries).toBeGreaterThanOrEqual(4);
      expect(result.failed).toBe(0);
      expect(result.indexed).toBe(500);
      expect(await count(t)).toBe(500);
    } finally {
      await current?.cleanup();
      current = undefined;
      await proxy.close();
      await server.close();
    }
  });

  it('never retries a 400 and reports it', async () => {
    const t = await itemsProject(10);
    const client = await t.project.clients.forIndex('items');
    await createIndex(t.project, 'items');
    const state = await indexState(client, 'items');
    // Close the index behind the alias' back: bulk writes to it now fail, and must not be retried.
    await client.indices.delete({ index: state.concrete[0]! });
    await client.indices.create({ index: state.concrete[0]!, mappings: { dynamic: 'strict', properties: { other: { type: 'keyword' } } } });
    const result = await updateIndex(t.project, 'items', { target: state.concrete[0]! });
    expect(result.failed).toBe(10);
    expect(result.retries).toBe(0);
    expect(result.failures[0]!.type).toMatch(/strict_dynamic_mapping_exception/);
  });
});

describe('updateIndex runs on one index', () => {
  const SLOW_MODEL = ITEM_MODEL.replace('asSearchDocument: (row) => (', 'asSearchDocument: async (row) => (await new Promise((r) => setTimeout(r, 2)), ');

  it('refuses a second run while the first one heartbeats, --force takes over, and a finished run leaves no claim', async () => {
    current = await makeLifecycleProject({
      indexes: { items: { models: ['./models/item.mjs#Item'] } },
      files: { 'models/item.mjs': SLOW_MODEL, 'mappings/items.json': JSON.stringify(ITEM_MAPPING) },
      settings: { chunkSize: 20 },
    });
    const t = current;
    await createItems(t.db, 300);
    await createIndex(t.project, 'items');
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = updateIndex(t.project, 'items', { onProgress: () => started() });
    await running;
    const second = await updateIndex(t.project, 'items').catch((e: unknown) => e as { code: string; message: string });
    expect(second).toMatchObject({ code: 'UPDATE_IN_PROGRESS' });
    expect((second as { message: string }).message).toMatch(/^index "items" is already being updated by \S+ \(started [^)]+, last heartbeat \d+s ago\); wait for it, or pass --force if that run is dead$/);
    const forced = await updateIndex(t.project, 'items', { force: true });
    expect(forced.indexed).toBe(300);
    expect((await first).indexed).toBe(300);
    const state = await indexState(await t.project.clients.forIndex('items'), 'items');
    expect(state.meta?.update).toBeUndefined();
    expect((await updateIndex(t.project, 'items')).indexed).toBe(300);
  });

  it('takes over without --force from a run whose heartbeat went stale', async () => {
    const t = await itemsProject(10);
    await createIndex(t.project, 'items');
    const client = await t.project.clients.forIndex('items');
    const state = await indexState(client, 'items');
    const old = new Date(Date.now() - 5 * 60_000).toISOString();
    await updateMeta(client, state.writeIndex!, (meta) => ({ ...meta!, update: { startedAt: old, heartbeatAt: old, owner: 'dead-host:1' } }));
    expect((await updateIndex(t.project, 'items')).indexed).toBe(10);
  });

  it('takes over without --force from a fresh claim whose process on this host is gone (killed, or stopped by Ctrl-C)', async () => {
    const t = await itemsProject(10);
    await createIndex(t.project, 'items');
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    const client = await t.project.clients.forIndex('items');
    const state = await indexState(client, 'items');
    const now = new Date().toISOString();
    await updateMeta(client, state.writeIndex!, (meta) => ({ ...meta!, update: { startedAt: now, heartbeatAt: now, owner: `${hostname()}:${child.pid}:abcd1234` } }));
    expect((await updateIndex(t.project, 'items')).indexed).toBe(10);
    // The same claim from a live process is refused.
    await updateMeta(client, state.writeIndex!, (meta) => ({ ...meta!, update: { startedAt: now, heartbeatAt: now, owner: `${hostname()}:${process.ppid}:abcd1234` } }));
    await expect(updateIndex(t.project, 'items')).rejects.toMatchObject({ code: 'UPDATE_IN_PROGRESS' });
  });
});
