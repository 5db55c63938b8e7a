import { clampToNanos, nanosToMillis, subMillisNanos } from '../date-nanos.js';
import { EngineError } from '../errors.js';
import { compileInstantFormat } from '../index/mapping/date-format.js';
import { dateFormatter } from './aggs/value-format.js';
import type { SortKey, SortSource, SortSpec } from './sort.js';

/**
 * Sorts on `date` and `date_nanos` fields: sort values printed with the sort's `format`
 * (DocValueFormat.DateTime in the key's resolution), and `search_after` values read back with
 * that format, else the field's mapping format, into the key's resolution (millis or nanos).
 */

type DateSource = Extract<SortSource, { type: 'numeric' }>;

export function isDateSort(src: SortSource | null | undefined): src is DateSource {
  return src?.type === 'numeric' && (src.info.type === 'date' || src.info.type === 'date_nanos');
}

/** A date sort key (epoch millis, or epoch nanos as a bigint) in `format`. */
export function formatSortDate(key: number | bigint, format: string): string {
  const print = dateFormatter(format);
  return typeof key === 'bigint' ? print(nanosToMillis(key), subMillisNanos(key)) : print(key);
}

function parseFailure(value: string, format: string): EngineError {
  return new EngineError(400, 'parse_exception', `failed to parse date field [${value}] with format [${format}]`);
}

/** A `search_after` value of a date sort as a key of that sort's resolution. */
export function parseAfterDate(value: unknown, s: SortSpec, src: DateSource): SortKey {
  const nanos = src.nanos === true;
  if (typeof value === 'number') return nanos ? BigInt(Math.trunc(value)) : value;
  if (typeof value === 'bigint') return nanos ? value : nanosToMillis(value);
  const text = String(value);
  const format = s.format ?? src.info.dateFormat ?? 'strict_date_optional_time||epoch_millis';
  const instant = compileInstantFormat(format)?.(text);
  if (instant === undefined) {
    // a raw key as the sort reported it without a format (a long of millis or nanos)
    if (s.format === undefined && /^-?\d+$/.test(text)) return nanos ? BigInt(text) : Number(text);
    throw parseFailure(text, format);
  }
  return nanos ? clampToNanos(instant.millis, instant.subMillis) : instant.millis;
}
