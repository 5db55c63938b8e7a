import type { JavaValue } from './java-values.js';
import { timeHash, timeKey } from './java-time.js';

/**
 * java.util.HashMap as a Painless script sees it: keys compared with Java's equals (Integer 1 and
 * Long 1 are different keys), and iteration in HashMap's own order (bucket index of the spread
 * hashCode over the table capacity, which doubles past a 0.75 load factor and never shrinks;
 * insertion order within a bucket). That order is what `keySet()`, `for (k : map.keySet())` and a
 * map returned to the response show in Elasticsearch. (A bucket of 8+ colliding keys in a table of
 * 64+ becomes a tree in Java and may iterate differently; that needs adversarial keys.)
 */

interface Entry {
  key: JavaValue;
  value: JavaValue;
  hash: number;
  seq: number;
}

const strHash = (s: string): number => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
};

const bits = new DataView(new ArrayBuffer(8));

/** Java's hashCode of a boxed value, String, List or Map. */
export function javaHash(v: JavaValue): number {
  switch (v.t) {
    case 'null':
      return 0;
    case 'int':
      return v.v;
    case 'long':
      return Number(BigInt.asIntN(32, v.v ^ (BigInt.asUintN(64, v.v) >> 32n)));
    case 'double': {
      bits.setFloat64(0, Number.isNaN(v.v) ? NaN : v.v);
      return (bits.getInt32(0) ^ bits.getInt32(4)) | 0;
    }
    case 'float':
      bits.setFloat32(0, Number.isNaN(v.v) ? NaN : v.v);
      return bits.getInt32(0);
    case 'bool':
      return v.v ? 1231 : 1237;
    case 'str':
      return strHash(v.v);
    case 'list': {
      let h = 1;
      for (const e of v.v) h = (Math.imul(31, h) + javaHash(e)) | 0;
      return h;
    }
    case 'map': {
      let h = 0;
      for (const [k, val] of v.v) h = (h + (javaHash(k) ^ javaHash(val))) | 0;
      return h;
    }
    case 'obj':
      return timeHash(v.v);
    case 'field':
      return strHash(v.name);
    case 'pattern':
    case 'matcher':
      // Object.hashCode: an identity of the instance
      return identity(v.v);
  }
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
}

/** A key for Java's equals: type-tagged (Integer 1 is not Long 1), lists and maps by content. */
export function equalsKey(v: JavaValue): string {
  switch (v.t) {
    case 'null':
      return 'n';
    case 'str':
      return `${v.cs ? 'c' : 's'}${v.v}`;
    case 'list':
      return `[${v.v.map(equalsKey).join(',')}]`;
    case 'map':
      return `{${[...v.v].map(([k, x]) => `${equalsKey(k)}=${equalsKey(x)}`).sort().join(',')}}`;
    case 'long':
      return `l${v.v.toString()}`;
    case 'obj':
      return timeKey(v.v);
    case 'field':
      return `F${v.name}`;
    case 'pattern':
    case 'matcher':
      // Pattern and Matcher do not override equals: the same instance only
      return `${v.t}${identity(v.v)}`;
    case 'double':
    case 'float':
      return `${v.t[0] as string}${Object.is(v.v, -0) ? '-0' : String(v.v)}`;
    default:
      return `${v.t[0] as string}${String(v.v)}`;
  }
}

export class JavaHashMap implements Iterable<[JavaValue, JavaValue]> {
  private readonly entries = new Map<string, Entry>();
  private capacity = 16;
  private seq = 0;

  get size(): number {
    return this.entries.size;
  }

  get(key: JavaValue): JavaValue | undefined {
    return this.entries.get(equalsKey(key))?.value;
  }

  has(key: JavaValue): boolean {
    return this.entries.has(equalsKey(key));
  }

  /** put: returns the previous value (undefined when the key was absent). */
  set(key: JavaValue, value: JavaValue): JavaValue | undefined {
    const k = equalsKey(key);
    const found = this.entries.get(k);
    if (found) {
      const prev = found.value;
      found.value = value;
      return prev;
    }
    this.entries.set(k, { key, value, hash: javaHash(key), seq: this.seq++ });
    while (this.entries.size > this.capacity * 0.75) this.capacity *= 2;
    return undefined;
  }

  delete(key: JavaValue): JavaValue | undefined {
    const k = equalsKey(key);
    const found = this.entries.get(k);
    if (!found) return undefined;
    this.entries.delete(k);
    return found.value;
  }

  clear(): void {
    this.entries.clear();
  }

  *[Symbol.iterator](): Iterator<[JavaValue, JavaValue]> {
    const mask = this.capacity - 1;
    const bucket = (e: Entry): number => (e.hash ^ (e.hash >>> 16)) & mask;
    const ordered = [...this.entries.values()].sort((a, b) => bucket(a) - bucket(b) || a.seq - b.seq);
    for (const e of ordered) yield [e.key, e.value];
  }
}
