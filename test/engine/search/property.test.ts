import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refIndex } from './reference-index.js';
import { encodedLength } from '../../../src/engine/search/index.js';
import { idf, search, tf } from './helpers.js';

/**
 * Matching against a naive model: random documents over a tiny vocabulary, random bool and
 * phrase queries; the engine's hit set must equal the set computed directly from the texts.
 */
const VOCAB = ['a', 'b', 'c', 'd'];
const docArb = fc.array(fc.constantFrom(...VOCAB), { minLength: 0, maxLength: 8 });

type Q = { t: 'term'; w: string } | { t: 'bool'; must: Q[]; should: Q[]; not: Q[]; msm?: number } | { t: 'phrase'; ws: string[] };

const qArb: fc.Arbitrary<Q> = fc.letrec<{ q: Q }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('term' as const), w: fc.constantFrom(...VOCAB) }),
    fc.record({ t: fc.constant('phrase' as const), ws: fc.array(fc.constantFrom(...VOCAB), { minLength: 2, maxLength: 3 }) }),
    fc.record({
      t: fc.constant('bool' as const),
      must: fc.array(tie('q'), { maxLength: 2 }),
      should: fc.array(tie('q'), { maxLength: 3 }),
      not: fc.array(tie('q'), { maxLength: 1 }),
      msm: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    }),
  ),
})).q;

function toDsl(q: Q): Record<string, unknown> {
  if (q.t === 'term') return { term: { body: q.w } };
  if (q.t === 'phrase') return { match_phrase: { body: q.ws.join(' ') } };
  return {
    bool: {
      must: q.must.map(toDsl),
      should: q.should.map(toDsl),
      must_not: q.not.map(toDsl),
      ...(q.msm !== undefined ? { minimum_should_match: q.msm } : {}),
    },
  };
}

/**
 * Elasticsearch 8 semantics (Lucene's BooleanQuery), the same in query and filter context: should
 * clauses are optional beside must unless minimum_should_match asks for some (also when there
 * are fewer should clauses than asked: nothing matches); without must, one should must match; a
 * bool of only must_not clauses gets a match_all filter and loses its minimum_should_match.
 */
function matches(q: Q, words: string[]): boolean {
  if (q.t === 'term') return words.includes(q.w);
  if (q.t === 'phrase') return words.some((_, i) => q.ws.every((w, k) => words[i + k] === w));
  // a bool without clauses is match_all
  if (q.must.length + q.should.length + q.not.length === 0) return true;
  if (q.not.some((c) => matches(c, words))) return false;
  if (q.must.length + q.should.length === 0) return true;
  if (!q.must.every((c) => matches(c, words))) return false;
  const shouldHits = q.should.filter((c) => matches(c, words)).length;
  const msm = q.msm !== undefined && q.msm > 0 ? q.msm : q.must.length === 0 ? 1 : 0;
  return shouldHits >= msm;
}

describe('matching agrees with a naive model', () => {
  it('bool, term and phrase queries', () => {
    fc.assert(
      fc.property(fc.array(docArb, { minLength: 1, maxLength: 12 }), qArb, (texts, q) => {
        const idx = refIndex('p', { body: { type: 'text' } }, texts.map((t, i) => ({ id: String(i), source: { body: t.join(' ') } })));
        const r = search(idx, { query: toDsl(q), size: 100 });
        const got = r.hits.hits.map((h) => h._id).sort();
        const want = texts.map((t, i) => (matches(q, t) ? String(i) : null)).filter((x): x is string => x !== null).sort();
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});

describe('scores agree with the BM25 formula', () => {
  it('for single terms over random documents, long fields included', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...VOCAB), { minLength: 0, maxLength: 60 }), { minLength: 1, maxLength: 10 }), fc.constantFrom(...VOCAB), (texts, w) => {
        const idx = refIndex('s', { body: { type: 'text' } }, texts.map((t, i) => ({ id: String(i), source: { body: t.join(' ') } })));
        const r = search(idx, { query: { term: { body: w } }, size: 100 });
        const withField = texts.filter((t) => t.length > 0);
        const avgdl = withField.reduce((a, t) => a + t.length, 0) / withField.length;
        const df = texts.filter((t) => t.includes(w)).length;
        for (const h of r.hits.hits) {
          const t = texts[Number(h._id)] as string[];
          const freq = t.filter((x) => x === w).length;
          const want = idf(df, withField.length) * tf(freq, encodedLength(t.length), avgdl);
          expect(h._score).toBeCloseTo(want, 5);
        }
        expect(r.hits.hits.length).toBe(df);
      }),
      { numRuns: 200 },
    );
  });
});

describe('sloppy phrases', () => {
  it('match when the terms fit in a window of slop moves (distinct terms), as brute force finds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...VOCAB, 'x'), { minLength: 0, maxLength: 7 }), { minLength: 1, maxLength: 8 }),
        fc.shuffledSubarray(VOCAB, { minLength: 2, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (texts, phrase, slop) => {
          const idx = refIndex('sp', { body: { type: 'text' } }, texts.map((t, i) => ({ id: String(i), source: { body: t.join(' ') } })));
          const got = search(idx, { query: { match_phrase: { body: { query: phrase.join(' '), slop } } }, size: 100 }).hits.hits.map((h) => h._id).sort();
          // brute force: pick a position for each phrase term; the spread of (position - offset) must be <= slop
          const fits = (t: string[]): boolean => {
            const options = phrase.map((w, k) => t.flatMap((x, p) => (x === w ? [p - k] : [])));
            const rec = (k: number, lo: number, hi: number): boolean =>
              k === options.length ? hi - lo <= slop : (options[k] as number[]).some((v) => rec(k + 1, Math.min(lo, v), Math.max(hi, v)));
            return rec(0, Infinity, -Infinity);
          };
          const want = texts.map((t, i) => (fits(t) ? String(i) : null)).filter((x): x is string => x !== null).sort();
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lets a repeated term use one position twice', () => {
    const idx = refIndex('rep', { body: { type: 'text' } }, [
      { id: 'once', source: { body: 'a b' } },
      { id: 'twice', source: { body: 'a x a' } },
      { id: 'adjacent', source: { body: 'a a' } },
    ]);
    const r = search(idx, { query: { match_phrase: { body: { query: 'a a', slop: 1 } } } });
    expect(r.hits.hits.map((h) => h._id).sort()).toEqual(['adjacent', 'twice']);
  });
});
