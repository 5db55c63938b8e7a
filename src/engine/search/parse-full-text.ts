import { parsingError } from '../errors.js';
import {
  asBoolean,
  asInt,
  asMinimumShouldMatch,
  asNumber,
  asString,
  asStringList,
  commonOption,
  expectObject,
  isObject,
  oneOf,
  parseFuzziness,
  singleField,
  unknownParam,
} from './parse-util.js';
import { MULTI_MATCH_TYPES } from './query.js';
import type { MatchOptions, MatchQuery, MatchType, MultiMatchQuery } from './query.js';

/** Parsers of the full-text queries: match, match_phrase(_prefix), match_bool_prefix, multi_match. */

const defaultOptions = (): MatchOptions => ({
  operator: 'or',
  prefixLength: 0,
  maxExpansions: 50,
  transpositions: true,
  zeroTerms: 'none',
  lenient: false,
  slop: 0,
});

/** Options each DSL name accepts besides `query`, `boost`, `_name`. */
const ALLOWED: Record<string, ReadonlySet<string>> = {
  match: new Set([
    'operator',
    'minimum_should_match',
    'fuzziness',
    'prefix_length',
    'max_expansions',
    'fuzzy_transpositions',
    'analyzer',
    'zero_terms_query',
    'lenient',
    'fuzzy_rewrite',
    'auto_generate_synonyms_phrase_query',
    'cutoff_frequency',
  ]),
  match_phrase: new Set(['slop', 'analyzer', 'zero_terms_query']),
  match_phrase_prefix: new Set(['slop', 'analyzer', 'max_expansions', 'zero_terms_query']),
  match_bool_prefix: new Set([
    'operator',
    'minimum_should_match',
    'fuzziness',
    'prefix_length',
    'max_expansions',
    'fuzzy_transpositions',
    'analyzer',
    'fuzzy_rewrite',
  ]),
};

function queryText(queryName: string, v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw parsingError(`[${queryName}] unknown token [${Array.isArray(v) ? 'START_ARRAY' : 'START_OBJECT'}] after [query]`);
}

/** Applies one match option; false when the key is not a match option. */
function matchOption(queryName: string, o: MatchOptions & { boost: number; name?: string }, key: string, v: unknown): boolean {
  if (commonOption(queryName, o, key, v)) return true;
  switch (key) {
    case 'operator':
      o.operator = oneOf(queryName, key, v, ['or', 'and'] as const);
      return true;
    case 'minimum_should_match':
      o.minimumShouldMatch = asMinimumShouldMatch(queryName, v);
      return true;
    case 'fuzziness':
      o.fuzziness = parseFuzziness(queryName, v);
      return true;
    case 'prefix_length':
      o.prefixLength = asInt(queryName, key, v);
      return true;
    case 'max_expansions':
      o.maxExpansions = asInt(queryName, key, v);
      if (o.maxExpansions <= 0) throw parsingError(`[${queryName}] [max_expansions] must be greater than 0`);
      return true;
    case 'fuzzy_transpositions':
      o.transpositions = asBoolean(queryName, key, v);
      return true;
    case 'analyzer':
      o.analyzer = asString(queryName, key, v);
      return true;
    case 'zero_terms_query':
      o.zeroTerms = oneOf(queryName, key, v, ['none', 'all'] as const);
      return true;
    case 'lenient':
      o.lenient = asBoolean(queryName, key, v);
      return true;
    case 'slop':
      o.slop = asInt(queryName, key, v);
      if (o.slop < 0) throw parsingError(`[${queryName}] phrase slop must be >= 0`);
      return true;
    case 'fuzzy_rewrite':
    case 'auto_generate_synonyms_phrase_query':
      return true;
    case 'cutoff_frequency':
      throw parsingError(`[${queryName}] query does not support [cutoff_frequency]`);
    default:
      return false;
  }
}

const TYPE_OF: Record<string, MatchType> = {
  match: 'boolean',
  match_phrase: 'phrase',
  match_phrase_prefix: 'phrase_prefix',
  match_bool_prefix: 'bool_prefix',
};

/** `match`, `match_phrase`, `match_phrase_prefix`, `match_bool_prefix`. */
export function parseMatchFamily(queryName: string, body: unknown): MatchQuery {
  const [field, spec] = singleField(queryName, body);
  const q: MatchQuery = { kind: 'match', field, text: '', type: TYPE_OF[queryName] ?? 'boolean', boost: 1, ...defaultOptions() };
  if (!isObject(spec)) {
    q.text = queryText(queryName, spec);
    return q;
  }
  let sawQuery = false;
  const allowed = ALLOWED[queryName] ?? new Set<string>();
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'query') {
      q.text = queryText(queryName, v);
      sawQuery = true;
    } else if (key === 'type' && queryName === 'match') {
      throw parsingError(`[match] query does not support [type]`);
    } else if (key === 'boost' || key === '_name' || allowed.has(key)) {
      matchOption(queryName, q, key, v);
    } else {
      throw unknownParam(queryName, key);
    }
  }
  if (!sawQuery) throw parsingError(`No text specified for text query`);
  return q;
}

/** `multi_match`: `fields` with `^boost` and wildcards, and the six types. */
export function parseMultiMatch(body: unknown): MultiMatchQuery {
  const name = 'multi_match';
  const spec = expectObject(name, body);
  const q: MultiMatchQuery = { kind: 'multi_match', fields: [], text: '', type: 'best_fields', boost: 1, ...defaultOptions() };
  let sawQuery = false;
  let cutoffFrequency = false;
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'query') {
      q.text = queryText(name, v);
      sawQuery = true;
    } else if (key === 'fields') {
      q.fields = asStringList(name, key, v);
    } else if (key === 'type') {
      q.type = oneOf(name, key, v, MULTI_MATCH_TYPES);
    } else if (key === 'tie_breaker') {
      q.tieBreaker = asNumber(name, key, v);
    } else if (key === 'cutoff_frequency') {
      cutoffFrequency = true;
    } else if (!matchOption(name, q, key, v)) {
      throw unknownParam(name, key);
    }
  }
  if (!sawQuery) throw parsingError(`No text specified for multi_match query`);
  if (q.fuzziness && (q.type === 'cross_fields' || q.type === 'phrase' || q.type === 'phrase_prefix')) {
    throw parsingError(`Fuzziness not allowed for type [${q.type}]`);
  }
  // MultiMatchQueryBuilder.fromXContent
  if (q.slop !== 0 && q.type === 'bool_prefix') throw parsingError(`[slop] not allowed for type [bool_prefix]`);
  if (cutoffFrequency) throw parsingError(q.type === 'bool_prefix' ? '[cutoff_frequency] not allowed for type [bool_prefix]' : `[${name}] query does not support [cutoff_frequency]`);
  return q;
}
