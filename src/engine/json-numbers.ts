/**
 * The written form of integral numbers in JSON text: `230.0`, `1e2` and `5.00` are doubles to
 * Elasticsearch (Jackson reads them as DOUBLE tokens), while JSON.parse gives the same JavaScript
 * number as for `230`. The form matters where Elasticsearch reads the token's type or keeps the
 * text: dynamic mapping maps `230.0` as `float` (a `long` only for `230`), Painless sees a
 * `params` value written `3.0` as a Double (so `params.x / 2` is 1.5), and `_source` is returned
 * as the bytes that were sent.
 *
 * JSON.parse keeps no trace of the form, so the text is read once more, only when it holds such
 * a number at all (a cheap test first): the container and key of each integral number written
 * with a fraction or an exponent are kept with its text in a WeakMap (nothing is added to the
 * parsed values, and the marks go when the values do). Serializers write the kept text back
 * ({@link stringifyJson}, and rest/json-text.ts for responses).
 */

type Container = Record<string, unknown> | unknown[];

const FORMS = new WeakMap<object, Map<string | number, string>>();

/** Whether `text` may hold an integral number written with a fraction or an exponent (false: surely none). */
const MAYBE = /\d\.0*(?:[eE]|[^\d])|\d[eE]/;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The text an integral number at `container[key]` was written as (`230.0`, `1e2`), if not its plain digits. */
export function numberText(container: unknown, key: string | number): string | undefined {
  if (container === null || typeof container !== 'object') return undefined;
  return FORMS.get(container)?.get(key);
}

/** Whether the number at `container[key]` was written as a double (`230.0`, `1e2`, `1.5`). */
export function writtenAsDouble(container: unknown, key: string | number): boolean {
  const v = (container as Record<string | number, unknown> | null | undefined)?.[key];
  if (typeof v !== 'number') return false;
  return !Number.isInteger(v) || numberText(container, key) !== undefined;
}

/** Marks `to[toKey]` as written as `from[fromKey]` was (a copy of a value into another container). */
export function copyNumberForm(from: unknown, fromKey: string | number, to: object, toKey: string | number): void {
  const text = numberText(from, fromKey);
  if (text !== undefined) markNumber(to, toKey, text);
}

/** Whether any form was ever recorded in this process: until then {@link stringifyJson} is plain JSON.stringify. */
let anyForms = false;

export function markNumber(container: object, key: string | number, text: string): void {
  anyForms = true;
  let forms = FORMS.get(container);
  if (!forms) FORMS.set(container, (forms = new Map()));
  forms.set(key, text);
}

export function unmarkNumber(container: object, key: string | number): void {
  FORMS.get(container)?.delete(key);
}

/** Records the number forms of `text` on `value` (what JSON.parse made of it): see the module comment. */
export function recordNumberForms(text: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || !MAYBE.test(text)) return;
  const run = recordNumberFormsSteps(text, value);
  while (!run.next().done);
}

/** Characters read between two pause points of {@link recordNumberFormsSteps}. */
const CHARS_PER_STEP = 256 * 1024;

interface Frame {
  container: Container | undefined;
  /** The key (objects) or index (arrays) of the value read next. */
  key: string | number;
  /** Objects: the next string is a key. */
  expectKey: boolean;
}

/**
 * {@link recordNumberForms} as steps that pause every {@link CHARS_PER_STEP} characters (a large
 * paced body). `text` is well-formed JSON that parsed into `value`.
 */
export function* recordNumberFormsSteps(text: string, value: unknown): Generator<void, void> {
  if (value === null || typeof value !== 'object' || !MAYBE.test(text)) return;
  const n = text.length;
  const stack: Frame[] = [];
  let pauseAt = CHARS_PER_STEP;
  let i = 0;
  // the container the next `{` or `[` opens: the root first, then the member the top frame points at
  const opened = (): Container | undefined => {
    const top = stack.at(-1);
    if (!top) return value as Container;
    const child = top.container === undefined ? undefined : (top.container as Record<string | number, unknown>)[top.key];
    return child !== null && typeof child === 'object' ? (child as Container) : undefined;
  };
  while (i < n) {
    if (i >= pauseAt) {
      pauseAt = i + CHARS_PER_STEP;
      yield;
    }
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      stack.push({ container: opened(), key: c === 91 ? 0 : '', expectKey: c === 123 });
      i++;
    } else if (c === 125 || c === 93) {
      stack.pop();
      i++;
    } else if (c === 44) {
      const top = stack.at(-1);
      if (top) {
        if (typeof top.key === 'number') top.key++;
        else top.expectKey = true;
      }
      i++;
    } else if (c === 34) {
      let j = i + 1;
      let plain = true;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 34) break;
        if (d === 92) {
          plain = false;
          j++;
        }
      }
      const top = stack.at(-1);
      if (top?.expectKey) {
        top.key = plain ? text.slice(i + 1, j) : (JSON.parse(text.slice(i, j + 1)) as string);
        top.expectKey = false;
      } else if (top?.container) unmarkNumber(top.container, top.key);
      i = j + 1;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)?.[0] ?? text[i]!;
      const top = stack.at(-1);
      if (top?.container) {
        const plainDigits = !/[.eE]/.test(token);
        if (!plainDigits && Number.isInteger(Number(token))) markNumber(top.container, top.key, token);
        else unmarkNumber(top.container, top.key);
      }
      i += token.length;
    } else i++;
  }
}

/** JSON.parse, keeping the form of integral numbers written as doubles (see the module comment). */
export function parseJson(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  recordNumberForms(text, value);
  return value;
}

const NONCE = `\u0000num:${Math.random().toString(36).slice(2)}:`;
const FORM = new RegExp(`"${NONCE.replace('\u0000', '\\\\u0000')}([-+.\\deE]+)"`, 'g');

/**
 * JSON.stringify writing each number with its kept form (`230.0` stays `230.0`), for what the
 * engine stores (translog, snapshots) and reads back with {@link parseJson}.
 */
export function stringifyJson(value: unknown): string {
  if (!anyForms) return JSON.stringify(value);
  let marked = false;
  const text = JSON.stringify(value, function (this: unknown, key: string, v: unknown): unknown {
    if (typeof v !== 'number') return v;
    const form = numberText(this, Array.isArray(this) ? Number(key) : key);
    if (form === undefined || Number(form) !== v) return v;
    marked = true;
    return `${NONCE}${form}`;
  });
  return marked ? text.replace(FORM, '$1') : text;
}
