import type { IndexView } from '../../contract.js';
import { EngineError, parsingError, tokenOf } from '../../errors.js';
import { javaFloat } from '../float-format.js';
import { isObject } from '../parse-util.js';
import type { PhaseContext, SearchPhase } from '../phases.js';
import { allShardsFailed, isShardError, shardFailureBody } from '../shard-failure.js';
import type { ShardFailure } from '../shard-failure.js';
import { filterSource } from '../source-filter.js';
import { completionShard, parseCompletion, reduceCompletion } from './completion-suggester.js';
import type { CompletionSpec } from './completion-suggester.js';
import { parsePhrase, phraseShard, reducePhrase } from './phrase-suggester.js';
import type { PhraseSpec } from './phrase-suggester.js';
import type { CompletionOption, PhraseOption, SuggestEntry, TermOption } from './suggest-result.js';
import { parseTerm, reduceTerm, termShard } from './term-suggester.js';
import type { TermSpec } from './term-suggester.js';

/**
 * The suggest phase: `suggest: { text?, <name>: { text | prefix | regex, <type>: {...} } }`
 * answered per index as Elasticsearch answers per shard (each index here is one shard), then
 * reduced as SearchPhaseController does: `suggest: { <name>: [ { text, offset, length, options } ] }`
 * (`<type>#<name>` with typed_keys). The suggesters: completion (completion-suggester.ts), term
 * (term-suggester.ts over direct-spell-checker.ts), phrase (phrase-suggester.ts: candidate-generator,
 * noisy-channel, word-scorer).
 *
 * Deviations from Elasticsearch:
 * - completion: category and geo contexts (completion-contexts-query.ts) match an input through
 *   any of its contexts, the best boost counting; an analyzer's token graph (synonyms,
 *   shingles) contributes only its first path to the analyzed form; regex `flags` and
 *   max_determinized_states are ignored (Lucene-only operators `@ & ~ < #` answer a 400);
 *   shard_size does not widen the collection (options are ranked exactly over all documents);
 *   among one document's inputs with the same best score the smaller analyzed form is reported
 *   (Lucene: the first reached in the FST).
 * - term / phrase: terms are enumerated and compared in UTF-16 order rather than UTF-8 byte
 *   order (differs only beyond the BMP); the candidate queue is exact where Lucene's
 *   FuzzyTermsEnum may skip terms once its queue is full of equal boosts.
 * - phrase: `collate` answers a 400; the gram size is detected from a shingle filter in the
 *   analyzer by analyzing probe words; the direct_generator's accuracy/size options are validated
 *   as the term suggester's.
 * - When a suggestion fails on some indices only, those are reported as shard failures in
 *   `_shards` but their hits stay in the response.
 */

type Suggester = { kind: 'term'; spec: TermSpec } | { kind: 'phrase'; spec: PhraseSpec } | { kind: 'completion'; spec: CompletionSpec };

interface Suggestion {
  name: string;
  text?: string;
  prefix?: string;
  regex?: string;
  suggester: Suggester;
}

const PARSERS: Record<Suggester['kind'], (body: Record<string, unknown>) => Suggester> = {
  term: (body) => ({ kind: 'term', spec: parseTerm(body) }),
  phrase: (body) => ({ kind: 'phrase', spec: parsePhrase(body) }),
  completion: (body) => ({ kind: 'completion', spec: parseCompletion(body) }),
};


const isValue = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** SuggestionBuilder.fromXContent: text / prefix / regex beside exactly one suggester object. */
function parseSuggestion(name: string, body: Record<string, unknown>): Suggestion {
  const s: Partial<Suggestion> = { name };
  for (const [key, value] of Object.entries(body)) {
    if (isValue(value)) {
      if (key === 'text') s.text = String(value);
      else if (key === 'prefix') s.prefix = String(value);
      else if (key === 'regex') s.regex = String(value);
      else throw parsingError(`suggestion does not support [${key}]`);
    } else if (isObject(value)) {
      const parse = (PARSERS as Record<string, ((b: Record<string, unknown>) => Suggester) | undefined>)[key];
      if (!parse) throw new EngineError(400, 'named_object_not_found_exception', `[1:1] unknown field [${key}]`);
      s.suggester = parse(value);
    } else {
      throw parsingError(`suggestion does not support [${key}]`);
    }
  }
  if (!s.suggester) throw new EngineError(400, 'parse_exception', 'missing suggestion object');
  return s as Suggestion;
}

/** SuggestBuilder.fromXContent: the global `text` and the named suggestions, in request order. */
export function parseSuggest(json: unknown): { globalText?: string; suggestions: Suggestion[] } {
  if (!isObject(json)) throw parsingError(`[suggest] failed to parse: expected [START_OBJECT] but found [${tokenOf(json)}]`);
  let globalText: string | undefined;
  const suggestions: Suggestion[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (isValue(value)) {
      if (key !== 'text') throw new EngineError(400, 'illegal_argument_exception', `[suggest] does not support [${key}]`);
      globalText = String(value);
    } else if (isObject(value)) {
      suggestions.push(parseSuggestion(key, value));
    } else {
      throw parsingError(`unexpected token [${tokenOf(value)}] after [${key}]`);
    }
  }
  return { globalText, suggestions };
}

