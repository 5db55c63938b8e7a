import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { hostname } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliInProcess, type CliResult } from '../helpers/cli.js';
import { createKnex } from '../../src/db/knex-factory.js';
import { isolatedDatabase, testDatabase } from '../helpers/database.js';
import { VALID_MAPPING, makeProject } from '../helpers/project.js';

/**
 * What the environment causes is one line naming the cause, the setting with its file and line,
 * and what to do; exit 1 (2 for bad usage); never "this is a bug". With --json, stdout holds one
 * JSON document `{ error: { code, message } }` and nothing else (no knex warning, no stack).
 * The CLI runs in this process (runCliInProcess: the same output and exit code as a child's),
 * in a child where the process matters: a folder held by this one, a TypeScript model (tsx's
 * loader hooks), and once per kind of exit for the real exit code.
 */
const projects: Array<{ cleanup(): void }> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

const MODEL = `export const Post = { table: 'posts', getSearchQueryset: (db) => db('posts'), asSearchDocument: (row) => ({ title: row.title }) };\n`;

function project(config: string, extra: Record<string, string> = {}) {
  const p = makeProject({ 'search.config.yaml': config, 'mappings/blog.json': VALID_MAPPING, 'models/post.mjs': MODEL, ...extra });
  projects.push(p);
  return p;
}

const configWith = (connection: string, database = 'pglite:.search/db', settings = '') => `connections:\n  default: ${connection}\ndatabase:\n  connection: ${database}\nindexes:\n  blog:\n    models:\n      - ./models/post.mjs#Post\n${settings}`;

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function errorLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((l) => l.startsWith('error: '));
}

/** The contract of an environment failure, in both output modes. */
async function expectEnvironmentFailure(dir: string, args: string[], code: string, line: RegExp, run = runCliInProcess): Promise<void> {
  const plain = await run(args, { cwd: dir });
  expect(plain.code, plain.stderr).toBe(1);
  expect(errorLines(plain), plain.stderr).toHaveLength(1);
  expect(errorLines(plain)[0]!.slice('error: '.length)).toMatch(line);
  expect(plain.stderr).not.toMatch(/bug in indexkit|^\s+at /m);
  expect(plain.stdout).not.toMatch(/Acquire connection|error/i);

  const json = await run([...args, '--json'], { cwd: dir });
  expect(json.code).toBe(1);
  const body = JSON.parse(json.stdout) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(line);
  expect(json.stdout).not.toMatch(/Acquire connection|\n\s+at /);
}

