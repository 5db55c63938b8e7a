import type { Client } from '@elastic/elasticsearch';
import { toSearchSide } from '../../src/client/adapters/elasticsearch.js';
import type { SearchSide } from '../../src/client/search-side.js';
import type { Knex } from 'knex';
import { WriteTargets } from '../../src/indexes/write-targets.js';

/**
 * Changes rows of the `items` table in a loop, doing what indexkit's writers do after each
 * change: write the document (or delete it) to every current write target of the index. Every
 * `deleteEvery`-th change deletes a row, every `insertEvery`-th adds one. `stop()` ends the loop
 * and resolves to the number of changes made.
 */
export function startItemWriter(options: { db: Knex; client: Client | SearchSide; index: string; rows: number; step: number; deleteEvery: number; insertEvery?: number; pauseMs?: number }): { stop(): Promise<number> } {
  const { db, index } = options;
  const client = toSearchSide(options.client);
  const targets = new WriteTargets();
  let running = true;
  const loop = (async () => {
    let n = 0;
    while (running) {
      n++;
      const id = 1 + ((n * options.step) % options.rows);
      const to = await targets.get(client, index);
      if (n % options.deleteEvery === 0) {
        await db('items').where('id', id).del();
        for (const target of to) await client.delete({ index: target, id: String(id) }).catch(() => undefined);
      } else {
        await db('items').where('id', id).update({ name: `edit ${n}`, updated_at: new Date() });
        const row = await db('items').where('id', id).first();
        if (row) for (const target of to) await client.index({ index: target, id: String(id), document: { name: row.name, price: row.price } });
      }
      if (options.insertEvery && n % options.insertEvery === 0) {
        const [inserted] = await db('items').insert({ name: `new ${n}`, price: '1' }).returning('id');
        for (const target of await targets.get(client, index)) await client.index({ index: target, id: String(inserted.id), document: { name: `new ${n}`, price: '1' } });
      }
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
    return n;
  })();
  return {
    stop() {
      running = false;
      return loop;
    },
  };
}

/** The active rows of `items` and the documents of `index`, compared name for name: the ids that differ. */
export async function differences(db: Knex, given: Client | SearchSide, index: string): Promise<{ rows: number; documents: number; wrong: string[] }> {
  const client = toSearchSide(given);
  const rows = (await db('items').where('active', true).select('id', 'name')) as Array<{ id: number; name: string }>;
  await client.indices.refresh({ index });
  const docs = await client.search<{ name: string }>({ index, size: 10000 });
  const byId = new Map(docs.hits.hits.map((h) => [h._id!, h._source!.name]));
  const wrong = rows.filter((r) => byId.get(String(r.id)) !== r.name).map((r) => String(r.id));
  return { rows: rows.length, documents: byId.size, wrong };
}
