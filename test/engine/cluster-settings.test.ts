import { describe, expect, it } from 'vitest';
import { failure, openTestClient, removeDir, tempDir, useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'cs', mappings: { properties: { k: { type: 'keyword' } } } });
  await client.bulk({ refresh: true, operations: ['a', 'b', 'c', 'd'].flatMap((k) => [{ index: { _index: 'cs' } }, { k }]) });
});

describe('_cluster/settings', () => {
  it('stores persistent and transient settings, nested or flat, and resets them with null', async () => {
    expect(await t.client.cluster.getSettings()).toEqual({ persistent: {}, transient: {} });
    const put = await t.client.cluster.putSettings({ persistent: { 'search.max_buckets': 10 }, transient: { search: { default_allow_partial_results: false } } });
    expect(put).toEqual({ acknowledged: true, persistent: { search: { max_buckets: '10' } }, transient: { search: { default_allow_partial_results: 'false' } } });
    expect(await t.client.cluster.getSettings({ flat_settings: true })).toEqual({ persistent: { 'search.max_buckets': '10' }, transient: { 'search.default_allow_partial_results': 'false' } });
    await t.client.cluster.putSettings({ persistent: { '*': null }, transient: { 'search.default_allow_partial_results': null } });
    expect(await t.client.cluster.getSettings()).toEqual({ persistent: {}, transient: {} });
  });

  it('refuses unknown settings, bad values and limits it cannot honour, changing nothing', async () => {
    const unknown = await failure(t.client.cluster.putSettings({ persistent: { 'search.max_buckets': 5, 'no.such.setting': 1 } }));
    expect(unknown.status).toBe(400);
    expect(unknown.error.reason).toBe('persistent setting [no.such.setting], not recognized');
    expect((await failure(t.client.cluster.putSettings({ transient: { 'search.max_buckets': 'many' } }))).status).toBe(400);
    expect((await failure(t.client.cluster.putSettings({ transient: { 'indices.breaker.request.limit': '1mb' } }))).error.reason).toContain('circuit breakers');
    expect((await failure(t.client.cluster.putSettings({ transient: { 'search.allow_expensive_queries': 'maybe' } }))).status).toBe(400);
    expect((await failure(t.client.cluster.putSettings({ persistent: { 'script.allowed_types': 'inline' } }))).error.reason).toBe('persistent setting [script.allowed_types], not dynamically updateable');
    expect((await failure(t.client.cluster.putSettings({ persistent: { 'search.aggs.allowed_inline_metric_scripts': [{ source: 'x' }] } }))).status).toBe(400);
    expect(await t.client.cluster.getSettings()).toEqual({ persistent: {}, transient: {} });
  });

  it('search.max_buckets limits the buckets of a search, transient over persistent', async () => {
    await t.client.cluster.putSettings({ persistent: { 'search.max_buckets': 100 }, transient: { 'search.max_buckets': 3 } });
    try {
      const error = await failure(t.client.search({ index: 'cs', size: 0, aggs: { k: { terms: { field: 'k' } } } }));
      expect(error.status).toBe(400);
      expect(JSON.stringify(error.error)).toContain('Must be less than or equal to: [3]');
      await t.client.cluster.putSettings({ transient: { 'search.max_buckets': null } });
      const res = await t.client.search({ index: 'cs', size: 0, aggs: { k: { terms: { field: 'k' } } } });
      expect((res.aggregations!.k as { buckets: unknown[] }).buckets).toHaveLength(4);
    } finally {
      await t.client.cluster.putSettings({ persistent: { 'search.max_buckets': null }, transient: { 'search.max_buckets': null } });
    }
  });

  it('action.destructive_requires_name: false lets DELETE expand wildcards', async () => {
    await t.client.indices.create({ index: 'gone-1' });
    await t.client.indices.create({ index: 'gone-2' });
    expect((await failure(t.client.indices.delete({ index: 'gone-*' }))).status).toBe(400);
    await t.client.cluster.putSettings({ transient: { 'action.destructive_requires_name': false } });
    try {
      await t.client.indices.delete({ index: 'gone-*' });
      expect(await t.client.indices.exists({ index: 'gone-1,gone-2' })).toBe(false);
      expect(await t.client.indices.exists({ index: 'cs' })).toBe(true);
      expect((await failure(t.client.indices.delete({ index: 'none-*', allow_no_indices: false }))).status).toBe(404);
    } finally {
      await t.client.cluster.putSettings({ transient: { 'action.destructive_requires_name': null } });
    }
  });

  it('keeps persistent settings across a restart, not transient ones', async () => {
    const dir = tempDir();
    try {
      const first = await openTestClient(dir);
      await first.client.cluster.putSettings({ persistent: { 'search.max_buckets': 7 }, transient: { 'search.max_buckets': 8 } });
      await first.close();
      const second = await openTestClient(dir);
      expect(await second.client.cluster.getSettings({ flat_settings: true })).toEqual({ persistent: { 'search.max_buckets': '7' }, transient: {} });
      await second.close();
    } finally {
      removeDir(dir);
    }
  });
});
