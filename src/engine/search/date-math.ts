import { EngineError } from '../errors.js';

/**
 * Elasticsearch date math: `now-7d/d`, `2024-01-01||+1M/d`, with `time_zone` and the `roundUp`
 * flag that range queries pass for `gt`/`lte` (a rounded or partial date then means the last
 * millisecond of its unit, as ES's JavaDateMathParser does).
 */

export type DateParser = (text: string, roundUp: boolean, zone: TimeZone) => number;

/** A time zone: a fixed offset or an IANA name resolved through Intl. */
export interface TimeZone {
  readonly id: string;
  /** Offset in ms to add to UTC to get local time at the UTC instant `utcMs`. */
  offsetAt(utcMs: number): number;
}

export const UTC: TimeZone = { id: 'UTC', offsetAt: () => 0 };

export function parseTimeZone(id: string): TimeZone {
  if (id === 'Z' || id === 'UTC' || id === 'utc' || id === 'GMT') return UTC;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(id);
  if (m) {
    const ms = ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000) * (m[1] === '-' ? -1 : 1);
    return { id, offsetAt: () => ms };
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new EngineError(400, 'illegal_argument_exception', `Unknown time-zone ID: ${id}`);
  }
  return {
    id,
    offsetAt(utcMs: number): number {
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const local = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
      return local - Math.floor(utcMs / 1000) * 1000;
    },
  };
}

/** Local wall-clock fields -> UTC millis in `zone`. */
export function localToUtc(localMs: number, zone: TimeZone): number {
  const guess = localMs - zone.offsetAt(localMs);
  return localMs - zone.offsetAt(guess);
}

