import type { Analyzer, IndexView } from '../contract.js';
import { unsupported } from '../errors.js';
import { JsonDouble, javaFloat } from './float-format.js';
import { LucenePriorityQueue } from './lucene-priority-queue.js';

type Json = Record<string, unknown>;

/** One occurrence of a term in a field of the document. */
export interface TermToken {
  position: number;
  startOffset: number;
  endOffset: number;
}

/**
 * The term vector of one field of one document, as Lucene hands it back: terms with their
 * occurrences, and what the vector holds (a stored vector per its `term_vector` mapping; a vector
 * generated in a MemoryIndex has positions, and offsets when the request asks for them).
 */
export interface FieldVector {
  hasPositions: boolean;
  hasOffsets: boolean;
  hasPayloads: boolean;
  terms: Map<string, TermToken[]>;
}

/** TermVectorsRequest's flags (positions, offsets, payloads, field statistics default on). */
export interface TermVectorsFlags {
  positions: boolean;
  offsets: boolean;
  payloads: boolean;
  termStatistics: boolean;
  fieldStatistics: boolean;
}

/** TermVectorsRequest.FilterSettings with TermVectorsFilter's defaults. */
export interface FilterSettings {
  maxNumTerms: number;
  minTermFreq: number;
  maxTermFreq: number;
  minDocFreq: number;
  maxDocFreq: number;
  minWordLength: number;
  maxWordLength: number;
}

const INT_MAX = 2147483647;
export const DEFAULT_FILTER: FilterSettings = { maxNumTerms: 25, minTermFreq: 0, maxTermFreq: INT_MAX, minDocFreq: 0, maxDocFreq: INT_MAX, minWordLength: 0, maxWordLength: 0 };

/**
 * Analyses a field's values as MemoryIndex#addField (and the indexing chain) does: positions go on
 * across values with the analyzer's position increment gap, offsets with an offset gap of 1.
 * A keyword field without an analyzer override is one token per value (its normalizer applied).
 */
export function analyzeValues(values: readonly string[], analyzer: Analyzer | undefined, normalize?: (s: string) => string): Map<string, TermToken[]> {
  const terms = new Map<string, TermToken[]>();
  const add = (term: string, token: TermToken): void => {
    let list = terms.get(term);
    if (!list) terms.set(term, (list = []));
    list.push(token);
  };
  let offsetBase = 0;
  let positionBase = 0;
  let tokens = 0;
  for (const value of values) {
    // MemoryIndex starts a value after the previous one only once the field has a token
    if (tokens === 0) {
      offsetBase = 0;
      positionBase = 0;
    }
    if (analyzer) {
      let last = -1;
      for (const t of analyzer.analyze(value)) {
        add(t.term, { position: positionBase + t.position, startOffset: offsetBase + t.startOffset, endOffset: offsetBase + t.endOffset });
        if (t.position > last) last = t.position;
        tokens++;
      }
      if (tokens > 0) positionBase += last + 1 + analyzer.positionIncrementGap;
    } else {
      add(normalize ? normalize(value) : value, { position: positionBase, startOffset: offsetBase, endOffset: offsetBase + value.length });
      tokens++;
      positionBase += 1;
    }
    if (tokens > 0) offsetBase += value.length + 1;
  }
  return terms;
}

/** BytesRef order: terms compare by their UTF-8 bytes. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function totalTermFreq(view: IndexView, field: string, term: string): number {
  let ttf = 0;
  for (const segment of view.segments) ttf += segment.postings(field, term)?.totalTermFreq ?? 0;
  return ttf;
}

interface ScoreTerm {
  word: string;
  score: number;
}

/**
 * TermVectorsFilter#selectBestTerms: per field, terms scored by tf-idf (ClassicSimilarity's idf over
 * the field's doc count in the shard), noise words (length, term frequency) and doc frequencies out
 * of bounds dropped, the best `max_num_terms` kept in Lucene's priority queue (ties as it breaks them).
 */
