import type { Knex } from 'knex';
import type { IndexkitMigration } from './index.js';
import { SEARCH_QUERIES_TABLE } from './0001-search-queries.js';

/** The log's covering index for the figures of searches over a period. */
export const SEARCH_FIGURES_INDEX = `${SEARCH_QUERIES_TABLE}_search_figures`;

const DEFINITION = `(executed_at) include (id, index_name, search_terms, total_hits, duration_ms, user_id, reference) where query_type = 'search'`;

/**
 * (executed_at) include (id, index_name, search_terms, total_hits, duration_ms, user_id,
 * reference) where query_type = 'search': `search queries stats` and the log-read parts of the
 * dashboard (partial hours and days, user and reference filters) read the index only.
 *
 * Built CONCURRENTLY, outside a transaction (`config.transaction: false`), so the query log's
 * writes go on while it builds on a big log. Migration 0003 used to build it in its transaction,
 * which made those writes wait: where it did, the index is valid and this does nothing; a build
 * that failed halfway (an invalid index) is dropped and built again. PGlite, which has no
 * concurrent builds, builds it plainly.
 */
export const searchFiguresIndexMigration: IndexkitMigration = {
  name: '0005_search_figures_index',
  config: { transaction: false },
  async up(db: Knex) {
    const { rows } = (await db.raw(
      'select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = ? and c.relnamespace = current_schema()::regnamespace',
      [SEARCH_FIGURES_INDEX],
    )) as { rows: Array<{ valid: boolean }> };
    if (rows[0]?.valid) return;
    const concurrently = (db.client as { config?: { client?: unknown } }).config?.client === 'pg' ? ' concurrently' : '';
    if (rows[0]) await db.raw(`drop index${concurrently} ??`, [SEARCH_FIGURES_INDEX]);
    await db.raw(`create index${concurrently} ?? on ?? ${DEFINITION}`, [SEARCH_FIGURES_INDEX, SEARCH_QUERIES_TABLE]);
  },
  async down(db: Knex) {
    await db.raw('drop index if exists ??', [SEARCH_FIGURES_INDEX]);
  },
};
