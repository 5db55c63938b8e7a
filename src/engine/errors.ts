import type { EngineErrorBody } from './contract.js';

/**
 * A failure the engine reports the way Elasticsearch does:
 * `{ error: { root_cause: [...], type, reason, ... }, status }`.
 * The client turns that body into the same `ResponseError` a cluster would cause.
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly status: number;
  readonly type: string;
  readonly extra: Record<string, unknown>;
  /** Nested cause as Elasticsearch reports it (`caused_by`). */
  readonly causedBy?: EngineError;

  constructor(status: number, type: string, reason: string, extra: Record<string, unknown> = {}, causedBy?: EngineError) {
    super(reason);
    this.status = status;
    this.type = type;
    this.extra = extra;
    this.causedBy = causedBy;
  }

  get reason(): string {
    return this.message;
  }

  /** The `error` object of the response body. */
  toBody(): EngineErrorBody {
    const body: EngineErrorBody = { type: this.type, reason: this.message, ...this.extra };
    if (this.causedBy) body.caused_by = this.causedBy.toBody();
    return body;
  }

  /** The whole response body: `{ error: { root_cause, type, reason, ... }, status }`. */
  toResponse(): { error: EngineErrorBody & { root_cause: EngineErrorBody[] }; status: number } {
    const rootCause = this.rootCause().toBody();
    delete rootCause.caused_by;
    return { error: { root_cause: [rootCause], ...this.toBody() }, status: this.status };
  }

  /**
   * ElasticsearchException.guessRootCauses: the deepest Elasticsearch exception. A script_exception's
   * cause is a Java exception (ClassCastException, PainlessError...), so the script_exception is the root.
   */
  private rootCause(): EngineError {
    return this.causedBy && this.type !== 'script_exception' ? this.causedBy.rootCause() : this;
  }
}

export const indexNotFound = (index: string): EngineError =>
  new EngineError(404, 'index_not_found_exception', `no such index [${index}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
    index,
  });

export const illegalArgument = (reason: string): EngineError =>
  new EngineError(400, 'illegal_argument_exception', reason);

export const parsingError = (reason: string, line = 1, col = 1): EngineError =>
  new EngineError(400, 'parsing_exception', reason, { line, col });

/** Anything the engine deliberately does not implement: a clear 400 naming it, never a wrong answer. */
export const unsupported = (feature: string): EngineError =>
  new EngineError(400, 'illegal_argument_exception', `[${feature}] is not supported by the indexkit embedded engine`);

/** The token Jackson reports for a JSON value, as XContent parsing errors name it (`doesn't support values of type: ...`). */
export function tokenOf(v: unknown): string {
  if (v === null) return 'VALUE_NULL';
  if (Array.isArray(v)) return 'START_ARRAY';
  switch (typeof v) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    default:
      return 'START_OBJECT';
  }
}
