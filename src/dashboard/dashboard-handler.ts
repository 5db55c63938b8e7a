import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from 'knex';
import { parseDuration } from '../config/duration.js';
import { IndexkitError } from '../errors.js';
import { pruneQueries, readQueryLog } from '../search/query-audit.js';
import { csvField, queriesToCsv } from '../search/query-report.js';
import { assets as dashboardAssets } from './dashboard-assets.js';
import { filtersOf, FilterError, type DashboardFilters } from './dashboard-filters.js';
import { livePage, messagePage, overviewPage, searchPage, termsPage, type PageContext } from './dashboard-pages.js';
import { latest, oneSearch, overview, readFigures, terms, type TermPage } from './dashboard-sql.js';

/** What the dashboard needs of a project: its database, and optionally its index names for the filter. */
export interface DashboardProject {
  db(): Promise<Knex>;
  indexNames?(): string[];
}

export interface DashboardOptions {
  /** Where the handler is mounted, e.g. `/search/dashboard` ('' for the root). Links are made under it. */
  basePath?: string;
  /**
   * Who may see the dashboard: called for every request (pages, exports, assets, actions);
   * false answers 401. The application decides (its session, its roles).
   */
  authorize?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /**
   * An access token instead of (or besides) `authorize`: accepted as `?token=` (then kept in an
   * HttpOnly, SameSite=Strict cookie and removed from the address) or `Authorization: Bearer`.
   */
  token?: string;
}

export type DashboardHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const COOKIE = 'indexkit_dashboard';
const TERM_ROUTES: Record<string, TermPage> = { '/terms': 'top', '/zero': 'zero', '/low': 'low' };
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

async function readForm(req: IncomingMessage, limit = 16_384): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'the form is too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The search dashboard as a Node request handler, to mount in any app: node:http, express
 * (`app.use('/search/dashboard', handler)`), fastify (`reply.hijack()` then the raw req/res).
 * Every route needs `authorize` to say yes or the `token`; prune needs POST with the page's
 * CSRF token from the same origin. Pages are server-rendered HTML; each table has a `.csv` and
 * a `.json` twin with the same figures.
 *
 * @example
 * const handler = dashboardHandler(project, { basePath: '/search/dashboard', authorize: (req) => isAdmin(req) });
 * app.use('/search/dashboard', handler);
 */
