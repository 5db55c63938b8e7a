/**
 * The work each dashboard page does, which load does not change (`npm run bench:dashboard-explain`):
 * per page and period, the statements a page runs (captured from the real read functions)
 * under EXPLAIN (ANALYZE, BUFFERS), summed: shared buffers hit and read, rows read from tables
 * (every scan node's rows times its loops) and execution time (which load does change).
 *
 * Reads the log `npm run bench:dashboard` generated (schema `indexkit_bench_dashboard`, or
 * BENCH_SCHEMA), pinned to its newest search as that bench does; PERIODS=7d,30d picks periods.
 */
import { loadavg } from 'node:os';
import type { Knex } from 'knex';
import { filtersOf } from '../src/dashboard/dashboard-filters.js';
import { overview, readFigures, terms } from '../src/dashboard/dashboard-sql.js';
import { SEARCH_QUERIES_TABLE } from '../src/db/migrations/0001-search-queries.js';
import { createKnex } from '../src/db/knex-factory.js';
import { testDatabase } from '../test/helpers/database.js';

const SCHEMA = process.env.BENCH_SCHEMA ?? 'indexkit_bench_dashboard';
const PERIODS = (process.env.PERIODS ?? '1h,24h,7d,30d,90d,365d').split(',');
const PAGES = [
  ['overview', ''],
  ['top', ''],
  ['zero', ''],
  ['low', ''],
  ['overview', '&index=blog'],
] as const;

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

// Rows read from tables and indexes: scans of relations, not of CTEs, subqueries, functions or values.
const tableRows = (node: PlanNode): number =>
  (/Scan$/.test(node['Node Type']) && !/CTE|Subquery|Function|Values|Bitmap Index|WorkTable/.test(node['Node Type']) ? node['Actual Rows'] * node['Actual Loops'] : 0) +
  (node.Plans ?? []).reduce((n, child) => n + tableRows(child), 0);

const { settings, kind } = await testDatabase();
if (kind !== 'pg') {
  console.error('bench:dashboard-explain needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432)');
  process.exit(1);
}
const db = await createKnex({ ...settings, searchPath: [SCHEMA] }, { baseDir: process.cwd() });
try {
  const newest = (await db(SEARCH_QUERIES_TABLE).max('executed_at as at').first()) as { at: Date | null };
  if (!newest.at) throw new Error(`schema ${SCHEMA} holds no logged searches: run npm run bench:dashboard first`);
  const until = new Date(new Date(newest.at).getTime() + 1000).toISOString();
  console.log(`schema ${SCHEMA}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${'period'.padEnd(7)}${'page'.padEnd(22)}${'buffers hit'.padStart(12)}${'read'.padStart(8)}${'table rows'.padStart(12)}${'exec ms'.padStart(10)}`);
  for (const period of PERIODS) {
    for (const [page, extra] of PAGES) {
      const f = filtersOf(new URLSearchParams(`period=${period}${extra}&until=${until}`));
      const captured: Array<{ sql: string; bindings: Knex.RawBinding[] }> = [];
      const listener = (q: { sql: string; bindings?: Knex.RawBinding[] }) => {
        if (!/^(set|begin|commit)\b/i.test(q.sql)) captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
      };
      db.on('query', listener);
      await readFigures(db, (trx): Promise<unknown> => (page === 'overview' ? overview(trx, f) : terms(trx, f, page)));
      db.removeListener('query', listener);
      const totals = { hit: 0, read: 0, rows: 0, ms: 0 };
      await readFigures(db, async (trx) => {
        for (const { sql, bindings } of captured) {
          // knex's `?` placeholders, bound again; jsonb's `?` operators do not occur in these statements.
          const { rows } = (await trx.raw(`explain (analyze, buffers, format json) ${sql.replace(/\$\d+/g, '?')}`, bindings)) as { rows: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> }> };
          const [{ Plan: plan, 'Execution Time': ms }] = rows[0]!['QUERY PLAN'] as [{ Plan: PlanNode; 'Execution Time': number }];
          totals.hit += plan['Shared Hit Blocks'] ?? 0;
          totals.read += plan['Shared Read Blocks'] ?? 0;
          totals.rows += tableRows(plan);
          totals.ms += ms;
        }
      });
      console.log(`${period.padEnd(7)}${`${page}${extra}`.padEnd(22)}${String(totals.hit).padStart(12)}${String(totals.read).padStart(8)}${String(totals.rows).padStart(12)}${totals.ms.toFixed(1).padStart(10)}`);
    }
  }
} finally {
  await db.destroy();
}
