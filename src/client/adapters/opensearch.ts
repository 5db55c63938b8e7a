import { errors as esErrors } from '@elastic/elasticsearch';
import type { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import type { estypes } from '@elastic/elasticsearch';
import { SEARCH_SIDE, type RawRequest, type SearchRequestOptions, type SearchSide, type ServerInfo } from '../search-side.js';

/**
 * The search side over an @opensearch-project/opensearch Client. Every operation is one raw
 * request whose path and split between query string and body are written here (the
 * OpenSearch client wants `{ body }` where the Elasticsearch 9 client takes the body's keys
 * at the top level), and the answer is normalised to what the Elasticsearch 9 client returns:
 * the body (the OpenSearch client resolves `{ body, statusCode, headers, meta }`), and the
 * @elastic/elasticsearch error classes (ResponseError with `statusCode` and `meta.body`).
 * Where OpenSearch spells a feature differently, this is where it is translated:
 * point-in-time is `POST /<index>/_search/point_in_time` and `DELETE /_search/point_in_time`
 * with `pit_id`, as in OpenSearch 2.4+.
 */
export function openSearchSide(client: OpenSearchClient): SearchSide {
  const request = async <T>(params: RawRequest, options: SearchRequestOptions = {}): Promise<T> => {
    const { signal, ...rest } = options;
    if (signal?.aborted) throw new esErrors.RequestAbortedError('Request has been aborted by the user');
    const pending = client.transport.request(params as Parameters<OpenSearchClient['transport']['request']>[0], rest);
    const abort = () => pending.abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return (await pending).body as T;
    } catch (error) {
      throw normaliseError(error);
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  };
  /** One operation: the parameters named in `url` (and the path's) go to the query string, the rest to the body. */
  const op =
    <P extends object, R>(method: RawRequest['method'], path: (p: Record<string, unknown>) => string, url: readonly string[], bodyKey?: string) =>
    (params: P, options?: SearchRequestOptions): Promise<R> => {
      const p = params as Record<string, unknown>;
      const querystring: Record<string, unknown> = {};
      const body: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(p)) {
        if (value === undefined || PATH_KEYS.has(key)) continue;
        if (url.includes(key) || COMMON_URL.has(key)) querystring[key] = value;
        else body[key] = value;
      }
      const payload = bodyKey ? p[bodyKey] : Object.keys(body).length > 0 ? body : undefined;
      return request<R>({ method, path: path(p), querystring, ...(bodyKey === 'operations' ? { bulkBody: payload } : payload === undefined ? {} : { body: payload }) }, options);
    };

  let serverInfo: Promise<ServerInfo> | undefined;
  const info = (): Promise<ServerInfo> => {
    serverInfo ??= request<{ name?: string; cluster_name?: string; version: { number: string; distribution?: string } }>({ method: 'GET', path: '/' }).then((body) => ({
      product: 'opensearch',
      distribution: body.version.distribution ?? 'elasticsearch',
      version: body.version.number,
      name: body.name,
      clusterName: body.cluster_name,
    }));
    serverInfo.catch(() => (serverInfo = undefined));
    return serverInfo;
  };
  const search = op<estypes.SearchRequest, estypes.SearchResponse>('POST', (p) => (p.pit ? '/_search' : `${prefix(p.index)}/_search`), SEARCH_URL);

  return {
    [SEARCH_SIDE]: true,
    product: 'opensearch',
    info,
    async search(params, options) {
      return search(await shardDocTiebreaker(params, info), options);
    },
    count: op('POST', (p) => `${prefix(p.index)}/_count`, COUNT_URL),
    index: op('PUT', (p) => (p.id === undefined ? `${prefix(p.index)}/_doc` : `${prefix(p.index)}/_doc/${enc(p.id)}`), DOC_URL, 'document'),
    get: op('GET', (p) => `${prefix(p.index)}/_doc/${enc(p.id)}`, GET_URL),
    delete: op('DELETE', (p) => `${prefix(p.index)}/_doc/${enc(p.id)}`, DOC_URL),
    bulk: op('POST', (p) => `${prefix(p.index)}/_bulk`, BULK_URL, 'operations'),
    async openPointInTime(params, options) {
      const { pit_id } = await op<object, { pit_id: string }>('POST', (p) => `${prefix(p.index)}/_search/point_in_time`, PIT_URL)(params, options);
      return { id: pit_id };
    },
    closePointInTime: (params, options) => request({ method: 'DELETE', path: '/_search/point_in_time', body: { pit_id: [params.id] } }, options),
    rankEval: op('POST', (p) => `${prefix(p.index)}/_rank_eval`, RANK_EVAL_URL),
    indices: {
      create: op('PUT', (p) => prefix(p.index), INDEX_ADMIN_URL),
      delete: op('DELETE', (p) => prefix(p.index), INDEX_ADMIN_URL),
      async exists(params, options) {
        try {
          // The OpenSearch client answers a HEAD's 404 as body `false` rather than an error.
          return (await request<unknown>({ method: 'HEAD', path: prefix(params.index), querystring: pick(params, INDEX_ADMIN_URL) }, options)) !== false;
        } catch (error) {
          if (error instanceof esErrors.ResponseError && error.statusCode === 404) return false;
          throw error;
        }
      },
      refresh: op('POST', (p) => `${prefix(p.index)}/_refresh`, INDEX_ADMIN_URL),
      getAlias: op('GET', (p) => `${prefix(p.index)}/_alias${p.name === undefined ? '' : `/${enc(p.name)}`}`, INDEX_ADMIN_URL),
      getMapping: op('GET', (p) => `${prefix(p.index)}/_mapping`, INDEX_ADMIN_URL),
      putMapping: op('PUT', (p) => `${prefix(p.index)}/_mapping`, [...INDEX_ADMIN_URL, 'write_index_only']),
      updateAliases: op('POST', () => '/_aliases', INDEX_ADMIN_URL),
    },
    transport: { request },
    onRequest(listener) {
      client.on('request', (_error, event) => {
        const params = event?.meta.request.params;
        if (params) listener({ method: params.method, path: params.path, ...(params.body === undefined || params.body === null ? {} : { body: String(params.body) }) });
      });
    },
    close: () => client.close(),
  } as SearchSide;
}

