import type { Analyzer, FieldInfo } from '../../contract.js';
import { FIELD_TYPES } from '../../contract.js';
import { whitespaceKeywordAnalyzer } from '../../analysis/chain-analyzer.js';
import { EngineError, unsupported } from '../../errors.js';
import { compileDateFormat, compileInstantFormat, DEFAULT_DATE_FORMAT, DEFAULT_DATE_NANOS_FORMAT } from './date-format.js';
import { toNanos } from '../../date-nanos.js';
import type { AliasMapper, DynamicMode, FieldMapper, LeafType, Mapper, MapperContext, ObjectMapper } from './mapper-types.js';
import { DYNAMIC_MODES } from './mapper-types.js';
import { javaString, mapperParsing } from './mapping-errors.js';
import { parseContextMappings } from './completion-contexts.js';
import { FLATTENED_PARAMS, checkFlattenedJson, checkFlattenedParams } from './flattened-field.js';
import { FLOAT_MIN_NORMAL, javaFloatText, parseFeatureFloat } from '../../rank-feature.js';
import { DENSE_VECTOR_PARAMS, denseVectorSpec } from './dense-vector.js';
import { JOIN_PARAMS, parseRelations } from './join-field.js';
import { saytRoot, saytSubfields } from './search-as-you-type-field.js';
import { indexTimeScript } from './index-time-script.js';

const COMMON = ['type', 'index', 'doc_values', 'store', 'meta', 'copy_to', 'fields', 'null_value'];
const NUMERIC = [...COMMON, 'coerce', 'ignore_malformed', 'time_series_metric', 'on_script_error', 'script'];

/** Parameters each leaf type accepts; anything else is `unknown parameter [x] on mapper [f] of type [t]`. */
const PARAMS: Record<LeafType, readonly string[]> = {
  text: [
    ...COMMON.filter((p) => p !== 'doc_values' && p !== 'null_value'),
    'analyzer',
    'search_analyzer',
    'search_quote_analyzer',
    'position_increment_gap',
    'norms',
    'index_options',
    'fielddata',
    'fielddata_frequency_filter',
    'eager_global_ordinals',
    'similarity',
    'term_vector',
    'index_phrases',
    'index_prefixes',
  ],
  keyword: [
    ...COMMON,
    'ignore_above',
    'normalizer',
    'eager_global_ordinals',
    'index_options',
    'norms',
    'similarity',
    'split_queries_on_whitespace',
    'time_series_dimension',
  ],
  long: NUMERIC,
  integer: NUMERIC,
  short: NUMERIC,
  byte: NUMERIC,
  double: NUMERIC,
  float: NUMERIC,
  half_float: NUMERIC,
  unsigned_long: NUMERIC,
  scaled_float: [...NUMERIC, 'scaling_factor'],
  boolean: [...COMMON, 'ignore_malformed'],
  date: [...COMMON, 'format', 'locale', 'ignore_malformed'],
  date_nanos: [...COMMON, 'format', 'locale', 'ignore_malformed'],
  completion: [
    'type',
    'fields',
    'analyzer',
    'search_analyzer',
    'max_input_length',
    'preserve_separators',
    'preserve_position_increments',
    'contexts',
  ],
  // BinaryFieldMapper: not searchable, doc_values off by default
  binary: ['type', 'doc_values', 'store', 'meta', 'copy_to', 'fields'],
  ip: [...COMMON, 'ignore_malformed', 'script', 'on_script_error', 'time_series_dimension'],
  // TokenCountFieldMapper: an integer field holding the number of tokens its analyzer produces
  // (`copy_to` and `fields` are FieldMapper.Builder's, for every type)
  token_count: [...COMMON, 'analyzer', 'enable_position_increments'],
  // RangeFieldMapper
  integer_range: [...COMMON.filter((p) => p !== 'null_value'), 'coerce'],
  long_range: [...COMMON.filter((p) => p !== 'null_value'), 'coerce'],
  float_range: [...COMMON.filter((p) => p !== 'null_value'), 'coerce'],
  double_range: [...COMMON.filter((p) => p !== 'null_value'), 'coerce'],
  date_range: [...COMMON.filter((p) => p !== 'null_value'), 'coerce', 'format', 'locale'],
  ip_range: [...COMMON.filter((p) => p !== 'null_value'), 'coerce'],
  geo_point: [...COMMON, 'ignore_malformed', 'ignore_z_value', 'script', 'on_script_error'],
  // FlattenedFieldMapper (`fields` and `copy_to` are refused by name in flattened-field.ts)
  flattened: FLATTENED_PARAMS,
  // PercolatorFieldMapper.Builder: only `meta`
  percolator: ['type', 'meta'],
  // RankFeatureFieldMapper, RankFeaturesFieldMapper (`fields` and `copy_to` are FieldMapper.Builder's)
  rank_feature: ['type', 'positive_score_impact', 'null_value', 'meta', 'fields', 'copy_to'],
  rank_features: ['type', 'positive_score_impact', 'meta', 'fields', 'copy_to'],
  // SearchAsYouTypeFieldMapper.Builder (doc_values only as false, max_shingle_size 2..4)
  search_as_you_type: [
    ...COMMON.filter((p) => p !== 'null_value'),
    'max_shingle_size',
    'analyzer',
    'search_analyzer',
    'search_quote_analyzer',
    'similarity',
    'index_options',
    'norms',
    'term_vector',
  ],
  // MatchOnlyTextFieldMapper: meta only (the index's default analyzer, no norms, positions or doc values)
  match_only_text: ['type', 'meta', 'fields', 'copy_to'],
  // DenseVectorFieldMapper (copy_to is refused by name in dense-vector.ts)
  dense_vector: [...DENSE_VECTOR_PARAMS, 'copy_to'],
  join: JOIN_PARAMS,
  // ConstantKeywordFieldMapper: the value every document has, and meta (no multi-fields, no copy_to)
  constant_keyword: ['type', 'value', 'meta'],
};

