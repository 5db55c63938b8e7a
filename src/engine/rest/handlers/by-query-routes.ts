import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import type { IndexService, WriteOptions, WriteResult } from '../../indices/index-service.js';
import { markNumber } from '../../json-numbers.js';
import type { SearchParams } from '../../contract.js';
import { parseSearchRequest } from '../../search/search-request.js';
import { jsonBody, searchParams } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { resolveOptions } from './index-routes.js';
import { searchTargets, shardSelection } from './search-routes.js';
import { Pacer } from '../../search/paced-run.js';
import type { Task } from '../../tasks/task-manager.js';

type Json = Record<string, unknown>;

/**
 * `_delete_by_query` and `_update_by_query` (modules/reindex: AbstractAsyncBulkByScrollAction):
 * the query scrolled a `scroll_size` batch at a time in `_doc` order, each hit deleted (or
 * indexed again with its own source) only if its seq_no and primary term are still those the
 * scroll saw; a hit changed since is a version conflict, which stops the request (`conflicts:
 * abort`, answered 409 with the failures) or is counted (`proceed`). Every run is a cancellable
 * task (BulkByScrollTask) that stops between batches once cancelled; with
 * `wait_for_completion=false` it runs in the background and its result is stored in `.tasks`.
 * Slicing, throttling and update scripts are refused with a 400 naming them.
 */

/** The URL parameters of the search under the request (RestDeleteByQueryAction's parseSearchRequest). */
const SEARCH_PARAMS = new Set(['q', 'df', 'analyzer', 'analyze_wildcard', 'default_operator', 'lenient', 'routing', 'preference', 'search_type', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'search_timeout', 'stats', 'terminate_after', 'request_cache']);

/** The body fields read besides the query: anything else of a search source is not built here. */
const BODY_FIELDS = new Set(['query', 'max_docs', 'conflicts']);

interface ByQueryOptions {
  abortOnConflict: boolean;
  maxDocs: number | undefined;
  scrollSize: number;
  refresh: boolean;
  waitForCompletion: boolean;
}

function intParam(value: unknown, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw illegalArgument(`Failed to parse int parameter [${name}] with value [${String(value)}]`);
  return n;
}

/** AbstractBaseReindexRestHandler.parseRequestsPerSecond: -1 is unthrottled, anything else must be > 0. */
function checkRequestsPerSecond(raw: string | undefined, api: string): void {
  if (raw === undefined || raw === '-1' || raw === '-1.0') return;
  const n = Number(raw);
  if (raw === '' || raw === 'unlimited' || !Number.isFinite(n) || n <= 0) throw illegalArgument('[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.');
  throw unsupported(`requests_per_second (throttling) of ${api}`);
}

/** `slices`: a positive integer or `auto` (AbstractBulkByScrollRequest); only one slice is run here. */
function parseSlices(raw: string | undefined): number | 'auto' {
  if (raw === undefined) return 1;
  if (raw === 'auto') return 'auto';
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw illegalArgument('[slices] must be a positive integer or the string "auto"');
  return n;
}

function parseOptions(req: RestRequest, body: Json, api: string, queryRequired: boolean): ByQueryOptions {
  // RestDeleteByQueryAction / RestUpdateByQueryAction read the body as a search source they limit
  if (body.stored_fields !== undefined) throw illegalArgument('stored_fields is not supported in this context');
  const remote = (req.params.index ?? '').split(',').filter((name) => name.includes(':'));
  if (remote.length > 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: Cross-cluster calls are not supported in this context but remote indices were requested: [${remote.join(', ')}];`);
  checkRequestsPerSecond(req.query.requests_per_second, api);
  const slices = parseSlices(req.query.slices);
  const scrollSize = req.query.scroll_size === undefined ? 1000 : intParam(req.query.scroll_size, 'scroll_size');
  const conflicts = String(body.conflicts ?? req.query.conflicts ?? 'abort');
  if (conflicts !== 'abort' && conflicts !== 'proceed') throw illegalArgument(`conflicts may only be "proceed" or "abort" but was [${conflicts}]`);
  const rawMax = body.max_docs ?? req.query.max_docs;
  let maxDocs: number | undefined;
  if (rawMax !== undefined) {
    maxDocs = intParam(rawMax, 'max_docs');
    if (maxDocs < 0) throw illegalArgument(`[max_docs] parameter cannot be negative, found [${maxDocs}]`);
    if (maxDocs === 0) throw unsupported(`max_docs=0 of ${api}`);
  }
  // AbstractBulkByScrollRequest.validate
  const problems: string[] = [];
  if (queryRequired && body.query === undefined && req.query.q === undefined) problems.push('query is missing');
  if (maxDocs !== undefined && typeof slices === 'number' && maxDocs < slices) problems.push('[max_docs] should be >= [slices]');
  if (problems.length > 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`);
  for (const key of Object.keys(body)) if (!BODY_FIELDS.has(key)) throw unsupported(`[${key}] in the body of ${api}`);
  if (slices !== 1) throw unsupported(`slices of ${api}`);
  const refresh = req.query.refresh === '' || req.query.refresh === 'true';
  return { abortOnConflict: conflicts === 'abort', maxDocs, scrollSize, refresh, waitForCompletion: req.query.wait_for_completion !== 'false' };
}

