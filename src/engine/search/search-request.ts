import type { SearchParams } from '../contract.js';
import { EngineError, parsingError, tokenOf, unsupported } from '../errors.js';
import { parseTimeValue } from './time-value.js';
import { parseCollapse } from './collapse.js';
import type { CollapseSpec } from './collapse.js';
import { parseRescore } from './rescore.js';
import type { RescoreSpec } from './rescore.js';
import { parseScriptFields } from './script/script-fields.js';
import type { ScriptFieldSpec } from './script/script-fields.js';
import { parseFieldRequests } from './doc-fields.js';
import type { FieldRequest } from './doc-fields.js';
import { parseQuery } from './parse-query.js';
import { isObject } from './parse-util.js';
import type { KnnQuery, Query } from './query.js';
import { parseSort, parseSortParam } from './sort.js';
import type { SortSpec } from './sort.js';
import { parseSourceFilter } from './source-filter.js';
import { parseKnnSearch } from './vectors/knn-search.js';
import type { SourceFilter } from './source-filter.js';
import { parseSlice } from './slice.js';
import { COMPOUND, checkRetrieverConflicts, parseRetriever } from './retriever.js';
import type { CompoundPlan, RetrieverSections } from './retriever.js';
import type { SliceSpec } from './slice.js';

/** A `_search` request body plus URL parameters, validated. */
export interface SearchRequest {
  query: Query;
  /** The query as the request gave it (body or `q`), for the searches that expand collapsed groups. */
  queryJson?: unknown;
  /** `timeout`: collection stops after this many ms, answering what it has with `timed_out: true`. */
  timeoutMs?: number;
  postFilter?: Query;
  postFilterJson?: unknown;
  from: number;
  size: number;
  sort: SortSpec[];
  /** Whether the request gave an explicit sort (hits then carry `sort` values). */
  explicitSort: boolean;
  searchAfter?: unknown[];
  source: SourceFilter;
  storedFieldsNone: boolean;
  storedFields?: string[];
  docvalueFields: FieldRequest[];
  /** `script_fields`: Painless field scripts (script/script-fields.ts). */
  scriptFields: ScriptFieldSpec[];
  fields: FieldRequest[];
  minScore?: number;
  trackTotalHits: boolean | number;
  trackScores: boolean;
  explain: boolean;
  seqNoPrimaryTerm: boolean;
  version: boolean;
  terminateAfter?: number;
  indicesBoost: Map<string, number>;
  pit?: { id: string; keepAlive?: string };
  /** `slice` of a scroll or point-in-time search (slice.ts). */
  slice?: SliceSpec;
  totalHitsAsInt: boolean;
  /** `include_named_queries_score`: matched_queries as a map of name to score. */
  namedQueriesScore: boolean;
  /** `collapse`: one hit per value of a field (collapse.ts). */
  collapse?: CollapseSpec;
  /** `rescore`: query rescorers applied in order to each shard's top hits (rescore.ts). */
  rescore: RescoreSpec[];
  /** Body sections answered by a pluggable phase (aggregations, highlight, suggest). */
  extensions: Record<string, unknown>;
  /** `profile: true`: the response's `profile` section (profile/search-profile.ts). */
  profile?: boolean;
  /** The top-level `knn` searches (vectors/knn-search.ts). */
  knn: KnnQuery[];
  /** `runtime_mappings`: runtime fields of this search (runtime/runtime-view.ts). */
  runtimeMappings?: Record<string, unknown>;
  /** A compound retriever, resolved into `query` before the query phase (compound-retriever.ts). */
  compound?: CompoundPlan;
}

/** Body keys a later phase may answer (see phases.ts); without a registered phase they are a clear 400. */
export const EXTENSION_KEYS = ['aggs', 'aggregations', 'highlight', 'suggest'] as const;

const NOT_SUPPORTED = ['rank', 'sub_searches', 'ext'];


function int(key: string, v: unknown): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw parsingError(`[${key}] failed to parse field [${key}]`);
  return n;
}

