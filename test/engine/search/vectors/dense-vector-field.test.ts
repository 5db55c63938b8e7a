import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../../helpers.js';

/**
 * The dense_vector field type as DenseVectorFieldMapper (8.19) defines it: mapping defaults and
 * checks, document values and their errors, dims from the first document, dynamic mapping of
 * float arrays, the knn query, and the vector functions of script_score (expected values from
 * Elasticsearch's lang-painless tests 140/150/155 and by hand).
 */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'vecs',
    {
      mappings: {
        properties: {
          v: { type: 'dense_vector', dims: 3, similarity: 'l2_norm' },
          b: { type: 'dense_vector', dims: 3, element_type: 'byte', similarity: 'dot_product' },
          raw: { type: 'dense_vector', dims: 3, index: false },
          tag: { type: 'keyword' },
        },
      },
    },
    [
      ['1', { v: [1, 1, 1], b: [1, 2, 3], raw: [1, 0, 0], tag: 'a' }],
      ['2', { v: [1, 1, 2], b: [-1, -2, -3], raw: [0, 1, 0], tag: 'b' }],
      ['3', { v: [1, 1, 3], b: [10, 0, 0], raw: [0, 0, 1], tag: 'a' }],
      ['4', { tag: 'b' }],
    ],
  );
});

type Hits = { hits: { hits: Array<{ _id?: string | null; _score?: number | null; fields?: Record<string, unknown> }>; total?: unknown } };
const ids = (res: Hits): string[] => res.hits.hits.map((h) => String(h._id));

