import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { migrateLatest } from '../src/db/migration-source.js';
import { SEARCH_QUERIES_TABLE } from '../src/db/migrations/0001-search-queries.js';
import { SearchQueryError } from '../src/errors.js';
import { createIndex } from '../src/indexes/create-index.js';
import { updateIndex } from '../src/indexes/update-index.js';
import { openProject, type Project } from '../src/project.js';
import type { estypes } from '../src/index.js';
import { isolatedDatabase } from './helpers/database.js';
import { makeProject } from './helpers/project.js';

/**
 * openProject() is the one object application code needs: its executeSearch uses the project's
 * client and query log, its fromSearchQuery the project's database, and close() writes what the
 * log still holds. Real parts: PostgreSQL (or PGlite), the embedded engine, the real client.
 */
describe('Project (openProject)', () => {
  let database: Awaited<ReturnType<typeof isolatedDatabase>>;
  let db: Knex;
  let files: ReturnType<typeof makeProject>;
  let search: Project;

  beforeAll(async () => {
    database = await isolatedDatabase();
    db = database.db;
    await migrateLatest(db);
    await db.schema.createTable('books', (t) => {
      t.increments('id');
      t.text('title');
      t.text('brand');
    });
    await db('books').insert([
      { title: 'red kettle', brand: 'acme' },
      { title: 'red kettle deluxe', brand: 'acme' },
      { title: 'blue kettle', brand: 'globex' },
      { title: 'red teapot', brand: 'globex' },
    ]);
    files = makeProject({
      'search.config.yaml': 'connections:\n  default: embedded:.search/engine\nindexes:\n  shop:\n    models:\n      - ./book.mjs#Book\n',
      'mappings/shop.json': JSON.stringify({ mappings: { properties: { title: { type: 'text' }, brand: { type: 'keyword' } } } }),
      'book.mjs': "export const Book = { table: 'books', getSearchQueryset: (db) => db('books'), asSearchDocument: (row) => ({ title: row.title, brand: row.brand }) };\n",
    });
    search = await openProject({ cwd: files.dir, db });
    await createIndex(search, 'shop');
    await updateIndex(search, 'shop');
  });

  afterAll(async () => {
    await search?.close();
    files?.cleanup();
    await database?.cleanup();
  });

  it('searches with the project client, logs to the project query log and re-ranks rows from its database', async () => {
    const result = await search.executeSearch<{ brands: estypes.AggregationsStringTermsAggregate }>(
      'shop',
      { query: { match: { title: 'red kettle' } }, aggs: { brands: { terms: { field: 'brand' } } } },
      { searchTerms: 'red kettle', user: 42, reference: 'session-1' },
    );
    expect(result.totalHits).toBe(4);
    const buckets = result.aggregations?.brands.buckets;
    expect(Array.isArray(buckets) ? buckets.map((b) => [b.key, b.doc_count]) : buckets).toEqual([
      ['acme', 2],
      ['globex', 2],
    ]);
    const { rows, missing } = await search.fromSearchQuery<{ id: number; title: string }>((knex) => knex('books'), result);
    expect(missing).toEqual([]);
    expect(rows.map((r) => r.title)).toEqual(result.hits.map((h) => ['red kettle', 'red kettle deluxe', 'blue kettle', 'red teapot'][Number(h.id) - 1]));
    expect(rows[0]!.search_rank).toBe(1);

    await (await search.queryLog()).flush();
    const logged = await db(SEARCH_QUERIES_TABLE).where('id', result.id).first();
    expect(logged).toMatchObject({ search_terms: 'red kettle', user_id: '42', reference: 'session-1', total_hits: expect.anything() });
    expect(Number(logged.total_hits)).toBe(4);
  });

  it('does not log with save: false', async () => {
    const result = await search.executeSearch('shop', { query: { match_all: {} } }, { save: false });
    await (await search.queryLog()).flush();
    expect(await db(SEARCH_QUERIES_TABLE).where('id', result.id).first()).toBeUndefined();
  });

  it("puts Elasticsearch's root cause in a failed search's message", async () => {
    const error = await search.executeSearch('shop', { query: { match_all: {} }, sort: [{ title: 'asc' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SearchQueryError);
    // "all shards failed" alone says nothing: the shard's reason names the field and the cause.
    expect((error as Error).message).toMatch(/all shards failed: illegal_argument_exception: .*field data.*\[title\]/);
  });

  it('close() writes what the query log still holds', async () => {
    const other = await openProject({ cwd: files.dir, db });
    const result = await other.executeSearch('shop', { query: { match: { title: 'teapot' } } }, { searchTerms: 'teapot' });
    await other.close();
    expect(await db(SEARCH_QUERIES_TABLE).where('id', result.id).first()).toMatchObject({ search_terms: 'teapot' });
  });
});
