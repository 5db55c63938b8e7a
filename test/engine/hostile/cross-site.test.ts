import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireEngine, releaseEngine, startEngineServer } from '../../../src/engine/index.js';
import type { EngineServer } from '../../../src/engine/index.js';
import { removeDir, tempDir } from '../helpers.js';

/**
 * Issue 12: any web page could write to a local engine: `POST /_bulk` as `text/plain` from
 * `Origin: evil.example` deleted and created documents, and any Host header was served (DNS
 * rebinding). Elasticsearch answers 406 to a body it cannot read; a loopback-bound engine serves
 * only loopback Host names unless told otherwise.
 */
let dir: string;
let server: EngineServer;
let port: string;

beforeAll(async () => {
  dir = tempDir();
  await acquireEngine(dir);
  server = await startEngineServer({ dataDir: dir, port: 0 });
  port = new URL(server.url).port;
  const res = await fetch(`${server.url}/victim/_doc/1?refresh=true`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await server.close();
  await releaseEngine(dir);
  removeDir(dir);
});

const BULK = '{"delete":{"_index":"victim","_id":"1"}}\n{"index":{"_index":"evil","_id":"x"}}\n{"pwned":true}\n';

async function victimCount(): Promise<number> {
  const res = await fetch(`${server.url}/victim/_count`);
  return ((await res.json()) as { count: number }).count;
}

describe('cross-site writes', () => {
  for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    it(`answers 406 to a ${contentType} _bulk from another origin, and writes nothing`, async () => {
      const res = await fetch(`${server.url}/_bulk`, { method: 'POST', headers: { 'content-type': contentType, origin: 'http://evil.example' }, body: BULK });
      expect(res.status).toBe(406);
      expect(await res.json()).toEqual({ error: `Content-Type header [${contentType}] is not supported`, status: 406 });
      expect(await victimCount()).toBe(1);
      expect((await fetch(`${server.url}/evil`, { method: 'HEAD' })).status).toBe(404);
    });
  }

  it('answers 406 "Content-Type header is missing" to a body without one, and serves bodiless requests whatever the header', async () => {
    const res = await fetch(`${server.url}/_bulk`, { method: 'POST', body: new Blob([BULK]) });
    expect(res.status).toBe(406);
    expect(await res.json()).toEqual({ error: 'Content-Type header is missing', status: 406 });
    expect((await fetch(`${server.url}/victim/_count`, { headers: { 'content-type': 'text/plain' } })).status).toBe(200);
  });

  it('reads the JSON, NDJSON and vendor media types Elasticsearch reads', async () => {
    for (const type of ['application/json; charset=UTF-8', 'application/x-ndjson', 'application/vnd.elasticsearch+json; compatible-with=8', 'application/vnd.elasticsearch+x-ndjson; compatible-with=8']) {
      const res = await fetch(`${server.url}/victim/_count`, { method: 'POST', headers: { 'content-type': type }, body: '{"query":{"match_all":{}}}' });
      expect(res.status, type).toBe(200);
    }
  });

  it('refuses a Host that is not a loopback name (DNS rebinding) with 403, and serves loopback ones', async () => {
    const { request } = await import('node:http');
    const get = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: Number(port), path: '/victim/_count', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get(`evil.example:${port}`)).toBe(403);
    expect(await get('evil.example')).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST', `app.localhost:${port}`]) expect(await get(host), host).toBe(200);
  });

  it('serves other Host names when told to (allowedHosts), and refuses an empty API key outright', async () => {
    const open = await startEngineServer({ dataDir: dir, port: 0, allowedHosts: ['search.internal'] });
    try {
      const { request } = await import('node:http');
      const status = (host: string): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: Number(new URL(open.url).port), path: '/', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await status('search.internal:9200')).toBe(200);
      expect(await status('evil.example')).toBe(403);
    } finally {
      await open.close();
    }
    await expect(startEngineServer({ dataDir: dir, port: 0, apiKey: '' })).rejects.toThrow(/apiKey is empty/);
  });
});
