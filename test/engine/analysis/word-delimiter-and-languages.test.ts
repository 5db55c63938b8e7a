import { describe, expect, it } from 'vitest';
import { analyzeRequest, createAnalysisRegistry } from '../../../src/engine/analysis/index.js';
import { engineError } from './token-helpers.js';

/**
 * word_delimiter(_graph), keyword_repeat, remove_duplicates, stemmer_override, the named stop
 * word lists and the French/German/Spanish/Italian/Portuguese analyzers, with the values of
 * Elasticsearch's own REST tests (modules/analysis-common 40_token_filters.yml, 20_analyzers.yml)
 * and reference docs. test/lucene/analysis.lucene.ts judges the same code against Lucene on
 * thousands of random inputs.
 */

type Json = Record<string, unknown>;
const tokens = (body: Json) => analyzeRequest(undefined, body).tokens as Array<{ token: string; start_offset: number; end_offset: number; position: number; positionLength?: number }>;
const terms = (body: Json) => tokens(body).map((t) => t.token);


describe('word_delimiter and word_delimiter_graph (40_token_filters.yml)', () => {
  for (const type of ['word_delimiter', 'word_delimiter_graph']) {
    it(`${type} splits on case, digits and delimiters; split_on_numerics: false keeps qu1ck`, () => {
      expect(terms({ text: 'the qu1ck brown fox', tokenizer: 'standard', filter: [type] })).toEqual(['the', 'qu', '1', 'ck', 'brown', 'fox']);
      expect(terms({ text: 'the qu1ck brown fox', tokenizer: 'standard', filter: [{ type, split_on_numerics: false }] })).toEqual(['the', 'qu1ck', 'brown', 'fox']);
    });
  }

  it('word_delimiter_graph adjusts part offsets unless adjust_offsets is false', () => {
    const adjusted = tokens({ text: 'the qu1ck brown fox', tokenizer: 'standard', filter: ['word_delimiter_graph'] });
    expect(adjusted.slice(1, 4).map((t) => [t.token, t.start_offset, t.end_offset, t.position])).toEqual([
      ['qu', 4, 6, 1],
      ['1', 6, 7, 2],
      ['ck', 7, 9, 3],
    ]);
    const whole = tokens({ text: 'the qu1ck brown fox', tokenizer: 'standard', filter: [{ type: 'word_delimiter_graph', adjust_offsets: false }] });
    expect(whole.slice(1, 4).map((t) => [t.token, t.start_offset, t.end_offset])).toEqual([
      ['qu', 4, 9],
      ['1', 4, 9],
      ['ck', 4, 9],
    ]);
  });

  // expected values: Lucene 8.7's WordDelimiterGraphFilter on the same input
  it('catenations span their parts as a graph (Neil\'s-Super-Duper-XL500--42+AutoCoder)', () => {
    const out = tokens({
      text: "Neil's-Super-Duper-XL500--42+AutoCoder",
      tokenizer: 'keyword',
      filter: [{ type: 'word_delimiter_graph', catenate_words: true }],
    });
    expect(out.map((t) => [t.token, t.position, t.positionLength ?? 1])).toEqual([
      ['NeilSuperDuperXL', 0, 4],
      ['Neil', 0, 1],
      ['Super', 1, 1],
      ['Duper', 2, 1],
      ['XL', 3, 1],
      ['500', 4, 1],
      ['42', 5, 1],
      ['AutoCoder', 6, 2],
      ['Auto', 6, 1],
      ['Coder', 7, 1],
    ]);
  });

  it('type_table and protected_words change what splits', () => {
    expect(terms({ text: '$42 wi-fi', tokenizer: 'whitespace', filter: [{ type: 'word_delimiter_graph', type_table: ['$ => DIGIT', '\\u002D => ALPHA'] }] })).toEqual(['$42', 'wi-fi']);
    expect(terms({ text: 'wi-fi e-mail', tokenizer: 'whitespace', filter: [{ type: 'word_delimiter', protected_words: ['wi-fi'] }] })).toEqual(['wi-fi', 'e', 'mail']);
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'whitespace', filter: [{ type: 'word_delimiter', type_table: ['ab => DIGIT'] }] })).message).toBe(
      'Invalid Mapping Rule : [ab => DIGIT]. Only a single character is allowed.',
    );
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'whitespace', filter: [{ type: 'word_delimiter', type_table: ['a => NUMBER'] }] })).message).toBe(
      'Invalid Mapping Rule : [a => NUMBER]. Illegal type.',
    );
  });

  it('ignore_keywords leaves keyword_marker tokens whole', () => {
    const filter = [{ type: 'keyword_marker', keywords: ['Wi-Fi'] }, { type: 'word_delimiter_graph', ignore_keywords: true }];
    expect(terms({ text: 'Wi-Fi Power-Shot', tokenizer: 'whitespace', filter })).toEqual(['Wi-Fi', 'Power', 'Shot']);
  });
});

