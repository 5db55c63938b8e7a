/**
 * The demo blog as a small web search page (`npm run demo:web`): seeded as `npm run demo` does,
 * then served on 127.0.0.1:3000 (PORT to change; --no-seed to reuse .search/ as it is).
 *
 *   /                  search box with autocomplete (completion suggester), results through
 *                      executeSearch + fromSearchQuery with highlights and paging, tag and
 *                      author facets whose counts stay right under a selected filter
 *                      (post_filter), and "did you mean" (phrase suggester)
 *   /r/<search>/<post> records a conversion on the hit, then redirects to the post
 *   /posts/<id>        the post
 *   /autocomplete?q=   completions as JSON, for the search box's script
 *   /search/dashboard  the search dashboard (its address with a token is printed at start)
 *
 * Server-rendered: searching, facets, paging and did-you-mean work without JavaScript; the
 * script only fills the autocomplete list and submits the form when a facet is ticked.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardHandler } from '../src/dashboard/dashboard-handler.js';
import { escapeHtml, html, raw, type SafeHtml } from '../src/dashboard/html.js';
import { openProject } from '../src/project.js';
import { executeSearch } from '../src/search/execute-search.js';
import { fromSearchQuery } from '../src/search/from-search-query.js';
import { pageLinks, pageWindow } from '../src/search/pagination.js';
import type { SearchQuery } from '../src/search/search-query.js';
import { prepareDemo, root } from './prepare.js';

const PAGE_SIZE = 10;
const HOST = '127.0.0.1';
const PORT = Number(process.env.PORT ?? 3000);

if (!process.argv.includes('--no-seed')) await prepareDemo();

const project = await openProject({ cwd: root });
const db = await project.db();
const log = await project.queryLog();
const client = await project.clients.forIndex('blog');
const dashboardToken = randomBytes(18).toString('base64url');
const dashboard = dashboardHandler(project, { basePath: '/search/dashboard', token: dashboardToken });

interface Bucket {
  key: string;
  doc_count: number;
}
type PostRow = {
  id: number;
  title: string;
  summary: string;
  name: string;
  published_at: Date | string;
  search_rank: number;
  search_highlight?: Record<string, string[]>;
};

const HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, 'content-type': type, ...headers });
  res.end(body);
}

/** The visitor's id from a cookie (made on the first visit): the user and reference of the logged searches. */
function visitor(req: IncomingMessage, res: ServerResponse): string {
  const found = /(?:^|;\s*)demo_visitor=([\w-]{36})/.exec(req.headers.cookie ?? '')?.[1];
  if (found) return found;
  const id = randomUUID();
  res.setHeader('set-cookie', `demo_visitor=${id}; Path=/; HttpOnly; SameSite=Lax`);
  return id;
}

/** A highlight fragment: the document's text escaped, then the engine's markers made <mark>. */
const highlighted = (fragment: string): SafeHtml => raw(escapeHtml(fragment).replaceAll('\u0001', '<mark>').replaceAll('\u0002', '</mark>'));

