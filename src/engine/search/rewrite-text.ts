import type { Analyzer, FieldInfo, Token } from '../contract.js';
import { EngineError, unsupported } from '../errors.js';
import { PHRASE_FIELD_SUFFIX, analyzeWithEnd, fixedShingles } from '../analysis/fixed-shingles.js';
import { MAX_CLAUSE_COUNT, tooManyClauses } from './clause-limit.js';
import { minimumShouldMatch } from './minimum-should-match.js';
import { NONE, booleanQuery, boosted } from './primitive.js';
import type { Primitive } from './primitive.js';
import type { MatchOptions, MatchQuery, MatchType, MultiMatchQuery, MultiMatchType } from './query.js';
import { prefixDocs, termsWithPrefix } from './rewrite-context.js';
import type { RewriteContext } from './rewrite-context.js';
import { checkPositional, constantFuzzyQuery, constantIfMatchOnly, fieldTerm, fuzzyTerms, matchesPattern, rewriteTerm } from './rewrite-terms.js';
import { normalizeKeyword } from './field-values.js';
import { saytPhrase, saytPhrasePrefix, saytPrefixQuery } from './search-as-you-type-query.js';

/**
 * Full-text queries -> primitives, as Elasticsearch's MatchQueryParser and Lucene's QueryBuilder:
 * the text is analysed with the field's search analyzer (search_quote_analyzer for phrases);
 * one position -> term (several tokens at one position -> synonym), several -> bool or phrase.
 */

/** Tokens grouped by position, positions relative to the first. */
export function positions(tokens: Token[]): { terms: string[][]; offsets: number[] } {
  const byPos = new Map<number, string[]>();
  for (const t of tokens) {
    const at = byPos.get(t.position);
    if (at) {
      if (!at.includes(t.term)) at.push(t.term);
    } else byPos.set(t.position, [t.term]);
  }
  const keys = [...byPos.keys()].sort((a, b) => a - b);
  const first = keys[0] ?? 0;
  return { terms: keys.map((k) => byPos.get(k) as string[]), offsets: keys.map((k) => k - first) };
}

function one(ctx: RewriteContext, field: string, alts: string[], opts: MatchOptions, fuzzy: boolean): Primitive {
  if (fuzzy && opts.fuzziness) {
    const subs = alts.map((t) => fuzzyTerms(ctx, field, t, { ...opts, fuzziness: opts.fuzziness! }, 1));
    return subs.length === 1 ? (subs[0] as Primitive) : { op: 'bool', must: [], should: subs, filter: [], mustNot: [], msm: 0, boost: 1 };
  }
  if (alts.length === 1) return constantIfMatchOnly(ctx, field, { op: 'term', field, term: alts[0] as string, boost: 1 });
  // MatchQueryParser.newSynonymQuery: a SynonymQuery even on match_only_text, scored over postings without freqs
  if (ctx.field(field)?.matchOnly) throw unsupported(`stacked tokens (synonyms) in a query on the match_only_text field [${field}]`);
  return { op: 'synonym', field, terms: alts, boost: 1 };
}

/** Combines per-position clauses with the operator and minimum_should_match. */
export function combine(clauses: Primitive[], opts: Pick<MatchOptions, 'operator' | 'minimumShouldMatch'>): Primitive {
  if (clauses.length === 1) return clauses[0] as Primitive;
  // Queries.maybeApplyMinimumShouldMatch counts the optional clauses: none with `and`, so an
  // absolute minimum (`1`) leaves a bool that matches nothing, as in Elasticsearch
  const optional = opts.operator === 'and' ? 0 : clauses.length;
  const msm = opts.minimumShouldMatch !== undefined ? minimumShouldMatch(optional, opts.minimumShouldMatch) : 0;
  if (opts.operator === 'and') return booleanQuery({ op: 'bool', must: clauses, should: [], filter: [], mustNot: [], msm, boost: 1 });
  return booleanQuery({ op: 'bool', must: [], should: clauses, filter: [], mustNot: [], msm, boost: 1 });
}

/** Terms of a field starting with `prefix`, in term order, at most `max` (MultiPhrasePrefixQuery). */
function prefixExpansions(ctx: RewriteContext, field: string, prefix: string, max: number): string[] {
  const all = new Set<string>();
  for (const seg of ctx.view.segments) for (const t of termsWithPrefix(seg, field, prefix)) all.add(t);
  return [...all].sort().slice(0, max);
}

/** Characters of a long query text analysed first, to refuse one with too many clauses early. */
const PREFIX_PROBE_CHARS = 64 * 1024;

