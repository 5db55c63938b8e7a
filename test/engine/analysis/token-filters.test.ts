import { describe, expect, it } from 'vitest';
import type { TokenFilter } from '../../../src/engine/analysis/analysis-types.js';
import { AsciiFoldingFilter, asciiFold } from '../../../src/engine/analysis/ascii-folding.js';
import { LowercaseFilter, UppercaseFilter, lowercase } from '../../../src/engine/analysis/case-filters.js';
import { KeywordTokenizer, whitespaceTokenizer } from '../../../src/engine/analysis/char-tokenizers.js';
import { porterStemFilter, possessiveFilter } from '../../../src/engine/analysis/english-stemmers.js';
import { NGramTokenFilter } from '../../../src/engine/analysis/ngrams.js';
import { ShingleFilter } from '../../../src/engine/analysis/shingle-filter.js';
import { LengthFilter, TrimFilter, TruncateFilter, UniqueFilter } from '../../../src/engine/analysis/simple-filters.js';
import { ENGLISH_STOP_WORDS, StopFilter } from '../../../src/engine/analysis/stop-filter.js';
import { describeTokens, terms } from './token-helpers.js';

const ws = whitespaceTokenizer();
const run = (text: string, ...filters: TokenFilter[]) =>
  filters.reduce((tokens, f) => f.filter(tokens), ws.tokenize(text));

describe('LowercaseFilter', () => {
  it('lowercases every term and keeps positions, offsets and types', () => {
    expect(describeTokens(run('THE Quick FoX', new LowercaseFilter()))).toEqual([
      'the@0[0-3]word',
      'quick@1[4-9]word',
      'fox@2[10-13]word',
    ]);
  });

  it('lowercases per code point as Java does: no final sigma, İ becomes i', () => {
    expect(lowercase('ΟΔΟΣ')).toBe('οδοσ');
    expect(lowercase('İSTANBUL')).toBe('istanbul');
    expect(lowercase('ÉCOLE Ünïcode')).toBe('école ünïcode');
  });

  it('returns terms that are already lowercase unchanged', () => {
    const term = 'already lowercase';
    expect(lowercase(term)).toBe(term);
  });
});

describe('UppercaseFilter', () => {
  it('uppercases per code point, leaving ß alone as Java does', () => {
    expect(terms(run('straße fox', new UppercaseFilter()))).toEqual(['STRAßE', 'FOX']);
  });
});

describe('StopFilter', () => {
  it('uses the 33 words of Lucene\'s English stop set', () => {
    expect(ENGLISH_STOP_WORDS).toHaveLength(33);
    expect(ENGLISH_STOP_WORDS).toContain('such');
    expect(ENGLISH_STOP_WORDS).not.toContain('i');
  });

  it('removes stop words and leaves their positions empty', () => {
    expect(describeTokens(run('a quick fox jumps over the lazy dog', new StopFilter(ENGLISH_STOP_WORDS)))).toEqual([
      'quick@1[2-7]word',
      'fox@2[8-11]word',
      'jumps@3[12-17]word',
      'over@4[18-22]word',
      'lazy@6[27-31]word',
      'dog@7[32-35]word',
    ]);
  });

  it('is case-sensitive unless ignore_case is set', () => {
    expect(terms(run('The the THE', new StopFilter(['the'])))).toEqual(['The', 'THE']);
    expect(terms(run('The the THE fox', new StopFilter(['the'], true)))).toEqual(['fox']);
  });
});

describe('AsciiFoldingFilter', () => {
  it('folds accented letters and ligatures to ASCII', () => {
    expect(terms(run('açaí à la carte', new AsciiFoldingFilter()))).toEqual(['acai', 'a', 'la', 'carte']);
    expect(asciiFold('Straße Æsir Øre ﬁn “quoted”')).toBe('Strasse AEsir Ore fin "quoted"');
  });

  it('emits the folded token then the original at the same position with preserve_original', () => {
    expect(describeTokens(run('açaí à la', new AsciiFoldingFilter(true)))).toEqual([
      'acai@0[0-4]word',
      'açaí@0[0-4]word',
      'a@1[5-6]word',
      'à@1[5-6]word',
      'la@2[7-9]word',
    ]);
  });
});

