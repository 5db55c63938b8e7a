import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../demo/seeded-random.js';
import { figureFilters, filtersOf, type DashboardFilters } from '../../src/dashboard/dashboard-filters.js';
import { overview, overviewSql, terms, TERM_PAGES } from '../../src/dashboard/dashboard-sql.js';
import { indexkitMigrationSource, migrateLatest, MIGRATIONS_TABLE } from '../../src/db/migration-source.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { LEVEL_TABLES, RECOMPUTE_ALL_SQL } from '../../src/db/migrations/0006-search-rollup-levels.js';
import { conversionOf, insertConversionsSql } from '../../src/search/conversions.js';
import { pruneQueries } from '../../src/search/query-audit.js';
import { QueryLog } from '../../src/search/query-log.js';
import { positionsSql, termsSql, toFigures } from '../../src/search/query-stats.js';
import { pieces, rollupTermsSql } from '../../src/search/rollup-sql.js';
import type { SearchQuery } from '../../src/search/search-query.js';
import { isolatedDatabase } from '../helpers/database.js';

/**
 * The rollups of migration 0004 against the log itself: a seeded random log (durations with
 * decimals, terms in mixed case and spacing, users or none, zero-hit searches, counts, searches
 * written late, conversions recorded before and after their searches, twice, on hits never
 * returned and on zero-hit searches), then the dashboard's figures from the rollups must equal,
 * to the last bit, the figures the CLI's SQL computes from the log for the same filters; again
 * after prunes, a deleted conversion and an updated search; and the rollups kept by the triggers
 * must equal the rollups recomputed from scratch.
 */

let db: Knex;
let cleanup: () => Promise<void>;
let kind: 'pg' | 'pglite';
const DAY = 86_400_000;
// Not on an hour: every period has partial hours and days at both ends.
const now = new Date(Math.floor(Date.now() / DAY) * DAY - 7 * DAY + 13 * 3_600_000 + 17 * 60_000 + 29_123);
const TERMS = ['Postgres', 'postgres ', ' POSTGRES', 'rust', 'Rust', 'elixir', 'go', 'kubernetes', 'zig', 'ocaml', '', '  '];

function makeQuery(random: () => number, daysBack: number): SearchQuery {
  const total = random() < 0.15 ? 0 : 1 + Math.floor(random() * 40);
  const index = random() < 0.6 ? 'blog' : 'shop';
  return {
    id: randomUUID(),
    queryType: random() < 0.05 ? 'count' : 'search',
    index,
    searchTerms: TERMS[Math.floor(random() * TERMS.length)]!,
    query: { query: { match_all: {} } },
    hits: Array.from({ length: Math.min(total, 5) }, (_, i) => ({ id: String(i + 1), index, score: 5 - i, rank: i + 1 })),
    totalHits: total,
    totalHitsRelation: 'eq',
    maxScore: total ? 5 : null,
    minScore: total ? 1 : null,
    aggregations: null,
    page: { from: 0, size: 5, number: 1 },
    executedAt: new Date(now.getTime() - random() * daysBack * DAY),
    durationMs: random() < 0.02 ? 0 : Math.round(random() ** 3 * 2000 * 1000) / 1000 + 0.05,
    user: random() < 0.3 ? null : `u${Math.floor(random() * 40)}`,
    reference: null,
  };
}

/** Seeds the log; `between` runs once the first 600 searches are written (and some of their conversions, placed by the log's update). */
async function seed(between: () => Promise<void>): Promise<SearchQuery[]> {
  const random = mulberry32(16);
  const log = new QueryLog({ db, flushIntervalMs: 60_000, maxBatch: 97 });
  const queries = Array.from({ length: 900 }, () => makeQuery(random, 400));
  // Conversions before their searches are written (placed by the log's update)...
  for (const q of queries.slice(0, 300)) if (random() < 0.3) log.recordConversion(q.id, { hitId: String(1 + Math.floor(random() * 6)) });
  for (const q of queries.slice(0, 600)) log.record(q);
  await log.flush();
  await between();
  // ... and after (inserted with their position), twice, on hits never returned, as other kinds.
  for (const q of queries.slice(0, 600)) {
    if (random() < 0.25) {
      const hitId = String(1 + Math.floor(random() * 7));
      log.recordConversion(q.id, { hitId });
      log.recordConversion(q.id, { hitId });
      if (random() < 0.3) log.recordConversion(q.id, { hitId: '1', kind: 'purchase', value: 3 });
    }
  }
  // Searches written late, out of time order.
  for (const q of queries.slice(600)) log.record(q);
  for (const q of queries.slice(600)) if (random() < 0.3) log.recordConversion(q.id, { hitId: String(1 + Math.floor(random() * 5)) });
  const { failed } = await log.close();
  if (failed) throw new Error('seeding the query log failed');
  return queries;
}

