import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The `rescorer` retriever (RescorerRetrieverBuilder, a CompoundRetrieverBuilder): its child's
 * search with the rescorers (size the rank window) picks the rank docs; the request's own search
 * then pages over them, while its total and aggregations cover every match of the child. The
 * expected pages are the plain search `{ query, rescore, size: window }` that Elasticsearch runs
 * for the child, read here through the same engine.
 */

let engine: Engine;
let dir: string;
const call = engineCaller(() => engine);

const hitsOf = (r: { body: Json }): Array<[string, number]> => (r.body.hits.hits as Json[]).map((h) => [h._id as string, h._score as number]);

// 30 docs over 3 shards: "fox" repeated 1-5 times, a colour, and a rank
const DOCS = Array.from({ length: 30 }, (_, i) => ({ title: `${'fox '.repeat(1 + (i % 5))}den`, color: i % 3 === 0 ? 'red' : 'blue', rank: (i * 7) % 30 }));

const QUERY = { match: { title: 'fox' } };
const RESCORE = (window: number): Json => ({
  window_size: window,
  query: { rescore_query: { function_score: { field_value_factor: { field: 'rank' } } }, query_weight: 0 },
});

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const mappings = { properties: { title: { type: 'text' }, color: { type: 'keyword' }, rank: { type: 'integer' } } };
  expect((await call('PUT', '/r', { settings: { number_of_shards: 3 }, mappings })).status).toBe(200);
  expect((await call('PUT', '/r1', { settings: { number_of_shards: 1 }, mappings })).status).toBe(200);
  for (const [i, d] of DOCS.entries()) {
    expect((await call('PUT', `/r/_doc/${i}`, d)).status).toBe(201);
    expect((await call('PUT', `/r1/_doc/${i}`, d)).status).toBe(201);
  }
  await call('POST', '/r,r1/_refresh');
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('rescorer retriever', () => {
  it('pages over the child search rescored within its window, on a 3-shard index', async () => {
    const child = await call('POST', '/r/_search', { query: QUERY, rescore: RESCORE(8), size: 8 });
    expect(child.status).toBe(200);
    const expected = hitsOf(child);
    expect(expected).toHaveLength(8);
    const r = await call('POST', '/r/_search', { retriever: { rescorer: { retriever: { standard: { query: QUERY } }, rescore: RESCORE(8) } }, size: 3, from: 2 });
    expect(r.status).toBe(200);
    expect(hitsOf(r)).toEqual(expected.slice(2, 5));
    // the total counts every match of the child, not only the rank docs
    expect(r.body.hits.total).toEqual({ value: 30, relation: 'eq' });
  });

  it('answers the whole rank window when size is not given, and nothing past it', async () => {
    const child = await call('POST', '/r/_search', { query: QUERY, rescore: RESCORE(6), size: 6 });
    const body = { retriever: { rescorer: { retriever: { standard: { query: QUERY } }, rescore: RESCORE(6) } } };
    expect(hitsOf(await call('POST', '/r/_search', body))).toEqual(hitsOf(child));
    const past = await call('POST', '/r/_search', { ...body, from: 5, size: 4 });
    expect(hitsOf(past)).toEqual(hitsOf(child).slice(5));
  });

  it('computes aggregations over every match of the child, and pushes its filter down to it', async () => {
    const r = await call('POST', '/r/_search', {
      retriever: { rescorer: { filter: { term: { color: 'red' } }, retriever: { standard: { query: QUERY } }, rescore: RESCORE(4) } },
      size: 2,
      aggs: { colors: { terms: { field: 'color' } } },
    });
    expect(r.status).toBe(200);
    expect(r.body.hits.total.value).toBe(10);
    expect(r.body.aggregations.colors.buckets).toEqual([{ key: 'red', doc_count: 10 }]);
    const child = await call('POST', '/r/_search', { query: { bool: { filter: [{ term: { color: 'red' } }], must: QUERY } }, rescore: RESCORE(4), size: 4 });
    expect(hitsOf(r)).toEqual(hitsOf(child).slice(0, 2));
  });

  it('nests: the outer rescorer rescores the inner one rank docs (one shard: its window is the global top)', async () => {
    const inner = { rescorer: { retriever: { standard: { query: QUERY } }, rescore: RESCORE(10) } };
    const outer = { window_size: 5, query: { rescore_query: { constant_score: { filter: { term: { color: 'red' } } } }, query_weight: 1, rescore_query_weight: 100 } };
    const r = await call('POST', '/r1/_search', { retriever: { rescorer: { retriever: inner, rescore: outer } } });
    expect(r.status).toBe(200);
    const innerHits = hitsOf(await call('POST', '/r1/_search', { retriever: inner, size: 5 }));
    // the outer window holds rank docs only: a doc past the inner window never enters it
    expect(innerHits).toHaveLength(5);
    const red = new Set(DOCS.flatMap((d, i) => (d.color === 'red' ? [String(i)] : [])));
    const rescored = innerHits.map(([id, s]): [string, number] => [id, Math.fround(s + (red.has(id) ? 100 : 0))]);
    rescored.sort((a, b) => b[1] - a[1]);
    expect(hitsOf(r)).toEqual(rescored);
  });

  it('validates the window against size and a nested retriever, and refuses scroll', async () => {
    const small = await call('POST', '/r/_search', { retriever: { rescorer: { retriever: { standard: {} }, rescore: RESCORE(5) } }, size: 10 });
    expect([small.status, small.body.error.type, small.body.error.reason]).toEqual([
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: [rescorer] requires [window_size: 5] be greater than or equal to [size: 10];',
    ]);
    const nested = await call('POST', '/r/_search', {
      retriever: { rescorer: { retriever: { rescorer: { retriever: { standard: {} }, rescore: RESCORE(3) } }, rescore: RESCORE(5) } },
      size: 2,
    });
    expect(nested.body.error.reason).toBe("Validation Failed: 1: [rescorer] requires [window_size: 5] to be smaller than or equal to its sub retriever's rescorer [window_size: 3];");
    const scroll = await call('POST', '/r/_search?scroll=1m', { retriever: { rescorer: { retriever: { standard: {} }, rescore: RESCORE(5) } }, size: 2 });
    expect(scroll.body.error.reason).toBe('Validation Failed: 1: cannot specify [rescorer] and [scroll];');
    const missing = await call('POST', '/r/_search', { retriever: { rescorer: { retriever: { standard: {} } } } });
    expect([missing.status, missing.body.error.type]).toEqual([400, 'parsing_exception']);
  });
});