interface Counts {
  total: number;
  /** Documents deleted, or updated (an existing document written again). */
  done: number;
  /** Documents a reindex created. */
  created: number;
  batches: number;
  versionConflicts: number;
  noops: number;
  failures: Json[];
  touched: Set<IndexService>;
  /** Why the job stopped early (BulkByScrollTask.Status's reasonCancelled), once its task is cancelled. */
  canceled?: string;
}

/** What each API counts besides the common fields (Status.innerXContent's includeUpdated / includeCreated). */
type ByQueryKind = 'delete' | 'update' | 'reindex';

function kindFields(kind: ByQueryKind, counts: Counts): Json {
  if (kind === 'delete') return { deleted: counts.done };
  if (kind === 'update') return { updated: counts.done, deleted: 0 };
  return { updated: counts.done, created: counts.created, deleted: 0 };
}

const emptyCounts = (): Counts => ({ total: 0, done: 0, created: 0, batches: 0, versionConflicts: 0, noops: 0, failures: [], touched: new Set() });

/** BulkByScrollTask.Status as it prints (the task's status, and the body of the response). */
function statusFields(kind: ByQueryKind, counts: Counts): Json {
  const body: Json = {
    total: counts.total,
    ...kindFields(kind, counts),
    batches: counts.batches,
    version_conflicts: counts.versionConflicts,
    noops: counts.noops,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1,
    throttled_until_millis: 0,
    ...(counts.canceled !== undefined ? { canceled: counts.canceled } : {}),
  };
  markNumber(body, 'requests_per_second', '-1.0');
  return body;
}

/** The X-Opaque-Id header a task keeps among its headers (Task.HEADERS_TO_COPY). */
export function opaqueId(req: RestRequest): string | undefined {
  const value = req.headers['x-opaque-id'];
  return Array.isArray(value) ? value[0] : value;
}

/** The job of one by-query request: scans and writes into `counts`, then answers. */
type ByQueryJob = (counts: Counts, task: Task, pace: Pacer | AbortSignal | undefined) => Promise<RestResult>;

/**
 * Runs a by-query job as a task (BulkByScrollTask). Waiting, it answers the job's response;
 * with `wait_for_completion=false` it answers `{ task }` at once and the job runs on, its result
 * stored in `.tasks` when it ends (RestReindexAction's sendTask / storeResult).
 */
async function runAsTask(req: RestRequest, ctx: RestContext, action: string, description: string, kind: ByQueryKind, waitForCompletion: boolean, job: ByQueryJob): Promise<RestResult> {
  const counts = emptyCounts();
  const task = ctx.tasks.register(action, description, true, () => statusFields(kind, counts), opaqueId(req));
  if (!waitForCompletion) {
    // the job outlives the request: it shares the event loop through its own pacer, not the request's
    ctx.tasks.runInBackground(task, () => job(counts, task, new Pacer()));
    return { status: 200, body: { task: task.taskId } };
  }
  try {
    return await job(counts, task, req.pace ?? req.signal);
  } finally {
    ctx.tasks.unregister(task);
  }
}

/** Writes one hit; `written.service` names the index written when it is not the hit's own. */
type HitAction = (service: IndexService, hit: Json, options: WriteOptions, written: { service: IndexService }) => WriteResult;

/** What is scrolled: the indices, the search body's query and `_source`, the search's URL parameters. */
interface Scan {
  index: string | undefined;
  query: unknown;
  source: unknown;
  params: Record<string, string>;
  /** The scroll's order: `_doc` unless a reindex's deprecated source.sort says otherwise. */
  sort?: unknown;
  /** A reindex source's other search fields (min_score, post_filter...), parsed by the search as in Elasticsearch. */
  extra?: Json;
}

