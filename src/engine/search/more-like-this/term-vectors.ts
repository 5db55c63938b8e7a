import type { MltItem } from './more-like-this-query.js';

/**
 * The term vectors of one document as the term vectors API generates them for more_like_this:
 * per field, each term with its frequency in the document, terms in sorted order.
 */
export type TermVectors = Map<string, Map<string, number>>;

/**
 * What a shard's rewrite reads from other documents, as Elasticsearch's query rewrite reaches them
 * through its client: the multi term vectors of more_like_this items.
 */
export interface DocumentLookup {
  /**
   * The term vectors of `item` (a stored document of `index`, or its artificial `doc` parsed with
   * the mapping of `index`) for the fields matching `fields` (every text and keyword field when
   * undefined); undefined when the index or the document does not exist.
   */
  termVectors(index: string, item: MltItem, fields: readonly string[] | undefined): TermVectors | undefined;
}
