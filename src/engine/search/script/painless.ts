import type { FieldInfo, SegmentView } from '../../contract.js';
import type { JavaValue, NumericValue } from './java-values.js';
import { quantize } from '../../geo/geo-encoding.js';
import { JavaArithmeticError, NULL, arithmetic, castTo, compareNumbers, double, doubleToLong, float, fromJson, int, isNumeric, javaString, javaTypeName, long, toDouble } from './java-values.js';
import { JavaHashMap, equalsKey } from './java-collections.js';
import { invokeMethod, readMember, writeMember } from './painless-runtime.js';
import { PRIMITIVES, parsePainless } from './painless-parser.js';
import type { Expr, Stmt } from './painless-parser.js';
import { compileError, notSupported, runtimeError } from './script-errors.js';
import { EngineError } from '../../errors.js';
import * as MovingFunctions from './moving-functions.js';
import { MISSING_VECTOR, docVector, vectorFunction, vectorMagnitude } from './vector-functions.js';
import { scriptVector } from '../vectors/vector-values.js';
import { STATIC_CLASSES, STATIC_METHODS, dateDocValue, invokeStatic, isInstance, staticField } from './java-time-methods.js';
import type { StaticClass } from './java-time-methods.js';
import { THROWABLES, TIME_TYPES } from './painless-parser.js';
import { regexLiteral } from './regex-literal.js';
import { quotePattern } from './java-regex-methods.js';
import { decodeNanos, nanosField, nanosToMillis, subMillisNanos } from '../../date-nanos.js';

/**
 * Painless compiled once per request into closures (no eval): the statements from
 * painless-parser.ts, bound to the index mapping (the Java type of each `doc[...]` field) and to
 * the script context's variables (`params`, `doc`, `_score`, `state`, `states`), then run per
 * document or per phase. Declared variables keep their Java type (a `long` stays a long after
 * `+=` of an int); `def` values carry their runtime type. Loops are bounded as Painless bounds
 * them: one invocation may run at most 1,000,000 loop iterations' statements (each iteration
 * counts the statements of its body), past which it fails with Painless's own error.
 */

/** What a script reads for one invocation. */
export interface ScriptEnv {
  doc: number;
  /** The document's current score (`_score`); undefined where the context has none. */
  score?: number;
  /** The doc values of a field in the current segment. */
  values(field: string, doc: number): readonly JavaValue[];
  /** scripted_metric: the shard's `state` map (init, map and combine scripts). */
  state?: JavaValue;
  /** scripted_metric reduce: the list of the shards' combined results. */
  states?: JavaValue;
  /** `params` for this invocation (scripted_metric gives each shard a deep copy); else the compiled params. */
  params?: JavaValue;
  /** moving_fn: the window's values (`values`, a double[]). */
  window?: readonly number[];
  /** A runtime field script's `emit(...)`: receives the arguments of one call (`at`: its offset in the source). */
  emit?: (args: JavaValue[], at: number) => void;
  /** The analysis script context's `token` (condition, predicate_token_filter). */
  token?: ScriptToken;
  /** The similarity contexts' `weight`, `query`, `field`, `term` and `doc` (ScriptedSimilarity). */
  similarity?: SimilarityScriptVars;
}

/** What a scripted similarity's scripts read (ScriptedSimilarity's Query, Field, Term and Doc). */
export interface SimilarityScriptVars {
  /** The weight script's result (1 without one); the score script only. */
  weight: number;
  boost: number;
  docCount: number;
  sumDocFreq: number;
  sumTotalTermFreq: number;
  docFreq: number;
  totalTermFreq: number;
  /** The document's term frequency and length (the score script only). */
  freq: number;
  length: number;
}

