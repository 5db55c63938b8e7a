import { chmodSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from './engine.js';
import type { EngineOptions } from './engine.js';
import { startEngineServer, type EngineServer } from './server.js';

interface Entry {
  engine: Promise<Engine>;
  /** The private endpoint other processes reach this folder through. */
  endpoint: Promise<EngineServer | undefined>;
  refs: number;
}

const engines = new Map<string, Entry>();
/** Engines of this process being closed (their folder is still held until that ends). */
const closing = new Map<string, Promise<void>>();

/** Longest Unix socket path that fits every platform's sockaddr_un (104 on macOS, 108 on Linux, with the NUL). */
const MAX_SOCKET_PATH = 100;

/**
 * Serves an open engine to the other processes of this host, privately: on a Unix socket in the
 * folder's 0700 lock folder (mode 0600), else on a loopback port; either way every request must
 * carry the folder's secret (`Authorization: ApiKey <secret>`, kept in the 0600 holder record).
 * The listener does not keep the process alive: a process exits when its own work is done.
 */
async function servePrivately(engine: Engine): Promise<EngineServer> {
  const socket = engine.lock.socketPath();
  const onSocket = process.platform !== 'win32' && Buffer.byteLength(socket) <= MAX_SOCKET_PATH;
  if (onSocket) {
    try {
      unlinkSync(socket); // a leftover of this very generation (a lock folder that was emptied by hand)
    } catch {
      // none
    }
  }
  const server = await startEngineServer({ engine, socketPath: onSocket ? socket : undefined, host: '127.0.0.1', port: 0, apiKey: engine.lock.record.secret, handover: true });
  if (onSocket) chmodSync(socket, 0o600);
  server.unref();
  engine.lock.publish(onSocket ? { socket } : { host: '127.0.0.1', port: server.port });
  return server;
}

/** Whether this process has the engine over `dir` open (it holds the folder). */
export function hasOpenEngine(dir: string): boolean {
  return engines.has(resolve(dir));
}

/**
 * One engine per data directory per process, opened once and shared: every acquire must be
 * paired with a release; the last release stops serving other processes, closes (and flushes)
 * the engine and marks the folder released so that the next process takes it over at once.
 * Opening takes the folder's lock: it fails with `lock_obtain_failed_exception` while another
 * live process holds it (an `embedded:` connection then goes through that process instead).
 */
export async function acquireEngine(dir: string, options?: EngineOptions): Promise<Engine> {
  const key = resolve(dir);
  // The last user just let it go: wait for the close to finish rather than finding the folder held by this very process.
  while (!engines.has(key) && closing.has(key)) await closing.get(key);
  let entry = engines.get(key);
  if (!entry || (await entry.engine.catch(() => undefined))?.isClosed) {
    const opening = Engine.open(key, options);
    const serving = opening.then(servePrivately);
    entry = { engine: serving.then(() => opening), endpoint: serving.catch(() => undefined), refs: 0 };
    engines.set(key, entry);
    const current = entry;
    current.engine.catch(async () => {
      if (engines.get(key) === current) engines.delete(key);
      // Opened but not served (the endpoint could not listen): let the folder go again.
      await (await opening.catch(() => undefined))?.close();
    });
  }
  entry.refs++;
  try {
    return await entry.engine;
  } catch (error) {
    entry.refs--;
    throw error;
  }
}

export async function releaseEngine(dir: string): Promise<void> {
  const key = resolve(dir);
  const entry = engines.get(key);
  if (!entry) return;
  entry.refs--;
  if (entry.refs > 0) return;
  engines.delete(key);
  const done = (async () => {
    // Stop serving others first (requests in flight finish), then flush and release the folder.
    await (await entry.endpoint)?.close();
    const engine = await entry.engine.catch(() => undefined);
    await engine?.close();
  })();
  const settled = done.then(
    () => undefined,
    () => undefined,
  );
  const finished: Promise<void> = settled.then(() => {
    if (closing.get(key) === finished) closing.delete(key);
  });
  closing.set(key, finished);
  await done;
}

/** Whether this process is closing its engine over `dir` (it still holds the folder until then). */
export function isClosingEngine(dir: string): boolean {
  return closing.has(resolve(dir));
}
