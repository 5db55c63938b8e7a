import { AssertionFailure } from './stash.js';
import { Dbl, isMap, isNumber, javaClass, javaEquals, javaString, show, toDouble } from './values.js';
import type { Value } from './values.js';

/**
 * Java regex (as the tests write them) -> JavaScript. `comments` is Pattern.COMMENTS (the `x` flag
 * that `match: /.../` uses): unescaped white space and `#...` comments outside classes are dropped.
 */
export function javaRegex(source: string, comments: boolean): RegExp {
  let flags = '';
  let body = source;
  const inline = /^\(\?([imsx]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    for (const f of inline[1]!) {
      if (f === 'x') comments = true;
      else if (!flags.includes(f)) flags += f;
    }
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      if (next === 'Q') {
        const end = body.indexOf('\\E', i + 2);
        const literal = body.slice(i + 2, end < 0 ? body.length : end);
        out += literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? body.length : end + 1;
        continue;
      }
      if (comments && /\s/.test(next)) out += next === ' ' ? ' ' : `\\${next}`;
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    if (comments && /\s/.test(c)) continue;
    if (comments && c === '#') {
      while (i < body.length && body[i] !== '\n') i++;
      continue;
    }
    // Java's `$` (without MULTILINE) is the end of the input or just before a final line terminator
    if (c === '$' && !flags.includes('m')) {
      out += '(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?$)';
      continue;
    }
    out += c;
  }
  return new RegExp(out, flags);
}

const expectMsg = (field: string, text: string) => `field [${field}] ${text}`;

/** MatchAssertion.assertMatches. */
export function assertMatch(field: string, actual: Value | undefined, expected: Value): void {
  if (typeof expected === 'string') {
    const trimmed = expected.trim();
    if (trimmed.length > 2 && trimmed.startsWith('/') && trimmed.endsWith('/')) {
      if (typeof actual !== 'string') throw new AssertionFailure(expectMsg(field, `was expected to be of type String but is an instanceof [${javaClass(actual)}]`), expected, show(actual));
      if (!javaRegex(trimmed.slice(1, -1), true).test(actual)) throw new AssertionFailure(expectMsg(field, "was expected to match the provided regex but didn't"), expected, show(actual));
      return;
    }
  }
  if (expected === null) {
    if (actual !== null && actual !== undefined) throw new AssertionFailure(expectMsg(field, 'should be null'), 'null', show(actual));
    return;
  }
  if (actual === null || actual === undefined) throw new AssertionFailure(expectMsg(field, 'is null'), show(expected), show(actual));
  if (isNumber(actual) && isNumber(expected) && javaClass(actual) !== javaClass(expected)) {
    // Double 1.0 is equal to Integer 1 at the top level (not inside maps or lists).
    if (toDouble(actual) !== toDouble(expected)) throw new AssertionFailure(expectMsg(field, "doesn't match the expected value"), show(expected), show(actual));
    return;
  }
  if (!javaEquals(actual, expected)) throw new AssertionFailure(expectMsg(field, 'does not match the expected value'), show(expected), show(actual));
}

/** LengthAssertion: strings, lists, and maps (their key count). */
export function assertLength(field: string, actual: Value | undefined, expected: Value): void {
  if (!isNumber(expected)) throw new Error(`expected value of [${field}] is not numeric`);
  const length = Math.trunc(toDouble(expected));
  let got: number;
  if (typeof actual === 'string') got = actual.length;
  else if (Array.isArray(actual)) got = actual.length;
  else if (isMap(actual)) got = Object.keys(actual).length;
  else throw new AssertionFailure(`value is of unsupported type [${javaClass(actual)}]`, `length ${length}`, show(actual));
  if (got !== length) throw new AssertionFailure(expectMsg(field, `doesn't have length [${length}]`), String(length), `${got}: ${show(actual)}`);
}

export function assertTrue(field: string, actual: Value | undefined): void {
  const s = actual === null || actual === undefined ? undefined : javaString(actual);
  if (s === undefined || s === '' || s.toLowerCase() === 'false' || s === '0') throw new AssertionFailure(expectMsg(field, "doesn't have a true value"), 'a true value', show(actual));
}

export function assertFalse(field: string, actual: Value | undefined): void {
  if (actual === null || actual === undefined) return;
  const s = javaString(actual);
  if (!(s === '' || s.toLowerCase() === 'false' || s === '0')) throw new AssertionFailure(expectMsg(field, "has a true value but it shouldn't"), 'a false value', show(actual));
}

/** gt/gte/lt/lte: Comparable of the same class (Long vs Integer widened, as the Java runner does). */
export function assertCompare(op: 'gt' | 'gte' | 'lt' | 'lte', field: string, actual: Value | undefined, expected: Value): void {
  const ca = javaClass(actual);
  let ce = javaClass(expected);
  if (ca === 'Long' && ce === 'Integer') ce = 'Long';
  const comparable = (c: string) => c === 'Integer' || c === 'Long' || c === 'Double' || c === 'String' || c === 'Boolean' || c === 'BigInteger';
  if (!comparable(ca)) throw new AssertionFailure(`value of [${field}] is not comparable (got [${ca}])`, `${op} ${show(expected)}`, show(actual));
  if (ca !== ce) throw new AssertionFailure(`cast error while checking (field [${field}]): ${ca} vs ${ce}`, `${op} ${show(expected)}`, show(actual));
  let cmp: number;
  if (typeof actual === 'string' && typeof expected === 'string') cmp = actual < expected ? -1 : actual > expected ? 1 : 0;
  else if (actual instanceof Dbl || expected instanceof Dbl) cmp = Math.sign(toDouble(actual as Dbl) - toDouble(expected as Dbl));
  else if (typeof actual === 'boolean') cmp = Number(actual) - Number(expected);
  else {
    const a = BigInt(actual as number | bigint);
    const b = BigInt(expected as number | bigint);
    cmp = a < b ? -1 : a > b ? 1 : 0;
  }
  const ok = op === 'gt' ? cmp > 0 : op === 'gte' ? cmp >= 0 : op === 'lt' ? cmp < 0 : cmp <= 0;
  const words = { gt: 'greater than', gte: 'greater than or equal to', lt: 'less than', lte: 'less than or equal to' }[op];
  if (!ok) throw new AssertionFailure(expectMsg(field, `is not ${words} [${javaString(expected)}]`), `${op} ${show(expected)}`, show(actual));
}

export function assertCloseTo(field: string, actual: Value | undefined, expected: Value, error: number): void {
  if (!isNumber(expected)) throw new Error(`Expected value should be a number, but was [${javaString(expected)}]`);
  if (!isNumber(actual)) throw new AssertionFailure(`expected a value close to ${javaString(expected)} but got ${javaString(actual ?? null)}, which is not a number`, show(expected), show(actual));
  if (!(Math.abs(toDouble(actual) - toDouble(expected)) <= error)) throw new AssertionFailure(expectMsg(field, `is not close to ${javaString(expected)} ± ${error}`), `${show(expected)} ± ${error}`, show(actual));
}

/** ContainsAssertion: an object within a list of objects (entries contained), or a substring. */
export function assertContains(field: string, actual: Value | undefined, expected: Value): void {
  if (isMap(expected) && Array.isArray(actual)) {
    const keys = Object.keys(expected);
    const candidates = actual.filter((each) => isMap(each) && keys.every((k) => Object.hasOwn(each, k))) as Record<string, Value>[];
    if (!candidates.some((each) => keys.every((k) => javaEquals(each[k], expected[k])))) {
      throw new AssertionFailure(`${field} expected to be a list with at least one object that matches ${javaString(expected)}`, show(expected), show(actual));
    }
    return;
  }
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (!actual.includes(expected)) throw new AssertionFailure(`${field} expected to contain the string`, show(expected), show(actual));
    return;
  }
  throw new AssertionFailure("'contains' only supports checking an object against a list of objects or a string against a string", show(expected), show(actual));
}
