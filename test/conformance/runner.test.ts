import { describe, expect, it } from 'vitest';
import { assertCompare, assertFalse, assertLength, assertMatch, assertTrue, javaRegex } from './assertions.js';
import { versionInRanges } from './runner.js';
import { Stash, evaluatePath, parsePath } from './stash.js';
import { relaxFlowIndentation } from './suite.js';
import { Dbl, javaDouble, javaString, parseJson, toJson } from './values.js';
import { verdict } from './verdict.js';

// The runner follows Elasticsearch's Java YAML runner; these pin the semantics it copies.
describe('conformance runner semantics', () => {
  it('keeps the integer/double distinction of JSON and exact big integers', () => {
    const v = parseJson('{"a":1,"b":1.0,"c":9223372036854775807,"d":[2e3]}') as Record<string, unknown>;
    expect(v.a).toBe(1);
    expect(v.b).toBeInstanceOf(Dbl);
    expect(v.c).toBe(9223372036854775807n);
    expect(toJson(v as never)).toBe('{"a":1,"b":1.0,"c":9223372036854775807,"d":[2000.0]}');
  });

  it('prints values as Java toString does', () => {
    expect(javaDouble(0)).toBe('0.0');
    expect(javaDouble(1e7)).toBe('1.0E7');
    expect(javaDouble(0.0001)).toBe('1.0E-4');
    expect(javaString(parseJson('{"type":"x","list":[1,"a"]}'))).toBe('{type=x, list=[1, a]}');
  });

  it('match: numbers of different classes compare as doubles at the top level only', () => {
    expect(() => assertMatch('f', 1, new Dbl(1))).not.toThrow();
    expect(() => assertMatch('f', { v: 1 }, { v: new Dbl(1) })).toThrow(/does not match/);
    expect(() => assertMatch('f', 'abc', '/ a b c /')).not.toThrow();
    expect(() => assertMatch('f', { a: 1, b: 2 }, { a: 1 })).toThrow();
    expect(() => assertMatch('f', undefined, null)).not.toThrow();
  });

  it('is_true/is_false read toString: 0 and "false" and "" are false, 0.0 and {} are true', () => {
    expect(() => assertTrue('f', new Dbl(0))).not.toThrow();
    expect(() => assertTrue('f', {})).not.toThrow();
    expect(() => assertTrue('f', 0)).toThrow();
    expect(() => assertTrue('f', 'FALSE')).toThrow();
    expect(() => assertFalse('f', '')).not.toThrow();
    expect(() => assertFalse('f', undefined)).not.toThrow();
    expect(() => assertFalse('f', new Dbl(0))).toThrow();
  });

  it('length counts map keys; gt needs the same number class', () => {
    expect(() => assertLength('f', { a: 1, b: 2 }, 2)).not.toThrow();
    expect(() => assertLength('f', 'abc', 2)).toThrow();
    expect(() => assertCompare('gt', 'f', new Dbl(1.5), 1)).toThrow(/cast error/);
    expect(() => assertCompare('gt', 'f', 3_000_000_000, 1)).not.toThrow();
    expect(() => assertCompare('lte', 'f', new Dbl(1.5), new Dbl(1.5))).not.toThrow();
  });

  it('paths: escaped dots, list indexes, stashed parts and ${} inside strings', () => {
    expect(parsePath('a\\.b.c')).toEqual(['a.b', 'c']);
    const stash = new Stash();
    stash.set('key', 'x.y');
    stash.set('body', { hits: { total: 3 } });
    expect(evaluatePath({ 'x.y': [10, 20] }, '$key.1', stash)).toBe(20);
    expect(stash.get('${body.hits.total} docs')).toBe('3 docs');
    expect(stash.replace({ q: '$body.hits.total' })).toEqual({ q: 3 });
  });

  it('Java regexes: the x flag drops white space and comments', () => {
    expect(javaRegex('^ a \\s b # comment\n$', true).test('a b')).toBe(true);
    expect(javaRegex('\\Qa.b\\E', false).test('axb')).toBe(false);
    // Java's `$` also matches before a final line terminator (a _cat table ends with one)
    expect(javaRegex('^ a \\s+ b $', true).test('a b\n')).toBe(true);
    expect(javaRegex('^a$', false).test('a\n\n')).toBe(false);
    expect(javaRegex('^a$', false).test('a\r\n')).toBe(true);
  });

  it('skip version ranges', () => {
    expect(versionInRanges(' - 7.99.99', '8.19.0')).toBe(false);
    expect(versionInRanges('8.0.0 - 8.19.99', '8.19.0')).toBe(true);
    expect(versionInRanges('all', '8.19.0')).toBe(true);
  });

  it('re-indents flow collections that SnakeYAML accepts and the yaml package does not', () => {
    const text = '- do:\n    body:\n      sources: [\n      { a: 1 }\n      ]\n';
    expect(relaxFlowIndentation(text)).toContain('        { a: 1 }');
  });

  it('takes a [ inside a plain scalar as text, and re-indents a double-quoted scalar continued at its key\'s indentation', () => {
    const plain = '  - do:\n      catch: /a \\[b\\] c/\n      x:\n        name: y\n';
    expect(relaxFlowIndentation(plain)).toBe(plain);
    const quoted = '      allowed_warnings:\n        - "first line\n        (second line)"\n      put:\n';
    expect(relaxFlowIndentation(quoted)).toBe('      allowed_warnings:\n        - "first line\n          (second line)"\n      put:\n');
  });

  it('leaves the text of a block scalar alone (a lone quote in a script is not a quoted scalar)', () => {
    const block = '        script:\n          source: |\n            int end = m.indexOf(" ");\n            emit(m);\n        over:\n          type: boolean\n';
    expect(relaxFlowIndentation(block)).toBe(block);
  });
});

describe('conformance verdict', () => {
  it('fails the run on an in-scope failure unless --lenient', () => {
    const totals = { inScopeFailed: 2, wrongAnswers: 0, wrongErrorTypes: 0 };
    expect(verdict(totals, false).code).toBe(1);
    expect(verdict(totals, true).code).toBe(0);
    expect(verdict(totals, true).summary).toContain('the 2 in-scope failures do not count');
  });

  it('fails the run on a wrong answer or a wrong error type, lenient or not', () => {
    expect(verdict({ inScopeFailed: 0, wrongAnswers: 1, wrongErrorTypes: 0 }, true).code).toBe(1);
    expect(verdict({ inScopeFailed: 0, wrongAnswers: 0, wrongErrorTypes: 1 }, false).code).toBe(1);
  });

  it('passes a run with nothing counted', () => {
    expect(verdict({ inScopeFailed: 0, wrongAnswers: 0, wrongErrorTypes: 0 }, false)).toEqual({ code: 0, summary: 'exit code 0: counts in-scope failures, wrong answers and wrong error types; 0 counted' });
  });
});
