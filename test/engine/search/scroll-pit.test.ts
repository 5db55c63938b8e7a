import { describe, expect, it } from 'vitest';
import { createSearchService } from '../../../src/engine/search/index.js';
import { ReferenceIndex, refIndex } from './reference-index.js';
import { errorOf, targets } from './helpers.js';
import type { Resp } from './helpers.js';

const mapping = { n: { type: 'long' as const }, body: { type: 'text' as const } };
const docs = Array.from({ length: 25 }, (_, i) => ({ id: `d${i}`, source: { n: i, body: i % 2 === 0 ? 'even' : 'odd' } }));

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('scroll', () => {
  it('pages to exhaustion in sort order with the same total, then returns empty pages', () => {
    const c = clock();
    const s = createSearchService({ now: c.now });
    const index = refIndex('nums', mapping, docs);
    const first = s.search(targets(index), { size: 10, sort: [{ n: 'desc' }] }, { scroll: '1m' }) as unknown as Resp & { _scroll_id: string };
    expect(typeof first._scroll_id).toBe('string');
    expect(Buffer.from(first._scroll_id, 'base64').toString('base64')).toBe(first._scroll_id);
    const seen = first.hits.hits.map((h) => h._id);
    let page = first;
    for (;;) {
      page = s.scroll(first._scroll_id, '1m', {}) as unknown as Resp & { _scroll_id: string };
      expect(page.hits.total).toEqual({ value: 25, relation: 'eq' });
      if (page.hits.hits.length === 0) break;
      seen.push(...page.hits.hits.map((h) => h._id));
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `d${24 - i}`));
    expect(s.clearScroll([first._scroll_id])).toEqual({ succeeded: true, num_freed: 1 });
    const gone = errorOf(() => s.scroll(first._scroll_id, undefined, {}));
    expect(gone.status).toBe(404);
    expect(gone.body.error.root_cause[0]?.type).toBe('search_context_missing_exception');
    expect(gone.body.error.root_cause[0]?.reason).toMatch(/^No search context found for id \[\d+\]$/);
  });

  it('expires after its keep-alive unless renewed', () => {
    const c = clock();
    const s = createSearchService({ now: c.now });
    const index = refIndex('nums', mapping, docs);
    const first = s.search(targets(index), { size: 5 }, { scroll: '30s' }) as { _scroll_id: string };
    c.advance(20_000);
    s.scroll(first._scroll_id, '30s', {});
    c.advance(20_000);
    s.scroll(first._scroll_id, undefined, {});
    c.advance(20_000);
    expect(errorOf(() => s.scroll(first._scroll_id, undefined, {})).status).toBe(404);
    expect(errorOf(() => s.scroll('not-a-scroll-id', undefined, {})).body.error.type).toBe('illegal_argument_exception');
    expect(s.clearScroll('_all')).toEqual({ succeeded: true, num_freed: 0 });
  });

  it('rejects from in a scroll context', () => {
    const s = createSearchService();
    expect(errorOf(() => s.search(targets(refIndex('nums', mapping, docs)), { from: 5 }, { scroll: '1m' })).body.error.type).toBe('action_request_validation_exception');
  });
});

describe('point in time', () => {
  it('keeps searching the frozen view while the index changes, with _shard_doc tiebreakers', () => {
    const s = createSearchService();
    const v1 = refIndex('live', mapping, docs.slice(0, 10));
    const { id } = s.openPointInTime(targets(v1), '1m');
    // the index moves on: a new view with more documents
    const v2 = refIndex('live', mapping, docs);
    expect((s.search(targets(v2), {}, {}) as unknown as Resp).hits.total?.value).toBe(25);
    const r = s.search([], { size: 4, pit: { id, keep_alive: '1m' }, sort: [{ n: 'asc' }] }, {}) as unknown as Resp & { pit_id: string };
    expect(r.pit_id).toBe(id);
    expect(r.hits.total?.value).toBe(10);
    // implicit _shard_doc: (shard index << 32) | doc
    expect(r.hits.hits.map((h) => h.sort)).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    const collected = r.hits.hits.map((h) => h._id);
    let after = r.hits.hits[3]?.sort;
    for (;;) {
      const p = s.search([], { size: 4, pit: { id }, sort: [{ n: 'asc' }], search_after: after }, {}) as unknown as Resp;
      if (p.hits.hits.length === 0) break;
      collected.push(...p.hits.hits.map((h) => h._id));
      after = p.hits.hits[p.hits.hits.length - 1]?.sort;
    }
    expect(collected).toEqual(Array.from({ length: 10 }, (_, i) => `d${i}`));
    expect(s.pointInTimeTargets(id)[0]?.view).toBe(v1);
    expect(s.closePointInTime(id)).toEqual({ succeeded: true, num_freed: 1 });
    expect(s.closePointInTime(id)).toEqual({ succeeded: true, num_freed: 0 });
    expect(errorOf(() => s.search([], { pit: { id } }, {})).status).toBe(404);
  });

  it('adds the tiebreaker only to sorted PIT searches, as ES SearchRequest does', () => {
    const s = createSearchService();
    const a = new ReferenceIndex('a', mapping, [docs.slice(0, 3)]);
    const b = new ReferenceIndex('b', mapping, [docs.slice(3, 5)]);
    const { id } = s.openPointInTime(targets(b, a), '5m');
    const unsorted = s.search([], { pit: { id } }, {}) as unknown as Resp;
    expect(unsorted.hits.hits[0]?.sort).toBeUndefined();
    const r = s.search([], { pit: { id }, sort: ['_score'] }, {}) as unknown as Resp;
    // shard index = position of the index by name (a = 0, b = 1), then the doc
    expect(r.hits.hits.map((h) => h.sort)).toEqual([[1, 0], [1, 1], [1, 2], [1, 2 ** 32], [1, 2 ** 32 + 1]]);
    // search_after with one value per explicit sort: no tiebreaker added
    const p = s.search([], { pit: { id }, sort: [{ n: 'asc' }], search_after: [2] }, {}) as unknown as Resp;
    expect(p.hits.hits.map((h) => h.sort)).toEqual([[3], [4]]);
    expect(errorOf(() => s.search(targets(a), { sort: ['_shard_doc'] }, {})).body.error.reason).toBe(
      'Validation Failed: 1: [_shard_doc] sort field cannot be used without [point in time];',
    );
  });
});
