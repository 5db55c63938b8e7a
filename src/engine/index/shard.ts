import type { AnalysisRegistry, MappingLookup } from '../contract.js';
import type { ParsedDocument } from './parsed-document.js';
import type { SimilarityService } from '../search/similarity/similarity-settings.js';
import type { SegmentCore } from './segment/segment-core.js';
import { mergeSegments } from './segment/segment-merger.js';
import { SegmentReader } from './segment/segment-reader.js';
import type { IndexSortKey } from './segment/segment-sort.js';
import { SegmentWriter } from './segment/segment-writer.js';
import { ShardView } from './shard-view.js';

type Json = Record<string, unknown>;

/** Where the current version of an id lives, with its versioning (Elasticsearch's live version map). */
export interface DocEntry {
  seqNo: number;
  version: number;
  deleted: boolean;
  /** In the indexing buffer (not yet refreshed): `doc` is a doc id of the writer. */
  pending: boolean;
  core: SegmentCore | undefined;
  doc: number;
  /** The custom routing the document was indexed with (`_routing`). */
  routing?: string;
}

export interface StoredDoc {
  id: string;
  seqNo: number;
  version: number;
  /** Exposed `_source` (undefined when `_source` is disabled). */
  source: Json | undefined;
  /** Full source for persistence. */
  original: Json;
  /** Custom routing (`_routing`), when the document was indexed with one. */
  routing?: string;
}

/** Merge when more segments than this exist (a simple tiered policy: smallest first). */
const MAX_SEGMENTS = 10;
/**
 * The indexing buffer is written out as a segment (not yet visible to searches, as Lucene's
 * RAM-triggered flush) past this many postings occurrences (~48 MB of columns) or docs.
 */
const BUFFER_LIMITS = { tokens: 4_000_000, docs: 100_000 };
const MERGE_FACTOR = 10;

export interface ShardInfo {
  index: string;
  uuid: string;
  analysis: AnalysisRegistry;
  lookup: () => MappingLookup;
  maxResultWindow: () => number;
  /** The index's settings by flat key (read live: dynamic settings apply to the next search). */
  setting?: (key: string) => unknown;
  /** index.highlight.max_analyzed_offset (default 1,000,000). */
  maxAnalyzedOffset?: () => number;
  /** This shard's number in its index (0 for a one-shard index). */
  shardId?: number;
  /** `_routing: {doc_values: true}`: routing kept as doc values, so hits carry no `_routing`. */
  routingDocValues?: () => boolean;
  /** `index.sort.*`: every segment written or merged lays its docs out in this order. */
  indexSort?: readonly IndexSortKey[];
  /** The index's similarities (SimilarityService), built from its settings. */
  similarities?: () => SimilarityService;
}

/**
 * The one shard of an index, Lucene-like: writes go to a buffer and the version map (realtime get
 * sees them at once); refresh turns the buffer into an immutable segment and publishes a new
 * ShardView with frozen live-docs snapshots, so older views (scroll, PIT) stay valid.
 */
export class Shard {
  /** When the indexing buffer is written out as a segment (tests lower them). */
  static bufferLimits = { ...BUFFER_LIMITS };
  private readonly entries = new Map<string, DocEntry>();
  private writer = new SegmentWriter();
  /** Segments written out of a full buffer, published by the next refresh. */
  private unpublished: SegmentCore[] = [];
  private segments: SegmentCore[] = [];
  private readonly published = new Map<SegmentCore, Uint8Array | null>();
  private readonly pending = new Map<SegmentCore, Uint8Array>();
  /** Deleted top-level docs per segment: as published, and including deletes not yet refreshed. */
  private readonly publishedDeletes = new Map<SegmentCore, number>();
  private readonly pendingDeletes = new Map<SegmentCore, number>();
  private current: ShardView;
  private dirty = false;
  private lookupVersion: MappingLookup;
  maxSeqNo = -1;
  /** Time the oldest unrefreshed change was made (for the lazy refresh interval), 0 when clean. */
  dirtySince = 0;
  liveCount = 0;
  /** -1: the internal reader is the searchers' one; else the max seq_no it was built at (-2: unknown, a full buffer was written). */
  private internalSeqNo = -1;
  private flushingForRealtime = false;

