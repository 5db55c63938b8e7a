/**
 * One contestant of the engine benchmark, in a process of its own (so that its peak RSS is its
 * own): loads the prepared mails and queries, indexes the mails (timed), runs every query
 * `warmup` times untimed, then `rounds` times timed, and prints one JSON line (ContestantResult).
 *
 *   node --import tsx bench/lib/contestant-run.ts <name> <docs.json> <queries.json> <warmup> <rounds>
 */
import { readFileSync } from 'node:fs';
import type { BenchQuery, QueryKind } from './bench-queries.js';
import { CONTESTANT_NAMES, loadContestant } from './contestant.js';
import type { ContestantName } from './contestant.js';
import type { MailDocument } from './spam-corpus.js';

export interface ContestantResult {
  name: ContestantName;
  docs: number;
  indexSeconds: number;
  /** CPU time (user + system, all threads) spent indexing, in seconds: steadier than wall time on a busy machine. */
  indexCpuSeconds: number;
  /** Query latency over all timed executions, in ms. */
  p50: number;
  p99: number;
  executions: number;
  /** p50 per query kind, in ms. */
  p50ByKind: Partial<Record<QueryKind, number>>;
  /** Top-10 ids per query (from the first execution). */
  top: number[][];
  /** RSS right after indexing, in KiB. */
  rssAfterIndexKb: number;
  /**
   * Phase bounds on the monotonic clock in µs (`process.hrtime`), the clock of `--cpu-prof`
   * sample times: [indexStart, indexEnd, queriesStart, queriesEnd] (queries = the timed passes).
   */
  phasesUs: [number, number, number, number];
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** The q-quantile of sorted `xs` (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const [name, docsFile, queriesFile, warmupArg, roundsArg] = process.argv.slice(2);
  if (!CONTESTANT_NAMES.includes(name as ContestantName)) {
    throw new Error(`contestant is "${name}", expected one of ${CONTESTANT_NAMES.join(', ')}`);
  }
  const docs = JSON.parse(readFileSync(docsFile!, 'utf8')) as MailDocument[];
  const queries = JSON.parse(readFileSync(queriesFile!, 'utf8')) as BenchQuery[];
  const warmup = Number(warmupArg);
  const rounds = Number(roundsArg);

  const contestant = await loadContestant[name as ContestantName]();
  try {
    await contestant.open?.();
    const indexStartUs = nowUs();
    const started = performance.now();
    const cpu = process.cpuUsage();
    await contestant.index(docs);
    const indexSeconds = (performance.now() - started) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    const indexCpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
    const indexEndUs = nowUs();
    const rssAfterIndexKb = Math.round(process.memoryUsage().rss / 1024);

    const top: number[][] = [];
    for (let round = 0; round < warmup; round++) {
      for (const q of queries) {
        const ids = await contestant.search(q);
        if (round === 0) top.push(ids);
      }
    }
    const all: number[] = [];
    const byKind = new Map<QueryKind, number[]>();
    const queriesStartUs = nowUs();
    for (let round = 0; round < rounds; round++) {
      for (const q of queries) {
        const t = performance.now();
        await contestant.search(q);
        const ms = performance.now() - t;
        all.push(ms);
        let list = byKind.get(q.kind);
        if (!list) byKind.set(q.kind, (list = []));
        list.push(ms);
      }
    }
    const queriesEndUs = nowUs();
    all.sort((a, b) => a - b);
    const p50ByKind: ContestantResult['p50ByKind'] = {};
    for (const [kind, list] of byKind) p50ByKind[kind] = quantile(list.sort((a, b) => a - b), 0.5);
    const result: ContestantResult = {
      name: name as ContestantName,
      docs: docs.length,
      indexSeconds,
      indexCpuSeconds,
      p50: quantile(all, 0.5),
      p99: quantile(all, 0.99),
      executions: all.length,
      p50ByKind,
      top,
      rssAfterIndexKb,
      phasesUs: [indexStartUs, indexEndUs, queriesStartUs, queriesEndUs],
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await contestant.close();
  }
}

await main();
