import { afterEach, describe, expect, it } from 'vitest';
import { failure, openTestClient, removeDir, tempDir, useTestClient } from '../helpers.js';
import { patternsIntersect } from '../../../src/engine/indices/template-patterns.js';
import { mergeDefaults, mergeTemplateMappings } from '../../../src/engine/indices/template-mappings.js';

const t = useTestClient();

afterEach(async () => {
  await t.client.indices.delete({ index: '*', expand_wildcards: 'all' }).catch(() => undefined);
  await t.client.indices.deleteIndexTemplate({ name: '*' });
  await t.client.cluster.deleteComponentTemplate({ name: '*' });
  await t.client.indices.deleteTemplate({ name: '*' });
});

describe('patternsIntersect', () => {
  it('finds a common name of two * patterns, or none', () => {
    expect(patternsIntersect('logs-*', 'logs-app-*')).toBe(true);
    expect(patternsIntersect('logs-*', '*-prod')).toBe(true);
    expect(patternsIntersect('a*', 'b*')).toBe(false);
    expect(patternsIntersect('*x', '*y')).toBe(false);
    expect(patternsIntersect('abc', 'a*c')).toBe(true);
    expect(patternsIntersect('abc', 'abd')).toBe(false);
    expect(patternsIntersect('*', 'anything')).toBe(true);
  });
});

describe('template mapping merges', () => {
  it('replaces a leaf field whole and merges objects, dotted names expanded (MergeReason.INDEX_TEMPLATE)', () => {
    const merged = mergeTemplateMappings([
      { properties: { 'o.a': { type: 'keyword' }, f: { type: 'text', fields: { raw: { type: 'keyword' } } } } },
      { properties: { o: { properties: { b: { type: 'long' } } }, f: { type: 'keyword' } } },
      { dynamic_templates: [{ s: { match: 'x' } }, { t: { match: 'y' } }] },
      { dynamic_templates: [{ s: { match: 'z' } }] },
    ]);
    expect(merged).toEqual({
      properties: { o: { properties: { a: { type: 'keyword' }, b: { type: 'long' } } }, f: { type: 'keyword' } },
      dynamic_templates: [{ t: { match: 'y' } }, { s: { match: 'z' } }],
    });
  });

  it('lets the request win over legacy templates and keeps what it lacks (mergeDefaults)', () => {
    expect(mergeDefaults({ properties: { a: { type: 'text' } } }, { properties: { a: { type: 'keyword' }, b: { type: 'long' } }, _source: { enabled: false } })).toEqual({
      properties: { a: { type: 'text' }, b: { type: 'long' } },
      _source: { enabled: false },
    });
  });
});

