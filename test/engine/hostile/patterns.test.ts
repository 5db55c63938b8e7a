import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../helpers.js';
import { CHEAP_ANSWER_MS, SLICE_BUDGET_MS, cheapSearch, longestCheapWaitMs, mainThreadCpuMs, send, sendPaced, serveInChild, withCheapMeanwhile } from './meanwhile.js';

/**
 * Issue 12: user patterns (regexp, wildcard, query_string, terms include/exclude) run as automata.
 * The case: one 40-character term, `(a+)+b`, `(a|aa)*b`, `*a*a*a*a*a*b` froze the engine
 * for over 108 s (a backtracking matcher takes ~2^40 steps on it); now each answers without the
 * engine holding its event loop past SLICE_BUDGET_MS in one synchronous slice, and a cheap search
 * sent meanwhile is answered within CHEAP_ANSWER_MS (100 ms) of the engine's CPU time.
 */
let dir: string;
let server: Awaited<ReturnType<typeof serveInChild>>;
const TERM = 'a'.repeat(40);

beforeAll(async () => {
  dir = tempDir();
  server = await serveInChild(dir);
  await send(server, 'PUT', '/t1', { mappings: { properties: { k: { type: 'keyword' }, body: { type: 'text' } } } });
  const docs = [TERM, `${TERM}b`, 'a+b', 'x(y)z', 'Quoted'];
  const bulk = docs.flatMap((k, i) => [JSON.stringify({ index: { _index: 't1', _id: String(i) } }), JSON.stringify({ k, body: k })]).join('\n');
  const res = await send(server, 'POST', '/_bulk?refresh=true', `${bulk}\n`, { 'content-type': 'application/x-ndjson' });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await server.close();
  removeDir(dir);
});

/** The cause inside the first shard failure (ES: query_shard_exception caused_by the Lucene/IAE error). */
const shardCause = (body: Record<string, unknown>): { type: string; reason: string } | undefined =>
  ((body.error as { failed_shards: Array<{ reason: { caused_by?: { type: string; reason: string } } }> }).failed_shards[0]?.reason.caused_by);

const ids = (body: Record<string, unknown>): string[] => ((body.hits as { hits: Array<{ _id: string }> }).hits.map((h) => h._id)).sort();

describe('hostile patterns', () => {
  for (const [name, query] of [
    ['regexp (a+)+b', { regexp: { k: '(a+)+b' } }],
    ['regexp (a|aa)*b', { regexp: { k: '(a|aa)*b' } }],
    ['wildcard *a*a*a*a*a*b', { wildcard: { k: '*a*a*a*a*a*b' } }],
    ['query_string /(a+)+b/', { query_string: { query: 'k:/(a+)+b/' } }],
    ['query_string *a*a*a*a*a*b', { query_string: { query: 'k:*a*a*a*a*a*b' } }],
  ] as const) {
    it(`${name} on a 40-character term matches exactly, within the engine's slice budget`, async () => {
      const cheap = cheapSearch(server, '/t1/_search', { size: 1, query: { term: { k: 'Quoted' } } });
      const { answer, cheap: waits } = await withCheapMeanwhile(() => sendPaced(server, 'POST', '/t1/_search', { query }), cheap, () => mainThreadCpuMs(server.child.pid!));
      expect(longestCheapWaitMs(waits)).toBeLessThan(CHEAP_ANSWER_MS);
      expect(answer.status).toBe(200);
      expect(ids(answer.body)).toEqual(['1']);
      expect(answer.pacing.longestSliceMs).toBeLessThan(SLICE_BUDGET_MS);
    });
  }

  it('a terms aggregation include of (a+)+b is an automaton too', async () => {
    const res = await send(server, 'POST', '/t1/_search', { size: 0, aggs: { ks: { terms: { field: 'k', include: '(a+)+b' } } } });
    expect(res.status).toBe(200);
    expect((res.body.aggregations as { ks: { buckets: Array<{ key: string }> } }).ks.buckets.map((b) => b.key)).toEqual([`${TERM}b`]);
  });

  it('answers 400 too_complex_to_determinize_exception past max_determinized_states', async () => {
    const res = await send(server, 'POST', '/t1/_search', { query: { regexp: { k: { value: '[ac]*a[ac]{50,200}' } } } });
    expect(res.status).toBe(400);
    expect(res.body.error?.type).toBe('search_phase_execution_exception');
    expect(res.body.error?.root_cause[0]?.type).toBe('query_shard_exception');
    expect(shardCause(res.body)).toEqual({ type: 'too_complex_to_determinize_exception', reason: 'Determinizing [ac]*a[ac]{50,200} would require more than 10000 effort.' });
    const lowered = await send(server, 'POST', '/t1/_search', { query: { regexp: { k: { value: '(a|b)*a(a|b){12}', max_determinized_states: 100 } } } });
    expect(lowered.status).toBe(400);
    expect(shardCause(lowered.body)?.type).toBe('too_complex_to_determinize_exception');
  });

  it('answers 400 past index.max_regex_length (1000), through regexp and query_string', async () => {
    const long = 'a'.repeat(1110);
    for (const query of [{ regexp: { k: long } }, { query_string: { query: `k:/${long}/` } }]) {
      const res = await send(server, 'POST', '/t1/_search', { query });
      expect(res.status).toBe(400);
      expect(shardCause(res.body)?.reason).toBe('The length of regex [1110] used in the Regexp Query request has exceeded the allowed maximum of [1000]. This maximum can be set by changing the [index.max_regex_length] index level setting.');
    }
  });

  it('parses "..." in a regexp as a quoted literal (issue 13), and honours flags', async () => {
    expect(ids((await send(server, 'POST', '/t1/_search', { query: { regexp: { k: '"a+b"' } } })).body)).toEqual(['2']);
    expect(ids((await send(server, 'POST', '/t1/_search', { query: { regexp: { k: 'x"(y)"z' } } })).body)).toEqual(['3']);
    expect(ids((await send(server, 'POST', '/t1/_search', { query: { regexp: { k: { value: 'a~(a*)', flags: 'COMPLEMENT' } } } })).body)).toEqual(['1', '2']);
    expect(ids((await send(server, 'POST', '/t1/_search', { query: { regexp: { k: { value: 'quoted', case_insensitive: true } } } })).body)).toEqual(['4']);
    const bad = await send(server, 'POST', '/t1/_search', { query: { regexp: { k: { value: 'a', flags: 'NOPE' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.reason).toBe('Unknown regexp flag [NOPE]');
  });
});
