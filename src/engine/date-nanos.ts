import { illegalArgument } from './errors.js';
import type { EngineError } from './errors.js';

/**
 * `date_nanos` values (Elasticsearch's DateFieldMapper.Resolution.NANOSECONDS): a long of epoch
 * nanoseconds, from 1970-01-01T00:00:00Z to 2262-04-11T23:47:16.854775807Z (Long.MAX_VALUE).
 * They exceed 2^53, so they are bigints here. A segment keeps each value twice: the field's
 * numeric doc values hold epoch millis rounded down (what date_histogram and the other millisecond
 * machinery read, as ES rounds nanos down to millis there), and a companion keyword column,
 * `nanosField(path)`, holds the exact value as 19 zero-padded digits, whose string order is the
 * numeric order (sort, range and term queries, search_after, docvalue_fields).
 */

export const MAX_NANOS = 9223372036854775807n;
const NANOS_PER_MILLI = 1_000_000n;

/** The hidden doc-values column of a date_nanos field holding its exact values. */
export function nanosField(path: string): string {
  return `${path}\u0000nanos`;
}

export function encodeNanos(nanos: bigint): string {
  return nanos.toString().padStart(19, '0');
}

export function decodeNanos(text: string): bigint {
  return BigInt(text);
}

/** Epoch millis rounded down (DateUtils.toMilliSeconds for non-negative values). */
export function nanosToMillis(nanos: bigint): number {
  return Number(nanos / NANOS_PER_MILLI);
}

/** Nanoseconds within the millisecond (0..999999). */
export function subMillisNanos(nanos: bigint): number {
  return Number(nanos % NANOS_PER_MILLI);
}

export function millisToNanos(millis: number, subMillis = 0): bigint {
  return BigInt(Math.floor(millis)) * NANOS_PER_MILLI + BigInt(subMillis);
}

/** java.time.Instant#toString: ISO-8601 in UTC with the fraction in groups of 3 digits as needed. */
export function instantText(millis: number, subMillis = 0): string {
  const d = new Date(Math.floor(millis));
  if (Number.isNaN(d.getTime())) return String(millis);
  const iso = d.toISOString();
  const base = iso.slice(0, 19);
  const ms = d.getUTCMilliseconds();
  if (ms === 0 && subMillis === 0) return `${base}Z`;
  let fraction = String(ms).padStart(3, '0') + String(subMillis).padStart(6, '0');
  while (fraction.length > 3 && fraction.endsWith('000')) fraction = fraction.slice(0, -3);
  return `${base}.${fraction}Z`;
}

/** DateUtils.toLong: an instant outside what a long of nanos holds is refused. */
export function checkNanosRange(millis: number, subMillis: number): EngineError | undefined {
  if (millis < 0) return illegalArgument(`date[${instantText(millis, subMillis)}] is before the epoch in 1970 and cannot be stored in nanosecond resolution`);
  if (millisToNanos(millis, subMillis) > MAX_NANOS) {
    return illegalArgument(`date[${instantText(millis, subMillis)}] is after 2262-04-11T23:47:16.854775807 and cannot be stored in nanosecond resolution`);
  }
  return undefined;
}

/** The instant of `millis` + `subMillis` as a long of nanos, or the error ES gives when it does not fit. */
export function toNanos(millis: number, subMillis: number): bigint {
  const error = checkNanosRange(millis, subMillis);
  if (error) throw error;
  return millisToNanos(millis, subMillis);
}

/** DateUtils.clampToNanosRange: what a nanos query bound becomes outside the representable range. */
export function clampToNanos(millis: number, subMillis: number): bigint {
  if (millis < 0) return 0n;
  const n = millisToNanos(millis, subMillis);
  return n > MAX_NANOS ? MAX_NANOS : n;
}

/** The exact values of a date_nanos field in one doc, ascending. */
export function readNanos(keywordValues: readonly string[] | undefined): bigint[] | undefined {
  return keywordValues?.map(decodeNanos);
}

/** Nanoseconds after the millisecond in a fraction of a second (`123456789` -> 456789). */
export function fractionSubMillis(fraction: string | undefined): number {
  if (!fraction || fraction.length <= 3) return 0;
  return Number(fraction.slice(3, 9).padEnd(6, '0'));
}
