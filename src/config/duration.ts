import { EXIT, IndexkitError } from '../errors.js';

/**
 * Durations as people write them on the command line and in settings: `90d`, `12h`, `30m`,
 * `45s`, `500ms`, `2w`, or combined `1h30m`. Returns milliseconds, or undefined when the text
 * is not a duration (callers phrase the error with the flag or setting it came from).
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(amount) * UNITS[unit!]!;
  return total;
}

/**
 * A point in time given as an ISO timestamp (`2026-11-01`, `2026-11-01T12:00:00Z`) or as a
 * duration back from `now` (`2h` = two hours ago). Undefined when it is neither.
 */
export function parseSince(text: string, now: Date = new Date()): Date | undefined {
  const duration = parseDuration(text);
  if (duration !== undefined) return new Date(now.getTime() - duration);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  const date = new Date(text.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `90061000` -> `1d 1h 1m 1s`, for summaries. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}

/**
 * A command-line duration (`--older-than 90d`, `--slower-than 250ms`) in milliseconds; a bad
 * value is a usage error (exit 2) that quotes it and says what is allowed.
 */
export function durationArgument(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new IndexkitError('DURATION_INVALID', `${flag} is "${text}", expected a number and a unit: ms, s, m, h, d or w (90d, 12h, 30m, 250ms)`, { exitCode: EXIT.usage });
  return ms;
}

/** A command-line time (`--since 7d`, `--since 2026-01-31`), checked the same way. */
export function timeArgument(text: string, flag: string, now = new Date()): Date {
  const time = parseSince(text, now);
  if (time === undefined) throw new IndexkitError('DURATION_INVALID', `${flag} is "${text}", expected an ISO date (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (7d, 12h)`, { exitCode: EXIT.usage });
  return time;
}
