import { EngineError } from '../../errors.js';
import { codePoints, editDistance } from '../levenshtein.js';

/**
 * Lucene's spell-check string distances (org.apache.lucene.search.spell), as similarities in
 * [0, 1] computed in float arithmetic like the Java originals (`f` rounds to a Java float).
 */

const f = Math.fround;

export const STRING_DISTANCES = ['internal', 'damerau_levenshtein', 'levenshtein', 'jaro_winkler', 'ngram'] as const;
export type StringDistanceName = (typeof STRING_DISTANCES)[number];

/** TermSuggestionBuilder.StringDistanceImpl.resolve. */
export function parseStringDistance(v: string): StringDistanceName {
  const name = v.toLowerCase();
  if ((STRING_DISTANCES as readonly string[]).includes(name)) return name as StringDistanceName;
  throw new EngineError(400, 'illegal_argument_exception', `Illegal distance option ${v}`);
}

/**
 * FuzzyTermsEnum's boost, DirectSpellChecker's INTERNAL_LEVENSHTEIN score:
 * `1 - edits / min(candidate length, query length)` in code points (1 for an exact match).
 */
export function internalSimilarity(edits: number, candidateLength: number, queryLength: number): number {
  if (edits === 0) return 1;
  return f(1 - f(edits / Math.min(candidateLength, queryLength)));
}

/** LuceneLevenshteinDistance: optimal string alignment (transpositions) on code points, over the shorter length. */
export function damerauLevenshtein(target: string, other: string): number {
  const a = codePoints(target);
  const b = codePoints(other);
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : Math.max(a.length, b.length);
  const d = editDistance(a, b, Math.max(a.length, b.length), true);
  return f(1 - f(d / Math.min(a.length, b.length)));
}

/** LevenshteinDistance: plain edit distance on UTF-16 units, over the longer length. */
export function levenshtein(target: string, other: string): number {
  const n = target.length;
  const m = other.length;
  if (n === 0 || m === 0) return n === m ? 1 : 0;
  const units = (s: string): number[] => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
  const d = editDistance(units(target), units(other), Math.max(n, m), false);
  return f(1 - f(d / Math.max(n, m)));
}

/** JaroWinklerDistance with Lucene's threshold 0.7 (prefix bonus capped at 4 chars by the 0.1 weight). */
export function jaroWinkler(s1: string, s2: string): number {
  const [max, min] = s1.length > s2.length ? [s1, s2] : [s2, s1];
  const range = Math.max(Math.floor(max.length / 2) - 1, 0);
  const matchIndexes = new Array<number>(min.length).fill(-1);
  const matchFlags = new Array<boolean>(max.length).fill(false);
  let matches = 0;
  for (let mi = 0; mi < min.length; mi++) {
    const c1 = min[mi];
    for (let xi = Math.max(mi - range, 0), xn = Math.min(mi + range + 1, max.length); xi < xn; xi++) {
      if (!matchFlags[xi] && c1 === max[xi]) {
        matchIndexes[mi] = xi;
        matchFlags[xi] = true;
        matches++;
        break;
      }
    }
  }
  const ms1: string[] = [];
  const ms2: string[] = [];
  for (let i = 0; i < min.length; i++) if (matchIndexes[i] !== -1) ms1.push(min[i] as string);
  for (let i = 0; i < max.length; i++) if (matchFlags[i]) ms2.push(max[i] as string);
  let transpositions = 0;
  for (let i = 0; i < ms1.length; i++) if (ms1[i] !== ms2[i]) transpositions++;
  let prefix = 0;
  for (let i = 0; i < min.length; i++) {
    if (s1[i] === s2[i]) prefix++;
    else break;
  }
  const m = matches;
  if (m === 0) return 0;
  const t = Math.floor(transpositions / 2);
  const j = f(f(f(f(m / s1.length) + f(m / s2.length)) + f((m - t) / m)) / 3);
  if (j < f(0.7)) return j;
  return f(j + f(f(f(Math.min(f(0.1), f(1 / max.length)) * prefix) * f(1 - j))));
}

/** NGramDistance(2): Kondrak's n-gram edit distance with a zero-padded prefix. */
export function ngramDistance(source: string, target: string, n = 2): number {
  const sl = source.length;
  const tl = target.length;
  if (sl === 0 || tl === 0) return sl === tl ? 1 : 0;
  if (sl < n || tl < n) {
    let cost = 0;
    for (let i = 0, ni = Math.min(sl, tl); i < ni; i++) if (source[i] === target[i]) cost++;
    return f(cost / Math.max(sl, tl));
  }
  const sa: number[] = [];
  for (let i = 0; i < sl + n - 1; i++) sa.push(i < n - 1 ? 0 : source.charCodeAt(i - n + 1));
  let p = Array.from({ length: sl + 1 }, (_, i) => i);
  let d = new Array<number>(sl + 1).fill(0);
  const tj = new Array<number>(n).fill(0);
  for (let j = 1; j <= tl; j++) {
    if (j < n) {
      for (let ti = 0; ti < n - j; ti++) tj[ti] = 0;
      for (let ti = n - j; ti < n; ti++) tj[ti] = target.charCodeAt(ti - (n - j));
    } else {
      for (let ti = 0; ti < n; ti++) tj[ti] = target.charCodeAt(j - n + ti);
    }
    d[0] = j;
    for (let i = 1; i <= sl; i++) {
      let cost = 0;
      let tn = n;
      for (let ni = 0; ni < n; ni++) {
        if (sa[i - 1 + ni] !== tj[ni]) cost++;
        else if (sa[i - 1 + ni] === 0) tn--;
      }
      const ec = f(cost / tn);
      d[i] = Math.min(Math.min(f((d[i - 1] as number) + 1), f((p[i] as number) + 1)), f((p[i - 1] as number) + ec));
    }
    const swap = p;
    p = d;
    d = swap;
  }
  return f(1 - f((p[sl] as number) / Math.max(tl, sl)));
}

/** The similarity of a candidate to the query term under a named distance (not `internal`). */
export function stringSimilarity(name: Exclude<StringDistanceName, 'internal'>, query: string, candidate: string): number {
  switch (name) {
    case 'damerau_levenshtein':
      return damerauLevenshtein(query, candidate);
    case 'levenshtein':
      return levenshtein(query, candidate);
    case 'jaro_winkler':
      return jaroWinkler(query, candidate);
    case 'ngram':
      return ngramDistance(query, candidate);
  }
}
