import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { engineCaller, removeDir, tempDir } from '../helpers.js';

/**
 * An index the engine cannot open at start-up (a word file or hunspell dictionary its analysis
 * needs was removed from the config directory, or its stored files are unreadable) is red, as an
 * Elasticsearch index whose shards failed to allocate: the engine opens, every other index works,
 * the red one's metadata is served and its data is never touched, and it comes back once the file
 * is restored (`_close` + `_open`, or `_cluster/reroute?retry_failed=true`).
 */

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function configFile(dir: string, path: string, content: string): void {
  const full = join(dir, 'config', path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
}

/** A digest of every file under the index directories (or the one of `index`): what "untouched" is checked against. */
function indexFiles(dir: string, index?: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string): void => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[full.slice(dir.length)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  if (index === undefined) walk(join(dir, 'indices'));
  else walk(join(dir, 'indices', readdirSync(join(dir, 'indices')).find((d) => readFileSync(join(dir, 'indices', d, 'meta.json'), 'utf8').includes(`"name":"${index}"`))!));
  return out;
}

/** An engine with two indices, `good` and `stop` (an analyzer reading analysis/stop.txt), each with a document. */
async function populated(): Promise<string> {
  const dir = tempDir();
  dirs.push(dir);
  configFile(dir, 'analysis/stop.txt', 'the\n');
  const engine = await Engine.open(dir, { dataStreamLifecycle: false });
  const call = engineCaller(() => engine);
  expect((await call('PUT', '/good', { settings: { number_of_shards: 1, number_of_replicas: 0 } })).status).toBe(200);
  const stop = await call('PUT', '/stop', {
    settings: { number_of_shards: 2, number_of_replicas: 0, analysis: { filter: { s: { type: 'stop', stopwords_path: 'analysis/stop.txt' } }, analyzer: { a: { tokenizer: 'whitespace', filter: ['s'] } } } },
    mappings: { properties: { body: { type: 'text', analyzer: 'a' } } },
  });
  expect(stop.status).toBe(200);
  await call('PUT', '/good/_doc/1?refresh=true', { title: 'kept' });
  await call('PUT', '/stop/_doc/1?refresh=true', { body: 'the cat' });
  await engine.close();
  return dir;
}

/** A request whose body is sent as given (NDJSON) and whose answer is read as text when it is not JSON. */
async function raw(engine: Engine, method: string, path: string, body?: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await engine.handle({ method, path, ...(body !== undefined ? { body } : {}) });
  const text = String(res.body);
  try {
    return { status: res.statusCode, body: JSON.parse(text) };
  } catch {
    return { status: res.statusCode, body: text };
  }
}

async function refused(call: ReturnType<typeof engineCaller>, method: string, path: string, body?: unknown): Promise<{ status: number; error: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await call(method, path, body);
  return { status: res.status, error: res.body.error };
}

describe('an index whose analysis file is gone', () => {
  it('opens the engine silently with that index red and the others working, its files untouched', async () => {
    const dir = await populated();
    rmSync(join(dir, 'config', 'analysis', 'stop.txt'));
    const before = indexFiles(dir, 'stop');
    const log = vi.spyOn(process.stdout, 'write');
    const engine = await Engine.open(dir, { dataStreamLifecycle: false });
    const call = engineCaller(() => engine);
    try {
      expect(log).not.toHaveBeenCalled();
      // the other index reads and writes as before
      expect((await call('GET', '/good/_doc/1')).body._source).toEqual({ title: 'kept' });
      expect((await call('PUT', '/good/_doc/2?refresh=true', { title: 'new' })).status).toBe(201);
      expect((await call('GET', '/good/_search')).body.hits.total.value).toBe(2);

      const health = (await call('GET', '/_cluster/health')).body;
      expect(health).toMatchObject({ status: 'red', active_primary_shards: 1, active_shards: 1, unassigned_shards: 2, unassigned_primary_shards: 2 });
      expect((await call('GET', '/_cluster/health/good')).body.status).toBe('green');
      const level = (await call('GET', '/_cluster/health/stop?level=shards')).body;
      expect(level.indices.stop).toMatchObject({ status: 'red', active_primary_shards: 0, unassigned_shards: 2, unassigned_primary_shards: 2 });
      expect(level.indices.stop.shards['1']).toMatchObject({ status: 'red', primary_active: false, unassigned_primary_shards: 1 });

      const cat = (await call('GET', '/_cat/indices?format=json&s=index')).body as Array<Record<string, unknown>>;
      expect(cat.map((r) => [r.index, r.health, r['docs.count']])).toEqual([['good', 'green', '2'], ['stop', 'red', null]]);
      expect(((await call('GET', '/_cat/indices?format=json&health=red')).body as unknown[]).length).toBe(1);
      const shards = (await call('GET', '/_cat/shards/stop?format=json')).body as Array<Record<string, unknown>>;
      expect(shards.map((r) => [r.shard, r.prirep, r.state])).toEqual([['0', 'p', 'UNASSIGNED'], ['1', 'p', 'UNASSIGNED']]);

      const explain = (await call('POST', '/_cluster/allocation/explain', { index: 'stop', shard: 1, primary: true })).body;
      expect(explain).toMatchObject({ index: 'stop', shard: 1, primary: true, current_state: 'unassigned', can_allocate: 'no', unassigned_info: { reason: 'ALLOCATION_FAILED', last_allocation_status: 'no' } });
      expect(explain.unassigned_info.details).toContain('IllegalArgumentException[IOException while reading stopwords_path:');
      expect(explain.unassigned_info.details).toContain('stop.txt');
      expect(explain.node_allocation_decisions[0].deciders[0].decider).toBe('max_retry');
      // the request as ClusterAllocationExplainRequest parses and validates it
      expect((await call('POST', '/_cluster/allocation/explain', { index: 'stop', shard: '0', primary: 'true' })).body.shard).toBe(0);
      expect((await refused(call, 'POST', '/_cluster/allocation/explain', { index: 'stop', primary: true })).error).toMatchObject({ type: 'action_request_validation_exception', reason: 'Validation Failed: 1: shard must be specified;' });
      expect((await refused(call, 'POST', '/_cluster/allocation/explain', { index: 0, shard: 0, primary: true })).error.type).toBe('x_content_parse_exception');
      expect((await refused(call, 'POST', '/_cluster/allocation/explain', { index: 'nope', shard: 0, primary: true })).error.type).toBe('index_not_found_exception');
      expect((await refused(call, 'POST', '/_cluster/allocation/explain', { index: 'stop', shard: 2147483647, primary: true })).error.type).toBe('shard_not_found_exception');
      // a started shard is not explained (refused by name, never a wrong explanation)
      expect((await refused(call, 'POST', '/_cluster/allocation/explain', { index: 'good', shard: 0, primary: true })).error.reason).toMatch(/is not supported by the indexkit embedded engine/);

      // metadata is there
      expect((await call('GET', '/stop/_mapping')).body).toEqual({ stop: { mappings: { properties: { body: { type: 'text', analyzer: 'a' } } } } });
      expect((await call('GET', '/stop/_settings')).body.stop.settings.index.analysis.filter.s.stopwords_path).toBe('analysis/stop.txt');
      expect(Object.keys((await call('GET', '/stop')).body.stop)).toEqual(['aliases', 'mappings', 'settings']);

      // AbstractSearchAsyncAction: every shard unavailable
      const search = await refused(call, 'POST', '/stop/_search', { query: { match: { body: 'cat' } } });
      expect(search.status).toBe(503);
      expect(search.error).toMatchObject({
        type: 'search_phase_execution_exception',
        reason: 'all shards failed',
        phase: 'query',
        grouped: true,
        root_cause: [{ type: 'no_shard_available_action_exception', reason: null }],
        failed_shards: [{ shard: 0, index: 'stop', node: null, reason: { type: 'no_shard_available_action_exception', reason: null } }],
      });
      expect((await refused(call, 'GET', '/stop/_count')).status).toBe(503);
      // TransportSingleShardAction / TransportReplicationAction
      const get = await refused(call, 'GET', '/stop/_doc/1');
      expect(get).toMatchObject({ status: 503, error: { type: 'no_shard_available_action_exception', reason: 'No shard available for [get [stop][1]: routing [null]]' } });
      const index = await refused(call, 'PUT', '/stop/_doc/2', { body: 'the dog' });
      expect(index).toMatchObject({ status: 503, error: { type: 'unavailable_shards_exception', index: 'stop' } });
      expect(index.error.reason).toMatch(/^\[stop\]\[\d\] primary shard is not active Timeout: \[1m\]/);
      expect((await refused(call, 'DELETE', '/stop/_doc/1')).status).toBe(503);
      const bulk = (await raw(engine, 'POST', '/_bulk', [JSON.stringify({ index: { _index: 'stop', _id: '3' } }), JSON.stringify({ body: 'x' }), JSON.stringify({ index: { _index: 'good', _id: '3' } }), JSON.stringify({ title: 'x' }), ''].join('\n'))).body;
      expect(bulk.errors).toBe(true);
      expect(bulk.items[0].index).toMatchObject({ status: 503, error: { type: 'unavailable_shards_exception' } });
      expect(bulk.items[1].index.status).toBe(201);
      expect((await refused(call, 'PUT', '/stop/_mapping', { properties: { more: { type: 'keyword' } } })).status).toBeGreaterThanOrEqual(400);
      // a broadcast counts the red shards in the total, not as failures
      expect((await call('POST', '/stop/_refresh')).body._shards).toEqual({ total: 2, successful: 0, failed: 0 });
      const stats = (await call('GET', '/_stats/docs')).body;
      expect(stats._shards).toEqual({ total: 3, successful: 1, failed: 0 });
      expect(Object.keys(stats.indices)).toEqual(['good']);
      // the name stays taken
      expect((await refused(call, 'PUT', '/stop')).error.type).toBe('resource_already_exists_exception');
    } finally {
      await engine.close();
    }
    expect(indexFiles(dir, 'stop')).toEqual(before);
  });

  it('comes back after _close and _open once the file is restored, with its documents', async () => {
    const dir = await populated();
    rmSync(join(dir, 'config', 'analysis', 'stop.txt'));
    const engine = await Engine.open(dir, { dataStreamLifecycle: false });
    const call = engineCaller(() => engine);
    try {
      expect((await call('GET', '/_cluster/health')).body.status).toBe('red');
      // still missing: the index stays red
      expect((await call('POST', '/stop/_close')).body).toMatchObject({ acknowledged: true, shards_acknowledged: false });
      expect((await call('POST', '/stop/_open')).body).toEqual({ acknowledged: true, shards_acknowledged: false });
      expect((await raw(engine, 'GET', '/_cat/indices/stop?h=health')).body).toBe('red\n');
      configFile(dir, 'analysis/stop.txt', 'the\n');
      expect((await call('POST', '/stop/_close')).status).toBe(200);
      expect((await call('POST', '/stop/_open')).body).toEqual({ acknowledged: true, shards_acknowledged: true });
      expect((await call('GET', '/_cluster/health')).body).toMatchObject({ status: 'green', unassigned_shards: 0 });
      expect((await call('GET', '/stop/_doc/1')).body._source).toEqual({ body: 'the cat' });
      // its analysis is back too: `the` is a stop word again
      expect((await call('POST', '/stop/_search', { query: { match: { body: 'the' } } })).body.hits.total.value).toBe(0);
      expect((await call('POST', '/stop/_search', { query: { match: { body: 'cat' } } })).body.hits.total.value).toBe(1);
      expect((await call('PUT', '/stop/_doc/2?refresh=true', { body: 'the dog' })).status).toBe(201);
    } finally {
      await engine.close();
    }
  });

  it('comes back with _cluster/reroute?retry_failed, and can be deleted while red', async () => {
    const dir = await populated();
    rmSync(join(dir, 'config', 'analysis', 'stop.txt'));
    const engine = await Engine.open(dir, { dataStreamLifecycle: false });
    const call = engineCaller(() => engine);
    try {
      expect((await call('POST', '/_cluster/reroute?retry_failed=true&metric=none')).body).toEqual({ acknowledged: true });
      expect((await call('GET', '/_cluster/health')).body.status).toBe('red');
      configFile(dir, 'analysis/stop.txt', 'the\n');
      expect((await call('POST', '/_cluster/reroute?retry_failed=true&metric=none')).body).toEqual({ acknowledged: true });
      expect((await call('GET', '/_cluster/health')).body.status).toBe('green');
      expect((await call('GET', '/stop/_count')).body.count).toBe(1);

      rmSync(join(dir, 'config', 'analysis', 'stop.txt'));
    } finally {
      await engine.close();
    }
    const again = await Engine.open(dir, { dataStreamLifecycle: false });
    const call2 = engineCaller(() => again);
    try {
      expect((await call2('GET', '/_cluster/health')).body.status).toBe('red');
      expect((await call2('DELETE', '/stop')).body).toEqual({ acknowledged: true });
      expect((await call2('GET', '/_cluster/health')).body.status).toBe('green');
      expect(readdirSync(join(dir, 'indices')).length).toBe(1);
    } finally {
      await again.close();
    }
  });
});

describe('other causes', () => {
  it('a hunspell dictionary removed from <config>/hunspell', async () => {
    const dir = tempDir();
    dirs.push(dir);
    configFile(dir, 'hunspell/en_TEST/en_TEST.aff', 'SET UTF-8\nSFX S Y 1\nSFX S 0 s .\n');
    configFile(dir, 'hunspell/en_TEST/en_TEST.dic', '1\ncat/S\n');
    let engine = await Engine.open(dir, { dataStreamLifecycle: false });
    let call = engineCaller(() => engine);
    expect((await call('PUT', '/hs', { settings: { number_of_replicas: 0, analysis: { filter: { en: { type: 'hunspell', locale: 'en_TEST' } }, analyzer: { en: { tokenizer: 'standard', filter: ['lowercase', 'en'] } } } }, mappings: { properties: { t: { type: 'text', analyzer: 'en' } } } })).status).toBe(200);
    await call('PUT', '/hs/_doc/1', { t: 'cats' });
    await engine.close();
    rmSync(join(dir, 'config', 'hunspell'), { recursive: true });
    engine = await Engine.open(dir, { dataStreamLifecycle: false });
    call = engineCaller(() => engine);
    try {
      expect((await raw(engine, 'GET', '/_cat/indices/hs?h=health,status,index')).body).toBe('red open hs\n');
      const explain = (await call('GET', '/_cluster/allocation/explain', { index: 'hs', shard: 0, primary: true })).body;
      expect(explain.unassigned_info.details).toContain('en_TEST');
      // with the one unassigned shard of the cluster, an explain without a body explains it
      expect((await call('GET', '/_cluster/allocation/explain')).body.note).toMatch(/^No shard was specified/);
    } finally {
      await engine.close();
    }
  });

  it('a stored file that cannot be read', async () => {
    const dir = await populated();
    const engine = await Engine.open(dir, { dataStreamLifecycle: false });
    await engineCaller(() => engine)('POST', '/good/_flush');
    await engine.close();
    const uuidDir = readdirSync(join(dir, 'indices')).find((d) => readFileSync(join(dir, 'indices', d, 'meta.json'), 'utf8').includes('"name":"good"'))!;
    // EISDIR when it is read: as unreadable as a file the disk fails on
    rmSync(join(dir, 'indices', uuidDir, 'snapshot.bin'));
    mkdirSync(join(dir, 'indices', uuidDir, 'snapshot.bin'));
    writeFileSync(join(dir, 'indices', uuidDir, 'snapshot.bin', 'x'), '');
    const before = indexFiles(dir);
    const reopened = await Engine.open(dir, { dataStreamLifecycle: false });
    const call = engineCaller(() => reopened);
    try {
      expect((await raw(reopened, 'GET', '/_cat/indices?h=index,health&s=index')).body).toBe('good red\nstop green\n');
      const explain = (await call('POST', '/_cluster/allocation/explain', { index: 'good', shard: 0, primary: true })).body;
      expect(explain.unassigned_info.details).toContain('EISDIR');
      expect((await call('GET', '/stop/_doc/1')).body.found).toBe(true);
    } finally {
      await reopened.close();
    }
    expect(indexFiles(dir)).toEqual(before);
  });
});
