import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, errors } from '@elastic/elasticsearch';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { elasticsearchSide } from '../../src/client/adapters/elasticsearch.js';
import { openSearchSide } from '../../src/client/adapters/opensearch.js';
import { ClientRegistry } from '../../src/client/client-registry.js';
import { Redactor, secretsOf } from '../../src/client/redact.js';
import type { SearchSide } from '../../src/client/search-side.js';
import { startEngineServer, type EngineServer } from '../../src/engine/index.js';
import { runCli } from '../helpers/cli.js';
import { baseline, makeProject } from '../helpers/project.js';
import { startRecordingServer } from '../helpers/recording-server.js';

let server: EngineServer;
let engineDir: string;
let es: SearchSide;
let os: SearchSide;
beforeAll(async () => {
  engineDir = mkdtempSync(join(tmpdir(), 'indexkit-opensearch-'));
  server = await startEngineServer({ dataDir: engineDir, port: 0 });
  es = elasticsearchSide(new Client({ node: server.url }));
  os = openSearchSide(new OpenSearchClient({ node: server.url }));
  await es.indices.create({ index: 'books-1', mappings: { properties: { title: { type: 'text' }, tag: { type: 'keyword' } } }, aliases: { books: { is_write_index: true } } });
  await es.bulk({ refresh: true, operations: ['tea and cakes', 'green tea', 'coffee', 'tea time'].flatMap((title, i) => [{ index: { _index: 'books', _id: String(i + 1) } }, { title, tag: i % 2 ? 'odd' : 'even' }]) });
});
afterAll(async () => {
  await es.close();
  await os.close();
  await server.close();
  rmSync(engineDir, { recursive: true, force: true });
});

const withoutTook = <T extends { took?: number }>(response: T) => ({ ...response, took: 0 });

