import { Args } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { indexStatus, type IndexStatus } from '../src/indexes/index-status.js';

/** Exit code of `search status` when any index is missing or its mapping drifted, so CI can gate on it. */
export const DRIFT_EXIT_CODE = 3;
/** Exit code of `search status` when no mapping drifted but some index's documents and rows differ in number. */
export const COUNT_EXIT_CODE = 4;

export default class Status extends SearchCommand<typeof Status> {
  static override summary = 'Show whether indexes exist, their documents against rows, and mapping drift.';
  static override description = `Per index: whether it exists, its alias and concrete index, documents in the index against rows in the models' querysets, and the mapping drift between the hash in the index _meta and the mapping file: in sync, additive (apply with search update-mapping) or breaking (needs search rebuild-index). When the numbers of documents and rows differ it says by how much and what to run.

Exit codes: 0 when every index exists, its mapping is in sync and its documents match its rows; 3 when any index is missing or its mapping drifted; 4 when no mapping drifted but documents and rows differ in number (rows not indexed yet: update-index or the sync worker; documents of deleted rows: prune-index). A count taken while writes are under way may differ briefly.`;
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status blog --json'];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (default: every configured index).' }) };

  public async run(): Promise<{ indexes: IndexStatus[]; drifted: boolean; countsDiffer: boolean }> {
    const indexes: IndexStatus[] = [];
    for (const name of this.indexNames()) indexes.push(await indexStatus(this.project, name));
    const drifted = indexes.some((s) => s.drifted);
    const countsDiffer = indexes.some((s) => s.difference !== undefined && s.difference !== 0);
    if (!this.jsonEnabled()) for (const s of indexes) this.print(s);
    if (drifted || countsDiffer) {
      if (this.jsonEnabled()) this.logJson({ indexes, drifted, countsDiffer });
      this.exit(drifted ? DRIFT_EXIT_CODE : COUNT_EXIT_CODE);
    }
    return { indexes, drifted, countsDiffer };
  }

  private print(s: IndexStatus): void {
    if (!s.exists) {
      this.log(`${s.index}: missing (${s.rows} rows waiting); run search create-index ${s.index}`);
      return;
    }
    const behind = s.kind === 'alias' ? `alias of ${s.concrete.join(', ')}` : 'plain index (rebuild-index migrates it to an alias)';
    this.log(`${s.index}: ${behind}`);
    this.log(`  documents ${s.documents} / rows ${s.rows}${s.models.length > 1 ? ` (${s.models.map((m) => `${m.model} ${m.rows}`).join(', ')})` : ''}`);
    const d = s.difference ?? 0;
    if (d < 0) this.log(`  counts    differ: ${-d} row${d === -1 ? '' : 's'} not in the index; run search update-index ${s.index} (or let search sync catch up)`);
    if (d > 0) this.log(`  counts    differ: ${d} document${d === 1 ? '' : 's'} more than rows; run search prune-index ${s.index}`);
    const advice = { 'in-sync': '', additive: '; apply with search update-mapping', breaking: '; needs search rebuild-index', unknown: '', missing: '' }[s.mapping.drift];
    this.log(`  mapping   ${s.mapping.drift}${advice}`);
    for (const change of s.mapping.changes) this.log(`    ${change}`);
    if (s.rebuild) this.log(`  rebuild into ${s.rebuild.target} under way since ${s.rebuild.startedAt} (${s.rebuild.owner})`);
  }
}
