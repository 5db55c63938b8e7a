import { DATE_FORMAT_PATTERNS } from '../../date-format-names.js';
import { fractionSubMillis } from '../../date-nanos.js';

/**
 * Elasticsearch date formats (`strict_date_optional_time||epoch_millis`, `yyyy-MM-dd HH:mm:ss`,
 * `epoch_second`, ...) compiled to parsers that return epoch milliseconds (UTC unless the value
 * carries a zone). Alternatives are separated by `||`; the first that parses wins.
 */
export type DateParser = (value: string | number) => number | undefined;

/** An instant: epoch millis and the nanoseconds after that millisecond (0..999999), for date_nanos. */
export interface ParsedInstant {
  millis: number;
  subMillis: number;
}

/** A parser keeping the nanoseconds of the fraction (date_nanos). */
export type InstantParser = (value: string | number) => ParsedInstant | undefined;

export const DEFAULT_DATE_FORMAT = 'strict_date_optional_time||epoch_millis';
export const DEFAULT_DATE_NANOS_FORMAT = 'strict_date_optional_time_nanos||epoch_millis';

const ISO_OPTIONAL_TIME =
  /^([+-]?\d{4,9})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_STRICT_OPTIONAL_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

function fromParts(
  year: number,
  month = 1,
  day = 1,
  hour = 0,
  minute = 0,
  second = 0,
  fraction = '',
  zone?: string,
): ParsedInstant | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = fraction ? Number((fraction + '00').slice(0, 3)) : 0;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  if (date.getUTCDate() !== day) return undefined; // 2023-02-30
  return { millis: date.getTime() - zoneOffsetMinutes(zone) * 60_000, subMillis: fractionSubMillis(fraction) };
}

function isoParser(regex: RegExp): InstantParser {
  return (value) => {
    if (typeof value !== 'string') return undefined;
    const m = regex.exec(value);
    if (!m) return undefined;
    return fromParts(
      Number(m[1]),
      m[2] === undefined ? 1 : Number(m[2]),
      m[3] === undefined ? 1 : Number(m[3]),
      m[4] === undefined ? 0 : Number(m[4]),
      m[5] === undefined ? 0 : Number(m[5]),
      m[6] === undefined ? 0 : Number(m[6]),
      m[7] ?? '',
      m[8],
    );
  };
}

function epochParser(scale: number): InstantParser {
  return (value) => {
    const n = typeof value === 'number' ? value : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n)) return undefined;
    const millis = Math.trunc(n * scale);
    // epoch_millis with a fraction of a millisecond ("1.5") keeps its nanoseconds (date_nanos)
    const fraction = scale === 1 && typeof value === 'string' ? /\.(\d+)$/.exec(value)?.[1] : undefined;
    return { millis, subMillis: fraction && millis >= 0 ? Number(fraction.slice(0, 6).padEnd(6, '0')) : 0 };
  };
}