/** Elasticsearch's AnalysisPredicateScript.Token: what an analysis script reads of one token. */
export interface ScriptToken {
  term: string;
  position: number;
  positionIncrement: number;
  positionLength: number;
  startOffset: number;
  endOffset: number;
  type: string;
  keyword: boolean;
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

/** The variables a script context provides besides `params`. */
export interface ScriptContext {
  /** `doc['field']` (search and map scripts). */
  doc?: boolean;
  /** `state` (scripted_metric init, map, combine). */
  state?: boolean;
  /** `states` (scripted_metric reduce). */
  states?: boolean;
  /** Bare names read `params` (`lang: expression` bucket scripts). */
  bare?: boolean;
  /** moving_fn (MovingFunctionScript): `values` and the MovingFunctions helpers. */
  movingFunction?: boolean;
  /** `token` (the analysis predicate context); `doc` is then absent. */
  token?: boolean;
  /** `emit(...)` (the runtime field contexts); its arity, one or two arguments (composite and geo_point take two). */
  emit?: readonly number[];
  /** The date field context's `parse(Object)` (DateFieldScript.Parse): a value's text parsed with the field's format, to epoch millis (throws an EngineError). */
  parseDate?: (text: string) => number;
  /** The similarity contexts: `score` (SimilarityScript: weight, query, field, term, doc) or `weight` (SimilarityWeightScript: query, field, term). */
  similarity?: 'score' | 'weight';
}

/** AnalysisPredicateScript.Token's getters: the property, its getter and its Java type. */
const TOKEN_GETTERS: Record<string, { getter: string; type: string; read: (t: ScriptToken) => JavaValue }> = {
  term: { getter: 'getTerm', type: 'CharSequence', read: (t) => ({ t: 'str', v: t.term, cs: true }) },
  position: { getter: 'getPosition', type: 'int', read: (t) => int(t.position) },
  positionIncrement: { getter: 'getPositionIncrement', type: 'int', read: (t) => int(t.positionIncrement) },
  positionLength: { getter: 'getPositionLength', type: 'int', read: (t) => int(t.positionLength) },
  startOffset: { getter: 'getStartOffset', type: 'int', read: (t) => int(t.startOffset) },
  endOffset: { getter: 'getEndOffset', type: 'int', read: (t) => int(t.endOffset) },
  type: { getter: 'getType', type: 'String', read: (t) => ({ t: 'str', v: t.type }) },
  keyword: { getter: 'isKeyword', type: 'boolean', read: (t) => ({ t: 'bool', v: t.keyword }) },
};

const TOKEN_CLASS = 'org.elasticsearch.analysis.common.AnalysisPredicateScript$Token';

interface SimilarityGetter {
  getter: string;
  type: string;
  read: (s: SimilarityScriptVars) => JavaValue;
}

const SIMILARITY_CLASS = 'org.elasticsearch.index.similarity.ScriptedSimilarity$';
const longOf = (n: number): JavaValue => long(BigInt(n));

/** ScriptedSimilarity's Query, Field, Term and Doc: the getters the similarity scripts read. */
const SIMILARITY_OBJECTS: Record<string, { cls: string; scoreOnly: boolean; getters: Record<string, SimilarityGetter> }> = {
  query: { cls: 'Query', scoreOnly: false, getters: { boost: { getter: 'getBoost', type: 'float', read: (s) => float(s.boost) } } },
  field: {
    cls: 'Field',
    scoreOnly: false,
    getters: {
      docCount: { getter: 'getDocCount', type: 'long', read: (s) => longOf(s.docCount) },
      sumDocFreq: { getter: 'getSumDocFreq', type: 'long', read: (s) => longOf(s.sumDocFreq) },
      sumTotalTermFreq: { getter: 'getSumTotalTermFreq', type: 'long', read: (s) => longOf(s.sumTotalTermFreq) },
    },
  },
  term: {
    cls: 'Term',
    scoreOnly: false,
    getters: {
      docFreq: { getter: 'getDocFreq', type: 'long', read: (s) => longOf(s.docFreq) },
      totalTermFreq: { getter: 'getTotalTermFreq', type: 'long', read: (s) => longOf(s.totalTermFreq) },
    },
  },
  doc: {
    cls: 'Doc',
    scoreOnly: true,
    getters: {
      length: { getter: 'getLength', type: 'int', read: (s) => int(s.length) },
      freq: { getter: 'getFreq', type: 'float', read: (s) => float(s.freq) },
    },
  },
};

/** Painless's `max_loop_counter`. */
export const MAX_LOOP_COUNTER = 1_000_000;
export const LOOP_LIMIT_MESSAGE = 'The maximum number of statements that can be executed in a loop has been reached.';

interface Frame {
  env: ScriptEnv;
  params: JavaValue;
  locals: JavaValue[];
  loops: number;
  ret: JavaValue;
}

type Ev = (f: Frame) => JavaValue;
/** 0 normal, 1 break, 2 continue, 3 return (value in frame.ret). */
type Ex = (f: Frame) => number;
const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;

/** A compiled expression and its static type (`def` when only known at run time). */
interface Typed {
  ev: Ev;
  type: string;
}

type FieldKind = 'long' | 'double' | 'float' | 'bool' | 'str' | 'date' | 'date_nanos' | 'vector' | 'geo' | 'unmapped';

const LONG_TYPES = new Set(['long', 'integer', 'short', 'byte', 'token_count']);

/** The Java type of `doc['f'].value` for a mapped field, or a refusal naming the field type. */
function fieldKind(src: string, at: number, name: string, info: FieldInfo | undefined): FieldKind {
  if (!info) return 'unmapped';
  if (!info.docValues) throw notSupported(src, at, `[doc['${name}']] on a field without doc values (type [${info.type}])`);
  if (LONG_TYPES.has(info.type)) return 'long';
  if (info.type === 'double') return 'double';
  if (info.type === 'float') return 'float';
  if (info.type === 'boolean') return 'bool';
  if (info.type === 'keyword' || info.type === 'constant_keyword') return 'str';
  if (info.type === 'dense_vector') return 'vector';
  if (info.type === 'date') return 'date';
  if (info.type === 'date_nanos') return 'date_nanos';
  if (info.type === 'geo_point') return 'geo';
  throw notSupported(src, at, `[doc['${name}']] on a field of type [${info.type}]`);
}

const STATIC_OF_KIND: Record<FieldKind, string> = { long: 'long', double: 'double', float: 'float', bool: 'boolean', str: 'String', date: 'ZonedDateTime', date_nanos: 'ZonedDateTime', vector: 'def', geo: 'def', unmapped: 'def' };

const MISSING_VALUE = "A document doesn't have a value for a field! Use doc[<field>].size()==0 to check if a document is missing a field!";

const NUMERIC_RANK: Record<string, number> = { int: 1, long: 2, float: 3, double: 4 };
const RUNTIME_TYPE: Record<string, string> = { int: 'int', long: 'long', float: 'float', double: 'double', bool: 'boolean', str: 'String', list: 'List', map: 'Map' };
const BOXED: Record<string, string> = { Integer: 'int', Long: 'long', Float: 'float', Double: 'double', Boolean: 'boolean' };
const LIST_TYPES = new Set(['List', 'ArrayList', 'Collection', 'Iterable']);
const MAP_TYPES = new Set(['Map', 'HashMap']);
const JAVA_CLASS: Record<string, string> = { int: 'int', long: 'long', float: 'float', double: 'double', boolean: 'boolean', String: 'java.lang.String', List: 'java.util.List', ArrayList: 'java.util.ArrayList', Map: 'java.util.Map', HashMap: 'java.util.HashMap' };

/** The value a declared-but-unassigned variable starts with. */
function defaultValue(type: string): JavaValue {
  switch (type) {
    case 'int':
      return int(0);
    case 'long':
      return long(0n);
    case 'float':
      return float(0);
    case 'double':
      return double(0);
    case 'boolean':
      return { t: 'bool', v: false };
    default:
      return NULL;
  }
}

/** Statements a loop iteration counts (Painless counts the statements of the loop's block). */
const statementCount = (s: Stmt): number => (s.k === 'block' ? Math.max(1, s.body.length) : 1);

/**
 * Compiles `source` with its `params` against the index mapping (`field` resolves a path).
 * `hasScore`: whether the context provides `_score` (else using it is a compile error, as ES's
 * script contexts without a score); `context`: the other variables it provides.
 */
export function compilePainless(source: string, params: Record<string, unknown>, field: (path: string) => FieldInfo | undefined, hasScore: boolean, context: ScriptContext = { doc: true }): CompiledScript {
  const tree = parsePainless(source);
  const kinds = new Map<string, FieldKind>();
  let scored = false;
  const paramsValue = fromJson(params);
  if (paramsValue === undefined) throw notSupported(source, 0, 'params holding values other than JSON');

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
    if (v.t === 'null') return fail(at, 'null_pointer_exception', `Cannot apply [${op}] to a null value`);
    return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to java.lang.Boolean for [${op}]`);
  };

  // ---- variables: one slot per declaration, scopes resolved at compile time ----
  const scopes: Array<Map<string, { slot: number; type: string }>> = [new Map()];
  let slots = 0;
  const lookup = (name: string): { slot: number; type: string } | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const v = scopes[i]?.get(name);
      if (v) return v;
    }
    return undefined;
  };
  const declare = (name: string, type: string, at: number): number => {
    if (lookup(name) || ['params', 'doc', 'state', 'states', '_score'].includes(name) || (context.similarity && ['weight', 'query', 'field', 'term'].includes(name))) {
      throw compileError(source, at, `variable [${name}] is already defined`);
    }
    if (type === 'byte' || type === 'short' || type === 'char') throw notSupported(source, at, `variables of type [${type}]`);
    const slot = slots++;
    (scopes[scopes.length - 1] as Map<string, { slot: number; type: string }>).set(name, { slot, type });
    return slot;
  };
  const scoped = <T>(fn: () => T): T => {
    scopes.push(new Map());
    try {
      return fn();
    } finally {
      scopes.pop();
    }
  };

  // ---- Java's assignment conversion: widening only, unless the value is a `def` checked at run time ----
  const staticCheck = (declared: string, from: string, at: number): void => {
    if (declared === 'def' || declared === 'Object' || from === 'def' || from === 'Object') return;
    const d = BOXED[declared] ?? declared;
    const f = BOXED[from] ?? from;
    if (from === 'null') {
      if (PRIMITIVES.has(declared)) throw runtimeCompileCast(at, `Cannot cast null to a primitive type [${declared}].`);
      return;
    }
    if (d === f) return;
    if (NUMERIC_RANK[d] !== undefined && NUMERIC_RANK[f] !== undefined) {
      if ((NUMERIC_RANK[f] as number) <= (NUMERIC_RANK[d] as number) && declared === d) return;
      throw runtimeCompileCast(at, `Cannot cast from [${JAVA_CLASS[from] ?? from}] to [${JAVA_CLASS[declared] ?? declared}].`);
    }
    if (declared === 'Number' && NUMERIC_RANK[f] !== undefined) return;
    if (LIST_TYPES.has(declared) && LIST_TYPES.has(from)) return;
    if (MAP_TYPES.has(declared) && MAP_TYPES.has(from)) return;
    throw runtimeCompileCast(at, `Cannot cast from [${JAVA_CLASS[from] ?? from}] to [${JAVA_CLASS[declared] ?? declared}].`);
  };
  const runtimeCompileCast = (at: number, reason: string) => compileError(source, at, reason, 'class_cast_exception');

  /** The value stored into a variable of `declared` type. */
  const convert = (declared: string, v: JavaValue, at: number): JavaValue => {
    if (declared === 'def' || declared === 'Object') return v;
    if (NUMERIC_RANK[declared] !== undefined) {
      if (v.t === declared) return v;
      if (v.t === 'null') return fail(at, 'null_pointer_exception', `Cannot cast null to a primitive type [${declared}]`);
      if (!isNumeric(v) || (NUMERIC_RANK[v.t] as number) > (NUMERIC_RANK[declared] as number)) return cannotCast(v, declared, at);
      return castTo(declared as 'int' | 'long' | 'float' | 'double', v);
    }
    return convertReference(declared, v, at);
  };
  const cannotCast = (v: JavaValue, declared: string, at: number): never => fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to ${JAVA_CLASS[declared] ?? declared}`);
  const convertReference = (declared: string, v: JavaValue, at: number): JavaValue => {
    const cannot = (): never => cannotCast(v, declared, at);
    if (v.t === 'null') return declared === 'boolean' ? fail(at, 'null_pointer_exception', 'Cannot cast null to a primitive type [boolean]') : v;
    const boxed = BOXED[declared];
    if (boxed !== undefined) return RUNTIME_TYPE[v.t] === boxed ? v : cannot();
    if (declared === 'boolean') return v.t === 'bool' ? v : cannot();
    if (declared === 'String') return v.t === 'str' && !v.cs ? v : cannot();
    if (declared === 'Number') return isNumeric(v) ? v : cannot();
    if (LIST_TYPES.has(declared)) return v.t === 'list' ? v : cannot();
    if (MAP_TYPES.has(declared)) return v.t === 'map' ? v : cannot();
    if (TIME_TYPES.has(declared)) return v.t === 'obj' && isInstance(v.v, declared) ? v : cannot();
    if (declared === 'Pattern') return v.t === 'pattern' ? v : cannot();
    if (declared === 'Matcher') return v.t === 'matcher' ? v : cannot();
    return v;
  };

