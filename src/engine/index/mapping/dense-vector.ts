import type { EngineError} from '../../errors.js';
import { illegalArgument, unsupported } from '../../errors.js';
import type { ElementType, VectorSimilarity, VectorSpec } from '../../vector-spec.js';
import { ELEMENT_TYPES, VECTOR_SIMILARITIES, encodeVector, hexBytes, isNotUnitVector, javaFloatText, squaredMagnitude, vectorPreview } from '../../vector-spec.js';
import { mapperParsing } from './mapping-errors.js';

/**
 * DenseVectorFieldMapper (Elasticsearch 8.19): the mapping parameters, their defaults as the
 * mapping prints them (index: true, similarity cosine, or l2_norm for bits, index_options
 * int8_hnsw for indexed floats), the index_options types with their parameters and checks, and
 * the parsing of one document value (an array of numbers, or a hex string for byte and bit
 * vectors) with Elasticsearch's messages. The vector is kept as doc values (see vector-spec.ts);
 * the engine searches it exactly (no HNSW graph), so every index_options type is accepted and
 * answers the true nearest neighbours, which HNSW approximates.
 */

type Json = Record<string, unknown>;

export const DENSE_VECTOR_PARAMS = ['type', 'element_type', 'dims', 'index', 'similarity', 'index_options', 'meta'];

const MAX_DIMS = 4096;
const BBQ_MIN_DIMS = 64;

interface IndexType {
  /** Parameters besides `type` the options take. */
  params: readonly string[];
  floatOnly: boolean;
  /** Dimension check (int4: even; bbq: at least 64). */
  dims?: (dims: number) => string | undefined;
  /** Defaults the mapping prints. */
  defaults: Json;
}

const HNSW = ['m', 'ef_construction'];
const even = (name: string) => (dims: number) => (dims % 2 === 0 ? undefined : `${name} only supports even dimensions; provided=${dims}`);
const bbq = (name: string) => (dims: number) => (dims >= BBQ_MIN_DIMS ? undefined : `${name} does not support dimensions fewer than ${BBQ_MIN_DIMS}; provided=${dims}`);