/** `strict_date_time`: the fraction (1 to 9 digits) is optional when parsing, the zone is required. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)$/;
const ISO_DATE_TIME_NO_MILLIS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})()(Z|[+-]\d{2}(?::?\d{2})?)$/;

const NAMED: Record<string, InstantParser> = {
  strict_date_time: isoParser(ISO_DATE_TIME),
  date_time: isoParser(ISO_DATE_TIME),
  strict_date_time_no_millis: isoParser(ISO_DATE_TIME_NO_MILLIS),
  date_time_no_millis: isoParser(ISO_DATE_TIME_NO_MILLIS),
  strict_date_optional_time: isoParser(ISO_STRICT_OPTIONAL_TIME),
  date_optional_time: isoParser(ISO_OPTIONAL_TIME),
  strict_date_optional_time_nanos: isoParser(ISO_STRICT_OPTIONAL_TIME),
  iso8601: isoParser(ISO_OPTIONAL_TIME),
  epoch_millis: epochParser(1),
  epoch_second: epochParser(1000),
};


type Part = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction' | 'zone' | 'ampm' | 'hour12';

const TOKENS: Array<[RegExp, (len: number) => [string, Part | undefined]]> = [
  [/^[yu]+/, (n) => [n === 2 ? '(\\d{2})' : '(\\d{4})', 'year']],
  [/^M+/, (n) => [n >= 2 ? '(\\d{2})' : '(\\d{1,2})', 'month']],
  [/^d+/, (n) => [n >= 2 ? '(\\d{2})' : '(\\d{1,2})', 'day']],
  [/^H+/, (n) => [n >= 2 ? '(\\d{2})' : '(\\d{1,2})', 'hour']],
  [/^h+/, (n) => [n >= 2 ? '(\\d{2})' : '(\\d{1,2})', 'hour12']],
  [/^m+/, (n) => [n >= 2 ? '(\\d{2})' : '(\\d{1,2})', 'minute']],
  [/^s+/, (n) => [n >= 2 ? '(\\d{2})' : '(\\d{1,2})', 'second']],
  [/^S+/, (n) => [`(\\d{${n}})`, 'fraction']],
  [/^a/, () => ['(AM|PM|am|pm)', 'ampm']],
  [/^[XxZ]+/, () => ['(Z|[+-]\\d{2}(?::?\\d{2})?)', 'zone']],
];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a Java-time pattern (`yyyy-MM-dd HH:mm:ss`, `dd/MM/yyyy`, `yyyy-MM-dd'T'HH:mm:ssXXX`). */
function compilePattern(pattern: string): InstantParser | undefined {
  let regex = '';
  const parts: Part[] = [];
  let rest = pattern;
  while (rest.length > 0) {
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) return undefined;
      regex += escapeRegex(rest.slice(1, end));
      rest = rest.slice(end + 1);
      continue;
    }
    if (rest.startsWith('[') || rest.startsWith(']')) return undefined; // optional sections: not supported
    let matched = false;
    for (const [re, build] of TOKENS) {
      const m = re.exec(rest);
      if (m) {
        const [fragment, part] = build(m[0].length);
        regex += fragment;
        if (part) parts.push(part);
        rest = rest.slice(m[0].length);
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (/^[A-Za-z]/.test(rest)) return undefined; // an unknown pattern letter
    regex += escapeRegex(rest[0] ?? '');
    rest = rest.slice(1);
  }
  const compiled = new RegExp(`^${regex}$`);
  return (input) => {
    // Elasticsearch parses a number with the pattern's text form (`format: uuuu`, value 2022).
    const value = typeof input === 'number' ? String(input) : input;
    const m = compiled.exec(value);
    if (!m) return undefined;
    const got: Partial<Record<Part, string>> = {};
    parts.forEach((part, i) => (got[part] = m[i + 1]));
    let year = got.year === undefined ? 1970 : Number(got.year);
    if (got.year?.length === 2) year += 2000;
    let hour = got.hour !== undefined ? Number(got.hour) : got.hour12 !== undefined ? Number(got.hour12) % 12 : 0;
    if (got.ampm && got.ampm.toLowerCase() === 'pm') hour += 12;
    return fromParts(
      year,
      got.month === undefined ? 1 : Number(got.month),
      got.day === undefined ? 1 : Number(got.day),
      hour,
      got.minute === undefined ? 0 : Number(got.minute),
      got.second === undefined ? 0 : Number(got.second),
      got.fraction ?? '',
      got.zone,
    );
  };
}

const cache = new Map<string, InstantParser | undefined>();

/** Compiles a `format` string; undefined when a part is not understood. */
export function compileDateFormat(format: string): DateParser | undefined {
  const parse = compileInstantFormat(format);
  return parse && ((value) => parse(value)?.millis);
}

/** Compiles a `format` string to a parser keeping nanoseconds (date_nanos); undefined when a part is not understood. */
export function compileInstantFormat(format: string): InstantParser | undefined {
  if (cache.has(format)) return cache.get(format);
  const alternatives: InstantParser[] = [];
  let ok = true;
  for (const raw of format.split('||')) {
    const name = raw.trim();
    const named = NAMED[name] ?? NAMED[name.replace(/^strict_/, '')];
    const alias = DATE_FORMAT_PATTERNS[name];
    const parser = named ?? compilePattern(alias ?? name);
    if (!parser) {
      ok = false;
      break;
    }
    alternatives.push(parser);
  }
  const result: InstantParser | undefined = ok
    ? (value) => {
        for (const parse of alternatives) {
          const instant = parse(value);
          if (instant !== undefined && Number.isFinite(instant.millis)) return instant;
        }
        return undefined;
      }
    : undefined;
  cache.set(format, result);
  return result;
}

/** Dynamic date detection: `strict_date_optional_time` with at least a full date (numeric strings stay text). */
export function looksLikeDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(value) && NAMED.strict_date_optional_time!(value) !== undefined;
}

/** Formats epoch millis as Elasticsearch prints dates in `strict_date_optional_time`. */
export function formatIsoDate(millis: number): string {
  return new Date(millis).toISOString();
}
