import type { Knex } from 'knex';
import type { IndexkitMigration } from './index.js';

/** One row per captured change, written by the triggers of `search sync install`, drained by `search sync`. */
export const SYNC_OUTBOX_TABLE = 'indexkit_sync_outbox';
/** What `search sync install` installed: one row per table that carries an indexkit trigger. */
export const SYNC_TRIGGERS_TABLE = 'indexkit_sync_triggers';
/** The LISTEN/NOTIFY channel the outbox notifies on insert. */
export const SYNC_CHANNEL = 'indexkit_sync';
const NOTIFY_FUNCTION = 'indexkit_sync_notify';

/**
 * The sync outbox. `id` is the outbox sequence: the worker sends it as the document's external
 * version, so it must only grow (bigserial). Entries are deleted once the search side has
 * acknowledged them; what stays is pending, in flight (claimed by a worker: `locked_by`,
 * `locked_pid`, the claiming backend, and `locked_at`) or dead (`last_error`).
 * - partial index (id) where pending: the claim reads the oldest pending entries in id order;
 * - a statement-level trigger NOTIFYs the channel once per inserting statement (a hint only:
 *   the worker polls too).
 */
export const syncOutboxMigration: IndexkitMigration = {
  name: '0002_sync_outbox',
  async up(db: Knex) {
    await db.schema.createTable(SYNC_OUTBOX_TABLE, (t) => {
      t.bigIncrements('id').primary();
      t.text('source').notNullable();
      t.text('row_key').notNullable();
      t.text('status').notNullable().defaultTo('pending');
      t.integer('attempts').notNullable().defaultTo(0);
      t.timestamp('available_at', { useTz: true }).notNullable().defaultTo(db.raw('now()'));
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.raw('clock_timestamp()'));
      t.text('locked_by').nullable();
      t.integer('locked_pid').nullable();
      t.timestamp('locked_at', { useTz: true }).nullable();
      t.text('last_error').nullable();
    });
    await db.raw("alter table ?? add constraint ?? check (status in ('pending', 'in_flight', 'dead'))", [SYNC_OUTBOX_TABLE, `${SYNC_OUTBOX_TABLE}_status`]);
    await db.raw("create index ?? on ?? (id) where status = 'pending'", [`${SYNC_OUTBOX_TABLE}_pending`, SYNC_OUTBOX_TABLE]);
    await db.raw("create index ?? on ?? (locked_at) where status = 'in_flight'", [`${SYNC_OUTBOX_TABLE}_in_flight`, SYNC_OUTBOX_TABLE]);
    await db.raw("create index ?? on ?? (id) where status = 'dead'", [`${SYNC_OUTBOX_TABLE}_dead`, SYNC_OUTBOX_TABLE]);
    await db.schema.createTable(SYNC_TRIGGERS_TABLE, (t) => {
      t.text('table_name').primary();
      t.text('trigger_name').notNullable();
      t.text('function_name').notNullable();
      t.text('definition_hash').notNullable();
      t.jsonb('captures').notNullable();
      t.timestamp('installed_at', { useTz: true }).notNullable().defaultTo(db.raw('now()'));
    });
    // No bound values in DDL: the channel is a constant of this file, the names are quoted identifiers.
    await db.raw(`create or replace function ??() returns trigger language plpgsql as $indexkit$ begin perform pg_notify('${SYNC_CHANNEL}', ''); return null; end $indexkit$`, [NOTIFY_FUNCTION]);
    await db.raw('create trigger ?? after insert on ?? for each statement execute function ??()', [NOTIFY_FUNCTION, SYNC_OUTBOX_TABLE, NOTIFY_FUNCTION]);
  },
  async down(db: Knex) {
    // Installed capture triggers write into the outbox: remove them first, or every write to those tables would fail.
    if (await db.schema.hasTable(SYNC_TRIGGERS_TABLE)) {
      const installed = (await db(SYNC_TRIGGERS_TABLE).select('table_name', 'trigger_name', 'function_name')) as Array<{ table_name: string; trigger_name: string; function_name: string }>;
      for (const row of installed) {
        await db.raw('drop trigger if exists ?? on ??', [row.trigger_name, row.table_name]).catch(() => undefined);
        await db.raw('drop function if exists ??()', [row.function_name]);
      }
    }
    await db.schema.dropTableIfExists(SYNC_OUTBOX_TABLE);
    await db.schema.dropTableIfExists(SYNC_TRIGGERS_TABLE);
    await db.raw('drop function if exists ??()', [NOTIFY_FUNCTION]);
  },
};
