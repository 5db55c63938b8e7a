import { Args, Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { printFailures } from '../src/cli/print-failures.js';
import { rebuildIndex, type RebuildIndexResult } from '../src/indexes/rebuild-index.js';
import { LifecycleError } from '../src/errors.js';

export default class RebuildIndex extends SearchCommand<typeof RebuildIndex> {
  static override summary = 'Rebuild indexes with zero downtime.';
  static override description = `Creates <index>-<timestamp> from the mapping file, fills it (refresh off, no replicas) while searches keep using the alias, then moves the alias in one atomic call and deletes the old index. Writes made during the rebuild go to both indexes, so none is lost. A plain index named <index> (from before indexkit's alias scheme) is migrated. A second rebuild of the same index is refused while one runs.`;
  static override examples = ['<%= config.bin %> rebuild-index blog', '<%= config.bin %> rebuild-index blog --keep-old'];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (default: every configured index).' }) };
  static override flags = {
    'keep-old': Flags.boolean({ summary: 'Keep the previous concrete index.' }),
    force: Flags.boolean({ summary: 'Take over from a rebuild that looks alive (use when it died).' }),
    'ignore-failures': Flags.boolean({ summary: 'Move the alias even if some documents failed to index.' }),
  };

  public async run(): Promise<{ indexes: RebuildIndexResult[] }> {
    const progress = this.newProgress();
    const signal = this.catchInterrupts();
    const indexes: RebuildIndexResult[] = [];
    for (const name of this.indexNames()) {
      try {
        const result = await rebuildIndex(this.project, name, {
          keepOld: this.flags['keep-old'],
          force: this.flags.force,
          ignoreFailures: this.flags['ignore-failures'],
          signal,
          onProgress: (p) => progress.update(`${p.index} ${p.model}`, p.done, p.total),
          onStep: (step) => {
            progress.stop();
            if (this.interactive) this.logToStderr(`${name}: ${step}`);
          },
        });
        progress.stop();
        indexes.push(result);
        this.log(
          `${name}: now ${result.target} (${result.fill.indexed} documents, ${result.prune.deleted} pruned, ${result.seconds.toFixed(1)}s)${result.migratedFromPlainIndex ? '; migrated from a plain index to the alias scheme' : ''}${result.deletedOld.length ? `; deleted ${result.deletedOld.join(', ')}` : ''}`,
        );
      } catch (error) {
        progress.stop();
        if (error instanceof LifecycleError && error.code === 'INTERRUPTED') throw this.interrupted(error.message.replace(/^interrupted /, ''));
        const fill = error instanceof LifecycleError ? (error.cause as { failures?: Parameters<typeof printFailures>[0] } | undefined) : undefined;
        if (fill?.failures && !this.jsonEnabled()) printFailures(fill.failures, (line) => this.logToStderr(line));
        throw error;
      }
    }
    return { indexes };
  }
}
