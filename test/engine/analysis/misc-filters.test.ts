import { describe, expect, it } from 'vitest';
import { createAnalysisRegistry } from '../../../src/engine/analysis/index.js';
import { analyzeRequest } from '../../../src/engine/analysis/analyze-request.js';
import { describeTokens, engineError, terms } from './token-helpers.js';

const analyze = (filter: Record<string, unknown>, text: string, tokenizer = 'whitespace', extra: Record<string, unknown> = {}) => {
  const registry = createAnalysisRegistry({
    analysis: { filter: { f: filter, ...extra }, analyzer: { a: { tokenizer, filter: ['f'] } } },
  });
  return (registry.analyzer('a') as NonNullable<ReturnType<typeof registry.analyzer>>).analyze(text);
};

describe('condition and predicate_token_filter', () => {
  it('runs the named filters on the tokens the script accepts', () => {
    const tokens = analyze({ type: 'condition', filter: ['lowercase'], script: { source: 'token.term.length() > 5' } }, 'Vorsprung Durch Technik');
    expect(terms(tokens)).toEqual(['vorsprung', 'Durch', 'technik']);
  });

  it('reads position, increments, offsets, type and keyword', () => {
    const source = 'token.position >= 1 && token.positionIncrement > 0 && token.startOffset > 0 && token.endOffset > 0 && (token.positionLength == 1 || token.type == "a" || token.keyword)';
    const tokens = analyze({ type: 'condition', filter: ['lowercase'], script: { source } }, 'Vorsprung Durch Technik');
    expect(terms(tokens)).toEqual(['Vorsprung', 'durch', 'technik']);
  });

  it('a term is a CharSequence: equal to no String, as in Elasticsearch', () => {
    expect(terms(analyze({ type: 'predicate_token_filter', script: { source: "token.term == 'b'" } }, 'a b c'))).toEqual([]);
    expect(terms(analyze({ type: 'predicate_token_filter', script: { source: "token.term.toString() == 'b'" } }, 'a b c'))).toEqual(['b']);
  });

  it('keeps positions of the tokens it keeps', () => {
    expect(describeTokens(analyze({ type: 'predicate_token_filter', script: { source: 'token.position >= 2' } }, 'a b c d'))).toEqual(['c@2[4-5]word', 'd@3[6-7]word']);
  });

  it('refuses a filter that does not exist, an empty list and a stored script', () => {
    expect(engineError(() => analyze({ type: 'condition', filter: ['nope'], script: { source: 'true' } }, 'x')).message).toContain('refers to undefined token filter [nope]');
    expect(engineError(() => analyze({ type: 'condition', filter: [], script: { source: 'true' } }, 'x')).message).toContain('Empty list of filters provided to tokenfilter [f]');
    expect(engineError(() => analyze({ type: 'predicate_token_filter', script: { id: 'x' } }, 'x')).message).toContain('Cannot use stored scripts in tokenfilter [f]');
  });

  it('finds filters defined after it', () => {
    const tokens = analyze({ type: 'condition', filter: ['up'], script: { source: "token.type == 'word'" } }, 'a b', 'whitespace', { up: { type: 'uppercase' } });
    expect(terms(tokens)).toEqual(['A', 'B']);
  });
});

describe('multiplexer', () => {
  it('emits the original and each branch at the same position, without duplicates', () => {
    const tokens = analyze({ type: 'multiplexer', filters: ['lowercase', 'lowercase, porter_stem'] }, 'Home Running');
    expect(describeTokens(tokens)).toEqual(['Home@0[0-4]word', 'home@0[0-4]word', 'Running@1[5-12]word', 'running@1[5-12]word', 'run@1[5-12]word']);
  });

  it('without the original, one branch sees the whole stream', () => {
    expect(terms(analyze({ type: 'multiplexer', filters: ['uppercase'], preserve_original: false }, 'a a b'))).toEqual(['A', 'A', 'B']);
  });
});

describe('common_grams', () => {
  it('adds bigrams around common words', () => {
    const tokens = analyze({ type: 'common_grams', common_words: ['the', 'of'] }, 'the quick of brown');
    expect(describeTokens(tokens)).toEqual([
      'the@0[0-3]word', 'the_quick@0[0-9]gram', 'quick@1[4-9]word', 'quick_of@1[4-12]gram', 'of@2[10-12]word', 'of_brown@2[10-18]gram', 'brown@3[13-18]word',
    ]);
  });

  it('in query mode keeps the bigrams and the unigrams no bigram covers', () => {
    const tokens = analyze({ type: 'common_grams', common_words: ['the'], query_mode: true }, 'the quick fox');
    expect(terms(tokens)).toEqual(['the_quick', 'quick', 'fox']);
  });

  it('needs words', () => {
    expect(engineError(() => analyze({ type: 'common_grams' }, 'x')).message).toContain('missing or empty [common_words]');
  });
});

