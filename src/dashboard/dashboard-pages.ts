import type { Conversion } from '../search/conversions.js';
import type { SearchFigures, TermStats } from '../search/query-stats.js';
import type { SearchQuery } from '../search/search-query.js';
import { describePeriod, filterQuery, PERIODS, type DashboardFilters } from './dashboard-filters.js';
import type { LatestSearch, Overview, TermPage } from './dashboard-sql.js';
import { html, jsonScript, type SafeHtml } from './html.js';

/** The dashboard's pages: data in, HTML out (every interpolation escaped by `html`). */

export interface PageContext {
  /** Where the dashboard is mounted ('' at the root). */
  base: string;
  filters: DashboardFilters;
  /** Index names for the filter's choices. */
  indexes: readonly string[];
  csrf: string;
}

const NAV: Array<[path: string, label: string]> = [
  ['/', 'Overview'],
  ['/terms', 'Top terms'],
  ['/zero', 'Zero results'],
  ['/low', 'Low converting'],
  ['/live', 'Live'],
];

const pct = (rate: number | null): string => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);
const num = (n: number | null, digits = 2): string => (n === null ? '–' : n.toFixed(digits));
const int = (n: number): string => n.toLocaleString('en-US');

export function layout(ctx: PageContext, title: string, path: string, body: SafeHtml, { live = false } = {}): string {
  const f = ctx.filters;
  const link = (p: string) => `${ctx.base}${p === '/' ? '/' : p}${filterQuery(f)}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · search dashboard</title>
<link rel="stylesheet" href="${ctx.base}/assets/uplot.css">
<link rel="stylesheet" href="${ctx.base}/assets/dashboard.css">
<script src="${ctx.base}/assets/uplot.js" defer></script>
<script src="${ctx.base}/assets/dashboard.js" defer></script>
</head>
<body${live ? html` data-live="${ctx.base}/live.json${filterQuery(f)}"` : ''}>
<header>
<nav aria-label="Dashboard pages">
<strong>Search dashboard</strong>
${NAV.map(([p, label]) => html`<a href="${link(p)}"${p === path ? html` aria-current="page"` : ''}>${label}</a>`)}
</nav>
<form class="filters" method="get" action="${ctx.base}${path === '/' ? '/' : path}" aria-label="Filters">
<label>Index <select name="index"><option value="">all</option>${[...new Set([...ctx.indexes, ...(f.index ? [f.index] : [])])].map((i) => html`<option${i === f.index ? html` selected` : ''}>${i}</option>`)}</select></label>
<label>Period <select name="period">${[...new Set([...PERIODS, f.period])].map((p) => html`<option${p === f.period ? html` selected` : ''}>${p}</option>`)}</select></label>
<label>User <input name="user" value="${f.user ?? ''}" size="10"></label>
<label>Reference <input name="reference" value="${f.reference ?? ''}" size="12"></label>
${f.pinned ? html`<input type="hidden" name="until" value="${f.until.toISOString()}">` : ''}
<button type="submit">Apply</button>
</form>
</header>
<main>
<h1>${title}</h1>
<p class="period">${describePeriod(f)}${f.index ? html` · index <b>${f.index}</b>` : ''}${f.user ? html` · user <b>${f.user}</b>` : ''}${f.reference ? html` · reference <b>${f.reference}</b>` : ''}</p>
${body}
</main>
</body>
</html>
`.value;
}

const exports = (ctx: PageContext, path: string, extra: Record<string, string | number | undefined> = {}): SafeHtml =>
  html`<p class="exports">Export: <a href="${ctx.base}${path}.csv${filterQuery(ctx.filters, extra)}">CSV</a> · <a href="${ctx.base}${path}.json${filterQuery(ctx.filters, extra)}">JSON</a></p>`;

interface Card {
  key: keyof Overview['series'];
  label: string;
  now: string;
  before: string;
  /** Higher is better (for the colour of the change). */
  better: 'up' | 'down';
  delta: number | null;
}

