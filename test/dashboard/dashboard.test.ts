import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardHandler } from '../../src/dashboard/dashboard-handler.js';
import { migrateLatest } from '../../src/db/migration-source.js';
import { QueryLog } from '../../src/search/query-log.js';
import { queryStats } from '../../src/search/query-stats.js';
import type { SearchQuery } from '../../src/search/search-query.js';
import { isolatedDatabase } from '../helpers/database.js';
import { seedAuditLog } from '../search/audit-log.js';

let db: Knex;
let cleanup: () => Promise<void>;
let server: Server;
let origin: string;
let seeded: Awaited<ReturnType<typeof seedAuditLog>>;
const TOKEN = 'test-token-0123456789';
const XSS = '<script>alert(1)</script>';
const auth = { authorization: `Bearer ${TOKEN}` };
const now = new Date();

beforeAll(async () => {
  ({ db, cleanup } = await isolatedDatabase());
  await migrateLatest(db);
  seeded = await seedAuditLog(db, now.getTime());
  const log = new QueryLog({ db });
  const xss: SearchQuery = { ...seeded.all[1]!, id: randomUUID(), searchTerms: XSS, user: '<b>mallory</b>', executedAt: new Date(now.getTime() - 60_000), index: 'shop' };
  log.record(xss);
  await log.close();
  server = createServer(dashboardHandler({ db: async () => db, indexNames: () => ['blog', 'people'] }, { token: TOKEN, basePath: '/search/dashboard' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await cleanup();
});

const get = (path: string, headers: Record<string, string> = auth) => fetch(`${origin}/search/dashboard${path}`, { headers, redirect: 'manual' });
const json = async <T>(path: string): Promise<T> => {
  const res = await get(path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};

// Pinned to `now` so the pages and the SQL below look at the same period.
const pin = `until=${encodeURIComponent(now.toISOString())}`;

describe('dashboard access', () => {
  it('answers 401 on every route without the token, and 401 with a wrong one', async () => {
    const routes = ['/', '/overview.json', '/overview.csv', '/terms', '/terms.csv', '/zero.json', '/low', '/live', '/live.json', `/searches/${seeded.all[0]!.id}`, `/searches/${seeded.all[0]!.id}.json`, '/assets/uplot.js', '/assets/dashboard.css', '/nowhere'];
    for (const route of routes) {
      expect((await get(route, {})).status, route).toBe(401);
      expect((await get(route, { authorization: 'Bearer nope' })).status, route).toBe(401);
    }
    const post = await fetch(`${origin}/search/dashboard/prune`, { method: 'POST', body: 'olderThan=1d', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.status).toBe(401);
    expect(await db('indexkit_search_queries').count('* as n').first()).toMatchObject({ n: expect.anything() });
  });

  it('takes the token once from the address, keeps it in an HttpOnly SameSite cookie and drops it from the address', async () => {
    const res = await get(`/live?period=30d&token=${TOKEN}`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/search/dashboard/live?period=30d');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // Never to another site, whatever the path.
    expect((await get(`//evil.example/x?token=${TOKEN}`, {})).headers.get('location')).toBe('/search/dashboard/evil.example/x');
    const page = await get('/live?period=30d', { cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses prune without the CSRF token or from another site, and prunes with it', async () => {
    const form = (body: string, headers: Record<string, string> = {}) => fetch(`${origin}/search/dashboard/prune`, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded', ...headers } });
    const before = Number((await db('indexkit_search_queries').count('* as n').first())!.n);
    expect((await form('olderThan=90d')).status).toBe(403);
    expect((await form('olderThan=90d&csrf=forged')).status).toBe(403);
    expect((await get('/prune')).status).toBe(405);
    const page = await (await get('/')).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    expect((await form(`olderThan=90d&csrf=${csrf}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect(Number((await db('indexkit_search_queries').count('* as n').first())!.n)).toBe(before);
    const ok = await form(`olderThan=90d&csrf=${encodeURIComponent(csrf)}`, { origin });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Deleted 1 logged searches');
    expect(Number((await db('indexkit_search_queries').count('* as n').first())!.n)).toBe(before - 1);
  });
});

interface Figures {
  volume: number;
  users: number;
  zeroHitRate: number;
  meanHits: number;
  latency: { p50: number; p95: number };
  conversion: { converted: number; conversionRate: number; conversions: number; meanPosition: number | null; medianPosition: number | null };
}

/** The overview's figures computed here, in plain SQL written apart from the toolkit's. */
async function expected(where: string, bindings: Knex.RawBinding[]): Promise<Omit<Figures, 'latency' | 'meanHits'> & { p50: number; p95: number }> {
  const { rows } = await db.raw(
    `select count(*)::int as volume, count(distinct user_id)::int as users,
            (count(*) filter (where total_hits = 0))::float8 / count(*) as zero_rate,
            percentile_cont(0.5) within group (order by duration_ms) as p50,
            percentile_cont(0.95) within group (order by duration_ms) as p95,
            (count(*) filter (where exists (select 1 from indexkit_search_conversions c where c.query_id = q.id)))::int as converted,
            (select count(*)::int from indexkit_search_conversions c join indexkit_search_queries q2 on q2.id = c.query_id where q2.query_type = 'search' and ${where.replaceAll('q.', 'q2.')}) as conversions,
            (select avg(c.position)::float8 from indexkit_search_conversions c join indexkit_search_queries q2 on q2.id = c.query_id where q2.query_type = 'search' and ${where.replaceAll('q.', 'q2.')}) as mean_position
       from indexkit_search_queries q where q.query_type = 'search' and ${where}`,
    [...bindings, ...bindings, ...bindings],
  );
  const r = rows[0];
  return { volume: r.volume, users: r.users, zeroHitRate: r.zero_rate, p50: r.p50, p95: r.p95, conversion: { converted: r.converted, conversionRate: r.converted / r.volume, conversions: r.conversions, meanPosition: r.mean_position, medianPosition: null } };
}

describe('dashboard figures', () => {
  const since = () => new Date(now.getTime() - 30 * 86_400_000);
  const cases: Array<[name: string, query: string, where: string, bindings: () => Knex.RawBinding[], cli: () => Record<string, unknown>]> = [
    ['index blog over 30 days', 'index=blog&period=30d', 'q.index_name = ? and q.executed_at >= ? and q.executed_at < ?', () => ['blog', since(), now], () => ({ index: 'blog', since: since(), until: now })],
    ['user u1, every index, 30 days', 'user=u1&period=30d', 'q.user_id = ? and q.executed_at >= ? and q.executed_at < ?', () => ['u1', since(), now], () => ({ user: 'u1', since: since(), until: now })],
    ['reference ref-people, 1 hour', 'reference=ref-people&period=1h', 'q.reference = ? and q.executed_at >= ? and q.executed_at < ?', () => ['ref-people', new Date(now.getTime() - 3_600_000), now], () => ({ reference: 'ref-people', since: new Date(now.getTime() - 3_600_000), until: now })],
  ];
  for (const [name, query, where, bindings, cli] of cases) {
    it(`shows the figures SQL computes independently, and the CLI's, for ${name}`, async () => {
      const o = await json<{ current: Figures; series: { searches: number[] } }>(`/overview.json?${query}&${pin}`);
      const want = await expected(where, bindings());
      expect(o.current.volume).toBe(want.volume);
      expect(o.current.users).toBe(want.users);
      expect(o.current.zeroHitRate).toBeCloseTo(want.zeroHitRate, 12);
      expect(o.current.latency.p50).toBeCloseTo(want.p50, 12);
      expect(o.current.latency.p95).toBeCloseTo(want.p95, 12);
      expect(o.current.conversion.converted).toBe(want.conversion.converted);
      expect(o.current.conversion.conversions).toBe(want.conversion.conversions);
      expect(o.current.conversion.conversionRate).toBeCloseTo(want.conversion.conversionRate, 12);
      if (want.conversion.meanPosition === null) expect(o.current.conversion.meanPosition).toBeNull();
      else expect(o.current.conversion.meanPosition).toBeCloseTo(want.conversion.meanPosition, 12);
      // The time series adds up to the period's searches.
      expect(o.series.searches.reduce((a, b) => a + b, 0)).toBe(want.volume);
      // `search queries stats` reads the same SQL: one index, or every index summed.
      const stats = await queryStats(db, cli());
      expect(stats.reduce((n, s) => n + s.volume, 0)).toBe(o.current.volume);
      expect(stats.reduce((n, s) => n + s.conversion.converted, 0)).toBe(o.current.conversion.converted);
      if (stats.length === 1) expect({ ...stats[0], index: undefined, topTerms: undefined, topZeroHitTerms: undefined, lowConvertingTerms: undefined }).toMatchObject(JSON.parse(JSON.stringify({ ...o.current, first: undefined, last: undefined })));
      // The page shows the same numbers.
      const page = await (await get(`/?${query}&${pin}`)).text();
      expect(page).toContain(`<article class="card" data-figure="searches">\n<h2>Searches</h2>\n<p class="figure" data-value>${want.volume}</p>`);
      expect(page).toMatch(new RegExp(`data-figure="conversionRate">\\n<h2>Conversion rate</h2>\\n<p class="figure" data-value>${want.volume ? (want.conversion.conversionRate * 100).toFixed(1) : '–'}%?</p>`));
    });
  }

  it('draws every time bucket of the period and of the one before with the figures SQL computes for that bucket', async () => {
    type Series = { time: number[]; searches: number[]; users: number[]; zeroHitRate: Array<number | null>; conversionRate: Array<number | null>; p50: Array<number | null>; p95: Array<number | null> };
    const o = await json<{ series: Series; previousSeries: Series; bucketMs: number }>(`/overview.json?period=1h&${pin}`);
    expect(o.bucketMs).toBe(60_000);
    for (const [shift, series] of [[0, o.series], [1, o.previousSeries]] as const) {
      const until = new Date(now.getTime() - shift * 3_600_000);
      const since = new Date(until.getTime() - 3_600_000);
      const { rows } = await db.raw(
        `select floor(extract(epoch from (executed_at - ?::timestamptz)) / 60)::int as bucket, count(*)::int as n, count(distinct user_id)::int as users,
                (count(*) filter (where total_hits = 0))::float8 / count(*) as zero_rate,
                (count(*) filter (where exists (select 1 from indexkit_search_conversions c where c.query_id = q.id)))::float8 / count(*) as conversion_rate,
                percentile_cont(0.5) within group (order by duration_ms) as p50, percentile_cont(0.95) within group (order by duration_ms) as p95
           from indexkit_search_queries q where query_type = 'search' and executed_at >= ? and executed_at < ? group by 1`,
        [since, since, until],
      );
      const byBucket = new Map((rows as Array<Record<string, number>>).map((r) => [r.bucket, r]));
      expect(series.searches).toHaveLength(60);
      expect(series.searches.reduce((a, b) => a + b, 0)).toBe((rows as Array<{ n: number }>).reduce((a, r) => a + r.n, 0));
      if (shift === 0) expect(byBucket.size).toBeGreaterThan(2);
      for (let i = 0; i < 60; i++) {
        const want = byBucket.get(i);
        expect(series.searches[i], `bucket ${i}`).toBe(want?.n ?? 0);
        expect(series.users[i], `bucket ${i}`).toBe(want?.users ?? 0);
        for (const [got, expected] of [[series.zeroHitRate[i], want?.zero_rate], [series.conversionRate[i], want?.conversion_rate], [series.p50[i], want?.p50], [series.p95[i], want?.p95]] as const) {
          if (want === undefined) expect(got, `bucket ${i}`).toBeNull();
          else expect(got, `bucket ${i}`).toBeCloseTo(expected!, 12);
        }
      }
    }
  });

  it('lists top terms with conversion figures as SQL counts them, in CSV too', async () => {
    const body = await json<{ terms: Array<{ term: string; count: number; converted: number; meanHits: number }> }>(`/terms.json?index=blog&period=30d&${pin}`);
    const { rows } = await db.raw(
      `select lower(btrim(search_terms)) as term, count(*)::int as n, count(*) filter (where exists (select 1 from indexkit_search_conversions c where c.query_id = q.id))::int as converted
         from indexkit_search_queries q where query_type = 'search' and index_name = 'blog' and executed_at >= ? and executed_at < ? and btrim(search_terms) <> ''
        group by 1 order by n desc, term`,
      [since(), now],
    );
    expect(body.terms.map((t) => [t.term, t.count, t.converted])).toEqual(rows.map((r: { term: string; n: number; converted: number }) => [r.term, r.n, r.converted]));
    const csv = await (await get(`/terms.csv?index=blog&period=30d&${pin}`)).text();
    expect(csv.split('\n')[0]).toBe('term,searches,mean_hits,converted,conversion_rate,mean_position');
    expect(csv.split('\n')[2]).toBe(`postgres,3,${16 / 3},2,${2 / 3},2`);
    const low = await json<{ terms: Array<{ term: string }> }>(`/low.json?index=blog&period=30d&min=3&${pin}`);
    expect(low.terms.map((t) => t.term)).toEqual(['kubernetes', 'postgres']);
    const zero = await json<{ terms: Array<{ term: string; count: number }> }>(`/zero.json?index=blog&period=30d&${pin}`);
    expect(zero.terms.map((t) => [t.term, t.count])).toEqual([
      ['kubernetes', 3],
      ['elixir', 1],
    ]);
  });

  it('shows one search with its hits, ranks, scores and conversions', async () => {
    const q = seeded.all[2]!;
    const page = await (await get(`/searches/${q.id}`)).text();
    expect(page).toMatch(/<tr><td class="n">1<\/td><td>100<\/td><td>blog<\/td><td class="n">2\.0000<\/td><td>click<\/td><\/tr>/);
    expect(page).toMatch(/<tr><td class="n">3<\/td><td>102<\/td><td>blog<\/td><td class="n">1\.8000<\/td><td>click<\/td><\/tr>/);
    const one = await json<{ conversions: Array<{ position: number }> }>(`/searches/${q.id}.json`);
    expect(one.conversions.map((c) => c.position).sort()).toEqual([1, 3]);
    expect((await get(`/searches/${randomUUID()}`)).status).toBe(404);
  });
});

describe('dashboard escaping', () => {
  it('renders a term typed as a script tag as text on every page that shows it', async () => {
    for (const path of ['/live?period=1h', '/terms?period=1h', '/zero?period=1h']) {
      const page = await (await get(path)).text();
      expect(page, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page, path).not.toContain(XSS);
    }
    const live = await json<{ searches: Array<{ id: string; searchTerms: string }> }>('/live.json?period=1h&index=shop');
    const page = await (await get(`/searches/${live.searches[0]!.id}`)).text();
    expect(page).toContain('&lt;b&gt;mallory&lt;/b&gt;');
    expect(page).not.toContain(XSS);
    // Filters typed into the form come back escaped as well.
    const filtered = await (await get(`/terms?user=${encodeURIComponent('"><script>alert(2)</script>')}`)).text();
    expect(filtered).not.toContain('<script>alert(2)');
    expect(filtered).toContain('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
  });

  it('answers a bad filter with 400 and the value quoted, escaped', async () => {
    const res = await get(`/?period=${encodeURIComponent('<i>soon')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('period is &quot;&lt;i&gt;soon&quot;, expected a duration');
  });
});
