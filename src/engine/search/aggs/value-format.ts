import { DATE_FORMAT_PATTERNS } from '../../date-format-names.js';
import { EngineError } from '../../errors.js';
import { UTC } from '../date-math.js';
import type { TimeZone } from '../date-math.js';
import type { ValueKind } from './values-source.js';

/**
 * Elasticsearch's DocValueFormat for aggregation results: how bucket keys (`key_as_string`)
 * and a metric's `*_as_string` companions are written. RAW writes none; a `format` on a numeric field is a Java
 * DecimalFormat pattern (Locale.ROOT, HALF_EVEN); a date field formats epoch millis with its
 * format (strict_date_optional_time by default, or the request's `format`); a boolean field
 * formats as `true`/`false`.
 */
export type ValueFormat = { kind: 'raw' } | { kind: 'decimal'; format(v: number): string } | { kind: 'date'; format(v: number): string } | { kind: 'boolean' };

export const RAW: ValueFormat = { kind: 'raw' };

/** The format of an aggregation over a field of `kind` with an optional request `format`. */
export function valueFormat(kind: ValueKind | undefined, format: string | undefined): ValueFormat {
  if (kind === 'date') return { kind: 'date', format: dateFormatter(format) };
  if (kind === 'boolean') return { kind: 'boolean' };
  if (format !== undefined) return { kind: 'decimal', format: compileDecimalFormat(format) };
  return RAW;
}

/** The `*_as_string` of a value, or undefined when the format is RAW. */
export function formatValue(f: ValueFormat, v: number): string | undefined {
  switch (f.kind) {
    case 'raw':
      return undefined;
    case 'boolean':
      return String(v !== 0);
    case 'decimal':
      return f.format(v);
    case 'date':
      // DocValueFormat.DateTime.format(double) truncates to a long first
      return Number.isFinite(v) ? f.format(Math.trunc(v)) : String(v);
  }
}

/**
 * A double as JSON: finite numbers as numbers; NaN and infinities as the strings Jackson writes
 * for them (`"NaN"`, `"Infinity"`), as an extended_stats of one value shows for `variance_sampling`.
 */
export function jsonDouble(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** Java's `Double.toString` (shortest digits): `50.0`, `99.9`, `1.0E-4`, `1.0E7`. */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  const sign = d < 0 ? '-' : '';
  const [mant = '', expText = '0'] = abs.toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const frac = digits.slice(1);
  return `${sign}${digits[0] ?? '0'}.${frac === '' ? '0' : frac}E${exp}`;
}

// ---------------------------------------------------------------------------------------------
// DecimalFormat (the subset aggregation formats use: `0.00`, `#,##0`, `#,##0.00 EUR`, `0.#%`)

interface DecimalPattern {
  prefix: string;
  suffix: string;
  minInt: number;
  minFrac: number;
  maxFrac: number;
  grouping: number;
  multiplier: number;
}

function parseDecimalPattern(pattern: string): DecimalPattern {
  const positive = splitUnquoted(pattern, ';')[0] ?? '';
  let i = 0;
  let prefix = '';
  const literal = (stop: (c: string) => boolean): string => {
    let out = '';
    while (i < positive.length) {
      const c = positive[i] as string;
      if (c === "'") {
        const end = positive.indexOf("'", i + 1);
        if (end === i + 1) out += "'";
        else out += positive.slice(i + 1, end === -1 ? undefined : end);
        i = end === -1 ? positive.length : end + 1;
        continue;
      }
      if (stop(c)) break;
      out += c;
      i++;
    }
    return out;
  };
  prefix = literal((c) => '#0,.'.includes(c));
  const start = i;
  while (i < positive.length && '#0,.'.includes(positive[i] as string)) i++;
  const body = positive.slice(start, i);
  const suffix = literal(() => false);
  if (body === '' || /E/.test(body)) throw new EngineError(400, 'illegal_argument_exception', `Malformed pattern "${pattern}"`);
  const dot = body.indexOf('.');
  const intPart = dot === -1 ? body : body.slice(0, dot);
  const fracPart = dot === -1 ? '' : body.slice(dot + 1);
  if (fracPart.includes('.') || fracPart.includes(',')) throw new EngineError(400, 'illegal_argument_exception', `Malformed pattern "${pattern}"`);
  const lastComma = intPart.lastIndexOf(',');
  const multiplier = prefix.includes('%') || suffix.includes('%') ? 100 : prefix.includes('‰') || suffix.includes('‰') ? 1000 : 1;
  return {
    prefix,
    suffix,
    minInt: (intPart.match(/0/g) ?? []).length,
    minFrac: (fracPart.match(/0/g) ?? []).length,
    maxFrac: fracPart.length,
    grouping: lastComma === -1 ? 0 : intPart.length - lastComma - 1,
    multiplier,
  };
}

