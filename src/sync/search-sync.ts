import type { SearchSide as Client } from '../client/search-side.js';
import type { Knex } from 'knex';
import { SyncError } from '../errors.js';
import { BulkWriter, type BulkFailure, type BulkOperation } from '../indexes/bulk-writer.js';
import { WriteTargets } from '../indexes/write-targets.js';
import type { RegisteredModel } from '../models/model-registry.js';
import type { Row, SearchModel } from '../models/search-model.js';
import type { Project } from '../project.js';
import { DocumentCache } from './document-cache.js';
import { SyncEvents, type SyncOutcome } from './sync-events.js';
import { syncSettingsOf } from './sync-settings.js';
import { searchUpdatesSuspended } from './without-search-updates.js';

export const SYNC_ACTIONS = ['index', 'update', 'delete'] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

export interface UpdateSearchIndexOptions {
  /** Only this index (it must hold the model); default: every index the model belongs to. */
  index?: string;
  /** The fields that changed (partial updates send only these, where the mapping knows them). */
  updateFields?: readonly string[];
  /** Send even when sending is off (autoSync, neverAutoSync, withoutSearchUpdates) or the document is unchanged. */
  force?: boolean;
}

/** What one action did in one index. */
export interface SyncActionResult {
  index: string;
  id: string;
  action: SyncAction;
  outcome: SyncOutcome;
  error?: BulkFailure | Error;
}

/** A model as application code names it: the model object, its registration, or its name. */
export type ModelLike = SearchModel | RegisteredModel | string;

export interface SearchSyncOptions {
  project: Project;
  events?: SyncEvents;
  cache?: DocumentCache;
  writeTargets?: WriteTargets;
}

const RELATION_TYPES = new Set(['object', 'nested', 'join', 'flattened']);

/**
 * The per-object sync API of one project: index, update or delete a row's document in every
 * index its model belongs to, with events before and after each action, the skip-unchanged
 * cache, the `updateStrategy` of the settings and the mode (`live` refreshes before returning).
 * Each action reads the row again through the model's queryset: a row that left the queryset
 * (unpublished, soft-deleted) is removed from the index instead of being left behind.
 *
 * @example
 * const sync = new SearchSync({ project });
 * sync.events.on('postIndex', (e) => metrics.count(e.outcome));
 * await sync.updateSearchIndex('index', Post, { id: 42 });
 */
export class SearchSync {
  readonly events: SyncEvents;
  readonly cache: DocumentCache;
  private readonly writeTargets: WriteTargets;
  readonly project: Project;
  private readonly syncSettings: ReturnType<typeof syncSettingsOf>;

  constructor(options: SearchSyncOptions) {
    this.project = options.project;
    this.syncSettings = syncSettingsOf(options.project.config.settings);
    this.events = options.events ?? new SyncEvents();
    this.cache = options.cache ?? new DocumentCache({ expirySeconds: options.project.config.settings.cacheExpiry });
    this.writeTargets = options.writeTargets ?? new WriteTargets();
  }

  indexSearchDocument(model: ModelLike, row: Row, options: Omit<UpdateSearchIndexOptions, 'updateFields'> = {}): Promise<SyncActionResult[]> {
    return this.updateSearchIndex('index', model, row, options);
  }

  updateSearchDocument(model: ModelLike, row: Row, updateFields?: readonly string[], options: Omit<UpdateSearchIndexOptions, 'updateFields'> = {}): Promise<SyncActionResult[]> {
    return this.updateSearchIndex('update', model, row, { ...options, updateFields });
  }

  deleteSearchDocument(model: ModelLike, row: Row, options: Omit<UpdateSearchIndexOptions, 'updateFields'> = {}): Promise<SyncActionResult[]> {
    return this.updateSearchIndex('delete', model, row, options);
  }

