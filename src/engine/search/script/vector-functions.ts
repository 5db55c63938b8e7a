import type { FieldInfo } from '../../contract.js';
import { EngineError, illegalArgument } from '../../errors.js';
import type { Vector } from '../../vector-spec.js';
import { dotProduct, hammingDistance, squareDistance } from '../../vector-spec.js';
import type { JavaValue } from './java-values.js';
import { isNumeric, toDouble } from './java-values.js';

/**
 * The vector functions of Painless's score context (VectorScoreScriptUtils): cosineSimilarity,
 * dotProduct, l1norm, l2norm and hamming of a query vector (a list of numbers) and a document's
 * dense_vector, with Java's float arithmetic (KnnDenseVector, ByteKnnDenseVector), and the
 * `doc['v'].magnitude` they divide by. Bit vectors answer hamming and l2norm; their other
 * functions are refused with a 400.
 */

export const VECTOR_FUNCTIONS = ['cosineSimilarity', 'dotProduct', 'l1norm', 'l2norm', 'hamming'] as const;
export type VectorFunction = (typeof VECTOR_FUNCTIONS)[number];

export const MISSING_VECTOR = "A document doesn't have a value for a vector field!";

/** DenseVector.getMagnitude: (float) sqrt(dotProduct(v, v)). */
export function vectorMagnitude(v: Vector): number {
  return Math.fround(Math.sqrt(dotProduct(v, v)));
}

/** The document's vector as the values `doc['v']` holds (floats or bytes). */
export function docVector(values: readonly JavaValue[], info: FieldInfo): Vector {
  const numbers = values.map((v) => (isNumeric(v) ? toDouble(v) : 0));
  return info.vector?.elementType === 'float' ? Float32Array.from(numbers) : Int8Array.from(numbers);
}

function queryNumbers(query: JavaValue): number[] {
  if (query.t !== 'list') throw new EngineError(400, 'class_cast_exception', `Cannot cast ${query.t} to java.util.List`);
  return query.v.map((v) => {
    if (!isNumeric(v)) throw new EngineError(400, 'class_cast_exception', `Cannot cast to java.lang.Number`);
    return toDouble(v);
  });
}

/** A byte or bit query vector: each value an integer in [-128, 127] (ElementType.BYTE.checkVectorBounds). */
function byteQuery(numbers: number[], elementType: string): Int8Array {
  numbers.forEach((n, i) => {
    const f = Math.fround(n);
    if (f % 1 !== 0) throw illegalArgument(`element_type [${elementType}] vectors only support non-decimal values but found decimal value [${f}] at dim [${i}];`);
    if (f < -128 || f > 127) throw illegalArgument(`element_type [${elementType}] vectors only support integers between [-128, 127] but found [${f}] at dim [${i}];`);
  });
  return Int8Array.from(numbers);
}

/** One vector function of the query vector and the document's vector, as a double. */
export function vectorFunction(fn: VectorFunction, query: JavaValue, doc: Vector, info: FieldInfo): number {
  const spec = info.vector;
  if (!spec) throw illegalArgument(`Field [${info.path}] of type [${info.type}] is not a dense_vector field`);
  const numbers = queryNumbers(query);
  const bits = spec.elementType === 'bit';
  const dims = bits ? doc.length * 8 : doc.length;
  const given = bits ? numbers.length * 8 : numbers.length;
  if (given !== dims) throw illegalArgument(`The query vector has a different number of dimensions [${given}] than the document vectors [${dims}].`);
  if (spec.elementType === 'float') {
    if (fn === 'hamming') throw illegalArgument('hamming distance is only supported for byte or bit vectors');
    const q = Float32Array.from(numbers);
    switch (fn) {
      case 'cosineSimilarity': {
        // FloatDenseVectorFunction normalizes the query by its double magnitude, then dot / |doc|
        let sum = 0;
        for (const v of q) sum += Math.fround(v * v);
        const magnitude = Math.sqrt(sum);
        const unit = q.map((v) => Math.fround(v / magnitude));
        return Math.fround(dotProduct(doc, unit) / vectorMagnitude(doc));
      }
      case 'dotProduct':
        return dotProduct(doc, q);
      case 'l1norm': {
        let result = 0;
        for (let i = 0; i < q.length; i++) result += Math.abs(Math.fround((doc[i] as number) - (q[i] as number)));
        return result;
      }
      case 'l2norm':
        return Math.sqrt(squareDistance(doc, q));
    }
  }
  const q = byteQuery(numbers, spec.elementType);
  switch (fn) {
    case 'hamming':
      return hammingDistance(doc, q);
    case 'l2norm':
      return Math.sqrt(bits ? hammingDistance(doc, q) : squareDistance(doc, q));
    default:
      if (bits) throw new EngineError(400, 'illegal_argument_exception', `[${fn}] of a bit vector is not supported by the indexkit embedded engine`);
  }
  switch (fn) {
    case 'cosineSimilarity':
      return Math.fround(dotProduct(doc, q) / Math.fround(vectorMagnitude(q) * vectorMagnitude(doc)));
    case 'dotProduct':
      return dotProduct(doc, q);
    default: {
      let result = 0;
      for (let i = 0; i < q.length; i++) result += Math.abs((doc[i] as number) - (q[i] as number));
      return result;
    }
  }
}
