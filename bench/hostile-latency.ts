/**
 * Issue 12: the p99 of a cheap query while an expensive or hostile request runs.
 *
 * The engine serves from a child process (bench/lib/engine-server.ts). Each condition runs one
 * expensive request in a loop while cheap term queries are timed one after another:
 *   idle         no expensive request (the baseline),
 *   collect      a full collection over N documents through `_search`,
 *   count        the same through `_count`,
 *   terms-64k    a 65,536-value terms query (~0.9 MB body),
 *   terms-1m     a 1,000,000-value terms query (~11 MB body), refused with a 400 after parsing,
 *   bool-4k      4,096 should clauses of term queries (~0.2 MB),
 *   msearch-2k   an _msearch of 2,000 small searches (~0.2 MB),
 *   qs-4k        a query_string of 4,096 OR'ed terms (its clause limit),
 *   ids-10k      an ids query of 10,000 ids,
 *   aggs         a terms + avg aggregation over every document,
 *   agg-65k      a terms aggregation of 65,536 buckets (over a field of 65,536+ distinct values),
 *   agg-nested   terms > terms > avg (a sub-aggregation tree per bucket),
 *   agg-hist     a histogram of N/10 buckets with an avg per bucket,
 *   agg-card     a cardinality over a field of 65,536 distinct values,
 *   agg-pct      percentiles over every document,
 *   agg-comp     a composite page of 1,000 buckets over 65,536 values,
 *   agg-top      top_hits (the 3 largest n) over every document,
 * (the aggregation conditions run with request_cache=false: a size-0 search is otherwise answered
 * from the cache after its first run)
 *   fetch-5k     a 5,000-hit page with highlighting,
 *   hits-10k     a 10,000-hit page with its _source (a ~4 MB response written in slices),
 *   scroll-5k    scroll continuation pages of 5,000 hits.
 * Printed: p50/p99 of the cheap query per condition, each p99 as a ratio of the idle p99 (the
 * cheap query alone, measured first in the same run), the longest synchronous slice the engine
 * itself recorded for the expensive request (reportPacing), and the machine's load average.
 *
 *   npm run bench:hostile [-- <docs> <cheap queries> [condition ...]]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const DOCS = Number(process.argv[2] ?? 300_000);
const CHEAP = Number(process.argv[3] ?? 300);
const ONLY = process.argv.slice(4);

const dir = mkdtempSync(join(tmpdir(), 'indexkit-bench-hostile-'));
const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lib', 'engine-server.ts'), dir, '--report-pacing'], { stdio: ['pipe', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
  });
});

/** The longest synchronous slice the engine reported for the expensive requests of the running condition. */
let longestSlice = 0;

