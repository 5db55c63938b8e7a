import type { estypes } from '@elastic/elasticsearch';
import type { SearchProduct } from '../config/settings-types.js';

/** Per-request options every adapter honours. */
export interface SearchRequestOptions {
  signal?: AbortSignal;
  maxRetries?: number;
  requestTimeout?: number;
  /** HTTP statuses answered as a body instead of thrown. */
  ignore?: number[];
}

/** A raw request, as `transport.request` of both clients takes it. */
export interface RawRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  querystring?: Record<string, unknown>;
  body?: unknown;
  /** NDJSON body (bulk), already serialised. */
  bulkBody?: unknown;
}

/** What the server says it is (`GET /`), the same from both adapters. */
export interface ServerInfo {
  /** The client talking to it (the connection's `product`). */
  product: SearchProduct;
  /** What the server says it runs: `version.distribution` ("opensearch"), else "elasticsearch". */
  distribution: string;
  /** `version.number` as the server reports it, e.g. "8.19.0" or "2.17.1". */
  version: string;
  name?: string;
  clusterName?: string;
}

/**
 * The operations indexkit performs on the search side, and nothing else: lifecycle (indices,
 * aliases, mappings, settings), bulk writes, search and count, point-in-time walks, rank
 * evaluation. One adapter per client implements it (./adapters/elasticsearch.ts,
 * ./adapters/opensearch.ts); both take Elasticsearch 9 client parameters and return the
 * Elasticsearch 9 client's response bodies, and both throw the same errors (the
 * @elastic/elasticsearch error classes: `ResponseError` with `statusCode` and
 * `meta.body.error.{type,reason}`, `ConnectionError`, `TimeoutError`, ...), so callers and the
 * public types (`SearchQuery`) do not depend on which product answers.
 *
 * @example
 * const side = await project.clients.forIndex('blog');
 * const { hits } = await side.search({ index: 'blog', query: { match: { title: 'tea' } } });
 */
export interface SearchSide {
  readonly product: SearchProduct;
  info(): Promise<ServerInfo>;
  search<T = unknown>(params: estypes.SearchRequest, options?: SearchRequestOptions): Promise<estypes.SearchResponse<T>>;
  count(params: estypes.CountRequest, options?: SearchRequestOptions): Promise<estypes.CountResponse>;
  index<T = unknown>(params: estypes.IndexRequest<T>, options?: SearchRequestOptions): Promise<estypes.IndexResponse>;
  get<T = unknown>(params: estypes.GetRequest, options?: SearchRequestOptions): Promise<estypes.GetResponse<T>>;
  delete(params: estypes.DeleteRequest, options?: SearchRequestOptions): Promise<estypes.DeleteResponse>;
  bulk<T = unknown>(params: estypes.BulkRequest<T>, options?: SearchRequestOptions): Promise<estypes.BulkResponse>;
  openPointInTime(params: estypes.OpenPointInTimeRequest, options?: SearchRequestOptions): Promise<{ id: string }>;
  closePointInTime(params: { id: string }, options?: SearchRequestOptions): Promise<unknown>;
  rankEval(params: estypes.RankEvalRequest, options?: SearchRequestOptions): Promise<estypes.RankEvalResponse>;
  readonly indices: {
    create(params: estypes.IndicesCreateRequest, options?: SearchRequestOptions): Promise<estypes.IndicesCreateResponse>;
    delete(params: estypes.IndicesDeleteRequest, options?: SearchRequestOptions): Promise<estypes.IndicesDeleteResponse>;
    exists(params: estypes.IndicesExistsRequest, options?: SearchRequestOptions): Promise<boolean>;
    refresh(params: estypes.IndicesRefreshRequest, options?: SearchRequestOptions): Promise<estypes.IndicesRefreshResponse>;
    getAlias(params: estypes.IndicesGetAliasRequest, options?: SearchRequestOptions): Promise<estypes.IndicesGetAliasResponse>;
    getMapping(params: estypes.IndicesGetMappingRequest, options?: SearchRequestOptions): Promise<estypes.IndicesGetMappingResponse>;
    putMapping(params: estypes.IndicesPutMappingRequest, options?: SearchRequestOptions): Promise<estypes.IndicesPutMappingResponse>;
    updateAliases(params: estypes.IndicesUpdateAliasesRequest, options?: SearchRequestOptions): Promise<estypes.IndicesUpdateAliasesResponse>;
  };
  /** Any other request, answered with the response body. */
  readonly transport: { request<T = unknown>(params: RawRequest, options?: SearchRequestOptions): Promise<T> };
  /** Calls `listener` with each request sent (after serialisation), for tests and diagnostics. */
  onRequest(listener: (request: SentRequest) => void): void;
  close(): Promise<void>;
}

/** A request as sent: the body as serialised text (NDJSON for bulk). */
export interface SentRequest {
  method: string;
  path: string;
  body?: string;
}

/** Whether a value is a SearchSide (and not a bare client). */
export function isSearchSide(value: unknown): value is SearchSide {
  return typeof value === 'object' && value !== null && (value as { [SEARCH_SIDE]?: true })[SEARCH_SIDE] === true;
}

/** Marks adapters, so a bare @elastic/elasticsearch Client handed to the public API can be told apart and wrapped. */
export const SEARCH_SIDE: unique symbol = Symbol.for('indexkit.searchSide');
