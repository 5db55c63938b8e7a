import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModelError, type ErrorCode } from '../errors.js';
import type { ModelReference } from './model-reference.js';
import { readRelatedLink } from '../config/related-dependency.js';
import type { RelatedTable, SearchModel } from './search-model.js';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
const TRY_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/** Resolves a model module specifier from the settings file's folder to a file, or throws MODEL_NOT_FOUND. */
export function resolveModelModule(ref: ModelReference, baseDir: string): string {
  const spec = ref.module;
  if (spec.startsWith('.') || spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec)) {
    const base = resolve(baseDir, spec);
    const candidates = existsSync(base) && statSync(base).isFile() ? [base] : TRY_EXTENSIONS.map((ext) => base + ext);
    const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    if (!found) throw new ModelError('MODEL_NOT_FOUND', `model module "${spec}" does not exist (looked for ${base}${extname(base) ? '' : `{${TRY_EXTENSIONS.join(',')}}`})`);
    return found;
  }
  try {
    return createRequire(join(baseDir, 'search.config.yaml')).resolve(spec);
  } catch (error) {
    throw new ModelError('MODEL_NOT_FOUND', `model module "${spec}" cannot be resolved from ${baseDir}: it is neither a relative path nor an installed package`, { cause: error });
  }
}

let tsxRegistered: Promise<void> | undefined;

/**
 * Model modules written in TypeScript load without a build step: tsx's ESM hooks are
 * registered once, on first need (not at start-up, so JavaScript-only projects pay nothing).
 */
function ensureTypeScript(): Promise<void> {
  tsxRegistered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return tsxRegistered;
}

export type ModuleImporter = (file: string) => Promise<Record<string, unknown>>;

export const importModule: ModuleImporter = async (file) => {
  if (!TYPESCRIPT.has(extname(file))) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  await ensureTypeScript();
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    // Node 20.19+ loads a .ts file of a package without "type": "module" through require(esm),
    // which refuses the cycle tsx's hooks create; tsx's own ESM import does not.
    if (!/Cannot require\(\) ES Module .* in a cycle/.test(String((error as Error)?.message))) throw error;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  }
};

/**
 * The first line of a load failure, with the position when there is one: esbuild (through tsx)
 * says `Transform failed with 1 error:` and puts `/abs/post.ts:5:0: ERROR: Expected ")"` on the
 * next line, which is the part worth keeping (as `post.ts:5:0: Expected ")"`).
 */
export function loadFailureLine(error: unknown, baseDir?: string): string {
  const name = error instanceof Error ? error.name : '';
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').map((l) => l.trim()).filter(Boolean);
  const located = lines.find((l) => /^(\S+?):(\d+):(\d+): /.test(l));
  if (located) {
    const [, path = '', rest = ''] = /^(\S+?):(\d+:\d+: .*)$/.exec(located) ?? [];
    const shown = baseDir && path.startsWith(baseDir) ? path.slice(baseDir.length).replace(/^[\\/]/, '') : path;
    return `${name ? `${name}: ` : ''}${shown}:${rest.replace(/ ERROR: /, ' ')}`;
  }
  return `${name ? `${name}: ` : ''}${lines[0] ?? ''}`;
}

/** Imports the module and returns its export, or throws MODEL_LOAD_FAILED / MODEL_EXPORT_MISSING. */
export async function importModelExport(ref: ModelReference, file: string, importer: ModuleImporter = importModule): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = await importer(file);
  } catch (error) {
    throw new ModelError('MODEL_LOAD_FAILED', `model module "${ref.module}" failed to load: ${loadFailureLine(error, dirname(file))}`, { cause: error });
  }
  if (!(ref.exportName in mod) || mod[ref.exportName] === undefined) {
    const available = Object.keys(mod).filter((k) => k !== '__esModule');
    throw new ModelError('MODEL_EXPORT_MISSING', `model module "${ref.module}" has no export "${ref.exportName}" (it exports: ${available.join(', ') || 'nothing'})`);
  }
  return mod[ref.exportName];
}