const OBJECT_PARAMS = ['type', 'properties', 'dynamic', 'enabled', 'subobjects', 'include_in_parent', 'include_in_root'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asBool(value: unknown, name: string, field: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw mapperParsing(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed. for [${name}] of field [${field}]`);
}

export function parseDynamic(value: unknown, path: string): DynamicMode {
  const text = String(value);
  if ((DYNAMIC_MODES as readonly string[]).includes(text)) return text as DynamicMode;
  throw mapperParsing(`Could not convert [${path}.dynamic] to boolean`);
}

function analyzerNamed(ctx: MapperContext, name: unknown): Analyzer {
  const analyzer = ctx.analysis.analyzer(String(name));
  if (!analyzer) throw mapperParsing(`analyzer [${String(name)}] has not been configured in mappings`);
  return analyzer;
}

/**
 * TextFieldMapper's `index_prefixes`: min_chars (default 2) to max_chars (default 5). Prefix
 * queries of those lengths then read the hidden prefix field: the same documents and the same
 * constant score as a prefix query over the field's own terms, which is how the engine answers them.
 */
function indexPrefixes(value: unknown, path: string): { minChars: number; maxChars: number } {
  if (!isRecord(value)) throw mapperParsing(`[index_prefixes] must be an object on field [${path}]`);
  let minChars = 2;
  let maxChars = 5;
  for (const [key, v] of Object.entries(value)) {
    const n = Number(v);
    if (key === 'min_chars') minChars = n;
    else if (key === 'max_chars') maxChars = n;
    else throw mapperParsing(`unknown parameter [${key}] on mapper [${path}._index_prefix] of type [index_prefixes]`);
    if (!Number.isInteger(n)) throw mapperParsing(`[${key}] must be an integer on field [${path}], got [${String(v)}]`);
  }
  if (minChars > maxChars) throw mapperParsing(`min_chars [${minChars}] must be less than max_chars [${maxChars}]`);
  if (minChars < 1) throw mapperParsing(`min_chars [${minChars}] must be greater than zero`);
  if (maxChars >= 20) throw mapperParsing(`max_chars [${maxChars}] must be less than 20`);
  return { minChars, maxChars };
}

/** RankFeatureFieldMapper / RankFeaturesFieldMapper parameters: indexed as features (no doc values), null_value a positive normal float. */
function rankFeatureInfo(info: FieldInfo, params: Record<string, unknown>, path: string): void {
  info.docValues = false;
  info.positiveScoreImpact = params.positive_score_impact === undefined ? true : asBool(params.positive_score_impact, 'positive_score_impact', path);
  if (params.null_value === undefined || params.null_value === null) return;
  let value: number;
  try {
    value = parseFeatureFloat(params.null_value);
  } catch (error) {
    throw mapperParsing(error instanceof EngineError ? error.message : String(error));
  }
  if (!(value >= FLOAT_MIN_NORMAL)) {
    throw mapperParsing(
      `[null_value] must be a positive normal float for field of type [rank_feature], got ${javaFloatText(value)} which is less than the minimum positive normal float: ${javaFloatText(FLOAT_MIN_NORMAL)}`,
    );
  }
  info.featureNullValue = value;
}

/** ConstantKeywordFieldMapper's `value`: a number or a string, kept as its text; unset until a document gives it. */
function constantValue(path: string, params: Record<string, unknown>, info: FieldInfo): void {
  const value = params.value;
  if (value === undefined || value === null) {
    delete params.value;
    return;
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw mapperParsing(`Property [value] on field [${path}] must be a number or a string, but got [${javaString(value)}]`);
  }
  params.value = String(value);
  info.constantValue = String(value);
}

function buildInfo(path: string, type: LeafType, params: Record<string, unknown>, ctx: MapperContext): FieldInfo {
  if (type === 'dense_vector') {
    // a vector is one doc value (no postings); `index` only says whether knn may search it
    const vector = denseVectorSpec(path, params);
    return { path, type, indexed: false, docValues: !ctx.disabled, vector, ...(ctx.nestedPath ? { nestedPath: ctx.nestedPath } : {}) };
  }
  const indexed = !ctx.disabled && type !== 'binary' && (params.index === undefined ? true : asBool(params.index, 'index', path));
  const docValues =
    !ctx.disabled && type !== 'text' && (params.doc_values === undefined ? type !== 'binary' : asBool(params.doc_values, 'doc_values', path));
  const info: FieldInfo =
    type === 'match_only_text'
      ? { path, type: 'text', indexed, docValues: false, matchOnly: true }
      : type === 'search_as_you_type'
        ? { path, type: 'text', indexed, docValues: false }
        : { path, type, indexed, docValues };
  if (params.store !== undefined && asBool(params.store, 'store', path)) info.stored = true;
  if (params.index_options === 'offsets' || (typeof params.term_vector === 'string' && params.term_vector.includes('offsets'))) info.offsets = true;
  if (typeof params.term_vector === 'string' && params.term_vector.includes('offsets')) info.termVectorOffsets = true;
  if (ctx.nestedPath) info.nestedPath = ctx.nestedPath;
  // TypeParsers.parseSimilarity: a name the index's SimilarityService resolves (checked with the settings)
  if (params.similarity !== undefined && params.similarity !== null) info.similarity = String(params.similarity);
  if (type === 'token_count') {
    if (params.analyzer === undefined) throw mapperParsing(`Analyzer must be set for field [${path}] but wasn't.`);
    info.analyzer = analyzerNamed(ctx, params.analyzer);
    // nodeIntegerValue: a number's int value, else the text parsed as an int
    if (params.null_value !== undefined && params.null_value !== null) {
      const n = typeof params.null_value === 'number' ? Math.trunc(params.null_value) : Number(String(params.null_value));
      if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647 || (typeof params.null_value === 'string' && !/^[+-]?\d+$/.test(params.null_value))) {
        throw mapperParsing(`For input string: "${String(params.null_value)}"`);
      }
      params.null_value = n;
      info.nullTokenCount = n;
    }
    info.enablePositionIncrements =
      params.enable_position_increments === undefined ? true : asBool(params.enable_position_increments, 'enable_position_increments', path);
  }
  if (type === 'text' || type === 'match_only_text' || type === 'completion' || type === 'search_as_you_type') {
    const analyzer =
      params.analyzer !== undefined
        ? analyzerNamed(ctx, params.analyzer)
        : type === 'completion'
          ? analyzerNamed(ctx, 'simple')
          : (ctx.analysis.analyzer('default') ?? analyzerNamed(ctx, 'standard'));
    info.analyzer = analyzer;
    info.searchAnalyzer =
      params.search_analyzer !== undefined
        ? analyzerNamed(ctx, params.search_analyzer)
        : params.analyzer === undefined
          ? (ctx.analysis.analyzer('default_search') ?? analyzer)
          : analyzer;
    info.searchQuoteAnalyzer =
      params.search_quote_analyzer !== undefined ? analyzerNamed(ctx, params.search_quote_analyzer) : info.searchAnalyzer;
    if (type === 'text' && params.index_prefixes !== undefined && params.index_prefixes !== null) info.indexPrefixes = indexPrefixes(params.index_prefixes, path);
    if (type === 'text' && params.index_phrases !== undefined && asBool(params.index_phrases, 'index_phrases', path)) {
      // TextFieldMapper: the shingles need positions
      if (params.index_options === 'docs' || params.index_options === 'freqs') throw mapperParsing(`Cannot set index_phrases on field [${path}] if positions are not enabled`);
      info.indexPhrases = true;
    }
    if (type === 'text' && params.fielddata !== undefined && asBool(params.fielddata, 'fielddata', path)) info.fielddata = true;
    // TextFieldMapper: `norms: false` indexes no length norms (every length then reads as 1 in BM25)
    if (type === 'text' && params.norms !== undefined && !asBool(params.norms, 'norms', path)) info.omitNorms = true;
    if (type === 'text' && (params.index_options === 'docs' || params.index_options === 'freqs')) info.withoutPositions = params.index_options;
  }
  if (type === 'search_as_you_type') saytRoot(path, params, info);
  if (type === 'completion') {
    const maxInputLength = params.max_input_length === undefined ? 50 : Number(params.max_input_length);
    if (!Number.isInteger(maxInputLength) || maxInputLength <= 0) throw mapperParsing(`[max_input_length] must be > 0 but was [${String(params.max_input_length)}]`);
    info.completion = {
      preserveSeparators: params.preserve_separators === undefined ? true : asBool(params.preserve_separators, 'preserve_separators', path),
      preservePositionIncrements:
        params.preserve_position_increments === undefined ? true : asBool(params.preserve_position_increments, 'preserve_position_increments', path),
      maxInputLength,
    };
    if (params.contexts !== undefined) {
      const contexts = parseContextMappings(params.contexts, path);
      info.completion.contexts = contexts;
    }
  }
  if (type === 'flattened') checkFlattenedParams(path, params, info, ctx.defaultIgnoreAbove);
  if (type === 'join') {
    // ParentJoinFieldMapper: searched as a keyword of relation names, always indexed with doc values
    if (params.eager_global_ordinals !== undefined) asBool(params.eager_global_ordinals, 'eager_global_ordinals', path);
    info.join = { relations: parseRelations(params.relations, path) };
    info.type = 'keyword';
    info.indexed = true;
    info.docValues = true;
  }
  if (type === 'constant_keyword') constantValue(path, params, info);
  if (type === 'keyword') {
    if (params.normalizer !== undefined) {
      const normalizer = ctx.analysis.normalizer(String(params.normalizer));
      if (!normalizer) throw mapperParsing(`normalizer [${String(params.normalizer)}] not found for field [${path}]`);
      info.normalizer = normalizer;
    }
    // KeywordFieldMapper: full-text queries split their text on white space, then normalize each part
    if (params.split_queries_on_whitespace !== undefined && asBool(params.split_queries_on_whitespace, 'split_queries_on_whitespace', path)) {
      info.searchAnalyzer = whitespaceKeywordAnalyzer(info.normalizer);
    }
    if (params.ignore_above !== undefined) {
      info.ignoreAbove = Number(params.ignore_above);
      if (!Number.isInteger(info.ignoreAbove) || info.ignoreAbove < 0) throw mapperParsing(`[ignore_above] must be positive, got [${String(params.ignore_above)}]`);
    } else if (ctx.defaultIgnoreAbove !== undefined) info.ignoreAbove = ctx.defaultIgnoreAbove;
  }
  if (type === 'rank_feature' || type === 'rank_features') rankFeatureInfo(info, params, path);
  if (type === 'scaled_float') {
    const factor = Number(params.scaling_factor);
    if (params.scaling_factor === undefined) throw mapperParsing(`Field [scaling_factor] is required`);
    if (!Number.isFinite(factor) || factor <= 0) throw mapperParsing(`[scaling_factor] must be a positive number, got [${String(params.scaling_factor)}]`);
    info.scalingFactor = factor;
  }
  return info;
}

