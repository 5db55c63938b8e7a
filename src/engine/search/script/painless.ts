import type { FieldInfo, SegmentView } from '../../contract.js';
import type { JavaValue, NumericValue } from './java-values.js';
import { JavaArithmeticError, NULL, arithmetic, castTo, compareNumbers, double, doubleToLong, float, fromJson, isNumeric, javaString, javaTypeName, long, toDouble } from './java-values.js';
import { parsePainless } from './painless-parser.js';
import type { Node } from './painless-parser.js';
import { notSupported, runtimeError } from './script-errors.js';

/**
 * A Painless expression compiled once per request into closures (no eval): the tree from
 * painless-parser.ts, bound to the index mapping (the Java type of each `doc[...]` field), then
 * run per document. Work per document is bounded by the size of the expression.
 */

/** What a script reads for one document. */
export interface ScriptEnv {
  doc: number;
  /** The document's current score (`_score`); undefined where the context has none. */
  score?: number;
  /** The doc values of a field in the current segment. */
  values(field: string, doc: number): readonly JavaValue[];
}

export interface CompiledScript {
  source: string;
  usesScore: boolean;
  /** Java's Script.toString, as explanations print it. */
  description: string;
  run(env: ScriptEnv): JavaValue;
  /** Doc values of the script's fields for one segment. */
  segmentValues(seg: SegmentView): (field: string, doc: number) => readonly JavaValue[];
}

type Eval = (env: ScriptEnv) => JavaValue;
type FieldKind = 'long' | 'double' | 'float' | 'bool' | 'str' | 'unmapped';

const LONG_TYPES = new Set(['long', 'integer', 'short', 'byte', 'token_count']);

/** The Java type of `doc['f'].value` for a mapped field, or a refusal naming the field type. */
function fieldKind(src: string, at: number, name: string, info: FieldInfo | undefined): FieldKind {
  if (!info) return 'unmapped';
  if (!info.docValues) throw notSupported(src, at, `[doc['${name}']] on a field without doc values (type [${info.type}])`);
  if (LONG_TYPES.has(info.type)) return 'long';
  if (info.type === 'double') return 'double';
  if (info.type === 'float') return 'float';
  if (info.type === 'boolean') return 'bool';
  if (info.type === 'keyword') return 'str';
  throw notSupported(src, at, `[doc['${name}']] on a field of type [${info.type}]`);
}

const MISSING_VALUE = "A document doesn't have a value for a field! Use doc[<field>].size()==0 to check if a document is missing a field!";

function collectFields(n: Node, out: Map<string, number>): void {
  switch (n.k) {
    case 'docValue':
    case 'docSize':
    case 'docEmpty':
      if (!out.has(n.field)) out.set(n.field, n.at);
      return;
    case 'docIndex':
      if (!out.has(n.field)) out.set(n.field, n.at);
      collectFields(n.index, out);
      return;
    case 'math':
      n.args.forEach((a) => collectFields(a, out));
      return;
    case 'cast':
    case 'unary':
      collectFields(n.arg, out);
      return;
    case 'binary':
    case 'logic':
      collectFields(n.left, out);
      collectFields(n.right, out);
      return;
    case 'cond':
      collectFields(n.test, out);
      collectFields(n.then, out);
      collectFields(n.else, out);
      return;
    default:
      return;
  }
}

const usesScore = (n: Node): boolean => {
  switch (n.k) {
    case 'score':
      return true;
    case 'docIndex':
      return usesScore(n.index);
    case 'math':
      return n.args.some(usesScore);
    case 'cast':
    case 'unary':
      return usesScore(n.arg);
    case 'binary':
    case 'logic':
      return usesScore(n.left) || usesScore(n.right);
    case 'cond':
      return usesScore(n.test) || usesScore(n.then) || usesScore(n.else);
    default:
      return false;
  }
};

/**
 * Compiles `source` with its `params` against the index mapping (`field` resolves a path).
 * `hasScore`: whether the context provides `_score` (else using it is a compile error, as ES's
 * script contexts without a score).
 */
