import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
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
