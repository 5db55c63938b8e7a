import type { AnalysisRegistry, FieldStats, IndexView, MappingLookup } from '../contract.js';
import type { SegmentReader } from './segment/segment-reader.js';
import type { SimilarityService } from '../search/similarity/similarity-settings.js';

/** Global ordinals of one field over one reader, as the fielddata stats report them. */
export interface GlobalOrdinals {
  bytes: number;
  buildMs: number;
  /** Distinct values (`shard_max_value_count`). */
  valueCount: number;
}

/** A point-in-time view of one index: what a refresh publishes and searches read. */
export class ShardView implements IndexView {
  private readonly stats = new Map<string, FieldStats | undefined>();
  readonly numDocs: number;

  constructor(
    readonly index: string,
    readonly uuid: string,
    readonly mapping: MappingLookup,
    readonly analysis: AnalysisRegistry,
    readonly segments: readonly SegmentReader[],
    readonly maxResultWindow: number,
    private readonly settingOf?: (key: string) => unknown,
    readonly maxAnalyzedOffset: number = 1_000_000,
    /** The shard's number in its index. */
    readonly shardId: number = 0,
    private readonly routingLookup?: (id: string) => string | undefined,
    private readonly similarityService?: () => SimilarityService,
  ) {
    let n = 0;
    for (const segment of segments) n += segment.numDocs();
    this.numDocs = n;
  }

  /** Global ordinals built over this reader, per field (IndexFieldDataCache: they live as long as the reader). */
  readonly globalOrdinals = new Map<string, GlobalOrdinals>();

  /**
   * A terms aggregation in global ordinals mode asks for the field's global ordinals
   * (AbstractIndexOrdinalsFieldData.loadGlobal): over one segment the segment's ordinals are
   * already global and nothing is built; over several, where any segment has the field, the
   * OrdinalMap is built once for this reader. Its size is an estimate of Lucene's
   * OrdinalMap.ramBytesUsed: a long per segment term (segment to global ordinal) and two per
   * global term (first segment, delta), plus the object.
   */
  loadGlobalOrdinals(field: string): void {
    if (this.segments.length <= 1 || this.globalOrdinals.has(field)) return;
    const started = performance.now();
    const unique = new Set<string>();
    let segmentTerms = 0;
    for (const segment of this.segments) {
      const terms = segment.terms(field);
      segmentTerms += terms.length;
      for (const t of terms) unique.add(t);
    }
    if (!this.segments.some((segment) => segment.core.fields.has(field))) return;
    this.globalOrdinals.set(field, { bytes: 64 + 8 * segmentTerms + 16 * unique.size + 16 * this.segments.length, buildMs: performance.now() - started, valueCount: unique.size });
  }

  routingOf(id: string): string | undefined {
    return this.routingLookup?.(id);
  }

  setting(key: string): unknown {
    return this.settingOf?.(key);
  }

  similarities(): SimilarityService | undefined {
    return this.similarityService?.();
  }

  /** Counted over every segment, deleted-but-unmerged docs included (as Lucene's CollectionStatistics). */
  fieldStats(name: string): FieldStats | undefined {
    // a field alias reads its target's statistics
    const field = this.mapping.aliasTarget?.(name) ?? name;
    if (this.stats.has(field)) return this.stats.get(field);
    let found = false;
    const stats: FieldStats = { docCount: 0, sumTotalTermFreq: 0, sumDocFreq: 0 };
    for (const segment of this.segments) {
      const data = segment.core.fields.get(field);
      if (!data) continue;
      found = true;
      stats.docCount += data.lengths ? data.docCount : countPresent(data.present);
      stats.sumTotalTermFreq += data.sumTotalTermFreq;
      stats.sumDocFreq += data.sumDocFreq;
    }
    const result = found ? stats : undefined;
    this.stats.set(field, result);
    return result;
  }

  docFreq(name: string, term: string): number {
    const field = this.mapping.aliasTarget?.(name) ?? name;
    let n = 0;
    for (const segment of this.segments) n += segment.core.docFreq(field, term);
    return n;
  }
}

function countPresent(present: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < present.length; i++) n += present[i]!;
  return n;
}
