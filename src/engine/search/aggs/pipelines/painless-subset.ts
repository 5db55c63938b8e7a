import { EngineError } from '../../../errors.js';

/**
 * The part of Painless that bucket_selector scripts use in practice, with Java's semantics:
 * numbers (ints without a dot or exponent, doubles with one), true/false/null, `params.x` /
 * `params['x']` (bare `x` for `lang: expression`), arithmetic `+ - * / %` (int division
 * truncates and fails on / 0; ints overflow as 32-bit), comparisons, `== !=`, `&& || !`,
 * `? :`, parentheses, an optional leading `return` and trailing `;`. Anything else is a 400
 * naming what is supported, never a silently wrong answer.
 */

export type ScriptValue = { t: 'int'; v: number } | { t: 'double'; v: number } | { t: 'bool'; v: boolean } | { t: 'null' };

type Node =
  | { k: 'lit'; value: ScriptValue }
  | { k: 'var'; name: string }
  | { k: 'unary'; op: '!' | '-' | '+'; arg: Node }
  | { k: 'binary'; op: string; left: Node; right: Node }
  | { k: 'cond'; test: Node; then: Node; else: Node };

export interface CompiledScript {
  /** The variables the script reads. */
  vars: Set<string>;
  run(vars: ReadonlyMap<string, ScriptValue>): ScriptValue;
}

const SUPPORTED = 'the indexkit embedded engine runs only a Painless subset here: numbers, params.<name>, + - * / %, comparisons, == !=, && || !, ?:, parentheses';

export function compileError(source: string, detail: string): EngineError {
  return new EngineError(400, 'script_exception', `compile error: ${detail} in script [${source}]; ${SUPPORTED}`, { script: source, lang: 'painless' });
}

function runtimeError(source: string, detail: string): EngineError {
  return new EngineError(400, 'script_exception', `runtime error: ${detail} in script [${source}]`, { script: source, lang: 'painless' });
}

