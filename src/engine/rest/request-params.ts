import { EngineError, illegalArgument, parsingError } from '../errors.js';
import { pacerOf } from '../search/paced-run.js';
import { MalformedJson, parseJsonSteps } from './paced-json.js';
import { parseJson } from '../json-numbers.js';
import type { RestRequest } from './rest-types.js';

type Json = Record<string, unknown>;

/** Parses the request body as one JSON object; '' gives `fallback` (or a 400 when a body is required). */
export function jsonBody(req: RestRequest, required = false): Json {
  const text = req.rawBody.trim();
  if (text === '') {
    if (required) throw new EngineError(400, 'parse_exception', 'request body is required');
    return {};
  }
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    throw jsonParseError(error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw parsingError('request body or source parameter is required');
  }
  return value as Json;
}

/** Bodies from this size on are parsed a slice at a time (paced-json.ts); smaller ones by JSON.parse at once. */
export const PACED_BODY_CHARS = 64 * 1024;

/**
 * {@link jsonBody} for handlers that may get large bodies: a body of {@link PACED_BODY_CHARS} or
 * more is parsed in slices through the request's pacer, so other requests are answered meanwhile.
 */
export async function jsonBodyPaced(req: RestRequest, required = false): Promise<Json> {
  if (req.rawBody.length < PACED_BODY_CHARS) return jsonBody(req, required);
  let value: unknown;
  try {
    value = await parseJsonPaced(req.rawBody.trim(), req);
  } catch (error) {
    if (error instanceof SyntaxError) throw jsonParseError(error);
    throw error;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw parsingError('request body or source parameter is required');
  return value as Json;
}

/**
 * JSON.parse of `text`, a slice at a time through the request's pacer when it is large. Throws
 * what JSON.parse throws on malformed text (JSON.parse reads it again, for its own message).
 */
export async function parseJsonPaced(text: string, req: RestRequest): Promise<unknown> {
  if (text.length < PACED_BODY_CHARS) return parseJson(text);
  try {
    return await pacerOf(req.pace ?? req.signal).run(parseJsonSteps(text));
  } catch (error) {
    if (error instanceof MalformedJson) return parseJson(text);
    throw error;
  }
}

export function jsonParseError(error: unknown): EngineError {
  const message = error instanceof Error ? error.message : String(error);
  const cause = new EngineError(400, 'json_parse_exception', message);
  return new EngineError(400, 'x_content_parse_exception', `[1:1] ${message}`, {}, cause);
}

export function boolParam(req: RestRequest, name: string, fallback: boolean): boolean {
  const value = req.query[name];
  if (value === undefined) return fallback;
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw illegalArgument(`Failed to parse value [${value}] as only [true] or [false] are allowed.`);
}

export function intParam(req: RestRequest, name: string): number | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw illegalArgument(`Failed to parse int parameter [${name}] with value [${value}]`);
  return n;
}

export function listParam(req: RestRequest, name: string): string[] | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export type RefreshPolicy = 'false' | 'true' | 'wait_for';

export function refreshParam(req: RestRequest): RefreshPolicy {
  const value = req.query.refresh;
  if (value === undefined || value === 'false') return 'false';
  if (value === '' || value === 'true') return 'true';
  if (value === 'wait_for') return 'wait_for';
  throw illegalArgument(`Unknown value for refresh: [${value}].`);
}

/** Search-ish URL params, decoded the way SearchParams expects. */
export function searchParams(req: RestRequest): Json {
  const out: Json = {};
  const numeric = new Set(['from', 'size', 'terminate_after', 'batched_reduce_size', 'max_concurrent_shard_requests', 'pre_filter_shard_size']);
  const bools = new Set(['track_scores', 'seq_no_primary_term', 'version', 'explain', 'rest_total_hits_as_int', 'typed_keys', 'allow_partial_search_results', 'ccs_minimize_roundtrips', 'request_cache', 'lenient', 'analyze_wildcard', 'ignore_unavailable', 'allow_no_indices', 'ignore_throttled']);
  for (const [key, value] of Object.entries(req.query)) {
    if (numeric.has(key)) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw illegalArgument(`Failed to parse int parameter [${key}] with value [${value}]`);
      out[key] = n;
    } else if (bools.has(key)) {
      out[key] = value === '' || value === 'true';
    } else if (key === 'track_total_hits') {
      out[key] = value === '' || value === 'true' ? true : value === 'false' ? false : Number(value);
    } else if (key === '_source') {
      out[key] = value === 'true' || value === '' ? true : value === 'false' ? false : value.split(',');
    } else if (key === '_source_includes' || key === '_source_excludes' || key === 'stored_fields' || key === 'docvalue_fields') {
      out[key] = value.split(',');
    } else if (key === 'sort') {
      out[key] = value.split(',');
    } else {
      out[key] = value;
    }
  }
  return out;
}
