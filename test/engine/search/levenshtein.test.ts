import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePoints, editDistance } from '../../../src/engine/search/levenshtein.js';

/** Naive optimal-string-alignment distance (Damerau with adjacent transpositions). */
function osa(a: string[], b: string[], transpositions: boolean): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    const ed = (a: string, b: string, t = true) => editDistance(codePoints(a), codePoints(b), 2, t);
    expect(ed('runing', 'running')).toBe(1);
    expect(ed('shrit', 'shirt')).toBe(1);
    expect(ed('shrit', 'shirt', false)).toBe(2);
    expect(ed('abc', 'xyz')).toBe(3); // capped at max + 1
    expect(ed('héllo', 'hello')).toBe(1); // code points, not bytes
  });

  it('agrees with the naive distance up to the bound', () => {
    const word = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 7 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 2 }), fc.boolean(), (a, b, max, t) => {
        const want = Math.min(osa(a, b, t), max + 1);
        expect(editDistance(a.map((c) => c.codePointAt(0)!), b.map((c) => c.codePointAt(0)!), max, t)).toBe(want);
      }),
      { numRuns: 500 },
    );
  });
});
