import type { ContentToken, FieldContent } from './field-content.js';
import { htmlEncode } from './passage-formatter.js';
import type { MatchSpan } from './query-matches.js';

/**
 * Elasticsearch's PlainHighlighter (`type: plain`): Lucene's Highlighter over each value of the
 * field on its own, with a QueryScorer built without an index reader (a matched term weighs 1;
 * a fragment scores the number of distinct matched terms in it) and one of the fragmenters:
 * SimpleSpanFragmenter (default, `fragmenter: span`: a new fragment every `fragment_size` chars,
 * never inside a phrase match), SimpleFragmenter (`fragmenter: simple`) or NullFragmenter
 * (`number_of_fragments: 0`: the whole value). Fragments keep the text between tokens (a
 * fragment may start with a space) and the text past the last analyzed token (max_analyzed_offset)
 * is appended to the last fragment. Per value, the best `number_of_fragments` fragments by score
 * (then position) with a score above 0; across values in value order, sorted by score with
 * `order: score`.
 *
 * Deviation: query boosts are not read (Lucene weighs a term by its query's boost), so fragment
 * order among fragments of boosted clauses may differ.
 */

export type Fragmenter = 'span' | 'simple' | 'none';

export interface PlainOptions {
  preTag: string;
  postTag: string;
  html: boolean;
  fragmenter: Fragmenter;
  fragmentSize: number;
  /** 0: the whole value (NullFragmenter). */
  numberOfFragments: number;
  scoreOrdered: boolean;
  noMatchSize: number;
}

/** One value to highlight: its analysed content (tokens past max_analyzed_offset dropped) and its matches. */
export interface PlainValue {
  content: FieldContent;
  /** The tokens the QueryScorer scores (term extraction; phrase terms only where they form the phrase). */
  spans: MatchSpan[];
  /** Phrase occurrences, kept whole by the span fragmenter. */
  phrases: ContentToken[][];
}

interface TextFragment {
  text: string;
  score: number;
  num: number;
}

/** Lucene's fragmenters, asked at each token but the first whether it starts a new fragment. */
interface FragmenterState {
  isNewFragment(token: ContentToken): boolean;
}

function spanFragmenter(textSize: number, fragmentSize: number, firstPosition: number, phraseSpans: Map<string, Array<[number, number]>>): FragmenterState {
  // SimpleSpanFragmenter counts positions from the second token on (it is not asked at the first)
  let position = -1;
  let lastPosition = firstPosition;
  let waitForPos = -1;
  let currentNumFrags = 1;
  return {
    isNewFragment(t) {
      position += t.position - lastPosition;
      lastPosition = t.position;
      if (waitForPos <= position) waitForPos = -1;
      else if (waitForPos !== -1) return false;
      for (const [start, end] of phraseSpans.get(t.term) ?? []) {
        if (start === position) {
          waitForPos = end + 1;
          break;
        }
      }
      const isNew = t.end >= fragmentSize * currentNumFrags && textSize - t.start >= fragmentSize >>> 1;
      if (isNew) currentNumFrags++;
      return isNew;
    },
  };
}

function simpleFragmenter(fragmentSize: number): FragmenterState {
  let currentNumFrags = 1;
  return {
    isNewFragment(t) {
      const isNew = t.end > fragmentSize * currentNumFrags;
      if (isNew) currentNumFrags++;
      return isNew;
    },
  };
}

/** Highlighter.getBestTextFragments (mergeContiguousFragments false) over one value. */
function bestTextFragments(value: PlainValue, opts: PlainOptions, maxFragments: number): TextFragment[] {
  const { text, tokens } = value.content;
  const encode = opts.html ? htmlEncode : (s: string): string => s;
  const matched = new Set(value.spans.map((s) => `${s.start}:${s.end}`));
  const phraseSpans = new Map<string, Array<[number, number]>>();
  for (const occ of value.phrases) {
    const positions = occ.map((t) => t.position);
    const span: [number, number] = [Math.min(...positions), Math.max(...positions)];
    for (const t of occ) {
      const list = phraseSpans.get(t.term) ?? [];
      list.push(span);
      phraseSpans.set(t.term, list);
    }
  }
  const fragmenter: FragmenterState | null =
    opts.fragmenter === 'none' ? null : opts.fragmenter === 'simple' ? simpleFragmenter(opts.fragmentSize) : spanFragmenter(text.length, opts.fragmentSize, tokens[0]?.position ?? 0, phraseSpans);
  let out = '';
  const frags: Array<{ start: number; end: number; score: number }> = [{ start: 0, end: 0, score: 0 }];
  let found = new Set<string>();
  let lastEnd = 0;
  // the pending token group: tokens with overlapping offsets
  let group: { start: number; end: number; score: number } | null = null;
  const flush = (): void => {
    if (!group) return;
    const tokenText = encode(text.slice(group.start, group.end));
    if (group.start > lastEnd) out += encode(text.slice(lastEnd, group.start));
    out += group.score > 0 ? opts.preTag + tokenText + opts.postTag : tokenText;
    lastEnd = Math.max(lastEnd, group.end);
    group = null;
  };
  for (const t of tokens) {
    if (group && t.start >= group.end) {
      flush();
      if (fragmenter?.isNewFragment(t)) {
        const cur = frags[frags.length - 1]!;
        cur.end = out.length;
        frags.push({ start: out.length, end: 0, score: 0 });
        found = new Set();
      }
    }
    // QueryScorer.getTokenScore: a matched term scores its weight, counted once per fragment
    const score = matched.has(`${t.start}:${t.end}`) ? 1 : 0;
    if (score > 0 && !found.has(t.term)) {
      found.add(t.term);
      frags[frags.length - 1]!.score += score;
    }
    if (!group) group = { start: t.start, end: t.end, score };
    else {
      group.start = Math.min(group.start, t.start);
      group.end = Math.max(group.end, t.end);
      group.score += score;
    }
  }
  flush();
  if (lastEnd < text.length) out += encode(text.slice(lastEnd));
  frags[frags.length - 1]!.end = out.length;
  return frags
    .map((f, num) => ({ text: out.slice(f.start, f.end), score: f.score, num }))
    .sort((a, b) => b.score - a.score || a.num - b.num)
    .slice(0, maxFragments);
}

/** PlainHighlighter's excerpt without matches: the first value up to the last token ending at or before `noMatchSize`. */
function noMatchExcerpt(first: FieldContent, noMatchSize: number): string | null {
  let end = -1;
  for (const t of first.tokens) {
    if (t.end >= noMatchSize) {
      if (t.end === noMatchSize) end = noMatchSize;
      return end > 0 ? first.text.slice(0, end) : null;
    }
    end = t.end;
  }
  return first.text.length > 0 ? first.text : null;
}

/** The plain highlighter's fragments for a field's values (each analysed on its own). */
export function plainHighlight(values: PlainValue[], opts: PlainOptions): string[] {
  const max = opts.numberOfFragments === 0 ? 1 : opts.numberOfFragments;
  const frags: TextFragment[] = [];
  for (const v of values) frags.push(...bestTextFragments(v, opts, max).filter((f) => f.score > 0));
  if (opts.scoreOrdered) frags.sort((a, b) => Math.round(b.score - a.score));
  if (frags.length > 0) {
    const all = opts.numberOfFragments === 0 && values.length > 1;
    return (all ? frags : frags.slice(0, Math.min(frags.length, max))).map((f) => f.text);
  }
  if (opts.noMatchSize > 0 && values.length > 0) {
    const excerpt = noMatchExcerpt(values[0]!.content, opts.noMatchSize);
    if (excerpt !== null) return [excerpt];
  }
  return [];
}
