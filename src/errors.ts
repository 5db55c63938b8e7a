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
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** CLI exit codes: 0 ok, 1 failure, 2 bad usage or invalid settings. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

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
