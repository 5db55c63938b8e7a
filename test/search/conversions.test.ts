import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/db/migration-source.js';
import { SEARCH_CONVERSIONS_TABLE } from '../../src/db/migrations/0003-search-conversions.js';
import { listConversions } from '../../src/search/conversions.js';
import { QueryLog } from '../../src/search/query-log.js';
import type { SearchQuery } from '../../src/search/search-query.js';
import { openProject } from '../../src/project.js';
import { isolatedDatabase } from '../helpers/database.js';
import { baseline, makeProject } from '../helpers/project.js';

let db: Knex;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await isolatedDatabase());
  await migrateLatest(db);
});

afterAll(async () => {
  await cleanup();
});

function search(hits: number): SearchQuery {
  return {
    id: randomUUID(),
    queryType: 'search',
    index: 'blog',
    searchTerms: 'postgres',
    query: { query: { match: { title: 'postgres' } }, from: 10, size: 10 },
    // Page 2: ranks 11.. as executeSearch numbers them.
    hits: Array.from({ length: hits }, (_, i) => ({ id: `doc-${i}`, index: 'blog-v2', score: 1 - i / 100, rank: 11 + i })),
    totalHits: 30,
    totalHitsRelation: 'eq',
    maxScore: 1,
    minScore: 1 - (hits - 1) / 100,
    aggregations: null,
    page: { from: 10, size: 10, number: 2 },
    executedAt: new Date(),
    durationMs: 3,
    user: 'u1',
    reference: null,
  };
}

const newLog = () => new QueryLog({ db, flushIntervalMs: 60_000, maxBatch: 100 });

describe('QueryLog.recordConversion', () => {
  it('keeps a conversion recorded before its query row is written and gives it the hit rank from the logged hits', async () => {
    const log = newLog();
    const q = search(5);
    log.record(q);
    log.recordConversion(q.id, { hitId: 'doc-2' });
    expect(log.pendingConversions).toBe(1);
    await log.close();
    const [c] = await listConversions(db, q.id);
    expect(c).toMatchObject({ queryId: q.id, hitId: 'doc-2', kind: 'click', index: 'blog-v2', position: 13, value: null });
  });

  it('places a conversion written before the search row another process logs later', async () => {
    const clicks = newLog();
    const searches = newLog();
    const q = search(3);
    clicks.recordConversion(q.id, { hitId: 'doc-0', kind: 'purchase', value: 12.5 });
    await clicks.close();
    expect(await listConversions(db, q.id)).toMatchObject([{ position: null, index: null, value: 12.5 }]);
    searches.record(q);
    await searches.close();
    expect(await listConversions(db, q.id)).toMatchObject([{ hitId: 'doc-0', kind: 'purchase', position: 11, index: 'blog-v2' }]);
  });

  it('is idempotent per (query, hit, kind), and a hit the search did not return has no position', async () => {
    const log = newLog();
    const q = search(2);
    log.record(q);
    await log.flush();
    log.recordConversion(q.id, { hitId: 'doc-1' });
    log.recordConversion(q.id, { hitId: 'doc-1' });
    await log.flush();
    log.recordConversion(q.id, { hitId: 'doc-1', value: 99 });
    log.recordConversion(q.id, { hitId: 'doc-1', kind: 'purchase' });
    log.recordConversion(q.id, { hitId: 'elsewhere', index: 'shop' });
    await log.close();
    const rows = await listConversions(db, q.id);
    expect(rows.map((c) => [c.hitId, c.kind, c.position, c.index, c.value])).toEqual([
      ['doc-1', 'click', 12, 'blog-v2', null],
      ['doc-1', 'purchase', 12, 'blog-v2', null],
      ['elsewhere', 'click', null, 'shop', null],
    ]);
  });

  it('keeps conversions queued while the table cannot be written, and writes them once it can', async () => {
    const warnings: string[] = [];
    const log = new QueryLog({ db, flushIntervalMs: 60_000, maxBatch: 100, logger: { warn: (m) => warnings.push(m) } });
    const q = search(1);
    log.record(q);
    await db.raw('alter table ?? rename to ??', [SEARCH_CONVERSIONS_TABLE, 'conversions_away']);
    log.recordConversion(q.id, { hitId: 'doc-0' });
    try {
      expect((await log.flush()).failed).toBe(true);
      expect(log.pendingConversions).toBe(1);
    } finally {
      await db.raw('alter table ?? rename to ??', ['conversions_away', SEARCH_CONVERSIONS_TABLE]);
    }
    await log.close();
    expect(await listConversions(db, q.id)).toMatchObject([{ hitId: 'doc-0', position: 11 }]);
    expect(warnings[0]).toMatch(/query log write failed \(42P01: .*\); 0 queries and 1 conversions kept in memory/s);
  });

  it('refuses malformed arguments with the argument named', () => {
    const log = newLog();
    expect(() => log.recordConversion('42', { hitId: 'a' })).toThrow(/queryId is "42", expected the id \(a UUID\)/);
    expect(() => log.recordConversion(randomUUID(), { hitId: '' })).toThrow(/hitId is "", expected a document id/);
    expect(() => log.recordConversion(randomUUID(), { hitId: 'a', kind: 'a b' })).toThrow(/kind is "a b"/);
    expect(() => log.recordConversion(randomUUID(), { hitId: 'a', value: Number.NaN })).toThrow(/value is null, expected a finite number/);
    expect(log.pendingConversions).toBe(0);
  });
});

describe('Project.recordConversion', () => {
  it("queues on the project's query log and is written by close()", async () => {
    const files = makeProject(baseline());
    try {
      const project = await openProject({ cwd: files.dir, db });
      const log = await project.queryLog();
      const q = search(4);
      log.record(q);
      await project.recordConversion(q.id, { hitId: 'doc-3', kind: 'signup' });
      expect(log.pendingConversions).toBe(1);
      await project.close();
      expect(await listConversions(db, q.id)).toMatchObject([{ hitId: 'doc-3', kind: 'signup', position: 14 }]);
    } finally {
      files.cleanup();
    }
  });
});
