import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngineServer } from '../../src/engine/index.js';
import { SyncError } from '../../src/errors.js';
import { createIndex } from '../../src/indexes/create-index.js';
import { SearchSync, configureSearchSync, indexSearchDocument, updateSearchIndex } from '../../src/sync/search-sync.js';
import { withoutSearchUpdates } from '../../src/sync/without-search-updates.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';
import { SYNC_ITEM_MAPPING, SYNC_ITEM_MODEL, createSyncTables, syncProject } from './sync-fixtures.js';

let current: TestProject | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function ready(settings: Record<string, unknown> = {}, connection?: string) {
  current = await syncProject({ items: 20, categories: 2, settings, connection });
  await createIndex(current.project, 'items');
  return current;
}

/** Counts `_bulk` requests and keeps their bodies. */
async function watchBulk(t: TestProject) {
  const client = await t.project.clients.forIndex('items');
  const bodies: string[] = [];
  client.onRequest((request) => {
    if (request.path === '/_bulk') bodies.push(request.body ?? '');
  });
  return bodies;
}

const getDoc = async (t: TestProject, id: string) => {
  const client = await t.project.clients.forIndex('items');
  return client.get<Record<string, unknown>>({ index: 'items', id }).then((d) => d._source, (e: { meta?: { statusCode?: number } }) => e.meta?.statusCode);
};

describe('the per-object sync API', () => {
  it('skips an identical re-send within cacheExpiry, keyed by index and id, and sends again with force', async () => {
    const t = await ready();
    const sync = new SearchSync({ project: t.project });
    const bulk = await watchBulk(t);
    expect((await sync.indexSearchDocument('Item', { id: 1 }))[0]).toMatchObject({ index: 'items', id: '1', outcome: 'sent' });
    expect((await sync.indexSearchDocument('Item', { id: 1 }))[0]!.outcome).toBe('skipped');
    expect(bulk).toHaveLength(1);
    await t.db('items').where('id', 1).update({ price: 999 });
    expect((await sync.indexSearchDocument('Item', { id: 1 }))[0]!.outcome).toBe('sent');
    expect((await sync.indexSearchDocument('Item', { id: 1 }, { force: true }))[0]!.outcome).toBe('sent');
    expect(bulk).toHaveLength(3);
    expect(await getDoc(t, '1')).toMatchObject({ price: 999 });
  });

  it('does not remember a document whose write failed, so the identical retry is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexkit-sync-cache-'));
    const server = await startEngineServer({ dataDir: dir, port: 0 });
    const proxy = await startFaultProxy(server.url, { statuses: [503] });
    try {
      const t = await ready({ maxRetries: 0 }, proxy.url);
      const sync = new SearchSync({ project: t.project });
      const outcomes: string[] = [];
      sync.events.on('postIndex', (e) => outcomes.push(e.outcome));
      const failed = await sync.indexSearchDocument('Item', { id: 2 }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(SyncError);
      expect((failed as SyncError).code).toBe('SYNC_FAILED');
      expect(sync.cache.size).toBe(0);
      expect((await sync.indexSearchDocument('Item', { id: 2 }))[0]!.outcome).toBe('sent');
      expect(outcomes).toEqual(['failed', 'sent']);
      expect(proxy.seen.faults).toBe(1);
    } finally {
      await current?.cleanup();
      current = undefined;
      await proxy.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fires pre and post events in order, and a throwing listener breaks nothing', async () => {
    const t = await ready();
    const sync = new SearchSync({ project: t.project });
    const seen: string[] = [];
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      sync.events.on('preIndex', () => {
        throw new Error('listener bug');
      });
      for (const name of ['preIndex', 'postIndex', 'preUpdate', 'postUpdate', 'preDelete', 'postDelete'] as const) {
        sync.events.on(name, (e) => seen.push(`${name}:${e.id}:${'outcome' in e ? e.outcome : '-'}`));
      }
      await sync.indexSearchDocument('Item', { id: 3 });
      await t.db('items').where('id', 3).update({ price: 5 });
      await sync.updateSearchDocument('Item', { id: 3 }, ['price']);
      await sync.deleteSearchDocument('Item', { id: 3 });
    } finally {
      process.stderr.write = stderr;
    }
    expect(seen).toEqual(['preIndex:3:-', 'postIndex:3:sent', 'preUpdate:3:-', 'postUpdate:3:sent', 'preDelete:3:-', 'postDelete:3:sent']);
    expect(await getDoc(t, '3')).toBe(404);
  });

  it('removes the document of a row that left the queryset instead of leaving it', async () => {
    const t = await ready();
    const sync = new SearchSync({ project: t.project });
    await sync.indexSearchDocument('Item', { id: 4 });
    await t.db('items').where('id', 4).update({ active: false });
    expect((await sync.updateSearchDocument('Item', { id: 4 }))[0]!.outcome).toBe('removed');
    expect(await getDoc(t, '4')).toBe(404);
  });

  it('sends nothing under neverAutoSync while the events still fire, unless forced', async () => {
    const t = await ready({ neverAutoSync: ['Item'] });
    const sync = configureSearchSync(t.project);
    const events: Array<{ disabled: boolean; outcome: string }> = [];
    sync.events.on('postIndex', (e) => events.push({ disabled: e.disabled, outcome: e.outcome }));
    expect((await indexSearchDocument('Item', { id: 5 }))[0]!.outcome).toBe('disabled');
    expect(await getDoc(t, '5')).toBe(404);
    expect((await updateSearchIndex('index', 'Item', { id: 5 }, { force: true }))[0]!.outcome).toBe('sent');
    expect(events).toEqual([
      { disabled: true, outcome: 'disabled' },
      { disabled: false, outcome: 'sent' },
    ]);
  });

  it('withoutSearchUpdates switches sending off inside fn only, and restores it when fn throws', async () => {
    const t = await ready();
    const sync = new SearchSync({ project: t.project });
    const inside = await withoutSearchUpdates(() => sync.indexSearchDocument('Item', { id: 6 }));
    expect(inside[0]!.outcome).toBe('disabled');
    await expect(
      withoutSearchUpdates(async () => {
        await sync.indexSearchDocument('Item', { id: 6 });
        throw new Error('the caller failed');
      }),
    ).rejects.toThrow('the caller failed');
    expect(() =>
      withoutSearchUpdates(() => {
        throw new Error('sync throw');
      }),
    ).toThrow('sync throw');
    expect((await sync.indexSearchDocument('Item', { id: 6 }))[0]!.outcome).toBe('sent');
  });

  it('live mode makes the change searchable before the call returns', async () => {
    const t = await ready({ sync: { mode: 'live' } });
    const sync = new SearchSync({ project: t.project });
    await t.db('items').where('id', 7).update({ name: 'zanzibar' });
    await sync.indexSearchDocument('Item', { id: 7 });
    const client = await t.project.clients.forIndex('items');
    const hits = await client.search({ index: 'items', query: { match: { name: 'zanzibar' } } });
    expect(hits.hits.hits.map((h) => h._id)).toEqual(['7']);
  });
});

