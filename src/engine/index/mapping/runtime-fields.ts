import type { FieldInfo, RuntimeFieldSource } from '../../contract.js';
import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import { buildMapper } from './mapper-builder.js';
import type { FieldMapper, MapperContext } from './mapper-types.js';
import { mapperParsing } from './mapping-errors.js';
import { VALUE_CONVERTERS } from './value-parsers.js';
import { scriptJson } from './script-param.js';
import { parsePainless } from '../../search/script/painless-parser.js';

type Json = Record<string, unknown>;

/**
 * The `runtime` section of a mapping and `runtime_mappings` of a search (RuntimeField.parseRuntimeFields):
 * fields computed per document at search time by a Painless script that emits values, or, without a
 * script, read from the field's own path in `_source`. Elasticsearch 8's server types: keyword, long,
 * double, date (with `format`), boolean, ip, geo_point, composite (one script emitting a map of
 * subfields), lookup. A lookup field (values fetched from another index at fetch time) is refused.
 */
export const RUNTIME_TYPES = ['keyword', 'long', 'double', 'date', 'boolean', 'ip', 'geo_point', 'composite', 'lookup'] as const;
type RuntimeType = (typeof RUNTIME_TYPES)[number];

/** The parameters each runtime type accepts (AbstractScriptFieldType.Builder, CompositeRuntimeField). */
const PARAMS: Record<RuntimeType, readonly string[]> = {
  keyword: ['type', 'script', 'on_script_error', 'meta'],
  long: ['type', 'script', 'on_script_error', 'meta'],
  double: ['type', 'script', 'on_script_error', 'meta'],
  date: ['type', 'script', 'on_script_error', 'meta', 'format', 'locale'],
  boolean: ['type', 'script', 'on_script_error', 'meta'],
  ip: ['type', 'script', 'on_script_error', 'meta'],
  geo_point: ['type', 'script', 'on_script_error', 'meta'],
  composite: ['type', 'script', 'on_script_error', 'meta', 'fields'],
  lookup: ['type', 'target_index', 'input_field', 'target_field', 'fetch_fields', 'meta'],
};

/** A `lookup` runtime field (LookupRuntimeFieldType): per input value, the fetch_fields of the first target_index document whose target_field holds it. */
export interface LookupSpec {
  name: string;
  targetIndex: string;
  inputField: string;
  targetField: string;
  /** As the `fields` option takes them: names, or `{field, format}`. */
  fetchFields: Array<string | { field: string; format?: string }>;
}