  /** An explicit cast `(type) v`: numeric narrowing allowed. */
  const cast = (type: string, v: JavaValue, at: number): JavaValue => {
    if (NUMERIC_RANK[type] !== undefined) return castTo(type as 'int' | 'long' | 'float' | 'double', num(v, `(${type})`, at));
    return convert(type, v, at);
  };

  // ---- doc access ----
  const docField = (e: Expr): { name: string; at: number } | undefined => {
    if (!context.doc) return undefined;
    if (e.k === 'field' && e.obj.k === 'var' && e.obj.name === 'doc' && !lookup('doc')) return { name: e.name, at: e.obj.at };
    if (e.k === 'index' && e.obj.k === 'var' && e.obj.name === 'doc' && !lookup('doc')) {
      if (e.index.k !== 'lit' || e.index.value.t !== 'str') throw notSupported(source, e.index.at, 'a computed field name (only a quoted name)');
      return { name: e.index.value.v, at: e.obj.at };
    }
    return undefined;
  };
  const kindOf = (name: string, at: number): FieldKind => {
    let k = kinds.get(name);
    if (k === undefined) {
      k = fieldKind(source, at, name, field(name));
      kinds.set(name, k);
    }
    return k;
  };
  const docValues = (f: Frame, name: string, at: number): readonly JavaValue[] => {
    if (kinds.get(name) === 'unmapped') fail(at, 'illegal_argument_exception', `No field found for [${name}] in mapping`);
    return f.env.values(name, f.env.doc);
  };
  const docIndex = (name: string, index: Typed, at: number): Ev => (f) => {
    const vs = docValues(f, name, at);
    const iv = index.ev(f);
    if (iv.t !== 'int') return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(iv)} to int for a doc values index`);
    if (vs.length === 0) return fail(at, 'illegal_state_exception', MISSING_VALUE);
    const v = vs[iv.v];
    return v ?? fail(at, 'array_index_out_of_bounds_exception', `Index ${iv.v} out of bounds for length ${vs.length}`);
  };
  /** `doc['f'].member` / `.member()` / `[i]`, or undefined when `e` is not a doc access. */
  const docExpr = (e: Expr): Typed | undefined => {
    if (e.k === 'var' && e.name === 'doc' && context.doc && !lookup('doc')) throw notSupported(source, e.at, "[doc] other than doc['<field>']");
    const direct = docField(e);
    if (direct) {
      if (kindOf(direct.name, direct.at) === 'geo') throw notSupported(source, e.at, `[doc['${direct.name}']] of a geo_point field as a list (GeoPoint values)`);
      return { type: 'List', ev: (f) => ({ t: 'list', v: [...docValues(f, direct.name, e.at)] }) };
    }
    if (e.k === 'index') {
      const d = docField(e.obj);
      if (!d) return undefined;
      const kind = kindOf(d.name, d.at);
      if (kind === 'geo') throw notSupported(source, e.at, `[doc['${d.name}'][i]] of a geo_point field (GeoPoint values)`);
      return { type: STATIC_OF_KIND[kind], ev: docIndex(d.name, expr(e.index), e.at) };
    }
    if (e.k === 'field' || e.k === 'call') {
      const d = docField(e.obj);
      if (!d) {
        if (e.k === 'call' && e.obj.k === 'var' && e.obj.name === 'doc' && context.doc && !lookup('doc') && e.name === 'containsKey' && e.args.length === 1) {
          const key = expr(e.args[0] as Expr);
          return {
            type: 'boolean',
            ev: (f) => {
              const k = key.ev(f);
              return { t: 'bool', v: k.t === 'str' && field(k.v) !== undefined };
            },
          };
        }
        return undefined;
      }
      const kind = kindOf(d.name, d.at);
      const call = e.k === 'call';
      const { name } = d;
      const member = e.name;
      if (kind === 'vector') return vectorMember(name, member, call, d.at, e);
      if (kind === 'geo') return geoMember(name, member, call, d.at, e);
      if (call && member === 'get' && e.args.length === 1) return { type: STATIC_OF_KIND[kind], ev: docIndex(name, expr(e.args[0] as Expr), e.at) };
      if (call && e.args.length > 0) throw notSupported(source, e.at, `[doc['${name}'].${member}(...)]`);
      if ((member === 'value' && !call) || (member === 'getValue' && call)) {
        const at = d.at;
        return {
          type: STATIC_OF_KIND[kind],
          ev: (f) => {
            const vs = docValues(f, name, at);
            return vs.length === 0 ? fail(at, 'illegal_state_exception', MISSING_VALUE) : (vs[0] as JavaValue);
          },
        };
      }
      if ((member === 'size' && call) || (member === 'length' && !call)) return { type: 'int', ev: (f) => int(docValues(f, name, d.at).length) };
      if ((member === 'empty' && !call) || (member === 'isEmpty' && call)) return { type: 'boolean', ev: (f) => ({ t: 'bool', v: docValues(f, name, d.at).length === 0 }) };
      throw notSupported(source, e.at, `[doc['${name}'].${member}${call ? '()' : ''}]`);
    }
    return undefined;
  };

  /**
   * ScriptDocValues.GeoPoints: `lat`/`getLat()` and `lon`/`getLon()` of the first point (as indexed,
   * encoded), size and empty; GeoPoint objects (`value`, `get`) are not built.
   */
  const geoMember = (name: string, member: string, call: boolean, at: number, e: Expr): Typed => {
    const first = (f: Frame, i: 0 | 1): JavaValue => {
      const vs = docValues(f, name, at);
      if (vs.length === 0) return fail(at, 'illegal_state_exception', MISSING_VALUE);
      const point = (vs[0] as { t: 'list'; v: JavaValue[] }).v;
      return point[i] as JavaValue;
    };
    if ((member === 'lat' && !call) || (member === 'getLat' && call)) return { type: 'double', ev: (f) => first(f, 0) };
    if ((member === 'lon' && !call) || (member === 'getLon' && call)) return { type: 'double', ev: (f) => first(f, 1) };
    if ((member === 'size' && call) || (member === 'length' && !call)) return { type: 'int', ev: (f) => int(docValues(f, name, at).length) };
    if ((member === 'empty' && !call) || (member === 'isEmpty' && call)) return { type: 'boolean', ev: (f) => ({ t: 'bool', v: docValues(f, name, at).length === 0 }) };
    throw notSupported(source, e.at, `[doc['${name}'].${member}${call ? '()' : ''}] of a geo_point field`);
  };

  /** DenseVectorScriptDocValues: vectorValue, magnitude, size; `value` and `get` are refused as Elasticsearch does. */
  const vectorMember = (name: string, member: string, call: boolean, at: number, e: Expr): Typed => {
    const vector = (f: Frame): readonly JavaValue[] => {
      const vs = docValues(f, name, at);
      return vs.length === 0 ? fail(at, 'illegal_argument_exception', MISSING_VECTOR) : vs;
    };
    if ((member === 'vectorValue' && !call) || (member === 'getVectorValue' && call)) return { type: 'List', ev: (f) => ({ t: 'list', v: [...vector(f)] }) };
    if ((member === 'magnitude' && !call) || (member === 'getMagnitude' && call)) {
      const info = field(name) as FieldInfo;
      return { type: 'float', ev: (f) => float(vectorMagnitude(docVector(vector(f), info))) };
    }
    if ((member === 'size' && call) || (member === 'length' && !call)) return { type: 'int', ev: (f) => int(docValues(f, name, at).length > 0 ? 1 : 0) };
    if ((member === 'empty' && !call) || (member === 'isEmpty' && call)) return { type: 'boolean', ev: (f) => ({ t: 'bool', v: docValues(f, name, at).length === 0 }) };
    if (member === 'value' || member === 'getValue' || member === 'get') {
      return { type: 'def', ev: () => fail(at, 'unsupported_operation_exception', "accessing a vector field's value through 'get' or 'value' is not supported, use 'vectorValue' or 'magnitude' instead.") };
    }
    throw notSupported(source, e.at, `[doc['${name}'].${member}${call ? '()' : ''}]`);
  };

  // ---- expressions ----
  const equals = (a: JavaValue, b: JavaValue): boolean => {
    if (a.t === 'null' || b.t === 'null') return a.t === b.t;
    // a char compared with a char or a String constant follows Painless's char casting rules: not built
    if ((a.t === 'str' && a.ch) || (b.t === 'str' && b.ch)) throw notSupported(source, 0, '[==] on a char');
    if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b) === 0;
    return equalsKey(a) === equalsKey(b);
  };

  const arith = (op: string, a: JavaValue, b: JavaValue, at: number): JavaValue => {
    // char arithmetic (a char + an int is an int in Java) is not built: refused rather than concatenated
    if ((a.t === 'str' && a.ch) || (b.t === 'str' && b.ch)) throw notSupported(source, at, `[${op}] on a char`);
    if (op === '+' && (a.t === 'str' || b.t === 'str')) return { t: 'str', v: javaString(a) + javaString(b) };
    try {
      return arithmetic(op, num(a, op, at), num(b, op, at));
    } catch (e) {
      if (e instanceof JavaArithmeticError) return fail(at, 'arithmetic_exception', e.message);
      throw e;
    }
  };

  const binaryType = (op: string, l: string, r: string): string => {
    if (op === '+' && (l === 'String' || r === 'String')) return 'String';
    const a = NUMERIC_RANK[BOXED[l] ?? l];
    const b = NUMERIC_RANK[BOXED[r] ?? r];
    if (a === undefined || b === undefined) return 'def';
    return ['int', 'int', 'long', 'float', 'double'][Math.max(a, b)] as string;
  };

  /** Reads and writes of an assignable expression (variable, map or list member). */
  const place = (target: Expr): { type: string; get: Ev; set: (f: Frame, v: JavaValue) => JavaValue } => {
    if (target.k === 'var') {
      const v = lookup(target.name);
      if (!v) {
        if (target.name === 'params' || target.name === 'state' || target.name === 'states' || target.name === 'doc' || target.name === '_score') throw compileError(source, target.at, `cannot assign a value to [${target.name}]`);
        throw compileError(source, target.at, `cannot resolve symbol [${target.name}]`);
      }
      const { slot, type } = v;
      return {
        type,
        get: (f) => f.locals[slot] as JavaValue,
        set: (f, value) => (f.locals[slot] = convert(type, value, target.at)),
      };
    }
    if (docField(target) || ((target.k === 'field' || target.k === 'index') && docField(target.obj))) throw compileError(source, target.at, 'doc values are read-only');
    if (target.k === 'field') {
      const obj = expr(target.obj);
      const name = target.name;
      return {
        type: 'def',
        get: (f) => readMember(source, obj.ev(f), name, target.at),
        set: (f, value) => {
          writeMember(source, obj.ev(f), { t: 'str', v: name }, value, target.at, true);
          return value;
        },
      };
    }
    if (target.k === 'index') {
      const obj = expr(target.obj);
      const index = expr(target.index);
      return {
        type: 'def',
        get: (f) => invokeMethod(source, obj.ev(f), 'get', [index.ev(f)], target.at, true),
        set: (f, value) => {
          writeMember(source, obj.ev(f), index.ev(f), value, target.at, false);
          return value;
        },
      };
    }
    throw compileError(source, target.at, 'invalid assignment target');
  };

  /** `token.term` / `token.getTerm()` in the analysis context; undefined for anything else. */
  function tokenRead(obj: Expr, property: string | undefined, method: string | undefined, at: number): Typed | undefined {
    if (!context.token || obj.k !== 'var' || obj.name !== 'token' || lookup('token')) return undefined;
    const entry = Object.entries(TOKEN_GETTERS).find(([name, g]) => (property !== undefined ? name === property : g.getter === method));
    if (!entry) {
      const what = property !== undefined ? `dynamic getter [${TOKEN_CLASS}, ${property}]` : `dynamic method [${TOKEN_CLASS}, ${method ?? ''}/0]`;
      throw compileError(source, at, `${what} not found`);
    }
    const { type, read } = entry[1];
    return { type, ev: (f) => (f.env.token ? read(f.env.token) : fail(at, 'illegal_state_exception', 'no token in this script context')) };
  }

  /** `field.docCount` / `doc.getFreq()`... in the similarity contexts; undefined for anything else. */
  function similarityRead(obj: Expr, property: string | undefined, method: string | undefined, at: number): Typed | undefined {
    if (!context.similarity || obj.k !== 'var' || lookup(obj.name) || !Object.hasOwn(SIMILARITY_OBJECTS, obj.name)) return undefined;
    const object = SIMILARITY_OBJECTS[obj.name] as (typeof SIMILARITY_OBJECTS)[string];
    if (object.scoreOnly && context.similarity !== 'score') return undefined;
    const cls = SIMILARITY_CLASS + object.cls;
    const entry = Object.entries(object.getters).find(([name, g]) => (property !== undefined ? name === property : g.getter === method));
    if (!entry) {
      const what = property !== undefined ? `dynamic getter [${cls}, ${property}]` : `dynamic method [${cls}, ${method ?? ''}/0]`;
      throw compileError(source, at, `${what} not found`);
    }
    const { type, read } = entry[1];
    return { type, ev: (f) => (f.env.similarity ? read(f.env.similarity) : fail(at, 'illegal_state_exception', 'no similarity statistics in this script context')) };
  }

  /** `ChronoUnit`, `System`, ... as the receiver of a static member (unless a variable of that name hides the class). */
  function staticClass(e: Expr): StaticClass | undefined {
    if (e.k !== 'var' || lookup(e.name)) return undefined;
    return (STATIC_CLASSES as readonly string[]).includes(e.name) ? (e.name as StaticClass) : undefined;
  }

  /** The fields API: `field('name')` and `$('name', default)` (field('name').get(default)). */
  function fieldsApi(fn: string, args: Expr[], at: number): Typed {
    const arity = fn === 'field' ? 1 : 2;
    if (!context.doc || args.length !== arity) throw compileError(source, at, `Unknown call [${fn}] with [${args.length}] arguments.`);
    const nameArg = args[0] as Expr;
    if (nameArg.k !== 'lit' || nameArg.value.t !== 'str') throw notSupported(source, nameArg.at, `[${fn}(...)] with a field name other than a quoted string`);
    const name = nameArg.value.v;
    const kind = kindOf(name, at);
    if (kind === 'vector') throw notSupported(source, at, `[${fn}('${name}')] on a dense_vector field`);
    // IntegerDocValuesField (and the short and byte ones) give ints, where doc['x'] gives longs
    const int32 = ['integer', 'short', 'byte'].includes(field(name)?.type ?? '');
    const fieldKind = int32 ? 'int' : kind;
    const values = (f: Frame): JavaValue[] => {
      if (kind === 'unmapped') return [];
      const vs = f.env.values(name, f.env.doc);
      return int32 ? vs.map((v) => (isNumeric(v) ? castTo('int', v) : v)) : [...vs];
    };
    const read = (f: Frame): JavaValue => ({ t: 'field', name, kind: fieldKind, values: values(f) });
    if (fn === 'field') return { type: 'def', ev: read };
    const fallback = expr(args[1] as Expr);
    return { type: int32 ? 'int' : STATIC_OF_KIND[kind], ev: (f) => invokeMethod(source, read(f), 'get', [fallback.ev(f)], at, false) };
  }

  function expr(n: Expr): Typed {
    const at = n.at;
    const doc = docExpr(n);
    if (doc) return doc;
    switch (n.k) {
      case 'lit': {
        const v = n.value;
        return { type: v.t === 'null' ? 'null' : (RUNTIME_TYPE[v.t] ?? 'def'), ev: () => v };
      }
      case 'regex': {
        const v: JavaValue = { t: 'pattern', v: regexLiteral(source, n.pattern, n.flags, n.at) };
        return { type: 'Pattern', ev: () => v };
      }
      case 'quote': {
        const arg = expr(n.arg);
        return {
          type: 'String',
          ev: (f) => {
            const v = arg.ev(f);
            if (v.t !== 'str') return fail(at, v.t === 'null' ? 'null_pointer_exception' : 'class_cast_exception', v.t === 'null' ? 'Cannot invoke "String.indexOf(String)" because "s" is null' : `Cannot cast ${javaTypeName(v)} to java.lang.String`);
            return { t: 'str', v: quotePattern(v.v) };
          },
        };
      }
      case 'var': {
        const local = lookup(n.name);
        if (local) {
          const { slot } = local;
          return { type: local.type, ev: (f) => f.locals[slot] as JavaValue };
        }
        switch (n.name) {
          case 'params':
            return { type: 'Map', ev: (f) => f.params };
          case '_score':
            if (!hasScore) throw notSupported(source, at, '[_score] in this script context');
            scored = true;
            return { type: 'double', ev: (f) => (f.env.score === undefined || Number.isNaN(f.env.score) ? fail(at, 'illegal_state_exception', 'no score available') : double(f.env.score)) };
          case 'state':
            if (context.state) return { type: 'Map', ev: (f) => f.env.state ?? NULL };
            break;
          case 'states':
            if (context.states) return { type: 'List', ev: (f) => f.env.states ?? NULL };
            break;
          case 'ctx':
            throw notSupported(source, at, '[ctx]');
          case 'values':
            // a double[] read as a list of doubles (`values.length`, `values[i]`)
            if (context.movingFunction) return { type: 'def', ev: (f) => ({ t: 'list', v: (f.env.window ?? []).map(double) }) };
            break;
          case 'token':
            if (context.token) throw notSupported(source, at, '[token] other than reading its properties (token.term, token.position, token.getType()...)');
            break;
          case 'weight':
            if (context.similarity === 'score') return { type: 'double', ev: (f) => double(f.env.similarity?.weight ?? 1) };
            break;
          case 'query':
          case 'field':
          case 'term':
          case 'doc':
            if (context.similarity && (n.name !== 'doc' || context.similarity === 'score')) {
              throw notSupported(source, at, `[${n.name}] other than reading its properties (query.boost, field.docCount, term.docFreq, doc.freq...)`);
            }
            break;
        }
        if (context.bare) {
          const key: JavaValue = { t: 'str', v: n.name };
          return { type: 'def', ev: (f) => (f.params.t === 'map' ? (f.params.v.get(key) ?? NULL) : NULL) };
        }
        if (PRIMITIVES.has(n.name) || ['def', 'String', 'List', 'Map', 'ArrayList', 'HashMap'].includes(n.name)) throw compileError(source, at, `unexpected type [${n.name}] in an expression`);
        throw compileError(source, at, `cannot resolve symbol [${n.name}]`);
      }
      case 'field': {
        const cls = staticClass(n.obj);
        if (cls) {
          const value = staticField(cls, n.name);
          if (!value) throw notSupported(source, at, `[${cls}.${n.name}]`);
          return { type: 'def', ev: () => value };
        }
        const read = tokenRead(n.obj, n.name, undefined, at) ?? similarityRead(n.obj, n.name, undefined, at);
        if (read) return read;
        const obj = expr(n.obj);
        const name = n.name;
        return { type: 'def', ev: (f) => readMember(source, obj.ev(f), name, at) };
      }
      case 'index': {
        const obj = expr(n.obj);
        const index = expr(n.index);
        return { type: 'def', ev: (f) => invokeMethod(source, obj.ev(f), 'get', [index.ev(f)], at, true) };
      }
      case 'call': {
        const read = n.args.length === 0 ? (tokenRead(n.obj, undefined, n.name, at) ?? similarityRead(n.obj, undefined, n.name, at)) : undefined;
        if (read) return read;
        const cls = staticClass(n.obj);
        if (cls) {
          const arities = Object.hasOwn(STATIC_METHODS[cls], n.name) ? STATIC_METHODS[cls][n.name] : undefined;
          if (!arities?.includes(n.args.length)) throw notSupported(source, at, `[${cls}.${n.name}/${n.args.length}]`);
          const statArgs = n.args.map(expr);
          const method = n.name;
          return { type: 'def', ev: (f) => invokeStatic(cls, method, statArgs.map((a) => a.ev(f)), (type, reason) => fail(at, type, reason)) };
        }
        const obj = expr(n.obj);
        const args = n.args.map(expr);
        const name = n.name;
        return { type: 'def', ev: (f) => invokeMethod(source, obj.ev(f), name, args.map((a) => a.ev(f)), at, false) };
      }
      case 'new': {
        const args = n.args.map(expr);
        if (THROWABLES.has(n.type)) {
          const cls = n.type;
          return {
            type: cls,
            ev: (f) => {
              const m = args[0]?.ev(f);
              if (m !== undefined && m.t !== 'str' && m.t !== 'null') return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(m)} to java.lang.String`);
              return { t: 'obj', v: { c: 'Throwable', cls, message: m?.t === 'str' ? m.v : null } };
            },
          };
        }
        if (n.type === 'ArrayList') {
          return {
            type: 'ArrayList',
            ev: (f) => {
              const a = args[0]?.ev(f);
              if (a === undefined || isNumeric(a)) return { t: 'list', v: [] };
              if (a.t === 'list') return { t: 'list', v: [...a.v] };
              return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(a)} to java.util.Collection`);
            },
          };
        }
        return {
          type: 'HashMap',
          ev: (f) => {
            const a = args[0]?.ev(f);
            const out: JavaValue = { t: 'map', v: new JavaHashMap() };
            if (a?.t === 'map') for (const [k, v] of a.v) out.v.set(k, v);
            else if (a !== undefined && !isNumeric(a)) return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(a)} to java.util.Map`);
            return out;
          },
        };
      }
      case 'listInit': {
        const items = n.items.map(expr);
        return { type: 'ArrayList', ev: (f) => ({ t: 'list', v: items.map((i) => i.ev(f)) }) };
      }
      case 'mapInit': {
        const entries = n.entries.map(([k, v]) => [expr(k), expr(v)] as const);
        return {
          type: 'HashMap',
          ev: (f) => {
            const m = new JavaHashMap();
            for (const [k, v] of entries) m.set(k.ev(f), v.ev(f));
            return { t: 'map', v: m };
          },
        };
      }
      case 'cast': {
        const arg = expr(n.arg);
        const type = n.type;
        if (PRIMITIVES.has(type) && (type === 'byte' || type === 'short' || type === 'char')) throw notSupported(source, at, `casts to [${type}]`);
        if (NUMERIC_RANK[type] !== undefined && arg.type !== 'def' && arg.type !== 'Object' && NUMERIC_RANK[BOXED[arg.type] ?? arg.type] === undefined) {
          throw compileError(source, at, `Cannot cast from [${JAVA_CLASS[arg.type] ?? arg.type}] to [${type}].`, 'class_cast_exception');
        }
        return { type, ev: (f) => cast(type, arg.ev(f), at) };
      }
      case 'math': {
        const args = n.args.map(expr);
        const [a, b] = args as [Typed, Typed | undefined];
        const fn = n.fn;
        const d = (e: Typed, f: Frame): number => toDouble(num(e.ev(f), `Math.${fn}`, at));
        switch (fn) {
          // Painless whitelists one overload per arity: Math's double versions (round(double) is a long)
          case 'round':
            return { type: 'long', ev: (f) => long(doubleToLong(Math.floor(d(a, f) + 0.5))) };
          case 'pow':
            return { type: 'double', ev: (f) => double(Math.pow(d(a, f), d(b as Typed, f))) };
          case 'min':
            return { type: 'double', ev: (f) => double(Math.min(d(a, f), d(b as Typed, f))) };
          case 'max':
            return { type: 'double', ev: (f) => double(Math.max(d(a, f), d(b as Typed, f))) };
          case 'abs':
            return { type: 'double', ev: (f) => double(Math.abs(d(a, f))) };
          default: {
            const fnImpl = Math[fn as 'log' | 'log10' | 'sqrt' | 'exp' | 'floor' | 'ceil'];
            return { type: 'double', ev: (f) => double(fnImpl(d(a, f))) };
          }
        }
      }
      case 'movfn': {
        if (!context.movingFunction) throw compileError(source, at, 'cannot resolve symbol [MovingFunctions]');
        const args = n.args.map(expr);
        const fn = n.fn;
        const window = (f: Frame): number[] => {
          const v = (args[0] as Typed).ev(f);
          if (v.t !== 'list') return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to double[]`);
          return v.v.map((x) => toDouble(num(x, `MovingFunctions.${fn}`, at)));
        };
        const d = (i: number, f: Frame): number => toDouble(num((args[i] as Typed).ev(f), `MovingFunctions.${fn}`, at));
        return {
          type: 'double',
          ev: (f) => {
            const values = window(f);
            switch (fn) {
              case 'stdDev':
                return double(MovingFunctions.stdDev(values, d(1, f)));
              case 'ewma':
                return double(MovingFunctions.ewma(values, d(1, f)));
              case 'holt':
                return double(MovingFunctions.holt(values, d(1, f), d(2, f)));
              case 'holtWinters': {
                const period = num((args[4] as Typed).ev(f), 'MovingFunctions.holtWinters', at);
                if (period.t !== 'int') return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(period)} to int`);
                const multiplicative = bool((args[5] as Typed).ev(f), 'MovingFunctions.holtWinters', at);
                try {
                  return double(MovingFunctions.holtWinters(values, d(1, f), d(2, f), d(3, f), period.v, multiplicative));
                } catch (err) {
                  if (err instanceof RangeError) return fail(at, 'illegal_argument_exception', err.message);
                  throw err;
                }
              }
              default:
                return double(MovingFunctions[fn as 'max' | 'min' | 'sum' | 'unweightedAvg' | 'linearWeightedAvg'](values));
            }
          },
        };
      }
      case 'vfn': {
        const fieldArg = n.args[1];
        if (!hasScore || n.args.length !== 2) throw compileError(source, at, `Unknown call [${n.fn}] with [${n.args.length}] arguments.`);
        if (fieldArg?.k !== 'lit' || fieldArg.value.t !== 'str') throw notSupported(source, n.at, `[${n.fn}] with a field other than its quoted name`);
        const name = fieldArg.value.v;
        const info = field(name);
        if (info?.type !== 'dense_vector') throw notSupported(source, n.at, `[${n.fn}] on the field [${name}] of type [${info?.type ?? 'unmapped'}]`);
        kinds.set(name, 'vector');
        const query = expr(n.args[0] as Expr);
        const fn = n.fn;
        return {
          type: 'double',
          ev: (f) => {
            const vs = f.env.values(name, f.env.doc);
            if (vs.length === 0) return fail(at, 'illegal_argument_exception', MISSING_VECTOR);
            try {
              return double(vectorFunction(fn, query.ev(f), docVector(vs, info), info));
            } catch (err) {
              if (err instanceof EngineError) return fail(at, err.type, err.message);
              throw err;
            }
          },
        };
      }
      case 'fn': {
        if (n.name === 'field' || n.name === '$') return fieldsApi(n.name, n.args, at);
        const args = n.args.map(expr);
        const parseDate = context.parseDate;
        if (n.name === 'parse' && parseDate && args.length === 1) {
          const arg = args[0]!;
          return {
            type: 'long',
            ev: (f) => {
              const v = arg.ev(f);
              if (v.t === 'null') return fail(at, 'null_pointer_exception', 'Cannot invoke "Object.toString()" because "str" is null');
              try {
                return long(BigInt(parseDate(javaString(v))));
              } catch (err) {
                if (err instanceof EngineError) return fail(at, 'illegal_argument_exception', err.message);
                throw err;
              }
            },
          };
        }
        if (n.name !== 'emit' || !context.emit?.includes(args.length)) throw compileError(source, at, `Unknown call [${n.name}] with [${args.length}] arguments.`);
        return {
          type: 'void',
          ev: (f) => {
            const values = args.map((a) => a.ev(f));
            if (!f.env.emit) return fail(at, 'illegal_state_exception', 'emit is not available here');
            f.env.emit(values, at);
            return NULL;
          },
        };
      }
      case 'unary': {
        const arg = expr(n.arg);
        if (n.op === '!') return { type: 'boolean', ev: (f) => ({ t: 'bool', v: !bool(arg.ev(f), '!', at) }) };
        if (n.op === '+') return { type: arg.type, ev: (f) => num(arg.ev(f), '+', at) };
        return {
          type: arg.type,
          ev: (f) => {
            const v = num(arg.ev(f), '-', at);
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
          },
        };
      }
      case 'logic': {
        const left = expr(n.left);
        const right = expr(n.right);
        const op = n.op;
        if (op === '&&') return { type: 'boolean', ev: (f) => ({ t: 'bool', v: bool(left.ev(f), op, at) && bool(right.ev(f), op, at) }) };
        return { type: 'boolean', ev: (f) => ({ t: 'bool', v: bool(left.ev(f), op, at) || bool(right.ev(f), op, at) }) };
      }
      case 'cond': {
        const test = expr(n.test);
        const then = expr(n.then);
        const otherwise = expr(n.else);
        return { type: then.type === otherwise.type ? then.type : binaryType('*', then.type, otherwise.type), ev: (f) => (bool(test.ev(f), '?:', at) ? then.ev(f) : otherwise.ev(f)) };
      }
      case 'binary': {
        const left = expr(n.left);
        const right = expr(n.right);
        const op = n.op;
        if (op === '==' || op === '!=') {
          return {
            type: 'boolean',
            ev: (f) => {
              const eq = equals(left.ev(f), right.ev(f));
              return { t: 'bool', v: op === '==' ? eq : !eq };
            },
          };
        }
        if (op === '=~' || op === '==~') {
          // `s =~ /p/` is `/p/.matcher(s).find()`, `s ==~ /p/` is `.matches()`
          const method = op === '=~' ? 'find' : 'matches';
          return {
            type: 'boolean',
            ev: (f) => {
              const input = left.ev(f);
              const pattern = right.ev(f);
              if (pattern.t !== 'pattern') return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(pattern)} to java.util.regex.Pattern`);
              const matcher = invokeMethod(source, pattern, 'matcher', [input], at, false);
              return invokeMethod(source, matcher, method, [], at, false);
            },
          };
        }
        if (op === '<' || op === '<=' || op === '>' || op === '>=') {
          return {
            type: 'boolean',
            ev: (f) => {
              const c = compareNumbers(num(left.ev(f), op, at), num(right.ev(f), op, at));
              const v = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
              return { t: 'bool', v };
            },
          };
        }
        return { type: binaryType(op, left.type, right.type), ev: (f) => arith(op, left.ev(f), right.ev(f), at) };
      }
      case 'assign': {
        const target = place(n.target);
        const value = expr(n.value);
        if (n.op === '=') {
          if (n.target.k === 'var') staticCheck(target.type, value.type, at);
          return { type: target.type, ev: (f) => target.set(f, value.ev(f)) };
        }
        const op = n.op.slice(0, 1);
        const declared = target.type;
        return {
          type: declared,
          ev: (f) => {
            const r = arith(op, target.get(f), value.ev(f), at);
            // compound assignment casts back to the variable's type: `long x; x += 1.5` stays a long
            return target.set(f, NUMERIC_RANK[declared] !== undefined ? castTo(declared as 'int' | 'long' | 'float' | 'double', num(r, n.op, at)) : r);
          },
        };
      }
      case 'incdec': {
        const target = place(n.target);
        const op = n.op === '++' ? '+' : '-';
        const declared = target.type;
        const prefix = n.prefix;
        return {
          type: declared,
          ev: (f) => {
            const old = num(target.get(f), n.op, at);
            const r = arith(op, old, int(1), at) as NumericValue;
            const stored = target.set(f, NUMERIC_RANK[declared] !== undefined ? castTo(declared as 'int' | 'long' | 'float' | 'double', r) : castTo(old.t, r));
            return prefix ? stored : old;
          },
        };
      }
    }
  }

  // ---- statements ----
  const loopGuard = (count: number, at: number) => (f: Frame): void => {
    f.loops += count;
    if (f.loops > MAX_LOOP_COUNTER) fail(at, 'painless_error', LOOP_LIMIT_MESSAGE);
  };

  const block = (list: Stmt[]): Ex => {
    const body = list.map(stmt);
    return (f) => {
      for (const s of body) {
        const r = s(f);
        if (r !== NORMAL) return r;
      }
      return NORMAL;
    };
  };

  function stmt(s: Stmt): Ex {
    const at = s.at;
    switch (s.k) {
      case 'empty':
        return () => NORMAL;
      case 'block':
        return scoped(() => block(s.body));
      case 'expr': {
        const e = expr(s.e);
        return (f) => {
          e.ev(f);
          return NORMAL;
        };
      }
      case 'decl': {
        const inits = s.vars.map((v) => {
          const init = v.init ? expr(v.init) : undefined;
          if (init) staticCheck(s.type, init.type, v.at);
          const slot = declare(v.name, s.type, v.at);
          return { slot, init, at: v.at };
        });
        const type = s.type;
        const initial = defaultValue(type);
        return (f) => {
          for (const v of inits) f.locals[v.slot] = v.init ? convert(type, v.init.ev(f), v.at) : initial;
          return NORMAL;
        };
      }
      case 'if': {
        const test = expr(s.test);
        const then = scoped(() => stmt(s.then));
        const otherwise = s.else ? scoped(() => stmt(s.else as Stmt)) : undefined;
        return (f) => (bool(test.ev(f), 'if', at) ? then(f) : otherwise ? otherwise(f) : NORMAL);
      }
      case 'while': {
        const test = expr(s.test);
        const body = scoped(() => stmt(s.body));
        const guard = loopGuard(statementCount(s.body), at);
        return (f) => {
          while (bool(test.ev(f), 'while', at)) {
            guard(f);
            const r = body(f);
            if (r === BREAK) break;
            if (r === RETURN) return r;
          }
          return NORMAL;
        };
      }
      case 'do': {
        const body = scoped(() => stmt(s.body));
        const test = expr(s.test);
        const guard = loopGuard(statementCount(s.body), at);
        return (f) => {
          do {
            guard(f);
            const r = body(f);
            if (r === BREAK) break;
            if (r === RETURN) return r;
          } while (bool(test.ev(f), 'do', at));
          return NORMAL;
        };
      }
      case 'for':
        return scoped((): Ex => {
          const init = s.init ? stmt(s.init) : undefined;
          const test = s.test ? expr(s.test) : undefined;
          const update = s.update.map(expr);
          const body = scoped(() => stmt(s.body));
          const guard = loopGuard(statementCount(s.body), at);
          return (f) => {
            if (init) init(f);
            while (!test || bool(test.ev(f), 'for', at)) {
              guard(f);
              const r = body(f);
              if (r === BREAK) break;
              if (r === RETURN) return r;
              for (const u of update) u.ev(f);
            }
            return NORMAL;
          };
        });
      case 'each':
        return scoped((): Ex => {
          const iterable = expr(s.iterable);
          const slot = declare(s.name, s.type, at);
          const type = s.type;
          const body = scoped(() => stmt(s.body));
          const guard = loopGuard(statementCount(s.body), at);
          return (f) => {
            const it = iterable.ev(f);
            let items: readonly JavaValue[];
            if (it.t === 'list') items = it.v;
            else if (it.t === 'field') items = it.values;
            else if (it.t === 'map') return fail(at, 'illegal_argument_exception', 'Cannot iterate over [java.util.HashMap]: use keySet(), values() or entrySet()');
            else if (it.t === 'null') return fail(at, 'null_pointer_exception', 'Cannot iterate over a null value');
            else return fail(at, 'illegal_argument_exception', `Cannot iterate over [${javaTypeName(it)}]`);
            // the list may change while it is iterated: Java's iterator fails, so does this one
            const size = items.length;
            for (let i = 0; i < items.length; i++) {
              if (items.length !== size) return fail(at, 'concurrent_modification_exception', 'java.util.ConcurrentModificationException');
              guard(f);
              f.locals[slot] = convert(type, items[i] as JavaValue, at);
              const r = body(f);
              if (r === BREAK) break;
              if (r === RETURN) return r;
            }
            return NORMAL;
          };
        });
      case 'throw': {
        const e = expr(s.e);
        return (f) => {
          const v = e.ev(f);
          if (v.t === 'null') return fail(at, 'null_pointer_exception', 'Cannot throw a null value');
          if (v.t !== 'obj' || v.v.c !== 'Throwable') return fail(at, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to java.lang.Throwable`);
          // ElasticsearchException.getExceptionName: the class's simple name in snake case
          const type = v.v.cls.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
          return fail(at, type, v.v.message ?? 'null');
        };
      }
      case 'return': {
        const e = s.e ? expr(s.e) : undefined;
        return (f) => {
          f.ret = e ? e.ev(f) : NULL;
          return RETURN;
        };
      }
      case 'break':
        return () => BREAK;
      case 'continue':
        return () => CONTINUE;
    }
  }

  // the last statement of a script is its value when it is an expression (Painless's implicit
  // return), also as the last statement of the branches of a last `if` (Painless's LastSource)
  const lastSource = (st: Stmt): Stmt => {
    if (st.k === 'expr') return { k: 'return', e: st.e, at: st.at };
    if (st.k === 'block' && st.body.length > 0) return { ...st, body: [...st.body.slice(0, -1), lastSource(st.body[st.body.length - 1] as Stmt)] };
    if (st.k === 'if') return { ...st, then: lastSource(st.then), ...(st.else !== undefined ? { else: lastSource(st.else) } : {}) };
    return st;
  };
  const program: Stmt[] = [...tree.slice(0, -1), lastSource(tree[tree.length - 1] as Stmt)];
  const main = block(program);
  const top = slots;

  return {
    source,
    usesScore: scored,
    description: `Script{type=inline, lang='painless', idOrCode='${source}', options={}, params={${Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join(', ')}}}`,
    run(env) {
      const f: Frame = { env, params: env.params ?? paramsValue, locals: new Array<JavaValue>(top), loops: 0, ret: NULL };
      return main(f) === RETURN ? f.ret : NULL;
    },
    segmentValues(seg) {
      return (name, doc) => {
        const kind = kinds.get(name);
        if (kind === 'str') return (seg.keywordValues(name, doc) ?? []).map((v): JavaValue => ({ t: 'str', v }));
        if (kind === 'date_nanos') {
          return (seg.keywordValues(nanosField(name), doc) ?? []).map((text) => {
            const nanos = decodeNanos(text);
            return dateDocValue(nanosToMillis(nanos), subMillisNanos(nanos));
          });
        }
        if (kind === 'geo') {
          // each point as indexed (encoded), [lat, lon], in doc-value order (the encoded latitude first)
          return (seg.keywordValues(name, doc) ?? [])
            .map((text) => {
              const [lat, lon] = text.split(',').map(Number) as [number, number];
              return quantize(lat, lon);
            })
            .sort((a, b) => a.lat - b.lat || a.lon - b.lon)
            .map((p): JavaValue => ({ t: 'list', v: [double(p.lat), double(p.lon)] }));
        }
        if (kind === 'vector') {
          const info = field(name);
          const v = info ? scriptVector(seg, info, doc) : undefined;
          return v ? Array.from(v, (x) => (v instanceof Float32Array ? float(x) : int(x))) : [];
        }
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
          case 'date':
            return raw.map((v) => dateDocValue(v));
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