function selectBestTerms(view: IndexView, field: string, vector: FieldVector, settings: FilterSettings): Map<string, number> {
  const stats = view.fieldStats(field);
  // no terms of the field in the shard: the document's own vector gives the statistics
  const fromDoc = stats === undefined || stats.docCount === 0;
  const numDocs = fromDoc ? 1 : stats.docCount;
  const limit = Math.min(settings.maxNumTerms, vector.terms.size);
  const queue = new LucenePriorityQueue<ScoreTerm>(limit, (a, b) => a.score < b.score);
  // the vector's terms enum: terms in BytesRef order
  for (const word of [...vector.terms.keys()].sort(byUtf8)) {
    const freq = vector.terms.get(word)!.length;
    const len = word.length;
    if (settings.minWordLength > 0 && len < settings.minWordLength) continue;
    if (settings.maxWordLength > 0 && len > settings.maxWordLength) continue;
    if (settings.minTermFreq > 0 && freq < settings.minTermFreq) continue;
    if (freq > settings.maxTermFreq) continue;
    const docFreq = fromDoc ? 1 : view.docFreq(field, word);
    // a term the shard lacks: TermVectorsFilter reads an unpositioned terms enum
    if (docFreq === 0) throw unsupported('the term vectors filter on a term the shard has not indexed');
    if (settings.minDocFreq > 0 && docFreq < settings.minDocFreq) continue;
    if (docFreq > settings.maxDocFreq) continue;
    const idf = Math.fround(Math.log((numDocs + 1) / (docFreq + 1)) + 1);
    const score = Math.fround(freq * idf);
    if (queue.size() < limit) queue.add({ word, score });
    else if (queue.top().score < score) {
      const top = queue.top();
      top.word = word;
      top.score = score;
      queue.updateTop();
    }
  }
  const kept = new Map<string, number>();
  for (let t = queue.pop(); t !== undefined; t = queue.pop()) kept.set(t.word, t.score);
  return kept;
}

/** The `term_vectors` section of a TermVectorsResponse: fields by name, terms in BytesRef order. */
export function renderTermVectors(view: IndexView | undefined, vectors: Map<string, FieldVector>, flags: TermVectorsFlags, filter: FilterSettings | undefined): Json {
  const out: Json = {};
  for (const field of [...vectors.keys()].sort()) {
    const vector = vectors.get(field)!;
    if (filter && filter.maxNumTerms <= 0) throw unsupported('max_num_terms below 1 in the term vectors filter');
    const kept = filter ? (view ? selectBestTerms(view, field, vector, filter) : undefined) : undefined;
    const positions = flags.positions && vector.hasPositions;
    const offsets = flags.offsets && vector.hasOffsets;
    const payloads = flags.payloads && vector.hasPayloads;
    const entry: Json = {};
    if (flags.fieldStatistics) {
      const stats = view?.fieldStats(field);
      entry.field_statistics = { sum_doc_freq: stats?.sumDocFreq ?? 0, doc_count: stats?.docCount ?? 0, sum_ttf: stats?.sumTotalTermFreq ?? 0 };
    }
    const terms: Json = {};
    for (const term of [...vector.terms.keys()].sort(byUtf8)) {
      if (kept && !kept.has(term)) continue;
      const tokens = vector.terms.get(term)!;
      const t: Json = {};
      if (flags.termStatistics && view) {
        const docFreq = view.docFreq(field, term);
        // a term the shard has not indexed is written with no statistics
        if (docFreq > 0) {
          t.doc_freq = docFreq;
          t.ttf = totalTermFreq(view, field, term);
        }
      }
      t.term_freq = tokens.length;
      if (positions || offsets || payloads) {
        t.tokens = [...tokens]
          .sort((a, b) => a.position - b.position)
          .map((tok) => ({ ...(positions ? { position: tok.position } : {}), ...(offsets ? { start_offset: tok.startOffset, end_offset: tok.endOffset } : {}) }));
      }
      if (kept) {
        const score = javaFloat(Math.max(0, kept.get(term)!));
        t.score = Number.isInteger(score) ? new JsonDouble(score) : score;
      }
      terms[term] = t;
    }
    entry.terms = terms;
    out[field] = entry;
  }
  return out;
}