/** A match-family query on one text field with analysed tokens. */
function textQuery(ctx: RewriteContext, f: FieldInfo, analyzer: Analyzer, text: string, type: MatchType, opts: MatchOptions): Primitive {
  // Past the clause limit the query cannot run: refused before a clause is built, and for a long
  // text before the whole of it is analysed (a 90 MB match took 57 s and 4.6 GB): a prefix cut at
  // whitespace never has more positions than the whole text.
  const refuse = (): EngineError => tooManyClauses(type === 'phrase' || type === 'phrase_prefix');
  if (text.length > PREFIX_PROBE_CHARS) {
    const cut = text.lastIndexOf(' ', PREFIX_PROBE_CHARS);
    if (cut > 0 && positions(analyzer.analyze(text.slice(0, cut))).terms.length > MAX_CLAUSE_COUNT) throw refuse();
  }
  const { terms, offsets } = positions(analyzer.analyze(text));
  if (terms.length > MAX_CLAUSE_COUNT) throw refuse();
  if (terms.length === 0) return opts.zeroTerms === 'all' ? { op: 'all', boost: 1 } : NONE;
  const field = f.path;
  switch (type) {
    case 'boolean':
      return combine(terms.map((alts) => one(ctx, field, alts, opts, true)), opts);
    case 'phrase':
      if (terms.length === 1) return one(ctx, field, terms[0] as string[], opts, false);
      checkPositional(ctx, f);
      if (f.sayt) {
        if (f.sayt.prefix) {
          const reason = `Can only use phrase queries on text fields - not on [${field}] which is of type [prefix]`;
          ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
        }
        const shingled = saytPhrase(f, analyzer, text, opts.slop);
        if (shingled) return shingled;
      }
      if (f.indexPhrases && opts.slop === 0) {
        const fast = indexedPhrase(f, analyzer, text);
        if (fast) return fast;
      }
      return constantIfMatchOnly(ctx, field, { op: 'phrase', field, terms, positions: offsets, slop: opts.slop, boost: 1 });
    case 'phrase_prefix': {
      checkPositional(ctx, f);
      if (f.sayt) {
        if (f.sayt.prefix) {
          const reason = `Can only use phrase prefix queries on text fields - not on [${field}] which is of type [prefix]`;
          ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
        }
        const routed = saytPhrasePrefix(f, analyzer, text, opts.slop);
        if (routed && 'op' in routed) return routed;
        // a last shingle longer than the prefix field's grams: the phrase prefix expands on the shingle subfield
        if (routed) return phrasePrefixOn(ctx, routed.field, routed.terms, routed.offsets, opts);
      }
      const last = terms[terms.length - 1] as string[];
      const pf = f.indexPrefixes;
      // TextFieldType.analyzePhrasePrefix: ES then reads the prefix field (a SynonymQuery, or span queries) and scores otherwise
      if (pf && opts.slop === 0 && (last[0] as string).length >= pf.minChars && (last[0] as string).length <= pf.maxChars) {
        throw unsupported(`${type} query on [${field}] with index_prefixes (its hidden prefix field)`);
      }
      return phrasePrefixOn(ctx, field, terms, offsets, opts);
    }
    case 'bool_prefix': {
      const clauses = terms.slice(0, -1).map((alts) => one(ctx, field, alts, opts, true));
      const last = (terms[terms.length - 1] as string[])[0] as string;
      // TextFieldType.prefixQuery: the prefix field answers within its lengths, else an (expensive) prefix query
      const sayt = saytPrefixQuery(f, last, false, 1);
      if (sayt) return combine([...clauses, sayt], opts);
      const pf = f.indexPrefixes;
      if (!(pf && last.length >= pf.minChars && last.length <= pf.maxChars)) ctx.checkExpensive('prefix', ' For optimised prefix queries on text fields please enable [index_prefixes].');
      clauses.push({ op: 'docs', boost: 1, label: `${field}:${last}*`, match: (seg) => prefixDocs(seg, field, last), terms: { field, matches: (t) => t.startsWith(last) } });
      return combine(clauses, opts);
    }
  }
}

