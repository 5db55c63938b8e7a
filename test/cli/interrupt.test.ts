import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex-factory.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { isolatedDatabase, testDatabase } from '../helpers/database.js';
import { VALID_MAPPING, makeProject } from '../helpers/project.js';

/**
 * Ctrl-C (SIGINT) or SIGTERM during update-index: the run stops at the next page, sends what it
 * read, saves its checkpoint, prints one line saying where it stopped, and exits 130 or 143;
 * `--resume` then finishes the rest. A real child process and a real signal: the model writes a
 * marker file when it turns its first row into a document, so the signal arrives mid-run.
 */
const ROWS = 20_000;
const projects: Array<{ cleanup(): void }> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

function runUntilMarker(dir: string, args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SEARCH_CONFIG;
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const marker = join(dir, 'started');
  const timer = setInterval(() => {
    if (existsSync(marker)) {
      clearInterval(timer);
      child.kill(signal);
    }
  }, 20);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('update-index interrupted', () => {
  it('stops at the next page on SIGINT and SIGTERM, says where, exits 130/143, and --resume finishes', async () => {
    const { kind } = await testDatabase();
    const database = kind === 'pg' ? await isolatedDatabase() : undefined;
    const connection = database ? `${database.settings.connection as string}\n  searchPath: [${(database.settings.searchPath as string[])[0]}]` : 'pglite:.search/db';
    const p = makeProject({
      'search.config.yaml': `connections:\n  default: embedded:.search/engine\ndatabase:\n  connection: ${connection}\nindexes:\n  blog:\n    models:\n      - ./models/post.mjs#Post\nsettings:\n  chunkSize: 200\n`,
      'mappings/blog.json': VALID_MAPPING,
      'models/post.mjs': `import { writeFileSync } from 'node:fs';
let first = true;
export const Post = {
  table: 'posts',
  getSearchQueryset: (db) => db('posts'),
  asSearchDocument: (row) => {
    if (first && !process.env.NO_MARKER) { first = false; writeFileSync(new URL('../started', import.meta.url), ''); }
    return { title: row.title };
  },
};
`,
    });
    projects.push(p);
    const db = database?.db ?? (await createKnex({ client: 'pg', connection: 'pglite:.search/db' }, { baseDir: p.dir }));
    try {
      await db.schema.createTable('posts', (t) => {
        t.increments('id');
        t.text('title');
      });
      await db.raw(`insert into posts (title) select 'post ' || g from generate_series(1, ${ROWS}) g`);
      if (!database) await db.destroy();
      expect((await runCli(['create-index', 'blog'], { cwd: p.dir })).code).toBe(0);

      const first = await runUntilMarker(p.dir, ['update-index', 'blog'], 'SIGINT');
      expect(first.code, first.stderr).toBe(130);
      const lines = first.stderr.split('\n').filter(Boolean);
      expect(lines).toEqual([expect.stringMatching(/^interrupted after key (\d+) of blog Post \(\d+ indexed\); run again with --resume$/)]);
      const stoppedAt = Number(/after key (\d+)/.exec(lines[0]!)![1]);
      expect(stoppedAt).toBeGreaterThan(0);
      expect(stoppedAt).toBeLessThan(ROWS);

      rmSync(join(p.dir, 'started'));
      const second = await runUntilMarker(p.dir, ['update-index', 'blog', '--resume', '--json'], 'SIGTERM');
      expect(second.code, second.stderr).toBe(143);
      const body = JSON.parse(second.stdout) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('INTERRUPTED');
      const resumedTo = Number(/after key (\d+)/.exec(body.error.message)![1]);
      expect(resumedTo).toBeGreaterThan(stoppedAt);

      const last = await runCli(['update-index', 'blog', '--resume'], { cwd: p.dir, env: { NO_MARKER: '1' } });
      expect(last.code, last.stderr).toBe(0);
      expect(last.stdout).toMatch(new RegExp(`resumed after key ${resumedTo}`));
      const status = await runCli(['status', 'blog', '--json'], { cwd: p.dir });
      expect(status.stdout).toMatch(new RegExp(`"documents": ${ROWS}\\b`));

      // rebuild-index interrupted while filling: the new index is removed, the alias stays.
      rmSync(join(p.dir, 'started'));
      const rebuild = await runUntilMarker(p.dir, ['rebuild-index', 'blog'], 'SIGINT');
      expect(rebuild.code, rebuild.stderr).toBe(130);
      expect(rebuild.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^interrupted while filling blog-\d+; blog is unchanged, run rebuild-index again$/)]);
      const after = await runCli(['status', 'blog', '--json'], { cwd: p.dir });
      expect(after.stdout).toMatch(new RegExp(`"documents": ${ROWS}\\b`));

      // sync --once stopped before the outbox is drained: 143, and the rest waits for the next run.
      expect((await runCli(['sync', 'install'], { cwd: p.dir })).code).toBe(0);
      const writer = database?.db ?? (await createKnex({ client: 'pg', connection: 'pglite:.search/db' }, { baseDir: p.dir }));
      await writer.raw(`update posts set title = title || '!'`);
      if (!database) await writer.destroy();
      rmSync(join(p.dir, 'started'));
      const sync = await runUntilMarker(p.dir, ['sync', '--once'], 'SIGTERM');
      expect(sync.code, sync.stderr).toBe(143);
      expect(sync.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^interrupted after \d+ outbox entr(y|ies); the rest stays in the outbox, run search sync --once again$/)]);
      const drained = await runCli(['sync', '--once'], { cwd: p.dir, env: { NO_MARKER: '1' } });
      expect(drained.code, drained.stderr).toBe(0);
      expect(drained.stdout).toMatch(/synced [1-9]\d* row/);
    } finally {
      await database?.cleanup();
    }
  }, 120_000);
});
