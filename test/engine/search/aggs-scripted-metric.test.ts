import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { removeDir, tempDir } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: Engine;
let dir: string;

async function call(method: string, path: string, body?: unknown, e: Engine = engine): Promise<{ status: number; body: Json; text: string }> {
  const res = await e.handle({ method, path, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as Json, text: String(res.body) };
}

const SUM = {
  init_script: 'state.values = []',
  map_script: "state.values.add(doc['n'].value)",
  combine_script: 'long sum = 0; for (v in state.values) { sum += v } return sum',
  reduce_script: 'long sum = 0; for (s in states) { sum += s } return sum',
};

const VALUES = [3, 5, 8, 13, 21, 34, 55, 89, 144, 233];

async function agg(scripted: Json, query: Json = { match_all: {} }): Promise<{ status: number; body: Json; text: string }> {
  return call('POST', '/sharded/_search', { size: 0, query, aggs: { m: { scripted_metric: scripted } } });
}

beforeAll(async () => {
  dir = tempDir();
  engine = await Engine.open(dir);
  const created = await call('PUT', '/sharded', { settings: { number_of_shards: 3 }, mappings: { properties: { n: { type: 'long' }, d: { type: 'double' }, tag: { type: 'keyword' }, text: { type: 'text' }, kids: { type: 'nested' } } } });
  expect(created.status).toBe(200);
  for (const [i, n] of VALUES.entries()) {
    const r = await call('PUT', `/sharded/_doc/${i}`, { n, d: n / 2, tag: i % 2 === 0 ? 'even' : 'odd', text: `doc number ${i}`, kids: [{ k: i }] });
    expect(r.status).toBe(201);
  }
  await call('POST', '/sharded/_refresh');
});

afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('scripted_metric', () => {
  it('sums over every shard: init, map, combine per shard, reduce over the shard results', async () => {
    const r = await agg(SUM);
    expect(r.status).toBe(200);
    expect(r.body.aggregations.m).toEqual({ value: VALUES.reduce((a, b) => a + b, 0) });
  });

  it('gives the reduce script one combined state per shard, in shard order', async () => {
    const r = await agg({ ...SUM, reduce_script: 'return states' });
    const states = r.body.aggregations.m.value as number[];
    expect(states).toHaveLength(3);
    // each shard's own sum, computed by the engine's sum aggregation on that shard alone
    for (let shard = 0; shard < 3; shard++) {
      const one = await call('POST', `/sharded/_search?preference=_shards:${shard}`, { size: 0, aggs: { s: { sum: { field: 'n' } } } });
      expect(one.status).toBe(200);
      expect(states[shard]).toBe(one.body.aggregations.s.value);
    }
  });

  it('runs on the query matches only, and a shard without matches still contributes its init and combine', async () => {
    const r = await agg({ ...SUM, reduce_script: 'return states' }, { term: { tag: 'even' } });
    const states = r.body.aggregations.m.value as number[];
    expect(states).toHaveLength(3);
    expect(states.reduce((a, b) => a + b, 0)).toBe(VALUES.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0));
    const none = await agg({ ...SUM, reduce_script: 'return states' }, { term: { tag: 'nothing' } });
    expect(none.body.aggregations.m.value).toEqual([0, 0, 0]);
  });

  it('merges the aggregation params into each script, refusing a name in both', async () => {
    const r = await agg({
      init_script: 'state.total = params.start',
      map_script: "state.total += doc['n'].value * params.factor",
      combine_script: 'return state.total',
      reduce_script: 'double t = params.bonus; for (s in states) { t += s } return t',
      params: { start: 0, factor: 2 },
    });
    // reduce params: the aggregation's params and the reduce script's own (none here): params.bonus is null
    expect(r.status).toBe(400);
    const ok = await agg({
      init_script: 'state.total = params.start',
      map_script: "state.total += doc['n'].value * params.factor",
      combine_script: 'return state.total',
      reduce_script: { source: 'double t = params.bonus; for (s in states) { t += s } return t', params: { bonus: 0.5 } },
      params: { start: 0, factor: 2 },
    });
    expect(ok.status).toBe(200);
    // a double result keeps its Java text
    expect(ok.text).toContain(`"value":${2 * VALUES.reduce((a, b) => a + b, 0)}.5`);
    const clash = await agg({ ...SUM, map_script: { source: SUM.map_script, params: { x: 1 } }, params: { x: 2 } });
    expect(clash.status).toBe(400);
    expect(clash.body.error.root_cause[0].reason).toBe('Parameter name "x" used in both aggregation and script parameters');
  });

  it('returns maps and lists as JSON, and a map in Java HashMap order', async () => {
    const r = await agg({
      init_script: 'state.byTag = new HashMap()',
      map_script: "def t = doc['tag'].value; state.byTag[t] = state.byTag.getOrDefault(t, 0) + 1",
      combine_script: 'return state.byTag',
      reduce_script: "Map out = [:]; for (m in states) { for (k in m.keySet()) { out[k] = out.getOrDefault(k, 0) + m[k] } } return out",
    });
    expect(r.status).toBe(200);
    expect(r.body.aggregations.m.value).toEqual({ even: 5, odd: 5 });
    // String.hashCode spread over a 16-bucket HashMap: "even" in bucket 5, "odd" in bucket 14
    expect(r.text).toContain('{"even":5,"odd":5}');
  });

  it('requires map, combine and reduce scripts as Elasticsearch does', async () => {
    const noMap = await agg({ combine_script: 'return 1', reduce_script: 'return 1' });
    expect(noMap.status).toBe(400);
    expect(noMap.text).toContain('Required [map_script]');
    const noCombine = await agg({ map_script: 'state.x = 1', reduce_script: 'return 1' });
    expect(noCombine.status).toBe(400);
    expect(noCombine.body.error.root_cause[0].reason).toBe('[combineScript] must not be null: [m]');
    const noReduce = await agg({ map_script: 'state.x = 1', combine_script: 'return 1' });
    expect(noReduce.body.error.root_cause[0].reason).toBe('[reduceScript] must not be null: [m]');
  });

  it('fails a runaway map script at Painless loop limit, as a script_exception of every shard', async () => {
    const r = await agg({ ...SUM, map_script: 'int i = 0; while (true) { i++ }' });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('search_phase_execution_exception');
    expect(r.body.error.root_cause[0].type).toBe('script_exception');
    expect(r.body.error.caused_by.caused_by).toEqual({ type: 'painless_error', reason: 'The maximum number of statements that can be executed in a loop has been reached.' });
  });

  it('refuses a scripted_metric under a bucket aggregation rather than guessing which shards hold the bucket', async () => {
    const r = await call('POST', '/sharded/_search', { size: 0, aggs: { t: { terms: { field: 'tag' }, aggs: { m: { scripted_metric: SUM } } } } });
    expect(r.status).toBe(400);
    expect(r.text).toContain('scripted_metric aggregation [m] under another aggregation');
  });
});

