import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createServer, request, type IncomingMessage } from 'node:http';
import { Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, createEmbeddedClientOptions } from '../../src/engine/index.js';
import { DirLock, type HolderRecord } from '../../src/engine/index/store/dir-lock.js';
import { safeToResend } from '../../src/engine/holder-link.js';
import { TAKEOVER_WINDOW_MS } from '../../src/engine/shared-folder.js';
import { removeDir, tempDir } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function folder(): string {
  const dir = tempDir('indexkit-shared-');
  dirs.push(dir);
  return dir;
}

/** A child process using the folder (fixtures/folder-user.ts); `lines` collects what it prints. */
function user(dir: string, mode: string, ...extra: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', join(FIXTURES, 'folder-user.ts'), dir, mode, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let buffer = '';
  let stderr = '';
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.test(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    /**
     * The first line passing `test`; fails if the child exits without printing one. No clock of its
     * own: a child that hangs fails the test at the test's timeout (under load, five children can
     * take well over 20 s to start).
     */
    waitFor(test: (line: string) => boolean): Promise<string> {
      const found = lines.find(test);
      if (found) return Promise.resolve(found);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ test, resolve })),
        exited.then((code): string => {
          throw new Error(`exited (${code}) without a matching line; stdout: ${lines.slice(-5).join(' | ')}; stderr: ${stderr}`);
        }),
      ]);
    },
    async kill(): Promise<void> {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function holderRecord(dir: string): HolderRecord {
  const holder = DirLock.holder(dir);
  if (!holder) throw new Error(`no holder record in ${dir}`);
  return holder.record;
}

/** Sends one raw HTTP request over the holder's socket. */
function rawRequest(socketPath: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { host: 'localhost', ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('one embedded folder, many processes', () => {
  it('lets a second process use a folder another process holds, through the holder, without taking the lock', async () => {
    const dir = folder();
    const holder = user(dir, 'hold');
    await holder.waitFor((l) => l === 'ready');
    const record = holderRecord(dir);
    expect(record.pid).toBe(holder.child.pid);
    expect(record.endpoint?.socket).toBe(join(dir, 'lock', `${record.generation}.sock`));

    const short = user(dir, 'once');
    expect(await short.exited).toBe(0);
    expect(short.lines).toEqual(['ok 1']);
    // The short command went through the holder: the record still names the holder, same generation.
    expect(holderRecord(dir)).toMatchObject({ pid: holder.child.pid, generation: record.generation });

    // This process too: a write here is seen by the holder's index.
    const client = new Client(createEmbeddedClientOptions(dir));
    await client.index({ index: 'shared', id: 'from-test', document: { text: 'another process wrote this' }, refresh: true });
    expect((await client.count({ index: 'shared' })).count).toBe(2);
    await client.close();
    expect(holderRecord(dir).pid).toBe(holder.child.pid);
  });

  it('keeps the endpoint private: owner-only files and socket, and a request without the secret is refused', async () => {
    const dir = folder();
    const holder = user(dir, 'hold', '--api-key', 'hunter2', 'postgres://app:pw-123@db.example/app');
    await holder.waitFor((l) => l === 'ready');
    const record = holderRecord(dir);
    // The command line others are shown masks what looks secret.
    expect(record.command).toBe(`folder-user.ts ${dir} hold --api-key *** postgres://app:***@db.example/app`);
    expect(statSync(join(dir, 'lock')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'lock', `${record.generation}.json`)).mode & 0o777).toBe(0o600);
    expect(statSync(record.endpoint!.socket!).mode & 0o777).toBe(0o600);

    const anonymous = await rawRequest(record.endpoint!.socket!, '/shared/_count');
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body).error.type).toBe('security_exception');
    const wrong = await rawRequest(record.endpoint!.socket!, '/shared/_count', { authorization: 'ApiKey not-the-secret' });
    expect(wrong.status).toBe(401);
    const right = await rawRequest(record.endpoint!.socket!, '/shared/_count', { authorization: `ApiKey ${record.secret}` });
    expect(right.status).toBe(200);
    expect(JSON.parse(right.body).count).toBe(1);
  });

  it('takes over a SIGKILLed holder by its dead pid, well within the takeover window, and answers every search meanwhile', async () => {
    const dir = folder();
    const holder = user(dir, 'hold');
    await holder.waitFor((l) => l === 'ready');
    const searcher = user(dir, 'search');
    await searcher.waitFor((l) => l.startsWith('ok '));
    const killedAt = Date.now();
    await holder.kill();
    // The first search the searcher answered itself, as the new holder.
    const next = await searcher.waitFor((l) => l.startsWith('ok ') && l.endsWith(' holder') && Number(l.split(' ')[1]) > killedAt);
    const takeover = Number(next.split(' ')[1]) - killedAt;
    // found dead by its pid, not by waiting out the takeover window (30 s): a third of it is the margin
    expect(takeover).toBeLessThan(TAKEOVER_WINDOW_MS / 3);
    expect(holderRecord(dir).pid).toBe(searcher.child.pid);
    // The holder's document survived in the translog and is found by the new holder.
    expect(next.split(' ')[3]).toBe('1');
    expect(searcher.lines.filter((l) => l.startsWith('err '))).toEqual([]);
  });

  it('lets exactly one of several processes take over a dead holder at once', async () => {
    const dir = folder();
    const holder = user(dir, 'hold');
    await holder.waitFor((l) => l === 'ready');
    const searchers = [user(dir, 'search'), user(dir, 'search'), user(dir, 'search'), user(dir, 'search')];
    await Promise.all(searchers.map((s) => s.waitFor((l) => l.startsWith('ok '))));
    const generation = holderRecord(dir).generation;
    const killedAt = Date.now();
    await holder.kill();
    await Promise.all(searchers.map((s) => s.waitFor((l) => l.startsWith('ok ') && Number(l.split(' ')[1]) > killedAt + 200)));
    await Promise.any(searchers.map((s) => s.waitFor((l) => l.endsWith(' holder'))));
    const record = holderRecord(dir);
    expect(searchers.map((s) => s.child.pid)).toContain(record.pid);
    // One takeover: the next generation, and no leftover records of losers.
    expect(record.generation).toBe(generation + 1);
    expect(readdirSync(join(dir, 'lock')).filter((n) => n.endsWith('.json'))).toEqual([`${record.generation}.json`]);
    for (const s of searchers) expect(s.lines.filter((l) => l.startsWith('err '))).toEqual([]);
    // Every searcher sees the same index: the holder's document once.
    for (const s of searchers) expect(s.lines.at(-1)).toMatch(/^ok \S+ \S+ 1( holder)?$/);
  });

  it('hands the folder over at once when its holder closes cleanly', async () => {
    const dir = folder();
    const client = new Client(createEmbeddedClientOptions(dir));
    await client.index({ index: 'shared', id: '1', document: { text: 'held by a process' }, refresh: true });
    expect(holderRecord(dir).pid).toBe(process.pid);
    const searcher = user(dir, 'search');
    await searcher.waitFor((l) => l.startsWith('ok '));
    const closedAt = Date.now();
    await client.close();
    expect(DirLock.holder(dir)?.state === 'released' || holderRecord(dir).pid === searcher.child.pid).toBe(true);
    const next = await searcher.waitFor((l) => l.startsWith('ok ') && l.endsWith(' holder') && Number(l.split(' ')[1]) > closedAt);
    expect(Number(next.split(' ')[1]) - closedAt).toBeLessThan(TAKEOVER_WINDOW_MS / 3);
    expect(holderRecord(dir).pid).toBe(searcher.child.pid);
    expect(searcher.lines.filter((l) => l.startsWith('err '))).toEqual([]);
  });

  it('hands over cleanly under a stream of unversioned writes from another process: none refused, none lost', async () => {
    const dir = folder();
    const client = new Client(createEmbeddedClientOptions(dir));
    await client.index({ index: 'shared', id: 'first', document: { text: 'held by this process' }, refresh: true });
    const writer = user(dir, 'write');
    await writer.waitFor((l) => l.startsWith('ack ') && Number(l.split(' ')[2]!.slice(2)) >= 20);
    const closedAt = Date.now();
    await client.close();
    await writer.waitFor((l) => l.startsWith('ack ') && Number(l.split(' ')[1]) > closedAt + 300);
    await writer.kill();
    expect(writer.lines.filter((l) => l.startsWith('err '))).toEqual([]);
    const acked = writer.lines.filter((l) => l.startsWith('ack ')).map((l) => l.split(' ')[2]!);
    const reader = new Client(createEmbeddedClientOptions(dir));
    try {
      const found = await reader.mget({ index: 'shared', ids: acked });
      expect(found.docs.filter((d) => !('found' in d) || !d.found).map((d) => d._id)).toEqual([]);
      // Each write applied once: version 1 everywhere (a resent unversioned write would show version 2).
      expect(found.docs.filter((d) => '_version' in d && d._version !== 1).map((d) => d._id)).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});

describe('one process', () => {
  it('reopens a folder it is still closing, instead of finding it held by itself', async () => {
    const dir = folder();
    const first = new Client(createEmbeddedClientOptions(dir));
    await first.index({ index: 'shared', id: '1', document: { text: 'kept' }, refresh: true });
    const closing = first.close(); // the last user: stops serving, flushes, releases
    const second = new Client(createEmbeddedClientOptions(dir));
    try {
      expect((await second.count({ index: 'shared' })).count).toBe(1);
      await closing;
      expect(holderRecord(dir)).toMatchObject({ pid: process.pid, generation: 2 });
    } finally {
      await second.close();
    }
  });
});

describe('stale holder records', () => {
  function plant(dir: string, record: Partial<HolderRecord>): void {
    mkdirSync(join(dir, 'lock'), { recursive: true, mode: 0o700 });
    const full: HolderRecord = { generation: 1, pid: 1, instance: 'x', host: hostname(), since: '2026-01-01T00:00:00.000Z', command: 'earlier', secret: 's', ...record };
    writeFileSync(join(dir, 'lock', `${full.generation}.json`), JSON.stringify(full), { mode: 0o600 });
  }

  it('takes over a record naming this very process from an earlier life (a container restarted as the same pid)', async () => {
    const dir = folder();
    plant(dir, { pid: process.pid, instance: 'an-earlier-process' });
    const engine = await Engine.open(dir);
    expect(engine.lock.record).toMatchObject({ pid: process.pid, generation: 2 });
    await engine.close();
  });

  it('takes over a record whose pid now belongs to a process started at another time', async () => {
    const dir = folder();
    const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
    // The parent is alive, but the record says it started at another moment: the pid was reused.
    plant(dir, { pid: process.ppid, startTime: String(Number(startTime) + 12345) });
    const engine = await Engine.open(dir);
    expect(engine.lock.record.generation).toBe(2);
    await engine.close();
    // The same live pid with its real start time is a holder.
    plant(dir, { generation: 3, pid: process.ppid, startTime });
    await expect(Engine.open(dir)).rejects.toThrow(`is locked by another engine: process ${process.ppid}`);
  });

  it('respects the lock file of an older indexkit version while its process lives, and removes it after', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'engine.lock'), JSON.stringify({ pid: process.ppid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    await expect(Engine.open(dir)).rejects.toThrow(`is locked by another engine: process ${process.ppid}`);
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(join(dir, 'engine.lock'), JSON.stringify({ pid: gone.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const engine = await Engine.open(dir);
    expect(readdirSync(dir)).not.toContain('engine.lock');
    await engine.close();
  });

  it('refuses the folder while a holder of this very process holds it', async () => {
    const dir = folder();
    const engine = await Engine.open(dir);
    await expect(Engine.open(dir)).rejects.toThrow(`is locked by another engine: process ${process.pid}`);
    await engine.close();
  });
});

describe('a holder that dies with a request in flight', () => {
  /**
   * A holder record naming a live child process, whose endpoint is a socket served here: each
   * request is read whole, then the "holder" dies (the child is SIGKILLed and the connection
   * dropped) without answering, as a holder killed mid-request does.
   */
  async function dyingHolder(dir: string) {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const socket = join(dir, 'lock', '1.sock');
    mkdirSync(join(dir, 'lock'), { recursive: true, mode: 0o700 });
    const received: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      req.resume();
      req.on('end', () => {
        received.push(`${req.method} ${req.url}`);
        child.kill('SIGKILL');
        child.once('exit', () => res.socket?.destroy());
      });
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    const record: HolderRecord = {
      generation: 1,
      pid: child.pid!,
      startTime: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!,
      instance: 'a-dying-holder',
      host: hostname(),
      since: new Date().toISOString(),
      command: 'dying holder',
      secret: 'secret',
      endpoint: { socket },
    };
    writeFileSync(join(dir, 'lock', '1.json'), JSON.stringify(record), { mode: 0o600 });
    return { received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('does not resend an unversioned write that may have been applied, and says so', async () => {
    const dir = folder();
    const holder = await dyingHolder(dir);
    const client = new Client({ ...createEmbeddedClientOptions(dir), maxRetries: 3 });
    try {
      const error = await client.index({ index: 'w', id: '1', document: { a: 1 } }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('EmbeddedFolderError');
      expect((error as Error).message).toMatch(/did not answer: .*; PUT \/w\/_doc\/1 may or may not have been applied and is not safe to resend/);
      expect(holder.received).toEqual(['PUT /w/_doc/1']);
    } finally {
      await client.close();
      await holder.close();
    }
  });

  it.each([
    ['a count', (c: Client) => c.count().then((r) => r.count), 0],
    ['an externally versioned bulk', (c: Client) => c.bulk({ operations: [{ index: { _index: 'w', _id: '1', version: 7, version_type: 'external_gte' } }, { a: 1 }] }).then((r) => r.items[0]!.index!.status), 201],
  ] as const)('resends %s to the process that takes over', async (_name, send, expected) => {
    const dir = folder();
    const holder = await dyingHolder(dir);
    const client = new Client(createEmbeddedClientOptions(dir));
    try {
      expect(await send(client)).toBe(expected);
      expect(holder.received).toHaveLength(1); // it reached the dying holder once, then this process took over and answered
      expect(holderRecord(dir)).toMatchObject({ pid: process.pid, generation: 2 });
    } finally {
      await client.close();
      await holder.close();
    }
  });
});

describe('safeToResend', () => {
  const bulk = (lines: unknown[]) => ({ method: 'POST', path: '/_bulk', body: lines.map((l) => JSON.stringify(l)).join('\n') + '\n' });
  it('resends reads and externally versioned writes only', () => {
    expect(safeToResend({ method: 'GET', path: '/a/_doc/1' })).toBe(true);
    expect(safeToResend({ method: 'POST', path: '/a/_search' })).toBe(true);
    expect(safeToResend({ method: 'POST', path: '/a/_refresh' })).toBe(true);
    expect(safeToResend(bulk([{ index: { _index: 'a', _id: '1', version: 5, version_type: 'external_gte' } }, { x: 1 }, { delete: { _index: 'a', _id: '2', version: 6, version_type: 'external_gte' } }]))).toBe(true);
    expect(safeToResend(bulk([{ index: { _index: 'a', _id: '1' } }, { x: 1 }]))).toBe(false);
    expect(safeToResend(bulk([{ create: { _index: 'a', _id: '1', version: 5, version_type: 'external' } }, { x: 1 }]))).toBe(false);
    expect(safeToResend(bulk([{ update: { _index: 'a', _id: '1' } }, { doc: { x: 1 } }]))).toBe(false);
    expect(safeToResend({ method: 'PUT', path: '/a/_doc/1', querystring: 'version=3&version_type=external' })).toBe(true);
    expect(safeToResend({ method: 'PUT', path: '/a/_doc/1' })).toBe(false);
    expect(safeToResend({ method: 'PUT', path: '/a/_create/1', querystring: 'version=3&version_type=external' })).toBe(false);
    expect(safeToResend({ method: 'DELETE', path: '/a/_doc/1' })).toBe(false);
    expect(safeToResend({ method: 'PUT', path: '/a' })).toBe(false);
    expect(safeToResend({ method: 'PUT', path: '/a/_mapping' })).toBe(false);
  });
});
