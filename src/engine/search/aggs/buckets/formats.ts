import { EngineError } from '../../../errors.js';
import { UTC } from '../../date-math.js';
import type { TimeZone } from '../../date-math.js';

/**
 * Rendering of bucket keys as Elasticsearch's DocValueFormat does: dates through a java-time
 * pattern or named format in a time zone, numbers through a DecimalFormat pattern, and doubles
 * as Java's Double.toString (`100.0`, `1.0E7`) for range keys.
 */

const NAMED: Record<string, string> = {
  strict_date_optional_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  date_optional_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  strict_date_optional_time_nanos: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  strict_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  strict_date_time_no_millis: "yyyy-MM-dd'T'HH:mm:ssXXX",
  date_time_no_millis: "yyyy-MM-dd'T'HH:mm:ssXXX",
  strict_date: 'yyyy-MM-dd',
  date: 'yyyy-MM-dd',
  basic_date: 'yyyyMMdd',
  strict_date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  strict_date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  strict_date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  strict_date_hour: "yyyy-MM-dd'T'HH",
  date_hour: "yyyy-MM-dd'T'HH",
  strict_year_month_day: 'yyyy-MM-dd',
  year_month_day: 'yyyy-MM-dd',
  strict_year_month: 'yyyy-MM',
  year_month: 'yyyy-MM',
  strict_year: 'yyyy',
  year: 'yyyy',
  strict_hour_minute_second: 'HH:mm:ss',
  hour_minute_second: 'HH:mm:ss',
  strict_hour_minute: 'HH:mm',
  hour_minute: 'HH:mm',
  strict_time: 'HH:mm:ss.SSSXXX',
  time: 'HH:mm:ss.SSSXXX',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export type DateFormatter = (ms: number) => string;

const pad = (n: number, w: number): string => {
  const s = String(Math.abs(n)).padStart(w, '0');
  return n < 0 ? `-${s}` : s;
};

function offsetText(offsetMs: number, style: string): string {
  const letter = style[0] as string;
  if (offsetMs === 0 && (letter === 'X' || letter === 'Z')) return letter === 'Z' && style.length < 4 ? '+0000' : 'Z';
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.abs(offsetMs) / 60_000;
  const hh = pad(Math.floor(total / 60), 2);
  const mm = pad(total % 60, 2);
  if (style.length === 1) return `${sign}${hh}${mm === '00' && letter !== 'Z' ? '' : mm}`;
  if (style.length === 2 || letter === 'Z') return `${sign}${hh}${mm}`;
  return `${sign}${hh}:${mm}`;
}

/** A formatter for a named format or java-time pattern (`||` alternatives: the first formats). */
export function dateFormatter(format: string | undefined, zone: TimeZone = UTC): DateFormatter {
  const first = (format ?? 'strict_date_optional_time').split('||')[0]?.trim() ?? 'strict_date_optional_time';
  if (first === 'epoch_millis') return (ms) => String(ms);
  if (first === 'epoch_second') return (ms) => String(Math.trunc(ms / 1000));
  const pattern = NAMED[first] ?? first;
  const parts: Array<string | ((d: Date, off: number) => string)> = [];
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
        parts.push((d) => pad(d.getUTCMilliseconds(), 3).padEnd(n, '0').slice(0, n));
        break;
      case 'X':
      case 'x':
      case 'Z':
        parts.push((_d, off) => offsetText(off, run));
        break;
      default:
        if (/[a-zA-Z]/.test(c)) throw new EngineError(400, 'illegal_argument_exception', `Invalid format: [${format ?? ''}]: Unknown pattern letter: ${c}`);
        parts.push(run);
    }
  }
  return (ms) => {
    const off = zone.offsetAt(ms);
    const local = new Date(ms + off);
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(local, off);
    return out;
  };
}

/** Java's Double.toString: `100.0`, `1.5`, `1.0E7`, `-Infinity`. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = x.toExponential().split('e') as [string, string];
  return `${mant.includes('.') ? mant : `${mant}.0`}E${Number(exp)}`;
}

/** A subset of java.text.DecimalFormat patterns: `0`, `#`, `,` grouping, `.` fraction, literal prefix/suffix. */
export function decimalFormatter(pattern: string): (x: number) => string {
  const m = /^([^0#,.]*)([0#,]*)(?:\.([0#]*))?(.*)$/.exec(pattern);
  if (!m) return (x) => String(x);
  const prefix = m[1] ?? '';
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const suffix = m[4] ?? '';
  const minInt = (intPart.match(/0/g) ?? []).length;
  const grouping = intPart.includes(',') ? intPart.length - intPart.lastIndexOf(',') - 1 : 0;
  const minFrac = (frac.match(/0/g) ?? []).length;
  const maxFrac = frac.length;
  return (x) => {
    // DecimalFormat rounds HALF_EVEN
    const factor = 10 ** maxFrac;
    const scaled = x * factor;
    let r = Math.round(scaled);
    if (Math.abs(scaled % 1) === 0.5 && r % 2 !== 0) r -= 1;
    const neg = r < 0;
    const digits = String(Math.abs(r)).padStart(maxFrac + 1, '0');
    let ip = digits.slice(0, digits.length - maxFrac);
    let fp = digits.slice(digits.length - maxFrac);
    while (fp.length > minFrac && fp.endsWith('0')) fp = fp.slice(0, -1);
    ip = ip.replace(/^0+/, '');
    if (ip.length < minInt) ip = ip.padStart(minInt, '0');
    if (grouping > 0) ip = ip.replace(new RegExp(`\\B(?=(\\d{${grouping}})+(?!\\d))`, 'g'), ',');
    return `${neg ? '-' : ''}${prefix}${ip}${fp !== '' ? `.${fp}` : ''}${suffix}`;
  };
}
