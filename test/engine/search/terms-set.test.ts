import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * terms_set (TermsSetQueryBuilder -> Lucene's CoveringQuery). The students example of the
 * terms_set documentation: its response gives 1.4544616 and 0.5013843, which is BM25 with
 * Elasticsearch's (k1 + 1) factor over a keyword field (no norms: length 1, avgdl 6/2 = 3, so
 * tf = 1 / (1 + 1.2 * (0.25 + 0.75 / 3)) = 0.625): doc 2 matches CS101 and MATH101 (idf ln 1.2
 * each), doc 1 also CS102 (idf ln 2).
 */
const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'students',
    { mappings: { properties: { name: { type: 'keyword' }, classes: { type: 'keyword' }, min_required: { type: 'integer' }, year: { type: 'long' } } } },
    [
      ['1', { name: 'Mary Major', classes: ['CS101', 'CS102', 'MATH101'], min_required: 2, year: 2020 }],
      ['2', { name: 'John Doe', classes: ['CS101', 'MATH101', 'ENG101'], min_required: 2, year: 2021 }],
    ],
  );
});

type Hit = { _id?: string | null; _score?: number | null };
const scores = (res: { hits: { hits: Hit[] } }): Array<[string, number]> => res.hits.hits.map((h) => [String(h._id), Number(h._score)]);
const classes = ['CS101', 'CS102', 'MATH101'];

describe('terms_set', () => {
  it('minimum_should_match_field: scores as the documentation example (the sum of the matching terms)', async () => {
    const res = await t.client.search({ index: 'students', query: { terms_set: { classes: { terms: classes, minimum_should_match_field: 'min_required' } } } });
    expect(scores(res)).toEqual([
      ['1', 1.4544616],
      ['2', 0.5013843],
    ]);
  });

  it('minimum_should_match_script with params.num_terms; a doc needs max(1, n) matches', async () => {
    const all = await t.client.search({
      index: 'students',
      query: { terms_set: { classes: { terms: classes, minimum_should_match_script: { source: 'params.num_terms' } } } },
    });
    expect(scores(all)).toEqual([['1', 1.4544616]]);
    const fromDoc = await t.client.search({
      index: 'students',
      query: { terms_set: { classes: { terms: classes, minimum_should_match_script: { source: "Math.min(params.num_terms, doc['min_required'].value)" } } } },
    });
    expect(fromDoc.hits.hits.map((h) => h._id)).toEqual(['1', '2']);
    const zero = await t.client.search({
      index: 'students',
      query: { terms_set: { classes: { terms: ['ENG101', 'NONE'], minimum_should_match_script: { source: 'params.min', params: { min: 0 } } } } },
    });
    expect(zero.hits.hits.map((h) => h._id)).toEqual(['2']);
  });

  it('the boost weighs every term; duplicated terms count (and score) twice', async () => {
    const boosted = await t.client.search({ index: 'students', query: { terms_set: { classes: { terms: classes, minimum_should_match_field: 'min_required', boost: 2 } } } });
    const plain = await t.client.search({ index: 'students', query: { bool: { should: classes.map((c) => ({ term: { classes: { value: c, boost: 2 } } })) } } });
    expect(scores(boosted)).toEqual(scores(plain));
    const twice = await t.client.search({ index: 'students', query: { terms_set: { classes: { terms: ['ENG101', 'ENG101'], minimum_should_match_field: 'min_required' } } } });
    const once = await t.client.search({ index: 'students', query: { term: { classes: 'ENG101' } } });
    expect(twice.hits.hits.map((h) => h._id)).toEqual(['2']);
    expect(twice.hits.hits[0]?._score).toBeCloseTo(2 * Number(once.hits.hits[0]?._score), 5);
  });

  it('a doc without a minimum does not match; no terms matches nothing; numeric fields are term queries', async () => {
    const missing = await t.client.search({ index: 'students', query: { terms_set: { classes: { terms: classes, minimum_should_match_script: { source: "doc['year'].value > 2020 ? 1 : null" } } } } });
    expect(missing.hits.hits.map((h) => h._id)).toEqual(['2']);
    const empty = await t.client.search({ index: 'students', query: { terms_set: { classes: { terms: [], minimum_should_match_field: 'min_required' } } } });
    expect(empty.hits.total).toMatchObject({ value: 0 });
    const numeric = await t.client.search({ index: 'students', query: { terms_set: { year: { terms: [2021, 1999], minimum_should_match_script: { source: '1' } } } } });
    expect(scores(numeric)).toEqual([['2', 1]]);
  });

  it('errors as Elasticsearch words them', async () => {
    const unmapped = await failure(t.client.search({ index: 'students', query: { terms_set: { classes: { terms: classes, minimum_should_match_field: 'nope' } } } }));
    expect(JSON.stringify(unmapped.error)).toContain('failed to find minimum_should_match field [nope]');
    const neither = await failure(t.client.search({ index: 'students', query: { terms_set: { classes: { terms: classes } } } }));
    expect(JSON.stringify(neither.error)).toContain('No minimum should match has been specified');
    const both = await failure(
      t.client.search({ index: 'students', query: { terms_set: { classes: { terms: classes, minimum_should_match_field: 'min_required', minimum_should_match_script: { source: '1' } } } } }),
    );
    expect(JSON.stringify(both.error)).toContain('Cannot specify both a field and script');
    const unknown = await failure(t.client.search({ index: 'students', query: { terms_set: { classes: { terms: classes, foo: 1 } } } as never }));
    expect(JSON.stringify(unknown.error)).toContain('[terms_set] query does not support [foo]');
  });
});