  /**
   * Applies `action` for `row` to every index of `model` (or `options.index`). Throws a
   * SyncError (code SYNC_FAILED) when the search side refused a write, after the post-event
   * reported it; the cache is then left without the document, so a retry is sent.
   */
  async updateSearchIndex(action: SyncAction, model: ModelLike, row: Row, options: UpdateSearchIndexOptions = {}): Promise<SyncActionResult[]> {
    if (!(SYNC_ACTIONS as readonly string[]).includes(action)) {
      throw new SyncError('ARGUMENT_INVALID', `action is "${String(action)}", expected "index", "update" or "delete"`, { exitCode: 2 });
    }
    const registered = this.resolve(model);
    const indexes = options.index === undefined ? registered.indexes : [options.index];
    if (options.index !== undefined && !registered.indexes.includes(options.index)) {
      throw new SyncError('INDEX_NOT_CONFIGURED', `model ${registered.name} is not in index "${options.index}" (its indexes: ${registered.indexes.join(', ')})`, { exitCode: 2 });
    }
    const disabled = !options.force && (searchUpdatesSuspended() || this.project.registry.isAutoSyncDisabled(registered));
    const results: SyncActionResult[] = [];
    for (const index of indexes) results.push(await this.applyToIndex(action, registered, row, index, options, disabled));
    const failed = results.filter((r) => r.outcome === 'failed');
    if (failed.length > 0) {
      const reason = failed.map((f) => `${f.index}/${f.id}: ${f.error instanceof Error ? f.error.message : `${f.error?.type}: ${f.error?.reason}`}`).join('; ');
      throw new SyncError('SYNC_FAILED', `${action} of model ${registered.name} failed: ${reason}`, { cause: failed[0]!.error });
    }
    return results;
  }

  private resolve(model: ModelLike): RegisteredModel {
    const registry = this.project.registry;
    const found = typeof model === 'string' ? registry.find(model) : 'model' in model && 'ref' in model ? (model as RegisteredModel) : registry.forModel(model as SearchModel);
    if (!found) {
      const name = typeof model === 'string' ? model : ((model as SearchModel).name ?? (model as SearchModel).table ?? 'this model');
      throw new SyncError('SYNC_MODEL_UNKNOWN', `model ${name} is not configured in ${this.project.config.displayFile} (models: ${registry.models().map((m) => m.name).join(', ') || 'none'})`, { exitCode: 2 });
    }
    return found;
  }

  private async applyToIndex(action: SyncAction, registered: RegisteredModel, row: Row, index: string, options: UpdateSearchIndexOptions, disabled: boolean): Promise<SyncActionResult> {
    const { model, name, keys } = registered;
    const passedId = keys.documentId(row);
    if (disabled) {
      const kind = action === 'index' ? 'Index' : action === 'update' ? 'Update' : 'Delete';
      const base = { model: name, index, id: passedId, row, disabled: true, ...(action === 'update' ? { updateFields: options.updateFields } : {}) };
      this.events.safeEmit(`pre${kind}`, base);
      this.events.safeEmit(`post${kind}`, { ...base, outcome: 'disabled' });
      return { index, id: passedId, action, outcome: 'disabled' };
    }
    let current: Row | undefined;
    if (action !== 'delete') current = await this.readRow(registered, index, row);
    if (!current) return this.remove(action, registered, row, index, passedId);

    const id = keys.documentId(current);
    const settings = this.project.config.settings;
    const partial = action === 'update' && settings.updateStrategy === 'partial' && options.updateFields !== undefined;
    const document = partial ? await this.partialDocument(registered, current, index, options.updateFields!) : ((await model.asSearchDocument(current, index)) as Record<string, unknown>);
    const kind = action === 'update' ? 'Update' : 'Index';
    const event = { model: name, index, id, row: current, document, disabled: false, ...(action === 'update' ? { updateFields: options.updateFields } : {}) };
    this.events.safeEmit(`pre${kind}`, event);
    if (partial && Object.keys(document).length === 0) {
      this.events.safeEmit(`post${kind}`, { ...event, outcome: 'skipped' });
      return { index, id, action, outcome: 'skipped' };
    }
    if (!partial && !options.force && this.cache.isUnchanged(index, id, document)) {
      this.events.safeEmit(`post${kind}`, { ...event, outcome: 'skipped' });
      return { index, id, action, outcome: 'skipped' };
    }
    let failure = await this.send(index, partial ? 'update' : 'index', id, document);
    // A partial update of a document that is not there yet: send the whole document instead.
    if (partial && failure && 'status' in failure && failure.status === 404) failure = await this.send(index, 'index', id, (await model.asSearchDocument(current, index)) as Record<string, unknown>);
    if (failure) {
      this.cache.forget(index, id);
      this.events.safeEmit(`post${kind}`, { ...event, outcome: 'failed', error: failure });
      return { index, id, action, outcome: 'failed', error: failure };
    }
    if (partial) this.cache.forget(index, id);
    else this.cache.remember(index, id, document);
    this.events.safeEmit(`post${kind}`, { ...event, outcome: 'sent' });
    return { index, id, action, outcome: 'sent' };
  }

