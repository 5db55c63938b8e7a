import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex-factory.js';
import { migrateLatest } from '../../src/db/migration-source.js';
import type { SearchQuery } from '../../src/search/search-query.js';
import { repoRoot, runCli, runCliInProcess } from '../helpers/cli.js';
import { isolatedDatabase } from '../helpers/database.js';
import { baseline, makeProject, VALID_CONFIG } from '../helpers/project.js';
import { seedAuditLog } from '../search/audit-log.js';

// `search queries` run against a query log seeded with figures worked out by hand
// (test/search/audit-log.ts): PostgreSQL in a schema of its own, or PGlite in a folder (an
// in-memory PGlite cannot be shared with a child process). Most runs are in this process
// (runCliInProcess: the same output and exit code as a child's); one per exit code in a child.
let project: { dir: string; cleanup(): void };
let seeded: Awaited<ReturnType<typeof seedAuditLog>>;
let dropDatabase: () => Promise<void>;

beforeAll(async () => {
  const isolated = await isolatedDatabase();
  let database: string;
  let db: Knex;
  if (isolated.kind === 'pg') {
    db = isolated.db;
    const url = typeof isolated.settings.connection === 'string' ? isolated.settings.connection : '';
    database = `database:\n  connection: ${JSON.stringify(url)}\n  searchPath: [${isolated.settings.searchPath![0]}]\n`;
    dropDatabase = isolated.cleanup;
  } else {
    await isolated.cleanup();
    database = 'database:\n  connection: pglite:db\n';
    dropDatabase = async () => undefined;
  }
  project = makeProject(baseline({ 'search.config.yaml': `${VALID_CONFIG}${database}` }));
  if (isolated.kind === 'pglite') db = await createKnex({ client: 'pg', connection: 'pglite:db' }, { baseDir: project.dir });
  await migrateLatest(db!);
  seeded = await seedAuditLog(db!);
  if (isolated.kind === 'pglite') await db!.destroy();
});

afterAll(async () => {
  await dropDatabase?.();
  project?.cleanup();
});

const search = (...args: string[]) => runCliInProcess(['queries', ...args], { cwd: project.dir });
const spawnSearch = (...args: string[]) => runCli(['queries', ...args], { cwd: project.dir });
// A CLI child process starts Node and oclif (1-2 s, more on a loaded machine).
const SLOW = { timeout: 120_000 };

