import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from './helpers.js';

/**
 * Answers and error types the REST YAML conformance run (npm run conformance) found wrong, through
 * the real client: each as Elasticsearch 8 gives it (the YAML test it comes from is named).
 */
const t = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'nums', { settings: { 'index.max_result_window': 2, 'index.max_docvalue_fields_search': 2 } }, [
    ['1', { n: 1, k: 'a', j: 'x' }],
    ['2', { n: 2, k: 'b', j: 'y' }],
  ]);
});

describe('error types as Elasticsearch gives them', () => {
  it('put_alias with an unknown body field is "Unsupported field [x]" (indices.put_alias/10_basic)', async () => {
    const f = await failure(t.client.indices.putAlias({ index: 'nums', name: 'al', body: { is_write_index: true, foo: 'bar' } } as never));
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('illegal_argument_exception');
    expect(f.error.reason).toBe('Unsupported field [foo]');
  });

  it('too many docvalue_fields is refused before any field is loaded (search/30_limits)', async () => {
    const f = await failure(t.client.search({ index: 'nums', docvalue_fields: ['n', 'k', 'j'] }));
    expect(f.status).toBe(400);
    // a shard failure: the search_phase_execution_exception's root cause names it
    expect(String((f.error.root_cause as Array<Record<string, unknown>>)[0]!.reason)).toContain('Trying to retrieve too many docvalue_fields. Must be less than or equal to: [2] but was [3].');
  });

  it('an ids query above max_result_window is a query_shard_exception, checked before the window (search/630_ids_query)', async () => {
    const f = await failure(t.client.search({ index: 'nums', query: { ids: { values: ['1', '2', '3'] } } }));
    expect(f.status).toBe(400);
    const root = (f.error.root_cause as Array<Record<string, unknown>>)[0]!;
    expect(root.type).toBe('query_shard_exception');
    expect(root.reason).toBe('failed to create query: Too many ids specified, allowed max result window is [2]');
    // two ids and size 2 are within both limits
    const ok = await t.client.search({ index: 'nums', size: 2, query: { ids: { values: ['1', '2'] } } });
    expect(ok.hits.hits).toHaveLength(2);
  });

  it('a date-math index name is resolved before the lookup (search/80_indices_options)', async () => {
    const f = await failure(t.client.search({ index: '<logstash-{now/M}>' }));
    expect(f.status).toBe(404);
    const now = new Date();
    const month = `${now.getUTCFullYear()}.${String(now.getUTCMonth() + 1).padStart(2, '0')}.01`;
    expect(f.error.reason).toBe(`no such index [logstash-${month}]`);
    await t.client.indices.create({ index: `dm-${month}` });
    const found = await t.client.search({ index: '<dm-{now/M}>' });
    expect(found.hits.hits).toEqual([]);
  });

  it('buckets_path through a multi-bucket aggregation names the Java value class (search.aggregation/300_pipeline)', async () => {
    const through = await failure(
      t.client.search({
        index: 'nums',
        size: 0,
        aggs: {
          t1: { terms: { field: 'n' }, aggs: { t2: { terms: { field: 'n' }, aggs: { m: { max: { field: 'n' } } } } } },
          bad: { max_bucket: { buckets_path: 't1>t2>m' } },
        },
      }),
    );
    expect(through.error.reason).toMatch(/got: \[Object\[\]\] at aggregation \[t2\]/);
    const on = await failure(
      t.client.search({ index: 'nums', size: 0, aggs: { t1: { terms: { field: 'n' }, aggs: { t2: { terms: { field: 'n' } } } }, bad: { max_bucket: { buckets_path: 't1>t2' } } } }),
    );
    expect(on.error.reason).toMatch(/got: \[LongTerms\] at aggregation \[t2\]/);
  });

  it('a sibling buckets_path naming no aggregation fails even when no bucket exists (search.aggregation/500_max_bucket)', async () => {
    const f = await failure(
      t.client.search({
        index: 'nums',
        size: 0,
        query: { match: { missing_field: 'x' } },
        aggs: { h: { histogram: { field: 'n', interval: 1 }, aggs: { v: { avg: { field: 'n' } } } }, d: { max_bucket: { buckets_path: 'h>w' } } },
      }),
    );
    expect(f.status).toBe(400);
    expect(f.error.type).toBe('action_request_validation_exception');
    expect(f.error.reason).toBe('Validation Failed: 1: No aggregation [w] found for path [h>w];');
    // the right path answers (null: no buckets)
    const ok = await t.client.search({
      index: 'nums',
      size: 0,
      query: { match: { missing_field: 'x' } },
      aggs: { h: { histogram: { field: 'n', interval: 1 }, aggs: { v: { avg: { field: 'n' } } } }, d: { max_bucket: { buckets_path: 'h>v' } } },
    });
    expect((ok.aggregations!.d as { value: unknown }).value).toBeNull();
  });
});

