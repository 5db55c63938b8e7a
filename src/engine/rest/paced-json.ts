/**
 * A JSON parser that pauses: `JSON.parse` of a 10 MB body holds the event loop for 100 ms or
 * more, so large bodies are parsed by these steps instead, a few thousand values between two
 * pause points (the request's Pacer decides when to let other requests run).
 *
 * It builds exactly what `JSON.parse` builds (strings with escapes and numbers are read by
 * `JSON.parse` itself; `__proto__` is an own key; a repeated key keeps its first place and last
 * value). On anything malformed it throws {@link MalformedJson} without a message: the caller then
 * lets `JSON.parse` read the text, for the very error `JSON.parse` gives.
 */

import { markNumber, unmarkNumber } from '../json-numbers.js';

/** Values read between two pause points. */
const VALUES_PER_STEP = 4096;

export class MalformedJson extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

interface Frame {
  container: Record<string, unknown> | unknown[];
  /** The key the next value goes to (objects). */
  key: string;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

export function* parseJsonSteps(text: string): Generator<void, unknown> {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];
  let budget = VALUES_PER_STEP;

  const skipWs = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return;
    }
  };
  const readString = (): string => {
    // text[i] is '"'
    const start = i;
    let plain = true;
    for (let j = i + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 34) {
        i = j + 1;
        if (plain) return text.slice(start + 1, j);
        try {
          return JSON.parse(text.slice(start, j + 1)) as string;
        } catch {
          throw new MalformedJson();
        }
      }
      if (c === 92) {
        plain = false;
        j++;
      } else if (c < 32) throw new MalformedJson();
    }
    throw new MalformedJson();
  };
  const readKey = (): string => {
    skipWs();
    if (text.charCodeAt(i) !== 34) throw new MalformedJson();
    const key = readString();
    skipWs();
    if (text.charCodeAt(i) !== 58) throw new MalformedJson();
    i++;
    return key;
  };

  for (;;) {
    // read a value at i
    skipWs();
    const c = text.charCodeAt(i);
    let value: unknown;
    // an integral number written as a double (`230.0`, `1e2`): its text, kept as json-numbers.ts keeps it
    let form: string | undefined;
    if (c === 123) {
      i++;
      skipWs();
      if (text.charCodeAt(i) === 125) {
        i++;
        value = {};
      } else {
        stack.push({ container: {}, key: readKey() });
        continue;
      }
    } else if (c === 91) {
      i++;
      skipWs();
      if (text.charCodeAt(i) === 93) {
        i++;
        value = [];
      } else {
        stack.push({ container: [], key: '' });
        continue;
      }
    } else if (c === 34) value = readString();
    else if (c === 116 && text.startsWith('true', i)) {
      value = true;
      i += 4;
    } else if (c === 102 && text.startsWith('false', i)) {
      value = false;
      i += 5;
    } else if (c === 110 && text.startsWith('null', i)) {
      value = null;
      i += 4;
    } else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '') throw new MalformedJson();
      value = Number(m[0]);
      if (Number.isInteger(value) && /[.eE]/.test(m[0])) form = m[0];
      i += m[0].length;
    }
    // place the value, closing the containers it completes
    for (;;) {
      const top = stack.at(-1);
      if (!top) {
        skipWs();
        if (i !== n) throw new MalformedJson();
        return value;
      }
      if (Array.isArray(top.container)) {
        if (form !== undefined) markNumber(top.container, top.container.length, form);
        top.container.push(value);
      } else {
        if (form !== undefined) markNumber(top.container, top.key, form);
        else unmarkNumber(top.container, top.key);
        setKey(top.container, top.key, value);
      }
      form = undefined;
      skipWs();
      const next = text.charCodeAt(i);
      if (next === 44) {
        i++;
        if (!Array.isArray(top.container)) top.key = readKey();
        break;
      }
      if (next !== (Array.isArray(top.container) ? 93 : 125)) throw new MalformedJson();
      i++;
      value = top.container;
      stack.pop();
    }
    if (--budget === 0) {
      budget = VALUES_PER_STEP;
      yield;
    }
  }
}
