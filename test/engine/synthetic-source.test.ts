import { describe, expect, it } from 'vitest';
import { failure, openTestClient, removeDir, tempDir, useTestClient } from './helpers.js';

/**
 * Synthetic `_source` (index.mapping.source.mode: synthetic): the source rebuilt from what the
 * index keeps of each field, as Elasticsearch 8.19 rebuilds it, everywhere a source is returned.
 */

const SYNTHETIC = { index: { mapping: { source: { mode: 'synthetic' } } } } as never;

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'syn',
    settings: SYNTHETIC,
    mappings: {
      properties: {
        kw: { type: 'keyword' },
        short_kw: { type: 'keyword', ignore_above: 5 },
        n: { type: 'long' },
        f: { type: 'float' },
        h: { type: 'half_float' },
        b: { type: 'boolean' },
        d: { type: 'date', format: 'yyyy-MM-dd' },
        ip: { type: 'ip' },
        title: { type: 'text', fields: { raw: { type: 'keyword' } } },
        body: { type: 'text' },
        stored_text: { type: 'text', store: true },
        obj: { properties: { a: { type: 'keyword' }, b: { type: 'long' } } },
        kids: { type: 'nested', properties: { name: { type: 'keyword' }, age: { type: 'long' } } },
        off: { type: 'object', enabled: false },
        bad_n: { type: 'long', ignore_malformed: true },
        nv: { type: 'keyword', null_value: 'NULL' },
        norm: { type: 'keyword', normalizer: 'lowercase' },
        blob: { type: 'binary' },
      },
    },
  });
  await client.index({
    index: 'syn',
    id: '1',
    refresh: true,
    document: {
      kw: ['b', 'a', 'b', 'c'],
      short_kw: ['toolong', 'ok', 'zz', 'ok'],
      n: [3, 1, 2, 1],
      f: 3.14,
      h: 3.14,
      b: [true, false, true],
      d: '2024-05-01',
      ip: ['10.0.0.2', '::1', '10.0.0.2', '10.0.0.1'],
      title: ['second', 'first'],
      body: ['keep', 'my', 'order'],
      stored_text: ['z', 'a'],
      'obj.a': 'x',
      obj: [{ b: 2 }, { b: 1 }],
      kids: [{ name: 'ann', age: 7 }, { name: 'bob' }],
      off: { anything: [1, { goes: true }] },
      bad_n: ['nope', 5],
      nv: null,
      norm: ['B', 'a', 'B'],
      blob: 'aGVsbG8=',
    },
  });
});

const EXPECTED = {
  b: [false, true, true],
  bad_n: [5, 'nope'],
  blob: 'aGVsbG8=',
  body: ['keep', 'my', 'order'],
  d: '2024-05-01',
  f: 3.14,
  h: 3.140625,
  ip: ['::1', '10.0.0.1', '10.0.0.2'],
  kids: [
    { age: 7, name: 'ann' },
    { name: 'bob' },
  ],
  kw: ['a', 'b', 'c'],
  n: [1, 1, 2, 3],
  norm: ['B', 'a', 'B'],
  nv: 'NULL',
  obj: { a: 'x', b: [1, 2] },
  off: { anything: [1, { goes: true }] },
  short_kw: ['ok', 'zz', 'toolong'],
  stored_text: ['z', 'a'],
  title: ['first', 'second'],
};

