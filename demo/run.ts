/**
 * The main job of the bundled demo project, on the embedded defaults (nothing to start): a
 * blog in PGlite (.search/db) and the embedded engine (.search/engine).
 *
 *   1. search migrate          indexkit's own tables (the query log)
 *   2. seed                    authors, posts and tags
 *   3. search check / create-index / update-index, as a user runs them
 *   4. searches through executeSearch, rows re-ranked by fromSearchQuery and printed
 *   5. search queries list     the logged searches
 *
 * Set ELASTICSEARCH_URL and DEMO_DATABASE_URL to run the same steps against real servers.
 * Run with `npm run demo`.
 */
import { openProject } from '../src/project.js';
import { executeSearch } from '../src/search/execute-search.js';
import { fromSearchQuery } from '../src/search/from-search-query.js';
import { QueryLog } from '../src/search/query-log.js';
import type { SearchQuery } from '../src/search/search-query.js';
import { heading, prepareDemo, root, search } from './prepare.js';

await prepareDemo();

heading('4. searching from application code');
{
  const project = await openProject({ cwd: root });
  const db = await project.db();
  const log = new QueryLog({ db, ...project.config.settings.queryLog });
  try {
    const searches: Array<{ terms: string; body: Record<string, unknown>; note: string }> = [
      {
        terms: 'graceful shutdown node',
        note: 'multi_match with boosts, with tag and year facets',
        body: {
          query: { multi_match: { query: 'graceful shutdown node', fields: ['title^3', 'summary^2', 'body'] } },
          aggs: { tags: { terms: { field: 'tags', size: 5 } }, per_year: { date_histogram: { field: 'published_at', calendar_interval: 'year', format: 'yyyy' } } },
        },
      },
      {
        terms: 'kubernets postgres',
        note: 'a typo, caught by fuzziness, highlighted',
        body: { query: { multi_match: { query: 'kubernets postgres', fields: ['title^3', 'summary^2', 'body'], fuzziness: 'AUTO' } }, highlight: { fields: { title: {} }, pre_tags: ['['], post_tags: [']'] } },
      },
      {
        terms: 'migrating without downtime',
        note: 'a phrase in the title, tagged databases, newest first (sorted: no scores)',
        body: {
          query: { bool: { must: [{ match_phrase: { title: 'without downtime' } }], filter: [{ term: { tags: 'databases' } }] } },
          sort: [{ published_at: 'desc' }],
          highlight: { fields: { title: {} }, pre_tags: ['['], post_tags: [']'] },
        },
      },
    ];
    for (const [i, { terms, body, note }] of searches.entries()) {
      const result = await executeSearch('blog', body, { client: project.clients, log, searchTerms: terms, user: 'demo-user', reference: 'demo-session', size: 5 });
      printResult(`"${terms}": ${note}`, result, i);
      const { rows, missing } = await fromSearchQuery<{ id: number; title: string; name: string; published_at: Date; search_highlight?: Record<string, string[]> }>(
        db('posts').join('authors', 'authors.id', 'posts.author_id').select('posts.id', 'posts.title', 'authors.name', 'posts.published_at'),
        result,
        { keyColumn: 'posts.id' },
      );
      for (const row of rows) {
        const score = row.search_score === null ? '   -  ' : row.search_score.toFixed(3).padStart(6);
        const title = row.search_highlight?.title?.[0] ?? row.title;
        console.log(`  ${String(row.search_rank).padStart(2)}. ${score}  ${title}  (${row.name}, ${new Date(row.published_at).toISOString().slice(0, 10)})`);
      }
      if (missing.length) console.log(`  (${missing.length} hits whose rows are gone: ${missing.map((m) => m.id).join(', ')})`);
    }
  } finally {
    await log.close();
    await project.close();
  }
}

heading('5. the query log, for auditing');
search('queries', 'list');

function printResult(title: string, result: SearchQuery, _i: number): void {
  console.log(`\n${title}`);
  console.log(`  ${result.totalHits}${result.totalHitsRelation === 'gte' ? '+' : ''} hits in ${result.durationMs.toFixed(1)} ms; showing ${result.hits.length}`);
  for (const [name, agg] of Object.entries(result.aggregations ?? {})) {
    const buckets = (agg as { buckets?: Array<{ key: unknown; key_as_string?: string; doc_count: number }> }).buckets ?? [];
    console.log(`  facet ${name}: ${buckets.map((b) => `${b.key_as_string ?? String(b.key)} (${b.doc_count})`).join(', ')}`);
  }
}
