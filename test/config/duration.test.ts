import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseSince } from '../../src/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['90d', 7_776_000_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '90', 'd', '3 days', '-1d', '1y'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseSince', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  it('reads a duration as that long before now', () => {
    expect(parseSince('2h', now)?.toISOString()).toBe('2026-11-21T10:00:00.000Z');
  });
  it('reads an ISO timestamp', () => {
    expect(parseSince('2026-11-01T08:30:00Z', now)?.toISOString()).toBe('2026-11-01T08:30:00.000Z');
  });
  it('refuses anything else', () => {
    expect(parseSince('yesterday', now)).toBeUndefined();
    expect(parseSince('2026-13-45', now)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('prints the largest units first', () => {
    expect(formatDuration(90_061_000)).toBe('1d 1h 1m 1s');
    expect(formatDuration(250)).toBe('250ms');
  });
});