describe('synthetic _source', () => {
  it('rebuilds each field type as Elasticsearch does: keywords sorted and de-duplicated, numbers sorted, objects merged', async () => {
    const doc = await t.client.get({ index: 'syn', id: '1' });
    expect(doc._source).toEqual(EXPECTED);
    // alphabetical field order, as SourceLoader.Synthetic writes objects
    expect(Object.keys(doc._source as object)).toEqual(Object.keys(EXPECTED).sort());
  });

  it('shows the same source in search hits, mget and with _source filtering', async () => {
    const hits = await t.client.search({ index: 'syn', query: { term: { kw: 'a' } } });
    expect(hits.hits.hits[0]!._source).toEqual(EXPECTED);
    const mget = await t.client.mget({ index: 'syn', ids: ['1'] });
    expect((mget.docs[0] as { _source: unknown })._source).toEqual(EXPECTED);
    const filtered = await t.client.get({ index: 'syn', id: '1', _source_includes: ['kw', 'obj.b'] });
    expect(filtered._source).toEqual({ kw: ['a', 'b', 'c'], obj: { b: [1, 2] } });
  });

  it('updates from the synthetic source, as UpdateHelper reads it', async () => {
    await t.client.index({ index: 'syn', id: 'u', refresh: true, document: { kw: ['y', 'x'], n: 2 } });
    const updated = await t.client.update({ index: 'syn', id: 'u', doc: { n: 5 }, _source: true, refresh: true });
    expect(updated.get?._source).toEqual({ kw: ['x', 'y'], n: 5 });
    expect((await t.client.get({ index: 'syn', id: 'u' }))._source).toEqual({ kw: ['x', 'y'], n: 5 });
    // a doc that equals the synthetic source is a noop, even though it differs from what was sent
    expect((await t.client.update({ index: 'syn', id: 'u', doc: { kw: ['x', 'y'] } })).result).toBe('noop');
  });

  it('keeps the mapping modes out of reach refused: filtering a synthetic source, a type it cannot rebuild', async () => {
    const filtered = await failure(t.client.indices.create({ index: 'bad1', settings: SYNTHETIC, mappings: { _source: { includes: ['a'] } } }));
    expect(filtered.error.reason).toMatch(/filtering the stored _source is incompatible with synthetic source/);
    const range = await failure(t.client.indices.create({ index: 'bad2', settings: SYNTHETIC, mappings: { properties: { p: { type: 'integer_range' } } } }));
    expect(range.status).toBe(400);
    expect(range.error.reason).toMatch(/synthetic _source of field \[p\] of type \[integer_range\]/);
    // a field kept as given (no native loader) given an explicit null: what 8.19 keeps is not modelled
    const nullFallback = await failure(t.client.index({ index: 'syn', id: 'n', document: { norm: null } }));
    expect(nullFallback.error.reason).toMatch(/synthetic _source of field \[norm\] given null/);
    const copy = await failure(t.client.indices.create({ index: 'bad3', settings: SYNTHETIC, mappings: { properties: { a: { type: 'keyword', copy_to: 'b' }, b: { type: 'keyword' } } } }));
    expect(copy.error.reason).toMatch(/\[copy_to\]/);
  });

  // the geo_point example of Elasticsearch's synthetic source documentation: points quantized as
  // Lucene encodes them and sorted by their encoding, whatever form they were given in
  it('rebuilds geo_points from their quantized doc values, sorted', async () => {
    await t.client.indices.create({ index: 'geo', settings: SYNTHETIC, mappings: { properties: { point: { type: 'geo_point' } } } });
    await t.client.index({ index: 'geo', id: '1', refresh: true, document: { point: [{ lat: 10, lon: 30 }, [-80, -90]] } });
    expect((await t.client.get({ index: 'geo', id: '1' }))._source).toEqual({
      point: [
        { lat: -90, lon: -80.00000000931323 },
        { lat: 9.999999990686774, lon: 29.999999972060323 },
      ],
    });
  });

  it('keeps fields dynamic: false leaves unmapped as given, and refuses one given in several objects of an array', async () => {
    await t.client.indices.create({ index: 'strictish', settings: SYNTHETIC, mappings: { dynamic: false, properties: { k: { type: 'keyword' }, o: { properties: { k2: { type: 'keyword' } } } } } });
    await t.client.index({ index: 'strictish', id: '1', refresh: true, document: { k: ['b', 'a'], extra: { z: [3, 1], y: null }, list: [{ u: 2 }, { u: 1 }] } });
    expect((await t.client.get({ index: 'strictish', id: '1' }))._source).toEqual({ extra: { z: [3, 1], y: null }, k: ['a', 'b'], list: [{ u: 2 }, { u: 1 }] });
    // `x` unmapped in each object of a mapped object array: how 8.19 merges those entries is not modelled
    const twice = await failure(t.client.index({ index: 'strictish', id: '2', document: { o: [{ k2: 'b', x: 1 }, { k2: 'a', x: 2 }] } }));
    expect(twice.status).toBe(400);
    expect(twice.error.reason).toMatch(/\[o\.x\] given more than once/);
    expect((await t.client.get({ index: 'strictish', id: '2' }, { ignore: [404] })).found).toBe(false);
  });

  it('returns nested inner hits from the synthetic source of each nested document', async () => {
    const hits = await t.client.search({ index: 'syn', query: { nested: { path: 'kids', query: { term: { 'kids.name': 'bob' } }, inner_hits: {} } } });
    const inner = hits.hits.hits[0]!.inner_hits!.kids!.hits.hits;
    expect(inner.map((h) => [h._nested?.offset, h._source])).toEqual([[1, { name: 'bob' }]]);
  });

  // the flattened examples of Elasticsearch's synthetic source documentation: leaves as strings,
  // sorted and de-duplicated per key, objects of arrays merged
  it('rebuilds flattened fields from their keyed values', async () => {
    await t.client.indices.create({ index: 'flat', settings: SYNTHETIC, mappings: { properties: { flattened: { type: 'flattened' } } } });
    await t.client.index({ index: 'flat', id: '1', document: { flattened: { field: ['apple', 'apple', 'banana', 'avocado', '10', '200', 'AVOCADO', 'Banana', 'Tangerine'] } } });
    await t.client.index({ index: 'flat', id: '2', refresh: true, document: { flattened: { field: [{ id: 1, name: 'foo' }, { id: 2, name: 'bar' }, { id: 3, name: 'baz' }] } } });
    expect((await t.client.get({ index: 'flat', id: '1' }))._source).toEqual({ flattened: { field: ['10', '200', 'AVOCADO', 'Banana', 'Tangerine', 'apple', 'avocado', 'banana'] } });
    expect((await t.client.get({ index: 'flat', id: '2' }))._source).toEqual({ flattened: { field: { id: ['1', '2', '3'], name: ['bar', 'baz', 'foo'] } } });
  });

  it('refuses force_synthetic_source on an index that stores its source', async () => {
    await t.client.index({ index: 'plain', id: '1', document: { a: 1 }, refresh: true });
    const forced = await failure(t.client.get({ index: 'plain', id: '1', force_synthetic_source: true }));
    expect(forced.status).toBe(400);
    expect((await t.client.get({ index: 'syn', id: '1', force_synthetic_source: true }))._source).toEqual(EXPECTED);
  });

  it('lets a put-mapping switch to synthetic only when no existing document would read differently', async () => {
    await t.client.indices.create({ index: 'switch_ok' });
    await t.client.index({ index: 'switch_ok', id: '1', document: { value: 4 }, refresh: true });
    await t.client.indices.putMapping({ index: 'switch_ok', _source: { mode: 'synthetic' } } as never);
    expect((await t.client.indices.getMapping({ index: 'switch_ok' })).switch_ok!.mappings._source).toEqual({ mode: 'synthetic' });
    await t.client.index({ index: 'switch_ok', id: '2', document: { value: [3, 1] }, refresh: true });
    expect((await t.client.get({ index: 'switch_ok', id: '2' }))._source).toEqual({ value: [1, 3] });

    await t.client.indices.create({ index: 'switch_no' });
    await t.client.index({ index: 'switch_no', id: '1', document: { value: [4, 2] }, refresh: true });
    const refused = await failure(t.client.indices.putMapping({ index: 'switch_no', _source: { mode: 'synthetic' } } as never));
    expect(refused.status).toBe(400);
    expect((await t.client.get({ index: 'switch_no', id: '1' }))._source).toEqual({ value: [4, 2] });
    // synthetic cannot go back to stored (SourceFieldMapper's merge validator)
    const back = await failure(t.client.indices.putMapping({ index: 'switch_ok', _source: { mode: 'stored' } } as never));
    expect(back.error.reason).toMatch(/Cannot update parameter \[mode\] from \[synthetic\] to \[stored\]/);
  });

  it('keeps synthetic sources across a restart (rebuilt from the translog and the flush snapshot)', async () => {
    const dir = tempDir();
    try {
      const first = await openTestClient(dir);
      await first.client.indices.create({ index: 'r', settings: SYNTHETIC, mappings: { properties: { k: { type: 'keyword', ignore_above: 3 } } } });
      await first.client.index({ index: 'r', id: '1', document: { k: ['long one', 'b', 'a'] } });
      await first.client.indices.flush({ index: 'r' });
      await first.client.index({ index: 'r', id: '2', document: { k: ['d', 'c'] } });
      await first.close();
      const second = await openTestClient(dir);
      expect((await second.client.get({ index: 'r', id: '1' }))._source).toEqual({ k: ['a', 'b', 'long one'] });
      expect((await second.client.get({ index: 'r', id: '2' }))._source).toEqual({ k: ['c', 'd'] });
      await second.close();
    } finally {
      removeDir(dir);
    }
  });
});

