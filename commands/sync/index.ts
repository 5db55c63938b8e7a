import { Flags } from '@oclif/core';
import { SearchCommand } from '../../src/cli/base-command.js';
import { SYNC_MODES } from '../../src/config/settings-types.js';
import { EXIT } from '../../src/errors.js';
import { syncStatus } from '../../src/sync/outbox-status.js';
import { SyncWorker, type RunSummary } from '../../src/sync/sync-worker.js';

export default class Sync extends SearchCommand<typeof Sync> {
  static override summary = 'Run the outbox worker: send captured changes to the search side.';
  static override description = `Drains the sync outbox that the triggers of \`search sync install\` fill: claims batches (several workers may run), coalesces repeated changes of a row, reads the rows as they are now, sends them in bulk with the outbox sequence as external version, and removes entries only once the search side acknowledged them. Wakes on NOTIFY and polls (live, near-live) or runs a batch every settings.sync.intervalMs (periodic). Stops cleanly on SIGINT or SIGTERM (exit 0; with --once, 130 or 143 when stopped before the outbox was drained); a killed worker's entries go back to pending and are sent by the next one. A document the search side refuses for what it is (a 400 such as document_parsing_exception) is parked as dead at once; only retryable failures (429, 5xx, connection errors) back off and are tried again, up to settings.sync.maxAttempts.

Exit codes with --once: 0 when the outbox holds no failed or dead entries afterwards, 1 when it does (see search sync status, search sync retry).`;
  static override examples = ['<%= config.bin %> sync', '<%= config.bin %> sync --once', '<%= config.bin %> sync --mode periodic'];
  static override flags = {
    once: Flags.boolean({ summary: 'Drain what is available now and exit (cron-style).' }),
    mode: Flags.string({ summary: 'Override settings.sync.mode.', options: [...SYNC_MODES] }),
    'batch-size': Flags.integer({ summary: 'Override settings.sync.batchSize.', min: 1 }),
  };

  public async run(): Promise<RunSummary & { waitingRetry?: number; deadInOutbox?: number }> {
    const worker = new SyncWorker({
      project: this.project,
      settings: {
        ...(this.flags.mode ? { mode: this.flags.mode as (typeof SYNC_MODES)[number] } : {}),
        ...(this.flags['batch-size'] ? { batchSize: this.flags['batch-size'] } : {}),
      },
    });
    worker.events.on('warning', (w) => this.logToStderr(`warning: ${this.redactor.redact(w.message)}`));
    worker.events.on('dead', (d) => this.logToStderr(`warning: ${d.count} outbox entr${d.count === 1 ? 'y' : 'ies'} parked as dead: ${this.redactor.redact(d.error)}`));
    if (!this.flags.once && !this.jsonEnabled()) {
      worker.events.on('batch', (b) => this.log(`${new Date().toISOString()} ${b.rows} row(s) from ${b.claimed} entr${b.claimed === 1 ? 'y' : 'ies'}: ${b.sent} sent, ${b.removed} removed, ${b.failed} failed (${Math.round(b.durationMs)} ms)`));
    }
    // SIGINT or SIGTERM: the batch in flight finishes, then the worker stops. A long-running
    // worker stopping is its normal end (exit 0); `--once` stopped before it drained is interrupted.
    this.catchInterrupts().addEventListener('abort', () => worker.stop());
    const summary = await worker.run({ once: this.flags.once });
    if (!this.jsonEnabled()) this.log(`synced ${summary.rows} row(s) from ${summary.entries} outbox entr${summary.entries === 1 ? 'y' : 'ies'} in ${summary.batches} batch(es)${summary.failed ? `, ${summary.failed} failed` : ''}${summary.dead ? ` (${summary.dead} parked as dead)` : ''}`);
    if (!this.flags.once) return summary;
    if (this.wasInterrupted) throw this.interrupted(`after ${summary.entries} outbox entr${summary.entries === 1 ? 'y' : 'ies'}; the rest stays in the outbox, run search sync --once again`);
    // --once is for cron and CI: what it leaves behind decides the exit code.
    const left = await syncStatus(await this.db(), { deadLimit: 0 });
    const result = { ...summary, waitingRetry: left.waitingRetry, deadInOutbox: left.dead };
    if (left.waitingRetry > 0 || left.dead > 0) {
      const parts = [left.waitingRetry ? `${left.waitingRetry} failed entr${left.waitingRetry === 1 ? 'y waits' : 'ies wait'} for a retry` : '', left.dead ? `${left.dead} dead entr${left.dead === 1 ? 'y' : 'ies'} (search sync retry re-queues them)` : ''].filter(Boolean);
      if (this.jsonEnabled()) this.logJson(result);
      else this.logToStderr(`the outbox still holds ${parts.join(' and ')}; see search sync status`);
      this.exit(EXIT.failure);
    }
    return result;
  }
}