/** The field types Elasticsearch 8 computes with an index-time `script` (besides the numeric types). */
const SCRIPTABLE = new Set(['keyword', 'boolean', 'date', 'ip', 'geo_point', 'long', 'double']);

function buildField(name: string, path: string, json: Record<string, unknown>, ctx: MapperContext, multi: boolean): FieldMapper {
  const type = String(json.type) as LeafType;
  const allowed = PARAMS[type];
  if (type === 'flattened') checkFlattenedJson(path, json);
  for (const key of Object.keys(json)) {
    // Mapper.SYNTHETIC_SOURCE_KEEP_PARAM: keeping a field's source as given inside a synthetic source is not built
    if (key === 'synthetic_source_keep') throw unsupported(`[synthetic_source_keep] on field [${path}]`);
    // FieldMapper.Builder.parse: `boost` (deprecated in 7.x, no effect) is refused on indices created in 8.x, by the field's own name
    if (key === 'boost') throw mapperParsing(`Unknown parameter [boost] on mapper [${name}]`);
    // index-time scripts (FieldMapper's `script`): long, double, keyword, boolean, date, ip and
    // geo_point compile one (NumberType.compile of the other numeric types does not); checked below
    if ((key === 'script' || key === 'on_script_error') && SCRIPTABLE.has(type)) continue;
    if ((key === 'script' || key === 'on_script_error') && allowed.includes(key)) throw unsupported(`[${key}] on field [${path}] of type [${type}] (index-time scripts)`);
    if (!allowed.includes(key)) throw mapperParsing(`unknown parameter [${key}] on mapper [${name}] of type [${type}]`);
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) if (key !== 'type' && key !== 'fields') params[key] = value;
  const info = buildInfo(path, type, params, ctx);
  let dateFormat: string | undefined;
  let dateParser;
  if (type === 'date' || type === 'date_nanos' || type === 'date_range') {
    dateFormat = params.format !== undefined ? String(params.format) : type === 'date' ? DEFAULT_DATE_FORMAT : DEFAULT_DATE_NANOS_FORMAT;
    dateParser = compileDateFormat(dateFormat);
    info.dateFormat = dateFormat;
    if (!dateParser) throw mapperParsing(`Invalid format: [${dateFormat}]: Unknown pattern letter or unsupported date format`);
    const parser = dateParser;
    info.parseDate = (value: unknown): number => {
      const millis = typeof value === 'number' || typeof value === 'string' ? parser(value) : undefined;
      if (millis === undefined) {
        throw mapperParsing(`failed to parse date field [${String(value)}] with format [${dateFormat}]`);
      }
      return millis;
    };
    if (type === 'date_nanos') {
      const instant = compileInstantFormat(dateFormat)!;
      const format = dateFormat;
      info.parseDateNanos = (value: unknown): bigint => {
        const parsed = typeof value === 'number' || typeof value === 'string' ? instant(value) : undefined;
        if (parsed === undefined) throw mapperParsing(`failed to parse date field [${String(value)}] with format [${format}]`);
        return toNanos(parsed.millis, parsed.subMillis);
      };
    }
  }
  const multiFields = new Map<string, FieldMapper>();
  if (type === 'search_as_you_type') for (const sub of saytSubfields(info)) multiFields.set(sub.name, sub);
  if (json.fields !== undefined) {
    if (multi) throw mapperParsing(`Field [fields] is not supported on multi-field [${path}]`);
    if (!isRecord(json.fields)) throw mapperParsing(`Expected map for property [fields] on field [${path}] but got a ${typeof json.fields}`);
    for (const [subName, subJson] of Object.entries(json.fields)) {
      if (!isRecord(subJson)) throw mapperParsing(`Expected map for property [fields] on field [${subName}]`);
      const sub = buildMapper(subName, `${path}.${subName}`, subJson, ctx, true);
      if (sub.kind !== 'field') throw mapperParsing(`Type [${sub.type}] cannot be used in multi field`);
      multiFields.set(subName, sub);
    }
  }
  const copyTo = params.copy_to === undefined ? [] : Array.isArray(params.copy_to) ? params.copy_to.map(String) : [String(params.copy_to)];
  if (copyTo.length > 0) info.copyTo = copyTo;
  if (SCRIPTABLE.has(type) && (params.script !== undefined || params.on_script_error !== undefined)) {
    const script = indexTimeScript(path, params, { multiFields: isRecord(json.fields) && Object.keys(json.fields).length > 0, copyTo, multi, nestedPath: ctx.nestedPath });
    if (script) info.indexScript = script;
  }
  return {
    kind: 'field',
    name,
    path,
    type,
    params,
    info,
    copyTo,
    multiFields,
    // FieldMapper.IGNORE_MALFORMED_SETTING, NumberFieldMapper.COERCE_SETTING: the index's default for the types that take the parameter
    coerce: params.coerce === undefined ? PARAMS[type].includes('coerce') && (ctx.defaultCoerce ?? true) : asBool(params.coerce, 'coerce', path),
    ignoreMalformed: params.ignore_malformed === undefined ? PARAMS[type].includes('ignore_malformed') && (ctx.defaultIgnoreMalformed ?? false) : asBool(params.ignore_malformed, 'ignore_malformed', path),
    nullValue: params.null_value ?? undefined,
    dateFormat,
    dateParser,
    indexed: info.indexed,
  };
}