describe('dense_vector mapping', () => {
  it('prints index, similarity and the default int8_hnsw index_options of a float field', async () => {
    await t.client.indices.create({ index: 'defaults', mappings: { properties: { e: { type: 'dense_vector', dims: 4 }, n: { type: 'dense_vector', dims: 4, index: false } } } });
    const m = (await t.client.indices.getMapping({ index: 'defaults' })) as Record<string, { mappings: { properties: Record<string, unknown> } }>;
    expect(m.defaults?.mappings.properties.e).toEqual({ type: 'dense_vector', dims: 4, index: true, similarity: 'cosine', index_options: { type: 'int8_hnsw', m: 16, ef_construction: 100 } });
    expect(m.defaults?.mappings.properties.n).toEqual({ type: 'dense_vector', dims: 4, index: false });
  });

  it('refuses what DenseVectorFieldMapper refuses, with its messages', async () => {
    const create = async (v: Record<string, unknown>): Promise<string> =>
      JSON.stringify((await failure(t.client.indices.create({ index: 'bad', mappings: { properties: { v: v as never } } }))).error);
    expect(await create({ type: 'dense_vector', dims: 5000 })).toContain('The number of dimensions should be in the range [1, 4096] but was [5000]');
    expect(await create({ type: 'dense_vector', dims: 3, index: false, similarity: 'cosine' })).toContain('Field [similarity] can only be specified for a field of type [dense_vector] when it is indexed');
    expect(await create({ type: 'dense_vector', dims: 3, element_type: 'byte', index_options: { type: 'int8_hnsw' } })).toContain('[element_type] cannot be [byte] when using index type [int8_hnsw]');
    expect(await create({ type: 'dense_vector', dims: 3, index_options: { type: 'int4_hnsw' } })).toContain('int4_hnsw only supports even dimensions; provided=3');
    expect(await create({ type: 'dense_vector', dims: 32, index_options: { type: 'bbq_hnsw' } })).toContain('bbq_hnsw does not support dimensions fewer than 64; provided=32');
    expect(await create({ type: 'dense_vector', dims: 3, index_options: { type: 'ivf' } })).toContain('Unknown vector index options type [ivf] for field [v]');
    expect(await create({ type: 'dense_vector', dims: 16, element_type: 'bit', similarity: 'cosine' })).toContain('The [l2_norm] similarity is the only supported similarity for bit vectors');
  });

  it('refuses a document whose vector does not fit the mapping', async () => {
    const index = async (doc: Record<string, unknown>): Promise<string> => JSON.stringify((await failure(t.client.index({ index: 'vecs', id: 'x', document: doc }))).error);
    expect(await index({ v: [1, 2] })).toContain("The [dense_vector] field [v] in doc [document with id 'x'] has a different number of dimensions [2] than defined in the mapping [3]");
    expect(await index({ v: [1, 2, 3, 4] })).toContain('has more dimensions than defined in the mapping [3]');
    expect(await index({ b: [1, 2, 300] })).toContain('element_type [byte] vectors only support integers between [-128, 127] but found [300] at dim [2];');
    await t.client.indices.create({ index: 'unit', mappings: { properties: { u: { type: 'dense_vector', dims: 2, similarity: 'dot_product' }, c: { type: 'dense_vector', dims: 2 } } } });
    const unit = JSON.stringify((await failure(t.client.index({ index: 'unit', id: '1', document: { u: [1, 1] } }))).error);
    expect(unit).toContain('The [dot_product] similarity can only be used with unit-length vectors. Preview of invalid vector: [1.0, 1.0]');
    const zero = JSON.stringify((await failure(t.client.index({ index: 'unit', id: '1', document: { c: [0, 0] } }))).error);
    expect(zero).toContain('The [cosine] similarity does not support vectors with zero magnitude.');
  });

  it('takes dims from the first document when the mapping has none', async () => {
    await t.client.indices.create({ index: 'nodims', mappings: { properties: { v: { type: 'dense_vector', similarity: 'l2_norm' } } } });
    await t.client.index({ index: 'nodims', id: '1', document: { v: [1, 2, 3, 4] }, refresh: true });
    const m = (await t.client.indices.getMapping({ index: 'nodims' })) as Record<string, { mappings: { properties: { v: { dims?: number } } } }>;
    expect(m.nodims?.mappings.properties.v.dims).toBe(4);
    const res = (await t.client.search({ index: 'nodims', knn: { field: 'v', query_vector: [1, 2, 3, 4], k: 1, num_candidates: 1 } })) as Hits;
    expect(ids(res)).toEqual(['1']);
    expect(res.hits.hits[0]?._score).toBe(1);
  });

  it('maps a new array of 128 to 4,096 floats as an indexed cosine dense_vector (8.11+), shorter ones as float', async () => {
    const long = Array.from({ length: 128 }, (_, i) => i + 0.5);
    await t.client.index({ index: 'dyn', id: '1', document: { emb: long, short: [0.5, 1.5] }, refresh: true });
    const m = (await t.client.indices.getMapping({ index: 'dyn' })) as Record<string, { mappings: { properties: Record<string, { type: string; dims?: number; similarity?: string }> } }>;
    expect(m.dyn?.mappings.properties.emb).toMatchObject({ type: 'dense_vector', dims: 128, index: true, similarity: 'cosine' });
    expect(m.dyn?.mappings.properties.short?.type).toBe('float');
  });

  it('returns the vector in _source and in fields, and matches exists', async () => {
    const res = (await t.client.search({ index: 'vecs', query: { exists: { field: 'v' } }, fields: ['v'], sort: ['_doc'] })) as Hits;
    expect(ids(res)).toEqual(['1', '2', '3']);
    expect(res.hits.hits[0]?.fields?.v).toEqual([1, 1, 1]);
  });

  it('refuses term queries, other queries, sorts and aggregations on a vector field', async () => {
    expect(JSON.stringify((await failure(t.client.search({ index: 'vecs', query: { term: { v: 1 } } }))).error)).toContain("Field [v] of type [dense_vector] doesn't support term queries");
    for (const query of [{ match: { v: '1' } }, { range: { v: { gte: 1 } } }, { prefix: { v: '1' } }, { terms: { v: [1] } }, { wildcard: { v: '1*' } }]) {
      expect((await failure(t.client.search({ index: 'vecs', query }))).status).toBe(400);
    }
    expect((await failure(t.client.search({ index: 'vecs', sort: [{ v: 'asc' }] }))).status).toBe(400);
    expect((await failure(t.client.search({ index: 'vecs', aggs: { x: { terms: { field: 'v' } } } }))).status).toBe(400);
  });
});

