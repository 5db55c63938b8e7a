import type { JavaValue } from './java-values.js';
import { double, float, int, long } from './java-values.js';
import { compileError, notSupported } from './script-errors.js';
import { VECTOR_FUNCTIONS } from './vector-functions.js';
import type { VectorFunction } from './vector-functions.js';

/**
 * A tokenizer and recursive-descent parser for the Painless the engine runs: statements (typed and
 * `def` declarations, assignment and compound assignment, `++`/`--`, if/else, while, do/while,
 * classic for, `for (x : list)` and `for (x in list)`, break, continue, return, blocks, the last
 * statement of a block or script without its `;`) and expressions (literals with Java's typing,
 * list `[a, b]` and map `[k: v]` initializers, `new ArrayList()` / `new HashMap()`, member
 * access, method calls and indexing, `Math.*`, casts, arithmetic, comparison, logical, ternary,
 * unary operators and string concatenation). What Painless has but this subset does not (lambdas,
 * method references, try/catch, arrays, bit operators, regexes, instanceof) is refused at compile
 * time with a script_exception naming it.
 */

export type TypeName = string;

/** Functions a script context provides by bare name (the runtime field contexts' `emit`, the date field context's `parse`). */
const CONTEXT_FUNCTIONS = new Set(['emit', 'field', '$', 'parse']);

export type Expr =
  | { k: 'lit'; value: JavaValue; at: number }
  | { k: 'var'; name: string; at: number }
  | { k: 'field'; obj: Expr; name: string; at: number }
  | { k: 'index'; obj: Expr; index: Expr; at: number }
  | { k: 'call'; obj: Expr; name: string; args: Expr[]; at: number }
  | { k: 'math'; fn: string; args: Expr[]; at: number }
  /** `MovingFunctions.max(values)` ...: the moving_fn script context's static helpers. */
  | { k: 'movfn'; fn: string; args: Expr[]; at: number }
  /** A vector function of the score context (cosineSimilarity, dotProduct, l1norm, l2norm, hamming). */
  | { k: 'vfn'; fn: VectorFunction; args: Expr[]; at: number }
  /** A function of the script context called by its bare name (`emit` in runtime field scripts). */
  | { k: 'fn'; name: string; args: Expr[]; at: number }
  | { k: 'new'; type: TypeName; args: Expr[]; at: number }
  /** A regex literal `/pattern/flags` (a java.util.regex.Pattern constant). */
  | { k: 'regex'; pattern: string; flags: string; at: number }
  /** `Pattern.quote(s)`, the one static method Painless whitelists on Pattern. */
  | { k: 'quote'; arg: Expr; at: number }
  | { k: 'listInit'; items: Expr[]; at: number }
  | { k: 'mapInit'; entries: Array<[Expr, Expr]>; at: number }
  | { k: 'cast'; type: TypeName; arg: Expr; at: number }
  | { k: 'unary'; op: '!' | '-' | '+'; arg: Expr; at: number }
  | { k: 'binary'; op: string; left: Expr; right: Expr; at: number }
  | { k: 'logic'; op: '&&' | '||'; left: Expr; right: Expr; at: number }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; at: number }
  | { k: 'assign'; op: string; target: Expr; value: Expr; at: number }
  | { k: 'incdec'; op: '++' | '--'; prefix: boolean; target: Expr; at: number };

export type Stmt =
  | { k: 'decl'; type: TypeName; vars: Array<{ name: string; init?: Expr; at: number }>; at: number }
  | { k: 'expr'; e: Expr; at: number }
  | { k: 'if'; test: Expr; then: Stmt; else?: Stmt; at: number }
  | { k: 'while'; test: Expr; body: Stmt; at: number }
  | { k: 'do'; body: Stmt; test: Expr; at: number }
  | { k: 'for'; init?: Stmt; test?: Expr; update: Expr[]; body: Stmt; at: number }
  | { k: 'each'; type: TypeName; name: string; iterable: Expr; body: Stmt; at: number }
  | { k: 'block'; body: Stmt[]; at: number }
  | { k: 'return'; e?: Expr; at: number }
  | { k: 'throw'; e: Expr; at: number }
  | { k: 'break'; at: number }
  | { k: 'continue'; at: number }
  | { k: 'empty'; at: number };

type Tok = { t: 'num' | 'id' | 'str' | 'op' | 'regex'; text: string; flags?: string; at: number };

