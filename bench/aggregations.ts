/**
 * Facets on the embedded engine vs the same grouping in PostgreSQL (`npm run bench:aggs`).
 *
 * One generated product table (category, brand, price, created_at), loaded into PostgreSQL and
 * indexed into the embedded engine (in-process, through the real client). Each round asks both
 * for the same three facets:
 *
 *   engine:     size 0, aggs { terms(category, 10), stats(price), date_histogram(created_at, month) }
 *   PostgreSQL: GROUP BY category ORDER BY count DESC LIMIT 10; count/min/max/avg/sum(price);
 *               GROUP BY date_trunc('month', created_at) ORDER BY month
 *
 * over every row and over a brand filter (about 1 row in 8), at 10,000 and 100,000 rows
 * (`BENCH_SIZES=10000,100000`). The three SQL statements go in one round trip; the answers are
 * checked equal before timing. A tutorial claims SQL grouping is 10x faster than Elasticsearch
 * facets at 10,000 rows: the ratio printed is engine time / PostgreSQL time (below 1: the engine
 * is faster).
 *
 * The database is DATABASE_URL, else PostgreSQL on 127.0.0.1:5432, else PGlite (as the tests
 * choose), in a schema of its own dropped at the end.
 */
import type { Knex } from 'knex';
import { mulberry32 } from '../demo/seeded-random.js';
import { openTestClient } from '../test/engine/helpers.js';
import type { TestClient } from '../test/engine/helpers.js';
import { isolatedDatabase } from '../test/helpers/database.js';
import { compareAlternating } from './lib/timing.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const CATEGORIES = ['books', 'music', 'garden', 'kitchen', 'toys', 'sports', 'tools', 'health', 'beauty', 'games', 'office', 'pets', 'baby', 'auto', 'shoes', 'jewelry'];
const BRANDS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];

interface Product {
  id: number;
  category: string;
  brand: string;
  price: number;
  created_at: string;
}

function* products(rows: number): Generator<Product> {
  const next = mulberry32(7);
  const start = Date.UTC(2023, 0, 1);
  for (let id = 1; id <= rows; id++) {
    // a skewed category distribution, as real catalogs have: low indexes are more common
    const category = CATEGORIES[Math.floor(CATEGORIES.length * next() ** 2)]!;
    const brand = BRANDS[Math.floor(next() * BRANDS.length)]!;
    const price = Math.round((1 + next() * 999) * 100) / 100;
    const created_at = new Date(start + Math.floor(next() * 3 * 365 * 86_400_000)).toISOString();
    yield { id, category, brand, price, created_at };
  }
}

interface Facets {
  categories: Array<[string, number]>;
  stats: { count: number; min: number | null; max: number | null; sum: number };
  months: Array<[string, number]>;
}

async function load(db: Knex, client: TestClient['client'], table: string, index: string, rows: number): Promise<void> {
  await db.schema.createTable(table, (t) => {
    t.integer('id').primary();
    t.text('category').notNullable();
    t.text('brand').notNullable();
    t.decimal('price', 10, 2).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['brand']);
  });
  await client.indices.create({
    index,
    settings: { refresh_interval: '-1' },
    mappings: { properties: { category: { type: 'keyword' }, brand: { type: 'keyword' }, price: { type: 'double' }, created_at: { type: 'date' } } },
  });
  let batch: Product[] = [];
  const flush = async (): Promise<void> => {
    await db.batchInsert(table, batch, 1000);
    await client.bulk({ operations: batch.flatMap((p) => [{ index: { _index: index, _id: String(p.id) } }, p]) });
    batch = [];
  };
  for (const p of products(rows)) {
    batch.push(p);
    if (batch.length === 5000) await flush();
  }
  if (batch.length > 0) await flush();
  await client.indices.refresh({ index });
  await db.raw('analyze ??', [table]);
}

