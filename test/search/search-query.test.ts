import { describe, expect, it } from 'vitest';
import { fromQueryLogRow, toQueryLogRow } from '../../src/search/query-log-row.js';
import { csvField, queriesToCsv } from '../../src/search/query-report.js';
import { hitsOf, pageOf, scoreRange, totalOf, userId, type SearchQuery } from '../../src/search/search-query.js';

describe('scoreRange', () => {
  it('is null at both ends when no hit has a score (a sorted search)', () => {
    expect(scoreRange([{ score: null }, { score: null }], null)).toEqual({ maxScore: null, minScore: null });
    expect(scoreRange([], null)).toEqual({ maxScore: null, minScore: null });
  });

  it('skips null scores and takes the larger of the page max and the reported max_score', () => {
    expect(scoreRange([{ score: 2 }, { score: null }, { score: 0.5 }], null)).toEqual({ maxScore: 2, minScore: 0.5 });
    expect(scoreRange([{ score: 1.2 }, { score: 0.7 }], 3.4)).toEqual({ maxScore: 3.4, minScore: 0.7 });
  });
});

describe('hitsOf and totalOf', () => {
  it('ranks hits from from + 1 and keeps ids as strings', () => {
    const hits = hitsOf({ hits: { hits: [{ _id: '7', _index: 'blog-1', _score: null, sort: [1] }, { _id: '3', _index: 'blog-1', _score: 1.5, highlight: { t: ['<em>x</em>'] } }] } }, 20);
    expect(hits).toEqual([
      { id: '7', index: 'blog-1', score: null, rank: 21, sort: [1] },
      { id: '3', index: 'blog-1', score: 1.5, rank: 22, highlight: { t: ['<em>x</em>'] } },
    ]);
  });

  it('reads totals as an object, a number (rest_total_hits_as_int) or absent (track_total_hits false)', () => {
    expect(totalOf({ hits: { total: { value: 10000, relation: 'gte' } } }, 10)).toEqual({ totalHits: 10000, totalHitsRelation: 'gte' });
    expect(totalOf({ hits: { total: 42 } }, 10)).toEqual({ totalHits: 42, totalHitsRelation: 'eq' });
    expect(totalOf({ hits: {} }, 10)).toEqual({ totalHits: 10, totalHitsRelation: 'gte' });
  });
});

describe('userId', () => {
  it('reduces a user to a string id', () => {
    expect(userId(42)).toBe('42');
    expect(userId('a@b')).toBe('a@b');
    expect(userId({ id: 7 })).toBe('7');
    expect(userId({ pk: 'x' })).toBe('x');
    expect(userId({})).toBeNull();
    expect(userId(undefined)).toBeNull();
  });
});

const sample = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({
  id: '0b6f5c1e-3f5e-4c8e-9a57-1f2d7a9f6c10',
  queryType: 'search',
  index: 'blog',
  searchTerms: 'a\u0000b',
  query: { query: { match: { title: 'a\u0000b' } }, from: 0, size: 2 },
  hits: [{ id: '1', index: 'blog', score: 1, rank: 1, highlight: { title: ['x'] }, source: { title: 'x' } }],
  totalHits: 1,
  totalHitsRelation: 'eq',
  maxScore: 1,
  minScore: 1,
  aggregations: null,
  page: pageOf(0, 2),
  executedAt: new Date('2026-01-02T03:04:05.678Z'),
  durationMs: 1.25,
  user: null,
  reference: null,
  ...overrides,
});

describe('toQueryLogRow and fromQueryLogRow', () => {
  it('drop NUL characters (jsonb cannot hold them) and leave highlights and sources out of the log', () => {
    const row = toQueryLogRow(sample());
    expect(row.search_terms).toBe('ab');
    expect(row.query).not.toContain('\\u0000');
    const back = fromQueryLogRow({ ...row });
    expect(back.hits).toEqual([{ id: '1', index: 'blog', score: 1, rank: 1 }]);
    expect(back.query).toEqual({ query: { match: { title: 'ab' } }, from: 0, size: 2 });
  });
});

describe('queriesToCsv', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    const csv = queriesToCsv([sample({ searchTerms: 'rust, go' })]).trimEnd().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain('"rust, go"');
  });
});
