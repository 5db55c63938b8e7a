import { describe, expect, it } from 'vitest';
import { errors } from '@elastic/elasticsearch';
import { murmur3x86_32 } from '../../../src/engine/murmur3.js';
import { bitMix, encodeId } from '../../../src/engine/search/slice.js';
import { useTestClient } from '../helpers.js';

/** Every id of a sliced scroll, page by page. */
async function scrollIds(client: ReturnType<typeof useTestClient>['client'], index: string, slice: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let page = await client.search({ index, scroll: '1m', size: 7, slice: slice as never, sort: ['_doc'] });
  while (page.hits.hits.length > 0) {
    ids.push(...page.hits.hits.map((h) => h._id!));
    page = await client.scroll({ scroll_id: page._scroll_id!, scroll: '1m' });
  }
  await client.clearScroll({ scroll_id: page._scroll_id! });
  return ids;
}

describe('slice (sliced scroll and point in time)', () => {
  const t = useTestClient(async (client) => {
    await client.indices.create({ index: 'one', settings: { number_of_shards: 1 } });
    await client.indices.create({ index: 'five', settings: { number_of_shards: 5 } });
    const ops: unknown[] = [];
    for (let i = 0; i < 60; i++) {
      const doc = { n: i % 9, d: i / 4 };
      ops.push({ index: { _index: 'one', _id: i % 3 === 0 ? `doc-${i}` : String(i) } }, doc, { index: { _index: 'five', _id: String(i) } }, doc);
    }
    await client.bulk({ operations: ops as never, refresh: true });
  });

  it('encodes ids as Uid.encodeId and hashes them and doc values as TermsSliceQuery and DocValuesSliceQuery do (values from Java)', () => {
    expect([...encodeId('1')]).toEqual([0xfe, 0x1f]);
    expect([...encodeId('12')]).toEqual([0xfe, 0x12]);
    expect([...encodeId('a b')]).toEqual([0xff, 0x61, 0x20, 0x62]);
    // `_w` is base64 for the byte 0xff, escaped so as not to pass for the UTF-8 marker
    expect([...encodeId('_w')]).toEqual([0xfd, 0xff]);
    expect([...encodeId('abcd')]).toEqual([0x69, 0xb7, 0x1d]);
    // StringHelper.murmurhash3_x86_32(bytes, 7919) from Lucene's own jar
    expect(murmur3x86_32(encodeId('1'), 7919)).toBe(1578288427);
    expect(murmur3x86_32(encodeId('12'), 7919)).toBe(1271453388);
    expect(murmur3x86_32(encodeId('a b'), 7919)).toBe(-1917850861);
    expect(murmur3x86_32(encodeId('_w'), 7919)).toBe(616812666);
    // hppc BitMixer.mix(long)
    expect([0n, 1n, 4n, -1n, 1234567890123n, -(2n ** 63n)].map(bitMix)).toEqual([0, 1939593575, -318517096, 850083617, -169639028, -7637618]);
  });

  it('the slices of a one-shard scroll split the documents, each in exactly one slice (by _id, and by a numeric field)', async () => {
    for (const slice of [{ max: 3 }, { field: '_id', max: 4 }, { field: 'n', max: 3 }, { field: 'd', max: 2 }]) {
      const parts: string[][] = [];
      for (let id = 0; id < slice.max; id++) parts.push(await scrollIds(t.client, 'one', { ...slice, id }));
      const all = parts.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(60);
      // a hash of 60 values puts something in each slice
      for (const part of parts) expect(part.length).toBeGreaterThan(0);
    }
  });

  it('a numeric field slices by value: documents with the same value share a slice', async () => {
    const parts = [await scrollIds(t.client, 'one', { field: 'n', id: 0, max: 2 }), await scrollIds(t.client, 'one', { field: 'n', id: 1, max: 2 })];
    const valueOf = async (id: string): Promise<number> => ((await t.client.get<{ n: number }>({ index: 'one', id }))._source!).n;
    for (const part of parts) {
      const values = new Set(await Promise.all(part.map(valueOf)));
      const other = parts.find((p) => p !== part)!;
      for (const id of other) expect(values.has(await valueOf(id))).toBe(false);
    }
  });

  it('with fewer slices than shards a slice takes whole shards (shard % max == id)', async () => {
    const sliceZero = await scrollIds(t.client, 'five', { id: 0, max: 2 });
    const shards = await t.client.search({ index: 'five', preference: '_shards:0,2,4', size: 100 });
    expect(sliceZero.sort()).toEqual(shards.hits.hits.map((h) => h._id!).sort());
  });

  it('with more slices than shards a shard is split among its slices', async () => {
    const parts: string[][] = [];
    for (let id = 0; id < 7; id++) parts.push(await scrollIds(t.client, 'five', { id, max: 7 }));
    // slices 0 and 5 share shard 0; 1 and 6 share shard 1; 2, 3 and 4 are shards 2, 3 and 4 whole
    const shard = async (n: number): Promise<string[]> => (await t.client.search({ index: 'five', preference: `_shards:${n}`, size: 100 })).hits.hits.map((h) => h._id!).sort();
    expect([...parts[0]!, ...parts[5]!].sort()).toEqual(await shard(0));
    expect([...parts[1]!, ...parts[6]!].sort()).toEqual(await shard(1));
    expect(parts[3]!.sort()).toEqual(await shard(3));
  });

  it('point-in-time slices split each shard by doc id ranges', async () => {
    const pit = await t.client.openPointInTime({ index: 'one', keep_alive: '1m' });
    const ids: string[][] = [];
    for (let id = 0; id < 3; id++) {
      const page = await t.client.search({ pit: { id: pit.id, keep_alive: '1m' }, slice: { id: String(id), max: 3 }, size: 100, sort: ['_shard_doc'] });
      ids.push(page.hits.hits.map((h) => h._id!));
    }
    expect(ids.map((p) => p.length)).toEqual([20, 20, 20]);
    expect(new Set(ids.flat()).size).toBe(60);
    await expect(t.client.search({ pit: { id: pit.id }, slice: { field: '_id', id: '0', max: 2 } })).rejects.toThrow(/cannot slice on \[_id\] when using \[point-in-time\]/);
    await t.client.closePointInTime({ id: pit.id });
  });

  it('refuses what Elasticsearch refuses', async () => {
    const status = async (body: Record<string, unknown>, scroll = true): Promise<string> => {
      try {
        await t.client.search({ index: 'one', ...(scroll ? { scroll: '1m' } : {}), ...body });
        return 'ok';
      } catch (e) {
        return e instanceof errors.ResponseError ? `${e.statusCode} ${JSON.stringify(e.body)}` : String(e);
      }
    };
    expect(await status({ slice: { id: 0, max: 2 } }, false)).toMatch(/400 .*\[slice\] can only be used with \[scroll\] or \[point-in-time\] requests/);
    expect(await status({ slice: { id: 2, max: 2 } })).toMatch(/400 .*max must be greater than id/);
    expect(await status({ slice: { id: 0, max: 1 } })).toMatch(/400 .*max must be greater than 1/);
    expect(await status({ slice: { id: 0, max: 1025 } })).toMatch(/400 .*The number of slices \[1025\] is too large/);
    expect(await status({ slice: { field: 'missing', id: 0, max: 2 } })).toMatch(/400 .*field missing not found/);
  });
});
