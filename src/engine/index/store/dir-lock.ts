import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../errors.js';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on a data directory (`<dir>/engine.lock`, holding the owner's pid and host),
 * so two processes never open the same directory for writing. A lock left by a dead process on
 * this host is taken over.
 */
export class DirLock {
  private constructor(private readonly path: string) {}

  static acquire(dir: string): DirLock {
    const path = join(dir, 'engine.lock');
    const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify(me));
        closeSync(fd);
        return new DirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let owner: LockOwner | undefined;
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
      } catch {
        owner = undefined; // half-written lock: its writer died mid-write
      }
      const stale = !owner || (owner.host === me.host && !alive(owner.pid));
      if (!stale) {
        throw new EngineError(
          500,
          'lock_obtain_failed_exception',
          `data directory [${dir}] is locked by another engine: process ${owner!.pid} on host ${owner!.host} (since ${owner!.since}); ` +
            `stop that process or point this one at another directory`,
          { pid: owner!.pid, host: owner!.host },
        );
      }
      try {
        unlinkSync(path);
      } catch {
        // another process took it over first; retry
      }
    }
    throw new EngineError(500, 'lock_obtain_failed_exception', `could not obtain the lock on data directory [${dir}]`);
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
