/**
 * The three yardsticks update-index is measured against, each run in a child process of its
 * own so that its timing and peak RSS are its alone:
 *
 * - `minimal`: a hand-written pipeline (keyset pages of `chunkSize` rows → JSON → `_bulk` with
 *   `concurrency` requests in flight); no retries, progress or failure bookkeeping.
 *   With `fullResponse`, it reads the whole bulk response (no filter_path), as most do.
 * - `single`: one `client.index` per row, awaited one at a time, as the tutorials do.
 * - `copy`: `COPY (select ...) TO STDOUT` of the same rows, read and counted: the read limit.
 *
 *   node --import tsx bench/lib/baselines.ts <mode> '<json options>'
 *
 * Prints one JSON line: `{ docs, seconds, failed, maxRssKb }`.
 */
import { Client } from '@elastic/elasticsearch';
import knexFactory from 'knex';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export interface BaselineOptions {
  /** Engine URL. */
  url: string;
  database: string;
  schema: string;
  table: string;
  index: string;
  chunkSize: number;
  concurrency: number;
  /** Rows to index (single); all when absent. */
  limit?: number;
  /** minimal: ask for the whole bulk response instead of statuses and errors only. */
  fullResponse?: boolean;
}

export interface BaselineResult {
  docs: number;
  seconds: number;
  failed: number;
  bytes?: number;
  maxRssKb: number;
}

interface ProductRow {
  id: number;
  title: string;
  body: string;
  price: number;
  created_at: Date;
}

/**
 * The same trimmed response update-index asks for (statuses and errors only), so that the
 * comparison is of the pipelines, not of how much the engine writes back: without it the
 * engine renders, and the client parses, every item's index, id, version, shards and seq_no.
 */
const BULK_FILTER_PATH = 'errors,items.*.status,items.*.error';

const COLUMNS = ['id', 'title', 'body', 'price', 'created_at'] as const;
const document = (r: ProductRow) => ({ title: r.title, body: r.body, price: r.price, created_at: r.created_at });

async function minimal(o: BaselineOptions): Promise<Omit<BaselineResult, 'maxRssKb'>> {
  const started = performance.now();
  const db = knexFactory({ client: 'pg', connection: o.database, searchPath: [o.schema], pool: { min: 0, max: 10 } });
  const client = new Client({ node: o.url });
  const inFlight = new Set<Promise<void>>();
  let docs = 0;
  let failed = 0;
  let last = 0;
  try {
    for (;;) {
      const rows = (await db(o.table).select(...COLUMNS).where('id', '>', last).orderBy('id').limit(o.chunkSize)) as ProductRow[];
      if (rows.length === 0) break;
      let body = '';
      for (const row of rows) body += `${JSON.stringify({ index: { _index: o.index, _id: String(row.id) } })}\n${JSON.stringify(document(row))}\n`;
      while (inFlight.size >= o.concurrency) await Promise.race(inFlight);
      const sending: Promise<void> = client.transport
        .request({ method: 'POST', path: '/_bulk', querystring: o.fullResponse ? {} : { filter_path: BULK_FILTER_PATH }, bulkBody: body })
        .then((response) => {
          const items = (response as { items: Array<Record<string, { status: number }>> }).items;
          for (const item of items) {
            if (Object.values(item)[0]!.status < 300) docs++;
            else failed++;
          }
        })
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
      last = rows[rows.length - 1]!.id;
      if (rows.length < o.chunkSize) break;
    }
    await Promise.all(inFlight);
    // update-index refreshes at the end too: what was indexed is searchable when it returns.
    await client.indices.refresh({ index: o.index });
    return { docs, failed, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.close();
    await db.destroy();
  }
}

async function single(o: BaselineOptions): Promise<Omit<BaselineResult, 'maxRssKb'>> {
  const started = performance.now();
  const db = knexFactory({ client: 'pg', connection: o.database, searchPath: [o.schema], pool: { min: 0, max: 10 } });
  const client = new Client({ node: o.url });
  let docs = 0;
  try {
    const rows = (await db(o.table).select(...COLUMNS).orderBy('id').limit(o.limit ?? Number.MAX_SAFE_INTEGER)) as ProductRow[];
    for (const row of rows) {
      await client.index({ index: o.index, id: String(row.id), document: document(row) });
      docs++;
    }
    await client.indices.refresh({ index: o.index });
    return { docs, failed: 0, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.close();
    await db.destroy();
  }
}

async function copy(o: BaselineOptions): Promise<Omit<BaselineResult, 'maxRssKb'>> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: o.database });
  await client.connect();
  try {
    const table = `${client.escapeIdentifier(o.schema)}.${client.escapeIdentifier(o.table)}`;
    const stream = client.query(copyTo(`copy (select ${COLUMNS.join(', ')} from ${table} order by id) to stdout`));
    let docs = 0;
    let bytes = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) docs++;
    }
    return { docs, failed: 0, bytes, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

const MODES = { minimal, single, copy } as const;
type Mode = keyof typeof MODES;

const [mode, json] = process.argv.slice(2);
if (!mode || !(mode in MODES) || !json) {
  console.error(`usage: baselines.ts <${Object.keys(MODES).join('|')}> '<json options>'`);
  process.exit(2);
}
const result = await MODES[mode as Mode](JSON.parse(json) as BaselineOptions);
process.stdout.write(`${JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS } satisfies BaselineResult)}\n`);
