import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { QueryLog } from '../../src/search/query-log.js';
import type { SearchQuery } from '../../src/search/search-query.js';

/**
 * A small query log with figures worked out by hand (see the comments in the tests): 10
 * searches of `blog` and 4 of `people` in the last hour, one `blog` count (left out of the
 * statistics) and one `blog` search 100 days old (outside `--since 30d`, pruned by
 * `--older-than 90d`). Written through QueryLog, the write path applications use.
 */
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
  const { failed } = await log.close();
  if (failed) throw new Error('seeding the query log failed');
  return { all, old, count };
}
