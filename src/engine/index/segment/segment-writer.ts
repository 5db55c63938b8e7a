import type { ParsedDocument, ParsedFields } from '../parsed-document.js';
import { FieldAccumulator } from './field-accumulator.js';
import type { FieldData } from './segment-core.js';
import { SegmentCore } from './segment-core.js';

type Json = Record<string, unknown>;

/**
 * The in-memory indexing buffer, as Lucene's IndexingChain: each document is inverted into the
 * field accumulators as it is indexed (no parsed document is kept), and refresh only freezes
 * the accumulators into an immutable segment. A doc superseded before the refresh is marked
 * deleted in the new segment's live docs, as Lucene does.
 */
export class SegmentWriter {
  private readonly accumulators = new Map<string, FieldAccumulator>();
  readonly ids: string[] = [];
  readonly sources: Array<Json | undefined> = [];
  private originals: Array<Json | undefined> | undefined;
  private readonly seqNos: number[] = [];
  private readonly versions: number[] = [];
  private nestedPaths: Array<string | undefined> | undefined;
  private parents: number[] | undefined;
  private nestedOffsets: number[] | undefined;
  private deleted: Uint8Array | undefined;
  private deletedCount = 0;
  /** Deleted top-level docs (nested children not counted). */
  deletedTopLevel = 0;

  get maxDoc(): number {
    return this.ids.length;
  }

  /** Postings occurrences buffered so far (the writer's main memory cost: 12 bytes each). */
  tokens = 0;

  private addFields(doc: number, fields: ParsedFields): void {
    for (const [path, field] of fields) {
      this.tokens += (field.terms?.length ?? 0) + (field.keywords?.length ?? 0);
      let acc = this.accumulators.get(path);
      if (!acc) this.accumulators.set(path, (acc = new FieldAccumulator()));
      acc.addParsed(doc, field);
    }
  }

  private push(id: string, seqNo: number, version: number): number {
    const doc = this.ids.length;
    this.ids.push(id);
    this.sources.push(undefined);
    this.seqNos.push(seqNo);
    this.versions.push(version);
    return doc;
  }

  /** Adds a document (children first, then the parent, as a block); returns the parent's doc id. */
  add(id: string, source: Json | undefined, original: Json | undefined, seqNo: number, version: number, parsed: ParsedDocument): number {
    const children = parsed.children;
    if (children.length > 0 && !this.nestedPaths) {
      this.nestedPaths = new Array<string | undefined>(this.ids.length);
      this.parents = Array.from({ length: this.ids.length }, (_, i) => i);
      this.nestedOffsets = new Array<number>(this.ids.length).fill(0);
    }
    const parentDoc = this.ids.length + children.length;
    for (const child of children) {
      const doc = this.push(id, seqNo, version);
      this.nestedPaths![doc] = child.path;
      this.parents![doc] = parentDoc;
      this.nestedOffsets![doc] = child.offset;
      this.addFields(doc, child.fields);
    }
    const doc = this.push(id, seqNo, version);
    this.sources[doc] = source;
    if (original) {
      this.originals ??= [];
      this.originals[doc] = original;
    }
    if (this.nestedPaths) {
      this.nestedPaths[doc] = undefined;
      this.parents![doc] = doc;
      this.nestedOffsets![doc] = 0;
    }
    this.addFields(doc, parsed.fields);
    return doc;
  }

  original(doc: number): Json | undefined {
    return this.originals?.[doc] ?? this.sources[doc];
  }

  /** Marks a buffered doc (and its nested children) deleted. */
  delete(doc: number): void {
    if (!this.deleted || this.deleted.length < this.ids.length) {
      const grown = new Uint8Array(Math.max(64, this.ids.length * 2));
      if (this.deleted) grown.set(this.deleted);
      this.deleted = grown;
    }
    const mark = (d: number): void => {
      if (this.deleted![d] === 0) {
        this.deleted![d] = 1;
        this.deletedCount++;
      }
    };
    if (this.deleted[doc] === 0) this.deletedTopLevel++;
    mark(doc);
    if (this.parents) for (let d = doc - 1; d >= 0 && this.parents[d] === doc && d !== doc; d--) mark(d);
  }

  /** Freezes the buffer into a segment plus its live docs (null when nothing was deleted). */
  freeze(): { core: SegmentCore; live: Uint8Array | null } | undefined {
    const maxDoc = this.ids.length;
    if (maxDoc === 0) return undefined;
    const fields = new Map<string, FieldData>();
    for (const [path, acc] of this.accumulators) fields.set(path, acc.freeze(maxDoc));
    const core = new SegmentCore(
      {
        maxDoc,
        ids: this.ids,
        sources: this.sources,
        originals: this.originals ? padded(this.originals, maxDoc) : undefined,
        seqNos: Float64Array.from(this.seqNos),
        versions: Float64Array.from(this.versions),
        nestedPaths: this.nestedPaths,
        parents: this.parents ? Int32Array.from(this.parents) : undefined,
        nestedOffsets: this.nestedOffsets ? Int32Array.from(this.nestedOffsets) : undefined,
      },
      fields,
    );
    let live: Uint8Array | null = null;
    if (this.deletedCount > 0) {
      live = new Uint8Array(maxDoc).fill(1);
      for (let d = 0; d < maxDoc; d++) if (this.deleted![d] === 1) live[d] = 0;
    }
    return { core, live };
  }
}

function padded<T>(values: Array<T | undefined>, length: number): Array<T | undefined> {
  if (values.length < length) values.length = length;
  return values;
}
