import type { JavaValue } from './java-values.js';
import { NULL, int, javaTypeName, long } from './java-values.js';
import type { JavaZone, TimeObject } from './java-time.js';
import {
  CHRONO_UNITS,
  DAYS_OF_WEEK,
  ISO_FORMATTERS,
  JavaTimeError,
  LOCALES,
  MONTHS,
  TEXT_STYLES,
  UTC_OFFSET,
  between,
  chronoUnit,
  compareInstants,
  dayOfWeek,
  displayName,
  enumValue,
  fixedOffset,
  fromNanos,
  instant,
  localFields,
  month,
  monthLength,
  ofPattern,
  parseIso,
  plus,
  toNanos,
  truncatedTo,
  zoneOf,
  zoned,
  zonedOf,
} from './java-time.js';
import { noteNowRead } from '../date-math.js';

/**
 * The methods Painless scripts call on java.time values (ZonedDateTime, Instant, ZoneId,
 * DateTimeFormatter, ChronoUnit, DayOfWeek, Month) and the static members of those classes and of
 * System, Locale and TextStyle, as Painless's java.time whitelist names them. Arguments are
 * checked as Java's method signatures check them (an int widens to a long; a double does not).
 */

type Fail = (type: string, reason: string) => never;
type Zdt = Extract<TimeObject, { c: 'ZonedDateTime' }>;
type Inst = Extract<TimeObject, { c: 'Instant' }>;

const obj = (v: TimeObject): JavaValue => ({ t: 'obj', v });
const str = (v: string): JavaValue => ({ t: 'str', v });
const bool = (v: boolean): JavaValue => ({ t: 'bool', v });

function longArg(v: JavaValue | undefined, fail: Fail): bigint {
  if (v?.t === 'long') return v.v;
  if (v?.t === 'int') return BigInt(v.v);
  return fail('class_cast_exception', `Cannot cast ${v ? javaTypeName(v) : 'null'} to long`);
}
function intArg(v: JavaValue | undefined, fail: Fail): number {
  if (v?.t === 'int') return v.v;
  return fail('class_cast_exception', `Cannot cast ${v ? javaTypeName(v) : 'null'} to int`);
}
function strArg(v: JavaValue | undefined, fail: Fail): string {
  if (v?.t === 'str') return v.v;
  if (v?.t === 'null') return fail('null_pointer_exception', 'text');
  return fail('class_cast_exception', `Cannot cast ${v ? javaTypeName(v) : 'null'} to java.lang.CharSequence`);
}
function objArg<C extends TimeObject['c']>(v: JavaValue | undefined, c: C, java: string, fail: Fail): Extract<TimeObject, { c: C }> {
  if (v?.t === 'obj' && v.v.c === c) return v.v as Extract<TimeObject, { c: C }>;
  if (v?.t === 'null') return fail('null_pointer_exception', `${java.split('.').pop() ?? java} is null`);
  return fail('class_cast_exception', `Cannot cast ${v ? javaTypeName(v) : 'null'} to ${java}`);
}
function enumArg(v: JavaValue | undefined, cls: string, java: string, fail: Fail): string {
  if (v?.t === 'obj' && v.v.c === 'enum' && v.v.cls === cls) return v.v.name;
  if (v?.t === 'null') return fail('null_pointer_exception', `${cls.toLowerCase()}`);
  return fail('class_cast_exception', `Cannot cast ${v ? javaTypeName(v) : 'null'} to ${java}`);
}
const unitArg = (v: JavaValue | undefined, fail: Fail): string => enumArg(v, 'ChronoUnit', 'java.time.temporal.TemporalUnit', fail);
const zoneArg = (v: JavaValue | undefined, fail: Fail): JavaZone => objArg(v, 'ZoneId', 'java.time.ZoneId', fail).zone;

/** Runs `fn`, turning a java.time failure into the script's runtime error. */
function guarded(fail: Fail, fn: () => JavaValue): JavaValue {
  try {
    return fn();
  } catch (e) {
    if (e instanceof JavaTimeError) return fail(e.type, e.message);
    throw e;
  }
}

