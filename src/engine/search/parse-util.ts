import type { EngineError} from '../errors.js';
import { parsingError } from '../errors.js';
import type { Fuzziness } from './query.js';

/** Helpers shared by the query DSL parsers; every failure is ES's `parsing_exception`. */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function expectObject(queryName: string, v: unknown): Json {
  if (!isObject(v)) throw parsingError(`[${queryName}] query malformed, no start_object after query name`);
  return v;
}

export function unknownParam(queryName: string, key: string): EngineError {
  return parsingError(`[${queryName}] query does not support [${key}]`);
}

export function asNumber(queryName: string, key: string, v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw parsingError(`[${queryName}] failed to parse field [${key}]: [${String(v)}] is not a number`);
}

export function asInt(queryName: string, key: string, v: unknown): number {
  const n = asNumber(queryName, key, v);
  if (!Number.isInteger(n)) throw parsingError(`[${queryName}] failed to parse field [${key}]: [${String(v)}] is not an integer`);
  return n;
}

export function asBoolean(queryName: string, key: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw parsingError(
    `[${queryName}] failed to parse field [${key}]: Failed to parse value [${String(v)}] as only [true] or [false] are allowed.`,
  );
}

export function asString(queryName: string, key: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw parsingError(`[${queryName}] [${key}] must be a string, found [${JSON.stringify(v)}]`);
}

/** A string, or an array of strings (`fields`, `_source` patterns). */
export function asStringList(queryName: string, key: string, v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => asString(queryName, key, x));
  return [asString(queryName, key, v)];
}

export function oneOf<T extends string>(queryName: string, key: string, v: unknown, allowed: readonly T[]): T {
  const s = asString(queryName, key, v).toLowerCase();
  const hit = allowed.find((a) => a === s);
  if (hit === undefined) throw parsingError(`[${queryName}] illegal ${key} value [${String(v)}], allowed: ${allowed.join(', ')}`);
  return hit;
}

/**
 * The `{ "<field>": value | { options } }` shape of single-field queries. Elasticsearch rejects a
 * second field with `[match] query doesn't support multiple fields, found [a] and [b]`.
 */
export function singleField(queryName: string, body: unknown): [string, unknown] {
  const o = expectObject(queryName, body);
  const keys = Object.keys(o);
  const first = keys[0];
  if (first === undefined) throw parsingError(`[${queryName}] query malformed, no field specified`);
  const second = keys[1];
  if (second !== undefined) {
    throw parsingError(`[${queryName}] query doesn't support multiple fields, found [${first}] and [${second}]`);
  }
  return [first, o[first]];
}

/** `fuzziness`: 0, 1, 2, "AUTO", "AUTO:low,high" (ES Fuzziness.parse). */
export function parseFuzziness(queryName: string, v: unknown): Fuzziness {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()))) {
    const n = Number(v);
    if (n === 0 || n === 1 || n === 2) return { auto: false, edits: n };
    if (n > 2) return { auto: false, edits: 2 };
    throw parsingError(`[${queryName}] invalid fuzziness value: [${String(v)}]`);
  }
  if (typeof v === 'string') {
    const s = v.trim().toUpperCase();
    if (s === 'AUTO') return { auto: true, low: 3, high: 6 };
    const m = /^AUTO:(\d+),(\d+)$/.exec(s);
    if (m) {
      const low = Number(m[1]);
      const high = Number(m[2]);
      if (low <= high) return { auto: true, low, high };
    }
  }
  throw parsingError(`[${queryName}] failed to parse fuzziness: invalid fuzziness value: [${String(v)}]`);
}

/** Edits allowed for a term of `length` code points (ES Fuzziness.asDistance). */
export function fuzzyEdits(f: Fuzziness, term: string): number {
  if (!f.auto) return f.edits;
  const len = [...term].length;
  return len < f.low ? 0 : len < f.high ? 1 : 2;
}

/** `minimum_should_match` as given: number or string. */
export function asMinimumShouldMatch(queryName: string, v: unknown): string {
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v === 'string') return v;
  throw parsingError(`[${queryName}] minimum_should_match must be an integer or a string, found [${JSON.stringify(v)}]`);
}

/** Reads `boost` and `_name`, the two options every query accepts. Returns true when `key` was one of them. */
export function commonOption(queryName: string, target: { boost: number; name?: string }, key: string, v: unknown): boolean {
  if (key === 'boost') {
    target.boost = asNumber(queryName, key, v);
    return true;
  }
  if (key === '_name') {
    target.name = asString(queryName, key, v);
    return true;
  }
  return false;
}
