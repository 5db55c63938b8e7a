import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: Engine;
let dir: string;

const call = engineCaller(() => engine);

async function search(index: string, body: Json, query = ''): Promise<Json> {
  const r = await call('POST', `/${index}/_search${query}`, body);
  if (r.status !== 200) throw new Error(`search failed: ${JSON.stringify(r.body)}`);
  return r.body;
}

const ids = (r: Json): string[] => (r.hits.hits as Json[]).map((h) => h._id as string);

// 30 docs: group g = i % 4 (keyword and integer), rank i, a title whose "fox" count varies
const DOCS = Array.from({ length: 30 }, (_, i) => ({
  id: `d${i}`,
  source: { group: `g${i % 4}`, num: i % 4, rank: i, title: `${'fox '.repeat(1 + (i % 5))}den ${'x '.repeat(i % 3)}`.trim() },
}));

async function fill(index: string, shards: number): Promise<void> {
  const mappings = { properties: { group: { type: 'keyword' }, num: { type: 'integer' }, rank: { type: 'integer' }, title: { type: 'text' }, tags: { type: 'keyword' } } };
  expect((await call('PUT', `/${index}`, { settings: { number_of_shards: shards }, mappings })).status).toBe(200);
  for (const d of DOCS) expect((await call('PUT', `/${index}/_doc/${d.id}`, d.source)).status).toBe(201);
  expect((await call('PUT', `/${index}/_doc/multi`, { tags: ['a', 'b'], rank: 100 })).status).toBe(201);
  await call('POST', `/${index}/_refresh`);
}

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  await fill('one', 1);
  await fill('three', 3);
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

