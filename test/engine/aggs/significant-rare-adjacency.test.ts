import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * significant_terms, significant_text, rare_terms and adjacency_matrix through the real client.
 * The expected figures are computed here from the formulas Elasticsearch documents (significant
 * terms heuristics) and from the data. rare_terms and adjacency_matrix run on a 3-shard index
 * (their figures do not depend on where a doc lands); the significance figures on the same docs in
 * one shard (`posts1`), and the per-shard reduce on two one-shard indices whose docs are known.
 *
 * Index `posts` (20 docs, 3 shards; `posts1` the same docs in one shard):
 *   docs 0-7 topic db, 8-19 topic web
 *   tag sql: 0-5 and 8 (7 docs); tag index: 0-3 and 8-11 (8); tag css: 12-19 (8); tag misc: 6 (1)
 *   level 1: 0-5, level 2: the rest
 *   owner solo: 3; owner pair: 0 and 15; owner many: the rest
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function tagsOf(i: number): string[] {
  const tags: string[] = [];
  if (range(0, 5).includes(i) || i === 8) tags.push('sql');
  if (range(0, 3).includes(i) || range(8, 11).includes(i)) tags.push('index');
  if (range(12, 19).includes(i)) tags.push('css');
  if (i === 6) tags.push('misc');
  return tags;
}

const t = useTestClient(async (client) => {
  const docs = range(0, 19).map((i): [string, Record<string, unknown>] => [
    `p${i}`,
    {
      topic: i < 8 ? 'db' : 'web',
      tag: tagsOf(i),
      level: i <= 5 ? 1 : 2,
      owner: i === 3 ? 'solo' : i === 0 || i === 15 ? 'pair' : 'many',
      body: tagsOf(i).join(' '),
    },
  ]);
  const mappings = {
    properties: { topic: { type: 'keyword' as const }, tag: { type: 'keyword' as const }, level: { type: 'long' as const }, owner: { type: 'keyword' as const }, body: { type: 'text' as const } },
  };
  await createIndexWithDocs(client, 'posts', { settings: { number_of_shards: 3 }, mappings }, docs);
  await createIndexWithDocs(client, 'posts1', { settings: { number_of_shards: 1 }, mappings }, docs);
  // pa: db [sql, sql]; web [sql, css, css]. pb: db [css]; web [sql, sql, sql, other]
  const small = (topic: string, tag: string): Record<string, unknown> => ({ topic, tag });
  const pa = [small('db', 'sql'), small('db', 'sql'), small('web', 'sql'), small('web', 'css'), small('web', 'css')];
  const pb = [small('db', 'css'), small('web', 'sql'), small('web', 'sql'), small('web', 'sql'), small('web', 'other')];
  await createIndexWithDocs(client, 'pa', { settings: { number_of_shards: 1 }, mappings }, pa.map((d, i) => [`a${i}`, d]));
  await createIndexWithDocs(client, 'pb', { settings: { number_of_shards: 1 }, mappings }, pb.map((d, i) => [`b${i}`, d]));
});

async function search(body: Record<string, unknown>, params: Record<string, unknown> = {}, index = 'posts'): Promise<Aggs> {
  const r = await t.client.search({ index, size: 0, ...body, ...params });
  return r.aggregations as Aggs;
}

const dbQuery = { query: { term: { topic: 'db' } } };

/** A search of the one-shard copy. */
const sig = (body: Record<string, unknown>, params: Record<string, unknown> = {}): Promise<Aggs> => search(body, params, 'posts1');

/** JLH as the significant_terms documentation defines it: (fg% - bg%) * (fg% / bg%), 0 when not positive. */
function jlh(subsetDf: number, subsetSize: number, supersetDf: number, supersetSize: number): number {
  const fg = subsetDf / subsetSize;
  const bg = supersetDf / supersetSize;
  return fg - bg <= 0 ? 0 : (fg - bg) * (fg / bg);
}

