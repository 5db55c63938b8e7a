/**
 * The benchmark's table: `products` in a schema of its own, with realistic rows (a title of a
 * few words, a body of 300–500 bytes of words, a price, a timestamp), loaded with COPY FROM
 * STDIN from a seeded generator so every run indexes the same text.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { mulberry32 } from '../../demo/seeded-random.js';

const WORDS = (
  'search index query database postgres stream bulk request document field mapping analyzer token ' +
  'shard replica cluster node engine keyset page cursor batch chunk memory latency throughput ' +
  'product price order customer invoice shipping warehouse catalog category brand review rating ' +
  'the a of and to in is for on with as by at from that this it be are was were will can not ' +
  'quick brown fox jumps over lazy dog river mountain forest ocean desert city village street ' +
  'coffee tea bread cheese apple orange lemon garden kitchen window table chair lamp blanket ' +
  'travel journey morning evening winter summer autumn spring weather cloud rain snow sun wind ' +
  'simple robust fast reliable durable elegant compact portable modern classic premium organic ' +
  'running walking reading writing cooking building testing shipping measuring indexing comparing ' +
  'hand written minimal pipeline tutorial example reference manual guide chapter section note'
).split(' ');

function* productLines(rows: number): Generator<string> {
  const next = mulberry32(42);
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]!).join(' ');
  const start = Date.UTC(2024, 0, 1);
  let block = '';
  for (let i = 0; i < rows; i++) {
    const title = words(3 + Math.floor(next() * 6));
    const body = words(55 + Math.floor(next() * 30));
    const price = 100 + Math.floor(next() * 99_900);
    const created = new Date(start + Math.floor(next() * 2 * 365 * 86_400_000)).toISOString();
    block += `${title[0]!.toUpperCase()}${title.slice(1)}\t${body}\t${price}\t${created}\n`;
    if (block.length > 256 * 1024) {
      yield block;
      block = '';
    }
  }
  if (block) yield block;
}

/**
 * Creates `schema`, its `products` table of `rows` rows and `products_small` holding the first
 * `smallRows` of them (for the memory comparison), both keyed by `id`.
 */
export async function createProductTables(connectionString: string, schema: string, rows: number, smallRows: number): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const s = client.escapeIdentifier(schema);
    await client.query(`create schema ${s}`);
    await client.query(`create table ${s}.products (id serial primary key, title text not null, body text not null, price integer not null, created_at timestamptz not null)`);
    await pipeline(Readable.from(productLines(rows)), client.query(copyFrom(`copy ${s}.products (title, body, price, created_at) from stdin`)));
    await client.query(`create table ${s}.products_small as select * from ${s}.products where id <= $1`.replace('$1', String(Math.floor(smallRows))));
    await client.query(`alter table ${s}.products_small add primary key (id)`);
    await client.query(`vacuum analyze ${s}.products`);
    await client.query(`vacuum analyze ${s}.products_small`);
  } finally {
    await client.end();
  }
}

export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${client.escapeIdentifier(schema)} cascade`);
  } finally {
    await client.end();
  }
}

/** Average bytes of a row's text columns, for the report. */
export async function averageRowBytes(connectionString: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`select avg(octet_length(title) + octet_length(body))::int as n from ${client.escapeIdentifier(schema)}.products`);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
