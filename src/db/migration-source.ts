import type { Knex } from 'knex';
import { MIGRATIONS, type IndexkitMigration } from './migrations/index.js';

/** The table where indexkit records which of its own migrations ran (apart from the application's). */
export const MIGRATIONS_TABLE = 'indexkit_migrations';

/**
 * The toolkit's migrations as a knex MigrationSource, so an application can run them from its
 * own knex migration setup:
 *
 * @example
 * await db.migrate.latest({ migrationSource: indexkitMigrationSource, tableName: 'indexkit_migrations' });
 */
export const indexkitMigrationSource: Knex.MigrationSource<IndexkitMigration> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => ({ up: migration.up, down: migration.down, ...(migration.config ? { config: migration.config } : {}) }),
};

const config = (tableName: string): Knex.MigratorConfig => ({ migrationSource: indexkitMigrationSource, tableName });

/** Applies every pending toolkit migration; returns the names applied (empty when up to date). */
export async function migrateLatest(db: Knex, tableName = MIGRATIONS_TABLE): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config(tableName))) as [number, string[]];
  return applied;
}

/** Rolls back the last batch of toolkit migrations (or all with `all`). */
export async function migrateRollback(db: Knex, { all = false, tableName = MIGRATIONS_TABLE } = {}): Promise<string[]> {
  const [, rolledBack] = (await db.migrate.rollback(config(tableName), all)) as [number, string[]];
  return rolledBack;
}

/** Names of applied and pending toolkit migrations. */
export async function migrationStatus(db: Knex, tableName = MIGRATIONS_TABLE): Promise<{ applied: string[]; pending: string[] }> {
  const [completed, pending] = (await db.migrate.list(config(tableName))) as [Array<{ name: string } | string>, IndexkitMigration[]];
  return { applied: completed.map((c) => (typeof c === 'string' ? c : c.name)), pending: pending.map((m) => m.name) };
}
