import type { IndexView } from '../../contract.js';

/**
 * Lucene's `MultiTerms.getTerms(reader, field)` as the suggesters read it: the field's terms over
 * every segment of one index with docFreq / totalTermFreq summed per term (deleted documents
 * included, as Lucene counts them until a merge), sumTotalTermFreq, maxDoc, and `size()`, which
 * Lucene only knows for a single segment (MultiTerms answers -1).
 */
export class FieldTerms {
  /** Whether any segment has a term in the field (Lucene: `getTerms` is non-null). */
  readonly exists: boolean;
  /** Lucene `Terms.size()`: the unique term count with one segment, -1 over several. */
  readonly size: number;
  readonly sumTotalTermFreq: number;
  readonly maxDoc: number;
  private sorted?: string[];

  constructor(
    private readonly view: IndexView,
    readonly field: string,
  ) {
    let withTerms = 0;
    let count = 0;
    for (const seg of view.segments) {
      const n = seg.terms(field).length;
      if (n > 0) {
        withTerms++;
        count = n;
      }
    }
    this.exists = withTerms > 0;
    this.size = withTerms === 1 ? count : -1;
    this.sumTotalTermFreq = view.fieldStats(field)?.sumTotalTermFreq ?? 0;
    this.maxDoc = view.segments.reduce((n, s) => n + s.maxDoc, 0);
  }

  /** Every term of the field once, in sorted order (a TermsEnum walk). */
  terms(): readonly string[] {
    if (this.sorted) return this.sorted;
    const segs = this.view.segments.map((s) => s.terms(this.field)).filter((t) => t.length > 0);
    this.sorted = segs.length === 1 ? (segs[0] as string[]) : [...new Set(segs.flat())].sort();
    return this.sorted;
  }

  docFreq(term: string): number {
    let n = 0;
    for (const seg of this.view.segments) n += seg.postings(this.field, term)?.docFreq ?? 0;
    return n;
  }

  totalTermFreq(term: string): number {
    let n = 0;
    for (const seg of this.view.segments) n += seg.postings(this.field, term)?.totalTermFreq ?? 0;
    return n;
  }

  /** Lucene's TermStats: docFreq and totalTermFreq, (0, 0) for an absent term. */
  termStats(term: string): TermStats {
    let docFreq = 0;
    let totalTermFreq = 0;
    for (const seg of this.view.segments) {
      const p = seg.postings(this.field, term);
      if (p) {
        docFreq += p.docFreq;
        totalTermFreq += p.totalTermFreq;
      }
    }
    return { docFreq, totalTermFreq };
  }
}

export interface TermStats {
  docFreq: number;
  totalTermFreq: number;
}
