import { describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { createIndexWithDocs, useTestClient } from '../engine/helpers.js';
import { useLuceneHarness } from './lucene-harness.js';
import { randomCorpus, rng } from './random-corpus.js';
import { explained } from './allowed-differences.js';
import { declaredRefusal, differences, engineAnswer, explainAgainstLucene, luceneAnswer, termPools } from './compare.js';
import { randomQuery } from './random-queries.js';

/**
 * Every similarity Elasticsearch 8 builds from `index.similarity.*` (SimilarityProviders), judged
 * by real Lucene 8.7 with the same similarity: a seeded random corpus indexed in both (the engine
 * through `index.similarity.default`, Lucene through IndexWriterConfig/IndexSearcher.setSimilarity),
 * seeded random queries (terms, matches, phrases, bool, dis_max, multi_match, fuzzy, spans...),
 * and the same hits, totals, order and scores to 5 significant digits. Norms are the one-byte
 * SmallFloat length every Lucene similarity writes. Lucene 8.7 and 9 agree on these formulas
 * (the monotonic DFR/IB forms of LUCENE-8015 are in both).
 */

const FIELDS = { title: 'standard', body: 'english', tag: 'keyword' } as const;
const MAPPINGS = {
  properties: { title: { type: 'text', analyzer: 'standard' }, body: { type: 'text', analyzer: 'english' }, tag: { type: 'keyword' } },
} as const;

const SIMILARITIES: Array<Record<string, string>> = [
  { type: 'BM25', k1: '2.1', b: '0.3' },
  { type: 'BM25', k1: '0', b: '1' },
  { type: 'boolean' },
  { type: 'DFR', basic_model: 'g', after_effect: 'l', normalization: 'h2' },
  { type: 'DFR', basic_model: 'if', after_effect: 'b', normalization: 'h1', 'normalization.h1.c': '3.5' },
  { type: 'DFR', basic_model: 'in', after_effect: 'l', normalization: 'h3', 'normalization.h3.c': '900' },
  { type: 'DFR', basic_model: 'ine', after_effect: 'b', normalization: 'z', 'normalization.z.z': '0.25' },
  { type: 'DFR', basic_model: 'g', after_effect: 'b', normalization: 'no' },
  { type: 'IB', distribution: 'll', lambda: 'df', normalization: 'h2', 'normalization.h2.c': '2' },
  { type: 'IB', distribution: 'spl', lambda: 'ttf', normalization: 'h1' },
  { type: 'IB', distribution: 'spl', lambda: 'df', normalization: 'z' },
  { type: 'DFI', independence_measure: 'standardized' },
  { type: 'DFI', independence_measure: 'saturated' },
  { type: 'DFI', independence_measure: 'chisquared' },
  { type: 'LMDirichlet' },
  { type: 'LMDirichlet', mu: '50' },
  { type: 'LMJelinekMercer', lambda: '0.7' },
  { type: 'LMJelinekMercer' },
];
const QUERIES = 150;
const EXPLAINED = 15;

const t = useTestClient();
const lucene = useLuceneHarness();

describe('similarities agree with Lucene', () => {
  SIMILARITIES.forEach((similarity, i) => {
    it(`${JSON.stringify(similarity)}: ${QUERIES} random queries give Lucene's hits and scores`, async () => {
      const id = `sim${i}`;
      const spec = { id, seed: 5100 + i, docs: 120 };
      const docs = randomCorpus(spec);
      await lucene.corpus(id, FIELDS, docs, similarity);
      // the client types a similarity group by its type's parameters; these are the string values Elasticsearch keeps
      const settings = { number_of_shards: 1, similarity: { default: similarity } } as unknown as estypes.IndicesIndexSettings;
      await createIndexWithDocs(t.client, id, { settings, mappings: MAPPINGS }, docs.map(({ _id, ...source }) => [_id, source]));
      const pools = await termPools(lucene, docs);
      const r = rng(spec.seed * 7 + 1);
      const unexplained: string[] = [];
      let compared = 0;
      for (let n = 0; n < QUERIES; n++) {
        const query = randomQuery(r, pools);
        const [engine, judge] = [await engineAnswer(t.client, id, query, docs.length), await luceneAnswer(lucene, id, query)];
        if (declaredRefusal(engine) && 'error' in engine && !('error' in judge)) continue;
        compared++;
        for (const d of differences(engine, judge)) {
          if (!explained(query, d)) unexplained.push(`${d.kind}: ${d.detail}\n    query: ${JSON.stringify(query)}`);
        }
      }
      expect(unexplained.slice(0, 8), `${unexplained.length} unexplained disagreements`).toEqual([]);
      expect(compared).toBeGreaterThan(QUERIES / 2);

      // explain: true on term, match and match_phrase leaves reads as Lucene's Explanation
      const explainDiffs: string[] = [];
      let explainedQueries = 0;
      for (let n = 0; explainedQueries < EXPLAINED && n < EXPLAINED * 50; n++) {
        const query = randomQuery(r, pools, 2);
        if (!['term', 'match', 'match_phrase'].includes(Object.keys(query)[0] as string)) continue;
        const { hits, diffs } = await explainAgainstLucene(t.client, lucene, id, query, 3);
        if (hits === 0) continue;
        explainedQueries++;
        explainDiffs.push(...diffs);
      }
      expect(explainDiffs.slice(0, 4), `${explainDiffs.length} explanations differ`).toEqual([]);
    });
  });
});

/**
 * `discount_overlaps: false` (BM25): the norm counts the tokens at the position of the one before
 * (word_delimiter_graph's parts beside the preserved original: `wi-fi` is `wi-fi`, `wi` at one
 * position and `fi` at the next), as Lucene's LegacyBM25Similarity with setDiscountOverlaps(false)
 * writes it. The same corpus with the default (true) scores differently, so the test can tell.
 */
describe('BM25 discount_overlaps agrees with Lucene', () => {
  const WDG = { tokenizer: { name: 'whitespace' }, filters: [{ name: 'wordDelimiterGraph', params: { preserveOriginal: '1' } }, { name: 'lowercase' }] };
  const settingsFor = (overlaps: string): estypes.IndicesIndexSettings =>
    ({
      number_of_shards: 1,
      similarity: { default: { type: 'BM25', discount_overlaps: overlaps } },
      analysis: { filter: { wdg: { type: 'word_delimiter_graph', preserve_original: true } }, analyzer: { wdg: { type: 'custom', tokenizer: 'whitespace', filter: ['wdg', 'lowercase'] } } },
    }) as unknown as estypes.IndicesIndexSettings;
  const VOCAB = ['wi-fi', 'e-mail', 'state-of-the-art', 'x86_64', 'v2', '42nd', 'PowerShot', 'fox', 'dog', 'search', 'engine', 'data'];
  const TERMS = ['wi-fi', 'wi', 'fi', 'e', 'mail', 'state', 'art', 'x86_64', 'x', '86', '64', 'v', '2', 'powershot', 'power', 'shot', 'fox', 'dog', 'search', 'engine', 'data'];

  async function scores(overlaps: string): Promise<Map<string, string>> {
    const id = `overlaps_${overlaps}`;
    const r = rng(7700);
    const docs = Array.from({ length: 60 }, (_, i) => ({ _id: `d${i}`, title: Array.from({ length: 2 + Math.floor(r() * 8) }, () => VOCAB[Math.floor(r() * VOCAB.length)]).join(' ') }));
    await lucene.corpus(id, { title: `chain:${JSON.stringify(WDG)}` }, docs, { type: 'BM25', discount_overlaps: overlaps });
    await createIndexWithDocs(t.client, id, { settings: settingsFor(overlaps), mappings: { properties: { title: { type: 'text', analyzer: 'wdg' } } } }, docs.map(({ _id, ...source }) => [_id, source]));
    const out = new Map<string, string>();
    const queries = [...TERMS.map((term) => ({ term: { title: term } })), { bool: { should: [{ term: { title: 'wi' } }, { term: { title: 'fox' } }, { term: { title: 'art' } }] } }];
    for (const query of queries) {
      const [engine, judge] = [await engineAnswer(t.client, id, query, docs.length), await luceneAnswer(lucene, id, query)];
      expect(differences(engine, judge), JSON.stringify(query)).toEqual([]);
      out.set(JSON.stringify(query), JSON.stringify(engine));
    }
    return out;
  }

  it('counts overlapping tokens in the norm as Lucene does, and the default does not', async () => {
    const counted = await scores('false');
    const discounted = await scores('true');
    expect([...counted.keys()].filter((q) => counted.get(q) !== discounted.get(q)).length).toBeGreaterThan(5);
  });
});
