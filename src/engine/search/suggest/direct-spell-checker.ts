import { EngineError } from '../../errors.js';
import { codePoints, editDistance } from '../levenshtein.js';
import type { FieldTerms } from './field-terms.js';
import { internalSimilarity, parseStringDistance, stringSimilarity } from './string-distance.js';
import type { StringDistanceName } from './string-distance.js';
import { floatOption, intOption, stringOption } from './suggest-options.js';

const f = Math.fround;

export const SUGGEST_MODES = ['missing', 'popular', 'always'] as const;
export type SuggestMode = (typeof SUGGEST_MODES)[number];

/** Elasticsearch's DirectSpellcheckerSettings (term suggester, phrase direct_generator), floats as Java floats. */
export interface SpellcheckerSettings {
  suggestMode: SuggestMode;
  accuracy: number;
  sort: 'score' | 'frequency';
  stringDistance: StringDistanceName;
  maxEdits: number;
  maxInspections: number;
  maxTermFreq: number;
  prefixLength: number;
  minWordLength: number;
  minDocFreq: number;
}

export const defaultSpellcheckerSettings = (): SpellcheckerSettings => ({
  suggestMode: 'missing',
  accuracy: f(0.5),
  sort: 'score',
  stringDistance: 'internal',
  maxEdits: 2,
  maxInspections: 5,
  maxTermFreq: f(0.01),
  prefixLength: 1,
  minWordLength: 4,
  minDocFreq: 0,
});

const bad = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/**
 * Reads one DirectSpellcheckerSettings option with the validation and messages of its owner
 * (TermSuggestionBuilder or DirectCandidateGeneratorBuilder); false when `key` is not one of them.
 */
export function parseSpellcheckerOption(s: SpellcheckerSettings, owner: 'term' | 'direct_generator', key: string, v: unknown): boolean {
  const generator = owner === 'direct_generator';
  switch (key) {
    case 'suggest_mode': {
      const mode = stringOption(owner, key, v).toLowerCase();
      if (!(SUGGEST_MODES as readonly string[]).includes(mode)) {
        // TermSuggestionBuilder: SuggestMode.valueOf; DirectCandidateGeneratorBuilder: its own message
        throw bad(generator ? `Illegal suggest mode ${mode}` : `No enum constant org.elasticsearch.search.suggest.term.TermSuggestionBuilder.SuggestMode.${String(v).toUpperCase()}`);
      }
      s.suggestMode = mode as SuggestMode;
      return true;
    }
    case 'accuracy': {
      const a = floatOption(owner, key, v);
      if (a < 0 || a > 1) throw bad('accuracy must be between 0 and 1');
      s.accuracy = a;
      return true;
    }
    case 'sort': {
      const sort = stringOption(owner, key, v).toLowerCase();
      if (sort !== 'score' && sort !== 'frequency') throw bad(`No enum constant org.elasticsearch.search.suggest.SortBy.${String(v).toUpperCase()}`);
      s.sort = sort;
      return true;
    }
    case 'string_distance': {
      const name = stringOption(owner, key, v);
      // the generator also takes the deprecated spellings
      const legacy: Record<string, string> = { damerauLevenshtein: 'damerau_levenshtein', levenstein: 'levenshtein', jarowinkler: 'jaro_winkler' };
      s.stringDistance = parseStringDistance(generator ? (legacy[name] ?? legacy[name.toLowerCase()] ?? name) : name);
      return true;
    }
    case 'max_edits': {
      const n = intOption(owner, key, v);
      if (n < 1 || n > 2) throw bad(generator ? `Illegal max_edits value ${n}` : 'maxEdits must be between 1 and 2');
      s.maxEdits = n;
      return true;
    }
    case 'max_inspections': {
      const n = intOption(owner, key, v);
      if (n < 0) throw bad('maxInspections must be positive');
      s.maxInspections = n;
      return true;
    }
    case 'max_term_freq': {
      const x = floatOption(owner, key, v);
      if (x < 0) throw bad('maxTermFreq must be positive');
      if (x > 1 && x !== Math.floor(x)) throw bad('if maxTermFreq is greater than 1, it must not be a fraction');
      s.maxTermFreq = x;
      return true;
    }
    case 'prefix_length': {
      const n = intOption(owner, key, v);
      if (n < 0) throw bad('prefixLength must be positive');
      s.prefixLength = n;
      return true;
    }
    case 'min_word_length': {
      const n = intOption(owner, key, v);
      if (n < 1) throw bad('minWordLength must be greater or equal to 1');
      s.minWordLength = n;
      return true;
    }
    case 'min_doc_freq': {
      const x = floatOption(owner, key, v);
      if (x < 0) throw bad('minDocFreq must be positive');
      if (x > 1 && x !== Math.floor(x)) throw bad('if minDocFreq is greater than 1, it must not be a fraction');
      s.minDocFreq = x;
      return true;
    }
    default:
      return false;
  }
}

