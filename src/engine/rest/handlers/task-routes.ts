import { simpleMatch } from '../../automaton/simple-match.js';
import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import { parseTimeValue } from '../../indices/index-settings.js';
import { parseTaskId, type Task } from '../../tasks/task-manager.js';
import { boolParam, listParam } from '../request-params.js';
import { opaqueId } from './by-query-routes.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';

type Json = Record<string, unknown>;

/**
 * The task management API (TransportGetTaskAction, TransportListTasksAction,
 * TransportCancelTasksAction, TransportRethrottleAction) over the node's TaskManager and the
 * `.tasks` index of stored results.
 */

/** The default `timeout` of a wait for completion (TransportGetTaskAction / ListTasksRequest). */
const DEFAULT_WAIT_MS = 30_000;

function waitTimeout(req: RestRequest): number {
  const raw = req.query.timeout;
  return raw === undefined ? DEFAULT_WAIT_MS : parseTimeValue(raw, 'timeout');
}

/** Waits for the tasks to end, or throws ElasticsearchTimeoutException (429 in 8.x, "closest to took longer than asked"). */
async function waitFor(tasks: Task[], timeoutMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs))));
  try {
    const outcome = await Promise.race([Promise.all(tasks.map((t) => t.done)), timeout]);
    if (outcome === 'timeout') throw new EngineError(429, 'timeout_exception', `Timed out waiting for completion of ${what}`);
  } finally {
    clearTimeout(timer);
  }
}

const notStored = (taskId: string): EngineError => new EngineError(404, 'resource_not_found_exception', `task [${taskId}] isn't running and hasn't stored its results`);

async function getTask(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const taskId = req.params.task_id ?? '';
  const { node, id } = parseTaskId(taskId);
  if (node !== ctx.tasks.nodeId) {
    // a node not in the cluster: only its stored result can answer
    const stored = ctx.tasks.results.find(taskId);
    if (stored) return ok(stored);
    throw new EngineError(404, 'resource_not_found_exception', `task [${taskId}] belongs to the node [${node}] which isn't part of the cluster and there is no record of the task`);
  }
  const task = ctx.tasks.get(id);
  if (task) {
    if (!boolParam(req, 'wait_for_completion', false)) return ok({ completed: false, task: task.info(true) });
    const snapshot = task.info(true);
    await waitFor([task], waitTimeout(req), `task [${taskId}]`);
    // a task that stored its result answers with it; another one with what it last was
    return ok(ctx.tasks.results.find(taskId) ?? { completed: true, task: snapshot });
  }
  const stored = ctx.tasks.results.find(taskId);
  if (!stored) throw notStored(taskId);
  return ok(stored);
}

/** The node as ListTasksResponse prints it (DiscoveryNode's fields) around its tasks. */
function nodeEntry(ctx: RestContext, tasks: Json): Json {
  return {
    name: ctx.cluster.name,
    transport_address: '127.0.0.1:9300',
    host: '127.0.0.1',
    ip: '127.0.0.1:9300',
    roles: ['data', 'data_cold', 'data_content', 'data_frozen', 'data_hot', 'data_warm', 'ingest', 'master', 'remote_cluster_client'],
    tasks,
  };
}

/** ListTasksResponse in its three groupings (`group_by`: nodes, parents, none). */
function listResponse(ctx: RestContext, tasks: Task[], detailed: boolean, groupBy: string): Json {
  const infos = tasks.map((t) => t.info(detailed));
  if (groupBy === 'none') return { tasks: infos };
  if (groupBy === 'parents') {
    const byId = new Map(infos.map((info) => [`${String(info.node)}:${String(info.id)}`, { ...info } as Json]));
    const roots: Json = {};
    for (const [taskId, info] of byId) {
      const parent = info.parent_task_id === undefined ? undefined : byId.get(String(info.parent_task_id));
      if (parent) ((parent.children ??= []) as Json[]).push(info);
      else roots[taskId] = info;
    }
    return { tasks: roots };
  }
  if (infos.length === 0) return { nodes: {} };
  return { nodes: { [ctx.tasks.nodeId]: nodeEntry(ctx, Object.fromEntries(infos.map((info) => [`${String(info.node)}:${String(info.id)}`, info]))) } };
}

/** The running tasks a request's `nodes`, `actions` and `parent_task_id` select (BaseTasksRequest.match). */
function selectTasks(req: RestRequest, ctx: RestContext): Task[] {
  const nodes = listParam(req, 'nodes');
  if (nodes && !nodes.some((n) => n === '_all' || n === '_local' || n === '_master' || simpleMatch(n, ctx.tasks.nodeId) || simpleMatch(n, ctx.cluster.name))) return [];
  const actions = listParam(req, 'actions');
  const parent = req.query.parent_task_id;
  return ctx.tasks.list().filter((task) => {
    if (actions && !actions.some((pattern) => simpleMatch(pattern, task.action))) return false;
    if (parent !== undefined && parent !== '' && parent !== '-1' && task.parentTaskId !== parent) return false;
    return true;
  });
}

