import type { FieldInfo, SegmentView } from '../../contract.js';
import type { Vector } from '../../vector-spec.js';
import { decodeVector, isNotUnitVector, normalized, squaredMagnitude } from '../../vector-spec.js';

/**
 * A document's vector as its segment keeps it (one doc value per doc), decoded once per segment.
 * A float field with cosine similarity holds its vectors normalized (8.13+, NORMALIZE_COSINE) and
 * is scored by dot product; scripts read them denormalized again (DenormalizedCosineFloatVectorValues:
 * each normalized value times the float magnitude), as Elasticsearch does.
 */

type Mode = 'knn' | 'script';

const cache = new WeakMap<SegmentView, Map<string, Array<Vector | null | undefined>>>();

function read(seg: SegmentView, field: FieldInfo, doc: number, mode: Mode): Vector | undefined {
  const spec = field.vector;
  if (!spec) return undefined;
  let byField = cache.get(seg);
  if (!byField) cache.set(seg, (byField = new Map()));
  const key = `${mode}\u0000${field.path}`;
  let column = byField.get(key);
  if (!column) byField.set(key, (column = new Array<Vector | null | undefined>(seg.maxDoc)));
  const known = column[doc];
  if (known !== undefined) return known ?? undefined;
  const text = seg.keywordValues(field.path, doc)?.[0];
  let vector: Vector | null = text === undefined ? null : decodeVector(text, spec.elementType);
  if (vector instanceof Float32Array && spec.similarity === 'cosine' && spec.indexed) {
    const sq = squaredMagnitude(vector);
    if (isNotUnitVector(sq)) {
      const unit = normalized(vector, sq);
      vector = mode === 'knn' ? unit.vector : unit.vector.map((v) => Math.fround(v * unit.length));
    }
  }
  column[doc] = vector;
  return vector ?? undefined;
}

/** The vector knn scores (normalized for a cosine float field). */
export function knnVector(seg: SegmentView, field: FieldInfo, doc: number): Vector | undefined {
  return read(seg, field, doc, 'knn');
}

/** The vector a script reads (`doc['v'].vectorValue`). */
export function scriptVector(seg: SegmentView, field: FieldInfo, doc: number): Vector | undefined {
  return read(seg, field, doc, 'script');
}