function link(params: { q: string; tags: string[]; author?: string; page?: number }): string {
  const p = new URLSearchParams();
  if (params.q) p.set('q', params.q);
  for (const t of params.tags) p.append('tag', t);
  if (params.author) p.set('author', params.author);
  if (params.page && params.page > 1) p.set('page', String(params.page));
  return `/?${p.toString()}`;
}

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header><a class="brand" href="/">The indexkit blog</a></header>
${body}
</body>
</html>
`.value;
}

async function searchPage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const tags = [...new Set(url.searchParams.getAll('tag').map((t) => t.slice(0, 60)))].slice(0, 10);
  const author = url.searchParams.get('author')?.slice(0, 100) || undefined;
  const page = Math.max(1, Math.min(1000, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
  const { from, size } = pageWindow({ page, size: PAGE_SIZE });
  const tagFilter = tags.length ? { terms: { tags } } : null;
  const authorFilter = author ? { term: { 'author.name.raw': author } } : null;
  const body: Record<string, unknown> = {
    query: q ? { multi_match: { query: q, fields: ['title^3', 'summary^2', 'body'] } } : { match_all: {} },
    // Facet filters apply to the hits only, after the aggregations: each facet counts under the
    // other facet's filter but not its own, so its counts stay what ticking one more would give.
    post_filter: { bool: { filter: [tagFilter, authorFilter].filter(Boolean) } },
    aggs: {
      tags: { filter: authorFilter ?? { match_all: {} }, aggs: { values: { terms: { field: 'tags', size: 20 } } } },
      authors: { filter: tagFilter ?? { match_all: {} }, aggs: { values: { terms: { field: 'author.name.raw', size: 12 } } } },
    },
    highlight: { pre_tags: ['\u0001'], post_tags: ['\u0002'], fields: { title: { number_of_fragments: 0 }, summary: { number_of_fragments: 0 } } },
  };
  if (q) body.suggest = { did_you_mean: { text: q, phrase: { field: 'title.spell', size: 1, max_errors: 2, direct_generator: [{ field: 'title.spell', suggest_mode: 'always', min_word_length: 3 }] } } };
  if (!q) body.sort = [{ published_at: 'desc' }];
  const user = visitor(req, res);
  const result: SearchQuery = await executeSearch('blog', body, { client, log, searchTerms: q, user, reference: 'demo-web', from, size });
  const { rows } = await fromSearchQuery<PostRow>(
    db('posts').join('authors', 'authors.id', 'posts.author_id').select('posts.id', 'posts.title', 'posts.summary', 'authors.name', 'posts.published_at'),
    result,
    { keyColumn: 'posts.id' },
  );
  const buckets = (name: string): Bucket[] => ((result.aggregations?.[name] as { values?: { buckets?: Bucket[] } })?.values?.buckets ?? []);
  const suggestion = ((result.suggest?.did_you_mean as Array<{ options?: Array<{ text: string }> }> | undefined)?.[0]?.options?.[0]?.text ?? '').trim();
  const didYouMean = suggestion && suggestion.toLowerCase() !== q.toLowerCase() ? suggestion : '';
  const pages = pageLinks(result.totalHits, { page, size: PAGE_SIZE });
  const tagBuckets = [...buckets('tags')];
  for (const t of tags) if (!tagBuckets.some((b) => b.key === t)) tagBuckets.push({ key: t, doc_count: 0 });

  const page_ = html`
<main class="search">
<form method="get" action="/" role="search" class="searchbar">
<input type="search" name="q" value="${q}" aria-label="Search posts" placeholder="Search posts" list="completions" autocomplete="off" autofocus>
<datalist id="completions"></datalist>
<button type="submit">Search</button>
<div class="layout">
<aside aria-label="Filters">
<fieldset><legend>Tags</legend>
${tagBuckets.map((b) => html`<label><input type="checkbox" name="tag" value="${b.key}"${tags.includes(b.key) ? html` checked` : ''}> ${b.key} <span class="count">${b.doc_count}</span></label>`)}
</fieldset>
<fieldset><legend>Author</legend>
<label><input type="radio" name="author" value=""${author ? '' : html` checked`}> any</label>
${buckets('authors').map((b) => html`<label><input type="radio" name="author" value="${b.key}"${b.key === author ? html` checked` : ''}> ${b.key} <span class="count">${b.doc_count}</span></label>`)}
</fieldset>
<button type="submit" class="apply">Apply filters</button>
</aside>
<section aria-label="Results" class="results">
${didYouMean ? html`<p class="did-you-mean">Did you mean <a href="${link({ q: didYouMean, tags: [], author: undefined })}">${didYouMean}</a>?</p>` : ''}
<p class="total" role="status">${result.totalHits}${result.totalHitsRelation === 'gte' ? '+' : ''} ${result.totalHits === 1 ? 'post' : 'posts'}${q ? html` for “${q}”` : ''}${pages.last > 1 ? html`, page ${pages.page} of ${pages.last}` : ''}</p>
<ol class="hits" start="${from + 1}">
${rows.map(
  (row) => html`<li>
<h2><a href="/r/${result.id}/${row.id}">${row.search_highlight?.title?.[0] ? highlighted(row.search_highlight.title[0]) : row.title}</a></h2>
<p class="meta">${row.name} · ${new Date(row.published_at).toISOString().slice(0, 10)}</p>
<p>${row.search_highlight?.summary?.[0] ? highlighted(row.search_highlight.summary[0]) : row.summary}</p>
</li>`,
)}
</ol>
${pages.last > 1
  ? html`<nav class="pages" aria-label="Pages">${pages.previous ? html`<a rel="prev" href="${link({ q, tags, author, page: pages.previous })}">← Previous</a>` : ''} <span>Page ${pages.page} of ${pages.last}</span> ${pages.next ? html`<a rel="next" href="${link({ q, tags, author, page: pages.next })}">Next →</a>` : ''}</nav>`
  : ''}
