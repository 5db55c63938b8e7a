import { sentenceBoundaries, wordBoundaries } from './break-iterators.js';
import type { BoundaryScanner } from './highlight-options.js';
import type { ContentToken } from './field-content.js';
import { htmlEncode } from './passage-formatter.js';

/**
 * Elasticsearch's FastVectorHighlighter (`type: fvh`) over one value: Lucene's FieldPhraseList
 * (phrase matches first, then the terms outside them, in offset order, capped at `phrase_limit`;
 * consecutive terms of a phrase share one tag), SimpleFragListBuilder (a fragment of
 * `fragment_size` chars centred on its first match, `fragment_offset` the margin, default 6;
 * SingleFragListBuilder for `number_of_fragments: 0`), and SimpleFragmentsBuilder /
 * ScoreOrderFragmentsBuilder with the boundary scanner: `chars` (SimpleBoundaryScanner over
 * `boundary_chars` within `boundary_max_scan`, the default) or `sentence`/`word` (the JDK's
 * BreakIterator rules as break-iterators approximates them).
 *
 * Deviation: query boosts are not read (a match weighs 1), so `order: score` among fragments of
 * boosted clauses may differ.
 */

export interface FvhOptions {
  preTag: string;
  postTag: string;
  html: boolean;
  fragmentSize: number;
  numberOfFragments: number;
  scoreOrdered: boolean;
  noMatchSize: number;
  boundaryScanner: BoundaryScanner;
  boundaryChars: string;
  boundaryMaxScan: number;
  /** -1: the default margin (6). */
  fragmentOffset: number;
  phraseLimit: number;
}

/** A WeightedPhraseInfo: a term or phrase occurrence, its tagged offsets (consecutive positions merged). */
interface PhraseInfo {
  start: number;
  end: number;
  offsets: Array<[number, number]>;
}

interface FragInfo {
  start: number;
  end: number;
  phrases: PhraseInfo[];
  score: number;
}

/** BaseFragListBuilder's margin and fragCharSize checks (IllegalArgumentException in Lucene). */
export class FvhOptionError extends Error {}

function phraseInfo(tokens: ContentToken[]): PhraseInfo {
  const sorted = [...tokens].sort((a, b) => a.position - b.position || a.start - b.start);
  const offsets: Array<[number, number]> = [];
  let pos = Number.NaN;
  for (const t of sorted) {
    const last = offsets[offsets.length - 1];
    if (last && t.position - pos === 1) last[1] = t.end;
    else offsets.push([t.start, t.end]);
    pos = t.position;
  }
  return { start: Math.min(...sorted.map((t) => t.start)), end: Math.max(...sorted.map((t) => t.end)), offsets };
}

/** FieldPhraseList: phrase occurrences, then single terms not overlapping them, in offset order. */
function phraseList(terms: ContentToken[], phrases: ContentToken[][], limit: number): PhraseInfo[] {
  const infos: PhraseInfo[] = [];
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;
  for (const occ of [...phrases].sort((a, b) => Math.min(...a.map((t) => t.start)) - Math.min(...b.map((t) => t.start)))) {
    const info = phraseInfo(occ);
    if (!infos.some((i) => overlaps(i, info))) infos.push(info);
  }
  for (const t of terms) {
    const info = phraseInfo([t]);
    if (!infos.some((i) => overlaps(i, info))) infos.push(info);
  }
  return infos.sort((a, b) => a.start - b.start).slice(0, Math.max(0, limit));
}

/** SimpleFragListBuilder.createFieldFragList. */
function fragList(infos: PhraseInfo[], fragCharSize: number, margin: number): FragInfo[] {
  if (margin < 0) throw new FvhOptionError(`margin(${margin}) is too small. It must be 0 or higher.`);
  const minFragCharSize = Math.max(1, margin * 3);
  if (fragCharSize < minFragCharSize) throw new FvhOptionError(`fragCharSize(${fragCharSize}) is too small. It must be ${minFragCharSize} or higher.`);
  const out: FragInfo[] = [];
  let startOffset = 0;
  let i = 0;
  while (i < infos.length) {
    let info = infos[i]!;
    if (info.start < startOffset) {
      i++;
      continue;
    }
    const accept = (p: PhraseInfo, matchLength: number): boolean => p.offsets.length <= 1 || matchLength <= fragCharSize;
    const picked: PhraseInfo[] = [];
    const curStart = info.start;
    let curEnd = info.end;
    const spanStart0 = Math.max(curStart - margin, startOffset);
    const spanEnd0 = Math.max(curEnd, spanStart0 + fragCharSize);
    i++;
    if (accept(info, curEnd - curStart)) picked.push(info);
    while (i < infos.length && infos[i]!.end <= spanEnd0) {
      info = infos[i++]!;
      curEnd = info.end;
      if (accept(info, curEnd - curStart)) picked.push(info);
    }
    if (picked.length === 0) continue;
    const matchLen = curEnd - curStart;
    const newMargin = Math.max(0, Math.trunc((fragCharSize - matchLen) / 2));
    const spanStart = Math.max(curStart - newMargin, startOffset);
    const spanEnd = spanStart + Math.max(matchLen, fragCharSize);
    startOffset = spanEnd;
    out.push({ start: spanStart, end: spanEnd, phrases: picked, score: picked.length });
  }
  return out;
}

