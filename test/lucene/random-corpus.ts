/**
 * Seeded random corpora for the differential test: English-ish text with the things the standard
 * tokenizer and the english analyzer treat specially (case, possessives, stems, stop words,
 * numbers, hyphens, e-mail addresses, accents, CJK), skewed word frequencies so that queries hit,
 * and some long fields so that the one-byte length norm is lossy.
 */

import { mulberry32 as rng } from '../../demo/seeded-random.js';

export { rng };

export type Random = () => number;
export const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
export const int = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));

export const WORDS = [
  'the', 'a', 'of', 'and', 'to', 'in', 'is', 'it', 'be', 'at', 'on', 'not', 'for', 'with',
  'run', 'runs', 'running', 'runner', 'ran', 'fox', 'foxes', "fox's", 'dog', 'dogs', "dog's", 'cat', 'cats', 'hat', 'hats', 'bat',
  'quick', 'quickly', 'quicker', 'brown', 'lazy', 'jump', 'jumped', 'jumping', 'jumps', 'study', 'studies', 'studying',
  'search', 'searching', 'searched', 'index', 'indexes', 'indexing', 'engine', 'engines', 'data', 'database', 'query', 'queries',
  'Quick', 'QUICK', 'Search', 'The', 'h', 'x', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'relational', 'generalization', 'happiness',
  'café', 'naïve', 'über', 'élan', 'Straße', '北京', '東京大学', 'ひらがな', 'don\'t', "o'neil", 'e-mail', 'state-of-the-art',
  '3.14', '2024', '1,000', 'v2', 'x86_64', 'foo@bar.com', 'www.example.org', 'C++', 'U.S.A.', 'wi-fi', '42nd',
] as const;

const SEPARATORS = [' ', ' ', ' ', ' ', ', ', '. ', '! ', ' - ', '\n', ' (', ') ', '; ', ' / '];

/** A Zipf-like pick: low indexes of `list` much more often than high ones. */
export function zipf<T>(r: Random, list: readonly T[]): T {
  const u = r();
  return list[Math.min(list.length - 1, Math.floor(list.length * u * u * u))] as T;
}

export function randomText(r: Random, words: number, vocab: readonly string[] = WORDS): string {
  let out = '';
  for (let i = 0; i < words; i++) out += (i > 0 ? pick(r, SEPARATORS) : '') + zipf(r, vocab);
  return out;
}

export const TAGS = ['red', 'green', 'blue', 'Blue', 'yellow', 'dark red', 'x', 'ü'] as const;

export interface CorpusSpec {
  id: string;
  seed: number;
  docs: number;
}

export type CorpusDoc = { _id: string; title?: string; body?: string; tag?: string | string[] };

/** Documents in insertion order; a shuffled vocabulary per seed gives every corpus its own statistics. */
export function randomCorpus(spec: CorpusSpec): CorpusDoc[] {
  const r = rng(spec.seed);
  const vocab = [...WORDS].sort(() => r() - 0.5);
  const docs: CorpusDoc[] = [];
  for (let i = 0; i < spec.docs; i++) {
    const doc: CorpusDoc = { _id: `d${i}` };
    if (r() < 0.9) doc.title = randomText(r, int(r, 1, 8), vocab);
    if (r() < 0.92) doc.body = randomText(r, r() < 0.08 ? int(r, 60, 300) : int(r, 0, 30), vocab);
    const t = r();
    if (t < 0.7) doc.tag = pick(r, TAGS);
    else if (t < 0.85) doc.tag = [pick(r, TAGS), pick(r, TAGS)];
    docs.push(doc);
  }
  return docs;
}
