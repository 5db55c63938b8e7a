import { describe, expect, it } from 'vitest';
import { lastPage, pageLinks, pageOfWindow, pageWindow } from '../../src/search/pagination.js';

describe('pageWindow', () => {
  it('turns a 1-based page and size into from/size, and back', () => {
    for (const [page, size] of [[1, 10], [3, 20], [7, 1], [50, 200]] as const) {
      const window = pageWindow({ page, size });
      expect(window).toEqual({ from: (page - 1) * size, size });
      expect(pageOfWindow(window)).toEqual({ page, size });
    }
  });

  it('allows the page that ends exactly at max_result_window and refuses the next', () => {
    expect(pageWindow({ page: 100, size: 100 })).toEqual({ from: 9900, size: 100 });
    expect(() => pageWindow({ page: 101, size: 100 })).toThrow(/beyond max_result_window 10000; the last page is 100/);
    expect(pageWindow({ page: 5, size: 10 }, { maxResultWindow: 50 })).toEqual({ from: 40, size: 10 });
    expect(() => pageWindow({ page: 6, size: 10 }, { maxResultWindow: 50 })).toThrow(/max_result_window 50/);
  });

  it('refuses pages below 1, fractional pages and negative sizes with a usage error', () => {
    for (const bad of [{ page: 0, size: 10 }, { page: 1.5, size: 10 }, { page: 1, size: -1 }, { page: Number.NaN, size: 10 }]) {
      expect(() => pageWindow(bad)).toThrow(expect.objectContaining({ code: 'PAGE_OUT_OF_RANGE', exitCode: 2 }));
    }
  });
});

describe('pageOfWindow', () => {
  it('names the page that holds hit from + 1 when from is not a multiple of size', () => {
    expect(pageOfWindow({ from: 25, size: 10 })).toEqual({ page: 3, size: 10 });
    expect(pageOfWindow({ from: 0, size: 0 })).toEqual({ page: 1, size: 0 });
  });
});

describe('lastPage and pageLinks', () => {
  it('limits the last page by the hits and by the window', () => {
    expect(lastPage(0, 10)).toBe(1);
    expect(lastPage(95, 10)).toBe(10);
    expect(lastPage(100, 10)).toBe(10);
    // 50,000 hits, 30 per page: page 333 ends at 9,990, page 334 would end at 10,020.
    expect(lastPage(50_000, 30)).toBe(333);
    expect(() => pageWindow({ page: lastPage(50_000, 30), size: 30 })).not.toThrow();
    expect(() => pageWindow({ page: lastPage(50_000, 30) + 1, size: 30 })).toThrow();
  });

  it('gives previous and next, null at the ends', () => {
    expect(pageLinks(45, { page: 1, size: 10 })).toEqual({ page: 1, previous: null, next: 2, last: 5 });
    expect(pageLinks(45, { page: 5, size: 10 })).toEqual({ page: 5, previous: 4, next: null, last: 5 });
  });
});
