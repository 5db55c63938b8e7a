import { describe, expect, it } from 'vitest';
import { failedResponse as failure, useTestClient } from './helpers.js';

const DOCS = 300;

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'posts', mappings: { properties: { tag: { type: 'keyword' }, n: { type: 'long' } } } });
  const operations = [];
  for (let i = 1; i <= DOCS; i++) operations.push({ index: { _index: 'posts', _id: String(i) } }, { tag: i % 2 === 0 ? 'even' : 'odd', n: i });
  await client.bulk({ refresh: true, operations });
});

describe('tasks', () => {
  it('runs a reindex with wait_for_completion=false as a task whose result is stored in .tasks', async () => {
    const started = await t.client.reindex({ wait_for_completion: false, refresh: true, source: { index: 'posts', query: { term: { tag: 'odd' } } }, dest: { index: 'copy' } });
    expect(Object.keys(started)).toEqual(['task']);
    expect(started.task).toMatch(/^.+:\d+$/);
    const done = await t.client.tasks.get({ task_id: String(started.task), wait_for_completion: true });
    expect(done.completed).toBe(true);
    expect(done.task).toMatchObject({ action: 'indices:data/write/reindex', description: 'reindex from [posts] to [copy]', type: 'transport', cancellable: true, cancelled: false });
    expect(done.task.status).toMatchObject({ total: DOCS / 2, created: DOCS / 2, updated: 0, deleted: 0, batches: 1 });
    expect(done.response).toMatchObject({ timed_out: false, total: DOCS / 2, created: DOCS / 2, updated: 0, batches: 1, version_conflicts: 0, noops: 0, retries: { bulk: 0, search: 0 }, throttled_millis: 0, requests_per_second: -1, throttled_until_millis: 0, failures: [] });
    expect((await t.client.count({ index: 'copy' })).count).toBe(DOCS / 2);
    // asked again later, the stored result answers
    expect(await t.client.tasks.get({ task_id: String(started.task) })).toEqual(done);
    // the node id is the one the task ids carry; the stored result is a document of the hidden .tasks index
    const stored = await t.client.get({ index: '.tasks', id: String(started.task) });
    expect(stored._source).toMatchObject({ completed: true, response: { created: DOCS / 2 } });
    expect((await t.client.cat.indices({ format: 'json' })).map((row) => row.index)).not.toContain('.tasks');
  });

  it('stores the error of a background job that fails', async () => {
    const started = await t.client.deleteByQuery({ index: 'missing', wait_for_completion: false, query: { match_all: {} } });
    const done = await t.client.tasks.get({ task_id: String(started.task), wait_for_completion: true });
    expect(done).toMatchObject({ completed: true, error: { type: 'index_not_found_exception', reason: 'no such index [missing]' } });
    expect(done.response).toBeUndefined();
  });

  it('cancels a running update_by_query between batches; its response says canceled', async () => {
    const started = await t.client.updateByQuery({ index: 'posts', wait_for_completion: false, scroll_size: 1, conflicts: 'proceed' });
    const taskId = String(started.task);
    const running = await t.client.tasks.get({ task_id: taskId });
    expect(running.completed).toBe(false);
    expect(running.task).toMatchObject({ action: 'indices:data/write/update/byquery', description: 'update-by-query [posts]', cancellable: true, cancelled: false });
    const timedOut = await failure(t.client.tasks.get({ task_id: taskId, wait_for_completion: true, timeout: '1ms' }));
    expect(timedOut.status).toBe(429);
    expect(timedOut.body.error).toMatchObject({ type: 'timeout_exception' });
    const cancelled = await t.client.tasks.cancel({ task_id: taskId });
    expect(Object.values(cancelled.nodes ?? {})[0]?.tasks).toHaveProperty([taskId, 'cancelled'], true);
    const done = await t.client.tasks.get({ task_id: taskId, wait_for_completion: true });
    expect(done.response).toMatchObject({ canceled: 'by user request' });
    expect((done.response as { updated: number }).updated).toBeLessThan(DOCS);
  });

  it('lists running tasks by node, by parent or flat, filtered by action', async () => {
    const list = await t.client.tasks.list({ actions: 'cluster:monitor/tasks/lists*', detailed: true });
    const [nodeId, node] = Object.entries(list.nodes ?? {})[0]!;
    const tasks = Object.values(node.tasks);
    expect(tasks.map((task) => task.action).sort()).toEqual(['cluster:monitor/tasks/lists', 'cluster:monitor/tasks/lists[n]']);
    expect(tasks.every((task) => task.node === nodeId)).toBe(true);
    const byParent = await t.client.tasks.list({ actions: 'cluster:monitor/tasks/lists*', group_by: 'parents' });
    const roots = Object.values(byParent.tasks as Record<string, { action: string; children?: { action: string }[]; description?: string }>);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ action: 'cluster:monitor/tasks/lists', children: [{ action: 'cluster:monitor/tasks/lists[n]' }] });
    expect(roots[0]!.description).toBeUndefined();
    const flat = await t.client.tasks.list({ actions: 'indices:*', group_by: 'none' });
    expect(flat.tasks).toEqual([]);
  });

  it('answers unknown and malformed task ids as Elasticsearch does', async () => {
    const foreign = await failure(t.client.tasks.get({ task_id: 'foo:1' }));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ type: 'resource_not_found_exception', reason: "task [foo:1] belongs to the node [foo] which isn't part of the cluster and there is no record of the task" });
    const list = await t.client.tasks.list({ group_by: 'none' });
    const node = String((list.tasks as { node: string }[])[0]!.node);
    const gone = await failure(t.client.tasks.get({ task_id: `${node}:999999` }));
    expect(gone.body.error).toMatchObject({ type: 'resource_not_found_exception', reason: `task [${node}:999999] isn't running and hasn't stored its results` });
    const malformed = await failure(t.client.tasks.get({ task_id: 'nonsense' }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'malformed task id nonsense' });
    const cancel = await failure(t.client.tasks.cancel({ task_id: `${node}:999999` }));
    expect(cancel.status).toBe(404);
    const throttle = await failure(t.client.reindexRethrottle({ task_id: `${node}:1`, requests_per_second: 10 }));
    expect(throttle.status).toBe(404);
  });
});
