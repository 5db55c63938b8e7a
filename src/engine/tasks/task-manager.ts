import { EngineError } from '../errors.js';
import type { IndicesService } from '../indices/indices-service.js';
import { TaskResults } from './task-results.js';

type Json = Record<string, unknown>;

/**
 * One running job (org.elasticsearch.tasks.Task / CancellableTask): an id unique on this node, the
 * transport action it runs, a description, and a live status (BulkByScrollTask.Status for the
 * by-query APIs). A cancellable task is only marked cancelled: its job checks `cancelled` between
 * batches and stops there, as AbstractAsyncBulkByScrollAction does.
 */
export class Task {
  readonly startTimeMillis = Date.now();
  private readonly startNanos = process.hrtime.bigint();
  /** Why it was cancelled (`by user request`), once it is. */
  reasonCancelled: string | undefined;
  /** The task that started this one (`<node>:<id>`), when there is one. */
  parentTaskId: string | undefined;
  /** Settles when the job has finished (and its result is stored, when it is stored). */
  readonly done: Promise<void>;
  private finish!: () => void;

  constructor(
    readonly nodeId: string,
    readonly id: number,
    readonly action: string,
    readonly description: string,
    readonly cancellable: boolean,
    /** The live status (BulkByScrollTask.Status), read when the task is listed or fetched. */
    private readonly status: () => Json | undefined,
    /** The X-Opaque-Id of the request that started it, shown among its headers. */
    private readonly opaqueId?: string,
  ) {
    this.done = new Promise<void>((resolve) => (this.finish = resolve));
  }

  get taskId(): string {
    return `${this.nodeId}:${this.id}`;
  }

  get cancelled(): boolean {
    return this.reasonCancelled !== undefined;
  }

  markDone(): void {
    this.finish();
  }

  /** TaskInfo.toXContent: description and status only when detailed (Task.taskInfo). */
  info(detailed: boolean): Json {
    const status = detailed ? this.status() : undefined;
    return {
      node: this.nodeId,
      id: this.id,
      type: 'transport',
      action: this.action,
      ...(status !== undefined ? { status } : {}),
      ...(detailed ? { description: this.description } : {}),
      start_time_in_millis: this.startTimeMillis,
      running_time_in_nanos: Number(process.hrtime.bigint() - this.startNanos),
      cancellable: this.cancellable,
      ...(this.cancellable ? { cancelled: this.cancelled } : {}),
      ...(this.parentTaskId !== undefined ? { parent_task_id: this.parentTaskId } : {}),
      headers: this.opaqueId !== undefined ? { 'X-Opaque-Id': this.opaqueId } : {},
    };
  }
}

/** A task id as TaskId parses it: `<node>:<number>`. */
export function parseTaskId(text: string): { node: string; id: number } {
  const colon = text.lastIndexOf(':');
  const id = Number(text.slice(colon + 1));
  if (colon <= 0 || !/^-?\d+$/.test(text.slice(colon + 1)) || !Number.isSafeInteger(id)) throw new EngineError(400, 'illegal_argument_exception', `malformed task id ${text}`);
  return { node: text.slice(0, colon), id };
}

/**
 * The node's TaskManager: the tasks running now, by id, and the jobs started with
 * `wait_for_completion=false`, whose result (response or error) is stored in the `.tasks` index
 * when they end (TaskResultsService) so that `GET _tasks/<id>` answers after they are gone.
 */
export class TaskManager {
  private nextId = 1;
  private readonly running = new Map<number, Task>();
  readonly results: TaskResults;

  constructor(
    readonly nodeId: string,
    indices: IndicesService,
  ) {
    this.results = new TaskResults(indices);
  }

  register(action: string, description: string, cancellable: boolean, status: () => Json | undefined, opaqueId?: string): Task {
    const task = new Task(this.nodeId, this.nextId++, action, description, cancellable, status, opaqueId);
    this.running.set(task.id, task);
    return task;
  }

  unregister(task: Task): void {
    this.running.delete(task.id);
    task.markDone();
  }

  get(id: number): Task | undefined {
    return this.running.get(id);
  }

  list(): Task[] {
    return [...this.running.values()];
  }

  /**
   * Runs `job` as a task that outlives the request: the caller answers `{ task }` at once; the
   * job's response or error is stored in `.tasks` before the task leaves the running list, so a
   * `GET _tasks/<id>?wait_for_completion` that saw it running finds its stored result.
   */
  runInBackground(task: Task, job: () => Promise<{ status: number; body: unknown }>): void {
    void (async () => {
      let stored: Json;
      try {
        const result = await job();
        stored = { completed: true, task: task.info(true), response: result.body };
      } catch (error) {
        const body = error instanceof EngineError ? error.toBody() : { type: 'exception', reason: String(error instanceof Error ? error.message : error) };
        stored = { completed: true, task: task.info(true), error: body };
      }
      try {
        this.results.store(task.taskId, stored);
      } finally {
        this.unregister(task);
      }
    })();
  }

  /** Cancels every running job and waits for them to stop (before the engine closes its indices). */
  async drain(): Promise<void> {
    const tasks = this.list();
    for (const task of tasks) if (task.cancellable && !task.cancelled) task.reasonCancelled = 'node closing';
    await Promise.all(tasks.map((t) => t.done));
  }
}
