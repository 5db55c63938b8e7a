/**
 * What starting the `search` CLI costs (`npm run bench:cli-startup`, after `npm run build`):
 * every CLI test and every user's command pays it once per run. Each command runs `--runs`
 * times (default 9), interleaved with a bare `node -e ''` so that a machine busy with other
 * work slows both alike; reported as the median wall time and its ratio to the bare node start
 * measured in the same run, and on Linux as CPU time (user + system of the child, from
 * /proc/self/stat), which a busy machine disturbs far less than wall time.
 *
 * Commands: `--version` (oclif alone), `check` on a valid project and on a project whose
 * settings are invalid (settings, schema and models; no client, no database), and
 * `create-index` against a port nothing listens on (loads the Elasticsearch client and
 * explains the connection failure).
 */
import { execFile } from 'node:child_process';
import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'run.js');
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const RUNS = Number(flags.runs);

const MODEL = "export const Post = { table: 'posts', getSearchQueryset: (db) => db('posts'), asSearchDocument: (row) => ({ title: row.title }) };\n";
const MAPPING = JSON.stringify({ mappings: { properties: { title: { type: 'text' } } } });

function project(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'indexkit-bench-cli-'));
  mkdirSync(join(dir, 'models'));
  mkdirSync(join(dir, 'mappings'));
  writeFileSync(join(dir, 'search.config.yaml'), config);
  writeFileSync(join(dir, 'models/post.mjs'), MODEL);
  writeFileSync(join(dir, 'mappings/blog.json'), MAPPING);
  return dir;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** CPU seconds of this process's reaped children (user + system), on Linux; undefined elsewhere. */
function childCpu(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5) (cutime, cstime), counted from the state field (3).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

interface Sample {
  wall: number;
  cpu?: number;
}

function run(args: string[], cwd: string, expectCode: number): Promise<Sample> {
  const cpuBefore = childCpu();
  const started = performance.now();
  return new Promise((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.SEARCH_CONFIG;
    execFile(process.execPath, args, { cwd, env }, (error, _stdout, stderr) => {
      const wall = performance.now() - started;
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      if (code !== expectCode) return fail(new Error(`node ${args.join(' ')} exited ${code}, expected ${expectCode}: ${stderr}`));
      const cpuAfter = childCpu();
      done({ wall, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) * 1000 });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const valid = project('connections:\n  default: embedded:.search/engine\nindexes:\n  blog:\n    models:\n      - ./models/post.mjs#Post\n');
const invalid = project('connections:\n  default: embedded:.search/engine\nindexes:\n  blog:\n    models:\n      - ./models/post.mjs#Post\nsettings:\n  chunkSize: 0\n');
const down = project(`connections:\n  default: http://127.0.0.1:${await closedPort()}\nindexes:\n  blog:\n    models:\n      - ./models/post.mjs#Post\nsettings:\n  maxRetries: 0\n`);

const cases: Array<{ name: string; args: string[]; cwd: string; code: number }> = [
  { name: "node -e ''", args: ['-e', ''], cwd: ROOT, code: 0 },
  { name: 'search --version', args: [BIN, '--version'], cwd: valid, code: 0 },
  { name: 'search check', args: [BIN, 'check'], cwd: valid, code: 0 },
  { name: 'search check (invalid settings)', args: [BIN, 'check'], cwd: invalid, code: 2 },
  { name: 'search create-index (search side down)', args: [BIN, 'create-index', 'blog'], cwd: down, code: 1 },
];

try {
  const samples = new Map(cases.map((c) => [c.name, [] as Sample[]]));
  // One warm-up round (file system cache), then interleaved rounds.
  for (const c of cases) await run(c.args, c.cwd, c.code);
  for (let round = 0; round < RUNS; round++) {
    for (const c of cases) samples.get(c.name)!.push(await run(c.args, c.cwd, c.code));
  }
  const base = samples.get(cases[0]!.name)!;
  const baseWall = median(base.map((s) => s.wall));
  const baseCpu = base.every((s) => s.cpu !== undefined) ? median(base.map((s) => s.cpu!)) : undefined;
  console.log(`CLI start-up, median of ${RUNS} runs (ratio to a bare node start in this run)`);
  console.log(`${'command'.padEnd(42)}${'wall ms'.padStart(9)}${'ratio'.padStart(8)}${baseCpu === undefined ? '' : `${'cpu ms'.padStart(9)}${'ratio'.padStart(8)}`}`);
  for (const c of cases) {
    const s = samples.get(c.name)!;
    const wall = median(s.map((x) => x.wall));
    let line = `${c.name.padEnd(42)}${wall.toFixed(0).padStart(9)}${(wall / baseWall).toFixed(2).padStart(8)}`;
    if (baseCpu !== undefined) {
      const cpu = median(s.map((x) => x.cpu!));
      line += `${cpu.toFixed(0).padStart(9)}${(cpu / Math.max(baseCpu, 10)).toFixed(2).padStart(8)}`;
    }
    console.log(line);
  }
} finally {
  for (const dir of [valid, invalid, down]) rmSync(dir, { recursive: true, force: true });
}
