import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DisjunctionScorer } from '../../../src/engine/search/boolean-scorers.js';
import { HeapDisjunctionScorer } from '../../../src/engine/search/heap-disjunction.js';
import { DocListScorer, NO_MORE_DOCS } from '../../../src/engine/search/scorer.js';
import type { Scorer } from '../../../src/engine/search/scorer.js';

const listArb = fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 20 }).map((a) => Int32Array.from(a.sort((x, y) => x - y)));

function run(s: Scorer, targets: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let t = 0;
  for (let d = s.nextDoc(); d !== NO_MORE_DOCS; ) {
    out.push([d, s.score()]);
    const jump = targets[t++];
    d = jump !== undefined && jump > 0 ? s.advance(d + jump) : s.nextDoc();
  }
  return out;
}

describe('HeapDisjunctionScorer', () => {
  it('iterates, advances and scores exactly as the linear disjunction', () => {
    fc.assert(
      fc.property(
        fc.array(listArb, { minLength: 1, maxLength: 16 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(-1, 0, 0.3),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 30 }),
        (lists, msm, tie, jumps) => {
          const make = () => lists.map((l, i) => new DocListScorer(l, 1 + i / 8));
          expect(run(new HeapDisjunctionScorer(make(), msm, tie), jumps)).toEqual(run(new DisjunctionScorer(make(), msm, tie), jumps));
        },
      ),
      { numRuns: 300 },
    );
  });
});
