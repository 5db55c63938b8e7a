import { describe, expect, it } from 'vitest';
import { SEARCH_QUERIES_TABLE } from '../../src/db/migrations/0001-search-queries.js';
import { indexkitMigrationSource } from '../../src/db/migration-source.js';
import { isolatedDatabase } from '../helpers/database.js';

describe('0001_search_queries', () => {
  it("creates the query log with its audit indexes from the application's own knex migrations, and rolls back", async () => {
    const { db, cleanup } = await isolatedDatabase();
    try {
      await db.migrate.latest({ migrationSource: indexkitMigrationSource, tableName: 'app_knex_migrations' });
      expect(await db.schema.hasTable(SEARCH_QUERIES_TABLE)).toBe(true);
      const indexes = (await db.raw('select indexname from pg_indexes where tablename = ? and schemaname = current_schema() order by indexname', [SEARCH_QUERIES_TABLE])).rows.map((r: { indexname: string }) => r.indexname);
      expect(indexes).toEqual(
        [`${SEARCH_QUERIES_TABLE}_index_time`, `${SEARCH_QUERIES_TABLE}_pkey`, `${SEARCH_QUERIES_TABLE}_reference`, `${SEARCH_QUERIES_TABLE}_search_figures`, `${SEARCH_QUERIES_TABLE}_time`, `${SEARCH_QUERIES_TABLE}_user`, `${SEARCH_QUERIES_TABLE}_zero_hits`].sort(),
      );
      await expect(db(SEARCH_QUERIES_TABLE).insert({ id: '00000000-0000-4000-8000-000000000001', query_type: 'scroll', index_name: 'x', query: '{}', hits: '[]', hit_count: 0, total_hits: 0, page_size: 0, executed_at: new Date(), duration_ms: 1 })).rejects.toThrow();
      await db.migrate.rollback({ migrationSource: indexkitMigrationSource, tableName: 'app_knex_migrations' }, true);
      expect(await db.schema.hasTable(SEARCH_QUERIES_TABLE)).toBe(false);
    } finally {
      await cleanup();
    }
  });
});
