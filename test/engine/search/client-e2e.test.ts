import { describe, expect, it } from 'vitest';
import { errors } from '@elastic/elasticsearch';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';
import { idf, tf } from './helpers.js';

/** The search layer end to end: the real @elastic/elasticsearch client over the embedded engine. */

const N = 57;

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'mail',
    {
      mappings: {
        properties: {
          subject: { type: 'text', fields: { raw: { type: 'keyword' } } },
          from: { type: 'keyword' },
          n: { type: 'long' },
          sent: { type: 'date' },
        },
      },
    },
    Array.from({ length: N }, (_, i) => [
      `m${i}`,
      { subject: i % 3 === 0 ? 'meeting notes for the team' : `weekly report ${i}`, from: i % 2 === 0 ? 'ann@x.org' : 'bob@x.org', n: i, sent: new Date(Date.UTC(2024, 0, 1 + i)).toISOString() },
    ]),
  );
});

describe('search through the real client', () => {
  it('scores match queries with BM25 as Elasticsearch does', async () => {
    const r = await t.client.search({ index: 'mail', query: { match: { subject: 'meeting' } }, size: 1 });
    // "meeting" in docs 0, 3, ..., 54: df = 19 of 57; those subjects have 5 tokens,
    // the others 3 ("weekly report <i>"): avgdl = (19 * 5 + 38 * 3) / 57 = 209 / 57
    expect(r.hits.total).toEqual({ value: 19, relation: 'eq' });
    expect(r.hits.hits[0]?._score).toBeCloseTo(idf(19, 57) * tf(1, 5, 209 / 57), 5);
    expect(r.hits.hits[0]?._id).toBe('m0');
  });

  it('counts, sorts and filters', async () => {
    const c = await t.client.count({ index: 'mail', query: { term: { from: 'ann@x.org' } } });
    expect(c.count).toBe(29);
    const r = await t.client.search({ index: 'mail', sort: [{ sent: 'desc' }], size: 2, query: { range: { sent: { gte: '2024-02-01', lt: '2024-02-03' } } } });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['m32', 'm31']);
    expect(r.hits.hits[0]?.sort).toEqual([Date.UTC(2024, 1, 2)]);
  });

  it('pages with helpers.scrollSearch to exhaustion', async () => {
    const seen: string[] = [];
    for await (const page of t.client.helpers.scrollSearch({ index: 'mail', size: 10, sort: ['n'], scroll: '30s' })) {
      seen.push(...page.body.hits.hits.map((h) => h._id as string));
    }
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => `m${i}`));
  });

  it('pages with search_after over a point in time', async () => {
    const pit = await t.client.openPointInTime({ index: 'mail', keep_alive: '1m' });
    // documents indexed after the PIT opened are not seen
    await t.client.index({ index: 'mail', id: 'late', document: { subject: 'late', n: 1000 }, refresh: true });
    const seen: string[] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const r = await t.client.search({ pit: { id: pit.id, keep_alive: '1m' }, size: 20, sort: [{ n: 'asc' }], ...(after ? { search_after: after as never } : {}) });
      expect(r.pit_id).toBe(pit.id);
      if (r.hits.hits.length === 0) break;
      seen.push(...r.hits.hits.map((h) => h._id as string));
      after = r.hits.hits[r.hits.hits.length - 1]?.sort;
    }
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => `m${i}`));
    const closed = await t.client.closePointInTime({ id: pit.id });
    expect(closed.succeeded).toBe(true);
  });

  it('reports errors as a cluster would', async () => {
    await expect(t.client.search({ index: 'mail', query: { foo: {} } as never })).rejects.toMatchObject({
      meta: { statusCode: 400, body: { error: { type: 'parsing_exception', reason: 'unknown query [foo]' } } },
    });
    const e = await t.client.search({ index: 'mail', sort: ['subject'] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(errors.ResponseError);
    expect((e as errors.ResponseError).meta.body).toMatchObject({ error: { type: 'search_phase_execution_exception' }, status: 400 });
  });
});

describe('body sections the engine does not answer', () => {
  it('script rescorers are 400s naming them, while aggs, highlight and suggest answer', async () => {
    const { status, error } = await failure(t.client.search({ index: 'mail', rescore: { script: { script: { source: '1' } } } as never }));
    expect(status).toBe(400);
    expect(error.reason).toBe('[script rescorer] is not supported by the indexkit embedded engine');
    const ok = await t.client.search({ index: 'mail', size: 0, query: { prefix: { from: 'ann' } }, aggs: { n: { value_count: { field: 'n' } } }, suggest: { s: { text: 'meetng', term: { field: 'subject' } } } });
    // ann sent the even-numbered mails: 29 of the 57, each with an `n`; "meetng" is one edit from "meeting"
    expect(ok.aggregations).toEqual({ n: { value: 29 } });
    expect((ok.suggest!.s![0]!.options as Array<{ text: string }>).map((o) => o.text)).toEqual(['meeting']);
  });
});
