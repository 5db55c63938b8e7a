import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { seedDemo } from '../../demo/seed.js';
import { mulberry32 } from '../../demo/seeded-random.js';
import { createKnex } from '../../src/db/knex-factory.js';
import { migrateLatest } from '../../src/db/migration-source.js';
import { startEngineServer, type EngineServer } from '../../src/engine/index.js';
import { createIndex } from '../../src/indexes/create-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { openProject } from '../../src/project.js';
import { executeSearch } from '../../src/search/execute-search.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { isolatedDatabase } from '../helpers/database.js';

/**
 * Issue 18's end-to-end case: the demo blog, and a simulated population of users who know the
 * true relevance of every post for every term. They search through executeSearch (logged) and
 * convert (recordConversion) on relevant hits they look at, looking less far down the more a hit
 * is ranked low (position bias), and now and then clicking the first hit whatever it is. Then:
 * - `search evaluate` gives the figures computed here by hand from the recorded conversions
 *   (judgments, nDCG@10 per term and overall), and `_rank_eval`'s own for the same requests;
 * - a rebuild with English stemming removed and the title's word matches dropped is refused with
 *   exit 4, the alias stays and the new index is kept; one with stemming on every field (the
 *   demo's shipped mapping) moves the alias.
 *
 * The live index starts from the demo mapping with the title left unstemmed, so users who type
 * "goroutine" find posts about goroutines through their summaries but not their titles.
 */

const shipped = JSON.parse(readFileSync(join(repoRoot, 'mappings/blog.json'), 'utf8')) as {
  settings: { analysis: { analyzer: Record<string, unknown> } };
  mappings: { properties: Record<string, Record<string, unknown>> };
};
/** The mapping with `fields` analyzed without stemming (lower-case, folding, stop words only). */
function unstemmed(fields: string[]): unknown {
  const m = structuredClone(shipped);
  m.settings.analysis.analyzer.plain_folded = { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'stop'] };
  for (const f of fields) m.mappings.properties[f]!.analyzer = 'plain_folded';
  return m;
}
const LIVE = unstemmed(['title']);
/** English stemming removed, and the title made a whole-value keyword, which drops its (boosted) word matches. */
const WORSE = (() => {
  const m = unstemmed(['title', 'summary', 'body']) as typeof shipped;
  m.mappings.properties.title!.analyzer = 'keyword';
  return m;
})();
const BETTER = shipped;

/** What users type, and the phrase of the posts' text that it means (the truth). */
const TERMS: Array<[typed: string, phrase: string]> = [
  ['goroutine', 'goroutines'],
  ['readiness probe', 'readiness probes'],
  ['rolling deploy', 'rolling deploys'],
  ['network policy', 'network policies'],
  ['eviction policy', 'eviction policies'],
  ['consumer group', 'consumer groups'],
  ['partition key', 'partition keys'],
  ['server component', 'server components'],
  ['async runtime', 'async runtimes'],
  ['health check', 'health checks'],
  ['persisted query', 'persisted queries'],
  ['partial index', 'partial indexes'],
  ['index alias', 'index aliases'],
  ['analyzer', 'analyzers'],
  ['resource limit', 'resource limits'],
  ['discriminated union', 'discriminated unions'],
  ['declaration file', 'declaration files'],
  ['worker thread', 'worker threads'],
  ['memory leak', 'memory leaks'],
  ['slow query', 'slow queries'],
  ['flaky test', 'flaky tests'],
  ['cold start', 'cold starts'],
  ['autovacuum', 'autovacuum'],
  ['connection pooling', 'connection pooling'],
  ['logical replication', 'logical replication'],
  ['cache invalidation', 'cache invalidation'],
  ['rate limiting', 'rate limiting'],
  ['log compaction', 'log compaction'],
  ['layer caching', 'layer caching'],
  ['distributed tracing', 'distributed tracing'],
];
const SEARCHES_PER_TERM = 6;
const body = (typed: string) => ({ query: { multi_match: { query: typed, fields: ['title^3', 'summary^2', 'body'] } } });
const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

