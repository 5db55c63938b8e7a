import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * match_only_text (MatchOnlyTextFieldMapper): postings of docs only, so its term and fuzzy queries
 * are ConstantScoreQuery and its phrase queries SourceConfirmedTextQuery wrapped in one: every
 * matching clause scores its boost (1.0), whatever the term frequencies, lengths or idf.
 */
const t = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'mot', { mappings: { properties: { body: { type: 'match_only_text' }, tag: { type: 'keyword' } } } }, [
    ['1', { body: 'Apache Lucene powers Elasticsearch', tag: 'a' }],
    ['2', { body: 'Elasticsearch is based on Apache Lucene lucene lucene', tag: 'b' }],
    ['3', { body: 'The Apache Software Foundation', tag: 'c' }],
    ['4', { body: ['quick brown', 'fox jumps'], tag: 'd' }],
  ]);
});

type Hit = { _id?: string | null; _score?: number | null };
const scores = (res: { hits: { hits: Hit[] } }): Array<[string, number]> =>
  res.hits.hits.map((h): [string, number] => [String(h._id), Number(h._score)]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

describe('match_only_text', () => {
  it('match scores 1.0 per matching term (no tf, norms or idf), times the boost', async () => {
    const res = await t.client.search({ index: 'mot', query: { match: { body: 'apache lucene' } } });
    expect(scores(res)).toEqual([
      ['1', 2],
      ['2', 2],
      ['3', 1],
    ]);
    const boosted = await t.client.search({ index: 'mot', query: { match: { body: { query: 'lucene', boost: 3 } } } });
    expect(scores(boosted)).toEqual([
      ['1', 3],
      ['2', 3],
    ]);
    const term = await t.client.search({ index: 'mot', query: { term: { body: { value: 'apache', boost: 0.5 } } } });
    expect(scores(term).map(([, s]) => s)).toEqual([0.5, 0.5, 0.5]);
  });

  it('phrases and phrase prefixes match in order and score 1.0; values do not join into one phrase', async () => {
    const phrase = await t.client.search({ index: 'mot', query: { match_phrase: { body: 'lucene powers' } } });
    expect(scores(phrase)).toEqual([['1', 1]]);
    const reversed = await t.client.search({ index: 'mot', query: { match_phrase: { body: 'powers lucene' } } });
    expect(reversed.hits.total).toMatchObject({ value: 0 });
    const prefix = await t.client.search({ index: 'mot', query: { match_phrase_prefix: { body: 'apache luc' } } });
    expect(scores(prefix)).toEqual([
      ['1', 1],
      ['2', 1],
    ]);
    const across = await t.client.search({ index: 'mot', query: { match_phrase: { body: 'brown fox' } } });
    expect(across.hits.total).toMatchObject({ value: 0 });
  });

  it('fuzzy scores the constant once, not per expansion', async () => {
    const res = await t.client.search({ index: 'mot', query: { fuzzy: { body: { value: 'lucane', boost: 2 } } } });
    expect(scores(res)).toEqual([
      ['1', 2],
      ['2', 2],
    ]);
    const match = await t.client.search({ index: 'mot', query: { match: { body: { query: 'apachee', fuzziness: 1 } } } });
    expect(scores(match).map(([, s]) => s)).toEqual([1, 1, 1]);
  });

  it('highlights as a text field holding the same values does', async () => {
    await createIndexWithDocs(t.client, 'mot-text', { mappings: { properties: { body: { type: 'text' } } } }, [
      ['1', { body: 'Apache Lucene powers Elasticsearch' }],
      ['2', { body: 'Elasticsearch is based on Apache Lucene lucene lucene' }],
    ]);
    for (const query of [{ match_phrase: { body: 'apache lucene' } }, { match: { body: 'lucene elasticsearch' } }, { fuzzy: { body: 'lucane' } }]) {
      const matchOnly = await t.client.search({ index: 'mot', query: { bool: { must: query, filter: { ids: { values: ['1', '2'] } } } }, highlight: { fields: { body: {} } }, sort: ['_doc'] });
      const text = await t.client.search({ index: 'mot-text', query, highlight: { fields: { body: {} } }, sort: ['_doc'] });
      expect(matchOnly.hits.hits.map((h) => h.highlight?.body)).toEqual(text.hits.hits.map((h) => h.highlight?.body));
      expect(matchOnly.hits.hits.length).toBe(2);
    }
  });

  it('keeps its type in the mapping and refuses analyzers, sorting, aggregations and span queries', async () => {
    const mapping = await t.client.indices.getMapping({ index: 'mot' });
    expect(mapping.mot?.mappings.properties?.body).toEqual({ type: 'match_only_text' });
    const analyzer = await failure(t.client.indices.create({ index: 'mot-bad', mappings: { properties: { f: { type: 'match_only_text', analyzer: 'simple' } as never } } }));
    expect(JSON.stringify(analyzer.error)).toContain('unknown parameter [analyzer] on mapper [f] of type [match_only_text]');
    const sort = await failure(t.client.search({ index: 'mot', sort: [{ body: 'asc' }] }));
    expect(JSON.stringify(sort.error)).toContain('match_only_text fields do not support sorting and aggregations');
    const agg = await failure(t.client.search({ index: 'mot', aggs: { t: { terms: { field: 'body' } } } }));
    expect(JSON.stringify(agg.error)).toContain('match_only_text fields do not support sorting and aggregations');
    const span = await failure(t.client.search({ index: 'mot', query: { span_term: { body: 'lucene' } } }));
    expect(span.status).toBe(400);
  });

  it('without _source, terms still match but positional queries fail as Elasticsearch words it', async () => {
    await createIndexWithDocs(t.client, 'mot-nosource', { mappings: { _source: { enabled: false }, properties: { body: { type: 'match_only_text' } } } }, [['1', { body: 'quick brown fox' }]]);
    const term = await t.client.search({ index: 'mot-nosource', query: { match: { body: 'quick fox' } } });
    expect(scores(term)).toEqual([['1', 2]]);
    const phrase = await failure(t.client.search({ index: 'mot-nosource', query: { match_phrase: { body: 'quick brown' } } }));
    expect(JSON.stringify(phrase.error)).toContain('Field [body] of type [match_only_text] cannot run positional queries since [_source] is disabled.');
  });
});