function cards(o: Overview): Card[] {
  const c = o.current;
  const p = o.previous;
  const change = (a: number, b: number): number | null => (b === 0 ? null : (a - b) / b);
  return [
    { key: 'searches', label: 'Searches', now: int(c.volume), before: int(p.volume), better: 'up', delta: change(c.volume, p.volume) },
    { key: 'users', label: 'Distinct users', now: int(c.users), before: int(p.users), better: 'up', delta: change(c.users, p.users) },
    { key: 'zeroHitRate', label: 'Zero-result rate', now: pct(c.volume ? c.zeroHitRate : null), before: pct(p.volume ? p.zeroHitRate : null), better: 'down', delta: c.volume && p.volume ? c.zeroHitRate - p.zeroHitRate : null },
    { key: 'conversionRate', label: 'Conversion rate', now: pct(c.volume ? c.conversion.conversionRate : null), before: pct(p.volume ? p.conversion.conversionRate : null), better: 'up', delta: c.volume && p.volume ? c.conversion.conversionRate - p.conversion.conversionRate : null },
    { key: 'p50', label: 'Latency p50 (ms)', now: c.volume ? num(c.latency.p50) : '–', before: p.volume ? num(p.latency.p50) : '–', better: 'down', delta: c.volume && p.volume ? change(c.latency.p50, p.latency.p50) : null },
    { key: 'p95', label: 'Latency p95 (ms)', now: c.volume ? num(c.latency.p95) : '–', before: p.volume ? num(p.latency.p95) : '–', better: 'down', delta: c.volume && p.volume ? change(c.latency.p95, p.latency.p95) : null },
  ];
}

export function overviewPage(ctx: PageContext, o: Overview): string {
  const body = html`
<section class="cards">
${cards(o).map(
  (card) => html`<article class="card" data-figure="${card.key}">
<h2>${card.label}</h2>
<p class="figure" data-value>${card.now}</p>
<p class="previous">previous period: <span data-previous>${card.before}</span>${card.delta === null ? '' : html` <span class="${(card.delta >= 0) === (card.better === 'up') ? 'good' : 'bad'}">${card.delta >= 0 ? '+' : ''}${(card.delta * 100).toFixed(1)}${card.key === 'zeroHitRate' || card.key === 'conversionRate' ? ' pts' : '%'}</span>`}</p>
<div class="chart" data-chart="${card.key}" role="img" aria-label="${card.label} per ${bucketLabel(o.bucketMs)}, this period and the previous one"></div>
</article>`,
)}
</section>
<section>
<h2>Conversions</h2>
<table>
<tr><th scope="row">Converted searches</th><td>${int(o.current.conversion.converted)}</td></tr>
<tr><th scope="row">Conversions</th><td>${int(o.current.conversion.conversions)}</td></tr>
<tr><th scope="row">Mean converted position</th><td>${num(o.current.conversion.meanPosition)}</td></tr>
<tr><th scope="row">Median converted position</th><td>${num(o.current.conversion.medianPosition)}</td></tr>
<tr><th scope="row">Mean hits</th><td>${num(o.current.meanHits)}</td></tr>
</table>
</section>
${exports(ctx, '/overview')}
<script type="application/json" id="series">${jsonScript({ current: o.series, previous: o.previousSeries })}</script>
<section class="danger">
<h2>Retention</h2>
<form method="post" action="${ctx.base}/prune">
<input type="hidden" name="csrf" value="${ctx.csrf}">
<label>Delete logged searches (and their conversions) older than <input name="olderThan" value="90d" size="5" required></label>
<button type="submit">Prune</button>
</form>
</section>`;
  return layout(ctx, 'Overview', '/', body);
}

function bucketLabel(ms: number): string {
  if (ms >= 604_800_000) return 'week';
  if (ms >= 86_400_000) return 'day';
  if (ms >= 3_600_000) return `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}`;
  return `${ms / 60_000} minutes`;
}

export const TERM_TITLES: Record<TermPage, string> = { top: 'Top terms', zero: 'Zero-result terms', low: 'Low-converting terms' };
const TERM_PATHS: Record<TermPage, string> = { top: '/terms', zero: '/zero', low: '/low' };

export function termsPage(ctx: PageContext, page: TermPage, rows: readonly TermStats[], minSearches: number): string {
  const body = html`
${page === 'low' ? html`<p>Terms searched at least ${minSearches} times in the period, lowest conversion rate first.</p>` : page === 'zero' ? html`<p>Terms of searches that found nothing, most frequent first.</p>` : ''}
${rows.length
  ? html`<table class="data">
<thead><tr><th scope="col">#</th><th scope="col">Term</th><th scope="col" class="n">Searches</th><th scope="col" class="n">Mean hits</th><th scope="col" class="n">Converted</th><th scope="col" class="n">Conversion rate</th><th scope="col" class="n">Mean converted position</th></tr></thead>
<tbody>
${rows.map((t, i) => html`<tr><td>${i + 1}</td><td class="term">${t.term}</td><td class="n">${int(t.count)}</td><td class="n">${num(t.meanHits)}</td><td class="n">${int(t.converted)}</td><td class="n">${pct(t.conversionRate)}</td><td class="n">${num(t.meanPosition)}</td></tr>`)}
</tbody>
</table>`
  : html`<p class="empty">No terms in this period.</p>`}
${exports(ctx, TERM_PATHS[page], page === 'low' ? { min: minSearches } : {})}`;
  return layout(ctx, TERM_TITLES[page], TERM_PATHS[page], body);
}

