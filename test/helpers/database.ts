import { randomUUID } from 'node:crypto';
import { tcpAnswers } from '../../src/db/tcp-answers.js';
import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex-factory.js';
import type { DatabaseSettings } from '../../src/config/settings-types.js';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The database tests use: DATABASE_URL when set (CI sets it to the local PostgreSQL), else the
 * local PostgreSQL when it answers, else PGlite in-process, so the suite passes on a laptop too.
 */
export async function testDatabase(): Promise<{ settings: DatabaseSettings; kind: 'pg' | 'pglite' }> {
  // TEST_DATABASE=pglite runs the suite on PGlite even where PostgreSQL answers.
  if (process.env.TEST_DATABASE === 'pglite') return { settings: { client: 'pg', connection: 'pglite:memory' }, kind: 'pglite' };
  if (process.env.DATABASE_URL) return { settings: { client: 'pg', connection: process.env.DATABASE_URL }, kind: 'pg' };
  if (await tcpAnswers('127.0.0.1', 5432, 500)) return { settings: { client: 'pg', connection: LOCAL }, kind: 'pg' };
  return { settings: { client: 'pg', connection: 'pglite:memory' }, kind: 'pglite' };
}

/**
 * A database of this test file's own: on PostgreSQL a fresh schema (first on the search path,
 * dropped with everything in it by `cleanup()`), on PGlite a fresh in-memory instance. Tests
 * can run in any order and in parallel.
 */
export async function isolatedDatabase(): Promise<{ db: Knex; kind: 'pg' | 'pglite'; settings: DatabaseSettings; cleanup(): Promise<void> }> {
  const { settings, kind } = await testDatabase();
  if (kind === 'pglite') {
    const db = await createKnex(settings, { baseDir: process.cwd() });
    return { db, kind, settings, cleanup: () => db.destroy() };
  }
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const admin = await createKnex(settings, { baseDir: process.cwd() });
  await admin.raw('create schema ??', [schema]);
  await admin.destroy();
  const scoped: DatabaseSettings = { ...settings, searchPath: [schema] };
  const db = await createKnex(scoped, { baseDir: process.cwd() });
  return {
    db,
    kind,
    settings: scoped,
    async cleanup() {
      await db.raw('drop schema if exists ?? cascade', [schema]);
      await db.destroy();
    },
  };
}
