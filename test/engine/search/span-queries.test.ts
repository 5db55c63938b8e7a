import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * The span query family and `index_phrases` through the real client. Scores are checked against
 * other queries Lucene scores the same way (a span_term is a term query's BM25 of the same freq;
 * an exact in-order span_near of distinct terms is the phrase's BM25: idf summed, freq the count
 * of matches); test/lucene/spans.lucene.ts and index-phrases.lucene.ts judge them against Lucene.
 */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'sp',
    {
      settings: { analysis: { analyzer: { stopped: { type: 'standard', stopwords: ['the', 'a'] } } } },
      mappings: {
        properties: {
          text: { type: 'text' },
          other: { type: 'text' },
          tag: { type: 'keyword' },
          count: { type: 'long' },
          pre: { type: 'text', index_prefixes: { min_chars: 2, max_chars: 5 } },
          phr: { type: 'text', analyzer: 'stopped', index_phrases: true },
        },
      },
    },
    [
      ['1', { text: 'the quick brown fox jumps', other: 'lazy dog', tag: 'x', count: 1, pre: 'short words here', phr: 'peter piper picked a peck' }],
      ['2', { text: 'quick quick brown dog', other: 'quick fox', pre: 'shore words', phr: 'piper peter picked' }],
      ['3', { text: 'brown fox quick', other: 'brown', pre: 'a short wordy one', phr: 'the peter piper' }],
      ['4', { text: 'a fox that is quick and brown and quick again', phr: 'peter and piper picked peppers' }],
      ['5', { text: 'nothing here', phr: 'peter piper' }],
    ],
  );
});

async function scores(query: Record<string, unknown>): Promise<Map<string, number>> {
  const r = await t.client.search({ index: 'sp', query, size: 20 });
  return new Map(r.hits.hits.map((h) => [h._id as string, h._score as number]));
}

async function error(query: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const e = await failure(t.client.search({ index: 'sp', query }));
  return { status: e.status, text: JSON.stringify(e.error) };
}

