import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../../helpers.js';

/**
 * dense_vector and the top-level `knn` search, with the data and expectations of Elasticsearch's
 * search.vectors/40_knn_search.yml (ids and max_inner_product scores) and scores recomputed here
 * from the similarity formulas of DenseVectorFieldMapper.VectorSimilarity.
 */

const VECTORS: Record<string, { name: string; vector: number[]; another_vector: number[] }> = {
  '1': { name: 'cow.jpg', vector: [230.0, 300.33, -34.8988, 15.555, -200.0], another_vector: [130.0, 115.0, -1.02, 15.555, -100.0] },
  '2': { name: 'moose.jpg', vector: [-0.5, 100.0, -13, 14.8, -156.0], another_vector: [-0.5, 50.0, -1, 1, 120] },
  '3': { name: 'rabbit.jpg', vector: [0.5, 111.3, -13.0, 14.8, -156.0], another_vector: [-0.5, 11.0, 0, 12, 111.0] },
};
const QUERY = [-0.5, 90.0, -10, 14.8, -156.0];
const hnsw = { type: 'hnsw' as const, m: 16, ef_construction: 200 };

const t = useTestClient(async (client) => {
  const vectorField = (similarity: 'l2_norm' | 'max_inner_product') => ({ type: 'dense_vector' as const, dims: 5, index: true, similarity, index_options: hnsw });
  await createIndexWithDocs(
    client,
    'test',
    { settings: { number_of_shards: 2 }, mappings: { properties: { name: { type: 'keyword' }, vector: vectorField('l2_norm'), another_vector: vectorField('l2_norm') } } },
    Object.entries(VECTORS).map(([id, doc]) => [id, doc]),
  );
  await createIndexWithDocs(
    client,
    'mip',
    { mappings: { properties: { name: { type: 'keyword' }, vector: vectorField('max_inner_product') } } },
    Object.entries(VECTORS).map(([id, doc]) => [id, { name: doc.name, vector: doc.vector }]),
  );
});

type Hits = { hits: { hits: Array<{ _id?: string | null; _score?: number | null; matched_queries?: unknown }>; total?: unknown } };
const ids = (res: Hits): string[] => res.hits.hits.map((h) => String(h._id));

/** l2_norm's score, 1 / (1 + squared distance), in doubles (float rounding is below the tolerance used). */
function l2Score(a: number[], b: number[]): number {
  return 1 / (1 + a.reduce((s, x, i) => s + (x - (b[i] as number)) ** 2, 0));
}