/** Lucene's SuggestWord. */
export interface SuggestWord {
  string: string;
  score: number;
  freq: number;
}

interface ScoreTerm {
  term: string;
  /** FuzzyTermsEnum's similarity: what the queue ranks by, whatever the string distance. */
  boost: number;
  score: number;
  docFreq: number;
}

/** ScoreTerm order in DirectSpellChecker's queue: lower boost is weaker; at equal boosts the later term is weaker. */
const weaker = (a: ScoreTerm, b: ScoreTerm): boolean => (a.boost === b.boost ? a.term > b.term : a.boost < b.boost);

/** SuggestWordScoreComparator / SuggestWordFrequencyComparator, best first. */
export function compareSuggestWords(sort: 'score' | 'frequency'): (a: SuggestWord, b: SuggestWord) => number {
  const text = (a: SuggestWord, b: SuggestWord): number => (a.string < b.string ? -1 : a.string > b.string ? 1 : 0);
  return sort === 'score'
    ? (a, b) => b.score - a.score || b.freq - a.freq || text(a, b)
    : (a, b) => b.freq - a.freq || b.score - a.score || text(a, b);
}

/**
 * Lucene's DirectSpellChecker.suggestSimilar over one index's field: candidates within
 * max_edits (tried with 1 edit first, then max_edits) sharing the first prefix_length code
 * points, more frequent than the threshold, at least `accuracy` similar, best `numSug` first.
 * `thresholdFrequency` overrides min_doc_freq (the phrase suggester raises it).
 */
export function suggestSimilar(
  terms: FieldTerms,
  term: string,
  numSug: number,
  s: SpellcheckerSettings,
  mode: SuggestMode = s.suggestMode,
  thresholdFrequency: number = s.minDocFreq,
): SuggestWord[] {
  const query = codePoints(term);
  if (s.minWordLength > 0 && query.length < s.minWordLength) return [];
  let docfreq = terms.docFreq(term);
  if (mode === 'missing' && docfreq > 0) return [];
  const maxDoc = terms.maxDoc;
  if (s.maxTermFreq >= 1 && docfreq > s.maxTermFreq) return [];
  if (docfreq > Math.ceil(f(s.maxTermFreq * maxDoc))) return [];
  if (mode !== 'popular') docfreq = 0;
  if (thresholdFrequency >= 1) docfreq = Math.max(docfreq, Math.trunc(thresholdFrequency));
  else if (thresholdFrequency > 0) docfreq = Math.max(docfreq, Math.trunc(f(thresholdFrequency * maxDoc)) - 1);
  if (!terms.exists) return [];
  const inspections = numSug * s.maxInspections;
  let found = similar(terms, term, query, inspections, docfreq, 1, s);
  if (s.maxEdits > 1 && found.length < inspections) {
    const more = new Map(found.map((t) => [t.term, t]));
    for (const t of similar(terms, term, query, inspections, docfreq, s.maxEdits, s)) if (!more.has(t.term)) more.set(t.term, t);
    found = [...more.values()];
  }
  const words = found.map((t) => ({ string: t.term, score: t.score, freq: t.docFreq }));
  words.sort(compareSuggestWords(s.sort));
  return words.slice(0, numSug);
}

/** One FuzzyTermsEnum pass: the best `numSug` terms within `maxEdits`, as DirectSpellChecker's inner suggestSimilar. */
function similar(terms: FieldTerms, term: string, query: number[], numSug: number, docfreq: number, maxEdits: number, s: SpellcheckerSettings): ScoreTerm[] {
  const prefix = Math.min(Math.max(s.prefixLength, maxEdits - 1), query.length);
  const head = String.fromCodePoint(...query.slice(0, prefix));
  const tail = query.slice(prefix);
  const queue: ScoreTerm[] = [];
  for (const candidate of terms.terms()) {
    if (!candidate.startsWith(head)) continue;
    const cand = codePoints(candidate);
    const edits = editDistance(cand.slice(prefix), tail, maxEdits, true);
    if (edits > maxEdits) continue;
    const boost = internalSimilarity(edits, cand.length, query.length);
    // uncompetitive once the queue is full
    if (queue.length >= numSug && boost <= minBoost(queue)) continue;
    if (candidate === term) continue;
    const df = terms.docFreq(candidate);
    if (df <= docfreq) continue;
    const score = s.stringDistance === 'internal' ? boost : stringSimilarity(s.stringDistance, term, candidate);
    if (score < s.accuracy) continue;
    queue.push({ term: candidate, boost, score, docFreq: df });
    if (queue.length > numSug) {
      let w = 0;
      for (let i = 1; i < queue.length; i++) if (weaker(queue[i] as ScoreTerm, queue[w] as ScoreTerm)) w = i;
      queue.splice(w, 1);
    }
  }
  return queue;
}

function minBoost(queue: ScoreTerm[]): number {
  let m = Infinity;
  for (const t of queue) if (t.boost < m) m = t.boost;
  return m;
}
