import type { IndexView } from '../contract.js';
import type { MltItem } from './more-like-this/more-like-this-query.js';

type Json = Record<string, unknown>;

/**
 * The term vectors of one document as the term vectors API generates them for more_like_this:
 * per field, each term with its frequency in the document, terms in sorted order.
 */
export type TermVectors = Map<string, Map<string, number>>;

/**
 * What a shard's rewrite reads beyond its own index, as Elasticsearch's query rewrite reaches it
 * through its client and mapper service: the term vectors of more_like_this items, the document a
 * percolate query names, and the in-memory index of the documents it percolates.
 */
export interface DocumentLookup {
  /**
   * The term vectors of `item` (a stored document of `index`, or its artificial `doc` parsed with
   * the mapping of `index`) for the fields matching `fields` (every text and keyword field when
   * undefined); undefined when the index or the document does not exist.
   */
  termVectors(index: string, item: MltItem, fields: readonly string[] | undefined): TermVectors | undefined;
  /** Whether `index` names an index (a GetRequest on a missing one fails with index_not_found_exception). */
  indexExists?(index: string): boolean;
  /** The `_source` of a stored document (realtime get); undefined when it does not exist, null when `_source` is disabled. */
  source(index: string, id: string, routing: string | undefined): Json | null | undefined;
  /**
   * An index of `docs` alone (doc slot i is the i-th top-level document), parsed with the mapping
   * of `index` as Lucene's MemoryIndex holds a percolated document.
   */
  memoryIndex(index: string, docs: readonly Json[]): IndexView;
}
