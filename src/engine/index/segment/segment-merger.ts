import { FieldAccumulator } from './field-accumulator.js';
import type { FieldData } from './segment-core.js';
import { SegmentCore } from './segment-core.js';
import type { IndexSortKey } from './segment-sort.js';
import { indexSortOrder } from './segment-sort.js';

type Json = Record<string, unknown>;

export interface MergeInput {
  core: SegmentCore;
  /** Live docs at merge time (null: all live). */
  live: Uint8Array | null;
}

/**
 * Merges segments into one, dropping deleted docs (Lucene's merge): postings are copied term by
 * term with doc ids remapped, per-doc values are copied. Returns the new segment and, per input,
 * the old->new doc map (-1 for dropped docs). With an index sort the kept docs are laid out in its
 * order (a sorted index has no nested docs: Elasticsearch refuses the two together).
 */
export function mergeSegments(inputs: readonly MergeInput[], sort?: readonly IndexSortKey[]): { core: SegmentCore; docMaps: Int32Array[] } {
  const docMaps: Int32Array[] = [];
  let maxDoc = 0;
  let hasNested = false;
  let hasOriginals = false;
  for (const { core, live } of inputs) {
    const map = new Int32Array(core.maxDoc);
    for (let d = 0; d < core.maxDoc; d++) map[d] = live === null || live[d] ? maxDoc++ : -1;
    docMaps.push(map);
    if (core.docs.nestedPaths) hasNested = true;
    if (core.docs.originals) hasOriginals = true;
  }
  const sorted = sort !== undefined && sort.length > 0;
  if (sorted) {
    if (hasNested) throw new Error('index sorting of nested blocks is not built');
    indexSortOrder(inputs, sort).forEach(([input, doc], n) => (docMaps[input]![doc] = n));
  }
  const ids: string[] = new Array(maxDoc);
  const sources: Array<Json | undefined> = new Array(maxDoc);
  const originals: Array<Json | undefined> | undefined = hasOriginals ? new Array(maxDoc) : undefined;
  const seqNos = new Float64Array(maxDoc);
  const versions = new Float64Array(maxDoc);
  const nestedPaths: Array<string | undefined> | undefined = hasNested ? new Array(maxDoc) : undefined;
  const parents = hasNested ? new Int32Array(maxDoc) : undefined;
  const nestedOffsets = hasNested ? new Int32Array(maxDoc) : undefined;
  const accumulators = new Map<string, FieldAccumulator>();
  const accumulator = (path: string): FieldAccumulator => {
    let acc = accumulators.get(path);
    if (!acc) accumulators.set(path, (acc = new FieldAccumulator(sorted)));
    return acc;
  };
  inputs.forEach(({ core }, i) => {
    const map = docMaps[i]!;
    const docs = core.docs;
    for (let d = 0; d < core.maxDoc; d++) {
      const n = map[d]!;
      if (n < 0) continue;
      ids[n] = docs.ids[d]!;
      sources[n] = docs.sources[d];
      if (originals) originals[n] = docs.originals?.[d];
      seqNos[n] = docs.seqNos[d]!;
      versions[n] = docs.versions[d]!;
      if (parents) parents[n] = docs.parents ? map[docs.parents[d]!]! : n;
      if (nestedPaths) nestedPaths[n] = docs.nestedPaths?.[d];
      if (nestedOffsets) nestedOffsets[n] = docs.nestedOffsets?.[d] ?? 0;
    }
    for (const [path, data] of core.fields) {
      const acc = accumulator(path);
      for (let d = 0; d < core.maxDoc; d++) if (map[d]! >= 0) acc.addValues(map[d]!, data, d);
    }
  });
  // Postings: term by term, segments in order, so docs stay ascending (sorted at freeze with an index sort).
  for (const path of accumulators.keys()) {
    const acc = accumulators.get(path)!;
    const terms = new Set<string>();
    for (const { core } of inputs) for (const term of core.fields.get(path)?.terms ?? []) terms.add(term);
    for (const term of terms) {
      inputs.forEach(({ core }, i) => {
        const data = core.fields.get(path);
        const t = data?.termIndex.get(term);
        if (!data || t === undefined) return;
        const start = data.termStarts[t]!;
        const end = data.termStarts[t + 1]!;
        acc.addPostings(term, data.docs.subarray(start, end), data.posStarts, data.positions, start, docMaps[i]!);
      });
    }
  }
  const fields = new Map<string, FieldData>();
  for (const [path, acc] of accumulators) fields.set(path, acc.freeze(maxDoc));
  const core = new SegmentCore({ maxDoc, ids, sources, originals, seqNos, versions, nestedPaths, parents, nestedOffsets }, fields);
  return { core, docMaps };
}