/**
 * `_shard_doc`, Elasticsearch's tiebreaker for paging through a point-in-time, exists in
 * OpenSearch only from 3.3 (opensearch-project/OpenSearch#18924); before that OpenSearch
 * answers "No mapping found for [_shard_doc]". There, the same walk sorts by `_id` instead:
 * unique per document, so search_after neither skips nor repeats one (at the cost of `_id`
 * field data on the server).
 */
async function shardDocTiebreaker<P extends estypes.SearchRequest>(params: P, info: () => Promise<ServerInfo>): Promise<P> {
  const sort = params.sort === undefined ? [] : [params.sort].flat();
  const at = sort.findIndex((s) => s === '_shard_doc' || (typeof s === 'object' && s !== null && '_shard_doc' in s));
  if (at < 0) return params;
  const server = await info();
  if (server.distribution !== 'opensearch' || !versionBelow(server.version, [3, 3])) return params;
  const entry = sort[at]!;
  const order = typeof entry === 'object' ? (entry as Record<string, unknown>)._shard_doc : 'asc';
  const replaced = [...sort];
  replaced[at] = { _id: typeof order === 'object' && order !== null ? order : { order: order ?? 'asc' } } as estypes.SortCombinations;
  return { ...params, sort: replaced };
}

/** Whether a version number ("2.17.1") is below [major, minor]. */
export function versionBelow(version: string, [major, minor]: [number, number]): boolean {
  const [a = 0, b = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  return a < major || (a === major && b < minor);
}

const PATH_KEYS = new Set(['index', 'id', 'name']);
const COMMON_URL = new Set(['filter_path', 'error_trace', 'human', 'pretty']);
const SEARCH_URL = ['allow_no_indices', 'allow_partial_search_results', 'analyzer', 'analyze_wildcard', 'batched_reduce_size', 'ccs_minimize_roundtrips', 'default_operator', 'df', 'expand_wildcards', 'ignore_throttled', 'ignore_unavailable', 'lenient', 'max_concurrent_shard_requests', 'preference', 'pre_filter_shard_size', 'request_cache', 'routing', 'scroll', 'search_type', 'typed_keys', 'rest_total_hits_as_int', 'q'] as const;
const COUNT_URL = ['allow_no_indices', 'analyzer', 'analyze_wildcard', 'default_operator', 'df', 'expand_wildcards', 'ignore_throttled', 'ignore_unavailable', 'lenient', 'min_score', 'preference', 'routing', 'terminate_after', 'q'] as const;
const DOC_URL = ['if_primary_term', 'if_seq_no', 'op_type', 'pipeline', 'refresh', 'routing', 'timeout', 'version', 'version_type', 'wait_for_active_shards', 'require_alias'] as const;
const GET_URL = ['preference', 'realtime', 'refresh', 'routing', '_source', '_source_excludes', '_source_includes', 'stored_fields', 'version', 'version_type'] as const;
const BULK_URL = ['pipeline', 'refresh', 'routing', 'timeout', 'wait_for_active_shards', 'require_alias', '_source', '_source_excludes', '_source_includes'] as const;
const PIT_URL = ['keep_alive', 'preference', 'routing', 'expand_wildcards', 'allow_partial_pit_creation'] as const;
const RANK_EVAL_URL = ['allow_no_indices', 'expand_wildcards', 'ignore_unavailable', 'search_type'] as const;
const INDEX_ADMIN_URL = ['allow_no_indices', 'expand_wildcards', 'ignore_unavailable', 'master_timeout', 'cluster_manager_timeout', 'timeout', 'wait_for_active_shards', 'local', 'include_defaults', 'flat_settings'] as const;

const enc = (value: unknown): string => encodeURIComponent(String(value));
/** `/<index>` (a list joined by commas, each name encoded), or nothing for all indices. */
const prefix = (index: unknown): string => (index === undefined ? '' : `/${[index].flat().map(enc).join(',')}`);
const pick = (params: object, keys: readonly string[]) => Object.fromEntries(Object.entries(params).filter(([k, v]) => keys.includes(k) && v !== undefined));

/**
 * The OpenSearch client's error as the @elastic/elasticsearch error of the same kind. Only the
 * response (status, headers, body) is carried over, never the request: the OpenSearch error's
 * `meta.meta.request` holds the request headers, and with SigV4 those are the signature and
 * the session token.
 */
export function normaliseError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const meta = (error as { meta?: { body?: unknown; statusCode?: number | null; headers?: Record<string, unknown> | null } }).meta;
  const diagnostic = {
    body: meta?.body,
    statusCode: meta?.statusCode ?? undefined,
    headers: meta?.headers ?? {},
    warnings: null,
    meta: { context: null, name: 'opensearch-js', request: { params: { method: '', path: '' }, options: {}, id: 0 }, connection: null, attempts: 0, aborted: false },
  } as unknown as ConstructorParameters<typeof esErrors.ResponseError>[0];
  // No `cause`: the OpenSearch error holds the signed request, and causes get printed.
  switch (error.name) {
    case 'ResponseError':
      return new esErrors.ResponseError(diagnostic);
    case 'ConnectionError':
      return new esErrors.ConnectionError(error.message, diagnostic);
    case 'TimeoutError':
      return new esErrors.TimeoutError(error.message, diagnostic);
    case 'NoLivingConnectionsError':
      return new esErrors.NoLivingConnectionsError(error.message, diagnostic);
    case 'RequestAbortedError':
      return new esErrors.RequestAbortedError(error.message, diagnostic);
    case 'DeserializationError':
      return new esErrors.DeserializationError(error.message, String(meta?.body ?? ''));
    default:
      return error;
  }
}
