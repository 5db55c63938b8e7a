/**
 * Runs Elasticsearch's REST YAML tests (../shared/es-rest-tests) against the embedded engine served
 * over HTTP in this process, as Elasticsearch's own ESClientYamlSuiteTestCase would run them against a
 * cluster. `npm run conformance [-- --filter search/ --json out.json --lenient]`: the exit code is
 * non-zero on any in-scope failure, wrong answer or wrong error type (verdict.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { startEngineServer } from '../../src/engine/index.js';
import { claimsCapabilities } from '../../src/engine/rest/handlers/capabilities-routes.js';
import { ES_VERSION, YamlRunner, loadApiSpecs } from './runner.js';
import type { TestResult } from './runner.js';
import { loadSuite } from './suite.js';
import type { Suite } from './suite.js';
import { verdict } from './verdict.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const specRoot = resolve(root, '../shared/es-rest-tests/rest-api-spec');
/** Test roots: Elasticsearch's core REST tests, then module tests copied here (extra/MANIFEST.md). */
const specRoots = [specRoot, join(here, 'extra/rest-api-spec')];

interface Options {
  /** Substrings of the test file paths to run (any of them); every file when empty. */
  filters: string[];
  json: string;
  lenient: boolean;
  verbose: boolean;
}

function options(argv: string[]): Options {
  const out: Options = { filters: [], json: join(root, '.conformance/results.json'), lenient: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--filter') out.filters.push(argv[++i] ?? '');
    else if (a === '--json') out.json = resolve(argv[++i] ?? '');
    else if (a === '--lenient') out.lenient = true;
    // the exit has counted in-scope failures by default since they reached 0; --strict is kept for old scripts
    else if (a === '--strict') out.lenient = false;
    else if (a === '--verbose') out.verbose = true;
    else throw new Error(`unknown option [${a}]; expected --filter <text>, --json <file>, --lenient, --verbose`);
  }
  return out;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else if (name.endsWith('.yml') || name.endsWith('.yaml')) out.push(path);
  }
  return out;
}

interface Scope {
  /** `file` or `file#test name` -> the reason it is out of scope. */
  outOfScope: Map<string, string>;
  /** Tests whose copied expectations are another Elasticsearch version's or test-cluster configuration's. */
  otherVersion: Map<string, string>;
}

/** The declared scope (scope.yaml): every entry needs a one-line reason. */
export function loadScope(path: string): Scope {
  const doc = parseYaml(readFileSync(path, 'utf8')) as { out_of_scope?: Record<string, string>; other_version?: Record<string, string> };
  const read = (section: Record<string, string> | undefined, name: string): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [key, reason] of Object.entries(section ?? {})) {
      if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`${path}: ${name} [${key}] needs a one-line reason`);
      out.set(key, reason);
    }
    return out;
  };
  return { outOfScope: read(doc.out_of_scope, 'out_of_scope'), otherVersion: read(doc.other_version, 'other_version') };
}

function lookup(scope: Map<string, string>, result: { file: string; name: string }): string | undefined {
  return scope.get(`${result.file}#${result.name}`) ?? scope.get(result.file) ?? scope.get(`${result.file.split('/')[0]}/`);
}

interface Row {
  passed: number;
  failed: number;
  skipped: number;
  inScopeFailed: number;
  wrongAnswers: number;
  wrongErrorTypes: number;
}

const emptyRow = (): Row => ({ passed: 0, failed: 0, skipped: 0, inScopeFailed: 0, wrongAnswers: 0, wrongErrorTypes: 0 });

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const specs = loadApiSpecs([...specRoots.map((r) => join(r, 'api')), join(here, 'api')]);
  const scope = loadScope(join(here, 'scope.yaml'));
  const features = parseYaml(readFileSync(join(here, 'cluster-features.yaml'), 'utf8')) as { claimed: string[] };
  const files = specRoots
    .flatMap((r) => listFiles(join(r, 'test')).map((path) => ({ path, file: relative(join(r, 'test'), path).split('\\').join('/') })))
    .filter((f) => opts.filters.length === 0 || opts.filters.some((filter) => f.file.includes(filter)));
  const dataDir = mkdtempSync(join(tmpdir(), 'indexkit-conformance-'));
  const server = await startEngineServer({ dataDir, port: 0 });
  const runner = new YamlRunner({ baseUrl: server.url, specs, clusterFeatures: new Set(features.claimed), capabilities: claimsCapabilities });
  const results: (TestResult & { inScope: boolean; scopeReason?: string })[] = [];
  const started = Date.now();
  try {
    for (const { path, file } of files) {
      let suite: Suite;
      try {
        suite = loadSuite(path, file);
      } catch (error) {
        const reason = lookup(scope.outOfScope, { file, name: '' });
        results.push({ file, dir: file.split('/')[0]!, name: '(file)', status: 'failed', ms: 0, inScope: !reason, scopeReason: reason, failure: { section: 'setup', line: 0, step: 'parse', message: `runner: ${(error as Error).message}`, category: 'failure', refused: false } });
        continue;
      }
      for (const test of suite.tests) {
        let result: TestResult;
        try {
          result = await runner.runTest(suite, test);
        } catch (error) {
          result = { file, dir: suite.dir, name: test.name, status: 'failed', ms: 0, failure: { section: 'test', line: test.line, step: '', message: `runner: ${(error as Error).message}`, category: 'failure', refused: false } };
        }
        const otherVersion = lookup(scope.otherVersion, result);
        if (otherVersion && result.failure) {
          // not the engine's wrong answer: the copied file holds another version's values
          result.failure = { ...result.failure, category: 'failure', message: `[expectations of another Elasticsearch version or configuration: ${otherVersion}] ${result.failure.message}` };
        }
        const reason = otherVersion ?? lookup(scope.outOfScope, result);
        results.push({ ...result, inScope: !reason, scopeReason: reason });
        if (opts.verbose) console.log(`${result.status.padEnd(7)} ${file} :: ${test.name} (${result.ms} ms)`);
      }
    }
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return report(results, opts, Date.now() - started);
}