const PLUS_UNITS: Record<string, string> = { Years: 'YEARS', Months: 'MONTHS', Weeks: 'WEEKS', Days: 'DAYS', Hours: 'HOURS', Minutes: 'MINUTES', Seconds: 'SECONDS', Millis: 'MILLIS', Nanos: 'NANOS' };
const ZDT_PLUS = new Set(['Years', 'Months', 'Weeks', 'Days', 'Hours', 'Minutes', 'Seconds', 'Nanos']);
const INSTANT_PLUS = new Set(['Seconds', 'Millis', 'Nanos']);

/** ZonedDateTime.withX(value): the local field replaced, resolved in the zone with the same offset when valid. */
function withField(z: Zdt, field: string, value: number): TimeObject {
  const f = localFields(z.ms, z.sub, z.zone);
  const v = { year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: f.second, nano: f.nano };
  switch (field) {
    case 'Year':
      v.year = value;
      v.day = Math.min(v.day, monthLength(value, v.month));
      break;
    case 'Month':
      if (value < 1 || value > 12) throw new JavaTimeError('date_time_exception', `Invalid value for MonthOfYear (valid values 1 - 12): ${value}`);
      v.month = value;
      v.day = Math.min(v.day, monthLength(v.year, value));
      break;
    case 'DayOfMonth':
      v.day = value;
      break;
    case 'Hour':
      v.hour = value;
      break;
    case 'Minute':
      v.minute = value;
      break;
    case 'Second':
      v.second = value;
      break;
    case 'Nano':
      v.nano = value;
      break;
  }
  const resolved = zonedOf(v.year, v.month, v.day, v.hour, v.minute, v.second, v.nano, z.zone) as Zdt;
  // keep the offset the value had when it is still valid there (ZonedDateTime.resolveLocal)
  const offset = z.zone.tz.offsetAt(z.ms);
  const sameOffset = resolved.ms + resolved.zone.tz.offsetAt(resolved.ms) - offset;
  if (z.zone.tz.offsetAt(sameOffset) === offset) return zoned(sameOffset, resolved.sub, z.zone);
  return resolved;
}

/** Joda-Time getters Painless keeps on ZonedDateTime only to say what replaces them (Elasticsearch 8's augmentations). */
const JODA_GETTERS: Record<string, string> = {
  getCenturyOfEra: 'get(ChronoField.YEAR_OF_ERA) / 100',
  getEra: 'get(ChronoField.ERA)',
  getHourOfDay: 'getHour()',
  getMillisOfDay: 'get(ChronoField.MILLI_OF_DAY)',
  getMillisOfSecond: 'get(ChronoField.MILLI_OF_SECOND)',
  getMinuteOfDay: 'get(ChronoField.MINUTE_OF_DAY)',
  getMinuteOfHour: 'getMinute()',
  getMonthOfYear: 'getMonthValue()',
  getSecondOfDay: 'get(ChronoField.SECOND_OF_DAY)',
  getSecondOfMinute: 'getSecond()',
  getWeekOfWeekyear: 'get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)',
  getWeekyear: 'get(IsoFields.WEEK_BASED_YEAR)',
  getYearOfCentury: 'get(ChronoField.YEAR_OF_ERA) % 100',
  getYearOfEra: 'get(ChronoField.YEAR_OF_ERA)',
};

