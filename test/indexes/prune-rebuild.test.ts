import { afterEach, describe, expect, it } from 'vitest';
import type { SearchSide as Client } from '../../src/client/search-side.js';
import { createIndex } from '../../src/indexes/create-index.js';
import { indexState } from '../../src/indexes/index-state.js';
import { indexStatus } from '../../src/indexes/index-status.js';
import { pruneIndex } from '../../src/indexes/prune-index.js';
import { rebuildIndex } from '../../src/indexes/rebuild-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { updateMapping } from '../../src/indexes/update-mapping.js';
import { differences, startItemWriter } from '../helpers/concurrent-writer.js';
import { ITEM_MAPPING, ITEM_MODEL, createItems, makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';

let current: TestProject | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const ids = async (client: Client, index: string) => {
  await client.indices.refresh({ index });
  const result = await client.search({ index, size: 10000, _source: false });
  return result.hits.hits.map((h) => h._id!).sort();
};

async function itemsProject(rows: number) {
  current = await makeLifecycleProject({
    indexes: { items: { models: ['./models/item.mjs#Item'] } },
    files: { 'models/item.mjs': ITEM_MODEL, 'mappings/items.json': JSON.stringify(ITEM_MAPPING) },
  });
  await createItems(current.db, rows);
  await createIndex(current.project, 'items');
  await updateIndex(current.project, 'items');
  return { t: current, client: await current.project.clients.forIndex('items') };
}

describe('pruneIndex', () => {
  it('removes documents of deleted rows and of rows that left the queryset, in pages', async () => {
    const { t, client } = await itemsProject(250);
    await t.db('items').whereIn('id', [1, 2, 3]).del();
    await t.db('items').whereIn('id', [100, 200]).update({ active: false });
    const dry = await pruneIndex(t.project, 'items', { dryRun: true, pageSize: 40 });
    expect(dry.staleIds.sort()).toEqual(['1', '100', '2', '200', '3']);
    expect(dry.deleted).toBe(0);
    expect((await ids(client, 'items')).length).toBe(250);
    const queries: string[] = [];
    t.db.on('query', (q: { sql: string }) => queries.push(q.sql));
    const result = await pruneIndex(t.project, 'items', { pageSize: 40 });
    expect(result).toMatchObject({ checked: 250, stale: 5, deleted: 5, foreign: 0 });
    // One query per page of 40 ids (7 pages) plus one to learn the key's type: never one per document.
    expect(queries.filter((q) => q.includes('"items"')).length).toBe(8);
    expect((await ids(client, 'items')).length).toBe(245);
  });

  it('lets each of several models in one index answer only for its own documents, with custom ids', async () => {
    current = await makeLifecycleProject({
      indexes: { things: { models: ['./models/things.mjs#Item', './models/things.mjs#Tag'] } },
      files: {
        'models/things.mjs': `
export const Item = {
  table: 'items',
  getSearchQueryset: (db) => db('items').select('id', 'name'),
  asSearchDocument: (row) => ({ name: row.name }),
  searchDocumentId: (row) => 'item-' + row.id,
  parseSearchDocumentId: (id) => (id.startsWith('item-') ? id.slice(5) : undefined),
};
export const Tag = {
  table: 'tags',
  primaryKey: 'slug',
  getSearchQueryset: (db) => db('tags').select('slug'),
  asSearchDocument: (row) => ({ name: row.slug }),
  searchDocumentId: (row) => 'tag-' + row.slug,
  parseSearchDocumentId: (id) => (id.startsWith('tag-') ? id.slice(4) : undefined),
};`,
        'mappings/things.json': JSON.stringify({ mappings: { properties: { name: { type: 'text' } } } }),
      },
    });
    const t = current;
    await createItems(t.db, 5);
    await t.db.schema.createTable('tags', (table) => table.text('slug').primary());
    await t.db('tags').insert([{ slug: '1' }, { slug: 'db' }, { slug: 'js' }]);
    await createIndex(t.project, 'things');
    await updateIndex(t.project, 'things');
    const client = await t.project.clients.forIndex('things');
    await client.index({ index: 'things', id: 'other-1', document: { name: 'not ours' } });
    // Item 1 goes; tag "1" stays: the same key in two models must not confuse them.
    await t.db('items').where('id', 1).del();
    await t.db('tags').where('slug', 'js').del();
    const result = await pruneIndex(t.project, 'things');
    expect(result.staleIds.sort()).toEqual(['item-1', 'tag-js']);
    expect(result.foreign).toBe(1);
    expect(await ids(client, 'things')).toEqual(['item-2', 'item-3', 'item-4', 'item-5', 'other-1', 'tag-1', 'tag-db']);
  });

  it('refuses a model with custom ids but no way back from an id to its row', async () => {
    current = await makeLifecycleProject({
      indexes: { things: { models: ['./models/thing.mjs#Thing'] } },
      files: { 'models/thing.mjs': "export const Thing = { getSearchQueryset: (db) => db('items'), asSearchDocument: (r) => r, searchDocumentId: (r) => 'x' + r.id };" },
    });
    await createItems(current.db, 1);
    await createIndex(current.project, 'things');
    await expect(pruneIndex(current.project, 'things')).rejects.toThrow(/gives searchDocumentId but no parseSearchDocumentId/);
  });
});

describe('rebuildIndex', () => {
  it('loses no write made while it runs: updates, inserts and deletes all land in the new index', async () => {
    const { t, client } = await itemsProject(2000);
    const before = await indexState(client, 'items');
    const writer = startItemWriter({ db: t.db, client, index: 'items', rows: 2000, step: 37, deleteEvery: 10, insertEvery: 50, pauseMs: 2 });
    const result = await rebuildIndex(t.project, 'items');
    const writes = await writer.stop();
    expect(writes).toBeGreaterThan(50);
    expect(result.previous).toEqual(before.concrete);
    expect(result.deletedOld).toEqual(before.concrete);
    const after = await indexState(client, 'items');
    expect(after).toMatchObject({ kind: 'alias', concrete: [result.target], writeIndex: result.target });
    expect(after.meta?.rebuild).toBeUndefined();
    // The index equals the table, document for document.
    const diff = await differences(t.db, client, 'items');
    expect(diff.documents).toBe(diff.rows);
    expect(diff.wrong).toEqual([]);
  });

  it('refuses a second rebuild of the same index while one runs', async () => {
    const { t } = await itemsProject(3000);
    const first = rebuildIndex(t.project, 'items');
    await new Promise((r) => setTimeout(r, 400));
    await expect(rebuildIndex(t.project, 'items')).rejects.toThrow(/is already being rebuilt into items-\d{17}/);
    await first;
  });

  it('migrates a plain index to the alias scheme', async () => {
    current = await makeLifecycleProject({
      indexes: { items: { models: ['./models/item.mjs#Item'] } },
      files: { 'models/item.mjs': ITEM_MODEL, 'mappings/items.json': JSON.stringify(ITEM_MAPPING) },
    });
    await createItems(current.db, 30);
    const client = await current.project.clients.forIndex('items');
    await client.indices.create({ index: 'items', mappings: { properties: { name: { type: 'keyword' } } } });
    await client.index({ index: 'items', id: 'old', document: { name: 'from before' }, refresh: true });
    const result = await rebuildIndex(current.project, 'items');
    expect(result.migratedFromPlainIndex).toBe(true);
    const state = await indexState(client, 'items');
    expect(state).toMatchObject({ kind: 'alias', concrete: [result.target] });
    expect((await ids(client, 'items')).length).toBe(30);
  });
});

describe('indexStatus and updateMapping', () => {
  it('reports drift after a mapping edit, applies an additive one in place and refuses a breaking one', async () => {
    const { t } = await itemsProject(20);
    const inSync = await indexStatus(t.project, 'items');
    expect(inSync).toMatchObject({ exists: true, kind: 'alias', documents: 20, rows: 20, drifted: false, mapping: { drift: 'in-sync' } });

    const additive = structuredClone(ITEM_MAPPING) as { mappings: { properties: Record<string, unknown> } };
    additive.mappings.properties.tags = { type: 'keyword' };
    await t.write('mappings/items.json', JSON.stringify(additive));
    const drifted = await indexStatus(t.project, 'items');
    expect(drifted.mapping).toMatchObject({ drift: 'additive', changes: ['+ mappings.properties.tags (keyword)'] });
    expect(drifted.drifted).toBe(true);
    expect(await updateMapping(t.project, 'items')).toMatchObject({ applied: true, drift: 'additive' });
    expect((await indexStatus(t.project, 'items')).mapping.drift).toBe('in-sync');
    const client = await t.project.clients.forIndex('items');
    await client.index({ index: 'items', id: 'tagged', document: { name: 'x', price: 1, tags: ['a'] }, refresh: true });

    const breaking = structuredClone(additive);
    breaking.mappings.properties.price = { type: 'keyword' };
    await t.write('mappings/items.json', JSON.stringify(breaking));
    expect((await indexStatus(t.project, 'items')).mapping.drift).toBe('breaking');
    await expect(updateMapping(t.project, 'items')).rejects.toThrow(/run search rebuild-index items/);
    await rebuildIndex(t.project, 'items');
    expect((await indexStatus(t.project, 'items')).mapping.drift).toBe('in-sync');
  });

  it('reports a missing index as drifted', async () => {
    current = await makeLifecycleProject({
      indexes: { items: { models: ['./models/item.mjs#Item'] } },
      files: { 'models/item.mjs': ITEM_MODEL, 'mappings/items.json': JSON.stringify(ITEM_MAPPING) },
    });
    await createItems(current.db, 4);
    expect(await indexStatus(current.project, 'items')).toMatchObject({ exists: false, rows: 4, drifted: true, mapping: { drift: 'missing' } });
  });
});
