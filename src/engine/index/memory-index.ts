import type { AnalysisRegistry, MappingLookup } from '../contract.js';
import type { ParsedDocument } from './parsed-document.js';
import { SegmentReader } from './segment/segment-reader.js';
import { SegmentWriter } from './segment/segment-writer.js';
import { ShardView } from './shard-view.js';

type Json = Record<string, unknown>;

/** The `_id` of a percolated document (PercolateQueryBuilder parses each as `_temp_id`). */
const TEMP_ID = '_temp_id';

/**
 * Lucene's MemoryIndex as the percolator builds one: the given parsed documents alone, in one
 * segment (nested children before their parent, as the shard's writer lays them out), so that
 * the engine's own weights and scorers run a stored query against them.
 */
export function memoryIndexView(index: string, uuid: string, mapping: MappingLookup, analysis: AnalysisRegistry, docs: ReadonlyArray<{ source: Json; parsed: ParsedDocument }>): ShardView {
  const writer = new SegmentWriter();
  for (const { source, parsed } of docs) writer.add(TEMP_ID, source, undefined, 0, 1, parsed);
  const frozen = writer.freeze();
  const readers = frozen ? [new SegmentReader(frozen.core, frozen.live, frozen.core.topLevelCount)] : [];
  return new ShardView(index, uuid, mapping, analysis, readers, 10_000);
}
