import { EngineError, tokenOf } from '../errors.js';
import { levenshtein } from '../search/suggest/string-distance.js';

/**
 * The failures of Elasticsearch's ObjectParser / ConstructingObjectParser, which parse every part
 * of a `_rank_eval` body. Positions are not tracked, so the `[line:col]` prefix is `[1:1]` (as in
 * the engine's other x_content errors). The cause goes into `caused_by` while the root cause stays
 * the outer error: an XContentParseException is not an ElasticsearchException, so Elasticsearch
 * reports the outermost one as root cause.
 */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const xcontent = (reason: string, cause?: EngineError): EngineError =>
  new EngineError(400, 'x_content_parse_exception', reason, cause ? { caused_by: cause.toBody() } : {});


/** ObjectParser.parseValue wrapping any failure of one field. */
export function failedToParseField(parser: string, field: string, cause: unknown): EngineError {
  const inner = cause instanceof EngineError ? cause : new EngineError(400, 'illegal_argument_exception', String(cause));
  return xcontent(`[1:1] [${parser}] failed to parse field [${field}]`, inner);
}

/** ConstructingObjectParser: the constructor threw once every argument had arrived. */
export function failedToBuild(parser: string, cause: EngineError): EngineError {
  return xcontent(`Failed to build [${parser}] after last required field arrived`, cause);
}

/** `[precision] unknown field [kk] did you mean [k]?` (SuggestingErrorOnUnknown). */
export function unknownField(parser: string, field: string, known: readonly string[]): EngineError {
  const close = known
    .map((candidate) => ({ candidate, similarity: levenshtein(field, candidate) }))
    .filter((x) => x.similarity > 0.5)
    .sort((a, b) => b.similarity - a.similarity || a.candidate.localeCompare(b.candidate))
    .map((x) => x.candidate);
  const suggestion = close.length === 0 ? '' : close.length === 1 ? ` did you mean [${close[0]}]?` : ` did you mean any of [${close.join(', ')}]?`;
  return xcontent(`[1:1] [${parser}] unknown field [${field}]${suggestion}`);
}

/** `Required [a, b]`: a ConstructingObjectParser's missing required arguments. */
export function requiredFields(fields: readonly string[]): EngineError {
  return new EngineError(400, 'illegal_argument_exception', `Required [${fields.join(', ')}]`);
}

const unsupportedToken = (parser: string, field: string, v: unknown): EngineError =>
  xcontent(`[1:1] [${parser}] ${field} doesn't support values of type: ${tokenOf(v)}`);

/** declareInt: a number (fractions truncated, as Jackson's getIntValue) or a numeric string. */
export function readInt(parser: string, field: string, v: unknown): number {
  if (typeof v === 'number') {
    if (v > 2147483647 || v < -2147483648) throw failedToParseField(parser, field, xcontent(`[1:1] Numeric value (${v}) out of range of int (-2147483648 - 2147483647)`));
    return Math.trunc(v);
  }
  if (typeof v === 'string') {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) {
      throw failedToParseField(parser, field, new EngineError(400, 'number_format_exception', `For input string: "${v}"`));
    }
    if (n > 2147483647 || n < -2147483648) throw failedToParseField(parser, field, new EngineError(400, 'illegal_argument_exception', `Value [${v}] is out of range for an integer`));
    return Math.trunc(n);
  }
  throw unsupportedToken(parser, field, v);
}

/** declareBoolean: true/false, or the strings "true"/"false". */
export function readBoolean(parser: string, field: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw failedToParseField(parser, field, new EngineError(400, 'illegal_argument_exception', `Failed to parse value [${v}] as only [true] or [false] are allowed.`));
  }
  throw unsupportedToken(parser, field, v);
}

/** declareString: a JSON string only. */
export function readString(parser: string, field: string, v: unknown): string {
  if (typeof v === 'string') return v;
  throw unsupportedToken(parser, field, v);
}

/** declareObject: a JSON object only. */
export function readObject(parser: string, field: string, v: unknown): Json {
  if (isObject(v)) return v;
  throw unsupportedToken(parser, field, v);
}

/** declareObjectArray: an array of objects (a single object counts as a one-element array), each parsed by `element`. */
export function readObjectArray(parser: string, field: string, v: unknown, element: string): Json[] {
  if (isObject(v)) return [v];
  if (!Array.isArray(v)) throw unsupportedToken(parser, field, v);
  return v.map((item) => {
    if (!isObject(item)) throw failedToParseField(parser, field, notAnObject(element, item));
    return item;
  });
}

/** ObjectParser.parse on a value that is not an object. */
export function notAnObject(parser: string, v: unknown): EngineError {
  return xcontent(`[1:1] [${parser}] Expected START_OBJECT but was: ${tokenOf(v)}`);
}

/** declareStringArray: an array of strings, or one string. */
export function readStringArray(parser: string, field: string, v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) throw unsupportedToken(parser, field, v);
  return v.map((item) => {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw failedToParseField(parser, field, xcontent(`[1:1] [${parser}] ${field} doesn't support values of type: ${tokenOf(item)}`));
  });
}

/** Checks an object's keys against a parser's declared fields. */
export function checkFields(parser: string, body: Json, known: readonly string[]): void {
  for (const key of Object.keys(body)) if (!known.includes(key)) throw unknownField(parser, key, known);
}