async function engineFacets(client: TestClient['client'], index: string, brand?: string): Promise<Facets> {
  const res = await client.search({
    index,
    size: 0,
    query: brand ? { term: { brand } } : { match_all: {} },
    aggs: {
      by_category: { terms: { field: 'category', size: 10 } },
      price_stats: { stats: { field: 'price' } },
      per_month: { date_histogram: { field: 'created_at', calendar_interval: 'month' } },
    },
  });
  const aggs = res.aggregations as Record<string, { buckets?: Array<{ key: string | number; key_as_string?: string; doc_count: number }>; count?: number; min?: number | null; max?: number | null; sum?: number }>;
  const stats = aggs.price_stats!;
  return {
    categories: aggs.by_category!.buckets!.map((b) => [String(b.key), b.doc_count]),
    stats: { count: stats.count!, min: stats.min ?? null, max: stats.max ?? null, sum: stats.sum! },
    months: aggs.per_month!.buckets!.filter((b) => b.doc_count > 0).map((b) => [String(b.key_as_string).slice(0, 7), b.doc_count]),
  };
}

async function sqlFacets(db: Knex, table: string, brand?: string): Promise<Facets> {
  // one round trip, three statements: the grouping a faceted page needs (bindings, never inlined)
  const where = brand === undefined ? '' : 'where brand = ?';
  const scope = (): unknown[] => (brand === undefined ? [table] : [table, brand]);
  const result = (await db.raw(
    `select json_build_object(
       'categories', (select coalesce(json_agg(json_build_array(category, n)), '[]') from (select category, count(*) as n from ?? ${where} group by category order by n desc, category limit 10) c),
       'stats', (select json_build_object('count', count(price), 'min', min(price), 'max', max(price), 'sum', sum(price)) from ?? ${where}),
       'months', (select coalesce(json_agg(json_build_array(to_char(m, 'YYYY-MM'), n) order by m), '[]') from (select date_trunc('month', created_at at time zone 'UTC') as m, count(*) as n from ?? ${where} group by m) d)
     ) as facets`,
    [...scope(), ...scope(), ...scope()] as Knex.RawBinding[],
  )) as { rows: Array<{ facets: Facets }> };
  const f = result.rows[0]!.facets;
  return { ...f, stats: { count: Number(f.stats.count), min: f.stats.min === null ? null : Number(f.stats.min), max: f.stats.max === null ? null : Number(f.stats.max), sum: Number(f.stats.sum) } };
}

function sameFacets(a: Facets, b: Facets): boolean {
  const sumClose = Math.abs(a.stats.sum - b.stats.sum) < 1e-6 * Math.max(1, Math.abs(b.stats.sum));
  return (
    JSON.stringify(a.categories) === JSON.stringify(b.categories) &&
    JSON.stringify(a.months) === JSON.stringify(b.months) &&
    a.stats.count === b.stats.count &&
    a.stats.min === b.stats.min &&
    a.stats.max === b.stats.max &&
    sumClose
  );
}

async function main(): Promise<void> {
  const { db, kind, cleanup } = await isolatedDatabase();
  const engine = await openTestClient();
  try {
    console.log(`database ${kind}, engine in-process through the client, ${ROUNDS} rounds per figure, medians`);
    console.log('facets: terms(category, 10) + stats(price) + date_histogram(created_at, month)\n');
    console.log('| Rows | Query | Engine ms | PostgreSQL ms | Engine / PostgreSQL |');
    console.log('|---|---|---|---|---|');
    for (const rows of SIZES) {
      const table = `products_${rows}`;
      const index = `products-${rows}`;
      await load(db, engine.client, table, index, rows);
      for (const brand of [undefined, 'wonka']) {
        const [e, s] = [await engineFacets(engine.client, index, brand), await sqlFacets(db, table, brand)];
        if (!sameFacets(e, s)) {
          console.error('engine and PostgreSQL disagree:', JSON.stringify({ engine: e, postgres: s }).slice(0, 2000));
          process.exitCode = 1;
          return;
        }
        const t = await compareAlternating(
          ROUNDS,
          3,
          () => engineFacets(engine.client, index, brand),
          () => sqlFacets(db, table, brand),
        );
        const label = brand ? `brand filter (${e.stats.count.toLocaleString('en-US')} rows)` : 'all rows';
        console.log(`| ${rows.toLocaleString('en-US')} | ${label} | ${t.a.toFixed(2)} | ${t.b.toFixed(2)} | ${(t.a / t.b).toFixed(2)}x |`);
      }
    }
  } finally {
    await engine.close();
    await cleanup();
  }
}

await main();