  /**
   * IndexShard's leaf sorter (DataStream.TIMESTAMP_SORT): when the mapping has a date `@timestamp`
   * as the shard starts, readers see segments by their largest @timestamp, newest first.
   */
  private timestampSort: boolean;

  constructor(private readonly info: ShardInfo) {
    this.lookupVersion = info.lookup();
    this.timestampSort = this.lookupVersion.field('@timestamp')?.type === 'date';
    this.current = this.makeView();
  }

  entry(id: string): DocEntry | undefined {
    return this.entries.get(id);
  }

  /** Realtime get: the latest version, refreshed or not. */
  get(id: string): StoredDoc | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.deleted) return undefined;
    const routing = entry.routing !== undefined ? { routing: entry.routing } : {};
    if (entry.pending) {
      return { id, seqNo: entry.seqNo, version: entry.version, source: this.writer.sources[entry.doc], original: this.writer.original(entry.doc) ?? {}, ...routing };
    }
    const docs = entry.core!.docs;
    const source = docs.sources[entry.doc];
    return { id, seqNo: entry.seqNo, version: entry.version, source, original: docs.originals?.[entry.doc] ?? source ?? {}, ...routing };
  }

  /** Applies an index operation whose seq_no and version the caller has resolved. */
  index(id: string, source: Json | undefined, original: Json | undefined, parsed: ParsedDocument, seqNo: number, version: number, routing?: string): void {
    const entry = this.entries.get(id);
    if (entry && !entry.deleted) this.removeCurrent(entry);
    else this.liveCount++;
    if (this.writer.tokens >= Shard.bufferLimits.tokens || this.writer.maxDoc >= Shard.bufferLimits.docs) this.flushWriter();
    const doc = this.writer.add(id, source, original, seqNo, version, parsed);
    if (entry) {
      entry.seqNo = seqNo;
      entry.version = version;
      entry.deleted = false;
      entry.pending = true;
      entry.core = undefined;
      entry.doc = doc;
      if (routing !== undefined) entry.routing = routing;
      else delete entry.routing;
    } else {
      this.entries.set(id, { seqNo, version, deleted: false, pending: true, core: undefined, doc, ...(routing !== undefined ? { routing } : {}) });
    }
    this.touch(seqNo);
  }

  /** Applies a delete; keeps a tombstone in the version map (for versioning a later re-create). */
  delete(id: string, seqNo: number, version: number): void {
    const entry = this.entries.get(id);
    if (entry) {
      if (!entry.deleted) {
        this.removeCurrent(entry);
        this.liveCount--;
      }
      entry.deleted = true;
      entry.seqNo = seqNo;
      entry.version = version;
      entry.pending = false;
      entry.core = undefined;
    } else {
      this.entries.set(id, { seqNo, version, deleted: true, pending: false, core: undefined, doc: -1 });
    }
    this.touch(seqNo);
  }

  private touch(seqNo: number): void {
    if (seqNo > this.maxSeqNo) this.maxSeqNo = seqNo;
    this.dirty = true;
    if (this.dirtySince === 0) this.dirtySince = Date.now();
  }

  private removeCurrent(entry: DocEntry): void {
    if (entry.pending) {
      this.writer.delete(entry.doc);
      return;
    }
    if (!entry.core) return;
    const core = entry.core;
    let live = this.pending.get(core);
    if (!live) {
      const before = this.published.get(core);
      live = before ? before.slice() : new Uint8Array(core.maxDoc).fill(1);
      this.pending.set(core, live);
    }
    live[entry.doc] = 0;
    this.pendingDeletes.set(core, (this.pendingDeletes.get(core) ?? this.publishedDeletes.get(core) ?? 0) + 1);
    const parents = core.docs.parents;
    if (parents) for (let d = entry.doc - 1; d >= 0 && parents[d] === entry.doc; d--) live[d] = 0;
  }

  /** Whether a refresh would publish anything new. */
  get needsRefresh(): boolean {
    return this.dirty || this.info.lookup() !== this.lookupVersion;
  }

  get bufferedCount(): number {
    return this.writer.maxDoc;
  }

  /** NRT refresh: buffer -> new segment, pending deletes -> published live docs, new view. */
  /** Writes the buffer out as a segment that the next refresh publishes. */
  private flushWriter(): void {
    // a segment written before a refresh: Elasticsearch's internal reader sees it, searches do not yet
    if (this.writer.maxDoc > 0) this.internalSeqNo = this.flushingForRealtime ? this.maxSeqNo : -2;
    const frozen = this.writer.freeze();
    if (frozen) {
      const { core, live, docMap } = this.sortFlushed(frozen.core, frozen.live);
      const ids = this.writer.ids;
      for (let doc = 0; doc < ids.length; doc++) {
        if (frozen.live && frozen.live[doc] === 0) continue;
        const entry = this.entries.get(ids[doc]!);
        if (entry && entry.pending && entry.doc === doc) {
          entry.pending = false;
          entry.core = core;
          entry.doc = docMap ? docMap[doc]! : doc;
        }
      }
      this.unpublished.push(core);
      this.published.set(core, live);
      this.publishedDeletes.set(core, this.writer.deletedTopLevel);
    }
    this.writer = new SegmentWriter();
  }

  /**
   * With an index sort, the flushed segment's docs in sort order (Lucene sorts a segment as it
   * flushes it); deleted docs are kept, deleted, as they would be without the sort.
   */
  private sortFlushed(core: SegmentCore, live: Uint8Array | null): { core: SegmentCore; live: Uint8Array | null; docMap?: Int32Array } {
    const sort = this.info.indexSort;
    if (!sort || sort.length === 0) return { core, live };
    const { core: sorted, docMaps } = mergeSegments([{ core, live: null }], sort);
    const docMap = docMaps[0]!;
    let sortedLive: Uint8Array | null = null;
    if (live) {
      sortedLive = new Uint8Array(live.length);
      for (let doc = 0; doc < live.length; doc++) sortedLive[docMap[doc]!] = live[doc]!;
    }
    return { core: sorted, live: sortedLive, docMap };
  }

  refresh(): ShardView {
    if (!this.needsRefresh) return this.current;
    this.flushWriter();
    this.segments.push(...this.unpublished);
    this.unpublished = [];
    for (const [segment, live] of this.pending) this.published.set(segment, live);
    for (const [segment, count] of this.pendingDeletes) this.publishedDeletes.set(segment, count);
    this.pending.clear();
    this.pendingDeletes.clear();
    this.maybeMerge();
    this.dirty = false;
    this.dirtySince = 0;
    this.internalSeqNo = -1;
    this.lookupVersion = this.info.lookup();
    this.current = this.makeView();
    return this.current;
  }

  view(): ShardView {
    return this.current;
  }

  /**
   * The reader a realtime read gets its statistics from (InternalEngine's internal searcher): a
   * document not refreshed yet makes Elasticsearch refresh the internal reader (every write so
   * far, while searches keep the last refreshed view); else the internal reader is the searchers'
   * one, or the one the last such read built when nothing was written since. Undefined when the
   * engine cannot tell (a segment was written out of a full buffer, or writes followed).
   */
  realtimeView(id: string): ShardView | undefined {
    if (this.entries.get(id)?.pending) {
      this.flushingForRealtime = true;
      try {
        this.flushWriter();
      } finally {
        this.flushingForRealtime = false;
      }
    } else if (this.internalSeqNo === -1) {
      return this.current;
    }
    if (this.internalSeqNo !== this.maxSeqNo) return undefined;
    const readers = [...this.segments, ...this.unpublished].map((core) => {
      const live = this.pending.get(core) ?? this.published.get(core) ?? null;
      return new SegmentReader(core, live ? live.slice() : null, core.topLevelCount - (this.pendingDeletes.get(core) ?? this.publishedDeletes.get(core) ?? 0));
    });
    return new ShardView(this.info.index, this.info.uuid, this.info.lookup(), this.info.analysis, readers, this.info.maxResultWindow(), this.info.setting, this.info.maxAnalyzedOffset?.() ?? 1_000_000, this.info.shardId ?? 0, undefined, this.info.similarities);
  }

  /** The shard started again (an index opened after a close): start-up decisions read the mapping anew. */
  restart(): ShardView {
    this.timestampSort = this.info.lookup().field('@timestamp')?.type === 'date';
    return this.republish();
  }

  /** A new view over the same segments and live docs (after a mapping or settings change). */
  republish(): ShardView {
    this.lookupVersion = this.info.lookup();
    this.current = this.makeView();
    return this.current;
  }

  private makeView(): ShardView {
    const lookup = this.info.lookup();
    const aliasTarget = (lookup.aliasPaths?.().length ?? 0) > 0 ? (name: string): string | undefined => lookup.aliasTarget?.(name) : undefined;
    const readers = this.segments.map(
      (core) => new SegmentReader(core, this.published.get(core) ?? null, core.topLevelCount - (this.publishedDeletes.get(core) ?? 0), aliasTarget),
    );
    if (this.timestampSort) sortByMaxTimestamp(readers);
    return new ShardView(this.info.index, this.info.uuid, lookup, this.info.analysis, readers, this.info.maxResultWindow(), this.info.setting, this.info.maxAnalyzedOffset?.() ?? 1_000_000, this.info.shardId ?? 0, this.info.routingDocValues?.() ? undefined : (id) => this.entries.get(id)?.routing, this.info.similarities);
  }


  /** Tiered-ish policy: merge the smallest segments when there are too many; expunge mostly-deleted ones. */
  private maybeMerge(): void {
    const fullyDeleted = this.segments.filter((core) => (this.publishedDeletes.get(core) ?? 0) === core.topLevelCount);
    for (const core of fullyDeleted) this.dropSegment(core);
    if (this.segments.length <= MAX_SEGMENTS) return;
    const bySize = [...this.segments].sort((a, b) => a.maxDoc - b.maxDoc);
    const chosen = bySize.slice(0, MERGE_FACTOR);
    const inputs = chosen.map((core) => ({ core, live: this.published.get(core) ?? null }));
    const { core: merged, docMaps } = mergeSegments(inputs, this.info.indexSort);
    inputs.forEach(({ core }, i) => {
      const map = docMaps[i]!;
      const paths = core.docs.nestedPaths;
      for (let d = 0; d < core.maxDoc; d++) {
        if (map[d]! < 0 || (paths && paths[d] !== undefined)) continue;
        const entry = this.entries.get(core.docs.ids[d]!);
        if (entry && entry.core === core && entry.doc === d) {
          entry.core = merged;
          entry.doc = map[d]!;
        }
      }
      this.dropSegment(core);
    });
    // Keep segment order stable-ish: the merged segment replaces the first chosen position.
    this.segments.push(merged);
    this.published.set(merged, null);
    this.publishedDeletes.set(merged, 0);
  }

  private dropSegment(core: SegmentCore): void {
    this.segments = this.segments.filter((s) => s !== core);
    this.published.delete(core);
    this.publishedDeletes.delete(core);
  }

  /** Every live document (buffered or not), for flush snapshots. */
  *liveDocs(): Generator<StoredDoc> {
    for (const id of this.entries.keys()) {
      const doc = this.get(id);
      if (doc) yield doc;
    }
  }

  /** Counts for `_stats` / `_cat/indices` (as of the last refresh, as Elasticsearch reports them). */
  stats(): { count: number; deleted: number; bytes: number } {
    let count = 0;
    let deleted = 0;
    let bytes = 0;
    for (const reader of this.current.segments) {
      const top = reader.numDocs();
      count += top;
      deleted += reader.core.topLevelCount - top;
      bytes += reader.core.estimateBytes();
    }
    return { count, deleted, bytes };
  }

  /** Drops tombstones (after a flush, as Elasticsearch prunes deletes after gc_deletes). */
  pruneTombstones(): void {
    for (const [id, entry] of this.entries) if (entry.deleted) this.entries.delete(id);
  }
}

/** DataStream.TIMESTAMP_SORT: segments by their largest `@timestamp` descending; segments without one last (stable). */
function sortByMaxTimestamp(readers: SegmentReader[]): void {
  const maxOf = new Map<SegmentReader, number>();
  for (const reader of readers) {
    let max = Number.NEGATIVE_INFINITY;
    for (let doc = 0; doc < reader.maxDoc; doc++) {
      for (const v of reader.numericValues('@timestamp', doc) ?? []) if (v > max) max = v;
    }
    maxOf.set(reader, max);
  }
  readers.sort((a, b) => (maxOf.get(b) as number) - (maxOf.get(a) as number) || 0);
}
