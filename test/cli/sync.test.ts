import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineServer, type EngineServer } from '../../src/engine/index.js';
import { createIndex } from '../../src/indexes/create-index.js';
import { repoRoot, runCli, runCliInProcess } from '../helpers/cli.js';
import { testDatabase } from '../helpers/database.js';
import { compareIndexToTable, diffLists, EQUAL, syncProject } from '../sync/sync-fixtures.js';

/**
 * The sync commands as a user runs them: the built CLI against the test database and an engine
 * server; in this process (runCliInProcess) where the test is not about the process, in a child
 * for the long-running worker, and once per kind of exit.
 */
const kind = (await testDatabase()).kind;
if (kind === 'pglite') console.log('sync CLI: skipped on PGlite (the CLI child process and this test cannot share an in-memory database)');

let server: EngineServer;
let engineDir: string;
beforeAll(async () => {
  engineDir = mkdtempSync(join(tmpdir(), 'indexkit-sync-cli-'));
  server = await startEngineServer({ dataDir: engineDir, port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(engineDir, { recursive: true, force: true });
});

describe.skipIf(kind === 'pglite')('search sync commands', () => {
  it('install, capture, sync --once, status, retry and uninstall', async () => {
    const t = await syncProject({ items: 50, categories: 5, connection: server.url, settings: { sync: { maxAttempts: 1 } } });
    const client = new Client({ node: server.url });
    const search = (...args: string[]) => runCliInProcess(args, { cwd: t.dir });
    const spawnSearch = (...args: string[]) => runCli(args, { cwd: t.dir });
    try {
      await createIndex(t.project, 'items');
      const install = await spawnSearch('sync', 'install', '--json');
      expect(install.code, install.stderr).toBe(0);
      const installed = JSON.parse(install.stdout) as { installed: Array<{ table: string; models: string[]; relatedTo: string[] }> };
      expect(installed.installed.map((i) => [i.table.split('.').pop(), i.models, i.relatedTo])).toEqual([
        ['items', ['items'], []],
        ['categories', [], ['items']],
      ]);
      expect((await search('sync', 'install')).stdout).toMatch(/unchanged\s+\S*items/);

      await t.db.raw('update items set v = v + 1');
      await t.db('categories').where('id', 2).update({ name: 'two' });
      const before = JSON.parse((await search('sync', 'status', '--json')).stdout) as { pending: number; lagSeconds: number };
      expect(before.pending).toBe(60);
      expect(before.lagSeconds).toBeGreaterThanOrEqual(0);

      const once = await search('sync', '--once');
      expect(once.code, once.stderr).toBe(0);
      expect(once.stdout).toMatch(/synced 50 row\(s\) from 60 outbox entries/);
      expect(diffLists(await compareIndexToTable(client, t.db))).toEqual(EQUAL);

      // A document the mapping refuses: dead after maxAttempts (1), shown by status (exit 1), re-queued by retry.
      await t.db.raw('alter table items alter column price type text');
      await t.db('items').where('id', 3).update({ price: 'abc' });
      const refused = await spawnSearch('sync', '--once');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/warning: 1 outbox entry parked as dead: .*price/);
      expect(refused.stderr).toMatch(/the outbox still holds 1 dead entry \(search sync retry re-queues them\); see search sync status/);
      const dead = await search('sync', 'status');
      expect(dead.code).toBe(1);
      expect(dead.stdout).toMatch(/dead\s+1/);
      expect(dead.stdout).toMatch(/dead \d+ items 3 after 1 attempts: .*price/);
      await t.db('items').where('id', 3).update({ price: '3' });
      await t.db.raw('alter table items alter column price type integer using price::integer');
      await t.db('indexkit_sync_outbox').where('status', 'pending').delete();
      expect((await search('sync', 'retry')).stdout).toMatch(/re-queued 1 dead entry/);
      expect((await search('sync', '--once')).code).toBe(0);
      expect((await search('sync', 'status')).code).toBe(0);
      expect(diffLists(await compareIndexToTable(client, t.db))).toEqual(EQUAL);

      // The long-running worker sends a change made while it runs, and stops cleanly on SIGTERM.
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.SEARCH_CONFIG;
      const worker = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'sync'], { cwd: t.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      worker.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
      await t.db('items').where('id', 4).update({ v: 100 });
      const deadline = Date.now() + 20_000;
      while (!/1 row\(s\) from 1 entry: 1 sent/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toMatch(/1 row\(s\) from 1 entry: 1 sent, 0 removed, 0 failed/);
      expect(out).toMatch(/synced \d+ row\(s\)/);

      const uninstall = await search('sync', 'uninstall');
      expect(uninstall.code, uninstall.stderr).toBe(0);
      await t.db.raw('update items set v = v + 1');
      expect(JSON.parse((await search('sync', 'status', '--json')).stdout)).toMatchObject({ pending: 0 });
    } finally {
      await client.close();
      await client.indices.delete({ index: 'items*', ignore_unavailable: true }).catch(() => undefined);
      await t.cleanup();
    }
  });

  it('says what to do when the outbox is missing', async () => {
    const t = await syncProject({ items: 1, connection: server.url });
    try {
      const result = await runCli(['sync', 'status'], { cwd: t.dir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe('error: the outbox table indexkit_sync_outbox does not exist; run search sync install (or search migrate) first');
    } finally {
      await t.cleanup();
    }
  });

  it('sync install and check exit 2 on a column that does not exist, naming entry, file and line, and install nothing', async () => {
    const t = await syncProject({ items: 3, connection: server.url, settings: { sync: { related: [{ model: 'Item', table: 'categories', columns: ['nmae'], foreignKey: 'category_id' }] } } });
    try {
      const expected = /^error: settings\.sync\.related\[0\]\.columns\[0\] in search\.config\.yaml:\d+: columns is "nmae", but table categories has no column "nmae" \(did you mean "name"\?\); its columns: id, name, color$/m;
      const install = await runCli(['sync', 'install'], { cwd: t.dir });
      expect(install.code).toBe(2);
      expect(install.stderr).toMatch(expected);
      const check = await runCli(['check'], { cwd: t.dir });
      expect(check.code).toBe(2);
      expect(check.stderr).toMatch(/^error: settings\.sync\.related\[0\]\.columns\[0\] in search\.config\.yaml:\d+: columns is "nmae"/m);
      const json = await runCli(['sync', 'install', '--json'], { cwd: t.dir });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'VALIDATION_FAILED', problems: [{ path: 'settings.sync.related[0].columns[0]', file: 'search.config.yaml' }] } });
      await t.db('categories').where('id', 1).update({ name: 'still writable' });
      await t.db('items').insert({ name: 'x', price: 1, category_id: 1 });
      expect(await t.db.schema.hasTable('indexkit_sync_outbox')).toBe(false);
    } finally {
      await t.cleanup();
    }
  });

  it('sync install says what to add to a model without table, and exits 2 when that leaves nothing to install', async () => {
    const t = await syncProject({ items: 3, connection: server.url, settings: { sync: { related: [] } } });
    try {
      writeFileSync(join(t.dir, 'models/item.mjs'), readFileSync(join(t.dir, 'models/item.mjs'), 'utf8').replace("table: 'items',\n", ''));
      const install = await runCli(['sync', 'install'], { cwd: t.dir });
      expect(install.code).toBe(2);
      expect(install.stderr.trim()).toBe("error: nothing to install: model Item (models/item.mjs) names no table, so its changes are not captured: add `table: 'items'` to it (the table its queryset reads)");
      expect(await t.db.schema.hasTable('indexkit_sync_outbox')).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});
