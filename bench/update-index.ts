/**
 * What update-index costs against the alternatives, in one run (`npm run bench:update-index`,
 * `-- --rows N` for another table size):
 *
 * 1. `search update-index` (the built CLI, as users run it) on a generated `products` table
 *    of `--rows` rows (default 200,000): docs/s.
 * 2. (a) a hand-written minimal pipeline (keyset pages → JSON → `_bulk`, same chunk size,
 *    concurrency and bulk filter_path, no retries or bookkeeping): goal update-index ≥ 0.9x
 *    its rate. Also the same pipeline reading whole bulk responses, as most hand-written ones do.
 * 3. (b) one `client.index` per row, awaited one at a time, on a sample: goal ≥ 20x its rate.
 * 4. (c) `COPY (select ...) TO STDOUT` of the same rows: the read limit.
 * 5. Peak RSS of update-index at `--rows`/10 vs `--rows` rows: goal ≤ 1.2x.
 *
 * Every pipeline runs in a child process of its own and writes into a fresh index with the
 * same mapping on the same target: the embedded engine served over HTTP by another child
 * process, so the engine's memory is not the pipeline's. Each measured run gets a fresh engine
 * process: one that has held (and deleted) earlier 200,000-document indexes indexes up to 2x
 * slower, which would favour whichever pipeline runs first. update-index and the minimal
 * pipeline alternate for `--rounds` rounds (default 3) and the medians are reported. The
 * table lives in a schema of its own on the real PostgreSQL (DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test), dropped at the end; the engine's data in a
 * temporary directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import pg from 'pg';
import { stringify } from 'yaml';
import type { BaselineOptions, BaselineResult } from './lib/baselines.js';
import { runNode, startEngineProcess, type ChildRun } from './lib/children.js';
import { averageRowBytes, createProductTables, dropSchema } from './lib/product-table.js';
import { median } from './lib/timing.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'run.js');
const LOCAL = 'postgres://postgres@127.0.0.1:5432/test';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    'small-rows': { type: 'string' },
    sample: { type: 'string', default: '3000' },
    'chunk-size': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
  },
});
const positive = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} is "${value}", expected a positive integer`);
    process.exit(2);
  }
  return n;
};
const ROWS = positive('rows', flags.rows);
const SMALL = positive('small-rows', flags['small-rows'] ?? String(Math.max(1, Math.round(ROWS / 10))));
const SAMPLE = Math.min(ROWS, positive('sample', flags.sample));
const CHUNK = positive('chunk-size', flags['chunk-size']);
const CONCURRENCY = positive('concurrency', flags.concurrency);
const ROUNDS = positive('rounds', flags.rounds);

const MAPPING = {
  mappings: {
    dynamic: 'strict',
    properties: { title: { type: 'text' }, body: { type: 'text' }, price: { type: 'integer' }, created_at: { type: 'date' } },
  },
};

const MODELS = `const columns = ['id', 'title', 'body', 'price', 'created_at'];
const asSearchDocument = (row) => ({ title: row.title, body: row.body, price: row.price, created_at: row.created_at });
export const Product = { table: 'products', getSearchQueryset: (db) => db('products').select(columns), asSearchDocument };
export const ProductSmall = { table: 'products_small', getSearchQueryset: (db) => db('products_small').select(columns), asSearchDocument };
`;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number) => `${n.toFixed(2)}x`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

async function requirePostgres(url: string): Promise<void> {
  if (url.startsWith('pglite:')) {
    console.error(`bench:update-index needs a PostgreSQL server, and DATABASE_URL is "${url}" (PGlite): set it to a postgres:// URL`);
    process.exit(1);
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    console.error(`bench:update-index needs a PostgreSQL server: ${shown} did not answer (${(error as Error).message}); set DATABASE_URL or start PostgreSQL on 127.0.0.1:5432`);
    process.exit(1);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function check(run: ChildRun, what: string): ChildRun {
  if (run.code !== 0) throw new Error(`${what} exited with code ${run.code}:\n${run.stderr || run.stdout}`);
  return run;
}

interface CliResult {
  indexes: Array<{ indexed: number; failed: number; seconds: number; docsPerSecond: number; retries: number }>;
}

interface Measured {
  /** The pipeline's own clock, in seconds. */
  own: number;
  /** Its child process from spawn to exit, in seconds. */
  wall: number;
  docs: number;
  maxRssKb: number;
  /** CPU seconds of the pipeline's process. */
  cpuSeconds: number;
  engineRssKb: number;
  retries?: number;
}

