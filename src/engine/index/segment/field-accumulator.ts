import type { CompletionEntry, ParsedField } from '../parsed-document.js';
import type { FieldData } from './segment-core.js';

/** A growable Int32 column. */
class IntColumn {
  data = new Int32Array(64);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/**
 * Collects one field's postings and values while a segment is built (refresh) or merged,
 * then freezes them into a FieldData of typed arrays. Docs must arrive in ascending order.
 * Postings are kept as flat (term id, doc, position) occurrence columns, with no per-term
 * objects, and grouped by term with a counting sort at freeze time.
 */
export class FieldAccumulator {
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private readonly occTerm = new IntColumn();
  private readonly occDoc = new IntColumn();
  private readonly occPos = new IntColumn();
  private readonly lengths: number[] = [];
  private numbers?: Array<readonly number[] | undefined>;
  private keywords?: Array<readonly string[] | undefined>;
  private completions?: Array<readonly CompletionEntry[] | undefined>;
  private readonly presentDocs: number[] = [];
  private hasLengths = false;

  /** `unordered`: docs may arrive in any order (a merge that applies an index sort). */
  constructor(private readonly unordered = false) {}

  private addTerm(term: string, doc: number, position: number): void {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termNames.length;
      this.termIds.set(term, id);
      this.termNames.push(term);
    }
    this.occTerm.push(id);
    this.occDoc.push(doc);
    this.occPos.push(position);
  }

  /** Adds a freshly parsed field value set for `doc`. */
  addParsed(doc: number, field: ParsedField): void {
    let has = false;
    if (field.indexed && field.terms && field.positions) {
      const { terms, positions } = field;
      for (let i = 0; i < terms.length; i++) this.addTerm(terms[i]!, doc, positions[i]!);
      // a text value with no tokens ("") still makes the field exist (norms of length 0, ES 8.5.1+)
      has = true;
      this.setLength(doc, field.length);
    }
    if (field.keywords && field.keywords.length > 0) {
      has = true;
      if (field.indexed) {
        field.keywords.forEach((keyword, i) => this.addTerm(keyword, doc, i));
        this.setLength(doc, field.keywords.length);
      }
      if (field.docValues || !field.indexed) {
        const values = field.keywords.length === 1 ? field.keywords : [...new Set(field.keywords)].sort();
        (this.keywords ??= [])[doc] = values;
      }
    }
    if (field.numbers && field.numbers.length > 0) {
      has = true;
      const values = field.numbers.length === 1 ? field.numbers : field.numbers.sort((a, b) => a - b);
      (this.numbers ??= [])[doc] = values;
    }
    if (field.completions && field.completions.length > 0) {
      has = true;
      (this.completions ??= [])[doc] = field.completions;
      (this.keywords ??= [])[doc] = [...new Set(field.completions.map((c) => c.input))].sort();
    }
    if (has) this.presentDocs.push(doc);
  }

  private setLength(doc: number, length: number): void {
    this.lengths[doc] = (this.lengths[doc] ?? 0) + length;
    this.hasLengths = true;
  }

  /** Copies one term's postings from an existing segment, remapping doc ids (merge). */
  addPostings(term: string, docs: Int32Array, posStarts: Int32Array, positions: Int32Array, first: number, docMap: Int32Array): void {
    for (let i = 0; i < docs.length; i++) {
      const newDoc = docMap[docs[i]!]!;
      if (newDoc < 0) continue;
      const from = posStarts[first + i]!;
      const to = posStarts[first + i + 1]!;
      for (let p = from; p < to; p++) this.addTerm(term, newDoc, positions[p]!);
    }
  }

  /** Copies one doc's per-document values (merge). */
  addValues(newDoc: number, data: FieldData, oldDoc: number): void {
    if (data.present[oldDoc]) this.presentDocs.push(newDoc);
    const length = data.lengths?.[oldDoc];
    if (length) this.setLength(newDoc, length);
    const numbers = data.numbers?.[oldDoc];
    if (numbers) (this.numbers ??= [])[newDoc] = numbers;
    const keywords = data.keywords?.[oldDoc];
    if (keywords) (this.keywords ??= [])[newDoc] = keywords;
    const completions = data.completions?.[oldDoc];
    if (completions) (this.completions ??= [])[newDoc] = completions;
  }

