import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * The `intervals` query through the real client. Scores are Lucene's IntervalQuery default,
 * saturation with pivot 1: boost * (1 - 1 / (1 + S)), S summing 1 / max(width - minExtent + 1, 1)
 * over the doc's minimal intervals (floats), recomputed here from the documents' positions.
 */

const saturation = (boost: number, freq: number): number => Math.fround(boost * Math.fround(1 - Math.fround(1 / Math.fround(1 + freq))));

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'iv',
    {
      settings: { analysis: { analyzer: { stopped: { type: 'standard', stopwords: ['the', 'a'] } } } },
      mappings: { properties: { text: { type: 'text' }, stopped: { type: 'text', analyzer: 'stopped' }, tag: { type: 'keyword' } } },
    },
    [
      ['1', { text: 'the big bad wolf', stopped: 'quick the fox', tag: 'x' }],
      ['2', { text: 'the big wolf', stopped: 'quick a brown fox' }],
      ['3', { text: 'wolf the big', stopped: 'quick fox' }],
      ['4', { text: 'big big wolf wolf' }],
      ['5', { text: 'cold outside cold outside cold' }],
    ],
  );
});

async function hits(query: Record<string, unknown>, index = 'iv'): Promise<Array<[string, number]>> {
  const r = await t.client.search({ index, query, size: 20 });
  // scores come back as Java renders floats (0.3333333): read back as floats
  return r.hits.hits.map((h) => [h._id as string, Math.fround(h._score as number)]);
}

