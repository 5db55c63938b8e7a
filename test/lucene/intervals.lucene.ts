import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../engine/helpers.js';
import { explained } from './allowed-differences.js';
import { differences, engineAnswer, luceneAnswer } from './compare.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, randomCorpus, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';
import type { Dsl } from './random-queries.js';

/**
 * The `intervals` query judged by Lucene 8.7's intervals package (test/lucene/harness/EsIntervals.java
 * builds what Elasticsearch's IntervalQueryBuilder builds): seeded random rules (match with
 * ordered/max_gaps, all_of, any_of, prefix, wildcard, the eight filters, boosts) over a random
 * corpus, on a field with the standard analyzer and one with the english analyzer (stop words
 * leave holes), must give the same hits, totals, order and scores.
 */

const SPEC = { id: 'iv', seed: 5505, docs: 200 };
const QUERIES = 600;
const FIELDS = { title: 'standard', body: 'english', tag: 'keyword' } as const;
const MAPPINGS = { properties: { title: { type: 'text', analyzer: 'standard' }, body: { type: 'text', analyzer: 'english' }, tag: { type: 'keyword' } } } as const;
const FILTERS = ['containing', 'contained_by', 'not_containing', 'not_contained_by', 'overlapping', 'not_overlapping', 'before', 'after'] as const;

const t = useTestClient();
const lucene = useLuceneHarness();

function words(r: Random, texts: string[]): string {
  const w = pick(r, texts).split(/\s+/).filter(Boolean);
  const n = int(r, 1, Math.min(3, Math.max(1, w.length)));
  const at = int(r, 0, Math.max(0, w.length - n));
  return w.slice(at, at + n).join(' ');
}

function rule(r: Random, texts: string[], depth: number): Dsl {
  const kind = depth >= 2 ? pick(r, ['match', 'match', 'prefix', 'wildcard'] as const) : pick(r, ['match', 'match', 'match', 'all_of', 'any_of', 'prefix', 'wildcard'] as const);
  let body: Dsl;
  switch (kind) {
    case 'match':
      body = { query: words(r, texts) };
      if (r() < 0.5) body.ordered = r() < 0.5;
      if (r() < 0.4) body.max_gaps = int(r, 0, 3);
      break;
    case 'all_of':
    case 'any_of':
      body = { intervals: Array.from({ length: int(r, 2, 3) }, () => rule(r, texts, depth + 1)) };
      if (kind === 'all_of' && r() < 0.5) body.ordered = r() < 0.5;
      if (kind === 'all_of' && r() < 0.4) body.max_gaps = int(r, 0, 3);
      break;
    case 'prefix': {
      const w = words(r, texts).split(' ')[0] as string;
      body = { prefix: [...w].slice(0, int(r, 1, 3)).join('') };
      break;
    }
    case 'wildcard': {
      const w = [...(words(r, texts).split(' ')[0] as string).toLowerCase()];
      body = { pattern: w.map((c) => (r() < 0.25 ? '?' : c)).join('') + (r() < 0.4 ? '*' : '') };
      break;
    }
  }
  if ((kind === 'match' || kind === 'all_of' || kind === 'any_of') && depth < 2 && r() < 0.3) {
    body.filter = { [pick(r, FILTERS)]: rule(r, texts, 2) };
  }
  return { [kind]: body };
}

describe('intervals agree with Lucene', () => {
  it(`${QUERIES} random intervals queries give the same hits, totals, order and scores`, async () => {
    const docs = randomCorpus(SPEC);
    await lucene.corpus(SPEC.id, FIELDS, docs);
    await createIndexWithDocs(t.client, SPEC.id, { settings: { number_of_shards: 1 }, mappings: MAPPINGS }, docs.map(({ _id, ...source }) => [_id, source]));
    const texts = { title: docs.flatMap((d) => (d.title ? [d.title] : [])), body: docs.flatMap((d) => (d.body ? [d.body.slice(0, 200)] : [])) };
    const r = rng(SPEC.seed * 11 + 3);
    const unexplained: string[] = [];
    let withHits = 0;
    for (let n = 0; n < QUERIES; n++) {
      const field = pick(r, ['title', 'body'] as const);
      const spec: Dsl = rule(r, texts[field], 0);
      if (r() < 0.2) spec.boost = pick(r, [2, 0.5, 3.5]);
      const query = { intervals: { [field]: spec } };
      const engine = await engineAnswer(t.client, SPEC.id, query, docs.length);
      const judge = await luceneAnswer(lucene, SPEC.id, query);
      if (!('error' in judge) && judge.hits.length > 0) withHits++;
      for (const d of differences(engine, judge)) if (!explained(query, d)) unexplained.push(`${d.kind}: ${d.detail}\n    query: ${JSON.stringify(query)}`);
    }
    expect(unexplained.slice(0, 10), `${unexplained.length} disagreements`).toEqual([]);
    expect(withHits).toBeGreaterThan(QUERIES / 4);
  });
});
