import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../engine/helpers.js';
import { differences, engineAnswer, luceneAnswer } from './compare.js';
import { useLuceneHarness } from './lucene-harness.js';
import { WORDS, int, pick, randomText, rng } from './random-corpus.js';
import type { Dsl } from './random-queries.js';

/**
 * more_like_this judged by Lucene 8.7's own MoreLikeThis (lucene-queries): like texts on one
 * field, term selection by ClassicSimilarity tf-idf through its priority queue (ties broken by
 * java.util.HashMap's iteration order, which small `max_query_terms` make visible), noise words,
 * boosted terms, and the selected terms' bool (minimum_should_match applied) scored by BM25. Every
 * document has the field, so Lucene's per-field docCount equals XMoreLikeThis's numDocs. A third of
 * the queries like artificial documents instead (`{doc}` items, read through term vectors: the
 * harness hands Lucene each value as its sorted term vector, the order XMoreLikeThis inserts terms
 * in; given the raw text, Lucene inserts them in token order and two ties in one HashMap bucket
 * were then kept differently).
 */

const CORPUS = 'mlt';
const DOCS = 300;
const QUERIES = 300;
const FIELDS = { title: 'standard', body: 'standard' } as const;
const STOP = ['the', 'a', 'of', 'and', 'fox', 'dog'];

const t = useTestClient();
const lucene = useLuceneHarness();

describe('more_like_this agrees with Lucene', () => {
  it(`${QUERIES} random like texts and artificial documents select the same terms and give the same hits, totals, order and scores`, async () => {
    const r = rng(4242);
    const vocab = [...WORDS].sort(() => r() - 0.5);
    const docs = Array.from({ length: DOCS }, (_, i) => ({ _id: `d${i}`, title: randomText(r, int(r, 1, 8), vocab), body: randomText(r, int(r, 1, 40), vocab) }));
    await lucene.corpus(CORPUS, FIELDS, docs);
    await createIndexWithDocs(
      t.client,
      CORPUS,
      { settings: { number_of_shards: 1 }, mappings: { properties: { title: { type: 'text', analyzer: 'standard' }, body: { type: 'text', analyzer: 'standard' } } } },
      docs.map(({ _id, ...source }) => [_id, source]),
    );
    const disagreements: string[] = [];
    let withHits = 0;
    for (let n = 0; n < QUERIES; n++) {
      const field = pick(r, ['title', 'body'] as const);
      const texts = Array.from({ length: int(r, 1, 3) }, () => (r() < 0.7 ? pick(r, docs)[field] : randomText(r, int(r, 3, 60), vocab)));
      // a third as artificial documents: XMoreLikeThis's per-field queue over their term vectors
      const like = r() < 0.33 ? texts.map((text) => ({ doc: { [field]: text } })) : texts;
      const options: Record<string, unknown> = {
        min_term_freq: pick(r, [0, 1, 1, 2]),
        min_doc_freq: pick(r, [0, 1, 2, 5, 5]),
        max_query_terms: pick(r, [1, 2, 3, 5, 8, 25]),
      };
      if (r() < 0.2) options.boost_terms = pick(r, [1, 2.5]);
      if (r() < 0.15) options.min_word_length = int(r, 2, 4);
      if (r() < 0.15) options.max_word_length = int(r, 3, 6);
      if (r() < 0.15) options.max_doc_freq = int(r, 5, 60);
      if (r() < 0.15) options.stop_words = STOP;
      if (r() < 0.2) options.minimum_should_match = pick(r, ['1', '50%', '-1']);
      if (r() < 0.1) options.boost = 3;
      const query: Dsl = { more_like_this: { fields: [field], like, ...options } };
      const engine = await engineAnswer(t.client, CORPUS, query, DOCS);
      const judge = await luceneAnswer(lucene, CORPUS, query);
      if (!('error' in judge) && judge.hits.length > 0) withHits++;
      for (const d of differences(engine, judge)) disagreements.push(`${d.kind}: ${d.detail}\n    query: ${JSON.stringify(query)}`);
    }
    expect(disagreements.slice(0, 10), `${disagreements.length} disagreements`).toEqual([]);
    expect(withHits).toBeGreaterThan(QUERIES / 2);
  });
});
