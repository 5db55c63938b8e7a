import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { EngineError } from '../../errors.js';
import { fsyncDir } from './record-file.js';

/** Where the holder of a data folder serves it to the other processes (see src/engine/README.md). */
export interface HolderEndpoint {
  /** A Unix domain socket inside `<dir>/lock/` (a folder only its owner can enter). */
  socket?: string;
  /** Else a loopback TCP port (Windows, or a folder path too long for a socket). */
  host?: string;
  port?: number;
}

/** The record of one holder of a data folder: `<dir>/lock/<generation>.json`, mode 0600. */
export interface HolderRecord {
  generation: number;
  pid: number;
  /** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), where /proc exists. */
  startTime?: string;
  /** Random per process: tells this process from an earlier one that had the same pid (a restarted container's PID 1). */
  instance: string;
  host: string;
  since: string;
  /** What the holder runs (`search sync`, `node app.js`), with secret-looking arguments masked. */
  command: string;
  /** Set once the holder serves the folder to others. */
  endpoint?: HolderEndpoint;
  /** What other processes send as `Authorization: ApiKey <secret>`. */
  secret: string;
  /** Set when the holder let the folder go cleanly: the next process takes it without waiting. */
  released?: boolean;
}

/** alive: held; stale: its holder died (or is an earlier life of a reused pid); released: let go cleanly. */
export type HolderState = 'alive' | 'stale' | 'released';

export interface Holder {
  record: HolderRecord;
  state: HolderState;
  /** The holder is this very process. */
  self: boolean;
}

const INSTANCE = randomUUID();
const LOCK_DIR = 'lock';
const RECORD = /^(\d+)\.json$/;
const SECRET_ARG = /key|password|secret|token|credential/i;

/** The start time of a process and whether it is a zombie, from /proc (Linux); undefined elsewhere or when it is gone. */
function procStat(pid: number): { startTime: string; zombie: boolean } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..." — comm may hold spaces and parentheses; fields restart after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { startTime: fields[19]!, zombie: fields[0] === 'Z' || fields[0] === 'X' };
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(): string {
  const args = process.argv.slice(2).map((arg, i, all) => {
    if (/^--?[^=]+=/.test(arg) && SECRET_ARG.test(arg.split('=')[0]!)) return `${arg.split('=')[0]}=***`;
    if (i > 0 && /^--?/.test(all[i - 1]!) && SECRET_ARG.test(all[i - 1]!)) return '***';
    return arg.replace(/(\/\/[^/:@\s]*:)[^@\s]*@/g, '$1***@'); // credentials in a URL
  });
  return [basename(process.argv[1] ?? process.argv0), ...args].join(' ').slice(0, 300);
}

/** Whether the process a record names still holds the folder, as far as this host can tell. */
export function judge(record: HolderRecord): HolderState {
  if (record.released) return 'released';
  // Another host's pids mean nothing here: assume it is alive (the error names the host).
  if (record.host !== hostname()) return 'alive';
  if (record.pid === process.pid) return record.instance === INSTANCE ? 'alive' : 'stale';
  if (!processExists(record.pid)) return 'stale';
  const stat = procStat(record.pid);
  if (stat?.zombie) return 'stale';
  if (record.startTime && stat && stat.startTime !== record.startTime) return 'stale';
  return 'alive';
}

function lockDir(dir: string): string {
  return join(dir, LOCK_DIR);
}

function generations(dir: string): number[] {
  try {
    return readdirSync(lockDir(dir))
      .map((name) => RECORD.exec(name)?.[1])
      .filter((g): g is string => g !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function readRecord(dir: string, generation: number): HolderRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(lockDir(dir), `${generation}.json`), 'utf8')) as HolderRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EACCES') {
      throw new EngineError(500, 'lock_obtain_failed_exception', `cannot read the holder record of data directory [${dir}]: it belongs to another user; run as the folder's owner`);
    }
    return undefined; // gone meanwhile (superseded), or unreadable: treated as stale
  }
}