describe('NGramTokenFilter', () => {
  it('emits 1- and 2-grams by start then length, at the token position with its offsets', () => {
    expect(describeTokens(run('Quick fox', new NGramTokenFilter({ minGram: 1, maxGram: 2, preserveOriginal: false, edge: false })))).toEqual([
      'Q@0[0-5]word', 'Qu@0[0-5]word', 'u@0[0-5]word', 'ui@0[0-5]word', 'i@0[0-5]word', 'ic@0[0-5]word',
      'c@0[0-5]word', 'ck@0[0-5]word', 'k@0[0-5]word',
      'f@1[6-9]word', 'fo@1[6-9]word', 'o@1[6-9]word', 'ox@1[6-9]word', 'x@1[6-9]word',
    ]);
  });

  it('emits edge n-grams from the start of each token and drops tokens shorter than min_gram', () => {
    const edge = new NGramTokenFilter({ minGram: 2, maxGram: 3, preserveOriginal: false, edge: true });
    expect(describeTokens(run('the quick a', edge))).toEqual(['th@0[0-3]word', 'the@0[0-3]word', 'qu@1[4-9]word', 'qui@1[4-9]word']);
  });

  it('keeps the original after its grams when preserve_original is set and it is out of range', () => {
    const edge = new NGramTokenFilter({ minGram: 2, maxGram: 3, preserveOriginal: true, edge: true });
    expect(terms(run('quick a', edge))).toEqual(['qu', 'qui', 'quick', 'a']);
  });

  it('counts code points, not UTF-16 units', () => {
    const edge = new NGramTokenFilter({ minGram: 1, maxGram: 2, preserveOriginal: false, edge: true });
    expect(terms(run('😀x', edge))).toEqual(['😀', '😀x']);
  });
});

describe('ShingleFilter', () => {
  it('emits unigrams and 2-shingles with positionLength 2 and type shingle', () => {
    const tokens = run('quick brown fox jumps', new ShingleFilter());
    expect(describeTokens(tokens)).toEqual([
      'quick@0[0-5]word',
      'quick brown@0[0-11]shingle',
      'brown@1[6-11]word',
      'brown fox@1[6-15]shingle',
      'fox@2[12-15]word',
      'fox jumps@2[12-21]shingle',
      'jumps@3[16-21]word',
    ]);
    expect(tokens.map((t) => t.positionLength ?? 1)).toEqual([1, 2, 1, 2, 1, 2, 1]);
  });

  it('fills positions left by a stop filter with the filler token (Elasticsearch docs example)', () => {
    const tokens = run('fox jumps a lazy dog', new StopFilter(['a']), new ShingleFilter({ fillerToken: '+' }));
    expect(terms(tokens)).toEqual(['fox', 'fox jumps', 'jumps', 'jumps +', '+ lazy', 'lazy', 'lazy dog', 'dog']);
    expect(tokens.map((t) => t.position)).toEqual([0, 0, 1, 1, 2, 3, 3, 4]);
  });

  it('builds 2- and 3-shingles without unigrams and with a custom separator', () => {
    const shingles = new ShingleFilter({ minShingleSize: 2, maxShingleSize: 3, outputUnigrams: false, tokenSeparator: '_' });
    expect(terms(run('a b c d', shingles))).toEqual(['a_b', 'a_b_c', 'b_c', 'b_c_d', 'c_d']);
  });

  it('outputs unigrams when there is no shingle and output_unigrams_if_no_shingles is set', () => {
    const shingles = new ShingleFilter({ outputUnigrams: false, outputUnigramsIfNoShingles: true });
    expect(terms(run('alone', shingles))).toEqual(['alone']);
    expect(terms(run('alone', new ShingleFilter({ outputUnigrams: false })))).toEqual([]);
  });

  it('rejects a min_shingle_size below 2 or above max_shingle_size', () => {
    expect(() => new ShingleFilter({ minShingleSize: 1 })).toThrow('Min shingle size must be >= 2');
    expect(() => new ShingleFilter({ minShingleSize: 3, maxShingleSize: 2 })).toThrow('Min shingle size must be <= max shingle size');
  });
});

describe('TrimFilter, UniqueFilter, LengthFilter, TruncateFilter', () => {
  it('trims whitespace around a keyword token and keeps its offsets', () => {
    const tokens = new TrimFilter().filter(new KeywordTokenizer().tokenize('  fox '));
    expect(describeTokens(tokens)).toEqual(['fox@0[0-6]word']);
  });

  it('drops repeated terms, keeping the first occurrence', () => {
    expect(describeTokens(run('the fox the dog fox', new UniqueFilter()))).toEqual([
      'the@0[0-3]word',
      'fox@1[4-7]word',
      'dog@3[12-15]word',
    ]);
  });

  it('keeps terms whose length is within min and max', () => {
    expect(terms(run('a bb ccc dddd eeeee', new LengthFilter(2, 4)))).toEqual(['bb', 'ccc', 'dddd']);
  });

  it('truncates terms to the configured length', () => {
    expect(terms(run('hello world ok', new TruncateFilter(3)))).toEqual(['hel', 'wor', 'ok']);
  });
});

describe('english possessive and porter filters', () => {
  it("strip 's then stem, skipping keywords (stem_exclusion)", () => {
    const tokens = run("the dog's running cats jumping", possessiveFilter(), porterStemFilter(new Set(['jumping'])));
    expect(terms(tokens)).toEqual(['the', 'dog', 'run', 'cat', 'jumping']);
  });
});