async function main(): Promise<void> {
  const database = process.env.DATABASE_URL ?? LOCAL;
  await requirePostgres(database);
  const schema = `bench_update_index_${process.pid}_${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'indexkit-bench-update-'));
  const project = join(dir, 'project');
  const configFile = join(project, 'search.config.yaml');
  try {
    const t = performance.now();
    await createProductTables(database, schema, ROWS, SMALL);
    const rowBytes = await averageRowBytes(database, schema);
    console.log(`PostgreSQL table ${schema}.products: ${int(ROWS)} rows (title + body ≈ ${rowBytes} bytes a row), generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    console.log(`target: the embedded engine served over HTTP by a child process, a fresh one (and a fresh index) for every measured run; chunk size ${CHUNK}, concurrency ${CONCURRENCY}, ${ROUNDS} rounds, medians; node ${process.version}, ${availableParallelism()} cores\n`);

    const files: Record<string, string> = {
      'mappings/products.json': JSON.stringify(MAPPING),
      'mappings/products_small.json': JSON.stringify(MAPPING),
      'models/products.mjs': MODELS,
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), content);
    }
    const cli = (...args: string[]) => runNode([CLI, ...args, '--config', configFile], { cwd: project });

    /**
     * Runs `measure` against an engine process of its own over an empty data directory, so that
     * no run pays for the data (and the garbage) an earlier one left in the engine's heap.
     */
    let runs = 0;
    const withEngine = async (index: string, measure: (url: string, client: Client) => Promise<Omit<Measured, 'engineRssKb'>>): Promise<Measured> => {
      const engineDir = join(dir, `engine-${++runs}`);
      const engine = await startEngineProcess(join(ROOT, 'bench', 'lib', 'engine-server.ts'), engineDir);
      const client = new Client({ node: engine.url });
      try {
        const result = await measure(engine.url, client);
        await client.indices.refresh({ index });
        const inIndex = (await client.count({ index })).count;
        if (inIndex !== result.docs) throw new Error(`index ${index} holds ${inIndex} documents after the run, expected ${result.docs}`);
        return { ...result, engineRssKb: engine.peakRssKb() };
      } finally {
        await client.close();
        await engine.stop();
        rmSync(engineDir, { recursive: true, force: true });
      }
    };

    const updateIndex = (index: 'products' | 'products_small', rows: number) =>
      withEngine(index, async (url) => {
        const config = {
          connections: { default: url },
          database: { connection: database, searchPath: [schema] },
          indexes: { products: { models: ['./models/products.mjs#Product'] }, products_small: { models: ['./models/products.mjs#ProductSmall'] } },
          settings: { chunkSize: CHUNK, concurrency: CONCURRENCY },
        };
        writeFileSync(configFile, stringify(config));
        check(await cli('create-index', index), `search create-index ${index}`);
        const run = check(await cli('update-index', index, '--json'), `search update-index ${index}`);
        const result = (JSON.parse(run.stdout) as CliResult).indexes[0]!;
        if (result.indexed !== rows || result.failed > 0) throw new Error(`update-index ${index} indexed ${result.indexed} (${result.failed} failed), expected ${rows}`);
        return { own: result.seconds, wall: run.seconds, docs: result.indexed, maxRssKb: run.maxRssKb, cpuSeconds: run.cpuSeconds, retries: result.retries };
      });

    const baseline = (mode: 'minimal' | 'single', index: string, extra: Pick<BaselineOptions, 'limit' | 'fullResponse'> = {}) =>
      withEngine(index, async (url, client) => {
        await client.indices.create({ index, ...(MAPPING as Record<string, unknown>) });
        const options: BaselineOptions = { url, database, schema, table: 'products', index, chunkSize: CHUNK, concurrency: CONCURRENCY, ...extra };
        const run = check(await runNode(['--import', 'tsx', join(ROOT, 'bench', 'lib', 'baselines.ts'), mode, JSON.stringify(options)], { cwd: ROOT }), `baseline ${mode}`);
        const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as BaselineResult;
        if (result.failed > 0) throw new Error(`the ${mode} pipeline had ${result.failed} failed documents`);
        return { own: result.seconds, wall: run.seconds, docs: result.docs, maxRssKb: run.maxRssKb, cpuSeconds: run.cpuSeconds };
      });

    // update-index and the minimal pipeline alternate, so that drift (the database's cache,
    // other load on the machine) falls on both alike.
    const small: Measured[] = [];
    const full: Measured[] = [];
    const minimal: Measured[] = [];
    const minimalFull: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      small.push(await updateIndex('products_small', SMALL));
      full.push(await updateIndex('products', ROWS));
      minimal.push(await baseline('minimal', 'products_minimal'));
      minimalFull.push(await baseline('minimal', 'products_minimal', { fullResponse: true }));
      process.stderr.write(`round ${round + 1}/${ROUNDS}: update-index ${full.at(-1)!.own.toFixed(1)} s, minimal ${minimal.at(-1)!.own.toFixed(1)} s, minimal with full responses ${minimalFull.at(-1)!.own.toFixed(1)} s\n`);
    }
    const single = await baseline('single', 'products_single', { limit: SAMPLE });
    const copy = JSON.parse(check(await runNode(['--import', 'tsx', join(ROOT, 'bench', 'lib', 'baselines.ts'), 'copy', JSON.stringify({ database, schema, table: 'products' })], { cwd: ROOT }), 'COPY').stdout) as BaselineResult;
    if (copy.docs !== ROWS) throw new Error(`COPY read ${copy.docs} rows, expected ${ROWS}`);

    const rate = (runs: Measured[], clock: 'own' | 'wall') => median(runs.map((r) => r.docs / r[clock]));
    const ui = { own: rate(full, 'own'), wall: rate(full, 'wall') };
    const mini = { own: rate(minimal, 'own'), wall: rate(minimal, 'wall') };
    const miniFull = { own: rate(minimalFull, 'own'), wall: rate(minimalFull, 'wall') };
    const one = single.docs / single.own;
    const copyRate = copy.docs / copy.seconds;
    const rss = { full: median(full.map((r) => r.maxRssKb)), small: median(small.map((r) => r.maxRssKb)) };
    const seconds = (runs: Measured[], clock: 'own' | 'wall') => runs.map((r) => r[clock].toFixed(1)).join('/');

    console.log('docs/s: "own" is the pipeline\'s own clock (connect → last bulk answered → refresh); "wall" is its child process from spawn to exit (start-up included)');
    console.log(`${'1. update-index (CLI)'.padEnd(28)}${int(ROWS).padStart(9)} rows  own ${int(ui.own).padStart(7)} docs/s (${seconds(full, 'own')} s)  wall ${int(ui.wall).padStart(7)} docs/s (${seconds(full, 'wall')} s)  retries ${full.reduce((n, r) => n + (r.retries ?? 0), 0)}`);
    console.log(`${'a. minimal pipeline'.padEnd(28)}${int(ROWS).padStart(9)} rows  own ${int(mini.own).padStart(7)} docs/s (${seconds(minimal, 'own')} s)  wall ${int(mini.wall).padStart(7)} docs/s (${seconds(minimal, 'wall')} s)`);
    console.log(`${"a'. same, full responses".padEnd(28)}${int(ROWS).padStart(9)} rows  own ${int(miniFull.own).padStart(7)} docs/s (${seconds(minimalFull, 'own')} s)  wall ${int(miniFull.wall).padStart(7)} docs/s (${seconds(minimalFull, 'wall')} s)`);
    console.log(`${'b. one per request'.padEnd(28)}${int(SAMPLE).padStart(9)} rows  own ${int(one).padStart(7)} docs/s (${single.own.toFixed(1)} s)`);
    console.log(`${'c. COPY ... TO STDOUT'.padEnd(28)}${int(ROWS).padStart(9)} rows  own ${int(copyRate).padStart(7)} rows/s (${copy.seconds.toFixed(2)} s, ${mb(copy.bytes! / 1024)})`);
    const cpu = (runs: Measured[]) => `${median(runs.map((r) => r.cpuSeconds)).toFixed(1)} s (${((median(runs.map((r) => r.cpuSeconds)) / ROWS) * 1e6).toFixed(0)} µs a document)`;
    console.log(`CPU of the pipeline's process (median, start-up included): update-index ${cpu(full)}, minimal ${cpu(minimal)}, minimal with full responses ${cpu(minimalFull)}`);
    console.log(`peak RSS: update-index ${mb(rss.small)} at ${int(SMALL)} rows (${small.map((r) => mb(r.maxRssKb)).join(', ')}), ${mb(rss.full)} at ${int(ROWS)} rows (${full.map((r) => mb(r.maxRssKb)).join(', ')}); minimal pipeline ${mb(median(minimal.map((r) => r.maxRssKb)))} (tsx loaded); engine process ${mb(median(full.map((r) => r.engineRssKb)))}\n`);

    console.log('ratios');
    console.log(`  update-index / minimal          ${ratio(ui.own / mini.own)} own, ${ratio(ui.wall / mini.wall)} wall   goal ≥ 0.9x: ${verdict(ui.own / mini.own >= 0.9)} (own), ${verdict(ui.wall / mini.wall >= 0.9)} (wall)`);
    console.log(`  update-index / minimal with full bulk responses  ${ratio(ui.own / miniFull.own)} own, ${ratio(ui.wall / miniFull.wall)} wall`);
    console.log(`  update-index / one-per-request  ${ratio(ui.own / one)} own, ${ratio(ui.wall / one)} wall   goal ≥ 20x: ${verdict(ui.own / one >= 20)} (own), ${verdict(ui.wall / one >= 20)} (wall)`);
    console.log(`  update-index / COPY             ${ratio(ui.own / copyRate)} own (minimal / COPY ${ratio(mini.own / copyRate)})`);
    console.log(`  peak RSS ${int(ROWS)} / ${int(SMALL)} rows  ${ratio(rss.full / rss.small)} (${mb(rss.full)} / ${mb(rss.small)})   goal ≤ 1.2x: ${verdict(rss.full / rss.small <= 1.2)}`);
  } finally {
    await dropSchema(database, schema).catch((error: Error) => console.error(`could not drop schema ${schema}: ${error.message}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
