import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientRegistry } from '../../src/client/client-registry.js';
import { SearchQueryError } from '../../src/errors.js';
import { executeCount, executeSearch } from '../../src/search/execute-search.js';
import { getQuery, listQueries } from '../../src/search/query-audit.js';
import { QueryLog } from '../../src/search/query-log.js';
import { loggedHit } from '../../src/search/query-log-row.js';
import type { SearchQuery } from '../../src/search/search-query.js';
import { searchFixture, type SearchFixture } from './fixture.js';

let f: SearchFixture;
let log: QueryLog;

beforeAll(async () => {
  f = await searchFixture({ posts: 80 });
  // A long interval: these tests flush explicitly, so every write is one they asked for.
  log = new QueryLog({ db: f.db, flushIntervalMs: 60_000 });
});

afterAll(async () => {
  await log.close();
  await f.close();
});

/** What the log keeps of a SearchQuery: everything but highlights, sources and suggestions. */
function asLogged(q: SearchQuery): SearchQuery {
  const { suggest: _suggest, ...rest } = q;
  return { ...rest, hits: q.hits.map(loggedHit) };
}

describe('executeSearch', () => {
  it('returns the hits ranked from from + 1 with totals, score range, page and a measured duration', async () => {
    const all = await executeSearch('blog', { query: { match: { body: 'latency dashboards' } } }, { client: f.side, size: 100 });
    expect(all.totalHits).toBeGreaterThan(6);
    const page = await executeSearch('blog', { query: { match: { body: 'latency dashboards' } } }, { client: f.side, from: 3, size: 3 });
    expect(page.hits.map((h) => h.id)).toEqual(all.hits.slice(3, 6).map((h) => h.id));
    expect(page.hits.map((h) => h.rank)).toEqual([4, 5, 6]);
    expect(page.page).toEqual({ from: 3, size: 3, number: 2 });
    expect(page.query).toMatchObject({ from: 3, size: 3 });
    expect(page.totalHits).toBe(all.totalHits);
    expect(page.totalHitsRelation).toBe('eq');
    const scores = page.hits.map((h) => h.score as number);
    expect(page.minScore).toBe(Math.min(...scores));
    // max_score of Elasticsearch covers all matches, so page 2's max is page 1's best.
    expect(page.maxScore).toBe(all.hits[0]!.score);
    expect(page.durationMs).toBeGreaterThan(0);
    expect(page.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(page.id).not.toBe(all.id);
  });

  it('defaults to from 0 and the schema pageSize (25)', async () => {
    const result = await executeSearch('blog', { query: { match_all: {} } }, { client: f.side });
    expect(result.page).toEqual({ from: 0, size: 25, number: 1 });
    expect(result.hits).toHaveLength(Math.min(25, f.postIds.length));
  });

  it('logs a row whose fields equal the SearchQuery it returned', async () => {
    const aggs = { years: { date_histogram: { field: 'published_at', calendar_interval: 'year' } } };
    const result = await executeSearch(
      'blog',
      { query: { match: { title: 'postgresql' } }, aggs },
      { client: f.side, log, searchTerms: 'PostgreSQL', user: { id: 42 }, reference: 'session-1', size: 4 },
    );
    expect(result.hits.length).toBeGreaterThan(0);
    const years = (result.aggregations?.years as { buckets: Array<{ doc_count: number }> }).buckets;
    expect(years.reduce((n, b) => n + b.doc_count, 0)).toBe(result.totalHits);
    expect(log.pending).toBe(1);
    expect(await log.flush()).toEqual({ written: 1, failed: false });
    const logged = await getQuery(f.db, result.id);
    expect(logged).toEqual(asLogged(result));
    expect(logged.user).toBe('42');
    expect(logged.reference).toBe('session-1');
  });

  it('logs a sorted search, whose scores are null, without error and with a null score range', async () => {
    const result = await executeSearch('blog', { query: { match_all: {} }, sort: [{ published_at: 'desc' }] }, { client: f.side, log, size: 5 });
    expect(result.hits.every((h) => h.score === null)).toBe(true);
    expect(result.hits.every((h) => Array.isArray(h.sort))).toBe(true);
    expect(result.maxScore).toBeNull();
    expect(result.minScore).toBeNull();
    expect(await log.flush()).toEqual({ written: 1, failed: false });
    expect(await getQuery(f.db, result.id)).toEqual(asLogged(result));
  });

  it('takes the score range from the scores there are when a sorted search tracks scores', async () => {
    const result = await executeSearch('blog', { query: { match: { body: 'postgresql' } }, sort: [{ published_at: 'asc' }], track_scores: true }, { client: f.side, size: 5 });
    const scores = result.hits.map((h) => h.score).filter((s): s is number => s !== null);
    expect(scores.length).toBe(result.hits.length);
    expect(result.minScore).toBe(Math.min(...scores));
    expect(result.maxScore).toBeGreaterThanOrEqual(Math.max(...scores));
  });

  it('records nothing with save: false', async () => {
    const before = log.counters.recorded;
    await executeSearch('blog', { query: { match_all: {} } }, { client: f.side, log, save: false, size: 1 });
    expect(log.counters.recorded).toBe(before);
    expect(log.pending).toBe(0);
  });

  it('throws a SearchQueryError with the engine reason when the search fails, and logs nothing', async () => {
    const before = log.counters.recorded;
    const error = await executeSearch('no-such-index', { query: { match_all: {} } }, { client: f.side, log }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SearchQueryError);
    expect((error as SearchQueryError).code).toBe('SEARCH_FAILED');
    expect((error as Error).message).toContain('index_not_found_exception');
    expect(log.counters.recorded).toBe(before);
  });

  it('searches through a ClientRegistry on the index\'s embedded: connection, as applications configure it', async () => {
    const clients = new ClientRegistry({ connections: { default: `embedded:${f.engine.dir}` }, indexes: { blog: { models: [], connection: 'default' } }, baseDir: '/' } as unknown as ConstructorParameters<typeof ClientRegistry>[0]);
    try {
      const viaRegistry = await executeSearch('blog', { query: { match: { title: 'postgresql' } } }, { client: clients, size: 5 });
      const direct = await executeSearch('blog', { query: { match: { title: 'postgresql' } } }, { client: f.side, size: 5 });
      expect(viaRegistry.hits.map((h) => [h.id, h.score])).toEqual(direct.hits.map((h) => [h.id, h.score]));
      await expect(executeSearch('unknown', {}, { client: clients })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    } finally {
      await clients.close();
    }
  });

  it('rejects a negative from before searching', async () => {
    await expect(executeSearch('blog', {}, { client: f.side, from: -1 })).rejects.toMatchObject({ code: 'SEARCH_QUERY_INVALID' });
  });
});

describe('executeCount', () => {
  it('counts, and logs the count as a query of type count', async () => {
    const result = await executeCount('blog', { query: { match_all: {} } }, { client: f.side, log, reference: 'count-test' });
    expect(result.totalHits).toBe(f.postIds.length);
    expect(result.queryType).toBe('count');
    await log.flush();
    const [logged] = await listQueries(f.db, { reference: 'count-test' });
    expect(logged).toEqual(asLogged(result));
  });
});
