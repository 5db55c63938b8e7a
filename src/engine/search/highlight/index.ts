/**
 * The highlight phase: `highlight` on the returned hits, as Elasticsearch 8's default `unified`
 * highlighter answers it (and `plain`, `fvh`: see their files) (hit.highlight = { field: [fragments] }).
 *
 * Per hit and field: the field's values from _source (highlight-options, field-content), the
 * query's matches in them (query-matches: weight-matches mode, or term extraction when
 * require_field_match is false or the query is nested), passages cut by the break iterator and
 * scored by Lucene's PassageScorer (break-iterators, passages), formatted as ES's
 * CustomPassageFormatter (passage-formatter).
 *
 * Mirrors ES >= 8.9 (Weight#matches mode by default): with require_field_match (the default) a
 * phrase is one tag (`<em>quick brown</em>`) and clauses that do not match the document add
 * nothing; with require_field_match: false, terms are tagged one by one (`<em>quick</em>
 * <em>brown</em>`). Overlapping matches share a tag, adjacent ones do not. Each value of a
 * multi-valued field is broken on its own (Lucene's SplittingBreakIterator).
 *
 * Known deviations from Elasticsearch:
 * - `type: plain` (plain-highlighter) and `type: fvh` (fvh-highlighter) are their own
 *   highlighters; the unified highlighter ignores their options (`fragmenter`, `boundary_chars`,
 *   `boundary_max_scan`, `phrase_limit`, `fragment_offset`) as ES does, and `boundary_scanner: chars`
 *   fails for it as in ES. `highlight_filter` and `boundary_scanner_locale` are validated and not
 *   read (boundaries follow Locale.ROOT). The fvh refuses multi-valued fields, several tags and
 *   matched_fields with a 400.
 * - Sentence and word boundaries approximate the JDK's BreakIterator rules (Locale.ROOT): `!`/`?`
 *   end a sentence, `.` when followed by spaces and not by a lowercase letter or digit; no
 *   dictionary-based abbreviations.
 * - Sloppy phrases are matched by position window (match length <= slop) without Lucene's
 *   repeated-term handling; terms of nested queries are highlighted in the top-level fields, and
 *   in nested inner hits from each child's object. `max_analyzed_offset: -1` stands for `index.highlight.max_analyzed_offset`.
 * - Explicitly named non-text/keyword fields (numbers, dates...) highlight their _source value as
 *   one untokenized value (ES analyses them with the keyword analyzer: same result for terms).
 */
import type { FieldInfo, IndexView, SegmentView } from '../../contract.js';
import { EngineError, unsupported } from '../../errors.js';
import type { Leaf } from '../match-set.js';
import { parseQuery } from '../parse-query.js';
import type { Primitive } from '../primitive.js';
import type { PhaseContext, SearchPhase } from '../phases.js';
import { runSteps } from '../paced-run.js';
import { rewrite } from '../rewrite.js';
import { RewriteContext } from '../rewrite-context.js';
import { matchesPattern } from '../rewrite-terms.js';
import { allShardsFailed } from '../shard-failure.js';
import { WeightContext, createWeight } from '../weight.js';
import type { Weight } from '../weight.js';
import { BoundaryList, BoundedScanner, separatorBoundaries, sentenceBoundaries, wordBoundaries } from './break-iterators.js';
import type { BreakIter } from './break-iterators.js';
import { indexScriptValues } from '../script/index-script-fetch.js';
import { fieldContent, fieldValues } from './field-content.js';
import { parseHighlight, resolveOptions } from './highlight-options.js';
import type { ResolvedOptions } from './highlight-options.js';
import { formatPassage } from './passage-formatter.js';
import { highlightPassages, noMatchPassage } from './passages.js';
import type { Passage } from './passages.js';
import { extractedMatches, extractedPhraseOccurrences, hasNested, weightMatches } from './query-matches.js';
import { plainHighlight } from './plain-highlighter.js';
import { FvhOptionError, fvhHighlight } from './fvh-highlighter.js';
import type { PlainValue } from './plain-highlighter.js';
import type { MatchContext, MatchSpan } from './query-matches.js';
import { percolatedHighlights } from '../percolator/rewrite-percolate.js';

/** index.highlight.max_analyzed_offset's default: longer values need the max_analyzed_offset option. */
const INDEX_MAX_ANALYZED_OFFSET = 1_000_000;