describe('fields API refusals (search/330_fetch_fields, search/520_fetch_fields)', () => {
  it('fields with _source disabled is a 400', async () => {
    await createIndexWithDocs(t.client, 'nosource', { mappings: { _source: { enabled: false }, properties: { keyword: { type: 'keyword' } } } }, [['1', { keyword: ['a'] }]]);
    const f = await failure(t.client.search({ index: 'nosource', fields: ['keyword'] }));
    expect(f.status).toBe(400);
    expect(f.error.reason).toBe('Unable to retrieve the requested [fields] since _source is disabled in the mappings for index [nosource]');
    // docvalue_fields still answer there
    const dv = await t.client.search({ index: 'nosource', docvalue_fields: ['keyword'] });
    expect(dv.hits.hits[0]!.fields).toEqual({ keyword: ['a'] });
  });

  it('_seq_no in fields is an illegal_argument_exception', async () => {
    const f = await failure(t.client.search({ index: 'nums', fields: ['_seq_no'] }));
    expect(f.status).toBe(400);
    expect((f.error.root_cause as Array<Record<string, unknown>>)[0]!.type).toBe('illegal_argument_exception');
  });
});

describe('segments sorted by @timestamp (search/380_sort_segments_on_timestamp)', () => {
  it('an index created with a date @timestamp reads its newest segment first', async () => {
    await t.client.indices.create({ index: 'ts1', mappings: { properties: { '@timestamp': { type: 'date' } } } });
    await t.client.index({ index: 'ts1', id: 'old', document: { '@timestamp': '2021-08-01' }, refresh: true });
    await t.client.index({ index: 'ts1', id: 'new', document: { '@timestamp': '2021-08-02' }, refresh: true });
    const r = await t.client.search({ index: 'ts1' });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['new', 'old']);
  });

  it('an index whose @timestamp was added dynamically keeps segment creation order', async () => {
    await t.client.indices.create({ index: 'ts2' });
    await t.client.index({ index: 'ts2', id: 'old', document: { '@timestamp': '2021-08-01' }, refresh: true });
    await t.client.index({ index: 'ts2', id: 'new', document: { '@timestamp': '2021-08-02' }, refresh: true });
    const r = await t.client.search({ index: 'ts2' });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['old', 'new']);
  });
});

describe('mixed numeric sorts across indices (search/95_sort_mixed_numeric_types)', () => {
  it('a missing value sorts as its own index type sentinel: integer before long', async () => {
    await createIndexWithDocs(t.client, 'mix_long', { mappings: { properties: { f: { type: 'long' } } } }, [['l1', { f: 5 }], ['l2', {}]]);
    await createIndexWithDocs(t.client, 'mix_int', { mappings: { properties: { f: { type: 'integer' } } } }, [['i1', { f: 6 }], ['i2', {}]]);
    const r = await t.client.search({ index: 'mix_long,mix_int', sort: [{ f: { order: 'asc' } }] });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['l1', 'i1', 'i2', 'l2']);
    expect(r.hits.hits.slice(0, 3).map((h) => h.sort![0])).toEqual([5, 6, 2147483647]);
    // Long.MAX_VALUE (exact on the wire; the client's JSON.parse reads it as a double)
    expect(Number(r.hits.hits[3]!.sort![0])).toBeGreaterThan(2 ** 62);
    const after = await t.client.search({ index: 'mix_long,mix_int', sort: [{ f: { order: 'asc' } }], search_after: [6] });
    expect(after.hits.hits.map((h) => h._id)).toEqual(['i2', 'l2']);
  });
});

