import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../helpers.js';
import { CHEAP_ANSWER_MS, SLICE_BUDGET_MS, cheapSearch, fetchAgainOnStaleSocket, longestCheapWaitMs, mainThreadCpuMs, send, sendPaced, serveInChild, withCheapMeanwhile } from './meanwhile.js';
import type { Pacing, RawResponse } from './meanwhile.js';

/**
 * Issue 12's concerns, with its numbers: deep nesting (10k-level bool, 5k-level objects, 1k-level
 * aggs, 1,000-deep dotted names) and unbounded terms/clauses (100k and 1M terms, 100k should, a
 * 50k-OR query_string) answered with Elasticsearch's 400s, never a 500 stack overflow, without
 * holding the engine: cheap searches sent one after another while each runs are answered within
 * CHEAP_ANSWER_MS (100 ms) of the engine's CPU time, and the longest synchronous slice the engine
 * records stays within SLICE_BUDGET_MS.
 */
let dir: string;
let server: Awaited<ReturnType<typeof serveInChild>>;

beforeAll(async () => {
  dir = tempDir();
  server = await serveInChild(dir);
  expect((await send(server, 'PUT', '/t1', { mappings: { properties: { k: { type: 'keyword' }, body: { type: 'text' } } } })).status).toBe(200);
  expect((await send(server, 'PUT', '/t1/_doc/1?refresh=true', { k: 'v1', body: 'hello world' })).status).toBe(201);
});

afterAll(async () => {
  await server.close();
  removeDir(dir);
});

/** The cause inside the first shard failure. */
const shardCause = (r: RawResponse): { type: string; reason: string } | undefined =>
  (r.body.error as unknown as { failed_shards?: Array<{ reason: { type: string; reason: string; caused_by?: { type: string; reason: string } } }> }).failed_shards?.[0]?.reason.caused_by;

// Deep bodies are written as text: JSON.stringify itself recurses.
const nestedBool = (depth: number): string => `${'{"bool":{"must":['.repeat(depth)}{"match_all":{}}${']}}'.repeat(depth)}`;
const nestedObject = (depth: number): string => `${'{"o":'.repeat(depth)}{"leaf":1}${'}'.repeat(depth)}`;
const nestedAggs = (depth: number): string => `${'{"a":{"terms":{"field":"k"},"aggs":'.repeat(depth - 1)}{"a":{"terms":{"field":"k"}}}${'}}'.repeat(depth - 1)}`;

/** The request's answer, with cheap searches sent meanwhile held to CHEAP_ANSWER_MS of the engine's CPU time. */
async function large(method: string, path: string, body: unknown): Promise<RawResponse & { pacing: Pacing }> {
  const cheap = cheapSearch(server, '/t1/_search', { size: 1, query: { term: { k: 'v1' } } });
  const { answer, cheap: waits } = await withCheapMeanwhile(() => sendPaced(server, method, path, body), cheap, () => mainThreadCpuMs(server.child.pid!));
  expect(longestCheapWaitMs(waits)).toBeLessThan(CHEAP_ANSWER_MS);
  return answer;
}

/**
 * {@link large}, and the longest synchronous slice the engine recorded within SLICE_BUDGET_MS (wall
 * clock: held only for bodies small enough that the machine's load cannot stretch a slice past it;
 * the bodies of several MB allocate enough for GC pauses of 100 ms and more on a loaded machine).
 */
async function meanwhile(method: string, path: string, body: unknown): Promise<RawResponse & { pacing: Pacing }> {
  const answer = await large(method, path, body);
  expect(answer.pacing.longestSliceMs).toBeLessThan(SLICE_BUDGET_MS);
  return answer;
}

