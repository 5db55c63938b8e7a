import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SearchSide as Client } from '../client/search-side.js';
import type { Knex } from 'knex';
import type { SyncSettings } from '../config/settings-types.js';
import { SYNC_CHANNEL, SYNC_OUTBOX_TABLE } from '../db/migrations/0002-sync-outbox.js';
import { SyncError } from '../errors.js';
import { isPermanentItemFailure } from '../client/retry.js';
import { BulkWriter } from '../indexes/bulk-writer.js';
import { WriteTargets } from '../indexes/write-targets.js';
import type { RegisteredModel } from '../models/model-registry.js';
import type { Row } from '../models/search-model.js';
import type { Project } from '../project.js';
import { NotifyListener } from './notify-listener.js';
import { claimSql, completeSql, failSql, reclaimSql, requeueSql, type OutboxEntry } from './outbox-sql.js';
import type { SqlStatement } from './capture-sql.js';
import { SyncEvents } from './sync-events.js';
import { syncSettingsOf } from './sync-settings.js';

export interface SyncWorkerOptions {
  project: Project;
  /** Overrides of settings.sync (tests, --batch-size). */
  settings?: Partial<SyncSettings>;
  events?: SyncEvents;
  writeTargets?: WriteTargets;
  /** Recorded in `locked_by` of claimed entries. */
  workerId?: string;
}

export interface BatchResult {
  claimed: number;
  /** Distinct rows after coalescing. */
  rows: number;
  sent: number;
  removed: number;
  failed: number;
  /** Entries parked as dead in this batch (refused for good, or out of attempts). */
  dead: number;
  requeued: number;
  durationMs: number;
}

export interface RunSummary {
  batches: number;
  entries: number;
  rows: number;
  failed: number;
  /** Entries parked as dead. */
  dead: number;
}

/** Per distinct (source, key) in a batch: the entry ids coalesced into it and the version to send. */
export interface OutboxChange {
  source: string;
  key: string;
  ids: string[];
  version: number;
  error?: string;
  /** The search side refused the document for what it is (a 400): parked as dead at once, never retried. */
  permanent?: boolean;
  /** The search side holds a higher version: the reason, when it does. */
  conflict?: string;
  removed?: boolean;
}

const run = async <R = unknown>(db: Knex, statement: SqlStatement): Promise<R[]> => (await db.raw(statement.sql, statement.bindings as Knex.RawBinding[])).rows as R[];
const KEY_CHUNK = 1000;

/**
 * The outbox worker (`search sync`): claims batches of outbox entries, coalesces repeated
 * changes of one row into one action, reads the rows as they are now through each model's
 * queryset (a row that is gone or left the queryset is deleted from the index), sends `_bulk`
 * to every write target (both indexes while a rebuild runs) with the highest outbox id of the
 * row as external version (`external_gte`: a re-delivery after a crash is accepted, an older
 * change never overwrites a newer one), and deletes the entries only after the search side
 * acknowledged them. Failures go back to pending with backoff, and to dead after maxAttempts.
 *
 * @example
 * const worker = new SyncWorker({ project });
 * worker.events.on('batch', (b) => console.log(b.rows));
 * await worker.run({ once: true });
 */
export class SyncWorker {
  readonly events: SyncEvents;
  readonly settings: SyncSettings;
  readonly workerId: string;
  private readonly project: Project;
  private readonly writeTargets: WriteTargets;
  private stopped = false;
  private wakeUp?: () => void;
  private notified = false;

