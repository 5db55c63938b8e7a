import { createHash } from 'node:crypto';
import { readFile as fsReadFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { MappingError } from '../errors.js';
import { ELASTICSEARCH_FIELD_TYPES, OBJECT_TYPES, isElasticsearchFieldType } from './field-types.js';
import { indexNameProblem } from './index-name.js';
import { analysisProblems } from './analysis-names.js';
import { validateAgainstSchema } from './schema-validator.js';
import type { LoadedConfig } from './settings-types.js';
import { SourceLocator, formatPath, type DataPath } from './source-locator.js';
import { closest } from './suggest.js';

/** The body of a create-index request, as a mapping file holds it. */
export interface MappingBody {
  mappings: Record<string, unknown> & { properties?: Record<string, unknown>; _meta?: Record<string, unknown> };
  settings?: Record<string, unknown>;
  aliases?: Record<string, Record<string, unknown>>;
}

export interface MappingFile {
  index: string;
  /** Absolute path. */
  file: string;
  /** Path relative to the settings file's folder, for messages. */
  displayFile: string;
  body: MappingBody;
  /** sha256 of the canonical JSON of the body: whitespace and key order do not change it. */
  hash: string;
  /** Leaf fields, multi-fields included. */
  fieldCount: number;
}

/** Where the mapping of `index` lives: `indexes.<name>.mapping`, or `<mappingsDir>/<name>.json`. */
export function mappingPath(config: LoadedConfig, index: string): string {
  const why = indexNameProblem(index);
  // Names are validated when the settings load; this guard keeps the path inside mappingsDir whatever the caller passes.
  if (why) throw new MappingError('INDEX_NAME_INVALID', `index name "${index}" is not valid: it ${why}`);
  const override = config.indexes[index]?.mapping;
  return override ? resolve(config.baseDir, override) : resolve(config.baseDir, config.settings.mappingsDir, `${index}.json`);
}

export interface LoadMappingOptions {
  readFile?: (path: string) => Promise<string>;
}

/**
 * Reads and checks the mapping file of `index`. Returns undefined when the file does not
 * exist (the caller decides whether that is an error: strictValidation). Throws MappingError
 * naming the file, line and JSON path of the first problem.
 */
export async function loadMapping(config: LoadedConfig, index: string, options: LoadMappingOptions = {}): Promise<MappingFile | undefined> {
  const file = mappingPath(config, index);
  const displayFile = relative(config.baseDir, file) || file;
  const read = options.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  let text: string;
  try {
    text = await read(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MappingError('MAPPING_NOT_FOUND', `mapping file ${displayFile} for index "${index}" cannot be read: ${(error as Error).message}`, { cause: error, location: { file: displayFile } });
  }
  return parseMapping(index, file, displayFile, text);
}

export function parseMapping(index: string, file: string, displayFile: string, text: string): MappingFile {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const { line, column } = jsonErrorPosition(error as Error, text);
    const reason = (error as Error).message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new MappingError('MAPPING_SYNTAX', `${displayFile}:${line}:${column}: mapping file for index "${index}" is not valid JSON: ${reason}`, {
      cause: error,
      location: { file: displayFile, line, column },
    });
  }
  const locator = new SourceLocator(text);
  const fail = (path: DataPath, message: (where: string) => string, options?: { key?: boolean }): never => {
    const line = locator.locate(path, options)?.line;
    throw new MappingError('MAPPING_INVALID', message(` in ${displayFile}${line ? `:${line}` : ''}`), { location: { file: displayFile, line, path: formatPath(path) } });
  };
  const [problem] = validateAgainstSchema('schema/mapping.schema.json', body, displayFile);
  if (problem) fail(problem.path, (where) => problem.describe(where), { key: problem.atKey });
  const mapping = body as MappingBody;
  const fieldCount = checkProperties(mapping.mappings.properties ?? {}, ['mappings', 'properties'], fail);
  const [unknownName] = analysisProblems(mapping as unknown as Record<string, unknown>);
  if (unknownName) fail(unknownName.path, unknownName.message);
  return { index, file, displayFile, body: mapping, hash: mappingHash(mapping), fieldCount };
}

type Fail = (path: DataPath, message: (where: string) => string) => never;

/** Walks `properties` (and multi-field `fields`), checking every type; returns the number of leaf fields. */
function checkProperties(properties: Record<string, unknown>, path: DataPath, fail: Fail): number {
  let leaves = 0;
  for (const [name, raw] of Object.entries(properties)) {
    const fieldPath = [...path, name];
    if (name.trim() === '') fail(fieldPath, (where) => `${formatPath(path)} has a field with an empty name${where}`);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(fieldPath, (where) => `${formatPath(fieldPath)}${where} is not an object, expected a field definition such as {"type": "text"}`);
    const field = raw as Record<string, unknown>;
    const type = field.type ?? (field.properties ? 'object' : undefined);
    if (type === undefined) fail(fieldPath, (where) => `${formatPath(fieldPath)}${where} has no "type", expected a field type such as "text" or "keyword", or "properties"`);
    if (typeof type !== 'string' || !isElasticsearchFieldType(type)) {
      const hint = typeof type === 'string' ? closest(type, ELASTICSEARCH_FIELD_TYPES) : undefined;
      fail([...fieldPath, 'type'], (where) => `${formatPath([...fieldPath, 'type'])} is ${JSON.stringify(type)}${where}, expected an Elasticsearch field type${hint ? ` (did you mean "${hint}"?)` : ' (text, keyword, long, date, boolean, object, nested, ...)'}`);
    }
    const fieldType = type as string;
    if (field.properties !== undefined) {
      if (!OBJECT_TYPES.has(fieldType)) fail([...fieldPath, 'properties'], (where) => `${formatPath(fieldPath)} is of type "${fieldType}"${where} and cannot have "properties", expected type "object" or "nested"`);
      if (typeof field.properties !== 'object' || field.properties === null || Array.isArray(field.properties)) fail([...fieldPath, 'properties'], (where) => `${formatPath([...fieldPath, 'properties'])}${where} is not an object of fields`);
      leaves += checkProperties(field.properties as Record<string, unknown>, [...fieldPath, 'properties'], fail);
    } else if (!OBJECT_TYPES.has(fieldType)) {
      leaves += 1;
    }
    if (field.fields !== undefined) {
      if (OBJECT_TYPES.has(fieldType)) fail([...fieldPath, 'fields'], (where) => `${formatPath(fieldPath)} is of type "${fieldType}"${where} and cannot have multi-fields ("fields")`);
      if (typeof field.fields !== 'object' || field.fields === null || Array.isArray(field.fields)) fail([...fieldPath, 'fields'], (where) => `${formatPath([...fieldPath, 'fields'])}${where} is not an object of fields`);
      for (const [sub, def] of Object.entries(field.fields as Record<string, unknown>)) {
        if (def && typeof def === 'object' && 'properties' in def) fail([...fieldPath, 'fields', sub], (where) => `${formatPath([...fieldPath, 'fields', sub])}${where} is a multi-field and cannot have "properties"`);
      }
      leaves += checkProperties(field.fields as Record<string, unknown>, [...fieldPath, 'fields'], fail);
    }
  }
  return leaves;
}

/** Line and column of a JSON.parse failure (V8 reports a character position). */
function jsonErrorPosition(error: Error, text: string): { line: number; column: number } {
  const explicit = /\(line (\d+) column (\d+)\)/.exec(error.message);
  if (explicit) return { line: Number(explicit[1]), column: Number(explicit[2]) };
  const match = /position (\d+)/.exec(error.message);
  const position = match ? Number(match[1]) : text.length;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** sha256 over canonical JSON (keys sorted), so reformatting a file is not drift. */
export function mappingHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