function zonedMethod(z: Zdt, key: string, args: JavaValue[], fail: Fail): JavaValue | undefined {
  const f = (): ReturnType<typeof localFields> => localFields(z.ms, z.sub, z.zone);
  switch (key) {
    case 'getYear/0':
      return int(f().year);
    case 'getMonthValue/0':
      return int(f().month);
    case 'getMonth/0':
      return obj(month(f().month));
    case 'getDayOfMonth/0':
      return int(f().day);
    case 'getDayOfYear/0':
      return int(f().doy);
    case 'getDayOfWeek/0':
    case 'getDayOfWeekEnum/0':
      return obj(dayOfWeek(f().dow));
    case 'getHour/0':
      return int(f().hour);
    case 'getMinute/0':
      return int(f().minute);
    case 'getSecond/0':
      return int(f().second);
    case 'getNano/0':
      return int(f().nano);
    case 'getZone/0':
      return obj({ c: 'ZoneId', zone: z.zone });
    case 'getOffset/0':
      return obj({ c: 'ZoneId', zone: fixedOffset(z.zone.tz.offsetAt(z.ms)) });
    case 'toInstant/0':
      return obj(instant(z.ms, z.sub));
    case 'toEpochSecond/0':
      return long(BigInt(Math.floor(z.ms / 1000)));
    case 'toEpochMilli/0':
    case 'getMillis/0':
      // Painless's augmentations of every TemporalAccessor (epoch millis, as Instant.toEpochMilli)
      return long(BigInt(z.ms));
    case 'plus/2':
      return guarded(fail, () => obj(plus(z, longArg(args[0], fail), unitArg(args[1], fail))));
    case 'minus/2':
      return guarded(fail, () => obj(plus(z, -longArg(args[0], fail), unitArg(args[1], fail))));
    case 'withZoneSameInstant/1':
      return obj(zoned(z.ms, z.sub, zoneArg(args[0], fail)));
    case 'withZoneSameLocal/1': {
      const lf = f();
      const zone = zoneArg(args[0], fail);
      return guarded(fail, () => obj(zonedOf(lf.year, lf.month, lf.day, lf.hour, lf.minute, lf.second, lf.nano, zone)));
    }
    case 'truncatedTo/1':
      return guarded(fail, () => obj(truncatedTo(z, unitArg(args[0], fail))));
    case 'format/1': {
      const fmt = objArg(args[0], 'DateTimeFormatter', 'java.time.format.DateTimeFormatter', fail);
      return guarded(fail, () => str(fmt.format(z.ms, z.sub, z.zone)));
    }
    case 'isBefore/1':
    case 'isAfter/1':
    case 'isEqual/1': {
      const o = objArg(args[0], 'ZonedDateTime', 'java.time.chrono.ChronoZonedDateTime', fail);
      const c = compareInstants(z, o);
      return bool(key === 'isBefore/1' ? c < 0 : key === 'isAfter/1' ? c > 0 : c === 0);
    }
    case 'compareTo/1': {
      const o = objArg(args[0], 'ZonedDateTime', 'java.time.chrono.ChronoZonedDateTime', fail);
      const c = compareInstants(z, o);
      if (c !== 0) return int(c);
      return int(z.zone.id < o.zone.id ? -1 : z.zone.id > o.zone.id ? 1 : 0);
    }
  }
  const gone = JODA_GETTERS[key.slice(0, -2)];
  if (gone !== undefined && key.endsWith('/0')) return fail('unsupported_operation_exception', `[${key.slice(0, -2)}] is no longer available; use [${gone}] instead`);
  const m = /^(plus|minus|with)([A-Za-z]+)\/1$/.exec(key);
  if (m) {
    const [, verb, what] = m as unknown as [string, string, string];
    if (verb === 'with') {
      if (!['Year', 'Month', 'DayOfMonth', 'Hour', 'Minute', 'Second', 'Nano'].includes(what)) return undefined;
      return guarded(fail, () => obj(withField(z, what, intArg(args[0], fail))));
    }
    if (!ZDT_PLUS.has(what)) return undefined;
    const n = longArg(args[0], fail);
    return guarded(fail, () => obj(plus(z, verb === 'plus' ? n : -n, PLUS_UNITS[what] as string)));
  }
  return undefined;
}

function instantMethod(t: Inst, key: string, args: JavaValue[], fail: Fail): JavaValue | undefined {
  switch (key) {
    case 'toEpochMilli/0':
    case 'getMillis/0':
      return long(BigInt(t.ms));
    case 'getEpochSecond/0':
      return long(BigInt(Math.floor(t.ms / 1000)));
    case 'getNano/0':
      return int((((t.ms % 1000) + 1000) % 1000) * 1_000_000 + t.sub);
    case 'plus/2':
      return guarded(fail, () => obj(plus(t, longArg(args[0], fail), unitArg(args[1], fail))));
    case 'minus/2':
      return guarded(fail, () => obj(plus(t, -longArg(args[0], fail), unitArg(args[1], fail))));
    case 'atZone/1':
      return obj(zoned(t.ms, t.sub, zoneArg(args[0], fail)));
    case 'truncatedTo/1':
      return guarded(fail, () => obj(truncatedTo(t, unitArg(args[0], fail))));
    case 'isBefore/1':
    case 'isAfter/1': {
      const c = compareInstants(t, objArg(args[0], 'Instant', 'java.time.Instant', fail));
      return bool(key === 'isBefore/1' ? c < 0 : c > 0);
    }
    case 'compareTo/1':
      return int(compareInstants(t, objArg(args[0], 'Instant', 'java.time.Instant', fail)));
  }
  const m = /^(plus|minus)([A-Za-z]+)\/1$/.exec(key);
  if (m && INSTANT_PLUS.has(m[2] as string)) {
    const n = longArg(args[0], fail);
    return guarded(fail, () => obj(plus(t, m[1] === 'plus' ? n : -n, PLUS_UNITS[m[2] as string] as string)));
  }
  return undefined;
}

