import { EngineError, parsingError, tokenOf, unsupported } from '../errors.js';
import { isObject } from './parse-util.js';

/**
 * The `retriever` search option (Elasticsearch 8.14+, RetrieverBuilder). A retriever is parsed
 * when the request is, then, as SearchSourceBuilder.rewrite does, extracted into the search's own
 * options: a `standard` retriever gives the query (its `filter`s and the query in a bool when
 * there are filters or a `min_score`), `search_after`, `terminate_after`, `sort`, `min_score` and
 * `collapse`; a `knn` retriever gives one top-level `knn` search (its `filter`s as the knn
 * filter, `_name` as the knn query's name). The options it sets may not also be given at the top
 * level (SearchSourceBuilder.validate).
 *
 * Compound and x-pack retrievers are refused with a 400 naming them: `rrf` needs an Enterprise
 * licence in Elasticsearch (RRFRankPlugin's RANK_RRF_FEATURE, checked by
 * RRFRetrieverBuilder.fromXContent), and `text_similarity_reranker`, `rule`, `linear`,
 * `rescorer`, `pinned` and `diversify` come from x-pack plugins (inference, search business rules,
 * rank-rrf) that the engine does not have.
 */

/** What a retriever puts into the search, as body sections the request parser then reads. */
export type RetrieverSections = Record<string, unknown>;

const REFUSED: Record<string, string> = {
  rrf: 'retriever [rrf] (Reciprocal Rank Fusion needs an Enterprise licence in Elasticsearch)',
  text_similarity_reranker: 'retriever [text_similarity_reranker] (x-pack inference)',
  rule: 'retriever [rule] (x-pack query rules)',
  linear: 'retriever [linear] (x-pack rank-rrf, Enterprise licence)',
  rescorer: 'retriever [rescorer]',
  pinned: 'retriever [pinned] (x-pack search business rules)',
  diversify: 'retriever [diversify] (x-pack)',
};

const STANDARD_KEYS = new Set(['query', 'filter', 'search_after', 'terminate_after', 'sort', 'min_score', 'collapse', '_name']);
const KNN_KEYS = new Set(['field', 'query_vector', 'query_vector_builder', 'k', 'num_candidates', 'similarity', 'rescore_vector', 'filter', '_name']);

/** The top-level options a retriever may not be combined with, in SearchSourceBuilder.validate's order. */
const CONFLICTS = ['query', 'knn', 'search_after', 'terminate_after', 'sort', 'rank', 'rescore'] as const;


const xContent = (reason: string): EngineError => new EngineError(400, 'x_content_parse_exception', `[1:1] ${reason}`);

/** RetrieverBuilder.parseInnerRetrieverBuilder: `{ "<name>": { ... } }`, exactly one retriever. */
export function parseRetriever(v: unknown): RetrieverSections {
  if (!isObject(v)) throw parsingError(`Unknown key for a ${tokenOf(v)} in [retriever].`);
  const names = Object.keys(v);
  if (names.length === 0) throw parsingError('retriever malformed, empty clause found');
  const name = names[0] as string;
  const inner = v[name];
  if (!isObject(inner)) throw parsingError(`[${name}] retriever malformed, no [START_OBJECT] after retriever name`);
  if (names.length > 1) throw parsingError(`[${name}] malformed retriever, expected [END_OBJECT] but found [FIELD_NAME]`);
  if (name === 'standard') return standard(inner);
  if (name === 'knn') return knn(inner);
  const refused = REFUSED[name];
  if (refused !== undefined) throw unsupported(refused);
  throw parsingError(`unknown retriever [${name}]`);
}

/** The `filter` of a retriever: one query or a list of them. */
function filters(v: unknown, retriever: string): unknown[] {
  const list = Array.isArray(v) ? v : [v];
  for (const f of list) if (!isObject(f)) throw xContent(`[${retriever}] failed to parse field [filter]`);
  return list;
}

function standard(body: Record<string, unknown>): RetrieverSections {
  for (const key of Object.keys(body)) if (!STANDARD_KEYS.has(key)) throw xContent(`[standard] unknown field [${key}]`);
  if (body._name !== undefined && typeof body._name !== 'string') throw xContent('[standard] failed to parse field [_name]');
  const out: RetrieverSections = {};
  const pre = body.filter === undefined ? [] : filters(body.filter, 'standard');
  if (pre.length > 0 || body.min_score !== undefined) {
    // StandardRetrieverBuilder.extractToSearchSourceBuilder: the filters and the query in one bool
    out.query = { bool: { filter: pre, ...(body.query !== undefined ? { must: body.query } : {}) } };
  } else if (body.query !== undefined) {
    out.query = body.query;
  }
  for (const key of ['search_after', 'terminate_after', 'sort', 'min_score', 'collapse']) {
    if (body[key] !== undefined) out[key] = body[key];
  }
  return out;
}

function knn(body: Record<string, unknown>): RetrieverSections {
  for (const key of Object.keys(body)) {
    if (key === 'min_score') throw unsupported('[min_score] of a knn retriever');
    if (!KNN_KEYS.has(key)) throw xContent(`[knn] unknown field [${key}]`);
  }
  // KnnRetrieverBuilder's parser: field, k and num_candidates are constructor arguments (required)
  const missing = ['field', 'k', 'num_candidates'].filter((k) => body[k] === undefined);
  if (missing.length > 0) throw xContent(`[knn] failed to parse: Required [${missing.join(', ')}]`);
  const search: Record<string, unknown> = { ...body };
  if (body.filter !== undefined) search.filter = filters(body.filter, 'knn');
  return { knn: search };
}

/**
 * SearchSourceBuilder.validate: a retriever sets these itself, so the request may not. `given`
 * says which were given (in the body or by URL parameters). Elasticsearch 8.16+ reports this as a
 * request validation failure (8.14 and 8.15 threw an illegal_argument_exception while parsing).
 */
export function checkRetrieverConflicts(given: (key: (typeof CONFLICTS)[number]) => boolean): void {
  const specified = CONFLICTS.filter(given);
  if (specified.length > 0) {
    throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: cannot specify [retriever] and [${specified.join(', ')}];`);
  }
}
