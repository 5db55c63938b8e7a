import type { CompletionInput, CompletionSegmentView, IndexView, SegmentView, Token } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { fuzzyEdits, isObject, parseFuzziness } from '../parse-util.js';
import { regexpMatcher } from '../pattern.js';
import { regexpFlags } from '../parse-term-level.js';
import { commonPrefixLength, completionKey, fuzzyPrefixMatch, labels, truncateInput } from './completion-key.js';
import type { CompletionKeyOptions } from './completion-key.js';
import type { CompletionOption, SuggestEntry } from './suggest-result.js';
import { boolOption, intOption, parseCommonOption, requireField } from './suggest-options.js';
import type { CommonSpec } from './suggest-options.js';
import { mappedField } from './suggestion-context.js';
import { matchContexts, parseQueryContexts } from './completion-contexts-query.js';

/**
 * The completion suggester (CompletionSuggester + Lucene's NRTSuggester): documents whose
 * analyzed inputs start with the analyzed prefix (or, fuzzy, come within the edit distance of
 * it, or match a regex), one option per document with its best input, ranked by score (the
 * weight; fuzzy: weight x common-prefix boost) then text then document.
 */

export interface FuzzyOptions {
  edits: number;
  transpositions: boolean;
  minLength: number;
  prefixLength: number;
  unicodeAware: boolean;
}

export interface CompletionSpec extends CommonSpec {
  fuzzy?: FuzzyOptions;
  skipDuplicates: boolean;
  /** The suggestion's `contexts`, read against the field's context mappings on each index. */
  contexts?: unknown;
  /** RegexOptions: RegexpFlag syntax flags (default ALL) and max_determinized_states (default 10,000). */
  regexFlags?: number;
  regexMaxStates?: number;
}

const xcontent = (reason: string): EngineError => new EngineError(400, 'x_content_parse_exception', `[1:1] ${reason}`);
const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

function parseFuzzy(v: unknown): FuzzyOptions | undefined {
  // FuzzyOptions.Builder defaults: FuzzyCompletionQuery's 1 edit, transpositions, min_length 3, prefix_length 1
  const o: FuzzyOptions = { edits: 1, transpositions: true, minLength: 3, prefixLength: 1, unicodeAware: false };
  if (v === true || v === 'true') return o;
  if (v === false || v === 'false') return undefined;
  if (!isObject(v)) throw xcontent('[completion] fuzzy doesn\'t support values of type: VALUE_NUMBER');
  for (const [key, value] of Object.entries(v)) {
    switch (key) {
      case 'fuzziness': {
        // FuzzyOptions.setFuzziness(Fuzziness) calls asDistance() without a term: AUTO counts 5 chars, i.e. 1 edit
        const edits = fuzzyEdits(parseFuzziness('fuzzy', value), 'xxxxx');
        if (edits < 0 || edits > 2) throw illegal('fuzziness must be between 0 and 2');
        o.edits = edits;
        break;
      }
      case 'transpositions':
        o.transpositions = boolOption('fuzzy', key, value);
        break;
      case 'min_length':
        o.minLength = intOption('fuzzy', key, value);
        if (o.minLength < 0) throw illegal('fuzzyMinLength must not be negative');
        break;
      case 'prefix_length':
        o.prefixLength = intOption('fuzzy', key, value);
        if (o.prefixLength < 0) throw illegal('fuzzyPrefixLength must not be negative');
        break;
      case 'unicode_aware':
        o.unicodeAware = boolOption('fuzzy', key, value);
        break;
      case 'max_determinized_states':
        intOption('fuzzy', key, value);
        break;
      default:
        throw xcontent(`[fuzzy] unknown field [${key}]`);
    }
  }
  return o;
}

