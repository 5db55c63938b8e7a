/**
 * A production-style mapping file (3 shards, 1 replica, ip, binary, geo_point, date_nanos and
 * nested fields) used unchanged on the embedded engine: `createIndex` and `updateIndex` fill it
 * from the database, and the searches production code runs on it (collapse with inner_hits,
 * rescore, nested inner_hits, nanosecond sort, CIDR terms) answer as Elasticsearch does. Every
 * expectation is derived here from the rows themselves, not copied from an answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndex } from '../../src/indexes/create-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MAPPING = {
  settings: { number_of_shards: 3, number_of_replicas: 1, refresh_interval: '1s' },
  mappings: {
    dynamic: 'strict',
    properties: {
      host: { type: 'keyword' },
      ip: { type: 'ip' },
      payload: { type: 'binary' },
      location: { type: 'geo_point' },
      seen_at: { type: 'date_nanos' },
      message: { type: 'text' },
      tags: { type: 'nested', properties: { name: { type: 'keyword' }, weight: { type: 'integer' } } },
    },
  },
};

const EVENT_MODEL = `export const Event = {
  table: 'events',
  getSearchQueryset: (db) => db('events').select('*'),
  asSearchDocument: (row) => ({
    host: row.host,
    ip: row.ip,
    payload: Buffer.from(row.message).toString('base64'),
    location: { lat: Number(row.lat), lon: Number(row.lon) },
    seen_at: row.seen_at,
    message: row.message,
    tags: JSON.parse(row.tags),
  }),
};
`;

interface Row {
  id: number;
  host: string;
  ip: string;
  lat: number;
  lon: number;
  seen_at: string;
  message: string;
  tags: Array<{ name: string; weight: number }>;
}

const WORDS = ['disk', 'full', 'timeout', 'restart', 'error', 'slow', 'request', 'ok'];
const TAGS = ['db', 'web', 'cache', 'queue'];

/** 60 events over 7 hosts, with nanosecond timestamps (a few sharing their millisecond). */
function makeRows(): Row[] {
  const rows: Row[] = [];
  for (let i = 1; i <= 60; i++) {
    const words = Array.from({ length: 3 + (i % 5) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]!);
    // events i and i + 1 (i even) share their millisecond and differ below it
    const pair = Math.floor(i / 2);
    const nanos = `123${String((i * 7919) % 1_000_000).padStart(6, '0')}`;
    rows.push({
      id: i,
      host: `host-${i % 7}`,
      ip: i % 3 === 0 ? `2001:db8::${i.toString(16)}` : `10.0.${i % 4}.${i}`,
      lat: 40 + (i % 10) / 10,
      lon: -3 - (i % 6) / 10,
      seen_at: `2026-11-${String(1 + (pair % 28)).padStart(2, '0')}T10:${String(pair % 60).padStart(2, '0')}:00.${nanos}Z`,
      message: words.join(' '),
      tags: Array.from({ length: 1 + (i % 3) }, (_, k) => ({ name: TAGS[(i + k) % TAGS.length]!, weight: (i * (k + 1)) % 10 })),
    });
  }
  return rows;
}

