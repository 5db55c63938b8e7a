import { describe, expect, it } from 'vitest';
import type { SearchParams } from '../../../src/engine/contract.js';
import { parseSearchRequest } from '../../../src/engine/search/search-request.js';

describe('rest_total_hits_as_int', () => {
  it('counts every hit when the request does not say how far to count (RestSearchAction.checkRestTotalHits)', () => {
    expect(parseSearchRequest({}, { rest_total_hits_as_int: true } as SearchParams, new Set()).trackTotalHits).toBe(true);
    expect(parseSearchRequest({}, {} as SearchParams, new Set()).trackTotalHits).toBe(10000);
    expect(parseSearchRequest({ track_total_hits: false }, { rest_total_hits_as_int: true } as SearchParams, new Set()).trackTotalHits).toBe(false);
  });

  it('reads a track_total_hits string as SearchSourceBuilder does, and refuses an inaccurate count with it', () => {
    expect(parseSearchRequest({ track_total_hits: 'false' }, {} as SearchParams, new Set()).trackTotalHits).toBe(false);
    expect(parseSearchRequest({ track_total_hits: '25' }, {} as SearchParams, new Set()).trackTotalHits).toBe(25);
    expect(() => parseSearchRequest({ track_total_hits: '1' }, { rest_total_hits_as_int: true } as SearchParams, new Set())).toThrow(
      '[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got 1',
    );
  });
});
