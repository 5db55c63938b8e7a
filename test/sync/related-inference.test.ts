import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_OUTBOX_TABLE } from '../../src/db/migrations/0002-sync-outbox.js';
import { createIndex } from '../../src/indexes/create-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { installSync } from '../../src/sync/change-capture.js';
import { SyncWorker } from '../../src/sync/sync-worker.js';
import { makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';

/**
 * Related tables declared on the model (`relatedTables`), with the link inferred from the
 * database's foreign keys when the entry does not give one: posts -> authors (foreignKey on the
 * model's table), comments -> posts (keyColumn on the related table), tags through post_tags
 * (a join table, whose own changes re-index too).
 */

const postModel = (related: string) => `export const Post = {
  table: 'posts',
  relatedTables: ${related},
  getSearchQueryset: (db) => db('posts').join('authors', 'authors.id', 'posts.author_id').select('posts.id', 'posts.title', 'authors.name as author'),
  asSearchDocument: async (row) => ({ title: row.title, author: row.author }),
};
`;

const MAPPING = { mappings: { dynamic: 'strict', properties: { title: { type: 'text' }, author: { type: 'keyword' } } } };

let current: TestProject | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function blog(related: string): Promise<TestProject> {
  current = await makeLifecycleProject({
    indexes: { posts: { models: ['./models/post.mjs#Post'] } },
    files: { 'models/post.mjs': postModel(related), 'mappings/posts.json': JSON.stringify(MAPPING) },
  });
  const { db } = current;
  await db.schema.createTable('authors', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.text('email');
  });
  await db.schema.createTable('posts', (t) => {
    t.increments('id');
    t.text('title').notNullable();
    t.integer('author_id').notNullable().references('id').inTable('authors');
  });
  await db.schema.createTable('comments', (t) => {
    t.increments('id');
    t.integer('post_id').notNullable().references('id').inTable('posts');
    t.text('body');
  });
  await db.schema.createTable('tags', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.text('color');
  });
  await db.schema.createTable('post_tags', (t) => {
    t.integer('post_id').notNullable().references('id').inTable('posts');
    t.integer('tag_id').notNullable().references('id').inTable('tags');
  });
  await db('authors').insert([{ name: 'Ada' }, { name: 'Bruno' }]);
  // posts 1-4 by Ada, 5-6 by Bruno
  await db('posts').insert([1, 2, 3, 4, 5, 6].map((i) => ({ title: `post ${i}`, author_id: i <= 4 ? 1 : 2 })));
  await db('tags').insert([{ name: 'node' }, { name: 'sql' }]);
  await db('post_tags').insert([{ post_id: 2, tag_id: 1 }, { post_id: 3, tag_id: 1 }, { post_id: 6, tag_id: 2 }]);
  return current;
}

const pendingKeys = async (t: TestProject): Promise<number[]> =>
  ((await t.db(SYNC_OUTBOX_TABLE).distinct('row_key')) as Array<{ row_key: string }>).map((r) => Number(r.row_key)).sort((a, b) => a - b);

async function drained(t: TestProject): Promise<number[]> {
  const keys = await pendingKeys(t);
  await t.db(SYNC_OUTBOX_TABLE).delete();
  return keys;
}

describe('relatedTables on the model, linked through the foreign keys', () => {
  it('infers foreignKey, keyColumn and a join table, and re-indexes exactly the affected documents', async () => {
    const t = await blog(`[{ table: 'authors', columns: ['name'] }, { table: 'comments' }, { table: 'tags', columns: ['name'] }]`);
    await createIndex(t.project, 'posts');
    await updateIndex(t.project, 'posts');
    const result = await installSync(t.project);
    // posts (own rows), authors, comments, tags, and the join table post_tags
    expect(result.installed.map((i) => i.table.split('.').pop()).sort()).toEqual(['authors', 'comments', 'post_tags', 'posts', 'tags']);

    await t.db('authors').where('id', 1).update({ email: 'ada@example.org' }); // not a listed column
    expect(await drained(t)).toEqual([]);
    await t.db('authors').where('id', 2).update({ name: 'Bruna' }); // posts.author_id = 2: 5, 6
    expect(await drained(t)).toEqual([5, 6]);
    await t.db('comments').insert({ post_id: 4, body: 'nice' }); // comments.post_id
    expect(await drained(t)).toEqual([4]);
    await t.db('tags').where('id', 1).update({ name: 'nodejs' }); // post_tags: 2, 3 have tag 1
    expect(await drained(t)).toEqual([2, 3]);
    await t.db('tags').where('id', 1).update({ color: 'green' }); // not a listed column
    expect(await drained(t)).toEqual([]);
    await t.db('post_tags').insert({ post_id: 1, tag_id: 2 }); // the join table itself
    expect(await drained(t)).toEqual([1]);

    // end to end: a rename reaches the documents through the worker
    await t.db('authors').where('id', 1).update({ name: 'Ada L.' });
    await new SyncWorker({ project: t.project }).run({ once: true });
    const client = await t.project.clients.forIndex('posts');
    await client.indices.refresh({ index: 'posts' });
    const hits = await client.search({ index: 'posts', query: { term: { author: 'Ada L.' } }, size: 0 });
    expect(hits.hits.total).toEqual({ value: 4, relation: 'eq' });
  });

  it('takes a link the entry gives as written, without foreign keys', async () => {
    const t = await blog(`[{ table: 'notes', keyColumn: 'about_post' }]`);
    await t.db.schema.createTable('notes', (n) => {
      n.increments('id');
      n.integer('about_post'); // no foreign key constraint
    });
    await installSync(t.project);
    await t.db('notes').insert({ about_post: 3 });
    expect(await drained(t)).toEqual([3]);
  });

  it('refuses, naming the candidates, when foreign keys give several ways', async () => {
    const t = await blog(`[{ table: 'reviews' }]`);
    await t.db.schema.createTable('reviews', (r) => {
      r.increments('id');
      r.integer('post_id').references('id').inTable('posts');
      r.integer('replaces_post_id').references('id').inTable('posts');
    });
    await expect(installSync(t.project)).rejects.toThrow(
      /model Post relatedTables\[0\] \(reviews\) in models\/post\.mjs: 2 ways link them: .*reviews\.post_id references .*posts\.id \(keyColumn: post_id\); .*reviews\.replaces_post_id references .*posts\.id \(keyColumn: replaces_post_id\); give one of foreignKey, keyColumn or select in the entry/,
    );
  });

  it('refuses when no foreign key links the tables, directly or through a join table', async () => {
    const t = await blog(`[{ table: 'loose' }]`);
    await t.db.schema.createTable('loose', (r) => {
      r.increments('id');
      r.integer('post');
    });
    await expect(installSync(t.project)).rejects.toThrow(/model Post relatedTables\[0\] \(loose\) in models\/post\.mjs: no foreign key links .*posts and .*loose, directly or through a join table; give one of/);
  });
});
