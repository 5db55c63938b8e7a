import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient();


describe('indices API', () => {
  it('answers GET / like an Elasticsearch 8 node', async () => {
    const info = await t.client.info();
    expect(info.version.number).toBe('8.19.0');
    expect(info.version.build_flavor).toBe('default');
    expect(info.tagline).toBe('You Know, for Search');
    const raw = await t.client.transport.request({ method: 'GET', path: '/' }, { meta: true });
    expect(raw.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(raw.headers['content-type']).toBe('application/vnd.elasticsearch+json;compatible-with=9');
  });

  it('creates an index and reports it with string-valued settings', async () => {
    const res = await t.client.indices.create({ index: 'books', settings: { number_of_shards: 1, number_of_replicas: 0, max_result_window: 500 }, mappings: { properties: { title: { type: 'text' } } } });
    expect(res).toEqual({ acknowledged: true, shards_acknowledged: true, index: 'books' });
    const got = await t.client.indices.get({ index: 'books' });
    const settings = got.books!.settings!.index!;
    expect(settings.number_of_shards).toBe('1');
    expect(settings.number_of_replicas).toBe('0');
    expect(settings.max_result_window).toBe('500');
    expect(settings.provided_name).toBe('books');
    expect(settings.uuid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(settings.creation_date).toMatch(/^\d+$/);
    expect(got.books!.mappings).toEqual({ properties: { title: { type: 'text' } } });
    expect(got.books!.aliases).toEqual({});
    expect(await t.client.indices.exists({ index: 'books' })).toBe(true);
    expect(await t.client.indices.exists({ index: 'nope' })).toBe(false);
  });

  it('refuses an existing index with resource_already_exists_exception', async () => {
    const error = await failure(t.client.indices.create({ index: 'books' }));
    expect(error.status).toBe(400);
    expect(error.error.type).toBe('resource_already_exists_exception');
    expect(error.error.reason).toMatch(/^index \[books\/[A-Za-z0-9_-]+\] already exists$/);
  });

  it('validates index names as Elasticsearch does', async () => {
    const cases: Array<[string, string]> = [
      ['UPPER', 'Invalid index name [UPPER], must be lowercase'],
      ['_under', "Invalid index name [_under], must not start with '_', '-', or '+'"],
      ['has#hash', "Invalid index name [has#hash], must not contain '#'"],
      ['a*b', 'Invalid index name [a*b], must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]'],
    ];
    for (const [name, reason] of cases) {
      const error = await failure(t.client.indices.create({ index: name }));
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({ type: 'invalid_index_name_exception', reason });
    }
  });

  it('refuses more than 1,024 shards and routing partitions with a clear 400', async () => {
    const error = await failure(t.client.indices.create({ index: 'sharded', settings: { number_of_shards: 2000 } }));
    expect(error.status).toBe(400);
    expect(error.error.reason).toBe('Failed to parse value [2000] for setting [index.number_of_shards] must be <= 1024');
    // a partition must be smaller than the routing shards (3 shards route over 768 by default)
    const partition = await failure(t.client.indices.create({ index: 'sharded', settings: { number_of_shards: 3, number_of_routing_shards: 3, routing_partition_size: 3 } }));
    expect(partition.status).toBe(400);
    expect(partition.error.reason).toBe('routing partition size [3] should be a positive number less than the number of routing shards [3] for [sharded]');
  });

  it('refuses unknown settings', async () => {
    const error = await failure(t.client.indices.create({ index: 'weird', settings: { 'index.foo': 'bar' } }));
    expect(error.error.reason).toBe('unknown setting [index.foo] please check that any required plugins are installed, or check the breaking changes documentation for removed settings');
  });

  it('updates dynamic settings and refuses static ones on an open index', async () => {
    await t.client.indices.putSettings({ index: 'books', settings: { refresh_interval: '2s', number_of_replicas: 1 } });
    const got = await t.client.indices.getSettings({ index: 'books' });
    expect(got.books!.settings!.index!.refresh_interval).toBe('2s');
    const flat = await t.client.indices.getSettings({ index: 'books', flat_settings: true });
    expect(flat.books!.settings!['index.number_of_replicas']).toBe('1');
    const error = await failure(t.client.indices.putSettings({ index: 'books', settings: { analysis: { analyzer: { a: { type: 'standard' } } } } }));
    expect(error.status).toBe(400);
    expect(error.error.reason).toMatch(/^Can't update non dynamic settings \[\[index\.analysis\.analyzer\.a\.type\]\] for open indices \[\[books\//);
  });

  it('deletes indices by name and refuses wildcards (destructive_requires_name)', async () => {
    await t.client.indices.create({ index: 'tmp-1' });
    await t.client.indices.create({ index: 'tmp-2' });
    const wildcard = await failure(t.client.indices.delete({ index: 'tmp-*' }));
    expect(wildcard.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'Wildcard expressions or all indices are not allowed' });
    expect(await t.client.indices.delete({ index: 'tmp-1,tmp-2' })).toEqual({ acknowledged: true });
    const missing = await failure(t.client.indices.delete({ index: 'tmp-1' }));
    expect(missing.status).toBe(404);
    expect(missing.error.type).toBe('index_not_found_exception');
  });

  it('reports _stats, _cat/indices (json and text) and cluster health', async () => {
    await t.client.indices.create({ index: 'stats', settings: { number_of_replicas: 0 } });
    await t.client.bulk({ refresh: true, operations: [{ index: { _index: 'stats', _id: '1' } }, { a: 1 }, { index: { _index: 'stats', _id: '2' } }, { a: 2 }] });
    await t.client.delete({ index: 'stats', id: '1', refresh: true });
    const stats = await t.client.indices.stats({ index: 'stats' });
    expect(stats.indices!.stats!.primaries!.docs).toEqual({ count: 1, deleted: 1 });
    expect(stats.indices!.stats!.primaries!.store!.size_in_bytes).toBeGreaterThan(0);
    const cat = await t.client.cat.indices({ index: 'stats', format: 'json' });
    expect(cat[0]).toMatchObject({ health: 'green', status: 'open', index: 'stats', pri: '1', rep: '0', 'docs.count': '1', 'docs.deleted': '1' });
    const text = (await t.client.cat.indices({ index: 'stats', v: true })) as unknown as string;
    expect(text.split('\n')[0]).toMatch(/^health\s+status\s+index\s+uuid\s+pri\s+rep\s+docs\.count/);
    const health = await t.client.cluster.health({ index: 'stats', wait_for_status: 'green' });
    expect(health.status).toBe('green');
    const all = await t.client.cluster.health();
    expect(all.status).toBe('yellow');
    expect(all.number_of_nodes).toBe(1);
  });

  it('counts documents through _count', async () => {
    const res = await t.client.count({ index: 'stats' });
    expect(res.count).toBe(1);
  });

  it('answers unknown APIs with an Elasticsearch-shaped 400 naming them', async () => {
    const error = await failure(t.client.transport.request({ method: 'POST', path: '/stats/_disk_usage' }));
    expect(error.status).toBe(400);
    expect(error.error.reason).toBe('[POST /{index}/_disk_usage] is not supported by the indexkit embedded engine');
  });

  it('runs _analyze through the analysis layer', async () => {
    const res = await t.client.indices.analyze({ analyzer: 'standard', text: 'Hello World' });
    expect(res.tokens!.map((tok) => tok.token)).toEqual(['hello', 'world']);
    const byField = await t.client.indices.analyze({ index: 'books', field: 'title', text: 'Big Books' });
    expect(byField.tokens!.map((tok) => tok.token)).toEqual(['big', 'books']);
  });
});

describe('index blocks', () => {
  it('refuses writes to an index with index.blocks.write', async () => {
    await t.client.indices.create({ index: 'blocked' });
    await t.client.indices.putSettings({ index: 'blocked', settings: { 'index.blocks.write': true } });
    const error = await failure(t.client.index({ index: 'blocked', id: '1', document: { a: 1 } }));
    expect(error.status).toBe(403);
    expect(error.error).toMatchObject({ type: 'cluster_block_exception', reason: 'index [blocked] blocked by: [FORBIDDEN/8/index write (api)];' });
    await t.client.indices.putSettings({ index: 'blocked', settings: { 'index.blocks.write': false } });
    expect((await t.client.index({ index: 'blocked', id: '1', document: { a: 1 } })).result).toBe('created');
  });
});
