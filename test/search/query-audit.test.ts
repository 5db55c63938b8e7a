import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/db/migration-source.js';
import { SearchQueryError } from '../../src/errors.js';
import { listConversions } from '../../src/search/conversions.js';
import { getQuery, listQueries, pruneQueries, readQueryLog } from '../../src/search/query-audit.js';
import { queryStats } from '../../src/search/query-stats.js';
import type { SearchQuery } from '../../src/search/search-query.js';
import { isolatedDatabase } from '../helpers/database.js';
import { seedAuditLog } from './audit-log.js';

let db: Knex;
let cleanup: () => Promise<void>;
let seeded: Awaited<ReturnType<typeof seedAuditLog>>;
const DAY = 86_400_000;

beforeAll(async () => {
  ({ db, cleanup } = await isolatedDatabase());
  await migrateLatest(db);
  seeded = await seedAuditLog(db);
});

afterAll(async () => {
  await cleanup();
});

const ids = (qs: SearchQuery[]) => qs.map((q) => q.id).sort();

describe('listQueries', () => {
  it('lists newest first and re-reads every logged query as the SearchQuery that was logged', async () => {
    const listed = await listQueries(db, { limit: 100 });
    expect(listed).toHaveLength(seeded.all.length + 2);
    const times = listed.map((q) => q.executedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const byId = new Map(listed.map((q) => [q.id, q]));
    for (const q of [...seeded.all, seeded.old, seeded.count]) expect(byId.get(q.id)).toEqual(q);
  });

  it('filters by index, user, reference, terms, period, zero hits and duration', async () => {
    const blogSearches = seeded.all.filter((q) => q.index === 'blog');
    expect(ids(await listQueries(db, { index: 'people' }))).toEqual(ids(seeded.all.filter((q) => q.index === 'people')));
    expect(ids(await listQueries(db, { user: 'u1' }))).toEqual(ids(seeded.all.filter((q) => q.user === 'u1')));
    expect(ids(await listQueries(db, { reference: 'old' }))).toEqual([seeded.old.id]);
    expect(ids(await listQueries(db, { contains: 'POSTgres' }))).toEqual(ids(blogSearches.filter((q) => /postgres/i.test(q.searchTerms))));
    // LIKE wildcards in the text match themselves only.
    expect(await listQueries(db, { contains: '%' })).toEqual([]);
    expect(await listQueries(db, { contains: '_' })).toEqual([]);
    expect(ids(await listQueries(db, { since: new Date(Date.now() - 30 * DAY), index: 'blog', zeroHits: true }))).toEqual(ids(blogSearches.filter((q) => q.totalHits === 0)));
    expect(ids(await listQueries(db, { until: new Date(Date.now() - 30 * DAY) }))).toEqual([seeded.old.id]);
    expect(ids(await listQueries(db, { slowerThanMs: 9, index: 'blog', since: new Date(Date.now() - DAY) }))).toEqual(ids([...blogSearches.filter((q) => q.durationMs > 9), seeded.count]));
  });

  it('lists converted and not converted searches', async () => {
    const converted = [0, 2, 4].map((i) => seeded.all[i]!.id);
    expect(ids(await listQueries(db, { converted: true, limit: 100 }))).toEqual([...converted, seeded.old.id].sort());
    expect(ids(await listQueries(db, { converted: false, index: 'blog', since: new Date(Date.now() - 30 * DAY) }))).toEqual(
      ids([...seeded.all.filter((q, i) => q.index === 'blog' && !converted.includes(q.id) && i >= 0), seeded.count]),
    );
  });

  it('pages with limit and offset', async () => {
    const all = await listQueries(db, { limit: 100 });
    expect(await listQueries(db, { limit: 3, offset: 2 })).toEqual(all.slice(2, 5));
  });
});

describe('getQuery', () => {
  it('finds a query by id and says so when there is none', async () => {
    expect(await getQuery(db, seeded.all[3]!.id)).toEqual(seeded.all[3]);
    await expect(getQuery(db, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'SEARCH_QUERY_NOT_FOUND' });
    await expect(getQuery(db, "1' or '1'='1")).rejects.toBeInstanceOf(SearchQueryError);
  });
});

describe('queryStats', () => {
  it('computes volume, zero-result rate, mean hits, latency percentiles and top terms per index, as worked out by hand', async () => {
    const stats = await queryStats(db, { since: new Date(Date.now() - 30 * DAY) });
    expect(stats.map((s) => s.index)).toEqual(['blog', 'people']);
    const [blog, people] = stats as [(typeof stats)[0], (typeof stats)[0]];
    // blog: 10 searches (the count and the 100-day-old search are left out).
    expect(blog.volume).toBe(10);
    // Total hits 3,0,12,0,5,0,1,7,0,2: four zeros, sum 30.
    expect(blog.zeroHits).toBe(4);
    expect(blog.zeroHitRate).toBeCloseTo(0.4, 10);
    expect(blog.meanHits).toBeCloseTo(3, 10);
    // Durations sorted 1..10; position p*(n-1): p50 at 4.5 -> 5.5, p95 at 8.55 -> 9.55, p99 at 8.91 -> 9.91.
    expect(blog.latency.p50).toBeCloseTo(5.5, 10);
    expect(blog.latency.p95).toBeCloseTo(9.55, 10);
    expect(blog.latency.p99).toBeCloseTo(9.91, 10);
    expect(blog.latency.max).toBe(10);
    // Terms lower-cased and trimmed; '' left out; ties by term.
    expect(blog.topTerms.map(({ term, count }) => ({ term, count }))).toEqual([
      { term: 'kubernetes', count: 3 },
      { term: 'postgres', count: 3 },
      { term: 'elixir', count: 1 },
      { term: 'go', count: 1 },
      { term: 'rust', count: 1 },
    ]);
    // Conversions (audit-log.ts): 3 of 10 searches, 5 conversions at positions 2,1,3,1,1; distinct users u1, u2, u3.
    expect(blog.users).toBe(3);
    expect(blog.conversion).toEqual({ converted: 3, conversionRate: 0.3, conversions: 5, meanPosition: 1.6, medianPosition: 1 });
    // "postgres": searches 0, 2, 6 with hits 3, 12, 1; 0 and 2 converted at positions 2 / 1, 3.
    expect(blog.topTerms[1]).toEqual({ term: 'postgres', count: 3, meanHits: 16 / 3, converted: 2, conversionRate: 2 / 3, meanPosition: 2 });
    expect(blog.topTerms[4]).toEqual({ term: 'rust', count: 1, meanHits: 5, converted: 1, conversionRate: 1, meanPosition: 1 });
    // Low-converting terms need 5 searches by default: none has; with 3, kubernetes (0 of 3) comes before postgres (2 of 3).
    expect(blog.lowConvertingTerms).toEqual([]);
    const [low] = await queryStats(db, { index: 'blog', since: new Date(Date.now() - 30 * DAY), minSearches: 3 });
    expect(low!.lowConvertingTerms.map((t) => [t.term, t.converted])).toEqual([
      ['kubernetes', 0],
      ['postgres', 2],
    ]);
    expect(blog.topZeroHitTerms).toEqual([
      { term: 'kubernetes', count: 3 },
      { term: 'elixir', count: 1 },
    ]);
    // people: durations 10,20,30,40: p50 at 1.5 -> 25, p95 at 2.85 -> 38.5, p99 at 2.97 -> 39.7; hits 0,2,4,6.
    expect(people.volume).toBe(4);
    expect(people.zeroHitRate).toBeCloseTo(0.25, 10);
    expect(people.meanHits).toBeCloseTo(3, 10);
    expect(people.latency.p50).toBeCloseTo(25, 10);
    expect(people.latency.p95).toBeCloseTo(38.5, 10);
    expect(people.latency.p99).toBeCloseTo(39.7, 10);
    expect(people.conversion).toEqual({ converted: 0, conversionRate: 0, conversions: 0, meanPosition: null, medianPosition: null });
    expect(people.topTerms.map(({ term, count }) => ({ term, count }))).toEqual([
      { term: 'ada', count: 2 },
      { term: 'bruno', count: 1 },
      { term: 'chiara', count: 1 },
    ]);
    expect(people.topZeroHitTerms).toEqual([{ term: 'ada', count: 1 }]);
  });

  it('includes the whole log without a period, and limits terms with top', async () => {
    const [blog] = await queryStats(db, { index: 'blog', top: 1 });
    // The 100-day-old zero-hit search joins in: 11 searches, 5 with no hits, 30 hits in all.
    expect(blog!.volume).toBe(11);
    expect(blog!.zeroHitRate).toBeCloseTo(5 / 11, 10);
    expect(blog!.meanHits).toBeCloseTo(30 / 11, 10);
    expect(blog!.topTerms.map(({ term, count }) => ({ term, count }))).toEqual([{ term: 'kubernetes', count: 3 }]);
    // The old search's conversion is on a hit it never returned: converted, without a position.
    expect(blog!.conversion).toEqual({ converted: 4, conversionRate: 4 / 11, conversions: 6, meanPosition: 1.6, medianPosition: 1 });
  });

  it('returns nothing for a period without searches', async () => {
    expect(await queryStats(db, { since: new Date(Date.now() + DAY) })).toEqual([]);
  });
});

describe('pruneQueries', () => {
  it('counts with dryRun, then deletes only what is older than the cut-off', async () => {
    const before = new Date(Date.now() - 90 * DAY);
    expect(await pruneQueries(db, before, { dryRun: true })).toBe(1);
    expect(await pruneQueries(db, before, { index: 'people' })).toBe(0);
    expect(await listConversions(db, seeded.old.id)).toHaveLength(1);
    expect(await pruneQueries(db, before)).toBe(1);
    await expect(getQuery(db, seeded.old.id)).rejects.toMatchObject({ code: 'SEARCH_QUERY_NOT_FOUND' });
    // Its conversion went with it; the others stay.
    expect(await listConversions(db, seeded.old.id)).toEqual([]);
    expect(await listConversions(db, seeded.all[4]!.id)).toHaveLength(2);
    expect(await listQueries(db, { limit: 100 })).toHaveLength(seeded.all.length + 1);
  });
});

describe('readQueryLog', () => {
  it('says to run search migrate when the log table does not exist', async () => {
    const { db: empty, cleanup: drop } = await isolatedDatabase();
    try {
      await expect(readQueryLog(() => listQueries(empty))).rejects.toMatchObject({ code: 'QUERY_LOG_MISSING', message: expect.stringContaining('search migrate') });
    } finally {
      await drop();
    }
  });
});
