import { describe, expect, it } from 'vitest';
import { KeywordTokenizer, letterTokenizer, lowercaseTokenizer, whitespaceTokenizer } from '../../../src/engine/analysis/char-tokenizers.js';
import { NGramTokenizer, tokenCharPredicate } from '../../../src/engine/analysis/ngrams.js';
import { describeTokens, terms } from './token-helpers.js';

const SENTENCE = "The 2 QUICK Brown-Foxes jumped over the lazy dog's bone.";

describe('letter and lowercase tokenizers', () => {
  it('split on every non-letter, as the Elasticsearch docs show', () => {
    expect(terms(letterTokenizer().tokenize(SENTENCE))).toEqual([
      'The', 'QUICK', 'Brown', 'Foxes', 'jumped', 'over', 'the', 'lazy', 'dog', 's', 'bone',
    ]);
    expect(terms(lowercaseTokenizer().tokenize(SENTENCE))).toEqual([
      'the', 'quick', 'brown', 'foxes', 'jumped', 'over', 'the', 'lazy', 'dog', 's', 'bone',
    ]);
  });

  it('report offsets into the input and the type word', () => {
    expect(describeTokens(lowercaseTokenizer().tokenize('Héllo, Wörld'))).toEqual(['héllo@0[0-5]word', 'wörld@1[7-12]word']);
  });
});

describe('whitespace tokenizer', () => {
  it('splits on whitespace only', () => {
    expect(terms(whitespaceTokenizer().tokenize(SENTENCE))).toEqual([
      'The', '2', 'QUICK', 'Brown-Foxes', 'jumped', 'over', 'the', 'lazy', "dog's", 'bone.',
    ]);
  });

  it('splits tokens longer than max_token_length', () => {
    expect(terms(whitespaceTokenizer(3).tokenize('abcdefg hi'))).toEqual(['abc', 'def', 'g', 'hi']);
  });

  it('does not split on a no-break space, as Java\'s isWhitespace', () => {
    expect(terms(whitespaceTokenizer().tokenize('a\u00a0b c\u2003d'))).toEqual(['a\u00a0b', 'c', 'd']);
  });
});

describe('keyword tokenizer', () => {
  it('emits the whole input as one token, even when empty', () => {
    expect(describeTokens(new KeywordTokenizer().tokenize('New York'))).toEqual(['New York@0[0-8]word']);
    expect(describeTokens(new KeywordTokenizer().tokenize(''))).toEqual(['@0[0-0]word']);
  });
});

describe('NGramTokenizer', () => {
  it('emits 1- and 2-grams of the whole text, each at its own position (docs example)', () => {
    const tokenizer = new NGramTokenizer({ minGram: 1, maxGram: 2, isTokenChar: tokenCharPredicate([]), edge: false });
    expect(terms(tokenizer.tokenize('Quick Fox'))).toEqual([
      'Q', 'Qu', 'u', 'ui', 'i', 'ic', 'c', 'ck', 'k', 'k ', ' ', ' F', 'F', 'Fo', 'o', 'ox', 'x',
    ]);
    expect(tokenizer.tokenize('Quick Fox').map((t) => t.position)).toEqual([...Array(17).keys()]);
  });

  it('keeps grams within runs of token_chars', () => {
    const tokenizer = new NGramTokenizer({ minGram: 3, maxGram: 3, isTokenChar: tokenCharPredicate(['letter', 'digit']), edge: false });
    expect(describeTokens(tokenizer.tokenize('2 Quick Foxes.'))).toEqual([
      'Qui@0[2-5]word', 'uic@1[3-6]word', 'ick@2[4-7]word', 'Fox@3[8-11]word', 'oxe@4[9-12]word', 'xes@5[10-13]word',
    ]);
  });

  it('emits edge n-grams from the start of each run (docs example)', () => {
    const edge = new NGramTokenizer({ minGram: 2, maxGram: 10, isTokenChar: tokenCharPredicate(['letter', 'digit']), edge: true });
    expect(terms(edge.tokenize('2 Quick Foxes.'))).toEqual(['Qu', 'Qui', 'Quic', 'Quick', 'Fo', 'Fox', 'Foxe', 'Foxes']);
    const defaults = new NGramTokenizer({ minGram: 1, maxGram: 2, isTokenChar: tokenCharPredicate([]), edge: true });
    expect(terms(defaults.tokenize('Quick Fox'))).toEqual(['Q', 'Qu']);
  });

  it('supports custom_token_chars', () => {
    const tokenizer = new NGramTokenizer({ minGram: 2, maxGram: 2, isTokenChar: tokenCharPredicate(['letter', 'custom'], '+-'), edge: true });
    expect(terms(tokenizer.tokenize('c++ is x'))).toEqual(['c+', 'is']);
  });

  it('rejects min_gram greater than max_gram', () => {
    expect(() => new NGramTokenizer({ minGram: 3, maxGram: 2, isTokenChar: () => true, edge: false })).toThrow(/minGram must not be greater than maxGram/);
  });
});