describe('search queries stats', SLOW, () => {
  it('prints volume, zero-result rate and terms, latency percentiles and mean hits per index', async () => {
    const { code, stdout, stderr } = await spawnSearch('stats', '--since', '30d');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const blog = stdout.slice(stdout.indexOf('index blog'), stdout.indexOf('index people'));
    // By hand: 10 searches; hits 3,0,12,0,5,0,1,7,0,2 (4 zeros, mean 3); durations 1..10.
    expect(blog).toMatch(/searches\s+10\n/);
    expect(blog).toMatch(/zero results\s+4 \(40\.0%\)/);
    expect(blog).toMatch(/mean hits\s+3\.00/);
    expect(blog).toMatch(/latency ms\s+p50 5\.50 {2}p95 9\.55 {2}p99 9\.91 {2}max 10\.00/);
    expect(blog).toMatch(/top terms\s+"kubernetes" \(3, 0\.0% converted\), "postgres" \(3, 66\.7% converted\), "elixir" \(1, 0\.0% converted\), "go" \(1, 0\.0% converted\), "rust" \(1, 100\.0% converted\)/);
    // Conversions (audit-log.ts): 3 of 10 searches, 5 conversions at positions 2,1,3,1,1; users u1, u2, u3.
    expect(blog).toMatch(/distinct users\s+3\n/);
    expect(blog).toMatch(/converted\s+3 \(30\.0%\), 5 conversions\n/);
    expect(blog).toMatch(/converted position\s+mean 1\.60 {2}median 1\.00\n/);
    expect(blog).toMatch(/top zero-result terms\s+"kubernetes" \(3\), "elixir" \(1\)/);
    const people = stdout.slice(stdout.indexOf('index people'));
    // By hand: durations 10,20,30,40 -> p50 25, p95 38.5, p99 39.7; hits 0,2,4,6.
    expect(people).toMatch(/searches\s+4\n/);
    expect(people).toMatch(/zero results\s+1 \(25\.0%\)/);
    expect(people).toMatch(/latency ms\s+p50 25\.00 {2}p95 38\.50 {2}p99 39\.70/);
  });

  it('gives the same figures as JSON, for one index and the whole log', async () => {
    const { code, stdout } = await search('stats', '--index', 'blog', '--top', '2', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { since: null; indexes: Array<{ index: string; volume: number; zeroHitRate: number; meanHits: number; topTerms: unknown[] }> };
    expect(result.since).toBeNull();
    expect(result.indexes).toHaveLength(1);
    // The whole log adds the 100-day-old zero-hit search: 11 searches, 5 zeros, 30 hits.
    expect(result.indexes[0]).toMatchObject({ index: 'blog', volume: 11 });
    expect(result.indexes[0]!.zeroHitRate).toBeCloseTo(5 / 11, 10);
    expect(result.indexes[0]!.meanHits).toBeCloseTo(30 / 11, 10);
    expect(result.indexes[0]!.topTerms).toMatchObject([{ term: 'kubernetes', count: 3, converted: 0 }, { term: 'postgres', count: 3, converted: 2 }]);
  });

  it('lists low-converting terms searched at least --min-searches times', async () => {
    const { code, stdout } = await search('stats', '--index', 'blog', '--since', '30d', '--min-searches', '3');
    expect(code).toBe(0);
    expect(stdout).toMatch(/low-converting terms\s+"kubernetes" \(3, 0\.0% converted\), "postgres" \(3, 66\.7% converted\)\n/);
  });
});

describe('search queries list', SLOW, () => {
  it('filters and prints JSON that re-reads as the logged queries', async () => {
    const { code, stdout } = await search('list', '--index', 'blog', '--zero-hits', '--since', '30d', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as SearchQuery[];
    const expected = seeded.all.filter((q) => q.index === 'blog' && q.totalHits === 0);
    expect(listed.map((q) => q.id).sort()).toEqual(expected.map((q) => q.id).sort());
    expect(listed.map((q) => q.executedAt)).toEqual(listed.map((q) => q.executedAt).sort().reverse());
  });

  it('filters by user, terms and duration, and prints CSV', async () => {
    const { code, stdout } = await search('list', '--contains', 'postgres', '--slower-than', '6ms', '--csv');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('id,executed_at,query_type,index,search_terms,total_hits,total_hits_relation,hit_count,max_score,min_score,page_from,page_size,duration_ms,user,reference');
    // Postgres-ish terms took 5, 9 and 8 ms: two are slower than 6 ms.
    const expected = seeded.all.filter((q) => /postgres/i.test(q.searchTerms) && q.durationMs > 6);
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(expected.map((q) => q.id).sort());
    const byUser = await search('list', '--user', 'u2', '--json');
    expect((JSON.parse(byUser.stdout) as SearchQuery[]).map((q) => q.id).sort()).toEqual(seeded.all.filter((q) => q.user === 'u2').map((q) => q.id).sort());
  });

  it('lists converted or not converted searches', async () => {
    const converted = JSON.parse((await search('list', '--converted', '--since', '30d', '--json')).stdout) as SearchQuery[];
    expect(converted.map((q) => q.searchTerms).sort()).toEqual(['Postgres', 'postgres', 'rust']);
    const not = JSON.parse((await search('list', '--not-converted', '--index', 'people', '--json')).stdout) as SearchQuery[];
    expect(not).toHaveLength(4);
    expect((await search('list', '--converted', '--not-converted')).code).toBe(2);
  });

  it('prints a table by default', async () => {
    const { code, stdout } = await search('list', '--reference', 'ref-people');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^executed at\s+id\s+index\s+hits\s+ms\s+user\s+terms$/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain('"chiara"');
  });

  it('refuses a bad --since with exit 2 and one line', async () => {
    const { code, stderr } = await spawnSearch('list', '--since', 'last tuesday');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('error: --since is "last tuesday", expected an ISO date (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (7d, 12h)');
  });
});

describe('search queries show', SLOW, () => {
  it('prints the query pretty-printed and its hits', async () => {
    const q = seeded.all.find((x) => x.searchTerms === 'rust')!;
    const { code, stdout } = await search('show', q.id);
    expect(code).toBe(0);
    expect(stdout).toContain(`id            ${q.id}`);
    expect(stdout).toContain('search terms  "rust"');
    expect(stdout).toContain('"match": {\n');
    expect(stdout).toMatch(/hits \(5\)\n\s+rank\s+id\s+index\s+score/);
    // Its conversions: the click and the purchase of the rank-1 hit.
    expect(stdout).toMatch(/conversions \(2\)\n\s+converted at\s+kind\s+position\s+hit\s+index\s+value\n.*click\s+1\s+"100"\s+blog\n.*purchase\s+1\s+"100"\s+blog\s+30\n/);
    const json = await search('show', q.id, '--json');
    const shown = JSON.parse(json.stdout) as SearchQuery & { conversions: Array<{ kind: string; position: number }> };
    expect({ ...shown, conversions: undefined }).toEqual({ ...JSON.parse(JSON.stringify(q)), conversions: undefined });
    expect(shown.conversions.map((c) => [c.kind, c.position])).toEqual([
      ['click', 1],
      ['purchase', 1],
    ]);
  });

  it('exits 1 with one line for an unknown id', async () => {
    const { code, stderr } = await spawnSearch('show', '00000000-0000-4000-8000-000000000000');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('error: no logged query has id "00000000-0000-4000-8000-000000000000"');
  });
});

describe('search queries prune', SLOW, () => {
  it('deletes what is older than --older-than, after a dry run', async () => {
    const dry = await search('prune', '--older-than', '90d', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ deleted: 1, dryRun: true });
    const { code, stdout } = await search('prune', '--older-than', '90d');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^deleted 1 logged query executed before \d{4}-/);
    expect((await search('show', seeded.old.id)).code).toBe(1);
    expect(JSON.parse((await search('prune', '--older-than', '90d', '--json')).stdout)).toMatchObject({ deleted: 0 });
  });

  it('refuses a bad --older-than with exit 2', async () => {
    const { code, stderr } = await search('prune', '--older-than', 'ninety days');
    expect(code).toBe(2);
    expect(stderr).toContain('--older-than is "ninety days"');
  });
});

