import { describe, expect, it } from 'vitest';
import { analysisProblems } from '../../src/config/analysis-names.js';
import { formatPath } from '../../src/config/source-locator.js';

const problems = (body: Record<string, unknown>) => analysisProblems(body).map((p) => [formatPath(p.path), p.message('')]);

describe('analysisProblems', () => {
  it("accepts Elasticsearch's built-in analyzers, normalizers and what the mapping defines", () => {
    expect(
      problems({
        settings: {
          analysis: {
            analyzer: { folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'my_stop'], char_filter: ['html_strip', 'my_map'] } },
            filter: { my_stop: { type: 'stop', stopwords: ['the'] } },
            char_filter: { my_map: { type: 'mapping', mappings: ['& => and'] } },
            normalizer: { lower: { type: 'custom', filter: ['lowercase'] } },
          },
        },
        mappings: {
          properties: {
            title: { type: 'text', analyzer: 'english', search_analyzer: 'folded', fields: { raw: { type: 'keyword', normalizer: 'lower' } } },
            body: { type: 'text', analyzer: 'folded' },
            tag: { type: 'keyword', normalizer: 'lowercase' },
            author: { properties: { name: { type: 'text', analyzer: 'standard' } } },
            jp: { type: 'text', analyzer: 'kuromoji' },
          },
        },
      }),
    ).toEqual([]);
  });

  it('reports each unknown name with its JSON path and a did-you-mean', () => {
    expect(
      problems({
        settings: { index: { analysis: { analyzer: { folded: { tokenizer: 'standrd', filter: ['lowercase', 'asciifoldin'], char_filter: 'htmlstrip' } } } } },
        mappings: {
          properties: { title: { type: 'text', analyzer: 'englsh', fields: { raw: { type: 'keyword', normalizer: 'lower' } } } },
          dynamic_templates: [{ strings: { match_mapping_type: 'string', mapping: { type: 'text', search_analyzer: 'nope' } } }],
        },
      }),
    ).toEqual([
      ['settings.index.analysis.analyzer.folded.tokenizer', expect.stringMatching(/is "standrd", which is no built-in tokenizer of Elasticsearch .*; did you mean "standard"\?/)],
      ['settings.index.analysis.analyzer.folded.filter[1]', expect.stringMatching(/is "asciifoldin", which is no built-in token filter .*did you mean "asciifolding"\?/)],
      ['settings.index.analysis.analyzer.folded.char_filter', expect.stringMatching(/is "htmlstrip", which is no built-in character filter .*did you mean "html_strip"\?/)],
      ['mappings.properties.title.analyzer', expect.stringMatching(/is "englsh", which is no built-in analyzer of Elasticsearch nor one this mapping defines \(folded\); did you mean "english"\?/)],
      ['mappings.properties.title.fields.raw.normalizer', expect.stringMatching(/is "lower", which is no built-in normalizer/)],
      ['mappings.dynamic_templates[0].strings.mapping.search_analyzer', expect.stringMatching(/is "nope", which is no built-in analyzer/)],
    ]);
  });
});