/** Longer operators first. */
const OPS = ['>>>=', '<<=', '>>=', '>>>', '===', '!==', '&&', '||', '==~', '==', '!=', '<=', '>=', '<<', '>>', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '->', '::', '?.', '?:', '=~', '<', '>', '+', '-', '*', '/', '%', '!', '~', '&', '|', '^', '(', ')', '[', ']', '{', '}', '.', '?', ':', ';', ',', '='];
const UNSUPPORTED_OPS: Record<string, string> = {
  '<<': 'bit shifts',
  '>>': 'bit shifts',
  '>>>': 'bit shifts',
  '<<=': 'bit shifts',
  '>>=': 'bit shifts',
  '>>>=': 'bit shifts',
  '->': 'lambdas',
  '::': 'method references',
  '~': 'bitwise operators',
  '&': 'bitwise operators',
  '|': 'bitwise operators',
  '^': 'bitwise operators',
  '&=': 'bitwise operators',
  '|=': 'bitwise operators',
  '^=': 'bitwise operators',
  '===': 'reference equality',
  '!==': 'reference equality',
  '?.': 'null-safe operators',
  '?:': 'the elvis operator',
};
const UNSUPPORTED_WORDS: Record<string, string> = {
  try: 'try/catch',
  catch: 'try/catch',
  instanceof: 'instanceof',
  ctx: '[ctx]',
  this: '[this]',
  // x-pack's runtime-fields plugin (RuntimeFieldsPainlessExtension, Elastic License) adds these two
  grok: '[grok] (an x-pack runtime fields extension)',
  dissect: '[dissect] (an x-pack runtime fields extension)',
};

/** Types a declaration, cast or `new` may name. */
export const PRIMITIVES = new Set(['int', 'long', 'float', 'double', 'boolean', 'byte', 'short', 'char']);
const REFERENCE_TYPES = new Set(['def', 'Object', 'String', 'Pattern', 'Matcher', 'List', 'ArrayList', 'Map', 'HashMap', 'Collection', 'Iterable', 'Number', 'Integer', 'Long', 'Double', 'Float', 'Boolean']);
/** The java.time classes (and Locale) a declaration or cast may name; their static members are read in painless.ts. */
export const TIME_TYPES = new Set(['ZonedDateTime', 'Instant', 'ZoneId', 'ZoneOffset', 'DayOfWeek', 'Month', 'ChronoUnit', 'DateTimeFormatter', 'TextStyle', 'Locale']);
const isTypeName = (s: string): boolean => PRIMITIVES.has(s) || REFERENCE_TYPES.has(s) || TIME_TYPES.has(s);
const NEWABLE = new Set(['ArrayList', 'HashMap']);
/** java.lang exceptions a script may create and throw (`throw new Exception("empty")`). */
export const THROWABLES = new Set(['Exception', 'RuntimeException', 'IllegalArgumentException', 'IllegalStateException', 'UnsupportedOperationException', 'ArithmeticException', 'NullPointerException', 'IndexOutOfBoundsException']);

export const MATH_FNS: Record<string, number> = { log: 1, log10: 1, sqrt: 1, exp: 1, abs: 1, floor: 1, ceil: 1, round: 1, pow: 2, min: 2, max: 2 };

/** org.elasticsearch.search.aggregations.pipeline.MovingFunctions, whitelisted for moving_fn scripts: arity of each. */
export const MOVING_FNS: Record<string, number> = { max: 1, min: 1, sum: 1, unweightedAvg: 1, linearWeightedAvg: 1, stdDev: 2, ewma: 2, holt: 3, holtWinters: 6 };

/** Painless's max script size (script.max_size_in_bytes defaults to 65,535). */
export const MAX_SOURCE_LENGTH = 65535;
/** Deepest nesting the parser follows (bounded recursion). */
const MAX_DEPTH = 200;

/** Painless's keywords: a `/` after one starts a regex literal, as after an operator. */
const KEYWORDS = new Set(['if', 'in', 'else', 'while', 'do', 'for', 'continue', 'break', 'return', 'new', 'try', 'catch', 'throw', 'this', 'instanceof']);

