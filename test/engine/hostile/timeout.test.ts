import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../helpers.js';

/** Issue 12: bound the work of one search with Elasticsearch's `timeout` (partial results, `timed_out: true`). */
const DOCS = 5000;
const shared = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'many',
    { mappings: { properties: { body: { type: 'text' } } } },
    Array.from({ length: DOCS }, (_, i): [string, Record<string, unknown>] => [String(i), { body: `common word${i % 7}` }]),
  );
});

describe('search timeout', () => {
  it('stops collecting at the timeout and answers the hits found so far with timed_out: true', async () => {
    const r = await shared.client.search({ index: 'many', timeout: '1nanos', query: { match: { body: 'common' } }, track_total_hits: true });
    expect(r.timed_out).toBe(true);
    expect((r.hits.total as { value: number }).value).toBeGreaterThan(0);
    expect((r.hits.total as { value: number }).value).toBeLessThan(DOCS);
  });

  it('answers everything with timed_out: false when the timeout is not reached (URL parameter too)', async () => {
    const r = await shared.client.search({ index: 'many', timeout: '1m', query: { match: { body: 'common' } }, track_total_hits: true });
    expect(r.timed_out).toBe(false);
    expect((r.hits.total as { value: number }).value).toBe(DOCS);
    const viaUrl = await shared.client.transport.request<{ timed_out: boolean }>({ method: 'POST', path: '/many/_search', querystring: { timeout: '1nanos' }, body: { query: { match: { body: 'common' } } } });
    expect(viaUrl.timed_out).toBe(true);
  });

  it('refuses a timeout that is not a time value', async () => {
    await expect(shared.client.search({ index: 'many', timeout: 'soon', query: { match_all: {} } })).rejects.toMatchObject({ statusCode: 400 });
  });
});
