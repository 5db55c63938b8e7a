import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSearch } from '../../src/search/execute-search.js';
import { fromSearchQuery } from '../../src/search/from-search-query.js';
import { hitRowsQuery, rerankQuery } from '../../src/search/rerank-query.js';
import type { SearchHit, SearchQuery } from '../../src/search/search-query.js';
import { indexDocuments, searchFixture, type SearchFixture } from './fixture.js';

let f: SearchFixture;
const uuids: string[] = [];
const codes: string[] = [];

const WORDS = ['postgres tuning', 'search relevance', 'postgres search', 'node streams', 'search postgres relevance tuning', 'typescript search', 'relevance', 'postgres'];

beforeAll(async () => {
  f = await searchFixture({ posts: 80 });
  // The same little corpus under a uuid key and a text key, each in its own index.
  await f.db.schema.createTable('notes_uuid', (t) => {
    t.uuid('id').primary();
    t.text('body').notNullable();
  });
  await f.db.schema.createTable('notes_text', (t) => {
    t.text('code').primary();
    t.text('body').notNullable();
  });
  for (const [i, body] of WORDS.entries()) {
    const id = randomUUID();
    const code = `note-${String.fromCharCode(97 + i)}:${i}`; // text keys that do not sort like the ranks
    uuids.push(id);
    codes.push(code);
    await f.db('notes_uuid').insert({ id, body });
    await f.db('notes_text').insert({ code, body });
  }
  await indexDocuments(f.engine, 'notes-uuid', uuids.map((id, i) => [id, { body: WORDS[i]! }]));
  await indexDocuments(f.engine, 'notes-text', codes.map((code, i) => [code, { body: WORDS[i]! }]));
});

afterAll(async () => {
  await f.close();
});

const search = (index: string, text: string, size = 20) => executeSearch(index, { query: { match: { body: text } } }, { client: f.side, size });

/** A copy of `q` whose hits are reversed (rank 1 = the old last hit), so rank order differs from key order and from the search's order. */
function reversed(q: SearchQuery): SearchQuery {
  return { ...q, hits: [...q.hits].reverse().map((h, i) => ({ ...h, rank: i + 1 })) };
}