/** Scrolls the query and applies `action` to every hit, batch by batch, as BulkByScroll does. */
/** The description of a by-query task (DeleteByQueryRequest / UpdateByQueryRequest.getDescription). */
function indicesDescription(index: string | undefined): string {
  return `[${(index ?? '').split(',').filter((name) => name !== '').join(', ')}]`;
}

async function runByQuery(req: RestRequest, ctx: RestContext, api: '_delete_by_query' | '_update_by_query', withSource: boolean, action: HitAction): Promise<RestResult> {
  const started = Date.now();
  const body = jsonBody(req);
  const options = parseOptions(req, body, api, api === '_delete_by_query');
  const params = Object.fromEntries(Object.entries(req.query).filter(([k]) => SEARCH_PARAMS.has(k)));
  const kind: ByQueryKind = api === '_delete_by_query' ? 'delete' : 'update';
  const taskAction = api === '_delete_by_query' ? 'indices:data/write/delete/byquery' : 'indices:data/write/update/byquery';
  const description = `${api === '_delete_by_query' ? 'delete-by-query' : 'update-by-query'} ${indicesDescription(req.params.index)}`;
  return runAsTask(req, ctx, taskAction, description, kind, options.waitForCompletion, async (counts, task, pace) => {
    await scanAndApply(req, ctx, { index: req.params.index, query: body.query, source: withSource, params }, options, action, { counts, task, pace });
    return byQueryResponse(started, kind, counts);
  });
}

/** Where a scan keeps its counts, the task it checks for cancellation, and how it yields. */
interface ScanRun {
  counts: Counts;
  task: Task;
  pace: Pacer | AbortSignal | undefined;
}

async function scanAndApply(req: RestRequest, ctx: RestContext, scan: Scan, options: ByQueryOptions, action: HitAction, run: ScanRun): Promise<Counts> {
  const params = { ...(searchParams({ ...req, query: scan.params }) as SearchParams), scroll: '5m' };
  const targets = searchTargets(ctx, scan.index, resolveOptions({ ...req, query: scan.params }), shardSelection(scan.params));
  const size = options.maxDocs === undefined ? options.scrollSize : Math.min(options.scrollSize, options.maxDocs);
  const searchBody: Json = { ...scan.extra, size, sort: scan.sort ?? ['_doc'], seq_no_primary_term: true, version: true, track_total_hits: true, _source: scan.source, ...(scan.query !== undefined ? { query: scan.query } : {}) };
  const { counts, task, pace } = run;
  let page = await ctx.search.searchAsync(targets, searchBody, params, pace);
  const scrollId = page._scroll_id as string | undefined;
  try {
    const total = ((page.hits as Json).total as { value: number }).value;
    counts.total = options.maxDocs === undefined ? total : Math.min(total, options.maxDocs);
    for (;;) {
      let hits = (page.hits as Json).hits as Json[];
      if (options.maxDocs !== undefined) hits = hits.slice(0, Math.max(0, options.maxDocs - counts.done - counts.created - counts.versionConflicts - counts.noops));
      if (hits.length === 0) break;
      // a cancelled task stops before its next batch (AbstractAsyncBulkByScrollAction.onScrollResponse)
      if (task.reasonCancelled !== undefined) {
        counts.canceled = task.reasonCancelled;
        break;
      }
      counts.batches++;
      // a document to copy without its _source fails the whole request (Reindexer / UpdateByQuery's buildRequest)
      const missing = scan.source !== false ? hits.find((hit) => hit._source === undefined) : undefined;
      if (missing) throw illegalArgument(`[${String(missing._index)}][_doc][${String(missing._id)}] didn't store _source`);
      const stop = applyBatch(ctx, hits, options, counts, action);
      if (stop || scrollId === undefined) break;
      // a background job gives the event loop back between batches, as each batch of
      // Elasticsearch's is its own step: requests (a cancel among them) are answered meanwhile
      if (pace instanceof Pacer) await new Promise((resolve) => setImmediate(resolve));
      page = await ctx.search.scrollAsync(scrollId, '5m', params, pace);
    }
  } finally {
    if (scrollId !== undefined) ctx.search.clearScroll([scrollId]);
  }
  for (const service of counts.touched) {
    service.sync();
    service.refreshWritten(options.refresh);
  }
  return counts;
}

