import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { QueryLog } from '../../src/search/query-log.js';
import type { SearchQuery } from '../../src/search/search-query.js';

/**
 * A small query log with figures worked out by hand (see the comments in the tests): 10
 * searches of `blog` and 4 of `people` in the last hour, one `blog` count (left out of the
 * statistics) and one `blog` search 100 days old (outside `--since 30d`, pruned by
 * `--older-than 90d`). Written through QueryLog, the write path applications use.
 *
 * Conversions, recorded before the queries are written (so their positions are looked up once
 * the rows are there): blog "Postgres" (search 0) on rank 2; blog "postgres" (search 2) on
 * ranks 1 and 3, the rank-1 one recorded twice (a no-op); blog "rust" (search 4) on rank 1 as a
 * click and as a purchase of value 30; one on the old search, on a hit it never returned.
 * Blog over the last 30 days: 3 of 10 searches converted, 5 conversions, positions 2,1,3,1,1
 * (mean 1.6, median 1); "postgres" 2 of 3 converted, mean position 2.
 */
export const CONVERSIONS = [
  // [index in BLOG, hit id (rank = id - 99), kind]
  [0, '101', 'click'],
  [2, '100', 'click'],
  [2, '102', 'click'],
  [2, '100', 'click'],
  [4, '100', 'click'],
  [4, '100', 'purchase'],
] as const;
export const BLOG = [
  // [search terms, total hits, duration ms, user]
  ['Postgres', 3, 5, 'u1'],
  ['kubernetes ', 0, 1, 'u2'],
  ['postgres', 12, 9, 'u1'],
  ['Kubernetes', 0, 3, null],
  ['rust', 5, 7, 'u3'],
  ['elixir', 0, 2, 'u2'],
  ['  POSTGRES', 1, 8, null],
  ['go', 7, 4, 'u1'],
  ['kubernetes', 0, 10, 'u3'],
  ['', 2, 6, null],
] as const;

export const PEOPLE = [
  ['ada', 0, 20, 'u1'],
  ['Ada', 2, 40, 'u2'],
  ['bruno', 4, 10, null],
  ['chiara', 6, 30, null],
] as const;

export async function seedAuditLog(db: Knex, now = Date.now()): Promise<{ all: SearchQuery[]; old: SearchQuery; count: SearchQuery }> {
  const make = (index: string, [terms, total, ms, user]: readonly [string, number, number, string | null], minutesAgo: number, extra: Partial<SearchQuery> = {}): SearchQuery => ({
    id: randomUUID(),
    queryType: 'search',
    index,
    searchTerms: terms,
    query: { query: { match: { title: terms } }, from: 0, size: 10 },
    hits: Array.from({ length: Math.min(total, 10) }, (_, i) => ({ id: String(100 + i), index, score: 2 - i / 10, rank: i + 1 })),
    totalHits: total,
    totalHitsRelation: 'eq',
    maxScore: total ? 2 : null,
    minScore: total ? 2 - (Math.min(total, 10) - 1) / 10 : null,
    aggregations: null,
    page: { from: 0, size: 10, number: 1 },
    executedAt: new Date(now - minutesAgo * 60_000),
    durationMs: ms,
    user,
    reference: `ref-${index}`,
    ...extra,
  });
  const all = [...BLOG.map((row, i) => make('blog', row, 50 - i)), ...PEOPLE.map((row, i) => make('people', row, 30 - i))];
  const count = make('blog', ['count me', 99, 1000, null], 5, { queryType: 'count', hits: [], maxScore: null, minScore: null, page: { from: 0, size: 0, number: 1 } });
  const old = make('blog', ['ancient', 0, 1000, 'u9'], 100 * 24 * 60, { reference: 'old' });
  const log = new QueryLog({ db, flushIntervalMs: 60_000, maxBatch: 1000 });
  for (const q of [...all, count, old]) log.record(q);
  for (const [i, hitId, kind] of CONVERSIONS) log.recordConversion(all[i]!.id, { hitId, kind, ...(kind === 'purchase' ? { value: 30 } : {}) });
  log.recordConversion(old.id, { hitId: 'never-returned' });
  const { failed } = await log.close();
  if (failed) throw new Error('seeding the query log failed');
  return { all, old, count };
}
