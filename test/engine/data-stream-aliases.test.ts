import { describe, expect, it } from 'vitest';
import { errorOf, openTestClient, removeDir, tempDir } from './helpers.js';

describe('data stream aliases', () => {
  it('searches through a filtered alias, writes through its write data stream, and keeps it across a restart', async () => {
    const dir = tempDir();
    const first = await openTestClient(dir);
    try {
      const { client } = first;
      await client.indices.putIndexTemplate({ name: 'logs', index_patterns: ['logs-*'], data_stream: {}, template: { settings: { number_of_replicas: 0 } } });
      await client.index({ index: 'logs-a', op_type: 'create', document: { '@timestamp': '2024-01-01', zone: 'a' }, refresh: true });
      await client.index({ index: 'logs-b', op_type: 'create', document: { '@timestamp': '2024-01-01', zone: 'b' }, refresh: true });
      await client.indices.updateAliases({ actions: [{ add: { index: 'logs-*', alias: 'logs' } }, { add: { index: 'logs-a', alias: 'zone-a', filter: { term: { zone: 'a' } } } }] });

      expect((await client.count({ index: 'logs' })).count).toBe(2);
      expect((await client.count({ index: 'zone-a' })).count).toBe(1);
      // no write data stream yet: a write through the alias has nowhere to go
      const refused = await errorOf(client.index({ index: 'logs', op_type: 'create', document: { '@timestamp': '2024-01-02' } }));
      expect(refused).toMatchObject({ status: 400, type: 'illegal_argument_exception' });
      expect(refused.reason).toMatch(/^no write index is defined for alias \[logs\]/);

      await client.indices.updateAliases({ actions: [{ add: { index: 'logs-b', alias: 'logs', is_write_index: true } }] });
      const written = await client.index({ index: 'logs', op_type: 'create', document: { '@timestamp': '2024-01-02', zone: 'b' }, refresh: true });
      expect(written._index).toMatch(/^\.ds-logs-b-/);

      const aliases = await client.indices.getAlias();
      expect(aliases['logs-a']).toEqual({ aliases: { logs: {}, 'zone-a': { filter: { term: { zone: 'a' } } } } });
      expect(aliases['logs-b']).toEqual({ aliases: { logs: { is_write_index: true } } });
      const resolved = await client.indices.resolveIndex({ name: 'logs' });
      expect(resolved.aliases).toEqual([{ name: 'logs', indices: ['logs-a', 'logs-b'] }]);
    } finally {
      await first.close();
    }
    const second = await openTestClient(dir);
    try {
      expect((await second.client.count({ index: 'logs' })).count).toBe(3);
      // deleting a stream takes it out of its aliases; the alias left with none goes
      await second.client.indices.deleteDataStream({ name: 'logs-a' });
      const aliases = await second.client.indices.getAlias();
      expect(aliases['logs-b']).toEqual({ aliases: { logs: { is_write_index: true } } });
      expect(await second.client.indices.existsAlias({ name: 'zone-a' })).toBe(false);
    } finally {
      await second.close();
      removeDir(dir);
    }
  });

  it('refuses what DataStreamAlias does not support, as Elasticsearch does', async () => {
    const t = await openTestClient();
    try {
      const { client } = t;
      await client.indices.putIndexTemplate({ name: 'm', index_patterns: ['m-1'], data_stream: {}, template: { settings: { number_of_replicas: 0 } } });
      await client.indices.createDataStream({ name: 'm-1' });
      await client.indices.create({ index: 'm-plain', aliases: { plain: {} } });

      expect(await errorOf(client.indices.updateAliases({ actions: [{ add: { index: 'm-*', alias: 'both' } }] }))).toMatchObject({ status: 400, reason: 'expressions [m-*] that match with both data streams and regular indices are disallowed' });
      expect(await errorOf(client.indices.updateAliases({ actions: [{ add: { index: 'm-1', alias: 'r', routing: '1' } }] }))).toMatchObject({ status: 400, reason: "aliases that point to data streams don't support routing" });
      const backing = (await client.indices.getDataStream({ name: 'm-1' })).data_streams[0]!.indices[0]!.index_name;
      expect(await errorOf(client.indices.updateAliases({ actions: [{ add: { index: backing, alias: 'b' } }] }))).toMatchObject({
        status: 400,
        reason: `The provided expressions [${backing}] match a backing index belonging to data stream [m-1]. Data stream backing indices don't support aliases.`,
      });
      expect(await errorOf(client.indices.updateAliases({ actions: [{ add: { index: 'm-1', alias: 'plain' } }] }))).toMatchObject({ status: 500, type: 'illegal_state_exception', reason: 'data stream alias and indices alias have the same name (plain)' });
      // a stream and a data stream alias never share a name, whichever comes first
      await client.indices.putIndexTemplate({ name: 'n', index_patterns: ['n-*'], data_stream: {}, template: { settings: { number_of_replicas: 0 } } });
      await client.indices.createDataStream({ name: 'n-1' });
      await client.indices.createDataStream({ name: 'n-2' });
      expect(await errorOf(client.indices.updateAliases({ actions: [{ add: { index: 'm-1', alias: 'n-2' } }] }))).toMatchObject({ status: 500, type: 'illegal_state_exception', reason: 'data stream alias and data stream have the same name (n-2)' });
      await client.indices.updateAliases({ actions: [{ add: { index: 'n-1', alias: 'n-3' } }] });
      expect(await errorOf(client.indices.createDataStream({ name: 'n-3' }))).toMatchObject({ status: 500, type: 'illegal_state_exception', reason: 'data stream alias and data stream have the same name (n-3)' });

      // one action that removed nothing: the request succeeds with its result in action_results
      const partly = await client.indices.updateAliases({ actions: [{ add: { index: 'm-1', alias: 'ok' } }, { remove: { index: 'm-1', alias: 'missing', must_exist: false } }] });
      expect(partly).toMatchObject({ acknowledged: true, errors: true, action_results: [{ status: 200, action: { type: 'add', indices: ['m-1'], aliases: ['ok'] } }, { status: 404, action: { type: 'remove', indices: ['m-1'], aliases: ['missing'] }, error: { type: 'aliases_not_found_exception' } }] });
      expect(await errorOf(client.indices.updateAliases({ actions: [{ remove: { index: 'm-1', alias: 'missing' } }] }))).toMatchObject({ status: 404, type: 'aliases_not_found_exception', reason: 'aliases [missing] missing' });
    } finally {
      await t.close();
      removeDir(t.dir);
    }
  });
});
