import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/db/migration-source.js';
import { normalizeTerm } from '../../src/relevance/judgments-sql.js';
import { readJudgments, replayableRequest } from '../../src/relevance/judgments.js';
import { isolatedDatabase } from '../helpers/database.js';
import { seedAuditLog } from '../search/audit-log.js';

// The audit log of test/search/audit-log.ts, whose figures are worked out by hand there: blog in
// the last hour has "postgres" 3 times (as "Postgres", "postgres", "  POSTGRES"), "kubernetes" 3
// times, "rust", "elixir", "go" once; conversions: "Postgres" on 101 (rank 2), "postgres" on 100
// (rank 1, twice: a no-op) and 102 (rank 3), "rust" on 100 (rank 1) as a click and as a purchase
// of value 30; the 100-day-old "ancient" on a hit it never returned.
let database: { db: Knex; cleanup(): Promise<void> };
let seeded: Awaited<ReturnType<typeof seedAuditLog>>;
const since = new Date(Date.now() - 30 * 86_400_000);

beforeAll(async () => {
  database = await isolatedDatabase();
  await migrateLatest(database.db);
  seeded = await seedAuditLog(database.db);
});
afterAll(async () => database.cleanup());

describe('judgments from the query log', () => {
  it('rates converted hits per normalised term with enough searches, and counts what it leaves out', async () => {
    const { terms, summary } = await readJudgments(database.db, { index: 'blog', since, minSearches: 3 });
    expect(terms.map((t) => t.term)).toEqual(['postgres']);
    const [postgres] = terms;
    expect(postgres).toMatchObject({ searches: 3, converted: 2 });
    expect(postgres!.judgments).toEqual([
      { id: '100', rating: 1, conversions: 1, searches: 1, bestPosition: 1, onlyRank1: true },
      { id: '101', rating: 1, conversions: 1, searches: 1, bestPosition: 2, onlyRank1: false },
      { id: '102', rating: 1, conversions: 1, searches: 1, bestPosition: 3, onlyRank1: false },
    ]);
    // the latest first-page search's body ("  POSTGRES", 44 minutes ago), without from and size
    expect(postgres!.request).toEqual({ query: { match: { title: '  POSTGRES' } } });
    expect(summary).toEqual({ terms: 1, searches: 3, judgments: 3, fromRank1: 1, belowMinSearches: 3, withoutConversions: 1, maxRating: 1 });
  });

  it('grades a purchase with a value above a click, and takes a grading of its own', async () => {
    const { terms } = await readJudgments(database.db, { index: 'blog', since, minSearches: 1 });
    // click 1, purchase 2 (another kind) + 1 (a positive value): the highest, 3
    expect(terms.find((t) => t.term === 'rust')!.judgments).toEqual([{ id: '100', rating: 3, conversions: 2, searches: 1, bestPosition: 1, onlyRank1: true }]);
    const custom = await readJudgments(database.db, { index: 'blog', since, minSearches: 1, grading: { kinds: { purchase: 5 }, max: 10 } });
    expect(custom.terms.find((t) => t.term === 'rust')!.judgments[0]!.rating).toBe(6);
    expect(custom.summary.maxRating).toBe(6);
    const capped = await readJudgments(database.db, { index: 'blog', since, minSearches: 1, grading: { valueBonus: 0, otherKinds: 4, max: 3 } });
    expect(capped.terms.find((t) => t.term === 'rust')!.judgments[0]!.rating).toBe(3);
  });

  it('reads the whole log without a period, and nothing for an index without searches', async () => {
    const { terms } = await readJudgments(database.db, { index: 'blog', minSearches: 1 });
    // the 100-day-old search converted on a hit it never returned: no position
    expect(terms.find((t) => t.term === 'ancient')!.judgments).toEqual([{ id: 'never-returned', rating: 1, conversions: 1, searches: 1, bestPosition: null, onlyRank1: false }]);
    const none = await readJudgments(database.db, { index: 'nothing', minSearches: 3 });
    expect(none).toEqual({ terms: [], summary: { terms: 0, searches: 0, judgments: 0, fromRank1: 0, belowMinSearches: 0, withoutConversions: 0, maxRating: 0 } });
    const few = await readJudgments(database.db, { index: 'blog', since, minSearches: 4 });
    expect(few.summary).toMatchObject({ terms: 0, belowMinSearches: 5 });
    expect(seeded.all.length).toBeGreaterThan(0);
  });

  it('normalises terms as the SQL does, and strips what _rank_eval refuses from a replayed body', async () => {
    const rows = (await database.db.raw(`select lower(btrim(regexp_replace(?, '\\s+', ' ', 'g'))) as t`, ['  Rolling \t  DEPLOY '])) as { rows: Array<{ t: string }> };
    expect(rows.rows[0]!.t).toBe('rolling deploy');
    expect(normalizeTerm('  Rolling \t  DEPLOY ')).toBe('rolling deploy');
    expect(replayableRequest({ query: { match_all: {} }, from: 20, size: 10, aggs: {}, highlight: {}, suggest: {}, sort: ['_score'], _source: false })).toEqual({ query: { match_all: {} }, sort: ['_score'] });
    await expect(readJudgments(database.db, { index: 'blog', minSearches: 0 })).rejects.toThrow(/min searches is 0, expected a positive integer/);
  });
});
