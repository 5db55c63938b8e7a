import { readFile as fsReadFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { ConfigError } from '../errors.js';
import { maskUrlPasswords, parseConnection } from './connection-url.js';
import { indexNameProblem } from './index-name.js';
import { interpolateDocument } from './interpolate.js';
import { validateAgainstSchema } from './schema-validator.js';
import type { LoadedConfig, SearchSettings } from './settings-types.js';
import { secretValues, maskSecrets } from './secrets.js';
import { SourceLocator, type DataPath } from './source-locator.js';

export const DEFAULT_CONFIG_FILE = 'search.config.yaml';

export interface LoadConfigOptions {
  /** Explicit path (the `--config` flag). */
  path?: string;
  /** Environment for `${VAR}` and `SEARCH_CONFIG`; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Folder the default and relative paths resolve against; defaults to process.cwd(). */
  cwd?: string;
  readFile?: (path: string) => Promise<string>;
}

/** Several problems found in one file, one line each. */
export class ConfigValidationError extends ConfigError {
  override name = 'ConfigValidationError';
  readonly problems: string[];
  constructor(problems: string[], file: string, firstLine?: number) {
    super('CONFIG_INVALID', problems.join('\n'), { location: { file, line: firstLine } });
    this.problems = problems;
  }
}

/** Resolves which settings file to read: --config, then SEARCH_CONFIG, then ./search.config.yaml. */
export function resolveConfigPath(options: Pick<LoadConfigOptions, 'path' | 'env' | 'cwd'> = {}): { file: string; display: string } {
  const cwd = options.cwd ?? process.cwd();
  const given = options.path ?? (options.env ?? process.env).SEARCH_CONFIG ?? DEFAULT_CONFIG_FILE;
  const file = resolve(cwd, given);
  const rel = relative(cwd, file);
  return { file, display: rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file };
}

/**
 * Reads, interpolates and validates search.config.yaml. Throws ConfigError (exit 2) naming
 * the file and line of the first syntax error, or every schema problem, one per line.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const { file, display } = resolveConfigPath(options);
  const read = options.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  let text: string;
  try {
    text = await read(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError('CONFIG_NOT_FOUND', `settings file ${display} ${why}; pass --config <file> or set SEARCH_CONFIG`, { cause: error, location: { file: display } });
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) throw yamlSyntaxError(syntax, display, lineCounter);
  const locator = new SourceLocator(text, doc, lineCounter);
  const lineOf = (path: DataPath, options?: { key?: boolean }) => locator.locate(path, options)?.line;

  interpolateDocument(doc, { env, file: display, locator }, (offset) => lineCounter.linePos(offset).line);
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) throw new ConfigError('CONFIG_INVALID', `${display} is empty, expected a mapping with an "indexes" key`, { location: { file: display, line: 1 } });

  // Secrets are taken from the raw data before validating, whose messages quote values.
  const secrets = secretValues(data);
  const problems = validateAgainstSchema('schema/search-config.schema.json', data, display);
  const lines = problems.map((p) => p.describe(` in ${display}${at(lineOf(p.path, { key: p.atKey }))}`));
  const settings = data as SearchSettings;
  if (problems.length === 0) lines.push(...semanticProblems(settings, display, lineOf));
  if (lines.length > 0) throw new ConfigValidationError(lines.map((line) => maskSecrets(line, secrets)), display, problems[0] ? lineOf(problems[0].path, { key: problems[0].atKey }) : undefined);

  return { ...settings, file, displayFile: display, baseDir: dirname(file), lineOf };
}

const at = (line: number | undefined) => (line === undefined ? '' : `:${line}`);

function yamlSyntaxError(error: YAMLError, display: string, lines: LineCounter): ConfigError {
  const pos = lines.linePos(error.pos[0]);
  const first = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const what = error.code === 'DUPLICATE_KEY' ? `duplicate key: ${first}` : first;
  return new ConfigError('CONFIG_SYNTAX', `${display}:${pos.line}:${pos.col}: invalid YAML: ${what}`, { cause: error, location: { file: display, line: pos.line, column: pos.col } });
}

/** Rules the schema cannot say: index names, connection references, connection objects. */
function semanticProblems(settings: SearchSettings, display: string, lineOf: (path: DataPath, options?: { key?: boolean }) => number | undefined): string[] {
  const out: string[] = [];
  for (const [name, index] of Object.entries(settings.indexes)) {
    const why = indexNameProblem(name);
    if (why) out.push(`index name "${name}" in ${display}${at(lineOf(['indexes', name], { key: true }))} is not a valid Elasticsearch index name: it ${why}`);
    if (!(index.connection in settings.connections)) {
      const known = Object.keys(settings.connections).join(', ') || 'none';
      out.push(`indexes.${name}.connection is "${index.connection}" in ${display}${at(lineOf(['indexes', name, 'connection']))}, expected a name under connections (${known})`);
    }
    index.models.forEach((ref, i) => {
      if (ref.split('#').length > 2 || ref.endsWith('#') || ref.startsWith('#')) {
        out.push(`indexes.${name}.models[${i}] is "${ref}" in ${display}${at(lineOf(['indexes', name, 'models', i]))}, expected "<module path>#<export name>"`);
      }
    });
  }
  for (const [name, connection] of Object.entries(settings.connections)) {
    const parsed = parseConnection(connection);
    if (parsed.kind === 'invalid') {
      const shown = typeof connection === 'string' ? ` is ${JSON.stringify(maskUrlPasswords(connection))}` : '';
      out.push(`connections.${name}${shown} in ${display}${at(lineOf(['connections', name]))} ${parsed.reason}`);
    }
    const auth = typeof connection === 'object' ? connection.auth : undefined;
    if (auth) {
      const kinds = [auth.username !== undefined || auth.password !== undefined, auth.apiKey !== undefined, auth.bearer !== undefined, auth.aws !== undefined].filter(Boolean).length;
      if (kinds !== 1 || (auth.username !== undefined) !== (auth.password !== undefined)) {
        out.push(`connections.${name}.auth in ${display}${at(lineOf(['connections', name, 'auth']))}, expected exactly one of: username and password, apiKey, bearer, aws`);
      }
      if (auth.aws && (connection as { product?: string }).product !== 'opensearch') {
        out.push(`connections.${name}.auth.aws in ${display}${at(lineOf(['connections', name, 'auth', 'aws']))} signs with SigV4 for Amazon OpenSearch Service, expected product: opensearch on the connection`);
      }
    }
  }
  return out;
}
