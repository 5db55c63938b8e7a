import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { IndexRouting, calculateNumRoutingShards, routingHash } from '../../src/engine/index/routing.js';
import { removeDir, tempDir } from './helpers.js';
import { idf, tf } from './search/helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(engine: Engine, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await engine.handle({ method, path, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as Json };
}

async function withEngine(fn: (engine: Engine, dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const engine = await Engine.open(dir);
  try {
    await fn(engine, dir);
  } finally {
    await engine.close();
    removeDir(dir);
  }
}

// texts whose token counts stay below 24 (norms exact)
const DOCS: Record<string, string> = {
  a: 'quick brown fox',
  b: 'the lazy dog sleeps',
  c: 'quick quick fox jumps over the lazy dog',
  d: 'a fox in the den',
  e: 'quick thinking saves the day',
  f: 'brown bears and brown foxes',
  g: 'the fox is quick and the dog is lazy',
  h: 'nothing to see here',
  i: 'fox',
  j: 'quick',
};
const tokens = (text: string): string[] => text.split(' ');

async function fill(engine: Engine, index: string, settings: Json): Promise<void> {
  expect((await call(engine, 'PUT', `/${index}`, { settings, mappings: { properties: { title: { type: 'text' } } } })).status).toBe(200);
  for (const [id, title] of Object.entries(DOCS)) expect((await call(engine, 'PUT', `/${index}/_doc/${id}`, { title })).status).toBe(201);
  await call(engine, 'POST', `/${index}/_refresh`);
}

/** BM25 (LegacyBM25Similarity, ES 8's default) of `term` in each doc of `ids`, with the statistics of exactly those docs. */
function handScores(ids: string[], term: string): Map<string, number> {
  const lengths = ids.map((id) => tokens(DOCS[id]!).length);
  const avgdl = lengths.reduce((a, b) => a + b, 0) / ids.length;
  const df = ids.filter((id) => tokens(DOCS[id]!).includes(term)).length;
  const out = new Map<string, number>();
  ids.forEach((id, k) => {
    const freq = tokens(DOCS[id]!).filter((t) => t === term).length;
    if (freq > 0) out.set(id, Math.fround(idf(df, ids.length) * tf(freq, lengths[k]!, avgdl)));
  });
  return out;
}

describe('routing as Elasticsearch places documents', () => {
  it('hashes with Murmur3 over UTF-16 code units (Murmur3HashFunctionTests known values)', () => {
    expect(routingHash('hell')).toBe(0x5a0cb7c3 | 0);
    expect(routingHash('hello')).toBe(0xd7c31989 | 0);
    expect(routingHash('hello w')).toBe(0x22ab2984 | 0);
    expect(routingHash('hello wo')).toBe(0xdf0ca123 | 0);
    expect(routingHash('hello wor')).toBe(0xe7744d61 | 0);
    expect(routingHash('The quick brown fox jumps over the lazy dog')).toBe(0xe07db09c | 0);
    expect(routingHash('The quick brown fox jumps over the lazy cog')).toBe(0x4e63d2ad | 0);
  });

  it('computes routing_num_shards as MetadataCreateIndexService.calculateNumRoutingShards', () => {
    expect([1, 2, 3, 5, 9, 512, 1024].map(calculateNumRoutingShards)).toEqual([1024, 1024, 768, 640, 576, 1024, 2048]);
  });

  it('places ids and routing values on the shards of IndexRoutingTests.testBWC (8 shards, routing_num_shards 8)', () => {
    const expected: Record<string, number> = {
      sEERfFzPSI: 1, cNRiIrjzYd: 7, BgfLBXUyWT: 5, cnepjZhQnb: 3, OKCmuYkeCK: 6, OutXGRQUja: 5, yCdyocKWou: 1, KXuNWWNgVj: 2,
      DGJOYrpESx: 4, upLDybdTGs: 5, yhZhzCPQby: 1, EyCVeiCouA: 1, tFyVdQauWR: 6, nyeRYDnDQr: 6, hswhrppvDH: 0, BSiWvDOsNE: 5,
      YHicpFBSaY: 1, EquPtdKaBZ: 4, rSjLZHCDfT: 5, qoZALVcite: 7, yDCCPVBiCm: 7, ngizYtQgGK: 5, FYQRIBcNqz: 0, EBzEDAPODe: 2,
      AITyyoyLLs: 4, nGzpgwsSBc: 4, wRZXPSoEgd: 3, nbZWPWJsIM: 0, rPIdESYaAO: 5, nVAZVMPNNx: 3,
    };
    const routing = new IndexRouting(8, 8);
    for (const [key, shard] of Object.entries(expected)) {
      expect(routing.shardId(key)).toBe(shard);
      expect(routing.shardId('someId', key)).toBe(shard);
    }
  });
});

describe('a 3-shard index', () => {
  it('scores each hit with its own shard statistics, and with global ones under dfs_query_then_fetch', async () => {
    await withEngine(async (engine) => {
      await fill(engine, 'three', { number_of_shards: 3, number_of_replicas: 1 });
      await fill(engine, 'one', { number_of_shards: 1, number_of_replicas: 0 });
      // which docs each shard holds, read through preference=_shards:k
      const byShard: string[][] = [];
      for (let k = 0; k < 3; k++) {
        const r = await call(engine, 'POST', `/three/_search?preference=_shards:${k}`, { size: 100, query: { match_all: {} } });
        expect(r.body._shards).toEqual({ total: 1, successful: 1, skipped: 0, failed: 0 });
        byShard.push(r.body.hits.hits.map((h: Json) => h._id as string).sort());
      }
      expect(byShard.flat().sort()).toEqual(Object.keys(DOCS).sort());
      const routing = new IndexRouting(3);
      for (let k = 0; k < 3; k++) for (const id of byShard[k]!) expect(routing.shardId(id)).toBe(k);
      expect(byShard.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);

      for (const term of ['quick', 'fox', 'lazy']) {
        const r = await call(engine, 'POST', '/three/_search', { size: 100, query: { match: { title: term } } });
        expect(r.body._shards).toEqual({ total: 3, successful: 3, skipped: 0, failed: 0 });
        const expected = new Map<string, number>();
        for (const ids of byShard) for (const [id, s] of handScores(ids, term)) expected.set(id, s);
        const got = new Map<string, number>(r.body.hits.hits.map((h: Json) => [h._id as string, h._score as number]));
        expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [id, s] of expected) expect(got.get(id)).toBeCloseTo(s, 5);
        // hits merged as ES merges them: score descending, then shard, then doc
        const scores = r.body.hits.hits.map((h: Json) => h._score as number);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));

        const global = handScores(Object.keys(DOCS), term);
        const dfs = await call(engine, 'POST', '/three/_search?search_type=dfs_query_then_fetch', { size: 100, query: { match: { title: term } } });
        const single = await call(engine, 'POST', '/one/_search', { size: 100, query: { match: { title: term } } });
        const dfsScores = new Map<string, number>(dfs.body.hits.hits.map((h: Json) => [h._id as string, h._score as number]));
        const singleScores = new Map<string, number>(single.body.hits.hits.map((h: Json) => [h._id as string, h._score as number]));
        expect([...dfsScores.keys()].sort()).toEqual([...singleScores.keys()].sort());
        for (const [id, s] of singleScores) {
          expect(dfsScores.get(id)).toBe(s);
          expect(s).toBeCloseTo(global.get(id)!, 5);
        }
      }
      // per-shard statistics really differ from the global ones here (the test could fail)
      const perShard = await call(engine, 'POST', '/three/_search', { size: 100, query: { match: { title: 'fox' } } });
      const single = await call(engine, 'POST', '/one/_search', { size: 100, query: { match: { title: 'fox' } } });
      expect(perShard.body.hits.hits.map((h: Json) => h._score)).not.toEqual(single.body.hits.hits.map((h: Json) => h._score));
    });
  });

  it('reports shards, replicas and health as a single-node cluster does', async () => {
    await withEngine(async (engine) => {
      await call(engine, 'PUT', '/ix', { settings: { number_of_shards: 3, number_of_replicas: 1 } });
      const write = await call(engine, 'PUT', '/ix/_doc/1', { n: 1 });
      const routingOf1 = new IndexRouting(3).shardId('1');
      expect(write.body._shards).toEqual({ total: 2, successful: 1, failed: 0 });
      expect((await call(engine, 'POST', '/ix/_refresh')).body._shards).toEqual({ total: 6, successful: 3, failed: 0 });
      const settings = await call(engine, 'GET', '/ix/_settings');
      expect(settings.body.ix.settings.index.number_of_shards).toBe('3');
      const health = await call(engine, 'GET', '/_cluster/health/ix?level=indices');
      expect(health.body).toMatchObject({ status: 'yellow', active_primary_shards: 3, active_shards: 3, unassigned_shards: 3 });
      expect(health.body.indices.ix).toMatchObject({ status: 'yellow', number_of_shards: 3, active_primary_shards: 3, unassigned_shards: 3 });
      const cat = await call(engine, 'GET', '/_cat/shards/ix?format=json&h=shard,prirep,state,docs');
      expect(cat.body).toEqual([0, 1, 2].flatMap((k) => [
        { shard: String(k), prirep: 'p', state: 'STARTED', docs: String(routingOf1 === k ? 1 : 0) },
        { shard: String(k), prirep: 'r', state: 'UNASSIGNED', docs: null },
      ]));
      const count = await call(engine, 'GET', '/ix/_count');
      expect(count.body).toEqual({ count: 1, _shards: { total: 3, successful: 3, skipped: 0, failed: 0 } });
      expect((await call(engine, 'PUT', '/bad', { settings: { number_of_shards: 3, routing_partition_size: 0 } })).body.error.reason).toBe('Failed to parse value [0] for setting [index.routing_partition_size] must be >= 1');
    });
  });

  it('routes index, get, update, delete, mget, bulk and search by the routing parameter, and keeps it across a restart', async () => {
    const dir = tempDir();
    try {
      let engine = await Engine.open(dir);
      await call(engine, 'PUT', '/ix', { settings: { number_of_shards: 5, number_of_replicas: 0 } });
      const routing = new IndexRouting(5);
      // an id whose own shard differs from the shard of routing "user1"
      const target = routing.shardId('x', 'user1');
      const id = ['1', '2', '3', '4', '5', '6', '7', '8'].find((c) => routing.shardId(c) !== target)!;
      expect((await call(engine, 'PUT', `/ix/_doc/${id}?routing=user1`, { who: 'alice' })).status).toBe(201);
      expect((await call(engine, 'GET', `/ix/_doc/${id}`)).body.found).toBe(false);
      const got = await call(engine, 'GET', `/ix/_doc/${id}?routing=user1`);
      expect(got.body).toMatchObject({ found: true, _routing: 'user1', _source: { who: 'alice' } });
      expect((await call(engine, 'POST', `/ix/_update/${id}?routing=user1`, { doc: { who: 'bob' } })).body.result).toBe('updated');
      // a conflict names the shard the document lives in
      const conflict = await call(engine, 'PUT', `/ix/_create/${id}?routing=user1`, { who: 'x' });
      expect(conflict.body.error).toMatchObject({ type: 'version_conflict_engine_exception', shard: String(target) });
      const mget = await call(engine, 'POST', '/ix/_mget', { docs: [{ _id: id, routing: 'user1' }, { _id: id }] });
      expect(mget.body.docs.map((d: Json) => d.found)).toEqual([true, false]);
      const bulk = await call(engine, 'POST', '/_bulk?refresh=true', `{"index":{"_index":"ix","_id":"b1","routing":"user1"}}\n{"who":"carol"}\n`);
      expect(bulk.body.errors).toBe(false);
      const s = await call(engine, 'POST', '/ix/_search?routing=user1', { query: { match_all: {} } });
      expect(s.body._shards.total).toBe(1);
      expect(s.body.hits.hits.map((h: Json) => [h._id, h._routing]).sort()).toEqual([[id, 'user1'], ['b1', 'user1']].sort());
      // an alias's index_routing routes single-document operations; a different routing is refused
      await call(engine, 'POST', '/_aliases', { actions: [{ add: { index: 'ix', alias: 'users1', index_routing: 'user1' } }] });
      expect((await call(engine, 'PUT', '/users1/_doc/via-alias', { who: 'dave' })).status).toBe(201);
      expect((await call(engine, 'GET', '/ix/_doc/via-alias?routing=user1')).body._routing).toBe('user1');
      expect((await call(engine, 'GET', '/users1/_doc/via-alias?routing=other')).body.error.reason).toBe('Alias [users1] has index routing associated with it [user1], and was provided with routing value [other], rejecting operation');
      // an alias's search_routing restricts the shards searched through it
      await call(engine, 'POST', '/_aliases', { actions: [{ add: { index: 'ix', alias: 'search1', search_routing: 'user1' } }] });
      const viaAlias = await call(engine, 'POST', '/search1/_search', { query: { match_all: {} } });
      expect(viaAlias.body._shards.total).toBe(1);
      expect(viaAlias.body.hits.hits.every((h: Json) => h._routing === 'user1')).toBe(true);
      expect((await call(engine, 'POST', '/ix/_search', { query: { match_all: {} } })).body._shards.total).toBe(5);
      // the routing of _bulk's URL is every item's default
      await call(engine, 'POST', '/_bulk?routing=user1', `{"index":{"_index":"ix","_id":"b2"}}\n{"who":"erin"}\n`);
      expect((await call(engine, 'GET', '/ix/_doc/b2?routing=user1')).body.found).toBe(true);
      await engine.close();
      engine = await Engine.open(dir);
      expect((await call(engine, 'GET', `/ix/_doc/${id}?routing=user1`)).body._source).toEqual({ who: 'bob' });
      expect((await call(engine, 'GET', '/ix/_doc/b1?routing=user1')).body.found).toBe(true);
      expect((await call(engine, 'DELETE', `/ix/_doc/${id}?routing=user1`)).body.result).toBe('deleted');
      await engine.close();
    } finally {
      removeDir(dir);
    }
  });

  it('refuses a write or get without routing when _routing is required', async () => {
    await withEngine(async (engine) => {
      await call(engine, 'PUT', '/ix', { settings: { number_of_shards: 2 }, mappings: { _routing: { required: true } } });
      const r = await call(engine, 'PUT', '/ix/_doc/1', { a: 1 });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ type: 'routing_missing_exception', reason: 'routing is required for [ix]/[1]' });
      expect((await call(engine, 'PUT', '/ix/_doc/1?routing=r', { a: 1 })).status).toBe(201);
      expect((await call(engine, 'GET', '/ix/_doc/1')).body.error.type).toBe('routing_missing_exception');
      expect((await call(engine, 'GET', '/ix/_mapping')).body.ix.mappings._routing).toEqual({ required: true });
    });
  });
});