function buildObject(name: string, path: string, json: Record<string, unknown>, ctx: MapperContext): ObjectMapper {
  const type = json.type === 'nested' ? 'nested' : 'object';
  for (const key of Object.keys(json)) {
    if (key === 'synthetic_source_keep') throw unsupported(`[synthetic_source_keep] on object [${path}]`);
    if (!OBJECT_PARAMS.includes(key)) throw mapperParsing(`unknown parameter [${key}] on mapper [${path}] of type [${type}]`);
  }
  const includes = type === 'nested' ? nestedIncludes(name, json, ctx) : undefined;
  if (type === 'object') {
    // ObjectMapper.TypeParser knows neither parameter: left over, they are refused as DocumentMapperParser does
    const extra = ['include_in_parent', 'include_in_root'].filter((key) => json[key] !== undefined);
    if (extra.length > 0) throw mapperParsing(`Mapping definition for [${name}] has unsupported parameters:  [${extra.map((key) => `${key} : ${String(json[key])}`).join(', ')}]`);
  }
  const subobjects = json.subobjects === undefined ? true : asBool(json.subobjects, 'subobjects', path);
  if (!subobjects && type === 'nested') throw unsupported(`subobjects: false on the nested object [${path}]`);
  const enabled = json.enabled === undefined ? true : asBool(json.enabled, 'enabled', path);
  if (!enabled && type === 'nested') throw mapperParsing(`[enabled] parameter can't be updated for the nested mapper [${path}]`);
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) if (key !== 'properties' && key !== 'type') params[key] = value;
  const object: ObjectMapper = {
    kind: 'object',
    name,
    path,
    type,
    enabled,
    params,
    properties: new Map(),
    ...(json.dynamic !== undefined ? { dynamic: parseDynamic(json.dynamic, path) } : {}),
    ...(subobjects ? {} : { subobjects: false }),
    ...(includes ? { includeInParent: includes.parent, includeInRoot: includes.root } : {}),
  };
  const childCtx: MapperContext = {
    ...ctx,
    ...(object.dynamic !== undefined ? { dynamic: object.dynamic } : {}),
    disabled: ctx.disabled || !enabled,
    ...(includes ? { nestedPath: path, parentIncludedInRoot: includes.childrenReachRoot } : {}),
  };
  if (json.properties !== undefined) {
    if (!isRecord(json.properties)) throw mapperParsing(`Expected map for property [properties] on field [${path}]`);
    for (const [childName, childJson] of Object.entries(json.properties)) {
      if (!isRecord(childJson)) throw mapperParsing(`Expected map for property [fields] on field [${childName}] but got a class java.lang.String`);
      if (subobjects) addProperty(object, childName, childJson, childCtx);
      else addFlatProperty(object, childName, childJson, childCtx, object.dynamic ?? ctx.dynamic ?? 'true');
    }
  }
  return object;
}

