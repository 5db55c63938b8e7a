import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { readPackageJson } from '../package-info.js';
import { closest } from './suggest.js';
import { formatPath, pointerToPath, type DataPath } from './source-locator.js';

/** One schema violation, already phrased for a person. */
export interface SchemaProblem {
  path: DataPath;
  /** The problem is the key itself (an unknown key): its line is the key's, not its value's. */
  atKey?: boolean;
  /** `settings.updateStrategy is "fast", expected "full" or "partial"` (no file: the caller adds it). */
  describe(where: string): string;
}

/** Ajv's options for every schema; scripts/compile-schemas.mjs compiles with the same ones. */
export const AJV_OPTIONS: Options = { allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true, verbose: true };

/** The schemas shipped in the package that settings and mapping files are validated against. */
export const SCHEMA_FILES = ['schema/search-config.schema.json', 'schema/mapping.schema.json'] as const;
export type SchemaFile = (typeof SCHEMA_FILES)[number];

/** Where `npm run build` puts a schema's validator, compiled ahead (relative to this module in dist/). */
export function compiledSchemaModule(file: SchemaFile): string {
  return `./compiled-schemas/${file.replace(/^schema\//, '').replace(/\.json$/, '')}.cjs`;
}

const require = createRequire(import.meta.url);
const compiled = new Map<SchemaFile, ValidateFunction>();
let ajv: Ajv | undefined;

/**
 * A schema's validator: the one `npm run build` compiled (the CLI's case: compiling the settings
 * schema took longer than loading all the rest of `search check`), else compiled here on first
 * use (from source, under vitest). Both are Ajv's code for the same schema and options.
 */
function validatorOf(file: SchemaFile): ValidateFunction {
  let validate = compiled.get(file);
  if (validate) return validate;
  try {
    validate = require(compiledSchemaModule(file)) as ValidateFunction;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    ajv ??= new (require('ajv') as { Ajv: new (options: Options) => Ajv }).Ajv(AJV_OPTIONS);
    validate = ajv.compile(readPackageJson(file) as object);
  }
  compiled.set(file, validate);
  return validate;
}

/**
 * Validates (and fills in schema defaults, in place) `data` against the package's schema
 * `file`, returning problems in document order, one per offending path.
 */
export function validateAgainstSchema(file: SchemaFile, data: unknown, rootLabel?: string): SchemaProblem[] {
  const validate = validatorOf(file);
  if (validate(data)) return [];
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error, data, rootLabel);
    const key = formatPath(problem.path);
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping of keys to values',
  array: 'a list',
  null: 'null',
};

function expectedTypes(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  return list.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function toProblem(error: ErrorObject, data: unknown, rootLabel?: string): SchemaProblem {
  const basePath = pointerToPath(error.instancePath, data);
  const label = (path: DataPath) => formatPath(path) || rootLabel || 'the file';
  // At the root, the label is the file itself: `x.json:1 is missing …`, not `x.json in x.json:1 …`.
  const labelled = (path: DataPath, where: string) => (path.length === 0 && rootLabel && where.startsWith(` in ${rootLabel}`) ? `${rootLabel}${where.slice(` in ${rootLabel}`.length)}` : `${label(path)}${where}`);
  const valueAt = (path: DataPath) => path.reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string | number, unknown>)[part] : undefined), data);
  const value = valueAt(basePath);
  const params = error.params as Record<string, unknown>;
  const simple = (expected: string): SchemaProblem => ({
    path: basePath,
    describe: (where) => (basePath.length === 0 ? `${labelled(basePath, where)} is ${show(value)}, expected ${expected}` : `${label(basePath)} is ${show(value)}${where}, expected ${expected}`),
  });
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const path = [...basePath, key];
      const allowed = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      const hint = closest(key, allowed);
      return {
        path,
        atKey: true,
        describe: (where) =>
          `${label(path)} is not a known setting${where}${hint ? `; did you mean "${hint}"?` : allowed.length ? `, expected one of: ${allowed.join(', ')}` : ''}`,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      return { path: basePath, describe: (where) => `${labelled(basePath, where)} is missing "${missing}"` };
    }
    case 'type':
      return simple(expectedTypes(params.type));
    case 'enum':
      return simple(((params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(' or '));
    case 'const':
      return simple(JSON.stringify(params.allowedValue));
    case 'minimum':
    case 'exclusiveMinimum':
      return simple(`at least ${String(params.limit)}`);
    case 'maximum':
    case 'exclusiveMaximum':
      return simple(`at most ${String(params.limit)}`);
    case 'minLength':
      return simple(params.limit === 1 ? 'a non-empty string' : `at least ${String(params.limit)} characters`);
    case 'minItems':
      return simple(params.limit === 1 ? 'a non-empty list' : `at least ${String(params.limit)} items`);
    case 'minProperties':
      return simple(`at least ${String(params.limit)} key`);
    case 'uniqueItems':
      return simple(`no duplicates (items ${String(params.j)} and ${String(params.i)} are equal)`);
    case 'pattern':
      return simple(`to match ${String(params.pattern)}`);
    case 'propertyNames': {
      const name = String(params.propertyName);
      return { path: [...basePath, name], atKey: true, describe: (where) => `${label(basePath)} has an invalid name "${name}"${where}` };
    }
    default:
      return simple(error.message ?? 'a valid value');
  }
}