const GROUP_BY = ['nodes', 'parents', 'none'] as const;

async function listTasks(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const groupBy = req.query.group_by ?? 'nodes';
  if (!(GROUP_BY as readonly string[]).includes(groupBy)) throw illegalArgument(`[group_by] must be one of [nodes] or [parents] or [none] but was [${groupBy}]`);
  const detailed = boolParam(req, 'detailed', false);
  // the list request is itself a task, with its node-level child (`[n]`), as TransportListTasksAction runs it
  const own = ctx.tasks.register('cluster:monitor/tasks/lists', '', false, () => undefined, opaqueId(req));
  const child = ctx.tasks.register('cluster:monitor/tasks/lists[n]', '', false, () => undefined, opaqueId(req));
  child.parentTaskId = own.taskId;
  try {
    if (boolParam(req, 'wait_for_completion', false)) {
      const others = selectTasks(req, ctx).filter((t) => t !== own && t !== child);
      await waitFor(others, waitTimeout(req), 'tasks');
    }
    return ok(listResponse(ctx, selectTasks(req, ctx), detailed, groupBy));
  } finally {
    ctx.tasks.unregister(child);
    ctx.tasks.unregister(own);
  }
}

async function cancelTasks(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  let tasks: Task[];
  const taskId = req.params.task_id;
  if (taskId !== undefined) {
    const { node, id } = parseTaskId(taskId);
    const task = node === ctx.tasks.nodeId ? ctx.tasks.get(id) : undefined;
    if (!task) throw new EngineError(404, 'resource_not_found_exception', `task [${taskId}] is not found`);
    if (!task.cancellable) throw illegalArgument(`task [${taskId}] doesn't support this operation`);
    tasks = [task];
  } else {
    tasks = selectTasks(req, ctx).filter((t) => t.cancellable);
  }
  for (const task of tasks) task.reasonCancelled ??= 'by user request';
  if (boolParam(req, 'wait_for_completion', false)) await waitFor(tasks, waitTimeout(req), 'tasks');
  return ok(listResponse(ctx, tasks, false, req.query.group_by ?? 'nodes'));
}

/**
 * `_rethrottle` (TransportRethrottleAction): the engine runs by-query jobs unthrottled and refuses
 * throttling, so only `requests_per_second=-1` (unthrottled, what they already are) is answered;
 * any other rate is refused as the by-query APIs refuse it.
 */
function rethrottle(api: string) {
  return (req: RestRequest, ctx: RestContext): RestResult => {
    const raw = req.query.requests_per_second;
    if (raw === undefined) throw illegalArgument('requests_per_second is a required parameter');
    const n = Number(raw);
    if (raw !== '-1' && raw !== '-1.0' && (raw === '' || !Number.isFinite(n) || n <= 0)) throw illegalArgument('[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.');
    const taskId = req.params.task_id ?? '';
    const { node, id } = parseTaskId(taskId);
    const task = node === ctx.tasks.nodeId ? ctx.tasks.get(id) : undefined;
    if (!task) throw new EngineError(404, 'resource_not_found_exception', `task [${taskId}] is not found`);
    if (raw !== '-1' && raw !== '-1.0') throw unsupported(`requests_per_second (throttling) of ${api}`);
    return ok(listResponse(ctx, [task], true, req.query.group_by ?? 'nodes'));
  };
}

export const TASK_ROUTES: Route[] = [
  { method: 'GET', pattern: '/_tasks', handler: listTasks, params: ['nodes', 'actions', 'detailed', 'parent_task_id', 'wait_for_completion', 'group_by', 'timeout'] },
  { method: 'POST', pattern: '/_tasks/_cancel', handler: cancelTasks, params: ['nodes', 'actions', 'parent_task_id', 'wait_for_completion', 'group_by'] },
  { method: 'GET', pattern: '/_tasks/{task_id}', handler: getTask, params: ['wait_for_completion', 'timeout'] },
  { method: 'POST', pattern: '/_tasks/{task_id}/_cancel', handler: cancelTasks, params: ['nodes', 'actions', 'parent_task_id', 'wait_for_completion', 'group_by'] },
  { method: 'POST', pattern: '/_reindex/{task_id}/_rethrottle', handler: rethrottle('_reindex'), params: ['requests_per_second', 'group_by'] },
  { method: 'POST', pattern: '/_update_by_query/{task_id}/_rethrottle', handler: rethrottle('_update_by_query'), params: ['requests_per_second', 'group_by'] },
  { method: 'POST', pattern: '/_delete_by_query/{task_id}/_rethrottle', handler: rethrottle('_delete_by_query'), params: ['requests_per_second', 'group_by'] },
];
