import { describe, expect, it } from 'vitest';
import { useTestClient } from './helpers.js';

type Meta = { statusCode: number; body: { error: { type: string; reason: string } } };
const failure = (p: Promise<unknown>): Promise<Meta> => p.then(() => { throw new Error('expected a failure'); }, (e: { meta: Meta }) => e.meta);

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'limited', settings: { 'index.analyze.max_token_count': 3, number_of_replicas: 0 } });
  await client.indices.create({ index: 'plain', settings: { number_of_replicas: 0 } });
});

describe('index.analyze.max_token_count', () => {
  it('lets _analyze produce up to the limit and fails one token past it, as TransportAnalyzeAction does', async () => {
    const { tokens } = await t.client.indices.analyze({ index: 'limited', analyzer: 'standard', text: 'one two three' });
    expect(tokens).toHaveLength(3);
    // the tokens of every text count together
    const error = await failure(t.client.indices.analyze({ index: 'limited', analyzer: 'standard', text: ['one two', 'three four'] }));
    expect(error.statusCode).toBe(500);
    expect(error.body.error.type).toBe('illegal_state_exception');
    expect(error.body.error.reason).toContain('exceeded the allowed maximum of [3]. This limit can be set by changing the [index.analyze.max_token_count] index level setting.');
  });

  it('fails an explain request past the limit with the same error rather than the explain refusal', async () => {
    const error = await failure(t.client.indices.analyze({ index: 'limited', analyzer: 'standard', text: 'one two three four', explain: true }));
    expect(error.body.error.type).toBe('illegal_state_exception');
  });

  it('bounds _analyze without an index by the default of 10000', async () => {
    const error = await failure(t.client.indices.analyze({ analyzer: 'whitespace', text: 'a '.repeat(10_001) }));
    expect(error.body.error.reason).toContain('allowed maximum of [10000]');
  });

  it('is a dynamic setting, checked for a positive int', async () => {
    await t.client.indices.putSettings({ index: 'plain', settings: { 'index.analyze.max_token_count': 1 } });
    await expect(failure(t.client.indices.analyze({ index: 'plain', text: 'two words' }))).resolves.toMatchObject({ statusCode: 500 });
    const error = await failure(t.client.indices.putSettings({ index: 'plain', settings: { 'index.analyze.max_token_count': 0 } }));
    expect(error.body.error.reason).toBe('Failed to parse value [0] for setting [index.analyze.max_token_count] must be >= 1');
  });
});

