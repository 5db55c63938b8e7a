import { Flags } from '@oclif/core';
import { SearchCommand } from '../../src/cli/base-command.js';
import { durationArgument } from '../../src/config/duration.js';
import { pruneQueries, readQueryLog } from '../../src/search/query-audit.js';

export interface QueriesPruneResult {
  deleted: number;
  before: string;
  dryRun: boolean;
}

export default class QueriesPrune extends SearchCommand<typeof QueriesPrune> {
  static override summary = 'Delete logged queries older than a retention period.';
  static override description = 'Deletes the query log rows executed more than --older-than ago (90d, 12h, 30m), optionally of one index, with the conversions recorded against them. Run it from a scheduler to keep the log to a retention period.';
  static override examples = ['<%= config.bin %> queries prune --older-than 90d', '<%= config.bin %> queries prune --older-than 30d --index blog --dry-run'];
  static override flags = {
    'older-than': Flags.string({ summary: 'Delete queries executed longer ago than this (90d, 12h, 30m).', required: true }),
    index: Flags.string({ summary: 'Only queries of this index.' }),
    'dry-run': Flags.boolean({ summary: 'Count what would be deleted; delete nothing.' }),
  };

  public async run(): Promise<QueriesPruneResult> {
    const before = new Date(Date.now() - durationArgument(this.flags['older-than'], '--older-than'));
    const db = await this.db();
    const deleted = await readQueryLog(() => pruneQueries(db, before, { index: this.flags.index, dryRun: this.flags['dry-run'] }));
    const dryRun = Boolean(this.flags['dry-run']);
    if (!this.jsonEnabled()) this.log(`${dryRun ? 'would delete' : 'deleted'} ${deleted} logged quer${deleted === 1 ? 'y' : 'ies'} executed before ${before.toISOString()}`);
    return { deleted, before: before.toISOString(), dryRun };
  }
}
