import { EngineError } from '../errors.js';
import { localToUtc, parseIsoDate, roundUpMissing } from './date-math.js';
import type { TimeZone } from './date-math.js';

/**
 * The `format` of a range query: `||`-separated named formats (epoch_millis, epoch_second,
 * strict_date_optional_time, date_optional_time, strict_date, date, ...) and simple java-time
 * patterns (`yyyy-MM-dd`, `dd/MM/yyyy HH:mm:ss`). Returns a parser that yields epoch millis or
 * undefined when no format matches.
 */
export type FormatParser = (text: string, roundUp: boolean, zone: TimeZone) => number | undefined;

const ISO_NAMES = new Set([
  'strict_date_optional_time',
  'date_optional_time',
  'strict_date_optional_time_nanos',
  'iso8601',
  'strict_date',
  'date',
  'strict_date_time',
  'date_time',
  'strict_date_hour_minute_second',
  'date_hour_minute_second',
  'strict_year_month_day',
  'year_month_day',
  'strict_year_month',
  'year_month',
  'strict_year',
  'year',
]);

export function compileDateFormat(format: string): FormatParser {
  const parsers = format.split('||').map((f) => compileOne(f.trim()));
  return (text, roundUp, zone) => {
    for (const p of parsers) {
      const v = p(text, roundUp, zone);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

function compileOne(f: string): FormatParser {
  if (f === 'epoch_millis') return (t) => (/^-?\d+(\.\d+)?$/.test(t) ? Math.trunc(Number(t)) : undefined);
  if (f === 'epoch_second') return (t) => (/^-?\d+(\.\d+)?$/.test(t) ? Math.trunc(Number(t) * 1000) : undefined);
  if (ISO_NAMES.has(f)) return (t, roundUp, zone) => parseIsoDate(t, roundUp, zone);
  return compilePattern(f);
}

const FIELDS: Record<string, { re: string; key: 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S' }> = {
  yyyy: { re: '(\\d{4})', key: 'y' },
  uuuu: { re: '(\\d{4})', key: 'y' },
  MM: { re: '(\\d{2})', key: 'M' },
  M: { re: '(\\d{1,2})', key: 'M' },
  dd: { re: '(\\d{2})', key: 'd' },
  d: { re: '(\\d{1,2})', key: 'd' },
  HH: { re: '(\\d{2})', key: 'H' },
  mm: { re: '(\\d{2})', key: 'm' },
  ss: { re: '(\\d{2})', key: 's' },
  SSS: { re: '(\\d{3})', key: 'S' },
};

function compilePattern(pattern: string): FormatParser {
  let re = '';
  const keys: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      re += escape(pattern.slice(i + 1, end === -1 ? undefined : end));
      i = end === -1 ? pattern.length : end + 1;
      continue;
    }
    let run = c;
    while (pattern[i + run.length] === c) run += c;
    const field = FIELDS[run];
    if (field) {
      re += field.re;
      keys.push(field.key);
    } else if (/[a-zA-Z]/.test(c)) {
      throw new EngineError(400, 'illegal_argument_exception', `Invalid format: [${pattern}]: Unknown pattern letter: ${c}`);
    } else {
      re += escape(run);
    }
    i += run.length;
  }
  const regex = new RegExp(`^${re}$`);
  return (text, roundUp, zone) => {
    const m = regex.exec(text);
    if (!m) return undefined;
    const v: Record<string, number> = {};
    keys.forEach((k, j) => (v[k] = Number(m[j + 1])));
    const has = (k: string): boolean => v[k] !== undefined;
    let local = Date.UTC(v.y ?? 1970, (v.M ?? 1) - 1, v.d ?? 1, v.H ?? 0, v.m ?? 0, v.s ?? 0, v.S ?? 0);
    if (roundUp && !has('S')) local = roundUpMissing(local, has('s') ? 5 : has('m') ? 4 : has('H') ? 3 : 2);
    return localToUtc(local, zone);
  };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
