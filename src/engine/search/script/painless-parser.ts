import type { JavaValue } from './java-values.js';
import { double, float, int, long } from './java-values.js';
import { compileError, notSupported } from './script-errors.js';

/**
 * A tokenizer and Pratt parser for the Painless expression subset the engine runs: literals with
 * Java's typing, `params.x` / `params['x']`, `doc['f']` / `doc.f` with `.value`, `.size()`,
 * `.empty`, `.isEmpty()`, `[i]`, `.get(i)`, `_score`, `Math.*`, casts to primitive types,
 * arithmetic, comparison, logical, ternary, unary operators and string concatenation, as one
 * expression with an optional `return` and trailing `;`. Anything else is refused at compile
 * time with a script_exception naming it.
 */

export type Node =
  | { k: 'lit'; value: JavaValue; at: number }
  | { k: 'param'; name: string; at: number }
  | { k: 'score'; at: number }
  | { k: 'docValue'; field: string; at: number }
  | { k: 'docSize'; field: string; at: number }
  | { k: 'docEmpty'; field: string; at: number }
  | { k: 'docIndex'; field: string; index: Node; at: number }
  | { k: 'math'; fn: string; args: Node[]; at: number }
  | { k: 'cast'; type: 'int' | 'long' | 'float' | 'double'; arg: Node; at: number }
  | { k: 'unary'; op: '!' | '-' | '+'; arg: Node; at: number }
  | { k: 'binary'; op: string; left: Node; right: Node; at: number }
  | { k: 'logic'; op: '&&' | '||'; left: Node; right: Node; at: number }
  | { k: 'cond'; test: Node; then: Node; else: Node; at: number };

type Tok = { t: 'num' | 'id' | 'str' | 'op'; text: string; at: number };

/** Longer operators first. */
const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<<', '>>', '++', '--', '+=', '-=', '*=', '/=', '->', '::', '<', '>', '+', '-', '*', '/', '%', '!', '~', '&', '|', '^', '(', ')', '[', ']', '{', '}', '.', '?', ':', ';', ',', '='];
const UNSUPPORTED_OPS: Record<string, string> = {
  '<<': 'bit shifts',
  '>>': 'bit shifts',
  '++': 'increments',
  '--': 'decrements',
  '+=': 'compound assignments',
  '-=': 'compound assignments',
  '*=': 'compound assignments',
  '/=': 'compound assignments',
  '=': 'assignments',
  '->': 'lambdas',
  '::': 'method references',
  '~': 'bitwise operators',
  '&': 'bitwise operators',
  '|': 'bitwise operators',
  '^': 'bitwise operators',
  '{': 'blocks',
  '}': 'blocks',
  ',': 'multiple values',
};
const STATEMENT_WORDS = new Set(['if', 'else', 'for', 'while', 'do', 'def', 'var', 'new', 'try', 'catch', 'throw', 'break', 'continue', 'instanceof', 'boolean', 'byte', 'short', 'char', 'String', 'List', 'Map']);
const MATH_FNS: Record<string, number> = { log: 1, log10: 1, sqrt: 1, exp: 1, abs: 1, floor: 1, ceil: 1, round: 1, pow: 2, min: 2, max: 2 };
const PRIMITIVES = new Set(['int', 'long', 'float', 'double']);

