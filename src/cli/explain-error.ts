import { Errors } from '@oclif/core';
import { parseConnection } from '../config/connection-url.js';
import { ConfigValidationError } from '../config/load-config.js';
import type { LoadedConfig } from '../config/settings-types.js';
import { SEARCH_QUERIES_TABLE } from '../db/migrations/0001-search-queries.js';
import { SYNC_OUTBOX_TABLE, SYNC_TRIGGERS_TABLE } from '../db/migrations/0002-sync-outbox.js';
import { EXIT, IndexkitError } from '../errors.js';
import type { Problem } from '../models/problem.js';
import { ProjectInvalidError, formatProblem } from '../models/project-invalid-error.js';

/** An error as the CLI reports it: a code, an exit code, the lines to print, and whether it is a bug. */
export interface ExplainedError {
  code: string;
  exitCode: number;
  lines: string[];
  problems?: Problem[];
  /** True only for what indexkit did not foresee: the one case where "this is a bug" is said. */
  bug: boolean;
}

/**
 * Turns any error reaching the CLI into what a person can act on. Errors indexkit raised on
 * purpose carry their own message; failures the environment causes (the search side or the
 * database unreachable, refusing credentials, a missing database or table, a foreign server at
 * the URL, a locked embedded folder, a request Elasticsearch refused) become one line naming the
 * cause, the setting with its file and line, and what to do. Only the rest is called a bug.
 */
export async function explainError(error: unknown, config?: LoadedConfig): Promise<ExplainedError> {
  if (error instanceof ProjectInvalidError) return { code: error.code, exitCode: error.exitCode, lines: error.problems.map(formatProblem), problems: error.problems, bug: false };
  if (error instanceof ConfigValidationError) return { code: error.code, exitCode: error.exitCode, lines: error.problems, bug: false };
  if (error instanceof IndexkitError) return { code: error.code, exitCode: error.exitCode, lines: error.message.split('\n'), bug: false };
  if (error instanceof Errors.CLIError) return { code: 'USAGE', exitCode: (error as { oclif?: { exit?: number } }).oclif?.exit ?? EXIT.usage, lines: [usageLine(error.message)], bug: false };
  const environment = (await searchSideProblem(error, config)) ?? databaseProblem(error, config);
  if (environment) return { ...environment, lines: [environment.line], bug: false };
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'BUG', exitCode: EXIT.failure, lines: [`unexpected ${name}: ${message.split('\n')[0]}`], bug: true };
}

/**
 * oclif's parse errors keep the reason on their second line (`Parsing --chunk-size \n\tExpected
 * an integer but received: x\nSee more help with --help`): all of it, on one line, without the
 * help pointer.
 */
export function usageLine(message: string): string {
  const parts = message
    .split('\n')
    // `id  The query id…` (an argument and its description) reads as `id (The query id…)`.
    .map((line) => line.trim().replace(/^(\S+)\s{2,}(\S.*)$/, '$1 ($2)').replace(/\s+/g, ' '))
    .filter((line) => line !== '' && !/^See more help with/.test(line));
  const [first = '', ...rest] = parts;
  if (rest.length === 0) return first;
  return `${first}${/[:.]$/.test(first) ? '' : ':'} ${rest.join('; ')}`;
}

/**
 * The search client's error classes and its readers of error bodies, imported only to explain an
 * error the client raised: the client is several hundred modules, and a command that never talks
 * to the search side (`search check`, a settings error, the database commands) starts without it.
 */
async function clientErrors() {
  const [{ errors }, reader] = await Promise.all([import('@elastic/elasticsearch'), import('../client/response-error.js')]);
  return { errors, ...reader };
}

/**
 * Whether the search client raised `error`: all its errors derive from its
 * ElasticsearchClientError (told by name, so without importing the client; the instanceof checks
 * after the import decide what it is).
 */
function fromSearchClient(error: unknown): boolean {
  for (let proto: unknown = error instanceof Error ? Object.getPrototypeOf(error) : null; proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === 'ElasticsearchClientError') return true;
  }
  return false;
}

/** The body of the answer an error carries (a client ResponseError's, or the embedded engine's). */
function bodyOf(error: unknown): unknown {
  return (error as { meta?: { body?: unknown } } | null)?.meta?.body;
}

/**
 * A 503 of a red index: a search whose every shard is unavailable, a write whose primary is not
 * active, a get with no shard to read from.
 */
function isShardUnavailable(body: unknown): boolean {
  const error = (body as { error?: { type?: unknown; root_cause?: Array<{ type?: unknown }> } } | null)?.error;
  const types = [error?.type, ...(error?.root_cause ?? []).map((c) => c.type)];
  return types.includes('unavailable_shards_exception') || types.includes('no_shard_available_action_exception');
}