function report(results: (TestResult & { inScope: boolean; scopeReason?: string })[], opts: Options, ms: number): number {
  const rows = new Map<string, Row>();
  const total = emptyRow();
  for (const r of results) {
    const row = rows.get(r.dir) ?? emptyRow();
    rows.set(r.dir, row);
    for (const target of [row, total]) {
      target[r.status]++;
      if (r.status === 'failed' && r.inScope) target.inScopeFailed++;
      if (r.failure?.category === 'wrong_answer') target.wrongAnswers++;
      if (r.failure?.category === 'wrong_error_type') target.wrongErrorTypes++;
    }
  }
  const failed = results.filter((r) => r.status === 'failed');
  const line = (r: (typeof results)[number]) => {
    const f = r.failure!;
    const where = `${r.file}:${f.line} :: ${r.name} [${f.section}] ${f.step}`;
    const detail = [`    ${f.message}`];
    if (f.expected !== undefined) detail.push(`    expected: ${f.expected}`);
    if (f.actual !== undefined) detail.push(`    actual:   ${f.actual}`);
    return [`  ${where}${r.inScope ? '' : `  (out of scope: ${r.scopeReason})`}`, ...detail].join('\n');
  };
  console.log('\nFAILURES');
  for (const r of failed.filter((x) => x.failure!.category === 'failure')) console.log(line(r));
  console.log('\nWRONG ANSWERS (a 2xx where an error was expected, or a 2xx whose body fails an assertion)');
  for (const r of failed.filter((x) => x.failure!.category === 'wrong_answer')) console.log(line(r));
  console.log('\nWRONG ERROR TYPES (an error other than the one expected)');
  for (const r of failed.filter((x) => x.failure!.category === 'wrong_error_type')) console.log(line(r));

  const header = ['directory', 'passed', 'failed', 'skipped', 'in-scope failed', 'wrong answers', 'wrong error types'];
  const table = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([dir, r]) => [dir, r.passed, r.failed, r.skipped, r.inScopeFailed, r.wrongAnswers, r.wrongErrorTypes]);
  table.push(['TOTAL', total.passed, total.failed, total.skipped, total.inScopeFailed, total.wrongAnswers, total.wrongErrorTypes]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
  const fmt = (cells: (string | number)[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
  console.log(`\nREST YAML conformance (engine answering as Elasticsearch ${ES_VERSION}), ${(ms / 1000).toFixed(1)} s`);
  console.log(fmt(header));
  for (const row of table) console.log(fmt(row));
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  console.log(`in scope: ${results.filter((r) => r.inScope && r.status === 'passed').length} passed, ${total.inScopeFailed} failed; wrong answers: ${total.wrongAnswers}; wrong error types: ${total.wrongErrorTypes}`);
  const inScopeFailures = failed.filter((r) => r.inScope);
  if (inScopeFailures.length > 0) {
    console.log('in-scope failures (details under FAILURES above):');
    for (const r of inScopeFailures) console.log(`  ${r.file} :: ${r.name}`);
  }

  mkdirSync(dirname(opts.json), { recursive: true });
  writeFileSync(opts.json, JSON.stringify({ esVersion: ES_VERSION, ms, totals: total, directories: Object.fromEntries(rows), tests: results }, null, 2) + '\n');
  console.log(`results: ${relative(process.cwd(), opts.json)}`);

  const { code, summary } = verdict(total, opts.lenient);
  console.log(summary);
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
