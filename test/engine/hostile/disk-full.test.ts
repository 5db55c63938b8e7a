import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../helpers.js';
import { serveInChild } from './meanwhile.js';

/**
 * Issue 12: a full disk must never lose an acknowledged write. The data folder lives on a 20 MB
 * tmpfs (mounted here when running as root): filled, written (refused with a 500, invisible),
 * freed, written (acknowledged), kill -9, restarted: every acknowledged write present, nothing
 * unacknowledged visible; SIGTERM while full exits cleanly with no temp file left.
 */

function mountTmpfs(): { mountPoint: string; why?: string } {
  const mountPoint = tempDir('indexkit-diskfull-');
  if (process.getuid?.() !== 0) return { mountPoint, why: 'not running as root: cannot mount a tmpfs' };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return { mountPoint };
  } catch (error) {
    return { mountPoint, why: `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}` };
  }
}

const { mountPoint, why } = mountTmpfs();
if (why) console.log(`disk-full test skipped: ${why}`);
const dataDir = join(mountPoint, 'engine');
const filler = join(mountPoint, 'filler');

type Served = Awaited<ReturnType<typeof serveInChild>>;

const serve = (): Promise<Served> => serveInChild(dataDir);

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

interface ErrorBody {
  error?: { type: string; reason: string; caused_by?: { type: string } };
}

let lastBody: ErrorBody = {};

async function put(url: string, id: string): Promise<number> {
  const res = await fetch(`${url}/full/_doc/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ k: id, pad: 'x'.repeat(20_000) }) });
  lastBody = (await res.json()) as ErrorBody;
  return res.status;
}

/** Writes the filler file until the disk refuses (ENOSPC). */
function fillDisk(): void {
  const fd = openSync(filler, 'a');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  // what is left below a chunk, byte by byte in 1 KB steps
  const small = Buffer.alloc(1024, 1);
  const fd2 = openSync(filler, 'a');
  try {
    for (;;) writeSync(fd2, small);
  } catch {
    // full
  } finally {
    closeSync(fd2);
  }
}

async function visibleIds(url: string): Promise<Set<string>> {
  const res = await fetch(`${url}/full/_search?size=10000&_source=false`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":{"match_all":{}}}' });
  const body = (await res.json()) as { hits: { hits: Array<{ _id: string }> } };
  return new Set(body.hits.hits.map((h) => h._id));
}

const tempFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));

describe.skipIf(why !== undefined)('a full disk (20 MB tmpfs)', () => {
  let served: Served;
  const acknowledged = new Set<string>();
  const refused = new Set<string>();

  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true });
    served = await serve();
    const res = await fetch(`${served.url}/full`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mappings: { dynamic: 'strict', properties: { k: { type: 'keyword' }, pad: { type: 'text', index: false } } } }) });
    expect(res.status).toBe(200);
  });

  afterAll(async () => {
    served?.child.kill('SIGKILL');
    if (served) await exited(served.child);
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } catch {
      // left mounted only if a child still holds it
    }
    removeDir(mountPoint);
  });

  it('refuses writes with a 500 translog_exception while full, and keeps them invisible', async () => {
    for (let i = 0; i < 20; i++) {
      expect(await put(served.url, `before-${i}`)).toBe(201);
      acknowledged.add(`before-${i}`);
    }
    fillDisk();
    for (let i = 0; i < 350; i++) {
      const status = await put(served.url, `full-${i}`);
      if (status === 201) acknowledged.add(`full-${i}`);
      else {
        expect(status).toBe(500);
        refused.add(`full-${i}`);
      }
    }
    expect(refused.size).toBeGreaterThan(340);
    expect(refused.has('full-349')).toBe(true);
    expect(lastBody.error?.type).toBe('translog_exception');
    expect(lastBody.error?.reason).toContain('is full: free space and retry');
    expect(lastBody.error?.caused_by?.type).toBe('i_o_exception');
    await fetch(`${served.url}/full/_refresh`, { method: 'POST' });
    const visible = await visibleIds(served.url);
    for (const id of refused) expect(visible.has(id), id).toBe(false);
    for (const id of acknowledged) expect(visible.has(id), id).toBe(true);
  });

  it('after space is freed, acknowledged writes survive kill -9 and a restart, refused ones stay gone', async () => {
    rmSync(filler);
    for (let i = 0; i < 250; i++) {
      expect(await put(served.url, `after-${i}`)).toBe(201);
      acknowledged.add(`after-${i}`);
    }
    served.child.kill('SIGKILL');
    await exited(served.child);
    served = await serve();
    const visible = await visibleIds(served.url);
    for (const id of acknowledged) expect(visible.has(id), id).toBe(true);
    for (const id of refused) expect(visible.has(id), id).toBe(false);
    expect(visible.size).toBe(acknowledged.size);
  });

  it('SIGTERM while the disk is full exits 0 and leaves no temp file; nothing acknowledged is lost', async () => {
    fillDisk();
    served.child.kill('SIGTERM');
    expect(await exited(served.child)).toBe(0);
    expect(tempFiles(dataDir)).toEqual([]);
    rmSync(filler);
    served = await serve();
    const visible = await visibleIds(served.url);
    expect(visible.size).toBe(acknowledged.size);
  });
});
