import type { BreakIter } from './break-iterators.js';
import { BoundaryList, VALUE_SEPARATOR, wordBoundaries } from './break-iterators.js';
import type { MatchSpan } from './query-matches.js';

/**
 * Lucene's FieldHighlighter: matches in offset order are grouped into passages cut by the break
 * iterator around each new match; every passage is scored with PassageScorer and the
 * `maxPassages` best are kept, returned in offset order.
 */

export interface Passage {
  start: number;
  end: number;
  score: number;
  matches: MatchSpan[];
}

const K1 = Math.fround(1.2);
const B = Math.fround(0.75);
const PIVOT = 87;

/** PassageScorer.weight: (k1 + 1) * log(1 + (numDocs + 0.5) / (totalTermFreq + 0.5)), numDocs ~ 1 + length / pivot. */
function weight(contentLength: number, totalTermFreq: number): number {
  const numDocs = Math.fround(1 + Math.fround(contentLength / PIVOT));
  return Math.fround(Math.fround(K1 + 1) * Math.fround(Math.log(1 + (numDocs + 0.5) / (totalTermFreq + 0.5))));
}

/** PassageScorer.tf: freq / (freq + k1 * ((1 - b) + b * length / pivot)). */
function tf(freq: number, passageLen: number): number {
  const norm = Math.fround(K1 * Math.fround(Math.fround(1 - B) + Math.fround(B * Math.fround(passageLen / PIVOT))));
  return Math.fround(freq / Math.fround(freq + norm));
}

/** PassageScorer.norm: 1 + 1 / log(pivot + start), earlier passages weigh more. */
function norm(passageStart: number): number {
  return Math.fround(1 + Math.fround(1 / Math.fround(Math.log(PIVOT + passageStart))));
}

/** PassageScorer.score: norm(start) * sum over distinct terms of tf(freq in passage) * weight(freq in doc). */
export function scorePassage(p: Passage, contentLength: number): number {
  const perTerm = new Map<string, { inPassage: number; inDoc: number }>();
  for (const m of p.matches) {
    const e = perTerm.get(m.term);
    if (e) e.inPassage++;
    else perTerm.set(m.term, { inPassage: 1, inDoc: m.freq });
  }
  let score = 0;
  for (const { inPassage, inDoc } of perTerm.values()) score += Math.fround(tf(inPassage, p.end - p.start) * weight(contentLength, inDoc));
  return Math.fround(score * norm(p.start));
}

/** Passages of the best `maxPassages` scores (ties keep the later passage, as Lucene's queue), in offset order. */
export function highlightPassages(spans: MatchSpan[], breaks: BreakIter, contentLength: number, maxPassages: number): Passage[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  // the queue's head is the weakest passage: lowest score, then lowest start
  const weaker = (a: Passage, b: Passage): number => a.score - b.score || a.start - b.start;
  const queue: Passage[] = [];
  const offer = (p: Passage): void => {
    p.score = scorePassage(p, contentLength);
    if (queue.length === maxPassages && maxPassages > 0) {
      const head = queue.reduce((w, q) => (weaker(q, w) < 0 ? q : w));
      if (p.score < head.score) return;
      queue.push(p);
      queue.splice(queue.indexOf(queue.reduce((w, q) => (weaker(q, w) < 0 ? q : w))), 1);
      return;
    }
    queue.push(p);
  };
  let current: Passage | null = null;
  let lastPassageEnd = 0;
  for (const m of sorted) {
    if (m.start < contentLength && m.end > contentLength) continue;
    if (current === null || m.start >= current.end) {
      if (current) offer(current);
      if (m.start >= contentLength) {
        current = null;
        break;
      }
      const center = m.start + Math.floor((m.end - m.start) / 2);
      const start = Math.min(m.start, Math.max(breaks.preceding(center + 1), lastPassageEnd));
      const following = breaks.following(center);
      lastPassageEnd = Math.min(following === -1 ? contentLength : following, contentLength);
      current = { start, end: lastPassageEnd, score: 0, matches: [] };
    }
    current.matches.push(m);
  }
  if (current) offer(current);
  return queue.sort((a, b) => a.start - b.start);
}

/** CustomFieldHighlighter without matches: the first value up to the word boundary after `noMatchSize`. */
export function noMatchPassage(text: string, noMatchSize: number): Passage | null {
  if (noMatchSize <= 0) return null;
  let pos = 0;
  while (pos < text.length && text[pos] === VALUE_SEPARATOR) pos++;
  if (pos >= text.length) return null;
  let end = text.indexOf(VALUE_SEPARATOR, pos);
  if (end === -1) end = text.length;
  if (noMatchSize + pos < end) {
    const next = new BoundaryList(wordBoundaries(text)).following(noMatchSize + pos);
    end = next === -1 ? text.length : next;
  }
  return { start: pos, end, score: Number.NaN, matches: [] };
}
