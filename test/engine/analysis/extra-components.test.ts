import { describe, expect, it } from 'vitest';
import { analyzeRequest, builtInAnalyzer, createAnalysisRegistry } from '../../../src/engine/analysis/index.js';
import { EngineError } from '../../../src/engine/errors.js';
import { terms } from './token-helpers.js';

/** Terms of an `_analyze` request without an index. */
const analyzeTerms = (body: Record<string, unknown>): string[] =>
  (analyzeRequest(undefined, body).tokens as Array<{ token: string }>).map((t) => t.token);

describe('pattern tokenizer and analyzer', () => {
  it('split on \\W+ by default (docs example)', () => {
    expect(analyzeTerms({ tokenizer: 'pattern', text: "The foo_bar_size's default is 5." })).toEqual(['The', 'foo_bar_size', 's', 'default', 'is', '5']);
  });

  it('emit a capture group of each match when group is set', () => {
    const body = { tokenizer: { type: 'pattern', pattern: '"((?:\\\\"|[^"]|\\\\")+)"', group: 1 }, text: 'comma,separated,"values with ""quotes"""' };
    expect(analyzeTerms({ ...body, text: '"value", "value with embedded \\" quote"' })).toEqual(['value', 'value with embedded \\" quote']);
  });

  it('lowercase by default in the pattern analyzer', () => {
    expect(terms(builtInAnalyzer('pattern')?.analyze("The 2 QUICK Brown-Foxes jumped over the lazy dog's bone.") ?? [])).toEqual([
      'the', '2', 'quick', 'brown', 'foxes', 'jumped', 'over', 'the', 'lazy', 'dog', 's', 'bone',
    ]);
  });

  it('report an invalid pattern as a pattern_syntax_exception', () => {
    let error: unknown;
    try {
      analyzeRequest(undefined, { tokenizer: { type: 'pattern', pattern: '(' }, text: 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).type).toBe('pattern_syntax_exception');
  });
});

describe('char_group tokenizer', () => {
  it('splits on the listed characters and classes (docs example)', () => {
    expect(analyzeTerms({ tokenizer: { type: 'char_group', tokenize_on_chars: ['whitespace', '-', '\\n'] }, text: 'The QUICK brown-fox' })).toEqual([
      'The', 'QUICK', 'brown', 'fox',
    ]);
  });
});

describe('pattern_replace', () => {
  it('rewrites the text before tokenizing as a char filter (docs example)', () => {
    const body = { tokenizer: 'standard', char_filter: [{ type: 'pattern_replace', pattern: '(\\d+)-(?=\\d)', replacement: '$1_' }], text: 'My credit card is 123-456-789' };
    expect(analyzeRequest(undefined, body).tokens).toEqual([
      { token: 'My', start_offset: 0, end_offset: 2, type: '<ALPHANUM>', position: 0 },
      { token: 'credit', start_offset: 3, end_offset: 9, type: '<ALPHANUM>', position: 1 },
      { token: 'card', start_offset: 10, end_offset: 14, type: '<ALPHANUM>', position: 2 },
      { token: 'is', start_offset: 15, end_offset: 17, type: '<ALPHANUM>', position: 3 },
      { token: '123_456_789', start_offset: 18, end_offset: 29, type: '<NUM>', position: 4 },
    ]);
  });

  it('rewrites terms as a token filter (docs example)', () => {
    expect(analyzeTerms({ tokenizer: 'whitespace', filter: [{ type: 'pattern_replace', pattern: '(dog)', replacement: 'watch$1' }], text: 'foxes jump lazy dogs' })).toEqual([
      'foxes', 'jump', 'lazy', 'watchdogs',
    ]);
  });

  it('requires a pattern', () => {
    expect(() => createAnalysisRegistry({ analysis: { char_filter: { p: { type: 'pattern_replace' } } } })).toThrow(
      "pattern is missing for [p] char filter of type 'pattern_replace'",
    );
  });
});

describe('keyword_marker', () => {
  it('protects keywords from the stemmer that follows (docs example)', () => {
    expect(analyzeTerms({ tokenizer: 'whitespace', filter: [{ type: 'keyword_marker', keywords: ['jumping'] }, 'stemmer'], text: 'fox running and jumping' })).toEqual([
      'fox', 'run', 'and', 'jumping',
    ]);
    expect(analyzeTerms({ tokenizer: 'whitespace', filter: [{ type: 'keyword_marker', keywords_pattern: '.*ing' }, 'porter_stem'], text: 'running foxes' })).toEqual([
      'running', 'fox',
    ]);
  });
});

describe('fingerprint', () => {
  it('sorts, de-duplicates and joins the terms as one token (docs examples)', () => {
    expect(analyzeTerms({ tokenizer: 'whitespace', filter: ['fingerprint'], text: 'zebra jumps over resting resting dog' })).toEqual(['dog jumps over resting zebra']);
    expect(terms(builtInAnalyzer('fingerprint')?.analyze('Yes yes, Gödel said this sentence is consistent and.') ?? [])).toEqual([
      'and consistent godel is said sentence this yes',
    ]);
  });
});

describe('decimal_digit and elision', () => {
  it('turn any decimal digit into 0-9 (docs example)', () => {
    expect(analyzeTerms({ tokenizer: 'whitespace', filter: ['decimal_digit'], text: '१-one two-२ ३ 𝟗' })).toEqual(['1-one', 'two-2', '3', '9']);
  });

  it('remove elided French articles (docs example)', () => {
    expect(analyzeTerms({ tokenizer: 'standard', filter: ['elision'], text: 'j’examine près du wharf' })).toEqual(['examine', 'près', 'du', 'wharf']);
  });
});
