import type { TimeZone } from '../date-math.js';
import { parseTimeZone } from '../date-math.js';
import { dateFormatter } from '../aggs/value-format.js';
import { EngineError, unsupported } from '../../errors.js';

/**
 * The java.time classes Painless scripts use on date doc values (ScriptDocValues.Dates gives a
 * ZonedDateTime in UTC; date_nanos keeps the nanoseconds): ZonedDateTime, Instant, ZoneId /
 * ZoneOffset, DateTimeFormatter and the enums ChronoUnit, DayOfWeek, Month, TextStyle, plus
 * java.util.Locale's constants. An instant is kept as epoch millis (floor) and the nanoseconds
 * within that millisecond, so date_nanos values stay exact. Calendar fields follow the ISO
 * proleptic Gregorian calendar, as java.time's do (JavaScript's Date computes the same one).
 */

/** A zone: a fixed offset (ZoneOffset, `Z` for UTC) or a region (ZoneRegion, `UTC`, `Europe/Paris`). */
export interface JavaZone {
  id: string;
  offset: boolean;
  tz: TimeZone;
}

export type EnumClass = 'ChronoUnit' | 'DayOfWeek' | 'Month' | 'TextStyle' | 'Locale';

export type TimeObject =
  | { c: 'ZonedDateTime'; ms: number; sub: number; zone: JavaZone }
  | { c: 'Instant'; ms: number; sub: number }
  | { c: 'ZoneId'; zone: JavaZone }
  | { c: 'DateTimeFormatter'; name: string; format: (ms: number, sub: number, zone: JavaZone) => string }
  | { c: 'enum'; cls: EnumClass; name: string; ordinal: number }
  /** A java.lang exception a script created (`new Exception("empty")`), to be thrown. */
  | { c: 'Throwable'; cls: string; message: string | null };

/** A java.time failure: the exception type Elasticsearch reports and its message. */
export class JavaTimeError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const MS_PER_DAY = 86_400_000;
const NANOS_PER_MS = 1_000_000n;

export const UTC_OFFSET: JavaZone = { id: 'Z', offset: true, tz: { id: 'Z', offsetAt: () => 0 } };

export const CHRONO_UNITS = ['NANOS', 'MICROS', 'MILLIS', 'SECONDS', 'MINUTES', 'HOURS', 'HALF_DAYS', 'DAYS', 'WEEKS', 'MONTHS', 'YEARS', 'DECADES', 'CENTURIES', 'MILLENNIA', 'ERAS', 'FOREVER'] as const;
const UNIT_NAMES: Record<string, string> = {
  NANOS: 'Nanos',
  MICROS: 'Micros',
  MILLIS: 'Millis',
  SECONDS: 'Seconds',
  MINUTES: 'Minutes',
  HOURS: 'Hours',
  HALF_DAYS: 'HalfDays',
  DAYS: 'Days',
  WEEKS: 'Weeks',
  MONTHS: 'Months',
  YEARS: 'Years',
  DECADES: 'Decades',
  CENTURIES: 'Centuries',
  MILLENNIA: 'Millennia',
  ERAS: 'Eras',
  FOREVER: 'Forever',
};
/** Nanoseconds of each time-based unit (DAYS is 24 hours where a unit is applied to an instant). */
const UNIT_NANOS: Record<string, bigint> = {
  NANOS: 1n,
  MICROS: 1_000n,
  MILLIS: 1_000_000n,
  SECONDS: 1_000_000_000n,
  MINUTES: 60_000_000_000n,
  HOURS: 3_600_000_000_000n,
  HALF_DAYS: 43_200_000_000_000n,
  DAYS: 86_400_000_000_000n,
};
/** Months of each date-based unit above a week. */
const UNIT_MONTHS: Record<string, number> = { MONTHS: 1, YEARS: 12, DECADES: 120, CENTURIES: 1200, MILLENNIA: 12000 };

