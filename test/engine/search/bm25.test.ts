import { describe, expect, it } from 'vitest';
import { byte4ToInt, encodedLength, intToByte4 } from '../../../src/engine/search/index.js';
import { refIndex } from './reference-index.js';
import { idf, scoreOf, search, tf } from './helpers.js';

const docs = [
  { id: '1', source: { title: 'The quick brown fox' } }, // 4 tokens
  { id: '2', source: { title: 'The lazy dog' } }, // 3 tokens
  { id: '3', source: { title: 'Quick quick fox jumps over the lazy dog' } }, // 8 tokens
];
const index = refIndex('docs', { title: { type: 'text' } }, docs);
// docCount = 3, sumTotalTermFreq = 4 + 3 + 8 = 15, avgdl = 5
const avgdl = 5;

describe('SmallFloat norms', () => {
  it('keeps lengths below 24 exact and 4 significant bits above', () => {
    for (let i = 0; i < 24; i++) expect(byte4ToInt(intToByte4(i))).toBe(i);
    // 100 - 24 = 76 = 0b1001100: keeps 1001 << 3 = 72, + 24 = 96
    expect(encodedLength(100)).toBe(96);
    expect(encodedLength(25)).toBe(25);
    // 24 + 0b100000 (32) stays exact; 24 + 33 = 57 rounds down to 24 + 32 = 56
    expect(encodedLength(56)).toBe(56);
    expect(encodedLength(57)).toBe(56);
    expect(intToByte4(2147483647)).toBe(255);
  });
  it('is monotonic', () => {
    let prev = -1;
    for (let i = 0; i < 5000; i++) {
      const b = intToByte4(i);
      expect(b).toBeGreaterThanOrEqual(prev);
      prev = b;
    }
  });
});