describe('top_hits inherits from the search (search.aggregation/200_top_hits)', () => {
  it('named queries and fields of the search show on top_hits hits', async () => {
    await createIndexWithDocs(t.client, 'th', { mappings: { properties: { page: { type: 'integer' }, text: { type: 'text' } } } }, [
      ['1', { page: 1, text: 'the quick fox' }],
      ['2', { page: 2, text: 'the snack' }],
    ]);
    const r = await t.client.search({
      index: 'th',
      fields: ['page'],
      query: { bool: { should: [{ match: { text: { query: 'the', _name: 'the' } } }, { match: { text: { query: 'snack', _name: 'snack' } } }] } },
      aggs: { p: { terms: { field: 'page' }, aggs: { top: { top_hits: {} } } } },
    });
    const buckets = (r.aggregations!.p as { buckets: Array<{ key: number; top: { hits: { hits: Array<Record<string, unknown>> } } }> }).buckets;
    expect(buckets.map((b) => b.top.hits.hits[0]!.matched_queries)).toEqual([['the'], ['the', 'snack']]);
    expect(buckets.map((b) => b.top.hits.hits[0]!.fields)).toEqual([{ page: [1] }, { page: [2] }]);
    // its own `fields` wins
    const own = await t.client.search({ index: 'th', fields: ['page'], aggs: { top: { top_hits: { fields: ['text'] } } } });
    expect((own.aggregations!.top as { hits: { hits: Array<Record<string, unknown>> } }).hits.hits[0]!.fields).toEqual({ text: ['the quick fox'] });
  });
});

describe('java-time offset styles (search.aggregation/49_range_timezone_bug)', () => {
  it('ZZZZZ prints the offset with a colon, in the aggregation time zone', async () => {
    await createIndexWithDocs(t.client, 'tz', { mappings: { properties: { d: { type: 'date', format: "uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSZZZZZ" } } } }, [
      ['1', { d: '2021-08-12T01:00:00.000000000+02:00' }],
    ]);
    const r = await t.client.search({
      index: 'tz',
      size: 0,
      aggs: { r: { date_range: { field: 'd', time_zone: 'America/New_York', ranges: [{ from: '2021-08-12T00:00:00.000000000+02:00', to: '2021-08-12T02:00:00.000000000+02:00' }] } } },
    });
    const bucket = (r.aggregations!.r as { buckets: Array<Record<string, unknown>> }).buckets[0]!;
    expect(bucket.from_as_string).toBe('2021-08-11T18:00:00.000000000-04:00');
    expect(bucket.to_as_string).toBe('2021-08-11T20:00:00.000000000-04:00');
    expect(bucket.doc_count).toBe(1);
  });
});

describe('put_alias and index.mode refusals', () => {
  it('put_alias refuses an array routing (indices.put_alias/10_basic)', async () => {
    const f = await failure(t.client.indices.putAlias({ index: 'nums', name: 'al2', body: { routing: ['r'] } } as never));
    expect(f.status).toBe(400);
    expect(String(f.error.reason)).toMatch(/ Unexpected token \[START_ARRAY\]/);
  });

  it('index.mode lookup is refused naming the feature, an unknown mode as IndexMode.fromString does; standard is accepted', async () => {
    const f = await failure(t.client.indices.create({ index: 'logs1', settings: { index: { mode: 'lookup' } } as never }));
    expect(f.status).toBe(400);
    expect(f.error.reason).toBe('[index.mode [lookup]] is not supported by the indexkit embedded engine');
    const unknown = await failure(t.client.indices.create({ index: 'logs2', settings: { index: { mode: 'columnar' } } as never }));
    expect(unknown.error.reason).toBe('[columnar] is an invalid index mode, valid modes are: [standardtime_serieslogsdblookup]');
    await t.client.indices.create({ index: 'std1', settings: { index: { mode: 'standard' } } as never });
    expect(await t.client.indices.exists({ index: 'std1' })).toBe(true);
  });
});

describe('get_settings include_defaults (indices.get_settings/30_defaults)', () => {
  it('lists the defaults of the settings the index does not set, next to settings', async () => {
    await t.client.indices.create({ index: 'defs', settings: { number_of_shards: 1, max_result_window: 50 } });
    const plain = await t.client.indices.getSettings({ index: 'defs', flat_settings: true });
    expect(plain.defs!.settings!['index.refresh_interval' as never]).toBeUndefined();
    expect((plain.defs as Record<string, unknown>).defaults).toBeUndefined();
    const r = await t.client.indices.getSettings({ index: 'defs', flat_settings: true, include_defaults: true });
    const defaults = r.defs!.defaults as Record<string, unknown>;
    expect(defaults['index.refresh_interval']).toBe('1s');
    // a setting the index sets is not a default
    expect(defaults['index.max_result_window']).toBeUndefined();
    expect(r.defs!.settings!['index.max_result_window' as never]).toBe('50');
    const nested = await t.client.indices.getSettings({ index: 'defs', include_defaults: true });
    expect((nested.defs!.defaults as { index: Record<string, unknown> }).index.refresh_interval).toBe('1s');
  });
});