export const DAYS_OF_WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
export const TEXT_STYLES = ['FULL', 'FULL_STANDALONE', 'SHORT', 'SHORT_STANDALONE', 'NARROW', 'NARROW_STANDALONE'] as const;
/** java.util.Locale's constants that name English or the root locale (their display names are English). */
export const LOCALES = ['ROOT', 'ENGLISH', 'US', 'UK', 'CANADA'] as const;

export const enumValue = (cls: EnumClass, name: string, ordinal: number): TimeObject => ({ c: 'enum', cls, name, ordinal });
export const chronoUnit = (name: string): TimeObject => enumValue('ChronoUnit', name, CHRONO_UNITS.indexOf(name as (typeof CHRONO_UNITS)[number]));
export const dayOfWeek = (iso: number): TimeObject => enumValue('DayOfWeek', DAYS_OF_WEEK[iso - 1] as string, iso - 1);
export const month = (m: number): TimeObject => enumValue('Month', MONTHS[m - 1] as string, m - 1);

/** The Java class of a time object, as Painless prints it in its errors. */
export function timeClassName(o: TimeObject): string {
  switch (o.c) {
    case 'ZonedDateTime':
    case 'Instant':
      return `java.time.${o.c}`;
    case 'ZoneId':
      return o.zone.offset ? 'java.time.ZoneOffset' : 'java.time.ZoneRegion';
    case 'DateTimeFormatter':
      return 'java.time.format.DateTimeFormatter';
    case 'Throwable':
      return `java.lang.${o.cls}`;
    case 'enum':
      return o.cls === 'ChronoUnit' ? 'java.time.temporal.ChronoUnit' : o.cls === 'TextStyle' ? 'java.time.format.TextStyle' : o.cls === 'Locale' ? 'java.util.Locale' : `java.time.${o.cls}`;
  }
}

/** Whether `o` is an instance of the Painless type `type` (declarations and casts). */
export function isInstance(o: TimeObject, type: string): boolean {
  if (o.c === 'enum') return o.cls === type;
  if (o.c === 'ZoneId') return type === 'ZoneId' || (type === 'ZoneOffset' && o.zone.offset);
  if (o.c === 'Throwable') return o.cls === type || type === 'Exception' || (type === 'RuntimeException' && o.cls !== 'Exception');
  return o.c === type;
}

// ---- zones ----