describe('composable index templates', () => {
  it('give a new index settings, mappings and aliases: components in order, the template over them, the request over all', async () => {
    await t.client.cluster.putComponentTemplate({ name: 'ct1', template: { settings: { number_of_replicas: 2, 'index.refresh_interval': '5s' }, mappings: { properties: { a: { type: 'text' } } }, aliases: { al: { is_write_index: false } } } });
    await t.client.cluster.putComponentTemplate({ name: 'ct2', template: { settings: { number_of_replicas: 0 }, mappings: { properties: { a: { type: 'keyword' } } } } });
    await t.client.indices.putIndexTemplate({ name: 'it', index_patterns: ['app-*'], composed_of: ['ct1', 'ct2'], priority: 5, template: { settings: { number_of_shards: 2 }, aliases: { al: { filter: { term: { a: 'x' } } }, '{index}-alias': {} } } });
    await t.client.indices.create({ index: 'app-1', settings: { number_of_shards: 3 }, mappings: { properties: { b: { type: 'long' } } } });
    const index = (await t.client.indices.get({ index: 'app-1' }))['app-1']!;
    expect(index.settings?.index?.number_of_shards).toBe('3');
    expect(index.settings?.index?.number_of_replicas).toBe('0');
    expect(index.settings?.index?.refresh_interval).toBe('5s');
    expect(index.mappings?.properties).toEqual({ a: { type: 'keyword' }, b: { type: 'long' } });
    expect(index.aliases).toEqual({ al: { filter: { term: { a: 'x' } } }, 'app-1-alias': {} });
  });

  it('the highest priority wins, and two of one priority may not overlap', async () => {
    await t.client.indices.putIndexTemplate({ name: 'low', index_patterns: ['p-*'], priority: 1, template: { settings: { number_of_shards: 2 } } });
    await t.client.indices.putIndexTemplate({ name: 'high', index_patterns: ['p-a*'], priority: 2, template: { settings: { number_of_shards: 4 } } });
    const clash = await failure(t.client.indices.putIndexTemplate({ name: 'same', index_patterns: ['*-x'], priority: 1 }));
    expect(clash.status).toBe(400);
    expect(clash.error.reason).toBe(
      'index template [same] has index patterns [*-x] matching patterns from existing templates [low] with patterns (low => [p-*]) that have the same priority [1], multiple index templates may not match during index creation, please use a different priority',
    );
    await t.client.indices.create({ index: 'p-ab' });
    await t.client.indices.create({ index: 'p-b' });
    const settings = await t.client.indices.getSettings({ index: 'p-*', flat_settings: true });
    expect(settings['p-ab']!.settings!['index.number_of_shards']).toBe('4');
    expect(settings['p-b']!.settings!['index.number_of_shards']).toBe('2');
  });

  it('applies to an index auto-created by a write, and allow_auto_create: false forbids it', async () => {
    await t.client.indices.putIndexTemplate({ name: 'auto', index_patterns: ['auto-*'], template: { mappings: { properties: { n: { type: 'keyword' } } } } });
    await t.client.index({ index: 'auto-1', document: { n: 5 } });
    expect((await t.client.indices.getMapping({ index: 'auto-1' }))['auto-1']!.mappings.properties).toEqual({ n: { type: 'keyword' } });
    await t.client.indices.putIndexTemplate({ name: 'noauto', index_patterns: ['na-*'], allow_auto_create: false });
    const refused = await failure(t.client.index({ index: 'na-1', document: { n: 1 } }));
    expect(refused.status).toBe(404);
    expect(refused.error.type).toBe('index_not_found_exception');
    expect(refused.error.reason).toBe('no such index [na-1] and composable template [na-*] forbids index auto creation');
    await t.client.indices.create({ index: 'na-2' });
  });

  it('refuses a template whose composition makes no valid index, and names what is missing', async () => {
    const missing = await failure(t.client.indices.putIndexTemplate({ name: 'm', index_patterns: ['m-*'], composed_of: ['nope'] }));
    expect(missing.error.type).toBe('invalid_index_template_exception');
    expect(missing.error.reason).toBe('index_template [m] invalid, cause [index template [m] specifies component templates [nope] that do not exist]');
    const bad = await failure(t.client.indices.putIndexTemplate({ name: 'b', index_patterns: ['b-*'], template: { mappings: { properties: { f: { type: 'text', analyzer: 'no_such_analyzer' } } } } }));
    expect(bad.status).toBe(400);
    expect(bad.error.reason).toBe('composable template [b] template after composition is invalid');
    const hidden = await failure(t.client.indices.putIndexTemplate({ name: 'g', index_patterns: ['*'], template: { settings: { 'index.hidden': true } } }));
    expect(hidden.error.reason).toContain('global composable templates may not specify the setting index.hidden');
    expect((await t.client.indices.getIndexTemplate()).index_templates).toEqual([]);
  });

  it('stores a data stream lifecycle in a component template, and refuses one on a template without data_stream', async () => {
    await t.client.cluster.putComponentTemplate({ name: 'lc', template: { lifecycle: { data_retention: '10d' } } });
    const got = await t.client.cluster.getComponentTemplate({ name: 'lc', include_defaults: true });
    expect(got.component_templates[0]!.component_template.template.lifecycle).toEqual({
      enabled: true,
      data_retention: '10d',
      rollover: { max_age: '1d [automatic]', max_primary_shard_size: '50gb', max_primary_shard_docs: 200000000, min_docs: 1 },
    });
    const refused = await failure(t.client.indices.putIndexTemplate({ name: 'nods', index_patterns: ['nods-*'], composed_of: ['lc'] }));
    expect(refused.error.reason).toBe('index template [nods] specifies lifecycle configuration that can only be used in combination with a data stream');
    const empty = await failure(t.client.indices.putIndexTemplate({ name: 'none', index_patterns: [] }));
    expect(empty.error.reason).toBe('Validation Failed: 1: index patterns are missing;');
  });

  it('a component template in use cannot be removed', async () => {
    await t.client.cluster.putComponentTemplate({ name: 'used', template: {} });
    await t.client.indices.putIndexTemplate({ name: 'user', index_patterns: ['u-*'], composed_of: ['used'] });
    const refused = await failure(t.client.cluster.deleteComponentTemplate({ name: 'used' }));
    expect(refused.error.reason).toBe('component templates [used] cannot be removed as they are still in use by index templates [user]');
  });

  it('a template naming data streams refuses a plain index, and a create write makes the stream instead', async () => {
    await t.client.indices.putIndexTemplate({ name: 'ds', index_patterns: ['logs-*'], data_stream: {} });
    const create = await failure(t.client.indices.create({ index: 'logs-a' }));
    expect(create.error.reason).toBe('cannot create index with name [logs-a], because it matches with template [ds] that creates data streams only, use create data stream api instead');
    const write = await t.client.index({ index: 'logs-b', op_type: 'create', document: { '@timestamp': '2020-01-01' } });
    expect(write._index).toMatch(/^\.ds-logs-b-\d{4}\.\d{2}\.\d{2}-000001$/);
    expect((await t.client.indices.getDataStream({ name: 'logs-b' })).data_streams[0]!.template).toBe('ds');
    await t.client.indices.deleteDataStream({ name: 'logs-b' });
  });

  it('hidden index creation skips global templates', async () => {
    await t.client.indices.putIndexTemplate({ name: 'global', index_patterns: ['*'], template: { settings: { number_of_shards: 3 } } });
    await t.client.indices.create({ index: 'visible' });
    await t.client.indices.create({ index: 'secret', settings: { 'index.hidden': true } });
    const settings = await t.client.indices.getSettings({ index: 'visible,secret', flat_settings: true });
    expect(settings.visible!.settings!['index.number_of_shards']).toBe('3');
    expect(settings.secret!.settings!['index.number_of_shards']).toBe('1');
  });
});

