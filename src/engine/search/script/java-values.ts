import { javaDouble } from '../aggs/value-format.js';
import { JavaHashMap } from './java-collections.js';
import { numberText } from '../../json-numbers.js';
import { unsupported } from '../../errors.js';
import type { TimeObject } from './java-time.js';
import { timeClassName, timeJson, timeString } from './java-time.js';
import type { JavaPattern } from './java-regex.js';
import type { JavaMatcher } from './java-regex-methods.js';

/**
 * Java values as Painless sees them, with Java's typing: `int` (32-bit, wraps), `long` (64-bit,
 * a bigint wrapped with asIntN), `float` (Math.fround after each step), `double`, boolean,
 * String and null. Binary numeric promotion: double > float > long > int.
 */
export type JavaValue =
  | { t: 'int'; v: number }
  | { t: 'long'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'double'; v: number }
  | { t: 'bool'; v: boolean }
  /**
   * `cs`: a CharSequence that is not a String (an analysis token's term), equal only to another such.
   * `ch`: a `char` (String.charAt), one UTF-16 unit; what the engine does with it is limited to
   * Object's methods and emitting it (char arithmetic is refused).
   */
  | { t: 'str'; v: string; cs?: true; ch?: true }
  | { t: 'list'; v: JavaValue[] }
  | { t: 'map'; v: JavaHashMap }
  /** A java.time object (java-time.ts): ZonedDateTime, Instant, ZoneId, DateTimeFormatter, an enum. */
  | { t: 'obj'; v: TimeObject }
  /** A field of the fields API (`field('name')`): the document's values of that field, in order. */
  | { t: 'field'; name: string; kind: string; values: JavaValue[] }
  /** java.util.regex.Pattern (a regex literal) and the Matcher it makes (java-regex-methods.ts). */
  | { t: 'pattern'; v: JavaPattern }
  | { t: 'matcher'; v: JavaMatcher }
  | { t: 'null' };

export type NumericValue = Extract<JavaValue, { t: 'int' | 'long' | 'float' | 'double' }>;

export const NULL: JavaValue = { t: 'null' };
export const int = (v: number): JavaValue => ({ t: 'int', v: v | 0 });
export const long = (v: bigint): JavaValue => ({ t: 'long', v: BigInt.asIntN(64, v) });
export const double = (v: number): JavaValue => ({ t: 'double', v });
export const float = (v: number): JavaValue => ({ t: 'float', v: Math.fround(v) });

/** The Java class name Painless prints in its cast errors. */
export function javaTypeName(v: JavaValue): string {
  switch (v.t) {
    case 'int':
      return 'java.lang.Integer';
    case 'long':
      return 'java.lang.Long';
    case 'float':
      return 'java.lang.Float';
    case 'double':
      return 'java.lang.Double';
    case 'bool':
      return 'java.lang.Boolean';
    case 'str':
      return v.cs ? 'org.apache.lucene.analysis.tokenattributes.PackedTokenAttributeImpl' : v.ch ? 'java.lang.Character' : 'java.lang.String';
    case 'list':
      return 'java.util.ArrayList';
    case 'map':
      return 'java.util.HashMap';
    case 'obj':
      return timeClassName(v.v);
    case 'field':
      return 'org.elasticsearch.script.field.Field';
    case 'pattern':
      return 'java.util.regex.Pattern';
    case 'matcher':
      return 'java.util.regex.Matcher';
    case 'null':
      return 'null';
  }
}

export const isNumeric = (v: JavaValue): v is NumericValue => v.t === 'int' || v.t === 'long' || v.t === 'float' || v.t === 'double';

/** A numeric value as a JS number (a long may lose precision beyond 2^53, as a cast to double does in Java). */
export const toDouble = (v: NumericValue): number => (v.t === 'long' ? Number(v.v) : v.v);

/** Java's narrowing of a double to a long: NaN is 0, out-of-range values saturate. */
export function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 2 ** 63) return 9223372036854775807n;
  if (d <= -(2 ** 63)) return -9223372036854775808n;
  return BigInt(Math.trunc(d));
}

/** Java's narrowing of a double to an int. */
export function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d);
}

/** Java's cast of a numeric value to a primitive type. */
export function castTo(type: 'int' | 'long' | 'float' | 'double', v: NumericValue): JavaValue {
  switch (type) {
    case 'int':
      return v.t === 'long' ? int(Number(BigInt.asIntN(32, v.v))) : v.t === 'int' ? v : int(doubleToInt(v.v));
    case 'long':
      return v.t === 'long' ? v : v.t === 'int' ? long(BigInt(v.v)) : long(doubleToLong(v.v));
    case 'float':
      return float(toDouble(v));
    case 'double':
      return double(toDouble(v));
  }
}

/** The promoted type of a binary numeric operation. */
export function promoted(a: NumericValue, b: NumericValue): NumericValue['t'] {
  if (a.t === 'double' || b.t === 'double') return 'double';
  if (a.t === 'float' || b.t === 'float') return 'float';
  if (a.t === 'long' || b.t === 'long') return 'long';
  return 'int';
}

const toBig = (v: NumericValue): bigint => (v.t === 'long' ? v.v : BigInt(v.v as number));

export class JavaArithmeticError extends Error {}