let server: EngineServer;
let engineDir: string;
let client: Client;
let dir: string;
let withDb: <T>(fn: (db: Knex) => Promise<T>) => Promise<T>;
let dropDatabase: () => Promise<void>;
/** Conversions as the simulation recorded them: normalised term -> doc id -> { grade, ranks }. */
const recorded = new Map<string, Map<string, { grade: number; ranks: number[] }>>();
let liveConcrete: string;
let previousConcrete: string;

beforeAll(async () => {
  engineDir = mkdtempSync(join(tmpdir(), 'indexkit-relevance-engine-'));
  server = await startEngineServer({ dataDir: engineDir, port: 0 });
  client = new Client({ node: server.url });
  dir = mkdtempSync(join(tmpdir(), 'indexkit-relevance-project-'));
  const isolated = await isolatedDatabase();
  const database = isolated.kind === 'pglite' ? { connection: `pglite:${join(dir, 'db')}` } : isolated.settings;
  if (isolated.kind === 'pglite') await isolated.cleanup();
  dropDatabase = isolated.kind === 'pg' ? isolated.cleanup : async () => undefined;
  withDb = async (fn) => {
    if (isolated.kind === 'pg') return fn(isolated.db);
    const db = await createKnex({ client: 'pg', connection: `pglite:${join(dir, 'db')}` }, { baseDir: dir });
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  };
  mkdirSync(join(dir, 'mappings'));
  writeFileSync(
    join(dir, 'search.config.yaml'),
    stringify({ connections: { default: server.url }, database, indexes: { blog: { models: [join(repoRoot, 'demo/models/post.ts#Post')] } }, settings: { queryLog: { flushIntervalMs: 50 } } }),
  );
  writeFileSync(join(dir, 'mappings/blog.json'), JSON.stringify(LIVE));

  await withDb(async (db) => {
    await migrateLatest(db);
    await seedDemo(db, { posts: 200 });
    const posts = (await db('posts').where('published', true).select('id', 'title', 'summary')) as Array<{ id: number; title: string; summary: string }>;
    const truth = (phrase: string, id: string): number => {
      const post = posts.find((p) => String(p.id) === id)!;
      if (post.title.toLowerCase().includes(phrase)) return 2;
      return post.summary.toLowerCase().includes(phrase) ? 1 : 0;
    };
    const project = await openProject({ cwd: dir, env: {}, db });
    try {
      await createIndex(project, 'blog');
      await updateIndex(project, 'blog');
      await client.indices.refresh({ index: 'blog' });
      liveConcrete = Object.keys(await client.indices.getAlias({ name: 'blog' }))[0]!;
      const random = mulberry32(18);
      for (let user = 0; user < SEARCHES_PER_TERM; user++) {
        for (const [typed, phrase] of TERMS) {
          // the same term typed differently: case and spaces must not split it
          const text = user % 3 === 1 ? ` ${typed.toUpperCase()} ` : user % 3 === 2 ? typed.replace(' ', '  ') : typed;
          const result = await executeSearch('blog', body(text), { client: project.clients, log: await project.queryLog(), searchTerms: text, user: `u${user}`, size: 10 });
          const converted = (id: string, rank: number, grade: number) => {
            const perTerm = recorded.get(norm(text)) ?? new Map<string, { grade: number; ranks: number[] }>();
            const before = perTerm.get(id) ?? { grade: 0, ranks: [] };
            perTerm.set(id, { grade: Math.max(before.grade, grade), ranks: [...before.ranks, rank] });
            recorded.set(norm(text), perTerm);
          };
          for (const hit of result.hits) {
            // position bias: rank r is looked at with probability 1/sqrt(r)
            if (random() > 1 / Math.sqrt(hit.rank)) continue;
            const grade = truth(phrase, hit.id);
            if (grade > 0 && random() < 0.9) {
              await project.recordConversion(result.id, { hitId: hit.id });
              converted(hit.id, hit.rank, 1);
              if (grade === 2) {
                await project.recordConversion(result.id, { hitId: hit.id, kind: 'read' });
                converted(hit.id, hit.rank, 2);
              }
            } else if (grade === 0 && hit.rank === 1 && random() < 0.15) {
              // a click on the top hit out of habit: a judgment position bias made
              await project.recordConversion(result.id, { hitId: hit.id });
              converted(hit.id, hit.rank, 1);
            }
          }
        }
      }
      await (await project.queryLog()).flush();
    } finally {
      await project.close();
    }
  });
}, 240_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
  await dropDatabase?.();
  rmSync(engineDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const search = (...args: string[]) => runCli(args, { cwd: dir });
const SLOW = { timeout: 240_000 };

/** nDCG@10 written out: gains 2^rating − 1 discounted by log2(rank + 1), over the ideal order of the ratings. */
function ndcgByHand(ranked: string[], ratings: Map<string, number>): number {
  const dcg = (grades: number[]) => grades.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const top = ranked.slice(0, 10);
  const ideal = dcg([...ratings.values()].sort((a, b) => b - a).slice(0, top.length));
  return ideal === 0 ? 0 : dcg(top.map((id) => ratings.get(id) ?? 0)) / ideal;
}

/** Per term, nDCG@10 of `index` by hand: the term's logged request searched directly, its ratings from the recorded conversions. */
async function scoresByHand(index: string): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  for (const [term, ratings] of recorded) {
    const typed = TERMS.find(([t]) => t === term)![0];
    const res = await client.search({ index, ...body(typed), size: 10, _source: false });
    scores.set(term, ndcgByHand(res.hits.hits.map((h) => h._id!), new Map([...ratings].map(([id, r]) => [id, r.grade]))));
  }
  return scores;
}
const mean = (values: Iterable<number>) => {
  const list = [...values];
  return list.reduce((a, b) => a + b, 0) / list.length;
};

interface EvaluationJson {
  metric: string;
  judgments: { terms: number; judgments: number; fromRank1: number; searches: number; maxRating: number };
  target: { index: string; concrete: string[]; overall: { estimate: number; low: number; high: number } };
  against: { overall: { estimate: number } } | null;
  change: { estimate: number; low: number; high: number } | null;
  terms: Array<{ term: string; score: number; searches: number; judgments: number; against?: { score: number }; change?: number }>;
  failures: unknown[];
}

describe('relevance from simulated users', () => {
  it('search evaluate gives the judgments and nDCG@10 worked out by hand from the recorded conversions', SLOW, async () => {
    const { code, stdout, stderr } = await search('evaluate', 'blog', '--json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as EvaluationJson;
    expect(report.metric).toBe('ndcg@10');
    expect(report.failures).toEqual([]);
    // judgments: one per (term, converted post); a post "read" is rated 2, clicked only 1
    const judgments = [...recorded.values()].reduce((n, m) => n + m.size, 0);
    expect(report.judgments.terms).toBe(recorded.size);
    expect(report.judgments.judgments).toBe(judgments);
    expect(report.judgments.searches).toBe(recorded.size * SEARCHES_PER_TERM);
    expect(report.judgments.maxRating).toBe(2);
    const onlyRank1 = [...recorded.values()].flatMap((m) => [...m.values()]).filter((r) => r.ranks.every((k) => k === 1)).length;
    expect(report.judgments.fromRank1).toBe(onlyRank1);
    expect(onlyRank1).toBeGreaterThan(0);
    // the metric per term and overall
    const byHand = await scoresByHand('blog');
    for (const t of report.terms) expect(t.score, t.term).toBeCloseTo(byHand.get(t.term)!, 10);
    expect(report.target.overall.estimate).toBeCloseTo(mean(byHand.values()), 10);
    expect(report.target.overall.low).toBeLessThanOrEqual(report.target.overall.estimate);
    expect(report.target.overall.high).toBeGreaterThanOrEqual(report.target.overall.estimate);
    expect(report.target.concrete).toEqual([liveConcrete]);
    // not a trivial figure: some terms rank their converted posts imperfectly
    expect(new Set([...byHand.values()].map((v) => v.toFixed(4))).size).toBeGreaterThan(3);

    // _rank_eval's own figures for the same rated requests (the bodies as users sent them)
    const rankEval = (await client.rankEval({
      index: 'blog',
      requests: [...recorded].map(([term, ratings]) => ({
        id: term,
        request: body(TERMS.find(([t]) => t === term)![0]),
        ratings: [...ratings].map(([id, r]) => ({ _index: liveConcrete, _id: id, rating: r.grade })),
      })),
      metric: { dcg: { k: 10, normalize: true } },
    } as never)) as unknown as { metric_score: number; details: Record<string, { metric_score: number }> };
    expect(report.target.overall.estimate).toBeCloseTo(rankEval.metric_score, 12);
    for (const t of report.terms) expect(t.score).toBeCloseTo(rankEval.details[t.term]!.metric_score, 12);
  });

  it('refuses a rebuild without English stemming and title matches with exit 4, keeps the alias and the new index', SLOW, async () => {
    writeFileSync(join(dir, 'mappings/blog.json'), JSON.stringify(WORSE));
    const { code, stdout, stderr } = await search('rebuild-index', 'blog', '--evaluate', '--json');
    expect(code, stderr).toBe(4);
    const out = JSON.parse(stdout) as { error: { code: string; message: string; exitCode: number }; evaluations: Record<string, EvaluationJson> };
    expect(out.error).toMatchObject({ code: 'RELEVANCE_REGRESSION', exitCode: 4 });
    const evaluation = out.evaluations.blog!;
    const kept = evaluation.target.concrete[0]!;
    expect(kept).not.toBe(liveConcrete);
    // the alias did not move; the new index is there for inspection
    expect(Object.keys(await client.indices.getAlias({ name: 'blog' }))).toEqual([liveConcrete]);
    expect(await client.indices.exists({ index: kept })).toBe(true);
    // the change by hand: per term new − live, averaged
    const [live, worse] = [await scoresByHand(liveConcrete), await scoresByHand(kept)];
    const change = mean([...live.keys()].map((t) => worse.get(t)! - live.get(t)!));
    expect(change).toBeLessThan(-0.05);
    expect(evaluation.change!.estimate).toBeCloseTo(change, 10);
    expect(evaluation.change!.high).toBeLessThan(-0.01);
    // the per-term report is sorted by the size of the change
    const changes = evaluation.terms.map((t) => Math.abs(t.change!));
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    for (const t of evaluation.terms) expect(t.change!).toBeCloseTo(worse.get(t.term)! - live.get(t.term)!, 10);
    await client.indices.delete({ index: kept });

    // the text report: the per-term table, and the error on stderr
    const text = await search('rebuild-index', 'blog', '--evaluate');
    expect(text.code).toBe(4);
    expect(text.stdout).toMatch(/terms, largest change first/);
    expect(text.stderr).toMatch(/^error: blog-\d{17} ranks worse than blog on ndcg@10: -0\.\d{4} \(95% interval/m);
    const again = (await client.indices.get({ index: 'blog-*' })) as Record<string, unknown>;
    for (const index of Object.keys(again)) if (index !== liveConcrete) await client.indices.delete({ index });
  });

  it('stops before rebuilding when too few terms are judged, unless --force', SLOW, async () => {
    const { code, stderr } = await search('rebuild-index', 'blog', '--evaluate', '--min-terms', '1000');
    expect(code).toBe(1);
    expect(stderr).toMatch(/only \d+ search term\(s\) of "blog" have judgments \(at least 1000 needed to gate a rebuild.*nothing was rebuilt\. Pass --force/);
    expect(Object.keys((await client.indices.get({ index: 'blog-*' })) as object)).toEqual([liveConcrete]);

    const bad = await search('rebuild-index', 'blog', '--evaluate', '--max-regression', 'a lot');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('error: --max-regression is "a lot", expected a number of 0 or more (an allowed drop of the metric, e.g. 0.01)');

    // --force: rebuilt and gated on the judgments there are; the same mapping changes nothing
    writeFileSync(join(dir, 'mappings/blog.json'), JSON.stringify(LIVE));
    const forced = await search('rebuild-index', 'blog', '--evaluate', '--min-terms', '1000', '--force', '--json');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/warning: only \d+ search term\(s\) .*--force: gating on them anyway/);
    const out = JSON.parse(forced.stdout) as { indexes: Array<{ target: string }>; evaluations: Record<string, EvaluationJson> };
    expect(out.evaluations.blog!.change!.estimate).toBe(0);
    liveConcrete = out.indexes[0]!.target;
    expect(Object.keys(await client.indices.getAlias({ name: 'blog' }))).toEqual([liveConcrete]);
  });

  it('moves the alias for a rebuild with English stemming on every field', SLOW, async () => {
    writeFileSync(join(dir, 'mappings/blog.json'), JSON.stringify(BETTER));
    const { code, stdout, stderr } = await search('rebuild-index', 'blog', '--evaluate', '--keep-old', '--json');
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as { indexes: Array<{ target: string }>; evaluations: Record<string, EvaluationJson> };
    const target = out.indexes[0]!.target;
    previousConcrete = liveConcrete;
    liveConcrete = target;
    expect(Object.keys(await client.indices.getAlias({ name: 'blog' }))).toEqual([target]);
    const evaluation = out.evaluations.blog!;
    const [live, better] = [await scoresByHand(target), await scoresByHand('blog')];
    expect(live).toEqual(better);
    const change = evaluation.change!;
    expect(change.estimate).toBeGreaterThan(0);
    expect(evaluation.target.overall.estimate).toBeCloseTo(mean(better.values()), 10);
    expect(evaluation.against!.overall.estimate - evaluation.target.overall.estimate).toBeCloseTo(-change.estimate, 10);
  });

  it('search evaluate compares two indexes, and tries a query builder before it ships', SLOW, async () => {
    // the kept index against the live one gives the rebuild's figures, as text
    const { code, stdout, stderr } = await search('evaluate', liveConcrete, '--against', previousConcrete, '--top', '3');
    expect(code, stderr).toBe(0);
    const [live, previous] = [await scoresByHand(liveConcrete), await scoresByHand(previousConcrete)];
    const change = mean([...live.keys()].map((t) => live.get(t)! - previous.get(t)!));
    expect(stdout).toContain(`${liveConcrete}: ${mean(live.values()).toFixed(4)} [`);
    expect(stdout).toContain(`${previousConcrete}: ${mean(previous.values()).toFixed(4)} [`);
    expect(stdout).toMatch(new RegExp(`change\\s+\\+${change.toFixed(4).replace('.', '\\.')} \\[[-+]\\d\\.\\d{4}, \\+\\d\\.\\d{4}\\] \\(${liveConcrete} minus ${previousConcrete}`));
    expect(stdout).toMatch(/terms, largest change first \(3 of \d+\):/);
    expect(stdout).toMatch(/judgments\s+\d+ on \d+ terms \(\d+ searches\); \d+ \(\d+\.\d%\) only ever converted at rank 1/);

    // a new query: the title boosted ten times, summary and body plain
    writeFileSync(join(dir, 'title-first.mjs'), `export const build = (term) => ({ query: { multi_match: { query: term, fields: ['title^10', 'summary', 'body'] } }, size: 3 });\n`);
    const tried = await search('evaluate', 'blog', '--query-builder', './title-first.mjs#build', '--metric', 'mrr', '--json');
    expect(tried.code, tried.stderr).toBe(0);
    const report = JSON.parse(tried.stdout) as EvaluationJson;
    expect(report.metric).toBe('mrr@10');
    for (const t of report.terms) {
      const res = await client.search({ index: 'blog', query: { multi_match: { query: t.term, fields: ['title^10', 'summary', 'body'] } }, size: 10, _source: false });
      const first = res.hits.hits.findIndex((h) => recorded.get(t.term)!.has(h._id!));
      expect(t.score, t.term).toBeCloseTo(first === -1 ? 0 : 1 / (first + 1), 12);
    }

    // bad input: one line, exit 2
    const badMetric = await search('evaluate', 'blog', '--metric', 'ndcg@ten');
    expect(badMetric.code).toBe(2);
    expect(badMetric.stderr.trim()).toBe('error: metric is "ndcg@ten", expected one of precision@K, recall@K, mrr, ndcg@K, dcg@K, err@K (K a positive integer)');
    const badBuilder = await search('evaluate', 'blog', '--query-builder', './title-first.mjs#nope');
    expect(badBuilder.code).toBe(2);
    expect(badBuilder.stderr.trim()).toBe('error: --query-builder "./title-first.mjs#nope": module "./title-first.mjs" has no export "nope" (it exports: build)');
    const noIndex = await search('evaluate', 'blog', '--against', 'nowhere');
    expect(noIndex.code).toBe(1);
    expect(noIndex.stderr.trim()).toBe('error: index "nowhere" does not exist (neither an alias nor a concrete index)');
  });
});
