/**
 * Child process of bench/multiprocess.ts: one more user of an embedded data folder.
 *   batches   reads `run <n> search|info [gap ms]` lines on stdin, runs n requests (a pause before each, if given), prints their latencies (ms) as JSON
 *   hold      takes the folder (one search), prints `ready`, stays until killed
 *   loop      searches in a loop, printing `ok <epoch ms> [holder]` after each answer (`holder`: answered in-process)
 */
import { createInterface } from 'node:readline';
import { Client } from '@elastic/elasticsearch';
import { createEmbeddedClientOptions, folderHolder } from '../../src/engine/index.js';
import { SEARCH } from './folder-search.js';

const [dir, mode] = process.argv.slice(2) as [string, string];
const client = new Client(createEmbeddedClientOptions(dir));
const out = (line: string) => process.stdout.write(`${line}\n`);
process.stdout.on('error', () => process.exit(0)); // the bench is gone

if (mode === 'batches') {
  await client.search(SEARCH);
  out('ready');
  for await (const line of createInterface({ input: process.stdin })) {
    const [, count, kind, gap] = line.split(' ');
    const times: number[] = [];
    for (let i = 0; i < Number(count); i++) {
      if (gap) await new Promise((resolve) => setTimeout(resolve, Number(gap)));
      const t = performance.now();
      await (kind === 'info' ? client.info() : client.search(SEARCH));
      times.push(performance.now() - t);
    }
    out(JSON.stringify(times));
  }
  await client.close();
} else if (mode === 'hold') {
  await client.search(SEARCH);
  out('ready');
  setInterval(() => undefined, 60_000);
} else if (mode === 'loop') {
  for (;;) {
    try {
      await client.search(SEARCH);
      out(`ok ${Date.now()}${folderHolder(dir)?.self ? ' holder' : ''}`);
    } catch (error) {
      out(`err ${Date.now()} ${(error as Error).message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