const INDEX_TYPES: Record<string, IndexType> = {
  hnsw: { params: HNSW, floatOnly: false, defaults: { m: 16, ef_construction: 100 } },
  int8_hnsw: { params: [...HNSW, 'confidence_interval', 'rescore_vector'], floatOnly: true, defaults: { m: 16, ef_construction: 100 } },
  int4_hnsw: { params: [...HNSW, 'confidence_interval', 'rescore_vector'], floatOnly: true, dims: even('int4_hnsw'), defaults: { m: 16, ef_construction: 100, confidence_interval: 0 } },
  flat: { params: [], floatOnly: false, defaults: {} },
  int8_flat: { params: ['confidence_interval', 'rescore_vector'], floatOnly: true, defaults: {} },
  int4_flat: { params: ['confidence_interval', 'rescore_vector'], floatOnly: true, dims: even('int4_flat'), defaults: { confidence_interval: 0 } },
  bbq_hnsw: { params: [...HNSW, 'rescore_vector'], floatOnly: true, dims: bbq('bbq_hnsw'), defaults: { m: 16, ef_construction: 100, rescore_vector: { oversample: 3 } } },
  bbq_flat: { params: ['rescore_vector'], floatOnly: true, dims: bbq('bbq_flat'), defaults: { rescore_vector: { oversample: 3 } } },
};

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asBool(value: unknown, name: string, path: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw mapperParsing(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed. for [${name}] of field [${path}]`);
}

function elementTypeOf(def: Json): ElementType {
  const given = def.element_type === undefined ? 'float' : String(def.element_type);
  if (!(ELEMENT_TYPES as readonly string[]).includes(given)) throw mapperParsing(`invalid element_type [${given}]; available types are [float, byte, bit]`);
  return given as ElementType;
}

/** The definition as Elasticsearch keeps and prints it: index, similarity and index_options defaults filled in. */
export function withDenseVectorDefaults(def: Json): Json {
  const out: Json = { ...def };
  let indexed = true;
  try {
    indexed = def.index === undefined ? true : asBool(def.index, 'index', '');
  } catch {
    return def;
  }
  if (def.index === undefined) out.index = true;
  const elementType = (def.element_type ?? 'float') as string;
  if (indexed && def.similarity === undefined) out.similarity = elementType === 'bit' ? 'l2_norm' : 'cosine';
  if (indexed && def.index_options === undefined && elementType === 'float') out.index_options = { type: 'int8_hnsw', m: 16, ef_construction: 100 };
  if (isRecord(out.index_options) && typeof out.index_options.type === 'string') {
    const type = INDEX_TYPES[out.index_options.type];
    if (type) out.index_options = { type: out.index_options.type, ...type.defaults, ...out.index_options };
  }
  return out;
}

/** Whether put_mapping may change index_options `from` to `to` (IndexOptions.updatableTo). */
export function indexOptionsUpdatable(from: unknown, to: unknown): boolean {
  if (!isRecord(from) || !isRecord(to)) return from === undefined || to === undefined;
  const m = (o: Json): number => Number(o.m ?? 16);
  const [a, b] = [String(from.type), String(to.type)];
  if (JSON.stringify(from) === JSON.stringify(to)) return true;
  switch (a) {
    case 'flat':
      return true;
    case 'hnsw':
      return (['hnsw', 'int8_hnsw', 'int4_hnsw'].includes(b) && m(to) >= m(from)) || b === 'bbq_hnsw';
    case 'int8_hnsw':
      return ['int8_hnsw', 'int4_hnsw', 'bbq_hnsw'].includes(b) && m(to) >= m(from);
    case 'int4_hnsw':
      return ['int4_hnsw', 'bbq_hnsw'].includes(b) && m(to) >= m(from);
    case 'int8_flat':
      return ['int8_flat', 'hnsw', 'int8_hnsw', 'int4_hnsw', 'int4_flat', 'bbq_hnsw', 'bbq_flat'].includes(b);
    case 'int4_flat':
      return ['int4_flat', 'hnsw', 'int8_hnsw', 'int4_hnsw', 'bbq_hnsw', 'bbq_flat'].includes(b);
    case 'bbq_flat':
      return ['bbq_flat', 'bbq_hnsw'].includes(b);
    default:
      return a === b;
  }
}

function intParam(value: unknown, name: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw mapperParsing(`[${name}] must be an integer, got [${String(value)}]`);
  return Math.trunc(n);
}

function checkIndexOptions(path: string, options: unknown, elementType: ElementType, dims: number | undefined): string {
  if (!isRecord(options)) throw mapperParsing(`[index_options] must be an object on field [${path}]`);
  if (options.type === undefined || options.type === null) throw mapperParsing(`[index_options] requires field [type] to be configured`);
  const name = String(options.type);
  const type = INDEX_TYPES[name];
  if (!type) throw mapperParsing(`Unknown vector index options type [${name}] for field [${path}]`);
  const extra = Object.keys(options).filter((k) => k !== 'type' && !type.params.includes(k));
  if (extra.length > 0) {
    throw mapperParsing(`Mapping definition for [${path}] has unsupported parameters:  [${extra.map((k) => `${k} : ${JSON.stringify(options[k])}`).join(', ')}]`);
  }
  if (options.m !== undefined) intParam(options.m, 'm');
  if (options.ef_construction !== undefined) intParam(options.ef_construction, 'ef_construction');
  if (options.confidence_interval !== undefined && options.confidence_interval !== null) {
    const ci = Number(options.confidence_interval);
    if (!(ci === 0 || (ci >= 0.9 && ci <= 1))) throw illegalArgument(`confidenceInterval must be between 0.90 and 1.0 or == 0; confidenceInterval=${ci}`);
  }
  if (options.rescore_vector !== undefined && options.rescore_vector !== null) {
    const rescore = options.rescore_vector;
    if (!isRecord(rescore) || rescore.oversample === undefined) throw illegalArgument('Invalid rescore_vector value. Missing required field oversample');
    const oversample = Number(rescore.oversample);
    if (oversample < 1 && oversample !== 0) throw illegalArgument('oversample must be greater than 1 or exactly 0');
    if (oversample > 10) throw illegalArgument('oversample must be less than or equal to 10');
  }
  if (type.floatOnly && elementType !== 'float') throw illegalArgument(`[element_type] cannot be [${elementType}] when using index type [${name}]`);
  const dimsError = dims === undefined ? undefined : type.dims?.(dims);
  if (dimsError) throw illegalArgument(dimsError);
  return name;
}

/** The parameters of a dense_vector definition checked as DenseVectorFieldMapper.Builder does. */
export function denseVectorSpec(path: string, params: Json): VectorSpec {
  if (params.copy_to !== undefined) throw unsupported(`[copy_to] on the dense_vector field [${path}]`);
  const elementType = elementTypeOf(params);
  let dims: number | undefined;
  if (params.dims !== undefined && params.dims !== null) {
    if (typeof params.dims !== 'number' || !Number.isInteger(params.dims)) {
      throw mapperParsing(`Property [dims] on field [${path}] must be an integer but got [${String(params.dims)}]`);
    }
    dims = params.dims;
    const [min, max] = elementType === 'bit' ? [8, MAX_DIMS * 8] : [1, MAX_DIMS];
    if (dims < min || dims > max) throw mapperParsing(`The number of dimensions should be in the range [${min}, ${max}] but was [${dims}]`);
    if (elementType === 'bit' && dims % 8 !== 0) throw mapperParsing(`The number of dimensions for should be a multiple of 8 but was [${dims}]`);
  }
  const indexed = params.index === undefined ? true : asBool(params.index, 'index', path);
  let similarity: VectorSimilarity | undefined;
  if (params.similarity !== undefined && params.similarity !== null) {
    const given = String(params.similarity);
    if (!(VECTOR_SIMILARITIES as readonly string[]).includes(given)) {
      throw mapperParsing(`Unknown value [${given}] for field [similarity] - accepted values are [l2_norm, cosine, dot_product, max_inner_product]`);
    }
    similarity = given as VectorSimilarity;
    if (elementType === 'bit' && similarity !== 'l2_norm') throw illegalArgument(`The [l2_norm] similarity is the only supported similarity for bit vectors`);
  }
  let indexType: string | undefined;
  if (params.index_options !== undefined && params.index_options !== null) indexType = checkIndexOptions(path, params.index_options, elementType, dims);
  if (indexed) {
    similarity ??= elementType === 'bit' ? 'l2_norm' : 'cosine';
  } else {
    if (params.similarity !== undefined && params.similarity !== null) {
      throw illegalArgument('Field [similarity] can only be specified for a field of type [dense_vector] when it is indexed');
    }
    if (indexType !== undefined) throw illegalArgument('Field [index_options] can only be specified for a field of type [dense_vector] when it is indexed');
  }
  return { elementType, indexed, ...(dims !== undefined ? { dims } : {}), ...(similarity ? { similarity } : {}), ...(indexType ? { indexType } : {}) };
}

/** The number of dimensions a first value gives (dims inferred from the first document). */
export function valueDims(spec: VectorSpec, value: unknown): number | undefined {
  if (Array.isArray(value)) return spec.elementType === 'bit' ? value.length * 8 : value.length;
  if (typeof value === 'string' && spec.elementType !== 'float') return (value.length >> 1) * (spec.elementType === 'bit' ? 8 : 1);
  return undefined;
}

/**
 * One document value of a dense_vector field (ElementType.parseKnnVector and its checks), as the
 * string the field's doc values keep. `doc` describes the document (`document with id '1'`).
 */
export function parseVectorValue(spec: VectorSpec, path: string, value: unknown, doc: string): string {
  const dims = spec.dims as number;
  const exceeded = (): EngineError =>
    illegalArgument(`The [dense_vector] field [${path}] in doc [${doc}] has more dimensions than defined in the mapping [${dims}]`);
  const mismatch = (n: number): EngineError =>
    illegalArgument(`The [dense_vector] field [${path}] in doc [${doc}] has a different number of dimensions [${n}] than defined in the mapping [${dims}]`);
  if (typeof value === 'string') {
    if (spec.elementType === 'float') throw illegalArgument(`Failed to parse object: expecting token of type [START_ARRAY] but found [VALUE_STRING]`);
    const bytes = hexBytes(value);
    if (!bytes) throw illegalArgument(value.length % 2 !== 0 ? 'hex string must be an even number of characters' : 'invalid hexadecimal character');
    const n = spec.elementType === 'bit' ? bytes.length * 8 : bytes.length;
    if (n !== dims) throw mismatch(n);
    if (spec.similarity === 'cosine' && squaredMagnitude(bytes) === 0) {
      throw illegalArgument(`The [cosine] similarity does not support vectors with zero magnitude.${vectorPreview(bytes, false)}`);
    }
    return encodeVector(bytes);
  }
  if (!Array.isArray(value)) throw illegalArgument(`Failed to parse object: expecting token of type [START_ARRAY] but found [${typeof value === 'number' ? 'VALUE_NUMBER' : 'START_OBJECT'}]`);
  const per = spec.elementType === 'bit' ? 8 : 1;
  if (value.length * per > dims) throw exceeded();
  for (const v of value) if (typeof v !== 'number') throw illegalArgument(`Failed to parse object: expecting token of type [VALUE_NUMBER] but found [${v === null ? 'VALUE_NULL' : typeof v === 'string' ? 'VALUE_STRING' : 'START_ARRAY'}]`);
  if (value.length * per !== dims) throw mismatch(value.length * per);
  const numbers = value as number[];
  if (spec.elementType !== 'float') {
    const bytes = new Int8Array(numbers.length);
    numbers.forEach((n, i) => {
      const f = Math.fround(n);
      if (f % 1 !== 0) throw illegalArgument(`element_type [${spec.elementType}] vectors only support non-decimal values but found decimal value [${javaFloatText(f)}] at dim [${i}];`);
      const int = Math.trunc(n);
      if (int < -128 || int > 127) throw illegalArgument(`element_type [${spec.elementType}] vectors only support integers between [-128, 127] but found [${int}] at dim [${i}];`);
      bytes[i] = int;
    });
    if (spec.elementType === 'byte' && spec.similarity === 'cosine' && squaredMagnitude(bytes) === 0) {
      throw illegalArgument(`The [cosine] similarity does not support vectors with zero magnitude.${vectorPreview(bytes, false)}`);
    }
    return encodeVector(bytes);
  }
  const vector = Float32Array.from(numbers);
  vector.forEach((f, i) => {
    if (!Number.isFinite(f)) {
      throw illegalArgument(`element_type [float] vectors do not support ${Number.isNaN(f) ? 'NaN' : 'infinite'} values but found [${Number.isNaN(f) ? 'NaN' : f > 0 ? 'Infinity' : '-Infinity'}] at dim [${i}];${vectorPreview(vector, true)}`);
    }
  });
  const sq = squaredMagnitude(vector);
  if (!Number.isFinite(sq)) throw illegalArgument(`NaN or Infinite magnitude detected, this usually means the vector values are too extreme to fit within a float.${vectorPreview(vector, true)}`);
  if (spec.similarity === 'dot_product' && isNotUnitVector(sq)) throw illegalArgument(`The [dot_product] similarity can only be used with unit-length vectors.${vectorPreview(vector, true)}`);
  if (spec.similarity === 'cosine' && Math.sqrt(sq) === 0) throw illegalArgument(`The [cosine] similarity does not support vectors with zero magnitude.${vectorPreview(vector, true)}`);
  return encodeVector(vector);
}
