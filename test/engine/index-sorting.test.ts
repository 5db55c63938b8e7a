import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, openTestClient, removeDir, tempDir, useTestClient } from './helpers.js';

const t = useTestClient();

/** The `_id`s of a match_all (every score 1: hits tied on score come in segment, then doc, order). */
async function idsInDocOrder(index: string, sort?: string[]): Promise<string[]> {
  const result = await t.client.search({ index, size: 100, query: { match_all: {} }, ...(sort ? { sort } : {}) });
  return result.hits.hits.map((hit) => hit._id!);
}

describe('index.sort.*: validation at index creation, as IndexSortConfig', () => {
  it('refuses an unknown field, a field without doc values, nested fields, lists of different lengths and bad values', async () => {
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, string]> = [
      [{ 'index.sort.field': 'nope' }, { n: { type: 'long' } }, 'unknown index sort field:[nope]'],
      [{ 'index.sort.field': 'body' }, { body: { type: 'text' } }, 'docvalues not found for index sort field:[body]'],
      [{ 'index.sort.field': 'k' }, { k: { type: 'keyword', doc_values: false } }, 'docvalues not found for index sort field:[k]'],
      [{ 'index.sort.field': ['n', 'k'], 'index.sort.order': ['desc'] }, { n: { type: 'long' }, k: { type: 'keyword' } }, 'index.sort.field:[n, k] index.sort.order:[desc], size mismatch'],
      [{ 'index.sort.field': 'n', 'index.sort.mode': ['min', 'max'] }, { n: { type: 'long' } }, 'index.sort.field:[n] index.sort.mode:[MIN, MAX], size mismatch'],
      [{ 'index.sort.field': 'n', 'index.sort.order': 'up' }, { n: { type: 'long' } }, 'Illegal sort order:up'],
      [{ 'index.sort.field': 'n', 'index.sort.mode': 'avg' }, { n: { type: 'long' } }, 'Illegal index sort mode:[AVG], must be one of [MAX, MIN]'],
      [{ 'index.sort.field': 'n', 'index.sort.missing': 'nowhere' }, { n: { type: 'long' } }, 'Illegal missing value:[nowhere], must be one of [_last, _first]'],
      [{ 'index.sort.field': 'n' }, { n: { type: 'long' }, kids: { type: 'nested' } }, 'cannot have nested fields when index sort is activated'],
    ];
    for (const [settings, properties, reason] of cases) {
      const refused = await failure(t.client.indices.create({ index: 'bad-sort', settings, mappings: { properties } as never }));
      expect(refused.status, reason).toBe(400);
      expect(refused.error.reason).toBe(reason);
      expect(await t.client.indices.exists({ index: 'bad-sort' })).toBe(false);
    }
  });

  it('keeps the settings final, and refuses a nested field added later', async () => {
    await t.client.indices.create({ index: 'final-sort', settings: { sort: { field: 'n' } }, mappings: { properties: { n: { type: 'long' } } } });
    const got = await t.client.indices.getSettings({ index: 'final-sort', flat_settings: true });
    expect(got['final-sort']!.settings!['index.sort.field' as never]).toBe('n');
    const update = await failure(t.client.indices.putSettings({ index: 'final-sort', settings: { 'index.sort.order': 'desc' } }));
    expect(update.error.reason).toBe('final index setting [index.sort.order], not updateable');
    const nested = await failure(t.client.indices.putMapping({ index: 'final-sort', properties: { kids: { type: 'nested' } } }));
    expect(nested.error.reason).toBe('cannot have nested fields when index sort is activated');
  });
});

