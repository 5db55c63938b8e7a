import { formatDuration, parseDuration } from '../config/duration.js';
import type { FigureFilters } from '../search/query-stats.js';

/** The periods the filter form offers (any duration is accepted in the URL). */
export const PERIODS = ['1h', '24h', '7d', '30d', '90d', '365d'] as const;

/** What every page is filtered by: an index, a period ending at `until`, a user, a reference. */
export interface DashboardFilters {
  index?: string;
  user?: string;
  reference?: string;
  /** The period's length in ms (default 7 days). */
  periodMs: number;
  /** The period as written (`7d`). */
  period: string;
  /** The end of the period, exclusive (default: now). */
  until: Date;
  /** Whether `until` was given (kept in links, so a page can be pinned to a moment). */
  pinned: boolean;
}

export class FilterError extends Error {}

const text = (params: URLSearchParams, name: string): string | undefined => {
  const value = params.get(name)?.trim();
  return value ? value.slice(0, 500) : undefined;
};

/** The filters of a request's query string; throws FilterError naming a bad value. */
export function filtersOf(params: URLSearchParams, now = new Date()): DashboardFilters {
  const period = text(params, 'period') ?? '7d';
  const periodMs = parseDuration(period);
  if (periodMs === undefined || periodMs <= 0) throw new FilterError(`period is "${period}", expected a duration such as 24h, 7d or 30d`);
  const untilText = text(params, 'until');
  const until = untilText === undefined ? now : new Date(untilText);
  if (Number.isNaN(until.getTime())) throw new FilterError(`until is "${untilText}", expected an ISO date (2026-01-31T12:00:00Z)`);
  return { index: text(params, 'index'), user: text(params, 'user'), reference: text(params, 'reference'), period, periodMs, until, pinned: untilText !== undefined };
}

/** The filters as audit filters over the period (`shift` periods back: 1 is the previous period). */
export function figureFilters(f: DashboardFilters, shift = 0): FigureFilters {
  const until = new Date(f.until.getTime() - shift * f.periodMs);
  return { index: f.index, user: f.user, reference: f.reference, since: new Date(until.getTime() - f.periodMs), until };
}

/** The query string that reproduces the filters (plus `extra`), for links and exports. */
export function filterQuery(f: DashboardFilters, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ index: f.index, period: f.period, user: f.user, reference: f.reference, until: f.pinned ? f.until.toISOString() : undefined, ...extra })) {
    if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const q = params.toString();
  return q ? `?${q}` : '';
}

/** The bucket width of the period's time series: about 24 to 60 points. */
export function bucketMs(periodMs: number): number {
  const steps = [60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];
  return steps.find((s) => periodMs / s <= 60) ?? 30 * 86_400_000;
}

/** One bucket of a period's time series, [since, until). */
export interface BucketRange {
  bucket: number;
  since: Date;
  until: Date;
}

// Weeks start on Monday (1970-01-05 is one); shorter buckets start at whole UTC minutes, hours, days.
const WEEK_ORIGIN_MS = 4 * 86_400_000;

/**
 * The buckets of the period `shift` periods back. Buckets of an hour or longer lie on the UTC
 * grid of their width (hours, 3 and 6 hours, days, Monday weeks), the first and last cut at
 * the period's ends, so that each is whole hours and days of the rollups but for the period's
 * ends; shorter buckets start at the period's start.
 */
export function bucketRanges(f: DashboardFilters, shift = 0): BucketRange[] {
  const { since, until } = figureFilters(f, shift);
  const step = bucketMs(f.periodMs);
  const from = since!.getTime();
  const to = until!.getTime();
  const origin = step >= 3_600_000 ? (step % (7 * 86_400_000) === 0 ? WEEK_ORIGIN_MS : 0) : from;
  const out: BucketRange[] = [];
  for (let start = origin + Math.floor((from - origin) / step) * step; start < to; start += step) {
    out.push({ bucket: out.length, since: new Date(Math.max(start, from)), until: new Date(Math.min(start + step, to)) });
  }
  return out;
}

export const describePeriod = (f: DashboardFilters): string => `${formatDuration(f.periodMs)} to ${f.pinned ? f.until.toISOString() : 'now'}`;