async function call(method: string, path: string, body?: string, contentType = 'application/json', expect = 200): Promise<unknown> {
  const init = { method, headers: { 'content-type': contentType }, ...(body ? { body } : {}) };
  // a keep-alive connection the server closed while this process was busy: nothing was sent, send again
  const res = await fetch(`${url}${path}`, init).catch((error: { cause?: { code?: string } }) => {
    if (error.cause?.code !== 'UND_ERR_SOCKET' && error.cause?.code !== 'ECONNRESET') throw error;
    return fetch(`${url}${path}`, init);
  });
  const json = (await res.json()) as unknown;
  if (res.status !== expect && !(expect === 200 && res.status < 300)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  longestSlice = Math.max(longestSlice, Number(res.headers.get('x-indexkit-longest-slice-ms') ?? 0));
  return json;
}

await call('PUT', '/bench', JSON.stringify({ settings: { refresh_interval: '-1' }, mappings: { properties: { k: { type: 'keyword' }, u: { type: 'keyword' }, n: { type: 'long' }, body: { type: 'text' } } } }));
for (let start = 0; start < DOCS; start += 20_000) {
  const lines: string[] = [];
  for (let i = start; i < Math.min(DOCS, start + 20_000); i++) lines.push(`{"index":{"_id":"${i}"}}`, JSON.stringify({ k: `k${i % 1000}`, u: `u${i % 65_536}`, n: i, body: `common text number ${i % 97}` }));
  await call('POST', '/bench/_bulk', `${lines.join('\n')}\n`, 'application/x-ndjson');
}
await call('POST', '/bench/_refresh');

const expensiveBody = JSON.stringify({ size: 10, track_total_hits: true, query: { bool: { should: [{ match: { body: 'common' } }, { match: { body: 'text' } }] } } });
const cheapBody = JSON.stringify({ size: 1, query: { term: { k: 'k7' } } });

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function measure(expensive: (() => Promise<unknown>) | undefined): Promise<{ p50: number; p99: number; expensiveRuns: number; slice: number }> {
  let running = expensive !== undefined;
  let expensiveRuns = 0;
  let slice = 0;
  const loop = (async () => {
    while (running && expensive) {
      longestSlice = 0;
      await expensive();
      slice = Math.max(slice, longestSlice);
      expensiveRuns++;
    }
  })();
  await new Promise((r) => setTimeout(r, 50));
  const times: number[] = [];
  for (let i = 0; i < CHEAP; i++) {
    const t = performance.now();
    await call('POST', '/bench/_search', cheapBody);
    times.push(performance.now() - t);
  }
  running = false;
  await loop;
  return { p50: pct(times, 50), p99: pct(times, 99), expensiveRuns, slice };
}

const t0 = performance.now();
await call('POST', '/bench/_search', expensiveBody);
const expensiveMs = performance.now() - t0;

const query = (JSON.parse(expensiveBody) as { query: unknown }).query;
const terms = (n: number): string => JSON.stringify({ query: { terms: { k: Array.from({ length: n }, (_, i) => `v${i}`) } } });
const terms64k = terms(65_536);
const terms1m = terms(1_000_000);
const bool4k = JSON.stringify({ query: { bool: { should: Array.from({ length: 4096 }, (_, i) => ({ term: { k: `k${i}` } })) } } });
const msearch2k = `${Array.from({ length: 2000 }, (_, i) => `{}\n${JSON.stringify({ size: 1, query: { term: { k: `k${i % 1000}` } } })}`).join('\n')}\n`;
const aggs = JSON.stringify({ size: 0, aggs: { ks: { terms: { field: 'k', size: 20 }, aggs: { avg_n: { avg: { field: 'n' } } } } } });
const qs4k = JSON.stringify({ query: { query_string: { default_field: 'k', query: Array.from({ length: 4096 }, (_, i) => `k${i}`).join(' OR ') } } });
const ids10k = JSON.stringify({ query: { ids: { values: Array.from({ length: 10_000 }, (_, i) => String(i * 7)) } } });
const agg65k = JSON.stringify({ size: 0, aggs: { us: { terms: { field: 'u', size: 65_536 } } } });
const aggNested = JSON.stringify({ size: 0, aggs: { ks: { terms: { field: 'k', size: 100 }, aggs: { us: { terms: { field: 'u', size: 10 }, aggs: { avg_n: { avg: { field: 'n' } } } } } } } });
const aggHist = JSON.stringify({ size: 0, aggs: { h: { histogram: { field: 'n', interval: 10 }, aggs: { avg_n: { avg: { field: 'n' } } } } } });
const aggCard = JSON.stringify({ size: 0, aggs: { c: { cardinality: { field: 'u' } } } });
const aggPct = JSON.stringify({ size: 0, aggs: { p: { percentiles: { field: 'n' } } } });
const aggComp = JSON.stringify({ size: 0, aggs: { c: { composite: { size: 1000, sources: [{ u: { terms: { field: 'u' } } }] } } } });
const aggTop = JSON.stringify({ size: 0, aggs: { t: { top_hits: { size: 3, sort: [{ n: 'desc' }] } } } });
const hits10k = JSON.stringify({ size: 10_000, query: { match: { body: 'number' } } });
const fetch5k = JSON.stringify({ size: 5000, query: { match: { body: 'number' } }, highlight: { fields: { body: {} } } });
let scrollId: string | undefined;
const scrollPage = async (): Promise<void> => {
  if (scrollId !== undefined) {
    const page = (await call('POST', '/_search/scroll', JSON.stringify({ scroll: '1m', scroll_id: scrollId }))) as { hits: { hits: unknown[] } };
    if (page.hits.hits.length > 0) return;
    await call('DELETE', '/_search/scroll', JSON.stringify({ scroll_id: scrollId }));
  }
  scrollId = ((await call('POST', '/bench/_search?scroll=1m', JSON.stringify({ size: 5000, query: { match_all: {} } }))) as { _scroll_id: string })._scroll_id;
};

const conditions: Array<[string, (() => Promise<unknown>) | undefined]> = [
  ['idle', undefined],
  ['collect', () => call('POST', '/bench/_search', expensiveBody)],
  ['count', () => call('POST', '/bench/_count', JSON.stringify({ query }))],
  ['terms-64k', () => call('POST', '/bench/_search', terms64k)],
  ['terms-1m', () => call('POST', '/bench/_search', terms1m, 'application/json', 400)],
  ['bool-4k', () => call('POST', '/bench/_search', bool4k)],
  ['msearch-2k', () => call('POST', '/bench/_msearch', msearch2k, 'application/x-ndjson')],
  ['qs-4k', () => call('POST', '/bench/_search', qs4k)],
  ['ids-10k', () => call('POST', '/bench/_search', ids10k)],
  ['aggs', () => call('POST', '/bench/_search?request_cache=false', aggs)],
  ['agg-65k', () => call('POST', '/bench/_search?request_cache=false', agg65k)],
  ['agg-nested', () => call('POST', '/bench/_search?request_cache=false', aggNested)],
  ['agg-hist', () => call('POST', '/bench/_search?request_cache=false', aggHist)],
  ['agg-card', () => call('POST', '/bench/_search?request_cache=false', aggCard)],
  ['agg-pct', () => call('POST', '/bench/_search?request_cache=false', aggPct)],
  ['agg-comp', () => call('POST', '/bench/_search?request_cache=false', aggComp)],
  ['agg-top', () => call('POST', '/bench/_search?request_cache=false', aggTop)],
  ['fetch-5k', () => call('POST', '/bench/_search', fetch5k)],
  ['hits-10k', () => call('POST', '/bench/_search', hits10k)],
  ['scroll-5k', scrollPage],
];
const results: Array<[string, Awaited<ReturnType<typeof measure>> & { load: number }]> = [];
for (const [name, expensive] of conditions) {
  if (ONLY.length > 0 && name !== 'idle' && !ONLY.includes(name)) continue;
  process.stderr.write(`${name}...\n`);
  results.push([name, { ...(await measure(expensive)), load: loadavg()[0]! }]);
}
const idle = results[0]![1];

console.log(`docs ${DOCS}, cheap queries ${CHEAP} per condition, one collection alone ${expensiveMs.toFixed(0)} ms, ${cpus().length} cores`);
console.log('condition   p50 ms  p99 ms  p99/idle  expensive runs  longest slice ms  load 1m');
for (const [name, r] of results) {
  console.log(
    `${name.padEnd(10)}  ${r.p50.toFixed(1).padStart(6)}  ${r.p99.toFixed(1).padStart(6)}  ${(r.p99 / idle.p99).toFixed(1).padStart(8)}  ${String(r.expensiveRuns).padStart(14)}  ${r.slice.toFixed(1).padStart(16)}  ${r.load.toFixed(1).padStart(7)}`,
  );
}

child.stdin!.end();
await new Promise((r) => child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
