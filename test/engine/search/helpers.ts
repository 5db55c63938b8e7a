import type { IndexView, SearchTarget } from '../../../src/engine/contract.js';
import { EngineError } from '../../../src/engine/errors.js';
import { createSearchService } from '../../../src/engine/search/index.js';
import type { SearchServiceOptions } from '../../../src/engine/search/index.js';

/** Search helpers over reference indexes. */

export const service = (options?: SearchServiceOptions) => createSearchService(options);

export const targets = (...views: IndexView[]): SearchTarget[] => views.map((view) => ({ view }));

export interface Hit {
  _index: string;
  _id: string;
  _score: number | null;
  _source?: Record<string, unknown>;
  sort?: unknown[];
  fields?: Record<string, unknown[]>;
  matched_queries?: string[];
}

export interface Resp {
  hits: { total?: { value: number; relation: string }; max_score: number | null; hits: Hit[] };
  [k: string]: unknown;
}

export function search(views: IndexView | IndexView[], body: Record<string, unknown>, params: Record<string, unknown> = {}): Resp {
  const s = createSearchService({ now: () => Date.parse('2024-06-15T12:00:00Z') });
  return s.search(targets(...(Array.isArray(views) ? views : [views])), body, params) as unknown as Resp;
}

export const ids = (r: Resp): string[] => r.hits.hits.map((h) => h._id);

/** Score of the hit with `id`. */
export function scoreOf(r: Resp, id: string): number {
  const h = r.hits.hits.find((x) => x._id === id);
  if (!h || h._score === null) throw new Error(`no scored hit ${id} in ${JSON.stringify(ids(r))}`);
  return h._score;
}

/** The EngineError a call throws, as the response body the client would see. */
export function errorOf(fn: () => unknown): { status: number; body: ReturnType<EngineError['toResponse']> } {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return { status: e.status, body: e.toResponse() };
    throw e;
  }
  throw new Error('expected an EngineError');
}

/** idf as Lucene computes it, for expected values written in tests. */
export const idf = (docFreq: number, docCount: number): number => Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
/**
 * tf part of BM25 as Elasticsearch 8 scores it (LegacyBM25Similarity, k1 = 1.2, b = 0.75): the
 * (k1 + 1) = 2.2 factor in the numerator, which Lucene 8+'s BM25Similarity dropped and
 * Elasticsearch kept. dl must already be the norm-decoded length.
 */
export const tf = (freq: number, dl: number, avgdl: number): number => ((1.2 + 1) * freq) / (freq + 1.2 * (1 - 0.75 + (0.75 * dl) / avgdl));