  private async remove(action: SyncAction, registered: RegisteredModel, row: Row, index: string, id: string): Promise<SyncActionResult> {
    const event = { model: registered.name, index, id, row, disabled: false };
    this.events.safeEmit('preDelete', event);
    const failure = await this.send(index, 'delete', id);
    this.cache.forget(index, id);
    if (failure) {
      this.events.safeEmit('postDelete', { ...event, outcome: 'failed', error: failure });
      return { index, id, action, outcome: 'failed', error: failure };
    }
    const outcome: SyncOutcome = action === 'delete' ? 'sent' : 'removed';
    this.events.safeEmit('postDelete', { ...event, outcome });
    return { index, id, action, outcome };
  }

  /** The row as the model's queryset for `index` has it now, or undefined when it left the queryset. */
  private async readRow({ model, name, keys }: RegisteredModel, index: string, row: Row): Promise<Row | undefined> {
    const key = row[keys.keyProperty];
    if (key === undefined || key === null) throw new SyncError('ARGUMENT_INVALID', `the row passed for model ${name} has no value in its primary key "${keys.keyProperty}"`, { exitCode: 2 });
    const db = await this.project.db();
    return (await model.getSearchQueryset(db, index).where(keys.keyColumn, key as Knex.Value).first()) as Row | undefined;
  }

  /**
   * The partial document of `updateFields`: the model's asSearchDocumentUpdate when it has one,
   * else those fields of the full document that the mapping knows. A relation field (an object,
   * nested, join or flattened field of the mapping, or a foreign key named in settings.sync.related)
   * cannot be taken from the row alone: without asSearchDocumentUpdate it is an error.
   */
  private async partialDocument(registered: RegisteredModel, row: Row, index: string, updateFields: readonly string[]): Promise<Record<string, unknown>> {
    const { model } = registered;
    if (model.asSearchDocumentUpdate) return (await model.asSearchDocumentUpdate(row, index, updateFields)) as Record<string, unknown>;
    const mapping = this.project.report.mappings.get(index);
    const properties = (mapping?.body.mappings.properties ?? {}) as Record<string, { type?: string; properties?: unknown }>;
    const foreignKeys = new Set(
      this.syncSettings.related.filter((r) => this.project.registry.find(r.model) === registered && r.foreignKey)
        .map((r) => r.foreignKey!),
    );
    const relation = updateFields.filter((f) => foreignKeys.has(f) || (properties[f] && (RELATION_TYPES.has(properties[f]!.type ?? 'object') && (properties[f]!.type !== undefined || properties[f]!.properties !== undefined))));
    if (relation.length > 0) {
      const where = mapping ? ` in ${mapping.displayFile}` : '';
      throw new SyncError(
        'SYNC_RELATION_FIELD',
        `updateFields of model ${registered.name} include the relation field${relation.length > 1 ? 's' : ''} ${relation.map((f) => `"${f}"`).join(', ')}${where}: with updateStrategy "partial", give the model asSearchDocumentUpdate(row, index, updateFields) to build ${relation.length > 1 ? 'them' : 'it'}, or use updateStrategy "full"`,
        { exitCode: 2 },
      );
    }
    const known = updateFields.filter((f) => f in properties);
    if (known.length === 0) return {};
    const full = (await model.asSearchDocument(row, index)) as Record<string, unknown>;
    return Object.fromEntries(known.filter((f) => f in full).map((f) => [f, full[f]]));
  }

