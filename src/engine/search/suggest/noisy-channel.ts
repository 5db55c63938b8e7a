import type { Token } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { drawAll } from './candidate-generator.js';
import type { Candidate, CandidateSet, DirectCandidateGenerator } from './candidate-generator.js';
import type { WordScorer } from './word-scorer.js';

/**
 * NoisyChannelSpellChecker + CandidateScorer: one candidate set per unigram of the analyzed
 * text, then every path that changes at most `max_errors` tokens is scored
 * exp(sum of log10(channel x n-gram probability)) — Elasticsearch mixes the two bases — and
 * the best `shard_size` paths above the cutoff (the input's own score x confidence) are kept.
 */

export interface Correction {
  score: number;
  candidates: Candidate[];
}

export interface CheckerOptions {
  realWordLikelihood: number;
  requireUnigram: boolean;
  tokenLimit: number;
  maxErrors: number;
  numCorrections: number;
  confidence: number;
  gramSize: number;
}

export function getCorrections(
  tokens: readonly Token[],
  generators: readonly DirectCandidateGenerator[],
  scorer: WordScorer,
  o: CheckerOptions,
): { corrections: Correction[]; cutoffScore: number } {
  const first = generators[0] as DirectCandidateGenerator;
  const sets: CandidateSet[] = [];
  let current: CandidateSet | undefined;
  let anyUnigram = false;
  let previous = -1;
  for (const token of tokens) {
    const posInc = token.position - previous;
    previous = token.position;
    if (o.requireUnigram && token.type === 'shingle') continue;
    anyUnigram = true;
    if (posInc === 0 && token.type === 'SYNONYM' && current) {
      const stats = first.termStats(token.term);
      if (stats.docFreq > 0) current.candidates.push(first.createCandidate(token.term, stats, o.realWordLikelihood, false));
    } else {
      if (current) sets.push(current);
      current = { original: first.createCandidate(token.term, first.termStats(token.term), 1, true), candidates: [] };
    }
  }
  if (current) sets.push(current);
  if (o.requireUnigram && !anyUnigram && tokens.length > 0) {
    throw new EngineError(500, 'illegal_state_exception', 'At least one unigram is required but all tokens were ngrams');
  }
  if (sets.length === 0 || sets.length >= o.tokenLimit) return { corrections: [], cutoffScore: Number.MIN_VALUE };
  for (const set of sets) drawAll(generators, set, o.numCorrections);
  let cutoffScore = Number.MIN_VALUE;
  if (o.confidence > 0) {
    const originals = sets.map((s) => s.original);
    let sum = 0;
    for (let i = 0; i < sets.length; i++) sum += scorer.score(originals, i, o.gramSize);
    cutoffScore = Math.exp(sum) * o.confidence;
  }
  return { corrections: findBestCandidates(sets, scorer, o, cutoffScore), cutoffScore };
}

/** Correction.compareTo: lower score first; at equal scores the path with the later term is weaker. */
function compare(score: number, path: readonly Candidate[], otherScore: number, other: readonly Candidate[]): number {
  if (score !== otherScore) return score < otherScore ? -1 : 1;
  for (let i = 0; i < Math.min(path.length, other.length); i++) {
    const a = (path[i] as Candidate).term;
    const b = (other[i] as Candidate).term;
    if (a !== b) return a < b ? 1 : -1;
  }
  return path.length - other.length;
}

function findBestCandidates(sets: CandidateSet[], scorer: WordScorer, o: CheckerOptions, cutoffScore: number): Correction[] {
  const queue: Correction[] = [];
  const errors = Math.fround(o.maxErrors);
  // CandidateScorer: an absolute count from 1 up, a fraction of the tokens (Math.round of a float) below
  const numMisspellings = errors >= 1 ? Math.trunc(errors) : Math.floor(Math.fround(errors * sets.length) + 0.5);
  const path: Candidate[] = new Array<Candidate>(sets.length);

  const updateTop = (logScore: number): void => {
    const score = Math.exp(logScore);
    if (!(score > cutoffScore)) return;
    if (queue.length < o.numCorrections) {
      queue.push({ score, candidates: [...path] });
      return;
    }
    let weakest = 0;
    for (let i = 1; i < queue.length; i++) {
      const q = queue[i] as Correction;
      const w = queue[weakest] as Correction;
      if (compare(q.score, q.candidates, w.score, w.candidates) < 0) weakest = i;
    }
    const top = queue[weakest] as Correction;
    if (compare(top.score, top.candidates, score, path) < 0) queue[weakest] = { score, candidates: [...path] };
  };

  const find = (ord: number, left: number, pathScore: number): void => {
    const current = sets[ord] as CandidateSet;
    if (ord === sets.length - 1) {
      path[ord] = current.original;
      updateTop(pathScore + scorer.score(path, ord, o.gramSize));
      if (left > 0) {
        for (const c of current.candidates) {
          path[ord] = c;
          updateTop(pathScore + scorer.score(path, ord, o.gramSize));
        }
      }
      return;
    }
    path[ord] = current.original;
    find(ord + 1, left, pathScore + scorer.score(path, ord, o.gramSize));
    if (left > 0) {
      for (const c of current.candidates) {
        path[ord] = c;
        find(ord + 1, left - 1, pathScore + scorer.score(path, ord, o.gramSize));
      }
    }
  };
  if (sets.length > 0) find(0, Math.max(1, numMisspellings), 0);
  return queue.sort((a, b) => compare(b.score, b.candidates, a.score, a.candidates));
}

/** Correction.join: the terms with `separator`; with tags, each run of changed terms wrapped once. */
export function joinCorrection(c: Correction, separator: string, preTag?: string, postTag?: string): string {
  const parts = c.candidates.map((candidate, i) => {
    if (preTag === undefined || postTag === undefined || candidate.userInput) return candidate.term;
    let s = '';
    if (i === 0 || (c.candidates[i - 1] as Candidate).userInput) s += preTag;
    s += candidate.term;
    if (i + 1 === c.candidates.length || (c.candidates[i + 1] as Candidate).userInput) s += postTag;
    return s;
  });
  return parts.join(separator);
}
