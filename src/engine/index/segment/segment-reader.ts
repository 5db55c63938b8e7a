import type { CompletionInput, CompletionSegmentView, TermPostings } from '../../contract.js';
import type { FieldData, SegmentCore } from './segment-core.js';

type Json = Record<string, unknown>;

/**
 * A segment as one IndexView sees it: the immutable core plus the live-docs snapshot frozen at
 * that refresh (copy-on-write: later deletes never change it).
 */
export class SegmentReader implements CompletionSegmentView {
  constructor(
    readonly core: SegmentCore,
    /** null: every doc is live. */
    readonly live: Uint8Array | null,
    /** Live top-level docs (kept by the shard, so views are built in O(segments)). */
    private readonly liveTopLevel: number,
    /** Field aliases of the view's mapping: reads under an alias name read its target field. */
    private readonly aliasTarget?: (name: string) => string | undefined,
  ) {}

  private resolve(name: string): string {
    if (!this.aliasTarget) return name;
    // a hidden companion column (`<field>\0nanos`) of an alias is its target's
    const cut = name.indexOf('\u0000');
    if (cut > 0) {
      const target = this.aliasTarget(name.slice(0, cut));
      return target === undefined ? name : target + name.slice(cut);
    }
    return this.aliasTarget(name) ?? name;
  }

  get maxDoc(): number {
    return this.core.maxDoc;
  }

  isLive(doc: number): boolean {
    return this.live === null || this.live[doc] === 1;
  }

  id(doc: number): string {
    return this.core.docs.ids[doc]!;
  }

  source(doc: number): Json | undefined {
    return this.core.docs.sources[doc];
  }

  storedSource(doc: number): Json | undefined {
    return this.core.docs.originals?.[doc] ?? this.core.docs.sources[doc];
  }

  seqNo(doc: number): number {
    return this.core.docs.seqNos[doc]!;
  }

  primaryTerm(): number {
    return 1;
  }

  version(doc: number): number {
    return this.core.docs.versions[doc]!;
  }

  nestedPath(doc: number): string | undefined {
    return this.core.docs.nestedPaths?.[doc];
  }

  parentOf(doc: number): number {
    return this.core.docs.parents ? this.core.docs.parents[doc]! : doc;
  }

  nestedOffset(doc: number): number {
    return this.core.docs.nestedOffsets?.[doc] ?? 0;
  }

  postings(field: string, term: string): TermPostings | undefined {
    return this.core.postings(this.resolve(field), term);
  }

  termDocIds(field: string, term: string): Int32Array | undefined {
    return this.core.termDocIds(field, term);
  }

  terms(field: string): readonly string[] {
    return this.field(field)?.terms ?? [];
  }

  fieldLength(field: string, doc: number): number {
    return this.field(field)?.lengths?.[doc] ?? 0;
  }

  numericValues(field: string, doc: number): readonly number[] | undefined {
    return this.field(field)?.numbers?.[doc];
  }

  keywordValues(field: string, doc: number): readonly string[] | undefined {
    return this.field(field)?.keywords?.[doc];
  }

  // Scorers and doc-value readers ask for one field doc after doc: remember the last lookup.
  private lastField: string | undefined;
  private lastData: FieldData | undefined;
  private field(name: string): FieldData | undefined {
    if (name !== this.lastField) {
      this.lastField = name;
      this.lastData = this.core.fields.get(this.resolve(name));
    }
    return this.lastData;
  }

  hasField(field: string, doc: number): boolean {
    return this.field(field)?.present[doc] === 1;
  }

  completions(field: string, doc: number): readonly CompletionInput[] | undefined {
    return this.field(field)?.completions?.[doc];
  }

  /** Live top-level docs. */
  numDocs(): number {
    return this.liveTopLevel;
  }
}
