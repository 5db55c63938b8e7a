import { RelevanceError } from '../errors.js';
import { importModelExport, importModule, resolveModelModule, type ModuleImporter } from '../models/model-loader.js';
import { parseModelReference } from '../models/model-reference.js';
import type { QueryBuilder } from './evaluate.js';

/**
 * Loads `--query-builder ./path#export` the way models are loaded (a relative path, with or
 * without extension, TypeScript through tsx; without `#`, the default export), from `baseDir`
 * (the current folder for the CLI). The export must be a function `(term, { index, logged }) =>
 * body`.
 *
 * @example
 * // try-query.ts: export const build = (term) => ({ query: { multi_match: { query: term, fields: ['title^5', 'body'] } } });
 * const builder = await loadQueryBuilder('./try-query.ts#build', process.cwd());
 */
export async function loadQueryBuilder(raw: string, baseDir: string, importer: ModuleImporter = importModule): Promise<QueryBuilder> {
  const ref = parseModelReference(raw);
  let value: unknown;
  try {
    value = await importModelExport(ref, resolveModelModule(ref, baseDir), importer);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/^model module/, 'module');
    throw new RelevanceError('ARGUMENT_INVALID', `--query-builder "${raw}": ${message}`, { cause: error });
  }
  if (typeof value !== 'function') {
    throw new RelevanceError('ARGUMENT_INVALID', `--query-builder "${raw}": the export "${ref.exportName}" is ${value === null ? 'null' : typeof value}, expected a function (term, { index, logged }) => search body`);
  }
  return value as QueryBuilder;
}