/** Hit keys Elasticsearch writes after `highlight`. */
const AFTER_HIGHLIGHT = ['sort', 'matched_queries', '_explanation', 'inner_hits'];

/** Fields a pattern names: an existing field by name, or the text/keyword fields a `*` pattern matches. */
/** The fields a highlight pattern names, each with the name its fragments go under (a field alias: its own, with its target's values). */
function expandFields(view: IndexView, pattern: string): Array<{ name: string; field: FieldInfo }> {
  if (!pattern.includes('*')) {
    const f = view.mapping.field(pattern);
    // a runtime field has no terms or offsets to highlight from: refused by name rather than answered empty
    if (f?.runtime) throw unsupported(`highlighting the runtime field [${pattern}]`);
    return f && f.type !== 'object' && f.type !== 'nested' ? [{ name: pattern, field: f }] : [];
  }
  return [...view.mapping.fieldPaths(), ...(view.mapping.aliasPaths?.() ?? [])]
    .filter((p) => matchesPattern(pattern, p))
    .map((name) => ({ name, field: view.mapping.field(name) }))
    .filter((e): e is { name: string; field: FieldInfo } => !!e.field && !e.field.runtime && (e.field.type === 'text' || e.field.type === 'keyword'));
}

/** Per-search state: rewritten highlight queries and weights, per index. */
class HighlightRun {
  private readonly rewritten = new Map<number, Map<Record<string, unknown>, Primitive>>();
  private readonly weights = new Map<Primitive, Weight>();
  private readonly weightContexts = new Map<IndexView, WeightContext>();

  constructor(
    private readonly ctx: Pick<PhaseContext, 'exec' | 'nowMs'>,
    /** The query to highlight instead of the search's (a nested inner hit's inner query). */
    private readonly queryOverride?: Primitive,
  ) {}

  /** The query the hits were searched with, for one index (without its alias filter). */
  query(leaf: Leaf, opts: ResolvedOptions): Primitive {
    const st = this.ctx.exec.states[leaf.target]!;
    if (opts.highlightQuery) {
      let perIndex = this.rewritten.get(leaf.target);
      if (!perIndex) this.rewritten.set(leaf.target, (perIndex = new Map()));
      let q = perIndex.get(opts.highlightQuery);
      if (!q) {
        q = rewrite(parseQuery(opts.highlightQuery), new RewriteContext(leaf.view, this.ctx.nowMs));
        perIndex.set(opts.highlightQuery, q);
      }
      return q;
    }
    if (this.queryOverride) return this.queryOverride;
    return st.target.aliasFilter && st.query.op === 'bool' ? (st.query.must[0] ?? st.query) : st.query;
  }

  /** Whether a clause matches a document through the index. */
  docMatches(view: IndexView, seg: SegmentView, doc: number, p: Primitive): boolean {
    let w = this.weights.get(p);
    if (!w) {
      let wctx = this.weightContexts.get(view);
      if (!wctx) {
        wctx = new WeightContext(view, (reason, type = 'query_shard_exception') => new EngineError(400, type, reason));
        this.weightContexts.set(view, wctx);
      }
      w = createWeight(p, wctx, false);
      this.weights.set(p, w);
    }
    const scorer = w.scorer(seg);
    return scorer !== null && scorer.advance(doc) === doc;
  }
}

function breakIterator(text: string, tokenized: boolean, opts: ResolvedOptions): BreakIter {
  if (opts.numberOfFragments === 0 || !tokenized) return new BoundaryList(separatorBoundaries(text));
  if (opts.boundaryScanner === 'word') return new BoundaryList(wordBoundaries(text));
  const sentences = new BoundaryList(sentenceBoundaries(text));
  if (opts.fragmentSize <= 0) return sentences;
  // word boundaries only matter inside a sentence window longer than fragment_size
  return new BoundedScanner(sentences, (start, end) => new BoundaryList(wordBoundaries(text, start, end)), opts.fragmentSize, text);
}

/** An error of the fetch phase, as the search reports it (all shards failed). */
function fetchError(leaf: Leaf, reason: string): EngineError {
  const cause = new EngineError(400, 'illegal_argument_exception', reason);
  return allShardsFailed([{ index: leaf.view.index, error: cause }], 'fetch');
}