describe('refresh of a write on a sharded index', () => {
  it('refreshes only the shard the write went to, as Elasticsearch does (delete/50_refresh.yml)', async () => {
    await withEngine(async (engine) => {
      await call(engine, 'PUT', '/ix', { settings: { refresh_interval: -1, number_of_shards: 5, number_of_routing_shards: 5, number_of_replicas: 0 } });
      const routing = new IndexRouting(5, 5);
      expect(routing.shardId('1')).not.toBe(routing.shardId('3'));
      await call(engine, 'PUT', '/ix/_doc/1?refresh=true', { foo: 'bar' });
      await call(engine, 'PUT', '/ix/_doc/3?refresh=true', { foo: 'bar' });
      const total = async (): Promise<number> => (await call(engine, 'POST', '/ix/_search', { query: { terms: { _id: ['1', '3'] } } })).body.hits.total.value as number;
      expect(await total()).toBe(2);
      await call(engine, 'DELETE', '/ix/_doc/1');
      await call(engine, 'DELETE', '/ix/_doc/3?refresh=true');
      // doc 1's shard was not refreshed: its delete is not visible yet
      expect(await total()).toBe(1);
      await call(engine, 'POST', '/ix/_refresh');
      expect(await total()).toBe(0);
    });
  });
});

describe('aggregations over shards', () => {
  it('reduces per-shard terms as Elasticsearch does (shard_size, doc_count_error_upper_bound, sum_other_doc_count)', async () => {
    await withEngine(async (engine) => {
      await call(engine, 'PUT', '/ix', { settings: { number_of_shards: 3, number_of_replicas: 0 }, mappings: { properties: { tag: { type: 'keyword' } } } });
      const tags = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'd', 'e', 'a', 'b', 'c', 'd', 'd', 'e', 'e', 'e', 'f', 'a'];
      let bulk = '';
      tags.forEach((tag, i) => (bulk += `{"index":{"_index":"ix","_id":"d${i}"}}\n{"tag":"${tag}"}\n`));
      await call(engine, 'POST', '/_bulk?refresh=true', bulk);
      // each shard's exact counts
      const perShard: Array<Array<[string, number]>> = [];
      for (let k = 0; k < 3; k++) {
        const r = await call(engine, 'POST', `/ix/_search?preference=_shards:${k}`, { size: 0, aggs: { t: { terms: { field: 'tag', size: 100 } } } });
        perShard.push(r.body.aggregations.t.buckets.map((b: Json) => [b.key, b.doc_count]));
      }
      // the reduce of InternalTerms by hand: each shard returns its top shard_size (count desc, key asc)
      const shardSize = 2;
      const merged = new Map<string, number>();
      let error = 0;
      for (const buckets of perShard) {
        const top = buckets.slice(0, shardSize);
        for (const [key, count] of top) merged.set(key, (merged.get(key) ?? 0) + count);
        if (buckets.length > shardSize) error += top[top.length - 1]![1];
      }
      const ranked = [...merged].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 2);
      const r = await call(engine, 'POST', '/ix/_search', { size: 0, aggs: { t: { terms: { field: 'tag', size: 2, shard_size: shardSize } } } });
      expect(r.body._shards.total).toBe(3);
      expect(r.body.aggregations.t.buckets.map((b: Json) => [b.key, b.doc_count])).toEqual(ranked);
      expect(r.body.aggregations.t.doc_count_error_upper_bound).toBe(error);
      expect(r.body.aggregations.t.sum_other_doc_count).toBe(tags.length - ranked.reduce((a, [, c]) => a + c, 0));
      // some shard left terms out, so the error bound is not trivially 0 (the test could fail)
      expect(error).toBeGreaterThan(0);
    });
  });
});
