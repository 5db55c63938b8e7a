import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { SearchService } from './contract.js';
import { DirLock } from './index/store/dir-lock.js';
import { ClusterSettings } from './cluster-settings.js';
import { StoredScripts, scriptPolicy } from './stored-scripts.js';
import type { NodeSettings } from './stored-scripts.js';
import { SCRIPT_ROUTES } from './rest/handlers/script-routes.js';
import { writeFileAtomic } from './index/store/record-file.js';
import type { AnalysisFactory } from './indices/index-service.js';
import { randomUuid } from './indices/index-names.js';
import { IndicesService } from './indices/indices-service.js';
import { defaultAnalysisFactory, defaultSearchService } from './engine-components.js';
import { ALIAS_ROUTES } from './rest/handlers/alias-routes.js';
import { ALLOCATION_ROUTES } from './rest/handlers/allocation-routes.js';
import { ANALYZE_ROUTES } from './rest/handlers/analyze-routes.js';
import { BULK_ROUTES } from './rest/handlers/bulk-routes.js';
import { CAPABILITIES_ROUTES } from './rest/handlers/capabilities-routes.js';
import { CLUSTER_ROUTES } from './rest/handlers/cluster-routes.js';
import { CAT_ROUTES } from './rest/cat/cat-routes.js';
import { BY_QUERY_ROUTES } from './rest/handlers/by-query-routes.js';
import { DOCUMENT_ROUTES } from './rest/handlers/document-routes.js';
import { INDEX_ROUTES } from './rest/handlers/index-routes.js';
import { STATS_ROUTES } from './rest/handlers/stats-routes.js';
import { RANK_EVAL_ROUTES } from './rest/handlers/rank-eval-routes.js';
import { SEARCH_TEMPLATE_ROUTES } from './rest/handlers/search-template-routes.js';
import { SEARCH_ROUTES } from './rest/handlers/search-routes.js';
import { TERMVECTORS_ROUTES } from './rest/handlers/termvectors-routes.js';
import { FIELD_CAPS_ROUTES } from './rest/handlers/field-caps-routes.js';
import { OPENSEARCH_ROUTES } from './rest/handlers/opensearch-routes.js';
import { TEMPLATE_ROUTES } from './rest/handlers/template-routes.js';
import { ROLLOVER_ROUTES } from './rest/handlers/rollover-routes.js';
import { DATA_STREAM_ROUTES } from './rest/handlers/data-stream-routes.js';
import { LIFECYCLE_ROUTES } from './rest/handlers/lifecycle-routes.js';
import { TASK_ROUTES } from './rest/handlers/task-routes.js';
import { TaskManager } from './tasks/task-manager.js';
import { DataStreamLifecycleService } from './indices/data-stream-lifecycle-service.js';
import type { ClusterInfo, EngineRequest, EngineResponse } from './rest/rest-types.js';
import { Router } from './rest/router.js';

export interface EngineOptions {
  /** Builds an index's analysis registry from its (flat) settings. Defaults to src/engine/analysis. */
  analysis?: AnalysisFactory;
  /** The search layer. Defaults to src/engine/search. */
  search?: SearchService;
  /** Node settings (elasticsearch.yml): `script.allowed_types`, `script.allowed_contexts`. */
  nodeSettings?: NodeSettings;
  /**
   * The node's config directory, where analysis settings' word files are found (`stopwords_path:
   * analysis/stop.txt` reads `<configDir>/analysis/stop.txt`, as Elasticsearch resolves them in its
   * config directory); files outside it are refused. Defaults to `<data directory>/config`.
   */
  configDir?: string;
  /**
   * The clock (epoch milliseconds) the data stream lifecycle reads to age backing indices: tests
   * pass one they move forward instead of waiting days. Defaults to Date.now.
   */
  clock?: () => number;
  /**
   * Whether the data stream lifecycle runs on its own every `data_streams.lifecycle.poll_interval`
   * while the engine is open (default true, as Elasticsearch runs it); with false it runs only when
   * `engine.dataStreamLifecycle.run()` is called.
   */
  dataStreamLifecycle?: boolean;
}

