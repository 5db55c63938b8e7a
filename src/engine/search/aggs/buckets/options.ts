import { EngineError } from '../../../errors.js';
import type { AggSpec } from '../agg-types.js';

/**
 * Option readers for bucket aggregations, failing as Elasticsearch's ObjectParser does:
 * `x_content_parse_exception` `[1:1] [terms] unknown field [foo]` (the engine has no parser
 * positions, so every location is `[1:1]`).
 */

export function xContentError(reason: string, cause?: EngineError): EngineError {
  // XContentParseException is not an ElasticsearchException: it stays the root cause, its cause is only `caused_by`
  return new EngineError(400, 'x_content_parse_exception', `[1:1] ${reason}`, cause ? { caused_by: cause.toBody() } : {});
}

/** Fails on a key the aggregation type does not know. */
export function checkKeys(spec: AggSpec, allowed: readonly string[]): void {
  for (const k of Object.keys(spec.body)) {
    if (!allowed.includes(k)) throw xContentError(`[${spec.type}] unknown field [${k}]`);
  }
}

export function optNumber(spec: AggSpec, key: string): number | undefined {
  const v = spec.body[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw xContentError(`[${spec.type}] failed to parse field [${key}]`);
  return n;
}

export function optInt(spec: AggSpec, key: string): number | undefined {
  const n = optNumber(spec, key);
  if (n !== undefined && !Number.isInteger(n)) throw xContentError(`[${spec.type}] failed to parse field [${key}]`);
  return n;
}

export function optString(spec: AggSpec, key: string): string | undefined {
  const v = spec.body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw xContentError(`[${spec.type}] ${key} doesn't support values of type: ${Array.isArray(v) ? 'START_ARRAY' : 'START_OBJECT'}`);
}

export function optBoolean(spec: AggSpec, key: string): boolean | undefined {
  const v = spec.body[key];
  if (v === undefined || v === null) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw xContentError(`[${spec.type}] failed to parse field [${key}]`);
}

/** `field` is required unless a script is given (scripts are not supported). */
export function requireField(spec: AggSpec): string {
  if (spec.body.script !== undefined) throw new EngineError(400, 'illegal_argument_exception', '[script] in aggregations is not supported by the indexkit embedded engine');
  const f = optString(spec, 'field');
  if (f === undefined) throw new EngineError(400, 'illegal_argument_exception', 'Required one of fields [field, script], but none were specified.');
  return f;
}

/** `size` and friends must be positive: `[size] must be greater than 0. Found [0] in [name]`. */
export function positive(spec: AggSpec, key: string, n: number, allowZero = false): number {
  if (n < 0 || (!allowZero && n === 0)) {
    const cause = new EngineError(400, 'illegal_argument_exception', `[${key}] must be greater than ${allowZero ? 'or equal to ' : ''}0. Found [${n}] in [${spec.name}]`);
    throw xContentError(`[${spec.type}] failed to parse field [${key}]`, cause);
  }
  return n;
}

/**
 * SuggestingErrorOnUnknown: ` did you mean [x]?` (or `any of [a, b]`) for the candidates whose
 * Lucene LevenshteinDistance similarity `1 - d / max(len)` is above 0.5, best first; '' if none.
 */
export function didYouMean(unknown: string, candidates: readonly string[]): string {
  const close = candidates
    .map((c) => ({ c, sim: 1 - editDistance(c, unknown) / Math.max(c.length, unknown.length) }))
    .filter((x) => x.sim > 0.5)
    .sort((a, b) => b.sim - a.sim || (a.c < b.c ? -1 : 1))
    .map((x) => x.c);
  if (close.length === 0) return '';
  return ` did you mean ${close.length === 1 ? `[${close[0] as string}]` : `any of [${close.join(', ')}]`}?`;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

/** checkKeys with ObjectParser's suggestion: `[significant_terms] unknown field [jlp] did you mean [jlh]?`. */
export function checkKeysSuggesting(spec: AggSpec, allowed: readonly string[]): void {
  for (const k of Object.keys(spec.body)) {
    if (!allowed.includes(k)) throw xContentError(`[${spec.type}] unknown field [${k}]${didYouMean(k, allowed)}`);
  }
}
