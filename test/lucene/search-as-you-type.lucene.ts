import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../engine/helpers.js';
import { differences, engineAnswer, luceneAnswer } from './compare.js';
import type { Dsl } from './random-queries.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';

/**
 * search_as_you_type's subfield analysis judged by Lucene 8.7: FixedShingleFilter(n, " ", "")
 * for `._<n>gram`, and for `._index_prefix` an end position increment of max_shingle_size - 1,
 * the largest shingles and EdgeNGramTokenFilter(1, 20, preserveOriginal), over the standard and
 * the english analyzer (whose stop words leave holes, leading and trailing ones included). The
 * engine's `_analyze` of each subfield must give Lucene's terms, offsets and positions.
 */

const WORDS = ['the', 'a', 'of', 'and', 'is', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dogs', 'Running', 'x', 'supercalifragilisticexpialidocious', 'café', '42', 'U.S.A.'];
const TEXTS = 300;

const t = useTestClient();
const lucene = useLuceneHarness();

describe('search_as_you_type analysis agrees with Lucene', () => {
  it(`${TEXTS} random texts give the same shingle and prefix tokens on every subfield`, async () => {
    await t.client.indices.create({
      index: 'sayt',
      mappings: {
        properties: {
          s: { type: 'search_as_you_type', analyzer: 'standard', max_shingle_size: 4 },
          e: { type: 'search_as_you_type', analyzer: 'english' },
          e2: { type: 'search_as_you_type', analyzer: 'english', max_shingle_size: 2 },
        },
      },
    });
    const fields = [['s', 'standard', 4], ['e', 'english', 3], ['e2', 'english', 2]] as const;
    const r = rng(4242);
    const diffs: string[] = [];
    let tokens = 0;
    for (let n = 0; n < TEXTS; n++) {
      const text = Array.from({ length: int(r, 1, 7) }, () => pick(r, WORDS)).join(' ');
      const [field, analyzer, max] = pick(r, fields);
      for (let size = 2; size <= max + 1; size++) {
        const prefix = size > max;
        const sub = prefix ? `${field}._index_prefix` : `${field}._${size}gram`;
        const want = (await lucene.sayt(analyzer, prefix ? max : size, prefix, text)).map(([term, start, end, position]) => [term, start, end, position]);
        const res = await t.client.indices.analyze({ index: 'sayt', field: sub, text });
        const got = (res.tokens ?? []).map((tk) => [tk.token, tk.start_offset, tk.end_offset, tk.position]);
        tokens += want.length;
        if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${sub} ${JSON.stringify(text)}\n  engine ${JSON.stringify(got)}\n  lucene ${JSON.stringify(want)}`);
      }
    }
    expect(diffs.slice(0, 5), `${diffs.length} texts differ`).toEqual([]);
    expect(tokens).toBeGreaterThan(TEXTS * 10);
  });
});

const VOCABULARY = ['quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'foxes', 'brownie', 'jumper', 'quiet', 'dot', 'do', 'over', 'ovens', 'lamp', 'laser'];

describe('search_as_you_type queries agree with Lucene', () => {
  it('match_bool_prefix, match_phrase and match_phrase_prefix score as the subfield queries Elasticsearch builds', async () => {
    const r = rng(99);
    const docs = Array.from({ length: 150 }, (_, i) => ({ _id: String(i), t: Array.from({ length: int(r, 1, 9) }, () => pick(r, VOCABULARY)).join(' ') }));
    await lucene.corpus('sayt', { t: 'standard+sayt' }, docs);
    await createIndexWithDocs(t.client, 'sayt-q', { settings: { number_of_shards: 1 }, mappings: { properties: { t: { type: 'search_as_you_type', analyzer: 'standard' } } } }, docs.map(({ _id, ...source }) => [_id, source]));
    const diffs: string[] = [];
    let withHits = 0;
    for (let n = 0; n < 300; n++) {
      const words = pick(r, docs).t.split(' ');
      const len = int(r, 1, Math.min(3, words.length));
      const at = int(r, 0, words.length - len);
      const picked = words.slice(at, at + len);
      const last = picked[picked.length - 1] as string;
      const partial = last.slice(0, int(r, 1, last.length));
      const kind = pick(r, ['bool_prefix', 'phrase', 'phrase_prefix', 'prefix_term'] as const);
      let engine: Dsl;
      let judge: Dsl;
      if (kind === 'bool_prefix') {
        // MatchBoolPrefixQuery: the whole words as term queries, the last as ._index_prefix in a ConstantScoreQuery
        engine = { match_bool_prefix: { t: [...picked.slice(0, -1), partial].join(' ') } };
        const should: Dsl[] = picked.slice(0, -1).map((w) => ({ term: { t: w } }));
        should.push({ constant_score: { filter: { term: { 't._index_prefix': partial } } } });
        judge = { bool: { should } };
      } else if (kind === 'phrase') {
        engine = { match_phrase: { t: picked.join(' ') } };
        judge = picked.length === 1 ? { term: { t: last } } : { term: { [`t._${picked.length}gram`]: picked.join(' ') } };
      } else if (kind === 'phrase_prefix') {
        // one position: the root's own prefix expansion; a last shingle past 20 characters expands on the shingle field
        if (picked.length === 1 || [...picked.slice(0, -1), partial].join(' ').length > 20) continue;
        engine = { match_phrase_prefix: { t: [...picked.slice(0, -1), partial].join(' ') } };
        judge = { term: { 't._index_prefix': [...picked.slice(0, -1), partial].join(' ') } };
      } else {
        engine = { term: { 't._index_prefix': [...picked.slice(0, -1), partial].join(' ') } };
        judge = engine;
      }
      const got = await engineAnswer(t.client, 'sayt-q', engine, docs.length);
      const want = await luceneAnswer(lucene, 'sayt', judge);
      if (!('error' in want) && want.hits.length > 0) withHits++;
      for (const d of differences(got, want)) diffs.push(`${d.kind}: ${d.detail}\n    query: ${JSON.stringify(engine)}`);
    }
    expect(diffs.slice(0, 5), `${diffs.length} disagreements`).toEqual([]);
    expect(withHits).toBeGreaterThan(200);
  });
});