/**
 * NestedObjectMapper's include_in_parent / include_in_root (TypeParser.parseNested, then
 * Builder.build): a top-level nested object included in its parent is included in the root, so its
 * include_in_root is dropped; inside a nested object whose fields reach the root, include_in_parent
 * reaches it too. `childrenReachRoot` is what the nested objects below see as their parent's.
 */
function nestedIncludes(name: string, json: Record<string, unknown>, ctx: MapperContext): { parent: boolean; root: boolean; childrenReachRoot: boolean } {
  const flag = (key: string): boolean => {
    const value = json[key];
    if (value === undefined || value === null) return false;
    // XContentMapValues.nodeBooleanValue
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw mapperParsing(`Could not convert [${name}.${key}] to boolean`);
  };
  const parent = flag('include_in_parent');
  let root = flag('include_in_root');
  let childrenReachRoot = root;
  if (ctx.nestedPath !== undefined) {
    if (ctx.parentIncludedInRoot && parent) root = false;
  } else {
    childrenReachRoot ||= parent;
    if (parent) root = false;
  }
  return { parent, root, childrenReachRoot };
}

/**
 * A property of an object with `subobjects: false`: its name is kept whole (`user.id` is one field,
 * not an object `user`), an object is auto-flattened into its leaves (`time: {properties: {max}}`
 * gives the field `time.max`), and a nested object is refused, as ObjectMapper does.
 */