/** MultiPhrasePrefixQuery on `field`: the last position's first term expanded to at most max_expansions terms. */
function phrasePrefixOn(ctx: RewriteContext, field: string, terms: string[][], offsets: number[], opts: MatchOptions): Primitive {
  const last = terms[terms.length - 1] as string[];
  const expanded = prefixExpansions(ctx, field, last[0] as string, opts.maxExpansions);
  if (expanded.length === 0) return NONE;
  if (terms.length === 1) {
    const should: Primitive[] = expanded.map((t) => ({ op: 'term', field, term: t, boost: 1 }));
    return constantIfMatchOnly(ctx, field, should.length === 1 ? (should[0] as Primitive) : { op: 'bool', must: [], should, filter: [], mustNot: [], msm: 0, boost: 1 });
  }
  return constantIfMatchOnly(ctx, field, { op: 'phrase', field, terms: [...terms.slice(0, -1), expanded], positions: offsets, slop: opts.slop, boost: 1 });
}

/**
 * TextFieldType.phraseQuery with index_phrases: an exact phrase (slop 0) without holes is a phrase
 * of the query's two-word shingles on the hidden `._index_phrase` field (one shingle: a term
 * query, as Lucene rewrites a one-term PhraseQuery); null when the tokens leave a hole (stop words)
 * and the phrase stays on the field. Stacked tokens (synonyms) take ES's multi-phrase path: refused.
 */
function indexedPhrase(f: FieldInfo, analyzer: Analyzer, text: string): Primitive | null {
  const { tokens, endPosition } = analyzeWithEnd(analyzer, text);
  let previous = -1;
  for (const t of tokens) {
    if (t.position === previous) throw unsupported(`a phrase with stacked tokens (synonyms) on [${f.path}] with index_phrases`);
    if (t.position > previous + 1) return null;
    previous = t.position;
  }
  const shingles = fixedShingles(tokens, endPosition);
  const field = f.path + PHRASE_FIELD_SUFFIX;
  if (shingles.length === 0) return NONE;
  if (shingles.length === 1) return { op: 'term', field, term: (shingles[0] as { term: string }).term, boost: 1 };
  const first = (shingles[0] as { position: number }).position;
  return { op: 'phrase', field, terms: shingles.map((s) => [s.term]), positions: shingles.map((s) => s.position - first), slop: 0, boost: 1 };
}

/** One field of a match or multi_match query, any field type. */
export function fieldMatch(ctx: RewriteContext, f: FieldInfo, text: string, type: MatchType, opts: MatchOptions, lenient: boolean): Primitive {
  try {
    if (f.type === 'text') {
      ctx.requireSearchable(f);
      const analyzer = ctx.analyzer(f, opts.analyzer, type === 'phrase' || type === 'phrase_prefix');
      if (!analyzer) return NONE;
      return textQuery(ctx, f, analyzer, text, type, opts);
    }
    if (f.type === 'keyword' && f.searchAnalyzer) {
      // split_queries_on_whitespace: the parts are terms of the field, OR'd (or AND'd) as for text
      ctx.requireSearchable(f);
      if ((type === 'phrase' || type === 'phrase_prefix') && f.searchAnalyzer.analyze(text).length > 1) {
        // a keyword field indexes no positions: Elasticsearch fails the phrase on the shard
        throw unsupported(`${type === 'phrase' ? 'match_phrase' : 'match_phrase_prefix'} of several words on keyword field [${f.path}] with split_queries_on_whitespace`);
      }
      return textQuery(ctx, f, f.searchAnalyzer, text, type, opts);
    }
    if (f.type === 'keyword' && opts.analyzer !== undefined && opts.analyzer !== 'keyword') {
      // MatchQueryParser with an explicit analyzer: the text is analyzed with it, each token a term of the field
      ctx.requireSearchable(f);
      if (type !== 'boolean') throw unsupported(`a ${type === 'phrase' ? 'match_phrase' : type === 'phrase_prefix' ? 'match_phrase_prefix' : 'match_bool_prefix'} query with an [analyzer] on keyword field [${f.path}]`);
      const analyzer = ctx.analyzer(f, opts.analyzer, false);
      if (!analyzer) return NONE;
      return textQuery(ctx, f, analyzer, text, type, opts);
    }
    if (f.type === 'keyword') {
      ctx.requireSearchable(f);
      const term = normalizeKeyword(f, text);
      if (opts.fuzziness && type === 'boolean') return fuzzyTerms(ctx, f.path, term, { ...opts, fuzziness: opts.fuzziness }, 1);
      if (type === 'phrase_prefix' || type === 'bool_prefix') {
        return { op: 'docs', boost: 1, label: `${f.path}:${term}*`, match: (seg) => prefixDocs(seg, f.path, term), terms: { field: f.path, matches: (t) => t.startsWith(term) } };
      }
      return fieldTerm(ctx, f, term, 1);
    }
    if (f.type === 'object' || f.type === 'nested' || f.type === 'completion') return NONE;
    // MatchQueryParser asks a keyword-like field for its fuzzyQuery: ConstantKeywordFieldType's compares the value
    if (f.type === 'constant_keyword' && opts.fuzziness && type === 'boolean') return constantFuzzyQuery(f, text, { ...opts, fuzziness: opts.fuzziness }, 1);
    return fieldTerm(ctx, f, text, 1);
  } catch (e) {
    if (lenient && e instanceof EngineError && e.type === 'query_shard_exception') return NONE;
    throw e;
  }
}