/** LookupRuntimeFieldType.Builder's parameters and validators. */
export function parseLookupField(name: string, def: Json): LookupSpec {
  for (const key of Object.keys(def)) {
    if (!PARAMS.lookup.includes(key)) throw mapperParsing(`unknown parameter [${key}] on runtime field [${name}] of type [lookup]`);
  }
  const text = (key: string): string => {
    const v = def[key];
    if (v === undefined || v === null || v === '') throw illegalArgument(`[${key}] parameter must be specified`);
    return String(v);
  };
  const targetIndex = text('target_index');
  const inputField = text('input_field');
  if (inputField === name) throw illegalArgument(`lookup field [${name}] can't use input from itself`);
  const targetField = text('target_field');
  const raw = def.fetch_fields;
  if (!Array.isArray(raw) || raw.length === 0) throw mapperParsing('[fetch_fields] parameter must not be empty');
  const fetchFields = raw.map((v): string | { field: string; format?: string } => {
    if (typeof v === 'string') return v;
    if (isRecord(v)) {
      if (typeof v.field !== 'string') throw mapperParsing('[field] parameter of [fetch_fields] must be provided');
      return { field: v.field, ...(typeof v.format === 'string' ? { format: v.format } : {}) };
    }
    throw mapperParsing(`unexpected value [${String(v)}] for [fetch_fields] parameter`);
  });
  return { name, targetIndex, inputField, targetField, fetchFields };
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One runtime field as parsed: what GET _mapping prints, and its leaves (a composite's subfields, else itself). */
export interface RuntimeField {
  name: string;
  json: Json;
  leaves: FieldInfo[];
}

/** A runtime leaf's FieldInfo: searched as the indexed field type of the same name, marked runtime. */
function leafInfo(path: string, type: string, def: Json, script: Json | undefined, ctx: MapperContext, composite?: string, continueOnError = false): FieldInfo {
  const params: Json = { type };
  if (type === 'date' && def.format !== undefined) params.format = def.format;
  if (type === 'date' && def.locale !== undefined) params.locale = def.locale;
  const mapper = buildMapper(path, path, params, ctx, false) as FieldMapper;
  const runtime: RuntimeFieldSource = {
    type,
    ...(script ? { script: { source: String(script.source), params: isRecord(script.params) ? script.params : {} } } : {}),
    ...(composite !== undefined ? { composite } : {}),
    ...(continueOnError ? { continueOnError } : {}),
    convert: (value) => {
      const converted = VALUE_CONVERTERS[mapper.type](mapper, value);
      if (converted.kind === 'keyword' || converted.kind === 'text') return { keyword: converted.value };
      if (converted.kind === 'number') return { number: converted.value };
      throw new EngineError(400, 'illegal_argument_exception', `a runtime field of type [${type}] cannot hold [${String(value)}]`);
    },
  };
  return { ...mapper.info, path, indexed: true, docValues: true, runtime };
}

/** Parses one runtime field definition (the RuntimeField.Parser of its type). */
export function parseRuntimeField(name: string, def: unknown, ctx: MapperContext): RuntimeField {
  if (!isRecord(def)) throw mapperParsing(`Expected map for runtime field [${name}] definition but got a ${def === null ? 'null' : typeof def === 'string' ? 'java.lang.String' : Array.isArray(def) ? 'java.util.ArrayList' : 'java.lang.Object'}`);
  if (def.type === undefined) throw mapperParsing(`No type specified for runtime field [${name}]`);
  const type = String(def.type);
  if (!(RUNTIME_TYPES as readonly string[]).includes(type)) {
    throw mapperParsing(`The mapper type [${type}] declared on runtime field [${name}] does not exist. It might have been created within a future version or requires a plugin to be installed. Check the documentation.`);
  }
  const runtimeType = type as RuntimeType;
  for (const key of Object.keys(def)) {
    if (!PARAMS[runtimeType].includes(key)) throw mapperParsing(`unknown parameter [${key}] on runtime field [${name}] of type [${type}]`);
  }
  // a lookup field of a search's runtime_mappings is resolved after the fetch (rest/handlers/lookup-fields.ts);
  // in an index mapping it is not built
  if (runtimeType === 'lookup') throw unsupported(`lookup runtime field [${name}] (lookup fields are built in a search's runtime_mappings)`);
  if (def.on_script_error !== undefined && def.on_script_error !== 'fail' && def.on_script_error !== 'continue') {
    throw mapperParsing(`Failed to parse mapping: Unknown value [${String(def.on_script_error)}] for field [on_script_error] - accepted values are [fail, continue]`);
  }
  if (def.on_script_error === 'continue' && def.script === undefined) throw mapperParsing('Failed to parse mapping: Field [on_script_error] requires field [script] to be configured');
  const continueOnError = def.on_script_error === 'continue';
  if (def.meta !== undefined && !isRecord(def.meta)) throw mapperParsing(`[meta] on runtime field [${name}] must be an object`);
  const script = def.script === undefined || def.script === null ? undefined : scriptJson(def.script, `runtime field [${name}]`);
  if (script) checkParses(script);
  const json: Json = { type };
  if (def.meta !== undefined) json.meta = def.meta;
  if (runtimeType === 'composite') {
    if (!script) throw mapperParsing(`composite runtime field [${name}] must declare a [script]`);
    if (!isRecord(def.fields) || Object.keys(def.fields).length === 0) throw mapperParsing(`composite runtime field [${name}] must declare its [fields]`);
    const fieldsJson: Json = {};
    const leaves: FieldInfo[] = [];
    for (const [sub, subDef] of Object.entries(def.fields)) {
      if (!isRecord(subDef)) throw mapperParsing(`Expected map for runtime field [${sub}] definition but got a ${typeof subDef}`);
      const subType = String(subDef.type);
      if (subDef.type === undefined) throw mapperParsing(`No type specified for runtime field [${sub}]`);
      if (subType === 'composite' || subType === 'lookup' || !(RUNTIME_TYPES as readonly string[]).includes(subType)) throw mapperParsing(`Runtime field [${name}.${sub}] of type [${subType}] is not allowed in a composite field`);
      if (subDef.script !== undefined) throw mapperParsing(`Cannot use [script] parameter on sub-field [${sub}] of composite field [${name}]`);
      fieldsJson[sub] = { ...subDef };
      leaves.push(leafInfo(`${name}.${sub}`, subType, subDef, script, ctx, name, continueOnError));
    }
    json.script = script;
    if (continueOnError) json.on_script_error = 'continue';
    json.fields = fieldsJson;
    return { name, json, leaves };
  }
  if (runtimeType === 'date') {
    if (def.format !== undefined) json.format = def.format;
    if (def.locale !== undefined) json.locale = def.locale;
  }
  if (script) json.script = script;
  if (continueOnError) json.on_script_error = 'continue';
  return { name, json, leaves: [leafInfo(name, type, def, script, ctx, undefined, continueOnError)] };
}

/**
 * The script parsed as the mapping is (RuntimeField's parser compiles it): a syntax error refuses the
 * mapping. What the engine's Painless subset does not know (lambdas, arrays, regexes, classes
 * outside its java.lang / java.util / java.time subset) is refused when a search uses the field
 * instead, so a mapping that Elasticsearch accepts is never refused for it.
 */
function checkParses(script: Json): void {
  try {
    parsePainless(String(script.source));
  } catch (e) {
    if (!(e instanceof EngineError) || e.type !== 'script_exception') throw e;
    if (e.causedBy?.message.includes('is not supported by the indexkit embedded engine')) return;
    throw mapperParsing('Failed to parse mapping: compile error', e);
  }
}

/** The `runtime` object of a mapping (or `runtime_mappings` of a search): every field parsed. */
export function parseRuntimeSection(section: unknown, ctx: MapperContext, where = 'runtime'): RuntimeField[] {
  if (section === undefined || section === null) return [];
  if (!isRecord(section)) throw mapperParsing(`Expected map for property [${where}] on field [_doc] but got a ${typeof section}`);
  return Object.entries(section).map(([name, def]) => parseRuntimeField(name, def, ctx));
}

/** put-mapping: runtime fields replace those of the same name as a whole; a null removes one (RuntimeField's merge). */
export function mergeRuntimeSections(existing: unknown, incoming: unknown): Json {
  const out: Json = isRecord(existing) ? { ...existing } : {};
  if (!isRecord(incoming)) return out;
  for (const [name, def] of Object.entries(incoming)) {
    if (def === null) delete out[name];
    else out[name] = def;
  }
  return out;
}