/** Parses `indices_boost`: `[{ "index": 1.4 }]` or `{ "index": 1.4 }`. */
function parseIndicesBoost(v: unknown): Map<string, number> {
  const m = new Map<string, number>();
  const list = Array.isArray(v) ? v : [v];
  for (const o of list) {
    if (!isObject(o)) throw parsingError(`Expected [START_OBJECT] in [indices_boost] but found [${tokenOf(o)}]`);
    for (const [k, b] of Object.entries(o)) m.set(k, Number(b));
  }
  return m;
}

/** CompoundRetrieverBuilder.validate: the page may not be larger than the rank window. */
function checkRankWindow(plan: CompoundPlan, size: number): void {
  const problems: string[] = [];
  if (size > plan.rankWindowSize) problems.push(`[${plan.name}] requires [window_size: ${plan.rankWindowSize}] be greater than or equal to [size: ${size}]`);
  for (let p = plan, child = plan.inner[COMPOUND]; child; p = child, child = child.inner[COMPOUND]) {
    if (p.rankWindowSize > child.rankWindowSize) {
      problems.push(`[${p.name}] requires [window_size: ${p.rankWindowSize}] to be smaller than or equal to its sub retriever's ${child.name} [window_size: ${child.rankWindowSize}]`);
    }
  }
  if (problems.length > 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: ${problems.map((m, i) => `${i + 1}: ${m};`).join('')}`);
}

/**
 * The search a compound retriever runs for its child (CompoundRetrieverBuilder.createSearchSourceBuilder):
 * the child's sections, `size` the rank window, no total hits, and `extra` (the rescorers).
 */
export function parseChildSearch(plan: CompoundPlan, extra: Record<string, unknown>, extensionKeys: ReadonlySet<string>): SearchRequest {
  const req = parseSearchRequest({ ...plan.inner, size: plan.rankWindowSize, track_total_hits: false, ...extra }, {}, extensionKeys);
  const nested = plan.inner[COMPOUND];
  if (nested) req.compound = nested;
  return req;
}

export function parseSearchRequest(body: Record<string, unknown>, params: SearchParams, extensionKeys: ReadonlySet<string>): SearchRequest {
  const req: SearchRequest = {
    query: { kind: 'match_all', boost: 1 },
    from: params.from ?? 0,
    // RestSearchAction: a URL size of -1 means "not set" (deprecated in 7.13, still so in 8.19)
    size: params.size === undefined || params.size === -1 ? 10 : params.size,
    sort: params.sort !== undefined ? parseSortParam(params.sort) : [],
    explicitSort: params.sort !== undefined,
    source: parseSourceFilter(undefined, params),
    storedFieldsNone: false,
    docvalueFields: [],
    scriptFields: [],
    fields: [],
    // RestSearchAction.checkRestTotalHits: rest_total_hits_as_int counts every hit unless told otherwise
    trackTotalHits: params.track_total_hits ?? (params.rest_total_hits_as_int === true ? true : 10000),
    trackScores: params.track_scores ?? false,
    explain: params.explain ?? false,
    seqNoPrimaryTerm: params.seq_no_primary_term ?? false,
    version: params.version ?? false,
    indicesBoost: new Map(),
    totalHitsAsInt: params.rest_total_hits_as_int === true,
    namedQueriesScore: params.include_named_queries_score === true || params.include_named_queries_score === 'true',
    rescore: [],
    extensions: {},
    knn: [],
  };
  let knnJson: unknown;
  // The `q` parameter and its companions become a query_string query (RestActions.urlParamsToQueryBuilder),
  // which replaces a query in the body: Elasticsearch parses the body first, then sets `q`'s query.
  const uriQuery = typeof params.q === 'string';
  if (uriQuery) {
    req.queryJson = {
      query_string: {
        query: params.q,
        ...(typeof params.df === 'string' ? { default_field: params.df } : {}),
        ...(typeof params.analyzer === 'string' ? { analyzer: params.analyzer } : {}),
        ...(params.analyze_wildcard !== undefined ? { analyze_wildcard: params.analyze_wildcard === true || params.analyze_wildcard === 'true' } : {}),
        ...(typeof params.default_operator === 'string' ? { default_operator: params.default_operator } : {}),
        ...(typeof params.lenient === 'boolean' ? { lenient: params.lenient } : {}),
      },
    };
    req.query = parseQuery(req.queryJson);
  }
  if (params.stored_fields !== undefined) applyStoredFields(req, Array.isArray(params.stored_fields) ? params.stored_fields.map(String) : String(params.stored_fields).split(','));
  if (typeof params.terminate_after === 'number') req.terminateAfter = params.terminate_after;
  const urlDocvalueFields = params.docvalue_fields === undefined ? [] : parseFieldRequests(Array.isArray(params.docvalue_fields) ? params.docvalue_fields : String(params.docvalue_fields).split(','));
  let retriever: RetrieverSections | undefined;
  const apply = (key: string, v: unknown): void => {
    switch (key) {
      case 'retriever':
        retriever = parseRetriever(v);
        break;
      case 'query': {
        // Parsed (and so validated) even when `q` replaces it, as Elasticsearch does.
        const query = parseQuery(v);
        if (!uriQuery) {
          req.queryJson = v;
          req.query = query;
        }
        break;
      }
      case 'knn':
        knnJson = v;
        break;
      case 'post_filter':
        req.postFilterJson = v;
        req.postFilter = parseQuery(v);
        break;
      case 'from':
        req.from = int(key, v);
        break;
      case 'size':
        req.size = int(key, v);
        break;
      case 'sort':
        req.sort = parseSort(v);
        req.explicitSort = true;
        break;
      case 'search_after':
        if (!Array.isArray(v)) throw parsingError(`[search_after] Expected [START_ARRAY] but found [${tokenOf(v)}]`);
        req.searchAfter = v;
        break;
      case '_source':
        // `_source`, `_source_includes` or `_source_excludes` in the URL replace the body's (RestSearchAction).
        if (params._source === undefined && params._source_includes === undefined && params._source_excludes === undefined) req.source = parseSourceFilter(v, {});
        break;
      case 'stored_fields':
        applyStoredFields(req, Array.isArray(v) ? v.map(String) : [String(v)]);
        break;
      case 'docvalue_fields':
        req.docvalueFields = parseFieldRequests(v);
        break;
      case 'script_fields':
        req.scriptFields = parseScriptFields(v);
        break;
      case 'fields':
        req.fields = parseFieldRequests(v);
        break;
      case 'min_score':
        if (typeof v !== 'number' && !(typeof v === 'string' && Number.isFinite(Number(v)) && v.trim() !== '')) {
          throw parsingError(`[min_score] failed to parse field [min_score]`);
        }
        // parsed as a float (SearchSourceBuilder: parser.floatValue()) and compared with float scores
        req.minScore = Math.fround(Number(v));
        break;
      case 'track_total_hits':
        // SearchSourceBuilder: a string is a boolean when it reads as one ("true"/"false"), else intValue() of its text
        if (typeof v === 'string') {
          req.trackTotalHits = v === 'true' ? true : v === 'false' ? false : int(key, v);
          break;
        }
        if (typeof v !== 'boolean' && typeof v !== 'number') throw parsingError(`[track_total_hits] must be a boolean or an integer`);
        req.trackTotalHits = v;
        break;
      case 'track_scores':
        req.trackScores = v === true;
        break;
      case 'explain':
        req.explain = v === true;
        break;
      case 'seq_no_primary_term':
        req.seqNoPrimaryTerm = v === true;
        break;
      case 'version':
        req.version = v === true;
        break;
      case 'terminate_after':
        req.terminateAfter = int(key, v);
        break;
      case 'indices_boost':
        req.indicesBoost = parseIndicesBoost(v);
        break;
      case 'collapse':
        req.collapse = parseCollapse(v);
        break;
      case 'rescore':
        req.rescore = parseRescore(v);
        break;
      case 'slice':
        req.slice = parseSlice(v);
        break;
      case 'pit':
        if (!isObject(v) || typeof v.id !== 'string') throw parsingError(`[pit] failed to parse field [id]`);
        req.pit = { id: v.id, ...(typeof v.keep_alive === 'string' ? { keepAlive: v.keep_alive } : {}) };
        break;
      case 'timeout':
        if (typeof v !== 'string') throw parsingError('[timeout] failed to parse field [timeout]');
        req.timeoutMs = parseTimeValue(v, 'timeout');
        break;
      case 'profile':
        if (v === true) req.profile = true;
        break;
      case 'runtime_mappings':
        // parsed per index by the search service (runtime/runtime-view.ts)
        if (!isObject(v)) throw parsingError(`Expected [START_OBJECT] in [runtime_mappings] but found [${tokenOf(v)}]`);
        req.runtimeMappings = v;
        break;
      case 'stats':
      case 'batched_reduce_size':
      case 'allow_partial_search_results':
        break;
      default:
        if ((EXTENSION_KEYS as readonly string[]).includes(key)) {
          if (!extensionKeys.has(key)) throw unsupported(key);
          req.extensions[key] = v;
          break;
        }
        if (NOT_SUPPORTED.includes(key)) throw unsupported(key);
        throw parsingError(`Unknown key for a ${tokenOf(v)} in [${key}].`);
    }
  };
  for (const [key, v] of Object.entries(body)) apply(key, v);
  if (retriever !== undefined) {
    const sections = retriever;
    checkRetrieverConflicts((key) => {
      if (key === 'query') return body.query !== undefined || uriQuery;
      if (key === 'sort') return body.sort !== undefined || params.sort !== undefined;
      if (key === 'terminate_after') return body.terminate_after !== undefined || typeof params.terminate_after === 'number';
      return body[key] !== undefined;
    });
    for (const [key, v] of Object.entries(sections)) apply(key, v);
    const plan = sections[COMPOUND];
    if (plan) {
      req.compound = plan;
      const sizeGiven = body.size !== undefined || (params.size !== undefined && params.size !== -1);
      checkRankWindow(plan, sizeGiven ? req.size : -1);
      // CompoundRetrieverBuilder.validate
      const partial = body.allow_partial_search_results ?? params.allow_partial_search_results;
      if (partial === true || partial === 'true') throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: cannot specify [${plan.name}] and [allow_partial_search_results];`);
      if (params.scroll !== undefined) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: cannot specify [${plan.name}] and [scroll];`);
      // RankDocsRetrieverBuilder: an unset size is the rank window
      if (!sizeGiven) req.size = plan.rankWindowSize;
    }
  }
  if (req.from < 0) throw new EngineError(400, 'illegal_argument_exception', `[from] parameter cannot be negative, found [${req.from}]`);
  if (req.size < 0) throw new EngineError(400, 'illegal_argument_exception', `[size] parameter cannot be negative, found [${req.size}]`);
  if (req.searchAfter && req.from > 0) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: `from` parameter must be set to 0 when `search_after` is used.;');
  }
  req.docvalueFields.push(...urlDocvalueFields);
  if (knnJson !== undefined) {
    req.knn = parseKnnSearch(knnJson, req.size);
    if (params.search_type !== undefined) {
      throw new EngineError(400, 'illegal_argument_exception', 'cannot set [search_type] when using [knn] search, since the search type is determined automatically');
    }
  }
  if (req.terminateAfter !== undefined && req.terminateAfter < 0) throw new EngineError(400, 'illegal_argument_exception', 'terminateAfter must be > 0');
  if (typeof req.trackTotalHits === 'number' && req.trackTotalHits < -1) {
    throw new EngineError(400, 'illegal_argument_exception', `[track_total_hits] parameter must be positive or equals to -1, got ${req.trackTotalHits}`);
  }
  if (req.totalHitsAsInt && (body.track_total_hits !== undefined || params.track_total_hits !== undefined)) {
    const upTo = req.trackTotalHits === true ? 2147483647 : req.trackTotalHits === false ? -1 : req.trackTotalHits;
    if (upTo !== 2147483647 && upTo !== -1) throw new EngineError(400, 'illegal_argument_exception', `[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got ${String(upTo)}`);
  }
  return req;
}

function applyStoredFields(req: SearchRequest, list: string[]): void {
  if (list.includes('_none_')) {
    if (list.length > 1) throw parsingError(`The field [_none_] cannot be used together with other stored fields`);
    req.storedFieldsNone = true;
    req.source = { fetch: false, includes: [], excludes: [] };
    return;
  }
  req.storedFields = list;
  if (!list.includes('_source')) req.source = { fetch: false, includes: [], excludes: [] };
}