interface Environmental {
  code: string;
  exitCode: number;
  line: string;
}

/** `connections.default, search.config.yaml:2`: the setting a failure comes from, with its line. */
function settingAt(config: LoadedConfig | undefined, path: Array<string | number>): string {
  const name = path.join('.');
  if (!config) return name;
  const line = config.lineOf(path);
  return `${name}, ${config.displayFile}${line === undefined ? '' : `:${line}`}`;
}

/** The connection whose node the failing request went to (the only remote one when it cannot be told). */
function connectionOf(error: unknown, config: LoadedConfig | undefined): { name: string; url?: string } | undefined {
  if (!config) return undefined;
  const failedUrl = urlOf((error as { meta?: { meta?: { connection?: { url?: unknown } } } })?.meta?.meta?.connection?.url);
  const remote = Object.entries(config.connections).flatMap(([name, setting]) => {
    const parsed = parseConnection(setting);
    return parsed.kind === 'url' ? parsed.nodes.map((node) => ({ name, url: node })) : [];
  });
  if (failedUrl) {
    const match = remote.find((r) => sameOrigin(r.url, failedUrl));
    if (match) return { name: match.name, url: failedUrl.origin };
    return { name: remote[0]?.name ?? 'default', url: failedUrl.origin };
  }
  const names = [...new Set(remote.map((r) => r.name))];
  return names.length === 1 ? { name: names[0]!, url: remote.find((r) => r.name === names[0])!.url } : undefined;
}

function urlOf(value: unknown): URL | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return new URL(String(value));
  } catch {
    return undefined;
  }
}

function sameOrigin(node: string, url: URL): boolean {
  try {
    return new URL(node).origin === url.origin;
  } catch {
    return false;
  }
}

const SOCKET_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate (set tls.ca or tls.caFingerprint)',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain (set tls.ca)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified (set tls.ca)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
};

/** `connection refused` for `connect ECONNREFUSED 127.0.0.1:9399`, from the code or the message. */
function socketCause(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && SOCKET_CAUSES[code]) return SOCKET_CAUSES[code];
    const message = e instanceof Error ? e.message : '';
    const found = Object.keys(SOCKET_CAUSES).find((k) => message.includes(k));
    if (found) return SOCKET_CAUSES[found];
  }
  return undefined;
}

async function searchSideProblem(error: unknown, config: LoadedConfig | undefined): Promise<Environmental | undefined> {
  const lock = lockProblem(error, config);
  if (lock) return lock;
  if (!fromSearchClient(error)) return undefined;
  const { errors, elasticsearchReason, isForeignServerAnswer, responseBody } = await clientErrors();
  const connection = connectionOf(error, config);
  const where = connection ? ` (${settingAt(config, ['connections', connection.name])})` : '';
  const url = connection?.url ?? 'the search side';
  const fix = connection ? `start Elasticsearch there or point connections.${connection.name} at a running cluster` : 'start Elasticsearch or fix connections';
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError || error instanceof errors.TimeoutError) {
    const cause = error instanceof errors.TimeoutError ? 'timed out' : (socketCause(error) ?? error.message);
    return { code: 'SEARCH_UNREACHABLE', exitCode: EXIT.failure, line: `cannot reach ${url}${where}: ${cause}; ${fix}` };
  }
  if (isForeignServerAnswer(error)) {
    const status = (error as { meta?: { statusCode?: number } }).meta?.statusCode;
    const body = responseBody(error);
    const title = typeof body === 'string' ? /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim() : undefined;
    const what = [status ? `HTTP ${status}` : undefined, title ? `"${title}"` : typeof body === 'string' ? 'a non-JSON page' : undefined].filter(Boolean).join(' ');
    return {
      code: 'SEARCH_NOT_ELASTICSEARCH',
      exitCode: EXIT.failure,
      line: `${url}${where} did not answer as Elasticsearch${what ? ` (${what})` : ''}; point connections.${connection?.name ?? 'default'} at an Elasticsearch or OpenSearch server`,
    };
  }
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const reason = elasticsearchReason(error) ?? error.message.split('\n')[0]!;
    if (status === 401 || status === 403) {
      return { code: 'SEARCH_AUTH_FAILED', exitCode: EXIT.failure, line: `${url}${where} refused the credentials (HTTP ${status}: ${reason}); check connections.${connection?.name ?? 'default'}.auth` };
    }
    if (status === 503 && isShardUnavailable(bodyOf(error))) {
      return { code: 'INDEX_RED', exitCode: EXIT.failure, line: `an index the request reaches on the search side${where} is red: its shards are not allocated (HTTP 503: ${reason}); run search status to see which index and why` };
    }
    // HunspellService's load failure is a 500, but a missing dictionary is the setup's, not a busy cluster's
    const locale = /failed to load hunspell dictionary for locale: ([^\s:]+)/.exec(reason)?.[1];
    if (locale !== undefined) {
      return { code: 'SEARCH_REJECTED', exitCode: EXIT.failure, line: `the search side${where} cannot load the hunspell dictionary of a mapping's analysis (HTTP ${status}: ${reason}); put its .aff and .dic files in ${hunspellHome(config, locale)}` };
    }
    if (status >= 500 || status === 429) return { code: 'SEARCH_UNAVAILABLE', exitCode: EXIT.failure, line: `the search side${where} failed the request (HTTP ${status}: ${reason}); try again later` };
    return { code: 'SEARCH_REJECTED', exitCode: EXIT.failure, line: `the search side${where} refused the request (HTTP ${status}): ${reason}` };
  }
  return undefined;
}

