import { randomUUID } from 'node:crypto';
import type { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { toSearchSide } from '../client/adapters/elasticsearch.js';
import { ClientRegistry } from '../client/client-registry.js';
import type { SearchSide as Client } from '../client/search-side.js';
import { elasticsearchReason } from '../client/response-error.js';
import { settingDefault } from '../config/setting-defaults.js';
import { SearchQueryError } from '../errors.js';
import type { QueryLog } from './query-log.js';
import { hitsOf, pageOf, scoreRange, totalOf, userId, type RawSearchResponse, type SearchAggregations, type SearchQuery, type SearchSuggestions, type UserLike } from './search-query.js';

/** A search request body: query, sort, aggs, highlight, suggest, _source, from, size, ... */
export type SearchBody = Record<string, unknown>;

export interface ExecuteSearchOptions {
  /** The client to search with, or a ClientRegistry (then the index's connection, or `connection`). */
  client: ElasticsearchClient | Client | ClientRegistry;
  /** With a ClientRegistry: the connection to use instead of the index's. */
  connection?: string;
  /** The query log; the search is recorded there unless `save` is false. Without it nothing is logged. */
  log?: QueryLog;
  /** Default true: record the search in `log`. */
  save?: boolean;
  /** The user, as an id or an object with `id`; stored as a string. */
  user?: UserLike;
  /** What the person typed, for the audit ('' when absent). */
  searchTerms?: string;
  /** A free grouping key: a session id, a request id, a feature name. */
  reference?: string | null;
  /** Offset of the first hit; default the body's `from`, else 0. */
  from?: number;
  /** Hits per page; default the body's `size`, else `pageSize`. */
  size?: number;
  /** Default page size (settings.pageSize; the schema's default when absent). */
  pageSize?: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Runs a search and returns it as a SearchQuery (hits ranked from `from + 1`, totals, score
 * range, aggregations, page, duration), recording it in the query log without waiting for the
 * database. A failed search throws SearchQueryError (code SEARCH_FAILED) with the client's
 * error as `cause`; a failing log never throws here (see QueryLog).
 *
 * @example
 * const result = await executeSearch('blog', { query: { match: { title: q } }, highlight: { fields: { title: {} } } },
 *   { client, log, searchTerms: q, user: req.user, reference: req.sessionID, from: 20, size: 10 });
 * result.hits[0]; // { id: '42', index: 'blog', score: 3.1, rank: 21, highlight: { title: ['<em>…</em>'] } }
 */
export async function executeSearch<TAggregations = SearchAggregations, TSuggestions = SearchSuggestions>(
  index: string,
  query: SearchBody,
  options: ExecuteSearchOptions,
): Promise<SearchQuery<TAggregations, TSuggestions>> {
  const { from, size } = windowOf(query, options);
  const body: SearchBody = { ...query, from, size };
  const run = await timed(index, 'search', options, async (client, requestOptions) => (await client.search({ index, ...body }, requestOptions)) as RawSearchResponse);
  const response = run.value;
  const hits = hitsOf(response, from);
  const result: SearchQuery = {
    ...run.common,
    queryType: 'search',
    query: body,
    hits,
    ...totalOf(response, hits.length),
    ...scoreRange(hits, response.hits?.max_score),
    aggregations: response.aggregations ?? null,
    page: pageOf(from, size),
  };
  if (response.suggest) result.suggest = response.suggest;
  // The generics only narrow what the search side sent; the caller names what its request asked for.
  return recorded(result, options) as SearchQuery<TAggregations, TSuggestions>;
}

/**
 * Counts the documents matching `query` (a body with at most `query`), recorded in the log as
 * a query of type `count` with no hits.
 *
 * @example
 * const { totalHits } = await executeCount('blog', { query: { term: { tags: 'postgres' } } }, { client, log });
 */
export async function executeCount(index: string, query: SearchBody, options: Omit<ExecuteSearchOptions, 'from' | 'size' | 'pageSize'>): Promise<SearchQuery> {
  const body: SearchBody = query.query === undefined ? {} : { query: query.query };
  const run = await timed(index, 'count', options, async (client, requestOptions) => (await client.count({ index, ...body }, requestOptions)).count);
  return recorded(
    {
      ...run.common,
      queryType: 'count',
      query: body,
      hits: [],
      totalHits: run.value,
      totalHitsRelation: 'eq',
      maxScore: null,
      minScore: null,
      aggregations: null,
      page: pageOf(0, 0),
    },
    options,
  );
}

type CommonFields = Pick<SearchQuery, 'id' | 'index' | 'searchTerms' | 'executedAt' | 'durationMs' | 'user' | 'reference'>;

/**
 * Runs one request against the search side on a monotonic clock: the id is made before the
 * request, a failure becomes SearchQueryError (SEARCH_FAILED), and the fields every logged
 * query has come back with the value.
 */
async function timed<T>(
  index: string,
  what: 'search' | 'count',
  options: Omit<ExecuteSearchOptions, 'from' | 'size' | 'pageSize'>,
  call: (client: Client, requestOptions: { signal: AbortSignal } | undefined) => Promise<T>,
): Promise<{ value: T; common: CommonFields }> {
  const client = await clientFor(index, options);
  const id = randomUUID();
  const executedAt = new Date();
  const started = performance.now();
  let value: T;
  try {
    value = await call(client, options.signal ? { signal: options.signal } : undefined);
  } catch (error) {
    throw new SearchQueryError('SEARCH_FAILED', `${what} of "${index}" failed: ${elasticsearchReason(error) ?? messageOf(error)}`, { cause: error });
  }
  const durationMs = performance.now() - started;
  return { value, common: { id, index, searchTerms: options.searchTerms ?? '', executedAt, durationMs, user: userId(options.user), reference: options.reference ?? null } };
}

/** Queues the query in the log (unless `save` is false) and returns it. */
function recorded(result: SearchQuery, options: Pick<ExecuteSearchOptions, 'save' | 'log'>): SearchQuery {
  if (options.save !== false) options.log?.record(result);
  return result;
}

function windowOf(query: SearchBody, options: ExecuteSearchOptions): { from: number; size: number } {
  const from = options.from ?? (query.from === undefined ? 0 : Number(query.from));
  const size = options.size ?? (query.size === undefined ? (options.pageSize ?? settingDefault<number>('pageSize')) : Number(query.size));
  if (!Number.isInteger(from) || from < 0) throw new SearchQueryError('SEARCH_QUERY_INVALID', `from is ${JSON.stringify(options.from ?? query.from)}, expected an integer of 0 or more`);
  if (!Number.isInteger(size) || size < 0) throw new SearchQueryError('SEARCH_QUERY_INVALID', `size is ${JSON.stringify(options.size ?? query.size)}, expected an integer of 0 or more`);
  return { from, size };
}

async function clientFor(index: string, options: Pick<ExecuteSearchOptions, 'client' | 'connection'>): Promise<Client> {
  const { client } = options;
  if (!(client instanceof ClientRegistry)) return toSearchSide(client);
  return options.connection !== undefined ? client.get(options.connection) : client.forIndex(index);
}

/** A failure that is not an Elasticsearch answer (a connection error), as one line. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
