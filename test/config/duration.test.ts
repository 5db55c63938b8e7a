import { describe, expect, it } from 'vitest';
import { durationArgument, formatDuration, parseDuration, parseSince, timeArgument } from '../../src/config/duration.js';

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

describe('durationArgument and timeArgument', () => {
  it('read 90d, 12h, 30m and ISO dates, and refuse anything else with the flag named', () => {
    expect(durationArgument('90d', '--older-than')).toBe(90 * 86_400_000);
    expect(durationArgument('12h', '--older-than')).toBe(12 * 3_600_000);
    expect(durationArgument('30m', '--older-than')).toBe(30 * 60_000);
    expect(() => durationArgument('90 days', '--older-than')).toThrow(/--older-than is "90 days", expected/);
    const now = new Date('2026-03-01T00:00:00Z');
    expect(timeArgument('1d', '--since', now)).toEqual(new Date('2026-02-28T00:00:00Z'));
    expect(timeArgument('2026-01-31', '--since', now)).toEqual(new Date('2026-01-31T00:00:00Z'));
    expect(() => timeArgument('yesterday', '--since', now)).toThrow(expect.objectContaining({ code: 'DURATION_INVALID', exitCode: 2 }));
  });
});