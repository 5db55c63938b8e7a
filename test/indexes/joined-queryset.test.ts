import { afterEach, describe, expect, it } from 'vitest';
import { createIndex } from '../../src/indexes/create-index.js';
import { indexStatus } from '../../src/indexes/index-status.js';
import { pruneIndex } from '../../src/indexes/prune-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { SearchSync } from '../../src/sync/search-sync.js';
import { makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';

/**
 * A model without `table` whose queryset joins a table with the same key column (`id`) and the
 * same updated-at column: every column indexkit adds to the queryset must name the FROM table.
 */
const BOOK_MODEL = `export const Book = {
  updatedAtColumn: 'updated_at',
  getSearchQueryset: (db) => db('books').join('authors', 'authors.id', 'books.author_id').select('books.*', 'authors.name as author_name'),
  asSearchDocument: (row) => ({ title: row.title, author: row.author_name }),
};
`;
const MAPPING = { mappings: { dynamic: 'strict', properties: { title: { type: 'text' }, author: { type: 'keyword' } } } };

let current: TestProject | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function booksProject(books: number): Promise<TestProject> {
  current = await makeLifecycleProject({
    indexes: { books: { models: ['./models/book.mjs#Book'] } },
    files: { 'models/book.mjs': BOOK_MODEL, 'mappings/books.json': JSON.stringify(MAPPING) },
    settings: { chunkSize: 7 },
  });
  const db = current.db;
  for (const name of ['authors', 'books']) {
    await db.schema.createTable(name, (t) => {
      t.increments('id');
      if (name === 'books') t.integer('author_id').notNullable();
      t.text(name === 'books' ? 'title' : 'name').notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
  }
  await db('authors').insert(Array.from({ length: 3 }, (_, i) => ({ name: `author ${i + 1}`, updated_at: new Date('2020-01-01T00:00:00Z') })));
  // More books than authors, so that a books.id and an authors.id of one joined row differ.
  await db('books').insert(Array.from({ length: books }, (_, i) => ({ title: `book ${i + 1}`, author_id: (i % 3) + 1, updated_at: new Date('2020-01-01T00:00:00Z') })));
  return current;
}

const documentIds = async (t: TestProject) => {
  const client = await t.project.clients.forIndex('books');
  await client.indices.refresh({ index: 'books' });
  const response = await client.search({ index: 'books', size: 1000, _source: false });
  return response.hits.hits.map((h) => Number(h._id)).sort((a, b) => a - b);
};

describe('a model without table whose queryset joins a table with the same key column', () => {
  it('resolves its qualified key and updated-at column from the builder FROM when it is registered', async () => {
    const t = await booksProject(1);
    const [book] = t.project.registry.models();
    expect(book!.keys).toMatchObject({ from: 'books', keyColumn: 'books.id', keyProperty: 'id', updatedAtColumn: 'books.updated_at' });
  });

  it('pages update-index by keyset over several pages and counts the rows for progress and status', async () => {
    const t = await booksProject(30);
    await createIndex(t.project, 'books');
    const result = await updateIndex(t.project, 'books');
    expect(result.failed).toBe(0);
    expect(result.models[0]!.rows).toBe(30);
    expect(result.indexed).toBe(30);
    expect(await documentIds(t)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const status = await indexStatus(t.project, 'books');
    expect(status.rows).toBe(30);
    expect(status.documents).toBe(30);
  });

  it('narrows update-index --since on the model table updated-at column', async () => {
    const t = await booksProject(20);
    await createIndex(t.project, 'books');
    await t.db('books').whereIn('id', [4, 9]).update({ updated_at: new Date('2030-01-01T00:00:00Z') });
    const result = await updateIndex(t.project, 'books', { since: new Date('2025-01-01T00:00:00Z') });
    expect(result.failed).toBe(0);
    expect(result.models[0]!.rows).toBe(2);
    expect(await documentIds(t)).toEqual([4, 9]);
  });

  it('prunes the documents of deleted rows, checking ids against the qualified key', async () => {
    const t = await booksProject(12);
    await createIndex(t.project, 'books');
    await updateIndex(t.project, 'books');
    await t.db('books').whereIn('id', [2, 11]).delete();
    const result = await pruneIndex(t.project, 'books');
    expect(result.stale).toBe(2);
    expect(result.staleIds.sort()).toEqual(['11', '2']);
    expect(await documentIds(t)).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
  });

  it('reads the row again through the joined queryset when application code syncs it', async () => {
    const t = await booksProject(5);
    await createIndex(t.project, 'books');
    await t.db('books').where('id', 5).update({ title: 'renamed' });
    const sync = new SearchSync({ project: t.project });
    const [sent] = await sync.indexSearchDocument('Book', { id: 5 });
    expect(sent).toMatchObject({ id: '5', outcome: 'sent' });
    const client = await t.project.clients.forIndex('books');
    expect((await client.get<{ title: string; author: string }>({ index: 'books', id: '5' }))._source).toEqual({ title: 'renamed', author: 'author 2' });
  });
});