function searchRow(ctx: PageContext, q: LatestSearch): SafeHtml {
  return html`<tr><td><time datetime="${q.executedAt.toISOString()}">${q.executedAt.toISOString().replace('T', ' ').slice(0, 19)}</time></td><td>${q.index}${q.queryType === 'count' ? ' (count)' : ''}</td><td class="term"><a href="${ctx.base}/searches/${q.id}">${q.searchTerms || '(no terms)'}</a></td><td class="n">${int(q.totalHits)}${q.totalHitsRelation === 'gte' ? '+' : ''}</td><td class="n">${num(q.durationMs)}</td><td>${q.user ?? '–'}</td><td>${q.reference ?? '–'}</td><td class="n">${q.conversions}</td></tr>`;
}

export function livePage(ctx: PageContext, rows: readonly LatestSearch[]): string {
  const body = html`
<p>The newest searches of the period; this page refreshes every 5 seconds (with JavaScript).</p>
<table class="data" id="live">
<thead><tr><th scope="col">Executed at (UTC)</th><th scope="col">Index</th><th scope="col">Terms</th><th scope="col" class="n">Hits</th><th scope="col" class="n">ms</th><th scope="col">User</th><th scope="col">Reference</th><th scope="col" class="n">Conversions</th></tr></thead>
<tbody>
${rows.map((q) => searchRow(ctx, q))}
</tbody>
</table>
${rows.length ? '' : html`<p class="empty">No searches in this period.</p>`}
${exports(ctx, '/live')}`;
  return layout(ctx, 'Live', '/live', body, { live: true });
}

export function searchPage(ctx: PageContext, q: SearchQuery, conversions: readonly Conversion[]): string {
  const converted = new Map<string, string[]>();
  for (const c of conversions) converted.set(c.hitId, [...(converted.get(c.hitId) ?? []), c.kind]);
  const body = html`
<dl class="fields">
<dt>Id</dt><dd>${q.id}</dd>
<dt>Terms</dt><dd class="term">${q.searchTerms || '(none)'}</dd>
<dt>Index</dt><dd>${q.index}</dd>
<dt>Type</dt><dd>${q.queryType}</dd>
<dt>Executed at</dt><dd>${q.executedAt.toISOString()}</dd>
<dt>Duration</dt><dd>${num(q.durationMs)} ms</dd>
<dt>Total hits</dt><dd>${int(q.totalHits)}${q.totalHitsRelation === 'gte' ? ' or more' : ''}</dd>
<dt>Page</dt><dd>${q.page.number} (from ${q.page.from}, size ${q.page.size})</dd>
<dt>User</dt><dd>${q.user ?? '–'}</dd>
<dt>Reference</dt><dd>${q.reference ?? '–'}</dd>
</dl>
<h2>Hits</h2>
${q.hits.length
  ? html`<table class="data" id="hits"><thead><tr><th scope="col" class="n">Rank</th><th scope="col">Id</th><th scope="col">Index</th><th scope="col" class="n">Score</th><th scope="col">Converted</th></tr></thead><tbody>
${q.hits.map((h) => html`<tr><td class="n">${h.rank}</td><td>${h.id}</td><td>${h.index}</td><td class="n">${h.score === null ? '–' : h.score.toFixed(4)}</td><td>${(converted.get(h.id) ?? []).join(', ')}</td></tr>`)}
</tbody></table>`
  : html`<p class="empty">No hits.</p>`}
<h2>Conversions</h2>
${conversions.length
  ? html`<table class="data" id="conversions"><thead><tr><th scope="col">Converted at</th><th scope="col">Kind</th><th scope="col" class="n">Position</th><th scope="col">Hit</th><th scope="col">Index</th><th scope="col" class="n">Value</th></tr></thead><tbody>
${conversions.map((c) => html`<tr><td>${c.convertedAt.toISOString()}</td><td>${c.kind}</td><td class="n">${c.position ?? '–'}</td><td>${c.hitId}</td><td>${c.index ?? '–'}</td><td class="n">${c.value ?? ''}</td></tr>`)}
</tbody></table>`
  : html`<p class="empty">No conversions.</p>`}
<details open><summary><h2>Request</h2></summary>
<pre>${JSON.stringify(q.query, null, 2)}</pre></details>
${q.aggregations ? html`<details><summary><h2>Aggregations</h2></summary><pre>${JSON.stringify(q.aggregations, null, 2)}</pre></details>` : ''}
${exports(ctx, `/searches/${q.id}`)}`;
  return layout(ctx, `Search “${q.searchTerms || q.id}”`, '/live', body);
}

export function messagePage(ctx: PageContext, title: string, message: string, path = '/'): string {
  return layout(ctx, title, path, html`<p class="message">${message}</p>`);
}

export type { SearchFigures };