/** CompletionSuggestionBuilder.fromXContent. */
export function parseCompletion(body: Record<string, unknown>): CompletionSpec {
  const common: Partial<CommonSpec> = {};
  const spec: Omit<CompletionSpec, 'field'> = { skipDuplicates: false };
  for (const [key, value] of Object.entries(body)) {
    if (parseCommonOption(common, 'completion', key, value)) continue;
    switch (key) {
      case 'fuzzy':
        spec.fuzzy = parseFuzzy(value);
        break;
      case 'skip_duplicates':
        spec.skipDuplicates = boolOption('completion', key, value);
        break;
      case 'contexts':
      case 'context':
        spec.contexts = value;
        break;
      case 'regex':
        // RegexOptions: flags and max_determinized_states (the regex itself sits beside the type)
        if (!isObject(value)) throw xcontent('[completion] regex doesn\'t support values of type: VALUE_STRING');
        for (const [k, v] of Object.entries(value)) {
          if (k === 'flags' || k === 'flags_value') spec.regexFlags = typeof v === 'number' ? v : regexpFlags(String(v));
          else if (k === 'max_determinized_states') spec.regexMaxStates = intOption('regex', k, v);
          else throw xcontent(`[regex] unknown field [${k}]`);
        }
        break;
      default:
        throw xcontent(`[completion] unknown field [${key}]`);
    }
  }
  return { ...common, ...spec, field: requireField(common) };
}

interface Candidate {
  text: string;
  key: string;
  score: number;
  segment: number;
  doc: number;
  /** The input's context that matched the query's (`<name>\0<value>`). */
  context?: string;
}

/** Ranking of suggestions: score desc, then text (Lucene's CHARSEQUENCE_COMPARATOR), then doc. */
const byRank = (a: { score: number; text: string }, b: { score: number; text: string }): number =>
  b.score - a.score || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

const hasCompletions = (s: SegmentView): s is CompletionSegmentView => 'completions' in s;

/** One index's completion suggestions: `text` is the entry text, `query` the prefix (or text) or regex. */
export function completionShard(spec: CompletionSpec, text: string, view: IndexView, target: number): SuggestEntry<CompletionOption> {
  const info = mappedField(view, spec.field);
  // populateCommonFields checks `analyzer`, though prefixes are analyzed with the field's search analyzer
  if (spec.analyzer !== undefined && !view.analysis.analyzer(spec.analyzer)) throw illegal(`analyzer [${spec.analyzer}] doesn't exists`);
  if (info.type !== 'completion') throw illegal(`Field [${spec.field}] is not a completion suggest field`);
  const queryContexts = parseQueryContexts(spec.field, info.completion?.contexts, spec.contexts);
  const entry: SuggestEntry<CompletionOption> = { text, offset: 0, length: text.length, options: [] };
  if (view.numDocs === 0) return entry;
  const keyOptions: CompletionKeyOptions = info.completion ?? { preserveSeparators: true, preservePositionIncrements: true };
  const maxInputLength = info.completion?.maxInputLength ?? 50;
  const indexAnalyzer = info.analyzer;
  const searchAnalyzer = info.searchAnalyzer ?? indexAnalyzer;
  if (!indexAnalyzer || !searchAnalyzer) return entry;
  const matcher = buildMatcher(spec, spec.regex !== undefined && spec.prefix === undefined ? spec.regex : spec.prefix ?? text, searchAnalyzer.analyze.bind(searchAnalyzer), keyOptions);
  const inputs = (seg: CompletionSegmentView): readonly IndexedInput[] =>
    segmentInputs(seg, spec.field, `${keyOptions.preserveSeparators}|${keyOptions.preservePositionIncrements}|${maxInputLength}`, (input) =>
      completionKey(indexAnalyzer.analyze(input), keyOptions), maxInputLength);

  const best: Candidate[] = [];
  view.segments.forEach((seg, s) => {
    if (!hasCompletions(seg)) return;
    const all = inputs(seg);
    // a plain prefix reads only its range of the sorted analyzed forms
    const [from, to] = matcher.prefix !== undefined ? prefixRange(all, matcher.prefix) : [0, all.length];
    const top = new Map<number, Candidate>();
    for (let i = from; i < to; i++) {
      const input = all[i] as IndexedInput;
      if (!seg.isLive(input.doc)) continue;
      const boost = matcher.match(input.key);
      if (boost === undefined) continue;
      // ContextCompletionWeight.boost: the matched context's boost plus the inner query's
      const matched = queryContexts ? matchContexts(queryContexts, input.contexts) : undefined;
      if (queryContexts && !matched) continue;
      const score = combine(input.weight, (matched?.boost ?? 0) + boost);
      const c: Candidate = { text: input.text, key: input.key, score, segment: s, doc: input.doc, ...(matched ? { context: matched.context } : {}) };
      const t = top.get(input.doc);
      // the document's first suggestion in the FST walk: best score, then analyzed form
      if (!t || c.score > t.score || (c.score === t.score && (c.key < t.key || (c.key === t.key && c.text < t.text)))) top.set(input.doc, c);
    }
    best.push(...top.values());
  });
  best.sort((a, b) => byRank(a, b) || a.segment - b.segment || a.doc - b.doc);
  const size = spec.size ?? 5;
  const seen = new Set<string>();
  for (const c of best) {
    if (entry.options.length >= size) break;
    if (spec.skipDuplicates) {
      if (seen.has(c.text)) continue;
      seen.add(c.text);
    }
    entry.options.push({ text: c.text, score: c.score, view, target, segment: c.segment, doc: c.doc, ...(c.context !== undefined ? { contexts: namedContext(c.context) } : {}) });
  }
  return entry;
}

