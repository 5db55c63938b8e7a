import { createServer, type Server } from 'node:http';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainError, usageLine } from '../../src/cli/explain-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';

/**
 * explainError on errors the real client raises against a real HTTP server answering as a
 * cluster would: each is one line naming the cause and the setting, and none is called a bug.
 */
let server: Server;
let url = '';
const answers: Record<string, [number, unknown]> = {
  '/auth/_search': [401, { error: { type: 'security_exception', reason: 'unable to authenticate user [elastic]' }, status: 401 }],
  // the embedded engine's answer when a mapping's hunspell locale has no dictionary (HunspellService)
  '/hunspell/_search': [
    500,
    {
      error: {
        root_cause: [{ type: 'illegal_state_exception', reason: 'failed to load hunspell dictionary for locale: en_US' }],
        type: 'illegal_state_exception',
        reason: 'failed to load hunspell dictionary for locale: en_US',
        caused_by: { type: 'exception', reason: 'Could not find hunspell dictionary [en_US]' },
      },
      status: 500,
    },
  ],
  '/busy/_search': [429, { error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' }, status: 429 }],
  '/red/_search': [
    503,
    {
      error: {
        root_cause: [{ type: 'no_shard_available_action_exception', reason: null }],
        type: 'search_phase_execution_exception',
        reason: 'all shards failed',
        phase: 'query',
        grouped: true,
        failed_shards: [{ shard: 0, index: 'red', node: null, reason: { type: 'no_shard_available_action_exception', reason: null } }],
      },
      status: 503,
    },
  ],
  '/bad/_search': [
    400,
    {
      error: {
        type: 'search_phase_execution_exception',
        reason: 'all shards failed',
        root_cause: [{ type: 'query_shard_exception', reason: 'failed to create query: For input string: "abc"' }],
        failed_shards: [{ reason: { type: 'query_shard_exception', reason: 'failed to create query: For input string: "abc"', caused_by: { type: 'number_format_exception', reason: 'For input string: "abc"' } } }],
      },
      status: 400,
    },
  ],
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, body] = answers[req.url!.split('?')[0]!] ?? [404, { error: { type: 'index_not_found_exception', reason: 'no such index' }, status: 404 }];
    res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failureOf(index: string): Promise<unknown> {
  const client = new Client({ node: url, maxRetries: 0 });
  try {
    return await client.search({ index }).then(() => undefined, (e: unknown) => e);
  } finally {
    await client.close();
  }
}

async function config() {
  const text = `connections:\n  default: ${url}\nindexes:\n  blog:\n    models: [./m.mjs#M]\n`;
  return loadConfig({ cwd: '/tmp', path: 'search.config.yaml', readFile: async () => text });
}

describe('explainError', () => {
  it('names refused credentials with the connection setting and line', async () => {
    const explained = await explainError(await failureOf('auth'), await config());
    expect(explained).toMatchObject({ code: 'SEARCH_AUTH_FAILED', exitCode: 1, bug: false });
    expect(explained.lines).toEqual([`${url} (connections.default, search.config.yaml:2) refused the credentials (HTTP 401: security_exception: unable to authenticate user [elastic]); check connections.default.auth`]);
  });

  it("gives a refused request's deepest cause, and says to try a busy cluster later", async () => {
    const bad = await explainError(await failureOf('bad'), await config());
    expect(bad.code).toBe('SEARCH_REJECTED');
    expect(bad.lines[0]).toBe('the search side (connections.default, search.config.yaml:2) refused the request (HTTP 400): search_phase_execution_exception: all shards failed: number_format_exception: For input string: "abc"');
    const busy = await explainError(await failureOf('busy'), await config());
    expect(busy).toMatchObject({ code: 'SEARCH_UNAVAILABLE', bug: false });
    expect(busy.lines[0]).toMatch(/failed the request \(HTTP 429: es_rejected_execution_exception: rejected execution\); try again later$/);
  });

  it('says where a missing hunspell dictionary goes, not to try again later', async () => {
    const missing = await explainError(await failureOf('hunspell'), await config());
    expect(missing).toMatchObject({ code: 'SEARCH_REJECTED', exitCode: 1, bug: false });
    expect(missing.lines[0]).toMatch(/cannot load the hunspell dictionary of a mapping's analysis \(HTTP 500: .*Could not find hunspell dictionary \[en_US\]\); put its \.aff and \.dic files in hunspell\/en_US\/ of the Elasticsearch node's config directory$/);
  });

  it('says a 503 of unallocated shards is a red index and where to look', async () => {
    const red = await explainError(await failureOf('red'), await config());
    expect(red).toMatchObject({ code: 'INDEX_RED', exitCode: 1, bug: false });
    expect(red.lines[0]).toMatch(/^an index the request reaches on the search side \(connections\.default, search\.config\.yaml:2\) is red: its shards are not allocated \(HTTP 503: .*\); run search status to see which index and why$/);
  });

  it('keeps indexkit errors as they are and calls only the unforeseen a bug', async () => {
    expect(await explainError(new ConfigError('CONFIG_INVALID', 'a\nb'))).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2, lines: ['a', 'b'], bug: false });
    expect(await explainError(new TypeError('x is not a function'))).toMatchObject({ code: 'BUG', lines: ['unexpected TypeError: x is not a function'], bug: true });
  });

  it("keeps the whole reason of oclif's usage messages on one line", () => {
    expect(usageLine('Parsing --chunk-size \n\tExpected an integer but received: x\nSee more help with --help')).toBe('Parsing --chunk-size: Expected an integer but received: x');
    expect(usageLine('Missing 1 required arg:\nid  The query id\nSee more help with --help')).toBe('Missing 1 required arg: id (The query id)');
    expect(usageLine('Nonexistent flag: --colour')).toBe('Nonexistent flag: --colour');
  });
});
