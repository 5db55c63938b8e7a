import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Knex } from 'knex';
import type { DatabaseSettings } from '../config/settings-types.js';
import { IndexkitError } from '../errors.js';

/**
 * The knex instance for `database`: PostgreSQL through pg (a URL or options), or PGlite
 * in-process through knex-pglite for `pglite:<dir>` and `pglite:memory` (no server needed).
 */
export async function createKnex(database: DatabaseSettings, context: { baseDir: string }): Promise<Knex> {
  // Loaded on first use: commands that never touch the database (check, engine serve) skip knex and pg.
  const { default: knexFactory } = await import('knex');
  const connection = database.connection;
  if (typeof connection === 'string' && connection.startsWith('pglite:')) {
    const target = connection.slice('pglite:'.length);
    if (!target) throw new IndexkitError('DATABASE_INVALID', 'database.connection is "pglite:", expected pglite:<dir> or pglite:memory', { exitCode: 2 });
    const { default: ClientPgLite } = await import('knex-pglite');
    let pgliteConnection: Record<string, unknown> = {};
    if (target !== 'memory') {
      const dir = resolve(context.baseDir, target);
      mkdirSync(dir, { recursive: true });
      pgliteConnection = { filename: dir };
    }
    return knexFactory({ client: ClientPgLite, dialect: 'postgres', connection: pgliteConnection, log: knexLog, ...searchPath(database) } as Knex.Config);
  }
  if (database.client === 'pglite') {
    throw new IndexkitError('DATABASE_INVALID', `database.client is "pglite" but database.connection is not a pglite: URL, expected pglite:<dir> or pglite:memory`, { exitCode: 2 });
  }
  return knexFactory({
    client: 'pg',
    connection: connection as Knex.StaticConnectionConfig | string,
    pool: { min: database.pool?.min ?? 0, max: database.pool?.max ?? 10 },
    log: knexLog,
    ...searchPath(database),
  } as Knex.Config);
}

/**
 * knex prints its warnings with console.log, i.e. on stdout, where `--json` output goes. They go
 * to stderr instead, without the "Acquire connection error" one: that error is thrown as well,
 * and the CLI explains it once.
 */
const knexLog = {
  warn(message: unknown) {
    if (typeof message === 'string' && message.startsWith('Acquire connection error')) return;
    process.stderr.write(`knex: ${String(message)}\n`);
  },
  error(message: unknown) {
    process.stderr.write(`knex: ${String(message)}\n`);
  },
  deprecate(method: string, alternative: string) {
    process.stderr.write(`knex: ${method} is deprecated, use ${alternative}\n`);
  },
  debug() {},
};

const searchPath = (database: DatabaseSettings) => (database.searchPath ? { searchPath: database.searchPath } : {});
