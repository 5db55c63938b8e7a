import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';
import { makeProject } from '../helpers/project.js';

const projects: Array<{ cleanup(): void }> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

async function load(text: string, env: Record<string, string> = {}) {
  const project = makeProject({ 'search.config.yaml': text });
  projects.push(project);
  return loadConfig({ cwd: project.dir, env });
}

const MINIMAL = 'indexes:\n  blog:\n    models: [./post.ts#Post]\n';

describe('loadConfig', () => {
  it('applies every documented default in one place when the file gives only indexes', async () => {
    const config = await load(MINIMAL);
    expect(config.connections).toEqual({ default: 'embedded:.search/engine' });
    expect(config.database).toEqual({ client: 'pg', connection: 'pglite:.search/db' });
    expect(config.indexes.blog).toEqual({ models: ['./post.ts#Post'], connection: 'default' });
    expect(config.settings).toEqual({
      mappingsDir: 'mappings',
      chunkSize: 500,
      chunkBytes: 10485760,
      concurrency: 2,
      pageSize: 25,
      autoSync: true,
      neverAutoSync: [],
      strictValidation: false,
      updateStrategy: 'full',
      cacheExpiry: 60,
      retryOnConflict: 0,
      maxRetries: 5,
      requestTimeout: 30000,
      queryLog: { enabled: true, flushIntervalMs: 1000, maxBatch: 100, maxQueue: 10000 },
      sync: { mode: 'near-live', intervalMs: 5000, pollIntervalMs: 1000, batchSize: 500, maxAttempts: 25, backoffBaseMs: 1000, backoffMaxMs: 300000, leaseMs: 300000, related: [] },
    });
  });

  it('keeps the values the file gives over the defaults', async () => {
    const config = await load(`${MINIMAL}settings:\n  chunkSize: 50\n  updateStrategy: partial\n`);
    expect(config.settings.chunkSize).toBe(50);
    expect(config.settings.updateStrategy).toBe('partial');
    expect(config.settings.pageSize).toBe(25);
  });

  it('interpolates ${VAR}, ${VAR:-default}, ${VAR-default} and $$', async () => {
    const config = await load(
      [
        'connections:',
        '  default: ${ES_URL}',
        '  empty: ${EMPTY:-http://fallback:9200}',
        '  kept: ${EMPTY-http://unused:9200}http://kept:9200',
        '  unset: ${NOT_SET:-http://unset:9200}',
        'database:',
        '  connection: postgres://app:$${literal}@db/app',
        MINIMAL,
      ].join('\n'),
      { ES_URL: 'http://es:9200', EMPTY: '' },
    );
    expect(config.connections).toEqual({ default: 'http://es:9200', empty: 'http://fallback:9200', kept: 'http://kept:9200', unset: 'http://unset:9200' });
    expect(config.database.connection).toBe('postgres://app:${literal}@db/app');
  });

  it('reads a whole plain ${VAR} as YAML, so numbers and booleans keep their type, and keeps quoted ones as strings', async () => {
    const config = await load(`${MINIMAL}settings:\n  chunkSize: \${CHUNK:-200}\n  autoSync: \${SYNC}\n  mappingsDir: "\${DIR:-123}"\n`, { SYNC: 'false' });
    expect(config.settings.chunkSize).toBe(200);
    expect(config.settings.autoSync).toBe(false);
    expect(config.settings.mappingsDir).toBe('123');
  });

  it('finds the file through SEARCH_CONFIG when no path is given, and the explicit path first', async () => {
    const project = makeProject({ 'deploy/a.yaml': MINIMAL, 'deploy/b.yaml': MINIMAL.replace('blog', 'shop') });
    projects.push(project);
    const viaEnv = await loadConfig({ cwd: project.dir, env: { SEARCH_CONFIG: 'deploy/a.yaml' } });
    expect(Object.keys(viaEnv.indexes)).toEqual(['blog']);
    expect(viaEnv.displayFile).toBe('deploy/a.yaml');
    const explicit = await loadConfig({ cwd: project.dir, path: 'deploy/b.yaml', env: { SEARCH_CONFIG: 'deploy/a.yaml' } });
    expect(Object.keys(explicit.indexes)).toEqual(['shop']);
  });

  it('knows the line of every setting for later messages', async () => {
    const config = await load(`${MINIMAL}settings:\n  chunkSize: 50\n`);
    expect(config.lineOf(['settings', 'chunkSize'])).toBe(5);
    expect(config.lineOf(['indexes', 'blog', 'models', 0])).toBe(3);
    expect(config.lineOf(['indexes', 'blog'], { key: true })).toBe(2);
  });

  it('throws a ConfigError with exit code 2 and every schema problem on its own line', async () => {
    const error = await load(`${MINIMAL}settings:\n  chunkSize: 0\n  updateStrategy: fast\n`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message.split('\n')).toEqual([
      'settings.chunkSize is 0 in search.config.yaml:5, expected at least 1',
      'settings.updateStrategy is "fast" in search.config.yaml:6, expected "full" or "partial"',
    ]);
  });
});
