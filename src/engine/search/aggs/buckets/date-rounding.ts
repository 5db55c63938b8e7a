import { EngineError } from '../../../errors.js';
import { compileDateFormat } from '../../date-format.js';
import { localToUtc, parseIsoDate, resolveDateMath } from '../../date-math.js';
import type { TimeZone } from '../../date-math.js';

/**
 * Date rounding of date_histogram (Elasticsearch's Rounding): calendar units round the wall
 * clock of the time zone (days, weeks from Monday, months, quarters, years start at local
 * midnight, so DST days are 23 or 25 hours long); sub-day units and fixed intervals round the
 * local time but keep the instant's own offset, so the repeated hour of a DST fall-back gets
 * two buckets as in ES.
 */

export interface Rounding {
  round(utcMs: number): number;
  /** The key after `key` (a rounded value). */
  next(key: number): number;
  /**
   * Where extended_bounds put their first and last keys: InternalDateHistogram adds the offset to
   * bounds rounded without it (`2016-01-01` with `offset: 1h` starts at 2016-01-01T01:00).
   */
  boundKey?(utcMs: number): number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

const mod = (a: number, n: number): number => ((a % n) + n) % n;

export const CALENDAR_UNITS: Record<string, string> = {
  second: 'second',
  '1s': 'second',
  minute: 'minute',
  '1m': 'minute',
  hour: 'hour',
  '1h': 'hour',
  day: 'day',
  '1d': 'day',
  week: 'week',
  '1w': 'week',
  month: 'month',
  '1M': 'month',
  quarter: 'quarter',
  '1q': 'quarter',
  year: 'year',
  '1y': 'year',
};

const SUB_DAY: Record<string, number> = { second: 1000, minute: 60_000, hour: HOUR };

/** Proleptic Gregorian date of a day number (days since 1970-01-01), without allocating (H. Hinnant's civil_from_days). */
function civil(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Day number of a proleptic Gregorian date (month 1-12, may overflow into following years). */
function daysFrom(y: number, m: number, d: number): number {
  y += Math.floor((m - 1) / 12);
  m = ((((m - 1) % 12) + 12) % 12) + 1;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function floorLocal(local: number, unit: string): number {
  const days = Math.floor(local / DAY);
  switch (unit) {
    case 'day':
      return days * DAY;
    case 'week':
      // 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier
      return (days - mod(days + 3, 7)) * DAY;
    case 'month': {
      const c = civil(days);
      return daysFrom(c.y, c.m, 1) * DAY;
    }
    case 'quarter': {
      const c = civil(days);
      return daysFrom(c.y, c.m - ((c.m - 1) % 3), 1) * DAY;
    }
    default:
      return daysFrom(civil(days).y, 1, 1) * DAY;
  }
}

function addLocal(start: number, unit: string): number {
  const days = Math.floor(start / DAY);
  switch (unit) {
    case 'day':
      return start + DAY;
    case 'week':
      return start + 7 * DAY;
    case 'month': {
      const c = civil(days);
      return daysFrom(c.y, c.m + 1, 1) * DAY;
    }
    case 'quarter': {
      const c = civil(days);
      return daysFrom(c.y, c.m + 3, 1) * DAY;
    }
    default:
      return daysFrom(civil(days).y + 1, 1, 1) * DAY;
  }
}

/**
 * Memoises a zone's offset per 15 minutes (every transition of the tz database since 1970 falls
 * on a quarter hour): Intl lookups cost microseconds, and a histogram asks once per value.
 */
function cachedZone(zone: TimeZone): TimeZone {
  if (zone.id === 'UTC' || /^[+-]/.test(zone.id)) return zone;
  const cache = new Map<number, number>();
  const QUARTER = 900_000;
  return {
    id: zone.id,
    offsetAt(t) {
      const k = Math.floor(t / QUARTER);
      let off = cache.get(k);
      if (off === undefined) {
        off = zone.offsetAt(k * QUARTER);
        cache.set(k, off);
      }
      return off;
    },
  };
}

export function calendarRounding(unit: string, tz: TimeZone, offset: number): Rounding {
  const zone = cachedZone(tz);
  const fixed = SUB_DAY[unit];
  let round: (t: number) => number;
  let next: (k: number) => number;
  if (fixed !== undefined) {
    round = (t) => t - mod(t + zone.offsetAt(t), fixed);
    next = (k) => {
      const n = round(k + fixed);
      return n > k ? n : round(k + 2 * fixed);
    };
  } else {
    // every instant of a local day rounds to the same key: memoise per local day number
    const byDay = new Map<number, number>();
    round = (t) => {
      const day = Math.floor((t + zone.offsetAt(t)) / DAY);
      let key = byDay.get(day);
      if (key === undefined) {
        key = localToUtc(floorLocal(day * DAY, unit), zone);
        byDay.set(day, key);
      }
      return key;
    };
    next = (k) => localToUtc(addLocal(floorLocal(k + zone.offsetAt(k), unit), unit), zone);
  }
  return withOffset(round, next, offset);
}

export function fixedRounding(interval: number, tz: TimeZone, offset: number): Rounding {
  const zone = cachedZone(tz);
  let round: (t: number) => number;
  let next: (k: number) => number;
  if (interval < DAY) {
    round = (t) => t - mod(t + zone.offsetAt(t), interval);
    next = (k) => {
      const n = round(k + interval);
      return n > k ? n : round(k + 2 * interval);
    };
  } else {
    round = (t) => {
      const local = t + zone.offsetAt(t);
      return localToUtc(local - mod(local, interval), zone);
    };
    next = (k) => {
      const local = k + zone.offsetAt(k);
      return localToUtc(local - mod(local, interval) + interval, zone);
    };
  }
  return withOffset(round, next, offset);
}

function withOffset(round: (t: number) => number, next: (k: number) => number, offset: number): Rounding {
  if (offset === 0) return { round, next };
  return { round: (t) => round(t - offset) + offset, next: (k) => next(k - offset) + offset, boundKey: (t) => round(t) + offset };
}

/** A date from a request value: epoch millis, a date in `format` (or ISO), date math (`now-1M/M`). */
export function parseDateValue(v: unknown, nowMs: number, zone: TimeZone, format: string | undefined, roundUp = false): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v !== 'string') throw new EngineError(400, 'parse_exception', `failed to parse date field [${String(v)}] with format [${format ?? 'strict_date_optional_time||epoch_millis'}]`);
  const custom = format !== undefined ? compileDateFormat(format) : undefined;
  const anchor = (text: string, up: boolean): number => {
    const c = custom?.(text, up, zone);
    if (c !== undefined) return c;
    if (!custom) {
      const iso = parseIsoDate(text, up, zone);
      if (iso !== undefined) return iso;
      if (/^-?\d+$/.test(text)) return Number(text);
    }
    throw new EngineError(400, 'parse_exception', `failed to parse date field [${text}] with format [${format ?? 'strict_date_optional_time||epoch_millis'}]`);
  };
  return resolveDateMath(v, nowMs, roundUp, zone, anchor);
}
