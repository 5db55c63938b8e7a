import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_OUTBOX_TABLE } from '../../src/db/migrations/0002-sync-outbox.js';
import { startEngineServer, type EngineServer } from '../../src/engine/index.js';
import { createIndex } from '../../src/indexes/create-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { installSync } from '../../src/sync/change-capture.js';
import { syncStatus } from '../../src/sync/outbox-status.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { testDatabase } from '../helpers/database.js';
import { compareIndexToTable, diffLists, EQUAL, syncProject } from '../sync/sync-fixtures.js';

/**
 * The worker as it runs in production: the built CLI `search sync` in a child process, killed
 * with SIGKILL at random moments while 10,000 writes go on, restarted each time. Afterwards the
 * index must equal the table, no outbox entry may be left or dead, and every document must carry
 * a version no lower than the last outbox id captured for its row (nothing applied out of order).
 */
const kind = (await testDatabase()).kind;
if (kind === 'pglite') console.log('sync-crash: skipped on PGlite (needs a PostgreSQL server that a child process and this test share)');

let server: EngineServer;
let engineDir: string;
beforeAll(async () => {
  engineDir = mkdtempSync(join(tmpdir(), 'indexkit-sync-crash-'));
  server = await startEngineServer({ dataDir: engineDir, port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(engineDir, { recursive: true, force: true });
});

const ROWS = 1000;
const WRITES = 10_000;
const KILLS = 20;

describe.skipIf(kind === 'pglite')('search sync under SIGKILL', () => {
  it('loses no change and applies none out of order when the worker is killed 20 times during 10,000 writes', async () => {
    const t = await syncProject({ items: ROWS, categories: 10, connection: server.url, settings: { sync: { pollIntervalMs: 100, batchSize: 200 } } });
    const children: ChildProcess[] = [];
    try {
      await createIndex(t.project, 'items');
      await updateIndex(t.project, 'items');
      await installSync(t.project);
      // The outbox id each change got, recorded by a trigger that fires after indexkit's (triggers fire in name order).
      await t.db.raw('create table audit (row_id int not null, outbox_id bigint not null)');
      await t.db.raw(`create function audit_change() returns trigger language plpgsql as $$
        begin insert into audit values (coalesce(NEW.id, OLD.id), currval(pg_get_serial_sequence('${SYNC_OUTBOX_TABLE}', 'id'))); return null; end $$`);
      await t.db.raw('create trigger zz_audit after insert or update or delete on items for each row execute function audit_change()');

      // 10,000 writes spread over the 20 worker lives: each life gets its share of 500.
      let written = 0;
      let kills = 0;
      const writer = async (lane: number) => {
        for (let n = lane; n < WRITES; n += 4) {
          while (written >= Math.ceil((WRITES * (kills + 1)) / KILLS) && kills < KILLS) await new Promise((r) => setTimeout(r, 10));
          const id = ((n * 7919) % ROWS) + 1;
          if (n % 500 === 250) await t.db('items').where('id', id).update({ active: t.db.raw('not active'), v: t.db.raw('v + 1') });
          else await t.db('items').where('id', id).update({ v: t.db.raw('v + 1'), price: n });
          written++;
          await new Promise((r) => setTimeout(r, 2));
        }
      };
      const writes = Promise.all([0, 1, 2, 3].map(writer));

      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.SEARCH_CONFIG;
      let batchesSeen = 0;
      for (; kills < KILLS; kills++) {
        const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'sync'], { cwd: t.dir, env, stdio: ['ignore', 'pipe', 'ignore'] });
        children.push(child);
        // Kill at a random moment once the worker is at work (its first batch line), not while it still starts up.
        const working = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 20_000);
          child.stdout!.on('data', (chunk: Buffer) => {
            if (/row\(s\) from/.test(chunk.toString())) {
              clearTimeout(timer);
              resolve(true);
            }
          });
        });
        if (await working) batchesSeen++;
        await new Promise((r) => setTimeout(r, Math.random() * 800));
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
      await writes;
      expect(written).toBe(WRITES);
      // The killed workers did real work between kills (entries left are what they had not finished).
      const left = Number((await t.db(SYNC_OUTBOX_TABLE).count({ n: '*' }))[0]!.n);
      const captured = Number((await t.db('audit').count({ n: '*' }))[0]!.n);
      expect(captured).toBe(WRITES);
      // How much the killed workers finished depends on the machine's load; that they finished something,
      // and that every one of them was killed mid-work (batchesSeen), does not.
      expect(left).toBeLessThan(captured);
      expect(batchesSeen).toBe(KILLS);

      // Restart after the last kill: drain to the end.
      for (let round = 0; round < 10; round++) {
        const result = await runCli(['sync', '--once'], { cwd: t.dir });
        expect(result.code, result.stderr).toBe(0);
        const status = await syncStatus(t.db);
        if (status.pending + status.inFlight === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const status = await syncStatus(t.db);
      expect(status).toMatchObject({ pending: 0, inFlight: 0, dead: 0 });

      const client = new Client({ node: server.url });
      try {
        const diff = await compareIndexToTable(client, t.db);
        expect(diffLists(diff)).toEqual(EQUAL);
        const last = new Map(((await t.db('audit').select('row_id').max({ id: 'outbox_id' }).groupBy('row_id')) as Array<{ row_id: number; id: string }>).map((r) => [String(r.row_id), Number(r.id)]));
        const response = await client.search({ index: 'items', size: 10_000, version: true, query: { match_all: {} } });
        const older = response.hits.hits.filter((h) => last.has(h._id!) && h._version! < last.get(h._id!)!);
        expect(older.map((h) => h._id)).toEqual([]);
        expect(last.size).toBeGreaterThan(900);
      } finally {
        await client.close();
      }
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await t.cleanup();
    }
  }, 180_000);
});
