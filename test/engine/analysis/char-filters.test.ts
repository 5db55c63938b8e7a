import { describe, expect, it } from 'vitest';
import { ChainAnalyzer } from '../../../src/engine/analysis/chain-analyzer.js';
import { HtmlStripCharFilter, MappingCharFilter, parseMappingRules } from '../../../src/engine/analysis/char-filters.js';
import { KeywordTokenizer, whitespaceTokenizer } from '../../../src/engine/analysis/char-tokenizers.js';
import { StandardTokenizer } from '../../../src/engine/analysis/standard-tokenizer.js';
import { describeTokens, terms } from './token-helpers.js';

describe('HtmlStripCharFilter', () => {
  it('strips tags, decodes entities and turns block tags into newlines (docs example)', () => {
    expect(new HtmlStripCharFilter().apply('<p>I&apos;m so <b>happy</b>!</p>').text).toBe("\nI'm so happy!\n");
  });

  it('maps token offsets back to the HTML source', () => {
    const analyzer = new ChainAnalyzer('html', new StandardTokenizer(), [], [new HtmlStripCharFilter()]);
    expect(describeTokens(analyzer.analyze('<p>Hello <b>World</b></p>'))).toEqual([
      'Hello@0[3-8]<ALPHANUM>',
      'World@1[12-21]<ALPHANUM>',
    ]);
    expect(describeTokens(analyzer.analyze('<p>I&apos;m so <b>happy</b>!</p>'))).toEqual([
      "I'm@0[3-11]<ALPHANUM>",
      'so@1[12-14]<ALPHANUM>',
      'happy@2[18-27]<ALPHANUM>',
    ]);
  });

  it('drops comments and script content and keeps escaped tags', () => {
    const filter = new HtmlStripCharFilter(['b']);
    expect(filter.apply('a<!-- c --><script>x()</script> <b>bold</b> &#65;&#x42;').text).toBe('a <b>bold</b> AB');
  });
});

describe('MappingCharFilter', () => {
  it('replaces the longest matching key, left to right', () => {
    const filter = new MappingCharFilter(parseMappingRules(['ph => f', 'p => b', ':) => _happy_', '\\u0661 => 1']));
    expect(filter.apply('phone p :) \u0661').text).toBe('fone b _happy_ 1');
  });

  it('maps offsets back through shrinking and growing replacements', () => {
    const filter = new MappingCharFilter(parseMappingRules([':) => _happy_', 'ph => f']));
    const analyzer = new ChainAnalyzer('m', whitespaceTokenizer(), [], [filter]);
    expect(describeTokens(analyzer.analyze('a :) b phone'))).toEqual([
      'a@0[0-1]word',
      '_happy_@1[2-4]word',
      'b@2[5-6]word',
      'fone@3[7-12]word',
    ]);
  });

  it('rejects a rule without =>', () => {
    expect(() => parseMappingRules(['nope'])).toThrow('Invalid Mapping Rule : [nope]');
  });

  it('works as the only component in front of the keyword tokenizer', () => {
    const analyzer = new ChainAnalyzer('m', new KeywordTokenizer(), [], [new MappingCharFilter(parseMappingRules(['- => ']))]);
    expect(terms(analyzer.analyze('555-1234'))).toEqual(['5551234']);
  });
});