function analyzedOffsetMessage(leaf: Leaf, doc: number, field: FieldInfo, length: number, indexLimit: number): string {
  return `The length [${length}] of field [${field.path}] in doc[${leaf.docBase + doc}]/index[${leaf.view.index}] exceeds the [index.highlight.max_analyzed_offset] limit [${indexLimit}]. To avoid this error, set the query parameter [max_analyzed_offset] to a value less than index setting [${indexLimit}] and this will tolerate long field values by truncating them.`;
}

/** Which fields' query terms are highlighted in `f` (term extraction). */
function fieldMatcher(opts: ResolvedOptions, f: FieldInfo): (field: string) => boolean {
  return opts.requireFieldMatch ? (p) => p === f.path : (p) => p !== '_id';
}

/** PlainHighlighter: each value analysed on its own (LimitTokenOffsetAnalyzer past max_analyzed_offset). */
function highlightPlain(run: HighlightRun, leaf: Leaf, doc: number, field: FieldInfo, values: string[], opts: ResolvedOptions, limits: { index: number; query: number | undefined }): string[] {
  const fragmenter = opts.numberOfFragments === 0 ? 'none' : (opts.fragmenter ?? 'span');
  if (fragmenter !== 'none' && fragmenter !== 'span' && fragmenter !== 'simple') {
    throw fetchError(leaf, `unknown fragmenter option [${fragmenter}] for the field [${field.path}]`);
  }
  const query = run.query(leaf, opts);
  const matcher = fieldMatcher(opts, field);
  const plainValues: PlainValue[] = values.map((value) => {
    if ((limits.query === undefined || limits.query > limits.index) && value.length > limits.index) {
      throw fetchError(leaf, analyzedOffsetMessage(leaf, doc, field, value.length, limits.index));
    }
    const content = fieldContent(leaf.view, field, [value], limits.query);
    const mctx: MatchContext = { field: field.path, content, docMatches: (p) => run.docMatches(leaf.view, leaf.segment, doc, p) };
    return { content, spans: extractedMatches(query, mctx, matcher), phrases: extractedPhraseOccurrences(query, content, matcher) };
  });
  return plainHighlight(plainValues, {
    preTag: opts.preTag,
    postTag: opts.postTag,
    html: opts.html,
    fragmenter,
    fragmentSize: opts.fragmentSize,
    numberOfFragments: opts.numberOfFragments,
    scoreOrdered: opts.scoreOrdered,
    noMatchSize: opts.noMatchSize,
  });
}

/** FastVectorHighlighter.canHighlight: a tokenized field with term vectors holding offsets. */
function fvhCanHighlight(field: FieldInfo): boolean {
  return field.type === 'text' && field.termVectorOffsets === true;
}

/** FastVectorHighlighter over the field's term vectors (its value re-analysed: the same tokens). */
function highlightFvh(run: HighlightRun, leaf: Leaf, doc: number, field: FieldInfo, values: string[], opts: ResolvedOptions): string[] {
  if (!fvhCanHighlight(field)) {
    throw fetchError(leaf, `the field [${field.path}] should be indexed with term vector with position offsets to be used with fast vector highlighter`);
  }
  // SourceSimpleFragmentsBuilder: a synthetic source may reorder the values the term vectors' offsets point into
  if (values.length > 1 && leaf.view.mapping.syntheticSource) {
    throw fetchError(leaf, `The fast vector highlighter doesn't support loading multi-valued fields from _source in index [${leaf.view.index}] because _source can reorder field values`);
  }
  if (values.length > 1) throw unsupported('fvh highlighter on a multi-valued field');
  if (opts.tagCount > 1) throw unsupported('fvh highlighter with several pre_tags/post_tags');
  if (opts.matchedFields !== undefined) throw unsupported('fvh highlighter matched_fields');
  const content = fieldContent(leaf.view, field, values);
  const query = run.query(leaf, opts);
  const matcher = fieldMatcher(opts, field);
  const mctx: MatchContext = { field: field.path, content, docMatches: (p) => run.docMatches(leaf.view, leaf.segment, doc, p) };
  const phrases = extractedPhraseOccurrences(query, content, matcher);
  const inPhrase = new Set(phrases.flat());
  const spans = new Set(extractedMatches(query, mctx, matcher).map((s) => `${s.start}:${s.end}`));
  const terms = content.tokens.filter((t) => spans.has(`${t.start}:${t.end}`) && !inPhrase.has(t));
  try {
    return fvhHighlight(content.text, terms, phrases, opts);
  } catch (e) {
    if (e instanceof FvhOptionError) throw fetchError(leaf, e.message);
    throw e;
  }
}

