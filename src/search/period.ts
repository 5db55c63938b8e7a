import { parseDuration, parseSince } from '../config/duration.js';
import { SearchQueryError } from '../errors.js';

/**
 * The audit commands' time flags, checked: a duration (`--older-than 90d`, `--slower-than
 * 250ms`) in milliseconds, or a time (`--since 7d`, `--since 2026-01-31`). A bad value is a
 * usage error (exit 2) that quotes it and says what is allowed.
 */
export function durationArgument(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new SearchQueryError('DURATION_INVALID', `${flag} is "${text}", expected a number and a unit: ms, s, m, h, d or w (90d, 12h, 30m, 250ms)`);
  return ms;
}

export function timeArgument(text: string, flag: string, now = new Date()): Date {
  const time = parseSince(text, now);
  if (time === undefined) throw new SearchQueryError('DURATION_INVALID', `${flag} is "${text}", expected an ISO date (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (7d, 12h)`);
  return time;
}
