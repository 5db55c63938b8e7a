/**
 * The libraries the engine benchmark compares, behind one interface: index the mails, then answer
 * a BenchQuery with the ids (positions in the corpus) of its top 10 hits. Each is used the way
 * its documentation shows, with its default analysis, and each query is mapped to the library's
 * closest feature; where it cannot say the same thing, its file says so (contestants/*.ts).
 * Each lives in a module of its own, loaded only by the child process that measures it, so
 * that no child's peak RSS includes another library's code.
 */
import type { BenchQuery } from './bench-queries.js';
import type { MailDocument } from './spam-corpus.js';

export const CONTESTANT_NAMES = ['indexkit', 'minisearch', 'flexsearch', 'orama', 'lunr', 'baseline'] as const;
export type ContestantName = (typeof CONTESTANT_NAMES)[number];

/** Hits asked of every library per query. */
export const TOP = 10;

export interface Contestant {
  /** Untimed set-up (the engine: open the data directory, create the index). */
  open?(): Promise<void>;
  /** Builds the index from all the mails; resolves when everything is searchable. */
  index(docs: MailDocument[]): Promise<void>;
  /** Ids of the top 10 hits, best first. */
  search(query: BenchQuery): Promise<number[]>;
  close(): Promise<void>;
}

/** Loads the documents and nothing else: the RSS every contestant starts from. */
class BaselineContestant implements Contestant {
  async index(): Promise<void> {}
  async search(): Promise<number[]> {
    return [];
  }
  async close(): Promise<void> {}
}

export const loadContestant: Record<ContestantName, () => Promise<Contestant>> = {
  indexkit: async () => new (await import('./contestants/indexkit.js')).IndexkitContestant(),
  minisearch: async () => new (await import('./contestants/minisearch.js')).MiniSearchContestant(),
  flexsearch: async () => new (await import('./contestants/flexsearch.js')).FlexSearchContestant(),
  orama: async () => new (await import('./contestants/orama.js')).OramaContestant(),
  lunr: async () => new (await import('./contestants/lunr.js')).LunrContestant(),
  baseline: async () => new BaselineContestant(),
};

/** Whether the library ranks with BM25 (MiniSearch with BM25+). FlexSearch has no idf or length norm. */
export const RANKS_WITH_BM25: Record<ContestantName, boolean> = {
  indexkit: true,
  minisearch: true,
  flexsearch: false,
  orama: true,
  lunr: true,
  baseline: false,
};
