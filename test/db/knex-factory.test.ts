import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex-factory.js';
import { IndexkitError } from '../../src/errors.js';
import { testDatabase } from '../helpers/database.js';

describe('createKnex', () => {
  it('connects to the test database (PostgreSQL from DATABASE_URL, or PGlite)', async () => {
    const { settings } = await testDatabase();
    const db = await createKnex(settings, { baseDir: process.cwd() });
    try {
      const result = await db.raw('select 1 + ? as two', [1]);
      expect(Number(result.rows[0].two)).toBe(2);
    } finally {
      await db.destroy();
    }
  });

  it('opens PGlite in memory with pglite:memory', async () => {
    const db = await createKnex({ client: 'pg', connection: 'pglite:memory' }, { baseDir: process.cwd() });
    try {
      await db.schema.createTable('t', (t) => t.increments('id'));
      await db('t').insert({});
      expect(await db('t').count('* as n').first()).toEqual({ n: 1 });
    } finally {
      await db.destroy();
    }
  });

  it('keeps PGlite data in a folder relative to the settings file across instances', async () => {
    const base = mkdtempSync(join(tmpdir(), 'indexkit-pglite-'));
    try {
      const first = await createKnex({ client: 'pg', connection: 'pglite:data/db' }, { baseDir: base });
      await first.schema.createTable('kept', (t) => t.text('v'));
      await first('kept').insert({ v: 'still here' });
      await first.destroy();
      const second = await createKnex({ client: 'pg', connection: 'pglite:data/db' }, { baseDir: base });
      expect(await second('kept').pluck('v')).toEqual(['still here']);
      await second.destroy();
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('refuses client pglite with a non-pglite connection', async () => {
    await expect(createKnex({ client: 'pglite', connection: 'postgres://x@y/z' }, { baseDir: '.' })).rejects.toBeInstanceOf(IndexkitError);
  });
});
