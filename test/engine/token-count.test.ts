import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient();

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id)).sort();

describe('token_count (TokenCountFieldMapper)', () => {
  it('a text multi-field counting standard tokens: term, range, sort, terms agg, docvalue_fields, fields, exists', async () => {
    await t.client.indices.create({
      index: 'tc-multi',
      mappings: { properties: { title: { type: 'text', fields: { length: { type: 'token_count', analyzer: 'standard' }, keyword: { type: 'keyword' } } } } },
    });
    await t.client.index({ index: 'tc-multi', id: '1', document: { title: 'The quick brown fox' } });
    await t.client.index({ index: 'tc-multi', id: '2', document: { title: 'Hello, world!' } });
    await t.client.index({ index: 'tc-multi', id: '3', document: { title: 'one two' } });
    await t.client.index({ index: 'tc-multi', id: '4', document: { other: 'x' } });
    await t.client.indices.refresh({ index: 'tc-multi' });

    expect(ids(await t.client.search({ index: 'tc-multi', query: { term: { 'title.length': 4 } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'tc-multi', query: { range: { 'title.length': { gte: 2, lt: 4 } } } }))).toEqual(['2', '3']);
    expect(ids(await t.client.search({ index: 'tc-multi', query: { exists: { field: 'title.length' } } }))).toEqual(['1', '2', '3']);

    const sorted = await t.client.search({
      index: 'tc-multi',
      query: { exists: { field: 'title' } },
      sort: [{ 'title.length': 'desc' }, { 'title.keyword': 'asc' }],
      fields: ['title.length'],
      docvalue_fields: ['title.length'],
      _source: false,
    });
    expect(sorted.hits.hits.map((h) => [h._id, h.sort, h.fields?.['title.length']])).toEqual([
      ['1', [4, 'The quick brown fox'], [4]],
      ['2', [2, 'Hello, world!'], [2]],
      ['3', [2, 'one two'], [2]],
    ]);

    const aggs = await t.client.search({
      index: 'tc-multi',
      size: 0,
      aggs: { lengths: { terms: { field: 'title.length' } }, stats: { stats: { field: 'title.length' } } },
    });
    const buckets = (aggs.aggregations?.lengths as { buckets: Array<{ key: number; doc_count: number }> }).buckets;
    expect(buckets.map((b) => [b.key, b.doc_count])).toEqual([
      [2, 2],
      [4, 1],
    ]);
    expect(aggs.aggregations?.stats).toMatchObject({ count: 3, min: 2, max: 4, sum: 8 });
  });

  it('enable_position_increments: removed stopwords count their positions (trailing ones too) unless false', async () => {
    await t.client.indices.create({
      index: 'tc-stop',
      mappings: {
        properties: {
          text: {
            type: 'text',
            fields: {
              inc: { type: 'token_count', analyzer: 'stop' },
              noinc: { type: 'token_count', analyzer: 'stop', enable_position_increments: false },
              std: { type: 'token_count', analyzer: 'standard' },
            },
          },
        },
      },
    });
    await t.client.index({ index: 'tc-stop', id: '1', document: { text: 'the fox and the hound of the' } });
    await t.client.index({ index: 'tc-stop', id: '2', document: { text: 'an apple' } });
    await t.client.indices.refresh({ index: 'tc-stop' });
    const res = await t.client.search({ index: 'tc-stop', sort: [{ 'text.inc': 'desc' }], fields: ['text.*'], _source: false });
    expect(res.hits.hits.map((h) => h.fields)).toEqual([
      // 7 positions (the stopwords the, and, the, of, the removed but counted), 2 tokens
      { 'text.inc': [7], 'text.noinc': [2], 'text.std': [7] },
      { 'text.inc': [2], 'text.noinc': [1], 'text.std': [2] },
    ]);
    expect(ids(await t.client.search({ index: 'tc-stop', query: { term: { 'text.noinc': 2 } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'tc-stop', query: { term: { 'text.inc': 7 } } }))).toEqual(['1']);
  });

  it('null_value, arrays, store and doc_values: false', async () => {
    await t.client.indices.create({
      index: 'tc-null',
      mappings: {
        properties: {
          n: { type: 'token_count', analyzer: 'whitespace', null_value: 0, store: true },
          plain: { type: 'token_count', analyzer: 'whitespace', doc_values: false },
        },
      },
    });
    await t.client.index({ index: 'tc-null', id: '1', document: { n: null, plain: 'a b c' } });
    await t.client.index({ index: 'tc-null', id: '2', document: { n: ['a b', 'c d e'] } });
    await t.client.indices.refresh({ index: 'tc-null' });
    expect(ids(await t.client.search({ index: 'tc-null', query: { term: { n: 0 } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'tc-null', query: { term: { n: 3 } } }))).toEqual(['2']);
    expect(ids(await t.client.search({ index: 'tc-null', query: { term: { plain: 3 } } }))).toEqual(['1']);
    const res = await t.client.search({ index: 'tc-null', sort: [{ n: 'asc' }], fields: ['n', 'plain'], stored_fields: ['n'], _source: false });
    // fields reads doc values: null_value for the null, nothing for doc_values: false
    expect(res.hits.hits.map((h) => h.fields)).toEqual([{ n: [0] }, { n: [2, 3] }]);
    const stored = await t.client.get({ index: 'tc-null', id: '1', stored_fields: ['n'] });
    expect(stored.fields).toEqual({ n: [0] });
    const bad = await failure(
      t.client.indices.create({ index: 'tc-null2', mappings: { properties: { n: { type: 'token_count', analyzer: 'standard', null_value: 'abc' } as never } } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.error.reason).toContain('For input string: "abc"');
  });

  it('tokens stacked at one position (synonyms) count once without position increments', async () => {
    await t.client.indices.create({
      index: 'tc-syn',
      settings: {
        analysis: {
          filter: { syn: { type: 'synonym', synonyms: ['quick, fast'] } },
          analyzer: { syn: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'syn'] } },
        },
      },
      mappings: {
        properties: {
          inc: { type: 'token_count', analyzer: 'syn' },
          noinc: { type: 'token_count', analyzer: 'syn', enable_position_increments: false },
        },
      },
    });
    await t.client.index({ index: 'tc-syn', id: '1', document: { inc: 'a quick fox', noinc: 'a quick fox' }, refresh: true });
    const tokens = await t.client.indices.analyze({ index: 'tc-syn', analyzer: 'syn', text: 'a quick fox' });
    expect(tokens.tokens?.length).toBe(4);
    const res = await t.client.search({ index: 'tc-syn', fields: ['inc', 'noinc'], _source: false });
    expect(res.hits.hits[0]!.fields).toEqual({ inc: [3], noinc: [3] });
  });

  it('GET _mapping prints the parameters given', async () => {
    await t.client.indices.create({
      index: 'tc-map',
      mappings: {
        properties: {
          title: { type: 'text', fields: { length: { type: 'token_count', analyzer: 'standard', enable_position_increments: false } } },
          n: { type: 'token_count', analyzer: 'simple', null_value: 1, index: false, meta: { unit: 'tokens' } },
        },
      },
    });
    const mapping = await t.client.indices.getMapping({ index: 'tc-map' });
    expect(mapping['tc-map']!.mappings.properties).toEqual({
      n: { type: 'token_count', analyzer: 'simple', index: false, meta: { unit: 'tokens' }, null_value: 1 },
      title: { type: 'text', fields: { length: { type: 'token_count', analyzer: 'standard', enable_position_increments: false } } },
    });
  });

  it('put_mapping: analyzer, enable_position_increments and null_value are not updatable', async () => {
    await t.client.indices.create({ index: 'tc-upd', mappings: { properties: { n: { type: 'token_count', analyzer: 'standard', null_value: 1 } } } });
    const change = async (n: Record<string, unknown>): Promise<string> =>
      String((await failure(t.client.indices.putMapping({ index: 'tc-upd', properties: { n: { type: 'token_count', ...n } as never } }))).error.reason);
    expect(await change({ analyzer: 'simple', null_value: 1 })).toContain('Cannot update parameter [analyzer] from [standard] to [simple]');
    expect(await change({ analyzer: 'standard', null_value: 1, enable_position_increments: false })).toContain(
      'Cannot update parameter [enable_position_increments] from [true] to [false]',
    );
    expect(await change({ analyzer: 'standard', null_value: 2 })).toContain('Cannot update parameter [null_value] from [1] to [2]');
    await t.client.indices.putMapping({ index: 'tc-upd', properties: { n: { type: 'token_count', analyzer: 'standard', null_value: 1, meta: { a: 'b' } } } });
    const mapping = await t.client.indices.getMapping({ index: 'tc-upd' });
    expect(mapping['tc-upd']!.mappings.properties!.n).toEqual({ type: 'token_count', analyzer: 'standard', meta: { a: 'b' }, null_value: 1 });
  });

  it('index.sort.field on a token_count sub-field lays segments out by the count', async () => {
    await t.client.indices.create({
      index: 'tc-sorted',
      settings: { number_of_replicas: 0, 'index.sort.field': 'title.length', 'index.sort.order': 'desc' },
      mappings: { properties: { title: { type: 'text', fields: { length: { type: 'token_count', analyzer: 'standard' } } } } },
    });
    const titles = ['a b', 'a b c d e', 'a', 'a b c d', 'a b c'];
    for (const [i, title] of titles.entries()) await t.client.index({ index: 'tc-sorted', id: `d${i}`, document: { title } });
    await t.client.indices.refresh({ index: 'tc-sorted' });
    const res = await t.client.search({ index: 'tc-sorted', query: { match_all: {} } });
    // score ties come in doc order, which the index sort set
    expect(res.hits.hits.map((h) => h._id)).toEqual(['d1', 'd3', 'd4', 'd0', 'd2']);
  });

  it('copy_to copies the text given, not the count', async () => {
    await t.client.indices.create({
      index: 'tc-copy',
      mappings: { properties: { n: { type: 'token_count', analyzer: 'standard', copy_to: 'all' }, all: { type: 'text' } } },
    });
    await t.client.index({ index: 'tc-copy', id: '1', document: { n: 'red green blue' }, refresh: true });
    expect(ids(await t.client.search({ index: 'tc-copy', query: { match: { all: 'green' } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'tc-copy', query: { term: { n: 3 } } }))).toEqual(['1']);
  });

  it('refuses a missing analyzer, search_analyzer and a bad enable_position_increments', async () => {
    const missing = await failure(t.client.indices.create({ index: 'tc-bad1', mappings: { properties: { n: { type: 'token_count' } } } }));
    expect(missing.status).toBe(400);
    expect(missing.error.type).toBe('mapper_parsing_exception');
    expect(missing.error.reason).toContain("Analyzer must be set for field [n] but wasn't.");
    const search = await failure(
      t.client.indices.create({ index: 'tc-bad2', mappings: { properties: { n: { type: 'token_count', analyzer: 'standard', search_analyzer: 'standard' } as never } } }),
    );
    expect(search.status).toBe(400);
    expect(search.error.reason).toContain('unknown parameter [search_analyzer] on mapper [n] of type [token_count]');
    const unknownAnalyzer = await failure(t.client.indices.create({ index: 'tc-bad3', mappings: { properties: { n: { type: 'token_count', analyzer: 'nope' } } } }));
    expect(unknownAnalyzer.status).toBe(400);
    expect(unknownAnalyzer.error.reason).toContain('[nope]');
  });
});
