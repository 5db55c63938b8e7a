import type { TermPostings } from '../../contract.js';
import type { CompletionEntry } from '../parsed-document.js';

type Json = Record<string, unknown>;

/**
 * The postings and per-document values of one field in one segment, in dense arrays:
 * term t's postings are entries `termStarts[t]..termStarts[t+1]` of `docs`/`freqs`; entry e's
 * positions are `positions[posStarts[e]..posStarts[e+1]]`.
 */
export interface FieldData {
  readonly terms: readonly string[];
  readonly termIndex: ReadonlyMap<string, number>;
  readonly termStarts: Int32Array;
  readonly docs: Int32Array;
  readonly freqs: Int32Array;
  readonly posStarts: Int32Array;
  readonly positions: Int32Array;
  /** Token count per doc (0 when absent). */
  readonly lengths: Int32Array | undefined;
  readonly numbers: ReadonlyArray<readonly number[] | undefined> | undefined;
  readonly keywords: ReadonlyArray<readonly string[] | undefined> | undefined;
  readonly completions: ReadonlyArray<readonly CompletionEntry[] | undefined> | undefined;
  /** 1 where the doc has a value. */
  readonly present: Uint8Array;
  readonly docCount: number;
  readonly sumTotalTermFreq: number;
  readonly sumDocFreq: number;
}

/** Per-document metadata of a segment. Nested children carry their parent's id and no source. */
export interface SegmentDocs {
  readonly maxDoc: number;
  readonly ids: readonly string[];
  /** Exposed `_source` (after `_source` includes/excludes); undefined for children. */
  readonly sources: ReadonlyArray<Json | undefined>;
  /** The full source when it differs from the exposed one (persistence needs it). */
  readonly originals: ReadonlyArray<Json | undefined> | undefined;
  readonly seqNos: Float64Array;
  readonly versions: Float64Array;
  /** Nested path per doc, or undefined when the segment has no nested docs. */
  readonly nestedPaths: ReadonlyArray<string | undefined> | undefined;
  readonly parents: Int32Array | undefined;
  readonly nestedOffsets: Int32Array | undefined;
}

class LazyPostings implements TermPostings {
  private cached?: Int32Array[];
  constructor(
    readonly docFreq: number,
    readonly totalTermFreq: number,
    readonly docs: Int32Array,
    readonly freqs: Int32Array,
    private readonly field: FieldData,
    private readonly first: number,
  ) {}
  get positions(): ReadonlyArray<Int32Array> {
    if (!this.cached) {
      const out: Int32Array[] = new Array(this.docFreq);
      const { posStarts, positions } = this.field;
      for (let i = 0; i < this.docFreq; i++) out[i] = positions.subarray(posStarts[this.first + i]!, posStarts[this.first + i + 1]!);
      this.cached = out;
    }
    return this.cached;
  }
}

/** The postings of the term at `index` of a field's data (its positions sliced when first read). */
export function termPostings(data: FieldData, index: number): TermPostings {
  const start = data.termStarts[index]!;
  const end = data.termStarts[index + 1]!;
  const freqs = data.freqs.subarray(start, end);
  let total = 0;
  for (let i = 0; i < freqs.length; i++) total += freqs[i]!;
  return new LazyPostings(end - start, total, data.docs.subarray(start, end), freqs, data, start);
}

let nextSegmentId = 1;

/** An immutable segment: what one refresh (or one merge) produced. */
export class SegmentCore {
  readonly id = nextSegmentId++;
  private readonly postingsCache = new Map<string, Map<string, TermPostings>>();
  private bytes?: number;
  private topLevel?: number;

  constructor(
    readonly docs: SegmentDocs,
    readonly fields: ReadonlyMap<string, FieldData>,
  ) {}

  get maxDoc(): number {
    return this.docs.maxDoc;
  }

  /** Number of top-level documents (live or not). */
  get topLevelCount(): number {
    if (this.topLevel === undefined) {
      const paths = this.docs.nestedPaths;
      let n = this.docs.maxDoc;
      if (paths) {
        n = 0;
        for (let i = 0; i < this.docs.maxDoc; i++) if (paths[i] === undefined) n++;
      }
      this.topLevel = n;
    }
    return this.topLevel;
  }

  postings(field: string, term: string): TermPostings | undefined {
    const data = this.fields.get(field);
    if (!data) return undefined;
    const index = data.termIndex.get(term);
    if (index === undefined) return undefined;
    let perField = this.postingsCache.get(field);
    if (!perField) this.postingsCache.set(field, (perField = new Map()));
    let postings = perField.get(term);
    if (!postings) {
      postings = termPostings(data, index);
      perField.set(term, postings);
    }
    return postings;
  }

  termDocIds(field: string, term: string): Int32Array | undefined {
    const data = this.fields.get(field);
    const index = data?.termIndex.get(term);
    if (!data || index === undefined) return undefined;
    return data.docs.subarray(data.termStarts[index]!, data.termStarts[index + 1]!);
  }

  docFreq(field: string, term: string): number {
    const data = this.fields.get(field);
    const index = data?.termIndex.get(term);
    if (!data || index === undefined) return 0;
    return data.termStarts[index + 1]! - data.termStarts[index]!;
  }

  /** Rough in-memory size, for `_stats` and `_cat/indices` store sizes. */
  estimateBytes(): number {
    if (this.bytes !== undefined) return this.bytes;
    let bytes = this.docs.maxDoc * 48;
    for (const data of this.fields.values()) {
      bytes += data.docs.byteLength + data.freqs.byteLength + data.positions.byteLength + data.posStarts.byteLength;
      for (const term of data.terms) bytes += term.length + 16;
    }
    this.bytes = bytes;
    return bytes;
  }
}