describe('intervals query', () => {
  it('scores an unordered match by the width of its minimal intervals', async () => {
    // "big wolf": doc 2 [1,2] (width 2 = minExtent, S = 1); doc 1 [1,3] (S = 1/2); doc 3 [0,2] (S = 1/2);
    // doc 4 "big big wolf wolf" has one minimal interval [1,2] (S = 1)
    const r = await hits({ intervals: { text: { match: { query: 'big wolf' } } } });
    expect(new Map(r)).toEqual(
      new Map([
        ['2', saturation(1, 1)],
        ['4', saturation(1, 1)],
        ['1', saturation(1, 0.5)],
        ['3', saturation(1, 0.5)],
      ]),
    );
  });

  it('sums the sloppy frequency over every interval of a doc and multiplies by boost', async () => {
    // "cold outside cold outside cold", unordered: [0,1], [1,2], [2,3], [3,4], each width 2
    const ok = await hits({ intervals: { text: { match: { query: 'cold outside' }, boost: 2 } } });
    expect(ok).toEqual([['5', saturation(2, 4)]]);
  });

  it('keeps order and gaps: ordered excludes "wolf the big", max_gaps 0 is a phrase', async () => {
    const ordered = await hits({ intervals: { text: { match: { query: 'big wolf', ordered: true } } } });
    expect(ordered.map(([id]) => id).sort()).toEqual(['1', '2', '4']);
    const phrase = await hits({ intervals: { text: { match: { query: 'big wolf', ordered: true, max_gaps: 0 } } } });
    expect(phrase.map(([id]) => id).sort()).toEqual(['2', '4']);
  });

  it('pulls disjunctions of different widths out of a phrase (Lucene rewrites them), narrower block first', async () => {
    const r = await hits({
      intervals: {
        text: {
          all_of: {
            ordered: true,
            max_gaps: 0,
            intervals: [{ match: { query: 'the' } }, { any_of: { intervals: [{ match: { query: 'big' } }, { match: { query: 'big bad' } }] } }, { match: { query: 'wolf' } }],
          },
        },
      },
    });
    // minExtent of OR(BLOCK(the,big,wolf), BLOCK(the,big,bad,wolf)) is 3
    expect(r).toEqual([
      ['2', saturation(1, 1)],
      ['1', saturation(1, 0.5)],
    ]);
  });

  it('counts a repeated term twice in an ordered rule', async () => {
    const r = await hits({ intervals: { text: { match: { query: 'big big', ordered: true } } } });
    expect(r.map(([id]) => id)).toEqual(['4']);
  });

  it('keeps the hole of a removed stop word: "quick the fox" matches "quick a fox"-shaped text only', async () => {
    const r = await hits({ intervals: { stopped: { match: { query: 'quick the fox', ordered: true, max_gaps: 0 } } } });
    // the phrase is quick, EXTEND(fox, 1, 0): doc 1 (quick _ fox) and doc 2 (quick _ brown fox) differ
    expect(r.map(([id]) => id)).toEqual(['1']);
  });

  it('applies filters: containing, not_containing, before, after', async () => {
    const rule = (filter: Record<string, unknown>) => ({ intervals: { text: { match: { query: 'big wolf', filter } } } });
    const ids = async (filter: Record<string, unknown>) => (await hits(rule(filter))).map(([id]) => id).sort();
    expect(await ids({ containing: { match: { query: 'bad' } } })).toEqual(['1']);
    expect(await ids({ not_containing: { match: { query: 'bad' } } })).toEqual(['2', '3', '4']);
    expect(await ids({ after: { match: { query: 'the' } } })).toEqual(['1', '2']);
    expect(await ids({ before: { match: { query: 'the' } } })).toEqual([]);
  });

  it('expands prefix, wildcard, regexp, fuzzy and range rules over the terms of the segment', async () => {
    const ids = async (rule: Record<string, unknown>) => (await hits({ intervals: { text: { all_of: { ordered: true, intervals: [rule, { match: { query: 'wolf' } }] } } } })).map(([id]) => id).sort();
    expect(await ids({ prefix: { prefix: 'BA' } })).toEqual(['1']);
    expect(await ids({ wildcard: { pattern: 'b?g' } })).toEqual(['1', '2', '4']);
    expect(await ids({ regexp: { pattern: 'b[a]d' } })).toEqual(['1']);
    expect(await ids({ fuzzy: { term: 'bog' } })).toEqual(['1', '2', '4']);
    expect(await ids({ range: { gt: 'bad', lte: 'big' } })).toEqual(['1', '2', '4']);
  });

  it('matches nothing on an unmapped field and refuses keyword fields and script filters', async () => {
    expect(await hits({ intervals: { nope: { match: { query: 'wolf' } } } })).toEqual([]);
    const kw = await failure(t.client.search({ index: 'iv', query: { intervals: { tag: { match: { query: 'x' } } } } }));
    expect(kw.status).toBe(400);
    expect(JSON.stringify(kw.error)).toContain('Can only use interval queries on text fields - not on [tag] which is of type [keyword]');
    const script = await failure(t.client.search({ index: 'iv', query: { intervals: { text: { match: { query: 'wolf', filter: { script: { source: 'true' } } } } } } }));
    expect(script.status).toBe(400);
    expect(JSON.stringify(script.error)).toContain('script filter of an intervals query');
  });

  it('rejects two rules and unknown rule types with Elasticsearch messages', async () => {
    const two = await failure(t.client.search({ index: 'iv', query: { intervals: { text: { match: { query: 'a' }, prefix: { prefix: 'b' } } } } as never }));
    expect(two.error.reason).toBe('Only one interval rule can be specified, found [match] and [prefix]');
    const unknown = await failure(t.client.search({ index: 'iv', query: { intervals: { text: { span: {} } } } as never }));
    expect(unknown.error.reason).toBe('Unknown interval type [span], expecting one of [match, any_of, all_of, prefix, wildcard, regexp, range]');
  });

  it('fails a prefix that expands to more terms than max_clause_count in a segment', async () => {
    const words = Array.from({ length: 4097 }, (_, i) => `zz${i.toString(36)}`);
    await createIndexWithDocs(t.client, 'many', { mappings: { properties: { text: { type: 'text' } } } }, [['1', { text: words.join(' ') }]]);
    const r = await t.client.search({ index: 'many', query: { intervals: { text: { prefix: { prefix: 'zz' } } } } }).catch((e: unknown) => e);
    expect(JSON.stringify(r)).toContain('expanded to too many terms (limit 4096)');
    expect(await hits({ intervals: { text: { prefix: { prefix: 'zz1' } } } }, 'many')).toHaveLength(1);
  });

  it('claims the range_regexp_interval_queries capability of _search, and no capability it does not know', async () => {
    const ask = (path: string, capabilities: string) =>
      t.client.transport.request<{ supported: boolean }>({ method: 'GET', path: '/_capabilities', querystring: { method: 'POST', path, capabilities } });
    expect((await ask('/_search', 'range_regexp_interval_queries')).supported).toBe(true);
    expect((await ask('/{index}/_search', 'range_regexp_interval_queries')).supported).toBe(true);
    expect((await ask('/_search', 'range_regexp_interval_queries,columnar_index_modes')).supported).toBe(false);
    expect((await ask('/_bulk', 'range_regexp_interval_queries')).supported).toBe(false);
  });
});