/** ContextMappings.getNamedContexts of the matched context: `{name: [value]}`. */
function namedContext(context: string): Record<string, string[]> {
  const cut = context.indexOf('\u0000');
  return { [context.slice(0, cut)]: [context.slice(cut + 1)] };
}

interface Matcher {
  /** The inner query's boost for a matching analyzed input (0 but for fuzzy's common prefix), undefined when it does not match. */
  match: (key: string) => number | undefined;
  /** Set for a plain prefix: only keys starting with it can match. */
  prefix?: string;
}

/** CompletionScorer.score: the weight, times the fuzzy boost when both are non-zero. */
const combine = (weight: number, boost: number): number => (boost === 0 ? weight : weight === 0 ? boost : Math.fround(weight * boost));

function buildMatcher(spec: CompletionSpec, query: string, analyze: (text: string) => Token[], keyOptions: CompletionKeyOptions): Matcher {
  if (spec.regex !== undefined && spec.prefix === undefined) {
    // RegexCompletionQuery: the (unanalyzed) regex matches a prefix of the analyzed form
    const dfa = regexpMatcher(spec.regex, { prefix: true, ...(spec.regexFlags !== undefined ? { flags: spec.regexFlags } : {}), ...(spec.regexMaxStates !== undefined ? { maxDeterminizedStates: spec.regexMaxStates } : {}) });
    return { match: (key) => (dfa.test(key) ? 0 : undefined) };
  }
  const prefix = completionKey(analyze(query), keyOptions);
  const fuzzy = spec.fuzzy;
  if (!fuzzy) return { match: (key) => (key.startsWith(prefix) ? 0 : undefined), prefix };
  const q = labels(prefix, fuzzy.unicodeAware);
  const exact = q.length <= fuzzy.prefixLength || q.length < fuzzy.minLength;
  const match = (key: string): number | undefined => {
    const k = labels(key, fuzzy.unicodeAware);
    let accepted: number;
    if (exact) {
      if (k.length < q.length || commonPrefixLength(k, q.length, q) < q.length) return undefined;
      accepted = q.length;
    } else {
      accepted = fuzzyPrefixMatch(k, q, fuzzy.prefixLength, fuzzy.edits, fuzzy.transpositions);
      if (accepted < 0) return undefined;
    }
    // FuzzyCompletionWeight: boost = common prefix of the path where the automaton first accepts and the query
    return commonPrefixLength(k, accepted, q);
  };
  // below min_length (or within prefix_length) the query is matched exactly; otherwise the
  // first prefix_length labels are, so keys must start with the characters they cover
  return { match, prefix: exact ? prefix : coveredPrefix(prefix, fuzzy.prefixLength, fuzzy.unicodeAware) };
}