describe('span queries', () => {
  it('scores span_term and a one-clause span_or as the term query', async () => {
    const term = await scores({ term: { text: 'quick' } });
    expect(term.size).toBe(4);
    expect(await scores({ span_term: { text: 'quick' } })).toEqual(term);
    expect(await scores({ span_or: { clauses: [{ span_term: { text: 'quick' } }] } })).toEqual(term);
    const boosted = await scores({ term: { text: { value: 'quick', boost: 2 } } });
    expect(await scores({ span_term: { text: { value: 'quick', boost: 2 } } })).toEqual(boosted);
  });

  it('scores an exact in-order span_near as the phrase', async () => {
    const phrase = await scores({ match_phrase: { text: 'quick brown' } });
    expect([...phrase.keys()].sort()).toEqual(['1', '2']);
    expect(await scores({ span_near: { clauses: [{ span_term: { text: 'quick' } }, { span_term: { text: 'brown' } }], slop: 0, in_order: true } })).toEqual(phrase);
  });

  it('matches span_near with slop, out of order, and span_first, span_not, span_containing, span_within', async () => {
    const ids = async (q: Record<string, unknown>) => [...(await scores(q)).keys()].sort();
    const near = (slop: number, inOrder: boolean) => ({ span_near: { clauses: [{ span_term: { text: 'fox' } }, { span_term: { text: 'quick' } }], slop, in_order: inOrder } });
    // fox..quick: doc 1 quick(1) fox(3); doc 3 fox(1) quick(2); doc 4 fox(1) quick(4, 9)
    expect(await ids(near(0, true))).toEqual(['3']);
    expect(await ids(near(2, true))).toEqual(['3', '4']);
    expect(await ids(near(1, false))).toEqual(['1', '3']);
    expect(await ids({ span_first: { match: { span_term: { text: 'quick' } }, end: 1 } })).toEqual(['2']);
    // "quick" followed at once by "brown" is excluded with post 1 (doc 1), not with pre 1
    expect(await ids({ span_not: { include: { span_term: { text: 'quick' } }, exclude: { span_term: { text: 'brown' } }, post: 1 } })).toEqual(['2', '3', '4']);
    expect(await ids({ span_not: { include: { span_term: { text: 'quick' } }, exclude: { span_term: { text: 'brown' } }, pre: 1 } })).toEqual(['1', '2', '3', '4']);
    const big = { span_near: { clauses: [{ span_term: { text: 'quick' } }, { span_term: { text: 'fox' } }], slop: 2, in_order: true } };
    expect(await ids({ span_containing: { big, little: { span_term: { text: 'brown' } } } })).toEqual(['1']);
    expect(await ids({ span_within: { big, little: { span_term: { text: 'brown' } } } })).toEqual(['1']);
  });

  it('expands span_multi over prefix, wildcard and fuzzy queries, top_terms_N keeping the first terms', async () => {
    const ids = async (q: Record<string, unknown>) => [...(await scores(q)).keys()].sort();
    const multi = (match: Record<string, unknown>) => ({ span_near: { clauses: [{ span_multi: { match } }, { span_term: { text: 'fox' } }], slop: 0, in_order: true } });
    expect(await ids(multi({ prefix: { text: 'br' } }))).toEqual(['1', '3']);
    expect(await ids(multi({ wildcard: { text: 'b?ow*' } }))).toEqual(['1', '3']);
    expect(await ids(multi({ fuzzy: { text: 'brawn' } }))).toEqual(['1', '3']);
    // top_terms_1 of prefix q: "quick" is the only term
    expect(await ids({ span_multi: { match: { prefix: { text: { value: 'a', rewrite: 'top_terms_1' } } } } })).toEqual(['4']);
    expect(await ids({ span_multi: { match: { prefix: { text: 'zz' } } } })).toEqual([]);
  });

  it('answers span_multi prefix on index_prefixes inside span_near and refuses it outermost', async () => {
    const q = { span_near: { clauses: [{ span_term: { pre: 'short' } }, { span_multi: { match: { prefix: { pre: 'word' } } } }], slop: 0, in_order: true } };
    expect([...(await scores(q)).keys()].sort()).toEqual(['1', '3']);
    const top = await error({ span_multi: { match: { prefix: { pre: 'word' } } } });
    expect(top.status).toBe(400);
    expect(top.text).toContain('index_prefixes');
  });

  it('uses field_masking_span to put clauses of two fields in one span_near', async () => {
    const q = { span_near: { clauses: [{ span_term: { text: 'quick' } }, { field_masking_span: { query: { span_term: { other: 'fox' } }, field: 'text' } }], slop: 5, in_order: false } };
    // doc 2 has "quick" in text at 0..1 and "fox" in other at 1
    expect([...(await scores(q)).keys()].sort()).toEqual(['2']);
  });

  it('refuses what Elasticsearch refuses, with its messages', async () => {
    const nestedBoost = await error({ span_near: { clauses: [{ span_term: { text: { value: 'quick', boost: 2 } } }, { span_term: { text: 'fox' } }] } });
    expect(nestedBoost.status).toBe(400);
    expect(nestedBoost.text).toContain("span_near [clauses] as a nested span clause can't have non-default boost value [2.0]");
    const fields = await error({ span_near: { clauses: [{ span_term: { text: 'quick' } }, { span_term: { other: 'fox' } }] } });
    expect(fields.status).toBe(400);
    expect(fields.text).toContain('Cannot add clause other:fox to SpanNearQuery for field text');
    expect((await error({ span_or: { clauses: [{ span_term: { text: 'quick' } }, { span_term: { other: 'fox' } }] } })).text).toContain('Clauses must have same field.');
    expect((await error({ span_near: { clauses: [{ match: { text: 'quick' } }] } })).text).toContain('span_near [clauses] must be of type span query');
    expect((await error({ span_multi: { match: { match: { text: 'quick' } } } })).text).toContain('[span_multi] [match] must be of type multi term query');
    const term = await error({ span_multi: { match: { term: { text: 'quick' } } } });
    expect(term.status).toBe(400);
    expect(term.text).toContain('unsupported inner query, should be org.apache.lucene.search.MultiTermQuery but was org.apache.lucene.search.TermQuery');
    expect((await error({ span_multi: { match: { range: { count: { gte: 1 } } } } })).text).toContain('but was org.apache.lucene.search.IndexOrDocValuesQuery');
    expect((await error({ span_term: { tag: 'x' } })).text).toContain('Span term query requires position data, but field tag was indexed without position data');
    expect((await error({ span_multi: { match: { prefix: { tag: 'x' } } } })).text).toContain('Can only use span prefix queries on text fields - not on [tag] which is of type [keyword]');
    // a keyword field indexes no positions: SpanTermQuery fails the shard once it meets one of its terms
    expect((await error({ span_multi: { match: { wildcard: { tag: 'x*' } } } })).text).toContain('field \\"tag\\" was indexed without position data; cannot run SpanTermQuery (term=x)');
    expect((await error({ span_first: { match: { span_term: { text: 'quick' } } } })).text).toContain('span_first must have [end] set for it');
    expect((await error({ span_not: { include: { span_term: { text: 'a' } }, exclude: { span_term: { text: 'b' } }, dist: 1, pre: 1 } })).text).toContain(
      'span_not can either use [dist] or [pre] & [post] (or none)',
    );
    expect((await error({ span_containing: { big: { span_term: { text: 'a' } }, little: { span_term: { other: 'b' } } } })).text).toContain('big and little not same field');
  });

  it('refuses to highlight span matches (Elasticsearch tags them) and highlights other fields', async () => {
    const query = { bool: { must: [{ span_term: { text: 'fox' } }], should: [{ match: { other: 'dog' } }] } };
    const e = await failure(t.client.search({ index: 'sp', query, highlight: { fields: { text: {} } } }));
    expect(e.status).toBe(400);
    expect(JSON.stringify(e.error)).toContain('highlighting span queries on [text]');
    const r = await t.client.search({ index: 'sp', query, highlight: { fields: { other: {} } } });
    expect(r.hits.hits.find((h) => h._id === '1')?.highlight).toEqual({ other: ['lazy <em>dog</em>'] });
  });

  it('explains a span query as Lucene SpanWeight does', async () => {
    const r = await t.client.search({ index: 'sp', explain: true, query: { span_near: { clauses: [{ span_term: { text: 'quick' } }, { span_term: { text: 'brown' } }], slop: 1 } } });
    const top = r.hits.hits[0]?._explanation as { description: string; details: Array<{ description: string }> };
    expect(top.description).toMatch(/^weight\(spanNear\(\[text:quick, text:brown\], 1, true\) in \d+\) \[PerFieldSimilarity\], result of:$/);
    expect(top.details[0]?.description).toMatch(/^score\(freq=[0-9.]+\), computed as boost \* idf \* tf from:$/);
  });
});

