/**
 * Dense vectors shared by the index and search layers: the field's spec, the doc-values encoding
 * of one vector, and Lucene's vector arithmetic in float32 (VectorUtil, VectorSimilarityFunction)
 * with Elasticsearch's score transforms (DenseVectorFieldMapper.VectorSimilarity).
 *
 * Java computes these in float: every product and sum is rounded to float32 here (Math.fround),
 * accumulated in index order as Lucene's scalar VectorUtil does (the JDK's SIMD variant sums in
 * another order, so the last bit of a float may differ from a cluster's).
 */

export const ELEMENT_TYPES = ['float', 'byte', 'bit'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export const VECTOR_SIMILARITIES = ['l2_norm', 'cosine', 'dot_product', 'max_inner_product'] as const;
export type VectorSimilarity = (typeof VECTOR_SIMILARITIES)[number];

/** A dense_vector field: dims (absent until the first document sets them), element type, similarity when indexed. */
export interface VectorSpec {
  elementType: ElementType;
  dims?: number;
  indexed: boolean;
  similarity?: VectorSimilarity;
  /** index_options.type, when given. */
  indexType?: string;
}

export type Vector = Float32Array | Int8Array;

const EPS = Math.fround(1e-3);

/** DenseVectorFieldMapper.isNotUnitVector: |squared magnitude - 1| > 1e-3. */
export function isNotUnitVector(squared: number): boolean {
  return Math.abs(Math.fround(squared - 1)) > EPS;
}

/** The doc-values string of one vector (its bytes, little-endian floats, base64). */
export function encodeVector(vector: Vector): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function decodeVector(text: string, elementType: ElementType): Vector {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return elementType === 'float' ? new Float32Array(copy.buffer) : new Int8Array(copy.buffer);
}

/** Java's `acc += v * v` in float (the magnitude a document's vector is checked with). */
export function squaredMagnitude(vector: Vector): number {
  let acc = 0;
  if (vector instanceof Int8Array) {
    for (let i = 0; i < vector.length; i++) acc += (vector[i] as number) * (vector[i] as number);
    return acc;
  }
  for (let i = 0; i < vector.length; i++) acc = Math.fround(acc + Math.fround((vector[i] as number) * (vector[i] as number)));
  return acc;
}

/** VectorUtil.dotProduct: float with fused multiply-add, or the int sum of byte products. */
export function dotProduct(a: Vector, b: Vector): number {
  let acc = 0;
  if (a instanceof Int8Array) {
    for (let i = 0; i < a.length; i++) acc += (a[i] as number) * (b[i] as number);
    return acc;
  }
  for (let i = 0; i < a.length; i++) acc = Math.fround((a[i] as number) * (b[i] as number) + acc);
  return acc;
}

/** VectorUtil.squareDistance. */
export function squareDistance(a: Vector, b: Vector): number {
  let acc = 0;
  if (a instanceof Int8Array) {
    for (let i = 0; i < a.length; i++) {
      const d = (a[i] as number) - (b[i] as number);
      acc += d * d;
    }
    return acc;
  }
  for (let i = 0; i < a.length; i++) {
    const d = Math.fround((a[i] as number) - (b[i] as number));
    acc = Math.fround(d * d + acc);
  }
  return acc;
}

/** VectorUtil.cosine: (float) (sum / sqrt((double) norm1 * norm2)). */
export function cosine(a: Vector, b: Vector): number {
  let sum = 0;
  let n1 = 0;
  let n2 = 0;
  const fl = !(a instanceof Int8Array);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (fl) {
      sum = Math.fround(x * y + sum);
      n1 = Math.fround(x * x + n1);
      n2 = Math.fround(y * y + n2);
    } else {
      sum += x * y;
      n1 += x * x;
      n2 += y * y;
    }
  }
  return Math.fround(sum / Math.sqrt(n1 * n2));
}