describe('errors the environment causes', () => {
  let foreign: Server;
  let foreignUrl: string;
  beforeAll(async () => {
    // Another kind of server at the configured URL: an HTML error page for everything.
    foreign = createServer((_req, res) => res.writeHead(501, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>Not Implemented</title></head><body>nope</body></html>'));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

  it('names the unreachable search side, its setting and line, and says when it starts retrying', async () => {
    const port = await closedPort();
    const p = project(configWith(`http://127.0.0.1:${port}`, 'pglite:.search/db', 'settings:\n  maxRetries: 1\n'));
    await expectEnvironmentFailure(p.dir, ['create-index', 'blog'], 'SEARCH_UNREACHABLE', new RegExp(`^(error: )?cannot reach http://127\\.0\\.0\\.1:${port} \\(connections\\.default, search\\.config\\.yaml:2\\): connection refused; start Elasticsearch`));
    const result = await runCli(['create-index', 'blog'], { cwd: p.dir });
    // The notice comes after the first failed attempt, before the retries, not after them.
    const lines = result.stderr.split('\n');
    const notice = lines.findIndex((l) => /^warning: no answer from http:\/\/127\.0\.0\.1:\d+ \(connections\.default, search\.config\.yaml:2\); retrying up to 1 time$/.test(l));
    expect(notice, result.stderr).toBeGreaterThanOrEqual(0);
    expect(notice).toBeLessThan(lines.findIndex((l) => l.startsWith('error: ')));
  });

  it('says a server that is not Elasticsearch is not, without dumping its page', async () => {
    const p = project(configWith(foreignUrl, 'pglite:.search/db', 'settings:\n  maxRetries: 0\n'));
    await expectEnvironmentFailure(p.dir, ['create-index', 'blog'], 'SEARCH_NOT_ELASTICSEARCH', /did not answer as Elasticsearch \(HTTP 501 "Not Implemented"\); point connections\.default at an Elasticsearch/);
    const result = await runCliInProcess(['create-index', 'blog'], { cwd: p.dir });
    expect(result.stderr).not.toMatch(/<html|DOCTYPE/i);
  });

  it('names the unreachable database and its setting', async () => {
    const port = await closedPort();
    const p = project(configWith('embedded:.search/engine', `postgres://postgres@127.0.0.1:${port}/app`));
    await expectEnvironmentFailure(p.dir, ['queries', 'list'], 'DATABASE_UNREACHABLE', /^cannot reach the database \(database\.connection, search\.config\.yaml:4\): connection refused; start PostgreSQL or fix database\.connection$/);
  });

  it('names a missing database and a role that does not exist (PostgreSQL)', async (ctx) => {
    const { kind, settings } = await testDatabase();
    if (kind !== 'pg' || typeof settings.connection !== 'string') return ctx.skip();
    const url = new URL(settings.connection);
    const missing = new URL(url);
    missing.pathname = '/indexkit_no_such_database';
    const p = project(configWith('embedded:.search/engine', missing.toString()));
    await expectEnvironmentFailure(p.dir, ['queries', 'list'], 'DATABASE_MISSING', /^database "indexkit_no_such_database" does not exist \(database\.connection, search\.config\.yaml:4\); create it/);
    const role = new URL(url);
    role.username = 'indexkit_no_such_role';
    role.password = '';
    const q = project(configWith('embedded:.search/engine', role.toString()));
    await expectEnvironmentFailure(q.dir, ['queries', 'list'], 'DATABASE_AUTH_FAILED', /^the database refused the login \(database\.connection, search\.config\.yaml:4\): .*indexkit_no_such_role/);
  });

  it('says the embedded folder is in use by another process', async () => {
    const p = project(configWith('embedded:.search/engine'));
    mkdirSync(join(p.dir, '.search', 'engine'), { recursive: true });
    // This test process holds it: a live pid on this host.
    writeFileSync(join(p.dir, '.search', 'engine', 'engine.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    await expectEnvironmentFailure(p.dir, ['create-index', 'blog'], 'ENGINE_LOCKED', new RegExp(`^the embedded engine's folder is in use \\(connections\\.default, search\\.config\\.yaml:2\\): .*process ${process.pid}`), runCli);
  });

  it("names the model and index whose queryset names a column that does not exist, and says to run search migrate for indexkit's tables", async () => {
    // PostgreSQL: a schema of this test's own; PGlite: a database folder inside the project.
    const { kind } = await testDatabase();
    const model = `export const Post = { table: 'posts', getSearchQueryset: (db) => db('posts').select('id', 'titel'), asSearchDocument: (row) => ({ title: row.title }) };\n`;
    const database = kind === 'pg' ? await isolatedDatabase() : undefined;
    const connection = database ? `${database.settings.connection as string}\n  searchPath: [${(database.settings.searchPath as string[])[0]}]` : 'pglite:.search/db';
    const p = project(configWith('embedded:.search/engine', connection), { 'models/post.mjs': model });
    const db = database?.db ?? (await createKnex({ client: 'pg', connection: 'pglite:.search/db' }, { baseDir: p.dir }));
    try {
      await db.schema.createTable('posts', (t) => {
        t.increments('id');
        t.text('title');
      });
      await db('posts').insert({ title: 'one' });
      if (!database) await db.destroy();
      expect((await runCliInProcess(['create-index', 'blog'], { cwd: p.dir })).code).toBe(0);
      const update = await runCliInProcess(['update-index', 'blog'], { cwd: p.dir });
      expect(update.code, update.stderr).toBe(2);
      expect(errorLines(update)).toEqual([`error: the queryset of model Post (./models/post.mjs#Post) for index "blog" failed: column "titel" does not exist; fix its getSearchQueryset or the table`]);
      const queries = await runCliInProcess(['queries', 'list', '--json'], { cwd: p.dir });
      expect(queries.code).toBe(1);
      expect(JSON.parse(queries.stdout).error.message).toMatch(/run `?search migrate`? first/);
    } finally {
      await database?.cleanup();
    }
  });
});

describe('--json', () => {
  it('prints exactly one JSON document on stdout for every command and failure kind', async () => {
    const search = await closedPort();
    const database = await closedPort();
    const down = project(configWith(`http://127.0.0.1:${search}`, `postgres://postgres@127.0.0.1:${database}/app`, 'settings:\n  maxRetries: 0\n'));
    const invalid = project(configWith('embedded:.search/engine', 'pglite:.search/db', 'settings:\n  chunkSize: lots\n'));
    const runs: Array<[string, string[], string]> = [
      [down.dir, ['status'], 'SEARCH_UNREACHABLE'],
      [down.dir, ['create-index', 'blog'], 'SEARCH_UNREACHABLE'],
      [down.dir, ['update-index', 'blog'], 'SEARCH_UNREACHABLE'],
      [down.dir, ['rebuild-index', 'blog'], 'SEARCH_UNREACHABLE'],
      [down.dir, ['delete-index', 'blog', '--force'], 'SEARCH_UNREACHABLE'],
      [down.dir, ['sync', 'status'], 'DATABASE_UNREACHABLE'],
      [down.dir, ['queries', 'stats'], 'DATABASE_UNREACHABLE'],
      [down.dir, ['migrate'], 'DATABASE_UNREACHABLE'],
      [down.dir, ['update-index', '--concurrency', 'many'], 'USAGE'],
      [invalid.dir, ['status'], 'CONFIG_INVALID'],
    ];
    for (const [dir, args, code] of runs) {
      const result = await runCliInProcess([...args, '--json'], { cwd: dir });
      const what = `search ${args.join(' ')} --json: ${result.stdout}${result.stderr}`;
      expect(result.code, what).not.toBe(0);
      let body: { error?: { code: string; message: string } } = {};
      expect(() => (body = JSON.parse(result.stdout) as typeof body), what).not.toThrow();
      expect(body.error?.code, what).toBe(code);
      expect(body.error?.message, what).not.toMatch(/\n\s+at |Acquire connection|bug in indexkit/);
    }
  }, 180_000);
});

describe('usage errors and model files', () => {
  it('keeps the whole reason of a flag parse error and of a missing argument, in both modes', async () => {
    const p = project(configWith('embedded:.search/engine'));
    const parse = await runCli(['update-index', '--chunk-size', 'x'], { cwd: p.dir });
    expect(parse.code).toBe(2);
    expect(errorLines(parse)).toEqual(['error: Parsing --chunk-size: Expected an integer but received: x']);
    const missing = await runCliInProcess(['queries', 'show'], { cwd: p.dir });
    expect(missing.code).toBe(2);
    expect(errorLines(missing)).toEqual(['error: Missing 1 required arg: id (The query id, as `search queries list` shows it.)']);
    const json = await runCliInProcess(['update-index', '--chunk-size', 'x', '--json'], { cwd: p.dir });
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'USAGE', message: 'Parsing --chunk-size: Expected an integer but received: x', exitCode: 2 } });
  });

  it('keeps the location of a syntax error in a TypeScript model, and loads a valid one outside a "type": "module" package', async () => {
    const bad = 'export const Post = {\n  table: "posts",\n  getSearchQueryset: (db: any) => db("posts"),\n  asSearchDocument: (row: any) => ({ title: row.title },\n};\n';
    const p = project(configWith('embedded:.search/engine').replace('post.mjs', 'post.ts'), { 'models/post.ts': bad });
    const result = await runCli(['check'], { cwd: p.dir });
    expect(result.code).toBe(2);
    expect(errorLines(result)[0]).toMatch(/model module "\.\/models\/post\.ts" failed to load: TransformError: post\.ts:5:0: (Unexpected "\}"|Expected "\)")/);
    const good = project(configWith('embedded:.search/engine').replace('post.mjs', 'post.ts'), { 'models/post.ts': bad.replace('row.title },', 'row.title }),') });
    const ok = await runCli(['check'], { cwd: good.dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/model\s+Post/);
  });
});