function enumMethod(e: Extract<TimeObject, { c: 'enum' }>, key: string, args: JavaValue[], fail: Fail): JavaValue | undefined {
  switch (key) {
    case 'name/0':
      return str(e.name);
    case 'ordinal/0':
      return int(e.ordinal);
    case 'compareTo/1': {
      const o = args[0];
      if (o?.t !== 'obj' || o.v.c !== 'enum' || o.v.cls !== e.cls) return fail('class_cast_exception', `Cannot cast ${o ? javaTypeName(o) : 'null'} to java.lang.Enum`);
      return int(e.ordinal - o.v.ordinal);
    }
  }
  if (e.cls === 'DayOfWeek' || e.cls === 'Month') {
    const count = e.cls === 'DayOfWeek' ? 7 : 12;
    switch (key) {
      case 'getValue/0':
        return int(e.ordinal + 1);
      case 'getDisplayName/2': {
        const style = enumArg(args[0], 'TextStyle', 'java.time.format.TextStyle', fail);
        enumArg(args[1], 'Locale', 'java.util.Locale', fail);
        return str(displayName(e, style));
      }
      case 'plus/1':
      case 'minus/1': {
        const n = Number(longArg(args[0], fail) % BigInt(count)) * (key === 'plus/1' ? 1 : -1);
        const ordinal = (((e.ordinal + n) % count) + count) % count;
        return obj(e.cls === 'DayOfWeek' ? dayOfWeek(ordinal + 1) : month(ordinal + 1));
      }
    }
  }
  if (e.cls === 'ChronoUnit') {
    switch (key) {
      case 'between/2': {
        const a = args[0];
        const b = args[1];
        if (a?.t !== 'obj' || b?.t !== 'obj') return fail(a?.t === 'null' || b?.t === 'null' ? 'null_pointer_exception' : 'class_cast_exception', `Cannot cast ${javaTypeName((a?.t !== 'obj' ? a : b) ?? NULL)} to java.time.temporal.Temporal`);
        return guarded(fail, () => long(between(e.name, a.v, b.v)));
      }
      case 'isDateBased/0':
        return bool(e.ordinal >= 7 && e.name !== 'FOREVER');
      case 'isTimeBased/0':
        return bool(e.ordinal < 7);
    }
  }
  return undefined;
}

/** `recv.name(args)` on a java.time value; undefined when the class has no such method. */
export function invokeTimeMethod(recv: TimeObject, name: string, args: JavaValue[], fail: Fail): JavaValue | undefined {
  const key = `${name}/${args.length}`;
  switch (recv.c) {
    case 'ZonedDateTime':
      return zonedMethod(recv, key, args, fail);
    case 'Instant':
      return instantMethod(recv, key, args, fail);
    case 'ZoneId':
      if (key === 'getId/0') return str(recv.zone.id);
      if (key === 'getTotalSeconds/0' && recv.zone.offset) return int(recv.zone.tz.offsetAt(0) / 1000);
      return undefined;
    case 'DateTimeFormatter':
      if (key === 'format/1') {
        const a = args[0];
        if (a?.t === 'obj' && a.v.c === 'ZonedDateTime') {
          const z = a.v;
          return guarded(fail, () => str(recv.format(z.ms, z.sub, z.zone)));
        }
        if (a?.t === 'obj' && a.v.c === 'Instant' && recv.name === 'ISO_INSTANT') return str(recv.format(a.v.ms, a.v.sub, UTC_OFFSET));
        if (a?.t === 'obj' && a.v.c === 'Instant') return fail('unsupported_temporal_type_exception', 'Unsupported field: YearOfEra');
        return fail('class_cast_exception', `Cannot cast ${a ? javaTypeName(a) : 'null'} to java.time.temporal.TemporalAccessor`);
      }
      return undefined;
    case 'enum':
      return enumMethod(recv, key, args, fail);
    case 'Throwable':
      return key === 'getMessage/0' ? (recv.message === null ? NULL : str(recv.message)) : undefined;
  }
}

