import type { GeneralSettings } from '../config/settings-types.js';
import { modelNameMatches, type ModelReference } from './model-reference.js';
import { resolveModelKeys, type ModelKeys, type SearchModel } from './search-model.js';

/** A model as loaded from the settings: the export, where it came from, which indexes hold it. */
export interface RegisteredModel {
  /** `model.name`, else the export name. */
  name: string;
  ref: ModelReference;
  /** Absolute path of the module. */
  file: string;
  model: SearchModel;
  /** Indexes that hold this model, in settings order. */
  indexes: string[];
  /** Its table, qualified key, key property, updated-at column and id function, resolved once here. */
  keys: ModelKeys;
}

/**
 * Which models feed which indexes. A model may sit in several indexes and an index may
 * hold several models; one module export is one RegisteredModel however often it is named.
 */
export class ModelRegistry {
  private readonly byIndex = new Map<string, RegisteredModel[]>();
  private readonly all: RegisteredModel[] = [];

  constructor(private readonly settings: Pick<GeneralSettings, 'autoSync' | 'neverAutoSync'>) {}

  /**
   * Adds `model` to `index`; the same file and export registered twice is one model. `from` is
   * the table its queryset's builder reads FROM (see builderSource), used when the model names
   * no `table`.
   */
  add(index: string, entry: Omit<RegisteredModel, 'indexes' | 'keys'>, from?: string): RegisteredModel {
    let registered = this.all.find((m) => m.file === entry.file && m.ref.exportName === entry.ref.exportName);
    if (!registered) {
      registered = { ...entry, indexes: [], keys: resolveModelKeys(entry.model, from) };
      this.all.push(registered);
    }
    if (!registered.indexes.includes(index)) registered.indexes.push(index);
    const list = this.byIndex.get(index) ?? [];
    if (!list.includes(registered)) list.push(registered);
    this.byIndex.set(index, list);
    return registered;
  }

  models(): readonly RegisteredModel[] {
    return this.all;
  }

  modelsFor(index: string): readonly RegisteredModel[] {
    return this.byIndex.get(index) ?? [];
  }

  indexes(): string[] {
    return [...this.byIndex.keys()];
  }

  /** The registered model for a SearchModel object (as application code passes it). */
  forModel(model: SearchModel): RegisteredModel | undefined {
    return this.all.find((m) => m.model === model);
  }

  /** Finds a model by any spelling `neverAutoSync` accepts (export name, `path#Export`, `app.Name`). */
  find(written: string): RegisteredModel | undefined {
    return this.all.find((m) => modelNameMatches(written, m.ref, aliasesOf(m)));
  }

  /** Whether automatic sending is off for this model: `autoSync: false`, or listed in `neverAutoSync`. */
  isAutoSyncDisabled(model: RegisteredModel): boolean {
    if (!this.settings.autoSync) return true;
    return this.settings.neverAutoSync.some((written) => modelNameMatches(written, model.ref, aliasesOf(model)));
  }
}

const aliasesOf = (m: RegisteredModel): string[] => [m.name, ...(m.model.table ? [m.model.table] : [])];
