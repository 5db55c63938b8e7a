/**
 * Issue 12: the p99 of a cheap query while an expensive one runs.
 *
 * The engine serves from a child process (bench/lib/engine-server.ts). The expensive search is a
 * full collection over N documents; it runs in a loop while cheap term queries are timed one after
 * another. Same run, three conditions:
 *   idle      no expensive search (the baseline),
 *   blocking  the same collection through `_count`, which still collects in one synchronous
 *             step (how every search ran before this change),
 *   paced     the expensive search sent through `_search`, which yields every ~10 ms of work.
 * Printed: p50/p99 of the cheap query per condition and each p99 as a ratio of the idle p99.
 *
 *   npm run bench:hostile [-- <docs> <cheap queries>]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DOCS = Number(process.argv[2] ?? 300_000);
const CHEAP = Number(process.argv[3] ?? 300);

const dir = mkdtempSync(join(tmpdir(), 'indexkit-bench-hostile-'));
const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lib', 'engine-server.ts'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
  });
});

async function call(method: string, path: string, body?: string, contentType = 'application/json'): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': contentType }, ...(body ? { body } : {}) });
  const json = (await res.json()) as unknown;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

await call('PUT', '/bench', JSON.stringify({ settings: { refresh_interval: '-1' }, mappings: { properties: { k: { type: 'keyword' }, n: { type: 'long' }, body: { type: 'text' } } } }));
for (let start = 0; start < DOCS; start += 20_000) {
  const lines: string[] = [];
  for (let i = start; i < Math.min(DOCS, start + 20_000); i++) lines.push(`{"index":{"_id":"${i}"}}`, JSON.stringify({ k: `k${i % 1000}`, n: i, body: `common text number ${i % 97}` }));
  await call('POST', '/bench/_bulk', `${lines.join('\n')}\n`, 'application/x-ndjson');
}
await call('POST', '/bench/_refresh');

const expensiveBody = JSON.stringify({ size: 10, track_total_hits: true, query: { bool: { should: [{ match: { body: 'common' } }, { match: { body: 'text' } }] } } });
const cheapBody = JSON.stringify({ size: 1, query: { term: { k: 'k7' } } });

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function measure(expensive: (() => Promise<unknown>) | undefined): Promise<{ p50: number; p99: number; expensiveRuns: number }> {
  let running = expensive !== undefined;
  let expensiveRuns = 0;
  const loop = (async () => {
    while (running && expensive) {
      await expensive();
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
  return { p50: pct(times, 50), p99: pct(times, 99), expensiveRuns };
}

const t0 = performance.now();
await call('POST', '/bench/_search', expensiveBody);
const expensiveMs = performance.now() - t0;

const idle = await measure(undefined);
const countBody = JSON.stringify({ query: (JSON.parse(expensiveBody) as { query: unknown }).query });
const blocking = await measure(() => call('POST', '/bench/_count', countBody));
const paced = await measure(() => call('POST', '/bench/_search', expensiveBody));

console.log(`docs ${DOCS}, cheap queries ${CHEAP} per condition, one expensive search alone ${expensiveMs.toFixed(0)} ms`);
console.log('condition  p50 ms  p99 ms  p99/idle  expensive runs');
for (const [name, r] of [['idle', idle], ['blocking', blocking], ['paced', paced]] as const) {
  console.log(`${name.padEnd(9)}  ${r.p50.toFixed(1).padStart(6)}  ${r.p99.toFixed(1).padStart(6)}  ${(r.p99 / idle.p99).toFixed(1).padStart(8)}  ${String(r.expensiveRuns).padStart(14)}`);
}

child.stdin!.end();
await new Promise((r) => child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
