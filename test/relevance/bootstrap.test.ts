import { describe, expect, it } from 'vitest';
import { RelevanceError } from '../../src/errors.js';
import { bootstrapInterval, pairedDifferenceInterval, quantile, seededRandom } from '../../src/relevance/bootstrap.js';

describe('bootstrap intervals', () => {
  it('reads quantiles between ranks as R type 7 does', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([7], 0.3)).toBe(7);
  });

  it('draws the same numbers from the same seed, in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const drawsA = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(drawsA);
    expect(drawsA.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = drawsA.reduce((s, x) => s + x, 0) / drawsA.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    expect(seededRandom(43)()).not.toBe(seededRandom(42)());
  });

  it('gives the mean as estimate and a seeded, repeatable interval around it', () => {
    const scores = [0.2, 0.9, 0.5, 1, 0, 0.7, 0.3, 0.6];
    const ci = bootstrapInterval(scores, { seed: 7 });
    expect(ci.estimate).toBeCloseTo(0.525, 12);
    expect(ci).toEqual(bootstrapInterval(scores, { seed: 7 }));
    expect(ci.low).toBeLessThan(ci.estimate);
    expect(ci.high).toBeGreaterThan(ci.estimate);
    expect(ci.low).toBeGreaterThanOrEqual(0);
    expect(ci.high).toBeLessThanOrEqual(1);
    expect(ci).toMatchObject({ confidence: 0.95, resamples: 1000 });
    // a narrower confidence gives a narrower interval
    const narrow = bootstrapInterval(scores, { seed: 7, confidence: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(ci.high - ci.low);
  });

  it('matches the interval worked out by hand for two terms scoring 0 and 1', () => {
    // resample means are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4: the 2.5% and 97.5% quantiles are 0 and 1
    expect(bootstrapInterval([0, 1], { seed: 3 })).toMatchObject({ estimate: 0.5, low: 0, high: 1 });
    // at 40% coverage (quantiles 0.3 and 0.7) both ends fall in the middle half: 0.5
    expect(bootstrapInterval([0, 1], { seed: 3, confidence: 0.4 })).toMatchObject({ low: 0.5, high: 0.5 });
    // constant scores: no spread at all
    const flat = bootstrapInterval([0.4, 0.4, 0.4]);
    for (const value of [flat.estimate, flat.low, flat.high]) expect(value).toBeCloseTo(0.4, 15);
  });

  it('covers the true mean about as often as it claims', () => {
    // 200 samples of 40 uniform scores (true mean 0.5): a 90% interval should miss it about 20 times
    const random = seededRandom(2024);
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      const scores = Array.from({ length: 40 }, () => random());
      const ci = bootstrapInterval(scores, { seed: trial + 1, confidence: 0.9, resamples: 500 });
      if (ci.low <= 0.5 && 0.5 <= ci.high) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.8);
    expect(covered / 200).toBeLessThan(0.97);
  });

  it('pairs two sides term by term: a constant gain has a zero-width interval', () => {
    const before = [0.1, 0.9, 0.4, 0.7, 0.2];
    const after = before.map((s) => s + 0.1);
    const diff = pairedDifferenceInterval(before, after, { seed: 5 });
    expect(diff.estimate).toBeCloseTo(0.1, 12);
    expect(diff.low).toBeCloseTo(0.1, 12);
    expect(diff.high).toBeCloseTo(0.1, 12);
  });

  it('sees a small consistent gain that two separate intervals cannot tell apart', () => {
    const random = seededRandom(11);
    const before = Array.from({ length: 60 }, () => random());
    const after = before.map((s) => Math.min(1, s + 0.02 + (random() - 0.5) * 0.01));
    const a = bootstrapInterval(before, { seed: 1 });
    const b = bootstrapInterval(after, { seed: 1 });
    expect(a.high).toBeGreaterThan(b.low); // the two intervals overlap
    const diff = pairedDifferenceInterval(before, after, { seed: 1 });
    expect(diff.low).toBeGreaterThan(0); // the paired one excludes no change
    expect(diff.estimate).toBeCloseTo(b.estimate - a.estimate, 12);
  });

  it('refuses empty, mismatched or non-finite scores and bad settings', () => {
    expect(() => bootstrapInterval([])).toThrow(RelevanceError);
    expect(() => bootstrapInterval([])).toThrow(/needs at least one search term/);
    expect(() => bootstrapInterval([0.5, Number.NaN])).toThrow(/scores\[1\] is NaN/);
    expect(() => pairedDifferenceInterval([1, 2], [1])).toThrow(/2 before, 1 after/);
    expect(() => bootstrapInterval([1], { resamples: 0 })).toThrow(/resamples is 0/);
    expect(() => bootstrapInterval([1], { confidence: 95 })).toThrow(/confidence is 95, expected a number between 0 and 1/);
  });
});
