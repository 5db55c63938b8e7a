import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { createEmbeddedClientOptions } from '../../src/engine/index.js';
import { DirLock } from '../../src/engine/index/store/dir-lock.js';
import { createIndex } from '../../src/indexes/create-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { installSync } from '../../src/sync/change-capture.js';
import { syncStatus } from '../../src/sync/outbox-status.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { testDatabase } from '../helpers/database.js';
import { compareIndexToTable, diffLists, EQUAL, syncProject } from '../sync/sync-fixtures.js';

/**
 * The embedded default as an application runs it: one data folder (`.search/engine` in the
 * project, as in the demo) used at once by an app searching in a loop, `search sync` draining a
 * stream of writes, and `search update-index` / `search status` runs, with whichever process
 * holds the folder SIGKILLed 10 times at random moments (and restarted, if it was the app or the
 * worker). Every search the surviving processes send is answered; afterwards the index equals
 * the table and the outbox is empty.
 */
const kind = (await testDatabase()).kind;
if (kind === 'pglite') console.log('shared-folder: skipped on PGlite (needs a PostgreSQL server that several processes share)');

const ROWS = 300;
const KILLS = 10;
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete env.SEARCH_CONFIG;

interface Role {
  name: 'app' | 'sync' | 'cli';
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

describe.skipIf(kind === 'pglite')('one embedded folder shared by the app, the sync worker and the CLI', () => {
  it('answers every search, drains the outbox and ends equal to the table with the holder SIGKILLed 10 times', async () => {
    const t = await syncProject({ items: ROWS, connection: 'embedded:.search/engine', settings: { sync: { pollIntervalMs: 50, batchSize: 100, leaseMs: 2000 } } });
    const dir = join(t.dir, '.search', 'engine');
    const roles: Role[] = [];
    const killed = new Set<number>();
    try {
      await createIndex(t.project, 'items');
      await updateIndex(t.project, 'items');
      await installSync(t.project);
      await t.project.close(); // this process lets the folder go: the children share it from here

      const start = (name: Role['name'], args: string[], cwd = t.dir): Role => {
        const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
        const role: Role = { name, child, lines: [], exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
        let buffer = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const parts = buffer.split('\n');
          buffer = parts.pop()!;
          role.lines.push(...parts);
        });
        child.stderr!.on('data', (chunk: Buffer) => role.lines.push(`stderr ${chunk.toString().trim()}`));
        roles.push(role);
        return role;
      };
      const app = () => start('app', ['--import', 'tsx/esm', join(repoRoot, 'test', 'cli', 'fixtures', 'project-searcher.ts'), t.dir], repoRoot);
      const worker = () => start('sync', [join(repoRoot, 'bin', 'run.js'), 'sync']);
      let apps = [app()];
      let workers = [worker()];

      // A stream of writes the worker drains: four lanes of updates, until the kills are done.
      let writing = true;
      let written = 0;
      const writes = Promise.all(
        [0, 1, 2, 3].map(async (lane) => {
          for (let n = lane; writing; n += 4) {
            await t.db('items').where('id', ((n * 7919) % ROWS) + 1).update({ v: t.db.raw('v + 1'), price: n });
            written++;
            await new Promise((r) => setTimeout(r, 15));
          }
        }),
      );
      // update-index and status, one after the other, all along.
      const cliRuns: Array<{ args: string[]; code: number | null; pid: number; out: string }> = [];
      let commanding = true;
      const commands = (async () => {
        // Until the kills are over, and at least one update-index and one status finished unharmed.
        const unharmed = (command: string) => cliRuns.some((r) => r.args[0] === command && !killed.has(r.pid));
        for (let n = 0; commanding || !unharmed('update-index') || !unharmed('status'); n++) {
          const args = n % 2 === 0 ? ['update-index', 'items'] : ['status', 'items'];
          const role = start('cli', [join(repoRoot, 'bin', 'run.js'), ...args]);
          const code = await role.exited;
          cliRuns.push({ args, code, pid: role.child.pid!, out: role.lines.join('\n') });
        }
      })();

      // Ten times: at a random moment, SIGKILL whichever child holds the folder; restart the app or the worker.
      for (let kills = 0; kills < KILLS; ) {
        await new Promise((r) => setTimeout(r, 400 + Math.random() * 900));
        const holder = DirLock.holder(dir);
        const role = roles.find((r) => r.child.pid === holder?.record.pid && r.child.exitCode === null && r.child.signalCode === null);
        if (!holder || holder.state !== 'alive' || !role) continue;
        role.child.kill('SIGKILL');
        killed.add(role.child.pid!);
        await role.exited;
        kills++;
        if (role.name === 'app') apps = [...apps, app()];
        if (role.name === 'sync') workers = [...workers, worker()];
      }
      // Let the last app and worker run a while after the last kill.
      await new Promise((r) => setTimeout(r, 1500));
      writing = false;
      commanding = false;
      await writes;
      await commands;
      expect(written).toBeGreaterThan(100);
      const killedRoles = roles.filter((r) => killed.has(r.child.pid!)).map((r) => r.name);
      console.log(`shared-folder: ${written} writes, holders killed: ${killedRoles.join(', ')}`);

      // Every search sent by an app that was not killed meanwhile was answered (the client resends within its window).
      const appLines = apps.flatMap((r) => r.lines);
      const answered = appLines.filter((l) => l.startsWith('ok ')).length;
      const latencies = appLines.filter((l) => l.startsWith('ok ')).map((l) => Number(l.split(' ')[2])).sort((a, b) => a - b);
      console.log(`shared-folder: ${answered} searches answered, latency p50 ${latencies[latencies.length >> 1]} ms, max ${latencies.at(-1)} ms; app lives ${apps.map((a) => a.lines.length).join(',')}`);
      expect(appLines.filter((l) => l.startsWith('err ') || l.startsWith('stderr '))).toEqual([]);
      expect(answered).toBeGreaterThan(20);
      // The commands that were not killed succeeded.
      const failed = cliRuns.filter((r) => !killed.has(r.pid) && r.code !== 0);
      expect(failed.map((r) => `${r.args.join(' ')} exited ${r.code}: ${r.out}`)).toEqual([]);

      // search status names the process holding the folder (the app or the worker, both alive), and does not take it.
      // A CLI command that held it last may have just exited: wait until a live app or worker has taken it over, after
      // which the holder stays put (both live on).
      const livePids = () => new Set(roles.filter((r) => r.child.exitCode === null && r.child.signalCode === null).map((r) => r.child.pid));
      let current = DirLock.holder(dir);
      for (const settle = Date.now() + 20_000; (current?.state !== 'alive' || !livePids().has(current.record.pid)) && Date.now() < settle; ) {
        await new Promise((r) => setTimeout(r, 100));
        current = DirLock.holder(dir);
      }
      expect(current?.state).toBe('alive');
      const holderNow = current!.record;
      const status = await runCli(['status', 'items'], { cwd: t.dir });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain(`engine: embedded folder ${dir} held by process ${holderNow.pid} on ${holderNow.host} (${holderNow.command}, since ${holderNow.since})`);
      expect(DirLock.holder(dir)!.record.generation).toBe(holderNow.generation);
      // The last worker drains the outbox.
      const deadline = Date.now() + 30_000;
      let outbox = await syncStatus(t.db);
      while (outbox.pending + outbox.inFlight > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        outbox = await syncStatus(t.db);
      }
      expect(outbox).toMatchObject({ pending: 0, inFlight: 0, dead: 0 });

      const client = new Client(createEmbeddedClientOptions(dir));
      try {
        expect(diffLists(await compareIndexToTable(client, t.db))).toEqual(EQUAL);
      } finally {
        await client.close();
      }
    } finally {
      for (const role of roles) if (role.child.exitCode === null && role.child.signalCode === null) role.child.kill('SIGKILL');
      await Promise.all(roles.map((r) => r.exited));
      await t.cleanup();
    }
  }, 150_000);
});
