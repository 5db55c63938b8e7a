import { describe, expect, it } from 'vitest';
import { createAnalysisRegistry } from '../../../src/engine/analysis/index.js';
import { describeTokens, terms, engineError } from './token-helpers.js';

const FOLDED = { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] };


describe('createAnalysisRegistry settings forms', () => {
  it.each([
    ['{ analysis }', { analysis: { analyzer: { folded: FOLDED } } }],
    ['{ index: { analysis } }', { index: { analysis: { analyzer: { folded: FOLDED } } } }],
    ['flattened index.analysis keys', { 'index.analysis.analyzer.folded.type': 'custom', 'index.analysis.analyzer.folded.tokenizer': 'standard', 'index.analysis.analyzer.folded.filter': ['lowercase', 'asciifolding'] }],
    ['flattened list entries', { 'index.analysis.analyzer.folded.tokenizer': 'standard', 'index.analysis.analyzer.folded.filter.0': 'lowercase', 'index.analysis.analyzer.folded.filter.1': 'asciifolding' }],
    ['mixed nesting', { index: { 'analysis.analyzer': { folded: FOLDED } } }],
    ['the index layer\'s flat string settings', { 'index.analysis.analyzer.folded.tokenizer': 'standard', 'index.analysis.analyzer.folded.filter': 'lowercase, asciifolding', 'index.number_of_shards': '1' }],
  ])('reads a custom analyzer from %s', (_form, settings) => {
    const analyzer = createAnalysisRegistry(settings).analyzer('folded');
    expect(terms(analyzer?.analyze('Crème Brûlée') ?? [])).toEqual(['creme', 'brulee']);
  });

  it('accepts settings without analysis and still offers the built-in analyzers', () => {
    const registry = createAnalysisRegistry({ number_of_shards: 1 });
    expect(registry.analyzer('english')?.analyze('running').map((t) => t.term)).toEqual(['run']);
    expect(registry.analyzer('nope')).toBeUndefined();
    expect(createAnalysisRegistry(undefined).analyzer('standard')).toBeDefined();
  });
});

describe('custom analyzers', () => {
  it('chain char filters, a configured tokenizer and configured filters', () => {
    const registry = createAnalysisRegistry({
      analysis: {
        char_filter: { emoticons: { type: 'mapping', mappings: [':) => _happy_'] } },
        tokenizer: { edge: { type: 'edge_ngram', min_gram: '2', max_gram: '4', token_chars: ['letter'] } },
        filter: { my_stop: { type: 'stop', stopwords: ['_happy_'] } },
        analyzer: { autocomplete: { tokenizer: 'edge', filter: ['lowercase'], char_filter: ['html_strip', 'emoticons'] } },
      },
    });
    expect(terms(registry.analyzer('autocomplete')?.analyze('<b>Quick</b> :)') ?? [])).toEqual(['qu', 'qui', 'quic', 'ha', 'hap', 'happ']);
  });

  it('take a position_increment_gap and default to 100', () => {
    const registry = createAnalysisRegistry({
      analysis: { analyzer: { a: { tokenizer: 'whitespace', position_increment_gap: 10 }, b: { tokenizer: 'whitespace' } } },
    });
    expect(registry.analyzer('a')?.positionIncrementGap).toBe(10);
    expect(registry.analyzer('b')?.positionIncrementGap).toBe(100);
  });

  it('override the index default analyzer with analysis.analyzer.default', () => {
    expect(terms(createAnalysisRegistry({}).analyzer('default')?.analyze('The Fox') ?? [])).toEqual(['the', 'fox']);
    const registry = createAnalysisRegistry({ analysis: { analyzer: { default: { type: 'english' } } } });
    expect(terms(registry.analyzer('default')?.analyze('The running Foxes') ?? [])).toEqual(['run', 'fox']);
  });
});

describe('configured built-in analyzers', () => {
  it('standard with _english_ stop words and a max_token_length', () => {
    const registry = createAnalysisRegistry({
      analysis: { analyzer: { std: { type: 'standard', stopwords: '_english_', max_token_length: 5 } } },
    });
    expect(describeTokens(registry.analyzer('std')?.analyze('The quick jumped') ?? [])).toEqual([
      'quick@1[4-9]<ALPHANUM>',
      'jumpe@2[10-15]<ALPHANUM>',
      'd@3[15-16]<ALPHANUM>',
    ]);
  });

  it('stop with its own list, and english with stem_exclusion', () => {
    const registry = createAnalysisRegistry({
      analysis: {
        analyzer: {
          few: { type: 'stop', stopwords: ['fox'] },
          en: { type: 'english', stem_exclusion: ['running'] },
          none: { type: 'english', stopwords: '_none_' },
        },
      },
    });
    expect(terms(registry.analyzer('few')?.analyze('The fox') ?? [])).toEqual(['the']);
    expect(terms(registry.analyzer('en')?.analyze('running jumping') ?? [])).toEqual(['running', 'jump']);
    expect(terms(registry.analyzer('none')?.analyze('the fox') ?? [])).toEqual(['the', 'fox']);
  });
});

