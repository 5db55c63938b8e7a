import { parseDistanceFeature } from './distance-feature.js';
import { parseGeoBoundingBox, parseGeoDistance, parseGeoGrid, parseGeoPolygon } from './geo/parse-geo-queries.js';
import { parseGeoShape } from './geo/geo-shape-query.js';
import { parseRankFeature } from './rank-feature-query.js';
import { parseTermsSet } from './terms-set-query.js';
import { EngineError, parsingError, unsupported } from '../errors.js';
import { parseBool, parseBoosting, parseConstantScore, parseDisMax, parseFunctionScore, parseNested } from './parse-compound.js';
import { parseMatchFamily, parseMultiMatch } from './parse-full-text.js';
import { parseCombinedFields } from './combined-fields.js';
import { parseScriptQuery, parseScriptScore } from './script/parse-script-queries.js';
import { parseIntervals } from './intervals/parse-intervals.js';
import { parseMoreLikeThis } from './more-like-this/more-like-this-query.js';
import { parsePercolate } from './percolator/percolate-query.js';
import { parseHasChild, parseHasParent, parseParentId } from './join/parse-join.js';
import {
  parseFieldMaskingSpan,
  parseSpanContain,
  parseSpanFirst,
  parseSpanGap,
  parseSpanMulti,
  parseSpanNear,
  parseSpanNot,
  parseSpanOr,
  parseSpanTerm,
} from './spans/parse-spans.js';
import { parseExists, parseFuzzy, parseIds, parsePattern, parseRange, parseTerm, parseTerms } from './parse-term-level.js';
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
  unknownParam,
} from './parse-util.js';
import { MULTI_MATCH_TYPES } from './query.js';
import type { Query, QueryStringQuery, SimpleQueryStringQuery } from './query.js';
import { parseKnn } from './vectors/knn-query.js';
import { parseWrapper } from './wrapper-query.js';

/**
 * Query DSL JSON -> `Query`. Errors are Elasticsearch's: `unknown query [foo]`,
 * `[match] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`, ...
 *
 * @example parseQuery({ match: { title: 'quick fox' } }) // { kind: 'match', field: 'title', ... }
 */
/** indices.query.max_nested_depth: queries within queries, counted while parsing (default 30). */
export const MAX_QUERY_NESTED_DEPTH = 30;
let depth = 0;

export function parseQuery(json: unknown): Query {
  if (depth >= MAX_QUERY_NESTED_DEPTH) {
    throw new EngineError(400, 'x_content_parse_exception', 'The nested depth of the query exceeds the maximum nested depth for queries set in [indices.query.max_nested_depth]');
  }
  depth++;
  try {
    return parseOne(json);
  } finally {
    depth--;
  }
}

