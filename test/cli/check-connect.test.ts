import { describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex-factory.js';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { isolatedDatabase, testDatabase } from '../helpers/database.js';
import { VALID_CONFIG, VALID_MAPPING, baselineProjects } from '../helpers/project.js';

/**
 * search check: analysis names checked against Elasticsearch's built-ins and the mapping's own,
 * an invalid mapping shown as invalid (not missing), problems located at the key's own line,
 * secrets never printed whatever their type; --connect reaches the connections, the database
 * and every queryset (limit 0, its key selected). Most runs in this process (runCliInProcess);
 * the secret and a passing --connect in a child.
 */
const project = baselineProjects();
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error: '));

describe('search check', () => {
  it('reports an analyzer the mapping names that does not exist, with file, line and JSON path, and shows the mapping as invalid', async () => {
    const mapping = '{\n  "mappings": {\n    "properties": {\n      "title": { "type": "text", "analyzer": "englsh" }\n    }\n  }\n}\n';
    const p = project({ 'mappings/blog.json': mapping });
    const result = await runCliInProcess(['check'], { cwd: p.dir });
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      'error: mappings.properties.title.analyzer is "englsh" in mappings/blog.json:4, which is no built-in analyzer of Elasticsearch and this mapping defines none under settings.analysis.analyzer; did you mean "english"?',
    ]);
    expect(result.stdout).toMatch(/mapping\s+mappings\/blog\.json \(invalid, see the error below\)/);
    expect(result.stdout).not.toMatch(/\(missing\)/);
  });

  it('accepts analyzers the mapping defines and built-in ones', async () => {
    const mapping = JSON.stringify({
      settings: { analysis: { analyzer: { folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] } } } },
      mappings: { properties: { title: { type: 'text', analyzer: 'folded', search_analyzer: 'english' } } },
    });
    const result = await runCliInProcess(['check'], { cwd: project({ 'mappings/blog.json': mapping }).dir });
    expect(result.code, result.stderr).toBe(0);
  });

  it("locates a misspelt top-level key at its own line, and a root problem without doubling the file's name", async () => {
    const p = project({ 'search.config.yaml': `${VALID_CONFIG}indexs:\n  other:\n    models: [./models/post.mjs#Post]\n` });
    expect(errorLines((await runCliInProcess(['check'], { cwd: p.dir })).stderr)).toEqual([expect.stringMatching(/^error: indexs is not a known setting in search\.config\.yaml:9; did you mean "indexes"\?$/)]);
    const q = project({ 'mappings/blog.json': '{\n  "settings": {}\n}\n' });
    const lines = errorLines((await runCliInProcess(['check'], { cwd: q.dir })).stderr);
    expect(lines).toEqual([expect.stringMatching(/^error: mappings\/blog\.json:1 is missing "mappings"/)]);
    expect(lines[0]).not.toMatch(/blog\.json in mappings\/blog\.json/);
  });

  it('never prints a secret, even one that reads as a number', async () => {
    const config = VALID_CONFIG.replace('default: embedded:.search/engine', 'default:\n    node: http://127.0.0.1:9200\n    auth:\n      username: elastic\n      password: ${ES_PASSWORD}');
    const p = project({ 'search.config.yaml': config });
    for (const args of [['check'], ['check', '--json']]) {
      const result = await runCli(args, { cwd: p.dir, env: { ES_PASSWORD: '20240917553' } });
      expect(result.code).toBe(2);
      expect(`${result.stdout}${result.stderr}`).toMatch(/connections\.default\.auth\.password is \*\*\* in search\.config\.yaml:6, expected a string/);
      expect(`${result.stdout}${result.stderr}`).not.toContain('20240917553');
    }
  });
});

describe('search check --connect', () => {
  it('reaches the connection and the database, runs each queryset with limit 0 and checks it selects its key', async () => {
    const { kind } = await testDatabase();
    const database = kind === 'pg' ? await isolatedDatabase() : undefined;
    const connection = database ? `${database.settings.connection as string}\n  searchPath: [${(database.settings.searchPath as string[])[0]}]` : 'pglite:.search/db';
    const withModel = (model: string) =>
      project({
        'search.config.yaml': `${VALID_CONFIG}database:\n  connection: ${connection}\n`,
        'mappings/blog.json': VALID_MAPPING,
        'models/post.mjs': model,
      });
    const good = withModel(`export const Post = { table: 'posts', getSearchQueryset: (db) => db('posts'), asSearchDocument: (r) => r };\n`);
    const db = database?.db ?? (await createKnex({ client: 'pg', connection: 'pglite:.search/db' }, { baseDir: good.dir }));
    try {
      await db.schema.createTable('posts', (t) => {
        t.increments('id');
        t.text('title');
      });
      await db('posts').insert({ title: 'kept' });
      if (!database) await db.destroy();
      const ok = await runCli(['check', '--connect'], { cwd: good.dir });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^ok\s+connections\.default: elasticsearch 8\.\d+\.\d+/m);
      expect(ok.stdout).toMatch(/^ok\s+database$/m);
      expect(ok.stdout).toMatch(/^ok\s+Post in blog: selects id$/m);
      if (database) {
        // The same database, other models: a misspelt column, and a queryset without its key.
        const misspelt = withModel(`export const Post = { table: 'posts', getSearchQueryset: (db) => db('posts').select('titel'), asSearchDocument: (r) => r };\n`);
        const bad = await runCliInProcess(['check', '--connect'], { cwd: misspelt.dir });
        expect(bad.code).toBe(1);
        expect(bad.stdout).toMatch(/^FAIL\s+Post in blog$/m);
        expect(errorLines(bad.stderr)).toEqual(['error: the queryset of model Post (./models/post.mjs#Post) for index "blog" failed: column "titel" does not exist; fix its getSearchQueryset or the table']);
        const keyless = withModel(`export const Post = { table: 'posts', getSearchQueryset: (db) => db('posts').select('title'), asSearchDocument: (r) => r };\n`);
        const json = await runCliInProcess(['check', '--connect', '--json'], { cwd: keyless.dir });
        expect(json.code).toBe(1);
        const body = JSON.parse(json.stdout) as { ok: boolean; connect: Array<{ name: string; ok: boolean; error?: { message: string } }> };
        expect(body.ok).toBe(false);
        expect(body.connect.find((c) => c.name === 'Post in blog')?.error?.message).toMatch(/does not select its key "id"/);
      }
    } finally {
      await database?.cleanup();
    }
  });
});
