import { Args } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { embeddedFolders, type EmbeddedFolderStatus } from '../src/client/embedded-client.js';
import type { ServerInfo } from '../src/client/search-side.js';
import { describeServer } from '../src/client/server-probe.js';
import { describeRed } from '../src/indexes/index-health.js';
import { indexStatus, type IndexStatus } from '../src/indexes/index-status.js';

/** Exit code of `search status` when any index is missing or its mapping drifted, so CI can gate on it. */
export const DRIFT_EXIT_CODE = 3;
/** Exit code of `search status` when no mapping drifted but some index's documents and rows differ in number. */
export const COUNT_EXIT_CODE = 4;
/** Exit code of `search status` when an index is red: its shards are not allocated, so it can be neither searched nor written. */
export const RED_EXIT_CODE = 5;

export default class Status extends SearchCommand<typeof Status> {
  static override summary = 'Show whether indexes exist, their documents against rows, and mapping drift.';
  static override description = `Per index: whether it exists, its alias and concrete index, documents in the index against rows in the models' querysets, and the mapping drift between the hash in the index _meta and the mapping file: in sync, additive (apply with search update-mapping) or breaking (needs search rebuild-index). When the numbers of documents and rows differ it says by how much and what to run.

An index whose shards are not allocated (health red: the embedded engine could not open it, e.g. a stopwords, synonyms or hunspell file its analysis reads was removed from the config directory) is reported with the cause; the other indexes are reported as usual.

Exit codes: 0 when every index exists, its mapping is in sync and its documents match its rows; 5 when any index is red; 3 when any index is missing or its mapping drifted; 4 when no mapping drifted but documents and rows differ in number (rows not indexed yet: update-index or the sync worker; documents of deleted rows: prune-index). A count taken while writes are under way may differ briefly.`;
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status blog --json'];
  static override strict = false;
  static override args = { index: Args.string({ description: 'Index names (default: every configured index).' }) };

  public async run(): Promise<{ indexes: IndexStatus[]; drifted: boolean; countsDiffer: boolean; red: boolean; embedded: EmbeddedFolderStatus[]; servers: Record<string, ServerInfo> }> {
    // Who holds each embedded folder, read before this command itself uses (and maybe takes) it.
    const embedded = await embeddedFolders(this.project.config);
    if (!this.jsonEnabled()) for (const folder of embedded) this.log(describeFolder(folder));
    const servers = await this.servers();
    const indexes: IndexStatus[] = [];
    for (const name of this.indexNames()) indexes.push(await indexStatus(this.project, name));
    const drifted = indexes.some((s) => s.drifted);
    const countsDiffer = indexes.some((s) => s.difference !== undefined && s.difference !== 0);
    const red = indexes.some((s) => (s.red?.length ?? 0) > 0);
    if (!this.jsonEnabled()) for (const s of indexes) this.print(s);
    if (drifted || countsDiffer || red) {
      if (this.jsonEnabled()) this.logJson({ indexes, drifted, countsDiffer, red, embedded, servers });
      this.exit(red ? RED_EXIT_CODE : drifted ? DRIFT_EXIT_CODE : COUNT_EXIT_CODE);
    }
    return { indexes, drifted, countsDiffer, red, embedded, servers };
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
    for (const red of s.red ?? []) {
      this.log(`  RED       ${describeRed(red)}`);
      this.log('            it can be neither searched nor written; restore what the cause names, then run POST /<index>/_close and /<index>/_open (or POST /_cluster/reroute?retry_failed&metric=none), or restart the engine');
    }
    this.log(`  documents ${s.documents ?? 'unknown (red)'} / rows ${s.rows}${s.models.length > 1 ? ` (${s.models.map((m) => `${m.model} ${m.rows}`).join(', ')})` : ''}`);
    const d = s.difference ?? 0;
    if (d < 0) this.log(`  counts    differ: ${-d} row${d === -1 ? '' : 's'} not in the index; run search update-index ${s.index} (or let search sync catch up)`);
    if (d > 0) this.log(`  counts    differ: ${d} document${d === 1 ? '' : 's'} more than rows; run search prune-index ${s.index}`);
    const advice = { 'in-sync': '', additive: '; apply with search update-mapping', breaking: '; needs search rebuild-index', unknown: '', missing: '' }[s.mapping.drift];
    this.log(`  mapping   ${s.mapping.drift}${advice}`);
    for (const change of s.mapping.changes) this.log(`    ${change}`);
    if (s.rebuild) this.log(`  rebuild into ${s.rebuild.target} under way since ${s.rebuild.startedAt} (${s.rebuild.owner})`);
  }
}

/** `engine: .search/engine held by process 4242 (search sync, since ...)` — who serves an embedded folder to the others. */
function describeFolder(folder: EmbeddedFolderStatus): string {
  const h = folder.holder;
  const where = `engine: embedded folder ${folder.dir}`;
  if (!h || h.state !== 'alive') return `${where} not held by any process (the first process to use it holds it)`;
  return `${where} held by ${h.self ? 'this process' : `process ${h.pid}`}${h.host ? ` on ${h.host}` : ''} (${h.command}, since ${h.since}); other processes go through it${h.endpoint ? ` (${h.endpoint})` : ''}`;
}