describe('legacy templates', () => {
  it('apply by order when no composable template matches, and a matching composable template wins over them', async () => {
    await t.client.indices.putTemplate({ name: 'lo', order: 0, index_patterns: ['l-*'], settings: { number_of_shards: 2, refresh_interval: '7s' }, mappings: { properties: { a: { type: 'keyword' } } } });
    await t.client.indices.putTemplate({ name: 'hi', order: 1, index_patterns: ['l-*'], settings: { number_of_shards: 3 }, mappings: { properties: { a: { type: 'text' }, b: { type: 'long' } } } });
    await t.client.indices.create({ index: 'l-1', mappings: { properties: { c: { type: 'date' } } } });
    const index = (await t.client.indices.get({ index: 'l-1' }))['l-1']!;
    expect(index.settings?.index?.number_of_shards).toBe('3');
    expect(index.settings?.index?.refresh_interval).toBe('7s');
    expect(index.mappings?.properties).toEqual({ a: { type: 'text' }, b: { type: 'long' }, c: { type: 'date' } });
    await t.client.indices.putIndexTemplate({ name: 'v2', index_patterns: ['l-2*'], template: { settings: { number_of_shards: 5 } } });
    await t.client.indices.create({ index: 'l-2' });
    const v2 = (await t.client.indices.get({ index: 'l-2' }))['l-2']!;
    expect(v2.settings?.index?.number_of_shards).toBe('5');
    expect(v2.mappings?.properties).toBeUndefined();
  });
});

describe('simulate', () => {
  it('resolves the template an index would get, with the overlapping templates', async () => {
    await t.client.indices.putTemplate({ name: 'legacy', index_patterns: ['s*'], settings: { number_of_shards: 5 } });
    await t.client.cluster.putComponentTemplate({ name: 'c', template: { mappings: { properties: { x: { type: 'keyword' } } } } });
    await t.client.indices.putIndexTemplate({ name: 'win', index_patterns: ['sim-*'], priority: 9, composed_of: ['c'], template: { settings: { number_of_replicas: 0 } } });
    await t.client.indices.putIndexTemplate({ name: 'lose', index_patterns: ['si*'], priority: 1 });
    const res = await t.client.indices.simulateIndexTemplate({ name: 'sim-1' });
    expect(res.template.settings).toEqual({ index: { number_of_replicas: '0' } });
    expect(res.template.mappings).toEqual({ properties: { x: { type: 'keyword' } } });
    expect(res.overlapping).toEqual([
      { name: 'legacy', index_patterns: ['s*'] },
      { name: 'lose', index_patterns: ['si*'] },
    ]);
    expect(await t.client.indices.simulateIndexTemplate({ name: 'other' })).toEqual({});
  });
});

describe('persistence', () => {
  it('keeps every kind of template across a restart', async () => {
    const dir = tempDir();
    try {
      const first = await openTestClient(dir);
      await first.client.cluster.putComponentTemplate({ name: 'c', template: { settings: { number_of_shards: 2 } } });
      await first.client.indices.putIndexTemplate({ name: 'i', index_patterns: ['r-*'], composed_of: ['c'], version: 3, _meta: { owner: 'me' } });
      await first.client.indices.putTemplate({ name: 'l', index_patterns: ['q-*'], order: 4 });
      await first.close();
      const second = await openTestClient(dir);
      expect((await second.client.indices.getIndexTemplate({ name: 'i' })).index_templates[0]!.index_template).toEqual({ index_patterns: ['r-*'], composed_of: ['c'], version: 3, _meta: { owner: 'me' } });
      expect((await second.client.indices.getTemplate({ name: 'l' })).l!.order).toBe(4);
      await second.client.indices.create({ index: 'r-1' });
      expect((await second.client.indices.getSettings({ index: 'r-1', flat_settings: true }))['r-1']!.settings!['index.number_of_shards']).toBe('2');
      await second.close();
    } finally {
      removeDir(dir);
    }
  });
});