/** Writes a complete temp file (mode 0600) next to the records and returns its path. */
function writeTemp(dir: string, record: HolderRecord): string {
  const temp = join(lockDir(dir), `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(record));
    fsyncSync(fd);
  } catch (error) {
    unlinkQuietly(temp); // a full disk must not leave a half-written record behind
    throw error;
  } finally {
    closeSync(fd);
  }
  return temp;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * The exclusive hold on a data directory, by generations: `<dir>/lock/<n>.json` (mode 0600,
 * in a 0700 folder) names the holder of generation n, and the holder is the process named by
 * the highest n. A process takes generation n+1 only after judging n's holder gone (dead, a
 * zombie, a reused pid with another start time, an earlier life of its own pid, or released),
 * by linking a complete record to `n+1.json`: the link fails if the name exists, so of two
 * processes taking over at once exactly one wins, and a record is never seen half-written.
 * After winning, a process that finds a higher generation (it raced a newer holder) backs off.
 * A released record stays as the top, so generation numbers only grow.
 */
export class DirLock {
  /** An ECMAScript private field: the record holds the folder's secret, which no inspect, log or error serializer may reach. */
  #current: HolderRecord;

  private constructor(
    readonly dir: string,
    current: HolderRecord,
  ) {
    this.#current = current;
  }

  get record(): HolderRecord {
    return this.#current;
  }

  /** The holder of `dir` (the highest generation), or undefined when no process ever held it. */
  static holder(dir: string): Holder | undefined {
    for (let attempt = 0; attempt < 5; attempt++) {
      const top = generations(dir).at(-1);
      if (top === undefined) return undefined;
      const record = readRecord(dir, top);
      if (record) return { record, state: judge(record), self: record.pid === process.pid && record.instance === INSTANCE };
    }
    return undefined;
  }

  /** Takes the lock, or throws `lock_obtain_failed_exception` naming the live holder. */
  static acquire(dir: string): DirLock {
    mkdirSync(lockDir(dir), { recursive: true, mode: 0o700 });
    refuseLegacyHolder(dir);
    for (let attempt = 0; attempt < 10; attempt++) {
      const gens = generations(dir);
      const top = gens.at(-1);
      const record = top === undefined ? undefined : readRecord(dir, top);
      if (record && judge(record) === 'alive') throw lockedBy(dir, record);
      const generation = (top ?? 0) + 1;
      const mine: HolderRecord = {
        generation,
        pid: process.pid,
        ...(procStat(process.pid) ? { startTime: procStat(process.pid)!.startTime } : {}),
        instance: INSTANCE,
        host: hostname(),
        since: new Date().toISOString(),
        command: commandLine(),
        secret: randomBytes(32).toString('base64url'),
      };
      const temp = writeTemp(dir, mine);
      const path = join(lockDir(dir), `${generation}.json`);
      try {
        linkSync(temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        continue; // another process took this generation first: judge its holder
      } finally {
        unlinkQuietly(temp);
      }
      if ((generations(dir).at(-1) ?? 0) > generation) {
        unlinkQuietly(path); // a newer holder exists: this process raced it with an old view
        continue;
      }
      fsyncDir(lockDir(dir));
      // Earlier generations (and their sockets) are history now.
      for (const name of readdirSync(lockDir(dir))) {
        const g = /^(\d+)\.(json|sock)$/.exec(name);
        if (g && Number(g[1]) < generation) unlinkQuietly(join(lockDir(dir), name));
      }
      return new DirLock(dir, mine);
    }
    throw new EngineError(500, 'lock_obtain_failed_exception', `could not obtain the lock on data directory [${dir}]: other processes kept taking it`);
  }

  /** Where a socket of this generation lives. */
  socketPath(): string {
    return join(lockDir(this.dir), `${this.#current.generation}.sock`);
  }

  /** Records where the folder is served, for the other processes. */
  publish(endpoint: HolderEndpoint): void {
    this.rewrite({ ...this.#current, endpoint });
  }

  /** Lets the folder go: marked released (the next process takes it at once), or removed if a newer holder exists. */
  release(): void {
    if ((generations(this.dir).at(-1) ?? 0) > this.#current.generation) {
      unlinkQuietly(join(lockDir(this.dir), `${this.#current.generation}.json`));
      return;
    }
    const { endpoint: _endpoint, ...rest } = this.#current;
    try {
      this.rewrite({ ...rest, released: true });
    } catch (error) {
      // The folder was removed while open (a test's temp folder): nothing is left to release. On a
      // full disk the record stays as it is: it goes stale when this process exits, and the next
      // process takes the folder over then.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOSPC' && code !== 'EDQUOT') throw error;
    }
  }

  private rewrite(record: HolderRecord): void {
    const path = join(lockDir(this.dir), `${record.generation}.json`);
    const temp = writeTemp(this.dir, record);
    renameSync(temp, path);
    this.#current = record;
  }
}

/**
 * `<dir>/engine.lock` ({ pid, host, since }) is the lock of indexkit versions before generations:
 * a live process of such a version holds the folder; a dead one's file is removed.
 */
function refuseLegacyHolder(dir: string): void {
  const path = join(dir, 'engine.lock');
  let legacy: { pid: number; host: string; since: string } | undefined;
  try {
    legacy = JSON.parse(readFileSync(path, 'utf8')) as { pid: number; host: string; since: string };
  } catch {
    return; // none (or half-written by a writer that died)
  }
  const record = { ...legacy, generation: 0, instance: '', command: 'an older indexkit version', secret: '' };
  if (judge(record) === 'alive') throw lockedBy(dir, record);
  unlinkQuietly(path);
}

/** The error a second holder gets: who holds the folder, since when, and where it serves it. */
export function lockedBy(dir: string, owner: HolderRecord): EngineError {
  const reach = owner.endpoint?.socket ? ` and serves it on the socket ${owner.endpoint.socket}` : owner.endpoint?.port ? ` and serves it on ${owner.endpoint.host ?? '127.0.0.1'}:${owner.endpoint.port}` : '';
  return new EngineError(
    500,
    'lock_obtain_failed_exception',
    `data directory [${dir}] is locked by another engine: process ${owner.pid} on host ${owner.host} (${owner.command}, since ${owner.since})${reach}; ` +
      `use an embedded:${dir} connection to share it, stop that process, or point this one at another directory`,
    { pid: owner.pid, host: owner.host },
  );
}