function offsetId(offsetMs: number): string {
  if (offsetMs === 0) return 'Z';
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.abs(offsetMs) / 1000;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${pad(h, 2)}:${pad(m, 2)}${s !== 0 ? `:${pad(s, 2)}` : ''}`;
}

export function fixedOffset(offsetMs: number): JavaZone {
  const id = offsetId(offsetMs);
  return { id, offset: true, tz: { id, offsetAt: () => offsetMs } };
}

/** ZoneId.of: `Z` and `+hh:mm` offsets, else a region (UTC, GMT, IANA names). */
export function zoneOf(id: string): JavaZone {
  if (id === 'Z') return UTC_OFFSET;
  const m = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/.exec(id);
  if (m) {
    const h = Number(m[2]);
    const min = Number(m[3] ?? 0);
    const s = Number(m[4] ?? 0);
    if (h > 18 || min > 59 || s > 59) throw new JavaTimeError('date_time_exception', `Zone offset hours not in valid range: value ${h} is not in the range -18 to 18`);
    return fixedOffset((m[1] === '-' ? -1 : 1) * ((h * 60 + min) * 60 + s) * 1000);
  }
  if (!/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id)) throw new JavaTimeError('date_time_exception', `Invalid ID for region-based ZoneId, invalid format: ${id}`);
  if (id === 'UTC' || id === 'GMT' || id === 'UT') return { id, offset: false, tz: { id, offsetAt: () => 0 } };
  try {
    return { id, offset: false, tz: parseTimeZone(id) };
  } catch (e) {
    if (e instanceof EngineError) throw new JavaTimeError('zone_rules_exception', `Unknown time-zone ID: ${id}`);
    throw e;
  }
}

// ---- calendar fields ----

export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Nanoseconds within the second. */
  nano: number;
  /** ISO day of week, Monday 1 .. Sunday 7. */
  dow: number;
  doy: number;
  /** Milliseconds since the epoch of the local date-time read as UTC (the local wall clock). */
  local: number;
}

export function localFields(ms: number, sub: number, zone: JavaZone): LocalFields {
  const local = ms + zone.tz.offsetAt(ms);
  const d = new Date(local);
  const year = d.getUTCFullYear();
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nano: d.getUTCMilliseconds() * 1_000_000 + sub,
    dow: ((d.getUTCDay() + 6) % 7) + 1,
    doy: Math.floor((local - utcDate(year, 1, 1)) / MS_PER_DAY) + 1,
    local,
  };
}

/** Date.UTC without its 0..99 -> 1900s mapping. */
function utcDate(year: number, monthValue: number, day: number, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthValue - 1, day);
  return d.getTime() + ms;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const monthLength = (y: number, m: number): number => (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

function checkRange(ms: number): number {
  // java.time's instants reach year ±1,000,000,000; JavaScript's Date only ±275,760: beyond it the
  // engine refuses rather than answering a wrong date
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new JavaTimeError('date_time_exception', 'Instant exceeds the range the indexkit embedded engine represents (years -271821 to 275760)');
  return ms;
}

/**
 * A local wall-clock time (as UTC millis) to an instant in `zone`, as ZonedDateTime.ofLocal: in an
 * overlap the preferred offset when valid, else the earlier one; in a gap the time moves later by
 * the gap's length.
 */
function resolveLocal(local: number, zone: JavaZone, preferred?: number): number {
  if (zone.offset) return local - zone.tz.offsetAt(0);
  const tz = zone.tz;
  const before = tz.offsetAt(local - MS_PER_DAY);
  const after = tz.offsetAt(local + MS_PER_DAY);
  const valid = [...new Set([before, after, tz.offsetAt(local)])].filter((o) => tz.offsetAt(local - o) === o);
  if (preferred !== undefined && valid.includes(preferred)) return local - preferred;
  if (valid.includes(before)) return local - before;
  if (valid.length > 0) return local - (valid[0] as number);
  return local - before;
}

export const toNanos = (ms: number, sub: number): bigint => BigInt(ms) * NANOS_PER_MS + BigInt(sub);
export function fromNanos(n: bigint): { ms: number; sub: number } {
  let ms = n / NANOS_PER_MS;
  let sub = n % NANOS_PER_MS;
  if (sub < 0n) {
    sub += NANOS_PER_MS;
    ms -= 1n;
  }
  return { ms: checkRange(Number(ms)), sub: Number(sub) };
}

export const zoned = (ms: number, sub: number, zone: JavaZone): TimeObject => ({ c: 'ZonedDateTime', ms, sub, zone });
export const instant = (ms: number, sub: number): TimeObject => ({ c: 'Instant', ms, sub });

const unsupportedUnit = (unit: string): JavaTimeError => new JavaTimeError('unsupported_temporal_type_exception', `Unsupported unit: ${UNIT_NAMES[unit] ?? unit}`);

/** `t.plus(amount, unit)` for a ZonedDateTime or an Instant. */
export function plus(t: Extract<TimeObject, { c: 'ZonedDateTime' | 'Instant' }>, amount: bigint, unit: string): TimeObject {
  const nanosPer = UNIT_NANOS[unit];
  if (t.c === 'Instant') {
    if (nanosPer === undefined) throw unsupportedUnit(unit);
    const r = fromNanos(toNanos(t.ms, t.sub) + amount * nanosPer);
    return instant(r.ms, r.sub);
  }
  if (nanosPer !== undefined && unit !== 'DAYS') {
    // time-based units move the instant (ZonedDateTime.resolveInstant)
    const r = fromNanos(toNanos(t.ms, t.sub) + amount * nanosPer);
    return zoned(r.ms, r.sub, t.zone);
  }
  // date-based units move the local date-time, then resolve it in the zone keeping the offset when it can
  const f = localFields(t.ms, t.sub, t.zone);
  const timeOfDay = f.local - utcDate(f.year, f.month, f.day);
  let y = f.year;
  let m = f.month;
  let d = f.day;
  if (unit === 'DAYS' || unit === 'WEEKS') {
    const days = Number(amount) * (unit === 'WEEKS' ? 7 : 1);
    const local = checkRange(utcDate(y, m, d) + days * MS_PER_DAY + timeOfDay);
    return zoned(resolveLocal(local, t.zone, t.zone.tz.offsetAt(t.ms)), t.sub, t.zone);
  }
  const months = UNIT_MONTHS[unit];
  if (months === undefined) throw unsupportedUnit(unit);
  const total = y * 12 + (m - 1) + Number(amount) * months;
  y = Math.floor(total / 12);
  m = total - y * 12 + 1;
  d = Math.min(d, monthLength(y, m));
  const local = checkRange(utcDate(y, m, d) + timeOfDay);
  return zoned(resolveLocal(local, t.zone, t.zone.tz.offsetAt(t.ms)), t.sub, t.zone);
}

/** ZonedDateTime.of(year, month, day, hour, minute, second, nano, zone). */
export function zonedOf(y: number, mo: number, d: number, h: number, mi: number, s: number, n: number, zone: JavaZone): TimeObject {
  const check = (name: string, v: number, lo: number, hi: number): void => {
    if (v < lo || v > hi) throw new JavaTimeError('date_time_exception', `Invalid value for ${name} (valid values ${lo} - ${hi}): ${v}`);
  };
  check('MonthOfYear', mo, 1, 12);
  check('DayOfMonth', d, 1, 31);
  check('HourOfDay', h, 0, 23);
  check('MinuteOfHour', mi, 0, 59);
  check('SecondOfMinute', s, 0, 59);
  check('NanoOfSecond', n, 0, 999_999_999);
  if (d > monthLength(y, mo)) throw new JavaTimeError('date_time_exception', d === 29 ? `Invalid date 'February 29' as '${y}' is not a leap year` : `Invalid date '${MONTHS[mo - 1] as string} ${d}'`);
  const local = checkRange(utcDate(y, mo, d) + ((h * 60 + mi) * 60 + s) * 1000 + Math.floor(n / 1_000_000));
  return zoned(resolveLocal(local, zone), n % 1_000_000, zone);
}

/** `unit.between(a, b)` (a.until(b, unit)): whole units from a to b, truncated toward zero. */
export function between(unit: string, a: TimeObject, b: TimeObject): bigint {
  if ((a.c !== 'ZonedDateTime' && a.c !== 'Instant') || b.c !== a.c) {
    throw new JavaTimeError('date_time_exception', `Unable to obtain ${a.c === 'enum' ? a.cls : a.c} from TemporalAccessor: ${timeString(b)} of type ${timeClassName(b)}`);
  }
  const nanosPer = UNIT_NANOS[unit];
  const diff = toNanos(b.ms, b.sub) - toNanos(a.ms, a.sub);
  if (a.c === 'Instant' || (nanosPer !== undefined && unit !== 'DAYS')) {
    if (nanosPer === undefined) throw unsupportedUnit(unit);
    return diff / nanosPer;
  }
  if (a.c !== 'ZonedDateTime' || b.c !== 'ZonedDateTime') throw unsupportedUnit(unit);
  // date-based: the local date-times in a's zone (LocalDateTime.until)
  const fa = localFields(a.ms, a.sub, a.zone);
  const fb = localFields(b.ms, b.sub, a.zone);
  const timeA = toNanos(fa.local - utcDate(fa.year, fa.month, fa.day), fa.nano % 1_000_000);
  const timeB = toNanos(fb.local - utcDate(fb.year, fb.month, fb.day), fb.nano % 1_000_000);
  let endDay = Math.round(utcDate(fb.year, fb.month, fb.day) / MS_PER_DAY);
  const startDay = Math.round(utcDate(fa.year, fa.month, fa.day) / MS_PER_DAY);
  if (endDay > startDay && timeB < timeA) endDay -= 1;
  else if (endDay < startDay && timeB > timeA) endDay += 1;
  if (unit === 'DAYS') return BigInt(endDay - startDay);
  if (unit === 'WEEKS') return BigInt(Math.trunc((endDay - startDay) / 7));
  const months = UNIT_MONTHS[unit];
  if (months === undefined) throw unsupportedUnit(unit);
  const end = new Date(endDay * MS_PER_DAY);
  const packed1 = (fa.year * 12 + fa.month - 1) * 32 + fa.day;
  const packed2 = (end.getUTCFullYear() * 12 + end.getUTCMonth()) * 32 + end.getUTCDate();
  return BigInt(Math.trunc(Math.trunc((packed2 - packed1) / 32) / months));
}

/** `t.truncatedTo(unit)`: units up to DAYS. */
export function truncatedTo(t: Extract<TimeObject, { c: 'ZonedDateTime' | 'Instant' }>, unit: string): TimeObject {
  const nanosPer = UNIT_NANOS[unit];
  if (nanosPer === undefined) throw new JavaTimeError('unsupported_temporal_type_exception', 'Unit is too large to be used for truncation');
  if (t.c === 'Instant') {
    const n = toNanos(t.ms, t.sub);
    let r = n - (((n % nanosPer) + nanosPer) % nanosPer);
    if (r > n) r -= nanosPer;
    const x = fromNanos(r);
    return instant(x.ms, x.sub);
  }
  const f = localFields(t.ms, t.sub, t.zone);
  const day = utcDate(f.year, f.month, f.day);
  const timeNanos = toNanos(f.local - day, t.sub);
  const kept = fromNanos(timeNanos - (timeNanos % nanosPer));
  return zoned(resolveLocal(day + kept.ms, t.zone, t.zone.tz.offsetAt(t.ms)), kept.sub, t.zone);
}

// ---- text ----

const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
};

/** ISO year: four digits at least, `+` beyond 9999 (SignStyle.EXCEEDS_PAD). */
const isoYear = (y: number): string => (y > 9999 ? `+${y}` : pad(y, 4));

/** A fraction of a second: `groups` of three digits as needed (toString), else the fewest digits (ISO formatters). */
function fraction(nano: number, groups: boolean): string {
  if (nano === 0) return '';
  const digits = String(nano).padStart(9, '0');
  if (groups) return `.${nano % 1_000_000 === 0 ? digits.slice(0, 3) : nano % 1000 === 0 ? digits.slice(0, 6) : digits}`;
  return `.${digits.replace(/0+$/, '')}`;
}

const isoDate = (f: LocalFields): string => `${isoYear(f.year)}-${pad(f.month, 2)}-${pad(f.day, 2)}`;
const isoTime = (f: LocalFields): string => `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${fraction(f.nano, false)}`;

/** LocalDateTime.toString: seconds only when not zero, the fraction in groups of three. */
function localDateTimeString(f: LocalFields): string {
  const time = `${pad(f.hour, 2)}:${pad(f.minute, 2)}`;
  if (f.second === 0 && f.nano === 0) return `${isoDate(f)}T${time}`;
  return `${isoDate(f)}T${time}:${pad(f.second, 2)}${fraction(f.nano, true)}`;
}

const offsetOf = (ms: number, zone: JavaZone): string => offsetId(zone.tz.offsetAt(ms));
const regionSuffix = (zone: JavaZone): string => (zone.offset ? '' : `[${zone.id}]`);

/** Java's toString of a time object. */
export function timeString(o: TimeObject): string {
  switch (o.c) {
    case 'ZonedDateTime':
      return `${localDateTimeString(localFields(o.ms, o.sub, o.zone))}${offsetOf(o.ms, o.zone)}${regionSuffix(o.zone)}`;
    case 'Instant':
      return isoInstant(o.ms, o.sub);
    case 'ZoneId':
      return o.zone.id;
    case 'DateTimeFormatter':
      return o.name;
    case 'Throwable':
      return o.message === null ? `java.lang.${o.cls}` : `java.lang.${o.cls}: ${o.message}`;
    case 'enum':
      return o.cls === 'Locale' ? LOCALE_TAGS[o.name] ?? '' : o.name;
  }
}

const LOCALE_TAGS: Record<string, string> = { ROOT: '', ENGLISH: 'en', US: 'en_US', UK: 'en_GB', CANADA: 'en_CA' };

function isoInstant(ms: number, sub: number): string {
  const f = localFields(ms, sub, UTC_OFFSET);
  return `${isoDate(f)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${fraction(f.nano, true)}Z`;
}

/** How the response writes a time object a script returns (XContentBuilder: strict_date_optional_time_nanos for dates). */
export function timeJson(o: TimeObject): string {
  if (o.c === 'ZonedDateTime') return dateFormatter('strict_date_optional_time_nanos', o.zone.tz)(o.ms, o.sub);
  if (o.c === 'Instant') return dateFormatter('strict_date_optional_time_nanos')(o.ms, o.sub);
  return timeString(o);
}

/** The DateTimeFormatter constants (ISO_*), applied to a ZonedDateTime. */
export const ISO_FORMATTERS: Record<string, (ms: number, sub: number, zone: JavaZone) => string> = {
  ISO_LOCAL_DATE: (ms, sub, zone) => isoDate(localFields(ms, sub, zone)),
  ISO_LOCAL_TIME: (ms, sub, zone) => isoTime(localFields(ms, sub, zone)),
  ISO_LOCAL_DATE_TIME: (ms, sub, zone) => {
    const f = localFields(ms, sub, zone);
    return `${isoDate(f)}T${isoTime(f)}`;
  },
  ISO_OFFSET_DATE_TIME: (ms, sub, zone) => {
    const f = localFields(ms, sub, zone);
    return `${isoDate(f)}T${isoTime(f)}${offsetOf(ms, zone)}`;
  },
  ISO_ZONED_DATE_TIME: (ms, sub, zone) => {
    const f = localFields(ms, sub, zone);
    return `${isoDate(f)}T${isoTime(f)}${offsetOf(ms, zone)}${regionSuffix(zone)}`;
  },
  ISO_DATE_TIME: (ms, sub, zone) => {
    const f = localFields(ms, sub, zone);
    return `${isoDate(f)}T${isoTime(f)}${offsetOf(ms, zone)}${regionSuffix(zone)}`;
  },
  ISO_DATE: (ms, sub, zone) => `${isoDate(localFields(ms, sub, zone))}${offsetOf(ms, zone)}`,
  ISO_TIME: (ms, sub, zone) => `${isoTime(localFields(ms, sub, zone))}${offsetOf(ms, zone)}`,
  ISO_INSTANT: (ms, sub) => isoInstant(ms, sub),
  BASIC_ISO_DATE: (ms, sub, zone) => {
    const f = localFields(ms, sub, zone);
    const off = zone.tz.offsetAt(ms);
    return `${isoYear(f.year)}${pad(f.month, 2)}${pad(f.day, 2)}${off === 0 ? 'Z' : offsetId(off).replace(/:/g, '')}`;
  },
};

/** DateTimeFormatter.ofPattern(pattern): the engine's java-time pattern formatter in the value's zone. */
export function ofPattern(pattern: string): TimeObject {
  // the letters whose text the engine's formatter gives as java.time does (test/lucene/java-time.lucene.ts);
  // others (zone names, week fields, eras, standalone forms ...) are refused rather than approximated
  const letters = pattern.replace(/'[^']*'?/g, '').replace(/[^A-Za-z]/g, '');
  const other = /[^yuMdDEHhamsSXxZ]/.exec(letters);
  if (other) throw unsupported(`the pattern letter [${other[0]}] in DateTimeFormatter.ofPattern [${pattern}]`);
  let build: (zone: JavaZone) => (ms: number, sub: number) => string;
  try {
    dateFormatter(pattern);
    build = (zone) => dateFormatter(pattern, zone.tz);
  } catch (e) {
    if (e instanceof EngineError) throw new JavaTimeError('illegal_argument_exception', e.message.replace(/^Invalid format: \[[^\]]*\]: /, ''));
    throw e;
  }
  return { c: 'DateTimeFormatter', name: pattern, format: (ms, sub, zone) => build(zone)(ms, sub) };
}

/** Display names of DayOfWeek and Month in English (Locale.ROOT falls back to them too). */
export function displayName(o: Extract<TimeObject, { c: 'enum' }>, style: string): string {
  const full = o.name.charAt(0) + o.name.slice(1).toLowerCase();
  if (style.startsWith('FULL')) return full;
  if (style.startsWith('SHORT')) return full.slice(0, 3);
  return full.charAt(0);
}

const ZONED = /^([+-]?\d{4,9})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?(?:\[([^\]]+)\])?$/;

/** ZonedDateTime.parse (ISO_ZONED_DATE_TIME) and Instant.parse (ISO_INSTANT, offsets accepted). */
export function parseIso(text: string, kind: 'ZonedDateTime' | 'Instant'): TimeObject {
  const m = ZONED.exec(text);
  const bad = (): never => {
    throw new JavaTimeError('date_time_parse_exception', `Text '${text}' could not be parsed at index 0`);
  };
  if (!m || (m[8] === undefined && m[9] === undefined)) return bad();
  const mm = m as unknown as string[];
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(mm[i]));
  const s = Number(m[6] ?? 0);
  const nano = Number((m[7] ?? '').padEnd(9, '0') || 0);
  const region = m[9] !== undefined ? zoneOf(m[9]) : undefined;
  if (kind === 'Instant' && (region !== undefined || m[8] === undefined)) return bad();
  let offsetZone: JavaZone | undefined;
  if (m[8] !== undefined) offsetZone = zoneOf(m[8]);
  const zone = (offsetZone ?? region) as JavaZone;
  try {
    const at = zonedOf(y as number, mo as number, d as number, h as number, mi as number, s, nano, zone);
    if (at.c !== 'ZonedDateTime') return bad();
    if (kind === 'Instant') return instant(at.ms, at.sub);
    return zoned(at.ms, at.sub, region ?? zone);
  } catch (e) {
    if (e instanceof JavaTimeError) return bad();
    throw e;
  }
}

/** Java's compareTo of two instants (ZonedDateTime also by local time and zone id on a tie, as ChronoZonedDateTime does). */
export function compareInstants(a: { ms: number; sub: number }, b: { ms: number; sub: number }): number {
  return a.ms !== b.ms ? Math.sign(a.ms - b.ms) : Math.sign(a.sub - b.sub);
}

/** The key Java's equals compares. */
export function timeKey(o: TimeObject): string {
  switch (o.c) {
    case 'ZonedDateTime':
      return `Z${o.ms}.${o.sub}@${o.zone.id}`;
    case 'Instant':
      return `I${o.ms}.${o.sub}`;
    case 'ZoneId':
      return `z${o.zone.id}`;
    case 'DateTimeFormatter':
      return `f${o.name}`;
    case 'enum':
      return `e${o.cls}.${o.name}`;
    case 'Throwable':
      // Throwable.equals is identity
      return `T${identity(o)}`;
  }
}

const identities = new WeakMap<object, number>();
let nextIdentity = 0;
function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
}

/** Java's hashCode, where it is simple (Instant, enums by name); others hash their key. */
export function timeHash(o: TimeObject): number {
  let h = 0;
  const key = timeKey(o);
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return h;
}
