import { JavaHashMap, equalsKey } from './java-collections.js';
import type { JavaValue } from './java-values.js';
import { NULL, castTo, compareNumbers, int, isNumeric, javaString, javaTypeName, toDouble } from './java-values.js';
import { javaHash } from './java-collections.js';
import { notSupported, runtimeError } from './script-errors.js';
import { matcherMethod, patternMethod } from './java-regex-methods.js';
import { invokeTimeMethod } from './java-time-methods.js';

/**
 * Painless's dynamic (`def`) dispatch over the runtime values: the methods of ArrayList, HashMap,
 * String and the boxed numbers that scripts use, map field shortcuts (`state.total` is
 * `state.get("total")`, `state.total = 0` is `put`), list and map indexing, and the getter
 * shortcuts `list.empty` / `string.empty`. A method the subset does not know fails as Painless
 * fails on an unknown dynamic method (`dynamic method [type, name/arity] not found`).
 */

const bool = (v: boolean): JavaValue => ({ t: 'bool', v });
const str = (v: string): JavaValue => ({ t: 'str', v });
const same = (a: JavaValue, b: JavaValue): boolean => {
  if (a.t === 'null' || b.t === 'null') return a.t === b.t;
  return equalsKey(a) === equalsKey(b);
};

function fail(src: string, at: number, type: string, reason: string): never {
  throw runtimeError(src, at, type, reason);
}

function index(src: string, v: JavaValue | undefined, at: number): number {
  if (v?.t !== 'int') return fail(src, at, 'class_cast_exception', `Cannot cast ${v ? javaTypeName(v) : 'null'} to java.lang.Integer for a list index`);
  return v.v;
}

function checkIndex(src: string, i: number, size: number, at: number): void {
  if (i < 0 || i >= size) fail(src, at, 'index_out_of_bounds_exception', `Index ${i} out of bounds for length ${size}`);
}

const CHAR_SEQUENCE_METHODS = new Set(['length/0', 'charAt/1', 'isEmpty/0', 'toString/0', 'equals/1']);

function notFound(src: string, recv: JavaValue, name: string, arity: number, at: number): never {
  return fail(src, at, 'illegal_argument_exception', `dynamic method [${javaTypeName(recv)}, ${name}/${arity}] not found`);
}

