#!/usr/bin/env node
// A new user's first hour, scripted (npm run test:pack; CI runs it after the tests):
// `npm pack` this repository, install the tarball into a fresh app with its own package.json,
// write settings, a mapping and a TypeScript model whose queryset joins another table, then run
// `search check`, `check --connect`, `migrate`, `create-index`, `update-index`, `sync install`,
// change a row, `sync --once`, and search through `openProject()`. The joined model has no
// `table` (as the contract allows); a second, plain model is what change capture installs for. Every step must succeed and
// say what it should; the first that does not stops the run with exit 1 and its output.
//
// The database is $DATABASE_URL (a schema of its own, dropped at the end) or, without it, PGlite
// in the app's folder. The search side is the embedded engine in the app's folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'indexkit-new-user-'));
const app = join(work, 'app');
const schema = `newuser_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const databaseUrl = process.env.DATABASE_URL;
let failed = false;

function step(title, command, args, { cwd = app, expect, expectCode = 0, env = {} } = {}) {
  process.stdout.write(`- ${title}: ${[command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 300_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const problems = [];
  if (result.status !== expectCode) problems.push(`exit ${result.status ?? result.signal}, expected ${expectCode}`);
  for (const pattern of [expect ?? []].flat()) if (!pattern.test(output)) problems.push(`output does not match ${pattern}`);
  if (problems.length > 0) {
    process.stdout.write(`  FAILED (${problems.join('; ')})\n${output.replace(/^/gm, '  | ')}\n`);
    throw new Error(`${title} failed`);
  }
  return result.stdout;
}

const write = (path, text) => {
  mkdirSync(dirname(join(app, path)), { recursive: true });
  writeFileSync(join(app, path), text);
};

try {
  // 1. The package, as npm would publish it (prepack builds dist/; no install script may run).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const tarball = join(work, packed[0].filename);
  const files = packed[0].files.map((f) => f.path);
  const stray = files.filter((f) => /\.map$/.test(f) || /^(src|test|commands)\//.test(f));
  if (stray.length > 0) throw new Error(`the package ships files it should not: ${stray.slice(0, 5).join(', ')}`);
  // Without its command manifest oclif imports every command on every start (0.5 s more per command).
  if (!files.includes('oclif.manifest.json')) throw new Error('the package does not ship oclif.manifest.json (npm run build writes it)');
  process.stdout.write(`- packed ${packed[0].filename}: ${files.length} files, ${packed[0].size} bytes\n`);

  // 2. A fresh app of its own.
  write('package.json', JSON.stringify({ name: 'new-user-app', private: true, type: 'module', dependencies: { indexkit: `file:${tarball}` } }, null, 2));
  write(
    'search.config.yaml',
    `connections:
  default: embedded:.search/engine
database:
  connection: ${databaseUrl ? '${DATABASE_URL}' : 'pglite:.search/db'}
${databaseUrl ? `  searchPath: [${schema}]\n` : ''}indexes:
  library:
    models:
      - ./models/book.ts#Book
  people:
    models:
      - ./models/author.ts#Author
`,
  );
  write(
    'mappings/library.json',
    JSON.stringify({ mappings: { properties: { title: { type: 'text', analyzer: 'english' }, author: { type: 'text' }, year: { type: 'integer' } } } }, null, 2),
  );
  write('mappings/people.json', JSON.stringify({ mappings: { properties: { name: { type: 'text' } } } }, null, 2));
  write(
    'models/author.ts',
    `import { defineSearchModel } from 'indexkit';

export const Author = defineSearchModel<{ id: number; name: string }>({
  table: 'authors',
  getSearchQueryset: (db) => db('authors'),
  asSearchDocument: (row) => ({ name: row.name }),
});
`,
  );
  // A queryset that joins another table with the same key column, and no \`table\`: update-index
  // must keep its key unambiguous; change capture needs a table, so sync install names what to add.
  write(
    'models/book.ts',
    `import { defineSearchModel } from 'indexkit';

interface BookRow { id: number; title: string; year: number; author_name: string }

export const Book = defineSearchModel<BookRow>({
  getSearchQueryset: (db) => db('books').join('authors', 'authors.id', 'books.author_id').select('books.*', 'authors.name as author_name'),
  asSearchDocument: (row) => ({ title: row.title, author: row.author_name, year: row.year }),
});
`,
  );
  write(
    'seed.mjs',
    `import { openProject } from 'indexkit';
const project = await openProject();
const db = await project.db();
${databaseUrl ? `await db.raw('create schema if not exists ${schema}');` : ''}
await db.schema.createTable('authors', (t) => { t.increments('id'); t.text('name').notNullable(); });
await db.schema.createTable('books', (t) => { t.increments('id'); t.text('title').notNullable(); t.integer('year'); t.integer('author_id').references('authors.id'); });
const [ursula, terry] = await db('authors').insert([{ name: 'Ursula K. Le Guin' }, { name: 'Terry Pratchett' }]).returning('id');
const books = [];
for (let i = 1; i <= 300; i++) books.push({ title: i % 2 ? \`The Dispossessed, volume \${i}\` : \`Small Gods, part \${i}\`, year: 1970 + (i % 50), author_id: i % 2 ? ursula.id : terry.id });
await db('books').insert(books);
await project.close();
`,
  );
  write(
    'search.mjs',
    `import { openProject } from 'indexkit';
const search = await openProject();
const result = await search.executeSearch('library', { query: { match: { author: 'pratchett' } }, size: 5 }, { searchTerms: 'pratchett', user: 7 });
const { rows, missing } = await search.fromSearchQuery((db) => db('books').join('authors', 'authors.id', 'books.author_id').select('books.*', 'authors.name as author_name'), result);
const renamed = await search.executeSearch('people', { query: { match: { name: 'Discworld' } } }, { searchTerms: 'discworld' });
await search.close();
console.log(JSON.stringify({ total: result.totalHits, rows: rows.map((r) => [r.id, r.author_name, r.search_rank]), missing: missing.length, renamed: renamed.totalHits }));
`,
  );
  step('install the tarball', 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { expect: /added \d+ packages/ });
  if (databaseUrl) {
    // The settings' searchPath names a schema that seed.mjs creates; until then, create it here.
    step('make the schema', 'node', ['-e', `const { default: knex } = await import('knex'); const db = knex({ client: 'pg', connection: process.env.DATABASE_URL }); await db.raw('create schema ${schema}'); await db.destroy();`, '--input-type=module']);
  }
  step('seed the app database', 'node', ['seed.mjs']);

  // 3. The CLI, as a new user runs it.
  step('check', 'npx', ['search', 'check'], { expect: [/index library/, /model\s+Book/, /model\s+Author/, /0 errors/] });
  step('check --connect', 'npx', ['search', 'check', '--connect'], { expect: [/ok\s+connections\.default/, /ok\s+database/, /ok\s+Book in library: selects id/, /ok\s+Author in people: selects id/] });
  step('check --json is one document', 'npx', ['search', 'check', '--json'], { expect: /^\{[\s\S]*\}\s*$/ });
  step('migrate', 'npx', ['search', 'migrate']);
  step('create-index', 'npx', ['search', 'create-index'], { expect: [/created library/, /created people/] });
  step('update-index', 'npx', ['search', 'update-index'], { expect: [/library: 300 indexed, 0 failed/, /people: 2 indexed, 0 failed/] });
  step('sync install', 'npx', ['search', 'sync', 'install'], { expect: [/authors/, /Book/] });
  step('change an author', 'node', ['--input-type=module', '-e', `import { openProject } from 'indexkit'; const p = await openProject(); const db = await p.db(); await db('authors').where('name', 'Terry Pratchett').update({ name: 'Terry Pratchett of Discworld' }); await p.close();`]);
  step('sync --once', 'npx', ['search', 'sync', '--once'], { expect: /synced \d+ row/ });

  // 4. Application code through openProject().
  const out = step('search through openProject()', 'node', ['search.mjs']);
  const found = JSON.parse(out.trim().split('\n').pop());
  if (found.total !== 150 || found.rows.length !== 5 || found.missing !== 0 || !found.rows.every((r) => r[1] === 'Terry Pratchett of Discworld') || found.renamed !== 1) {
    throw new Error(`the search found ${JSON.stringify(found)}, expected 150 Pratchett books, 5 rows joined to their author, the renamed author synced and searchable`);
  }
  step('queries list shows the logged searches', 'npx', ['search', 'queries', 'list'], { expect: /pratchett/ });
  process.stdout.write('new-user run: ok\n');
} catch (error) {
  failed = true;
  process.stdout.write(`new-user run: FAILED: ${error.message}\n(app kept in ${app})\n`);
} finally {
  if (databaseUrl) {
    spawnSync('node', ['--input-type=module', '-e', `const { default: knex } = await import('knex'); const db = knex({ client: 'pg', connection: process.env.DATABASE_URL }); await db.raw('drop schema if exists ${schema} cascade'); await db.destroy();`], { cwd: app, stdio: 'inherit' });
  }
  if (!failed) rmSync(work, { recursive: true, force: true });
  else for (const f of readdirSync(work)) if (f.endsWith('.tgz')) rmSync(join(work, f));
}
process.exit(failed ? 1 : 0);