</section>
</div>
</form>
<p class="footer"><a href="/search/dashboard/">Search dashboard</a> (needs the token printed at start)</p>
</main>`;
  send(res, 200, 'text/html; charset=utf-8', layout(q ? `${q} – blog search` : 'Blog search', page_));
}

async function postPage(res: ServerResponse, id: number): Promise<void> {
  const post = (await db('posts').join('authors', 'authors.id', 'posts.author_id').where('posts.id', id).first('posts.title', 'posts.body', 'posts.published_at', 'authors.name')) as { title: string; body: string; published_at: Date; name: string } | undefined;
  if (!post) return send(res, 404, 'text/html; charset=utf-8', layout('Not found', html`<main><p>No post ${id}.</p></main>`));
  const tags = (await db('post_tags').join('tags', 'tags.id', 'post_tags.tag_id').where('post_tags.post_id', id).orderBy('tags.name').pluck('tags.name')) as string[];
  send(
    res,
    200,
    'text/html; charset=utf-8',
    layout(
      post.title,
      html`<main class="post"><p><a href="/">← Search</a></p>
<article><h1>${post.title}</h1><p class="meta">${post.name} · ${new Date(post.published_at).toISOString().slice(0, 10)} · ${tags.join(', ')}</p>
${post.body.split('\n\n').map((p) => html`<p>${p}</p>`)}</article></main>`,
    ),
  );
}

async function completions(res: ServerResponse, prefix: string): Promise<void> {
  if (!prefix.trim()) return send(res, 200, 'application/json', '[]');
  // The whole title from _source: the completion input itself is cut at max_input_length (50).
  const response = (await client.search({ index: 'blog', _source: ['title'], suggest: { titles: { prefix: prefix.slice(0, 100), completion: { field: 'suggest', size: 8, skip_duplicates: true } } } })) as {
    suggest?: { titles?: Array<{ options?: Array<{ text: string; _source?: { title?: string } }> }> };
  };
  const titles = (response.suggest?.titles?.[0]?.options ?? []).map((o) => o._source?.title ?? o.text);
  send(res, 200, 'application/json', JSON.stringify([...new Set(titles)]));
}

const CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 Georgia, "Iowan Old Style", serif; color: #1d1d1f; background: #fbfaf7; }
header { padding: .8rem 1.5rem; border-bottom: 1px solid #e4e0d8; background: #fff; }
.brand { font: 600 1.1rem system-ui, sans-serif; color: #1d1d1f; text-decoration: none; }
main { max-width: 62rem; margin: 0 auto; padding: 1.2rem 1.5rem 3rem; }
.searchbar > input[type=search] { width: min(36rem, 70%); font: 1.05rem system-ui, sans-serif; padding: .5rem .7rem; border: 1px solid #b9b4aa; border-radius: 6px; }
button { font: .95rem system-ui, sans-serif; padding: .5rem .9rem; border-radius: 6px; border: 1px solid #8a8478; background: #fff; cursor: pointer; }
.layout { display: grid; grid-template-columns: 14rem 1fr; gap: 2rem; margin-top: 1.2rem; }
aside fieldset { border: 0; padding: 0; margin: 0 0 1rem; font: .9rem system-ui, sans-serif; }
aside legend { font-weight: 600; margin-bottom: .3rem; }
aside label { display: block; padding: .1rem 0; }
.count { color: #6e6a62; font-size: .8rem; }
.total { font: .9rem system-ui, sans-serif; color: #57534c; }
.did-you-mean { font: 1rem system-ui, sans-serif; background: #fff7e0; border: 1px solid #f0dfa8; padding: .4rem .7rem; border-radius: 6px; }
.hits { padding-left: 1.4rem; }
.hits li { margin-bottom: 1.2rem; }
.hits h2 { font-size: 1.15rem; margin: 0; }
.hits a { color: #0b4f9c; }
.meta { font: .85rem system-ui, sans-serif; color: #6e6a62; margin: .1rem 0; }
mark { background: #ffe58a; padding: 0 .1em; }
.pages { font: .9rem system-ui, sans-serif; display: flex; gap: 1rem; }
.footer { font: .8rem system-ui, sans-serif; color: #6e6a62; margin-top: 3rem; }
.post article { max-width: 42rem; }
@media (max-width: 40rem) { .layout { grid-template-columns: 1fr; } }
`;

