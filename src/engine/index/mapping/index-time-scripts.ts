import type { FieldInfo, SegmentView, TermPostings } from '../../contract.js';
import { EngineError, unsupported } from '../../errors.js';
import type { ParsedFields } from '../parsed-document.js';
import { compilePainless } from '../../search/script/painless.js';
import type { CompiledScript } from '../../search/script/painless.js';
import type { JavaValue } from '../../search/script/java-values.js';
import { fromJson, isNumeric, javaTypeName, toDouble } from '../../search/script/java-values.js';
import { runtimeError } from '../../search/script/script-errors.js';
import type { FieldMapper } from './mapper-types.js';
import { documentParsing, mapperParsing } from './mapping-errors.js';

type Json = Record<string, unknown>;

/** AbstractFieldScript.MAX_VALUES: what one document's script may emit. */
const MAX_EMITTED_VALUES = 100;

/** A mapped field with an index-time script, compiled against the mapping. */
export interface ScriptedField {
  mapper: FieldMapper;
  script: CompiledScript;
}

/**
 * Compiles the index-time scripts of a mapping's leaves (what FieldMapper.Builder does while the
 * mapping is parsed). `doc[...]` resolves against the mapped fields only: index-time scripts do not
 * see runtime fields (MappingLookup.indexTimeLookup). A syntax error refuses the mapping; Painless
 * the engine's subset does not run is refused with a 400 naming it.
 */
export function compileIndexTimeScripts(leaves: ReadonlyMap<string, FieldMapper>): ScriptedField[] {
  const out: ScriptedField[] = [];
  const field = (path: string): FieldInfo | undefined => leaves.get(path)?.info;
  for (const mapper of leaves.values()) {
    const spec = mapper.info.indexScript;
    if (!spec) continue;
    try {
      out.push({ mapper, script: compileScript(spec.source, spec.params, field, mapper.info) });
    } catch (e) {
      if (!(e instanceof EngineError) || e.type !== 'script_exception') throw e;
      const detail = e.causedBy?.message ?? '';
      const marker = detail.indexOf(' is not supported by the indexkit embedded engine');
      if (marker >= 0) throw unsupported(`${detail.slice(0, marker)} (in the index-time script of field [${mapper.path}])`);
      throw mapperParsing('compile error', e);
    }
  }
  return out;
}

/** The script of one field as a field script context compiles it (`emit` of one value, geo_point's of two). */
export function compileScript(source: string, params: Record<string, unknown>, field: (path: string) => FieldInfo | undefined, target: FieldInfo): CompiledScript {
  const parseDate = target.type === 'date' ? target.parseDate : undefined;
  return compilePainless(source, params, field, false, { doc: true, emit: target.type === 'geo_point' ? [2] : [1], ...(parseDate ? { parseDate: (text: string) => parseDate(text) } : {}) });
}

/** One value a field script emitted, as the field type takes it: a JSON value, or epoch millis of a date. */
export type EmittedValue = { json: unknown } | { millis: number };

/**
 * Turns the arguments of one `emit(...)` call into the field's value (LongFieldScript.emit(long),
 * StringFieldScript.emit(String), GeoPointFieldScript.emit(double, double), ...).
 */
export function emittedValue(script: CompiledScript, type: string, args: readonly JavaValue[], at: number): EmittedValue {
  const v = args[0] as JavaValue;
  const cannot = (java: string, value: JavaValue = v): never => {
    throw runtimeError(script.source, at, 'class_cast_exception', `Cannot cast ${javaTypeName(value)} to ${java}`);
  };
  if (type === 'geo_point') {
    const lon = args[1] as JavaValue;
    if (!isNumeric(v)) return cannot('double');
    if (!isNumeric(lon)) return cannot('double', lon);
    return { json: { lat: toDouble(v), lon: toDouble(lon) } };
  }
  if (v.t === 'null') throw runtimeError(script.source, at, 'null_pointer_exception', 'Cannot emit a null value');
  switch (type) {
    case 'long':
      return v.t === 'int' || v.t === 'long' ? { json: Number(v.v) } : cannot('long');
    case 'date':
      // DateFieldScript.emit(long): epoch millis as they are, whatever the field's `format` parses
      return v.t === 'int' || v.t === 'long' ? { millis: Number(v.v) } : cannot('long');
    case 'double':
      return isNumeric(v) ? { json: toDouble(v) } : cannot('double');
    case 'boolean':
      return v.t === 'bool' ? { json: v.v } : cannot('boolean');
    default:
      return v.t === 'str' ? { json: v.v } : cannot('java.lang.String');
  }
}

/** What the document parser gives the scripts of one document. */
export interface IndexTimeDocument {
  /** The fields parsed so far (the scripts' `doc[...]`); a script's values are added as it runs. */
  fields: ParsedFields;
  source: Json;
  /** The values of stored fields (`store: true`), what `params._fields` reads. */
  storedValues(): Map<string, unknown[]>;
  /** Indexes a script's values into the document (all at once; throws an EngineError for a malformed one). */
  index(mapper: FieldMapper, values: readonly EmittedValue[]): void;
  /** Records a field left empty by `on_script_error: continue` in `_ignored`. */
  ignore(path: string): void;
}

