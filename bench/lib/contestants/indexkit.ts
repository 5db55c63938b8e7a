import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { createEmbeddedClient } from '../../../src/engine/index.js';
import type { BenchQuery } from '../bench-queries.js';
import type { Contestant } from '../contestant.js';
import { TOP } from '../contestant.js';
import type { MailDocument } from '../spam-corpus.js';

/**
 * indexkit's embedded engine through the real @elastic/elasticsearch client, in-process: one
 * index with `subject` and `body` as text fields (standard analyzer), NDJSON `_bulk` requests of
 * 1,000 documents, one refresh at the end. Searches ask for `size: 10` and `_source: false`: the
 * other libraries return ids and scores too (Orama returns its stored documents, as it always does).
 */
export class IndexkitContestant implements Contestant {
  private readonly dir = mkdtempSync(join(tmpdir(), 'indexkit-bench-engine-'));
  private client?: Client;
  private static readonly INDEX = 'mail';
  private static readonly CHUNK = 1000;

  async open(): Promise<void> {
    this.client = await createEmbeddedClient(this.dir);
    await this.client.indices.create({
      index: IndexkitContestant.INDEX,
      mappings: { properties: { subject: { type: 'text' }, body: { type: 'text' } } },
    });
  }

  /** Timed from the first `_bulk` to the end of the refresh. */
  async index(docs: MailDocument[]): Promise<void> {
    const client = this.client!;
    for (let start = 0; start < docs.length; start += IndexkitContestant.CHUNK) {
      // The NDJSON body is built per request, as an application would build it; it is part of
      // the timed indexing (JSON.stringify of ~5 MB per request).
      let body = '';
      const end = Math.min(start + IndexkitContestant.CHUNK, docs.length);
      for (let i = start; i < end; i++) body += `{"index":{"_id":"${i}"}}\n${JSON.stringify(docs[i])}\n`;
      const response = (await client.transport.request({
        method: 'POST',
        path: `/${IndexkitContestant.INDEX}/_bulk`,
        bulkBody: body,
      })) as { errors: boolean; items: unknown[] };
      if (response.errors) throw new Error(`_bulk of documents ${start}..${end - 1} reported errors: ${JSON.stringify(response.items.slice(0, 2))}`);
    }
    await client.indices.refresh({ index: IndexkitContestant.INDEX });
  }

  async search(q: BenchQuery): Promise<number[]> {
    const response = await this.client!.search({ index: IndexkitContestant.INDEX, size: TOP, _source: false, query: IndexkitContestant.dsl(q) });
    return response.hits.hits.map((hit) => Number(hit._id));
  }

  private static dsl(q: BenchQuery): Record<string, unknown> {
    switch (q.kind) {
      case 'match':
        return { match: { body: q.text } };
      case 'multi_match':
        return { multi_match: { query: q.text, fields: ['subject^2', 'body'] } };
      case 'bool_should':
        return { bool: { must: [{ match: { body: q.must } }], should: [{ match: { subject: q.should } }] } };
      case 'bool_must_not':
        return { bool: { must: [{ match: { body: q.must } }], must_not: [{ match: { body: q.not } }] } };
    }
  }

  async close(): Promise<void> {
    await this.client?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
