import { EngineError } from '../errors.js';

/**
 * Elasticsearch's `Queries.calculateMinShouldMatch`: `3`, `-1`, `75%`, `-25%`, and conditional
 * combinations `2<-25% 9<-3` (below or at each bound the previous rule applies).
 * Percentages truncate toward zero; the result is never negative (it may exceed the clause
 * count, in which case nothing matches, as in Elasticsearch).
 */
export function minimumShouldMatch(optionalClauseCount: number, spec: string): number {
  let result = optionalClauseCount;
  const s = spec.trim();
  if (s.includes('<')) {
    const parts = s.replace(/\s*<\s*/g, '<').split(/\s+/);
    for (const part of parts) {
      const [bound, rule] = part.split('<', 2);
      const upper = parseIntStrict(bound ?? '', spec);
      if (optionalClauseCount <= upper) return result;
      result = minimumShouldMatch(optionalClauseCount, rule ?? '');
    }
    return result;
  }
  if (s.endsWith('%')) {
    const percent = parseIntStrict(s.slice(0, -1), spec);
    const calc = Math.fround(Math.fround(result * percent) * Math.fround(1 / 100));
    result = calc < 0 ? result + Math.trunc(calc) : Math.trunc(calc);
  } else {
    const calc = parseIntStrict(s, spec);
    result = calc < 0 ? result + calc : calc;
  }
  return result < 0 ? 0 : result;
}

function parseIntStrict(text: string, spec: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) {
    throw new EngineError(400, 'illegal_argument_exception', `For input string: "${text}" in minimum_should_match [${spec}]`);
  }
  return Number(text.trim());
}
