import { relative } from 'node:path';
import { loadMapping, mappingPath, type MappingFile } from '../config/mapping-files.js';
import { readRelatedLink } from '../config/related-dependency.js';
import type { LoadedConfig } from '../config/settings-types.js';
import { IndexkitError } from '../errors.js';
import { checkModelContract, importModelExport, importModule, resolveModelModule, type ModuleImporter } from './model-loader.js';
import { modelNameMatches, parseModelReference } from './model-reference.js';
import { ModelRegistry } from './model-registry.js';
import type { Problem } from './problem.js';
import { builderSource, type SearchModel } from './search-model.js';
import type { Knex } from 'knex';

export interface ValidationReport {
  config: LoadedConfig;
  registry: ModelRegistry;
  /** Mapping file per index; undefined when the file does not exist or is invalid. */
  mappings: Map<string, MappingFile | undefined>;
  problems: Problem[];
  /** No problem of severity error. */
  ok: boolean;
}

export interface ValidateOptions {
  importer?: ModuleImporter;
  readFile?: (path: string) => Promise<string>;
}

/**
 * Checks a loaded settings file against the world: every index has its mapping (or a
 * warning, unless strictValidation), every model module resolves and exports a model with
 * `getSearchQueryset` and `asSearchDocument`, every `neverAutoSync` entry names a model.
 * Each problem names the index, the model, the file and what is missing. Runs at the
 * start-up of every command and in `search check`.
 */
export async function validateProject(config: LoadedConfig, options: ValidateOptions = {}): Promise<ValidationReport> {
  const problems: Problem[] = [];
  const registry = new ModelRegistry(config.settings);
  const mappings = new Map<string, MappingFile | undefined>();
  const settingsAt = (path: Array<string | number>, key = false) => {
    const line = config.lineOf(path, { key });
    return `${config.displayFile}${line ? `:${line}` : ''}`;
  };
  const imported = new Map<string, Promise<unknown>>();

  for (const [index, settings] of Object.entries(config.indexes)) {
    try {
      const mapping = await loadMapping(config, index, { readFile: options.readFile });
      mappings.set(index, mapping);
      if (!mapping) {
        const expected = relative(config.baseDir, mappingPath(config, index));
        problems.push({
          severity: config.settings.strictValidation ? 'error' : 'warning',
          code: config.settings.strictValidation ? 'MAPPING_NOT_FOUND' : 'MAPPING_MISSING',
          message: `index "${index}" has no mapping file ${expected} (declared in ${settingsAt(['indexes', index], true)})${config.settings.strictValidation ? '; strictValidation requires one' : '; Elasticsearch will map its fields dynamically'}`,
          file: expected,
          index,
        });
      }
    } catch (error) {
      mappings.set(index, undefined);
      problems.push(fromError(error, { index }));
    }

    for (const [i, raw] of settings.models.entries()) {
      const ref = parseModelReference(raw);
      const where = `${settingsAt(['indexes', index, 'models', i])}, indexes.${index}.models[${i}]`;
      const base: Pick<Problem, 'index' | 'model' | 'file' | 'line' | 'path'> = {
        index,
        model: raw,
        file: config.displayFile,
        line: config.lineOf(['indexes', index, 'models', i]),
        path: `indexes.${index}.models[${i}]`,
      };
      try {
        const file = resolveModelModule(ref, config.baseDir);
        const key = `${file}#${ref.exportName}`;
        if (!imported.has(key)) imported.set(key, importModelExport(ref, file, options.importer ?? importModule));
        const value = await imported.get(key)!;
        const missing = checkModelContract(value);
        for (const [code, what] of missing) {
          problems.push({ ...base, severity: 'error', code, message: `model ${raw} of index "${index}" ${what} (${where})` });
        }
        if (missing.length === 0) {
          const model = value as SearchModel;
          registry.add(index, { name: model.name ?? ref.exportName, ref, file, model }, model.table ? undefined : await querysetSource(model, index));
        }
      } catch (error) {
        problems.push({ ...fromError(error, base), message: `${(error as Error).message} (model ${raw} of index "${index}", ${where})` });
      }
    }
  }

  config.settings.neverAutoSync.forEach((written, i) => {
    const matched = registry.models().some((m) => modelNameMatches(written, m.ref, [m.name, ...(m.model.table ? [m.model.table] : [])]));
    if (!matched && registry.models().length > 0) {
      problems.push({
        severity: 'warning',
        code: 'NEVER_AUTO_SYNC_UNMATCHED',
        message: `settings.neverAutoSync[${i}] is "${written}" in ${settingsAt(['settings', 'neverAutoSync', i])}, which names no model of any index (models: ${registry
          .models()
          .map((m) => m.name)
          .join(', ')})`,
        file: config.displayFile,
        line: config.lineOf(['settings', 'neverAutoSync', i]),
        path: `settings.neverAutoSync[${i}]`,
      });
    }
  });

  // settings.sync.related: each entry names a model with a table, and one way to find the affected rows.
  (config.settings.sync?.related ?? []).forEach((dep, i) => {
    const path = ['settings', 'sync', 'related', i];
    const where = `settings.sync.related[${i}] in ${settingsAt(path)}`;
    const at = { file: config.displayFile, line: config.lineOf(path), path: `settings.sync.related[${i}]` };
    const model = registry.find(dep.model);
    if (!model && registry.models().length > 0) {
      problems.push({ ...at, severity: 'error', code: 'CONFIG_INVALID', message: `${where} names model "${dep.model}", which no index holds (models: ${registry.models().map((m) => m.name).join(', ')})` });
    } else if (model && !model.model.table) {
      problems.push({ ...at, severity: 'error', code: 'CONFIG_INVALID', model: model.name, message: `${where} names model ${model.name}, which has no \`table\`: change capture needs the model's table; add \`table: '${model.keys.from ?? '<its table>'}'\` to it` });
    }
    const link = readRelatedLink(dep, where);
    if ('problem' in link) problems.push({ ...at, severity: 'error', code: 'CONFIG_INVALID', message: link.problem });
  });

  return { config, registry, mappings, problems, ok: !problems.some((p) => p.severity === 'error') };
}

let offline: Promise<Knex> | undefined;

/**
 * The table a model's queryset reads FROM, read from the builder it returns for a knex without
 * a connection (building a query runs nothing); undefined when it cannot tell.
 */
async function querysetSource(model: SearchModel, index: string): Promise<string | undefined> {
  offline ??= import('knex').then(({ default: knex }) => knex({ client: 'pg' }));
  try {
    return builderSource(model.getSearchQueryset(await offline, index));
  } catch {
    return undefined;
  }
}

function fromError(error: unknown, context: Partial<Problem>): Problem {
  if (error instanceof IndexkitError) {
    return {
      severity: 'error',
      code: error.code,
      message: error.message,
      ...context,
      ...(error.location.file ? { file: error.location.file } : {}),
      ...(error.location.line ? { line: error.location.line } : {}),
      ...(error.location.path ? { path: error.location.path } : {}),
    };
  }
  throw error;
}
