import { gzipSync } from 'node:zlib';
import { Client, errors } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireEngine, releaseEngine, startEngineServer } from '../../src/engine/index.js';
import type { EngineServer } from '../../src/engine/index.js';
import { removeDir, tempDir } from './helpers.js';

let dir: string;
let server: EngineServer;

beforeAll(async () => {
  dir = tempDir();
  await acquireEngine(dir);
  server = await startEngineServer({ dataDir: dir, port: 0, basicAuth: { username: 'elastic', password: 'secret' }, apiKey: 'my-key', maxBodyBytes: 10_000 });
});

afterAll(async () => {
  await server.close();
  await releaseEngine(dir);
  removeDir(dir);
});

describe('HTTP server', () => {
  it('serves the REST API to the real client with basic auth', async () => {
    const client = new Client({ node: server.url, auth: { username: 'elastic', password: 'secret' } });
    const info = await client.info();
    expect(info.tagline).toBe('You Know, for Search');
    await client.index({ index: 'http', id: '1', document: { a: 1 }, refresh: true });
    expect((await client.get({ index: 'http', id: '1' }))._source).toEqual({ a: 1 });
    expect(await client.exists({ index: 'http', id: '2' })).toBe(false);
    const bulk = await client.bulk({ operations: [{ index: { _index: 'http', _id: '2' } }, { a: 2 }] });
    expect(bulk.errors).toBe(false);
    await client.close();
  });

  it('accepts an API key in the ApiKey header form', async () => {
    const client = new Client({ node: server.url, auth: { apiKey: Buffer.from('id:my-key').toString('base64') } });
    expect((await client.info()).version.number).toBe('8.19.0');
    await client.close();
  });

  it('answers 401 security_exception without credentials', async () => {
    const client = new Client({ node: server.url });
    try {
      await client.info();
      throw new Error('expected 401');
    } catch (error) {
      expect(error).toBeInstanceOf(errors.ResponseError);
      expect((error as errors.ResponseError).statusCode).toBe(401);
      expect(((error as errors.ResponseError).body as { error: { type: string } }).error.type).toBe('security_exception');
    }
    await client.close();
  });

  it('answers 413 for oversize bodies and accepts gzip bodies', async () => {
    const auth = `Basic ${Buffer.from('elastic:secret').toString('base64')}`;
    const big = await fetch(`${server.url}/http/_doc/big`, { method: 'PUT', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(20_000) }) });
    expect(big.status).toBe(413);
    const gz = await fetch(`${server.url}/http/_doc/gz`, { method: 'PUT', headers: { authorization: auth, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ z: 1 })) });
    expect(gz.status).toBe(201);
    expect(gz.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });
});

describe('HTTP server shutdown', () => {
  it('finishes in-flight requests, stops accepting, and flushes the engine it opened', async () => {
    const { request } = await import('node:http');
    const own = tempDir();
    const srv = await startEngineServer({ dataDir: own, port: 0 });
    const url = new URL(srv.url);
    const response = new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'PUT', path: '/slow/_doc/1', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.write('{"a":');
      setTimeout(() => req.end('1}'), 200);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = srv.close();
    expect(await response).toBe(201);
    await closed;
    await expect(fetch(`${srv.url}/`)).rejects.toThrow();
    const engine = await acquireEngine(own);
    const got = await engine.handle({ method: 'GET', path: '/slow/_doc/1' });
    expect(JSON.parse(got.body)._source).toEqual({ a: 1 });
    await releaseEngine(own);
    removeDir(own);
  });
});