describe('_stats indexing counters (bulk/12_noop)', () => {
  it('counts index operations and noop updates; a metric the engine cannot report is refused', async () => {
    await t.client.indices.create({ index: 'st' });
    await t.client.bulk({ refresh: true, operations: [{ create: { _index: 'st', _id: '1' } }, { foo: 'bar' }, { create: { _index: 'st', _id: '2' } }, { foo: 'bar' }] });
    const before = await t.client.indices.stats({ index: 'st' });
    expect(before.indices!.st!.total!.indexing).toMatchObject({ index_total: 2, noop_update_total: 0 });
    const upd = await t.client.bulk({ operations: [{ update: { _index: 'st', _id: '1' } }, { doc: { foo: 'bar' } }] });
    expect((upd.items[0]!.update as { result: string }).result).toBe('noop');
    const after = await t.client.indices.stats({ index: 'st', metric: 'indexing' });
    expect(after.indices!.st!.primaries!.indexing).toMatchObject({ index_total: 2, noop_update_total: 1 });
    expect(after.indices!.st!.primaries!.docs).toBeUndefined();
    const f = await failure(t.client.indices.stats({ index: 'st', metric: 'search' }));
    expect(f.status).toBe(400);
    expect(f.error.reason).toBe('[_stats metric [search]] is not supported by the indexkit embedded engine');
  });
});

describe('longs beyond 2^53 in responses (search/10_source_filtering bigint)', () => {
  it('a filtered _source prints the long exactly, not JavaScript shortest double text', async () => {
    await createIndexWithDocs(t.client, 'big', {}, [['1', { bigint: 72057594037927936, other: 1 }]]);
    const stream = (await t.client.search({ index: 'big', _source: ['bigint'] }, { asStream: true })) as unknown as AsyncIterable<Buffer>;
    let text = '';
    for await (const chunk of stream) text += chunk.toString();
    expect(text).toContain('"_source":{"bigint":72057594037927936}');
  });
});

describe('double values in fields keep their Java type (search/330_fetch_fields)', () => {
  it('an integral double prints as 11.0, with and without filter_path', async () => {
    await createIndexWithDocs(t.client, 'dbl', { mappings: { properties: { price: { type: 'double' }, n: { type: 'integer' } } } }, [['1', { price: 11, n: 3 }]]);
    const read = async (params: Record<string, unknown>): Promise<string> => {
      const stream = (await t.client.search({ index: 'dbl', fields: ['price', 'n'], _source: false, ...params }, { asStream: true })) as unknown as AsyncIterable<Buffer>;
      let text = '';
      for await (const chunk of stream) text += chunk.toString();
      return text;
    };
    const text = await read({});
    expect(text).toContain('"price":[11.0]');
    expect(text).toContain('"n":[3]');
    expect(await read({ filter_path: 'hits.hits.fields' })).toBe('{"hits":{"hits":[{"fields":{"price":[11.0],"n":[3]}}]}}');
  });
});

describe('fields inside doubly nested objects (search/330_fetch_fields "Test doubly nested fields")', () => {
  it('groups the inner nested objects inside each outer one', async () => {
    await createIndexWithDocs(
      t.client,
      'dn',
      { mappings: { properties: { user: { type: 'nested', properties: { first: { type: 'keyword' }, address: { type: 'nested', properties: { city: { type: 'keyword' } } } } } } } },
      [['1', { user: [{ first: 'John', address: { city: 'Berlin' } }, { first: 'Alice', address: [{ city: 'Toronto' }, { city: 'Ottawa' }] }, { first: 'Bob' }] }]],
    );
    const r = await t.client.search({ index: 'dn', _source: false, fields: ['*'] });
    expect(r.hits.hits[0]!.fields).toEqual({
      user: [
        { first: ['John'], address: [{ city: ['Berlin'] }] },
        { first: ['Alice'], address: [{ city: ['Toronto'] }, { city: ['Ottawa'] }] },
        { first: ['Bob'] },
      ],
    });
  });
});

describe('number markers in the response writer', () => {
  it("a document's own string shaped like the writer's marker stays a string next to a long", async () => {
    await createIndexWithDocs(t.client, 'mark', {}, [['1', { big: 72057594037927936, s: '\u0000exact:123\u0000' }]]);
    const stream = (await t.client.search({ index: 'mark', _source: ['big', 's'] }, { asStream: true })) as unknown as AsyncIterable<Buffer>;
    let text = '';
    for await (const chunk of stream) text += chunk.toString();
    expect(text).toContain('"big":72057594037927936');
    expect(JSON.parse(text).hits.hits[0]._source.s).toBe('\u0000exact:123\u0000');
  });
});
