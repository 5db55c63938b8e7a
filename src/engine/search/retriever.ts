import { EngineError, parsingError, tokenOf, unsupported } from '../errors.js';
import { isObject } from './parse-util.js';
import { parseRescore } from './rescore.js';

/**
 * The `retriever` search option (Elasticsearch 8.14+, RetrieverBuilder). A retriever is parsed
 * when the request is, then, as SearchSourceBuilder.rewrite does, extracted into the search's own
 * options: a `standard` retriever gives the query (its `filter`s and the query in a bool when
 * there are filters or a `min_score`), `search_after`, `terminate_after`, `sort`, `min_score` and
 * `collapse`; a `knn` retriever gives one top-level `knn` search (its `filter`s as the knn
 * filter, `_name` as the knn query's name). The options it sets may not also be given at the top
 * level (SearchSourceBuilder.validate).
 *
 * The `rescorer` retriever (8.18+, RescorerRetrieverBuilder, a CompoundRetrieverBuilder) is a
 * plan run in two searches (compound-retriever.ts): its child retriever's search with the
 * rescorers, then the request's own search over those top documents.
 *
 * The other compound and x-pack retrievers are refused with a 400 naming them: `rrf` needs an
 * Enterprise licence in Elasticsearch (RRFRankPlugin's RANK_RRF_FEATURE, checked by
 * RRFRetrieverBuilder.fromXContent), and `text_similarity_reranker`, `rule`, `linear`, `pinned`
 * and `diversify` come from x-pack plugins (inference, search business rules, rank-rrf) that the
 * engine does not have.
 */

/** The key of a compound retriever's plan among the sections (a symbol: no body key can be it). */
export const COMPOUND = Symbol('compound retriever');

/**
 * A `rescorer` retriever: the child retriever's sections (this retriever's `filter`s pushed down to
 * it, as CompoundRetrieverBuilder propagates its pre-filters), the rescorers (JSON, parsed again
 * with the child's search), and the rank window: the smallest `window_size` (extractMinWindowSize).
 */
export interface CompoundPlan {
  name: 'rescorer';
  inner: RetrieverSections;
  rescore: unknown;
  rankWindowSize: number;
  /** `min_score` of this retriever. */
  minScore?: number;
  /** The child sets a `min_score` (RankDocsRetrieverBuilder.sourceHasMinScore). */
  innerMinScore: boolean;
}

/** What a retriever puts into the search, as body sections the request parser then reads. */
export type RetrieverSections = Record<string, unknown> & { [COMPOUND]?: CompoundPlan };

const REFUSED: Record<string, string> = {
  rrf: 'retriever [rrf] (Reciprocal Rank Fusion needs an Enterprise licence in Elasticsearch)',
  text_similarity_reranker: 'retriever [text_similarity_reranker] (x-pack inference)',
  rule: 'retriever [rule] (x-pack query rules)',
  linear: 'retriever [linear] (x-pack rank-rrf, Enterprise licence)',
  pinned: 'retriever [pinned] (x-pack search business rules)',
  diversify: 'retriever [diversify] (x-pack)',
};

const STANDARD_KEYS = new Set(['query', 'filter', 'search_after', 'terminate_after', 'sort', 'min_score', 'collapse', '_name']);
const RESCORER_KEYS = new Set(['retriever', 'rescore', 'filter', 'min_score', '_name']);
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
  if (name === 'rescorer') return rescorer(inner);
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

/** The child retriever's JSON with `pre` added to its own filters (they come after its own). */
function withPreFilters(child: unknown, pre: unknown[]): unknown {
  if (pre.length === 0 || !isObject(child)) return child;
  const names = Object.keys(child);
  const name = names[0] as string;
  const body = child[name];
  if (names.length !== 1 || !isObject(body)) return child;
  const own = body.filter === undefined ? [] : Array.isArray(body.filter) ? body.filter : [body.filter];
  return { [name]: { ...body, filter: [...own, ...pre] } };
}

function rescorer(body: Record<string, unknown>): RetrieverSections {
  for (const key of Object.keys(body)) if (!RESCORER_KEYS.has(key)) throw xContent(`[rescorer] unknown field [${key}]`);
  const missing = ['retriever', 'rescore'].filter((k) => body[k] === undefined);
  if (missing.length > 0) throw parsingError(`[rescorer] failed to parse: Required [${missing.join(', ')}]`);
  if (body.min_score !== undefined && typeof body.min_score !== 'number') throw xContent('[rescorer] failed to parse field [min_score]');
  if (body._name !== undefined && typeof body._name !== 'string') throw xContent('[rescorer] failed to parse field [_name]');
  const pre = body.filter === undefined ? [] : filters(body.filter, 'rescorer');
  const inner = parseRetriever(withPreFilters(body.retriever, pre));
  if (!isObject(body.rescore) && !Array.isArray(body.rescore)) {
    throw parsingError(`Unknown format for [rescorer.rescore], expects an object or an array of objects, got: ${tokenOf(body.rescore)}`);
  }
  const specs = parseRescore(body.rescore);
  if (specs.length === 0) throw parsingError('Missing rescore definition');
  const plan: CompoundPlan = {
    name: 'rescorer',
    inner,
    rescore: body.rescore,
    rankWindowSize: Math.min(...specs.map((r) => r.windowSize)),
    ...(typeof body.min_score === 'number' ? { minScore: body.min_score } : {}),
    innerMinScore: inner.min_score !== undefined || inner[COMPOUND]?.minScore !== undefined,
  };
  return { [COMPOUND]: plan };
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