/** SimpleBoundaryScanner / BreakIteratorBoundaryScanner over the fragments builder's buffer. */
function boundaryScanner(opts: FvhOptions): { start(buf: string, s: number): number; end(buf: string, e: number): number } {
  if (opts.boundaryScanner === 'chars') {
    const chars = new Set(opts.boundaryChars);
    return {
      start(buf, start) {
        if (start > buf.length || start < 1) return start;
        let offset = start;
        for (let count = opts.boundaryMaxScan; offset > 0 && count > 0; count--) {
          if (chars.has(buf[offset - 1]!)) return offset;
          offset--;
        }
        return offset === 0 ? 0 : start;
      },
      end(buf, start) {
        if (start > buf.length || start < 0) return start;
        let offset = start;
        for (let count = opts.boundaryMaxScan; offset < buf.length && count > 0; count--) {
          if (chars.has(buf[offset]!)) return offset;
          offset++;
        }
        return start;
      },
    };
  }
  const bounds = opts.boundaryScanner === 'word' ? wordBoundaries : sentenceBoundaries;
  return {
    start(buf, start) {
      if (start > buf.length || start < 1) return start;
      const before = bounds(buf.slice(0, start)).filter((b) => b < start);
      return before.length > 0 ? before[before.length - 1]! : 0;
    },
    end(buf, start) {
      if (start < 0) return start;
      const rest = buf.slice(start);
      return (bounds(rest).find((b) => b > 0) ?? rest.length) + start;
    },
  };
}

/** BaseFragmentsBuilder.makeFragment (one value: the buffer is the value and the multi-value separator ' '). */
function makeFragment(text: string, frag: FragInfo, opts: FvhOptions): string {
  const encode = opts.html ? htmlEncode : (s: string): string => s;
  const scanner = boundaryScanner(opts);
  const buffer = `${text} `;
  const eo = text.length < frag.end ? text.length : scanner.end(buffer, frag.end);
  const so = scanner.start(buffer, frag.start);
  const src = buffer.slice(so, eo);
  let out = '';
  let at = 0;
  for (const p of frag.phrases) {
    for (const [s, e] of p.offsets) {
      out += encode(src.slice(at, s - so)) + opts.preTag + encode(src.slice(s - so, e - so)) + opts.postTag;
      at = e - so;
    }
  }
  return out + encode(src.slice(at));
}

/** The fvh's fragments of one value: `terms` the matched term tokens, `phrases` the phrase occurrences. */
export function fvhHighlight(text: string, terms: ContentToken[], phrases: ContentToken[][], opts: FvhOptions): string[] {
  const infos = phraseList(terms, phrases, opts.phraseLimit);
  let frags: FragInfo[];
  if (opts.numberOfFragments === 0) {
    frags = infos.length > 0 ? [{ start: 0, end: Number.MAX_SAFE_INTEGER, phrases: infos, score: infos.length }] : [];
  } else {
    frags = fragList(infos, opts.fragmentSize, opts.fragmentOffset === -1 ? 6 : opts.fragmentOffset);
    if (opts.scoreOrdered) frags = [...frags].sort((a, b) => b.score - a.score || a.start - b.start);
    frags = frags.slice(0, opts.numberOfFragments);
  }
  if (frags.length > 0) return frags.map((f) => makeFragment(text, f, opts));
  if (opts.noMatchSize > 0 && text.length > 0) return [makeFragment(text, { start: 0, end: opts.noMatchSize, phrases: [], score: 0 }, opts)];
  return [];
}
