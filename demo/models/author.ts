import { defineSearchModel } from 'indexkit';

interface AuthorRow {
  id: number;
  name: string;
  bio: string;
  post_count: number | string;
}

/** Authors with the number of posts they published, as documents of the `people` index. */
export const Author = defineSearchModel<AuthorRow>({
  table: 'authors',
  relatedTables: [{ table: 'posts', columns: ['author_id', 'published'] }],
  getSearchQueryset: (db) =>
    db('authors').select('authors.id', 'authors.name', 'authors.bio', db.raw('(select count(*) from posts p where p.author_id = authors.id and p.published) as post_count')),
  asSearchDocument: (row) => ({ name: row.name, bio: row.bio, post_count: Number(row.post_count) }),
});
