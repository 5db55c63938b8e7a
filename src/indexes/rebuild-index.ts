import { hostname } from 'node:os';
import type { SearchSide as Client } from '../client/search-side.js';
import { LifecycleError } from '../errors.js';
import type { Project } from '../project.js';
import { sleep } from '../client/retry.js';
import { createConcreteIndex, mappingOf } from './create-index.js';
import { flattenSettings } from './mapping-drift.js';
import type { IndexkitMeta, RebuildMarker } from './index-meta.js';
import { concreteIndexName } from './index-naming.js';
import { indexState, updateMeta, type IndexState } from './index-state.js';
import { pruneIndex, type PruneIndexResult } from './prune-index.js';
import { updateIndex, type UpdateIndexResult, type UpdateProgress } from './update-index.js';
import { WRITE_TARGETS_TTL_MS, isLiveMarker } from './write-targets.js';

export interface RebuildIndexOptions {
  /** Keep the previous concrete index (its alias is moved; the index stays). */
  keepOld?: boolean;
  /** Take over from a rebuild that looks alive (its marker still has a fresh heartbeat). */
  force?: boolean;
  /** Swap even when some documents failed to index. */
  ignoreFailures?: boolean;
  onProgress?: (progress: UpdateProgress) => void;
  /** Called at each step, for the CLI's log. */
  onStep?: (step: string) => void;
  /**
   * Called once the new index is filled, pruned and searchable, before the alias moves (the
   * relevance gate of `--evaluate`). Throwing stops the rebuild with the alias where it was; an
   * error with `keepTarget: true` leaves the new index in place for inspection.
   */
  beforeSwap?: (rebuild: { index: string; target: string; previous: string[] }) => Promise<void>;
  /** Aborting stops the fill at its next page; the new index is removed and the alias stays where it was (LifecycleError INTERRUPTED). */
  signal?: AbortSignal;
}

export interface RebuildIndexResult {
  index: string;
  previous: string[];
  target: string;
  fill: UpdateIndexResult;
  prune: PruneIndexResult;
  deletedOld: string[];
  migratedFromPlainIndex: boolean;
  seconds: number;
}

const HEARTBEAT_MS = 10_000;

/**
 * Zero-downtime rebuild. Users keep querying the alias `<name>` while a new concrete index
 * `<name>-<timestamp>` is created and filled; then the alias moves in one atomic `_aliases`
 * call and the old index is deleted.
 *
 * Writes made during the rebuild are not lost: a marker in the live index's `_meta` names the
 * new index, and every indexkit writer (WriteTargets) sends its writes to both indexes while
 * the marker is there. The rebuild waits until writers have seen the marker before it reads
 * rows, fills with `op_type: create` (a document a writer already put there is newer than the
 * row read for it, and is left alone), then prunes the new index of documents whose rows were
 * deleted while the fill ran, then swaps. A second rebuild of the same index is refused while
 * the marker's heartbeat is fresh.
 */
