import type { Knex } from 'knex';
import { searchQueriesMigration } from './0001-search-queries.js';
import { syncOutboxMigration } from './0002-sync-outbox.js';
import { searchConversionsMigration } from './0003-search-conversions.js';
import { searchRollupsMigration } from './0004-search-rollups.js';
import { searchFiguresIndexMigration } from './0005-search-figures-index.js';
import { searchRollupLevelsMigration } from './0006-search-rollup-levels.js';

/** One toolkit migration. Names sort in the order they run: `NNNN_what`. */
export interface IndexkitMigration {
  name: string;
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
  /** `transaction: false` runs it outside a transaction (a concurrent index build). */
  config?: { transaction?: boolean };
}

/**
 * Every toolkit migration, in order. Each lives in its own file beside this one and is added
 * here; a migration that has shipped is never edited, only followed by a new one.
 */
export const MIGRATIONS: readonly IndexkitMigration[] = [searchQueriesMigration, syncOutboxMigration, searchConversionsMigration, searchRollupsMigration, searchFiguresIndexMigration, searchRollupLevelsMigration];