let backfilled: string[] = [];

beforeAll(async () => {
  ({ db, cleanup, kind } = await isolatedDatabase());
  // Up to 0005 (0004's rollups), then 0006 fills its levels from the log written so far; the rest is written through 0006's triggers.
  for (const m of MIGRATIONS.filter((m) => m.name < '0006')) await db.migrate.up({ migrationSource: indexkitMigrationSource, tableName: MIGRATIONS_TABLE, name: m.name });
  await seed(async () => {
    backfilled = await migrateLatest(db);
  });
});

afterAll(async () => {
  await cleanup();
});

const normal = (v: unknown): number | null => (v === null || v === undefined ? null : v instanceof Date ? v.getTime() : Number(v));

/** Filters as the dashboard parses them from its address. */
const filters = (query: string): DashboardFilters => filtersOf(new URLSearchParams(query.includes('until=') ? query : `${query}&until=${now.toISOString()}`));

async function expectRollupsEqualLog(query: string): Promise<void> {
  const f = filters(query);
  // The raw path of the same statement: the log's SQL over the same buckets.
  const raw = (await overviewSql(db, f)) as Array<Record<string, unknown>>;
  const o = await overview(db, f);
  const want = new Map(raw.map((r) => [`${r.period}:${r.bucket}`, r]));
  for (const [period, series] of [
    [0, o.series],
    [1, o.previousSeries],
  ] as const) {
    series.searches.forEach((n, i) => {
      const r = want.get(`${period}:${i}`);
      expect(n, `${query} period ${period} bucket ${i} searches`).toBe(normal(r?.volume) ?? 0);
      expect(series.users[i], `${query} period ${period} bucket ${i} users`).toBe(normal(r?.users) ?? 0);
      if (n) {
        expect(series.p50[i], `${query} period ${period} bucket ${i} p50`).toBe(normal(r!.p50));
        expect(series.p95[i], `${query} period ${period} bucket ${i} p95`).toBe(normal(r!.p95));
        expect(series.conversionRate[i], `${query} period ${period} bucket ${i} conversion rate`).toBe(Number(r!.converted) / n);
      }
    });
  }
  for (const period of [0, 1]) {
    const [positions] = (await positionsSql(db, figureFilters(f, period))) as Array<Record<string, unknown>>;
    const expected = toFigures(want.get(`${period}:null`), positions);
    expect(period ? o.previous : o.current, `${query} period ${period}`).toEqual(expected);
  }
  for (const page of TERM_PAGES) {
    const options = { limit: 1000, zeroHits: page === 'zero', order: page === 'low' ? ('lowConversion' as const) : ('count' as const), minSearches: 3 };
    const rows = (await termsSql(db, figureFilters(f), options)) as Array<Record<string, unknown>>;
    const got = await terms(db, f, page, { limit: 1000, minSearches: 3 });
    expect(got.map((t) => [t.term, t.count, t.meanHits, t.converted, t.meanPosition]), `${query} ${page}`).toEqual(
      rows.map((r) => [String(r.term), Number(r.n), Number(r.mean_hits), Number(r.converted), normal(r.mean_position)]),
    );
  }
}

