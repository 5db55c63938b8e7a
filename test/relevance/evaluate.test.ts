import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/db/migration-source.js';
import { evaluateRelevance } from '../../src/relevance/evaluate.js';
import { isolatedDatabase } from '../helpers/database.js';
import { seedAuditLog } from '../search/audit-log.js';
import { useTestClient } from '../engine/helpers.js';

// evaluateRelevance in-process on the hand-worked audit log (test/search/audit-log.ts; people has
// "ada" twice, "bruno" and "chiara" once, none converted): with
// --min-searches 3, one judged term, "postgres", whose searches converted on 100, 101 and 102
// (all clicks: rating 1); it replays { match: { title: '  POSTGRES' } }.
let database: { db: Knex; cleanup(): Promise<void> };
const since = new Date(Date.now() - 30 * 86_400_000);
const TITLES: Record<string, string> = { '100': 'postgres in production', '101': 'redis and postgres and postgres', '102': 'kubernetes', '103': 'postgres postgres postgres' };

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'blog-20260101000000000', aliases: { blog: {} }, mappings: { properties: { title: { type: 'text' } } } });
  await client.bulk({ refresh: true, operations: Object.entries(TITLES).flatMap(([id, title]) => [{ index: { _index: 'blog-20260101000000000', _id: id } }, { title }]) });
});

beforeAll(async () => {
  database = await isolatedDatabase();
  await migrateLatest(database.db);
  await seedAuditLog(database.db);
});
afterAll(async () => database.cleanup());

describe('evaluateRelevance', () => {
  it('scores each judged term with _rank_eval on the concrete index behind the alias (ERR by hand)', async () => {
    const report = await evaluateRelevance({ client: t.client, db: database.db }, { index: 'blog', since, metric: 'err@10' });
    const ranked = (await t.client.search({ index: 'blog', query: { match: { title: '  POSTGRES' } } })).hits.hits.map((h) => h._id!);
    // ERR with maximum relevance 1 (the highest rating): a rated hit stops the user with probability (2^1 − 1) / 2^1 = 1/2
    let stay = 1;
    let err = 0;
    ranked.forEach((id, i) => {
      if (!['100', '101', '102'].includes(id)) return;
      err += (stay * 0.5) / (i + 1);
      stay *= 0.5;
    });
    expect(ranked[0]).toBe('103'); // unrated, ahead of the converted ones: the score is not trivial
    expect(report.metric).toBe('err@10');
    expect(report.target).toMatchObject({ index: 'blog', concrete: ['blog-20260101000000000'] });
    expect(report.terms).toEqual([{ term: 'postgres', searches: 3, judgments: 3, score: expect.closeTo(err, 12) as number, unrated: 1 }]);
    expect(report.target.overall!.estimate).toBeCloseTo(err, 12);
    // one term: every resample is that term
    expect(report.target.overall!.low).toBeCloseTo(err, 12);
    expect(report.change).toBeNull();
  });

  it('takes bodies from a query builder, and says what is wrong with one', async () => {
    const seen: Array<[string, unknown]> = [];
    const report = await evaluateRelevance(
      { client: t.client, db: database.db },
      {
        index: 'blog',
        since,
        metric: 'precision@2',
        queryBuilder: (term, { logged }) => {
          seen.push([term, logged]);
          return { query: { ids: { values: ['100', '102'] } }, highlight: { fields: { title: {} } } };
        },
      },
    );
    expect(seen).toEqual([['postgres', { query: { match: { title: '  POSTGRES' } } }]]);
    // both hits converted on: precision 1 (the highlight the builder asked for is dropped, as _rank_eval refuses it)
    expect(report.terms[0]!.score).toBe(1);
    await expect(evaluateRelevance({ client: t.client, db: database.db }, { index: 'blog', since, queryBuilder: () => [] as never })).rejects.toThrow(
      'the query builder returned an array for the term "postgres", expected a search body object ({ query: ... })',
    );
    await expect(evaluateRelevance({ client: t.client, db: database.db }, { index: 'blog', since, against: 'nowhere' })).rejects.toThrow('index "nowhere" does not exist (neither an alias nor a concrete index)');
    await expect(evaluateRelevance({ client: t.client, db: database.db }, { index: 'people', since })).rejects.toThrow(
      /^no judgments for "people" in the period: 3 term\(s\) searched fewer than 3 times, 0 term\(s\) without a conversion/,
    );
  });
});
