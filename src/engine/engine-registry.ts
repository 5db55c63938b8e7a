import { resolve } from 'node:path';
import { Engine } from './engine.js';
import type { EngineOptions } from './engine.js';

interface Entry {
  engine: Promise<Engine>;
  refs: number;
}

const engines = new Map<string, Entry>();

/**
 * One engine per data directory per process, opened once and shared: every acquire must be
 * paired with a release; the last release closes (and flushes) the engine.
 */
export async function acquireEngine(dir: string, options?: EngineOptions): Promise<Engine> {
  const key = resolve(dir);
  let entry = engines.get(key);
  if (!entry || (await entry.engine.catch(() => undefined))?.isClosed) {
    const opening = Engine.open(key, options);
    entry = { engine: opening, refs: 0 };
    engines.set(key, entry);
    opening.catch(() => {
      if (engines.get(key)?.engine === opening) engines.delete(key);
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
  const engine = await entry.engine.catch(() => undefined);
  await engine?.close();
}