function addFlatProperty(parent: ObjectMapper, name: string, json: Record<string, unknown>, ctx: MapperContext, dynamic: DynamicMode): void {
  if (name.trim() === '') throw new EngineError(400, 'illegal_argument_exception', `field name cannot be an empty string`);
  const type = json.type === undefined ? (json.properties !== undefined || (Object.keys(json).length === 1 && json.enabled !== undefined) ? 'object' : undefined) : String(json.type);
  if (type === 'nested') throw mapperParsing(`Tried to add nested object [${name}] to object [${parent.path || '_doc'}] which does not support subobjects`);
  const path = parent.path ? `${parent.path}.${name}` : name;
  if (type === 'object') {
    const failed = (reason: string): EngineError =>
      mapperParsing(`Object mapper [${path}] was found in a context where subobjects is set to false. Auto-flattening [${path}] failed because ${reason}`);
    for (const key of Object.keys(json)) {
      if (!OBJECT_PARAMS.includes(key)) throw mapperParsing(`unknown parameter [${key}] on mapper [${path}] of type [object]`);
    }
    if (json.enabled !== undefined && !asBool(json.enabled, 'enabled', path)) throw failed('the value of [enabled] is [false]');
    if (json.subobjects !== undefined && asBool(json.subobjects, 'subobjects', path)) throw failed('the value of [subobjects] is [true]');
    if (json.dynamic !== undefined) {
      const own = parseDynamic(json.dynamic, path);
      if (own !== dynamic) throw failed(`the value of [dynamic] (${own.toUpperCase()}) is not compatible with the value from its parent context (${dynamic.toUpperCase()})`);
    }
    if (json.properties !== undefined && !isRecord(json.properties)) throw mapperParsing(`Expected map for property [properties] on field [${path}]`);
    for (const [childName, childJson] of Object.entries((json.properties ?? {}) as Record<string, unknown>)) {
      if (!isRecord(childJson)) throw mapperParsing(`Expected map for property [fields] on field [${childName}] but got a class java.lang.String`);
      addFlatProperty(parent, `${name}.${childName}`, childJson, ctx, dynamic);
    }
    return;
  }
  parent.properties.set(name, buildMapper(name, path, json, ctx, false));
}

