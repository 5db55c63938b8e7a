import { describe, expect, it } from 'vitest';
import { analyzeRequest, builtInAnalyzer, createAnalysisRegistry, keywordAnalyzer } from '../../../src/engine/analysis/index.js';
import { engineError } from './token-helpers.js';


const registry = createAnalysisRegistry({
  analysis: {
    analyzer: { my: { type: 'custom', tokenizer: 'whitespace', filter: ['lowercase', 'my_stop'] } },
    filter: { my_stop: { type: 'stop', stopwords: ['the'] } },
    normalizer: { lc: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
  },
});

describe('analyzeRequest', () => {
  it('answers with the _analyze response shape for a named analyzer', () => {
    expect(analyzeRequest(undefined, { analyzer: 'standard', text: 'Hello World' })).toEqual({
      tokens: [
        { token: 'hello', start_offset: 0, end_offset: 5, type: '<ALPHANUM>', position: 0 },
        { token: 'world', start_offset: 6, end_offset: 11, type: '<ALPHANUM>', position: 1 },
      ],
    });
  });

  it('uses the standard analyzer when no component is named', () => {
    expect(analyzeRequest(undefined, { text: 'Foo' })).toEqual({
      tokens: [{ token: 'foo', start_offset: 0, end_offset: 3, type: '<ALPHANUM>', position: 0 }],
    });
  });

  it('uses the index analyzers, keeping stop-word gaps in positions', () => {
    expect(analyzeRequest(registry, { analyzer: 'my', text: 'The QUICK Fox' })).toEqual({
      tokens: [
        { token: 'quick', start_offset: 4, end_offset: 9, type: 'word', position: 1 },
        { token: 'fox', start_offset: 10, end_offset: 13, type: 'word', position: 2 },
      ],
    });
  });

  it('continues positions after the gap of 100 and offsets after a gap of 1 for several texts', () => {
    const response = analyzeRequest(registry, { analyzer: 'standard', text: ['a b', 'c'] });
    expect(response.tokens).toEqual([
      { token: 'a', start_offset: 0, end_offset: 1, type: '<ALPHANUM>', position: 0 },
      { token: 'b', start_offset: 2, end_offset: 3, type: '<ALPHANUM>', position: 1 },
      { token: 'c', start_offset: 4, end_offset: 5, type: '<ALPHANUM>', position: 102 },
    ]);
  });

  it('counts trailing stop words in the position gap, as Lucene end() does', () => {
    const response = analyzeRequest(undefined, { analyzer: 'stop', text: ['fox the', 'dog'] }) as { tokens: Array<{ position: number }> };
    expect(response.tokens.map((t) => t.position)).toEqual([0, 102]);
  });

  it('builds an ad-hoc chain from a tokenizer, inline and named filters and char filters', () => {
    const response = analyzeRequest(undefined, {
      tokenizer: 'standard',
      filter: ['lowercase', { type: 'stop', stopwords: ['a'] }],
      char_filter: ['html_strip'],
      text: '<b>A</b> Fox',
    });
    expect(response.tokens).toEqual([{ token: 'fox', start_offset: 9, end_offset: 12, type: '<ALPHANUM>', position: 1 }]);
  });

  it('accepts an inline tokenizer definition', () => {
    const response = analyzeRequest(undefined, { tokenizer: { type: 'ngram', min_gram: 2, max_gram: 3 }, text: 'abc' }) as {
      tokens: Array<{ token: string }>;
    };
    expect(response.tokens.map((t) => t.token)).toEqual(['ab', 'abc', 'bc']);
  });

  it('reports positionLength for shingles only', () => {
    const response = analyzeRequest(undefined, { tokenizer: 'whitespace', filter: ['shingle'], text: 'a b' });
    expect(response.tokens).toEqual([
      { token: 'a', start_offset: 0, end_offset: 1, type: 'word', position: 0 },
      { token: 'a b', start_offset: 0, end_offset: 3, type: 'shingle', position: 0, positionLength: 2 },
      { token: 'b', start_offset: 2, end_offset: 3, type: 'word', position: 1 },
    ]);
  });

  it('runs filters alone over the keyword tokenizer', () => {
    expect(analyzeRequest(undefined, { filter: ['uppercase'], text: 'new york' }).tokens).toEqual([
      { token: 'NEW YORK', start_offset: 0, end_offset: 8, type: 'word', position: 0 },
    ]);
  });

  it('applies an index normalizer to the whole value', () => {
    expect(analyzeRequest(registry, { normalizer: 'lc', text: 'Café ÉCOLE' }).tokens).toEqual([
      { token: 'cafe ecole', start_offset: 0, end_offset: 10, type: 'word', position: 0 },
    ]);
  });

  it('analyzes with the field analyzer the callback gives, else the index default', () => {
    const fields = (field: string) => (field === 'code' ? keywordAnalyzer(registry.normalizer('lc')) : field === 'title' ? builtInAnalyzer('english') : undefined);
    expect(analyzeRequest(registry, { field: 'title', text: 'Running' }, fields).tokens).toEqual([
      { token: 'run', start_offset: 0, end_offset: 7, type: '<ALPHANUM>', position: 0 },
    ]);
    expect(analyzeRequest(registry, { field: 'code', text: 'ÀB-1' }, fields).tokens).toEqual([
      { token: 'ab-1', start_offset: 0, end_offset: 4, type: 'word', position: 0 },
    ]);
    expect(analyzeRequest(registry, { field: 'other', text: 'Running' }, fields).tokens).toEqual([
      { token: 'running', start_offset: 0, end_offset: 7, type: '<ALPHANUM>', position: 0 },
    ]);
  });

  it.each([
    [undefined, { analyzer: 'nope', text: 'x' }, 'failed to find global analyzer [nope]'],
    ['index', { analyzer: 'nope', text: 'x' }, 'failed to find analyzer [nope]'],
    [undefined, { tokenizer: 'nope', text: 'x' }, 'failed to find global tokenizer under [nope]'],
    ['index', { tokenizer: 'nope', text: 'x' }, 'failed to find tokenizer under [nope]'],
    [undefined, { tokenizer: 'standard', filter: ['nope'], text: 'x' }, 'failed to find global filter under [nope]'],
    [undefined, { tokenizer: 'standard', char_filter: ['nope'], text: 'x' }, 'failed to find global char_filter under [nope]'],
    ['index', { normalizer: 'nope', text: 'x' }, 'failed to find normalizer under [nope]'],
    [undefined, { tokenizer: { type: 'ngram', min_gram: 1, max_gram: 5 }, text: 'abc' }, 'The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [1] but was [4]. This limit can be set by changing the [index.max_ngram_diff] index level setting.'],
  ])('rejects an unknown component (%s, %j)', (scope, body, message) => {
    const e = engineError(() => analyzeRequest(scope ? registry : undefined, body));
    expect([e.status, e.type, e.message]).toEqual([400, 'illegal_argument_exception', message]);
  });

  it.each([
    [undefined, { analyzer: 'standard' }, 'Validation Failed: 1: text is missing;'],
    [undefined, { analyzer: 'standard', tokenizer: 'standard', text: 'x' }, 'Validation Failed: 1: cannot define extra components on a named analyzer;'],
    [
      undefined,
      { normalizer: 'lowercase', tokenizer: 'standard', text: 'x' },
      'Validation Failed: 1: index is required if normalizer is specified;2: tokenizer/analyze should be null if normalizer is specified;3: cannot define extra components on a named normalizer;',
    ],
  ])('validates the request like Elasticsearch (%s, %j)', (_scope, body, message) => {
    const e = engineError(() => analyzeRequest(undefined, body));
    expect([e.status, e.type, e.message]).toEqual([400, 'action_request_validation_exception', message]);
  });

  it('answers explain of an index-defined analyzer with a clear unsupported error', () => {
    const registry = createAnalysisRegistry({ analysis: { analyzer: { mine: { tokenizer: 'whitespace' } } } });
    const e = engineError(() => analyzeRequest(registry, { analyzer: 'mine', text: 'x', explain: true }));
    expect([e.status, e.message]).toEqual([400, '[explain in _analyze of an index-defined analyzer, a normalizer or a field] is not supported by the indexkit embedded engine']);
  });

  it('rejects unknown body fields', () => {
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', analyser: 'standard' })).message).toBe('[analyze_request] unknown field [analyser]');
  });
});

describe('pre-built components', () => {
  it('match Elasticsearch\'s pre-configured instances (edge_ngram filter: 1-grams; tokenizer: 1 and 2)', () => {
    const tokens = (body: Record<string, unknown>) => (analyzeRequest(undefined, body).tokens as Array<{ token: string }>).map((t) => t.token);
    expect(tokens({ tokenizer: 'whitespace', filter: ['edge_ngram'], text: 'quick' })).toEqual(['q']);
    expect(tokens({ tokenizer: 'edge_ngram', text: 'Quick Fox' })).toEqual(['Q', 'Qu']);
    expect(tokens({ tokenizer: 'whitespace', filter: ['truncate'], text: 'internationalization' })).toEqual(['internatio']);
  });
});

describe('a filter that needs settings, named bare', () => {
  const indexRegistry = createAnalysisRegistry({});
  const reason = (registry: Parameters<typeof analyzeRequest>[0], filter: string, kind: 'filter' | 'char_filter' = 'filter'): [number, string] => {
    const e = engineError(() => analyzeRequest(registry, { tokenizer: 'standard', [kind]: [filter], text: 'x' }));
    return [e.status, e.message];
  };

  it("answers the factory's own error on an index (the global factory built with no settings)", () => {
    expect(reason(indexRegistry, 'keep')).toEqual([400, 'keep requires either `keep_words` or `keep_words_path` to be configured']);
    expect(reason(indexRegistry, 'keep_types')).toEqual([400, 'keep_types requires `types` to be configured']);
    expect(reason(indexRegistry, 'hyphenation_decompounder')).toEqual([400, 'word_list must be provided for [hyphenation_decompounder], either as a path to a file, or directly']);
    expect(reason(indexRegistry, 'stemmer_override')).toEqual([400, 'stemmer_override requires either `rules` or `rules_path` to be configured']);
    expect(reason(indexRegistry, 'mapping', 'char_filter')).toEqual([400, 'mapping requires either `mappings` or `mappings_path` to be configured']);
    expect(reason(indexRegistry, 'nope')).toEqual([400, 'failed to find filter under [nope]']);
  });

  it('answers "Analysis settings required" without an index, unless a pre-configured instance exists', () => {
    for (const f of ['keep', 'keep_types', 'hyphenation_decompounder', 'synonym', 'pattern_replace']) {
      expect(reason(undefined, f)).toEqual([400, "Analysis settings required - can't instantiate analysis factory"]);
    }
    expect(reason(undefined, 'mapping', 'char_filter')).toEqual([400, "Analysis settings required - can't instantiate analysis factory"]);
    // elision and truncate are pre-configured: French articles (any case) and 10 characters
    const tokens = (body: Record<string, unknown>) => (analyzeRequest(undefined, body).tokens as Array<{ token: string }>).map((t) => t.token);
    expect(tokens({ tokenizer: 'whitespace', filter: ['elision'], text: "L'avion" })).toEqual(['avion']);
    expect(reason(undefined, 'nope')).toEqual([400, 'failed to find global filter under [nope]']);
  });

  it('refuses index definitions without the settings their factories require', () => {
    const define = (filter: Record<string, unknown>): string => engineError(() => createAnalysisRegistry({ analysis: { filter: { f: filter } } })).message;
    expect(define({ type: 'truncate' })).toBe('length parameter must be provided');
    expect(define({ type: 'elision' })).toBe('elision filter requires [articles] or [articles_path] setting');
    expect(define({ type: 'keep_types' })).toBe('keep_types requires `types` to be configured');
  });
});
