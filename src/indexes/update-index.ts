import type { SearchSide as Client } from '../client/search-side.js';
import { LifecycleError } from '../errors.js';
import type { RegisteredModel } from '../models/model-registry.js';
import type { Row } from '../models/search-model.js';
import type { Project } from '../project.js';
import { BulkWriter, groupFailures, type BulkOperation, type FailureGroup } from './bulk-writer.js';
import type { Checkpoint } from './index-meta.js';
import type { IndexkitMeta } from './index-meta.js';
import { updateMeta } from './index-state.js';
import { UpdateLock } from './update-lock.js';
import { countRows, keysetPages } from './keyset-reader.js';
import { readQueryset } from '../models/queryset-error.js';
import { resolveWriteTargets } from './write-targets.js';

export interface UpdateProgress {
  index: string;
  model: string;
  done: number;
  total: number;
  failed: number;
}

export interface UpdateIndexOptions {
  /** Only these models (any spelling neverAutoSync accepts). */
  models?: readonly string[];
  /** Only rows changed at or after this time (models must name updatedAtColumn). */
  since?: Date;
  /** Continue each model after the last acknowledged primary key of an interrupted run. */
  resume?: boolean;
  concurrency?: number;
  chunkSize?: number;
  /** Write into this concrete index instead of the alias's write targets (rebuild fills). */
  target?: string;
  /** `create` leaves documents that are already there (newer writes during a rebuild). */
  operation?: Extract<BulkOperation, 'index' | 'create'>;
  onProgress?: (progress: UpdateProgress) => void;
  /** Milliseconds between checkpoint writes (default 2000). */
  checkpointIntervalMs?: number;
  /** Take over from another update-index run of the index that looks alive (its heartbeat is fresh). */
  force?: boolean;
  /** Stops at the next page once aborted: what was read is sent, the checkpoint saved (for --resume), and the result says where. */
  signal?: AbortSignal;
}

export interface ModelRunResult {
  model: string;
  rows: number;
  indexed: number;
  failed: number;
  /** Documents left alone because a newer one was already there (create during rebuild). */
  skipped: number;
  resumedAfter?: string | number;
  /** The previous run had finished: nothing to resume. */
  alreadyDone?: boolean;
  /** Stopped by the signal after this key (acknowledged and checkpointed: --resume continues after it). */
  interruptedAfter?: string | number;
}

export interface UpdateIndexResult {
  index: string;
  targets: string[];
  models: ModelRunResult[];
  indexed: number;
  failed: number;
  failures: FailureGroup[];
  retries: number;
  seconds: number;
  docsPerSecond: number;
  /** Set when the signal stopped the run: the model and the last key it acknowledged. */
  interrupted?: { model: string; afterKey?: string | number };
}

/**
 * Fills an index from its models: each queryset streamed in keyset pages, each row turned
 * into a document, documents sent in bulk requests capped by count and bytes with a few in
 * flight, retryable failures retried, every final failure kept with its id and reason.
 * Memory stays flat: one page of rows and `concurrency` requests at a time.
 */
