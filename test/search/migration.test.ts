import { describe, expect, it } from 'vitest';
import { SEARCH_QUERIES_TABLE } from '../../src/db/migrations/0001-search-queries.js';
import { indexkitMigrationSource } from '../../src/db/migration-source.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { SEARCH_FIGURES_INDEX } from '../../src/db/migrations/0005-search-figures-index.js';
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

  it('builds the covering index outside a transaction (0005), and leaves the one an earlier 0003 built', async () => {
    const { db, cleanup } = await isolatedDatabase();
    const config = { migrationSource: indexkitMigrationSource, tableName: 'indexkit_migrations' };
    const indexes = async () => (await db.raw("select indexname, indexdef from pg_indexes where indexname = ? and schemaname = current_schema()", [SEARCH_FIGURES_INDEX])).rows as Array<{ indexdef: string }>;
    try {
      await db.migrate.latest(config);
      const [built] = await indexes();
      expect(built!.indexdef).toMatch(/\(executed_at\) INCLUDE \(id, index_name, search_terms, total_hits, duration_ms, user_id, reference\) WHERE \(query_type = 'search'::text\)/);
      expect(((await indexkitMigrationSource.getMigration(MIGRATIONS.find((m) => m.name === '0005_search_figures_index')!)) as { config?: { transaction?: boolean } }).config).toEqual({ transaction: false });
      // As 0003 used to leave it: built in its transaction, before 0005 ran (0006 rolled back first).
      await db.migrate.down(config);
      await db.migrate.down(config);
      expect(await indexes()).toEqual([]);
      await db.raw(`create index ?? on ?? (executed_at) where query_type = 'search'`, [SEARCH_FIGURES_INDEX, SEARCH_QUERIES_TABLE]);
      await db.migrate.latest(config);
      expect((await indexes()).map((i) => i.indexdef)).toEqual([expect.stringContaining('(executed_at) WHERE')]);
    } finally {
      await cleanup();
    }
  });
});