describe('index_phrases', () => {
  it('answers exact phrases from the shingle field and the others from the field', async () => {
    const explainOf = async (query: Record<string, unknown>) => {
      const r = await t.client.search({ index: 'sp', explain: true, query });
      return { ids: r.hits.hits.map((h) => h._id as string).sort(), description: (r.hits.hits[0]?._explanation as { description: string }).description };
    };
    const two = await explainOf({ match_phrase: { phr: 'peter piper' } });
    expect(two.ids).toEqual(['1', '3', '5']);
    expect(two.description).toContain('phr._index_phrase:peter piper');
    const three = await explainOf({ match_phrase: { phr: 'peter piper picked' } });
    expect(three.ids).toEqual(['1']);
    expect(three.description).toContain('phr._index_phrase:"peter piper piper picked"');
    // a stop word leaves a hole: the phrase stays on the field; so does slop
    expect((await explainOf({ match_phrase: { phr: 'picked a peck' } })).description).toContain('phr:"picked ? peck"');
    // doc 4 "peter and piper" within slop 1; doc 2 "piper peter" would need 2
    expect((await explainOf({ match_phrase: { phr: { query: 'peter piper', slop: 1 } } })).ids).toEqual(['1', '3', '4', '5']);
  });

  it('refuses index_phrases without positions', async () => {
    const e = await failure(t.client.indices.create({ index: 'ph', mappings: { properties: { text: { type: 'text', index_phrases: true, index_options: 'freqs' } } } }));
    expect(e.status).toBe(400);
    expect(JSON.stringify(e.error)).toContain('Cannot set index_phrases on field [text] if positions are not enabled');
  });
});

describe('span_multi expansions', () => {
  it('fails past max_clause_count (4,096 terms) as SpanBooleanQueryRewriteWithMaxClause does, and top_terms_N does not', async () => {
    const words = Array.from({ length: 4097 }, (_, i) => `w${String(i).padStart(4, '0')}`);
    await createIndexWithDocs(t.client, 'many', { mappings: { properties: { text: { type: 'text' } } } }, [['1', { text: words.join(' ') }]]);
    const e = await failure(t.client.search({ index: 'many', query: { span_multi: { match: { prefix: { text: 'w' } } } } }));
    expect(JSON.stringify(e.error)).toContain('[text:w* ] exceeds maxClauseCount [ Boolean maxClauseCount is set to 4096]');
    expect(e.status).toBe(500);
    const r = await t.client.search({ index: 'many', query: { span_multi: { match: { prefix: { text: { value: 'w', rewrite: 'top_terms_10' } } } } } });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['1']);
  });
});