/**
 * DocumentParser.executeIndexTimeScripts: runs every index-time script of the mapping on the parsed
 * document and indexes what it emits. A script reading another scripted field's `doc[...]` runs that
 * field's script first (IndexTimeScriptContext). A failing script fails the document ("Error
 * executing script on field [x]"), or with `on_script_error: continue` leaves the field empty and
 * names it in `_ignored`.
 */
export function runIndexTimeScripts(scripted: readonly ScriptedField[], doc: IndexTimeDocument): void {
  if (scripted.length === 0) return;
  const byPath = new Map(scripted.map((s) => [s.mapper.path, s]));
  const done = new Set<string>();
  const running = new Set<string>();
  const run = (field: ScriptedField): void => {
    const path = field.mapper.path;
    if (done.has(path)) return;
    if (running.has(path)) throw new EngineError(400, 'illegal_argument_exception', `Cyclic dependency detected while running the index-time script of field [${path}]`);
    running.add(path);
    try {
      const values = emit(field, doc, (name) => {
        const other = byPath.get(name);
        if (other) run(other);
      });
      doc.index(field.mapper, values);
    } catch (e) {
      if (!(e instanceof EngineError) || e.status !== 400 || e.message.startsWith('Cyclic dependency')) throw e;
      if (!field.mapper.info.indexScript?.continueOnError) throw documentParsing(`Error executing script on field [${path}]`, e);
      doc.ignore(path);
    } finally {
      running.delete(path);
      done.add(path);
    }
  };
  for (const field of scripted) run(field);
}

/** Runs one field's script on the document and returns what it emitted, in emit order. */
function emit(field: ScriptedField, doc: IndexTimeDocument, before: (name: string) => void): EmittedValue[] {
  const { mapper, script } = field;
  const spec = mapper.info.indexScript!;
  const out: EmittedValue[] = [];
  const view = new DocumentSegment(doc.fields, before);
  const readsSource = spec.source.includes('_source');
  const readsFields = spec.source.includes('_fields');
  const params = readsSource || readsFields ? fromJson({ ...spec.params, ...(readsSource ? { _source: doc.source } : {}), ...(readsFields ? { _fields: storedFieldsParam(doc.storedValues()) } : {}) }) : undefined;
  script.run({
    doc: 0,
    values: script.segmentValues(view),
    ...(params ? { params } : {}),
    emit: (args, at) => {
      if (out.length >= MAX_EMITTED_VALUES) {
        throw new EngineError(400, 'illegal_argument_exception', `Runtime field [${mapper.path}] is emitting [${out.length + 1}] values while the maximum number of values allowed is [${MAX_EMITTED_VALUES}]`);
      }
      out.push(emittedValue(script, mapper.type, args, at));
    },
  });
  return out;
}

/** LeafStoredFieldsLookup as `params._fields` shows it: each stored field's `value` and `values`. */
function storedFieldsParam(stored: Map<string, unknown[]>): Json {
  const out: Json = {};
  for (const [path, values] of stored) out[path] = { value: values[0] ?? null, values };
  return out;
}

/**
 * The document being indexed as a one-document segment, for `doc[...]` (DocumentLeafReader): doc
 * values sorted as Lucene keeps them (numbers ascending, keywords ascending and unique).
 */
class DocumentSegment implements SegmentView {
  readonly maxDoc = 1;
  constructor(
    private readonly fields: ParsedFields,
    private readonly before: (name: string) => void,
  ) {}
  numericValues(field: string): readonly number[] | undefined {
    this.before(field);
    const numbers = this.fields.get(field)?.numbers;
    return numbers ? [...numbers].sort((a, b) => a - b) : undefined;
  }
  keywordValues(field: string): readonly string[] | undefined {
    this.before(field);
    const keywords = this.fields.get(field)?.keywords;
    return keywords ? [...new Set(keywords)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : undefined;
  }
  hasField(field: string): boolean {
    this.before(field);
    return this.fields.has(field);
  }
  isLive(): boolean {
    return true;
  }
  id(): string {
    return '';
  }
  source(): Record<string, unknown> | undefined {
    return undefined;
  }
  seqNo(): number {
    return 0;
  }
  primaryTerm(): number {
    return 0;
  }
  version(): number {
    return 0;
  }
  nestedPath(): string | undefined {
    return undefined;
  }
  parentOf(doc: number): number {
    return doc;
  }
  nestedOffset(): number {
    return 0;
  }
  postings(): TermPostings | undefined {
    return undefined;
  }
  terms(): readonly string[] {
    return [];
  }
  fieldLength(): number {
    return 0;
  }
}