// ---- static members ----

/** The classes whose static members scripts may use here. */
export const STATIC_CLASSES = ['System', 'ChronoUnit', 'DayOfWeek', 'Month', 'TextStyle', 'Locale', 'ZoneId', 'ZoneOffset', 'ZonedDateTime', 'Instant', 'DateTimeFormatter'] as const;
export type StaticClass = (typeof STATIC_CLASSES)[number];

/** The static fields of each class. */
export function staticField(cls: StaticClass, name: string): JavaValue | undefined {
  const has = (list: readonly string[]): boolean => list.includes(name);
  switch (cls) {
    case 'ChronoUnit':
      return has(CHRONO_UNITS) ? obj(chronoUnit(name)) : undefined;
    case 'DayOfWeek':
      return has(DAYS_OF_WEEK) ? obj(dayOfWeek(DAYS_OF_WEEK.indexOf(name as (typeof DAYS_OF_WEEK)[number]) + 1)) : undefined;
    case 'Month':
      return has(MONTHS) ? obj(month(MONTHS.indexOf(name as (typeof MONTHS)[number]) + 1)) : undefined;
    case 'TextStyle':
      return has(TEXT_STYLES) ? obj(enumValue('TextStyle', name, TEXT_STYLES.indexOf(name as (typeof TEXT_STYLES)[number]))) : undefined;
    case 'Locale':
      return has(LOCALES) ? obj(enumValue('Locale', name, LOCALES.indexOf(name as (typeof LOCALES)[number]))) : undefined;
    case 'ZoneOffset':
      return name === 'UTC' ? obj({ c: 'ZoneId', zone: UTC_OFFSET }) : undefined;
    case 'Instant':
      return name === 'EPOCH' ? obj(instant(0, 0)) : undefined;
    case 'DateTimeFormatter': {
      const format = ISO_FORMATTERS[name];
      return format ? obj({ c: 'DateTimeFormatter', name, format }) : undefined;
    }
    default:
      return undefined;
  }
}

/** The static methods of each class: arities by name. */
export const STATIC_METHODS: Record<StaticClass, Record<string, readonly number[]>> = {
  System: { currentTimeMillis: [0] },
  ChronoUnit: { valueOf: [1] },
  DayOfWeek: { of: [1], valueOf: [1] },
  Month: { of: [1], valueOf: [1] },
  TextStyle: { valueOf: [1] },
  Locale: {},
  ZoneId: { of: [1] },
  ZoneOffset: { of: [1], ofHours: [1], ofHoursMinutes: [2], ofTotalSeconds: [1] },
  ZonedDateTime: { parse: [1, 2], ofInstant: [2], of: [8] },
  Instant: { ofEpochMilli: [1], ofEpochSecond: [1, 2], parse: [1] },
  DateTimeFormatter: { ofPattern: [1, 2] },
};

function valueOf(cls: 'ChronoUnit' | 'DayOfWeek' | 'Month' | 'TextStyle', name: string, fail: Fail): JavaValue {
  const v = staticField(cls, name);
  if (v === undefined) return fail('illegal_argument_exception', `No enum constant ${cls === 'ChronoUnit' ? 'java.time.temporal.ChronoUnit' : cls === 'TextStyle' ? 'java.time.format.TextStyle' : `java.time.${cls}`}.${name}`);
  return v;
}