/** Where a node reads the dictionary of a hunspell locale: `<config>/hunspell/<locale>/` (the embedded engine's config is `<folder>/config`). */
function hunspellHome(config: LoadedConfig | undefined, locale: string): string {
  const embedded = config ? Object.values(config.connections).map(parseConnection).find((c) => c.kind === 'embedded') : undefined;
  return embedded?.kind === 'embedded' ? `${embedded.dir}/config/hunspell/${locale}/ (the embedded engine's config directory)` : `hunspell/${locale}/ of the Elasticsearch node's config directory`;
}

/** The embedded engine's data folder held by another process. */
function lockProblem(error: unknown, config: LoadedConfig | undefined): Environmental | undefined {
  const body = bodyOf(error) as { error?: { type?: string; reason?: string } } | undefined;
  const type = (error as { type?: unknown })?.type ?? body?.error?.type;
  if (type !== 'lock_obtain_failed_exception') return undefined;
  const reason = body?.error?.reason ?? (error as Error).message;
  const embedded = config && Object.entries(config.connections).find(([, s]) => parseConnection(s).kind === 'embedded');
  const where = embedded ? ` (${settingAt(config, ['connections', embedded[0]])})` : '';
  return { code: 'ENGINE_LOCKED', exitCode: EXIT.failure, line: `the embedded engine's folder is in use${where}: ${reason}` };
}

/** PostgreSQL's (and PGlite's) errors carry a five-character SQLSTATE `code`. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The database's own message, without the SQL knex puts in front (`select … - relation "x" does not exist`). */
function databaseMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const dash = message.lastIndexOf(' - ');
  return (dash >= 0 ? message.slice(dash + 3) : message).split('\n')[0]!;
}

const OWN_TABLES = [SEARCH_QUERIES_TABLE, SYNC_OUTBOX_TABLE, SYNC_TRIGGERS_TABLE];

function databaseProblem(error: unknown, config: LoadedConfig | undefined): Environmental | undefined {
  const where = `(${settingAt(config, ['database', 'connection'])})`;
  const state = sqlState(error);
  const message = databaseMessage(error);
  if (!state) {
    // The search side's socket failures arrive wrapped in the client's ConnectionError (handled
    // before this); a bare socket error comes from pg.
    const cause = socketCause(error);
    if (cause) return { code: 'DATABASE_UNREACHABLE', exitCode: EXIT.failure, line: `cannot reach the database ${where}: ${cause}; start PostgreSQL or fix database.connection` };
    if (error instanceof Error && error.name === 'KnexTimeoutError') {
      return { code: 'DATABASE_UNREACHABLE', exitCode: EXIT.failure, line: `cannot reach the database ${where}: no connection within the timeout; start PostgreSQL or fix database.connection` };
    }
    return undefined;
  }
  if (state === '3D000') return { code: 'DATABASE_MISSING', exitCode: EXIT.failure, line: `${message} ${where}; create it (createdb) or fix database.connection` };
  if (state === '28000' || state === '28P01') return { code: 'DATABASE_AUTH_FAILED', exitCode: EXIT.failure, line: `the database refused the login ${where}: ${message}; fix the user or password in database.connection` };
  if (state.startsWith('08') || state === '57P03') return { code: 'DATABASE_UNREACHABLE', exitCode: EXIT.failure, line: `cannot reach the database ${where}: ${message}` };
  if (state === '42P01') {
    const own = OWN_TABLES.find((t) => message.includes(t));
    if (own) return { code: 'DATABASE_SCHEMA', exitCode: EXIT.failure, line: `${message}: indexkit's table ${own} is missing in this database ${where}; run search migrate first` };
    return { code: 'DATABASE_SCHEMA', exitCode: EXIT.failure, line: `${message} in the database ${where}; create the table or fix the model's getSearchQueryset` };
  }
  if (state === '42703' || state === '42702') return { code: 'DATABASE_SCHEMA', exitCode: EXIT.failure, line: `${message} in the database ${where}; fix the model's getSearchQueryset or the table` };
  return undefined;
}