describe('search queries without the log table', SLOW, () => {
  it('says to run search migrate, exit 1', async () => {
    const bare = makeProject(baseline({ 'search.config.yaml': `${VALID_CONFIG}database:\n  connection: pglite:db\n` }));
    try {
      const { code, stderr } = await runCli(['queries', 'list'], { cwd: bare.dir });
      expect(code).toBe(1);
      expect(stderr.trim()).toBe('error: the query log table indexkit_search_queries does not exist in this database; run `search migrate` first');
    } finally {
      bare.cleanup();
    }
  });
});

describe('search dashboard', SLOW, () => {
  it('prints its address with a fresh token first, answers 401 without it, shows the stats figures, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'dashboard', '--port', '0'], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`search dashboard exited with ${code}`)));
      });
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
      const url = new URL(first);
      const token = url.searchParams.get('token')!;
      expect((await fetch(`${url.origin}/overview.json`)).status).toBe(401);
      const overview = (await (await fetch(`${url.origin}/overview.json?index=blog&period=30d`, { headers: { authorization: `Bearer ${token}` } })).json()) as { current: { volume: number; conversion: { converted: number; conversions: number } } };
      // As `search queries stats --since 30d` counts blog: 10 searches, 3 converted, 5 conversions.
      expect(overview.current).toMatchObject({ volume: 10, conversion: { converted: 3, conversions: 5 } });
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
    expect(code).toBe(0);
  });
});