export function dashboardHandler(project: DashboardProject, options: DashboardOptions): DashboardHandler {
  if (!options.authorize && !options.token) throw new IndexkitError('ARGUMENT_INVALID', 'dashboardHandler needs `authorize` (who may see it) or a `token`: the dashboard is never open to everyone');
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  if (base && !/^\/[\w\-./]*$/.test(base)) throw new IndexkitError('ARGUMENT_INVALID', `basePath is "${options.basePath}", expected a path such as /search/dashboard`);
  const csrf = createHmac('sha256', randomBytes(32)).update('csrf').digest('base64url');

  async function authorized(req: IncomingMessage, url: URL): Promise<'yes' | 'no' | 'set-cookie'> {
    if (options.token) {
      const header = req.headers.authorization;
      if (header?.startsWith('Bearer ') && same(header.slice(7), options.token)) return 'yes';
      const cookie = cookieOf(req, COOKIE);
      if (cookie !== undefined && same(cookie, options.token)) return 'yes';
      const query = url.searchParams.get('token');
      if (query !== null && same(query, options.token)) return 'set-cookie';
    }
    if (options.authorize && (await options.authorize(req))) return 'yes';
    return 'no';
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    let path = url.pathname;
    if (base && (path === base || path.startsWith(`${base}/`))) path = path.slice(base.length);
    if (path === '') path = '/';
    const auth = await authorized(req, url);
    if (auth === 'no') return send(res, 401, 'text/plain; charset=utf-8', 'unauthorized: this dashboard needs its access token (see `search dashboard`) or the application\'s sign-in\n', { 'www-authenticate': 'Bearer' });
    if (auth === 'set-cookie') {
      url.searchParams.delete('token');
      return send(res, 303, 'text/plain; charset=utf-8', 'see other\n', {
        // One leading slash: `//host/...` would send the browser to another site.
        location: `${base}/${path.replace(/^\/+/, '')}${url.search}`,
        'set-cookie': `${COOKIE}=${encodeURIComponent(options.token!)}; Path=${base || '/'}; HttpOnly; SameSite=Strict`,
      });
    }
    const db = await project.db();
    if (path.startsWith('/assets/')) {
      const asset = dashboardAssets()[path.slice('/assets/'.length)];
      if (!asset || req.method !== 'GET') throw new HttpError(404, 'no such asset');
      return send(res, 200, asset.type, asset.body, { 'cache-control': 'private, max-age=3600' });
    }
    if (path === '/prune') {
      if (req.method !== 'POST') throw new HttpError(405, 'prune changes data: it takes a POST from the overview page');
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      if ((origin !== undefined && hostOf(origin) !== req.headers.host) || (typeof site === 'string' && site !== 'same-origin' && site !== 'none')) throw new HttpError(403, 'cross-site request refused');
      const form = await readForm(req);
      const given = form.get('csrf') ?? '';
      if (!given || !same(given, csrf)) throw new HttpError(403, 'the form has no valid CSRF token; reload the page and try again');
      const olderThan = form.get('olderThan') ?? '';
      const ms = parseDuration(olderThan);
      if (ms === undefined) throw new HttpError(400, `olderThan is "${olderThan}", expected a duration such as 90d`);
      const before = new Date(Date.now() - ms);
      const deleted = await readQueryLog(() => pruneQueries(db, before));
      return sendPage(res, 200, messagePage(context(defaultFilters()), 'Pruned', `Deleted ${deleted} logged searches executed before ${before.toISOString()}, with their conversions.`));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'only GET here');
    const match = /^(.*?)(?:\.(json|csv))?$/.exec(path)!;
    const route = match[1] === '/overview' ? '/' : match[1]!;
    const format = (match[2] ?? 'html') as 'html' | 'json' | 'csv';
    let filters: DashboardFilters;
    try {
      filters = filtersOf(url.searchParams);
    } catch (error) {
      if (error instanceof FilterError) return sendPage(res, 400, messagePage(context(defaultFilters()), 'Bad filter', error.message));
      throw error;
    }
    const ctx = context(filters);
    if (route === '/') {
      const o = await readQueryLog(() => readFigures(db, (trx) => overview(trx, filters)));
      if (format === 'json') return sendJson(res, { filters: filterJson(filters), ...o });
      if (format === 'csv') {
        const cols = ['time', 'searches', 'users', 'zero_hit_rate', 'conversion_rate', 'p50_ms', 'p95_ms', 'previous_searches', 'previous_users', 'previous_zero_hit_rate', 'previous_conversion_rate', 'previous_p50_ms', 'previous_p95_ms'];
        const lines = [cols.join(',')];
        const s = o.series;
        const p = o.previousSeries;
        for (let i = 0; i < s.time.length; i++) lines.push([new Date(s.time[i]! * 1000), s.searches[i], s.users[i], s.zeroHitRate[i], s.conversionRate[i], s.p50[i], s.p95[i], p.searches[i], p.users[i], p.zeroHitRate[i], p.conversionRate[i], p.p50[i], p.p95[i]].map(csvField).join(','));
        return sendCsv(res, 'overview', `${lines.join('\n')}\n`);
      }
      return sendPage(res, 200, overviewPage(ctx, o));
    }
    if (TERM_ROUTES[route]) {
      const page = TERM_ROUTES[route]!;
      const minSearches = Math.max(1, Number(url.searchParams.get('min') ?? 5) || 5);
      const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
      const rows = await readQueryLog(() => readFigures(db, (trx) => terms(trx, filters, page, { limit, minSearches })));
      if (format === 'json') return sendJson(res, { filters: filterJson(filters), terms: rows });
      if (format === 'csv') {
        const lines = ['term,searches,mean_hits,converted,conversion_rate,mean_position', ...rows.map((t) => [t.term, t.count, t.meanHits, t.converted, t.conversionRate, t.meanPosition].map(csvField).join(','))];
        return sendCsv(res, page, `${lines.join('\n')}\n`);
      }
      return sendPage(res, 200, termsPage(ctx, page, rows, minSearches));
    }
    if (route === '/live') {
      const rows = await readQueryLog(() => latest(db, filters, 50));
      if (format === 'json') return sendJson(res, { filters: filterJson(filters), searches: rows });
      if (format === 'csv') {
        const csv = queriesToCsv(rows).trimEnd().split('\n');
        return sendCsv(res, 'latest', `${[`${csv[0]},conversions`, ...csv.slice(1).map((line, i) => `${line},${rows[i]!.conversions}`)].join('\n')}\n`);
      }
      return sendPage(res, 200, livePage(ctx, rows));
    }
    const one = /^\/searches\/([0-9a-fA-F-]{36})$/.exec(route);
    if (one) {
      let found;
      try {
        found = await readQueryLog(() => oneSearch(db, one[1]!));
      } catch (error) {
        if ((error as { code?: string }).code === 'SEARCH_QUERY_NOT_FOUND') throw new HttpError(404, `no logged search has id "${one[1]}"`);
        throw error;
      }
      if (format === 'json') return sendJson(res, found);
      if (format === 'csv') {
        const kinds = new Map<string, string[]>();
        for (const c of found.conversions) kinds.set(c.hitId, [...(kinds.get(c.hitId) ?? []), c.kind]);
        const lines = ['rank,id,index,score,conversions', ...found.query.hits.map((h) => [h.rank, h.id, h.index, h.score, (kinds.get(h.id) ?? []).join(' ')].map(csvField).join(','))];
        return sendCsv(res, 'search', `${lines.join('\n')}\n`);
      }
      return sendPage(res, 200, searchPage(ctx, found.query, found.conversions));
    }
    throw new HttpError(404, `no dashboard page at ${path}`);
  }

  function defaultFilters(): DashboardFilters {
    return filtersOf(new URLSearchParams());
  }

  function context(filters: DashboardFilters): PageContext {
    let indexes: string[] = [];
    try {
      indexes = project.indexNames?.() ?? [];
    } catch {
      indexes = [];
    }
    return { base, filters, indexes, csrf };
  }

  return (req, res, next) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HttpError) {
        const accept = String(req.headers.accept ?? '');
        if (accept.includes('text/html')) return sendPage(res, error.status, messagePage(context(defaultFilters()), `Error ${error.status}`, error.message));
        return send(res, error.status, 'text/plain; charset=utf-8', `${error.message}\n`);
      }
      if (error instanceof IndexkitError) return send(res, 500, 'text/plain; charset=utf-8', `${error.message}\n`);
      if (next) return next(error);
      send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    });
  };
}

/** The filters as JSON (the same keys as the query string). */
const filterJson = (f: DashboardFilters) => ({ index: f.index ?? null, user: f.user ?? null, reference: f.reference ?? null, period: f.period, since: new Date(f.until.getTime() - f.periodMs).toISOString(), until: f.until.toISOString() });

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
const sendPage = (res: ServerResponse, status: number, page: string) => send(res, status, 'text/html; charset=utf-8', page);
const sendJson = (res: ServerResponse, value: unknown) => send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`);
const sendCsv = (res: ServerResponse, name: string, csv: string) => send(res, 200, 'text/csv; charset=utf-8', csv, { 'content-disposition': `attachment; filename="${name}.csv"` });