// 14d: 6-hour buckets; 90d and 365d: Monday weeks; 500d: 30-day buckets over weeks and days.
const QUERIES = ['period=1h', 'period=24h', 'period=7d', 'period=14d', 'period=30d', 'period=90d', 'period=365d', 'period=500d', 'period=30d&index=blog', 'period=90d&index=blog', 'period=365d&index=shop', 'period=7d&index=none', 'period=50h', 'period=61d&index=shop'];
// Pinned inside the log (searches after the period's end: its ends are not widened), and before it.
QUERIES.push(...['period=30d', 'period=7d&index=blog', 'period=365d', 'period=90d&index=shop'].map((q, i) => `${q}&until=${new Date(now.getTime() - (40 + 50 * i) * DAY - 5 * 3_600_000 - 7 * 60_000).toISOString()}`), `period=30d&until=${new Date(now.getTime() - 420 * DAY).toISOString()}`);

describe('dashboard rollups', () => {
  it('fills the levels from the log it finds (0006 after 0004)', async () => {
    expect(backfilled).toEqual(['0006_search_rollup_levels']);
    // 0004's tables are gone, its user numbering is kept.
    expect(await db.schema.hasTable('indexkit_search_rollup_latency')).toBe(false);
    expect(await db.schema.hasTable('indexkit_search_users')).toBe(true);
    const grains = (await db(LEVEL_TABLES.buckets).distinct('grain').pluck('grain')) as string[];
    expect(grains.sort()).toEqual(['day', 'hour', 'week']);
    expect(await db(LEVEL_TABLES.terms).distinct('grain').pluck('grain').then((g: string[]) => g.sort())).toEqual(['all', 'day', 'week']);
  });

  it('cuts a range into whole UTC weeks (from Monday), days, hours and the rest', () => {
    const at = (s: string) => new Date(s);
    // 2026-01-05 and 2026-01-12 are Mondays.
    expect(pieces(at('2026-01-03T10:30:00Z'), at('2026-01-14T02:15:00Z')).map((p) => [p.grain, p.since.toISOString(), p.until.toISOString()])).toEqual([
      ['raw', '2026-01-03T10:30:00.000Z', '2026-01-03T11:00:00.000Z'],
      ['hour', '2026-01-03T11:00:00.000Z', '2026-01-04T00:00:00.000Z'],
      ['day', '2026-01-04T00:00:00.000Z', '2026-01-05T00:00:00.000Z'],
      ['week', '2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z'],
      ['day', '2026-01-12T00:00:00.000Z', '2026-01-14T00:00:00.000Z'],
      ['hour', '2026-01-14T00:00:00.000Z', '2026-01-14T02:00:00.000Z'],
      ['raw', '2026-01-14T02:00:00.000Z', '2026-01-14T02:15:00.000Z'],
    ]);
  });

  it('cuts a range into whole UTC days, whole hours and the rest', () => {
    const at = (s: string) => new Date(s);
    expect(pieces(at('2026-01-01T10:30:00Z'), at('2026-01-03T02:15:00Z')).map((p) => [p.grain, p.since.toISOString(), p.until.toISOString()])).toEqual([
      ['raw', '2026-01-01T10:30:00.000Z', '2026-01-01T11:00:00.000Z'],
      ['hour', '2026-01-01T11:00:00.000Z', '2026-01-02T00:00:00.000Z'],
      ['day', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'],
      ['hour', '2026-01-03T00:00:00.000Z', '2026-01-03T02:00:00.000Z'],
      ['raw', '2026-01-03T02:00:00.000Z', '2026-01-03T02:15:00.000Z'],
    ]);
    expect(pieces(at('2026-01-01T10:30:00Z'), at('2026-01-01T10:45:00Z'))).toEqual([{ grain: 'raw', since: at('2026-01-01T10:30:00Z'), until: at('2026-01-01T10:45:00Z') }]);
    expect(pieces(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), ['day'])).toEqual([{ grain: 'day', since: at('2026-01-01T00:00:00Z'), until: at('2026-01-02T00:00:00Z') }]);
  });

  it('gives every figure, bucket and term the CLI computes from the log, for every period and index', async () => {
    // Terms of a year are read as the whole log less its first 35 days; of 30 days, day by day.
    const span = { oldest: new Date(now.getTime() - 400 * DAY), newest: now, first: new Date(now.getTime() - 400 * DAY), last: now };
    const termsOf = (period: number) => rollupTermsSql(db, undefined, new Date(now.getTime() - period * DAY), now, { limit: 1, span }).toQuery();
    expect(termsOf(365)).toContain("r.grain = 'all'");
    expect(termsOf(30)).not.toContain("r.grain = 'all'");
    for (const query of QUERIES) await expectRollupsEqualLog(query);
  });

  it('keeps rollups equal to the ones recomputed from the log', async () => {
    await expectTriggersEqualRecompute();
  });

  it('stays equal after prunes, a deleted conversion and an edited search', async () => {
    await pruneQueries(db, new Date(now.getTime() - 200 * DAY - 5 * 3_600_000 - 7_000), { index: 'shop' });
    await pruneQueries(db, new Date(now.getTime() - 300 * DAY + 11 * 60_000));
    const [conversion] = (await db('indexkit_search_conversions').whereNotNull('position').orderBy(['query_id', 'hit_id']).limit(1)) as Array<{ query_id: string; hit_id: string }>;
    await db('indexkit_search_conversions').where({ query_id: conversion!.query_id, hit_id: conversion!.hit_id }).delete();
    // A converted search, moved in time: its conversions move with it.
    const edited = (await db('indexkit_search_queries as q').join('indexkit_search_conversions as c', 'c.query_id', 'q.id').where('q.query_type', 'search').whereNotNull('c.position').orderBy('q.executed_at').select('q.id').first()) as { id: string };
    await db('indexkit_search_queries').where('id', edited.id).update({ duration_ms: 777.7, search_terms: 'edited', executed_at: new Date(now.getTime() - 3 * DAY) });
    expect(new Set((await db('indexkit_search_conversions').where('query_id', edited.id).pluck('query_executed_at')).map((d: Date) => d.getTime()))).toEqual(new Set([now.getTime() - 3 * DAY]));
    for (const query of QUERIES) await expectRollupsEqualLog(query);
    await expectTriggersEqualRecompute();
  });

  it('counts a search converted once when two writers convert on it at once', async (ctx) => {
    // PGlite has one connection: nothing runs at once there.
    if (kind === 'pglite') return ctx.skip();
    const q = (await db('indexkit_search_queries as q')
      .where('q.query_type', 'search')
      .where('q.total_hits', '>', 2)
      .whereNotExists(db('indexkit_search_conversions as c').select(db.raw('1')).whereRaw('c.query_id = q.id'))
      .orderBy('q.id')
      .first('q.id', 'q.index_name', 'q.executed_at')) as { id: string; index_name: string; executed_at: Date };
    const hour = () =>
      db(LEVEL_TABLES.buckets)
        .where({ grain: 'hour', index_name: q.index_name })
        .whereRaw("start = date_trunc('hour', ?::timestamptz, 'UTC')", [q.executed_at])
        .first('converted', 'conversions') as Promise<{ converted: number; conversions: number }>;
    const before = await hour();
    const first = await db.transaction();
    await insertConversionsSql(first, [conversionOf(q.id, { hitId: '1' })]);
    // The second waits on the search's row, locked by the first's trigger, then sees its conversion.
    const second = db.transaction((trx) => insertConversionsSql(trx, [conversionOf(q.id, { hitId: '2' })]));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.commit();
    await second;
    const after = await hour();
    expect([after.converted - before.converted, after.conversions - before.conversions]).toEqual([1, 2]);
    await expectTriggersEqualRecompute();
  });

  it('empties with the log', async () => {
    await db.raw('truncate indexkit_search_queries');
    for (const table of Object.values(LEVEL_TABLES)) expect(Number((await db(table).count('* as n').first())!.n), table).toBe(0);
  });
});

/** The rollup tables as the triggers left them, then recomputed from the log: the same rows. */
async function expectTriggersEqualRecompute(): Promise<void> {
  const snapshot = async () => {
    const out: Record<string, unknown[]> = {};
    for (const table of Object.values(LEVEL_TABLES)) out[table] = ((await db.raw(`select * from ${table} order by 1, 2, 3, 4`)) as { rows: unknown[] }).rows;
    return out;
  };
  const kept = await snapshot();
  await db.raw(RECOMPUTE_ALL_SQL);
  expect(kept).toEqual(await snapshot());
}