describe('significant_terms', () => {
  it('counts a term on the shards that return it: the subset sizes and supersets of every shard, the term background of those shards only', async () => {
    const r = await t.client.search({ index: 'pa,pb', size: 0, ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag', min_doc_count: 1 } } } });
    const a = r.aggregations as Aggs;
    // pa: subset 2 of 5, sql 2 (background 3); pb: subset 1 of 5, css 1 (background 1)
    expect([a.sig.doc_count, a.sig.bg_count]).toEqual([3, 10]);
    expect(a.sig.buckets.map((b: Aggs) => [b.key, b.doc_count, b.bg_count])).toEqual([
      ['sql', 2, 3],
      ['css', 1, 1],
    ]);
    expect(a.sig.buckets[0].score).toBeCloseTo(jlh(2, 3, 3, 10), 12);
    expect(a.sig.buckets[1].score).toBeCloseTo(jlh(1, 3, 1, 10), 12);
  });

  it('sums the shards subset and superset sizes and scores each term with JLH over the totals', async () => {
    const a = await sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag' } } } });
    expect(a.sig.doc_count).toBe(8);
    expect(a.sig.bg_count).toBe(20);
    // misc (1 doc) is under the default min_doc_count of 3
    expect(a.sig.buckets.map((b: Aggs) => [b.key, b.doc_count, b.bg_count])).toEqual([
      ['sql', 6, 7],
      ['index', 4, 8],
    ]);
    expect(a.sig.buckets[0].score).toBeCloseTo(jlh(6, 8, 7, 20), 12);
    expect(a.sig.buckets[1].score).toBeCloseTo(jlh(4, 8, 8, 20), 12);
  });

  it('keeps low-count terms with min_doc_count 1 and orders by score', async () => {
    const a = await sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag', min_doc_count: 1 } } } });
    const scores = a.sig.buckets.map((b: Aggs) => b.score as number);
    expect(a.sig.buckets.map((b: Aggs) => b.key)).toContain('misc');
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    const misc = a.sig.buckets.find((b: Aggs) => b.key === 'misc');
    expect(misc.score).toBeCloseTo(jlh(1, 8, 1, 20), 12);
  });

  it('computes percentage, chi_square and gnd from the contingency table', async () => {
    const pct = await sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag', percentage: {} } } } });
    expect(pct.sig.buckets.map((b: Aggs) => [b.key, b.score])).toEqual([
      ['sql', 6 / 7],
      ['index', 4 / 8],
    ]);
    // chi-square (Manning et al. 13.19): N (N11 N00 - N01 N10)^2 / (N_1 N1_ N0_ N_0)
    const chi = (n11: number, n01: number, n10: number, n00: number): number => {
      const n = n11 + n01 + n10 + n00;
      return (n * (n11 * n00 - n01 * n10) ** 2) / ((n11 + n01) * (n11 + n10) * (n01 + n00) * (n10 + n00));
    };
    const c = await sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag', chi_square: {} } } } });
    expect(c.sig.buckets[0].key).toBe('sql');
    expect(c.sig.buckets[0].score).toBeCloseTo(chi(6, 2, 1, 11), 10);
    expect(c.sig.buckets[1].score).toBeCloseTo(chi(4, 4, 4, 8), 10);
    // GND (Cilibrasi and Vitanyi), inverted: exp(-(max(log fx, log fy) - log fxy) / (log N - min(log fx, log fy)))
    const gnd = (fx: number, fy: number, fxy: number, n: number): number =>
      Math.exp(-(Math.max(Math.log(fx), Math.log(fy)) - Math.log(fxy)) / (Math.log(n) - Math.min(Math.log(fx), Math.log(fy))));
    const g = await sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag', gnd: {} } } } });
    expect(g.sig.buckets.find((b: Aggs) => b.key === 'sql').score).toBeCloseTo(gnd(7, 8, 6, 20), 10);
  });

  it('scores with a Painless script_heuristic reading the four frequencies as longs', async () => {
    const script = { source: 'params._subset_freq / (double) params._superset_freq * params.scale', params: { scale: 2 } };
    const a = await sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag', script_heuristic: { script } } } } });
    expect(a.sig.buckets.map((b: Aggs) => [b.key, b.score])).toEqual([
      ['sql', (6 / 7) * 2],
      ['index', (4 / 8) * 2],
    ]);
  });

  it('takes the superset from background_filter', async () => {
    const a = await sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag', background_filter: { term: { topic: 'web' } } } } } });
    expect(a.sig.bg_count).toBe(12);
    expect(a.sig.buckets.map((b: Aggs) => [b.key, b.bg_count])).toEqual([
      ['sql', 1],
      ['index', 4],
    ]);
    expect(a.sig.buckets[0].score).toBeCloseTo(jlh(6, 8, 1, 12), 12);
  });

  it('fails the shards when an NXY heuristic sees a background that is not a superset', async () => {
    const f = await failure(sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag', chi_square: {}, background_filter: { term: { topic: 'web' } } } } } }));
    expect(JSON.stringify(f.error)).toContain('subsetFreq > supersetFreq, does your background filter not include all documents in the bucket?');
  });

  it('answers numeric fields as siglterms and string fields as sigsterms under typed_keys', async () => {
    const a = await sig(
      { ...dbQuery, aggs: { lv: { significant_terms: { field: 'level' } }, tg: { significant_terms: { field: 'tag' } }, none: { significant_terms: { field: 'nope' } } } },
      { typed_keys: true },
    );
    expect(a['siglterms#lv'].buckets).toEqual([{ key: 1, doc_count: 6, score: jlh(6, 8, 6, 20), bg_count: 6 }]);
    expect(a['sigsterms#tg'].buckets).toHaveLength(2);
    // unmapped everywhere: UnmappedSignificantTerms, typed as a string result
    expect(a['sigsterms#none']).toEqual({ buckets: [] });
  });

  it('runs sub-aggregations per bucket and suggests a misspelled heuristic', async () => {
    const a = await sig({ ...dbQuery, aggs: { sig: { significant_terms: { field: 'tag' }, aggs: { lv: { max: { field: 'level' } } } } } });
    expect(a.sig.buckets.map((b: Aggs) => [b.key, b.lv.value])).toEqual([
      ['sql', 1],
      ['index', 1],
    ]);
    const f = await failure(sig({ aggs: { sig: { significant_terms: { field: 'tag', jlp: {} } } } }));
    expect(f.status).toBe(400);
    expect(String(f.error.reason)).toContain('[significant_terms] unknown field [jlp] did you mean [jlh]?');
  });
});

describe('significant_text', () => {
  it('re-analyses _source and counts against the indexed docFreq', async () => {
    const a = await sig({ ...dbQuery, aggs: { sig: { significant_text: { field: 'body' } } } });
    expect(a.sig.doc_count).toBe(8);
    expect(a.sig.bg_count).toBe(20);
    expect(a.sig.buckets.map((b: Aggs) => [b.key, b.doc_count, b.bg_count])).toEqual([
      ['sql', 6, 7],
      ['index', 4, 8],
    ]);
  });
});

describe('rare_terms', () => {
  it('sums a term over the shards before comparing with max_doc_count, and orders by count then key', async () => {
    const one = await search({ aggs: { r: { rare_terms: { field: 'owner' } } } });
    expect(one.r.buckets).toEqual([{ key: 'solo', doc_count: 1 }]);
    const two = await search({ aggs: { r: { rare_terms: { field: 'owner', max_doc_count: 2 } } } }, { typed_keys: true });
    expect(two['srareterms#r'].buckets).toEqual([
      { key: 'solo', doc_count: 1 },
      { key: 'pair', doc_count: 2 },
    ]);
    const numeric = await search({ aggs: { r: { rare_terms: { field: 'level', max_doc_count: 6 } } } }, { typed_keys: true });
    expect(numeric['lrareterms#r'].buckets).toEqual([{ key: 1, doc_count: 6 }]);
  });

  it('refuses max_doc_count above 100', async () => {
    const f = await failure(search({ aggs: { r: { rare_terms: { field: 'owner', max_doc_count: 101 } } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('[max_doc_count] must be smaller than or equal to [100]');
  });
});

describe('adjacency_matrix', () => {
  it('gives each filter and each non-empty intersection a bucket, sorted by key', async () => {
    const filters = { A: { term: { topic: 'db' } }, B: { term: { tag: 'sql' } }, C: { term: { tag: 'css' } } };
    const a = await search({ aggs: { m: { adjacency_matrix: { filters } } } }, { typed_keys: true });
    expect(a['adjacency_matrix#m'].buckets).toEqual([
      { key: 'A', doc_count: 8 },
      { key: 'A&B', doc_count: 6 },
      { key: 'B', doc_count: 7 },
      { key: 'C', doc_count: 8 },
    ]);
    const s = await search({ aggs: { m: { adjacency_matrix: { filters, separator: '|' } } } });
    expect(s.m.buckets.map((b: Aggs) => b.key)).toEqual(['A', 'A|B', 'B', 'C']);
  });
});
