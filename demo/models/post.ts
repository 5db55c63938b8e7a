import { defineSearchModel } from 'indexkit';

interface PostRow {
  id: number;
  title: string;
  summary: string;
  body: string;
  author_id: number;
  author_name: string;
  tags: string[] | null;
  published_at: Date | string;
  updated_at: Date | string;
}

/** Published posts, with their author's name and their tags, as documents of the `blog` index. */
export const Post = defineSearchModel<PostRow>({
  table: 'posts',
  primaryKey: 'id',
  updatedAtColumn: 'updated_at',
  // Linked through the foreign keys at `search sync install`: posts.author_id -> authors.id,
  // post_tags.post_id -> posts.id, and tags through the post_tags join table.
  relatedTables: [
    { table: 'authors', columns: ['name'] },
    { table: 'post_tags' },
    { table: 'tags', columns: ['name'] },
  ],
  getSearchQueryset: (db) =>
    db('posts')
      .join('authors', 'authors.id', 'posts.author_id')
      .where('posts.published', true)
      .select(
        'posts.id',
        'posts.title',
        'posts.summary',
        'posts.body',
        'posts.author_id',
        'posts.published_at',
        'posts.updated_at',
        'authors.name as author_name',
        db.raw('array(select t.name from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = posts.id order by t.name) as tags'),
      ),
  asSearchDocument: (row) => ({
    title: row.title,
    summary: row.summary,
    body: row.body,
    author: { id: row.author_id, name: row.author_name },
    tags: row.tags ?? [],
    published_at: new Date(row.published_at).toISOString(),
    reading_minutes: Math.max(1, Math.round(row.body.split(/\s+/).length / 200)),
    // What the search box completes (completion suggester): the title, and the title from its second word on.
    suggest: { input: [row.title, row.title.split(/\s+/).slice(1).join(' ')].filter((s) => s.length > 0) },
  }),
});
