import { SearchCommand } from '../../src/cli/base-command.js';
import { installSync, type InstallResult } from '../../src/sync/change-capture.js';

export default class SyncInstall extends SearchCommand<typeof SyncInstall> {
  static override summary = 'Install the change-capture triggers that fill the sync outbox.';
  static override description = `Runs the toolkit migrations (the outbox table), then creates or replaces one trigger per model table and per related table of settings.sync.related, so that every insert, update and delete, bulk and raw SQL included, writes an outbox row in its own transaction. Before installing anything it checks every table, column and key the models and settings.sync.related name against the database (and plans each related select without running it): a wrong name exits 2 naming the entry, its file and line and the columns that exist, and nothing is installed. A model without \`table\` cannot be captured: it is named with what to add, and when no model has a table the command exits 2. Idempotent: run it again after changing the settings; triggers of tables no longer named are removed.`;
  static override examples = ['<%= config.bin %> sync install'];

  public async run(): Promise<InstallResult> {
    const result = await installSync(this.project);
    if (!this.jsonEnabled()) {
      for (const t of result.installed) {
        const what = [t.models.length ? `rows of ${t.models.join(', ')}` : '', t.relatedTo.length ? `related to ${t.relatedTo.join(', ')}` : ''].filter(Boolean).join('; ');
        this.log(`${t.changed ? 'installed' : 'unchanged'}  ${t.table} (${what})`);
      }
      for (const table of result.removed) this.log(`removed    ${table}`);
      for (const warning of result.warnings) this.logToStderr(`warning: ${warning}`);
    }
    return result;
  }
}
