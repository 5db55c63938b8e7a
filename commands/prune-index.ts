import { Args, Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { printFailures } from '../src/cli/print-failures.js';
import { Progress } from '../src/cli/progress.js';
import { EXIT } from '../src/errors.js';
import { pruneIndex, type PruneIndexResult } from '../src/indexes/prune-index.js';

export default class PruneIndex extends SearchCommand<typeof PruneIndex> {
  static override summary = 'Remove documents whose rows no longer belong in the index.';
  static override description = `Walks the index ids with a point-in-time in pages and checks each page against each model's queryset with one query, so a million documents cost a thousand queries, not a million. With several models in one index each model answers for its own documents. --dry-run lists what would go.`;
  static override examples = ['<%= config.bin %> prune-index', '<%= config.bin %> prune-index blog --dry-run'];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (default: every configured index).' }) };
  static override flags = { 'dry-run': Flags.boolean({ summary: 'List what would be removed; remove nothing.' }) };

  public async run(): Promise<{ indexes: PruneIndexResult[] }> {
    const progress = new Progress(this.interactive);
    const indexes: PruneIndexResult[] = [];
    for (const name of this.indexNames()) {
      const result = await pruneIndex(this.project, name, {
        dryRun: this.flags['dry-run'],
        onProgress: (p) => progress.update(`${p.index} checked`, p.checked, p.checked, `stale ${p.stale}`),
      });
      progress.stop();
      indexes.push(result);
      if (this.flags['dry-run']) {
        this.log(`${name}: ${result.stale} of ${result.checked} documents would be removed${result.stale ? `: ${result.staleIds.join(', ')}` : ''}`);
      } else {
        this.log(`${name}: removed ${result.deleted} of ${result.checked} documents${result.foreign ? ` (${result.foreign} belong to no model and were left alone)` : ''}`);
      }
      if (!this.jsonEnabled()) printFailures(result.failures, (line) => this.logToStderr(line));
    }
    if (indexes.some((r) => r.failures.length > 0)) {
      if (this.jsonEnabled()) this.logJson({ indexes });
      this.exit(EXIT.failure);
    }
    return { indexes };
  }
}