/** Painless's max script size (script.max_size_in_bytes defaults to 65,535). */
export const MAX_SOURCE_LENGTH = 65535;
/** Deepest nesting the parser follows (bounded recursion). */
const MAX_DEPTH = 200;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i) || src.startsWith('/*', i)) throw notSupported(src, i, 'comments');
    const rest = src.slice(i, i + 400);
    const num = /^(?:0[xX][0-9a-fA-F]+[lL]?|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?[dDfFlL]?)/.exec(rest);
    if (num && (/\d/.test(c) || (c === '.' && /\d/.test(src[i + 1] ?? '')))) {
      out.push({ t: 'num', text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(rest);
    if (id) {
      out.push({ t: 'id', text: id[0], at: i });
      i += id[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') {
          const e = src[j + 1];
          if (e !== '\\' && e !== c) throw compileError(src, j, `unexpected character [\\${e ?? ''}] in a string (Painless strings escape only \\\\ and the quote)`);
          text += e;
          j += 2;
        } else text += src[j++];
      }
      if (j >= src.length) throw compileError(src, i, 'unterminated string');
      out.push({ t: 'str', text, at: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw compileError(src, i, `unexpected character [${c}]`);
    out.push({ t: 'op', text: op, at: i });
    i += op.length;
  }
  return out;
}

function numberLiteral(src: string, tok: Tok): JavaValue {
  const text = tok.text;
  const last = (text[text.length - 1] ?? '').toLowerCase();
  if (/^0[xX]/.test(text)) {
    const big = BigInt(text.replace(/[lL]$/, ''));
    if (last === 'l') return long(big);
    if (big > 0xffffffffn) throw compileError(src, tok.at, `invalid int constant [${text}]`);
    return int(Number(BigInt.asIntN(32, big)));
  }
  const body = text.replace(/[dDfFlL]$/, '');
  if (last === 'd' || /[.eE]/.test(body)) {
    if (last === 'l') throw compileError(src, tok.at, `invalid long constant [${text}]`);
    return last === 'f' ? float(Number(body)) : double(Number(body));
  }
  if (last === 'f') return float(Number(body));
  if (/^0\d/.test(body)) throw notSupported(src, tok.at, 'octal literals');
  const big = BigInt(body);
  if (last === 'l') {
    if (big > 9223372036854775807n) throw compileError(src, tok.at, `invalid long constant [${text}]`);
    return long(big);
  }
  if (big > 2147483647n) throw compileError(src, tok.at, `invalid int constant [${text}]`);
  return int(Number(big));
}

/** Parses a script source to its expression tree (a leading `return` and trailing `;` allowed). */
export function parsePainless(src: string): Node {
  if (src.length > MAX_SOURCE_LENGTH) throw compileError(src, 0, `exceeded max script size [${MAX_SOURCE_LENGTH}]`);
  const toks = tokenize(src);
  let p = 0;
  let depth = 0;
  const peek = (): Tok | undefined => toks[p];
  const at = (): number => peek()?.at ?? src.length;
  const isOp = (text: string): boolean => {
    const t = toks[p];
    return t !== undefined && t.t === 'op' && t.text === text;
  };
  const expect = (text: string): void => {
    if (!isOp(text)) throw compileError(src, at(), `expected [${text}] but found [${peek()?.text ?? '<EOF>'}]`);
    p++;
  };
  const quotedOrName = (what: string): string => {
    const t = peek();
    if (isOp('[')) {
      p++;
      const n = peek();
      if (n?.t !== 'str') throw notSupported(src, n?.at ?? src.length, `a computed ${what} name (only a quoted name)`);
      p++;
      expect(']');
      return n.text;
    }
    if (isOp('.')) {
      p++;
      const n = peek();
      if (n?.t !== 'id') throw compileError(src, at(), `expected a ${what} name after [.]`);
      p++;
      return n.text;
    }
    throw notSupported(src, t?.at ?? src.length, `[${what === 'field' ? 'doc' : 'params'}] other than ${what === 'field' ? "doc['<field>']" : 'params.<name>'}`);
  };

  const docAccess = (start: number): Node => {
    const field = quotedOrName('field');
    if (isOp('[')) {
      p++;
      const index = expr();
      expect(']');
      return { k: 'docIndex', field, index, at: start };
    }
    if (!isOp('.')) throw notSupported(src, start, `[doc['${field}']] as a value (use .value, .size(), .empty or [i])`);
    p++;
    const member = peek();
    if (member?.t !== 'id') throw compileError(src, at(), 'expected a member name after [.]');
    p++;
    const call = isOp('(');
    if (call) {
      p++;
      if (member.text === 'get') {
        const index = expr();
        expect(')');
        return { k: 'docIndex', field, index, at: start };
      }
      expect(')');
    }
    if (member.text === 'value' && !call) return { k: 'docValue', field, at: start };
    if ((member.text === 'size' && call) || (member.text === 'length' && !call)) return { k: 'docSize', field, at: start };
    if ((member.text === 'empty' && !call) || (member.text === 'isEmpty' && call)) return { k: 'docEmpty', field, at: start };
    throw notSupported(src, member.at, `[doc['${field}'].${member.text}${call ? '()' : ''}]`);
  };

  const primary = (): Node => {
    const t = peek();
    if (!t) throw compileError(src, src.length, 'unexpected end of script');
    const start = t.at;
    if (t.t === 'num') {
      p++;
      return { k: 'lit', value: numberLiteral(src, t), at: start };
    }
    if (t.t === 'str') {
      p++;
      return { k: 'lit', value: { t: 'str', v: t.text }, at: start };
    }
    if (t.t === 'op' && t.text === '(') {
      p++;
      const cast = peek();
      if (cast?.t === 'id' && PRIMITIVES.has(cast.text) && toks[p + 1]?.text === ')') {
        p += 2;
        return { k: 'cast', type: cast.text as 'int' | 'long' | 'float' | 'double', arg: unary(), at: start };
      }
      const e = expr();
      expect(')');
      return e;
    }
    if (t.t === 'op') throw UNSUPPORTED_OPS[t.text] ? notSupported(src, start, UNSUPPORTED_OPS[t.text] as string) : compileError(src, start, `unexpected token [${t.text}]`);
    p++;
    switch (t.text) {
      case 'true':
      case 'false':
        return { k: 'lit', value: { t: 'bool', v: t.text === 'true' }, at: start };
      case 'null':
        return { k: 'lit', value: { t: 'null' }, at: start };
      case '_score':
        return { k: 'score', at: start };
      case 'params': {
        const name = quotedOrName('parameter');
        return { k: 'param', name, at: start };
      }
      case 'doc':
        return docAccess(start);
      case 'Math': {
        expect('.');
        const fn = peek();
        if (fn?.t !== 'id') throw compileError(src, at(), 'expected a name after [Math.]');
        p++;
        if (!isOp('(')) {
          if (fn.text === 'PI') return { k: 'lit', value: double(Math.PI), at: start };
          if (fn.text === 'E') return { k: 'lit', value: double(Math.E), at: start };
          throw notSupported(src, fn.at, `[Math.${fn.text}]`);
        }
        const arity = MATH_FNS[fn.text];
        if (arity === undefined) throw notSupported(src, fn.at, `[Math.${fn.text}()]`);
        p++;
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(expr());
          while (isOp(',')) {
            p++;
            args.push(expr());
          }
        }
        expect(')');
        if (args.length !== arity) throw compileError(src, fn.at, `method [Math.${fn.text}/${args.length}] not found`);
        return { k: 'math', fn: fn.text, args, at: start };
      }
      case 'return':
        throw notSupported(src, start, '[return] inside an expression');
      case 'ctx':
      case 'state':
      case 'states':
      case 'emit':
        throw notSupported(src, start, `[${t.text}]`);
    }
    if (STATEMENT_WORDS.has(t.text) || PRIMITIVES.has(t.text)) throw notSupported(src, start, `[${t.text}] (statements, declarations and objects)`);
    if (isOp('(')) throw notSupported(src, start, `calling [${t.text}()]`);
    throw compileError(src, start, `cannot resolve symbol [${t.text}]`);
  };

  const postfix = (): Node => {
    const n = primary();
    if (isOp('.') || isOp('[') || isOp('(')) throw notSupported(src, at(), `method calls and member access on [${src.slice(n.at, at()).trim()}]`);
    return n;
  };

  const unary = (): Node => {
    if (++depth > MAX_DEPTH) throw notSupported(src, at(), `nesting deeper than ${MAX_DEPTH} levels`);
    try {
      for (const op of ['!', '-', '+'] as const) {
        if (isOp(op)) {
          const start = at();
          p++;
          return { k: 'unary', op, arg: unary(), at: start };
        }
      }
      return postfix();
    } finally {
      depth--;
    }
  };

  const LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];
  const level = (i: number): Node => {
    if (i === LEVELS.length) return unary();
    let left = level(i + 1);
    for (;;) {
      const ops = LEVELS[i] as string[];
      const op = ops.find((o) => isOp(o));
      if (!op) return left;
      const start = at();
      p++;
      const right = level(i + 1);
      left = op === '&&' || op === '||' ? { k: 'logic', op, left, right, at: start } : { k: 'binary', op, left, right, at: start };
    }
  };
  function expr(): Node {
    if (++depth > MAX_DEPTH) throw notSupported(src, at(), `nesting deeper than ${MAX_DEPTH} levels`);
    try {
      const test = level(0);
      if (!isOp('?')) return test;
      const start = at();
      p++;
      const then = expr();
      expect(':');
      return { k: 'cond', test, then, else: expr(), at: start };
    } finally {
      depth--;
    }
  }

  if (toks.length === 0) throw compileError(src, 0, 'cannot generate an empty script');
  if (peek()?.t === 'id' && peek()?.text === 'return') p++;
  const tree = expr();
  if (isOp(';')) p++;
  if (p < toks.length) {
    const t = peek() as Tok;
    if (t.t === 'op' && UNSUPPORTED_OPS[t.text]) throw notSupported(src, t.at, UNSUPPORTED_OPS[t.text] as string);
    if (toks[p - 1]?.text === ';') throw notSupported(src, t.at, 'more than one statement');
    throw compileError(src, t.at, `unexpected token [${t.text}]`);
  }
  return tree;
}