/** One bulk of the batch: every hit tried (a conflict does not stop its own bulk); true when the request stops. */
function applyBatch(ctx: RestContext, hits: Json[], options: ByQueryOptions, counts: Counts, action: HitAction): boolean {
  let failed = false;
  for (const hit of hits) {
    const service = ctx.indices.get(String(hit._index));
    if (!service) continue;
    const writeOptions: WriteOptions = { ifSeqNo: Number(hit._seq_no), ifPrimaryTerm: Number(hit._primary_term), ...(hit._routing !== undefined ? { routing: String(hit._routing) } : {}) };
    const written: { service: IndexService } = { service };
    try {
      const result = action(service, hit, writeOptions, written);
      counts.touched.add(written.service);
      if (result.result === 'noop') counts.noops++;
      else if (result.result === 'created') counts.created++;
      else counts.done++;
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      if (error.status === 409 && error.type === 'version_conflict_engine_exception') {
        counts.versionConflicts++;
        if (!options.abortOnConflict) continue;
      }
      // BulkItemResponse.Failure: the index written, the id, the cause and its status
      counts.failures.push({ index: written.service.name, id: String(hit._id), cause: error.toBody(), status: error.status });
      failed = true;
    }
  }
  return failed;
}

/** BulkByScrollResponse: the status is the highest of the failures' (a version conflict is 409). */
function byQueryResponse(started: number, kind: ByQueryKind, counts: Counts): RestResult {
  const body: Json = { took: Date.now() - started, timed_out: false, ...statusFields(kind, counts), failures: counts.failures };
  markNumber(body, 'requests_per_second', '-1.0');
  const status = counts.failures.reduce((max, f) => Math.max(max, f.status as number), 200);
  return { status, body };
}

async function deleteByQuery(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  return runByQuery(req, ctx, '_delete_by_query', false, (service, hit, options) => service.delete(String(hit._id), options));
}

