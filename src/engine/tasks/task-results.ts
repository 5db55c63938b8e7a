import type { IndicesService } from '../indices/indices-service.js';

type Json = Record<string, unknown>;

/** TaskResultsService.TASK_INDEX: a hidden system index, created on the first stored result. */
export const TASK_INDEX = '.tasks';

/**
 * The `.tasks` index as TaskResultsService creates it (its system index descriptor): one shard,
 * hidden, a strict mapping whose task status, response and error are stored but not indexed.
 */
const TASK_INDEX_BODY: Json = {
  settings: { index: { number_of_shards: 1, auto_expand_replicas: '0-1', hidden: true } },
  mappings: {
    dynamic: 'strict',
    properties: {
      completed: { type: 'boolean' },
      task: {
        properties: {
          action: { type: 'keyword' },
          cancellable: { type: 'boolean' },
          cancelled: { type: 'boolean' },
          id: { type: 'long' },
          parent_task_id: { type: 'keyword' },
          node: { type: 'keyword' },
          running_time_in_nanos: { type: 'long' },
          start_time_in_millis: { type: 'long' },
          type: { type: 'keyword' },
          status: { type: 'object', enabled: false },
          description: { type: 'text' },
          headers: { type: 'object', enabled: false },
        },
      },
      response: { type: 'object', enabled: false },
      error: { type: 'object', enabled: false },
    },
  },
};

/** The stored results of finished tasks: documents of `.tasks` whose id is the task id. */
export class TaskResults {
  constructor(private readonly indices: IndicesService) {}

  /** TaskResultsService.storeResult: indexes the TaskResult under the task id, then refreshes. */
  store(taskId: string, result: Json): void {
    const service = this.indices.get(TASK_INDEX) ?? this.indices.create(TASK_INDEX, TASK_INDEX_BODY, { autoCreate: true });
    service.index(taskId, result);
    service.sync();
    service.refreshWritten(true);
  }

  /** The stored TaskResult, or undefined when there is none (or no `.tasks` index). */
  find(taskId: string): Json | undefined {
    return this.indices.get(TASK_INDEX)?.get(taskId)?.source;
  }
}
