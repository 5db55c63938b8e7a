import { EngineError } from '../errors.js';

const UNITS: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Elasticsearch time values (`30s`, `1m`, `500ms`, `2h`, `1d`) in milliseconds. */
export function parseTimeValue(text: string, setting: string): number {
  const m = /^(-?\d+(?:\.\d+)?)\s*(nanos|micros|ms|s|m|h|d)$/.exec(text.trim());
  if (!m) {
    if (text.trim() === '-1' || text.trim() === '0') return Number(text.trim());
    throw new EngineError(
      400,
      'parse_exception',
      `failed to parse setting [${setting}] with value [${text}] as a time value: unit is missing or unrecognized`,
    );
  }
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}