describe('documents in index order within each segment', () => {
  const values = [5, 1, 9, 3, 7, 2, 8];

  it('lays a refreshed segment out by the sort, so score ties and _doc follow it', async () => {
    await createIndexWithDocs(t.client, 'by-n-desc', { settings: { number_of_replicas: 0, 'index.sort.field': 'n', 'index.sort.order': 'desc' }, mappings: { properties: { n: { type: 'long' } } } }, values.map((n) => [`d${n}`, { n }]));
    const expected = [...values].sort((a, b) => b - a).map((n) => `d${n}`);
    expect(await idsInDocOrder('by-n-desc')).toEqual(expected);
    expect(await idsInDocOrder('by-n-desc', ['_doc'])).toEqual(expected);
    // an unsorted index keeps the indexing order
    await createIndexWithDocs(t.client, 'unsorted', { settings: { number_of_replicas: 0 }, mappings: { properties: { n: { type: 'long' } } } }, values.map((n) => [`d${n}`, { n }]));
    expect(await idsInDocOrder('unsorted')).toEqual(values.map((n) => `d${n}`));
  });

  it('finds every doc by its terms after the reordering (postings remapped)', async () => {
    await createIndexWithDocs(t.client, 'terms-sorted', { settings: { number_of_replicas: 0, 'index.sort.field': 'n' }, mappings: { properties: { n: { type: 'long' }, tag: { type: 'keyword' }, body: { type: 'text' } } } }, values.map((n) => [`d${n}`, { n, tag: n % 2 ? 'odd' : 'even', body: `word${n} common common` }]));
    const odd = await t.client.search({ index: 'terms-sorted', query: { term: { tag: 'odd' } } });
    expect(odd.hits.hits.map((hit) => hit._id)).toEqual(values.filter((n) => n % 2).sort((a, b) => a - b).map((n) => `d${n}`));
    const phrase = await t.client.search({ index: 'terms-sorted', query: { match_phrase: { body: 'word7 common' } } });
    expect(phrase.hits.hits.map((hit) => hit._id)).toEqual(['d7']);
    const doc = await t.client.get({ index: 'terms-sorted', id: 'd9' });
    expect(doc._source).toMatchObject({ n: 9 });
  });

  it('sorts keywords with missing values first and the max of multi-valued docs', async () => {
    await createIndexWithDocs(
      t.client,
      'by-k',
      { settings: { number_of_replicas: 0, 'index.sort.field': 'k', 'index.sort.mode': 'max', 'index.sort.missing': '_first' }, mappings: { properties: { k: { type: 'keyword' } } } },
      [['b', { k: 'b' }], ['none', {}], ['az', { k: ['a', 'z'] }], ['c', { k: 'c' }]],
    );
    expect(await idsInDocOrder('by-k')).toEqual(['none', 'b', 'c', 'az']);
  });

  it('sorts booleans (false first) and dates by their instant', async () => {
    await createIndexWithDocs(t.client, 'by-flag-date', { settings: { number_of_replicas: 0, 'index.sort.field': ['flag', 'at'], 'index.sort.order': ['asc', 'desc'] }, mappings: { properties: { flag: { type: 'boolean' }, at: { type: 'date' } } } }, [
      ['t-old', { flag: true, at: '2021-01-01' }],
      ['f-old', { flag: false, at: '2021-01-01' }],
      ['t-new', { flag: 'true', at: '2021-06-01T10:00:00Z' }],
      ['f-new', { flag: false, at: 1_700_000_000_000 }],
    ]);
    expect(await idsInDocOrder('by-flag-date')).toEqual(['f-new', 'f-old', 't-new', 't-old']);
  });

  it('sorts the docs of merged segments, keeping deletes out', async () => {
    await t.client.indices.create({ index: 'merged', settings: { number_of_replicas: 0, 'index.sort.field': 'n', 'index.sort.order': 'desc' }, mappings: { properties: { n: { type: 'long' } } } });
    const many = [4, 11, 2, 10, 6, 1, 3, 9, 12, 5, 7, 8];
    for (const n of many) await t.client.index({ index: 'merged', id: `d${n}`, document: { n }, refresh: true });
    await t.client.delete({ index: 'merged', id: 'd9', refresh: true });
    const ids = await idsInDocOrder('merged');
    expect([...ids].sort()).toEqual(many.filter((n) => n !== 9).map((n) => `d${n}`).sort());
    // one refresh per doc makes more segments than the merge policy keeps: the ten smallest were
    // merged into one segment whose docs come in descending n, the others stay one doc each
    const numbers = ids.map((id) => Number(id.slice(1)));
    let longestDescendingRun = 1;
    for (let i = 1, run = 1; i < numbers.length; i++) longestDescendingRun = Math.max(longestDescendingRun, (run = numbers[i]! < numbers[i - 1]! ? run + 1 : 1));
    expect(longestDescendingRun).toBeGreaterThanOrEqual(9);
  });
});

