import { describe, expect, it } from 'vitest';
import { builtInAnalyzer } from '../../../src/engine/analysis/index.js';
import { describeTokens, terms } from './token-helpers.js';

const SENTENCE = "The 2 QUICK Brown-Foxes jumped over the lazy dog's bone.";
const analyze = (name: string, text = SENTENCE) => {
  const analyzer = builtInAnalyzer(name);
  if (!analyzer) throw new Error(`no analyzer ${name}`);
  return analyzer.analyze(text);
};

describe('built-in analyzers', () => {
  it('standard: UAX#29 words, lowercased, no stop words', () => {
    expect(terms(analyze('standard'))).toEqual(['the', '2', 'quick', 'brown', 'foxes', 'jumped', 'over', 'the', 'lazy', "dog's", 'bone']);
    expect(describeTokens(analyze('standard', 'Hello World'))).toEqual(['hello@0[0-5]<ALPHANUM>', 'world@1[6-11]<ALPHANUM>']);
  });

  it('simple: letters only, lowercased', () => {
    expect(terms(analyze('simple'))).toEqual(['the', 'quick', 'brown', 'foxes', 'jumped', 'over', 'the', 'lazy', 'dog', 's', 'bone']);
  });

  it('whitespace: splits on whitespace and keeps case', () => {
    expect(terms(analyze('whitespace'))).toEqual(['The', '2', 'QUICK', 'Brown-Foxes', 'jumped', 'over', 'the', 'lazy', "dog's", 'bone.']);
  });

  it('keyword: the whole input as one token', () => {
    expect(describeTokens(analyze('keyword', 'New York'))).toEqual(['New York@0[0-8]word']);
  });

  it('stop: letters, lowercased, English stop words removed with position gaps', () => {
    const tokens = analyze('stop');
    expect(terms(tokens)).toEqual(['quick', 'brown', 'foxes', 'jumped', 'over', 'lazy', 'dog', 's', 'bone']);
    expect(tokens.map((t) => t.position)).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10]);
  });

  it('english: possessives removed, lowercased, stop words removed, Porter-stemmed', () => {
    const tokens = analyze('english');
    expect(terms(tokens)).toEqual(['2', 'quick', 'brown', 'fox', 'jump', 'over', 'lazi', 'dog', 'bone']);
    expect(tokens.map((t) => t.position)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10]);
  });

  it('use a position increment gap of 100 between values, as Elasticsearch', () => {
    expect(builtInAnalyzer('standard')?.positionIncrementGap).toBe(100);
  });

  it('are undefined for names that are not built in', () => {
    expect(builtInAnalyzer('nope')).toBeUndefined();
  });
});
