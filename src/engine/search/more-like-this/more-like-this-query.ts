import { EngineError, illegalArgument, parsingError, unsupported } from '../../errors.js';
import { asBoolean, asInt, asMinimumShouldMatch, asNumber, asString, commonOption, expectObject, isObject, unknownParam } from '../parse-util.js';
import type { Json } from '../parse-util.js';

/**
 * The `more_like_this` query as MoreLikeThisQueryBuilder.fromXContent reads it: free texts and
 * items (`{_index, _id}` documents, `{doc}` artificial documents) to like and unlike, and the
 * term selection parameters of XMoreLikeThis with Elasticsearch's defaults.
 */
export interface MoreLikeThisQuery {
  kind: 'more_like_this';
  boost: number;
  name?: string;
  /** Undefined: `index.query.default_field` (the texts) and `*` (the items). */
  fields?: string[];
  likeTexts: string[];
  likeItems: MltItem[];
  unlikeTexts: string[];
  unlikeItems: MltItem[];
  maxQueryTerms: number;
  minTermFreq: number;
  minDocFreq: number;
  maxDocFreq: number;
  minWordLength: number;
  maxWordLength: number;
  stopWords?: string[];
  analyzer?: string;
  minimumShouldMatch: string;
  /** 0: terms are not boosted; otherwise the factor of XMoreLikeThis's per-term boost. */
  boostTerms: number;
  include: boolean;
  failOnUnsupportedField: boolean;
}

/** A document to like or unlike (MoreLikeThisQueryBuilder.Item): a stored one by id, or an artificial `doc`. */
export interface MltItem {
  index?: string;
  id?: string;
  doc?: Json;
  fields?: string[];
  routing?: string;
}

const NAME = 'more_like_this';

/** MoreLikeThisQueryBuilder.fromXContent. */
export function parseMoreLikeThis(body: unknown): MoreLikeThisQuery {
  const spec = expectObject(NAME, body);
  const q: MoreLikeThisQuery = {
    kind: 'more_like_this',
    boost: 1,
    likeTexts: [],
    likeItems: [],
    unlikeTexts: [],
    unlikeItems: [],
    maxQueryTerms: 25,
    minTermFreq: 2,
    minDocFreq: 5,
    maxDocFreq: 2147483647,
    minWordLength: 0,
    maxWordLength: 0,
    minimumShouldMatch: '30%',
    boostTerms: 0,
    include: false,
    failOnUnsupportedField: true,
  };
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(NAME, q, key, v)) continue;
    switch (key) {
      case 'like':
        parseLikes(v, q.likeTexts, q.likeItems);
        break;
      case 'unlike':
        parseLikes(v, q.unlikeTexts, q.unlikeItems);
        break;
      case 'fields':
        if (!Array.isArray(v)) throw unknownParam('mlt', key);
        q.fields = v.map((f) => asString(NAME, key, f));
        break;
      case 'stop_words':
        if (!Array.isArray(v)) throw unknownParam('mlt', key);
        q.stopWords = v.map((w) => asString(NAME, key, w));
        break;
      case 'max_query_terms':
        q.maxQueryTerms = asInt(NAME, key, v);
        break;
      case 'min_term_freq':
        q.minTermFreq = asInt(NAME, key, v);
        break;
      case 'min_doc_freq':
        q.minDocFreq = asInt(NAME, key, v);
        break;
      case 'max_doc_freq':
        q.maxDocFreq = asInt(NAME, key, v);
        break;
      case 'min_word_length':
        q.minWordLength = asInt(NAME, key, v);
        break;
      case 'max_word_length':
        q.maxWordLength = asInt(NAME, key, v);
        break;
      case 'analyzer':
        q.analyzer = asString(NAME, key, v);
        break;
      case 'minimum_should_match':
        q.minimumShouldMatch = asMinimumShouldMatch(NAME, v);
        break;
      case 'boost_terms':
        q.boostTerms = Math.fround(asNumber(NAME, key, v));
        break;
      case 'include':
        q.include = asBoolean(NAME, key, v);
        break;
      case 'fail_on_unsupported_field':
        q.failOnUnsupportedField = asBoolean(NAME, key, v);
        break;
      default:
        throw unknownParam('mlt', key);
    }
  }
  if (q.likeTexts.length === 0 && q.likeItems.length === 0) throw parsingError(`more_like_this requires 'like' to be specified`);
  if (q.fields !== undefined && q.fields.length === 0) throw parsingError(`more_like_this requires 'fields' to be non-empty`);
  if (q.maxQueryTerms <= 0) throw illegalArgument(`requires 'maxQueryTerms' to be greater than 0`);
  return q;
}

/** parseLikeField: a string is a text, an object an item; an array holds either. */
function parseLikes(v: unknown, texts: string[], items: MltItem[]): void {
  for (const entry of Array.isArray(v) ? v : [v]) {
    if (isObject(entry)) items.push(parseItem(entry));
    else if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') texts.push(String(entry));
    else throw illegalArgument(`Content of 'like' parameter should either be a string or an object`);
  }
}

const itemError = (reason: string): EngineError => new EngineError(400, 'parse_exception', `failed to parse More Like This item. ${reason}`);

/** MoreLikeThisQueryBuilder.Item.parse; `per_field_analyzer`, `version` and `version_type` are refused. */
function parseItem(o: Json): MltItem {
  const item: MltItem = {};
  for (const [key, v] of Object.entries(o)) {
    switch (key) {
      case '_index':
        item.index = asString(NAME, key, v);
        break;
      case '_id':
        item.id = asString(NAME, key, v);
        break;
      case 'doc':
        if (!isObject(v)) throw itemError(`[doc] must be an object`);
        item.doc = v;
        break;
      case 'fields':
        if (!Array.isArray(v)) throw itemError('field [fields] must be an array');
        item.fields = v.map((f) => asString(NAME, key, f));
        break;
      case 'routing':
        item.routing = asString(NAME, key, v);
        break;
      case 'per_field_analyzer':
      case 'version':
      case 'version_type':
        throw unsupported(`more_like_this item option [${key}]`);
      default:
        throw itemError(`unknown field [${key}]`);
    }
  }
  if (item.id !== undefined && item.doc !== undefined) throw itemError(`either [id] or [doc] can be specified, but not both!`);
  if (item.id === undefined && item.doc === undefined) throw itemError(`neither [id] nor [doc] is specified!`);
  return item;
}
