import { connect } from 'node:net';
import type { DatabaseSettings } from '../../src/config/settings-types.js';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/test';

function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The database tests use: DATABASE_URL when set (CI sets it to the local PostgreSQL), else the
 * local PostgreSQL when it answers, else PGlite in-process, so the suite passes on a laptop too.
 */
export async function testDatabase(): Promise<{ settings: DatabaseSettings; kind: 'pg' | 'pglite' }> {
  if (process.env.DATABASE_URL) return { settings: { client: 'pg', connection: process.env.DATABASE_URL }, kind: 'pg' };
  if (await reachable('127.0.0.1', 5432)) return { settings: { client: 'pg', connection: LOCAL }, kind: 'pg' };
  return { settings: { client: 'pg', connection: 'pglite:memory' }, kind: 'pglite' };
}