/** Adds `name` (possibly dotted: `user.name` means an object `user` with a field `name`). */
export function addProperty(parent: ObjectMapper, name: string, json: Record<string, unknown>, ctx: MapperContext): void {
  // ObjectMapper.TypeParser: an IllegalArgumentException (create index wraps it in "Failed to parse mapping")
  if (name.trim() === '') throw new EngineError(400, 'illegal_argument_exception', `field name cannot be an empty string`);
  const dot = name.indexOf('.');
  if (dot > 0) {
    const head = name.slice(0, dot);
    let child = parent.properties.get(head);
    const path = parent.path ? `${parent.path}.${head}` : head;
    if (!child) {
      child = buildObject(head, path, {}, ctx);
      parent.properties.set(head, child);
    }
    if (child.kind !== 'object') throw mapperParsing(`Could not dynamically add mapping for field [${path}.${name.slice(dot + 1)}]`);
    const reachRoot = child.includeInRoot === true || (child.includeInParent === true && (ctx.nestedPath === undefined || ctx.parentIncludedInRoot === true));
    addProperty(child, name.slice(dot + 1), json, { ...ctx, ...(child.type === 'nested' ? { nestedPath: child.path, parentIncludedInRoot: reachRoot } : {}) });
    return;
  }
  const path = parent.path ? `${parent.path}.${name}` : name;
  parent.properties.set(name, buildMapper(name, path, json, ctx, false));
}

