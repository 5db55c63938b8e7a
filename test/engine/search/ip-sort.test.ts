import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: Engine;
let dir: string;

const call = engineCaller(() => engine);

const ADDRESSES: Record<string, string | string[]> = {
  a: '10.0.0.2',
  b: '::1',
  c: '192.168.1.1',
  d: '2001:db8::1',
  e: '10.0.0.10',
  f: ['10.0.0.3', '9.9.9.9'],
  g: '::ffff:1.2.3.4',
};

/** The 16-byte encoding (InetAddressPoint) of an address as hex, computed without the engine. */
function bytesHex(ip: string): string {
  if (!ip.includes(':')) return '00000000000000000000ffff' + ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('');
  if (ip.startsWith('::ffff:') && ip.includes('.')) return bytesHex(ip.slice(7));
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join('');
}

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  for (const [index, shards] of [['one', 1], ['three', 3]] as const) {
    expect((await call('PUT', `/${index}`, { settings: { number_of_shards: shards }, mappings: { properties: { ip: { type: 'ip' } } } })).status).toBe(200);
    for (const [id, ip] of Object.entries(ADDRESSES)) expect((await call('PUT', `/${index}/_doc/${id}`, { ip })).status).toBe(201);
    expect((await call('PUT', `/${index}/_doc/none`, {})).status).toBe(201);
    await call('POST', `/${index}/_refresh`);
  }
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('sort on an ip field (IpFieldMapper: SortedSet bytes, DocValueFormat.IP)', () => {
  // the expected order: each doc's min (asc) or max (desc) address by its bytes
  function expected(order: 'asc' | 'desc'): string[] {
    const keyed = Object.entries(ADDRESSES).map(([id, v]) => {
      const hexes = (Array.isArray(v) ? v : [v]).map(bytesHex).sort();
      return { id, key: order === 'asc' ? (hexes[0] as string) : (hexes[hexes.length - 1] as string) };
    });
    keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0) * (order === 'asc' ? 1 : -1));
    return [...keyed.map((k) => k.id), 'none'];
  }

  for (const index of ['one', 'three']) {
    it(`orders by the address bytes and reports printed addresses (${index} shard(s))`, async () => {
      for (const order of ['asc', 'desc'] as const) {
        const r = await call('POST', `/${index}/_search`, { size: 20, sort: [{ ip: order }] });
        expect(r.status).toBe(200);
        const hits = r.body.hits.hits as Json[];
        expect(hits.map((h) => h._id)).toEqual(expected(order));
        const sortOf = Object.fromEntries(hits.map((h) => [h._id, h.sort[0]]));
        expect(sortOf.f).toBe(order === 'asc' ? '9.9.9.9' : '10.0.0.3');
        expect(sortOf.g).toBe('1.2.3.4'); // an IPv4-mapped address prints as IPv4
        expect(sortOf.d).toBe('2001:db8::1');
        expect(sortOf.none).toBeNull();
      }
    });

    it(`search_after takes a printed address (${index} shard(s))`, async () => {
      const r = await call('POST', `/${index}/_search`, { size: 20, sort: [{ ip: 'asc' }], search_after: ['10.0.0.10'] });
      expect(r.status).toBe(200);
      const all = expected('asc');
      expect((r.body.hits.hits as Json[]).map((h) => h._id)).toEqual(all.slice(all.indexOf('e') + 1));
    });
  }

  it('prints addresses in top_hits and nested inner_hits sort values too', async () => {
    const agg = await call('POST', '/three/_search', { size: 0, aggs: { top: { top_hits: { size: 3, sort: [{ ip: 'desc' }] } } } });
    expect(agg.status).toBe(200);
    const tops = agg.body.aggregations.top.hits.hits as Json[];
    expect(tops.map((h) => [h._id, h.sort[0]])).toEqual([
      ['d', '2001:db8::1'],
      ['c', '192.168.1.1'],
      ['e', '10.0.0.10'],
    ]);
    const mappings = { properties: { hosts: { type: 'nested', properties: { ip: { type: 'ip' } } } } };
    expect((await call('PUT', '/hosts', { mappings })).status).toBe(200);
    expect((await call('PUT', '/hosts/_doc/1?refresh=true', { hosts: [{ ip: '10.0.0.9' }, { ip: '::1' }, { ip: '9.0.0.1' }] })).status).toBe(201);
    const inner = await call('POST', '/hosts/_search', {
      query: { nested: { path: 'hosts', query: { match_all: {} }, inner_hits: { sort: [{ 'hosts.ip': 'asc' }] } } },
    });
    expect(inner.status).toBe(200);
    const hits = inner.body.hits.hits[0].inner_hits.hosts.hits.hits as Json[];
    expect(hits.map((h) => h.sort[0])).toEqual(['::1', '9.0.0.1', '10.0.0.9']);
  });

  it('sorts a doc without a value by the UTF-8 bytes of a custom missing, as BytesRefFieldComparatorSource does', async () => {
    // "abcd" is the bytes 61 62 63 64: past every 16-byte address below ff.., printed as the 4-byte address they make
    const asc = await call('POST', '/three/_search', { size: 20, sort: [{ ip: { order: 'asc', missing: 'abcd' } }] });
    expect(asc.status).toBe(200);
    const hits = asc.body.hits.hits as Json[];
    expect(hits.map((h) => h._id)).toEqual(expected('asc').filter((id) => id !== 'none').concat('none'));
    expect(hits[hits.length - 1]?.sort).toEqual(['97.98.99.100']);
    const desc = await call('POST', '/three/_search', { size: 1, sort: [{ ip: { order: 'desc', missing: 'abcd' } }] });
    expect((desc.body.hits.hits as Json[]).map((h) => [h._id, h.sort[0]])).toEqual([['none', '97.98.99.100']]);
    // "1.2.3.4" is 7 bytes starting 0x31: after the IPv4 (00..) and 2001: (20 01) addresses; a page
    // without that doc answers, one with it cannot print its sort value (Elasticsearch fails too)
    const page = await call('POST', '/three/_search', { size: 2, sort: [{ ip: { order: 'desc', missing: '1.2.3.4' } }] });
    expect(page.status).toBe(400);
    expect(page.body.error.reason).toContain('is not supported by the indexkit embedded engine');
    const before = await call('POST', '/three/_search', { size: 7, sort: [{ ip: { order: 'asc', missing: '1.2.3.4' } }] });
    expect(before.status).toBe(200);
    expect((before.body.hits.hits as Json[]).map((h) => h._id)).toEqual(expected('asc').slice(0, 7));
  });

  it('refuses numeric modes and an unparsable search_after value as Elasticsearch does', async () => {
    const avg = await call('POST', '/one/_search', { sort: [{ ip: { order: 'asc', mode: 'avg' } }] });
    expect(avg.status).toBe(400);
    expect(avg.body.error.root_cause[0].reason).toBe('we only support AVG, MEDIAN and SUM on number based fields');
    const bad = await call('POST', '/one/_search', { sort: [{ ip: 'asc' }], search_after: ['not-an-ip'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("'not-an-ip' is not an IP string literal.");
  });
});