describe('normalizers', () => {
  it('apply lowercase and asciifolding to the whole value', () => {
    const registry = createAnalysisRegistry({ analysis: { normalizer: { folded: { type: 'custom', filter: ['lowercase', 'asciifolding'] } } } });
    expect(registry.normalizer('folded')?.normalize('Crème BRÛLÉE')).toBe('creme brulee');
    expect(registry.normalizer('lowercase')?.normalize('ÀB C')).toBe('àb c');
    expect(registry.normalizer('nope')).toBeUndefined();
  });

  it('reject filters that do not work per character', () => {
    const e = engineError(() => createAnalysisRegistry({ analysis: { normalizer: { n: { type: 'custom', filter: ['porter_stem'] } } } }));
    expect(e.message).toBe('Custom normalizer [n] may not use filter [porter_stem]');
  });
});

describe('registry errors', () => {
  it.each([
    [{ analyzer: { my: { type: 'custom', tokenizer: 'bar' } } }, 'Custom Analyzer [my] failed to find tokenizer under name [bar]'],
    [{ analyzer: { my: { tokenizer: 'standard', filter: ['lowercase', 'nosuch'] } } }, 'Custom Analyzer [my] failed to find filter under name [nosuch]'],
    [{ analyzer: { my: { tokenizer: 'standard', char_filter: ['nosuch'] } } }, 'Custom Analyzer [my] failed to find char_filter under name [nosuch]'],
    [{ analyzer: { my: { filter: ['lowercase'] } } }, 'analyzer [my] must specify either an analyzer type, or a tokenizer'],
    [{ analyzer: { my: { type: 'custom' } } }, 'Custom Analyzer [my] must be configured with a tokenizer'],
    [{ analyzer: { my: { type: 'nosuchtype' } } }, 'Unknown analyzer type [nosuchtype] for [my]'],
    [{ filter: { f: { type: 'nosuchtype' } } }, 'Unknown filter type [nosuchtype] for [f]'],
    [{ tokenizer: { t: { type: 'nosuchtype' } } }, 'Unknown tokenizer type [nosuchtype] for [t]'],
    [{ char_filter: { c: { type: 'nosuchtype' } } }, 'Unknown char_filter type [nosuchtype] for [c]'],
    [{ filter: { f: { stopwords: ['a'] } } }, 'filter [f] must specify either an analyzer type, or a tokenizer'],
    [{ analyzer: { _hidden: { tokenizer: 'standard' } } }, 'analyzer name must not start with \'_\'. got "_hidden"'],
  ])('rejects %j with Elasticsearch\'s message', (analysis, message) => {
    const e = engineError(() => createAnalysisRegistry({ analysis }));
    expect(e.status).toBe(400);
    expect(e.type).toBe('illegal_argument_exception');
    expect(e.message).toBe(message);
  });

  it('rejects an ngram range wider than index.max_ngram_diff (default 1) and accepts a raised limit', () => {
    const analysis = { tokenizer: { ng: { type: 'ngram', min_gram: 2, max_gram: 4 } } };
    expect(engineError(() => createAnalysisRegistry({ analysis })).message).toBe(
      'The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [1] but was [2]. This limit can be set by changing the [index.max_ngram_diff] index level setting.',
    );
    const registry = createAnalysisRegistry({ index: { max_ngram_diff: 2, analysis } });
    expect(registry.tokenizer('ng')).toBeDefined();
    const filter = engineError(() => createAnalysisRegistry({ analysis: { filter: { ng: { type: 'ngram', min_gram: 1, max_gram: 3 } } } }));
    expect(filter.message).toMatch(/^The difference between max_gram and min_gram in NGram Token Filter must be less than or equal to: \[1\] but was \[2\]/);
  });

  it('rejects a shingle range wider than index.max_shingle_diff (default 3)', () => {
    const e = engineError(() => createAnalysisRegistry({ analysis: { filter: { sh: { type: 'shingle', min_shingle_size: 2, max_shingle_size: 5 } } } }));
    expect(e.message).toMatch(/^In Shingle TokenFilter the difference between max_shingle_size and min_shingle_size \(and \+1 if outputting unigrams\) must be less than or equal to: \[3\] but was \[4\]/);
  });

  it('rejects bad parameter values', () => {
    expect(engineError(() => createAnalysisRegistry({ analysis: { tokenizer: { t: { type: 'standard', max_token_length: 'abc' } } } })).message).toBe(
      'Failed to parse value [abc] for setting [max_token_length]',
    );
    expect(engineError(() => createAnalysisRegistry({ analysis: { tokenizer: { t: { type: 'ngram', token_chars: ['letters'] } } } })).message).toMatch(
      /^Unknown token type: 'letters', must be one of/,
    );
  });

  it('answers known but unimplemented Elasticsearch components with a clear unsupported error', () => {
    const e = engineError(() => createAnalysisRegistry({ analysis: { filter: { k: { type: 'phonetic' } } } }));
    expect(e.message).toBe('[phonetic token filter] is not supported by the indexkit embedded engine');
  });
});

describe('the repository\'s example mappings', () => {
  it('analyzes with blog.json\'s english_folded analyzer', () => {
    const registry = createAnalysisRegistry({
      analysis: { analyzer: { english_folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'stop', 'porter_stem'] } } },
    });
    expect(describeTokens(registry.analyzer('english_folded')?.analyze('The Café’s crêpes are RUNNING out') ?? [])).toEqual([
      "cafe'@1[4-10]<ALPHANUM>", // ’ folds to ' and Porter strips the s after it
      'crepe@2[11-17]<ALPHANUM>',
      'run@4[22-29]<ALPHANUM>',
      'out@5[30-33]<ALPHANUM>',
    ]);
  });
});