/** `+ - * / %` on two numbers, as Java computes them in the promoted type. */
export function arithmetic(op: string, a: NumericValue, b: NumericValue): JavaValue {
  const t = promoted(a, b);
  if (t === 'long') {
    const x = toBig(a);
    const y = toBig(b);
    switch (op) {
      case '+':
        return long(x + y);
      case '-':
        return long(x - y);
      case '*':
        return long(x * y);
      case '/':
        if (y === 0n) throw new JavaArithmeticError('/ by zero');
        return long(x / y);
      default:
        if (y === 0n) throw new JavaArithmeticError('/ by zero');
        return long(x % y);
    }
  }
  const x = toDouble(a);
  const y = toDouble(b);
  if (t === 'int') {
    switch (op) {
      case '+':
        return int(x + y);
      case '-':
        return int(x - y);
      case '*':
        return int(Math.imul(x, y));
      case '/':
        if (y === 0) throw new JavaArithmeticError('/ by zero');
        return int(Number(BigInt(x) / BigInt(y)));
      default:
        if (y === 0) throw new JavaArithmeticError('/ by zero');
        return int(x % y);
    }
  }
  const r = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  return t === 'float' ? float(r) : double(r);
}

/** Numeric comparison in the promoted type: negative, 0, positive, or NaN when unordered. */
export function compareNumbers(a: NumericValue, b: NumericValue): number {
  if (promoted(a, b) === 'long' || (a.t === 'long' && b.t === 'long')) {
    const x = toBig(a);
    const y = toBig(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = toDouble(a);
  const y = toDouble(b);
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

/** Java's String.valueOf, for string concatenation. */
export function javaString(v: JavaValue): string {
  switch (v.t) {
    case 'int':
      return String(v.v);
    case 'long':
      return v.v.toString();
    case 'float':
      return javaFloatText(v.v);
    case 'double':
      return javaDouble(v.v);
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'str':
      return v.v;
    case 'list':
      return `[${v.v.map(javaString).join(', ')}]`;
    case 'map':
      return `{${[...v.v].map(([k, x]) => `${javaString(k)}=${javaString(x)}`).join(', ')}}`;
    case 'obj':
      return timeString(v.v);
    case 'field':
      return `Field[${v.name}]`;
    case 'pattern':
      return v.v.source;
    case 'matcher':
      return `java.util.regex.Matcher[pattern=${v.v.pattern.source} region=0,${v.v.input.length} lastmatch=${v.v.matched ? v.v.m.group() ?? '' : ''}]`;
    case 'null':
      return 'null';
  }
}

/** Float.toString: the shortest decimal that reads back as the same float, in Java's layout. */
function javaFloatText(f: number): string {
  if (!Number.isFinite(f) || f === 0) return javaDouble(f);
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === f) return javaDouble(v);
  }
  return javaDouble(f);
}

/**
 * A `params` value as Jackson hands it to a script: int when it fits, else long, else double;
 * arrays as ArrayList, objects as HashMap.
 */
export function fromJson(v: unknown): JavaValue | undefined {
  if (v === null || v === undefined) return NULL;
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (typeof v === 'string') return { t: 'str', v };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) <= 2147483647) return int(v);
    if (Number.isSafeInteger(v)) return long(BigInt(v));
    return double(v);
  }
  if (typeof v === 'bigint') return long(v);
  if (Array.isArray(v)) {
    const out: JavaValue[] = [];
    for (const [i, e] of v.entries()) {
      const j = numberText(v, i) !== undefined ? double(e as number) : fromJson(e);
      if (j === undefined) return undefined;
      out.push(j);
    }
    return { t: 'list', v: out };
  }
  if (typeof v === 'object') {
    const m = new JavaHashMap();
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      // `3.0` is a Double to Jackson (and to Painless), though JSON.parse gives the 3 of `3`
      const j = numberText(v, k) !== undefined ? double(e as number) : fromJson(e);
      if (j === undefined) return undefined;
      m.set({ t: 'str', v: k }, j);
    }
    return { t: 'map', v: m };
  }
  return undefined;
}

/** A deep copy of lists and maps (ScriptedMetricAggregatorFactory.deepCopyParams). */
export function deepCopy(v: JavaValue): JavaValue {
  if (v.t === 'list') return { t: 'list', v: v.v.map(deepCopy) };
  if (v.t === 'map') {
    const m = new JavaHashMap();
    for (const [k, e] of v.v) m.set(deepCopy(k), deepCopy(e));
    return { t: 'map', v: m };
  }
  return v;
}

/** A script result as a JSON value (script_fields): longs beyond 2^53 keep their digits as bigint. */
export function toJson(v: JavaValue): unknown {
  switch (v.t) {
    case 'null':
      return null;
    case 'long':
      return Number.isSafeInteger(Number(v.v)) ? Number(v.v) : v.v;
    case 'list':
      return v.v.map(toJson);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v.v) out[javaString(k)] = toJson(x);
      return out;
    }
    case 'obj':
      // XContentBuilder writes dates, instants and enums; other objects it has no writer for
      if (v.v.c === 'ZonedDateTime' || v.v.c === 'Instant' || v.v.c === 'enum') return timeJson(v.v);
      throw unsupported(`a script result of type [${javaTypeName(v)}] in a response`);
    case 'field':
    case 'pattern':
    case 'matcher':
      throw unsupported(`a script result of type [${javaTypeName(v)}] in a response`);
    default:
      return v.v;
  }
}