/** The fragments of one field of one hit, or none. */
function highlightField(run: HighlightRun, leaf: Leaf, doc: number, source: Record<string, unknown>, field: FieldInfo, opts: ResolvedOptions): string[] {
  // a field with an index-time script is highlighted in what its value fetcher gives: the script run again
  const values = field.indexScript ? indexScriptValues(leaf.view, field, leaf.segment, doc, undefined).map(String) : fieldValues(leaf.view, source, field);
  if (values.length === 0) return [];
  const indexLimit = leaf.view.maxAnalyzedOffset ?? INDEX_MAX_ANALYZED_OFFSET;
  // QueryMaxAnalyzedOffset.create (8.18): max_analyzed_offset -1 stands for the index's limit
  const queryLimit = opts.maxAnalyzedOffset !== undefined && opts.maxAnalyzedOffset < 0 ? indexLimit : opts.maxAnalyzedOffset;
  if (opts.type === 'plain') return highlightPlain(run, leaf, doc, field, values, opts, { index: indexLimit, query: queryLimit });
  if (opts.type === 'fvh') return highlightFvh(run, leaf, doc, field, values, opts);
  const content = fieldContent(leaf.view, field, values, queryLimit);
  if (content.text.length === 0) return [];
  // with offsets indexed the unified highlighter does not re-analyze the text, so the limit does not apply
  if (!field.offsets && (queryLimit === undefined || queryLimit > indexLimit) && content.text.length > indexLimit) {
    throw fetchError(leaf, analyzedOffsetMessage(leaf, doc, field, content.text.length, indexLimit));
  }
  if (opts.boundaryScanner === 'chars' && content.tokenized && opts.numberOfFragments !== 0) {
    throw fetchError(leaf, 'Invalid boundary scanner type: chars');
  }
  const query = run.query(leaf, opts);
  const spansOf = (f: FieldInfo, text: typeof content): MatchSpan[] => {
    const mctx: MatchContext = { field: f.path, content: text, docMatches: (p) => run.docMatches(leaf.view, leaf.segment, doc, p) };
    if (opts.requireFieldMatch && !hasNested(query)) return weightMatches(query, mctx) ?? [];
    return extractedMatches(query, mctx, fieldMatcher(opts, f));
  };
  const spans = spansOf(field, content);
  // matched_fields: the matches of multi-fields of the same value, analyzed their way, on this field's text
  for (const path of opts.matchedFields ?? []) {
    const other = path === field.path ? undefined : leaf.view.mapping.field(path);
    if (!other || (other.type !== 'text' && other.type !== 'keyword')) continue;
    const otherContent = fieldContent(leaf.view, other, fieldValues(leaf.view, source, other), opts.maxAnalyzedOffset);
    if (otherContent.text === content.text) spans.push(...spansOf(other, otherContent));
  }
  const maxPassages = opts.numberOfFragments === 0 ? Infinity : opts.numberOfFragments;
  let passages: Passage[] = spans.length > 0 ? highlightPassages(spans, breakIterator(content.text, content.tokenized, opts), content.text.length, maxPassages) : [];
  if (passages.length === 0) {
    const p = noMatchPassage(content.text, opts.noMatchSize);
    passages = p ? [p] : [];
  }
  const fmt = { preTag: opts.preTag, postTag: opts.postTag, html: opts.html, trim: opts.numberOfFragments !== 0 };
  const snippets = passages.map((p) => ({ text: formatPassage(p, content.text, fmt), score: p.score })).filter((s) => /\S/.test(s.text));
  // order: score sorts the kept passages by score (best first)
  if (opts.scoreOrdered) snippets.sort((a, b) => b.score - a.score);
  return snippets.map((s) => s.text);
}

function setHighlight(hit: Record<string, unknown>, highlight: Record<string, string[]>): void {
  const moved: Array<[string, unknown]> = [];
  for (const k of AFTER_HIGHLIGHT) {
    if (k in hit) {
      moved.push([k, hit[k]]);
      delete hit[k];
    }
  }
  hit.highlight = highlight;
  for (const [k, v] of moved) hit[k] = v;
}