export async function rebuildIndex(project: Project, name: string, options: RebuildIndexOptions = {}): Promise<RebuildIndexResult> {
  const started = performance.now();
  const step = options.onStep ?? (() => undefined);
  const client = await project.clients.forIndex(name);
  const mapping = mappingOf(project, name);
  const state = await indexState(client, name);
  const marker = state.meta?.rebuild;
  if (isLiveMarker(marker) && !options.force) {
    throw new LifecycleError('REBUILD_IN_PROGRESS', `index "${name}" is already being rebuilt into ${marker.target} (started ${marker.startedAt} by ${marker.owner}); wait for it, or pass --force if that rebuild is dead`);
  }
  if (marker && marker.target !== state.writeIndex) {
    step(`removing ${marker.target}, left by an earlier rebuild that did not finish`);
    await client.indices.delete({ index: marker.target, ignore_unavailable: true });
  }

  const target = concreteIndexName(name);
  const fillSettings = { 'index.refresh_interval': '-1', 'index.number_of_replicas': 0 };
  step(`creating ${target}`);
  await createConcreteIndex(client, mapping, name, target, { settings: fillSettings, aliases: {} });

  let heartbeat: NodeJS.Timeout | undefined;
  try {
    if (state.writeIndex) {
      const mine = await setMarker(client, state.writeIndex, name, target);
      heartbeat = setInterval(() => void setMarker(client, state.writeIndex!, name, target, mine.startedAt).catch(() => undefined), HEARTBEAT_MS);
      heartbeat.unref();
      // Writers cache their targets for WRITE_TARGETS_TTL_MS: after this, every write goes to both indexes.
      await sleep(WRITE_TARGETS_TTL_MS + 250);
      const now = await indexState(client, name);
      if (now.meta?.rebuild?.target !== target) {
        throw new LifecycleError('REBUILD_IN_PROGRESS', `another rebuild of "${name}" started at the same time (into ${now.meta?.rebuild?.target ?? 'an unknown index'}); this one stops`);
      }
    }

    step(`filling ${target}`);
    const fill = await updateIndex(project, name, { target, operation: 'create', onProgress: options.onProgress, signal: options.signal });
    if (fill.interrupted || options.signal?.aborted) throw new LifecycleError('INTERRUPTED', `interrupted while filling ${target}; ${name} is unchanged, run rebuild-index again`);
    if (fill.failed > 0 && !options.ignoreFailures) {
      throw new LifecycleError('BULK_FAILED', `${fill.failed} document(s) failed to index into ${target}; the alias was not moved (pass --ignore-failures to swap anyway)`, { cause: fill });
    }
    await client.indices.refresh({ index: target });
    step(`pruning ${target} of rows deleted during the fill`);
    const prune = await pruneIndex(project, name, { concrete: target });

    step('restoring refresh interval and replicas');
    await restoreSettings(client, target, mapping.body.settings ?? {});
    await client.indices.refresh({ index: target });

    if (options.beforeSwap) await options.beforeSwap({ index: name, target, previous: state.concrete });
    step(`moving alias ${name} to ${target}`);
    const migratedFromPlainIndex = state.kind === 'plain';
    await swapAlias(client, name, target, state, mapping.body.aliases ?? {});
    clearInterval(heartbeat);

    let deletedOld: string[] = [];
    if (state.kind === 'alias') {
      if (options.keepOld) await Promise.all(state.concrete.map((index) => clearMarker(client, index)));
      else {
        deletedOld = state.concrete;
        step(`deleting ${deletedOld.join(', ')}`);
        await client.indices.delete({ index: deletedOld.join(','), ignore_unavailable: true });
      }
    } else if (migratedFromPlainIndex) {
      deletedOld = [name];
    }
    return { index: name, previous: state.concrete, target, fill, prune, deletedOld, migratedFromPlainIndex, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    clearInterval(heartbeat);
    if ((error as { keepTarget?: unknown })?.keepTarget === true) step(`rebuild stopped: ${name} is unchanged; ${target} is kept for inspection`);
    else {
      step(`rebuild failed: removing ${target}; ${name} is unchanged`);
      await client.indices.delete({ index: target, ignore_unavailable: true }).catch(() => undefined);
    }
    if (state.writeIndex) await clearMarker(client, state.writeIndex, target).catch(() => undefined);
    throw error;
  }
}

async function setMarker(client: Client, index: string, alias: string, target: string, startedAt = new Date().toISOString()): Promise<RebuildMarker> {
  const marker: RebuildMarker = { target, startedAt, heartbeatAt: new Date().toISOString(), owner: `${hostname()}:${process.pid}` };
  await updateMeta(client, index, (meta) => ({ ...(meta ?? foreignMeta(alias)), rebuild: marker }));
  return marker;
}

/** Removes the marker (only ours, when `target` is given). */
async function clearMarker(client: Client, index: string, target?: string): Promise<void> {
  await updateMeta(client, index, (meta) => {
    const { rebuild, ...rest } = meta ?? foreignMeta('');
    return target && rebuild?.target !== target ? { ...rest, ...(rebuild ? { rebuild } : {}) } : rest;
  });
}

/** indexkit's `_meta` for an index it did not create (a plain index being migrated). */
function foreignMeta(alias: string): IndexkitMeta {
  return { mappingHash: '', mapping: { mappings: {} }, version: '', createdAt: '', alias };
}

/** Puts back the refresh interval and replicas of the mapping file (or Elasticsearch's defaults). */
async function restoreSettings(client: Client, index: string, fileSettings: Record<string, unknown>): Promise<void> {
  const flat = flattenSettings(fileSettings);
  // null puts a setting back to Elasticsearch's default.
  const body = { index: { refresh_interval: flat.refresh_interval ?? null, number_of_replicas: flat.number_of_replicas ?? null } };
  await client.transport.request({ method: 'PUT', path: `/${encodeURIComponent(index)}/_settings`, body });
}

/** One atomic `_aliases` call: the alias (and the mapping file's other aliases) to `target`, away from the old indexes. */
async function swapAlias(client: Client, name: string, target: string, state: IndexState, extraAliases: Record<string, Record<string, unknown>>): Promise<void> {
  const actions: Array<Record<string, unknown>> = [{ add: { index: target, alias: name, is_write_index: true } }];
  for (const [alias, options] of Object.entries(extraAliases)) actions.push({ add: { index: target, alias, ...options } });
  if (state.kind === 'alias') for (const index of state.concrete) actions.push({ remove: { index, alias: name } });
  if (state.kind === 'plain') actions.push({ remove_index: { index: name } });
  await client.indices.updateAliases({ actions: actions as never });
}