/** Calls a static method the compiler has checked against STATIC_METHODS. */
export function invokeStatic(cls: StaticClass, name: string, args: JavaValue[], fail: Fail): JavaValue {
  return guarded(fail, (): JavaValue => {
    const a = args[0];
    switch (`${cls}.${name}`) {
      case 'System.currentTimeMillis':
        noteNowRead();
        return long(BigInt(Date.now()));
      case 'ChronoUnit.valueOf':
      case 'DayOfWeek.valueOf':
      case 'Month.valueOf':
      case 'TextStyle.valueOf':
        return valueOf(cls as 'ChronoUnit', strArg(a, fail), fail);
      case 'DayOfWeek.of':
      case 'Month.of': {
        const n = intArg(a, fail);
        const max = cls === 'DayOfWeek' ? 7 : 12;
        if (n < 1 || n > max) return fail('date_time_exception', `Invalid value for ${cls === 'DayOfWeek' ? 'DayOfWeek' : 'MonthOfYear'}: ${n}`);
        return obj(cls === 'DayOfWeek' ? dayOfWeek(n) : month(n));
      }
      case 'ZoneId.of':
        return obj({ c: 'ZoneId', zone: zoneOf(strArg(a, fail)) });
      case 'ZoneOffset.of': {
        const id = strArg(a, fail);
        const zone = zoneOf(id);
        if (!zone.offset) return fail('date_time_exception', `Invalid ID for ZoneOffset, invalid format: ${id}`);
        return obj({ c: 'ZoneId', zone });
      }
      case 'ZoneOffset.ofHours':
        return obj({ c: 'ZoneId', zone: offsetChecked(intArg(a, fail) * 3600, fail) });
      case 'ZoneOffset.ofHoursMinutes':
        return obj({ c: 'ZoneId', zone: offsetChecked(intArg(a, fail) * 3600 + intArg(args[1], fail) * 60, fail) });
      case 'ZoneOffset.ofTotalSeconds':
        return obj({ c: 'ZoneId', zone: offsetChecked(intArg(a, fail), fail) });
      case 'ZonedDateTime.parse': {
        const text = strArg(a, fail);
        if (args.length === 2) {
          const fmt = objArg(args[1], 'DateTimeFormatter', 'java.time.format.DateTimeFormatter', fail);
          if (!['ISO_ZONED_DATE_TIME', 'ISO_DATE_TIME', 'ISO_OFFSET_DATE_TIME'].includes(fmt.name)) {
            return fail('illegal_argument_exception', `parsing with the formatter [${fmt.name}] is not supported by the indexkit embedded engine (ZonedDateTime.parse takes ISO_ZONED_DATE_TIME, ISO_DATE_TIME or ISO_OFFSET_DATE_TIME there)`);
          }
        }
        return obj(parseIso(text, 'ZonedDateTime'));
      }
      case 'ZonedDateTime.ofInstant': {
        const t = objArg(a, 'Instant', 'java.time.Instant', fail);
        return obj(zoned(t.ms, t.sub, zoneArg(args[1], fail)));
      }
      case 'ZonedDateTime.of': {
        const n = args.slice(0, 7).map((x) => intArg(x, fail)) as [number, number, number, number, number, number, number];
        return obj(zonedOf(...n, zoneArg(args[7], fail)));
      }
      case 'Instant.ofEpochMilli': {
        const r = fromNanos(longArg(a, fail) * 1_000_000n);
        return obj(instant(r.ms, r.sub));
      }
      case 'Instant.ofEpochSecond': {
        const adjust = args.length === 2 ? longArg(args[1], fail) : 0n;
        const r = fromNanos(longArg(a, fail) * 1_000_000_000n + adjust);
        return obj(instant(r.ms, r.sub));
      }
      case 'Instant.parse':
        return obj(parseIso(strArg(a, fail), 'Instant'));
      case 'DateTimeFormatter.ofPattern':
        if (args.length === 2) enumArg(args[1], 'Locale', 'java.util.Locale', fail);
        return obj(ofPattern(strArg(a, fail)));
    }
    return fail('illegal_argument_exception', `Unknown call [${name}] with [${args.length}] arguments on type [${cls}].`);
  });
}

function offsetChecked(seconds: number, fail: Fail): JavaZone {
  if (Math.abs(seconds) > 18 * 3600) return fail('date_time_exception', 'Zone offset not in valid range: -18:00 to +18:00');
  return fixedOffset(seconds * 1000);
}

/** A date doc value: epoch millis (and nanoseconds within it for date_nanos) as a ZonedDateTime in UTC. */
export function dateDocValue(ms: number, sub = 0): JavaValue {
  return obj(zoned(ms, sub, UTC_OFFSET));
}

/** Whether `v` converts to the declared java.time type. */
export { isInstance } from './java-time.js';

/** The epoch nanos of a time value (for tests and comparisons). */
export function epochNanos(v: JavaValue): bigint | undefined {
  if (v.t !== 'obj' || (v.v.c !== 'ZonedDateTime' && v.v.c !== 'Instant')) return undefined;
  return toNanos(v.v.ms, v.v.sub);
}