describe('top-level knn search', () => {
  it('returns the k nearest documents over every shard, scored by the similarity', async () => {
    const res = (await t.client.search({ index: 'test', knn: { field: 'vector', query_vector: QUERY, k: 2, num_candidates: 3 } })) as Hits;
    expect(ids(res)).toEqual(['2', '3']);
    expect(res.hits.hits[0]?._score).toBeCloseTo(l2Score(QUERY, VECTORS['2']!.vector), 6);
    expect(res.hits.hits[1]?._score).toBeCloseTo(l2Score(QUERY, VECTORS['3']!.vector), 6);
  });

  it('adds the query scores to the knn scores (bool should) and keeps the query-only matches', async () => {
    const res = (await t.client.search({
      index: 'test',
      knn: { field: 'vector', query_vector: QUERY, k: 2, num_candidates: 3 },
      query: { term: { name: 'cow.jpg' } },
    })) as Hits;
    expect(ids(res)).toEqual(['1', '2', '3']);
    const multi = (await t.client.search({
      index: 'test',
      knn: [
        { field: 'vector', query_vector: QUERY, k: 2, num_candidates: 3 },
        { field: 'another_vector', query_vector: [-0.5, 11.0, 0, 12, 111.0], k: 2, num_candidates: 3 },
      ],
    })) as Hits;
    // 40_knn_search.yml "kNN multi-field search only": rabbit is near in both fields
    expect(ids(multi)).toEqual(['3', '2']);
    const expected = l2Score(QUERY, VECTORS['3']!.vector) + l2Score([-0.5, 11.0, 0, 12, 111.0], VECTORS['3']!.another_vector);
    expect(multi.hits.hits[0]?._score).toBeCloseTo(expected, 6);
  });

  it('filters before choosing the k nearest, and cuts at a similarity threshold', async () => {
    const filtered = (await t.client.search({ index: 'test', knn: { field: 'vector', query_vector: QUERY, k: 2, num_candidates: 3, filter: { term: { name: 'rabbit.jpg' } } } })) as Hits;
    expect(ids(filtered)).toEqual(['3']);
    const none = (await t.client.search({
      index: 'test',
      knn: { field: 'vector', query_vector: QUERY, k: 2, num_candidates: 3, filter: [{ term: { name: 'rabbit.jpg' } }, { term: { _id: 2 } }] },
    })) as Hits;
    expect(ids(none)).toEqual([]);
    // l2 distances: moose 10.3, rabbit 21.6, cow 416: only moose is within 11
    const near = (await t.client.search({ index: 'test', knn: { field: 'vector', query_vector: QUERY, k: 3, num_candidates: 3, similarity: 11 } })) as Hits;
    expect(ids(near)).toEqual(['2']);
  });

  it('scores max_inner_product as Elasticsearch (values from 40_knn_search.yml)', async () => {
    const res = (await t.client.search({ index: 'mip', knn: { field: 'vector', query_vector: QUERY, k: 3, num_candidates: 3 } })) as Hits;
    expect(ids(res)).toEqual(['1', '3', '2']);
    expect(res.hits.hits[0]?._score).toBeCloseTo(58694.902, 1);
    expect(res.hits.hits[1]?._score).toBeCloseTo(34702.79, 1);
    expect(res.hits.hits[2]?._score).toBeCloseTo(33686.29, 1);
  });

  it('reports a knn search by its _name and applies its boost', async () => {
    const res = (await t.client.search({ index: 'test', knn: { field: 'vector', query_vector: QUERY, k: 1, num_candidates: 3, boost: 2, _name: 'near' } })) as Hits;
    expect(res.hits.hits[0]?.matched_queries).toEqual(['near']);
    expect(res.hits.hits[0]?._score).toBeCloseTo(2 * l2Score(QUERY, VECTORS['2']!.vector), 6);
  });

  it('defaults k to the size and num_candidates to 1.5 k, and refuses inconsistent values', async () => {
    const res = (await t.client.search({ index: 'test', size: 2, knn: { field: 'vector', query_vector: QUERY } })) as Hits;
    expect((res.hits.total as { value: number }).value).toBe(2);
    expect((await failure(t.client.search({ index: 'test', knn: { field: 'vector', query_vector: QUERY, num_candidates: 2 } }))).status).toBe(400);
    const tooMany = await failure(t.client.search({ index: 'test', knn: { field: 'vector', query_vector: QUERY, k: 2, num_candidates: 10001 } }));
    expect(JSON.stringify(tooMany.error)).toContain('[num_candidates] cannot exceed [10000]');
    const typed = await failure(t.client.search({ index: 'test', search_type: 'query_then_fetch', knn: { field: 'vector', query_vector: QUERY, k: 2, num_candidates: 3 } }));
    expect(JSON.stringify(typed.error)).toContain('cannot set [search_type] when using [knn] search');
  });

  it('refuses a query vector of the wrong dimensions and query_vector_builder', async () => {
    const dims = await failure(t.client.search({ index: 'test', knn: { field: 'vector', query_vector: [1, 2], k: 2, num_candidates: 3 } }));
    expect(JSON.stringify(dims.error)).toContain('The query vector has a different number of dimensions [2] than the document vectors [5].');
    const builder = await failure(
      t.client.search({ index: 'test', knn: { field: 'vector', query_vector_builder: { text_embedding: { model_id: 'm', model_text: 'x' } }, k: 2, num_candidates: 3 } }),
    );
    expect(JSON.stringify(builder.error)).toContain('query_vector_builder');
  });
});
