import { SearchCommand } from '../../src/cli/base-command.js';
import { uninstallSync } from '../../src/sync/change-capture.js';

export default class SyncUninstall extends SearchCommand<typeof SyncUninstall> {
  static override summary = 'Remove the change-capture triggers.';
  static override description = 'Drops every trigger and trigger function that search sync install created. The outbox and the entries in it stay, so a later install and worker lose nothing already captured.';
  static override examples = ['<%= config.bin %> sync uninstall'];

  public async run(): Promise<{ removed: string[] }> {
    const result = await uninstallSync(this.project);
    if (!this.jsonEnabled()) this.log(result.removed.length ? `removed triggers from ${result.removed.join(', ')}` : 'no triggers installed');
    return result;
  }
}
