import type { FieldInfo, SegmentView } from '../../contract.js';
import { EngineError, unsupported } from '../../errors.js';
import { FieldAccumulator } from '../../index/segment/field-accumulator.js';
import type { FieldData } from '../../index/segment/segment-core.js';
import type { ParsedField } from '../../index/parsed-document.js';
import type { JavaValue } from '../script/java-values.js';
import { fromJson, isNumeric, javaTypeName, toDouble, toJson } from '../script/java-values.js';
import type { CompiledScript } from '../script/painless.js';
import { runtimeError } from '../script/script-errors.js';

type Json = Record<string, unknown>;

/** AbstractFieldScript.MAX_VALUES: what one document's script may emit. */
export const MAX_EMITTED_VALUES = 100;

/** Documents evaluated between two pauses of a paced evaluation. */
const SLICE = 256;

/**
 * The values a runtime field's script (or `_source`) gives one segment's documents, frozen as the
 * FieldData an indexed field of the same type would have (postings of keywords, numeric doc
 * values), so every query, aggregation, sort and fetch reads them as they read indexed values.
 * Elasticsearch evaluates the script per document a query or collector visits; here every live
 * document of the field's nested scope is evaluated once per search and segment.
 */
export interface RuntimeEvaluation {
  /** The leaves one evaluation fills: the field itself, or every subfield of a composite. */
  leaves: readonly FieldInfo[];
  /** The compiled script; undefined: values read from `_source`. */
  script?: CompiledScript;
  /** The nested path whose documents hold the field's values (undefined: top-level documents). */
  scope: string | undefined;
  /** Whether the script reads `params._source`. */
  readsSource: boolean;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** XContentMapValues.extractRawValues: the values under a dotted path, through arrays and dotted keys. */
export function extractSourceValues(source: unknown, parts: readonly string[], out: unknown[] = []): unknown[] {
  if (Array.isArray(source)) {
    for (const item of source) extractSourceValues(item, parts, out);
    return out;
  }
  if (parts.length === 0) {
    if (source !== null && source !== undefined) out.push(source);
    return out;
  }
  if (!isRecord(source)) return out;
  for (let i = 1; i <= parts.length; i++) {
    const key = parts.slice(0, i).join('.');
    if (Object.hasOwn(source, key)) extractSourceValues(source[key], parts.slice(i), out);
  }
  return out;
}

/** One document's values of every leaf of the evaluation. */
class DocValues {
  readonly values = new Map<string, Array<{ keyword?: string; number?: number }>>();
  count = 0;
  add(leaf: FieldInfo, value: { keyword?: string; number?: number }, name: string): void {
    if (++this.count > MAX_EMITTED_VALUES) {
      throw new EngineError(400, 'illegal_argument_exception', `Runtime field [${name}] is emitting [${this.count}] values while the maximum number of values allowed is [${MAX_EMITTED_VALUES}]`);
    }
    let list = this.values.get(leaf.path);
    if (!list) this.values.set(leaf.path, (list = []));
    list.push(value);
  }
}

/** An emitted value as the JSON value the field type's parser reads (emit(long), emit(String), ...). */
function emittedJson(script: CompiledScript, leaf: FieldInfo, v: JavaValue, at: number): unknown {
  const type = leaf.runtime?.type;
  const cannot = (java: string): never => {
    throw runtimeError(script.source, at, 'class_cast_exception', `Cannot cast ${javaTypeName(v)} to ${java}`);
  };
  switch (type) {
    case 'long':
    case 'date':
      if (v.t === 'int' || v.t === 'long') return Number(v.v);
      return cannot('long');
    case 'double':
      if (isNumeric(v)) return toDouble(v);
      return cannot('double');
    case 'boolean':
      if (v.t === 'bool') return v.v;
      return cannot('boolean');
    case 'keyword':
    case 'ip':
      if (v.t === 'str') return v.v;
      return cannot('java.lang.String');
    default:
      return toJson(v);
  }
}

function parsedField(values: ReadonlyArray<{ keyword?: string; number?: number }>): ParsedField {
  const keywords: string[] = [];
  const numbers: number[] = [];
  for (const v of values) {
    if (v.keyword !== undefined) keywords.push(v.keyword);
    if (v.number !== undefined) numbers.push(v.number);
  }
  return { length: 0, nextPosition: 0, indexed: true, docValues: true, ...(keywords.length > 0 ? { keywords } : {}), ...(numbers.length > 0 ? { numbers } : {}) };
}

/**
 * Evaluates a runtime field over one segment as steps that pause every 256 documents, and returns
 * the FieldData of each of its leaves. `seg` is the segment as the search sees it (its runtime
 * fields included, so a script may read another runtime field's doc values).
 */
export function* evaluateSegment(evaluation: RuntimeEvaluation, seg: SegmentView): Generator<void, Map<string, FieldData>> {
  const { leaves, script, scope } = evaluation;
  const accumulators = new Map(leaves.map((leaf) => [leaf.path, new FieldAccumulator()]));
  const byName = new Map(leaves.map((leaf) => [leaf.path, leaf]));
  const first = leaves[0] as FieldInfo;
  const composite = first.runtime?.composite;
  const name = composite ?? first.path;
  const env = script ? { doc: -1, values: script.segmentValues(seg), params: undefined as JavaValue | undefined, emit: undefined as ((args: JavaValue[], at: number) => void) | undefined } : undefined;
  const baseParams = script && evaluation.readsSource ? (first.runtime?.script?.params ?? {}) : undefined;
  let current = new DocValues();
  if (env && script) {
    env.emit = (args, at) => {
      if (composite !== undefined) {
        // CompositeFieldScript.emit(Map) or emit(String, Object): values of the named subfields
        const put = (key: JavaValue, value: JavaValue): void => {
          const leaf = key.t === 'str' ? byName.get(`${composite}.${key.v}`) : undefined;
          if (!leaf) return;
          for (const item of value.t === 'list' ? value.v : [value]) {
            if (item.t === 'null') continue;
            current.add(leaf, convertOrFail(script, leaf, toJson(item), at), name);
          }
        };
        if (args.length === 2) put(args[0] as JavaValue, args[1] as JavaValue);
        else if (args[0]?.t === 'map') for (const [k, v] of args[0].v) put(k, v);
        else throw runtimeError(script.source, at, 'class_cast_exception', `Cannot cast ${javaTypeName(args[0] as JavaValue)} to java.util.Map`);
        return;
      }
      if (first.runtime?.type === 'geo_point') {
        const [lat, lon] = args as [JavaValue, JavaValue];
        if (!isNumeric(lat) || !isNumeric(lon)) throw runtimeError(script.source, at, 'class_cast_exception', `Cannot cast ${javaTypeName(isNumeric(lat) ? lon : lat)} to double`);
        current.add(first, convertOrFail(script, first, { lat: toDouble(lat), lon: toDouble(lon) }, at), name);
        return;
      }
      const v = args[0] as JavaValue;
      if (v.t === 'null') throw runtimeError(script.source, at, 'null_pointer_exception', 'Cannot emit a null value');
      const json = emittedJson(script, first, v, at);
      // DateFieldScript.emit(long): epoch millis as they are, whatever the field's `format` parses
      current.add(first, first.runtime?.type === 'date' && typeof json === 'number' ? { number: json } : convertOrFail(script, first, json, at), name);
    };
  }
  for (let doc = 0; doc < seg.maxDoc; doc++) {
    if ((doc & (SLICE - 1)) === SLICE - 1) yield;
    if (!seg.isLive(doc) || seg.nestedPath(doc) !== scope) continue;
    current = new DocValues();
    if (env && script) {
      env.doc = doc;
      env.params = baseParams ? fromJson({ ...baseParams, _source: seg.source(doc) ?? {} }) : undefined;
      try {
        script.run(env);
      } catch (e) {
        if (!first.runtime?.continueOnError || !(e instanceof EngineError) || e.type !== 'script_exception') throw e;
        // on_script_error: continue — the document has no values; a failure after values were emitted is
        // refused rather than guessed (whether those values stay is AbstractFieldScript's internal detail)
        if (current.count > 0) throw unsupported(`[on_script_error: continue] on runtime field [${name}] whose script failed after emitting values`);
        current = new DocValues();
      }
    } else {
      for (const raw of extractSourceValues(seg.source(doc), first.path.split('.'))) {
        // AbstractScriptFieldType without a script: values of the field's type read leniently from _source
        try {
          current.add(first, (first.runtime as NonNullable<FieldInfo['runtime']>).convert(raw), name);
        } catch (e) {
          if (!(e instanceof EngineError) || e.type !== 'illegal_argument_exception' || e.message.startsWith('Runtime field')) throw e;
        }
      }
    }
    for (const [path, values] of current.values) accumulators.get(path)?.addParsed(doc, parsedField(values));
  }
  const out = new Map<string, FieldData>();
  for (const [path, acc] of accumulators) out.set(path, acc.freeze(seg.maxDoc));
  return out;
}

function convertOrFail(script: CompiledScript, leaf: FieldInfo, value: unknown, at: number): { keyword?: string; number?: number } {
  try {
    return (leaf.runtime as NonNullable<FieldInfo['runtime']>).convert(value);
  } catch (e) {
    if (e instanceof EngineError && e.status === 400 && e.type !== 'script_exception') throw runtimeError(script.source, at, e.type, e.message);
    throw e;
  }
}