/** What a model export lacks, as `[code, message]` pairs; empty when it satisfies the contract. */
export function checkModelContract(value: unknown): Array<[ErrorCode, string]> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return [['MODEL_INVALID', `is ${value === null ? 'null' : typeof value}, expected a model object (use defineSearchModel)`]];
  }
  const model = value as Record<string, unknown>;
  const out: Array<[ErrorCode, string]> = [];
  for (const method of ['getSearchQueryset', 'asSearchDocument'] as const) {
    if (model[method] === undefined) out.push(['MODEL_INVALID', `has no ${method}, expected a function ${method === 'getSearchQueryset' ? '(db, index) => knex query builder' : '(row, index) => document'}`]);
    else if (typeof model[method] !== 'function') out.push(['MODEL_INVALID', `${method} is ${typeof model[method]}, expected a function`]);
  }
  for (const method of ['asSearchDocumentUpdate', 'searchDocumentId', 'parseSearchDocumentId'] as const) {
    if (model[method] !== undefined && typeof model[method] !== 'function') out.push(['MODEL_INVALID', `${method} is ${typeof model[method]}, expected a function`]);
  }
  for (const key of ['name', 'table', 'primaryKey', 'updatedAtColumn'] as const) {
    if (model[key] !== undefined && (typeof model[key] !== 'string' || model[key] === '')) out.push(['MODEL_INVALID', `${key} is ${JSON.stringify(model[key])}, expected a non-empty string`]);
  }
  const related = model.relatedTables;
  if (related !== undefined) {
    if (!Array.isArray(related)) out.push(['MODEL_INVALID', `relatedTables is ${typeof related}, expected a list of { table, columns?, foreignKey? | keyColumn? | select? }`]);
    else related.forEach((r, i) => out.push(...relatedTableProblems(r, i).map((p): [ErrorCode, string] => ['MODEL_INVALID', p])));
  }
  return out;
}

const RELATED_STRING_KEYS = ['table', 'foreignKey', 'references', 'keyColumn', 'select', 'param'] as const;

/** What is wrong with one `relatedTables` entry (empty when nothing). */
function relatedTableProblems(entry: unknown, i: number): string[] {
  const at = `relatedTables[${i}]`;
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return [`${at} is ${JSON.stringify(entry)}, expected { table, columns?, foreignKey? | keyColumn? | select? }`];
  const r = entry as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(r)) {
    if (key !== 'columns' && !(RELATED_STRING_KEYS as readonly string[]).includes(key)) problems.push(`${at} has an unknown key "${key}", expected table, columns, foreignKey, references, keyColumn, select, param`);
  }
  if (typeof r.table !== 'string' || r.table === '') problems.push(`${at}.table is ${JSON.stringify(r.table)}, expected a non-empty string`);
  for (const key of RELATED_STRING_KEYS) {
    if (key !== 'table' && r[key] !== undefined && (typeof r[key] !== 'string' || r[key] === '')) problems.push(`${at}.${key} is ${JSON.stringify(r[key])}, expected a non-empty string`);
  }
  if (r.columns !== undefined && !(Array.isArray(r.columns) && r.columns.every((c) => typeof c === 'string' && c !== ''))) {
    problems.push(`${at}.columns is ${JSON.stringify(r.columns)}, expected a list of column names`);
  }
  if (r.references !== undefined && r.foreignKey === undefined) problems.push(`${at}.references is given without foreignKey`);
  if (r.param !== undefined && r.select === undefined) problems.push(`${at}.param is given without select`);
  if (problems.length === 0 && ['foreignKey', 'keyColumn', 'select'].some((k) => r[k] !== undefined)) {
    const read = readRelatedLink({ model: '', ...(r as unknown as RelatedTable) }, at);
    if ('problem' in read) problems.push(read.problem);
  }
  return problems;
}

export type { SearchModel };