export function rewriteMatch(q: MatchQuery, ctx: RewriteContext): Primitive {
  // `_index` and `_id` are keyword-like metadata fields: a match on them is a term query.
  if (q.field === '_index' || q.field === '_id') return rewriteTerm({ kind: 'term', field: q.field, value: q.text, boost: q.boost, caseInsensitive: false, ...(q.name !== undefined ? { name: q.name } : {}) }, ctx);
  const f = ctx.field(q.field);
  // MatchQueryParser on an unmapped field: Queries.newUnmappedFieldQuery
  if (!f) return { op: 'none', reason: `unmapped fields [${q.field}]` };
  return boosted(fieldMatch(ctx, f, q.text, q.type, q, q.lenient), q.boost);
}

/** `field^2` patterns -> mapped fields with boosts; `*` alone means every searchable leaf field (lenient). */
export function resolveFields(ctx: RewriteContext, patterns: string[]): Array<{ field: FieldInfo; boost: number; lenient: boolean }> {
  const out: Array<{ field: FieldInfo; boost: number; lenient: boolean }> = [];
  const list = patterns.length === 0 ? ['*'] : patterns;
  for (const p of list) {
    const caret = p.lastIndexOf('^');
    const name = caret > 0 ? p.slice(0, caret) : p;
    const boost = caret > 0 ? Number(p.slice(caret + 1)) : 1;
    if (!name.includes('*')) {
      const f = ctx.field(name);
      if (f) out.push({ field: f, boost, lenient: false });
      continue;
    }
    // QueryParserHelper.resolveMappingField: patterns match field aliases too; an alias whose target
    // the pattern also matches folds into it, its weight applied once more (`w * weight`)
    const mapping = ctx.view.mapping;
    const names = [...mapping.fieldPaths(), ...(mapping.aliasPaths?.() ?? [])].filter((path) => matchesPattern(name, path));
    const matched = new Set(names);
    const byField = new Map<string, { field: FieldInfo; boost: number; lenient: boolean }>();
    for (const path of names) {
      const f = ctx.field(path);
      // fields without text search (TextSearchInfo.NONE: binary, geo_point) are left out of `*`
      if (!f || f.type === 'object' || f.type === 'nested' || f.type === 'completion' || f.type === 'binary' || f.type === 'geo_point' || f.type === 'percolator' || f.nestedPath !== undefined) continue;
      if (!f.indexed && !(f.docValues && f.type !== 'text')) continue;
      const key = matched.has(f.path) ? f.path : path;
      const seen = byField.get(key);
      if (seen) seen.boost *= boost;
      else byField.set(key, { field: f, boost, lenient: true });
    }
    out.push(...byField.values());
  }
  return out;
}

const MATCH_TYPE: Record<MultiMatchType, MatchType> = {
  best_fields: 'boolean',
  most_fields: 'boolean',
  cross_fields: 'boolean',
  phrase: 'phrase',
  phrase_prefix: 'phrase_prefix',
  bool_prefix: 'bool_prefix',
};

/** multi_match over resolved fields (also the engine of query_string over several fields). */
export function multiFieldQuery(
  ctx: RewriteContext,
  fields: Array<{ field: FieldInfo; boost: number; lenient: boolean }>,
  text: string,
  type: MultiMatchType,
  opts: MatchOptions,
  tieBreaker: number | undefined,
): Primitive {
  if (fields.length === 0) return NONE;
  if (type === 'cross_fields') return crossFields(ctx, fields, text, opts, tieBreaker ?? 0);
  const subs = fields
    .map(({ field, boost, lenient }) => boosted(fieldMatch(ctx, field, text, MATCH_TYPE[type], opts, lenient || opts.lenient), boost))
    .filter((p) => p.op !== 'none');
  if (subs.length === 0) return NONE;
  if (subs.length === 1) return subs[0] as Primitive;
  // MultiMatchQueryParser: the given tie_breaker, else the type's (most_fields and bool_prefix 1.0, others 0)
  const tie = tieBreaker ?? (type === 'most_fields' || type === 'bool_prefix' ? 1 : 0);
  return { op: 'dismax', subs, tieBreaker: tie, boost: 1 };
}

