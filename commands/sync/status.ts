import { Flags } from '@oclif/core';
import { SearchCommand } from '../../src/cli/base-command.js';
import { syncStatus, type SyncStatus } from '../../src/sync/outbox-status.js';

const seconds = (s: number | null) => (s === null ? '-' : s < 120 ? `${s.toFixed(1)}s` : `${Math.round(s / 60)}m`);

export default class SyncStatusCommand extends SearchCommand<typeof SyncStatusCommand> {
  static override summary = 'Show the sync outbox: pending, in flight, dead, oldest age, lag.';
  static override description = 'Counts the outbox entries by state, the age of the oldest entry and the lag (age of the oldest entry not yet sent), and lists the most recent dead entries with their errors. Exits 1 when there are dead entries.';
  static override examples = ['<%= config.bin %> sync status', '<%= config.bin %> sync status --json'];
  static override flags = {
    dead: Flags.integer({ summary: 'How many dead entries to list.', default: 10, min: 0 }),
  };

  public async run(): Promise<SyncStatus> {
    const status = await syncStatus(await this.db(), { deadLimit: this.flags.dead });
    if (!this.jsonEnabled()) {
      this.log(`pending    ${status.pending}${status.waitingRetry ? ` (${status.waitingRetry} waiting to retry)` : ''}`);
      this.log(`in flight  ${status.inFlight}`);
      this.log(`dead       ${status.dead}`);
      this.log(`oldest     ${seconds(status.oldestAgeSeconds)}`);
      this.log(`lag        ${seconds(status.lagSeconds)}`);
      for (const e of status.deadEntries) this.log(`dead ${e.id} ${e.source} ${e.key} after ${e.attempts} attempts: ${this.redactor.redact(e.lastError ?? '')}`);
    }
    if (status.dead > 0) process.exitCode = 1;
    return status;
  }
}
