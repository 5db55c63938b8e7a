import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from './engine.js';
import { acquireEngine, hasOpenEngine, isClosingEngine, releaseEngine } from './engine-registry.js';
import { EngineError } from './errors.js';
import { forgetHolder, forward, HolderUnreachable, safeToResend, type ForwardOptions } from './holder-link.js';
import { DirLock, lockedBy, type Holder, type HolderRecord } from './index/store/dir-lock.js';
import type { EngineRequest } from './rest/rest-types.js';

/** How long a request waits for a holder to answer or for a new one to take over, before it fails. */
export const TAKEOVER_WINDOW_MS = 30_000;

/** Why a request could not be answered: no holder answered in time, or the holder died while it ran an unsafe write. */
export class FolderUnavailable extends Error {
  override readonly name = 'FolderUnavailable';
  constructor(
    message: string,
    readonly delivery: 'unsent' | 'unknown',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface FolderResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * One user's access to an embedded data folder that many processes share (see
 * src/engine/README.md): requests are answered in-process when this process holds the folder,
 * else forwarded to the holder's private endpoint. When the holder is gone (connection refused,
 * its pid dead, or its record released), the first process to need the folder takes it over
 * (reopening it from its translog) and the others go through it; a request that failed on the
 * way is resent where resending is invisible (see `safeToResend`), within TAKEOVER_WINDOW_MS.
 * A process that finds a holder never takes the lock: a short command does not hold the folder.
 */
export class SharedFolder {
  private engine?: Engine;
  private opening?: Promise<Engine>;
  private acquired = 0;
  /** The holder's record carries the folder's secret: a private field, out of reach of inspect and error serializers. */
  #peer?: HolderRecord;
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly windowMs = TAKEOVER_WINDOW_MS,
  ) {}

  async handle(request: EngineRequest, options: ForwardOptions = {}): Promise<FolderResponse> {
    const deadline = Date.now() + this.windowMs;
    for (let attempt = 0; ; attempt++) {
      const route = await this.route(deadline);
      if ('handle' in route) return route.handle(request);
      try {
        return await forward(route, request, options);
      } catch (error) {
        if (!(error instanceof HolderUnreachable)) throw error;
        this.drop(route);
        if (error.delivery === 'unknown' && !safeToResend(request)) {
          throw new FolderUnavailable(
            `${error.message}; ${request.method} ${request.path} may or may not have been applied and is not safe to resend (only reads and externally versioned writes are resent)`,
            'unknown',
            { cause: error },
          );
        }
        if (Date.now() > deadline) throw new FolderUnavailable(`${error.message}, and no other process took the folder [${this.dir}] over within ${this.windowMs} ms`, 'unsent', { cause: error });
        await sleep(Math.min(5 * 2 ** attempt, 100));
      }
    }
  }

  /** Releases the engine if this user opened it (the last user in the process closes it and hands the folder over). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening?.catch(() => undefined);
    for (; this.acquired > 0; this.acquired--) await releaseEngine(this.dir);
    this.engine = undefined;
    this.#peer = undefined;
  }

  /** The in-process engine when this process holds the folder, else the holder to forward to (waiting while it starts). */
  private async route(deadline: number): Promise<Engine | HolderRecord> {
    for (;;) {
      if (this.closed) throw new FolderUnavailable(`the connection to embedded folder [${this.dir}] is closed`, 'unsent');
      if (this.engine && !this.engine.isClosed) return this.engine;
      if (this.#peer) return this.#peer;
      const holder = DirLock.holder(this.dir);
      if (hasOpenEngine(this.dir) || isClosingEngine(this.dir) || !holder || holder.state !== 'alive') {
        try {
          return await this.take();
        } catch (error) {
          if (!(error instanceof EngineError && error.type === 'lock_obtain_failed_exception')) throw error;
          // Another process took it first: go through it. A lock with no live holder record behind
          // it (an older indexkit version's engine.lock) serves nobody: waiting would not help.
          if (DirLock.holder(this.dir)?.state !== 'alive') throw error;
        }
      } else if (holder.self) {
        // Opened in this process outside the shared registry (Engine.open): nothing serves it.
        throw lockedBy(this.dir, holder.record);
      } else if (holder.record.endpoint) {
        this.#peer = holder.record;
        return this.#peer;
      }
      if (Date.now() > deadline) throw this.unavailable(holder);
      await sleep(20); // the holder is alive but not serving yet (opening the folder), or just lost
    }
  }

  private take(): Promise<Engine> {
    this.opening ??= acquireEngine(this.dir)
      .then((engine) => {
        this.acquired++;
        this.engine = engine;
        return engine;
      })
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  private drop(route: HolderRecord): void {
    if (this.#peer !== route) return;
    this.#peer = undefined;
    forgetHolder(route);
  }

  private unavailable(holder: Holder | undefined): FolderUnavailable {
    const who = holder ? `process ${holder.record.pid} on host ${holder.record.host} (${holder.record.command}, since ${holder.record.since})` : 'no process';
    return new FolderUnavailable(`embedded folder [${this.dir}] is held by ${who}, which did not answer within ${this.windowMs} ms; stop it or wait for it`, 'unsent');
  }
}

/** Who holds an embedded data folder, without its secret: for `search status` and `search engine serve`. */
export interface FolderHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** alive: it holds the folder; stale: it died (the next user takes over); released: it let go cleanly. */
  state: 'alive' | 'stale' | 'released';
  /** This very process. */
  self: boolean;
  /** `unix:<socket>` or `http://127.0.0.1:<port>` (private: requests need the secret in `recordFile`). */
  endpoint?: string;
  /** The holder record (mode 0600) whose `secret` field other processes send as `Authorization: ApiKey <secret>`. */
  recordFile: string;
}

/** The holder of `dir`, or undefined when no process has held it yet. */
export function folderHolder(dir: string): FolderHolder | undefined {
  const holder = DirLock.holder(resolve(dir));
  if (!holder) return undefined;
  const { record } = holder;
  const endpoint = record.endpoint?.socket ? `unix:${record.endpoint.socket}` : record.endpoint?.port ? `http://${record.endpoint.host ?? '127.0.0.1'}:${record.endpoint.port}` : undefined;
  return {
    pid: record.pid,
    host: record.host,
    command: record.command,
    since: record.since,
    state: holder.state,
    self: holder.self,
    ...(endpoint && holder.state === 'alive' ? { endpoint } : {}),
    recordFile: join(resolve(dir), 'lock', `${record.generation}.json`),
  };
}