const SCRIPT = `'use strict';
(function () {
  var input = document.querySelector('input[type=search]');
  var list = document.getElementById('completions');
  var timer;
  if (input && list) input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch('/autocomplete?q=' + encodeURIComponent(input.value)).then(function (r) { return r.json(); }).then(function (items) {
        list.replaceChildren.apply(list, items.map(function (text) { var o = document.createElement('option'); o.value = text; return o; }));
      }).catch(function () {});
    }, 120);
  });
  document.querySelectorAll('aside input').forEach(function (box) {
    box.addEventListener('change', function () { var page = box.form.querySelector('[name=page]'); if (page) page.remove(); box.form.submit(); });
  });
  var apply = document.querySelector('.apply');
  if (apply) apply.hidden = true;
})();
`;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const path = url.pathname;
  const handle = async (): Promise<void> => {
    if (path === '/search/dashboard' || path.startsWith('/search/dashboard/')) return dashboard(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only\n');
    if (path === '/') return searchPage(req, res, url);
    if (path === '/assets/app.css') return send(res, 200, 'text/css; charset=utf-8', CSS);
    if (path === '/assets/app.js') return send(res, 200, 'text/javascript; charset=utf-8', SCRIPT);
    if (path === '/autocomplete') return completions(res, url.searchParams.get('q') ?? '');
    const conversion = /^\/r\/([0-9a-f-]{36})\/(\d{1,9})$/.exec(path);
    if (conversion) {
      // The click is recorded (queued behind the search's own log row), then the reader goes on.
      await project.recordConversion(conversion[1]!, { hitId: conversion[2]! });
      return send(res, 303, 'text/plain', 'see the post\n', { location: `/posts/${conversion[2]}` });
    }
    const post = /^\/posts\/(\d{1,9})$/.exec(path);
    if (post) return postPage(res, Number(post[1]));
    send(res, 404, 'text/html; charset=utf-8', layout('Not found', html`<main><p>Nothing at ${path}. <a href="/">Search</a></p></main>`));
  };
  handle().catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) send(res, 500, 'text/plain', 'the search failed; see the server log\n');
    else res.destroy();
  });
});

await new Promise<void>((resolve) => server.listen(PORT, HOST, resolve));
const { port } = server.address() as AddressInfo;
console.log(`\ndemo search page: http://${HOST}:${port}/`);
console.log(`dashboard: http://${HOST}:${port}/search/dashboard/?token=${dashboardToken}`);

const stop = async () => {
  server.closeAllConnections();
  server.close();
  await project.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