/** The longest start of `s` whose labels fit in the first `n` (code points, or UTF-8 bytes). */
function coveredPrefix(s: string, n: number, unicodeAware: boolean): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const size = unicodeAware ? 1 : labels(ch, false).length;
    if (used + size > n) break;
    used += size;
    out += ch;
  }
  return out;
}

/** One completion input of a segment, analyzed: what Lucene's per-segment FST holds. */
interface IndexedInput {
  key: string;
  text: string;
  weight: number;
  doc: number;
  contexts?: readonly string[];
}

/**
 * Analyzed inputs per segment and field, sorted by analyzed form, built once: segments are
 * immutable (cached on the segment core when the reader exposes one, so later refreshes that
 * keep the segment reuse it).
 */
const INPUTS = new WeakMap<object, Map<string, IndexedInput[]>>();

function segmentInputs(seg: CompletionSegmentView, field: string, variant: string, keyOf: (input: string) => string, maxInputLength: number): readonly IndexedInput[] {
  const owner = (seg as { core?: object }).core ?? seg;
  let byField = INPUTS.get(owner);
  if (!byField) {
    byField = new Map();
    INPUTS.set(owner, byField);
  }
  const cacheKey = `${field}\u0000${variant}`;
  let list = byField.get(cacheKey);
  if (list) return list;
  list = [];
  const keys = new Map<string, string>();
  for (let doc = 0; doc < seg.maxDoc; doc++) {
    if (seg.nestedPath(doc) !== undefined) continue;
    const inputs: readonly CompletionInput[] | undefined = seg.completions(field, doc);
    if (!inputs) continue;
    for (const { input: raw, weight, contexts } of inputs) {
      // CompletionFieldMapper: blank inputs are ignored, the rest cut to max_input_length
      if (raw.trim() === '') continue;
      const text = truncateInput(raw, maxInputLength);
      let key = keys.get(text);
      if (key === undefined) {
        key = keyOf(text);
        keys.set(text, key);
      }
      list.push({ key, text, weight, doc, ...(contexts ? { contexts } : {}) });
    }
  }
  list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.doc - b.doc));
  byField.set(cacheKey, list);
  return list;
}

/** The [from, to) range of sorted inputs whose analyzed form starts with `prefix`. */
function prefixRange(list: readonly IndexedInput[], prefix: string): [number, number] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as IndexedInput).key < prefix) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && (list[end] as IndexedInput).key.startsWith(prefix)) end++;
  return [lo, end];
}

/** CompletionSuggestion.reduce: merge the shards' ranked options, skipping repeated texts when asked, to `size`. */
export function reduceCompletion(spec: CompletionSpec, shards: Array<SuggestEntry<CompletionOption>>): SuggestEntry<CompletionOption> | undefined {
  const leader = shards[0];
  if (!leader) return undefined;
  if (shards.length === 1) return leader;
  const all = shards.flatMap((s) => s.options);
  all.sort((a, b) => byRank(a, b) || a.target - b.target || a.segment - b.segment || a.doc - b.doc);
  const size = spec.size ?? 5;
  const seen = new Set<string>();
  const options: CompletionOption[] = [];
  for (const o of all) {
    if (spec.skipDuplicates) {
      if (seen.has(o.text)) continue;
      seen.add(o.text);
    }
    options.push(o);
    if (options.length >= size) break;
  }
  return { ...leader, options };
}