export function compilePainless(source: string, params: Record<string, unknown>, field: (path: string) => FieldInfo | undefined, hasScore: boolean): CompiledScript {
  const tree = parsePainless(source);
  const fieldsAt = new Map<string, number>();
  collectFields(tree, fieldsAt);
  const kinds = new Map<string, FieldKind>();
  for (const [name, at] of fieldsAt) kinds.set(name, fieldKind(source, at, name, field(name)));
  const scored = usesScore(tree);
  if (scored && !hasScore) throw notSupported(source, source.indexOf('_score'), '[_score] in this script context');
  const fail = (at: number, type: string, reason: string): never => {
    throw runtimeError(source, at, type, reason);
  };

  const num = (v: JavaValue, op: string, at: number): NumericValue => {
    if (isNumeric(v)) return v;
    if (v.t === 'null') return fail(at, 'null_pointer_exception', `Cannot invoke [${op}] on a null value`);
    return fail(at, 'class_cast_exception', `Cannot apply [${op}] to type [${javaTypeName(v)}]`);
  };
  const bool = (v: JavaValue, op: string, at: number): boolean => {
    if (v.t === 'bool') return v.v;
    return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to java.lang.Boolean for [${op}]`);
  };
  const values = (env: ScriptEnv, name: string, at: number): readonly JavaValue[] => {
    if (kinds.get(name) === 'unmapped') fail(at, 'illegal_argument_exception', `No field found for [${name}] in mapping`);
    return env.values(name, env.doc);
  };

  const compile = (n: Node): Eval => {
    const at = n.at;
    switch (n.k) {
      case 'lit': {
        const v = n.value;
        return () => v;
      }
      case 'param': {
        const raw = params[n.name];
        const v = raw === undefined ? NULL : fromJson(raw);
        if (v === undefined) throw notSupported(source, at, `[params.${n.name}] holding ${Array.isArray(raw) ? 'a list' : 'an object'}`);
        return () => v;
      }
      case 'score':
        return (env) => (env.score === undefined ? fail(at, 'illegal_state_exception', 'no score available') : double(env.score));
      case 'docValue': {
        const { field: name } = n;
        return (env) => {
          const vs = values(env, name, at);
          return vs.length === 0 ? fail(at, 'illegal_state_exception', MISSING_VALUE) : (vs[0] as JavaValue);
        };
      }
      case 'docSize': {
        const { field: name } = n;
        return (env) => ({ t: 'int', v: values(env, name, at).length });
      }
      case 'docEmpty': {
        const { field: name } = n;
        return (env) => ({ t: 'bool', v: values(env, name, at).length === 0 });
      }
      case 'docIndex': {
        const { field: name } = n;
        const index = compile(n.index);
        return (env) => {
          const vs = values(env, name, at);
          const iv = index(env);
          if (iv.t !== 'int') return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(iv)} to int for a doc values index`);
          if (vs.length === 0) return fail(at, 'illegal_state_exception', MISSING_VALUE);
          const v = vs[iv.v];
          return v ?? fail(at, 'array_index_out_of_bounds_exception', `Index ${iv.v} out of bounds for length ${vs.length}`);
        };
      }
      case 'cast': {
        const arg = compile(n.arg);
        const type = n.type;
        return (env) => castTo(type, num(arg(env), `(${type})`, at));
      }
      case 'math': {
        const args = n.args.map(compile);
        const [a, b] = args as [Eval, Eval | undefined];
        const fn = n.fn;
        const d = (e: Eval, env: ScriptEnv): number => toDouble(num(e(env), `Math.${fn}`, at));
        switch (fn) {
          case 'round':
            return (env) => long(doubleToLong(Math.floor(d(a, env) + 0.5)));
          case 'pow':
            return (env) => double(Math.pow(d(a, env), d(b as Eval, env)));
          case 'min':
            return (env) => double(Math.min(d(a, env), d(b as Eval, env)));
          case 'max':
            return (env) => double(Math.max(d(a, env), d(b as Eval, env)));
          default: {
            const f = Math[fn as 'log' | 'log10' | 'sqrt' | 'exp' | 'abs' | 'floor' | 'ceil'];
            return (env) => double(f(d(a, env)));
          }
        }
      }
      case 'unary': {
        const arg = compile(n.arg);
        if (n.op === '!') return (env) => ({ t: 'bool', v: !bool(arg(env), '!', at) });
        if (n.op === '+') return (env) => num(arg(env), '+', at);
        return (env) => {
          const v = num(arg(env), '-', at);
          switch (v.t) {
            case 'int':
              return { t: 'int', v: -v.v | 0 };
            case 'long':
              return long(-v.v);
            case 'float':
              return float(-v.v);
            case 'double':
              return double(-v.v);
          }
        };
      }
      case 'logic': {
        const left = compile(n.left);
        const right = compile(n.right);
        const op = n.op;
        if (op === '&&') return (env) => ({ t: 'bool', v: bool(left(env), op, at) && bool(right(env), op, at) });
        return (env) => ({ t: 'bool', v: bool(left(env), op, at) || bool(right(env), op, at) });
      }
      case 'cond': {
        const test = compile(n.test);
        const then = compile(n.then);
        const otherwise = compile(n.else);
        return (env) => (bool(test(env), '?:', at) ? then(env) : otherwise(env));
      }
      case 'binary': {
        const left = compile(n.left);
        const right = compile(n.right);
        const op = n.op;
        if (op === '==' || op === '!=') {
          return (env) => {
            const eq = equals(left(env), right(env), op, at);
            return { t: 'bool', v: op === '==' ? eq : !eq };
          };
        }
        if (op === '<' || op === '<=' || op === '>' || op === '>=') {
          return (env) => {
            const c = compareNumbers(num(left(env), op, at), num(right(env), op, at));
            const v = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
            return { t: 'bool', v };
          };
        }
        return (env) => {
          const a = left(env);
          const b = right(env);
          if (op === '+' && (a.t === 'str' || b.t === 'str')) return { t: 'str', v: javaString(a) + javaString(b) };
          try {
            return arithmetic(op, num(a, op, at), num(b, op, at));
          } catch (e) {
            if (e instanceof JavaArithmeticError) return fail(at, 'arithmetic_exception', e.message);
            throw e;
          }
        };
      }
    }
  };

  const equals = (a: JavaValue, b: JavaValue, op: string, at: number): boolean => {
    if (a.t === 'null' || b.t === 'null') return a.t === b.t;
    if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b) === 0;
    if (a.t === 'bool' && b.t === 'bool') return a.v === b.v;
    if (a.t === 'str' && b.t === 'str') return a.v === b.v;
    return fail(at, 'class_cast_exception', `Cannot apply [${op}] to types [${javaTypeName(a)}] and [${javaTypeName(b)}]`);
  };

  const run = compile(tree);
  return {
    source,
    usesScore: scored,
    description: `Script{type=inline, lang='painless', idOrCode='${source}', options={}, params={${Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join(', ')}}}`,
    run,
    segmentValues(seg) {
      return (name, doc) => {
        const kind = kinds.get(name);
        if (kind === 'str') return (seg.keywordValues(name, doc) ?? []).map((v): JavaValue => ({ t: 'str', v }));
        const raw = seg.numericValues(name, doc) ?? [];
        switch (kind) {
          case 'long':
            return raw.map((v) => long(BigInt(Math.trunc(v))));
          case 'double':
            return raw.map(double);
          case 'float':
            return raw.map(float);
          case 'bool':
            return raw.map((v): JavaValue => ({ t: 'bool', v: v !== 0 }));
          default:
            return [];
        }
      };
    },
  };
}

/** A script's result as a number (a score), failing as ES does for a non-numeric result. */
export function numericResult(script: CompiledScript, v: JavaValue): number {
  if (isNumeric(v)) return toDouble(v);
  throw runtimeError(script.source, 0, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to java.lang.Number`);
}