/** VectorUtil.xorBitCount: the hamming distance of two bit vectors (as bytes). */
export function hammingDistance(a: Vector, b: Vector): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    let x = ((a[i] as number) ^ (b[i] as number)) & 0xff;
    while (x !== 0) {
      count += x & 1;
      x >>>= 1;
    }
  }
  return count;
}

/** VectorUtil.l2normalize as DenseVectorFieldMapper does it: each value divided by (float) sqrt(squared magnitude). */
export function normalized(vector: Float32Array, squared: number): { vector: Float32Array; length: number } {
  const length = Math.fround(Math.sqrt(squared));
  return { vector: vector.map((v) => Math.fround(v / length)), length };
}

/** VectorUtil.scaleMaxInnerProductScore. */
function scaleMaxInnerProduct(dot: number): number {
  return dot < 0 ? Math.fround(1 / Math.fround(1 + -1 * dot)) : Math.fround(dot + 1);
}

/**
 * The score of a document vector for a query vector, as Lucene's VectorSimilarityFunction scores
 * the field (a cosine float field holds normalized vectors scored by DOT_PRODUCT, 8.13+), bits by
 * ES815BitFlatVectorFormat's hamming score.
 */
export function vectorScore(spec: VectorSpec, query: Vector, doc: Vector): number {
  const byte = spec.elementType !== 'float';
  if (spec.elementType === 'bit') {
    const bits = query.length * 8;
    return Math.fround((bits - hammingDistance(query, doc)) / bits);
  }
  switch (spec.similarity) {
    case 'l2_norm':
      return Math.fround(1 / Math.fround(1 + squareDistance(query, doc)));
    case 'cosine':
      return byte ? Math.max(Math.fround(Math.fround(1 + cosine(query, doc)) / 2), 0) : Math.max(Math.fround(Math.fround(1 + dotProduct(query, doc)) / 2), 0);
    case 'dot_product':
      return byte ? Math.fround(0.5 + Math.fround(dotProduct(query, doc) / Math.fround(query.length * (1 << 15)))) : Math.max(Math.fround(Math.fround(1 + dotProduct(query, doc)) / 2), 0);
    case 'max_inner_product':
      return scaleMaxInnerProduct(dotProduct(query, doc));
    default:
      return 0;
  }
}

/** VectorSimilarity.score: a `similarity` threshold as the score it stands for. */
export function similarityToScore(spec: VectorSpec, similarity: number): number {
  const s = Math.fround(similarity);
  const dims = spec.dims ?? 0;
  if (spec.elementType === 'bit') return Math.fround(Math.fround(dims - s) / dims);
  switch (spec.similarity) {
    case 'l2_norm':
      return Math.fround(1 / Math.fround(1 + Math.fround(s * s)));
    case 'dot_product':
      if (spec.elementType === 'byte') return Math.fround(0.5 + Math.fround(s / Math.fround(dims * (1 << 15))));
      return Math.fround(Math.fround(1 + s) / 2);
    case 'cosine':
      return Math.fround(Math.fround(1 + s) / 2);
    case 'max_inner_product':
      return scaleMaxInnerProduct(s);
    default:
      return 0;
  }
}

/** Java's Float.toString for the values error messages print (`1.0`, `-0.5`). */
export function javaFloatText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e7 ? `${value}.0` : String(value);
}

/** ` Preview of invalid vector: [v0, ..., v4, ...]`, as ElementType.appendErrorElements writes it. */
export function vectorPreview(values: ArrayLike<number>, asFloat: boolean): string {
  const shown = Array.from(values).slice(0, 5).map((v) => (asFloat ? javaFloatText(v) : String(v)));
  return ` Preview of invalid vector: [${shown.join(', ')}${values.length >= 5 ? ', ...' : ''}]`;
}

/** HexFormat.parseHex: a byte or bit vector given as a hex string; undefined when it is not one. */
export function hexBytes(text: string): Int8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Int8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (parseInt(text.slice(2 * i, 2 * i + 2), 16) << 24) >> 24;
  return out;
}