describe('a sorted index reopened', () => {
  it('keeps its sort: the docs it loads back are laid out in index order again', async () => {
    const dir = tempDir();
    try {
      const first = await openTestClient(dir);
      await first.client.indices.create({ index: 'kept', settings: { number_of_replicas: 0, 'index.sort.field': 'n', 'index.sort.order': 'desc' }, mappings: { properties: { n: { type: 'long' } } } });
      await first.client.bulk({ refresh: true, operations: [3, 1, 2].flatMap((n) => [{ index: { _index: 'kept', _id: `d${n}` } }, { n }]) });
      await first.client.indices.flush({ index: 'kept' });
      await first.client.index({ index: 'kept', id: 'd5', document: { n: 5 } });
      await first.close();
      const second = await openTestClient(dir);
      try {
        const result = await second.client.search({ index: 'kept', query: { match_all: {} } });
        expect(result.hits.hits.map((hit) => hit._id)).toEqual(['d5', 'd3', 'd2', 'd1']);
        const refused = await failure(second.client.indices.putSettings({ index: 'kept', settings: { 'index.sort.field': 'x' } }));
        expect(refused.status).toBe(400);
      } finally {
        await second.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe('index sorting on ip and date_nanos fields', () => {
  /** An address as 16 bytes (IPv4 as IPv4-mapped IPv6, as InetAddressPoint encodes it), written out here as hex. */
  function ipBytes(address: string): string {
    if (address.includes('.')) return `${'00'.repeat(10)}ffff${address.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('')}`;
    const [head, tail] = address.split('::') as [string, string | undefined];
    const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
    const left = groups(head);
    const right = groups(tail);
    const all = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
    return all.map((g) => g.padStart(4, '0')).join('');
  }

  it('lays segments out by the address bytes (IPv6 before and after IPv4-mapped ones), missing last', async () => {
    const ips = ['10.0.0.2', '2001:db8::1', '9.255.0.1', '::1', '192.168.0.1', 'fe80::1'];
    const docs: Array<[string, Record<string, unknown>]> = ips.map((ip, i) => [`d${i}`, { ip }]);
    docs.push(['none', {}]);
    await createIndexWithDocs(t.client, 'by-ip', { settings: { number_of_replicas: 0, 'index.sort.field': 'ip' }, mappings: { properties: { ip: { type: 'ip' } } } }, docs);
    const expected = ips.map((ip, i) => ({ id: `d${i}`, key: ipBytes(ip) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((e) => e.id);
    expect(await idsInDocOrder('by-ip')).toEqual([...expected, 'none']);
    await createIndexWithDocs(t.client, 'by-ip-desc', { settings: { number_of_replicas: 0, 'index.sort.field': 'ip', 'index.sort.order': 'desc', 'index.sort.missing': '_first' }, mappings: { properties: { ip: { type: 'ip' } } } }, docs);
    expect(await idsInDocOrder('by-ip-desc')).toEqual(['none', ...[...expected].reverse()]);
  });

  it('lays segments out by the exact nanoseconds, apart within one millisecond', async () => {
    const dates = ['2020-01-01T00:00:00.000000300Z', '2020-01-01T00:00:00.000000001Z', '2019-12-31T23:59:59.999999999Z', '2020-01-01T00:00:00.000000020Z', '2020-01-01T00:00:00.001Z'];
    const nanos = (text: string): bigint => BigInt(Date.parse(text.slice(0, 19) + 'Z')) * 1_000_000n + BigInt(text.slice(20, -1).padEnd(9, '0'));
    await createIndexWithDocs(t.client, 'by-nanos', { settings: { number_of_replicas: 0, 'index.sort.field': 'd', 'index.sort.order': 'desc' }, mappings: { properties: { d: { type: 'date_nanos' } } } }, dates.map((d, i) => [`d${i}`, { d }]));
    const expected = dates.map((d, i) => ({ id: `d${i}`, n: nanos(d) })).sort((a, b) => (a.n < b.n ? 1 : a.n > b.n ? -1 : 0)).map((e) => e.id);
    expect(await idsInDocOrder('by-nanos')).toEqual(expected);
  });
});
