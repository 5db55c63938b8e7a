import { randomUUID } from 'node:crypto';
import { tcpAnswers } from '../../src/db/tcp-answers.js';
import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex-factory.js';
import type { DatabaseSettings } from '../../src/config/settings-types.js';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The test database's sessions commit without waiting for the WAL to reach the disk
 * (synchronous_commit off, a PostgreSQL startup option carried in the URL, so the CLI processes a
 * test starts get it too). What a test can see is unchanged: a committed transaction is visible to
 * every session at once either way; only a crash of the PostgreSQL server itself could lose the
 * last ones. A commit no longer costs a disk flush: 500 single-row commits took 3 to 4 s with
 * it and 0.3 s without, and the sync tests make tens of thousands.
 */
export function withoutCommitFlush(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('options')) return url;
  parsed.searchParams.set('options', '-c synchronous_commit=off');
  return parsed.toString();
}

/**
 * The database tests use: DATABASE_URL when set (CI sets it to the local PostgreSQL), else the
 * local PostgreSQL when it answers, else PGlite in-process, so the suite passes on a laptop too.
 */
export async function testDatabase(): Promise<{ settings: DatabaseSettings; kind: 'pg' | 'pglite' }> {
  // TEST_DATABASE=pglite runs the suite on PGlite even where PostgreSQL answers.
  if (process.env.TEST_DATABASE === 'pglite') return { settings: { client: 'pg', connection: 'pglite:memory' }, kind: 'pglite' };
  if (process.env.DATABASE_URL) return { settings: { client: 'pg', connection: withoutCommitFlush(process.env.DATABASE_URL) }, kind: 'pg' };
  if (await tcpAnswers('127.0.0.1', 5432, 500)) return { settings: { client: 'pg', connection: withoutCommitFlush(LOCAL) }, kind: 'pg' };
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
