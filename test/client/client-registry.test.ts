import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptionsFor } from '../../src/client/client-options.js';
import { ClientRegistry } from '../../src/client/client-registry.js';
import type { LoadedConfig } from '../../src/config/settings-types.js';
import { IndexkitError } from '../../src/errors.js';
import { startRecordingServer } from '../helpers/recording-server.js';

let server: Awaited<ReturnType<typeof startRecordingServer>>;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());

const settings = { requestTimeout: 5000, maxRetries: 0 } as LoadedConfig['settings'];
function registry(connections: LoadedConfig['connections']): ClientRegistry {
  return new ClientRegistry({ connections, indexes: { blog: { models: [], connection: 'archive' } }, baseDir: process.cwd(), settings });
}

/** Sends one request with the client built for `connection` and returns the headers the server saw. */
async function headersSent(connection: LoadedConfig['connections'][string]) {
  const clients = registry({ default: connection });
  try {
    await (await clients.get()).info();
    return server.requests.at(-1)!.headers;
  } finally {
    await clients.close();
  }
}

describe('ClientRegistry', () => {
  it('sends basic auth from credentials in the URL', async () => {
    const url = new URL(server.url);
    url.username = 'elastic';
    url.password = 'pa ss:word';
    const headers = await headersSent(url.toString());
    expect(headers.authorization).toBe(`Basic ${Buffer.from('elastic:pa ss:word').toString('base64')}`);
  });

  it('sends basic auth from username and password options', async () => {
    const headers = await headersSent({ node: server.url, auth: { username: 'u', password: 'p' } });
    expect(headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('sends an API key, given as a string or as id and key', async () => {
    expect((await headersSent({ node: server.url, auth: { apiKey: 'c2VjcmV0' } })).authorization).toBe('ApiKey c2VjcmV0');
    expect((await headersSent({ node: server.url, auth: { apiKey: { id: 'id1', api_key: 'key1' } } })).authorization).toBe(`ApiKey ${Buffer.from('id1:key1').toString('base64')}`);
  });

  it('sends a bearer token', async () => {
    expect((await headersSent({ node: server.url, auth: { bearer: 'tok3n' } })).authorization).toBe('Bearer tok3n');
  });

  it('builds one client per connection and reuses it', async () => {
    const clients = registry({ default: server.url, archive: server.url });
    try {
      const a = await clients.get('default');
      expect(await clients.get('default')).toBe(a);
      expect(await clients.get('archive')).not.toBe(a);
      expect(await clients.forIndex('blog')).toBe(await clients.get('archive'));
    } finally {
      await clients.close();
    }
  });

  it('refuses a connection name that is not configured', async () => {
    await expect(registry({ default: server.url }).get('nope')).rejects.toThrow(/connection "nope" is not configured \(configured: default\)/);
  });
});

describe('clientOptionsFor', () => {
  it('decodes an Elastic Cloud id into the cluster URL', async () => {
    // cloud id = <name>:base64(<host>$<es uuid>$<kibana uuid>)
    const cloudId = `prod:${Buffer.from('eu-west-1.aws.found.io$abc123$def456').toString('base64')}`;
    const resolved = clientOptionsFor('default', { cloudId, auth: { apiKey: 'k' } }, { baseDir: '.' });
    expect(resolved.kind).toBe('remote');
    const { Client } = await import('@elastic/elasticsearch');
    const client = new Client(resolved.options);
    const urls = (client.connectionPool as unknown as { connections: Array<{ url: URL }> }).connections.map((c) => c.url.href);
    expect(urls).toEqual(['https://abc123.eu-west-1.aws.found.io/']);
    await client.close();
  });

  it('reads a CA certificate from a file relative to the settings file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexkit-tls-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const resolved = clientOptionsFor('default', { node: 'https://es:9200', tls: { ca: 'ca.pem', rejectUnauthorized: true } }, { baseDir: dir });
      expect(resolved.options.tls).toEqual({ ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', rejectUnauthorized: true });
      expect(() => clientOptionsFor('default', { node: 'https://es:9200', tls: { ca: 'missing.pem' } }, { baseDir: dir })).toThrow(IndexkitError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves an embedded data folder relative to the settings file', () => {
    expect(clientOptionsFor('default', 'embedded:.search/engine', { baseDir: '/srv/app' })).toMatchObject({ kind: 'embedded', dir: '/srv/app/.search/engine' });
  });
});
