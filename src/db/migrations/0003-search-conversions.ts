import type { Knex } from 'knex';
import type { IndexkitMigration } from './index.js';

/** What people did with a search's hits: one row per (query, hit, kind), written by `recordConversion`. */
export const SEARCH_CONVERSIONS_TABLE = 'indexkit_search_conversions';

/**
 * Creates the conversions table and the indexes the audit figures read.
 *
 * No foreign key to the query log: the log writes its rows in batches behind the searches (and
 * another process may have run the search), so a conversion can arrive before its query row.
 * It is kept with `position` null and given its position when the query row is written (see
 * QueryLog). The primary key (query_id, hit_id, kind) makes a repeated conversion a no-op.
 * `query_executed_at` is the query's `executed_at`, copied when the position is found, so the
 * figures of a period read only that period's conversions.
 * - (converted_at): prune of conversions whose query never arrived;
 * - (query_executed_at) include (query_id, position): the conversions of a period;
 * (The log's covering index for the figures, first created here, is 0005's.)
 */
export const searchConversionsMigration: IndexkitMigration = {
  name: '0003_search_conversions',
  async up(db: Knex) {
    await db.schema.createTable(SEARCH_CONVERSIONS_TABLE, (t) => {
      t.uuid('query_id').notNullable();
      t.text('hit_id').notNullable();
      t.text('kind').notNullable().defaultTo('click');
      t.text('index_name').nullable();
      t.integer('position').nullable();
      t.timestamp('query_executed_at', { useTz: true }).nullable();
      t.double('value').nullable();
      t.timestamp('converted_at', { useTz: true }).notNullable().defaultTo(db.raw('now()'));
      t.primary(['query_id', 'hit_id', 'kind']);
    });
    await db.raw('create index ?? on ?? (converted_at)', [`${SEARCH_CONVERSIONS_TABLE}_time`, SEARCH_CONVERSIONS_TABLE]);
    await db.raw('create index ?? on ?? (query_executed_at) include (query_id, position)', [`${SEARCH_CONVERSIONS_TABLE}_query_time`, SEARCH_CONVERSIONS_TABLE]);
    await db.raw('create index ?? on ?? (query_id) where query_executed_at is null', [`${SEARCH_CONVERSIONS_TABLE}_unplaced`, SEARCH_CONVERSIONS_TABLE]);
    // The log's covering index (search_figures) was created here, in this migration's
    // transaction, which made writes to a big log wait for the build; 0005 builds it concurrently.
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists(SEARCH_CONVERSIONS_TABLE);
  },
};
