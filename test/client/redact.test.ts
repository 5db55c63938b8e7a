import { describe, expect, it } from 'vitest';
import { Client } from '@elastic/elasticsearch';
import { Redactor, secretsOf } from '../../src/client/redact.js';

describe('Redactor', () => {
  it('masks the password of every URL in a text', () => {
    expect(new Redactor().redact('GET https://elastic:s3cret@es.example.com:9243/_search and postgres://app:pw%40x@db/app')).toBe(
      'GET https://elastic:***@es.example.com:9243/_search and postgres://app:***@db/app',
    );
  });

  it('masks every configured secret in plain, URL-encoded and base64 forms', () => {
    const secrets = secretsOf({
      connections: { default: { node: 'http://es:9200', auth: { apiKey: { id: 'key-id', api_key: 'api-secret' } } }, other: { node: 'http://x', auth: { bearer: 'bearer-token' } } },
      database: { client: 'pg', connection: { host: 'db', password: 'db/pass word' } },
    });
    const redactor = new Redactor(secrets);
    const base64 = Buffer.from('key-id:api-secret').toString('base64');
    const text = `api-secret bearer-token db/pass word ${encodeURIComponent('db/pass word')} ApiKey ${base64}`;
    const out = redactor.redact(text);
    for (const secret of ['api-secret', 'bearer-token', 'db/pass word', encodeURIComponent('db/pass word'), base64]) expect(out).not.toContain(secret);
  });

  it('leaves no password in what the real client reports when the cluster is unreachable', async () => {
    const url = 'http://elastic:Sup3r-S3cret@127.0.0.1:1';
    const client = new Client({ node: url, maxRetries: 0, requestTimeout: 2000 });
    const error = await client.info().catch((e: unknown) => e as Error);
    await client.close();
    const redactor = new Redactor(secretsOf({ connections: { default: url } }));
    const everything = `${String(error)} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
    expect(redactor.redact(everything)).not.toContain('Sup3r-S3cret');
  });
});
