import { isMap, javaString } from './values.js';
import type { Value } from './values.js';

/** A failure of the test itself (an assertion), as opposed to a broken test file or runner. */
export class AssertionFailure extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(message);
  }
}

/** ObjectPath.parsePath: `.` separates, `\.` is a literal dot (the backslash is dropped). */
export function parsePath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  let escape = false;
  for (const c of path) {
    if (c === '\\') {
      escape = true;
      continue;
    }
    if (c === '.') {
      if (escape) escape = false;
      else {
        if (current.length > 0) parts.push(current);
        current = '';
        continue;
      }
    }
    current += c;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

const EXTENDED_KEY = /(\\)?\$\{([^}]+)\}/g;

/** Stash: `$name`, `$body.path`, `${name}` inside a string, `$_path` in a stashed body value. */
export class Stash {
  private readonly values: Record<string, Value> = {};

  clear(): void {
    for (const key of Object.keys(this.values)) delete this.values[key];
  }

  set(key: string, value: Value): void {
    this.values[key] = value;
  }

  contains(key: unknown): key is string {
    if (typeof key !== 'string' || key.length === 0) return false;
    if (key.startsWith('$')) return true;
    EXTENDED_KEY.lastIndex = 0;
    return EXTENDED_KEY.test(key);
  }

  get(key: string, path: string[] = []): Value {
    if (key.charAt(0) === '$' && key.charAt(1) !== '{') {
      const name = key.slice(1);
      if (name === '_path') return path.join('.');
      return this.unstash(name);
    }
    return key.replace(EXTENDED_KEY, (_all, escaped: string | undefined, name: string) => (escaped ? `\${${name}}` : javaString(this.unstash(name))));
  }

  private unstash(key: string): Value {
    const value = evaluatePath(this.values, key, this);
    if (value === null || value === undefined) throw new AssertionFailure(`stashed value not found for key [${key}]`);
    return value;
  }

  /** Replaces stashed values (and keys) anywhere in a request body. */
  replace(value: Value, path: string[] = []): Value {
    if (Array.isArray(value)) return value.map((item) => (this.contains(item) ? this.get(item, path) : this.replace(item, path)));
    if (isMap(value)) {
      const out: Record<string, Value> = {};
      for (const [k, v] of Object.entries(value)) {
        const key = this.contains(k) ? javaString(this.get(k)) : k;
        path.push(key);
        out[key] = this.contains(v) ? this.get(v, path) : this.replace(v, path);
        path.pop();
      }
      return out;
    }
    return value;
  }
}

/** ObjectPath.evaluate: map keys, list indexes, stashed parts, and `_arbitrary_key_`. */
export function evaluatePath(root: Value | undefined, path: string, stash: Stash): Value | undefined {
  let object: Value | undefined = root;
  for (let part of parsePath(path)) {
    if (stash.contains(part)) part = javaString(stash.get(part));
    if (isMap(object)) {
      if (part === '_arbitrary_key_') {
        const keys = Object.keys(object);
        if (keys.length === 0) throw new AssertionFailure(`requested [${part}] but the map was empty`);
        object = keys[0]!;
      } else object = Object.hasOwn(object, part) ? object[part] : undefined;
    } else if (Array.isArray(object)) {
      if (!/^-?\d+$/.test(part)) throw new AssertionFailure(`element was a list, but [${part}] was not numeric`);
      const index = Number(part);
      if (index < 0 || index >= object.length) throw new AssertionFailure(`element was a list with ${object.length} elements, but [${part}] was out of bounds`);
      object = object[index];
    } else {
      throw new AssertionFailure(`no object found for [${part}] within object of class [${object === null || object === undefined ? 'null' : typeof object}]`);
    }
    if (object === null || object === undefined) return object;
  }
  return object;
}
