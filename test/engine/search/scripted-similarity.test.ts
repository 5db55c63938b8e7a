import { describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

const t = useTestClient();
/** The client types similarity groups by their parameters; Elasticsearch keeps them as strings. */
const settings = (s: Record<string, unknown>): estypes.IndicesIndexSettings => s as estypes.IndicesIndexSettings;

// The TF-IDF example of Elasticsearch's similarity documentation (index-modules-similarity)
const TFIDF = 'double tf = Math.sqrt(doc.freq); double idf = Math.log((field.docCount+1.0)/(term.docFreq+1.0)) + 1.0; double norm = 1/Math.sqrt(doc.length); return query.boost * tf * idf * norm;';
const WEIGHT = 'double idf = Math.log((field.docCount+1.0)/(term.docFreq+1.0)) + 1.0; return query.boost * idf;';
const SCORE = 'double tf = Math.sqrt(doc.freq); double norm = 1/Math.sqrt(doc.length); return weight * tf * norm;';

/** The documented formula, by hand: boost * sqrt(freq) * (ln((docCount + 1) / (docFreq + 1)) + 1) / sqrt(length), cast to float. */
const tfidf = (boost: number, freq: number, docCount: number, docFreq: number, length: number): number =>
  Math.fround(Math.fround(boost) * Math.sqrt(freq) * (Math.log((docCount + 1) / (docFreq + 1)) + 1) * (1 / Math.sqrt(length)));

async function createDocsExample(index: string, similarity: Record<string, unknown>): Promise<void> {
  await createIndexWithDocs(
    t.client,
    index,
    {
      settings: settings({ number_of_shards: 1, similarity: { scripted_tfidf: similarity } }),
      mappings: { properties: { field: { type: 'text', similarity: 'scripted_tfidf' } } },
    },
    [
      ['1', { field: 'foo bar foo' }],
      ['2', { field: 'bar baz' }],
    ],
  );
}

describe('scripted similarity', () => {
  it("scores the documentation's TF-IDF example as documented (1.9508477) and explains it", async () => {
    await createDocsExample('sim-tfidf', { type: 'scripted', script: { source: TFIDF } });
    const r = await t.client.search({ index: 'sim-tfidf', explain: true, query: { query_string: { query: 'foo^1.7', default_field: 'field' } } });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['1']);
    const hit = r.hits.hits[0] as estypes.SearchHit;
    // scores travel as the shortest text of their float
    expect(Math.fround(hit._score as number)).toBe(tfidf(1.7, 2, 2, 1, 3));
    expect(hit._score).toBe(1.9508477);
    const sim = JSON.stringify(hit._explanation);
    expect(sim).toContain(`score from ScriptedSimilarity(weightScript=[null], script=[Script{type=inline, lang='painless', idOrCode='${TFIDF}', options={}, params={}}]) computed from:`);
    // sumDocFreq: foo (1 doc) + bar (2) + baz (1); sumTotalTermFreq: 3 + 2 tokens
    const details = Object.fromEntries(findDetails(hit._explanation).map((d) => [d.description, d.value]));
    expect(details).toMatchObject({ weight: 1, 'query.boost': 1.7, 'field.docCount': 2, 'field.sumDocFreq': 4, 'field.sumTotalTermFreq': 5, 'term.docFreq': 1, 'term.totalTermFreq': 2, 'doc.freq': 2, 'doc.length': 3 });
  });

  it('computes the weight script once per term and hands it to the score script as `weight`', async () => {
    await createDocsExample('sim-weighted', { type: 'scripted', weight_script: { source: WEIGHT }, script: { source: SCORE } });
    const r = await t.client.search({ index: 'sim-weighted', query: { query_string: { query: 'foo^1.7', default_field: 'field' } } });
    expect(r.hits.hits[0]?._score).toBe(1.9508477);
    // "bar" is in both documents: idf = ln(3 / 3) + 1 = 1
    const bar = await t.client.search({ index: 'sim-weighted', query: { match: { field: 'bar' } } });
    expect(Object.fromEntries(bar.hits.hits.map((h) => [h._id, Math.fround(h._score as number)]))).toEqual({ 1: tfidf(1, 1, 2, 2, 3), 2: tfidf(1, 1, 2, 2, 2) });
  });

  it('sums the scores of the terms of a phrase, each with its own statistics', async () => {
    await createDocsExample('sim-phrase', { type: 'scripted', script: { source: 'return term.docFreq * 10 + doc.freq;' } });
    const r = await t.client.search({ index: 'sim-phrase', query: { match_phrase: { field: 'bar foo' } } });
    // one phrase occurrence in doc 1: foo (docFreq 1) + bar (docFreq 2), each scored with freq 1
    expect(r.hits.hits.map((h) => [h._id, h._score])).toEqual([['1', 11 + 21]]);
  });

  it("refuses scripts whose scores break SimilarityService's rules, when the index is created", async () => {
    const create = (script: string) => failure(t.client.indices.create({ index: 'sim-bad', settings: settings({ similarity: { s: { type: 'scripted', script: { source: script } } } }) }));
    const cases: Array<[string, string]> = [
      ['return -1;', 'Similarities should not return negative scores:\n'],
      ['return 1.0 / doc.freq;', 'Similarity scores should not decrease when term frequency increases:\n'],
      ['return doc.length;', 'Similarity scores should not increase when norm increases:\n'],
    ];
    for (const [script, reason] of cases) {
      const { status, error } = await create(script);
      expect({ status, type: error.type }).toEqual({ status: 400, type: 'illegal_argument_exception' });
      expect(String(error.reason).startsWith(reason)).toBe(true);
      expect(error.reason).toContain('= doc.freq\n');
    }
    const missing = await failure(t.client.indices.create({ index: 'sim-bad', settings: settings({ similarity: { s: { type: 'scripted' } } }) }));
    expect(missing.error.reason).toBe('must specify either [source] for an inline script or [id] for a stored script');
    expect(await t.client.indices.exists({ index: 'sim-bad' })).toBe(false);
  });

  it('gives the negative explanation lines as Lucene prints them', async () => {
    const { error } = await failure(t.client.indices.create({ index: 'sim-bad', settings: settings({ similarity: { s: { type: 'scripted', script: { source: 'return -1;' } } } }) }));
    const lines = String(error.reason).split('\n');
    expect(lines[1]).toBe(`-1.0 = score from ScriptedSimilarity(weightScript=[null], script=[Script{type=inline, lang='painless', idOrCode='return -1;', options={}, params={}}]) computed from:`);
    expect(lines.slice(2, 11)).toEqual(['  1.0 = weight', '  2.0 = query.boost', '  1100 = field.docCount', '  2000 = field.sumDocFreq', '  3000 = field.sumTotalTermFreq', '  100 = term.docFreq', '  130 = term.totalTermFreq', '  1 = doc.freq', '  20 = doc.length']);
  });
});

interface Expl {
  value: number;
  description: string;
  details?: Expl[];
}

/** The detail lines under the scripted similarity's explanation node. */
function findDetails(e: unknown): Expl[] {
  const node = e as Expl;
  if (node.description.startsWith('score from ScriptedSimilarity')) return node.details ?? [];
  for (const d of node.details ?? []) {
    const found = findDetails(d);
    if (found.length > 0) return found;
  }
  return [];
}