/**
 * The embedded Elasticsearch-compatible engine over one data directory.
 *
 * @example
 * const engine = await Engine.open('.search/data');
 * const res = await engine.handle({ method: 'GET', path: '/' });
 * await engine.close();
 */
export class Engine {
  private closed = false;
  private inFlight = 0;
  private idle?: () => void;

  private constructor(
    readonly dir: string,
    /** The hold on the data directory (who holds it, where it is served to other processes). */
    readonly lock: DirLock,
    readonly indices: IndicesService,
    private readonly router: Router,
    /** The data stream lifecycle (DataStreamLifecycleService): rollover and retention of data streams. */
    readonly dataStreamLifecycle: DataStreamLifecycleService,
    /** The node's tasks: background by-query jobs are cancelled and awaited before the indices close. */
    private readonly tasks: TaskManager,
  ) {}

  /** Opens (creating if needed) a data directory: takes its lock, recovers every index. */
  static async open(dir: string, options: EngineOptions = {}): Promise<Engine> {
    const root = resolve(dir);
    mkdirSync(root, { recursive: true });
    const lock = DirLock.acquire(root);
    try {
      const cluster = loadClusterInfo(root);
      const analysis = options.analysis ?? defaultAnalysisFactory(resolve(options.configDir ?? join(root, 'config')), options.nodeSettings);
      const search = options.search ?? defaultSearchService();
      const indices = new IndicesService(root, analysis);
      const routes = [...CLUSTER_ROUTES, ...CAT_ROUTES, ...BY_QUERY_ROUTES, ...INDEX_ROUTES, ...STATS_ROUTES, ...ALIAS_ROUTES, ...DOCUMENT_ROUTES, ...BULK_ROUTES, ...SEARCH_ROUTES, ...TERMVECTORS_ROUTES, ...SEARCH_TEMPLATE_ROUTES, ...FIELD_CAPS_ROUTES, ...ANALYZE_ROUTES, ...RANK_EVAL_ROUTES, ...CAPABILITIES_ROUTES, ...OPENSEARCH_ROUTES, ...SCRIPT_ROUTES, ...TEMPLATE_ROUTES, ...ROLLOVER_ROUTES, ...DATA_STREAM_ROUTES, ...LIFECYCLE_ROUTES, ...TASK_ROUTES, ...ALLOCATION_ROUTES];
      const scripts = new StoredScripts(root);
      const settings = new ClusterSettings(root);
      const lifecycle = new DataStreamLifecycleService({ indices, settings, ...(options.clock ? { clock: options.clock } : {}) });
      const tasks = new TaskManager(cluster.nodeId, indices);
      const router = new Router(routes, { indices, search, cluster, settings, scripts, scriptPolicy: scriptPolicy(scripts, options.nodeSettings), lifecycle, tasks });
      if (options.dataStreamLifecycle !== false) lifecycle.start();
      return new Engine(root, lock, indices, router, lifecycle, tasks);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Answers one REST request as Elasticsearch would. */
  async handle(request: EngineRequest): Promise<EngineResponse> {
    if (this.closed) {
      return {
        statusCode: 503,
        headers: { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' },
        body: JSON.stringify({ error: { root_cause: [{ type: 'node_closed_exception', reason: 'node closed' }], type: 'node_closed_exception', reason: 'node closed' }, status: 503 }),
      };
    }
    this.inFlight++;
    try {
      return await this.router.handle(request);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Waits for in-flight requests, flushes every index and releases the directory lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.dataStreamLifecycle.stop();
    if (this.inFlight > 0) await new Promise<void>((resolveIdle) => (this.idle = resolveIdle));
    await this.tasks.drain();
    try {
      this.indices.closeAll();
    } finally {
      this.lock.release();
    }
  }
}

function loadClusterInfo(root: string): ClusterInfo {
  const path = join(root, 'cluster.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as ClusterInfo;
  const info: ClusterInfo = { name: hostname(), clusterName: 'indexkit', clusterUuid: randomUuid(), nodeId: randomUuid() };
  writeFileAtomic(path, JSON.stringify(info));
  return info;
}
