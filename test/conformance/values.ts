/**
 * Values as Elasticsearch's Java YAML runner sees them. Its parsers (Jackson, for the YAML tests and
 * the JSON answers alike) give an Integer, a Long or a BigInteger for a number without a fraction
 * (by magnitude) and a Double for one with a fraction or an exponent; assertions depend on that class
 * (`match` compares nested values with equals(), so 1 and 1.0 differ inside an object; `is_true`
 * reads `toString()`, so 0.0 is true). Integers are JS numbers (bigint beyond 2^53), doubles are
 * {@link Dbl}, everything else is plain JSON.
 */

export class Dbl {
  constructor(readonly value: number) {}
}

export type Value = null | boolean | number | bigint | string | Dbl | Value[] | { [key: string]: Value };

export type JavaClass = 'Integer' | 'Long' | 'BigInteger' | 'Double' | 'String' | 'Boolean' | 'Map' | 'List' | 'null';

const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export function isMap(v: unknown): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Dbl);
}

export function isNumber(v: unknown): v is number | bigint | Dbl {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof Dbl;
}

export function toDouble(v: number | bigint | Dbl): number {
  return v instanceof Dbl ? v.value : Number(v);
}

export function javaClass(v: Value | undefined): JavaClass {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Dbl) return 'Double';
  if (typeof v === 'number') return Math.abs(v) <= INT_MAX && v >= -INT_MAX - 1 ? 'Integer' : 'Long';
  if (typeof v === 'bigint') return v >= LONG_MIN && v <= LONG_MAX ? 'Long' : 'BigInteger';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  return Array.isArray(v) ? 'List' : 'Map';
}

/** An integer literal: a number when exact, a bigint beyond 2^53. */
export function integer(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** Java's Double.toString: shortest digits, plain between 1e-3 and 1e7, else `d.dddE±n`. */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** Java's toString of the value (HashMap `{a=1, b=[x, y]}`), which `is_true`, `catch: /re/` and `${stash}` read. */
export function javaString(v: Value | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Dbl) return javaDouble(v.value);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(javaString).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}=${javaString(x)}`)
    .join(', ')}}`;
}

/** Java equals(): same class and same value, recursively (Integer 1 differs from Double 1.0). */
export function javaEquals(a: Value | undefined, b: Value | undefined): boolean {
  const ca = javaClass(a);
  if (ca !== javaClass(b)) return false;
  if (ca === 'null') return true;
  if (a instanceof Dbl) return b instanceof Dbl && (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)));
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => javaEquals(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && javaEquals(a[k], b[k]));
  }
  // number vs bigint of the same class compare by value
  return a == b;
}

/** JSON text -> values, keeping the integer/double distinction and big integers exact. */
export function parseJson(text: string): Value {
  const values = parseJsonStream(text);
  if (values.length !== 1) throw new SyntaxError(`expected one JSON value, found ${values.length}`);
  return values[0]!;
}

/** Several JSON values one after the other (a bulk body written as one string). */
export function parseJsonStream(text: string): Value[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}: ${what}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const value = (): Value => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: { [key: string]: Value } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        ws();
        if (text[i++] !== ':') fail('expected :');
        out[key] = value();
        ws();
        const sep = text[i++];
        if (sep === '}') return out;
        if (sep !== ',') fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const out: Value[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return out;
        if (sep !== ',') fail('expected , or ]');
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return m[1] !== undefined || m[2] !== undefined ? new Dbl(Number(m[0])) : integer(m[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    let simple = true;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        simple = false;
        i++;
      }
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    const raw = text.slice(start, i);
    return simple ? raw.slice(1, -1) : (JSON.parse(raw) as string);
  };
  const out: Value[] = [];
  ws();
  while (i < text.length) {
    out.push(value());
    ws();
  }
  return out;
}

/** Values -> JSON text, as XContent writes them (a double keeps its `.0`). */
export function toJson(v: Value | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Dbl) {
    if (!Number.isFinite(v.value)) return 'null';
    const s = String(v.value);
    return /[.eE]/.test(s) ? s : `${s}.0`;
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`)
    .join(',')}}`;
}

/** Short rendering for failure messages. */
export function show(v: Value | undefined, max = 300): string {
  if (v === undefined) return '<missing>';
  const s = typeof v === 'string' ? JSON.stringify(v) : toJson(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
