import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: Engine;
let dir: string;

const call = engineCaller(() => engine);

const COMMENTS = [
  { author: 'ann', n: 3, text: 'fox fox' },
  { author: 'bob', n: 1, text: 'dog' },
  { author: 'ann', n: 2, text: 'fox' },
  { author: 'cid', n: 5, text: 'fox and dog' },
];

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const mappings = { properties: { title: { type: 'text' }, comments: { type: 'nested', properties: { author: { type: 'keyword' }, n: { type: 'integer' }, text: { type: 'text' } } } } };
  expect((await call('PUT', '/posts', { mappings })).status).toBe(200);
  expect((await call('PUT', '/posts/_doc/p1', { title: 'one', comments: COMMENTS })).status).toBe(201);
  expect((await call('PUT', '/posts/_doc/p2', { title: 'two', comments: [{ author: 'bob', n: 9, text: 'cat' }] })).status).toBe(201);
  await call('POST', '/posts/_refresh');
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

async function search(body: Json): Promise<Json> {
  const r = await call('POST', '/posts/_search', body);
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return r.body;
}

describe('nested inner_hits', () => {
  it('returns the matching children with their offset and object, best score first', async () => {
    const r = await search({ query: { nested: { path: 'comments', query: { match: { 'comments.text': 'fox' } }, inner_hits: {} } } });
    expect(r.hits.hits.map((h: Json) => h._id)).toEqual(['p1']);
    const inner = r.hits.hits[0].inner_hits.comments.hits;
    expect(inner.total).toEqual({ value: 3, relation: 'eq' });
    // "fox fox" (offset 0) scores above "fox" (offset 2, shorter) and "fox and dog" (offset 3, longer)
    const offsets = inner.hits.map((h: Json) => h._nested.offset);
    expect(offsets[0]).toBe(0);
    expect([...offsets].sort()).toEqual([0, 2, 3]);
    for (const h of inner.hits as Json[]) {
      expect(h._id).toBe('p1');
      expect(h._nested.field).toBe('comments');
      expect(h._source).toEqual(COMMENTS[h._nested.offset as number]);
    }
    const scores = inner.hits.map((h: Json) => h._score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(inner.max_score).toBe(scores[0]);
  });

  it('honours name, sort, from, size, _source, version and docvalue_fields', async () => {
    const r = await search({
      query: {
        nested: {
          path: 'comments',
          query: { match_all: {} },
          inner_hits: { name: 'by_n', sort: [{ 'comments.n': 'desc' }], from: 1, size: 2, _source: false, version: true, docvalue_fields: ['comments.author', '_seq_no'] },
        },
      },
      sort: ['_doc'],
    });
    const p1 = r.hits.hits.find((h: Json) => h._id === 'p1').inner_hits.by_n.hits;
    expect(p1.total.value).toBe(4);
    expect(p1.max_score).toBeNull();
    // n desc: 5 (offset 3), 3 (offset 0), 2 (offset 2), 1 (offset 1); from 1, size 2
    expect(p1.hits.map((h: Json) => [h._nested.offset, h.sort[0], h._score, h._source, h._version])).toEqual([
      [0, 3, null, undefined, 1],
      [2, 2, null, undefined, 1],
    ]);
    expect(p1.hits[0].fields).toEqual({ 'comments.author': ['ann'], _seq_no: [0] });
  });

  it('highlights each child from its own object with the nested query', async () => {
    const r = await search({
      query: { bool: { must: [{ nested: { path: 'comments', query: { match: { 'comments.text': 'dog' } }, inner_hits: { highlight: { fields: { 'comments.*': {} } } } } }, { match: { title: 'one' } }] } },
    });
    const inner = r.hits.hits[0].inner_hits.comments.hits.hits as Json[];
    // "dog" (offset 1) and "fox and dog" (offset 3); the top-level "one" is not the children's query
    expect(inner.map((h) => [h._nested.offset, h.highlight])).toEqual([
      [1, { 'comments.text': ['<em>dog</em>'] }],
      [3, { 'comments.text': ['fox and <em>dog</em>'] }],
    ]);
  });

  it('fetches `fields` of the nested object grouped under its path, as FetchFieldsPhase on the nested source', async () => {
    const r = await search({ query: { nested: { path: 'comments', query: { term: { 'comments.author': 'bob' } }, inner_hits: { _source: false, fields: ['comments.author', 'comments.n', 'title'] } } } });
    const byId = Object.fromEntries(r.hits.hits.map((h: Json) => [h._id, h.inner_hits.comments.hits.hits.map((c: Json) => [c._nested.offset, c.fields, c._source])]));
    // only the child's own object: the top-level title is not part of a nested hit's source
    expect(byId).toEqual({ p1: [[1, { comments: [{ author: ['bob'], n: [1] }] }, undefined]], p2: [[0, { comments: [{ author: ['bob'], n: [9] }] }, undefined]] });
  });

  it('refuses what it does not build, naming it, and checks the inner result window', async () => {
    const stored = await call('POST', '/posts/_search', { query: { nested: { path: 'comments', query: { match_all: {} }, inner_hits: { stored_fields: ['comments.text'] } } } });
    expect(stored.body.error.reason).toBe('[stored_fields in nested inner_hits] is not supported by the indexkit embedded engine');
    // checked before the query runs: a query matching nothing fails too
    const window = await call('POST', '/posts/_search', { query: { nested: { path: 'comments', query: { term: { 'comments.author': 'nobody' } }, inner_hits: { from: 90, size: 20 } } } });
    expect(window.status).toBe(400);
    expect(window.body.error.root_cause[0].reason).toContain("the inner hit definition's [comments]'s from + size must be less than or equal to: [100] but was [110]");
  });
});

describe('sort with nested', () => {
  it('sorts top-level docs by their children\'s values (min ascending, max descending, max_children)', async () => {
    const sortOf = async (sort: Json): Promise<Array<[string, unknown]>> => (await search({ sort: [sort], _source: false })).hits.hits.map((h: Json) => [h._id, h.sort[0]]);
    // p1's children n: 3, 1, 2, 5; p2's: 9
    expect(await sortOf({ 'comments.n': { order: 'asc', nested: { path: 'comments' } } })).toEqual([['p1', 1], ['p2', 9]]);
    expect(await sortOf({ 'comments.n': { order: 'desc', nested: { path: 'comments' } } })).toEqual([['p2', 9], ['p1', 5]]);
    expect(await sortOf({ 'comments.n': { order: 'asc', mode: 'avg', nested: { path: 'comments', max_children: 2 } } })).toEqual([['p1', 2], ['p2', 9]]);
    expect(await sortOf({ 'comments.author': { order: 'desc', nested: { path: 'comments' } } })).toEqual([['p1', 'cid'], ['p2', 'bob']]);
  });

  it('refuses a nested filter and names a path that is not nested', async () => {
    const filter = await call('POST', '/posts/_search', { sort: [{ 'comments.n': { nested: { path: 'comments', filter: { match_all: {} } } } }] });
    expect(filter.body.error.reason).toBe('[sort nested filter] is not supported by the indexkit embedded engine');
    const path = await call('POST', '/posts/_search', { sort: [{ 'comments.n': { nested: { path: 'title' } } }] });
    expect(path.status).toBe(400);
    expect(path.body.error.root_cause[0].reason).toBe('[nested] failed to find nested object under path [title]');
  });
});