describe('scripted_metric allow lists and stored scripts', () => {
  afterAll(async () => {
    await call('PUT', '/_cluster/settings', { persistent: { 'search.aggs.*': null } });
  });

  it('stores, reads and deletes scripts, and runs a stored scripted_metric', async () => {
    for (const key of ['init_script', 'map_script', 'combine_script', 'reduce_script'] as const) {
      expect((await call('PUT', `/_scripts/sm-${key}`, { script: { lang: 'painless', source: SUM[key] } })).body).toEqual({ acknowledged: true });
    }
    const got = await call('GET', '/_scripts/sm-map_script');
    expect(got.body).toEqual({ _id: 'sm-map_script', found: true, script: { lang: 'painless', source: SUM.map_script } });
    const r = await agg({ init_script: { id: 'sm-init_script' }, map_script: { id: 'sm-map_script' }, combine_script: { id: 'sm-combine_script' }, reduce_script: { id: 'sm-reduce_script' } });
    expect(r.body.aggregations.m.value).toBe(VALUES.reduce((a, b) => a + b, 0));
    const bad = await call('PUT', '/_scripts/broken', { script: { lang: 'painless', source: 'int x = ;' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe('script_exception');
    expect((await call('DELETE', '/_scripts/sm-init_script')).body).toEqual({ acknowledged: true });
    expect((await call('GET', '/_scripts/sm-init_script')).status).toBe(404);
    expect((await call('DELETE', '/_scripts/sm-init_script')).status).toBe(404);
  });

  it('restricts inline scripts to a non-empty allow list, and every script with only_allowed_metric_scripts', async () => {
    const noInit = {
      map_script: "if (state.s == null) { state.s = 0L } state.s += doc['n'].value",
      combine_script: 'return state.s',
      reduce_script: 'long sum = 0; for (s in states) { if (s != null) { sum += s } } return sum',
    };
    const allowed = Object.values(noInit);
    const put = await call('PUT', '/_cluster/settings', { persistent: { 'search.aggs.allowed_inline_metric_scripts': allowed } });
    expect(put.body.persistent).toEqual({ search: { aggs: { allowed_inline_metric_scripts: allowed } } });
    const refused = await agg({ init_script: 'state.s = 0L', ...noInit });
    expect(refused.status).toBe(400);
    expect(refused.body.error.root_cause[0]).toEqual({ type: 'illegal_argument_exception', reason: '[init_script] contains not allowed script: [m]' });
    const ok = await agg(noInit);
    expect(ok.status).toBe(200);
    expect(ok.body.aggregations.m.value).toBe(VALUES.reduce((a, b) => a + b, 0));
    await call('PUT', '/_cluster/settings', { persistent: { 'search.aggs.allowed_inline_metric_scripts': [], 'search.aggs.only_allowed_metric_scripts': true } });
    const none = await agg(noInit);
    expect(none.body.error.root_cause[0].reason).toBe('[map_script] contains not allowed script: [m]');
    const flat = await call('GET', '/_cluster/settings?flat_settings=true');
    expect(flat.body.persistent).toEqual({ 'search.aggs.allowed_inline_metric_scripts': [], 'search.aggs.only_allowed_metric_scripts': 'true' });
  });
});

describe('search.allow_expensive_queries', () => {
  afterAll(async () => {
    await call('PUT', '/_cluster/settings', { persistent: { 'search.allow_expensive_queries': null } });
  });

  it('refuses each expensive query kind as Elasticsearch does once set to false, and allows them again when reset', async () => {
    expect((await call('POST', '/sharded/_search', { query: { prefix: { text: 'num' } } })).status).toBe(200);
    expect((await call('PUT', '/_cluster/settings', { persistent: { 'search.allow_expensive_queries': false } })).status).toBe(200);
    const cases: Array<[Json, string]> = [
      [{ prefix: { text: 'num' } }, "[prefix] queries cannot be executed when 'search.allow_expensive_queries' is set to false. For optimised prefix queries on text fields please enable [index_prefixes]."],
      [{ wildcard: { tag: 'ev*' } }, "[wildcard] queries cannot be executed when 'search.allow_expensive_queries' is set to false."],
      [{ regexp: { tag: 'ev.*' } }, "[regexp] queries cannot be executed when 'search.allow_expensive_queries' is set to false."],
      [{ fuzzy: { tag: 'evem' } }, "[fuzzy] queries cannot be executed when 'search.allow_expensive_queries' is set to false."],
      [{ range: { tag: { gte: 'a' } } }, "[range] queries on [text] or [keyword] fields cannot be executed when 'search.allow_expensive_queries' is set to false."],
      [{ nested: { path: 'kids', query: { match_all: {} } } }, "[joining] queries cannot be executed when 'search.allow_expensive_queries' is set to false."],
      [{ script: { script: "doc['n'].value > 3" } }, "[script] queries cannot be executed when 'search.allow_expensive_queries' is set to false."],
      [{ script_score: { query: { match_all: {} }, script: "doc['n'].value" } }, "[script score] queries cannot be executed when 'search.allow_expensive_queries' is set to false."],
      [{ query_string: { query: 'num*', default_field: 'text' } }, "[prefix] queries cannot be executed when 'search.allow_expensive_queries' is set to false. For optimised prefix queries on text fields please enable [index_prefixes]."],
    ];
    for (const [query, reason] of cases) {
      const r = await call('POST', '/sharded/_search', { query });
      expect(r.status).toBe(500);
      expect(r.body.error.type).toBe('search_phase_execution_exception');
      expect(r.body.error.root_cause[0]).toMatchObject({ type: 'exception', reason });
    }
    // cheap queries are not affected: term, range on a number
    expect((await call('POST', '/sharded/_search', { query: { bool: { filter: [{ term: { tag: 'even' } }, { range: { n: { gte: 10 } } }] } } })).status).toBe(200);
    await call('PUT', '/_cluster/settings', { persistent: { 'search.allow_expensive_queries': null } });
    expect((await call('POST', '/sharded/_search', { query: { wildcard: { tag: 'ev*' } } })).body.hits.total.value).toBe(5);
  });
});

describe('script.allowed_types and script.allowed_contexts', () => {
  it('are node settings: refused as not dynamic through _cluster/settings', async () => {
    const r = await call('PUT', '/_cluster/settings', { persistent: { 'script.allowed_types': 'inline' } });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe('persistent setting [script.allowed_types], not dynamically updateable');
  });

  it('refuse script types and contexts the node does not allow', async () => {
    const nodeDir = tempDir();
    const node = await Engine.open(nodeDir, { nodeSettings: { 'script.allowed_types': ['stored'], 'script.allowed_contexts': ['field', 'aggs_map', 'aggs_combine', 'aggs_reduce'] } });
    try {
      expect((await call('PUT', '/i', { mappings: { properties: { n: { type: 'long' } } } }, node)).status).toBe(200);
      await call('PUT', '/i/_doc/1?refresh=true', { n: 4 }, node);
      const inline = await call('POST', '/i/_search', { script_fields: { v: { script: "doc['n'].value" } } }, node);
      expect(inline.status).toBe(400);
      expect(inline.body.error.root_cause[0].reason).toBe('cannot execute [inline] scripts');
      await call('PUT', '/_scripts/double-n', { script: { lang: 'painless', source: "doc['n'].value * 2" } }, node);
      const stored = await call('POST', '/i/_search', { script_fields: { v: { script: { id: 'double-n' } } } }, node);
      expect(stored.body.hits.hits[0].fields.v).toEqual([8]);
      const filter = await call('POST', '/i/_search', { query: { script: { script: { id: 'double-n' } } } }, node);
      expect(filter.body.error.root_cause[0].reason).toBe('cannot execute scripts using [filter] context');
    } finally {
      await node.close();
      removeDir(nodeDir);
    }
  });
});