function parseOne(json: unknown): Query {
  if (!isObject(json)) throw parsingError(`[_na] query malformed, must start with start_object`);
  const keys = Object.keys(json);
  const name = keys[0];
  if (name === undefined) throw parsingError(`query malformed, empty clause found at [1:1]`);
  const parser = Object.hasOwn(PARSERS, name) ? PARSERS[name] : undefined;
  if (!parser) {
    if (ES_QUERIES_NOT_SUPPORTED.has(name)) throw unsupported(`${name} query`);
    throw new EngineError(400, 'parsing_exception', `unknown query [${name}]`, { line: 1, col: 1 }, new EngineError(
      400,
      'named_object_not_found_exception',
      `[1:1] unknown field [${name}]`,
    ));
  }
  if (keys.length > 1) throw parsingError(`[${name}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  return parser(json[name]);
}

type Parser = (body: unknown) => Query;

const PARSERS: Record<string, Parser> = {
  match_all: (b) => simple('match_all', b),
  match_none: (b) => simple('match_none', b),
  match: (b) => parseMatchFamily('match', b),
  match_phrase: (b) => parseMatchFamily('match_phrase', b),
  match_phrase_prefix: (b) => parseMatchFamily('match_phrase_prefix', b),
  match_bool_prefix: (b) => parseMatchFamily('match_bool_prefix', b),
  multi_match: parseMultiMatch,
  term: parseTerm,
  terms: parseTerms,
  range: parseRange,
  exists: parseExists,
  ids: parseIds,
  prefix: (b) => parsePattern('prefix', b),
  wildcard: (b) => parsePattern('wildcard', b),
  regexp: (b) => parsePattern('regexp', b),
  fuzzy: parseFuzzy,
  bool: (b) => parseBool(b, parseQuery),
  wrapper: (b) => parseWrapper(b, parseQuery),
  constant_score: (b) => parseConstantScore(b, parseQuery),
  dis_max: (b) => parseDisMax(b, parseQuery),
  boosting: (b) => parseBoosting(b, parseQuery),
  function_score: (b) => parseFunctionScore(b, parseQuery),
  script_score: (b) => parseScriptScore(b, parseQuery),
  script: parseScriptQuery,
  nested: (b) => parseNested(b, parseQuery),
  query_string: parseQueryString,
  simple_query_string: parseSimpleQueryString,
  intervals: parseIntervals,
  combined_fields: parseCombinedFields,
  distance_feature: parseDistanceFeature,
  geo_distance: parseGeoDistance,
  geo_bounding_box: parseGeoBoundingBox,
  geo_polygon: parseGeoPolygon,
  geo_shape: parseGeoShape,
  geo_grid: parseGeoGrid,
  rank_feature: parseRankFeature,
  terms_set: parseTermsSet,
  knn: (b) => parseKnn(b, parseQuery, false),
  span_term: parseSpanTerm,
  span_near: (b) => parseSpanNear(b, parseQuery),
  span_or: (b) => parseSpanOr(b, parseQuery),
  span_not: (b) => parseSpanNot(b, parseQuery),
  span_first: (b) => parseSpanFirst(b, parseQuery),
  span_containing: (b) => parseSpanContain('span_containing', b, parseQuery),
  span_within: (b) => parseSpanContain('span_within', b, parseQuery),
  span_multi: (b) => parseSpanMulti(b, parseQuery),
  span_field_masking: (b) => parseFieldMaskingSpan(b, parseQuery),
  field_masking_span: (b) => parseFieldMaskingSpan(b, parseQuery),
  span_gap: parseSpanGap,
  more_like_this: parseMoreLikeThis,
  percolate: parsePercolate,
  has_child: (b) => parseHasChild(b, parseQuery),
  has_parent: (b) => parseHasParent(b, parseQuery),
  parent_id: parseParentId,
};

/** Queries Elasticsearch knows that this engine answers with a clear 400. */
const ES_QUERIES_NOT_SUPPORTED = new Set([
  'shape',
  'pinned',
  'sparse_vector',
  'text_expansion',
  'semantic',
  'type',
]);

function simple(kind: 'match_all' | 'match_none', body: unknown): Query {
  const spec = expectObject(kind, body);
  const q = { kind, boost: 1 } as Query;
  for (const [key, v] of Object.entries(spec)) if (!commonOption(kind, q, key, v)) throw unknownParam(kind, key);
  return q;
}

function parseQueryString(body: unknown): QueryStringQuery {
  const name = 'query_string';
  const spec = expectObject(name, body);
  const q: QueryStringQuery = {
    kind: 'query_string',
    query: '',
    fields: [],
    defaultOperator: 'or',
    allowLeadingWildcard: true,
    lenient: false,
    fuzziness: { auto: true, low: 3, high: 6 },
    fuzzyPrefixLength: 0,
    fuzzyMaxExpansions: 50,
    phraseSlop: 0,
    type: 'best_fields',
    boost: 1,
  };
  let saw = false;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    switch (key) {
      case 'query':
        q.query = asString(name, key, v);
        saw = true;
        break;
      case 'fields':
        q.fields = asStringList(name, key, v);
        break;
      case 'default_field':
        q.defaultField = asString(name, key, v);
        break;
      case 'default_operator':
        q.defaultOperator = oneOf(name, key, v, ['or', 'and'] as const);
        break;
      case 'analyzer':
        q.analyzer = asString(name, key, v);
        break;
      case 'quote_analyzer':
        q.quoteAnalyzer = asString(name, key, v);
        break;
      case 'allow_leading_wildcard':
        q.allowLeadingWildcard = asBoolean(name, key, v);
        break;
      case 'lenient':
        q.lenient = asBoolean(name, key, v);
        break;
      case 'fuzziness':
        q.fuzziness = parseFuzziness(name, v);
        break;
      case 'fuzzy_prefix_length':
        q.fuzzyPrefixLength = asInt(name, key, v);
        break;
      case 'fuzzy_max_expansions':
        q.fuzzyMaxExpansions = asInt(name, key, v);
        break;
      case 'phrase_slop':
        q.phraseSlop = asInt(name, key, v);
        break;
      case 'type':
        q.type = oneOf(name, key, v, MULTI_MATCH_TYPES);
        break;
      case 'tie_breaker':
        q.tieBreaker = asNumber(name, key, v);
        break;
      case 'minimum_should_match':
        q.minimumShouldMatch = asMinimumShouldMatch(name, v);
        break;
      case 'quote_field_suffix':
        q.quoteFieldSuffix = asString(name, key, v);
        break;
      case 'analyze_wildcard':
      case 'auto_generate_synonyms_phrase_query':
      case 'enable_position_increments':
      case 'fuzzy_transpositions':
      case 'max_determinized_states':
      case 'escape':
      case 'rewrite':
      case 'fuzzy_rewrite':
      case 'time_zone':
        break;
      default:
        throw parsingError(`[query_string] query does not support [${key}]`);
    }
  }
  if (!saw) throw parsingError(`[query_string] must be provided with a [query]`);
  return q;
}

const SQS_FLAGS = ['AND', 'OR', 'NOT', 'PREFIX', 'PHRASE', 'PRECEDENCE', 'ESCAPE', 'WHITESPACE', 'FUZZY', 'NEAR', 'SLOP'];

function parseSimpleQueryString(body: unknown): SimpleQueryStringQuery {
  const name = 'simple_query_string';
  const spec = expectObject(name, body);
  const q: SimpleQueryStringQuery = {
    kind: 'simple_query_string',
    query: '',
    fields: [],
    defaultOperator: 'or',
    flags: new Set(SQS_FLAGS),
    lenient: false,
    boost: 1,
  };
  let saw = false;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    switch (key) {
      case 'query':
        q.query = asString(name, key, v);
        saw = true;
        break;
      case 'fields':
        q.fields = asStringList(name, key, v);
        break;
      case 'default_operator':
        q.defaultOperator = oneOf(name, key, v, ['or', 'and'] as const);
        break;
      case 'analyzer':
        q.analyzer = asString(name, key, v);
        break;
      case 'flags': {
        const parts = typeof v === 'number' ? ['ALL'] : asString(name, key, v).toUpperCase().split('|');
        const set = new Set<string>();
        for (const p of parts.map((s) => s.trim())) {
          if (p === 'ALL') SQS_FLAGS.forEach((f) => set.add(f));
          else if (p === 'NONE') continue;
          else if (SQS_FLAGS.includes(p)) set.add(p);
          else throw parsingError(`Unknown simple_query_string flag [${p}]`);
        }
        q.flags = set;
        break;
      }
      case 'lenient':
        q.lenient = asBoolean(name, key, v);
        break;
      case 'minimum_should_match':
        q.minimumShouldMatch = asMinimumShouldMatch(name, v);
        break;
      case 'quote_field_suffix':
        q.quoteFieldSuffix = asString(name, key, v);
        break;
      case 'analyze_wildcard':
      case 'auto_generate_synonyms_phrase_query':
      case 'fuzzy_prefix_length':
      case 'fuzzy_max_expansions':
      case 'fuzzy_transpositions':
        break;
      default:
        throw parsingError(`[simple_query_string] unsupported field [${key}]`);
    }
  }
  if (!saw) throw parsingError(`[simple_query_string] query text missing`);
  return q;
}