export async function updateIndex(project: Project, name: string, options: UpdateIndexOptions = {}): Promise<UpdateIndexResult> {
  const started = performance.now();
  const client = await project.clients.forIndex(name);
  const targets = options.target ? [options.target] : await resolveWriteTargets(client, name);
  if (targets.length === 0) throw new LifecycleError('INDEX_NOT_FOUND', `index "${name}" does not exist; run search create-index ${name} first`);
  const models = selectModels(project, name, options.models);
  const settings = project.config.settings;
  const db = await project.db();
  const results: ModelRunResult[] = [];
  const failures = [];
  let retries = 0;
  // One run per index at a time (a rebuild's fill, with its target, is claimed by the rebuild).
  const lock = options.target ? undefined : await UpdateLock.acquire(client, name, targets[0]!, { force: options.force });
  const writeMeta = (index: string, change: (meta: IndexkitMeta | undefined) => IndexkitMeta) => (lock && lock.index === index ? lock.updateMeta(change) : updateMeta(client, index, change));
  let interrupted: UpdateIndexResult['interrupted'];
  try {
    for (const model of models) {
      if (options.signal?.aborted) {
        interrupted ??= { model: model.name };
        break;
      }
      if (options.since && !model.model.updatedAtColumn) {
        throw new LifecycleError('MODEL_NO_UPDATED_AT', `model ${model.name} of index "${name}" names no updatedAtColumn, so --since cannot tell which rows changed`, { exitCode: 2 });
      }
      // Checkpoints live in the `_meta` of the index being filled: no database writes (a read replica will do).
      const checkpointIndex = targets[0]!;
      const checkpointState = options.resume ? await readCheckpoint(client, checkpointIndex, model.name) : undefined;
      if (checkpointState?.done) {
        results.push({ model: model.name, rows: 0, indexed: 0, failed: 0, skipped: 0, alreadyDone: true });
        continue;
      }
      const after = options.resume ? checkpointState?.lastKey : undefined;
      const since = options.since ?? (options.resume && checkpointState?.since ? new Date(checkpointState.since) : undefined);
      const run = await runModel(client, db, model, {
        index: name,
        targets,
        after,
        since,
        settings: { ...settings, concurrency: options.concurrency ?? settings.concurrency, chunkSize: options.chunkSize ?? settings.chunkSize },
        operation: options.operation ?? 'index',
        onProgress: options.onProgress,
        checkpoint: { index: checkpointIndex, intervalMs: options.checkpointIntervalMs ?? 2000, writeMeta },
        signal: options.signal,
      });
      if (run.result.interruptedAfter !== undefined || options.signal?.aborted) interrupted = { model: model.name, afterKey: run.result.interruptedAfter ?? (after as string | number | undefined) };
      retries += run.writer.stats.retries;
      failures.push(...run.writer.failures, ...run.documentFailures);
      results.push({ ...run.result, ...(after !== undefined ? { resumedAfter: after } : {}) });
    }
  } finally {
    await lock?.release().catch(() => undefined);
  }

  // What was indexed is searchable (and counted) when the command returns; a rebuild fill refreshes once it is done.
  if (!options.target) await client.indices.refresh({ index: targets.join(',') });
  const seconds = (performance.now() - started) / 1000;
  const indexed = results.reduce((n, r) => n + r.indexed, 0);
  return {
    index: name,
    targets,
    models: results,
    indexed,
    failed: results.reduce((n, r) => n + r.failed, 0),
    failures: groupFailures(failures),
    retries,
    seconds,
    docsPerSecond: seconds > 0 ? indexed / seconds : 0,
    ...(interrupted ? { interrupted } : {}),
  };
}

export function selectModels(project: Project, index: string, names?: readonly string[]): RegisteredModel[] {
  const all = [...project.registry.modelsFor(index)];
  if (!names || names.length === 0) return all;
  const chosen = all.filter((m) => names.some((n) => project.registry.find(n) === m));
  const unknown = names.filter((n) => !all.includes(project.registry.find(n)!));
  if (unknown.length > 0) {
    throw new LifecycleError('ARGUMENT_INVALID', `--model ${unknown.join(', ')} names no model of index "${index}" (its models: ${all.map((m) => m.name).join(', ')})`, { exitCode: 2 });
  }
  return chosen;
}

async function readCheckpoint(client: Client, index: string, model: string): Promise<Checkpoint | undefined> {
  const response = (await client.indices.getMapping({ index })) as Record<string, { mappings?: { _meta?: { indexkit?: { checkpoints?: Record<string, Checkpoint> } } } }>;
  return Object.values(response)[0]?.mappings?._meta?.indexkit?.checkpoints?.[model];
}

interface RunModelOptions {
  index: string;
  targets: string[];
  after?: unknown;
  since?: Date;
  settings: Project['config']['settings'];
  operation: Extract<BulkOperation, 'index' | 'create'>;
  onProgress?: (progress: UpdateProgress) => void;
  checkpoint: { index: string; intervalMs: number; writeMeta: (index: string, change: (meta: IndexkitMeta | undefined) => IndexkitMeta) => Promise<IndexkitMeta> };
  signal?: AbortSignal;
}

