import { describe, expect, it } from 'vitest';
import { minimumShouldMatch } from '../../../src/engine/search/index.js';

describe('minimumShouldMatch (ES Queries.calculateMinShouldMatch)', () => {
  it('takes integers, negative integers and percentages (truncating toward zero)', () => {
    expect(minimumShouldMatch(5, '2')).toBe(2);
    expect(minimumShouldMatch(5, '-1')).toBe(4);
    expect(minimumShouldMatch(5, '75%')).toBe(3); // 3.75 -> 3
    expect(minimumShouldMatch(5, '-25%')).toBe(4); // -1.25 -> -1 -> 5 - 1
    expect(minimumShouldMatch(3, '-10')).toBe(0); // never negative
    expect(minimumShouldMatch(3, '7')).toBe(7); // more than the clauses: nothing matches
    expect(minimumShouldMatch(10, ' 100% ')).toBe(10);
  });

  it('applies conditional specs: below or at the bound everything is required', () => {
    // 3<90%: up to 3 clauses all required, above that 90%
    expect(minimumShouldMatch(3, '3<90%')).toBe(3);
    expect(minimumShouldMatch(4, '3<90%')).toBe(3); // 3.6 -> 3
    expect(minimumShouldMatch(10, '3<90%')).toBe(9);
    // 2<-25% 9<-3: 1-2 clauses all, 3-9 all but 25%, above 9 all but 3
    expect(minimumShouldMatch(2, '2<-25% 9<-3')).toBe(2);
    expect(minimumShouldMatch(8, '2<-25% 9<-3')).toBe(6);
    expect(minimumShouldMatch(12, '2 < -25%  9 < -3')).toBe(9);
  });

  it('rejects a malformed spec', () => {
    expect(() => minimumShouldMatch(3, 'abc')).toThrow(/minimum_should_match/);
  });
});