type ShardResult =
  | { kind: 'term'; entries: Array<SuggestEntry<TermOption>> }
  | { kind: 'phrase'; entry: SuggestEntry<PhraseOption> & { cutoff: number } }
  | { kind: 'completion'; entry: SuggestEntry<CompletionOption> };

/** One index's answer to one suggestion (SuggestBuilder.build + Suggester.execute). */
function runOnIndex(s: Suggestion, globalText: string | undefined, view: IndexView, target: number): ShardResult {
  // populateCommonFields: text falls back to prefix, then regex; SuggestBuilder.build: then the global text
  const text = s.text ?? s.prefix ?? s.regex ?? globalText;
  const sug = s.suggester;
  if (sug.kind === 'completion') {
    const spec: CompletionSpec = { ...sug.spec, prefix: s.prefix ?? s.text, regex: s.regex };
    const entry = completionShard(spec, text ?? '', view, target);
    if (text === undefined) throw new EngineError(400, 'illegal_argument_exception', 'The required text option is missing');
    return { kind: 'completion', entry };
  }
  if (text === undefined) throw new EngineError(400, 'illegal_argument_exception', 'The required text option is missing');
  if (sug.kind === 'term') return { kind: 'term', entries: termShard(sug.spec, text, view) };
  return { kind: 'phrase', entry: phraseShard(sug.spec, text, view) };
}

function renderCompletion(o: CompletionOption, ctx: PhaseContext): Record<string, unknown> {
  const req = ctx.exec.req;
  const seg = o.view.segments[o.segment];
  const out: Record<string, unknown> = { text: o.text, _index: o.view.index };
  if (seg && !req.storedFieldsNone) out._id = seg.id(o.doc);
  out._score = javaFloat(o.score);
  const source = seg?.source(o.doc);
  if (source && req.source.fetch) {
    const filtered = filterSource(source, req.source);
    if (filtered) out._source = filtered;
  }
  if (o.contexts) out.contexts = o.contexts;
  return out;
}

const entryJson = <O>(e: SuggestEntry<O>, options: Array<Record<string, unknown>>): Record<string, unknown> => ({
  text: e.text,
  offset: e.offset,
  length: e.length,
  options,
});

function reduce(s: Suggestion, results: ShardResult[], ctx: PhaseContext): Array<Record<string, unknown>> {
  const sug = s.suggester;
  if (sug.kind === 'term') {
    const entries = reduceTerm(sug.spec, results.flatMap((r) => (r.kind === 'term' ? [r.entries] : [])));
    return entries.map((e) => entryJson(e, e.options.map((o) => ({ text: o.text, score: javaFloat(o.score), freq: o.freq }))));
  }
  if (sug.kind === 'phrase') {
    const entry = reducePhrase(sug.spec, results.flatMap((r) => (r.kind === 'phrase' ? [r.entry] : [])));
    if (!entry) return [];
    return [entryJson(entry, entry.options.map((o) => ({ ...o, score: javaFloat(o.score) })))];
  }
  const entry = reduceCompletion(sug.spec, results.flatMap((r) => (r.kind === 'completion' ? [r.entry] : [])));
  if (!entry) return [];
  return [entryJson(entry, entry.options.map((o) => renderCompletion(o, ctx)))];
}

/** Marks indices whose suggestions failed as failed shards in `_shards`. */
function addShardFailures(response: Record<string, unknown>, failures: ShardFailure[]): void {
  const shards = response._shards as Record<string, unknown> | undefined;
  if (!shards) return;
  shards.successful = Number(shards.successful) - failures.length;
  shards.failed = Number(shards.failed) + failures.length;
  shards.failures = [...((shards.failures as unknown[] | undefined) ?? []), ...failures.map(shardFailureBody)];
}

/** The suggest phase: completion, term and phrase suggesters. */
export const suggestPhase: SearchPhase = {
  keys: ['suggest'],
  run(ctx) {
    const { globalText, suggestions } = parseSuggest(ctx.sections.suggest);
    const states = ctx.exec.states;
    if (states.length === 0 || suggestions.length === 0) return;
    const perIndex: Array<ShardResult[] | undefined> = [];
    const failures: ShardFailure[] = [];
    states.forEach((st, target) => {
      try {
        perIndex.push(suggestions.map((s) => runOnIndex(s, globalText, st.view, target)));
      } catch (e) {
        if (!isShardError(e)) throw e;
        failures.push({ index: st.view.index, error: e });
        perIndex.push(undefined);
      }
    });
    if (failures.length === states.length) throw allShardsFailed(failures);
    if (failures.length > 0) addShardFailures(ctx.response, failures);
    const typed = ctx.params.typed_keys === true;
    const out: Record<string, unknown> = {};
    suggestions.forEach((s, i) => {
      const results = perIndex.flatMap((r) => (r ? [r[i] as ShardResult] : []));
      out[typed ? `${s.suggester.kind}#${s.name}` : s.name] = reduce(s, results, ctx);
    });
    ctx.response.suggest = out;
  },
};