const ISO =
  /^([+-]?\d{4,})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * `strict_date_optional_time` (and ES's lenient `date_optional_time`) with partial precision:
 * returns undefined when `text` is not in that shape.
 */
export function parseIsoDate(text: string, roundUp: boolean, zone: TimeZone): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const parts = [m[2], m[3], m[4], m[5], m[6]];
  const given = parts.findIndex((p) => p === undefined);
  const precision = given === -1 ? 5 : given; // 0 = year .. 5 = second
  const month = m[2] ? Number(m[2]) - 1 : 0;
  const day = m[3] ? Number(m[3]) : 1;
  const hour = m[4] ? Number(m[4]) : 0;
  const minute = m[5] ? Number(m[5]) : 0;
  const second = m[6] ? Number(m[6]) : 0;
  const fraction = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  if (month > 11 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  let local = Date.UTC(year, month, day, hour, minute, second, fraction);
  if (year >= 0 && year < 100) local = new Date(local).setUTCFullYear(year);
  if (roundUp && m[7] === undefined) local = roundUpMissing(local, precision);
  const tz = m[8];
  if (tz) return local - (tz === 'Z' ? 0 : parseTimeZone(tz).offsetAt(0));
  return localToUtc(local, zone);
}

/**
 * Elasticsearch's round-up parser (JavaDateFormatter ROUND_UP_BASE_FIELDS) for `lte`/`gt` bounds: a
 * missing month or day stays 1, a missing time of day becomes 23:59:59.999 (`2099-12` ->
 * `2099-12-01T23:59:59.999`). `given`: 0 = year only, 1 = month, 2 = day, 3 = hour .. 5 = seconds.
 */
export function roundUpMissing(local: number, given: number): number {
  const d = new Date(local);
  if (given <= 2) d.setUTCHours(23);
  if (given <= 3) d.setUTCMinutes(59);
  if (given <= 4) d.setUTCSeconds(59);
  d.setUTCMilliseconds(999);
  return d.getTime();
}

type Unit = 'y' | 'M' | 'w' | 'd' | 'h' | 'H' | 'm' | 's';
const UNITS = new Set<string>(['y', 'M', 'w', 'd', 'h', 'H', 'm', 's']);

/** Rounds local wall-clock millis down to the unit, or to its last millisecond when roundUp. */
function roundLocal(local: number, unit: Unit, roundUp: boolean): number {
  const d = new Date(local);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const da = d.getUTCDate();
  let start: number;
  let next: number;
  switch (unit) {
    case 'y':
      start = Date.UTC(y, 0, 1);
      next = Date.UTC(y + 1, 0, 1);
      break;
    case 'M':
      start = Date.UTC(y, mo, 1);
      next = Date.UTC(y, mo + 1, 1);
      break;
    case 'w': {
      const dow = (d.getUTCDay() + 6) % 7; // Monday = 0, as ISO weeks
      start = Date.UTC(y, mo, da - dow);
      next = start + 7 * 86_400_000;
      break;
    }
    case 'd':
      start = Date.UTC(y, mo, da);
      next = start + 86_400_000;
      break;
    case 'h':
    case 'H':
      start = Math.floor(local / 3_600_000) * 3_600_000;
      next = start + 3_600_000;
      break;
    case 'm':
      start = Math.floor(local / 60_000) * 60_000;
      next = start + 60_000;
      break;
    case 's':
      start = Math.floor(local / 1000) * 1000;
      next = start + 1000;
      break;
  }
  return roundUp ? next - 1 : start;
}

function addLocal(local: number, n: number, unit: Unit): number {
  const d = new Date(local);
  switch (unit) {
    case 'y':
      d.setUTCFullYear(d.getUTCFullYear() + n);
      return d.getTime();
    case 'M':
      return addMonths(d, n);
    case 'w':
      return local + n * 7 * 86_400_000;
    case 'd':
      return local + n * 86_400_000;
    case 'h':
    case 'H':
      return local + n * 3_600_000;
    case 'm':
      return local + n * 60_000;
    case 's':
      return local + n * 1000;
  }
}

/** Java's plusMonths: clamps the day to the target month's length (Jan 31 + 1M = Feb 28/29). */
function addMonths(d: Date, n: number): number {
  const day = d.getUTCDate();
  const target = new Date(d.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + n);
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.getTime();
}

const mathError = (text: string, why: string): EngineError =>
  new EngineError(400, 'parse_exception', `failed to parse date field [${text}]: [${why}]`);

/** What a running search records about itself: whether it read the clock (`now`). */
export interface ClockReads {
  usedNow: boolean;
}

/** The search whose synchronous step is running (steps of searches interleave, each sets its own). */
let currentReads: ClockReads | undefined;

/**
 * Records that the running search read the clock: date math on `now`, a random_score without a
 * seed. Its result then depends on when it ran, so the request cache must not keep it
 * (SearchExecutionContext.nowInMillis marks the context not cacheable).
 */
export function noteNowRead(): void {
  if (currentReads) currentReads.usedNow = true;
}

/** Runs a search's steps with `reads` as the record of its clock reads (set around each step). */
export function* trackClockReads<T>(steps: Generator<void, T>, reads: ClockReads): Generator<void, T> {
  for (;;) {
    const outer = currentReads;
    currentReads = reads;
    let r: IteratorResult<void, T>;
    try {
      r = steps.next();
    } finally {
      currentReads = outer;
    }
    if (r.done) return r.value;
    yield;
  }
}

/**
 * Resolves a date-math expression to epoch millis.
 * @param parseAnchor parses the part before `||` (the field's or the request's format).
 */
export function resolveDateMath(
  text: string,
  nowMs: number,
  roundUp: boolean,
  zone: TimeZone,
  parseAnchor: (anchor: string, roundUp: boolean) => number,
): number {
  let anchorMs: number;
  let math: string;
  if (text.startsWith('now')) {
    noteNowRead();
    anchorMs = nowMs;
    math = text.slice(3);
  } else {
    const bar = text.indexOf('||');
    if (bar === -1) return parseAnchor(text, roundUp);
    math = text.slice(bar + 2);
    anchorMs = parseAnchor(text.slice(0, bar), false);
  }
  if (math === '') return anchorMs;
  // date math runs on the wall clock of the time zone
  let local = anchorMs + zone.offsetAt(anchorMs);
  let i = 0;
  while (i < math.length) {
    const c = math[i++];
    if (c === '/') {
      const unit = math[i++];
      if (unit === undefined || !UNITS.has(unit)) throw mathError(text, `rounding unit [${unit ?? ''}] is not supported`);
      local = roundLocal(local, unit as Unit, roundUp);
    } else if (c === '+' || c === '-') {
      let digits = '';
      while (i < math.length && /\d/.test(math[i] ?? '')) digits += math[i++];
      const n = digits === '' ? 1 : Number(digits);
      const unit = math[i++];
      if (unit === undefined || !UNITS.has(unit)) throw mathError(text, `unit [${unit ?? ''}] not supported for date math [${math}]`);
      local = addLocal(local, c === '-' ? -n : n, unit as Unit);
    } else {
      throw mathError(text, `operator not supported for date math [${math}]`);
    }
  }
  return localToUtc(local, zone);
}

/** Epoch millis -> `strict_date_optional_time` (`2024-01-01T00:00:00.000Z`), as docvalue_fields formats dates. */
export function formatIsoDate(ms: number): string {
  return new Date(ms).toISOString();
}