const toNanos = (iso: string): bigint => {
  const [whole, fraction = ''] = iso.replace('Z', '').split('.');
  return BigInt(Date.parse(`${whole}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
};

let t: TestProject;
let rows: Row[];
let client: Awaited<ReturnType<TestProject['project']['clients']['forIndex']>>;

beforeAll(async () => {
  t = await makeLifecycleProject({
    indexes: { events: { models: ['./models/event.mjs#Event'] } },
    files: { 'models/event.mjs': EVENT_MODEL, 'mappings/events.json': JSON.stringify(MAPPING, null, 2) },
  });
  rows = makeRows();
  await t.db.schema.createTable('events', (tb) => {
    tb.integer('id').primary();
    tb.text('host').notNullable();
    tb.text('ip').notNullable();
    tb.double('lat').notNullable();
    tb.double('lon').notNullable();
    tb.text('seen_at').notNullable();
    tb.text('message').notNullable();
    tb.text('tags').notNullable();
  });
  await t.db('events').insert(rows.map((r) => ({ ...r, tags: JSON.stringify(r.tags) })));
  await createIndex(t.project, 'events');
  const result = await updateIndex(t.project, 'events');
  expect(result).toMatchObject({ indexed: rows.length, failed: 0 });
  client = await t.project.clients.forIndex('events');
  await client.indices.refresh({ index: 'events' });
});

afterAll(async () => {
  await t?.cleanup();
});

const search = async (body: Json): Promise<Json> => (await client.search({ index: 'events', ...body })) as unknown as Json;

describe('a production-style mapping on the embedded engine', () => {
  it('creates the index with its shards and replicas, reported as a single node reports them', async () => {
    const settings = await client.transport.request<Json>({ method: 'GET', path: '/events/_settings' });
    const index = (Object.values(settings)[0] as Json).settings.index;
    expect([index.number_of_shards, index.number_of_replicas]).toEqual(['3', '1']);
    const health = await client.transport.request<Json>({ method: 'GET', path: '/_cluster/health/events' });
    expect(health).toMatchObject({ status: 'yellow', active_primary_shards: 3, unassigned_shards: 3 });
    const all = await search({ size: 0, track_total_hits: true });
    expect(all._shards).toEqual({ total: 3, successful: 3, skipped: 0, failed: 0 });
    expect(all.hits.total).toEqual({ value: rows.length, relation: 'eq' });
  });

  it('keeps binary, ip and geo_point values as given, and matches an ip by CIDR', async () => {
    const row = rows[10]!;
    const doc = (await client.get({ index: 'events', id: String(row.id) })) as Json;
    expect(Buffer.from(doc._source.payload, 'base64').toString()).toBe(row.message);
    expect(doc._source.location).toEqual({ lat: row.lat, lon: row.lon });
    const cidr = await search({ size: 100, query: { term: { ip: '10.0.1.0/24' } } });
    const expected = rows.filter((r) => r.ip.startsWith('10.0.1.')).map((r) => String(r.id));
    expect(cidr.hits.hits.map((h: Json) => h._id).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(0);
  });

  it('sorts date_nanos to the nanosecond, and formats its sort values with their nanoseconds', async () => {
    // epoch nanoseconds exceed 2^53, so a JavaScript client reads the raw long rounded: ask for the formatted date
    const r = await search({ size: 100, sort: [{ seen_at: { order: 'desc', format: 'strict_date_optional_time_nanos' } }, { host: 'asc' }], _source: false });
    const expected = [...rows].sort((a, b) => (toNanos(b.seen_at) > toNanos(a.seen_at) ? 1 : toNanos(b.seen_at) < toNanos(a.seen_at) ? -1 : a.host.localeCompare(b.host)));
    expect(r.hits.hits.map((h: Json) => h._id)).toEqual(expected.map((row) => String(row.id)));
    // printed as Java's appendFraction(NANO_OF_SECOND, 3, 9) does: trailing zeros dropped down to 3 digits
    expect(r.hits.hits.map((h: Json) => toNanos(h.sort[0] as string))).toEqual(expected.map((row) => toNanos(row.seen_at)));
    expect(r.hits.hits.map((h: Json) => h.sort[0] as string).filter((v: string) => /\.\d{8}Z$/.test(v)).length).toBeGreaterThan(0);
    // timestamps sharing their millisecond and differing only below it: the order above needs the nanos
    const millis = new Set(rows.map((row) => row.seen_at.slice(0, 23)));
    expect(millis.size).toBeLessThan(rows.length - 20);
  });

  it('collapses on host: one hit per host, each with the inner hits of its group', async () => {
    const r = await search({
      size: 100,
      query: { match: { message: 'disk timeout' } },
      collapse: { field: 'host', inner_hits: { name: 'latest', size: 100, sort: [{ seen_at: 'desc' }] } },
    });
    const plain = await search({ size: 100, query: { match: { message: 'disk timeout' } } });
    const scoreOf = new Map<string, number>(plain.hits.hits.map((h: Json) => [h._id, h._score]));
    const matching = rows.filter((row) => /\b(disk|timeout)\b/.test(row.message));
    const hosts = [...new Set(matching.map((row) => row.host))].sort();
    const hits = r.hits.hits as Json[];
    expect(hits.map((h) => h.fields.host[0]).sort()).toEqual(hosts);
    for (const hit of hits) {
      const group = matching.filter((row) => row.host === hit.fields.host[0]);
      const inner = hit.inner_hits.latest.hits;
      expect(inner.total.value).toBe(group.length);
      expect(inner.hits.map((h: Json) => h._id)).toEqual([...group].sort((a, b) => (toNanos(b.seen_at) > toNanos(a.seen_at) ? 1 : -1)).map((row) => String(row.id)));
      // the group's top hit is its best-scoring document, scored as without collapse
      expect(hit._score).toBe(Math.max(...group.map((row) => scoreOf.get(String(row.id))!)));
      expect(scoreOf.get(hit._id)).toBe(hit._score);
    }
  });

  it('rescores the top window with a second query as Elasticsearch combines them', async () => {
    const query = { match: { message: 'disk restart timeout' } };
    // words follow each other three apart in WORDS: 'disk' is followed by 'restart'
    const phrase = { match_phrase: { message: { query: 'disk restart', slop: 1 } } };
    const first = await search({ size: 100, query });
    const phraseScores = new Map<string, number>();
    for (const h of (await search({ size: 100, query: phrase })).hits.hits as Json[]) phraseScores.set(h._id, h._score);
    const r = await search({
      size: 100,
      query,
      rescore: { window_size: 100, query: { rescore_query: phrase, query_weight: 0.7, rescore_query_weight: 1.2 } },
    });
    const base = new Map<string, number>(first.hits.hits.map((h: Json) => [h._id, h._score]));
    expect(r.hits.hits.length).toBe(first.hits.hits.length);
    for (const h of r.hits.hits as Json[]) {
      const expected = Math.fround(Math.fround(base.get(h._id)! * 0.7) + Math.fround((phraseScores.get(h._id) ?? 0) * 1.2));
      expect(h._score).toBeCloseTo(expected, 5);
    }
    const scores = r.hits.hits.map((h: Json) => h._score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(phraseScores.size).toBeGreaterThan(0);
  });

  it('answers nested inner_hits with each matching tag and its offset in the document', async () => {
    const r = await search({
      size: 100,
      _source: false,
      query: { nested: { path: 'tags', query: { bool: { filter: [{ term: { 'tags.name': 'cache' } }, { range: { 'tags.weight': { gte: 5 } } }] } }, inner_hits: { size: 10 } } },
    });
    const expected = new Map<string, number[]>();
    for (const row of rows) {
      const offsets = row.tags.flatMap((tag, k) => (tag.name === 'cache' && tag.weight >= 5 ? [k] : []));
      if (offsets.length > 0) expected.set(String(row.id), offsets);
    }
    expect(r.hits.hits.map((h: Json) => h._id).sort()).toEqual([...expected.keys()].sort());
    for (const hit of r.hits.hits as Json[]) {
      const inner = hit.inner_hits.tags.hits.hits as Json[];
      expect(inner.map((h) => h._nested.offset).sort()).toEqual(expected.get(hit._id));
      for (const h of inner) expect(h._nested.field).toBe('tags');
    }
  });
});
