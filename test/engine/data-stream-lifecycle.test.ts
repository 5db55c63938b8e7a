import { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { acquireEngine, createEmbeddedClientOptions, releaseEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';
import { errorOf, removeDir, tempDir } from './helpers.js';

const DAY = 86_400_000;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An engine whose data stream lifecycle reads a clock the test moves, and runs only when the test says so. */
async function openWithClock(): Promise<{ client: Client; engine: Engine; clock: { now: number }; close(): Promise<void> }> {
  const dir = tempDir();
  const clock = { now: Date.now() };
  const engine = await acquireEngine(dir, { clock: () => clock.now, dataStreamLifecycle: false });
  const client = new Client(createEmbeddedClientOptions(dir));
  return {
    client,
    engine,
    clock,
    async close() {
      await client.close();
      await releaseEngine(dir);
      removeDir(dir);
    },
  };
}

async function backingIndices(client: Client, stream: string): Promise<string[]> {
  const res = await client.indices.getDataStream({ name: stream });
  return res.data_streams[0]!.indices.map((i) => i.index_name);
}

describe('data stream lifecycle', () => {
  it('rolls the write index over by max_age=auto and deletes a backing index once its generation is older than the retention', async () => {
    const t = await openWithClock();
    try {
      await t.client.indices.putIndexTemplate({ name: 'logs', index_patterns: ['logs-*'], data_stream: {}, template: { settings: { number_of_replicas: 0 }, lifecycle: { data_retention: '7d' } } });
      await t.client.index({ index: 'logs-app', op_type: 'create', document: { '@timestamp': '2024-01-01T00:00:00Z', message: 'old' }, refresh: true });
      const [first] = await backingIndices(t.client, 'logs-app');

      // a retention of 7 days makes max_age=auto one day: half a day in, nothing happens
      t.clock.now += DAY / 2;
      t.engine.dataStreamLifecycle.run();
      expect(await backingIndices(t.client, 'logs-app')).toEqual([first]);

      // two days in, the write index (one document, min_docs=1) rolls over
      t.clock.now += 1.5 * DAY;
      const rolledAt = t.clock.now;
      t.engine.dataStreamLifecycle.run();
      const afterRollover = await backingIndices(t.client, 'logs-app');
      expect(afterRollover).toHaveLength(2);
      expect(afterRollover[0]).toBe(first);

      const explained = (await t.client.transport.request({ method: 'GET', path: `/${first}/_lifecycle/explain` })) as Json;
      expect(explained.indices[first!]).toMatchObject({ index: first, managed_by_lifecycle: true, rollover_date_millis: rolledAt, generation_time: '0s', lifecycle: { enabled: true, data_retention: '7d', effective_retention: '7d', retention_determined_by: 'data_stream_configuration' } });

      // the new write index is empty: it never rolls over however old, and the old generation is kept for exactly 7 days
      t.clock.now = rolledAt + 7 * DAY;
      t.engine.dataStreamLifecycle.run();
      expect(await backingIndices(t.client, 'logs-app')).toEqual(afterRollover);

      t.clock.now = rolledAt + 7 * DAY + 1;
      t.engine.dataStreamLifecycle.run();
      expect(await backingIndices(t.client, 'logs-app')).toEqual([afterRollover[1]]);
      expect(await t.client.indices.exists({ index: first! })).toBe(false);
      const count = await t.client.count({ index: 'logs-app' });
      expect(count.count).toBe(0);

      const stats = (await t.client.transport.request({ method: 'GET', path: '/_lifecycle/stats' })) as Json;
      expect(stats).toMatchObject({ data_stream_count: 1, data_streams: [{ name: 'logs-app', backing_indices_in_total: 1, backing_indices_in_error: 0 }] });
      expect(stats.time_between_starts_in_millis).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('applies the global default retention to a stream without one, and leaves disabled and ILM-managed streams alone', async () => {
    const t = await openWithClock();
    try {
      await t.client.indices.putIndexTemplate({ name: 'events', index_patterns: ['events-*'], data_stream: {}, template: { settings: { number_of_replicas: 0 }, lifecycle: {} } });
      await t.client.indices.putIndexTemplate({ name: 'ilm', index_patterns: ['ilm-*'], data_stream: {}, template: { settings: { number_of_replicas: 0, 'index.lifecycle.name': 'policy' }, lifecycle: {} } });
      for (const stream of ['events-a', 'events-off', 'ilm-a']) await t.client.index({ index: stream, op_type: 'create', document: { '@timestamp': '2024-01-01' }, refresh: true });
      await t.client.transport.request({ method: 'PUT', path: '/_data_stream/events-off/_lifecycle', body: { enabled: false } });
      await t.client.cluster.putSettings({ persistent: { 'data_streams.lifecycle.retention.default': '1d' } });

      const lifecycle = (await t.client.transport.request({ method: 'GET', path: '/_data_stream/events-*/_lifecycle' })) as Json;
      expect(lifecycle).toEqual({
        global_retention: { default_retention: '1d' },
        data_streams: [
          { name: 'events-a', lifecycle: { enabled: true, effective_retention: '1d', retention_determined_by: 'default_global_retention' } },
          { name: 'events-off', lifecycle: { enabled: false } },
        ],
      });
      const ds = await t.client.indices.getDataStream({ name: 'ilm-a' });
      expect(ds.data_streams[0]).toMatchObject({ next_generation_managed_by: 'Index Lifecycle Management', indices: [{ managed_by: 'Index Lifecycle Management', ilm_policy: 'policy' }] });

      // one day of retention makes max_age=auto one hour
      t.clock.now += 2 * 3_600_000;
      t.engine.dataStreamLifecycle.run();
      expect(await backingIndices(t.client, 'events-a')).toHaveLength(2);
      expect(await backingIndices(t.client, 'events-off')).toHaveLength(1);
      expect(await backingIndices(t.client, 'ilm-a')).toHaveLength(1);

      t.clock.now += DAY + 1;
      t.engine.dataStreamLifecycle.run();
      expect(await backingIndices(t.client, 'events-a')).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('refuses what Elasticsearch refuses: a missing stream, bad downsampling rounds, a default retention above the max', async () => {
    const t = await openWithClock();
    try {
      await t.client.indices.putIndexTemplate({ name: 'm', index_patterns: ['m-*'], data_stream: {}, template: { settings: { number_of_replicas: 0 } } });
      await t.client.indices.createDataStream({ name: 'm-1' });
      expect(await errorOf(t.client.transport.request({ method: 'PUT', path: '/_data_stream/m-1,nope/_lifecycle', body: { data_retention: '3d' } }))).toMatchObject({ status: 404, type: 'index_not_found_exception', reason: 'no such index [nope]' });
      const rounds = { downsampling: [{ after: '10d', fixed_interval: '1h' }, { after: '5d', fixed_interval: '2h' }] };
      expect(await errorOf(t.client.transport.request({ method: 'PUT', path: '/_data_stream/m-1/_lifecycle', body: rounds }))).toMatchObject({ status: 400, type: 'illegal_argument_exception', reason: "A downsampling round must have a later 'after' value than the proceeding, 5d is not after 10d." });
      // nothing changed: the stream still has no lifecycle
      const got = (await t.client.transport.request({ method: 'GET', path: '/_data_stream/m-1/_lifecycle' })) as Json;
      expect(got.data_streams).toEqual([{ name: 'm-1' }]);

      expect(await errorOf(t.client.cluster.putSettings({ persistent: { 'data_streams.lifecycle.retention.default': '30d', 'data_streams.lifecycle.retention.max': '7d' } }))).toMatchObject({
        status: 400,
        reason: 'Setting [data_streams.lifecycle.retention.default=30d] cannot be greater than [data_streams.lifecycle.retention.max=7d].',
      });
      expect(await errorOf(t.client.cluster.putSettings({ persistent: { 'data_streams.lifecycle.retention.max': '5s' } }))).toMatchObject({ status: 400, reason: "Setting 'data_streams.lifecycle.retention.max' should be greater than 10s" });
      expect(await errorOf(t.client.cluster.putSettings({ persistent: { 'data_streams.lifecycle.poll_interval': '500ms' } }))).toMatchObject({ status: 400 });
    } finally {
      await t.close();
    }
  });

  it('runs on its own every poll_interval while the engine is open', async () => {
    const dir = tempDir();
    const engine = await acquireEngine(dir);
    const client = new Client(createEmbeddedClientOptions(dir));
    try {
      expect(engine.dataStreamLifecycle.lastRunDuration).toBeUndefined();
      // the 5 minute default is rescheduled to the new interval at once
      await client.cluster.putSettings({ transient: { 'data_streams.lifecycle.poll_interval': '1s' } });
      await new Promise((r) => setTimeout(r, 1300));
      const stats = (await client.transport.request({ method: 'GET', path: '/_lifecycle/stats' })) as Json;
      expect(stats.last_run_duration_in_millis).toBeGreaterThanOrEqual(0);
    } finally {
      await client.close();
      await releaseEngine(dir);
      removeDir(dir);
    }
  });
});
