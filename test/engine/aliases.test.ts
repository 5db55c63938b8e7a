import { describe, expect, it } from 'vitest';
import { failedResponse as failure, useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'logs-1' });
  await client.indices.create({ index: 'logs-2' });
});

describe('aliases', () => {
  it('adds and lists aliases (GET /_alias, /_alias/{name}, /{index}/_alias)', async () => {
    expect(await t.client.indices.updateAliases({ actions: [{ add: { index: 'logs-1', alias: 'logs' } }, { add: { index: 'logs-2', alias: 'logs', is_write_index: true } }] })).toMatchObject({ acknowledged: true });
    const byName = await t.client.indices.getAlias({ name: 'logs' });
    expect(byName).toEqual({ 'logs-1': { aliases: { logs: {} } }, 'logs-2': { aliases: { logs: { is_write_index: true } } } });
    const byIndex = await t.client.indices.getAlias({ index: 'logs-1' });
    expect(byIndex).toEqual({ 'logs-1': { aliases: { logs: {} } } });
    expect(await t.client.indices.existsAlias({ name: 'logs' })).toBe(true);
    expect(await t.client.indices.existsAlias({ name: 'nope' })).toBe(false);
  });

  it('writes through an alias to its write index and reads through it', async () => {
    const res = await t.client.index({ index: 'logs', id: '1', document: { msg: 'hello' }, refresh: true });
    expect(res._index).toBe('logs-2');
    const count = await t.client.count({ index: 'logs' });
    expect(count.count).toBe(1);
  });

  it('refuses writes through an alias with several indices and no write index', async () => {
    await t.client.indices.updateAliases({ actions: [{ add: { index: 'logs-1', alias: 'both' } }, { add: { index: 'logs-2', alias: 'both' } }] });
    const error = await failure(t.client.index({ index: 'both', id: '1', document: { a: 1 } }));
    expect(error.status).toBe(400);
    expect((error.body.error as { reason: string }).reason).toBe(
      'no write index is defined for alias [both]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index',
    );
  });

  it('applies alias actions all-or-nothing', async () => {
    const error = await failure(t.client.indices.updateAliases({ actions: [{ add: { index: 'logs-1', alias: 'atomic' } }, { add: { index: 'no-such-index', alias: 'atomic' } }] }));
    expect(error.status).toBe(404);
    expect(await t.client.indices.existsAlias({ name: 'atomic' })).toBe(false);
    // a remove that finds nothing (must_exist unset) is a 404 among the action results (8.14+,
    // TransportIndicesAliasesAction), not a failure of the request: the add is applied
    const removeMissing = await t.client.indices.updateAliases({ actions: [{ add: { index: 'logs-1', alias: 'atomic2' } }, { remove: { index: 'logs-1', alias: 'never-there' } }] });
    expect(removeMissing).toMatchObject({ errors: true, action_results: [{ status: 200 }, { status: 404, error: { type: 'aliases_not_found_exception', reason: 'aliases [never-there] missing' } }] });
    expect(await t.client.indices.existsAlias({ name: 'atomic2' })).toBe(true);
    await t.client.indices.deleteAlias({ index: 'logs-1', name: 'atomic2' });
    // with must_exist: true the whole request fails and nothing is applied
    const mustExist = await failure(t.client.indices.updateAliases({ actions: [{ add: { index: 'logs-1', alias: 'atomic3' } }, { remove: { index: 'logs-1', alias: 'never-there', must_exist: true } }] }));
    expect(mustExist.status).toBe(404);
    expect((mustExist.body.error as { type: string }).type).toBe('aliases_not_found_exception');
    expect(await t.client.indices.existsAlias({ name: 'atomic3' })).toBe(false);
  });

  it('reports a remove that found nothing in action_results and applies the rest (8.14)', async () => {
    const result = (await t.client.indices.updateAliases({ actions: [{ add: { index: 'logs-1', alias: 'partial' } }, { remove: { index: 'logs-*', alias: 'never-there' } }] })) as unknown as Record<string, unknown>;
    expect(result.errors).toBe(true);
    expect(result.action_results).toEqual([
      { action: { type: 'add', indices: ['logs-1'], aliases: ['partial'] }, status: 200 },
      { action: { type: 'remove', indices: ['logs-*'], aliases: ['never-there'] }, status: 404, error: { type: 'aliases_not_found_exception', reason: 'aliases [never-there] missing', 'resource.type': 'aliases', 'resource.id': 'never-there' } },
    ]);
    expect(await t.client.indices.existsAlias({ name: 'partial' })).toBe(true);
    // only a remove that found nothing: nothing to do is the request's 404
    const nothing = await failure(t.client.indices.updateAliases({ actions: [{ remove: { index: 'logs-1', alias: 'never-there' } }] }));
    expect(nothing.status).toBe(404);
  });

  it('swaps an alias atomically with remove + add', async () => {
    await t.client.indices.putAlias({ index: 'logs-1', name: 'current' });
    await t.client.indices.updateAliases({ actions: [{ remove: { index: 'logs-1', alias: 'current' } }, { add: { index: 'logs-2', alias: 'current' } }] });
    expect(Object.keys(await t.client.indices.getAlias({ name: 'current' }))).toEqual(['logs-2']);
    await t.client.indices.deleteAlias({ index: 'logs-2', name: 'current' });
    expect(await t.client.indices.existsAlias({ name: 'current' })).toBe(false);
  });

  it('answers a missing alias with 404 and Elasticsearch\'s body', async () => {
    const error = await failure(t.client.indices.getAlias({ name: 'ghost' }));
    expect(error.status).toBe(404);
    expect(error.body).toEqual({ error: 'alias [ghost] missing', status: 404 });
  });

  it('refuses alias names that clash with an index or are invalid', async () => {
    const clash = await failure(t.client.indices.putAlias({ index: 'logs-1', name: 'logs-2' }));
    expect((clash.body.error as { type: string }).type).toBe('invalid_alias_name_exception');
    const upper = await failure(t.client.indices.putAlias({ index: 'logs-1', name: 'Upper' }));
    expect((upper.body.error as { reason: string }).reason).toBe('Invalid alias name [Upper], must be lowercase');
  });

  it('removes an index with remove_index', async () => {
    await t.client.indices.create({ index: 'doomed' });
    await t.client.indices.updateAliases({ actions: [{ remove_index: { index: 'doomed' } }] });
    expect(await t.client.indices.exists({ index: 'doomed' })).toBe(false);
  });

  it('passes alias filters to the search layer', async () => {
    await t.client.indices.putAlias({ index: 'logs-1', name: 'filtered', filter: { term: { level: 'error' } } });
    const targets = t.engine.indices.resolve('filtered');
    expect(targets.map((r) => [r.service.name, r.filter])).toEqual([['logs-1', { term: { level: 'error' } }]]);
    const direct = t.engine.indices.resolve('filtered,logs-1');
    expect(direct[0]!.filter).toBeUndefined();
  });

  it('creates an index with aliases', async () => {
    await t.client.indices.create({ index: 'with-alias', aliases: { wa: { is_write_index: true } } });
    expect(await t.client.indices.getAlias({ name: 'wa' })).toEqual({ 'with-alias': { aliases: { wa: { is_write_index: true } } } });
  });
});

describe('aliases replacing an index', () => {
  it('turns a plain index into an alias with add + remove_index in one call', async () => {
    await t.client.indices.create({ index: 'plain' });
    await t.client.indices.create({ index: 'plain-v2' });
    await t.client.indices.updateAliases({ actions: [{ add: { index: 'plain-v2', alias: 'plain', is_write_index: true } }, { remove_index: { index: 'plain' } }] });
    expect(await t.client.indices.getAlias({ name: 'plain' })).toEqual({ 'plain-v2': { aliases: { plain: { is_write_index: true } } } });
  });

  it('resets settings to their defaults with null', async () => {
    await t.client.indices.putSettings({ index: 'plain-v2', settings: { index: { refresh_interval: '30s', number_of_replicas: 0 } } });
    await t.client.indices.putSettings({ index: 'plain-v2', settings: { index: { refresh_interval: null, number_of_replicas: null } } as never });
    const got = await t.client.indices.getSettings({ index: 'plain-v2' });
    expect(got['plain-v2']!.settings!.index!.refresh_interval).toBeUndefined();
    expect(got['plain-v2']!.settings!.index!.number_of_replicas).toBe('1');
  });
});
