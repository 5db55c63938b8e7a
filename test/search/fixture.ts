import type { Knex } from 'knex';
import { seedDemo } from '../../demo/seed.js';
import { migrateLatest } from '../../src/db/migration-source.js';
import { openTestClient, removeDir, type TestClient } from '../engine/helpers.js';
import type { SearchSide } from '../../src/client/search-side.js';
import { isolatedDatabase } from '../helpers/database.js';
import { testSearchSide } from '../helpers/search-product.js';

export interface SearchFixture {
  db: Knex;
  kind: 'pg' | 'pglite';
  engine: TestClient;
  /** The search side of the product under test (INDEXKIT_TEST_PRODUCT) over the same engine. */
  side: SearchSide;
  /** Ids of the indexed (published) posts. */
  postIds: number[];
  close(): Promise<void>;
}

/**
 * A database of its own (toolkit migrations run, the demo blog seeded with `posts` posts) and a
 * fresh embedded engine reached through the real @elastic/elasticsearch client, with the
 * published posts indexed in `blog` (document id = post id).
 */
export async function searchFixture({ posts = 60 }: { posts?: number } = {}): Promise<SearchFixture> {
  const { db, kind, cleanup } = await isolatedDatabase();
  await migrateLatest(db);
  await seedDemo(db, { posts });
  const engine = await openTestClient();
  await engine.client.indices.create({
    index: 'blog',
    mappings: { properties: { title: { type: 'text' }, summary: { type: 'text' }, body: { type: 'text' }, tags: { type: 'keyword' }, published_at: { type: 'date' } } },
  });
  const rows = (await db('posts').where('published', true).orderBy('id').select('id', 'title', 'summary', 'body', 'published_at')) as Array<{ id: number; title: string; summary: string; body: string; published_at: Date }>;
  await indexDocuments(engine, 'blog', rows.map((r) => [String(r.id), { title: r.title, summary: r.summary, body: r.body, published_at: new Date(r.published_at).toISOString() }]));
  const side = await testSearchSide(engine.engine, engine.client);
  return {
    db,
    kind,
    engine,
    side: side.side,
    postIds: rows.map((r) => r.id),
    async close() {
      await side.close();
      await engine.close();
      removeDir(engine.dir);
      await cleanup();
    },
  };
}

/** Bulk-indexes `docs` ([id, document]) into `index` and refreshes it. */
export async function indexDocuments(engine: TestClient, index: string, docs: Array<[string, Record<string, unknown>]>): Promise<void> {
  const operations = docs.flatMap(([id, doc]) => [{ index: { _index: index, _id: id } }, doc]);
  const response = await engine.client.bulk({ operations, refresh: true });
  if (response.errors) throw new Error(`bulk failed: ${JSON.stringify(response.items.find((i) => i.index?.error))}`);
}

