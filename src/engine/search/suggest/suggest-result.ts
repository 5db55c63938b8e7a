import type { IndexView } from '../../contract.js';

/** One shard's (here: one index's) answer to one suggestion, before the reduce. */

export interface TermOption {
  text: string;
  score: number;
  freq: number;
}

export interface PhraseOption {
  text: string;
  highlighted?: string;
  score: number;
}

export interface CompletionOption {
  text: string;
  score: number;
  view: IndexView;
  /** Position of the index among the search's targets (ES: the shard index). */
  target: number;
  segment: number;
  doc: number;
  /** The matched context, `{name: [value]}`, for a field with context mappings. */
  contexts?: Record<string, string[]>;
}

export interface SuggestEntry<O> {
  text: string;
  offset: number;
  length: number;
  options: O[];
}
