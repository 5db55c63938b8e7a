import { Flags } from '@oclif/core';
import { SearchCommand } from '../../src/cli/base-command.js';
import { retryDead } from '../../src/sync/outbox-status.js';

export default class SyncRetry extends SearchCommand<typeof SyncRetry> {
  static override summary = 'Re-queue dead outbox entries.';
  static override description = 'Puts the dead entries of the outbox (all, or of one table) back to pending with their attempts reset, for the worker to send again, typically after fixing the mapping or the model that made them fail.';
  static override examples = ['<%= config.bin %> sync retry', '<%= config.bin %> sync retry --table posts'];
  static override flags = {
    table: Flags.string({ summary: 'Only entries of this model table.' }),
  };

  public async run(): Promise<{ requeued: number }> {
    const result = await retryDead(await this.db(), { source: this.flags.table });
    if (!this.jsonEnabled()) this.log(`re-queued ${result.requeued} dead entr${result.requeued === 1 ? 'y' : 'ies'}`);
    return result;
  }
}