/** The collapse Elasticsearch defines: the best hit of each group by the search's order, groups ranked by their best hit. */
function collapseByHand(hits: Json[], field: string): Json[] {
  const seen = new Set<unknown>();
  return hits.filter((h) => {
    const key = h._source?.[field] ?? null;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

describe('collapse', () => {
  it('keeps the best hit of each group by the sort, counts every hit, and reports the group value', async () => {
    for (const field of ['group', 'num']) {
      const r = await search('one', { query: { exists: { field: 'rank' } }, collapse: { field }, sort: [{ rank: 'desc' }], size: 10 });
      expect(r.hits.total).toEqual({ value: 31, relation: 'eq' });
      // "multi" (rank 100) has no group: it is the null group's head
      expect(ids(r)).toEqual(['multi', 'd29', 'd28', 'd27', 'd26']);
      expect(r.hits.hits.map((h: Json) => h.fields[field][0])).toEqual([null, ...[29, 28, 27, 26].map((i) => (field === 'group' ? `g${i % 4}` : i % 4))]);
      expect(r.hits.hits[1].sort).toEqual([29]);
    }
  });

  it('on three shards picks the heads a single ranked list gives (per-shard then coordinator collapse)', async () => {
    const query = { match: { title: 'fox' } };
    for (const index of ['one', 'three']) {
      const all = await search(index, { query, size: 100 });
      const collapsed = await search(index, { query, collapse: { field: 'group' }, size: 100 });
      expect(ids(collapsed)).toEqual(collapseByHand(all.hits.hits, 'group').map((h) => h._id));
      expect(collapsed.hits.hits.map((h: Json) => h._score)).toEqual(collapseByHand(all.hits.hits, 'group').map((h) => h._score));
      expect(collapsed.hits.max_score).toBe(all.hits.max_score);
      expect(collapsed.hits.total.value).toBe(all.hits.total.value);
    }
  });

  it('pages over groups with from and size', async () => {
    const full = await search('three', { query: { match_all: {} }, collapse: { field: 'num' }, sort: [{ rank: 'asc' }], size: 10 });
    expect(ids(full)).toEqual(['d0', 'd1', 'd2', 'd3', 'multi']);
    const page = await search('three', { query: { match_all: {} }, collapse: { field: 'num' }, sort: [{ rank: 'asc' }], from: 2, size: 2 });
    expect(ids(page)).toEqual(['d2', 'd3']);
  });

  it('pages with search_after when sorted on the collapse field only', async () => {
    const r = await search('three', { query: { exists: { field: 'num' } }, collapse: { field: 'num' }, sort: [{ num: 'desc' }], search_after: [2], size: 5 });
    expect(r.hits.hits.map((h: Json) => h.sort[0])).toEqual([1, 0]);
    const bad = await call('POST', '/three/_search', { collapse: { field: 'num' }, sort: [{ rank: 'desc' }], search_after: [3] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.root_cause[0].reason).toBe('Cannot use [collapse] in conjunction with [search_after] unless the search is sorted on the same field. Multiple sort fields are not allowed.');
  });

  it('expands groups with inner_hits: totals, sort, size, from and several definitions', async () => {
    const r = await search('three', {
      query: { exists: { field: 'num' } },
      sort: [{ rank: 'desc' }],
      size: 2,
      collapse: {
        field: 'group',
        max_concurrent_group_searches: 2,
        inner_hits: [
          { name: 'first', size: 2, sort: [{ rank: 'asc' }], _source: false, version: true },
          { name: 'later', from: 1, size: 1, sort: [{ rank: 'desc' }], fields: ['num'] },
        ],
      },
    });
    expect(ids(r)).toEqual(['d29', 'd28']);
    const g1 = r.hits.hits[0].inner_hits; // group g1: ranks 1, 5, 9, ..., 29 (8 docs)
    expect(g1.first.hits.total).toEqual({ value: 8, relation: 'eq' });
    expect(ids(g1.first)).toEqual(['d1', 'd5']);
    expect(g1.first.hits.hits[0]._source).toBeUndefined();
    expect(g1.first.hits.hits[0]._version).toBe(1);
    expect(ids(g1.later)).toEqual(['d25']);
    expect(g1.later.hits.hits[0].fields).toEqual({ num: [1] });
    expect(ids(r.hits.hits[1].inner_hits.first)).toEqual(['d0', 'd4']);
  });

  it('collapses inner hits by a second field', async () => {
    const r = await search('one', {
      query: { exists: { field: 'num' } },
      sort: [{ rank: 'asc' }],
      size: 1,
      collapse: { field: 'group', inner_hits: { name: 'by_title', size: 10, sort: [{ rank: 'asc' }], collapse: { field: 'rank' } } },
    });
    // ranks are distinct: the inner collapse keeps every doc of the group, each with its rank in fields
    expect(r.hits.hits[0].inner_hits.by_title.hits.hits.map((h: Json) => h.fields.rank[0])).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
  });

  it('answers the errors Elasticsearch gives', async () => {
    const cases: Array<[Json, string, number]> = [
      [{ collapse: { field: 'title' } }, 'collapse is not supported for the field [title] of the type [text]', 400],
      [{ collapse: { field: 'nope' } }, 'no mapping found for `nope` in order to collapse on', 400],
      [{ collapse: { field: 'tags' } }, 'the collapse field must be single valued', 500],
    ];
    for (const [body, reason, status] of cases) {
      const r = await call('POST', '/one/_search', body);
      expect(r.status).toBe(status);
      expect(r.body.error.root_cause[0].reason).toContain(reason);
    }
    const scroll = await call('POST', '/one/_search?scroll=1m', { collapse: { field: 'group' } });
    expect(scroll.body.error.reason).toBe('Validation Failed: 1: cannot use `collapse` in a scroll context;');
    const unnamed = await call('POST', '/one/_search', { collapse: { field: 'group', inner_hits: { size: 1 } } });
    expect(unnamed.body.error.type).toBe('x_content_parse_exception');
    expect(unnamed.body.error.caused_by.reason).toContain('inner_hits must have a [name]');
    const nestedInner = await call('POST', '/one/_search', { collapse: { field: 'group', inner_hits: { name: 'x', collapse: { field: 'num', inner_hits: {} } } } });
    expect(nestedInner.body.error.caused_by.reason).toBe('Invalid token in the inner collapse');
  });
});

describe('rescore', () => {
  // match_all scores 1; the rescore query scores 3 on the docs of group g0
  const rescoreQuery = { constant_score: { filter: { term: { group: 'g0' } }, boost: 3 } };
  const sorted = (r: Json): Array<[string, number]> => (r.hits.hits as Json[]).map((h) => [h._id as string, h._score as number]);

  it('combines the first pass and the rescore query in its window with each score_mode', async () => {
    const expected: Record<string, (p: number, s: number) => number> = {
      total: (p, s) => p + s,
      multiply: (p, s) => p * s,
      avg: (p, s) => (p + s) / 2,
      max: (p, s) => Math.max(p, s),
      min: (p, s) => Math.min(p, s),
    };
    for (const [mode, combine] of Object.entries(expected)) {
      const base = await search('one', { query: { match_all: {} }, size: 31 });
      const r = await search('one', { query: { match_all: {} }, size: 31, rescore: { window_size: 12, query: { rescore_query: rescoreQuery, query_weight: 0.5, rescore_query_weight: 2, score_mode: mode } } });
      // by hand: the first 12 hits of the first pass are rescored, the others weigh 0.5
      const byHand = (base.hits.hits as Json[]).map((h, k): [string, number] => {
        const primary = h._score * 0.5;
        return [h._id, k < 12 && h._source.group === 'g0' ? Math.fround(combine(primary, 3 * 2)) : primary];
      });
      byHand.sort((a, b) => b[1] - a[1] || Number(a[0].slice(1)) - Number(b[0].slice(1)));
      expect(sorted(r).slice(0, 30)).toEqual(byHand.filter(([id]) => id !== 'multi').slice(0, 30).map(([id, s]) => [id, s]));
      expect(r.hits.max_score).toBe(byHand[0]![1]);
    }
  });

  it('applies several rescorers in sequence and explains the score it gives', async () => {
    const r = await search('one', {
      query: { match_all: {} },
      explain: true,
      size: 3,
      rescore: [
        { window_size: 5, query: { rescore_query: rescoreQuery } },
        { window_size: 2, query: { rescore_query: { term: { group: 'g1' } }, query_weight: 2, rescore_query_weight: 0 } },
      ],
    });
    // first: d0 and d4 (g0, in the first 5) score 1 + 3 = 4, d1 d2 d3 score 1; second: the first two doubled
    expect(sorted(r)).toEqual([
      ['d0', 8],
      ['d4', 8],
      ['d1', 2],
    ]);
    for (const h of r.hits.hits as Json[]) expect(h._explanation.value).toBe(h._score);
    // d0 did not match the second rescore query: its first pass (the first rescorer's total) times 2
    expect(r.hits.hits[0]._explanation).toMatchObject({ description: 'product of:', details: [{ description: 'total of:', value: 4 }, { description: 'primaryWeight', value: 2 }] });
  });

  it('rescores each shard on its own and merges the shards by score', async () => {
    const r = await search('three', { query: { match_all: {} }, size: 40, rescore: { window_size: 2, query: { rescore_query: { match_all: {} }, rescore_query_weight: 9 } } });
    // every shard rescores its own first two hits: six hits score 10, the others 1
    expect((r.hits.hits as Json[]).filter((h) => h._score === 10)).toHaveLength(6);
    expect(r.hits.total.value).toBe(31);
  });

  it('refuses a sort, a window above index.max_rescore_window and a scroll', async () => {
    const sort = await call('POST', '/one/_search', { sort: [{ rank: 'asc' }], rescore: { query: { rescore_query: { match_all: {} } } } });
    expect(sort.body.error.root_cause[0].reason).toBe('Cannot use [sort] option in conjunction with [rescore].');
    const bad = await call('PUT', '/one/_settings', { index: { max_rescore_window: 0 } });
    expect(bad.body.error.reason).toBe('Failed to parse value [0] for setting [index.max_rescore_window] must be >= 1');
    expect((await call('PUT', '/one/_settings', { index: { max_rescore_window: 5 } })).status).toBe(200);
    const window = await call('POST', '/one/_search', { rescore: { window_size: 6, query: { rescore_query: { match_all: {} } } } });
    expect(window.body.error.root_cause[0].reason).toContain('Rescore window [6] is too large. It must be less than [5].');
    expect((await call('POST', '/one/_search', { rescore: { window_size: 5, query: { rescore_query: { match_all: {} } } } })).status).toBe(200);
    const scroll = await call('POST', '/one/_search?scroll=1m', { rescore: { query: { rescore_query: { match_all: {} } } } });
    expect(scroll.body.error.reason).toBe('Validation Failed: 1: using [rescore] is not allowed in a scroll context;');
  });
});
