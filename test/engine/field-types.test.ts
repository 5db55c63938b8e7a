import { describe, expect, it } from 'vitest';
import { formatIp, parseCidr, parseIp } from '../../src/engine/ip-address.js';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient();

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id)).sort();

describe('ip addresses as Elasticsearch prints them', () => {
  it('parses IPv4 and IPv6 literals and prints them as InetAddresses.toAddrString', () => {
    const print = (s: string): string | undefined => {
      const bytes = parseIp(s);
      return bytes ? formatIp(bytes) : undefined;
    };
    expect(print('192.168.0.1')).toBe('192.168.0.1');
    expect(print('2001:0DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(print('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(print('fe80:0:0:1:0:0:0:1')).toBe('fe80:0:0:1::1');
    expect(print('::')).toBe('::');
    expect(print('01.2.3.4')).toBeUndefined();
    expect(print('1::2::3')).toBeUndefined();
    expect(print('256.1.1.1')).toBeUndefined();
    const [lo, hi] = parseCidr('10.1.0.0/16')!;
    expect([formatIp(lo), formatIp(hi)]).toEqual(['10.1.0.0', '10.1.255.255']);
  });
});

describe('field types binary, ip, geo_point', () => {
  it('binary: stored as base64, exists, docvalue_fields, not searchable', async () => {
    await t.client.indices.create({ index: 'bin', mappings: { properties: { blob: { type: 'binary', doc_values: true }, raw: { type: 'binary', store: true } } } });
    await t.client.index({ index: 'bin', id: '1', document: { blob: 'YWJjZGUxMjM0', raw: 'aGVsbG8=' }, refresh: true });
    await t.client.index({ index: 'bin', id: '2', document: {}, refresh: true });
    const mapping = await t.client.indices.getMapping({ index: 'bin' });
    expect(mapping.bin!.mappings.properties).toEqual({ blob: { type: 'binary', doc_values: true }, raw: { type: 'binary', store: true } });
    // exists works with and without doc values
    expect(ids(await t.client.search({ index: 'bin', query: { exists: { field: 'blob' } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'bin', query: { exists: { field: 'raw' } } }))).toEqual(['1']);
    const res = await t.client.search({ index: 'bin', query: { ids: { values: ['1'] } }, docvalue_fields: ['blob'], stored_fields: ['raw'] });
    expect(res.hits.hits[0]!.fields).toEqual({ raw: ['aGVsbG8='], blob: ['YWJjZGUxMjM0'] });
    const term = await failure(t.client.search({ index: 'bin', query: { term: { blob: 'YWJjZGUxMjM0' } } }));
    expect(term.status).toBe(400);
    expect(JSON.stringify(term.error)).toContain('Binary fields do not support searching');
    const bad = await failure(t.client.index({ index: 'bin', id: '3', document: { blob: 'not base64!' } }));
    expect(bad.error).toMatchObject({ type: 'document_parsing_exception' });
    const index = await failure(t.client.indices.create({ index: 'bin2', mappings: { properties: { b: { type: 'binary', index: true } as never } } }));
    expect(index.error.reason).toContain('unknown parameter [index] on mapper [b] of type [binary]');
  });

  it('ip: IPv4 and IPv6, term, CIDR, terms, range, fields, ignore_malformed and _ignored', async () => {
    await t.client.indices.create({ index: 'ips', mappings: { properties: { addr: { type: 'ip', ignore_malformed: true } } } });
    const docs: Record<string, unknown> = { a: '192.168.0.1', b: '192.168.1.20', c: '2001:db8:0:0:0:0:0:1', d: '10.0.0.5', e: 'garbage' };
    for (const [id, addr] of Object.entries(docs)) await t.client.index({ index: 'ips', id, document: { addr } });
    await t.client.indices.refresh({ index: 'ips' });
    const q = async (query: Record<string, unknown>): Promise<string[]> => ids(await t.client.search({ index: 'ips', query }));
    expect(await q({ term: { addr: '192.168.0.1' } })).toEqual(['a']);
    expect(await q({ term: { addr: '2001:db8::1' } })).toEqual(['c']);
    expect(await q({ term: { addr: '192.168.0.0/16' } })).toEqual(['a', 'b']);
    expect(await q({ term: { addr: '2001:db8::/32' } })).toEqual(['c']);
    expect(await q({ terms: { addr: ['10.0.0.5', '192.168.1.20'] } })).toEqual(['b', 'd']);
    expect(await q({ range: { addr: { gte: '10.0.0.0', lt: '192.168.1.20' } } })).toEqual(['a', 'd']);
    // IPv4 addresses sort before IPv6 ones (IPv4-mapped ::ffff:a.b.c.d)
    expect(await q({ range: { addr: { gt: '192.168.1.20' } } })).toEqual(['c']);
    expect(await q({ exists: { field: 'addr' } })).toEqual(['a', 'b', 'c', 'd']);
    expect(await q({ term: { _ignored: 'addr' } })).toEqual(['e']);
    const malformed = await failure(t.client.search({ index: 'ips', query: { term: { addr: 'nope' } } }));
    expect(JSON.stringify(malformed.error)).toContain("'nope' is not an IP string literal.");
    const fetched = await t.client.search({ index: 'ips', query: { ids: { values: ['c', 'e'] } }, fields: ['addr'], docvalue_fields: ['addr'], _source: false, sort: ['_doc'] });
    const [c, e] = fetched.hits.hits;
    expect(c!.fields).toEqual({ addr: ['2001:db8::1'] });
    expect(e!._ignored).toEqual(['addr']);
    expect(e!.ignored_field_values).toEqual({ addr: ['garbage'] });
    // terms buckets in address byte order (IPv4-mapped before IPv6), keys printed as addresses
    const agg = await t.client.search({ index: 'ips', size: 0, aggs: { a: { terms: { field: 'addr', order: { _key: 'asc' } } } } });
    expect((agg.aggregations!.a as { buckets: Array<{ key: string; doc_count: number }> }).buckets).toEqual(
      ['10.0.0.5', '192.168.0.1', '192.168.1.20', '2001:db8::1'].map((key) => ({ key, doc_count: 1 })),
    );
    // sorted by address bytes too, the sort values printed; the malformed one has no value and comes last
    const sorted = await t.client.search({ index: 'ips', sort: [{ addr: 'asc' }] });
    expect(sorted.hits.hits.map((h) => [h._id, h.sort?.[0]])).toEqual([['d', '10.0.0.5'], ['a', '192.168.0.1'], ['b', '192.168.1.20'], ['c', '2001:db8::1'], ['e', null]]);
  });

  it('geo_point: the input forms ES accepts, exists, fetched as GeoJSON; exact queries refused', async () => {
    await t.client.indices.create({ index: 'geo', mappings: { properties: { loc: { type: 'geo_point' } } } });
    const forms: unknown[] = [[13.4, 52.5], '52.5,13.4', { lat: 52.5, lon: 13.4 }, 'POINT (13.4 52.5)', 'u33dc0', { type: 'Point', coordinates: [13.4, 52.5] }];
    for (const [i, loc] of forms.entries()) await t.client.index({ index: 'geo', id: String(i), document: { loc } });
    await t.client.index({ index: 'geo', id: 'none', document: {}, refresh: true });
    expect(ids(await t.client.search({ index: 'geo', query: { exists: { field: 'loc' } } }))).toEqual(['0', '1', '2', '3', '4', '5']);
    const bad = await failure(t.client.index({ index: 'geo', id: 'x', document: { loc: { lat: 91, lon: 0 } } }));
    expect(bad.error).toMatchObject({ type: 'document_parsing_exception' });
    expect((await failure(t.client.search({ index: 'geo', query: { term: { loc: '52.5,13.4' } } }))).status).toBe(400);
    // GeoPointFieldMapper's source fetcher: each form parsed, printed as GeoJSON (not encoded)
    const fetched = await t.client.search({ index: 'geo', query: { ids: { values: ['0', '1', '2', '3', '5'] } }, fields: ['loc'] });
    for (const hit of fetched.hits.hits) expect(hit.fields).toEqual({ loc: [{ type: 'Point', coordinates: [13.4, 52.5] }] });
  });

  it('exists on metadata fields and on a text field holding ""', async () => {
    await t.client.index({ index: 'meta', id: '1', document: { text: '' }, refresh: true });
    expect(ids(await t.client.search({ index: 'meta', query: { exists: { field: 'text' } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'meta', query: { exists: { field: '_seq_no' } } }))).toEqual(['1']);
    const source = await failure(t.client.search({ index: 'meta', query: { exists: { field: '_source' } } }));
    expect(JSON.stringify(source.error)).toContain('The _source field is not searchable');
  });
});

describe('token_count', () => {
  it('indexes the number of tokens as an integer: queries, sort, fields', async () => {
    await t.client.indices.create({
      index: 'tc',
      mappings: { properties: { title: { type: 'text', fields: { length: { type: 'token_count', analyzer: 'standard' } } }, plain: { type: 'token_count', analyzer: 'standard', doc_values: false } } },
    });
    await t.client.index({ index: 'tc', id: '1', document: { title: 'one two three', plain: 'a b' } });
    await t.client.index({ index: 'tc', id: '2', document: { title: 'one' } });
    await t.client.indices.refresh({ index: 'tc' });
    expect(ids(await t.client.search({ index: 'tc', query: { term: { 'title.length': 3 } } }))).toEqual(['1']);
    expect(ids(await t.client.search({ index: 'tc', query: { range: { 'title.length': { lt: 2 } } } }))).toEqual(['2']);
    const sorted = await t.client.search({ index: 'tc', sort: [{ 'title.length': 'desc' }], fields: ['title.length', 'plain'], _source: false });
    expect(sorted.hits.hits.map((h) => [h._id, h.sort, h.fields])).toEqual([
      ['1', [3], { 'title.length': [3] }],
      ['2', [1], { 'title.length': [1] }],
    ]);
    const missing = await failure(t.client.indices.create({ index: 'tc2', mappings: { properties: { n: { type: 'token_count' } } } }));
    expect(missing.error.reason).toContain("Analyzer must be set for field [n] but wasn't.");
  });
});
