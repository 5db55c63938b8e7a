import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * composite through the real client. Data:
 *   c1 k a       n 1   at 2024-01-01T08:00Z
 *   c2 k a       n 12  at 2024-01-02T08:00Z
 *   c3 k b       n 5   at 2024-01-01T20:00Z
 *   c4 k [a, b]  n 15
 *   c5           n 3
 * (k, n rounded to 10) combinations: c1 (a,0), c2 (a,10), c3 (b,0), c4 (a,10) and (b,10); c5 has no k.
 */

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

async function composite(body: Record<string, unknown>, subs?: Record<string, unknown>): Promise<Aggs> {
  const r = await t.client.search({ index: 'c', size: 0, aggs: { c: { composite: body, ...(subs ? { aggs: subs } : {}) } } as never });
  return (r.aggregations as Aggs).c as Aggs;
}

const KH = [{ k: { terms: { field: 'k' } } }, { h: { histogram: { field: 'n', interval: 10 } } }];

const t = useTestClient(async (client) => {
  const docs = [
    { k: 'a', n: 1, at: '2024-01-01T08:00:00Z' },
    { k: 'a', n: 12, at: '2024-01-02T08:00:00Z' },
    { k: 'b', n: 5, at: '2024-01-01T20:00:00Z' },
    { k: ['a', 'b'], n: 15 },
    { n: 3 },
  ];
  await createIndexWithDocs(client, 'c', { mappings: { properties: { k: { type: 'keyword' }, n: { type: 'long' }, at: { type: 'date' } } } }, docs.map((src, i) => [`c${i + 1}`, src]));
});

describe('composite', () => {
  it('pages through every combination with after_key until the buckets run out', async () => {
    const p1 = await composite({ size: 2, sources: KH });
    expect(p1).toEqual({
      after_key: { k: 'a', h: 10 },
      buckets: [
        { key: { k: 'a', h: 0 }, doc_count: 1 },
        { key: { k: 'a', h: 10 }, doc_count: 2 },
      ],
    });
    const p2 = await composite({ size: 2, sources: KH, after: p1.after_key });
    expect(p2).toEqual({
      after_key: { k: 'b', h: 10 },
      buckets: [
        { key: { k: 'b', h: 0 }, doc_count: 1 },
        { key: { k: 'b', h: 10 }, doc_count: 1 },
      ],
    });
    const p3 = await composite({ size: 2, sources: KH, after: p2.after_key });
    expect(p3).toEqual({ buckets: [] });
  });

  it('orders a source descending and puts missing_bucket nulls first in ascending order', async () => {
    const desc = await composite({ sources: [{ k: { terms: { field: 'k', order: 'desc' } } }] });
    // b: c3 c4; a: c1 c2 c4
    expect(desc.buckets).toEqual([
      { key: { k: 'b' }, doc_count: 2 },
      { key: { k: 'a' }, doc_count: 3 },
    ]);
    const withNull = await composite({ size: 1, sources: [{ k: { terms: { field: 'k', missing_bucket: true } } }] });
    expect(withNull).toEqual({ after_key: { k: null }, buckets: [{ key: { k: null }, doc_count: 1 }] });
    const next = await composite({ size: 1, sources: [{ k: { terms: { field: 'k', missing_bucket: true } } }], after: { k: null } });
    expect(next.buckets).toEqual([{ key: { k: 'a' }, doc_count: 3 }]);
  });

  it('buckets dates by date_histogram sources, as millis or in format', async () => {
    const a = await composite({ sources: [{ d: { date_histogram: { field: 'at', calendar_interval: 'day' } } }] });
    // 1 Jan: c1 c3; 2 Jan: c2; c4, c5 have no date
    expect(a.buckets).toEqual([
      { key: { d: Date.UTC(2024, 0, 1) }, doc_count: 2 },
      { key: { d: Date.UTC(2024, 0, 2) }, doc_count: 1 },
    ]);
    const f = await composite({ sources: [{ d: { date_histogram: { field: 'at', calendar_interval: 'day', format: 'yyyy-MM-dd', time_zone: '-10:00' } } }] });
    // at -10:00, 1 Jan 08:00Z is 31 Dec 22:00; 1 Jan 20:00Z is 1 Jan 10:00; 2 Jan 08:00Z is 1 Jan 22:00
    expect(f.buckets).toEqual([
      { key: { d: '2023-12-31' }, doc_count: 1 },
      { key: { d: '2024-01-01' }, doc_count: 2 },
    ]);
    const after = await composite({ sources: [{ d: { date_histogram: { field: 'at', calendar_interval: 'day', format: 'yyyy-MM-dd', time_zone: '-10:00' } } }], after: { d: '2023-12-31' } });
    expect(after.buckets).toEqual([{ key: { d: '2024-01-01' }, doc_count: 2 }]);
  });

  it('runs sub-aggregations per composite bucket', async () => {
    const a = await composite({ sources: [{ k: { terms: { field: 'k' } } }] }, { h: { histogram: { field: 'n', interval: 10 } } });
    // a: 1, 12, 15 -> 0: 1, 10: 2; b: 5, 15 -> 0: 1, 10: 1
    expect(a.buckets[0]).toEqual({ key: { k: 'a' }, doc_count: 3, h: { buckets: [{ key: 0, doc_count: 1 }, { key: 10, doc_count: 2 }] } });
    expect(a.buckets[1].h.buckets).toEqual([{ key: 0, doc_count: 1 }, { key: 10, doc_count: 1 }]);
  });

  it('rejects empty or duplicate sources', async () => {
    const f = await failure(t.client.search({ index: 'c', aggs: { c: { composite: { sources: [] } } } }));
    expect(f.error.reason).toBe('Composite [sources] cannot be null or empty');
    const g = await failure(t.client.search({ index: 'c', aggs: { c: { composite: { sources: [{ x: { terms: { field: 'k' } } }, { x: { terms: { field: 'n' } } }] } } } }));
    expect(g.error.reason).toBe('Composite source names must be unique, found duplicates: [x]');
  });
});
