import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HdrHistogram } from '../../../src/engine/search/aggs/metrics/hdr-histogram.js';

/**
 * The hdr method against Java's HdrHistogram 2.1.9: fixtures/hdr-2.1.9-cases.jsonl holds random
 * cases (values per shard, 0 to 5 significant digits, zeros, ranges from 1e-3 to 1e6 and 2^-20 to
 * 2^20) recorded and reduced by the real DoubleHistogram as Elasticsearch reduces shards
 * (fixtures/HdrCases.java), with its percentiles and percentile ranks.
 */

interface Case {
  digits: number;
  shards: number[][];
  p: Array<number | null>;
  ranksAt: number[];
  ranks: Array<number | null>;
}

const here = dirname(fileURLToPath(import.meta.url));
const cases = readFileSync(join(here, 'fixtures/hdr-2.1.9-cases.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Case);
const PERCENTS = [0, 1, 5, 25, 50, 75, 95, 99, 99.9, 100];

describe('HdrHistogram (DoubleHistogram as Elasticsearch merges it)', () => {
  it('gives the percentiles Java gives, bit for bit', () => {
    let compared = 0;
    for (const c of cases) {
      const h = new HdrHistogram(c.digits);
      for (const shard of c.shards) for (const v of shard) h.record(v);
      if (h.totalCount === 0) continue;
      expect(PERCENTS.map((p) => h.valueAtPercentile(p))).toEqual(c.p);
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('gives the percentile ranks Java gives', () => {
    for (const c of cases) {
      const h = new HdrHistogram(c.digits);
      for (const shard of c.shards) for (const v of shard) h.record(v);
      if (h.totalCount === 0) continue;
      expect(c.ranksAt.map((v) => h.percentileAtOrBelow(v))).toEqual(c.ranks);
    }
  });

  it('reports the unit of the smallest value: 51 and 101 with 3 digits are 32/1024 wide at the top of their cells', () => {
    const h = new HdrHistogram(3);
    for (const v of [51, 101, 151]) h.record(v);
    // L = 32 (the largest power of two at or below 51), one unit = 32 / 1024
    expect(h.valueAtPercentile(50)).toBe(101 + 0.0625 - 0.03125);
    expect(h.valueAtPercentile(1)).toBe(51);
  });

  it('refuses negative values, which Java cannot record', () => {
    const h = new HdrHistogram(3);
    expect(() => h.record(-1)).toThrow(/negative/);
  });
});