/** Builds one mapper from its JSON definition. */
export function buildMapper(name: string, path: string, json: Record<string, unknown>, ctx: MapperContext, multi: boolean): Mapper {
  const type = json.type === undefined ? (json.properties !== undefined || !multi ? 'object' : undefined) : String(json.type);
  if (type === undefined) throw mapperParsing(`No type specified for field [${name}]`);
  if (type === 'object' || type === 'nested') {
    if (multi) throw mapperParsing(`Type [${type}] cannot be used in multi field`);
    return buildObject(name, path, json, ctx);
  }
  if (type === 'alias') {
    if (multi) throw mapperParsing(`Type [alias] cannot be used in multi field`);
    return buildAlias(name, path, json, ctx);
  }
  if (type === 'dense_vector' && multi) throw mapperParsing(`Field [${name}] of type [dense_vector] can't be used in multifields`);
  if (!(FIELD_TYPES as readonly string[]).includes(type)) {
    const known = ['wildcard', 'sparse_vector', 'semantic_text', 'version', 'histogram', 'geo_shape'];
    if (known.includes(type)) throw unsupported(`field type [${type}] (field [${path}])`);
    throw mapperParsing(`No handler for type [${type}] declared on field [${name}]`);
  }
  return buildField(name, path, { ...json, type }, ctx, multi);
}

/** FieldAliasMapper.TypeParser: `path` required, nothing else; the target is checked once the whole mapping is built. */
function buildAlias(name: string, path: string, json: Record<string, unknown>, ctx: MapperContext): AliasMapper {
  const target = json.path;
  if (target === undefined || target === null) throw mapperParsing(`The [path] property must be specified for field [${name}].`);
  const extra = Object.keys(json).filter((key) => key !== 'type' && key !== 'path');
  if (extra.length > 0) {
    throw mapperParsing(`Mapping definition for [${name}] has unsupported parameters:  [${extra.map((key) => `${key} : ${JSON.stringify(json[key])}`).join(', ')}]`);
  }
  return { kind: 'alias', name, path, type: 'alias', target: String(target), ...(ctx.nestedPath !== undefined ? { nestedPath: ctx.nestedPath } : {}) };
}

export function buildRoot(json: Record<string, unknown>, ctx: MapperContext): ObjectMapper {
  return buildObject('_doc', '', {
    properties: json.properties ?? {},
    ...(json.dynamic !== undefined ? { dynamic: json.dynamic } : {}),
    ...(json.subobjects !== undefined ? { subobjects: json.subobjects } : {}),
  }, ctx);
}