/**
 * cross_fields: fields grouped by analyzer; within a group each term is one blended term over
 * the fields (dis_max of per-field term queries with blended docFreqs, as BlendedTermQuery);
 * groups combine by dis_max. ES also blends totalTermFreq, which BM25 does not read.
 */
function crossFields(
  ctx: RewriteContext,
  fields: Array<{ field: FieldInfo; boost: number; lenient: boolean }>,
  text: string,
  opts: MatchOptions,
  tieBreaker: number,
): Primitive {
  const groups = new Map<string, { analyzer: Analyzer; fields: Array<{ field: FieldInfo; boost: number }> }>();
  const others: Primitive[] = [];
  for (const { field, boost, lenient } of fields) {
    if (field.matchOnly) throw unsupported(`multi_match cross_fields over the match_only_text field [${field.path}]`);
    if (field.type !== 'text') {
      const p = fieldMatch(ctx, field, text, 'boolean', opts, lenient || opts.lenient);
      if (p.op !== 'none') others.push(boosted(p, boost));
      continue;
    }
    const analyzer = ctx.analyzer(field, opts.analyzer, false);
    if (!analyzer) continue;
    const g = groups.get(analyzer.name) ?? { analyzer, fields: [] };
    g.fields.push({ field, boost });
    groups.set(analyzer.name, g);
  }
  const groupQueries: Primitive[] = [...others];
  for (const g of groups.values()) {
    const { terms } = positions(g.analyzer.analyze(text));
    if (terms.length === 0) continue;
    const clauses = terms.map((alts): Primitive => {
      const blended = alts.map((term): Primitive => {
        const dfs = blendedDocFreqs(ctx, g.fields.map(({ field }) => field.path), term);
        const perField: Primitive[] = g.fields.map(({ field, boost }, i) => ({ op: 'term', field: field.path, term, boost, docFreq: dfs[i] as number }));
        return perField.length === 1 ? (perField[0] as Primitive) : { op: 'dismax', subs: perField, tieBreaker, boost: 1 };
      });
      return blended.length === 1 ? (blended[0] as Primitive) : { op: 'bool', must: [], should: blended, filter: [], mustNot: [], msm: 0, boost: 1 };
    });
    groupQueries.push(combine(clauses, opts));
  }
  if (groupQueries.length === 0) return opts.zeroTerms === 'all' ? { op: 'all', boost: 1 } : NONE;
  if (groupQueries.length === 1) return groupQueries[0] as Primitive;
  return { op: 'dismax', subs: groupQueries, tieBreaker, boost: 1 };
}

/**
 * BlendedTermQuery.blend (Elasticsearch): every field's docFreq for a term becomes the max over
 * the fields (capped by maxDoc and the smallest sumTotalTermFreq), plus one for each step down in
 * popularity, a small bias towards the fields where the term is more frequent.
 */
export function blendedDocFreqs(ctx: RewriteContext, fields: string[], term: string): number[] {
  const dfs = fields.map((f) => ctx.view.docFreq(f, term));
  if (fields.length <= 1) return dfs;
  let maxDoc = 0;
  for (const seg of ctx.view.segments) maxDoc += seg.maxDoc;
  const minSumTtf = Math.min(...fields.map((f) => ctx.view.fieldStats(f)?.sumTotalTermFreq ?? 0));
  if (maxDoc > minSumTtf) maxDoc = minSumTtf;
  const max = Math.max(...dfs);
  if (max === 0) return dfs;
  const order = fields.map((_, i) => i).sort((a, b) => (dfs[b] as number) - (dfs[a] as number));
  const out = [...dfs];
  let prev = dfs[order[0] as number] as number;
  let actualDf = Math.min(maxDoc, max);
  for (const i of order) {
    const current = dfs[i] as number;
    if (current === 0) break;
    if (prev > current) actualDf++;
    out[i] = Math.min(maxDoc, actualDf);
    prev = current;
  }
  return out;
}

export function rewriteMultiMatch(q: MultiMatchQuery, ctx: RewriteContext): Primitive {
  const fields = resolveFields(ctx, q.fields);
  return boosted(multiFieldQuery(ctx, fields, q.text, q.type, q, q.tieBreaker), q.boost);
}
