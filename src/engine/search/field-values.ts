import type { FieldInfo } from '../contract.js';
import { clampToNanos, fractionSubMillis } from '../date-nanos.js';
import { EngineError } from '../errors.js';
import { compileDateFormat } from './date-format.js';
import { UTC, parseIsoDate, parseTimeZone, resolveDateMath } from './date-math.js';
import type { TimeZone } from './date-math.js';
import type { RewriteContext } from './rewrite-context.js';

/** Query values converted to a field's indexed representation, failing as Elasticsearch does. */

export const NUMERIC_TYPES = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long', 'token_count']);
const INTEGER_TYPES = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long', 'token_count']);

export const isNumericField = (f: FieldInfo): boolean => NUMERIC_TYPES.has(f.type);
export const isIntegerField = (f: FieldInfo): boolean => INTEGER_TYPES.has(f.type);

/** A number from a query value; "abc" fails with `For input string: "abc"` (Java's NumberFormatException). */
export function toNumber(ctx: RewriteContext, field: FieldInfo, value: unknown): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value.trim()))) n = Number(value.trim());
  else if (typeof value === 'boolean') {
    return ctx.fail(`failed to create query: Current token (VALUE_${value ? 'TRUE' : 'FALSE'}) not numeric`, {
      type: 'illegal_argument_exception',
      reason: `Current token (VALUE_${value ? 'TRUE' : 'FALSE'}) not numeric`,
    });
  } else {
    const reason = `For input string: "${String(value)}"`;
    return ctx.fail(`failed to create query: ${reason}`, { type: 'number_format_exception', reason });
  }
  if (field.type === 'float') return Math.fround(n);
  return n;
}

/** true/false from a query value (`"true"`, `"false"`, booleans). */
export function toBoolean(ctx: RewriteContext, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false' || value === '') return false;
  const reason = `Can't parse boolean value [${String(value)}], expected [true] or [false]`;
  return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
}

export interface DateOptions {
  format?: string;
  timeZone?: string;
}

/** A date query value to epoch millis, with date math, `format` and `time_zone`. */
export function toDateMillis(ctx: RewriteContext, field: FieldInfo, value: unknown, roundUp: boolean, opts: DateOptions = {}): number {
  const zone: TimeZone = opts.timeZone ? parseTimeZone(opts.timeZone) : UTC;
  const custom = opts.format ? compileDateFormat(opts.format) : undefined;
  const anchor = (text: string, up: boolean): number => {
    if (custom) {
      const v = custom(text, up, zone);
      if (v !== undefined) return v;
      return dateFail(ctx, text, opts.format ?? '');
    }
    const iso = parseIsoDate(text, up, zone);
    if (iso !== undefined) return iso;
    if (/^-?\d+$/.test(text)) return Number(text);
    if (field.parseDate) {
      try {
        return field.parseDate(text);
      } catch (e) {
        if (e instanceof EngineError) return ctx.fail(`failed to create query: ${e.message}`, { type: e.type, reason: e.message });
        throw e;
      }
    }
    return dateFail(ctx, text, 'strict_date_optional_time||epoch_millis');
  };
  // A number is parsed as its text, as Elasticsearch does: with `format: uuuu`, 2023 is a year.
  if (typeof value === 'number') {
    if (!custom) return Math.trunc(value);
    value = String(value);
  }
  if (typeof value !== 'string') return dateFail(ctx, String(value), opts.format ?? 'strict_date_optional_time||epoch_millis');
  try {
    return resolveDateMath(value, ctx.nowMs, roundUp, zone, anchor);
  } catch (e) {
    if (e instanceof EngineError && e.type === 'parse_exception') return ctx.fail(`failed to create query: ${e.message}`, { type: e.type, reason: e.message });
    throw e;
  }
}

/**
 * A date_nanos query value to epoch nanos (DateFieldType with Resolution.NANOSECONDS): the
 * millisecond instant of {@link toDateMillis}, plus the nanoseconds the value spells (`.123456789`),
 * or 999999 where rounding up fills them (a bound without a fraction, or `/d` date math, for
 * `gt`/`lte`); clamped to 1970..2262 as DateUtils.clampToNanosRange.
 */
export function toDateNanos(ctx: RewriteContext, field: FieldInfo, value: unknown, roundUp: boolean, opts: DateOptions = {}): bigint {
  const millis = toDateMillis(ctx, field, value, roundUp, opts);
  return clampToNanos(millis, subMillisOf(typeof value === 'string' ? value : String(value), roundUp));
}

function subMillisOf(text: string, roundUp: boolean): number {
  const math = text.startsWith('now') ? text.slice(3) : text.includes('||') ? text.slice(text.indexOf('||') + 2) : undefined;
  if (math !== undefined && (math.includes('/') || text.startsWith('now'))) return roundUp && math.includes('/') ? 999_999 : 0;
  const anchor = math === undefined ? text : text.slice(0, text.indexOf('||'));
  const fraction = /\d[.,](\d{1,9})(?:Z|[+-]\d|$)/.exec(anchor.trim())?.[1];
  // a fraction of an epoch_millis number is one of a millisecond
  if (fraction !== undefined) return fractionSubMillis(/^-?\d+[.,]\d+$/.test(anchor.trim()) ? '000' + fraction : fraction);
  return roundUp && math === undefined ? 999_999 : 0;
}

function dateFail(ctx: RewriteContext, text: string, format: string): never {
  const reason = `failed to parse date field [${text}] with format [${format}]`;
  return ctx.fail(`failed to create query: ${reason}`, { type: 'parse_exception', reason });
}

/** A keyword query value through the field's normalizer. */
export function normalizeKeyword(field: FieldInfo, value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  return field.normalizer ? field.normalizer.normalize(s) : s;
}