  constructor(options: SyncWorkerOptions) {
    this.project = options.project;
    this.events = options.events ?? new SyncEvents();
    this.settings = { ...syncSettingsOf(options.project.config.settings), ...options.settings };
    this.writeTargets = options.writeTargets ?? new WriteTargets();
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  /** Puts back entries of workers that died (lease over, or their database session gone). Returns how many. */
  async reclaim(): Promise<number> {
    const db = await this.project.db();
    const statement = reclaimSql(this.settings.leaseMs);
    const result = await db.raw(statement.sql, statement.bindings as Knex.RawBinding[]);
    return result.rowCount ?? 0;
  }

  /** Claims and processes one batch; undefined when nothing was available. */
  async processBatch(): Promise<BatchResult | undefined> {
    const started = performance.now();
    const db = await this.project.db();
    const entries = await run<OutboxEntry>(db, claimSql(this.workerId, this.settings.batchSize));
    if (entries.length === 0) return undefined;
    const changes = coalesce(entries);
    const bySource = new Map<string, OutboxChange[]>();
    for (const change of changes.values()) bySource.set(change.source, [...(bySource.get(change.source) ?? []), change]);

    const writers = new Map<Client, BulkWriter>();
    /** `${concrete index}\0${doc id}` -> the changes that sent to it. */
    const sentTo = new Map<string, OutboxChange[]>();
    for (const [source, group] of bySource) {
      const models = this.project.registry.models().filter((m) => m.model.table === source);
      if (models.length === 0) {
        for (const change of group) change.error = `no configured model has table "${source}"`;
        continue;
      }
      for (const model of models) for (const index of model.indexes) await this.prepare(db, model, index, group, writers, sentTo);
    }
    await Promise.all([...writers.values()].map((w) => w.flush()));
    for (const writer of writers.values()) {
      for (const failure of writer.failures) {
        for (const change of sentTo.get(`${failure.index}\u0000${failure.id}`) ?? []) {
          if (failure.status === 409) change.conflict ??= `${failure.index}/${failure.id}: ${failure.type}: ${failure.reason}`;
          else {
            change.error ??= `${failure.index}/${failure.id}: ${failure.type}: ${failure.reason}`;
            if (isPermanentItemFailure(failure.status)) change.permanent = true;
          }
        }
      }
    }
    const result = await this.settle(db, [...changes.values()], entries);
    const batch = { claimed: entries.length, rows: changes.size, ...result, durationMs: performance.now() - started };
    this.events.safeEmit('batch', { ...batch, keys: [...changes.values()].filter((c) => !c.error).map((c) => ({ source: c.source, key: c.key, version: c.version })) });
    return batch;
  }

  /** Reads the rows of `group` for one model and index and queues their actions. */
  private async prepare(db: Knex, registered: RegisteredModel, index: string, group: OutboxChange[], writers: Map<Client, BulkWriter>, sentTo: Map<string, OutboxChange[]>): Promise<void> {
    const { model, keys } = registered;
    let client: Client;
    let targets: string[];
    const rows = new Map<string, Row>();
    try {
      client = await this.project.clients.forIndex(index);
      targets = await this.writeTargets.get(client, index);
      if (targets.length === 0) throw new SyncError('INDEX_NOT_FOUND', `index "${index}" does not exist; run search create-index ${index}`);
      for (let i = 0; i < group.length; i += KEY_CHUNK) {
        const batch = group.slice(i, i + KEY_CHUNK).map((c) => c.key);
        const found = (await model.getSearchQueryset(db, index).whereIn(keys.keyColumn, batch)) as Row[];
        for (const row of found) rows.set(String(row[keys.keyProperty]), row);
      }
    } catch (error) {
      const message = `${registered.name} in "${index}": ${error instanceof Error ? error.message : String(error)}`;
      for (const change of group) change.error ??= message;
      return;
    }
    let writer = writers.get(client);
    if (!writer) {
      const s = this.project.config.settings;
      writer = new BulkWriter({
        client,
        chunkSize: s.chunkSize,
        chunkBytes: s.chunkBytes,
        concurrency: s.concurrency,
        maxRetries: s.maxRetries,
        // live: one forced refresh per bulk request, so an acknowledged batch is searchable at once
        // (wait_for would hold each batch until the next scheduled refresh, up to a second).
        ...(this.settings.mode === 'live' ? { refresh: true } : {}),
        tolerate: (operation, status) => operation === 'delete' && status === 404,
      });
      writers.set(client, writer);
    }
    for (const change of group) {
      const row = rows.get(change.key);
      try {
        const id = keys.documentId(row ?? { [keys.keyProperty]: change.key });
        const document = row ? ((await model.asSearchDocument(row, index)) as Record<string, unknown>) : undefined;
        if (!row) change.removed = true;
        for (const target of targets) {
          const slot = `${target}\u0000${id}`;
          sentTo.set(slot, [...(sentTo.get(slot) ?? []), change]);
          await writer.add(row ? 'index' : 'delete', { index: target, id, version: change.version, versionType: 'external_gte' }, document);
        }
      } catch (error) {
        change.error ??= `${registered.name} ${change.key} in "${index}": ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }

  /** Deletes acknowledged entries, re-queues conflicts under a fresh id, backs off or parks the failed. */
  private async settle(db: Knex, changes: OutboxChange[], entries: OutboxEntry[]): Promise<Omit<BatchResult, 'claimed' | 'rows' | 'durationMs'>> {
    const ok = changes.filter((c) => !c.error);
    const conflicts = ok.filter((c) => c.conflict);
    const attempts = new Map(entries.map((e) => [String(e.id), e.attempts]));
    const attemptsOf = (c: OutboxChange) => Math.max(...c.ids.map((id) => attempts.get(id) ?? 0));
    await db.transaction(async (trx) => {
      for (const c of conflicts) {
        await run(trx, requeueSql(c.source, [c.key], [attemptsOf(c)], `version conflict, re-queued: ${c.conflict!}`, this.settings.maxAttempts));
      }
      const ids = ok.flatMap((c) => c.ids);
      if (ids.length > 0) await run(trx, completeSql(ids));
    });
    const failed = changes.filter((c) => c.error);
    let parked = 0;
    // Grouped by error and by whether it is permanent: a permanent one is dead at once (as if maxAttempts were 0).
    const byError = new Map<string, { error: string; permanent: boolean; ids: string[] }>();
    for (const c of failed) {
      const slot = `${c.permanent ? 1 : 0}${c.error!}`;
      const group = byError.get(slot) ?? { error: c.error!, permanent: Boolean(c.permanent), ids: [] };
      group.ids.push(...c.ids);
      byError.set(slot, group);
    }
    for (const { error, permanent, ids } of byError.values()) {
      const maxAttempts = permanent ? 0 : this.settings.maxAttempts;
      await run(db, failSql(ids, error, { maxAttempts, baseMs: this.settings.backoffBaseMs, maxMs: this.settings.backoffMaxMs }));
      const dead = ids.filter((id) => (attempts.get(id) ?? 0) >= maxAttempts).length;
      parked += dead;
      if (dead > 0) this.events.safeEmit('dead', { count: dead, error });
    }
    const deadConflicts = conflicts.filter((c) => attemptsOf(c) >= this.settings.maxAttempts);
    parked += deadConflicts.length;
    if (deadConflicts.length > 0) this.events.safeEmit('dead', { count: deadConflicts.length, error: `version conflict: ${deadConflicts[0]!.conflict!}` });
    const retried = failed.filter((c) => !c.permanent);
    if (retried.length > 0) this.events.safeEmit('warning', { message: `${retried.length} row(s) failed to sync and will be retried: ${retried[0]!.error}` });
    return {
      sent: ok.filter((c) => !c.removed && !c.conflict).length,
      removed: ok.filter((c) => c.removed && !c.conflict).length,
      failed: failed.length,
      dead: parked,
      requeued: conflicts.length,
    };
  }

  /** Processes batches until nothing is available now (entries waiting for a retry are left). */
  async drain(): Promise<RunSummary> {
    const summary: RunSummary = { batches: 0, entries: 0, rows: 0, failed: 0, dead: 0 };
    for (;;) {
      const batch = await this.processBatch();
      if (!batch) return summary;
      summary.batches++;
      summary.entries += batch.claimed;
      summary.rows += batch.rows;
      summary.failed += batch.failed;
      summary.dead += batch.dead;
      // On PGlite and the embedded engine a batch resolves in-process without I/O: yield to the
      // event loop so that SIGINT/SIGTERM (stop()) and timers are seen between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.stopped) return summary;
    }
  }

  /**
   * Runs until stop() (or, with `once`, until the outbox has nothing available). live and
   * near-live wake on NOTIFY and poll every pollIntervalMs; periodic drains every intervalMs.
   */
  async run(options: { once?: boolean } = {}): Promise<RunSummary> {
    const total: RunSummary = { batches: 0, entries: 0, rows: 0, failed: 0, dead: 0 };
    const db = await this.project.db();
    if (!(await db.schema.hasTable(SYNC_OUTBOX_TABLE))) throw new SyncError('SYNC_OUTBOX_MISSING', `the outbox table ${SYNC_OUTBOX_TABLE} does not exist; run search sync install (or search migrate) first`);
    const periodic = this.settings.mode === 'periodic';
    const listener =
      options.once || periodic
        ? undefined
        : new NotifyListener({
            connection: this.project.config.database.connection,
            channel: SYNC_CHANNEL,
            events: this.events,
            onNotify: () => {
              this.notified = true;
              this.wakeUp?.();
            },
          });
    listener?.start();
    let lastReclaim = 0;
    let failures = 0;
    try {
      while (!this.stopped) {
        if (Date.now() - lastReclaim > Math.min(this.settings.leaseMs, 10_000)) {
          await this.reclaim().catch((error: unknown) => this.events.safeEmit('warning', { message: `reclaiming entries failed: ${String(error)}`, error }));
          lastReclaim = Date.now();
        }
        this.notified = false;
        try {
          const summary = await this.drain();
          failures = 0;
          total.batches += summary.batches;
          total.entries += summary.entries;
          total.rows += summary.rows;
          total.failed += summary.failed;
          total.dead += summary.dead;
        } catch (error) {
          // The database itself failed (claim, settle): wait and try again; entries stay claimed until reclaimed.
          if (options.once) throw error;
          this.events.safeEmit('warning', { message: `a sync batch failed: ${error instanceof Error ? error.message : String(error)}`, error });
          await this.sleep(Math.min(30_000, 250 * 2 ** failures++));
          continue;
        }
        if (options.once) break;
        if (!this.notified) await this.sleep(periodic ? this.settings.intervalMs : this.settings.pollIntervalMs);
      }
    } finally {
      await listener?.close();
    }
    return total;
  }

  /** Sleeps until `ms` passed, a notification arrived (not in periodic mode) or stop() was called. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Stops after the batch in progress. */
  stop(): void {
    this.stopped = true;
    this.wakeUp?.();
  }
}

/** Groups entries by (source, key): the ids to complete together and the highest id as the version. */
export function coalesce(entries: readonly OutboxEntry[]): Map<string, OutboxChange> {
  const changes = new Map<string, OutboxChange>();
  for (const entry of entries) {
    const slot = `${entry.source}\u0000${entry.row_key}`;
    const id = String(entry.id);
    const change = changes.get(slot);
    if (change) {
      change.ids.push(id);
      change.version = Math.max(change.version, Number(id));
    } else {
      changes.set(slot, { source: entry.source, key: entry.row_key, ids: [id], version: Number(id) });
    }
  }
  return changes;
}
