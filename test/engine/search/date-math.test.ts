import { describe, expect, it } from 'vitest';
import { UTC, parseIsoDate, parseTimeZone, resolveDateMath } from '../../../src/engine/search/date-math.js';
import { compileDateFormat } from '../../../src/engine/search/date-format.js';

const now = Date.parse('2024-06-15T12:34:56.789Z');
const iso = (text: string, up = false, zone = UTC) => resolveDateMath(text, now, up, zone, (a, u) => parseIsoDate(a, u, zone) ?? Number.NaN);
const at = (ms: number) => new Date(ms).toISOString();

describe('date math', () => {
  it('adds, subtracts and rounds from now', () => {
    expect(at(iso('now'))).toBe('2024-06-15T12:34:56.789Z');
    expect(at(iso('now-7d/d'))).toBe('2024-06-08T00:00:00.000Z');
    expect(at(iso('now-7d/d', true))).toBe('2024-06-08T23:59:59.999Z');
    expect(at(iso('now/M'))).toBe('2024-06-01T00:00:00.000Z');
    expect(at(iso('now+1M-1d/d'))).toBe('2024-07-14T00:00:00.000Z');
    expect(at(iso('now/w'))).toBe('2024-06-10T00:00:00.000Z'); // ISO weeks start on Monday
    expect(at(iso('now-1h/h'))).toBe('2024-06-15T11:00:00.000Z');
    expect(at(iso('now/y', true))).toBe('2024-12-31T23:59:59.999Z');
  });

  it('anchors with || and clamps month ends as java.time does', () => {
    expect(at(iso('2024-01-31||+1M'))).toBe('2024-02-29T00:00:00.000Z');
    expect(at(iso('2024-01-01||+1M/d'))).toBe('2024-02-01T00:00:00.000Z');
    expect(at(iso('2024-03-10T10:00:00Z||-1d/d'))).toBe('2024-03-09T00:00:00.000Z');
  });

  it('rounds in the requested time zone', () => {
    const paris = parseTimeZone('+02:00');
    // midnight of 2024-06-15 in +02:00 is 22:00 UTC the day before
    expect(at(iso('now/d', false, paris))).toBe('2024-06-14T22:00:00.000Z');
    const ny = parseTimeZone('America/New_York');
    expect(at(iso('now/d', false, ny))).toBe('2024-06-15T04:00:00.000Z');
  });

  // Elasticsearch's round-up parser keeps a missing month/day at 1 and fills the time of day
  // (range query docs, "Missing date components"; search/500_date_range.yml: `lte: 1500` with
  // `format: uuuu` is 1500-01-01T23:59:59.999).
  it('fills the missing time of day up when rounding up, as ES range lte does', () => {
    expect(at(parseIsoDate('2024-02', true, UTC)!)).toBe('2024-02-01T23:59:59.999Z');
    expect(at(parseIsoDate('2024', true, UTC)!)).toBe('2024-01-01T23:59:59.999Z');
    expect(at(parseIsoDate('2024-02-03T10', true, UTC)!)).toBe('2024-02-03T10:59:59.999Z');
    expect(at(parseIsoDate('2024-02-03T10:00:00+01:00', false, UTC)!)).toBe('2024-02-03T09:00:00.000Z');
  });

  it('parses custom formats', () => {
    const p = compileDateFormat('dd/MM/yyyy||epoch_second');
    expect(at(p('03/02/2024', false, UTC)!)).toBe('2024-02-03T00:00:00.000Z');
    expect(at(p('03/02/2024', true, UTC)!)).toBe('2024-02-03T23:59:59.999Z');
    expect(p('1700000000', false, UTC)).toBe(1_700_000_000_000);
    expect(p('2024-02-03', false, UTC)).toBeUndefined();
  });
});
