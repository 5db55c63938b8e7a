import { Args } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { describeServer } from '../src/client/server-probe.js';
import type { ServerInfo } from '../src/client/search-side.js';
import { indexStatus, type IndexStatus } from '../src/indexes/index-status.js';

/** Exit code of `search status` when any index is missing or its mapping drifted, so CI can gate on it. */
export const DRIFT_EXIT_CODE = 3;

export default class Status extends SearchCommand<typeof Status> {
  static override summary = 'Show whether indexes exist, their documents against rows, and mapping drift.';
  static override description = `Per index: whether it exists, its alias and concrete index, documents in the index against rows in the models' querysets, and the mapping drift between the hash in the index _meta and the mapping file: in sync, additive (apply with search update-mapping) or breaking (needs search rebuild-index). Exits 3 when any index is missing or has drifted.`;
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status blog --json'];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (default: every configured index).' }) };

  public async run(): Promise<{ indexes: IndexStatus[]; drifted: boolean; servers: Record<string, ServerInfo> }> {
    const servers = await this.servers();
    const indexes: IndexStatus[] = [];
    for (const name of this.indexNames()) indexes.push(await indexStatus(this.project, name));
    const drifted = indexes.some((s) => s.drifted);
    if (!this.jsonEnabled()) for (const s of indexes) this.print(s);
    if (drifted) {
      if (this.jsonEnabled()) this.logJson({ indexes, drifted, servers });
      this.exit(DRIFT_EXIT_CODE);
    }
    return { indexes, drifted, servers };
  }

  /** The product and version of each connection the indexes use (printed first); one that cannot be reached is left to the index lines to report. */
  private async servers(): Promise<Record<string, ServerInfo>> {
    const out: Record<string, ServerInfo> = {};
    for (const name of new Set(this.indexNames().map((index) => this.settings.indexes[index]!.connection))) {
      try {
        out[name] = await (await this.client(name)).info();
      } catch {
        continue;
      }
      if (!this.jsonEnabled()) this.log(`search side ${name}: ${describeServer(out[name])}`);
    }
    return out;
  }

  private print(s: IndexStatus): void {
    if (!s.exists) {
      this.log(`${s.index}: missing (${s.rows} rows waiting); run search create-index ${s.index}`);
      return;
    }
    const behind = s.kind === 'alias' ? `alias of ${s.concrete.join(', ')}` : 'plain index (rebuild-index migrates it to an alias)';
    this.log(`${s.index}: ${behind}`);
    this.log(`  documents ${s.documents} / rows ${s.rows}${s.models.length > 1 ? ` (${s.models.map((m) => `${m.model} ${m.rows}`).join(', ')})` : ''}${s.documents === s.rows ? '' : `  (${(s.documents ?? 0) - s.rows > 0 ? '+' : ''}${(s.documents ?? 0) - s.rows})`}`);
    const advice = { 'in-sync': '', additive: '; apply with search update-mapping', breaking: '; needs search rebuild-index', unknown: '', missing: '' }[s.mapping.drift];
    this.log(`  mapping   ${s.mapping.drift}${advice}`);
    for (const change of s.mapping.changes) this.log(`    ${change}`);
    if (s.rebuild) this.log(`  rebuild into ${s.rebuild.target} under way since ${s.rebuild.startedAt} (${s.rebuild.owner})`);
  }
}
