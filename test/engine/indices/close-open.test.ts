import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { openTestClient, removeDir, tempDir } from '../helpers.js';

async function errorOf(promise: Promise<unknown>): Promise<{ status: number; type: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof errors.ResponseError) return { status: error.statusCode ?? 0, type: (error.body as { error: { type: string } }).error.type };
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('close and open index', () => {
  it('refuses reads and writes of a closed index, skips it in wildcards, and keeps it closed across a restart', async () => {
    const dir = tempDir();
    const first = await openTestClient(dir);
    const { client } = first;
    await client.indices.create({ index: 'logs-a', mappings: { properties: { n: { type: 'long' } } } });
    await client.indices.create({ index: 'logs-b' });
    await client.index({ index: 'logs-a', id: '1', document: { n: 1 }, refresh: true });
    await client.index({ index: 'logs-b', id: '1', document: { n: 2 }, refresh: true });

    const closed = await client.indices.close({ index: 'logs-a' });
    expect(closed.indices).toEqual({ 'logs-a': { closed: true } });
    expect(await errorOf(client.search({ index: 'logs-a' }))).toEqual({ status: 400, type: 'index_closed_exception' });
    expect(await errorOf(client.index({ index: 'logs-a', id: '2', document: { n: 3 } }))).toEqual({ status: 400, type: 'index_closed_exception' });
    expect(await errorOf(client.get({ index: 'logs-a', id: '1' }))).toEqual({ status: 400, type: 'index_closed_exception' });
    expect((await client.search({ index: 'logs-a', ignore_unavailable: true })).hits.hits).toEqual([]);
    // the wildcard reaches the open index only, unless expand_wildcards asks for closed ones
    expect((await client.search({ index: 'logs-*' })).hits.hits.map((h) => h._index)).toEqual(['logs-b']);
    expect(Object.keys(await client.indices.getMapping({ index: 'logs-*', expand_wildcards: 'closed' }))).toEqual(['logs-a']);
    const rows = await client.cat.indices({ index: 'logs-*', format: 'json', h: 'index,status' });
    expect(rows).toEqual([{ index: 'logs-a', status: 'close' }, { index: 'logs-b', status: 'open' }].sort((a, b) => (a.index < b.index ? -1 : 1)));
    // a non-dynamic setting can change while the index is closed, not while it is open
    await client.indices.putSettings({ index: 'logs-a', settings: { 'index.codec': 'best_compression' } });
    expect((await errorOf(client.indices.putSettings({ index: 'logs-b', settings: { 'index.codec': 'best_compression' } }))).type).toBe('illegal_argument_exception');
    await first.close();

    const second = await openTestClient(dir);
    expect(await errorOf(second.client.count({ index: 'logs-a' }))).toEqual({ status: 400, type: 'index_closed_exception' });
    await second.client.indices.open({ index: 'logs-a' });
    expect((await second.client.count({ index: 'logs-a' })).count).toBe(1);
    expect((await second.client.indices.getSettings({ index: 'logs-a' }))['logs-a']!.settings!.index!.codec).toBe('best_compression');
    await second.close();
    removeDir(dir);
  });

  it('refuses to close by wildcard while action.destructive_requires_name is true, and 404s an unknown index', async () => {
    const t = await openTestClient();
    await t.client.indices.create({ index: 'one' });
    expect((await errorOf(t.client.indices.close({ index: 'on*' }))).type).toBe('illegal_argument_exception');
    expect(await errorOf(t.client.indices.close({ index: 'missing' }))).toEqual({ status: 404, type: 'index_not_found_exception' });
    expect((await t.client.search({ index: 'one' })).hits.hits).toEqual([]);
    await t.close();
    removeDir(t.dir);
  });
});