describe('deep nesting', () => {
  it('a 10,000-level bool answers 400 x_content_parse_exception (JSON nesting past 1,000), not a stack overflow', async () => {
    const r = await meanwhile('POST', '/t1/_search', `{"query":${nestedBool(10_000)}}`);
    expect(r.status).toBe(400);
    expect(r.body.error?.type).toBe('x_content_parse_exception');
    expect(r.body.error?.reason).toMatch(/Document nesting depth \(1001\) exceeds the maximum allowed \(1000/);
  });

  it('a 31-level bool answers 400: indices.query.max_nested_depth is 30, and 30 levels still run', async () => {
    const r = await send(server, 'POST', '/t1/_search', `{"query":${nestedBool(30)}}`);
    expect(r.status).toBe(400);
    expect(r.body.error?.type).toBe('x_content_parse_exception');
    expect(r.body.error?.reason).toBe('The nested depth of the query exceeds the maximum nested depth for queries set in [indices.query.max_nested_depth]');
    expect((await send(server, 'POST', '/t1/_search', `{"query":${nestedBool(29)}}`)).status).toBe(200);
  });

  it('a 5,000-level document answers 400, and a 25-level one breaks index.mapping.depth.limit (20)', async () => {
    const deep = await meanwhile('PUT', '/t1/_doc/deep', nestedObject(5000));
    expect(deep.status).toBe(400);
    expect(deep.body.error?.type).toBe('x_content_parse_exception');
    const r = await send(server, 'PUT', '/t1/_doc/d25', nestedObject(25));
    expect(r.status).toBe(400);
    expect(r.body.error?.type).toBe('document_parsing_exception');
    expect(r.body.error?.reason).toBe(`failed to parse: Limit of mapping depth [20] has been exceeded due to object field [${Array(20).fill('o').join('.')}]`);
    expect((await send(server, 'GET', '/t1/_doc/d25')).status).toBe(404);
  });

  it('a 1,000-deep dotted name answers 400 in a document and in a mapping', async () => {
    const name = Array.from({ length: 1000 }, (_, i) => `p${i}`).join('.');
    const doc = await meanwhile('PUT', '/t1/_doc/dotted', { [name]: 1 });
    expect(doc.status).toBe(400);
    expect(doc.body.error?.type).toBe('document_parsing_exception');
    expect(doc.body.error?.reason).toContain('Limit of mapping depth [20] has been exceeded');
    const mapping = await send(server, 'PUT', '/t1/_mapping', { properties: { [name]: { type: 'keyword' } } });
    expect(mapping.status).toBe(400);
    expect(mapping.body.error?.type).toBe('illegal_argument_exception');
    expect(mapping.body.error?.reason).toContain('Limit of mapping depth [20] has been exceeded');
  });

  it('a query_string of 5,000 nested groups answers 400 query_shard_exception, 100 groups still run', async () => {
    const deep = await meanwhile('POST', '/t1/_search', { query: { query_string: { query: `${'('.repeat(5000)}hello${')'.repeat(5000)}`, default_field: 'body' } } });
    expect(deep.status).toBe(400);
    expect(deep.body.error?.root_cause[0]?.type).toBe('query_shard_exception');
    const ok = await send(server, 'POST', '/t1/_search', { query: { query_string: { query: `${'('.repeat(100)}hello${')'.repeat(100)}`, default_field: 'body' } } });
    expect(ok.status).toBe(200);
    expect((ok.body.hits as { total: { value: number } }).total.value).toBe(1);
  });

  it('1,000-level aggregations answer 400 (JSON nesting), 101-level ones action_request_validation_exception', async () => {
    const thousand = await meanwhile('POST', '/t1/_search', `{"size":0,"aggs":${nestedAggs(1000)}}`);
    expect(thousand.status).toBe(400);
    expect(thousand.body.error?.type).toBe('x_content_parse_exception');
    const r = await send(server, 'POST', '/t1/_search', `{"size":0,"aggs":${nestedAggs(101)}}`);
    expect(r.status).toBe(400);
    expect(r.body.error?.type).toBe('action_request_validation_exception');
    expect(r.body.error?.reason).toBe('Validation Failed: 1: The nested depth of the aggregations exceeds the maximum nested depth for aggregations of [100];');
  });
});

describe('terms and clause limits', () => {
  for (const n of [100_000, 1_000_000]) {
    it(`a terms query of ${n.toLocaleString('en')} values answers 400 past index.max_terms_count (65,536)`, async () => {
      const r = await large('POST', '/t1/_search', { query: { terms: { k: Array.from({ length: n }, (_, i) => `v${i}`) } } });
      expect(r.status).toBe(400);
      // ~11 MB of JSON cannot be read within one slice: the parse paused for other requests
      if (n === 1_000_000) expect(r.pacing.yields).toBeGreaterThan(0);
      expect(r.body.error?.type).toBe('search_phase_execution_exception');
      expect(shardCause(r)).toEqual({
        type: 'illegal_argument_exception',
        reason: `The number of terms [${n}] used in the Terms Query request has exceeded the allowed maximum of [65536]. This maximum can be set by changing the [index.max_terms_count] index level setting.`,
      });
    });
  }

  it('reads index.max_terms_count and index.max_regex_length from the index settings', async () => {
    expect((await send(server, 'PUT', '/small', { settings: { 'index.max_terms_count': 10, 'index.max_regex_length': 5 }, mappings: { properties: { k: { type: 'keyword' } } } })).status).toBe(200);
    const terms = await send(server, 'POST', '/small/_search', { query: { terms: { k: Array.from({ length: 11 }, (_, i) => `v${i}`) } } });
    expect(terms.status).toBe(400);
    expect(shardCause(terms)?.reason).toContain('The number of terms [11] used in the Terms Query request has exceeded the allowed maximum of [10].');
    const regexp = await send(server, 'POST', '/small/_search', { query: { regexp: { k: 'abcdef' } } });
    expect(regexp.status).toBe(400);
    expect(shardCause(regexp)?.reason).toContain('The length of regex [6] used in the Regexp Query request has exceeded the allowed maximum of [5].');
    expect((await send(server, 'POST', '/small/_search', { query: { regexp: { k: 'abcde' } } })).status).toBe(200);
  });

  it('65,536 terms still run', async () => {
    const r = await send(server, 'POST', '/t1/_search', { query: { terms: { k: Array.from({ length: 65_536 }, (_, i) => `v${i}`) } } });
    expect(r.status).toBe(200);
    expect((r.body.hits as { total: { value: number } }).total.value).toBe(1);
  });

  it('100,000 should clauses answer 400 too_many_clauses', async () => {
    const should = Array.from({ length: 100_000 }, (_, i) => ({ term: { k: `v${i}` } }));
    const r = await large('POST', '/t1/_search', { query: { bool: { should } } });
    expect(r.status).toBe(400);
    expect(r.body.error?.root_cause[0]).toEqual({ type: 'illegal_argument_exception', reason: 'Query rewrite failed: too many clauses' });
    expect(shardCause(r)).toEqual({ type: 'too_many_clauses', reason: 'maxClauseCount is set to 4096' });
  });

  it('a 50,000-OR query_string answers 400 too_many_clauses', async () => {
    const query = Array.from({ length: 50_000 }, (_, i) => `w${i}`).join(' OR ');
    const r = await large('POST', '/t1/_search', { query: { query_string: { query, default_field: 'body' } } });
    expect(r.status).toBe(400);
    expect(shardCause(r)?.type).toBe('too_many_clauses');
  });

  it('a 9 MB match answers 400 too_many_clauses (refused from a prefix of the text: the 90 MB one took 57 s), a 9 MB match_phrase too_many_nested_clauses', async () => {
    const text = Array.from({ length: 1_500_000 }, (_, i) => `w${i % 5000}`).join(' ');
    const r = await large('POST', '/t1/_search', { query: { match: { body: text } } });
    expect(r.status).toBe(400);
    expect(shardCause(r)).toEqual({ type: 'too_many_clauses', reason: 'maxClauseCount is set to 4096' });
    const phrase = await large('POST', '/t1/_search', { query: { match_phrase: { body: text } } });
    expect(phrase.status).toBe(400);
    expect(shardCause(phrase)?.type).toBe('too_many_nested_clauses');
    const ok = await send(server, 'POST', '/t1/_search', { query: { match: { body: Array.from({ length: 4096 }, (_, i) => (i === 0 ? 'hello' : `w${i}`)).join(' ') } } });
    expect(ok.status).toBe(200);
    expect((ok.body.hits as { total: { value: number } }).total.value).toBe(1);
  });

  it('nested clauses past 4,096 in all answer too_many_nested_clauses', async () => {
    const should = Array.from({ length: 3 }, (_, j) => ({ bool: { should: Array.from({ length: 2000 }, (_, i) => ({ term: { k: `v${j}-${i}` } })) } }));
    // Required clauses: a disjunction nested in a disjunction is flattened by the rewrite (as
    // Lucene's BooleanQuery.rewrite does), a conjunction of disjunctions stays nested.
    const r = await send(server, 'POST', '/t1/_search', { query: { bool: { must: should } } });
    expect(r.status).toBe(400);
    expect(shardCause(r)).toEqual({ type: 'too_many_nested_clauses', reason: 'Query contains too many nested clauses; maxClauseCount is set to 4096' });
  });
});

describe('scroll contexts and URIs', () => {
  it('refuses the 501st open scroll with 429 too_many_scroll_contexts_exception (search.max_open_scroll_context)', async () => {
    for (let i = 0; i < 500; i++) expect((await send(server, 'POST', '/t1/_search?scroll=1m', { size: 1 })).status).toBe(200);
    const r = await send(server, 'POST', '/t1/_search?scroll=1m', { size: 1 });
    expect(r.status).toBe(429);
    expect(r.body.error?.root_cause[0]).toEqual({
      type: 'too_many_scroll_contexts_exception',
      reason: 'Trying to create too many scroll contexts. Must be less than or equal to: [500]. This limit can be set by changing the [search.max_open_scroll_context] setting.',
    });
    expect((await send(server, 'DELETE', '/_search/scroll/_all')).status).toBe(200);
    expect((await send(server, 'POST', '/t1/_search?scroll=1m', { size: 1 })).status).toBe(200);
  });

  it('answers 413 to a 200 kB gzip body that would inflate to 200 MB', async () => {
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 32));
    const res = await fetchAgainOnStaleSocket(`${server.url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' }, body: bomb });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('content_too_long_exception');
  });

  it('answers 400 illegal_argument_exception to /t1/_doc/%E0%A4%A, not 500 URI malformed', async () => {
    const r = await send(server, 'GET', '/t1/_doc/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body.error?.type).toBe('illegal_argument_exception');
    expect(r.body.error?.reason).toBe('partial escape sequence at end of string: %E0%A4%A');
    const bad = await send(server, 'GET', '/t1/_doc/%ZZ');
    expect(bad.status).toBe(400);
  });
});
