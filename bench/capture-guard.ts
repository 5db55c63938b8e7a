/**
 * What the capture trigger's guard costs (`npm run bench:capture`): the same capture function of
 * a 100,000-row table with and without its EXCEPTION block (which keeps a failing capture from
 * failing the application's write, at the price of one subtransaction per row), and no trigger
 * at all as the floor, timed on full-table UPDATEs in rotating order (median of `--rounds`,
 * default 5). Prints each median and the guarded/unguarded ratio. Runs on the real PostgreSQL
 * (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test) in a schema of its own, dropped at the end.
 */
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { createKnex } from '../src/db/knex-factory.js';
import { captureFunctionSql, captureName, captureTriggerSql, type SqlStatement } from '../src/sync/capture-sql.js';
import { median } from './lib/timing.js';

const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } } });
const ROWS = Number(flags.rows);
const schema = `bench_capture_${process.pid}`;
const connection = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = await createKnex({ client: 'pg', connection }, { baseDir: process.cwd() });
await admin.raw('create schema ??', [schema]);
const db = await createKnex({ client: 'pg', connection, searchPath: [schema] }, { baseDir: process.cwd() });
const render = (statement: SqlStatement) => db.raw(statement.sql, statement.bindings as Knex.RawBinding[]).toQuery();

try {
  await db.raw('create table items (id serial primary key, v integer not null default 0)');
  await db.raw('insert into items (v) select 0 from generate_series(1, ?)', [ROWS]);
  await db.raw('create table outbox (id bigserial primary key, source text not null, row_key text not null)');
  const table = `${schema}.items`;
  const capture = { table, models: [{ source: 'items', keyColumn: 'id' }], related: [] };
  // Each variant is installed, the table vacuumed (so no variant pays for another's dead rows),
  // then one full-table UPDATE timed; the order rotates every round.
  const variants: Array<{ name: string; setUp: () => Promise<void>; times: number[] }> = [
    { name: 'no trigger', setUp: async () => void (await db.raw('drop trigger if exists ?? on ??', [captureName(table), table])), times: [] },
    { name: 'capture', setUp: () => install(false), times: [] },
    { name: 'guarded capture', setUp: () => install(true), times: [] },
  ];
  async function install(guard: boolean) {
    await db.raw(render(captureFunctionSql(capture, `${schema}.outbox`, { guard })));
    await db.raw(render(captureTriggerSql(table)));
  }
  const rounds = Number(flags.rounds);
  for (let round = -1; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + Math.max(round, 0)) % variants.length]!;
      await v.setUp();
      await db.raw('truncate outbox');
      await db.raw('vacuum items');
      const started = performance.now();
      await db.raw('update items set v = v + 1');
      if (round >= 0) v.times.push(performance.now() - started);
    }
  }
  const [none, plain, guarded] = variants.map((v) => median(v.times)) as [number, number, number];
  console.log(`UPDATE of ${ROWS} rows, median of ${rounds}: no trigger ${none.toFixed(0)} ms, capture ${plain.toFixed(0)} ms, guarded capture ${guarded.toFixed(0)} ms`);
  console.log(`guarded / unguarded: ${(guarded / plain).toFixed(2)}x; trigger time guarded / unguarded: ${((guarded - none) / (plain - none)).toFixed(2)}x`);
} finally {
  await db.destroy();
  await admin.raw('drop schema if exists ?? cascade', [schema]);
  await admin.destroy();
}
