import { SearchQueryError } from '../errors.js';

/** Elasticsearch's default `index.max_result_window`: from + size may not exceed it. */
export const MAX_RESULT_WINDOW = 10_000;

export interface PageRequest {
  /** 1-based page number. */
  page: number;
  /** Hits per page. */
  size: number;
}

export interface PageWindow {
  from: number;
  size: number;
}

export interface PaginationOptions {
  /** The index's `max_result_window` (default 10,000). */
  maxResultWindow?: number;
}

/**
 * `from`/`size` of a 1-based page, checked against `max_result_window` (deep pages need
 * search_after or a point in time instead).
 *
 * @example
 * pageWindow({ page: 3, size: 20 }); // { from: 40, size: 20 }
 */
export function pageWindow({ page, size }: PageRequest, { maxResultWindow = MAX_RESULT_WINDOW }: PaginationOptions = {}): PageWindow {
  if (!Number.isInteger(page) || page < 1) throw new SearchQueryError('PAGE_OUT_OF_RANGE', `page is ${JSON.stringify(page)}, expected an integer of 1 or more`);
  if (!Number.isInteger(size) || size < 0) throw new SearchQueryError('PAGE_OUT_OF_RANGE', `page size is ${JSON.stringify(size)}, expected an integer of 0 or more`);
  const from = (page - 1) * size;
  if (from + size > maxResultWindow) {
    throw new SearchQueryError(
      'PAGE_OUT_OF_RANGE',
      `page ${page} of size ${size} ends at hit ${from + size}, beyond max_result_window ${maxResultWindow}; the last page is ${lastPage(maxResultWindow, size, { maxResultWindow })}`,
    );
  }
  return { from, size };
}

/** The 1-based page number and size of a `from`/`size` window (`from` need not be a multiple of `size`: the page that holds hit `from + 1`). */
export function pageOfWindow({ from, size }: PageWindow): PageRequest {
  return { page: size > 0 ? Math.floor(from / size) + 1 : 1, size };
}

/**
 * The last page a reader can reach for `total` hits: limited both by the hits and by
 * `max_result_window` (1 when there are no hits).
 */
export function lastPage(total: number, size: number, { maxResultWindow = MAX_RESULT_WINDOW }: PaginationOptions = {}): number {
  if (size <= 0) return 1;
  // A page must end inside the window (from + size <= window), so a partial last window page is out of reach.
  return Math.max(1, Math.min(Math.ceil(total / size), Math.floor(maxResultWindow / size)));
}

/** Page links for a result: current, previous and next (null at the ends), and the last page. */
export function pageLinks(total: number, { page, size }: PageRequest, options: PaginationOptions = {}): { page: number; previous: number | null; next: number | null; last: number } {
  const last = lastPage(total, size, options);
  return { page, previous: page > 1 ? page - 1 : null, next: page < last ? page + 1 : null, last };
}
