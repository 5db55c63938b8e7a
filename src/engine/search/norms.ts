import type { SegmentView } from '../contract.js';
import { intToByte4 } from './small-float.js';

/**
 * Per-segment norms: the one-byte encoded length of a field for every doc, built once per
 * (segment, field) from `SegmentView.fieldLength` and kept while the segment lives (segments
 * are immutable), as Lucene reads its norms. Scoring then costs one byte lookup per doc.
 */
const cache = new WeakMap<SegmentView, Map<string, Uint8Array>>();

export function segmentNorms(seg: SegmentView, field: string): Uint8Array {
  let perField = cache.get(seg);
  if (!perField) cache.set(seg, (perField = new Map()));
  let norms = perField.get(field);
  if (!norms) {
    norms = new Uint8Array(seg.maxDoc);
    for (let d = 0; d < seg.maxDoc; d++) norms[d] = intToByte4(seg.fieldLength(field, d));
    perField.set(field, norms);
  }
  return norms;
}

/** Fields indexed without norms (keyword, numbers) score every doc with norm byte 1, as Lucene. */
export const NO_NORMS_BYTE = 1;