function splitUnquoted(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of s) {
    if (c === "'") quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The exact decimal digits of a finite non-negative double: integer part and (long) fraction. */
function exactDecimal(x: number): { int: string; frac: string } {
  if (x >= 1e21) return { int: BigInt(x).toString(), frac: '' };
  const s = x.toFixed(100);
  const dot = s.indexOf('.');
  return { int: s.slice(0, dot), frac: s.slice(dot + 1) };
}

/** Rounds a decimal digit string half-even at `places` fraction digits (DecimalFormat's default). */
function roundHalfEven(int: string, frac: string, places: number): { int: string; frac: string } {
  const kept = frac.slice(0, places).padEnd(places, '0');
  const rest = frac.slice(places);
  const first = rest[0] ?? '0';
  const beyond = /[1-9]/.test(rest.slice(1));
  const lastDigit = Number((places > 0 ? kept[places - 1] : int[int.length - 1]) ?? '0');
  const up = first > '5' || (first === '5' && (beyond || lastDigit % 2 === 1));
  if (!up) return { int, frac: kept };
  const all = (int + kept).split('').map(Number);
  let k = all.length - 1;
  while (k >= 0) {
    const d = (all[k] as number) + 1;
    if (d < 10) {
      all[k] = d;
      break;
    }
    all[k] = 0;
    k--;
  }
  let digits = all.join('');
  if (k < 0) digits = `1${digits}`;
  return { int: digits.slice(0, digits.length - places), frac: digits.slice(digits.length - places) };
}

export function compileDecimalFormat(pattern: string): (v: number) => string {
  const p = parseDecimalPattern(pattern);
  return (v) => {
    // DocValueFormat.Decimal writes NaN itself (the JDK's symbol differs between versions)
    if (Number.isNaN(v)) return 'NaN';
    const negative = v < 0 || Object.is(v, -0);
    if (!Number.isFinite(v)) return `${negative ? '-' : ''}${p.prefix}∞${p.suffix}`;
    const abs = Math.abs(v) * p.multiplier;
    const exact = exactDecimal(abs);
    const r = roundHalfEven(exact.int, exact.frac, p.maxFrac);
    let int = r.int.replace(/^0+/, '');
    let frac = r.frac;
    while (frac.length > p.minFrac && frac.endsWith('0')) frac = frac.slice(0, -1);
    if (int.length < p.minInt) int = int.padStart(p.minInt, '0');
    // `#.##` formats 0 as "0", and 0.5 as ".5"
    if (int === '' && frac === '') int = '0';
    if (p.grouping > 0 && int.length > p.grouping) {
      const groups: string[] = [];
      for (let end = int.length; end > 0; end -= p.grouping) groups.unshift(int.slice(Math.max(0, end - p.grouping), end));
      int = groups.join(',');
    }
    return `${negative ? '-' : ''}${p.prefix}${int}${frac !== '' ? `.${frac}` : ''}${p.suffix}`;
  };
}

// ---------------------------------------------------------------------------------------------
// Date formats (named formats and java-time patterns) in a time zone


const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Formats epoch millis; `subMillis` (0..999999) carries the nanoseconds of a date_nanos value. */
export type DateFormatter = (ms: number, subMillis?: number) => string;

const pad = (n: number, w: number): string => {
  const s = String(Math.abs(n)).padStart(w, '0');
  return n < 0 ? `-${s}` : s;
};

function offsetText(offsetMs: number, style: string): string {
  const letter = style[0] as string;
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.abs(offsetMs) / 60_000;
  const hh = pad(Math.floor(total / 60), 2);
  const mm = pad(total % 60, 2);
  if (letter === 'Z') {
    // DateTimeFormatterBuilder: Z..ZZZ `+HHMM`; ZZZZ the localized `GMT-04:00`; ZZZZZ `-04:00` (`Z` at zero)
    if (style.length < 4) return `${sign}${hh}${mm}`;
    if (style.length === 4) return offsetMs === 0 ? 'GMT' : `GMT${sign}${hh}:${mm}`;
    return offsetMs === 0 ? 'Z' : `${sign}${hh}:${mm}`;
  }
  if (offsetMs === 0 && letter === 'X') return 'Z';
  if (style.length === 1) return `${sign}${hh}${mm === '00' ? '' : mm}`;
  if (style.length === 2) return `${sign}${hh}${mm}`;
  return `${sign}${hh}:${mm}`;
}

/** A formatter for a named format or java-time pattern (`||` alternatives: the first formats). */
export function dateFormatter(format: string | undefined, zone: TimeZone = UTC): DateFormatter {
  const first = (format ?? 'strict_date_optional_time').split('||')[0]?.trim() ?? 'strict_date_optional_time';
  if (first === 'epoch_millis') return (ms, sub = 0) => (sub === 0 ? String(ms) : `${ms}.${String(sub).padStart(6, '0').replace(/0+$/, '')}`);
  if (first === 'strict_date_optional_time_nanos') {
    // appendFraction(NANO_OF_SECOND, 3, 9, true): at least 3 digits, trailing zeros dropped past them
    const base = dateFormatter("yyyy-MM-dd'T'HH:mm:ss", zone);
    return (ms, sub = 0) => {
      const fraction = (pad(((ms % 1000) + 1000) % 1000, 3) + pad(sub, 6)).replace(/0+$/, '').padEnd(3, '0');
      return `${base(ms)}.${fraction}${offsetText(zone.offsetAt(ms), 'XXX')}`;
    };
  }
  if (first === 'epoch_second') return (ms) => String(Math.trunc(ms / 1000));
  const pattern = DATE_FORMAT_PATTERNS[first] ?? first;
  const parts: Array<string | ((d: Date, off: number, sub: number) => string)> = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const lit = pattern.slice(i + 1, end === -1 ? undefined : end);
      parts.push(lit === '' ? "'" : lit);
      i = end === -1 ? pattern.length : end + 1;
      continue;
    }
    let run = c;
    while (pattern[i + run.length] === c) run += c;
    i += run.length;
    const n = run.length;
    switch (c) {
      case 'y':
      case 'u':
        parts.push((d) => (n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), Math.max(n, 4))));
        break;
      case 'M':
      case 'L':
        parts.push((d) => (n >= 4 ? (MONTHS[d.getUTCMonth()] as string) : n === 3 ? (MONTHS[d.getUTCMonth()] as string).slice(0, 3) : pad(d.getUTCMonth() + 1, n)));
        break;
      case 'd':
        parts.push((d) => pad(d.getUTCDate(), n));
        break;
      case 'D':
        parts.push((d) => pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, n));
        break;
      case 'E':
        parts.push((d) => (n >= 4 ? (DAYS[d.getUTCDay()] as string) : (DAYS[d.getUTCDay()] as string).slice(0, 3)));
        break;
      case 'e':
        // localized day of week under Elasticsearch's ISO week rules (IsoCalendarDataProvider): Monday is 1, Sunday 7
        if (n <= 2) parts.push((d) => pad(((d.getUTCDay() + 6) % 7) + 1, n));
        else parts.push((d) => (n >= 4 ? (DAYS[d.getUTCDay()] as string) : (DAYS[d.getUTCDay()] as string).slice(0, 3)));
        break;
      case 'H':
        parts.push((d) => pad(d.getUTCHours(), n));
        break;
      case 'h':
        parts.push((d) => pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, n));
        break;
      case 'a':
        parts.push((d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'));
        break;
      case 'm':
        parts.push((d) => pad(d.getUTCMinutes(), n));
        break;
      case 's':
        parts.push((d) => pad(d.getUTCSeconds(), n));
        break;
      case 'S':
        parts.push((d, _off, sub) => (pad(d.getUTCMilliseconds(), 3) + pad(sub, 6)).padEnd(n, '0').slice(0, n));
        break;
      case 'X':
      case 'x':
      case 'Z':
        parts.push((_d, off) => offsetText(off, run));
        break;
      case 'z':
      case 'V':
        parts.push((_d, off) => (off !== 0 ? offsetText(off, 'XXX') : n >= 4 ? 'Coordinated Universal Time' : 'UTC'));
        break;
      default:
        if (/[a-zA-Z]/.test(c)) throw new EngineError(400, 'illegal_argument_exception', `Invalid format: [${format ?? ''}]: Unknown pattern letter: ${c}`);
        parts.push(run);
    }
  }
  return (ms, sub = 0) => {
    const off = zone.offsetAt(ms);
    const local = new Date(ms + off);
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(local, off, sub);
    return out;
  };
}
