import { describe, expect, it } from 'vitest';
import { useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'books', settings: { number_of_shards: 2, number_of_replicas: 0 }, aliases: { library: {}, shelf: { filter: { term: { kind: 'novel' } }, routing: '1' } } });
  await client.indices.create({ index: 'albums', settings: { number_of_replicas: 1 } });
  await client.bulk({ refresh: true, operations: [{ index: { _index: 'books', _id: '1' } }, { kind: 'novel', title: 'a' }, { index: { _index: 'books', _id: '2' } }, { kind: 'essay', title: 'b' }, { index: { _index: 'albums', _id: '1' } }, { kind: 'novel' }] });
});

describe('_cat', () => {
  it('pads every column but the last, right-aligns numeric columns, and prints headers with v', async () => {
    const text = await t.client.cat.indices({ h: 'index,docs.count,pri', s: 'index', v: true });
    // `pri` and `docs.count` are text-align:right in RestIndicesAction: padded on the left
    expect(text).toBe('index  docs.count pri\nalbums          1   1\nbooks           2   2\n');
  });

  it('sorts by column aliases with :desc and renders the table as JSON strings with format=json', async () => {
    const rows = await t.client.cat.indices({ h: 'i,dc', s: 'dc:desc', format: 'json' });
    expect(rows).toEqual([
      { i: 'books', dc: '2' },
      { i: 'albums', dc: '1' },
    ]);
  });

  it('lists every column with its aliases and description for help', async () => {
    const help = await t.client.cat.count({ help: true });
    expect(help).toBe(
      ['epoch     | t,time                  | seconds since 1970-01-01 00:00:00', 'timestamp | ts,hms,hhmmss           | time in HH:MM:SS                 ', 'count     | dc,docs.count,docsCount | the document count               ', ''].join('\n'),
    );
  });

  it('counts through a search: the q parameter and an alias filter apply', async () => {
    expect(await t.client.cat.count({ index: 'books', h: 'count' })).toBe('2\n');
    expect(await t.client.cat.count({ index: 'shelf', h: 'count' })).toBe('1\n');
    // RestCountAction reads `q` from the URL (the client has no such cat.count parameter)
    expect(await t.client.transport.request({ method: 'GET', path: '/_cat/count', querystring: { q: 'kind:novel', h: 'count' } })).toBe('2\n');
  });

  it('shows alias filters and routings, and excludes aliases after a pattern with -name', async () => {
    expect(await t.client.cat.aliases({ name: 'l*,s*,-shelf', h: 'alias,index' })).toBe('library books\n');
    expect(await t.client.cat.aliases({ name: 'shelf' })).toBe('shelf books * 1 1 -\n');
  });

  it('refuses a column or pattern the engine has no statistics for instead of leaving it out', async () => {
    await expect(t.client.cat.indices({ h: 'index,search.query_total' })).rejects.toMatchObject({ statusCode: 400 });
    await expect(t.client.cat.indices({ h: 'merges.*' })).rejects.toMatchObject({ statusCode: 400 });
    await expect(t.client.cat.indices({ s: 'nope' })).rejects.toMatchObject({ statusCode: 500 });
  });
});

describe('cluster health', () => {
  it('answers a wait it cannot meet with 200 and timed_out, and lists shards at level=shards', async () => {
    const health = await t.client.cluster.health({ wait_for_status: 'green', timeout: '1ms' });
    expect(health).toMatchObject({ status: 'yellow', timed_out: true });
    expect(await t.client.cluster.health({ wait_for_nodes: '>=1', wait_for_active_shards: 3 })).toMatchObject({ timed_out: false });
    const shards = await t.client.cluster.health({ index: 'books', level: 'shards' });
    expect(shards.indices?.books?.shards).toEqual({
      '0': { status: 'green', primary_active: true, active_shards: 1, relocating_shards: 0, initializing_shards: 0, unassigned_shards: 0, unassigned_primary_shards: 0 },
      '1': { status: 'green', primary_active: true, active_shards: 1, relocating_shards: 0, initializing_shards: 0, unassigned_shards: 0, unassigned_primary_shards: 0 },
    });
    expect((await t.client.cluster.health({ index: 'no-such-*' })).status).toBe('green');
  });
});
