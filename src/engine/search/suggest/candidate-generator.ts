import type { Analyzer } from '../../contract.js';
import { suggestSimilar } from './direct-spell-checker.js';
import type { SpellcheckerSettings } from './direct-spell-checker.js';
import type { FieldTerms, TermStats } from './field-terms.js';

/**
 * The phrase suggester's DirectCandidateGenerator: per input token, the DirectSpellChecker
 * corrections from one field, each scored `stringDistance x (ttf + 1) / (sumTtf + 1)`, with
 * optional pre/post filter analyzers; MultiCandidateGeneratorWrapper merges generators and
 * keeps the best `shard_size` candidates per token.
 */

export interface Candidate {
  term: string;
  stats: TermStats;
  stringDistance: number;
  score: number;
  userInput: boolean;
}

export interface CandidateSet {
  original: Candidate;
  candidates: Candidate[];
}

const LOG_BASE = 5;

/** Candidate.compareTo reversed: higher score first, then the earlier term. */
const strongestFirst = (a: Candidate, b: Candidate): number => (a.score === b.score ? (a.term < b.term ? -1 : a.term > b.term ? 1 : 0) : b.score - a.score);

export class DirectCandidateGenerator {
  private readonly dictionarySize: number;
  private readonly frequencyPlateau: number;

  constructor(
    readonly terms: FieldTerms,
    private readonly settings: SpellcheckerSettings,
    private readonly size: number,
    private readonly nonErrorLikelihood: number,
    private readonly preFilter?: Analyzer,
    private readonly postFilter?: Analyzer,
  ) {
    this.dictionarySize = terms.sumTotalTermFreq;
    const t = settings.minDocFreq;
    this.frequencyPlateau = t >= 1 ? Math.trunc(t) : Math.trunc(Math.fround(terms.maxDoc * t));
  }

  private filtered(term: string): string {
    if (!this.preFilter) return term;
    // the last token's text, as TokenConsumer.fillBytesRef overwrites the buffer per token
    const tokens = this.preFilter.analyze(term);
    return tokens.length > 0 ? (tokens[tokens.length - 1]?.term as string) : term;
  }

  /** Term statistics of a (pre-filtered) term. */
  termStats(term: string): TermStats {
    return this.terms.termStats(this.filtered(term));
  }

  createCandidate(term: string, stats: TermStats, channelScore: number, userInput: boolean): Candidate {
    return { term, stats, stringDistance: channelScore, score: this.score(stats, channelScore), userInput };
  }

  private score(stats: TermStats, errorScore: number): number {
    return errorScore * ((stats.totalTermFreq + 1) / (this.dictionarySize + 1));
  }

  /** Frequency a correction must beat when the token itself is in the index: grows with log5 of its docFreq. */
  thresholdTermFrequency(docFreq: number): number {
    if (docFreq <= 0) return 0;
    const x = Math.round(docFreq * (Math.log10(docFreq - this.frequencyPlateau) * (1 / Math.log10(LOG_BASE))) + 1);
    return Number.isFinite(x) ? Math.max(0, x) : 0;
  }

  drawCandidates(set: CandidateSet): void {
    const original = set.original;
    const term = this.filtered(original.term);
    let threshold = this.settings.minDocFreq;
    if (this.settings.suggestMode !== 'always') {
      const t = this.thresholdTermFrequency(original.stats.docFreq);
      if (t >= 2147483647) return;
      if (threshold < t) threshold = t;
    }
    const found: Candidate[] = [];
    for (const word of suggestSimilar(this.terms, term, this.size, this.settings, this.settings.suggestMode, threshold)) {
      const candidate: Candidate = { term: word.string, stats: this.terms.termStats(word.string), stringDistance: word.score, score: 0, userInput: false };
      candidate.score = this.score(candidate.stats, word.score);
      this.postFiltered(candidate, found);
    }
    // CandidateSet.addCandidates: union (the new candidate wins a tie on the term), strongest first
    const byTerm = new Map<string, Candidate>();
    for (const c of found) if (!byTerm.has(c.term)) byTerm.set(c.term, c);
    for (const c of set.candidates) if (!byTerm.has(c.term)) byTerm.set(c.term, c);
    set.candidates = [...byTerm.values()].sort(strongestFirst);
  }

  private postFiltered(candidate: Candidate, out: Candidate[]): void {
    if (!this.postFilter) {
      out.push(candidate);
      return;
    }
    let previous = -1;
    for (const token of this.postFilter.analyze(candidate.term)) {
      const posInc = token.position - previous;
      previous = token.position;
      const score = this.score(candidate.stats, candidate.stringDistance);
      if (posInc > 0 && token.term === candidate.term) {
        out.push({ term: token.term, stats: this.terms.termStats(token.term), stringDistance: candidate.stringDistance, score, userInput: false });
      } else {
        out.push({ term: token.term, stats: candidate.stats, stringDistance: this.nonErrorLikelihood, score, userInput: false });
      }
    }
  }
}

/** MultiCandidateGeneratorWrapper: every generator adds to the set, then the best `numCandidates` stay. */
export function drawAll(generators: readonly DirectCandidateGenerator[], set: CandidateSet, numCandidates: number): void {
  for (const g of generators) g.drawCandidates(set);
  if (set.candidates.length > numCandidates) {
    set.candidates = [...set.candidates].sort((a, b) => b.score - a.score).slice(0, numCandidates);
  }
}