/** A `/` starts a regex literal unless it follows a value (a name, a number, `)` or `]`), as Painless's lexer decides. */
function slashIsRegex(prev: Tok | undefined): boolean {
  if (!prev) return true;
  if (prev.t === 'num') return false;
  if (prev.t === 'id') return KEYWORDS.has(prev.text);
  return !(prev.t === 'op' && (prev.text === ')' || prev.text === ']'));
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end === -1) throw compileError(src, i, 'unterminated comment');
      i = end + 2;
      continue;
    }
    if (c === '/' && slashIsRegex(out[out.length - 1])) {
      const m = /^\/((?:\\[^\n]|[^/\n\\])+?)\/([cilmsUux]*)/.exec(src.slice(i));
      if (m) {
        out.push({ t: 'regex', text: m[1] as string, flags: m[2] as string, at: i });
        i += m[0].length;
        continue;
      }
    }
    const rest = src.slice(i, i + 400);
    const num = /^(?:0[xX][0-9a-fA-F]+[lL]?|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?[dDfFlL]?)/.exec(rest);
    if (num && (/\d/.test(c) || (c === '.' && /\d/.test(src[i + 1] ?? '')))) {
      // `1.size()` is not a number followed by a call in Painless either; `list.0` does not occur here
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

function numberLiteral(src: string, tok: Tok, negative: boolean): JavaValue {
  const text = tok.text;
  const last = (text[text.length - 1] ?? '').toLowerCase();
  const sign = negative ? -1n : 1n;
  if (/^0[xX]/.test(text)) {
    const big = BigInt(text.replace(/[lL]$/, ''));
    if (last === 'l') return long(sign * big);
    if (big > 0xffffffffn) throw compileError(src, tok.at, `invalid int constant [${text}]`);
    return int(Number(BigInt.asIntN(32, sign * big)));
  }
  const body = text.replace(/[dDfFlL]$/, '');
  const n = negative ? -Number(body) : Number(body);
  if (last === 'd' || /[.eE]/.test(body)) {
    if (last === 'l') throw compileError(src, tok.at, `invalid long constant [${text}]`);
    return last === 'f' ? float(n) : double(n);
  }
  if (last === 'f') return float(n);
  if (/^0\d/.test(body)) throw notSupported(src, tok.at, 'octal literals');
  const big = sign * BigInt(body);
  if (last === 'l') {
    if (big > 9223372036854775807n || big < -9223372036854775808n) throw compileError(src, tok.at, `invalid long constant [${negative ? '-' : ''}${text}]`);
    return long(big);
  }
  if (big > 2147483647n || big < -2147483648n) throw compileError(src, tok.at, `invalid int constant [${negative ? '-' : ''}${text}]`);
  return int(Number(big));
}

/** Parses a script source to its statements. */
export function parsePainless(src: string): Stmt[] {
  if (src.length > MAX_SOURCE_LENGTH) throw compileError(src, 0, `exceeded max script size [${MAX_SOURCE_LENGTH}]`);
  const toks = tokenize(src);
  let p = 0;
  let depth = 0;
  const peek = (o = 0): Tok | undefined => toks[p + o];
  const at = (): number => peek()?.at ?? src.length;
  const isOp = (text: string, o = 0): boolean => {
    const t = toks[p + o];
    return t !== undefined && t.t === 'op' && t.text === text;
  };
  const isId = (text: string, o = 0): boolean => {
    const t = toks[p + o];
    return t !== undefined && t.t === 'id' && t.text === text;
  };
  const unexpected = (): never => {
    const t = peek();
    if (!t) throw compileError(src, src.length, 'unexpected end of script');
    if (t.t === 'op' && UNSUPPORTED_OPS[t.text]) throw notSupported(src, t.at, UNSUPPORTED_OPS[t.text] as string);
    throw compileError(src, t.at, `unexpected token [${t.text}]`);
  };
  const expect = (text: string): void => {
    if (!isOp(text)) {
      const t = peek();
      if (t?.t === 'op' && UNSUPPORTED_OPS[t.text]) throw notSupported(src, t.at, UNSUPPORTED_OPS[t.text] as string);
      throw compileError(src, at(), `expected [${text}] but found [${t?.text ?? '<EOF>'}]`);
    }
    p++;
  };
  const name = (what: string): Tok => {
    const t = peek();
    if (t?.t !== 'id') throw compileError(src, at(), `expected ${what} but found [${t?.text ?? '<EOF>'}]`);
    p++;
    return t;
  };
  const deeper = <T>(fn: () => T): T => {
    if (++depth > MAX_DEPTH) throw notSupported(src, at(), `nesting deeper than ${MAX_DEPTH} levels`);
    try {
      return fn();
    } finally {
      depth--;
    }
  };
  const args = (): Expr[] => {
    expect('(');
    const out: Expr[] = [];
    if (!isOp(')')) {
      out.push(expr());
      while (isOp(',')) {
        p++;
        out.push(expr());
      }
    }
    expect(')');
    return out;
  };
  /** A type name (arrays and generics refused). */
  const typeAt = (): boolean => {
    const t = peek();
    return t?.t === 'id' && isTypeName(t.text);
  };
  const typeName = (): string => {
    const t = name('a type');
    if (isOp('[') && isOp(']', 1)) throw notSupported(src, t.at, 'arrays');
    if (isOp('<') && t.text !== 'def' && !PRIMITIVES.has(t.text)) throw notSupported(src, t.at, 'generic type arguments');
    return t.text;
  };

  // ---- expressions ----
  const primary = (): Expr => {
    const t = peek();
    if (!t) throw compileError(src, src.length, 'unexpected end of script');
    const start = t.at;
    if (t.t === 'num') {
      p++;
      return { k: 'lit', value: numberLiteral(src, t, false), at: start };
    }
    if (t.t === 'str') {
      p++;
      return { k: 'lit', value: { t: 'str', v: t.text }, at: start };
    }
    if (t.t === 'regex') {
      p++;
      return { k: 'regex', pattern: t.text, flags: t.flags ?? '', at: start };
    }
    if (t.t === 'op' && t.text === '(') {
      // a cast: `(int) x`, `(List) x`
      const c = peek(1);
      if (c?.t === 'id' && isTypeName(c.text) && isOp(')', 2)) {
        const next = peek(3);
        const castable = PRIMITIVES.has(c.text) || (next !== undefined && (next.t !== 'op' || ['(', '!', '['].includes(next.text)));
        if (castable) {
          p += 3;
          return { k: 'cast', type: c.text, arg: unary(), at: start };
        }
      }
      p++;
      const e = expr();
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.text === '[') {
      p++;
      if (isOp(':') && isOp(']', 1)) {
        p += 2;
        return { k: 'mapInit', entries: [], at: start };
      }
      if (isOp(']')) {
        p++;
        return { k: 'listInit', items: [], at: start };
      }
      const first = expr();
      if (isOp(':')) {
        p++;
        const entries: Array<[Expr, Expr]> = [[first, expr()]];
        while (isOp(',')) {
          p++;
          const key = expr();
          expect(':');
          entries.push([key, expr()]);
        }
        expect(']');
        return { k: 'mapInit', entries, at: start };
      }
      const items = [first];
      while (isOp(',')) {
        p++;
        items.push(expr());
      }
      expect(']');
      return { k: 'listInit', items, at: start };
    }
    if (t.t === 'op') return unexpected();
    p++;
    switch (t.text) {
      case 'true':
      case 'false':
        return { k: 'lit', value: { t: 'bool', v: t.text === 'true' }, at: start };
      case 'null':
        return { k: 'lit', value: { t: 'null' }, at: start };
      case 'new': {
        const type = name('a type after [new]');
        if (isOp('[')) throw notSupported(src, type.at, 'arrays');
        if (!NEWABLE.has(type.text) && !THROWABLES.has(type.text)) throw notSupported(src, type.at, `[new ${type.text}]`);
        if (isOp('<')) throw notSupported(src, type.at, 'generic type arguments');
        const a = args();
        if (a.length > 1) throw compileError(src, type.at, `constructor [${type.text}/${a.length}] not found`);
        return { k: 'new', type: type.text, args: a, at: start };
      }
      case 'Math': {
        expect('.');
        const fn = name('a name after [Math.]');
        if (!isOp('(')) {
          if (fn.text === 'PI') return { k: 'lit', value: double(Math.PI), at: start };
          if (fn.text === 'E') return { k: 'lit', value: double(Math.E), at: start };
          throw notSupported(src, fn.at, `[Math.${fn.text}]`);
        }
        const arity = MATH_FNS[fn.text];
        if (arity === undefined) throw notSupported(src, fn.at, `[Math.${fn.text}()]`);
        const a = args();
        if (a.length !== arity) throw compileError(src, fn.at, `method [Math.${fn.text}/${a.length}] not found`);
        return { k: 'math', fn: fn.text, args: a, at: start };
      }
      case 'MovingFunctions': {
        expect('.');
        const fn = name('a name after [MovingFunctions.]');
        const arity = Object.hasOwn(MOVING_FNS, fn.text) ? MOVING_FNS[fn.text] : undefined;
        if (arity === undefined || !isOp('(')) throw compileError(src, fn.at, `Unknown call [${fn.text}] on type [MovingFunctions].`);
        const a = args();
        if (a.length !== arity) throw compileError(src, fn.at, `method [MovingFunctions.${fn.text}/${a.length}] not found`);
        return { k: 'movfn', fn: fn.text, args: a, at: start };
      }
      case 'return':
        throw compileError(src, start, 'unexpected token [return] inside an expression');
      case 'Pattern':
        if (isOp('.')) {
          // Pattern.compile is left out of Painless's whitelist on purpose: patterns are `/.../` constants
          const fn = peek(1);
          if (fn?.t === 'id' && fn.text === 'quote' && isOp('(', 2)) {
            p += 2;
            const a = args();
            if (a.length !== 1) throw compileError(src, fn.at, `Unknown call [quote] with [${a.length}] arguments on type [Pattern].`);
            return { k: 'quote', arg: a[0] as Expr, at: start };
          }
          if (fn?.t === 'id' && isOp('(', 2)) {
            p += 2;
            const a = args();
            throw compileError(src, fn.at, `Unknown call [${fn.text}] with [${a.length}] arguments on type [Pattern].`);
          }
        }
        break;
    }
    if (UNSUPPORTED_WORDS[t.text]) throw notSupported(src, start, UNSUPPORTED_WORDS[t.text] as string);
    if (isOp('(') && (VECTOR_FUNCTIONS as readonly string[]).includes(t.text)) return { k: 'vfn', fn: t.text as VectorFunction, args: args(), at: start };
    if (isOp('(') && CONTEXT_FUNCTIONS.has(t.text)) return { k: 'fn', name: t.text, args: args(), at: start };
    if (isOp('->')) throw notSupported(src, start, 'lambdas');
    if (isTypeName(t.text) && !['def'].includes(t.text) && !TIME_TYPES.has(t.text)) {
      if (isOp('.') || isOp('::')) throw notSupported(src, start, `static members of [${t.text}]`);
    }
    return { k: 'var', name: t.text, at: start };
  };

  const postfix = (): Expr => {
    let e = primary();
    for (;;) {
      if (isOp('.')) {
        p++;
        const member = name('a member name after [.]');
        if (isOp('(')) e = { k: 'call', obj: e, name: member.text, args: args(), at: member.at };
        else e = { k: 'field', obj: e, name: member.text, at: member.at };
        continue;
      }
      if (isOp('[')) {
        const start = at();
        p++;
        const index = expr();
        expect(']');
        e = { k: 'index', obj: e, index, at: start };
        continue;
      }
      if (isOp('++') || isOp('--')) {
        const op = (peek() as Tok).text as '++' | '--';
        const start = at();
        p++;
        e = { k: 'incdec', op, prefix: false, target: assignable(e, start), at: start };
        continue;
      }
      if (isOp('(')) throw notSupported(src, at(), 'calling a function value');
      return e;
    }
  };

  const assignable = (e: Expr, opAt: number): Expr => {
    if (e.k === 'var' || e.k === 'field' || e.k === 'index') return e;
    throw compileError(src, opAt, 'invalid assignment: the left-hand side must be a variable, a field or an element');
  };

  const unary = (): Expr =>
    deeper(() => {
      const t = peek();
      if (t?.t === 'op') {
        if (t.text === '!' || t.text === '-' || t.text === '+') {
          p++;
          // -2147483648 and -9223372036854775808L are literals in Painless
          const n = peek();
          if (t.text === '-' && n?.t === 'num' && !isOp('.', 1) && !isOp('[', 1)) {
            p++;
            return { k: 'lit', value: numberLiteral(src, n, true), at: t.at };
          }
          return { k: 'unary', op: t.text, arg: unary(), at: t.at };
        }
        if (t.text === '++' || t.text === '--') {
          p++;
          const target = unary();
          return { k: 'incdec', op: t.text, prefix: true, target: assignable(target, t.at), at: t.at };
        }
        if (t.text === '~') throw notSupported(src, t.at, 'bitwise operators');
      }
      return postfix();
    });

  // `=~` (find) and `==~` (matches) bind between the shifts and `+`/`-`, as in Painless's grammar
  const LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['=~', '==~'], ['+', '-'], ['*', '/', '%']];
  const level = (i: number): Expr => {
    if (i === LEVELS.length) return unary();
    let left = level(i + 1);
    for (;;) {
      const ops = LEVELS[i] as string[];
      const op = ops.find((o) => isOp(o));
      if (!op) {
        if (i === 3 && isId('instanceof')) throw notSupported(src, at(), 'instanceof');
        return left;
      }
      const start = at();
      p++;
      const right = level(i + 1);
      left = op === '&&' || op === '||' ? { k: 'logic', op, left, right, at: start } : { k: 'binary', op, left, right, at: start };
    }
  };
  const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=']);
  function expr(): Expr {
    return deeper(() => {
      const test = level(0);
      const t = peek();
      if (t?.t === 'op' && ASSIGN_OPS.has(t.text)) {
        p++;
        return { k: 'assign', op: t.text, target: assignable(test, t.at), value: expr(), at: t.at };
      }
      if (t?.t === 'op' && UNSUPPORTED_OPS[t.text] && t.text.endsWith('=')) throw notSupported(src, t.at, UNSUPPORTED_OPS[t.text] as string);
      if (!isOp('?')) return test;
      const start = at();
      p++;
      const then = expr();
      expect(':');
      return { k: 'cond', test, then, else: expr(), at: start };
    });
  }

  // ---- statements ----
  /** A statement's end: `;`, or nothing before `}` or the end of the script. */
  const end = (): void => {
    if (isOp(';')) {
      p++;
      return;
    }
    if (isOp('}') || p >= toks.length) return;
    unexpected();
  };

  const declaration = (type: string, start: number): Stmt => {
    const vars: Array<{ name: string; init?: Expr; at: number }> = [];
    do {
      if (vars.length > 0) p++;
      const n = name('a variable name');
      if (isOp('=')) {
        p++;
        vars.push({ name: n.text, init: expr(), at: n.at });
      } else vars.push({ name: n.text, at: n.at });
    } while (isOp(','));
    return { k: 'decl', type, vars, at: start };
  };

  /** A declaration starts with a type name followed by a variable name. */
  const declAhead = (): boolean => typeAt() && peek(1)?.t === 'id';

  const statement = (): Stmt =>
    deeper((): Stmt => {
      const t = peek();
      if (!t) throw compileError(src, src.length, 'unexpected end of script');
      const start = t.at;
      if (t.t === 'op' && t.text === '{') return block();
      if (t.t === 'op' && t.text === ';') {
        p++;
        return { k: 'empty', at: start };
      }
      if (t.t === 'id') {
        switch (t.text) {
          case 'if': {
            p++;
            expect('(');
            const test = expr();
            expect(')');
            const then = statement();
            if (isId('else')) {
              p++;
              return { k: 'if', test, then, else: statement(), at: start };
            }
            return { k: 'if', test, then, at: start };
          }
          case 'while': {
            p++;
            expect('(');
            const test = expr();
            expect(')');
            if (isOp(';')) {
              p++;
              return { k: 'while', test, body: { k: 'empty', at: start }, at: start };
            }
            return { k: 'while', test, body: statement(), at: start };
          }
          case 'do': {
            p++;
            const body = statement();
            if (!isId('while')) throw compileError(src, at(), `expected [while] but found [${peek()?.text ?? '<EOF>'}]`);
            p++;
            expect('(');
            const test = expr();
            expect(')');
            end();
            return { k: 'do', body, test, at: start };
          }
          case 'for': {
            p++;
            expect('(');
            // for (x in list) / for (def x : list)
            if (peek()?.t === 'id' && isId('in', 1)) {
              const n = name('a variable name');
              p++;
              const iterable = expr();
              expect(')');
              return { k: 'each', type: 'def', name: n.text, iterable, body: statement(), at: start };
            }
            if (declAhead() && isOp(':', 2)) {
              const type = typeName();
              const n = name('a variable name');
              p++;
              const iterable = expr();
              expect(')');
              return { k: 'each', type, name: n.text, iterable, body: statement(), at: start };
            }
            let init: Stmt | undefined;
            if (!isOp(';')) {
              const s = at();
              if (declAhead()) init = declaration(typeName(), s);
              else {
                const first = expr();
                init = { k: 'expr', e: first, at: s };
              }
            }
            expect(';');
            const test = isOp(';') ? undefined : expr();
            expect(';');
            const update: Expr[] = [];
            if (!isOp(')')) {
              update.push(expr());
              while (isOp(',')) {
                p++;
                update.push(expr());
              }
            }
            expect(')');
            const body: Stmt = isOp(';') ? (p++, { k: 'empty', at: start }) : statement();
            return { k: 'for', ...(init ? { init } : {}), ...(test ? { test } : {}), update, body, at: start };
          }
          case 'throw': {
            p++;
            const e = expr();
            end();
            return { k: 'throw', e, at: start };
          }
          case 'return': {
            p++;
            if (isOp(';') || isOp('}') || p >= toks.length) {
              end();
              return { k: 'return', at: start };
            }
            const e = expr();
            end();
            return { k: 'return', e, at: start };
          }
          case 'break':
          case 'continue':
            p++;
            end();
            return { k: t.text, at: start };
          case 'else':
            throw compileError(src, start, 'unexpected token [else]');
        }
        if (UNSUPPORTED_WORDS[t.text] && t.text !== 'ctx' && t.text !== 'emit') throw notSupported(src, start, UNSUPPORTED_WORDS[t.text] as string);
        if (declAhead()) {
          const s = declaration(typeName(), start);
          end();
          return s;
        }
        if (typeAt() && isOp('[', 1) && isOp(']', 2)) throw notSupported(src, start, 'arrays');
      }
      const e = expr();
      end();
      return { k: 'expr', e, at: start };
    });

  function block(): Stmt {
    const start = at();
    expect('{');
    const body: Stmt[] = [];
    while (!isOp('}')) {
      if (p >= toks.length) throw compileError(src, src.length, 'unexpected end of script: expected [}]');
      body.push(statement());
    }
    p++;
    return { k: 'block', body, at: start };
  }

  if (toks.length === 0) throw compileError(src, 0, 'cannot generate an empty script');
  const out: Stmt[] = [];
  while (p < toks.length) {
    if (isOp('}')) throw compileError(src, at(), 'unexpected token [}]');
    out.push(statement());
  }
  return out;
}

