import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { openTestClient, removeDir, tempDir } from './helpers.js';

/** `.ds-<stream>-<yyyy.MM.dd>-<generation>` for today (UTC), as DataStream.getDefaultBackingIndexName names them. */
function backingName(stream: string, generation: number): string {
  const d = new Date();
  const date = `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCDate()).padStart(2, '0')}`;
  return `.ds-${stream}-${date}-${String(generation).padStart(6, '0')}`;
}

async function errorOf(promise: Promise<unknown>): Promise<{ status: number; type: string; reason: string; causeReason?: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof errors.ResponseError)) throw error;
    const body = error.body as { error: { type: string; reason: string; caused_by?: { reason: string } } };
    return { status: error.statusCode ?? 0, type: body.error.type, reason: body.error.reason, ...(body.error.caused_by ? { causeReason: body.error.caused_by.reason } : {}) };
  }
  throw new Error('expected the request to fail');
}

describe('data streams', () => {
  it('creates a stream on the first create write, rolls it over, searches every backing index and keeps it all across a restart', async () => {
    const dir = tempDir();
    const first = await openTestClient(dir);
    try {
      await first.client.indices.putIndexTemplate({
        name: 'logs',
        index_patterns: ['logs-*'],
        data_stream: {},
        _meta: { owner: 'tests' },
        template: { settings: { number_of_replicas: 0 }, mappings: { properties: { message: { type: 'text' } } } },
      });
      // an index request (op_type index) into the stream's name is refused, though it makes the stream
      const refused = await errorOf(first.client.index({ index: 'logs-app', id: '1', document: { '@timestamp': '2024-01-01', message: 'x' } }));
      expect(refused).toMatchObject({ status: 400, type: 'illegal_argument_exception', reason: 'only write ops with an op_type of create are allowed in data streams' });

      const created = await first.client.index({ index: 'logs-app', op_type: 'create', id: 'a', document: { '@timestamp': '2024-01-01T10:00:00Z', message: 'first event' } });
      expect(created._index).toBe(backingName('logs-app', 1));
      const missing = await errorOf(first.client.index({ index: 'logs-app', document: { message: 'no time' } }));
      expect(missing).toMatchObject({ status: 400, type: 'document_parsing_exception', causeReason: 'data stream timestamp field [@timestamp] is missing' });

      const rolled = await first.client.indices.rollover({ alias: 'logs-app' });
      expect(rolled).toMatchObject({ rolled_over: true, old_index: backingName('logs-app', 1), new_index: backingName('logs-app', 2) });
      await first.client.index({ index: 'logs-app', document: { '@timestamp': '2024-01-02T10:00:00Z', message: 'second event' } });
      await first.client.indices.refresh({ index: 'logs-app' });

      const hits = await first.client.search({ index: 'logs-app', query: { match: { message: 'event' } }, sort: [{ '@timestamp': 'asc' }] });
      expect(hits.hits.hits.map((h) => h._index)).toEqual([backingName('logs-app', 1), backingName('logs-app', 2)]);

      // a backing index is a hidden index whose mapping has the timestamp and the template's fields
      const mapping = await first.client.indices.getMapping({ index: backingName('logs-app', 1) });
      expect(mapping[backingName('logs-app', 1)]!.mappings).toMatchObject({ _data_stream_timestamp: { enabled: true }, properties: { '@timestamp': { type: 'date' }, message: { type: 'text' } } });
      const settings = await first.client.indices.getSettings({ index: backingName('logs-app', 2) });
      expect(settings[backingName('logs-app', 2)]!.settings!.index!.hidden).toBe('true');

      // documents of an older backing index are read, updated and deleted through that index
      const old = await first.client.get({ index: backingName('logs-app', 1), id: 'a' });
      expect(old._source).toEqual({ '@timestamp': '2024-01-01T10:00:00Z', message: 'first event' });
      await first.client.update({ index: backingName('logs-app', 1), id: 'a', doc: { message: 'first event, edited' } });
      const appendToBacking = await errorOf(first.client.index({ index: backingName('logs-app', 1), op_type: 'create', id: 'b', document: { '@timestamp': '2024-01-01' } }));
      expect(appendToBacking.reason).toBe('index request with op_type=create targeting backing indices is disallowed, target corresponding data stream [logs-app] instead');
      const deleteTemplate = await errorOf(first.client.indices.deleteIndexTemplate({ name: 'logs' }));
      expect(deleteTemplate.reason).toBe('unable to remove composable templates [logs] as they are in use by a data streams [logs-app]');
      const deleteWrite = await errorOf(first.client.indices.delete({ index: backingName('logs-app', 2) }));
      expect(deleteWrite.reason).toBe(`index [${backingName('logs-app', 2)}] is the write index for data stream [logs-app] and cannot be deleted`);
    } finally {
      await first.close();
    }

    const second = await openTestClient(dir);
    try {
      const { data_streams: streams } = await second.client.indices.getDataStream({ name: 'logs-app' });
      expect(streams).toHaveLength(1);
      expect(streams[0]).toMatchObject({
        name: 'logs-app',
        generation: 2,
        template: 'logs',
        status: 'GREEN',
        hidden: false,
        _meta: { owner: 'tests' },
        timestamp_field: { name: '@timestamp' },
        indices: [{ index_name: backingName('logs-app', 1) }, { index_name: backingName('logs-app', 2) }],
      });
      const stats = await second.client.indices.dataStreamsStats({ name: 'logs-app' });
      expect(stats).toMatchObject({ data_stream_count: 1, backing_indices: 2, data_streams: [{ data_stream: 'logs-app', backing_indices: 2, maximum_timestamp: Date.parse('2024-01-02T10:00:00Z') }] });
      const count = await second.client.count({ index: 'logs-*', query: { match: { message: 'edited' } } });
      expect(count.count).toBe(1);

      await second.client.indices.deleteDataStream({ name: 'logs-*' });
      expect(await second.client.indices.exists({ index: backingName('logs-app', 1), expand_wildcards: 'all' })).toBe(false);
      expect((await second.client.indices.getDataStream()).data_streams).toEqual([]);
    } finally {
      await second.close();
      removeDir(dir);
    }
  });

  it('refuses a data stream without a matching data stream template, a duplicate, and a plain index in a data stream namespace', async () => {
    const t = await openTestClient();
    try {
      await t.client.indices.putIndexTemplate({ name: 'plain', index_patterns: ['plain-*'], template: { settings: { number_of_replicas: 0 } } });
      await t.client.indices.putIndexTemplate({ name: 'metrics', index_patterns: ['metrics-*'], data_stream: { hidden: true } });
      expect((await errorOf(t.client.indices.createDataStream({ name: 'nothing-matches' }))).reason).toBe('no matching index template found for data stream [nothing-matches]');
      expect((await errorOf(t.client.indices.createDataStream({ name: 'plain-x' }))).reason).toBe('matching index template [plain] for data stream [plain-x] has no data stream template');
      expect((await errorOf(t.client.indices.createDataStream({ name: 'metrics-a#b' }))).reason).toBe("data_stream [metrics-a#b] must not contain '#'");
      await t.client.indices.createDataStream({ name: 'metrics-cpu' });
      expect(await errorOf(t.client.indices.createDataStream({ name: 'metrics-cpu' }))).toMatchObject({ status: 400, type: 'resource_already_exists_exception', reason: 'data_stream [metrics-cpu] already exists' });
      expect((await errorOf(t.client.indices.create({ index: 'metrics-mem' }))).reason).toBe('cannot create index with name [metrics-mem], because it matches with template [metrics] that creates data streams only, use create data stream api instead');
      // hidden streams stay out of a plain wildcard
      expect((await t.client.indices.getDataStream({ name: '*' })).data_streams).toEqual([]);
      expect((await t.client.indices.getDataStream({ name: '*', expand_wildcards: 'hidden' })).data_streams.map((s) => s.name)).toEqual(['metrics-cpu']);
      expect((await errorOf(t.client.indices.getDataStream({ name: 'metrics-none' }))).status).toBe(404);
      // a stream's template cannot lose its mapping of @timestamp to something else than a date
      const badTemplate = await errorOf(t.client.indices.putIndexTemplate({ name: 'bad', index_patterns: ['bad-*'], data_stream: {}, template: { mappings: { properties: { '@timestamp': { type: 'keyword' } } } } }));
      expect(badTemplate.status).toBe(400);
    } finally {
      await t.close();
      removeDir(t.dir);
    }
  });

  it('moves indices in and out of a stream with _modify', async () => {
    const t = await openTestClient();
    try {
      await t.client.indices.putIndexTemplate({ name: 'events', index_patterns: ['events-*'], data_stream: {} });
      await t.client.indices.createDataStream({ name: 'events-web' });
      await t.client.index({ index: 'old-events', id: '1', document: { '@timestamp': '2020-01-01T00:00:00Z' }, refresh: true });
      await t.client.indices.modifyDataStream({ actions: [{ add_backing_index: { data_stream: 'events-web', index: 'old-events' } }] });
      let stream = (await t.client.indices.getDataStream({ name: 'events-web' })).data_streams[0]!;
      expect(stream.generation).toBe(2);
      expect(stream.indices.map((i) => i.index_name)).toEqual(['old-events', backingName('events-web', 1)]);
      expect((await t.client.search({ index: 'events-web' })).hits.hits.map((h) => h._id)).toEqual(['1']);
      const removeWrite = await errorOf(t.client.indices.modifyDataStream({ actions: [{ remove_backing_index: { data_stream: 'events-web', index: backingName('events-web', 1) } }] }));
      expect(removeWrite.reason).toBe(`cannot remove backing index [${backingName('events-web', 1)}] of data stream [events-web] because it is the write index`);
      await t.client.indices.modifyDataStream({ actions: [{ remove_backing_index: { data_stream: 'events-web', index: 'old-events' } }] });
      stream = (await t.client.indices.getDataStream({ name: 'events-web' })).data_streams[0]!;
      expect(stream.generation).toBe(3);
      expect(stream.indices.map((i) => i.index_name)).toEqual([backingName('events-web', 1)]);
    } finally {
      await t.close();
      removeDir(t.dir);
    }
  });

  it('migrates an alias with a write index to a stream, and _resolve/index lists indices, aliases and streams', async () => {
    const t = await openTestClient();
    try {
      await t.client.indices.putIndexTemplate({ name: 'app', index_patterns: ['app-logs'], data_stream: {} });
      await t.client.indices.create({ index: 'app-1', aliases: { 'app-logs': { is_write_index: false } } });
      await t.client.indices.create({ index: 'app-2', aliases: { 'app-logs': { is_write_index: true } } });
      await t.client.indices.create({ index: 'app-none' });
      await t.client.index({ index: 'app-1', id: '1', document: { '@timestamp': '2021-01-01T00:00:00Z' } });
      await t.client.index({ index: 'app-2', id: '2', document: { '@timestamp': '2021-01-02T00:00:00Z' }, refresh: true });
      const noTimestamp = await errorOf(t.client.indices.migrateToDataStream({ name: 'missing-alias' }));
      expect(noTimestamp.reason).toBe('alias [missing-alias] does not exist');
      await t.client.indices.migrateToDataStream({ name: 'app-logs' });
      const stream = (await t.client.indices.getDataStream({ name: 'app-logs' })).data_streams[0]!;
      expect(stream.indices.map((i) => i.index_name)).toEqual(['app-1', 'app-2']);
      const resolved = await t.client.indices.resolveIndex({ name: 'app-*', expand_wildcards: 'all' });
      expect(resolved.indices).toEqual([
        { name: 'app-1', attributes: ['hidden', 'open'], data_stream: 'app-logs' },
        { name: 'app-2', attributes: ['hidden', 'open'], data_stream: 'app-logs' },
        { name: 'app-none', attributes: ['open'] },
      ]);
      expect(resolved.aliases).toEqual([]);
      expect(resolved.data_streams).toEqual([{ name: 'app-logs', backing_indices: ['app-1', 'app-2'], timestamp_field: '@timestamp' }]);
      // the stream now takes appends only, into its write index
      const appended = await t.client.index({ index: 'app-logs', document: { '@timestamp': '2021-01-03T00:00:00Z' } });
      expect(appended._index).toBe('app-2');
    } finally {
      await t.close();
      removeDir(t.dir);
    }
  });
});