describe('index modes', () => {
  it('creates logsdb and time_series indices with synthetic source and their default mappings', async () => {
    await t.client.indices.create({ index: 'logs', settings: { index: { mode: 'logsdb' } } as never });
    const logs = (await t.client.indices.getMapping({ index: 'logs' })).logs!.mappings as Record<string, unknown>;
    expect(logs._source).toEqual({ mode: 'synthetic' });
    expect(logs.properties).toEqual({ '@timestamp': { type: 'date' }, host: { properties: { name: { type: 'keyword', ignore_above: 1024 } } } });
    await t.client.indices.create({ index: 'logs2', settings: { index: { mode: 'logsdb' } } as never, mappings: { properties: { host: { properties: { name: { type: 'text' } } } } } });
    const logs2 = (await t.client.indices.getMapping({ index: 'logs2' })).logs2!.mappings as Record<string, unknown>;
    expect(logs2.properties).toEqual({ '@timestamp': { type: 'date' }, host: { properties: { name: { type: 'text' } } } });
    await t.client.indices.create({
      index: 'metrics',
      settings: { index: { mode: 'time_series', routing_path: ['host'] } } as never,
      mappings: { properties: { host: { type: 'keyword', time_series_dimension: true } as never } },
    });
    const metrics = (await t.client.indices.getMapping({ index: 'metrics' })).metrics!.mappings as Record<string, unknown>;
    expect(metrics._source).toEqual({ mode: 'synthetic' });
    expect(metrics._data_stream_timestamp).toEqual({ enabled: true });
    expect(metrics.properties).toEqual({ '@timestamp': { type: 'date' }, host: { type: 'keyword', time_series_dimension: true } });
  });

  it('validates time_series settings and mappings with Elasticsearch messages', async () => {
    const noPath = await failure(t.client.indices.create({ index: 'ts1', settings: { index: { mode: 'time_series' } } as never }));
    expect(noPath.error.reason).toBe('[index.mode=time_series] requires a non-empty [index.routing_path]');
    const notDimension = await failure(
      t.client.indices.create({ index: 'ts2', settings: { index: { mode: 'time_series', routing_path: ['k'] } } as never, mappings: { properties: { k: { type: 'keyword' } } } }),
    );
    expect(notDimension.error.reason).toMatch(/All fields that match routing_path must be configured with \[time_series_dimension: true\].*\[k\] was not a dimension/);
    const routed = await failure(t.client.indices.putAlias({ index: 'metrics', name: 'm', routing: '1' }));
    expect(routed.error.reason).toBe('routing is forbidden on CRUD operations that target indices in [index.mode=time_series]');
    const nested = await failure(t.client.indices.putMapping({ index: 'metrics', properties: { n: { type: 'nested' } } }));
    expect(nested.error.reason).toBe('cannot have nested fields when index is in [index.mode=time_series]');
    const pathOnStandard = await failure(t.client.indices.create({ index: 'ts3', settings: { index: { routing_path: ['k'] } } as never }));
    expect(pathOnStandard.error.reason).toBe('[index.routing_path] requires [index.mode=time_series]');
  });

  it('refuses writes into logsdb and time_series indices (their write path is not built) instead of answering differently', async () => {
    const write = await failure(t.client.index({ index: 'logs', document: { '@timestamp': '2024-01-01', message: 'x' } }));
    expect(write.status).toBe(400);
    expect(write.error.reason).toMatch(/index.mode=logsdb/);
  });
});
