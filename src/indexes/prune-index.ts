import type { SearchSide as Client } from '../client/search-side.js';
import type { Knex } from 'knex';
import { LifecycleError } from '../errors.js';
import type { RegisteredModel } from '../models/model-registry.js';
import type { Row } from '../models/search-model.js';
import type { Project } from '../project.js';
import { BulkWriter, groupFailures, type FailureGroup } from './bulk-writer.js';
import { indexState } from './index-state.js';
import { querysetOf } from './keyset-reader.js';
import { resolveWriteTargets } from './write-targets.js';

export interface PruneIndexOptions {
  /** List what would go; delete nothing. */
  dryRun?: boolean;
  /** Document ids per page of the walk (default 1000). */
  pageSize?: number;
  /** Only these concrete indexes (a rebuild prunes its target before the swap). */
  concrete?: string;
  onProgress?: (progress: { index: string; checked: number; stale: number }) => void;
}

export interface PruneIndexResult {
  index: string;
  /** Documents looked at. */
  checked: number;
  /** Documents whose rows no longer belong to any claiming model's queryset. */
  stale: number;
  deleted: number;
  /** Documents no model of the index claims (their ids parse for none): left alone. */
  foreign: number;
  /** Ids of the stale documents (all of them with dryRun). */
  staleIds: string[];
  failures: FailureGroup[];
}

const INTEGER = /^-?\d{1,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Removes documents whose rows no longer belong in the index, without one SELECT per
 * document: the index's ids are walked with a point-in-time and search_after in pages, and
 * each page is checked against each model with one query (`where key in (...)`). With
 * several models in one index, each model answers only for the ids it claims
 * (parseSearchDocumentId); a document is kept when any claiming model still has its row.
 */
export async function pruneIndex(project: Project, name: string, options: PruneIndexOptions = {}): Promise<PruneIndexResult> {
  const client = await project.clients.forIndex(name);
  const state = await indexState(client, name);
  if (state.kind === 'missing') throw new LifecycleError('INDEX_NOT_FOUND', `index "${name}" does not exist`);
  const models = project.registry.modelsFor(name);
  for (const m of models) {
    if (m.model.searchDocumentId && !m.model.parseSearchDocumentId) {
      throw new LifecycleError('ARGUMENT_INVALID', `model ${m.name} of index "${name}" gives searchDocumentId but no parseSearchDocumentId, so prune cannot tell which row a document stands for; add parseSearchDocumentId(id) to the model`, { exitCode: 2 });
    }
  }
  const db = await project.db();
  const keyKinds = new Map<RegisteredModel, string | undefined>();
  for (const m of models) keyKinds.set(m, await keyKind(db, m, name));
  const deleteTargets = options.concrete ? [options.concrete] : await resolveWriteTargets(client, name);
  const settings = project.config.settings;
  const writer = new BulkWriter({ client, chunkSize: settings.chunkSize, chunkBytes: settings.chunkBytes, concurrency: settings.concurrency, maxRetries: settings.maxRetries, tolerate: (op, status) => op === 'delete' && status === 404 });
  const result: PruneIndexResult = { index: name, checked: 0, stale: 0, deleted: 0, foreign: 0, staleIds: [], failures: [] };

  // The walk sees what was written up to now, not up to the last scheduled refresh.
  await client.indices.refresh({ index: options.concrete ?? name });
  for await (const ids of walkIds(client, options.concrete ?? name, options.pageSize ?? 1000)) {
    result.checked += ids.length;
    const claimed = new Set<string>();
    const present = new Set<string>();
    for (const model of models) {
      const keys = new Map<string, string | number>();
      for (const id of ids) {
        const key = model.model.parseSearchDocumentId ? model.model.parseSearchDocumentId(id) : id;
        if (key === undefined) continue;
        claimed.add(id);
        if (keyFits(String(key), keyKinds.get(model))) keys.set(id, key);
      }
      // An empty queryset has no key type to read, and no rows: every id it claims is stale.
      if (keys.size === 0 || keyKinds.get(model) === undefined) continue;
      const rows = (await querysetOf(db, model, name).whereIn(model.keys.keyColumn, [...new Set(keys.values())])) as Row[];
      for (const row of rows) present.add(model.keys.documentId(row));
    }
    result.foreign += ids.filter((id) => !claimed.has(id)).length;
    const stale = ids.filter((id) => claimed.has(id) && !present.has(id));
    result.stale += stale.length;
    result.staleIds.push(...stale);
    if (!options.dryRun) for (const id of stale) for (const target of deleteTargets) await writer.add('delete', { index: target, id });
    options.onProgress?.({ index: name, checked: result.checked, stale: result.stale });
  }
  await writer.flush();
  if (!options.dryRun && result.stale > 0) await client.indices.refresh({ index: deleteTargets.join(',') });
  result.deleted = options.dryRun ? 0 : Math.round((writer.stats.succeeded + writer.stats.tolerated) / Math.max(1, deleteTargets.length));
  result.failures = groupFailures(writer.failures);
  return result;
}

/** The SQL type of the model's key (one query), so ids that cannot be keys are not sent as such. */
async function keyKind(db: Knex, model: RegisteredModel, index: string): Promise<string | undefined> {
  const inner = querysetOf(db, model, index).limit(1).as('q');
  const row = (await db.select(db.raw('pg_typeof(q.??)::text as kind', [model.keys.keyProperty])).from(inner).first()) as { kind?: string } | undefined;
  return row?.kind;
}

function keyFits(key: string, kind: string | undefined): boolean {
  switch (kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return INTEGER.test(key);
    case 'uuid':
      return UUID.test(key);
    case 'numeric':
    case 'real':
    case 'double precision':
      return NUMERIC.test(key);
    default:
      return true;
  }
}

/** Every document id of an index, a page at a time, from a point-in-time (a stable view). */
async function* walkIds(client: Client, index: string, pageSize: number): AsyncGenerator<string[]> {
  const pit = await client.openPointInTime({ index, keep_alive: '2m' });
  let pitId = pit.id;
  try {
    let searchAfter: unknown[] | undefined;
    for (;;) {
      const page = await client.search({
        size: pageSize,
        _source: false,
        track_total_hits: false,
        pit: { id: pitId, keep_alive: '2m' },
        sort: [{ _shard_doc: 'asc' }],
        ...(searchAfter ? { search_after: searchAfter as never } : {}),
      });
      pitId = page.pit_id ?? pitId;
      const hits = page.hits.hits;
      if (hits.length === 0) return;
      yield hits.map((h) => h._id!);
      searchAfter = hits[hits.length - 1]!.sort as unknown[];
      if (hits.length < pageSize) return;
    }
  } finally {
    await client.closePointInTime({ id: pitId }).catch(() => undefined);
  }
}
