import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The files the pages load, all served by the dashboard itself (no CDN: it works offline and
 * behind a firewall). The chart library is uPlot, a dependency of the package: 50 kB minified,
 * no dependencies of its own, made for time series (which is all the overview draws), and
 * maintained; Chart.js would be four times the size for features not used here.
 */

const require = createRequire(import.meta.url);
const read = (module: string): string => readFileSync(require.resolve(module), 'utf8');

const CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --soft: #f6f8fa; --accent: #0b5cad; --good: #1a7f37; --bad: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { background: var(--soft); border-bottom: 1px solid var(--line); padding: .6rem 1.2rem; }
nav { display: flex; gap: 1rem; flex-wrap: wrap; align-items: baseline; }
nav a { color: var(--accent); text-decoration: none; }
nav a[aria-current="page"] { font-weight: 600; text-decoration: underline; }
.filters { display: flex; gap: .8rem; flex-wrap: wrap; margin-top: .5rem; align-items: end; }
.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
input, select, button { font: inherit; padding: .2rem .4rem; }
button { cursor: pointer; }
main { padding: 1rem 1.2rem 3rem; max-width: 80rem; }
h1 { font-size: 1.4rem; margin: .2rem 0; }
h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.period { color: var(--muted); margin-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.card h2 { margin: 0; font-size: .9rem; color: var(--muted); font-weight: 500; }
.figure { font-size: 1.8rem; margin: .1rem 0; font-variant-numeric: tabular-nums; }
.previous { margin: 0; color: var(--muted); font-size: .85rem; }
.good { color: var(--good); } .bad { color: var(--bad); }
.chart { min-height: 130px; margin-top: .4rem; }
table { border-collapse: collapse; }
table.data { width: 100%; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
.term { white-space: pre-wrap; word-break: break-word; }
pre { background: var(--soft); padding: .8rem; overflow: auto; border-radius: 6px; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; }
.exports { margin-top: 1rem; color: var(--muted); }
.empty, .message { color: var(--muted); }
.danger { margin-top: 2rem; border-top: 1px solid var(--line); }
summary h2 { display: inline; }
summary { cursor: pointer; margin: 1.2rem 0 .4rem; }
`;

const SCRIPT = `'use strict';
(function () {
  var data = document.getElementById('series');
  if (data && window.uPlot) {
    var s = JSON.parse(data.textContent);
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var key = el.getAttribute('data-chart');
      var rate = key === 'zeroHitRate' || key === 'conversionRate';
      var fmt = function (v) { return v == null ? '' : rate ? Math.round(v * 1000) / 10 + '%' : String(Math.round(v * 100) / 100); };
      // From 0, so a flat or single-point series still has a readable scale.
      var top = function (u, min, max) { return [0, max > 0 ? max * 1.1 : rate ? 0.01 : 1]; };
      new window.uPlot({
        width: Math.max(240, el.clientWidth), height: 130,
        legend: { show: false },
        scales: { x: { time: true }, y: { range: top } },
        series: [{}, { label: 'this period', stroke: '#0b5cad', width: 2, points: { show: true, size: 4 } }, { label: 'previous period', stroke: '#8c959f', width: 1, dash: [4, 4], points: { show: false } }],
        axes: [{ size: 30 }, { size: 50, values: function (u, vals) { return vals.map(fmt); } }]
      }, [s.current.time, s.current[key], s.previous[key]], el);
    });
  }
  var live = document.body.getAttribute('data-live');
  var base = document.querySelector('link[href$="/assets/dashboard.css"]').getAttribute('href').replace(/\\/assets\\/dashboard\\.css$/, '');
  function cell(tr, text, cls) { var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; }
  function render(body) {
    var tbody = document.querySelector('#live tbody');
    if (!tbody) return;
    var rows = body.searches.map(function (q) {
      var tr = document.createElement('tr');
      var t = document.createElement('time'); t.dateTime = q.executedAt; t.textContent = q.executedAt.replace('T', ' ').slice(0, 19);
      cell(tr, '').appendChild(t);
      cell(tr, q.index + (q.queryType === 'count' ? ' (count)' : ''));
      var a = document.createElement('a'); a.href = base + '/searches/' + encodeURIComponent(q.id); a.textContent = q.searchTerms || '(no terms)';
      cell(tr, '', 'term').appendChild(a);
      cell(tr, String(q.totalHits) + (q.totalHitsRelation === 'gte' ? '+' : ''), 'n');
      cell(tr, q.durationMs.toFixed(2), 'n');
      cell(tr, q.user == null ? '\\u2013' : q.user);
      cell(tr, q.reference == null ? '\\u2013' : q.reference);
      cell(tr, String(q.conversions), 'n');
      return tr;
    });
    tbody.replaceChildren.apply(tbody, rows);
  }
  if (live) setInterval(function () {
    fetch(live, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(function (r) { return r.ok ? r.json() : null; }).then(function (b) { if (b) render(b); }).catch(function () {});
  }, 5000);
})();
`;

export interface Asset {
  type: string;
  body: string;
}

let cache: Record<string, Asset> | undefined;

/** The assets by file name, read once. */
export function assets(): Record<string, Asset> {
  cache ??= {
    'uplot.js': { type: 'text/javascript; charset=utf-8', body: read('uplot/dist/uPlot.iife.min.js') },
    'uplot.css': { type: 'text/css; charset=utf-8', body: read('uplot/dist/uPlot.min.css') },
    'dashboard.css': { type: 'text/css; charset=utf-8', body: CSS },
    'dashboard.js': { type: 'text/javascript; charset=utf-8', body: SCRIPT },
  };
  return cache;
}
