import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { seedDemo } from '../../demo/seed.js';
import { Author } from '../../demo/models/author.js';
import { Post } from '../../demo/models/post.js';
import { isolatedDatabase } from '../helpers/database.js';

let a: { db: Knex; cleanup(): Promise<void> };
let b: { db: Knex; cleanup(): Promise<void> };

beforeAll(async () => {
  [a, b] = await Promise.all([isolatedDatabase(), isolatedDatabase()]);
});

afterAll(async () => {
  await a.cleanup();
  await b.cleanup();
});

describe('seedDemo', () => {
  it('seeds the same posts on every run, mostly published, with authors and tags', async () => {
    const counts = await seedDemo(a.db);
    await seedDemo(b.db);
    expect(counts.posts).toBe(200);
    const rows = (db: Knex) => db('posts').orderBy('id').select('id', 'title', 'summary', 'body', 'author_id', 'published', 'published_at', 'updated_at');
    const [first, second] = await Promise.all([rows(a.db), rows(b.db)]);
    expect(first).toEqual(second);
    const published = first.filter((p) => p.published).length;
    expect(published / first.length).toBeGreaterThan(0.8);
    expect(published).toBeLessThan(first.length);
    expect(new Set(first.map((p) => p.title)).size).toBeGreaterThan(150);
    for (const p of first) expect(new Date(p.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(p.published_at).getTime());
  });

  it('fits the demo models: every published post becomes a document of the blog mapping', async () => {
    await seedDemo(a.db, { posts: 30 });
    const posts = await Post.getSearchQueryset(a.db, 'blog');
    expect(posts.length).toBe(Number((await a.db('posts').where('published', true).count<{ n: unknown }[]>('* as n'))[0]!.n));
    const doc = await Post.asSearchDocument(posts[0], 'blog');
    expect(Object.keys(doc).sort()).toEqual(['author', 'body', 'published_at', 'reading_minutes', 'suggest', 'summary', 'tags', 'title']);
    expect((doc.tags as string[]).length).toBeGreaterThan(0);
    const authors = await Author.getSearchQueryset(a.db, 'people');
    expect(authors).toHaveLength(12);
    expect(authors.reduce((n: number, r: { post_count: unknown }) => n + Number(r.post_count), 0)).toBe(posts.length);
  });
});
