import { randomBytes } from 'node:crypto';
import { numberText } from '../json-numbers.js';
import { JsonDouble } from '../search/float-format.js';

/** Marks a number written as text; the per-process nonce keeps a document's own string from posing as one. */
const NONCE = randomBytes(8).toString('hex');
const EXACT = new RegExp(`"\\\\u0000exact:${NONCE}:(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)\\\\u0000"`, 'g');

/** JSON text of a response; a bigint (a long beyond 2^53, e.g. Long.MAX_VALUE sort sentinels) is written exactly. */
export function toJsonText(value: unknown, pretty: boolean): string {
  let sawBigint = false;
  const replacer = function (this: unknown, key: string, v: unknown): unknown {
    // a number sent as `230.0` or `1e2` (a _source, a stored mapping's value) is written as it came
    if (typeof v === 'number') {
      const form = numberText(this, Array.isArray(this) ? Number(key) : key);
      if (form !== undefined && Number(form) === v) {
        sawBigint = true;
        return `\u0000exact:${NONCE}:${form}\u0000`;
      }
    }
    // an integral double beyond 2^53 (a long read from JSON, e.g. 72057594037927936) prints its exact
    // digits, as Java prints the long, not JavaScript's shortest round-trip text (72057594037927940)
    if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 2 ** 53 && Math.abs(v) < 2 ** 63) v = BigInt(v);
    if (v instanceof JsonDouble) {
      const text = v.javaText();
      if (text === undefined) return v.value;
      sawBigint = true;
      return `\u0000exact:${NONCE}:${text}\u0000`;
    }
    if (typeof v !== 'bigint') return v;
    sawBigint = true;
    return `\u0000exact:${NONCE}:${v.toString()}\u0000`;
  };
  const text = pretty ? JSON.stringify(value, replacer, 2) + '\n' : JSON.stringify(value, replacer);
  return sawBigint ? text.replace(EXACT, '$1') : text;
}

/** Text (about: 16 characters a member, strings by their length) below which a response is written in one step. */
const SMALL_TEXT = 64 * 1024;

/**
 * Whether `value`'s JSON text is surely short (under ~64 kB): a walk that stops as soon as it has
 * seen that much, so a small response is written by toJsonText in one step (a few µs: the common
 * small search pays no pacing), and a large one goes to jsonTextSteps after a bounded look.
 */
export function isSmallJson(value: unknown): boolean {
  let weight = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    weight += 16;
    if (typeof v === 'string') weight += v.length;
    else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
    if (weight > SMALL_TEXT) return false;
  }
  return true;
}

/**
 * Containers nearer the root than this are always written a member at a time; deeper ones only
 * when they hold at least {@link WIDE} members (a hit, a bucket: one JSON.stringify each).
 */
const OPEN_DEPTH = 3;
const WIDE = 512;

/**
 * toJsonText as steps that pause (yield) between members of the response's large containers (the
 * 10,000 hits of a page, the 65,536 buckets of a terms aggregation), so that serialising a large
 * response lets other requests run. It writes exactly the text toJsonText writes: each member is
 * toJsonText's own text (indented to its place when pretty), joined as JSON.stringify joins them.
 */
export function* jsonTextSteps(value: unknown, pretty: boolean): Generator<void, string[]> {
  const parts = new Parts();
  yield* writeValue(parts, value, '', pretty, 0);
  if (pretty) parts.push('\n');
  return parts.chunks();
}

/** Characters gathered before they are joined into one chunk of the text. */
const CHUNK_CHARS = 256 * 1024;

/**
 * The pieces of the text being written, joined into chunks of about CHUNK_CHARS as they come:
 * the whole text is never built (or copied) in one step.
 */
class Parts {
  private readonly done: string[] = [];
  private pending: string[] = [];
  private pendingChars = 0;

  get length(): number {
    return this.pending.length;
  }

  /** Drops the pending pieces from `n` on (a member JSON.stringify leaves out); never crosses a joined chunk. */
  set length(n: number) {
    for (let i = n; i < this.pending.length; i++) this.pendingChars -= (this.pending[i] as string).length;
    this.pending.length = n;
  }

  push(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
  }

  /** Joins the pending pieces into a chunk once they are long enough (only between two members). */
  seal(): void {
    if (this.pendingChars < CHUNK_CHARS) return;
    this.done.push(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }

  chunks(): string[] {
    if (this.pending.length > 0) this.done.push(this.pending.join(''));
    return this.done;
  }
}

function isPlainContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (Array.isArray(v)) return true;
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** The text of a value JSON.stringify writes (undefined for what it leaves out: undefined, functions, symbols). */
function leafText(v: unknown, pretty: boolean, indent: string): string | undefined {
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  const text = toJsonText(v, pretty) as string | undefined;
  if (text === undefined) return undefined;
  // JSON.stringify escapes newlines inside strings: every raw newline is layout, indented to this place
  return pretty ? text.slice(0, -1).replace(/\n/g, `\n${indent}`) : text;
}

function* writeValue(parts: Parts, v: unknown, indent: string, pretty: boolean, depth: number, holder?: object, key?: string | number): Generator<void, boolean> {
  if (!isPlainContainer(v) || (depth >= OPEN_DEPTH && (Array.isArray(v) ? v.length : Object.keys(v).length) < WIDE)) {
    const form = typeof v === 'number' && key !== undefined ? numberText(holder, key) : undefined;
    const text = form !== undefined && Number(form) === v ? form : leafText(v, pretty, indent);
    if (text === undefined) return false;
    parts.push(text);
    return true;
  }
  const inner = pretty ? `${indent}  ` : '';
  const sep = pretty ? `,\n${inner}` : ',';
  if (Array.isArray(v)) {
    if (v.length === 0) {
      parts.push('[]');
      return true;
    }
    parts.push(pretty ? `[\n${inner}` : '[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) parts.push(sep);
      // an array writes null where JSON.stringify leaves a member out
      if (!(yield* writeValue(parts, v[i], inner, pretty, depth + 1, v, i))) parts.push('null');
      parts.seal();
      yield;
    }
    parts.push(pretty ? `\n${indent}]` : ']');
    return true;
  }
  const open = parts.length;
  parts.push(pretty ? `{\n${inner}` : '{');
  let first = true;
  for (const key of Object.keys(v)) {
    const at = parts.length;
    parts.push(`${first ? '' : sep}${JSON.stringify(key)}${pretty ? ': ' : ':'}`);
    if (yield* writeValue(parts, v[key], inner, pretty, depth + 1, v, key)) first = false;
    else parts.length = at;
    if (!first) parts.seal();
    yield;
  }
  if (first) {
    parts.length = open;
    parts.push('{}');
  } else parts.push(pretty ? `\n${indent}}` : '}');
  return true;
}