describe('keyword_repeat, remove_duplicates and stemmer_override', () => {
  it('keeps the original and the stem at one position, once when they are equal (docs example)', () => {
    const out = tokens({ text: 'fox running and jumping', tokenizer: 'whitespace', filter: ['keyword_repeat', 'porter_stem', 'remove_duplicates'] });
    expect(out.map((t) => [t.token, t.position])).toEqual([
      ['fox', 0],
      ['running', 1],
      ['run', 1],
      ['and', 2],
      ['jumping', 3],
      ['jump', 3],
    ]);
  });

  it('stemmer_override replaces the term and protects it from later stemmers', () => {
    const filter = [{ type: 'stemmer_override', rules: ['running, runs => run', 'stemmer => stemmer'] }, 'porter_stem'];
    expect(terms({ text: 'running runs stemmer jumping', tokenizer: 'whitespace', filter })).toEqual(['run', 'run', 'stemmer', 'jump']);
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'whitespace', filter: [{ type: 'stemmer_override', rules: ['a => b => c'] }] })).message).toBe(
      'Invalid Keyword override Rule:a => b => c',
    );
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'whitespace', filter: [{ type: 'stemmer_override' }] })).message).toBe(
      'stemmer_override requires either `rules` or `rules_path` to be configured',
    );
  });
});

describe('named stop word lists and language analyzers', () => {
  it('stop filters accept _french_, _german_ ... and mix them with plain words', () => {
    expect(terms({ text: 'le chat et la souris', tokenizer: 'standard', filter: [{ type: 'stop', stopwords: '_french_' }] })).toEqual(['chat', 'souris']);
    expect(terms({ text: 'der Hund und die Katze x', tokenizer: 'standard', filter: ['lowercase', { type: 'stop', stopwords: ['_german_', 'x'] }] })).toEqual(['hund', 'katze']);
  });

  it('the french analyzer elides, drops stop words and light-stems (docs example)', () => {
    expect(terms({ analyzer: 'french', text: "L'avion et les chevaux" })).toEqual(['avion', 'cheval']);
  });

  it('the german analyzer normalizes umlauts and ß before stemming (values: Lucene 8.7 GermanAnalyzer)', () => {
    expect(terms({ analyzer: 'german', text: 'Die Häuser der größten Straße' })).toEqual(['haus', 'grosst', 'strass']);
  });

  it('language analyzers take stopwords and stem_exclusion', () => {
    const registry = createAnalysisRegistry({
      analysis: { analyzer: { es: { type: 'spanish', stopwords: ['canciones'], stem_exclusion: ['niños'] } } },
    });
    const es = registry.analyzer('es');
    expect(es?.analyze('las canciones de los niños').map((t) => t.term)).toEqual(['las', 'de', 'los', 'niños']);
  });

  it('the stemmer filter has the light and minimal languages', () => {
    const stem = (language: string, text: string) => terms({ text, tokenizer: 'standard', filter: ['lowercase', { type: 'stemmer', language }] });
    expect(stem('light_portuguese', 'canções animais')).toEqual(['canca', 'animal']); // Lucene 8.7's PortugueseLightStemFilter
    expect(stem('minimal_french', 'chevaux')).toEqual(['cheval']);
    expect(stem('light_italian', 'ragazzi')).toEqual(['ragazz']);
  });
});

describe('path_hierarchy tokenizer', () => {
  it('emits each prefix, or with reverse each suffix (docs examples), all at position 0 as Lucene 9 does', () => {
    expect(tokens({ tokenizer: 'path_hierarchy', text: '/one/two/three' }).map((t) => [t.token, t.position])).toEqual([
      ['/one', 0],
      ['/one/two', 0],
      ['/one/two/three', 0],
    ]);
    expect(terms({ tokenizer: { type: 'path_hierarchy', delimiter: '-', replacement: '/', skip: 2 }, text: 'one-two-three-four-five' })).toEqual([
      '/three',
      '/three/four',
      '/three/four/five',
    ]);
    expect(terms({ tokenizer: { type: 'path_hierarchy', delimiter: '.', reverse: true }, text: 'www.elastic.co' })).toEqual(['www.elastic.co', 'elastic.co', 'co']);
  });

  it('refuses a delimiter or replacement longer than one char and a negative skip', () => {
    expect(engineError(() => analyzeRequest(undefined, { tokenizer: { type: 'path_hierarchy', delimiter: '::' }, text: 'x' })).message).toBe('delimiter must be a one char value');
    expect(engineError(() => analyzeRequest(undefined, { tokenizer: { type: 'path_hierarchy', replacement: '' }, text: 'x' })).message).toBe('replacement must be a one char value');
    expect(engineError(() => analyzeRequest(undefined, { tokenizer: { type: 'path_hierarchy', skip: -1 }, text: 'x' })).message).toBe('skip cannot be negative');
  });
});