describe('dictionary_decompounder', () => {
  it('adds the dictionary words found inside long tokens', () => {
    const tokens = analyze({ type: 'dictionary_decompounder', word_list: ['Donau', 'dampf', 'schiff', 'fahrt'] }, 'Donaudampfschiff x');
    expect(describeTokens(tokens)).toEqual(['Donaudampfschiff@0[0-16]word', 'Donau@0[0-16]word', 'dampf@0[0-16]word', 'schiff@0[0-16]word', 'x@1[17-18]word']);
  });
});

describe('min_hash', () => {
  it('emits hashes at position 0 over the whole text', () => {
    const tokens = analyze({ type: 'min_hash', bucket_count: 4 }, 'a b c');
    expect(tokens).toHaveLength(4);
    expect(tokens.every((t) => t.position === 0 && t.startOffset === 0 && t.endOffset === 5 && t.type === 'MIN_HASH' && t.term.length === 8)).toBe(true);
  });
});

describe('classic tokenizer', () => {
  const classic = (text: string, filter: string[] = []) =>
    createAnalysisRegistry({ analysis: { analyzer: { a: { tokenizer: 'classic', filter } } } }).analyzer('a')?.analyze(text) ?? [];

  it('types words, apostrophes, acronyms, companies, e-mails, hosts, numbers and CJ', () => {
    expect(describeTokens(classic("O'Reilly's I.B.M. AT&T john.doe@mail.example.com www.example.com 3.14 1-2-3 中文 abc.def."))).toEqual([
      "O'Reilly's@0[0-10]<APOSTROPHE>", 'I.B.M.@1[11-17]<ACRONYM>', 'AT&T@2[18-22]<COMPANY>', 'john.doe@mail.example.com@3[23-48]<EMAIL>',
      'www.example.com@4[49-64]<HOST>', '3.14@5[65-69]<HOST>', '1-2-3@6[70-75]<NUM>', '中@7[76-77]<CJ>', '文@8[77-78]<CJ>', 'abc.def@9[79-87]<HOST>',
    ]);
  });

  it('with the classic filter drops possessives and acronym dots', () => {
    expect(terms(classic("O'Reilly's I.B.M.", ['classic']))).toEqual(["O'Reilly", 'IBM']);
  });

  it('stays linear on long runs no rule completes', () => {
    const text = 'a_'.repeat(20_000);
    const started = performance.now();
    expect(classic(text)).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('simple_pattern and simple_pattern_split', () => {
  const run = (type: string, pattern: string, text: string) =>
    createAnalysisRegistry({ analysis: { tokenizer: { t: { type, pattern } }, analyzer: { a: { tokenizer: 't' } } } }).analyzer('a')?.analyze(text) ?? [];

  it('match and split on a Lucene regexp', () => {
    expect(terms(run('simple_pattern', '[abcdef0123456789]{4}', 'a6bf fooo ff61'))).toEqual(['a6bf', 'ff61']);
    expect(terms(run('simple_pattern_split', '==', 'foo==bar'))).toEqual(['foo', 'bar']);
  });

  it('stay linear where every position starts a long failing scan', () => {
    const started = performance.now();
    expect(run('simple_pattern', 'a*b', 'a'.repeat(200_000))).toEqual([]);
    expect(run('simple_pattern_split', 'a*b', 'a'.repeat(200_000))).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('_analyze explain', () => {
  it('lists the tokens after each stage of an ad-hoc chain, with Lucene attributes', () => {
    const r = analyzeRequest(undefined, { text: 'Running Dogs', tokenizer: 'whitespace', filter: ['lowercase', { type: 'stemmer', language: 'english' }], explain: true }) as {
      detail: { custom_analyzer: boolean; tokenizer: { name: string; tokens: Array<Record<string, unknown>> }; tokenfilters: Array<{ name: string; tokens: Array<Record<string, unknown>> }> };
    };
    expect(r.detail.custom_analyzer).toBe(true);
    expect(r.detail.tokenizer.name).toBe('whitespace');
    expect(r.detail.tokenizer.tokens[0]).toEqual({ token: 'Running', start_offset: 0, end_offset: 7, type: 'word', position: 0, bytes: '[52 75 6e 6e 69 6e 67]', positionLength: 1, termFrequency: 1 });
    expect(r.detail.tokenfilters.map((f) => f.name)).toEqual(['lowercase', '__anonymous__stemmer']);
    expect(r.detail.tokenfilters[1]?.tokens.map((t) => [t.token, t.keyword])).toEqual([['run', false], ['dog', false]]);
  });

  it('reports a pre-built analyzer whole, and only the attributes asked for', () => {
    const r = analyzeRequest(undefined, { text: 'Hi', analyzer: 'standard', explain: true, attributes: ['bytes'] });
    expect(r).toEqual({ detail: { custom_analyzer: false, analyzer: { name: 'standard', tokens: [{ token: 'hi', start_offset: 0, end_offset: 2, type: '<ALPHANUM>', position: 0, bytes: '[68 69]' }] } } });
  });
});