  /** Sends one action to every write target of `index`; returns the first failure, if any. */
  private async send(index: string, operation: BulkOperation, id: string, document?: Record<string, unknown>): Promise<BulkFailure | Error | undefined> {
    const settings = this.project.config.settings;
    let client: Client;
    let targets: string[];
    try {
      client = await this.project.clients.forIndex(index);
      targets = await this.writeTargets.get(client, index);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    if (targets.length === 0) return new Error(`index "${index}" does not exist; run search create-index ${index} first`);
    const writer = new BulkWriter({
      client,
      chunkSize: settings.chunkSize,
      chunkBytes: settings.chunkBytes,
      concurrency: 1,
      maxRetries: settings.maxRetries,
      ...(this.syncSettings.mode === 'live' ? { refresh: 'wait_for' as const } : {}),
      tolerate: (op, status) => op === 'delete' && status === 404,
    });
    for (const target of targets) await writer.add(operation, { index: target, id, retryOnConflict: settings.retryOnConflict }, document);
    await writer.flush();
    return writer.failures[0];
  }
}

let defaultSync: SearchSync | undefined;

/**
 * Sets up the per-object API for `project` and makes it the one the module-level functions
 * (`updateSearchIndex`, `indexSearchDocument`, ...) use. Returns it, for its `events`.
 *
 * @example
 * const sync = configureSearchSync(await openProject());
 * sync.events.on('preIndex', (e) => queue.push(e.id));
 * await indexSearchDocument(Post, post);
 */
export function configureSearchSync(project: Project, options: Omit<SearchSyncOptions, 'project'> = {}): SearchSync {
  defaultSync = new SearchSync({ project, ...options });
  return defaultSync;
}

/** The SearchSync configureSearchSync set up. */
export function searchSync(): SearchSync {
  if (!defaultSync) throw new SyncError('SYNC_NOT_CONFIGURED', 'the sync API is not configured: call configureSearchSync(project) once at start-up');
  return defaultSync;
}

/** See SearchSync.updateSearchIndex. */
export const updateSearchIndex = (action: SyncAction, model: ModelLike, row: Row, options?: UpdateSearchIndexOptions): Promise<SyncActionResult[]> => searchSync().updateSearchIndex(action, model, row, options);
/** Indexes `row`'s document in every index of `model`. */
export const indexSearchDocument = (model: ModelLike, row: Row, options?: Omit<UpdateSearchIndexOptions, 'updateFields'>): Promise<SyncActionResult[]> => searchSync().indexSearchDocument(model, row, options);
/** Updates `row`'s document (whole, or only `updateFields` with updateStrategy partial). */
export const updateSearchDocument = (model: ModelLike, row: Row, updateFields?: readonly string[], options?: Omit<UpdateSearchIndexOptions, 'updateFields'>): Promise<SyncActionResult[]> =>
  searchSync().updateSearchDocument(model, row, updateFields, options);
/** Removes `row`'s document from every index of `model`. */
export const deleteSearchDocument = (model: ModelLike, row: Row, options?: Omit<UpdateSearchIndexOptions, 'updateFields'>): Promise<SyncActionResult[]> => searchSync().deleteSearchDocument(model, row, options);