describe('fromSearchQuery', () => {
  it('returns integer-keyed rows in hit order with search_score and search_rank', async () => {
    const result = await search('blog', 'postgresql latency', 15);
    expect(result.hits.length).toBeGreaterThan(5);
    const { rows, missing } = await fromSearchQuery(f.db('posts'), result);
    expect(rows.map((r) => String(r.id))).toEqual(result.hits.map((h) => h.id));
    expect(rows.map((r) => r.search_rank)).toEqual(result.hits.map((h) => h.rank));
    expect(rows.map((r) => r.search_score)).toEqual(result.hits.map((h) => h.score));
    expect(missing).toEqual([]);
    expect(rows[0]).toHaveProperty('title');
    expect(rows[0]).not.toHaveProperty('__indexkit_document_id');
  });

  it('follows the ranks, not the key order, with keyType integer (the key index path)', async () => {
    const result = reversed(await search('blog', 'postgresql latency', 15));
    const { rows } = await fromSearchQuery(f.db('posts').select('id', 'title'), result, { keyType: 'integer' });
    expect(rows.map((r) => String(r.id))).toEqual(result.hits.map((h) => h.id));
  });

  it('works with uuid keys, compared as text or as uuid', async () => {
    for (const q of [await search('notes-uuid', 'postgres search relevance'), reversed(await search('notes-uuid', 'postgres search relevance'))]) {
      expect(q.hits.length).toBeGreaterThan(3);
      for (const keyType of [undefined, 'uuid'] as const) {
        const { rows, missing } = await fromSearchQuery(f.db('notes_uuid'), q, keyType ? { keyType } : {});
        expect(rows.map((r) => r.id)).toEqual(q.hits.map((h) => h.id));
        expect(missing).toEqual([]);
      }
      // The universal path (key::text), which rerankQuery takes without a keyType.
      const direct = (await rerankQuery(f.db('notes_uuid'), q)) as Array<{ id: string }>;
      expect(direct.map((r) => r.id)).toEqual(q.hits.map((h) => h.id));
    }
  });

  it('works with text keys through keyColumn', async () => {
    const q = reversed(await search('notes-text', 'postgres search relevance'));
    expect(q.hits.length).toBeGreaterThan(3);
    const { rows } = await fromSearchQuery(f.db('notes_text'), q, { keyColumn: 'notes_text.code' });
    expect(rows.map((r) => r.code)).toEqual(q.hits.map((h) => h.id));
    expect(rows.map((r) => r.search_rank)).toEqual(q.hits.map((h) => h.rank));
  });

  it('matches custom document ids through documentIdExpression', async () => {
    const result = await search('blog', 'postgresql', 10);
    // As if the model's searchDocumentId were `post-<id>`.
    const custom: SearchQuery = { ...result, hits: result.hits.map((h) => ({ ...h, id: `post-${h.id}` })) };
    const { rows, missing } = await fromSearchQuery(f.db('posts'), custom, { documentIdExpression: f.db.raw("'post-' || posts.id") });
    expect(rows.map((r) => `post-${r.id}`)).toEqual(custom.hits.map((h) => h.id));
    expect(missing).toEqual([]);
  });

  it('lists hits whose rows are gone as missing and keeps the others in order', async () => {
    const result = await search('blog', 'postgresql latency', 10);
    const gone = result.hits[1]!;
    expect(gone).toBeDefined();
    await f.db('post_tags').where('post_id', Number(gone.id)).delete();
    await f.db('posts').where('id', Number(gone.id)).delete();
    const { rows, missing } = await fromSearchQuery(f.db('posts'), result);
    expect(missing).toEqual([gone]);
    expect(rows.map((r) => String(r.id))).toEqual(result.hits.filter((h) => h !== gone).map((h) => h.id));
  });

  it('keeps the builder\'s own conditions and reports the rows they filter out as missing', async () => {
    // Another search than the test above, whose deleted post this one does not find.
    const found = await search('blog', 'kubernetes docker', 10);
    const present = new Set((await f.db('posts').pluck('id')).map(String));
    const result = { hits: found.hits.filter((h) => present.has(h.id)) };
    expect(result.hits.length).toBeGreaterThan(4);
    const keep = new Set(result.hits.slice(0, 3).map((h) => Number(h.id)));
    const { rows, missing } = await fromSearchQuery(f.db('posts').whereIn('posts.id', [...keep]), result);
    expect(rows.map((r) => Number(r.id))).toEqual(result.hits.slice(0, 3).map((h) => Number(h.id)));
    expect(missing.map((h) => h.id)).toEqual(result.hits.slice(3).map((h) => h.id));
  });

  it('treats hostile ids as data: they change nothing and match nothing', async () => {
    const before = await f.db('posts').count<{ n: unknown }[]>('* as n');
    const hostile: SearchHit[] = ['1) OR 1=1 --', "x'; DROP TABLE posts; --", "1' OR '1'='1", '{1,2}', '1"); DELETE FROM posts; --'].map((id, i) => ({ id, index: 'blog', score: 1, rank: i + 1 }));
    const realId = String(f.postIds[2]);
    const q = { hits: [...hostile, { id: realId, index: 'blog', score: 0.5, rank: hostile.length + 1 }] };
    for (const options of [{}, { keyType: 'integer' as const }, { documentIdExpression: 'posts.title' }]) {
      const { rows, missing } = await fromSearchQuery(f.db('posts'), q, options);
      if ('documentIdExpression' in options) expect(rows).toEqual([]);
      else expect(rows.map((r) => String(r.id))).toEqual([realId]);
      expect(missing.map((h) => h.id)).toEqual(expect.arrayContaining(hostile.map((h) => h.id)));
    }
    const direct = (await rerankQuery(f.db('posts'), q)) as Array<{ id: number }>;
    expect(direct.map((r) => String(r.id))).toEqual([realId]);
    expect(await f.db('posts').count<{ n: unknown }[]>('* as n')).toEqual(before);
    expect(await f.db.schema.hasTable('posts')).toBe(true);
  });

  it('lists a hit whose id cannot be a key of the table as missing instead of failing the page', async () => {
    const bad = ['with\u0000nul', 'not-a-uuid', '1.5', 'abc', '99999999999999999999', ''];
    const page = (real: string, index: string) => ({ hits: [...bad, real].map((id, i): SearchHit => ({ id, index, score: 1, rank: i + 1 })) });
    const cases: Array<[string, () => Promise<{ rows: Array<Record<string, unknown>>; missing: SearchHit[] }>, string]> = [
      ['integer key (detected)', () => fromSearchQuery(f.db('posts'), page(String(f.postIds[1]), 'blog')), String(f.postIds[1])],
      ['integer key compared as text', () => fromSearchQuery(f.db('posts as p'), page(String(f.postIds[1]), 'blog'), { keyColumn: 'p.id' }), String(f.postIds[1])],
      ['uuid key (detected)', () => fromSearchQuery(f.db('notes_uuid'), page(uuids[1]!, 'notes-uuid')), uuids[1]!],
      ['uuid key compared as text', () => fromSearchQuery(f.db('notes_uuid as n'), page(uuids[1]!, 'notes-uuid'), { keyColumn: 'n.id' }), uuids[1]!],
      ['text key', () => fromSearchQuery(f.db('notes_text'), page(codes[1]!, 'notes-text'), { keyColumn: 'code' }), codes[1]!],
      ['document id expression', () => fromSearchQuery(f.db('notes_text'), page(codes[1]!, 'notes-text'), { documentIdExpression: 'code' }), codes[1]!],
    ];
    for (const [what, run, real] of cases) {
      const { rows, missing } = await run();
      expect(rows.map((r) => String(r.id ?? r.code)), what).toEqual([real]);
      expect(missing.map((h) => h.id).sort(), what).toEqual([...bad].sort());
    }
  });

  it('binds every id, score and rank as a parameter', () => {
    const q = { hits: [{ id: "x'; DROP TABLE posts; --", index: 'blog', score: 1.5, rank: 1 }] };
    const { sql, bindings } = rerankQuery(f.db('posts'), q).toSQL();
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('1.5');
    expect(bindings).toContainEqual(["x'; DROP TABLE posts; --"]);
    expect(bindings).toContainEqual([1.5]);
    const rowsQuery = hitRowsQuery(f.db('posts'), q).toSQL();
    expect(rowsQuery.sql).not.toContain('DROP');
    expect(rowsQuery.bindings).toContainEqual(["x'; DROP TABLE posts; --"]);
  });

  it('uses the column names it is given and attaches highlights', async () => {
    const result = await search('blog', 'postgresql', 3);
    const highlighted: SearchQuery = { ...result, hits: result.hits.map((h) => ({ ...h, highlight: { title: [`<em>${h.id}</em>`] } })) };
    const { rows } = await fromSearchQuery(f.db('posts'), highlighted, { scoreColumn: 'relevance', rankColumn: 'position', highlightColumn: 'marks' });
    expect(rows.map((r) => r.position)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.relevance)).toEqual(result.hits.map((h) => h.score));
    expect(rows.map((r) => r.marks)).toEqual(highlighted.hits.map((h) => h.highlight));
    expect(rows[0]).not.toHaveProperty('search_score');
  });

  it('attaches the highlights of a real highlighted search', async () => {
    const highlight = { fields: { title: {} } };
    const result = await executeSearch('blog', { query: { match: { title: 'postgresql' } }, highlight }, { client: f.side, size: 5 });
    const { rows } = await fromSearchQuery(f.db('posts'), result);
    expect(rows.map((r) => r.search_highlight)).toEqual(result.hits.filter((h) => rows.some((r) => String(r.id) === h.id)).map((h) => h.highlight));
    expect(JSON.stringify(rows[0]!.search_highlight)).toMatch(/<em>/i);
  });

  it('keeps null scores of a sorted search', async () => {
    const sorted = await executeSearch('blog', { query: { match_all: {} }, sort: [{ published_at: 'desc' }] }, { client: f.side, size: 5 });
    const { rows } = await fromSearchQuery(f.db('posts'), sorted);
    expect(rows.map((r) => String(r.id))).toEqual(sorted.hits.map((h) => h.id));
    expect(rows.every((r) => r.search_score === null)).toBe(true);
  });

  it('only takes hits of the indexes named in index', async () => {
    const blog = await search('blog', 'postgresql', 3);
    const notes = await search('notes-uuid', 'postgres', 3);
    const mixed = { hits: [...notes.hits, ...blog.hits].map((h, i) => ({ ...h, rank: i + 1 })) };
    const { rows, missing } = await fromSearchQuery(f.db('posts'), mixed, { index: 'blog' });
    expect(rows.map((r) => String(r.id))).toEqual(blog.hits.map((h) => h.id));
    expect(missing).toEqual([]);
  });

  it('orders in SQL when the builder has a limit, so the limit keeps the best hits', async () => {
    const result = reversed(await search('blog', 'kubernetes docker', 10));
    const present = new Set((await f.db('posts').pluck('id')).map(String));
    const expected = result.hits.filter((h) => present.has(h.id)).slice(0, 3);
    const { rows } = await fromSearchQuery(f.db('posts').limit(3), result);
    expect(rows.map((r) => String(r.id))).toEqual(expected.map((h) => h.id));
    expect(rows.map((r) => r.search_rank)).toEqual(expected.map((h) => h.rank));
  });

  it('matches ids written differently from the key\'s text form (007 for key 7, upper-case uuids)', async () => {
    const id = f.postIds[0]!;
    const { rows, missing } = await fromSearchQuery(f.db('posts'), { hits: [{ id: `00${id}`, index: 'blog', score: 1, rank: 1 }] });
    expect(rows.map((r) => r.id)).toEqual([id]);
    expect(missing).toEqual([]);
    const upper = await fromSearchQuery(f.db('notes_uuid'), { hits: [{ id: uuids[0]!.toUpperCase(), index: 'notes-uuid', score: 1, rank: 1 }] });
    expect(upper.rows.map((r) => r.id)).toEqual([uuids[0]]);
  });

  it('refuses a keyType that is not one of the known types (it becomes a cast in SQL)', () => {
    expect(() => rerankQuery(f.db('posts'), { hits: [] }, { keyType: 'int[]); drop table posts; --' as 'integer' })).toThrow(/keyType is .*expected one of text, integer, bigint, uuid/);
  });

  it('returns nothing for a search without hits, without querying', async () => {
    expect(await fromSearchQuery(f.db('posts'), { hits: [] })).toEqual({ rows: [], missing: [] });
  });
});