async function updateByQuery(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  if (jsonBody(req).script !== undefined) throw unsupported('[script] of _update_by_query');
  if (req.query.pipeline !== undefined) throw unsupported('[ingest pipelines] of _update_by_query');
  // without a script each document is indexed again as it is (picking up mapping changes)
  return runByQuery(req, ctx, '_update_by_query', true, (service, hit, options) => service.index(String(hit._id), hit._source as Json, options));
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const REINDEX_FIELDS = new Set(['source', 'dest', 'conflicts', 'max_docs', 'size']);
const REINDEX_DEST_FIELDS = new Set(['index', 'op_type', 'version_type', 'routing']);

/** Where a reindexed document is routed (ReindexRequest's dest.routing): keep its own, none, or `=value`. */
function destRouting(spec: unknown): (hit: Json) => string | undefined {
  if (spec === undefined || spec === null || spec === 'keep') return (hit) => (hit._routing === undefined ? undefined : String(hit._routing));
  if (spec === 'discard') return () => undefined;
  const text = String(spec);
  if (!text.startsWith('=')) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: routing must be unset, [keep], [discard] or [=<some new value>];');
  return () => text.slice(1);
}

/**
 * `_reindex` from indices of this engine (Reindexer): the source query scrolled in `source.size`
 * batches, every hit written to `dest.index` under its own id (`op_type`, `version_type`
 * external copying the source's versions, `routing` keep/discard/=value); an existing document
 * is updated, a new one created. Remote sources, scripts, pipelines, slices and tasks are refused.
 */
async function reindex(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const started = Date.now();
  const body = jsonBody(req, true);
  const source = isRecord(body.source) ? body.source : {};
  const dest = isRecord(body.dest) ? body.dest : {};
  // ReindexRequest's parser: its own fields, `dest` an IndexRequest prototype, `source` a search source
  for (const [key, value] of Object.entries(body)) {
    if (!REINDEX_FIELDS.has(key) && key !== 'script') throw new EngineError(400, 'x_content_parse_exception', `[1:2] [reindex] unknown field [${key}]`, {}, illegalArgument(`[reindex] unknown field [${key}]`));
    void value;
  }
  for (const key of Object.keys(dest)) {
    if (!REINDEX_DEST_FIELDS.has(key) && key !== 'pipeline') throw new EngineError(400, 'x_content_parse_exception', `[1:2] [dest] unknown field [${key}]`);
  }
  if (source.from !== undefined) throw illegalArgument('from is not supported in this context');
  // the source is a search source, parsed with the request: an unknown key is its parsing_exception
  const { index: _i, remote: _r, stored_fields: _sf, size: _sz, ...sourceSearch } = source;
  void _i; void _r; void _sf; void _sz;
  parseSearchRequest(sourceSearch, {}, new Set());
  if (source.stored_fields !== undefined) throw illegalArgument('stored_fields is not supported in this context');
  if (source.size !== undefined && !Number.isInteger(Number(source.size))) throw new EngineError(400, 'number_format_exception', `For input string: "${String(source.size)}"`);
  const conflicts = body.conflicts ?? 'abort';
  if (conflicts !== 'abort' && conflicts !== 'proceed') throw illegalArgument(`conflicts may only be "proceed" or "abort" but was [${String(conflicts)}]`);
  // the deprecated top-level `size` is max_docs; the URL's max_docs comes after the body's
  let maxDocs: unknown;
  for (const value of [body.size, body.max_docs, req.query.max_docs]) {
    if (value === undefined) continue;
    const n = intParam(value, 'max_docs');
    if (n < 0) throw illegalArgument(`[max_docs] parameter cannot be negative, found [${n}]`);
    if (maxDocs !== undefined && Number(maxDocs) !== n) throw illegalArgument(`[max_docs] set to two different values [${String(maxDocs)}] and [${n}]`);
    maxDocs = n;
  }
  if (body.script !== undefined) throw unsupported('[script] of _reindex');
  if (source.remote !== undefined) throw unsupported('[source.remote] (reindex from a remote cluster) of _reindex');
  if (dest.pipeline !== undefined) throw unsupported('[ingest pipelines] of _reindex');
  // ReindexRequest.validate
  const indices = source.index === undefined ? [] : Array.isArray(source.index) ? source.index.map(String) : String(source.index).split(',');
  const problems: string[] = [];
  if (indices.length === 0) problems.push('use _all if you really want to copy from all existing indexes');
  if (source._source === false) problems.push('_source:false is not supported in this context');
  if (dest.index === undefined || dest.index === '') problems.push('index must be specified');
  if (problems.length > 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`);
  const options = parseOptions({ ...req, query: { ...req.query, max_docs: undefined as unknown as string } }, { conflicts, ...(maxDocs !== undefined ? { max_docs: maxDocs } : {}) }, '_reindex', false);
  if (source.size !== undefined) options.scrollSize = intParam(source.size, 'size');
  const destName = String(dest.index);
  // ReindexValidator: a destination among the sources is refused before anything is read
  const sources = ctx.indices.resolve(indices.join(','), { allowNoIndices: true }).map((r) => r.service.name);
  const destService = ctx.indices.get(destName) ?? ctx.indices.aliasTargets(destName)[0];
  if (destService && sources.includes(destService.name)) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: reindex cannot write into an index its reading from [${destService.name}];`);
  const opType = dest.op_type === undefined ? 'index' : String(dest.op_type);
  if (opType !== 'index' && opType !== 'create') throw illegalArgument(`opType must be 'create' or 'index', found: [${opType}]`);
  const versionType = dest.version_type === undefined ? 'internal' : String(dest.version_type);
  if (!['internal', 'external', 'external_gte'].includes(versionType)) throw illegalArgument(`No version type match [${versionType}]`);
  const routing = destRouting(dest.routing);
  // the deprecated source.sort still orders what is copied (with max_docs: which documents)
  const { index: _index, query: _query, size: _size, _source: _fields, sort: _sort, ...searchSource } = source;
  void _index; void _query; void _size; void _fields; void _sort;
  const scan: Scan = { index: indices.join(','), query: source.query, source: source._source ?? true, params: {}, extra: searchSource, ...(source.sort !== undefined ? { sort: source.sort } : {}) };
  const description = `reindex from [${indices.join(', ')}] to [${destName}]`;
  return runAsTask(req, ctx, 'indices:data/write/reindex', description, 'reindex', options.waitForCompletion, async (counts, task, pace) => {
    await scanAndApply(req, ctx, scan, options, (_service, hit, _options, written) => {
      const target = ctx.indices.resolveWrite(destName, true, { type: opType as 'index' | 'create' });
      written.service = target;
      const hitRouting = routing(hit);
      const writeOptions: WriteOptions = { ...(opType === 'create' ? { opType: 'create' } : {}), ...(hitRouting !== undefined ? { routing: hitRouting } : {}) };
      // internal: written over whatever is there; external: the source's version must be newer
      if (versionType !== 'internal') Object.assign(writeOptions, { version: Number(hit._version), versionType });
      return target.index(String(hit._id), hit._source as Json, writeOptions);
    }, { counts, task, pace });
    return byQueryResponse(started, 'reindex', counts);
  });
}

export const BY_QUERY_ROUTES: Route[] = [
  { method: 'POST', pattern: '/_reindex', handler: reindex },
  { method: 'POST', pattern: '/{index}/_delete_by_query', handler: deleteByQuery },
  { method: 'POST', pattern: '/{index}/_update_by_query', handler: updateByQuery },
];