/**
 * The `params` names a script reads (`params.x`, `params['x']`), and with `bare` the free
 * variable names (what an expression script reads): for a pipeline to check them before running.
 */
export function paramsRead(stmts: Stmt[], bare: boolean): Set<string> {
  const out = new Set<string>();
  const declared = new Set<string>();
  const e = (x: Expr | undefined): void => {
    if (!x) return;
    switch (x.k) {
      case 'var':
        if (bare && !declared.has(x.name) && x.name !== 'params') out.add(x.name);
        return;
      case 'field':
        if (x.obj.k === 'var' && x.obj.name === 'params') out.add(x.name);
        else e(x.obj);
        return;
      case 'index':
        if (x.obj.k === 'var' && x.obj.name === 'params' && x.index.k === 'lit' && x.index.value.t === 'str') out.add(x.index.value.v);
        else e(x.obj);
        e(x.index);
        return;
      case 'call':
        e(x.obj);
        x.args.forEach(e);
        return;
      case 'math':
      case 'movfn':
      case 'vfn':
      case 'fn':
      case 'new':
        x.args.forEach(e);
        return;
      case 'listInit':
        x.items.forEach(e);
        return;
      case 'mapInit':
        x.entries.forEach(([k, v]) => (e(k), e(v)));
        return;
      case 'cast':
      case 'unary':
        e(x.arg);
        return;
      case 'binary':
      case 'logic':
        e(x.left);
        e(x.right);
        return;
      case 'cond':
        e(x.test);
        e(x.then);
        e(x.else);
        return;
      case 'assign':
        e(x.target);
        e(x.value);
        return;
      case 'incdec':
        e(x.target);
        return;
      case 'lit':
        return;
    }
  };
  const s = (x: Stmt | undefined): void => {
    if (!x) return;
    switch (x.k) {
      case 'decl':
        for (const v of x.vars) {
          e(v.init);
          declared.add(v.name);
        }
        return;
      case 'expr':
        return e(x.e);
      case 'if':
        e(x.test);
        s(x.then);
        return s(x.else);
      case 'while':
      case 'do':
        e(x.test);
        return s(x.body);
      case 'for':
        s(x.init);
        e(x.test);
        x.update.forEach(e);
        return s(x.body);
      case 'each':
        declared.add(x.name);
        e(x.iterable);
        return s(x.body);
      case 'block':
        return x.body.forEach(s);
      case 'return':
      case 'throw':
        return e(x.e);
      default:
        return;
    }
  };
  stmts.forEach(s);
  return out;
}