  freeze(maxDoc: number): FieldData {
    const termCount = this.termNames.length;
    const terms = [...this.termNames].sort();
    const rank = new Int32Array(termCount);
    const termIndex = new Map<string, number>();
    for (let r = 0; r < termCount; r++) {
      const term = terms[r]!;
      termIndex.set(term, r);
      rank[this.termIds.get(term)!] = r;
    }
    // Counting sort of the occurrences by term rank (stable: docs and positions stay ascending).
    const occurrences = this.occTerm.length;
    let occTerm: Int32Array = this.occTerm.data;
    let occDoc: Int32Array = this.occDoc.data;
    let occPos: Int32Array = this.occPos.data;
    // Docs out of order: a stable counting sort by doc first, so the sort by term leaves each
    // term's docs ascending (and a doc's positions in the order they came).
    if (this.unordered) [occTerm, occDoc, occPos] = sortByDoc(occTerm, occDoc, occPos, occurrences, maxDoc);
    const start = new Int32Array(termCount + 1);
    for (let i = 0; i < occurrences; i++) start[rank[occTerm[i]!]! + 1]!++;
    for (let r = 0; r < termCount; r++) start[r + 1]! += start[r]!;
    const cursor = start.slice(0, termCount);
    const sortedDoc = new Int32Array(occurrences);
    const positions = new Int32Array(occurrences);
    for (let i = 0; i < occurrences; i++) {
      const at = cursor[rank[occTerm[i]!]!]!++;
      sortedDoc[at] = occDoc[i]!;
      positions[at] = occPos[i]!;
    }
    // Group each term's occurrences by doc: postings entries with freqs and position starts.
    let postingCount = 0;
    for (let r = 0; r < termCount; r++) {
      let last = -1;
      for (let i = start[r]!; i < start[r + 1]!; i++) {
        if (sortedDoc[i] !== last) {
          postingCount++;
          last = sortedDoc[i]!;
        }
      }
    }
    const termStarts = new Int32Array(termCount + 1);
    const docs = new Int32Array(postingCount);
    const freqs = new Int32Array(postingCount);
    const posStarts = new Int32Array(postingCount + 1);
    let entry = 0;
    for (let r = 0; r < termCount; r++) {
      termStarts[r] = entry;
      let last = -1;
      for (let i = start[r]!; i < start[r + 1]!; i++) {
        const doc = sortedDoc[i]!;
        if (doc !== last) {
          docs[entry] = doc;
          posStarts[entry] = i;
          freqs[entry] = 1;
          entry++;
          last = doc;
        } else {
          freqs[entry - 1]!++;
        }
      }
    }
    termStarts[termCount] = entry;
    posStarts[postingCount] = occurrences;
    const positionCount = occurrences;
    const present = new Uint8Array(maxDoc);
    for (const doc of this.presentDocs) present[doc] = 1;
    let lengths: Int32Array | undefined;
    let sumTotalTermFreq = 0;
    let docCount = 0;
    if (this.hasLengths) {
      lengths = new Int32Array(maxDoc);
      this.lengths.forEach((length, doc) => {
        lengths![doc] = length;
        sumTotalTermFreq += length;
        if (length > 0) docCount++;
      });
    }
    const pad = <T>(values: Array<T | undefined> | undefined): Array<T | undefined> | undefined => {
      if (values && values.length < maxDoc) values.length = maxDoc;
      return values;
    };
    return {
      terms,
      termIndex,
      termStarts,
      docs,
      freqs,
      posStarts,
      positions,
      lengths,
      numbers: pad(this.numbers),
      keywords: pad(this.keywords),
      completions: pad(this.completions),
      present,
      docCount,
      sumTotalTermFreq: positionCount > sumTotalTermFreq ? positionCount : sumTotalTermFreq,
      sumDocFreq: postingCount,
    };
  }
}

function sortByDoc(terms: Int32Array, docs: Int32Array, positions: Int32Array, count: number, maxDoc: number): [Int32Array, Int32Array, Int32Array] {
  const start = new Int32Array(maxDoc + 1);
  for (let i = 0; i < count; i++) start[docs[i]! + 1]!++;
  for (let d = 0; d < maxDoc; d++) start[d + 1]! += start[d]!;
  const outTerms = new Int32Array(count);
  const outDocs = new Int32Array(count);
  const outPositions = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const at = start[docs[i]!]!++;
    outTerms[at] = terms[i]!;
    outDocs[at] = docs[i]!;
    outPositions[at] = positions[i]!;
  }
  return [outTerms, outDocs, outPositions];
}