type Tok = { t: 'num'; text: string } | { t: 'id'; text: string } | { t: 'str'; text: string } | { t: 'op'; text: string };

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', '[', ']', '.', '?', ':', ';'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?[dDfFlL]?/.exec(src.slice(i));
    if (num && /[\d.]/.test(c) && !(c === '.' && !/\d/.test(src[i + 1] ?? ''))) {
      out.push({ t: 'num', text: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', text: id[0] });
      i += id[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end === -1) throw compileError(src, 'unterminated string');
      out.push({ t: 'str', text: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw compileError(src, `unexpected character [${c}]`);
    out.push({ t: 'op', text: op });
    i += op.length;
  }
  return out;
}

/** Compiles a bucket_selector script; `bare` allows plain variable names (expression scripts). */
export function compileScript(source: string, bare: boolean): CompiledScript {
  const toks = tokenize(source);
  let p = 0;
  const vars = new Set<string>();
  const peek = (): Tok | undefined => toks[p];
  const isOp = (text: string): boolean => {
    const t = toks[p];
    return t !== undefined && t.t === 'op' && t.text === text;
  };
  const expect = (text: string): void => {
    if (!isOp(text)) throw compileError(source, `expected [${text}] but found [${peek()?.text ?? 'end of script'}]`);
    p++;
  };
  if (peek()?.t === 'id' && peek()?.text === 'return') p++;

  const primary = (): Node => {
    const t = peek();
    if (!t) throw compileError(source, 'unexpected end of script');
    if (t.t === 'num') {
      p++;
      const text = t.text;
      const suffix = text[text.length - 1]?.toLowerCase() ?? '';
      const isDouble = /[.eE]/.test(text) || suffix === 'd' || suffix === 'f';
      const v = Number(text.replace(/[dDfFlL]$/, ''));
      if (!isDouble && suffix !== 'l' && v > 2147483647) throw compileError(source, `invalid int constant [${text}]`);
      return { k: 'lit', value: isDouble ? { t: 'double', v: suffix === 'f' ? Math.fround(v) : v } : suffix === 'l' ? { t: 'double', v } : { t: 'int', v } };
    }
    if (t.t === 'op' && t.text === '(') {
      p++;
      const e = expr();
      expect(')');
      return e;
    }
    if (t.t === 'id') {
      p++;
      if (t.text === 'true' || t.text === 'false') return { k: 'lit', value: { t: 'bool', v: t.text === 'true' } };
      if (t.text === 'null') return { k: 'lit', value: { t: 'null' } };
      if (t.text === 'params') {
        let name: string | undefined;
        if (isOp('.')) {
          p++;
          const n = peek();
          if (n?.t !== 'id') throw compileError(source, 'expected a parameter name after [params.]');
          p++;
          name = n.text;
        } else if (isOp('[')) {
          p++;
          const n = peek();
          if (n?.t !== 'str') throw compileError(source, "expected a quoted parameter name in [params['...']]");
          p++;
          name = n.text;
          expect(']');
        }
        if (name === undefined) throw compileError(source, '[params] must be followed by .<name>');
        if (isOp('(') || isOp('.')) throw compileError(source, `method calls are not supported ([params.${name}...])`);
        vars.add(name);
        return { k: 'var', name };
      }
      if (isOp('(') || isOp('.')) throw compileError(source, `[${t.text}] (method calls, fields, doc access) is not supported`);
      if (bare) {
        vars.add(t.text);
        return { k: 'var', name: t.text };
      }
      throw compileError(source, `cannot resolve symbol [${t.text}]`);
    }
    throw compileError(source, `unexpected token [${t.text}]`);
  };

  const unary = (): Node => {
    for (const op of ['!', '-', '+'] as const) {
      if (isOp(op)) {
        p++;
        return { k: 'unary', op, arg: unary() };
      }
    }
    return primary();
  };

  const level = (ops: string[], next: () => Node) => (): Node => {
    let left = next();
    for (;;) {
      const op = ops.find((o) => isOp(o));
      if (!op) return left;
      p++;
      left = { k: 'binary', op, left, right: next() };
    }
  };
  const multiplicative = level(['*', '/', '%'], unary);
  const additive = level(['+', '-'], multiplicative);
  const relational = level(['<=', '>=', '<', '>'], additive);
  const equality = level(['==', '!='], relational);
  const and = level(['&&'], equality);
  const or = level(['||'], and);
  function expr(): Node {
    const test = or();
    if (!isOp('?')) return test;
    p++;
    const then = expr();
    expect(':');
    return { k: 'cond', test, then, else: expr() };
  }

  const tree = expr();
  while (isOp(';')) p++;
  if (p < toks.length) throw compileError(source, `unexpected token [${peek()?.text ?? ''}]`);
  return { vars, run: (values) => evaluate(source, tree, values) };
}

const typeName = (v: ScriptValue): string => (v.t === 'int' ? 'java.lang.Integer' : v.t === 'double' ? 'java.lang.Double' : v.t === 'bool' ? 'java.lang.Boolean' : 'null');

function evaluate(source: string, node: Node, vars: ReadonlyMap<string, ScriptValue>): ScriptValue {
  const ev = (n: Node): ScriptValue => evaluate(source, n, vars);
  const bool = (v: ScriptValue, op: string): boolean => {
    if (v.t !== 'bool') throw runtimeError(source, `Cannot apply [${op}] to type [${typeName(v)}]`);
    return v.v;
  };
  const num = (v: ScriptValue, op: string): number => {
    if (v.t !== 'int' && v.t !== 'double') {
      if (v.t === 'null') throw runtimeError(source, `NullPointerException: cannot apply [${op}] to null`);
      throw runtimeError(source, `Cannot apply [${op}] to type [${typeName(v)}]`);
    }
    return v.v;
  };
  switch (node.k) {
    case 'lit':
      return node.value;
    case 'var': {
      const v = vars.get(node.name);
      return v ?? { t: 'null' };
    }
    case 'unary': {
      const a = ev(node.arg);
      if (node.op === '!') return { t: 'bool', v: !bool(a, '!') };
      const n = num(a, node.op);
      if (node.op === '+') return a;
      return a.t === 'int' ? { t: 'int', v: -n | 0 } : { t: 'double', v: -n };
    }
    case 'cond':
      return bool(ev(node.test), '?:') ? ev(node.then) : ev(node.else);
    case 'binary': {
      const { op } = node;
      if (op === '&&') return { t: 'bool', v: bool(ev(node.left), op) && bool(ev(node.right), op) };
      if (op === '||') return { t: 'bool', v: bool(ev(node.left), op) || bool(ev(node.right), op) };
      const a = ev(node.left);
      const b = ev(node.right);
      if (op === '==' || op === '!=') {
        let eq: boolean;
        if (a.t === 'null' || b.t === 'null') eq = a.t === b.t;
        else if (a.t === 'bool' || b.t === 'bool') eq = a.t === b.t && a.v === b.v;
        else eq = a.v === b.v;
        return { t: 'bool', v: op === '==' ? eq : !eq };
      }
      const x = num(a, op);
      const y = num(b, op);
      const ints = a.t === 'int' && b.t === 'int';
      switch (op) {
        case '<':
          return { t: 'bool', v: x < y };
        case '<=':
          return { t: 'bool', v: x <= y };
        case '>':
          return { t: 'bool', v: x > y };
        case '>=':
          return { t: 'bool', v: x >= y };
        case '+':
          return ints ? { t: 'int', v: (x + y) | 0 } : { t: 'double', v: x + y };
        case '-':
          return ints ? { t: 'int', v: (x - y) | 0 } : { t: 'double', v: x - y };
        case '*':
          return ints ? { t: 'int', v: Math.imul(x, y) } : { t: 'double', v: x * y };
        case '/':
          if (ints) {
            if (y === 0) throw runtimeError(source, 'ArithmeticException: / by zero');
            return { t: 'int', v: (x / y) | 0 };
          }
          return { t: 'double', v: x / y };
        case '%':
          if (ints) {
            if (y === 0) throw runtimeError(source, 'ArithmeticException: / by zero');
            return { t: 'int', v: x % y | 0 };
          }
          return { t: 'double', v: x % y };
      }
      throw compileError(source, `unknown operator [${op}]`);
    }
  }
}