describe('updating settings of an open index', () => {
  it('updates the dynamic translog and merge scheduler settings', async () => {
    await t.client.indices.putSettings({ index: 'plain', settings: { 'index.translog.durability': 'async', 'index.merge.scheduler.max_thread_count': 1 } });
    const got = await t.client.indices.getSettings({ index: 'plain', flat_settings: true });
    expect(got.plain!.settings).toMatchObject({ 'index.translog.durability': 'async', 'index.merge.scheduler.max_thread_count': '1' });
  });

  it('refuses more merge threads than merges, as 8.19 MergeSchedulerConfig does, and leaves the settings unchanged', async () => {
    await t.client.indices.putSettings({ index: 'plain', settings: { 'index.merge.scheduler.max_merge_count': 4 } });
    const error = await failure(t.client.indices.putSettings({ index: 'plain', settings: { 'index.merge.scheduler.max_thread_count': 10 } }));
    expect(error.body.error).toMatchObject({ type: 'illegal_argument_exception', reason: 'maxThreadCount (= 10) should be <= maxMergeCount (= 4)' });
    const got = await t.client.indices.getSettings({ index: 'plain', flat_settings: true });
    expect(got.plain!.settings!['index.merge.scheduler.max_thread_count' as never]).toBe('1');
  });

  it('refuses a static setting unless the update asks to reopen the index', async () => {
    const error = await failure(t.client.indices.putSettings({ index: 'plain', settings: { 'index.codec': 'best_compression' } }));
    expect(error.body.error.reason).toMatch(/^Can't update non dynamic settings \[\[index\.codec\]\] for open indices \[\[plain\/.+\]\]$/);
    await t.client.indices.putSettings({ index: 'plain', reopen: true, settings: { 'index.codec': 'best_compression' } });
    const got = await t.client.indices.getSettings({ index: 'plain', flat_settings: true });
    expect(got.plain!.settings!['index.codec' as never]).toBe('best_compression');
  });

  it('refuses an unknown codec and an unknown translog durability', async () => {
    const codec = await failure(t.client.indices.create({ index: 'odd', settings: { 'index.codec': 'zstd-ish' } }));
    expect(codec.body.error.reason).toBe('unknown value for [index.codec] must be one of [default, best_compression] but was: zstd-ish');
    const durability = await failure(t.client.indices.putSettings({ index: 'plain', settings: { 'index.translog.durability': 'sometimes' } }));
    expect(durability.body.error.reason).toBe('No enum constant org.elasticsearch.index.translog.Translog.Durability.SOMETIMES');
  });
});

describe('index.auto_expand_replicas on one node', () => {
  it('sets number_of_replicas to the lower bound, so 0-1 is green', async () => {
    await t.client.indices.create({ index: 'expanding', settings: { auto_expand_replicas: '0-1' } });
    const got = await t.client.indices.getSettings({ index: 'expanding', flat_settings: true });
    expect(got.expanding!.settings!['index.number_of_replicas' as never]).toBe('0');
    const health = await t.client.cluster.health({ index: 'expanding', wait_for_status: 'green', timeout: '1s' });
    expect(health.status).toBe('green');
    await t.client.indices.putSettings({ index: 'expanding', settings: { auto_expand_replicas: '2-all' } });
    const after = await t.client.indices.getSettings({ index: 'expanding', flat_settings: true });
    expect(after.expanding!.settings!['index.number_of_replicas' as never]).toBe('2');
  });

  it('refuses a value that is not min-max', async () => {
    const error = await failure(t.client.indices.create({ index: 'bad-expand', settings: { auto_expand_replicas: '3' } }));
    expect(error.body.error.reason).toBe('failed to parse [index.auto_expand_replicas] from value: [3] at index -1');
  });
});

describe('deleting an alias by name', () => {
  it('is refused, unless unavailable names are ignored: then the alias is skipped and the named indices deleted', async () => {
    await t.client.indices.create({ index: 'aliased', aliases: { nickname: {} } });
    await t.client.indices.create({ index: 'doomed' });
    const error = await failure(t.client.indices.delete({ index: 'nickname' }));
    expect(error.body.error.reason).toBe('The provided expression [nickname] matches an alias, specify the corresponding concrete indices instead.');
    await t.client.indices.delete({ index: 'nickname,doomed', ignore_unavailable: true });
    expect(await t.client.indices.exists({ index: 'aliased' })).toBe(true);
    expect(await t.client.indices.exists({ index: 'doomed' })).toBe(false);
  });
});

describe('search size -1 in the URL', () => {
  it('means the default of 10 hits; other negative sizes are refused', async () => {
    await t.client.bulk({ index: 'plain', refresh: true, operations: Array.from({ length: 12 }, (_, i) => [{ index: { _id: String(i) } }, { n: i }]).flat() });
    const res = await t.client.search({ index: 'plain' }, { querystring: { size: -1 } });
    expect(res.hits.hits).toHaveLength(10);
    const error = await failure(t.client.search({ index: 'plain' }, { querystring: { size: -5 } }));
    expect(error.body.error.reason).toBe('[size] parameter cannot be negative, found [-5]');
  });
});

describe('keyword split_queries_on_whitespace', () => {
  it('splits the text of a match into terms once set by a mapping update, and refuses a phrase of several words', async () => {
    await t.client.indices.create({ index: 'tags', mappings: { properties: { tag: { type: 'keyword' } } } });
    await t.client.bulk({ index: 'tags', refresh: true, operations: [{ index: {} }, { tag: 'foo' }, { index: {} }, { tag: 'bar' }, { index: {} }, { tag: 'foo bar' }] });
    const before = await t.client.count({ index: 'tags', query: { match: { tag: 'foo bar' } } });
    expect(before.count).toBe(1);
    await t.client.indices.putMapping({ index: 'tags', properties: { tag: { type: 'keyword', split_queries_on_whitespace: true } } });
    const after = await t.client.count({ index: 'tags', query: { match: { tag: 'foo bar' } } });
    expect(after.count).toBe(2);
    const and = await t.client.count({ index: 'tags', query: { match: { tag: { query: 'foo bar', operator: 'and' } } } });
    expect(and.count).toBe(0);
    const error = await failure(t.client.count({ index: 'tags', query: { match_phrase: { tag: 'foo bar' } } }));
    expect(error.statusCode).toBe(400);
  });
});

describe('date math in index and alias names', () => {
  it('resolves an anchored expression in the name and aliases of a new index, and in alias actions', async () => {
    const created = await t.client.indices.create({ index: '<logs_http_{2022-12-31||/d{yyyy-MM-dd}}>', aliases: { '<logs_{2022-12-31||+1d{yyyy-MM-dd}}>': {} } });
    expect(created.index).toBe('logs_http_2022-12-31');
    expect(await t.client.indices.existsAlias({ name: 'logs_2023-01-01' })).toBe(true);
    await t.client.indices.updateAliases({ actions: [{ add: { index: '<logs_http_{2022-12-31||/d{yyyy-MM-dd}}>', alias: '<day_{2022.12.31||/M{yyyy.MM.dd}}>' } }] });
    expect(await t.client.indices.existsAlias({ name: 'day_2022.12.01', index: 'logs_http_2022-12-31' })).toBe(true);
  });
});

describe('highlight max_analyzed_offset and number_of_fragments as 8.19 parses them', () => {
  it('reads max_analyzed_offset -1 as the index limit and refuses 0, < -1 and a negative number_of_fragments while parsing', async () => {
    await t.client.indices.create({ index: 'long-text', settings: { 'index.highlight.max_analyzed_offset': 30 }, mappings: { properties: { body: { type: 'text' } } } });
    await t.client.index({ index: 'long-text', id: '1', refresh: true, document: { body: 'The quick brown fox went to the forest and saw another fox.' } });
    const res = await t.client.search({ index: 'long-text', query: { match: { body: 'fox' } }, highlight: { fields: { body: {} }, max_analyzed_offset: -1 } });
    expect(res.hits.hits[0]!.highlight!.body).toEqual(['The quick brown <em>fox</em> went to the forest and saw another fox.']);
    for (const highlight of [{ max_analyzed_offset: 0 }, { max_analyzed_offset: -10 }, { number_of_fragments: -1 }, { number_of_fragments: 100_001 }]) {
      const error = await failure(t.client.search({ index: 'long-text', query: { match: { body: 'fox' } }, highlight: { fields: { body: {} }, ...highlight } }));
      expect(error.body.error.type).toBe('x_content_parse_exception');
    }
  });
});
