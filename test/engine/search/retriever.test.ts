import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { removeDir, tempDir } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: Engine;
let dir: string;

async function call(method: string, path: string, body?: unknown, query = ''): Promise<{ status: number; body: Json }> {
  const res = await engine.handle({ method, path: path + query, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as Json };
}

const hitsOf = (r: { body: Json }): Array<[string, number | null]> => (r.body.hits.hits as Json[]).map((h) => [h._id as string, h._score as number | null]);

// 12 docs over 3 shards: a title whose "fox" count varies, a colour, a rank and a 2-d vector
const DOCS = Array.from({ length: 12 }, (_, i) => ({
  title: `${'fox '.repeat(1 + (i % 4))}den ${'x '.repeat(i % 3)}`.trim(),
  color: ['red', 'blue', 'green'][i % 3],
  rank: i,
  vec: [1 + (i % 5), 1 + (i % 7)],
}));

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const mappings = {
    properties: {
      title: { type: 'text' },
      color: { type: 'keyword' },
      rank: { type: 'integer' },
      vec: { type: 'dense_vector', dims: 2, index: true, similarity: 'l2_norm' },
    },
  };
  expect((await call('PUT', '/r', { settings: { number_of_shards: 3 }, mappings })).status).toBe(200);
  for (const [i, d] of DOCS.entries()) expect((await call('PUT', `/r/_doc/${i}`, d)).status).toBe(201);
  await call('POST', '/r/_refresh');
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('standard retriever', () => {
  it('answers as the same options given at the top level', async () => {
    const inner = { query: { match: { title: 'fox' } }, sort: [{ rank: 'desc' }], search_after: [9], terminate_after: 100 };
    const viaRetriever = await call('POST', '/r/_search', { size: 3, retriever: { standard: inner } });
    const direct = await call('POST', '/r/_search', { size: 3, ...inner });
    expect(viaRetriever.status).toBe(200);
    expect(hitsOf(viaRetriever)).toEqual(hitsOf(direct));
    expect(hitsOf(viaRetriever).map(([id]) => id)).toEqual(['8', '7', '6']);
    const collapsed = await call('POST', '/r/_search', { retriever: { standard: { sort: [{ rank: 'asc' }], collapse: { field: 'color' } } } });
    expect(hitsOf(collapsed).map(([id]) => id)).toEqual(['0', '1', '2']);
  });

  it('keeps the query score under filters and min_score (the query as the must clause of a bool)', async () => {
    const all = await call('POST', '/r/_search', { size: 20, query: { match: { title: 'fox' } } });
    const scores = new Map(hitsOf(all));
    const min = [...scores.values()].sort((a, b) => (a as number) - (b as number))[6] as number;
    const r = await call('POST', '/r/_search', {
      size: 20,
      retriever: { standard: { query: { match: { title: 'fox' } }, filter: [{ term: { color: 'red' } }], min_score: min } },
    });
    expect(r.status).toBe(200);
    const expected = DOCS.map((d, i) => [String(i), scores.get(String(i))] as const).filter(([, s], i) => DOCS[i]?.color === 'red' && (s as number) >= min);
    expect(r.body.hits.total.value).toBe(expected.length);
    for (const [id, score] of hitsOf(r)) expect(score).toBe(scores.get(id));
    expect(new Set(hitsOf(r).map(([id]) => id))).toEqual(new Set(expected.map(([id]) => id)));
  });

  it('scores a filter-only retriever 0, as a bool of filters', async () => {
    const r = await call('POST', '/r/_search', { retriever: { standard: { filter: { term: { color: 'blue' } } } } });
    expect(r.body.hits.total.value).toBe(4);
    expect(hitsOf(r).every(([, s]) => s === 0)).toBe(true);
  });
});

describe('knn retriever', () => {
  it('answers as the top-level knn search, with its filter and _name', async () => {
    const knn = { field: 'vec', query_vector: [3, 3], k: 4, num_candidates: 10, filter: { term: { color: 'green' } } };
    const viaRetriever = await call('POST', '/r/_search', { retriever: { knn: { ...knn, _name: 'near' } } });
    const direct = await call('POST', '/r/_search', { knn: { ...knn, _name: 'near' } });
    expect(viaRetriever.status).toBe(200);
    expect(hitsOf(viaRetriever)).toEqual(hitsOf(direct));
    expect(hitsOf(viaRetriever)).toHaveLength(4);
    for (const h of viaRetriever.body.hits.hits as Json[]) expect(h.matched_queries).toEqual(['near']);
  });
});

describe('retriever validation', () => {
  it('refuses top-level options a retriever sets itself, listing them as SearchSourceBuilder.validate does', async () => {
    const r = await call('POST', '/r/_search', {
      retriever: { standard: {} },
      query: { match_all: {} },
      sort: ['rank'],
      terminate_after: 2,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('action_request_validation_exception');
    expect(r.body.error.reason).toBe('Validation Failed: 1: cannot specify [retriever] and [query, terminate_after, sort];');
  });

  it('counts the q and sort URL parameters as a query and a sort', async () => {
    const r = await call('POST', '/r/_search', { retriever: { standard: {} } }, '?q=fox&sort=rank');
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe('Validation Failed: 1: cannot specify [retriever] and [query, sort];');
  });

  it('refuses a knn search next to a retriever', async () => {
    const r = await call('POST', '/r/_search', { retriever: { standard: {} }, knn: { field: 'vec', query_vector: [1, 1], k: 1, num_candidates: 1 } });
    expect(r.body.error.reason).toBe('Validation Failed: 1: cannot specify [retriever] and [knn];');
  });

  it('names an unknown retriever and a malformed one with parsing errors', async () => {
    const unknown = await call('POST', '/r/_search', { retriever: { nope: {} } });
    expect([unknown.status, unknown.body.error.type, unknown.body.error.reason]).toEqual([400, 'parsing_exception', 'unknown retriever [nope]']);
    const empty = await call('POST', '/r/_search', { retriever: {} });
    expect(empty.body.error.reason).toBe('retriever malformed, empty clause found');
    const knnMissing = await call('POST', '/r/_search', { retriever: { knn: { field: 'vec', query_vector: [1, 1] } } });
    expect([knnMissing.status, knnMissing.body.error.reason]).toEqual([400, '[1:1] [knn] failed to parse: Required [k, num_candidates]']);
    const field = await call('POST', '/r/_search', { retriever: { standard: { bogus: 1 } } });
    expect([field.body.error.type, field.body.error.reason]).toEqual(['x_content_parse_exception', '[1:1] [standard] unknown field [bogus]']);
  });

  it('refuses the licensed and x-pack retrievers with a 400 naming them', async () => {
    for (const name of ['rrf', 'text_similarity_reranker', 'rule']) {
      const r = await call('POST', '/r/_search', { retriever: { [name]: { retrievers: [] } } });
      expect(r.status).toBe(400);
      expect(r.body.error.reason).toContain(`[${name}]`);
    }
  });
});
