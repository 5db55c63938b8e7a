import type { Client } from '@elastic/elasticsearch';
import { toSearchSide } from '../../src/client/adapters/elasticsearch.js';
import type { SearchSide } from '../../src/client/search-side.js';
import type { Knex } from 'knex';
import { makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';

/** Items joined to their category: the category name is part of each document (a related table). */
export const SYNC_ITEM_MODEL = `export const Item = {
  table: 'items',
  getSearchQueryset: (db) => db('items')
    .leftJoin('categories', 'categories.id', 'items.category_id')
    .where('items.active', true)
    .select('items.id', 'items.name', 'items.price', 'items.v', 'categories.name as category'),
  asSearchDocument: (row) => ({ name: row.name, price: row.price, v: row.v, category: row.category ?? null }),
};
`;

export const SYNC_ITEM_MAPPING = { mappings: { dynamic: 'strict', properties: { name: { type: 'text' }, price: { type: 'long' }, v: { type: 'long' }, category: { type: 'keyword' } } } };

/** settings.sync.related: a category's name re-indexes its items; its color does not. */
export const CATEGORY_DEPENDENCY = { model: 'Item', table: 'categories', columns: ['name'], foreignKey: 'category_id' };

export async function createSyncTables(db: Knex, items: number, categories = 10): Promise<void> {
  await db.schema.createTable('categories', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.text('color').notNullable().defaultTo('red');
  });
  await db('categories').insert(Array.from({ length: categories }, (_, i) => ({ name: `category ${i + 1}` })));
  await db.schema.createTable('items', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.integer('price').notNullable();
    t.integer('v').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('category_id').nullable();
  });
  for (let start = 0; start < items; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, items - start) }, (_, k) => {
      const i = start + k + 1;
      return { name: `item ${i}`, price: i, category_id: (i % categories) + 1 };
    });
    await db('items').insert(rows);
  }
}

export async function syncProject(options: { items: number; categories?: number; connection?: string; settings?: Record<string, unknown> }): Promise<TestProject> {
  const t = await makeLifecycleProject({
    indexes: { items: { models: ['./models/item.mjs#Item'] } },
    files: { 'models/item.mjs': SYNC_ITEM_MODEL, 'mappings/items.json': JSON.stringify(SYNC_ITEM_MAPPING) },
    connection: options.connection,
    settings: { chunkSize: 500, ...options.settings, sync: { related: [CATEGORY_DEPENDENCY], ...(options.settings?.sync as object | undefined) } },
  });
  await createSyncTables(t.db, options.items, options.categories);
  return t;
}

export interface IndexDiff {
  rows: number;
  documents: number;
  missing: string[];
  extra: string[];
  different: string[];
}

/** Every document of `index` against the model's queryset: equal when all three lists are empty. */
export async function compareIndexToTable(given: Client | SearchSide, db: Knex, index = 'items'): Promise<IndexDiff> {
  const client = toSearchSide(given);
  await client.indices.refresh({ index });
  const response = await client.search<Record<string, unknown>>({ index, size: 10_000, query: { match_all: {} }, sort: ['_doc'] });
  const docs = new Map(response.hits.hits.map((h) => [h._id!, h._source!]));
  const rows = (await db('items')
    .leftJoin('categories', 'categories.id', 'items.category_id')
    .where('items.active', true)
    .select('items.id', 'items.name', 'items.price', 'items.v', 'categories.name as category')) as Array<{ id: number; name: string; price: number; v: number; category: string | null }>;
  const missing: string[] = [];
  const different: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const id = String(row.id);
    seen.add(id);
    const doc = docs.get(id);
    if (!doc) missing.push(id);
    else if (doc.name !== row.name || doc.price !== row.price || doc.v !== row.v || doc.category !== (row.category ?? null)) different.push(id);
  }
  const extra = [...docs.keys()].filter((id) => !seen.has(id));
  return { rows: rows.length, documents: docs.size, missing, extra, different };
}

export const EQUAL = { missing: [], extra: [], different: [] };
export const diffLists = (d: IndexDiff) => ({ missing: d.missing.slice(0, 10), extra: d.extra.slice(0, 10), different: d.different.slice(0, 10) });