/** A document to highlight and the hit object that receives its `highlight`. */
export interface HighlightTarget {
  hit: Record<string, unknown>;
  leaf: Leaf;
  doc: number;
  /** The source to read values from (a nested child's object under its path); default the doc's. */
  source?: Record<string, unknown>;
  /** Where stored fields read their values (the child's object in the document as indexed); default the doc's stored source. */
  storedSource?: Record<string, unknown>;
}

/**
 * Highlights documents of a search: the phase's hits, or a top_hits aggregation's (whose
 * `highlight` section is its own, with the search's query unless a field sets highlight_query).
 */
export function highlightDocs(section: unknown, ctx: Pick<PhaseContext, 'exec' | 'nowMs'>, targets: HighlightTarget[], query?: Primitive): void {
  runSteps(highlightDocSteps(section, ctx, targets, query));
}

/** highlightDocs one document at a time, yielding between documents (the request's Pacer decides when to pause). */
function* highlightDocSteps(section: unknown, ctx: Pick<PhaseContext, 'exec' | 'nowMs'>, targets: Iterable<HighlightTarget>, query?: Primitive): Generator<void, void> {
  const req = parseHighlight(section);
  if (req.fields.length === 0) return;
  const run = new HighlightRun(ctx, query);
  for (const { hit, leaf, doc, source: given, storedSource: givenStored } of targets) {
    const source = given ?? leaf.segment.source(doc);
    // HighlightUtils.loadFieldValues: a stored field highlights its stored values, even without _source
    const stored = givenStored ?? (given === undefined ? leaf.segment.storedSource?.(doc) : undefined) ?? source;
    if (!source && !stored) continue;
    const out: Record<string, string[]> = {};
    for (const spec of req.fields) {
      for (const { name, field } of expandFields(leaf.view, spec.pattern)) {
        if (name in out) continue;
        const values = field.stored ? stored : source;
        if (!values) continue;
        const opts = resolveOptions(req.global, spec.options, field.path);
        // HighlightPhase: a field a wildcard names is skipped when the highlighter cannot highlight it
        if (opts.type === 'fvh' && spec.pattern.includes('*') && !fvhCanHighlight(field)) continue;
        const fragments = highlightField(run, leaf, doc, values, field, opts);
        if (fragments.length > 0) out[name] = fragments;
      }
    }
    if (Object.keys(out).length > 0) setHighlight(hit, out);
    yield;
  }
}

/** The phase's targets: each returned hit's segment and document. */
function* hitTargets(ctx: PhaseContext): Generator<HighlightTarget> {
  const { exec } = ctx;
  for (const { hit, hitIndex } of ctx.hits) {
    const m = exec.hitIdx[hitIndex]!;
    yield { hit, leaf: exec.leaves[exec.matches.leaf[m]!]!, doc: exec.matches.doc[m]! };
  }
}

/** Highlights the hits one at a time, pausing between two, then the documents percolate queries matched. */
function* highlightSteps(ctx: PhaseContext): Generator<void, void> {
  yield* highlightDocSteps(ctx.sections.highlight, ctx, hitTargets(ctx));
  for (const { hit, leaf, doc } of hitTargets(ctx)) {
    const st = ctx.exec.states[leaf.target];
    if (!st) continue;
    for (const h of percolatedHighlights(st.query, leaf.segment, doc)) {
      const scratch: Record<string, unknown> = {};
      yield* highlightDocSteps(ctx.sections.highlight, ctx, [{ hit: scratch, leaf: { ...leaf, view: h.view, segment: h.segment }, doc: h.doc, source: h.source }], h.query);
      const fragments = scratch.highlight as Record<string, string[]> | undefined;
      if (!fragments) continue;
      const merged = { ...(hit.highlight as Record<string, string[]> | undefined) };
      for (const [name, list] of Object.entries(fragments)) merged[h.prefix + name] = list;
      setHighlight(hit, merged);
    }
  }
}

/** The highlight phase: `highlight` on the returned hits. */
export const highlightPhase: SearchPhase = {
  keys: ['highlight'],
  everyPage: true,
  run: (ctx) => runSteps(highlightSteps(ctx)),
  steps: highlightSteps,
};