describe('updateStrategy partial', () => {
  const MODEL = (withUpdate: boolean) => `${SYNC_ITEM_MODEL.replace('export const Item = {', `export const Item = {${withUpdate ? "\n  asSearchDocumentUpdate: (row, index, fields) => Object.fromEntries(fields.map((f) => f === 'meta' ? ['meta', { category: row.category }] : [f, row[f]])),\n" : ''}`).replace("category: row.category ?? null }", "category: row.category ?? null, meta: { category: row.category } }")}`;
  const MAPPING = { mappings: { ...SYNC_ITEM_MAPPING.mappings, properties: { ...SYNC_ITEM_MAPPING.mappings.properties, meta: { type: 'object', properties: { category: { type: 'keyword' } } } } } };

  async function partialProject(withUpdate: boolean) {
    current = await makeLifecycleProject({
      indexes: { items: { models: ['./models/item.mjs#Item'] } },
      files: { 'models/item.mjs': MODEL(withUpdate), 'mappings/items.json': JSON.stringify(MAPPING) },
      settings: { updateStrategy: 'partial' },
    });
    await createSyncTables(current.db, 5, 2);
    await createIndex(current.project, 'items');
    return current;
  }

  it('sends only the changed fields that the mapping knows', async () => {
    const t = await partialProject(false);
    const sync = new SearchSync({ project: t.project });
    await sync.indexSearchDocument('Item', { id: 1 });
    const bulk = await watchBulk(t);
    await t.db('items').where('id', 1).update({ price: 77, name: 'changed but not listed' });
    await sync.updateSearchDocument('Item', { id: 1 }, ['price', 'not_in_mapping']);
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.split('\n')[1]).toBe(JSON.stringify({ doc: { price: 77 } }));
    expect(await getDoc(t, '1')).toMatchObject({ price: 77, name: 'item 1' });
  });

  it('is a clear error on a relation field unless the model has asSearchDocumentUpdate', async () => {
    const t = await partialProject(false);
    const sync = new SearchSync({ project: t.project });
    await sync.indexSearchDocument('Item', { id: 2 });
    const error = await sync.updateSearchDocument('Item', { id: 2 }, ['price', 'meta']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('SYNC_RELATION_FIELD');
    expect((error as SyncError).message).toMatch(/updateFields of model Item include the relation field "meta" in mappings\/items\.json: .*asSearchDocumentUpdate/);

    await t.cleanup();
    current = undefined;
    const u = await partialProject(true);
    const handled = new SearchSync({ project: u.project });
    await handled.indexSearchDocument('Item', { id: 2 });
    // Item 2 is in category 1 (2 % 2 + 1).
    await u.db('categories').where('id', 1).update({ name: 'new name' });
    expect((await handled.updateSearchDocument('Item', { id: 2 }, ['meta']))[0]!.outcome).toBe('sent');
    expect(await getDoc(u, '2')).toMatchObject({ meta: { category: 'new name' } });
  });
});
