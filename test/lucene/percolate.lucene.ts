import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
import { declaredRefusal, sameScore, termPools } from './compare.js';
import { useLuceneHarness } from './lucene-harness.js';
import { randomCorpus, rng } from './random-corpus.js';
import { randomQuery } from './random-queries.js';
import type { Dsl } from './random-queries.js';

/**
 * The percolate query judged by Lucene 8.7's MemoryIndex: random queries are stored in a
 * percolator field, random documents percolated, and every stored query must match the same
 * documents as it does in a MemoryIndex holding the document alone, with the same score (the
 * MemoryIndex searcher's BM25Similarity, without Elasticsearch's legacy (k1 + 1) factor).
 */

const SPEC = { id: 'perc', seed: 5505, docs: 120 };
const QUERIES = 150;
const PERCOLATED = 12;
const FIELDS = { title: 'standard', body: 'english', tag: 'keyword' } as const;
const MAPPINGS = {
  properties: { query: { type: 'percolator' }, title: { type: 'text', analyzer: 'standard' }, body: { type: 'text', analyzer: 'english' }, tag: { type: 'keyword' } },
} as const;

const t = useTestClient();
const lucene = useLuceneHarness();

describe('percolate agrees with Lucene MemoryIndex', () => {
  it(`${QUERIES} random stored queries over ${PERCOLATED} percolated documents match and score as in a MemoryIndex`, async () => {
    const docs = randomCorpus(SPEC);
    const pools = await termPools(lucene, docs);
    await t.client.indices.create({ index: SPEC.id, mappings: MAPPINGS });
    const r = rng(SPEC.seed + 1);
    const stored = new Map<string, Dsl>();
    for (let n = 0; stored.size < QUERIES && n < QUERIES * 4; n++) {
      const query = randomQuery(r, pools);
      // a stored query the engine refuses (a declared refusal) is not compared
      const ok = await t.client.index({ index: SPEC.id, id: `q${n}`, document: { query } }).then(() => true, () => false);
      if (ok) stored.set(`q${n}`, query);
    }
    await t.client.indices.refresh({ index: SPEC.id });
    const disagreements: string[] = [];
    let matched = 0;
    for (let k = 0; k < PERCOLATED; k++) {
      const { _id, ...doc } = docs[Math.floor(r() * docs.length)] as (typeof docs)[number];
      let engine: Map<string, number>;
      try {
        const res = await t.client.search({ index: SPEC.id, size: QUERIES, query: { percolate: { field: 'query', document: doc } }, _source: false });
        engine = new Map(res.hits.hits.map((h) => [h._id as string, h._score as number]));
      } catch (e) {
        if (declaredRefusal({ error: `400 ${String((e as Error).message)}` })) continue;
        throw e;
      }
      for (const [id, query] of stored) {
        const judge = await lucene.percolate(FIELDS, doc, query).catch(() => undefined);
        if (!judge) continue;
        const want = judge.hits[0]?.[1];
        const got = engine.get(id);
        if (want !== undefined) matched++;
        if ((want === undefined) !== (got === undefined) || (want !== undefined && got !== undefined && !sameScore(got, want))) {
          disagreements.push(`${id}: engine ${got}, lucene ${want}\n    query: ${JSON.stringify(query)}\n    doc ${_id}: ${JSON.stringify(doc)}`);
        }
      }
    }
    expect(disagreements.slice(0, 8), `${disagreements.length} disagreements`).toEqual([]);
    expect(stored.size).toBeGreaterThan(QUERIES / 2);
    expect(matched).toBeGreaterThan(PERCOLATED * 5);
  });
});
