/**
 * Every failure indexkit reports on purpose is an IndexkitError: a `code` from a closed
 * union, a message that says what failed, quotes the value and names the file and line
 * or path, and an exit code for the CLI. Anything else reaching the CLI is a bug and is
 * shown with its stack under --debug.
 */

export const ERROR_CODES = [
  'CONFIG_NOT_FOUND',
  'CONFIG_SYNTAX',
  'CONFIG_INVALID',
  'CONFIG_ENV_UNSET',
  'MAPPING_NOT_FOUND',
  'MAPPING_SYNTAX',
  'MAPPING_INVALID',
  'INDEX_NAME_INVALID',
  'MODEL_NOT_FOUND',
  'MODEL_EXPORT_MISSING',
  'MODEL_INVALID',
  'MODEL_LOAD_FAILED',
  'CONNECTION_INVALID',
  'DATABASE_INVALID',
  'VALIDATION_FAILED',
  'INDEX_EXISTS',
  'INDEX_NOT_FOUND',
  'INDEX_NOT_CONFIGURED',
  'INDEX_RED',
  'REBUILD_IN_PROGRESS',
  'UPDATE_IN_PROGRESS',
  'BULK_FAILED',
  'MAPPING_BREAKING',
  'MODEL_NO_UPDATED_AT',
  'ARGUMENT_INVALID',
  'CONFIRMATION_REQUIRED',
  'SEARCH_UNAVAILABLE',
  'DURATION_INVALID',
  'METRIC_INVALID',
  'JUDGMENTS_INSUFFICIENT',
  'RELEVANCE_REGRESSION',
  'SEARCH_FAILED',
  'SEARCH_QUERY_INVALID',
  'SEARCH_QUERY_NOT_FOUND',
  'PAGE_OUT_OF_RANGE',
  'QUERY_LOG_MISSING',
  'SYNC_NOT_CONFIGURED',
  'SYNC_MODEL_UNKNOWN',
  'SYNC_MODEL_NO_TABLE',
  'SYNC_RELATION_FIELD',
  'SYNC_RELATED_INVALID',
  'SYNC_FAILED',
  'SYNC_OUTBOX_MISSING',
  'SEARCH_UNREACHABLE',
  'SEARCH_NOT_ELASTICSEARCH',
  'SEARCH_AUTH_FAILED',
  'SEARCH_REJECTED',
  'ENGINE_LOCKED',
  'DATABASE_UNREACHABLE',
  'DATABASE_MISSING',
  'DATABASE_AUTH_FAILED',
  'DATABASE_SCHEMA',
  'QUERYSET_FAILED',
  'USAGE',
  'INTERRUPTED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** CLI exit codes: 0 ok, 1 failure, 2 bad usage or invalid settings, 128 + signal when interrupted. */
export const EXIT = { ok: 0, failure: 1, usage: 2, sigint: 130, sigterm: 143 } as const;

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path inside the file: `settings.updateStrategy`, `indexes.blog.models[0]`. */
  path?: string;
}

export class IndexkitError extends Error {
  override name = 'IndexkitError';
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  /** Exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; location?: ErrorLocation; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location ?? {};
    this.exitCode = options.exitCode ?? EXIT.failure;
  }
}

/** Settings file problems: always exit 2. */
export class ConfigError extends IndexkitError {
  override name = 'ConfigError';
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; location?: ErrorLocation } = {}) {
    super(code, message, { ...options, exitCode: EXIT.usage });
  }
}

export class MappingError extends IndexkitError {
  override name = 'MappingError';
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; location?: ErrorLocation } = {}) {
    super(code, message, { ...options, exitCode: EXIT.usage });
  }
}

export class ModelError extends IndexkitError {
  override name = 'ModelError';
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; location?: ErrorLocation } = {}) {
    super(code, message, { ...options, exitCode: EXIT.usage });
  }
}

/** `file:line` (or just `file`) for messages. */
export function formatLocation(location: ErrorLocation): string {
  if (!location.file) return '';
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['DURATION_INVALID', 'SEARCH_QUERY_INVALID', 'PAGE_OUT_OF_RANGE']);

/** Searches, the query log and its audit: bad input (exit 2), a failed search or an unknown query id (exit 1). */
export class SearchQueryError extends IndexkitError {
  override name = 'SearchQueryError';
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; location?: ErrorLocation; exitCode?: number } = {}) {
    super(code, message, { exitCode: USAGE_CODES.has(code) ? EXIT.usage : EXIT.failure, ...options });
  }
}

/** Index lifecycle failures (create, update, delete, prune, rebuild, status). */
export class LifecycleError extends IndexkitError {
  override name = 'LifecycleError';
}

/** Document sync: the per-object API, change capture (triggers, outbox) and the sync worker. */
export class SyncError extends IndexkitError {
  override name = 'SyncError';
}

/** Relevance evaluation: a metric name or parameter, rated requests, bootstrap settings (exit 2 unless told otherwise). */
export class RelevanceError extends IndexkitError {
  override name = 'RelevanceError';
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; location?: ErrorLocation; exitCode?: number } = {}) {
    super(code, message, { exitCode: EXIT.usage, ...options });
  }
}