/** `recv.name(args)` (and `recv[i]` as `get`, with `indexAccess`). */
export function invokeMethod(src: string, recv: JavaValue, name: string, args: JavaValue[], at: number, indexAccess: boolean): JavaValue {
  const n = args.length;
  const [a, b] = args as [JavaValue, JavaValue];
  if (recv.t === 'null') return fail(src, at, 'null_pointer_exception', indexAccess ? 'Cannot read an element of a null value' : `Cannot invoke "${name}()" because the value is null`);
  // A token's term is Lucene's CharTermAttribute: only CharSequence's methods (and Object's).
  if (recv.t === 'str' && recv.cs && !CHAR_SEQUENCE_METHODS.has(`${name}/${n}`)) return notFound(src, recv, indexAccess ? 'get' : name, n, at);
  if (!indexAccess) {
    if (name === 'toString' && n === 0) return str(javaString(recv));
    if (name === 'equals' && n === 1) return bool(isNumeric(recv) && isNumeric(a) ? recv.t === a.t && compareNumbers(recv, a) === 0 : same(recv, a));
    if (name === 'hashCode' && n === 0) return int(javaHash(recv));
  }
  switch (recv.t) {
    case 'list': {
      const list = recv.v;
      if (indexAccess) {
        const i = index(src, a, at);
        checkIndex(src, i, list.length, at);
        return list[i] as JavaValue;
      }
      switch (`${name}/${n}`) {
        case 'get/1': {
          const i = index(src, a, at);
          checkIndex(src, i, list.length, at);
          return list[i] as JavaValue;
        }
        case 'add/1':
          list.push(a);
          return bool(true);
        case 'add/2': {
          const i = index(src, a, at);
          if (i < 0 || i > list.length) checkIndex(src, i, list.length, at);
          list.splice(i, 0, b);
          return NULL;
        }
        case 'set/2': {
          const i = index(src, a, at);
          checkIndex(src, i, list.length, at);
          const old = list[i] as JavaValue;
          list[i] = b;
          return old;
        }
        case 'size/0':
          return int(list.length);
        case 'isEmpty/0':
          return bool(list.length === 0);
        case 'contains/1':
          return bool(list.some((x) => same(x, a)));
        case 'indexOf/1':
          return int(list.findIndex((x) => same(x, a)));
        case 'lastIndexOf/1': {
          for (let i = list.length - 1; i >= 0; i--) if (same(list[i] as JavaValue, a)) return int(i);
          return int(-1);
        }
        case 'remove/1': {
          // remove(int) removes at an index; remove(Object) the first equal element
          if (a.t === 'int') {
            checkIndex(src, a.v, list.length, at);
            return list.splice(a.v, 1)[0] as JavaValue;
          }
          const i = list.findIndex((x) => same(x, a));
          if (i >= 0) list.splice(i, 1);
          return bool(i >= 0);
        }
        case 'clear/0':
          list.length = 0;
          return NULL;
        case 'addAll/1':
          if (a.t !== 'list') return fail(src, at, 'class_cast_exception', `Cannot cast ${javaTypeName(a)} to java.util.Collection`);
          list.push(...a.v);
          return bool(a.v.length > 0);
        case 'getLength/0':
          return int(list.length);
      }
      return notFound(src, recv, name, n, at);
    }
    case 'map': {
      const map = recv.v;
      if (indexAccess) return map.get(a) ?? NULL;
      switch (`${name}/${n}`) {
        case 'get/1':
          return map.get(a) ?? NULL;
        case 'getOrDefault/2':
          return map.has(a) ? (map.get(a) as JavaValue) : b;
        case 'put/2':
          return map.set(a, b) ?? NULL;
        case 'putIfAbsent/2': {
          const old = map.get(a);
          if (old === undefined || old.t === 'null') map.set(a, b);
          return old ?? NULL;
        }
        case 'containsKey/1':
          return bool(map.has(a));
        case 'containsValue/1':
          return bool([...map].some(([, v]) => same(v, a)));
        case 'remove/1':
          return map.delete(a) ?? NULL;
        case 'size/0':
          return int(map.size);
        case 'isEmpty/0':
          return bool(map.size === 0);
        case 'clear/0':
          map.clear();
          return NULL;
        case 'keySet/0':
          return { t: 'list', v: [...map].map(([k]) => k) };
        case 'values/0':
          return { t: 'list', v: [...map].map(([, v]) => v) };
        case 'putAll/1':
          if (a.t !== 'map') return fail(src, at, 'class_cast_exception', `Cannot cast ${javaTypeName(a)} to java.util.Map`);
          for (const [k, v] of a.v) map.set(k, v);
          return NULL;
      }
      return notFound(src, recv, name, n, at);
    }
    case 'str': {
      const s = recv.v;
      if (indexAccess) return notFound(src, recv, 'get', 1, at);
      const strArg = (v: JavaValue): string => (v.t === 'str' ? v.v : fail(src, at, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to java.lang.String`));
      const intArg = (v: JavaValue): number => index(src, v, at);
      // a char (String.charAt) has Object's methods only (toString, equals, hashCode: above)
      if (recv.ch) return notFound(src, recv, name, n, at);
      switch (`${name}/${n}`) {
        case 'length/0':
          return int(s.length);
        case 'charAt/1': {
          const i = intArg(a);
          if (i < 0 || i >= s.length) fail(src, at, 'string_index_out_of_bounds_exception', `Index ${i} out of bounds for length ${s.length}`);
          return { t: 'str', v: s.charAt(i), ch: true };
        }
        case 'isEmpty/0':
          return bool(s.length === 0);
        case 'contains/1':
          return bool(s.includes(strArg(a)));
        case 'startsWith/1':
          return bool(s.startsWith(strArg(a)));
        case 'endsWith/1':
          return bool(s.endsWith(strArg(a)));
        case 'indexOf/1':
          return int(s.indexOf(strArg(a)));
        case 'lastIndexOf/1':
          return int(s.lastIndexOf(strArg(a)));
        case 'indexOf/2':
          // Java clamps a negative start to 0, as JavaScript does
          return int(s.indexOf(strArg(a), intArg(b)));
        case 'lastIndexOf/2': {
          // Java finds nothing from a negative start; JavaScript would search from 0
          const from = intArg(b);
          return int(from < 0 ? -1 : s.lastIndexOf(strArg(a), from));
        }
        case 'toLowerCase/0':
          return str(s.toLowerCase());
        case 'toUpperCase/0':
          return str(s.toUpperCase());
        case 'trim/0': {
          // String.trim: every char <= U+0020 at either end
          let i = 0;
          let j = s.length;
          while (i < j && s.charCodeAt(i) <= 32) i++;
          while (j > i && s.charCodeAt(j - 1) <= 32) j--;
          return str(s.slice(i, j));
        }
        case 'replace/2':
          return str(s.split(strArg(a)).join(strArg(b)));
        case 'concat/1':
          return str(s + strArg(a));
        case 'compareTo/1': {
          const o = strArg(a);
          const m = Math.min(s.length, o.length);
          for (let i = 0; i < m; i++) if (s.charCodeAt(i) !== o.charCodeAt(i)) return int(s.charCodeAt(i) - o.charCodeAt(i));
          return int(s.length - o.length);
        }
        case 'substring/1': {
          const i = intArg(a);
          if (i < 0 || i > s.length) fail(src, at, 'string_index_out_of_bounds_exception', `begin ${i}, end ${s.length}, length ${s.length}`);
          return str(s.substring(i));
        }
        case 'substring/2': {
          const i = intArg(a);
          const j = intArg(b);
          if (i < 0 || j > s.length || i > j) fail(src, at, 'string_index_out_of_bounds_exception', `begin ${i}, end ${j}, length ${s.length}`);
          return str(s.substring(i, j));
        }
      }
      return notFound(src, recv, name, n, at);
    }
    case 'int':
    case 'long':
    case 'float':
    case 'double': {
      if (indexAccess) return notFound(src, recv, 'get', 1, at);
      switch (`${name}/${n}`) {
        case 'intValue/0':
          return castTo('int', recv);
        case 'longValue/0':
          return castTo('long', recv);
        case 'floatValue/0':
          return castTo('float', recv);
        case 'doubleValue/0':
          return castTo('double', recv);
        case 'compareTo/1':
          if (!isNumeric(a) || a.t !== recv.t) return fail(src, at, 'class_cast_exception', `Cannot cast ${javaTypeName(a)} to ${javaTypeName(recv)}`);
          return int(Math.sign(compareNumbers(recv, a)) || 0);
        case 'isNaN/0':
          return bool(Number.isNaN(toDouble(recv)));
      }
      return notFound(src, recv, name, n, at);
    }
    case 'obj': {
      if (indexAccess) return notFound(src, recv, 'get', 1, at);
      const r = invokeTimeMethod(recv.v, name, args, (type, reason) => fail(src, at, type, reason));
      return r ?? notFound(src, recv, name, n, at);
    }
    case 'field':
      return fieldMethod(src, recv, indexAccess ? 'get' : name, args, at);
    case 'pattern':
    case 'matcher': {
      if (indexAccess) return notFound(src, recv, 'get', 1, at);
      const failAt = (type: string, reason: string): never => fail(src, at, type, reason);
      const refuse = (what: string): never => {
        throw notSupported(src, at, what);
      };
      const r = recv.t === 'pattern' ? patternMethod(recv.v, name, args, failAt, refuse) : matcherMethod(recv, name, args, failAt, refuse);
      return r ?? notFound(src, recv, name, n, at);
    }
    default:
      return notFound(src, recv, indexAccess ? 'get' : name, n, at);
  }
}

/**
 * The fields API (`field('name')`, `$('name', default)`): a field's values in order; `get(default)`
 * the first or the default, `get(i, default)` the i-th or the default, `size()`, `isEmpty()`,
 * `getName()`. The default must be of the field's type, as the typed get(long) / get(String) ...
 * signatures of Elasticsearch's DocValuesScriptFieldFactory fields demand.
 */
function fieldMethod(src: string, recv: Extract<JavaValue, { t: 'field' }>, name: string, args: JavaValue[], at: number): JavaValue {
  const values = recv.values;
  switch (`${name}/${args.length}`) {
    case 'get/1': {
      // the argument converts to the typed parameter before the call, values or not
      const fallback = fieldDefault(src, recv, args[0] as JavaValue, at);
      return values.length > 0 ? (values[0] as JavaValue) : fallback;
    }
    case 'get/2': {
      const i = index(src, args[0], at);
      const fallback = fieldDefault(src, recv, args[1] as JavaValue, at);
      return i >= 0 && i < values.length ? (values[i] as JavaValue) : fallback;
    }
    case 'size/0':
      return int(values.length);
    case 'isEmpty/0':
      return bool(values.length === 0);
    case 'getName/0':
      return str(recv.name);
  }
  return notFound(src, recv, name, args.length, at);
}

function fieldDefault(src: string, recv: Extract<JavaValue, { t: 'field' }>, v: JavaValue, at: number): JavaValue {
  const cannot = (java: string): never => fail(src, at, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to ${java}`);
  switch (recv.kind) {
    case 'int':
      return v.t === 'int' ? v : cannot('int');
    case 'long':
      return v.t === 'int' || v.t === 'long' ? castTo('long', v) : cannot('long');
    case 'double':
    case 'float':
      return isNumeric(v) ? castTo(recv.kind, v) : cannot(recv.kind);
    case 'bool':
      return v.t === 'bool' ? v : cannot('boolean');
    case 'str':
      return v.t === 'str' || v.t === 'null' ? v : cannot('java.lang.String');
    case 'date':
    case 'date_nanos':
      return (v.t === 'obj' && v.v.c === 'ZonedDateTime') || v.t === 'null' ? v : cannot('java.time.ZonedDateTime');
    default:
      return v;
  }
}

/** `recv.name` as Painless reads it: a map's key, else a getter shortcut. */
export function readMember(src: string, recv: JavaValue, name: string, at: number): JavaValue {
  if (recv.t === 'null') return fail(src, at, 'null_pointer_exception', `Cannot read field "${name}" because the value is null`);
  if (recv.t === 'map') return recv.v.get(str(name)) ?? NULL;
  if ((recv.t === 'list' || recv.t === 'str') && name === 'empty') return bool(recv.v.length === 0);
  if (recv.t === 'list' && name === 'length') return int(recv.v.length);
  if (recv.t === 'obj' || recv.t === 'field') {
    // Painless's getter shortcut: `date.year` is `date.getYear()`, `date.dayOfWeekEnum` `getDayOfWeekEnum()`
    const getter = `get${name.charAt(0).toUpperCase()}${name.slice(1)}`;
    const found = recv.t === 'obj' ? invokeTimeMethod(recv.v, getter, [], (type, reason) => fail(src, at, type, reason)) : undefined;
    if (found) return found;
    if (recv.t === 'field' && (name === 'empty' || name === 'name')) return invokeMethod(src, recv, name === 'empty' ? 'isEmpty' : 'getName', [], at, false);
  }
  return fail(src, at, 'illegal_argument_exception', `dynamic getter [${javaTypeName(recv)}, ${name}] not found`);
}

/** `recv.key = value` (a map's put) or `recv[key] = value` (a list's set or a map's put). */
export function writeMember(src: string, recv: JavaValue, key: JavaValue, value: JavaValue, at: number, isField: boolean): void {
  if (recv.t === 'null') fail(src, at, 'null_pointer_exception', 'Cannot write a member of a null value');
  if (recv.t === 'map') {
    recv.v.set(key, value);
    return;
  }
  if (recv.t === 'list' && !isField) {
    const i = index(src, key, at);
    checkIndex(src, i, recv.v.length, at);
    recv.v[i] = value;
    return;
  }
  fail(src, at, 'illegal_argument_exception', `dynamic setter [${javaTypeName(recv)}, ${isField && key.t === 'str' ? key.v : 'set'}] not found`);
}

/** A new empty HashMap value. */
export const newMapValue = (): JavaValue => ({ t: 'map', v: new JavaHashMap() });