describe('knn query', () => {
  it('returns the k nearest of each shard, composes with bool and filters', async () => {
    const res = (await t.client.search({ index: 'vecs', query: { knn: { field: 'v', query_vector: [1, 1, 3], k: 2 } } })) as Hits;
    expect(ids(res)).toEqual(['3', '2']);
    // l2_norm: 1 / (1 + squared distance)
    expect(res.hits.hits[1]?._score).toBeCloseTo(1 / 2, 6);
    const filtered = (await t.client.search({ index: 'vecs', query: { knn: { field: 'v', query_vector: [1, 1, 3], k: 2, filter: { term: { tag: 'a' } } } } })) as Hits;
    expect(ids(filtered)).toEqual(['3', '1']);
    const bool = (await t.client.search({ index: 'vecs', query: { bool: { must: [{ term: { tag: 'b' } }, { knn: { field: 'v', query_vector: [1, 1, 3], k: 3 } }] } } })) as Hits;
    expect(ids(bool)).toEqual(['2']);
  });

  it('scores a byte dot_product field as 0.5 + dot / (dims * 2^15)', async () => {
    const res = (await t.client.search({ index: 'vecs', query: { knn: { field: 'b', query_vector: [1, 2, 3], k: 1 } } })) as Hits;
    expect(ids(res)).toEqual(['1']);
    expect(res.hits.hits[0]?._score).toBeCloseTo(0.5 + 14 / (3 * 32768), 6);
  });

  it('refuses knn on a field that is not indexed, or not a vector', async () => {
    expect(JSON.stringify((await failure(t.client.search({ index: 'vecs', query: { knn: { field: 'raw', query_vector: [1, 0, 0], k: 1 } } }))).error)).toContain(
      'to perform knn search on field [raw], its mapping must have [index] set to [true]',
    );
    expect(JSON.stringify((await failure(t.client.search({ index: 'vecs', query: { knn: { field: 'tag', query_vector: [1, 0, 0], k: 1 } } }))).error)).toContain(
      '[knn] queries are only supported on [dense_vector] fields',
    );
  });
});

describe('script_score vector functions', () => {
  const score = async (source: string, params: Record<string, unknown>, field = 'v'): Promise<Hits> =>
    (await t.client.search({ index: 'vecs', query: { script_score: { query: { exists: { field } }, script: { source, params } } } })) as Hits;

  it('computes cosineSimilarity, dotProduct, l1norm and l2norm of a float field', async () => {
    const q = { q: [1, 1, 1] };
    const cos = await score("cosineSimilarity(params.q, 'v')", q);
    expect(ids(cos)[0]).toBe('1');
    expect(cos.hits.hits[0]?._score).toBeCloseTo(1, 6);
    expect((await score("dotProduct(params.q, 'v')", q)).hits.hits[0]?._score).toBe(5);
    expect((await score("l1norm(params.q, 'v')", q)).hits.hits[0]?._score).toBe(2);
    expect((await score("l2norm(params.q, 'v')", q)).hits.hits[0]?._score).toBeCloseTo(2, 6);
    expect((await score("doc['v'].magnitude", {})).hits.hits[0]?._score).toBeCloseTo(Math.sqrt(11), 5);
  });

  it('computes hamming of byte vectors and refuses it on floats', async () => {
    // [10, 0, 0] xor [1, 2, 3]: 1010^0001 has 3 bits, 0^2 one, 0^3 two: 6; [-1, -2, -3] (0xFF, 0xFE, 0xFD): 7 + 6 + 7
    const res = await score("hamming(params.q, 'b')", { q: [1, 2, 3] }, 'b');
    expect(res.hits.hits.map((h) => [h._id, h._score])).toEqual([['2', 20], ['3', 6], ['1', 0]]);
    expect((await failure(t.client.search({ index: 'vecs', query: { script_score: { query: { match_all: {} }, script: { source: "hamming(params.q, 'v')", params: { q: [1, 1, 1] } } } } }))).status).toBe(400);
  });

  it('fails on a document without a vector, as Elasticsearch does', async () => {
    const err = await failure(t.client.search({ index: 'vecs', query: { script_score: { query: { match_all: {} }, script: { source: "dotProduct(params.q, 'v')", params: { q: [1, 1, 1] } } } } }));
    expect(JSON.stringify(err.error)).toContain("A document doesn't have a value for a vector field!");
  });
});
