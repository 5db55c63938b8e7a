import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/engine/errors.js';
import { JavaHashMap } from '../../../src/engine/search/script/java-collections.js';
import type { JavaValue } from '../../../src/engine/search/script/java-values.js';
import { javaString, toJson } from '../../../src/engine/search/script/java-values.js';
import { LOOP_LIMIT_MESSAGE, compilePainless } from '../../../src/engine/search/script/painless.js';
import type { ScriptContext } from '../../../src/engine/search/script/painless.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs a script with no document (a scripted_metric-like context: state, params). */
function run(source: string, params: Record<string, unknown> = {}, context: ScriptContext = { state: true }, state?: JavaValue): JavaValue {
  const script = compilePainless(source, params, () => undefined, false, context);
  return script.run({ doc: -1, values: () => [], ...(state ? { state } : {}) });
}

/** The result as Java prints it (String.valueOf): `6` for a long, `6.0` for a double, `[1, 2]`, `{a=1}`. */
const text = (source: string, params: Record<string, unknown> = {}): string => javaString(run(source, params));

function error(fn: () => unknown): Json {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return (e as EngineError).toBody() as Json;
  }
  throw new Error('expected a script failure');
}

describe('Painless statements', () => {
  it('declares typed variables that keep their Java type through compound assignment', () => {
    expect(text('long sum = 0; sum += 1; return sum')).toBe('1');
    expect(run('long sum = 0; sum += 1; return sum').t).toBe('long');
    // compound assignment narrows back to the variable's type, as Java's does
    expect(text('int x = 7; x /= 2; return x')).toBe('3');
    expect(text('long x = 10; x += 1.9; return x')).toBe('11');
    expect(text('double d = 1; return d')).toBe('1.0');
    expect(text('def a = 1; a += 0.5; return a')).toBe('1.5');
    expect(text('int i = 2147483647; i++; return i')).toBe('-2147483648');
    expect(text("String s = 'a'; s += 1; s += 2.0; return s")).toBe('a12.0');
  });

  it('runs if/else, while, do, classic for, for-each over lists (: and in), break and continue', () => {
    expect(text('int n = 0; for (int i = 0; i < 10; i++) { if (i % 2 == 0) { continue } n += i; } return n')).toBe('25');
    expect(text('int i = 0; while (true) { i++; if (i == 5) break; } return i')).toBe('5');
    expect(text('int i = 0; do { i += 3 } while (i < 10); return i')).toBe('12');
    expect(text('long s = 0; for (def x : [1, 2L, 3]) { s += x } return s')).toBe('6');
    expect(text('long s = 0; for (x in params.list) { s += x } return s', { list: [4, 5] })).toBe('9');
    expect(text('if (params.a > 1) { return "big" } else if (params.a > 0) { return "small" } else { return "none" }', { a: 1 })).toBe('small');
  });

  it('builds lists and maps with new, [] and [:], and calls their methods', () => {
    expect(text('List l = new ArrayList(); l.add(3); l.add(0, 1); l.set(1, 2); return l')).toBe('[1, 2]');
    expect(text('def l = [5, 6, 7]; l.remove(0); return [l.size(), l.contains(7), l.indexOf(7), l.isEmpty(), l[1]]')).toBe('[2, true, 1, false, 7]');
    expect(text("Map m = new HashMap(); m.put('a', 1); m['b'] = 2; m.c = 3; return [m.get('a'), m.b, m['c'], m.size(), m.containsKey('z'), m.getOrDefault('z', 9)]")).toBe('[1, 2, 3, 3, false, 9]');
    expect(text("def m = ['x': 1]; m.remove('x'); return m.isEmpty()")).toBe('true');
    expect(text("return 'Hello'.toLowerCase() + ' ' + 'abc'.substring(1) + 'abc'.length() + ' x '.trim()")).toBe('hello bc3x');
  });

  it('iterates a HashMap in Java order, not insertion order', () => {
    // Java: new HashMap() with keys "b", "a", "c" iterates a, b, c (bucket order of String.hashCode)
    expect(text("Map m = new HashMap(); m.put('b', 1); m.put('a', 2); m.put('c', 3); return m.keySet()")).toBe('[a, b, c]');
    // 100 and 1 in a 16-bucket table: 1 (bucket 1) before 100 (bucket 4)
    expect(text('Map m = [:]; m[100] = 1; m[1] = 2; return m')).toBe('{1=2, 100=1}');
    // Integer 1 and Long 1 are different keys, as in Java
    expect(text('Map m = [:]; m[1] = "i"; m[1L] = "l"; return m.size()')).toBe('2');
  });

  it('refuses assignments Java refuses at compile time and casts def values at run time', () => {
    const narrowing = error(() => run('int x = 1.5; return x'));
    expect(narrowing.reason).toBe('compile error');
    expect(narrowing.caused_by.type).toBe('class_cast_exception');
    expect(narrowing.caused_by.reason).toBe('Cannot cast from [double] to [int].');
    const runtime = error(() => run('def d = 1.5; long x = d; return x'));
    expect(runtime.reason).toBe('runtime error');
    expect(runtime.caused_by.type).toBe('class_cast_exception');
    expect(text('def d = 1.5; long x = (long) d; return x')).toBe('1');
    expect(error(() => run('int x = 1; int x = 2;')).caused_by.reason).toBe('variable [x] is already defined');
  });

  it('reports runtime failures as script_exception with script_stack, script, lang and position', () => {
    const source = 'def l = [1]; return l.get(3);';
    const e = error(() => run(source));
    expect(e.type).toBe('script_exception');
    expect(e.reason).toBe('runtime error');
    expect(e.script).toBe(source);
    expect(e.lang).toBe('painless');
    expect(e.position.offset).toBe(source.indexOf('get'));
    expect(e.script_stack[1]).toContain('^---- HERE');
    expect(e.caused_by).toEqual({ type: 'index_out_of_bounds_exception', reason: 'Index 3 out of bounds for length 1' });
    expect(error(() => run('def x = null; return x.size()')).caused_by.type).toBe('null_pointer_exception');
    expect(error(() => run('return [1].frobnicate()')).caused_by.reason).toBe('dynamic method [java.util.ArrayList, frobnicate/0] not found');
    expect(error(() => run('int a = 1; return a / 0')).caused_by.type).toBe('arithmetic_exception');
  });

  it('stops a loop past 1,000,000 statements with Painless error', () => {
    const e = error(() => run('int i = 0; while (true) { i++ } return i'));
    expect(e.reason).toBe('runtime error');
    expect(e.caused_by).toEqual({ type: 'painless_error', reason: LOOP_LIMIT_MESSAGE });
    // each iteration counts the statements of its body: 2 statements x 600,000 iterations is over the limit
    expect(error(() => run('int a = 0; for (int i = 0; i < 600000; i++) { a++; a--; } return a')).caused_by.type).toBe('painless_error');
    // the counter is per run and 999,999 one-statement iterations are allowed
    expect(text('int a = 0; for (int i = 0; i < 999999; i++) { a++ } return a')).toBe('999999');
  });

  it('reads and writes the scripted_metric state, and a map state prints as JSON', () => {
    const state: JavaValue = { t: 'map', v: new JavaHashMap() };
    run('state.transactions = []; state.count = 0', {}, { state: true }, state);
    run('state.transactions.add(5); state.count++', {}, { state: true }, state);
    run('state.transactions.add(7); state.count += 1', {}, { state: true }, state);
    expect(toJson(state)).toEqual({ count: 2, transactions: [5, 7] });
    expect(javaString(run('long s = 0; for (t in state.transactions) { s += t } return s', {}, { state: true }, state))).toBe('12');
  });

  it('knows the names of its context only', () => {
    expect(error(() => run('return state', {}, { states: true })).caused_by.reason).toBe('cannot resolve symbol [state]');
    expect(error(() => run('return _agg.x', {}, { state: true })).caused_by.reason).toBe('cannot resolve symbol [_agg]');
    expect(text('return params.a + 1', { a: 41 })).toBe('42');
  });

  it('parses comments and the last statement of a block without a semicolon', () => {
    expect(text('// sum\nlong s = 0; /* loop */ for (def x : [1, 2]) { s += x } s')).toBe('3');
  });
});