describe('the OpenSearch adapter', () => {
  it('answers the same bodies as the Elasticsearch adapter: search, count, aliases, mappings, exists', async () => {
    const query = { index: 'books', query: { match: { title: 'tea' } }, aggs: { tags: { terms: { field: 'tag' } } }, track_total_hits: true, size: 2 };
    expect(withoutTook(await os.search(query))).toEqual(withoutTook(await es.search(query)));
    expect(await os.count({ index: 'books', query: { term: { tag: 'odd' } } })).toEqual(await es.count({ index: 'books', query: { term: { tag: 'odd' } } }));
    expect(await os.indices.getAlias({ name: 'books' })).toEqual({ 'books-1': { aliases: { books: { is_write_index: true } } } });
    expect(await os.indices.getMapping({ index: 'books' })).toEqual(await es.indices.getMapping({ index: 'books' }));
    expect([await os.indices.exists({ index: 'books' }), await os.indices.exists({ index: 'no-such-index' })]).toEqual([true, false]);
  });

  it('throws the Elasticsearch client\'s ResponseError with the status, type and reason', async () => {
    const both = await Promise.all([es, os].map((side) => side.search({ index: 'no-such-index', query: { match_all: {} } }).catch((e: unknown) => e)));
    for (const error of both) {
      expect(error).toBeInstanceOf(errors.ResponseError);
      expect((error as errors.ResponseError).statusCode).toBe(404);
      expect((error as errors.ResponseError).meta.body).toMatchObject({ error: { type: 'index_not_found_exception', reason: 'no such index [no-such-index]' } });
    }
    expect((both[1] as Error).message).toBe((both[0] as Error).message);
    const missing = await os.get({ index: 'books', id: '404' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(errors.ResponseError);
    expect((missing as errors.ResponseError).statusCode).toBe(404);
  });

  it('walks a point-in-time through OpenSearch\'s /_search/point_in_time and closes it', async () => {
    const sent: string[] = [];
    os.onRequest((r) => sent.push(`${r.method} ${r.path}`));
    const pit = await os.openPointInTime({ index: 'books', keep_alive: '1m' });
    const ids: string[] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const page = await os.search({ size: 3, pit: { id: pit.id, keep_alive: '1m' }, sort: [{ _shard_doc: 'asc' }], ...(after ? { search_after: after as never } : {}) });
      if (page.hits.hits.length === 0) break;
      ids.push(...page.hits.hits.map((h) => h._id!));
      after = page.hits.hits.at(-1)!.sort;
    }
    expect(ids.sort()).toEqual(['1', '2', '3', '4']);
    await os.closePointInTime({ id: pit.id });
    expect(sent).toContain('POST /books/_search/point_in_time');
    expect(sent).toContain('DELETE /_search/point_in_time');
    // Closed: the engine no longer knows it.
    await expect(os.search({ pit: { id: pit.id } })).rejects.toBeInstanceOf(errors.ResponseError);
  });

  it('pages a point-in-time by _id on OpenSearch before 3.3, which has no _shard_doc, and by _shard_doc from 3.3', async () => {
    for (const [version, expected] of [['2.17.1', [{ _id: { order: 'asc' } }]], ['3.3.0', [{ _shard_doc: 'asc' }]]] as const) {
      const recorder = await startRecordingServer((r) => (r.url === '/' ? { status: 200, body: { name: 'n', cluster_name: 'c', version: { distribution: 'opensearch', number: version } } } : { status: 200, body: { hits: { hits: [] } } }));
      const side = openSearchSide(new OpenSearchClient({ node: recorder.url }));
      try {
        await side.search({ pit: { id: 'x', keep_alive: '1m' }, sort: [{ _shard_doc: 'asc' }], size: 1 });
        const search = recorder.requests.find((r) => r.url?.startsWith('/_search'));
        expect((JSON.parse(search!.body) as { sort: unknown }).sort).toEqual(expected);
      } finally {
        await side.close();
        await recorder.close();
      }
    }
  });
});

describe('ClientRegistry with product', () => {
  it('builds the OpenSearch adapter for product: opensearch, and refuses SigV4 without it', async () => {
    const registry = new ClientRegistry({
      connections: { default: { node: server.url, product: 'opensearch' }, aws: { node: server.url, auth: { aws: { region: 'eu-west-1' } } } },
      indexes: {},
      baseDir: '/',
    } as unknown as ConstructorParameters<typeof ClientRegistry>[0]);
    try {
      const side = await registry.get();
      expect(side.product).toBe('opensearch');
      expect(await side.info()).toMatchObject({ product: 'opensearch', version: expect.stringMatching(/^\d+\.\d+/) });
      expect((await side.search({ index: 'books', query: { match: { title: 'coffee' } } })).hits.hits.map((h) => h._id)).toEqual(['3']);
      await expect(registry.get('aws')).rejects.toThrow(/connections\.aws has auth\.aws \(SigV4\), which needs product: opensearch/);
    } finally {
      await registry.close();
    }
  });
});

describe('SigV4 (Amazon OpenSearch Service and Serverless)', () => {
  const KEY = 'AKIDEXAMPLE1234567890';
  const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE-session-token//////////wEaCXVzLWVhc3QtMSJHMEUCIQD';
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  const awsEnv = { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };

  it('signs every request for the configured region and service, with the session token of temporary credentials', async () => {
    Object.assign(process.env, awsEnv);
    const recorder = await startRecordingServer();
    for (const service of ['es', 'aoss'] as const) {
      const registry = new ClientRegistry({ connections: { default: { node: recorder.url, product: 'opensearch', auth: { aws: { region: 'eu-west-3', service } } } }, indexes: {}, baseDir: '/' } as unknown as ConstructorParameters<typeof ClientRegistry>[0]);
      try {
        recorder.requests.length = 0;
        const side = await registry.get();
        await side.info();
        await side.search({ index: 'books', query: { match: { title: 'tea' } } }).catch(() => undefined);
        expect(recorder.requests).toHaveLength(2);
        for (const request of recorder.requests) {
          const date = String(request.headers['x-amz-date']);
          expect(date).toMatch(/^\d{8}T\d{6}Z$/);
          expect(request.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${KEY}/${date.slice(0, 8)}/eu-west-3/${service}/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`));
          expect(request.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(request.body).digest('hex'));
          expect(request.headers['x-amz-security-token']).toBe(TOKEN);
          expect(String(request.headers.authorization)).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
        }
        expect(JSON.parse(recorder.requests[1]!.body)).toEqual({ query: { match: { title: 'tea' } } });
      } finally {
        await registry.close();
      }
    }
    await recorder.close();
  });

  it('prints none of the credentials, signatures or tokens: CLI output, errors and --json', async () => {
    // An endpoint that refuses the signature, as AWS does, echoing what a careless server might.
    const recorder = await startRecordingServer((r) => ({ status: 403, body: { message: `The request signature we calculated does not match the signature you provided. ${r.headers.authorization} ${r.headers['x-amz-security-token']}` } }));
    const config = stringify({ connections: { default: { node: recorder.url, product: 'opensearch', maxRetries: 0, auth: { aws: { region: 'us-east-1', service: 'es' } } } }, indexes: { blog: { models: ['./models/post.mjs#Post'] } } });
    const project = makeProject(baseline({ 'search.config.yaml': config }));
    try {
      const outputs: string[] = [];
      for (const args of [['status'], ['status', '--json'], ['create-index', 'blog'], ['create-index', 'blog', '--json'], ['status', '--debug']]) {
        const result = await runCli(args, { cwd: project.dir, env: awsEnv });
        expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).not.toBe(0);
        outputs.push(result.stdout + result.stderr);
      }
      // The requests were signed and refused: the failure is real, not a configuration error.
      expect(recorder.requests.length).toBeGreaterThan(0);
      expect(recorder.requests.every((r) => String(r.headers.authorization).startsWith('AWS4-HMAC-SHA256'))).toBe(true);
      const signatures = recorder.requests.map((r) => /Signature=([0-9a-f]{64})/.exec(String(r.headers.authorization))![1]!);
      const everything = outputs.join('\n');
      expect(everything).toMatch(/403|signature/i);
      for (const secret of [SECRET, TOKEN, KEY, ...signatures]) expect(everything).not.toContain(secret);
      expect(everything).not.toMatch(/(Credential|Signature)=(?!\*\*\*)/);
    } finally {
      project.cleanup();
      await recorder.close();
    }
  }, 120_000);

  it('counts the AWS secrets of the environment among the secrets to redact when a connection uses auth.aws', () => {
    const settings = { connections: { default: { node: 'https://search-x.eu-west-3.es.amazonaws.com', product: 'opensearch' as const, auth: { aws: { region: 'eu-west-3' } } } } };
    const redactor = new Redactor(secretsOf(settings, awsEnv));
    expect(redactor.redact(`secret ${SECRET} token ${TOKEN}`)).toBe('secret *** token ***');
    expect(secretsOf({ connections: { default: 'https://es:9200' } }, awsEnv)).toEqual([]);
  });
});

describe('search check --connect and search status', () => {
  // A model whose queryset needs no table, so that --connect's queryset and capture checks pass on an empty database.
  const MODEL = `export const Post = { getSearchQueryset: (db) => db.select(db.raw('1 as id')), asSearchDocument: (row) => ({ title: String(row.id) }) };\n`;
  const project = (node: string) => makeProject(baseline({ 'search.config.yaml': stringify({ connections: { default: { node, product: 'opensearch', maxRetries: 0 } }, indexes: { blog: { models: ['./models/post.mjs#Post'] } } }), 'models/post.mjs': MODEL }));

  it('print the server\'s product and version, and every feature indexkit uses works through the OpenSearch client', async () => {
    const p = project(server.url);
    try {
      const check = await runCli(['check', '--connect', '--json'], { cwd: p.dir });
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const result = JSON.parse(check.stdout) as { connect: Array<{ name: string; server?: { product: string; distribution: string; version: string; features: Array<{ feature: string; ok: boolean; detail?: string }> } }> };
      const server = result.connect.find((c) => c.name === 'connections.default')?.server;
      expect(server).toMatchObject({ product: 'opensearch', distribution: 'elasticsearch', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
      expect(server!.features.filter((f) => !f.ok)).toEqual([]);
      expect(server!.features.map((f) => f.feature)).toEqual(expect.arrayContaining(['_meta updates through put-mapping', 'point-in-time walk (prune-index)', 'completion and phrase suggesters', 'track_total_hits']));
      // The probe index is gone again.
      expect(Object.keys(await es.indices.getAlias({})).filter((i) => i.startsWith('indexkit-probe-'))).toEqual([]);
      const text = await runCli(['check', '--connect'], { cwd: p.dir });
      expect(text.stdout).toMatch(/^ok\s+connections\.default: elasticsearch \d+\.\d+\.\d+ \(OpenSearch client\) \(\S+\), (\d+)\/\1 features work$/m);
      const status = await runCli(['status'], { cwd: p.dir });
      expect(status.stdout).toMatch(/^search side default: elasticsearch \d+\.\d+\.\d+ \(OpenSearch client\)$/m);
    } finally {
      p.cleanup();
    }
  });

  it('names the feature that does not work and the server version, and exits 1', async () => {
    // A server that says it is OpenSearch 2.3.0 and acknowledges everything without doing it.
    const recorder = await startRecordingServer((r) => ({ status: 200, body: r.url === '/' ? { name: 'n', cluster_name: 'c', version: { distribution: 'opensearch', number: '2.3.0' } } : { acknowledged: true } }));
    const p = project(recorder.url);
    try {
      const check = await runCli(['check', '--connect'], { cwd: p.dir });
      expect(check.code, check.stderr).toBe(1);
      expect(check.stdout).toMatch(/^FAIL\s+connections\.default: _meta updates through put-mapping$/m);
      expect(check.stderr).toMatch(/error: connections\.default: _meta updates through put-mapping does not work on opensearch 2\.3\.0: the _meta written is not the _meta read back/);
      expect(check.stderr).toMatch(/error: connections\.default: point-in-time walk \(prune-index\) does not work on opensearch 2\.3\.0/);
    } finally {
      p.cleanup();
      await recorder.close();
    }
  });
});
