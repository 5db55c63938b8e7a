import type { Knex } from 'knex';
import type { IndexkitMigration } from './index.js';

/** The query log: one row per logged search (src/search/query-log.ts writes it, `search queries` reads it). */
export const SEARCH_QUERIES_TABLE = 'indexkit_search_queries';

/**
 * Creates the query log. Hits, the request and aggregations are jsonb (read back whole, never
 * searched inside); the columns the audit filters and groups on are plain columns with
 * indexes shaped for `search queries list|stats|prune`:
 * - (index_name, executed_at desc): list and stats per index and period;
 * - (executed_at): prune by age, list without an index filter;
 * - (user_id, executed_at desc) and (reference, executed_at desc), partial where not null;
 * - (index_name, executed_at) where total_hits = 0: the zero-result rate and terms.
 */
export const searchQueriesMigration: IndexkitMigration = {
  name: '0001_search_queries',
  async up(db: Knex) {
    await db.schema.createTable(SEARCH_QUERIES_TABLE, (t) => {
      t.uuid('id').primary();
      t.text('query_type').notNullable().defaultTo('search');
      t.text('index_name').notNullable();
      t.text('search_terms').notNullable().defaultTo('');
      t.jsonb('query').notNullable();
      t.jsonb('hits').notNullable();
      t.integer('hit_count').notNullable();
      t.bigInteger('total_hits').notNullable();
      t.text('total_hits_relation').notNullable().defaultTo('eq');
      t.double('max_score').nullable();
      t.double('min_score').nullable();
      t.jsonb('aggregations').nullable();
      t.integer('page_from').notNullable().defaultTo(0);
      t.integer('page_size').notNullable();
      t.text('user_id').nullable();
      t.text('reference').nullable();
      t.timestamp('executed_at', { useTz: true }).notNullable();
      t.double('duration_ms').notNullable();
    });
    await db.raw('alter table ?? add constraint ?? check (query_type in (\'search\', \'count\') and total_hits_relation in (\'eq\', \'gte\'))', [SEARCH_QUERIES_TABLE, `${SEARCH_QUERIES_TABLE}_enums`]);
    await db.raw('create index ?? on ?? (index_name, executed_at desc)', [`${SEARCH_QUERIES_TABLE}_index_time`, SEARCH_QUERIES_TABLE]);
    await db.raw('create index ?? on ?? (executed_at)', [`${SEARCH_QUERIES_TABLE}_time`, SEARCH_QUERIES_TABLE]);
    await db.raw('create index ?? on ?? (user_id, executed_at desc) where user_id is not null', [`${SEARCH_QUERIES_TABLE}_user`, SEARCH_QUERIES_TABLE]);
    await db.raw('create index ?? on ?? (reference, executed_at desc) where reference is not null', [`${SEARCH_QUERIES_TABLE}_reference`, SEARCH_QUERIES_TABLE]);
    await db.raw('create index ?? on ?? (index_name, executed_at) where total_hits = 0', [`${SEARCH_QUERIES_TABLE}_zero_hits`, SEARCH_QUERIES_TABLE]);
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists(SEARCH_QUERIES_TABLE);
  },
};
