import { describe, expect, it } from 'vitest';
import { bm25, bm25AvgFieldLength, bm25Idf, bm25NormCache, bm25Weight } from '../../../src/engine/search/bm25.js';
import { encodedLength } from '../../../src/engine/search/small-float.js';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * combined_fields through the real client, its scores recomputed by hand as BM25F: the fields
 * as one pseudo-field (docCount the max, sumTotalTermFreq the weighted sum), a doc's freq the
 * weighted sum of its term freqs, its length the weighted sum of its encoded field lengths.
 */

const DOCS: Array<[string, { title: string; body: string }]> = [
  ['1', { title: 'quick fox', body: 'the lazy dog sleeps' }],
  ['2', { title: 'lazy afternoon', body: 'a quick brown fox jumps over the fox' }],
  ['3', { title: 'nothing here', body: 'only words' }],
];

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'cf',
    { mappings: { properties: { title: { type: 'text' }, body: { type: 'text' }, tag: { type: 'keyword' }, en: { type: 'text', analyzer: 'english' } } } },
    DOCS,
  );
});

const words = (s: string): string[] => s.split(' ');

/** The expected score of `doc` for one term with field weights. */
function expected(term: string, weights: Record<'title' | 'body', number>, doc: { title: string; body: string }): number {
  const fields = ['body', 'title'] as const;
  const docCount = DOCS.length;
  let sumTtf = 0;
  for (const f of fields) sumTtf = Math.trunc(sumTtf + weights[f] * DOCS.reduce((n, [, d]) => n + words(d[f]).length, 0));
  const df = Math.max(...fields.map((f) => DOCS.filter(([, d]) => words(d[f]).includes(term)).length));
  let freq = 0;
  let length = 0;
  for (const f of fields) {
    freq = Math.fround(freq + weights[f] * words(doc[f]).filter((w) => w === term).length);
    length = Math.fround(length + Math.fround(weights[f] * encodedLength(words(doc[f]).length)));
  }
  return bm25(freq, Math.round(length), bm25Weight(1, bm25Idf(df, docCount)), bm25NormCache(bm25AvgFieldLength(sumTtf, docCount)));
}

async function scores(query: Record<string, unknown>): Promise<Map<string, number>> {
  const r = await t.client.search({ index: 'cf', query, size: 10 });
  return new Map(r.hits.hits.map((h) => [h._id as string, Math.fround(h._score as number)]));
}

describe('combined_fields query', () => {
  it('scores one term over weighted fields as BM25F', async () => {
    const r = await scores({ combined_fields: { query: 'fox', fields: ['title^2', 'body'] } });
    expect(r).toEqual(
      new Map([
        ['2', expected('fox', { title: 2, body: 1 }, DOCS[1]![1])],
        ['1', expected('fox', { title: 2, body: 1 }, DOCS[0]![1])],
      ]),
    );
  });

  it('sums the per-term scores and applies the operator', async () => {
    const or = await scores({ combined_fields: { query: 'quick lazy', fields: ['title', 'body'] } });
    const w = { title: 1, body: 1 };
    for (const [id, doc] of DOCS.slice(0, 2)) expect(or.get(id)).toBe(Math.fround(expected('quick', w, doc) + expected('lazy', w, doc)));
    const and = await scores({ combined_fields: { query: 'quick jumps', fields: ['title', 'body'], operator: 'and' } });
    expect([...and.keys()]).toEqual(['2']);
  });

  it('answers zero_terms_query and unmapped fields as match does', async () => {
    expect((await scores({ combined_fields: { query: 'the', fields: ['en'], zero_terms_query: 'all' } })).size).toBe(3);
    expect((await scores({ combined_fields: { query: 'fox', fields: ['missing'] } })).size).toBe(0);
  });

  it('refuses non-text fields, different analyzers and boosts below 1 with Elasticsearch messages', async () => {
    const kw = await failure(t.client.search({ index: 'cf', query: { combined_fields: { query: 'x', fields: ['title', 'tag'] } } }));
    expect(JSON.stringify(kw.error)).toContain('Field [tag] of type [keyword] does not support [combined_fields] queries');
    const analyzers = await failure(t.client.search({ index: 'cf', query: { combined_fields: { query: 'x', fields: ['title', 'en'] } } }));
    expect(JSON.stringify(analyzers.error)).toContain('All fields in [combined_fields] query must have the same search analyzer');
    const boost = await failure(t.client.search({ index: 'cf', query: { combined_fields: { query: 'x', fields: ['title^0.5'] } } }));
    expect(JSON.stringify(boost.error)).toContain('[combined_fields] requires field boosts to be >= 1.0');
  });
});
