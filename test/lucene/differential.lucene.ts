import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../engine/helpers.js';
import { LuceneHarness } from './lucene-harness.js';
import type { Token } from './lucene-harness.js';
import { int, randomCorpus, randomText, rng } from './random-corpus.js';
import type { CorpusSpec } from './random-corpus.js';
import { randomQuery } from './random-queries.js';
import { explained } from './allowed-differences.js';
import { declaredRefusal, differences, engineAnswer, explainAgainstLucene, luceneAnswer, termPools } from './compare.js';

/**
 * Real Lucene as the second judge of the embedded engine (`npm run test:lucene`). Seeded random
 * corpora go into the engine (through the real client) and into Lucene 8.7 with
 * LegacyBM25Similarity (test/lucene/harness); seeded random queries run on both, and every
 * answer must agree: analysis (tokens, offsets, positions, types), hit sets, totals, order and
 * scores to 5 significant digits. Score ties (within 1e-5 relative) may come in any order; exact
 * ties break by doc id in both (one shard, one segment, documents in insertion order).
 * A disagreement fails the run unless allowed-differences.ts explains it.
 */

const CORPORA: CorpusSpec[] = [
  { id: 'c1', seed: 1101, docs: 60 },
  { id: 'c2', seed: 2202, docs: 220 },
  { id: 'c3', seed: 3303, docs: 450 },
];
const QUERIES_PER_CORPUS = 800;
/** Queries per corpus whose `explain: true` output is compared with Lucene's Explanation (term, match, match_phrase). */
const EXPLAINED_PER_CORPUS = 60;
const ANALYSIS_TEXTS = 1000;

const FIELDS = { title: 'standard', body: 'english', tag: 'keyword' } as const;
const MAPPINGS = {
  properties: { title: { type: 'text', analyzer: 'standard' }, body: { type: 'text', analyzer: 'english' }, tag: { type: 'keyword' } },
} as const;

const t = useTestClient();
let lucene: LuceneHarness;
const compared = { generated: 0, queries: 0, withHits: 0, refusedByBoth: 0, declaredRefusals: new Map<string, number>(), hits: 0, explanations: 0, allowed: new Map<string, number>() };

beforeAll(() => {
  lucene = LuceneHarness.start();
});
afterAll(async () => {
  await lucene?.close();
  console.log(
    `lucene differential: ${compared.generated} random queries, ${compared.queries} compared (${compared.withHits} with hits, ${compared.refusedByBoth} refused by both), ${compared.hits} hits, ${compared.explanations} explanations;` +
      ` declared refusals (400 naming the feature): ${[...compared.declaredRefusals].map(([k, n]) => `${k} x${n}`).join(', ') || 'none'};` +
      ` allowed differences: ${compared.allowed.size === 0 ? 'none' : [...compared.allowed].map(([k, n]) => `${k} x${n}`).join(', ')}`,
  );
});


describe('analysis agrees with Lucene', () => {
  it('gives the same tokens, offsets, positions and types for the standard and english analyzers', async () => {
    const r = rng(4404);
    const texts = [
      '',
      'The QUICK brown fox\'s jumps; e-mail foo@bar.com at www.example.org, 3.14 and 1,000 x86_64 C++ U.S.A.',
      'Straße café naïve über élan 北京 東京大学 ひらがな wi-fi 42nd don\'t o\'neil',
      `${'x'.repeat(300)} tail`,
      'emoji 😀👍🏽 ok; 한국어 텍스트; ภาษาไทย; カタカナ; 1.2.3 a_b it’s rock’n’roll http://example.com:8080/a?b=c',
      'FOXES’ dogs\' Cat\'s RUNNING Studies generalizations relational 2nd-hand',
      ...Array.from({ length: ANALYSIS_TEXTS }, () => randomText(r, int(r, 1, 40))),
    ];
    const diffs: string[] = [];
    for (const text of texts) {
      for (const analyzer of ['standard', 'english'] as const) {
        const want = await lucene.analyze(analyzer, text);
        const res = await t.client.indices.analyze({ analyzer, text });
        const got: Token[] = (res.tokens ?? []).map((k) => [k.token, k.start_offset, k.end_offset, k.position, k.type]);
        if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${analyzer} ${JSON.stringify(text)}: engine ${JSON.stringify(got)}, lucene ${JSON.stringify(want)}`);
      }
    }
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});

describe('search agrees with Lucene (LegacyBM25Similarity)', () => {
  for (const spec of CORPORA) {
    it(`corpus ${spec.id} (${spec.docs} docs, seed ${spec.seed}): ${QUERIES_PER_CORPUS} random queries give the same hits, totals, order and scores`, async () => {
      const docs = randomCorpus(spec);
      await lucene.corpus(spec.id, FIELDS, docs);
      await createIndexWithDocs(t.client, spec.id, { settings: { number_of_shards: 1 }, mappings: MAPPINGS }, docs.map(({ _id, ...source }) => [_id, source]));
      const pools = await termPools(lucene, docs);
      const r = rng(spec.seed * 7 + 1);
      const unexplained: string[] = [];
      for (let n = 0; n < QUERIES_PER_CORPUS; n++) {
        const query = randomQuery(r, pools);
        const [engine, judge] = [await engineAnswer(t.client, spec.id, query, docs.length), await luceneAnswer(lucene, spec.id, query)];
        compared.generated++;
        if (declaredRefusal(engine) && 'error' in engine && !('error' in judge)) {
          const feature = engine.error.replace(/^400 /, '').replace(/ is not supported by the indexkit embedded engine.*/, '');
          compared.declaredRefusals.set(feature, (compared.declaredRefusals.get(feature) ?? 0) + 1);
          continue;
        }
        compared.queries++;
        if ('error' in engine && 'error' in judge) compared.refusedByBoth++;
        if (!('error' in judge)) compared.hits += judge.hits.length;
        if (!('error' in judge) && judge.hits.length > 0) compared.withHits++;
        for (const d of differences(engine, judge)) {
          const why = explained(query, d);
          if (why) compared.allowed.set(why, (compared.allowed.get(why) ?? 0) + 1);
          else unexplained.push(`${d.kind}: ${d.detail}\n    query: ${JSON.stringify(query)}`);
        }
      }
      expect(unexplained.slice(0, 12), `${unexplained.length} unexplained disagreements`).toEqual([]);

      // explain: true on BM25 leaves (term, match, match_phrase) is Lucene's Explanation as Elasticsearch prints it
      const explainDiffs: string[] = [];
      let explainedQueries = 0;
      for (let n = 0; explainedQueries < EXPLAINED_PER_CORPUS && n < EXPLAINED_PER_CORPUS * 50; n++) {
        const query = randomQuery(r, pools, 2);
        if (!['term', 'match', 'match_phrase'].includes(Object.keys(query)[0] as string)) continue;
        const { hits, diffs } = await explainAgainstLucene(t.client, lucene, spec.id, query, 3);
        if (hits === 0) continue;
        explainedQueries++;
        compared.explanations += hits;
        explainDiffs.push(...diffs);
      }
      expect(explainDiffs.slice(0, 8), `${explainDiffs.length} explanations differ`).toEqual([]);
    });
  }

  it('compared at least 2,000 queries over 3 corpora (declared refusals not counted)', () => {
    expect(CORPORA.length).toBeGreaterThanOrEqual(3);
    expect(compared.queries).toBeGreaterThanOrEqual(2000);
  });
});
