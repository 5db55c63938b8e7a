import { describe, expect, it } from 'vitest';
import { failedResponse as status, useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'posts', settings: { number_of_shards: 3 }, mappings: { properties: { tag: { type: 'keyword' }, n: { type: 'long' } } } });
  const operations = [];
  for (let i = 1; i <= 25; i++) operations.push({ index: { _index: 'posts', _id: String(i), ...(i % 5 === 0 ? { routing: `r${i}` } : {}) } }, { tag: i % 2 === 0 ? 'even' : 'odd', n: i });
  await client.bulk({ refresh: true, operations });
});

describe('_delete_by_query and _update_by_query', () => {
  it('deletes the matching documents in scroll_size batches, routed ones included, up to max_docs', async () => {
    const first = await t.client.deleteByQuery({ index: 'posts', scroll_size: 4, max_docs: 6, refresh: true, query: { term: { tag: 'odd' } } });
    expect(first).toMatchObject({ total: 6, deleted: 6, batches: 2, version_conflicts: 0, noops: 0, failures: [], requests_per_second: -1 });
    const rest = await t.client.deleteByQuery({ index: 'posts', refresh: true, q: 'tag:odd' });
    expect(rest).toMatchObject({ total: 7, deleted: 7, batches: 1 });
    expect((await t.client.count({ index: 'posts' })).count).toBe(12);
    expect(await t.client.exists({ index: 'posts', id: '10', routing: 'r10' })).toBe(true);
  });

  it('stops at a version conflict with a 409 and its failure, or counts it with conflicts=proceed', async () => {
    await t.client.indices.putSettings({ index: 'posts', settings: { refresh_interval: -1 } });
    await t.client.index({ index: 'posts', id: '2', document: { tag: 'even', n: 2 } });
    const aborted = await status(t.client.deleteByQuery({ index: 'posts', query: { ids: { values: ['2'] } } }));
    expect(aborted.status).toBe(409);
    expect(aborted.body).toMatchObject({ deleted: 0, version_conflicts: 1, failures: [{ index: 'posts', id: '2', status: 409, cause: { type: 'version_conflict_engine_exception' } }] });
    const proceeded = await t.client.deleteByQuery({ index: 'posts', conflicts: 'proceed', query: { ids: { values: ['2'] } } });
    expect(proceeded).toMatchObject({ deleted: 0, version_conflicts: 1, failures: [] });
    await t.client.indices.putSettings({ index: 'posts', settings: { refresh_interval: '1s' } });
    await t.client.indices.refresh({ index: 'posts' });
  });

  it('indexes every matching document again, so a new multi-field becomes searchable', async () => {
    await t.client.indices.putMapping({ index: 'posts', properties: { tag: { type: 'keyword', fields: { text: { type: 'text' } } } } });
    expect((await t.client.count({ index: 'posts', query: { match: { 'tag.text': 'even' } } })).count).toBe(0);
    const result = await t.client.updateByQuery({ index: 'posts', refresh: true });
    expect(result).toMatchObject({ total: 12, updated: 12, deleted: 0, batches: 1, failures: [] });
    expect((await t.client.count({ index: 'posts', query: { match: { 'tag.text': 'even' } } })).count).toBe(12);
    expect((await t.client.get({ index: 'posts', id: '4' }))._version).toBe(2);
  });

  it('refuses what it does not build, and validates as Elasticsearch does', async () => {
    expect((await status(t.client.updateByQuery({ index: 'posts', script: { source: 'ctx._source.n++' } }))).status).toBe(400);
    expect((await status(t.client.deleteByQuery({ index: 'posts', slices: 2, query: { match_all: {} } }))).status).toBe(400);
    const noQuery = await status(t.client.deleteByQuery({ index: 'posts' }));
    expect(noQuery.body.error).toMatchObject({ type: 'action_request_validation_exception', reason: 'Validation Failed: 1: query is missing;' });
    expect((await t.client.count({ index: 'posts' })).count).toBe(12);
  });

  it('reindexes into another index under the same ids and routings, creating or updating, op_type create counting conflicts', async () => {
    await t.client.index({ index: 'copy', id: '4', document: { stale: true }, refresh: true });
    const result = await t.client.reindex({ refresh: true, source: { index: 'posts', size: 5, query: { term: { tag: 'even' } } }, dest: { index: 'copy' } });
    expect(result).toMatchObject({ total: 12, created: 11, updated: 1, deleted: 0, batches: 3, version_conflicts: 0, failures: [] });
    expect((await t.client.get({ index: 'copy', id: '10', routing: 'r10' }))._source).toMatchObject({ tag: 'even', n: 10 });
    const again = await t.client.reindex({ conflicts: 'proceed', source: { index: 'posts' }, dest: { index: 'copy', op_type: 'create' } });
    expect(again).toMatchObject({ created: 0, version_conflicts: 12 });
    const self = await status(t.client.reindex({ source: { index: 'posts' }, dest: { index: 'posts' } }));
    expect(self.body.error).toMatchObject({ reason: 'Validation Failed: 1: reindex cannot write into an index its reading from [posts];' });
    expect((await status(t.client.reindex({ source: { index: 'posts', remote: { host: 'http://elsewhere:9200' } }, dest: { index: 'copy' } }))).status).toBe(400);
  });
});
