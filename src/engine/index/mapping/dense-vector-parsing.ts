import { EngineError } from '../../errors.js';
import type { ParsedFields } from '../parsed-document.js';
import { emptyField } from '../parsed-document.js';
import { parseVectorValue, valueDims } from './dense-vector.js';
import type { FieldMapper } from './mapper-types.js';
import { documentParsing } from './mapping-errors.js';

type Json = Record<string, unknown>;

/** DenseVectorFieldMapper.MIN_DIMS_FOR_DYNAMIC_FLOAT_MAPPING and MAX_DIMS_COUNT. */
const DYNAMIC_MIN_DIMS = 128;
const DYNAMIC_MAX_DIMS = 4096;

/** A parse failure of a vector: DocumentParser wraps the mapper's IllegalArgumentException as `failed to parse: ...`. */
function failed(error: unknown): never {
  if (error instanceof EngineError && error.type === 'illegal_argument_exception') throw documentParsing(`failed to parse: ${error.message}`, error);
  throw error;
}

/**
 * One dense_vector value of a document (DenseVectorFieldMapper.parse): null is no value, a second
 * value in the same document is refused, a first value sets `dims` when the mapping has none (the
 * mapping update, then the document parsed again with it), and the vector is kept as the field's
 * doc value.
 */
export function indexDenseVector(
  mapper: FieldMapper,
  value: unknown,
  id: string | undefined,
  fields: ParsedFields,
  updateDims: (definition: Json) => FieldMapper | undefined,
): void {
  if (value === null || value === undefined) return;
  const doc = id === undefined ? 'document' : `document with id '${id}'`;
  let current = mapper;
  try {
    if (fields.get(mapper.path)?.keywords?.length) {
      throw new EngineError(400, 'illegal_argument_exception', `Field [${mapper.path}] of type [dense_vector] doesn't support indexing multiple values for the same field in the same document`);
    }
    const spec = mapper.info.vector;
    if (!spec) return;
    if (spec.dims === undefined) {
      const dims = valueDims(spec, value);
      if (dims === undefined) return;
      current = updateDims({ type: 'dense_vector', ...mapper.params, dims }) ?? mapper;
    }
    const encoded = parseVectorValue(current.info.vector ?? spec, current.path, value, doc);
    let field = fields.get(current.path);
    if (!field) fields.set(current.path, (field = emptyField(false, true)));
    field.keywords = [encoded];
  } catch (error) {
    failed(error);
  }
}

/** The mapping a new field gets for an array of 128 to 4,096 floats (8.11+), or undefined. */
export function dynamicDenseVector(value: unknown): Json | undefined {
  if (!Array.isArray(value) || value.length < DYNAMIC_MIN_DIMS || value.length > DYNAMIC_MAX_DIMS) return undefined;
  const first = value[0];
  // the first value makes the field a float (a JSON number with a fraction); the others are read as floats
  if (typeof first !== 'number' || Number.isInteger(first)) return undefined;
  if (!value.every((v) => typeof v === 'number')) return undefined;
  return { type: 'dense_vector', dims: value.length, index: true, similarity: 'cosine' };
}
