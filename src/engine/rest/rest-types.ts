import type { ClusterSettings } from '../cluster-settings.js';
import type { DataStreamLifecycleService } from '../indices/data-stream-lifecycle-service.js';
import type { ScriptPolicy } from '../search/script/script-spec.js';
import type { StoredScripts } from '../stored-scripts.js';
import type { SearchService } from '../contract.js';
import type { IndicesService } from '../indices/indices-service.js';
import type { Pacer } from '../search/paced-run.js';
import type { TaskManager } from '../tasks/task-manager.js';

/** A request as the Connection or the HTTP server hands it to the engine. */
export interface EngineRequest {
  method: string;
  path: string;
  /** Raw query string (without `?`), or already-split params. */
  querystring?: string | Record<string, unknown>;
  headers?: Record<string, string | string[] | undefined>;
  body?: string | Buffer | null;
  /** Aborted when the client goes away (HTTP disconnect): long searches stop. */
  signal?: AbortSignal;
}

export interface EngineResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** JSON (or text for `_cat`); empty for HEAD. */
  body: string;
  /**
   * A large JSON body in pieces (each a few hundred kB) whose concatenation is `body`: a server
   * writes them one at a time, so that no step encodes or copies the whole response at once (21 MB
   * for 10,000 hits); reading `body` joins them.
   */
  chunks?: readonly string[];
  /** How the request shared the event loop: times it yielded, its longest synchronous slice (ms). */
  pacing?: { yields: number; longestSliceMs: number };
}

/** What a route handler sees. */
export interface RestRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Raw (decompressed) body text; '' when none. */
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
  /** The request's share of the event loop (watches `signal`): long steps run through it. */
  pace?: Pacer;
}

/** What a route handler returns: a JSON body (or text for `_cat`) and a status. */
export interface RestResult {
  status: number;
  body: unknown;
  /** Send `body` as text/plain instead of JSON. */
  text?: boolean;
}

export interface ClusterInfo {
  name: string;
  clusterName: string;
  clusterUuid: string;
  nodeId: string;
}

export interface RestContext {
  indices: IndicesService;
  search: SearchService;
  cluster: ClusterInfo;
  settings: ClusterSettings;
  /** Stored scripts (`_scripts/<id>`). */
  scripts: StoredScripts;
  /** What scripts may run: stored scripts, script.allowed_types and script.allowed_contexts. */
  scriptPolicy: ScriptPolicy;
  /** The data stream lifecycle's runs: its clock, errors and statistics. */
  lifecycle: DataStreamLifecycleService;
  /** The running tasks (by-query jobs, `_tasks` requests) and the stored results of finished ones. */
  tasks: TaskManager;
}

export type RouteHandler = (req: RestRequest, ctx: RestContext) => RestResult | Promise<RestResult>;

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface Route {
  method: HttpMethod;
  /** `/{index}/_doc/{id}`: `{name}` segments are parameters. */
  pattern: string;
  handler: RouteHandler;
  /** URL parameters the API accepts (besides the common ones); unchecked when absent. */
  params?: readonly string[];
}

export const ok = (body: unknown, status = 200): RestResult => ({ status, body });