async function runModel(client: Client, db: Awaited<ReturnType<Project['db']>>, model: RegisteredModel, options: RunModelOptions) {
  const total = await readQueryset(model, options.index, () => countRows(db, model, options.index, options.since));
  const { keyProperty } = model.keys;
  const runStartedAt = new Date().toISOString();
  let lastSaved = 0;
  let savedKey: unknown;
  const saveCheckpoint = async (key: unknown, done: boolean, counts: { indexed: number; failed: number }) => {
    savedKey = key;
    await options.checkpoint.writeMeta(options.checkpoint.index, (meta) => {
      const checkpoint: Checkpoint = { lastKey: key as string | number, runStartedAt, done, ...counts, ...(options.since ? { since: options.since.toISOString() } : {}) };
      return { ...meta!, checkpoints: { ...(meta?.checkpoints ?? {}), [model.name]: checkpoint } };
    });
  };
  let pendingSave: Promise<void> = Promise.resolve();
  const documentFailures: Array<{ index: string; id: string; operation: BulkOperation; status: number; type: string; reason: string }> = [];
  const writer = new BulkWriter({
    client,
    chunkSize: options.settings.chunkSize,
    chunkBytes: options.settings.chunkBytes,
    concurrency: options.settings.concurrency,
    maxRetries: options.settings.maxRetries,
    tolerate: (operation, status) => operation === 'create' && status === 409,
    onAcknowledged: ({ key }) => {
      const now = Date.now();
      if (now - lastSaved < options.checkpoint.intervalMs) return;
      lastSaved = now;
      const counts = { indexed: writer.stats.succeeded, failed: writer.stats.failed + documentFailures.length };
      pendingSave = pendingSave.then(() => saveCheckpoint(key, false, counts)).catch(() => undefined);
    },
  });

  let done = 0;
  let stoppedEarly = false;
  let lastKey: unknown = options.after;
  const pages = keysetPages(db, model, { index: options.index, pageSize: options.settings.chunkSize, after: options.after, since: options.since });
  for (;;) {
    const page = await readQueryset(model, options.index, () => pages.next());
    if (page.done) break;
    const rows = page.value;
    for (const row of rows) {
      lastKey = row[keyProperty];
      let id: string;
      let document: Record<string, unknown>;
      try {
        id = model.keys.documentId(row);
        document = (await model.model.asSearchDocument(row as Row, options.index)) as Record<string, unknown>;
      } catch (error) {
        documentFailures.push({ index: options.targets[0]!, id: safeId(model, row), operation: options.operation, status: 0, type: 'document_error', reason: `${model.name}.asSearchDocument failed: ${(error as Error).message}` });
        continue;
      }
      for (const target of options.targets) await writer.add(options.operation, { index: target, id, key: lastKey }, document);
    }
    done += rows.length;
    options.onProgress?.({ index: options.index, model: model.name, done, total, failed: writer.stats.failed + documentFailures.length });
    // With PGlite and the embedded engine everything resolves in-process as promise jobs, which
    // never let the event loop reach signals and timers: yield to it once per page.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) {
      stoppedEarly = true;
      await pages.return(undefined);
      break;
    }
  }
  await writer.flush();
  await pendingSave;
  const perTarget = options.targets.length;
  const result: ModelRunResult = {
    model: model.name,
    rows: total,
    indexed: Math.round(writer.stats.succeeded / perTarget),
    failed: Math.round(writer.stats.failed / perTarget) + documentFailures.length,
    skipped: Math.round(writer.stats.tolerated / perTarget),
  };
  // Everything read was flushed and acknowledged: an interrupted run resumes after lastKey.
  if (lastKey !== undefined || savedKey !== undefined) await saveCheckpoint(lastKey ?? savedKey, !stoppedEarly, { indexed: result.indexed, failed: result.failed });
  if (stoppedEarly && lastKey !== undefined) result.interruptedAfter = lastKey as string | number;
  options.onProgress?.({ index: options.index, model: model.name, done, total, failed: result.failed });
  return { writer, documentFailures, result };
}

function safeId(model: RegisteredModel, row: Row): string {
  try {
    return model.keys.documentId(row);
  } catch {
    return String(row[model.keys.keyProperty] ?? '?');
  }
}