describe('snowball English (40_token_filters.yml "snowball")', () => {
  it('stems as Porter2 through the snowball filter, the porter2 stemmer language and the snowball analyzer', () => {
    const out = tokens({ text: 'This is troubled', tokenizer: 'standard', filter: ['snowball'] });
    expect(out).toHaveLength(3);
    expect([out[2]?.token, out[2]?.position]).toEqual(['troubl', 2]);
    expect(terms({ text: 'generously skies dying consignment', tokenizer: 'standard', filter: [{ type: 'stemmer', language: 'porter2' }] })).toEqual(['generous', 'sky', 'die', 'consign']);
    expect(terms({ analyzer: 'snowball', text: 'The Running foxes' })).toEqual(['run', 'fox']);
    // Lucene's SnowballFilter message, word for word
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'standard', filter: [{ type: 'snowball', language: 'Klingon' }] })).message).toBe(
      'Invalid stemmer class specified: Klingon',
    );
  });
});

describe('flatten_graph (40_token_filters.yml "synonym_graph and flatten_graph")', () => {
  it('flattens a multi-word synonym graph into a chain with Elasticsearch\'s positions and lengths', () => {
    const synonyms = { type: 'synonym_graph', synonyms: ['automatic teller machine,atm,cash point'] };
    const out = tokens({ text: 'this automatic teller machine is down', tokenizer: 'whitespace', filter: [synonyms, 'flatten_graph'] });
    expect(out.map((t) => [t.token, t.position, t.positionLength ?? 1])).toEqual([
      ['this', 0, 1],
      ['atm', 1, 3],
      ['cash', 1, 1],
      ['automatic', 1, 1],
      ['point', 2, 2],
      ['teller', 2, 1],
      ['machine', 3, 1],
      ['is', 4, 1],
      ['down', 5, 1],
    ]);
  });
});

describe('pattern_capture', () => {
  it('emits every group of every pattern at the original position (docs email example)', () => {
    const filter = [{ type: 'pattern_capture', preserve_original: true, patterns: ['([^@]+)', '(\\p{L}+)', '(\\d+)', '@(.+)'] }];
    const out = tokens({ tokenizer: 'keyword', filter, text: 'john-smith_123@foo-bar.com' });
    // the docs list these terms; Lucene emits foo-bar.com twice (from ([^@]+) and from @(.+), ties
    // at offset 15 going to the earlier pattern), as its nextCapture does not de-duplicate
    expect(out.map((t) => t.token)).toEqual(['john-smith_123@foo-bar.com', 'john-smith_123', 'john', 'smith', '123', 'foo-bar.com', 'foo', 'foo-bar.com', 'bar', 'com']);
    expect(new Set(out.map((t) => t.position))).toEqual(new Set([0]));
  });

  it('needs patterns, and refuses what RE2 cannot match in linear time', () => {
    expect(engineError(() => analyzeRequest(undefined, { tokenizer: 'keyword', filter: [{ type: 'pattern_capture' }], text: 'x' })).message).toBe(
      "required setting 'patterns' is missing for token filter [__anonymous__pattern_capture]",
    );
    expect(engineError(() => analyzeRequest(undefined, { tokenizer: 'keyword', filter: [{ type: 'pattern_capture', patterns: ['(a)\\1'] }], text: 'x' })).message).toContain('backreferences');
  });
});

describe('names that are also Object.prototype members', () => {
  it('are words and unknown names, never inherited lookups', () => {
    expect(terms({ text: 'constructor toString hasOwnProperty', tokenizer: 'whitespace', filter: ['lowercase', { type: 'snowball', language: 'english' }] })).toEqual([
      'constructor',
      'tostr',
      'hasownproperti',
    ]);
    expect(terms({ text: 'constructor of a toString', tokenizer: 'whitespace', filter: [{ type: 'stop', stopwords: ['constructor', 'toString', '_english_'] }] })).toEqual([]);
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'whitespace', filter: [{ type: 'constructor' }] })).status).toBe(400);
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'constructor' })).status).toBe(400);
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'whitespace', filter: [{ type: 'stemmer', language: 'constructor' }] })).status).toBe(400);
    expect(engineError(() => analyzeRequest(undefined, { text: 'x', tokenizer: 'whitespace', filter: [{ type: 'word_delimiter', type_table: ['a => constructor'] }] })).message).toBe(
      'Invalid Mapping Rule : [a => constructor]. Illegal type.',
    );
  });
});
