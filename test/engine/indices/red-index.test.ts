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

/** A digest of every file under the index directories: what "untouched" is checked against. */
function indexFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string): void => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[full.slice(dir.length)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(join(dir, 'indices'));
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

describe('an index whose analysis file is gone', () => {
  it('opens the engine with the index red, the others working', async () => {
    const dir = await populated();
    rmSync(join(dir, 'config', 'analysis', 'stop.txt'));
    const before = indexFiles(dir);
    const log = vi.spyOn(process.stdout, 'write');
    const engine = await Engine.open(dir, { dataStreamLifecycle: false });
    const call = engineCaller(() => engine);
    try {
      expect(log).not.toHaveBeenCalled();
      expect((await call('GET', '/good/_doc/1')).body._source).toEqual({ title: 'kept' });
      const health = await call('GET', '/_cluster/health');
      console.error(JSON.stringify(health.body));
      const search = await call('GET', '/stop/_search');
      console.error(JSON.stringify(search));
      console.error(JSON.stringify(await call('GET', '/stop/_doc/1')));
      console.error(JSON.stringify(await call('PUT', '/stop/_doc/2', { body: 'x' })));
      console.error(JSON.stringify(await call('GET', '/stop/_mapping')));
      console.error(JSON.stringify(await call('GET', '/_cat/indices?format=json')));
      console.error(JSON.stringify(await call('GET', '/_cat/shards?format=json')));
      console.error(JSON.stringify(await call('POST', '/_cluster/allocation/explain', { index: 'stop', shard: 0, primary: true })));
      console.error(JSON.stringify(await call('GET', '/_cluster/health?level=shards')));
    } finally {
      await engine.close();
    }
    expect(indexFiles(dir)).toEqual(before);
  });
});
