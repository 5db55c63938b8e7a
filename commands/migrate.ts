import { Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { migrateLatest, migrateRollback, migrationStatus } from '../src/db/migration-source.js';

export interface MigrateResult {
  applied: string[];
  rolledBack: string[];
  pending: string[];
}

export default class Migrate extends SearchCommand<typeof Migrate> {
  static override summary = "Create or update the toolkit's own tables in the application database.";
  static override description = `Runs indexkit's migrations (the query log, the sync outbox, ...) against the database of the settings, recording them in the table indexkit_migrations. Applications that run their own knex migrations can use indexkitMigrationSource instead.`;
  static override examples = ['<%= config.bin %> migrate', '<%= config.bin %> migrate --status', '<%= config.bin %> migrate --rollback'];
  static override flags = {
    status: Flags.boolean({ summary: 'List applied and pending migrations; change nothing.', exclusive: ['rollback'] }),
    rollback: Flags.boolean({ summary: 'Undo the last batch of toolkit migrations.' }),
  };

  public async run(): Promise<MigrateResult> {
    const db = await this.db();
    let applied: string[] = [];
    let rolledBack: string[] = [];
    if (this.flags.rollback) rolledBack = await migrateRollback(db);
    else if (!this.flags.status) applied = await migrateLatest(db);
    const status = await migrationStatus(db);
    const result = { applied, rolledBack, pending: status.pending };
    if (this.flags.status) {
      for (const name of status.applied) this.log(`applied  ${name}`);
      for (const name of status.pending) this.log(`pending  ${name}`);
      if (!status.applied.length && !status.pending.length) this.log('no toolkit migrations');
    } else if (this.flags.rollback) {
      this.log(rolledBack.length ? `rolled back ${rolledBack.join(', ')}` : 'nothing to roll back');
    } else {
      this.log(applied.length ? `applied ${applied.join(', ')}` : 'already up to date');
    }
    return result;
  }
}
