import { Args, Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { timeArgument } from '../src/config/duration.js';
import { EXIT } from '../src/errors.js';
import { updateIndex, type UpdateIndexResult } from '../src/indexes/update-index.js';
import { printFailures } from '../src/cli/print-failures.js';

export default class UpdateIndex extends SearchCommand<typeof UpdateIndex> {
  static override summary = 'Fill indexes from the database.';
  static override description = `Streams each model's queryset in keyset pages on its primary key, turns rows into documents and sends them in bulk requests capped by chunkSize actions and chunkBytes, with --concurrency requests in flight. Retryable failures (429, 502, 503, 504, connection errors) are retried with backoff; documents that finally fail are listed with their id, grouped by reason, and the command exits 1. --resume continues an interrupted run after the last acknowledged primary key. One run per index at a time: while another run's heartbeat (in the index _meta, every 10 s) is fresh, the command exits 1; --force takes over from a run that died (its marker goes stale after a minute).`;
  static override examples = [
    '<%= config.bin %> update-index',
    '<%= config.bin %> update-index blog --model Post',
    '<%= config.bin %> update-index blog --since 2h',
    '<%= config.bin %> update-index blog --since 2026-11-01T00:00:00Z',
    '<%= config.bin %> update-index blog --resume',
  ];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (default: every configured index).' }) };
  static override flags = {
    model: Flags.string({ char: 'm', summary: 'Only this model (repeatable).', multiple: true }),
    since: Flags.string({ summary: 'Only rows changed since a time (ISO timestamp) or a duration ago (2h, 7d).' }),
    resume: Flags.boolean({ summary: 'Continue an interrupted run after the last acknowledged primary key.' }),
    concurrency: Flags.integer({ summary: 'Bulk requests in flight (default: settings.concurrency).', min: 1, max: 64 }),
    'chunk-size': Flags.integer({ summary: 'Actions per bulk request (default: settings.chunkSize).', min: 1, max: 100000 }),
    force: Flags.boolean({ summary: 'Take over from another update-index run of the index that looks alive (use when it died).' }),
  };

  public async run(): Promise<{ indexes: UpdateIndexResult[]; indexed: number; failed: number }> {
    const since = this.flags.since === undefined ? undefined : timeArgument(this.flags.since, '--since');
    const progress = this.newProgress();
    const signal = this.catchInterrupts();
    const indexes: UpdateIndexResult[] = [];
    for (const name of this.indexNames()) {
      let current = '';
      const result = await updateIndex(this.project, name, {
        models: this.flags.model,
        since,
        resume: this.flags.resume,
        concurrency: this.flags.concurrency,
        chunkSize: this.flags['chunk-size'],
        signal,
        force: this.flags.force,
        onProgress: (p) => {
          if (p.model !== current) {
            current = p.model;
            progress.restart();
          }
          progress.update(`${p.index} ${p.model}`, p.done, p.total, p.failed ? `failed ${p.failed}` : '');
        },
      });
      progress.stop();
      indexes.push(result);
      if (result.interrupted) {
        const { model, afterKey } = result.interrupted;
        throw this.interrupted(`${afterKey === undefined ? 'before the first row' : `after key ${afterKey}`} of ${name} ${model} (${result.indexed} indexed); run again with --resume`);
      }
      for (const m of result.models) {
        if (m.alreadyDone) this.log(`${name} ${m.model}: the last run finished; nothing to resume`);
        else this.log(`${name} ${m.model}: ${m.indexed} indexed, ${m.failed} failed of ${m.rows} rows${m.resumedAfter !== undefined ? ` (resumed after key ${m.resumedAfter})` : ''}`);
      }
      this.log(`${name}: ${result.indexed} indexed, ${result.failed} failed in ${result.seconds.toFixed(1)}s (${Math.round(result.docsPerSecond)} docs/s${result.retries ? `, ${result.retries} retries` : ''})`);
      if (!this.jsonEnabled()) printFailures(result.failures, (line) => this.logToStderr(this.redactor.redact(line)));
    }
    const failed = indexes.reduce((n, r) => n + r.failed, 0);
    const summary = { indexes, indexed: indexes.reduce((n, r) => n + r.indexed, 0), failed };
    if (failed > 0) {
      if (this.jsonEnabled()) this.logJson(summary);
      this.exit(EXIT.failure);
    }
    return summary;
  }
}