describe('BM25 as Elasticsearch 8 computes it (LegacyBM25Similarity)', () => {
  it('scores a single term with idf * tf and the norm-decoded length', () => {
    const r = search(index, { query: { match: { title: 'quick' } } });
    // docFreq(quick) = 2 of docCount 3: idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6) = 0.4700036
    // LegacyBM25Similarity (Elasticsearch 8's default) multiplies by k1 + 1 = 2.2:
    // doc 1: freq 1, dl 4: tf = 2.2 * 1 / (1 + 1.2 * (0.25 + 0.75 * 4 / 5)) = 2.2 / 2.02 = 1.0891089 -> 0.5118852
    // doc 3: freq 2, dl 8: tf = 2.2 * 2 / (2 + 1.2 * (0.25 + 0.75 * 8 / 5)) = 4.4 / 3.74 = 1.1764706 -> 0.5529454
    expect(r.hits.hits.map((h) => h._id)).toEqual(['3', '1']);
    expect(scoreOf(r, '1')).toBeCloseTo(0.5118852, 6);
    expect(scoreOf(r, '3')).toBeCloseTo(0.5529454, 6);
    expect(scoreOf(r, '1')).toBeCloseTo(idf(2, 3) * tf(1, 4, avgdl), 6);
    expect(r.hits.max_score).toBeCloseTo(0.5529454, 6);
  });

  it('sums the clauses of a disjunction and multiplies by boost', () => {
    const r = search(index, { query: { match: { title: { query: 'lazy fox', boost: 2 } } } });
    // lazy: df 2 (docs 2, 3); fox: df 2 (docs 1, 3); both idf = ln(1.6)
    // doc 3 (dl 8) has both once: 2 * idf * tf(1, 8) * boost 2
    const i = idf(2, 3);
    expect(scoreOf(r, '3')).toBeCloseTo(2 * (2 * i * tf(1, 8, avgdl)), 5);
    expect(scoreOf(r, '2')).toBeCloseTo(2 * i * tf(1, 3, avgdl), 5);
    expect(scoreOf(r, '1')).toBeCloseTo(2 * i * tf(1, 4, avgdl), 5);
  });

  it('uses the lossy one-byte length for long fields', () => {
    const long = Array.from({ length: 99 }, (_, k) => `w${k}`).join(' ');
    const idx = refIndex('long', { body: { type: 'text' } }, [
      { id: 'a', source: { body: `needle ${long}` } }, // 100 tokens -> decoded 96
      { id: 'b', source: { body: 'needle hay' } }, // 2 tokens
    ]);
    const r = search(idx, { query: { term: { body: 'needle' } } });
    // avgdl = (100 + 2) / 2 = 51; doc a uses dl = 96 (SmallFloat), not 100
    const i = idf(2, 2);
    expect(scoreOf(r, 'a')).toBeCloseTo(i * tf(1, 96, 51), 6);
    expect(scoreOf(r, 'b')).toBeCloseTo(i * tf(1, 2, 51), 6);
  });

  it('scores a phrase with the summed idf of its terms and the phrase frequency', () => {
    const r = search(index, { query: { match_phrase: { title: 'lazy dog' } } });
    // lazy df 2, dog df 2 -> idf sum = 2 ln(1.6); phrase freq 1 in docs 2 (dl 3) and 3 (dl 8)
    expect(scoreOf(r, '2')).toBeCloseTo(2 * idf(2, 3) * tf(1, 3, avgdl), 5);
    expect(scoreOf(r, '3')).toBeCloseTo(2 * idf(2, 3) * tf(1, 8, avgdl), 5);
  });

  it('scores a sloppy phrase with freq = sum of 1 / (1 + matchLength)', () => {
    const r = search(index, { query: { match_phrase: { title: { query: 'quick fox', slop: 2 } } } });
    // doc 1 "the quick brown fox": quick@1 fox@3 -> matchLength 1 -> freq 0.5
    // doc 3 "quick quick fox ...": quick@0,1 fox@2 -> the best window quick@1 fox@2 is exact -> freq 1
    const i = idf(2, 3) * 2;
    expect(scoreOf(r, '1')).toBeCloseTo(i * tf(0.5, 4, avgdl), 5);
    expect(scoreOf(r, '3')).toBeCloseTo(i * tf(1, 8, avgdl), 5);
  });

  it('gives constant_score and filters a score of boost', () => {
    const r = search(index, { query: { constant_score: { filter: { term: { title: 'fox' } }, boost: 1.5 } } });
    expect(r.hits.hits.map((h) => h._score)).toEqual([1.5, 1.5]);
    const f = search(index, { query: { bool: { filter: { term: { title: 'fox' } } } } });
    expect(f.hits.hits.map((h) => h._score)).toEqual([0, 0]);
  });

  it('reports scores as Java floats print', () => {
    const r = search(index, { query: { match: { title: 'quick' } } });
    const s = scoreOf(r, '1');
    expect(String(s).replace('0.', '').length).toBeLessThanOrEqual(9);
    // float arithmetic (as Lucene) may differ from the double formula in the last float ulp
    expect(Math.abs(s - idf(2, 3) * tf(1, 4, avgdl))).toBeLessThan(1e-7);
  });

  it('scores keyword terms without norms (dl = 1) and avgdl = sumDocFreq / docCount', () => {
    const kw = refIndex('kw', { tag: { type: 'keyword' } }, [
      { id: 'a', source: { tag: ['x', 'y'] } },
      { id: 'b', source: { tag: 'y' } },
      { id: 'c', source: { tag: 'x' } },
      { id: 'd', source: {} },
    ]);
    const r = search(kw, { query: { term: { tag: 'x' } } });
    // docCount 3 (docs with the field), sumDocFreq = 2 (x) + 2 (y) = 4 -> avgdl 4/3; df(x) = 2
    // every doc has norm byte 1 -> dl = 1: score = idf(2, 3) * 1 / (1 + 1.2 * (0.25 + 0.75 * 1 / (4/3)))
    expect(scoreOf(r, 'a')).toBeCloseTo(idf(2, 3) * tf(1, 1, 4 / 3), 5);
    expect(scoreOf(r, 'c')).toBeCloseTo(idf(2, 3) * tf(1, 1, 4 / 3), 5);
  });
});
