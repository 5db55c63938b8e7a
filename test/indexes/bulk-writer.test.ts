import type { SearchSide as Client } from '../../src/client/search-side.js';
import { describe, expect, it } from 'vitest';
import { BulkWriter } from '../../src/indexes/bulk-writer.js';

interface Sent {
  body: string;
  querystring: Record<string, unknown>;
}

/** A client whose `_bulk` answers through `answer(ids, attempt)`, recording every request body as text. */
function fakeClient(answer: (ids: string[], request: number) => number[]): { client: Client; sent: Sent[] } {
  const sent: Sent[] = [];
  const request = async (params: { bulkBody: Buffer | string; querystring: Record<string, unknown> }) => {
    // Copied now: the writer may reuse the buffer once this request is answered.
    const body = Buffer.isBuffer(params.bulkBody) ? params.bulkBody.toString('utf8') : params.bulkBody;
    sent.push({ body, querystring: params.querystring });
    const lines = body.split('\n').filter((l) => l !== '');
    const ids = lines.filter((_, i) => i % 2 === 0).map((l) => (Object.values(JSON.parse(l) as Record<string, { _id: string }>)[0]!._id));
    await new Promise((resolve) => setTimeout(resolve, 1));
    const statuses = answer(ids, sent.length);
    return { errors: statuses.some((s) => s >= 300), items: statuses.map((status) => ({ index: status < 300 ? { status } : { status, error: { type: 'es_rejected_execution_exception', reason: 'busy' } } })) };
  };
  return { client: { transport: { request } } as unknown as Client, sent };
}

describe('BulkWriter', () => {
  it('sends every document once in chunks of chunkSize, reusing its body buffers without mixing their bytes', async () => {
    const { client, sent } = fakeClient((ids) => ids.map(() => 201));
    const writer = new BulkWriter({ client, chunkSize: 7, chunkBytes: 1 << 20, concurrency: 2, maxRetries: 0 });
    // Documents of very different sizes, with multi-byte text, so a buffer reused for a shorter chunk would show stale bytes.
    for (let i = 1; i <= 100; i++) await writer.add('index', { index: 'items', id: String(i), key: i }, { text: `é€${'x'.repeat((i * 37) % 300)}`, i });
    await writer.flush();
    expect(sent).toHaveLength(15);
    const docs = sent.flatMap((s) => s.body.split('\n').filter((_, i) => i % 2 === 1 && _ !== '').map((l) => JSON.parse(l) as { text: string; i: number }));
    expect(docs.map((d) => d.i)).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    expect(docs.every((d) => d.text === `é€${'x'.repeat((d.i * 37) % 300)}`)).toBe(true);
    expect(writer.stats.succeeded).toBe(100);
    expect(writer.stats.bytes).toBe(sent.reduce((n, s) => n + Buffer.byteLength(s.body), 0));
    expect(sent[0]!.querystring.filter_path).toBe('errors,items.*.status,items.*.error');
  });

  it('retries only the items answered 429, sending just their lines, and caps requests by bytes', async () => {
    const { client, sent } = fakeClient((ids, request) => ids.map((id) => (request === 1 && Number(id) % 2 === 0 ? 429 : 201)));
    const writer = new BulkWriter({ client, chunkSize: 500, chunkBytes: 1000, concurrency: 1, maxRetries: 3, sleep: async () => {} });
    for (let i = 1; i <= 10; i++) await writer.add('index', { index: 'items', id: String(i) }, { text: 'y'.repeat(150) });
    await writer.flush();
    const idsOf = (s: Sent) => s.body.split('\n').filter((l, i) => i % 2 === 0 && l !== '').map((l) => (JSON.parse(l) as { index: { _id: string } }).index._id);
    // ~200 bytes a document: 4 fit under 1000 bytes; the first request's even ids come back as a retry of their own.
    expect(idsOf(sent[0]!)).toEqual(['1', '2', '3', '4']);
    expect(idsOf(sent[1]!)).toEqual(['2', '4']);
    expect(sent.every((s) => Buffer.byteLength(s.body) <= 1000)).toBe(true);
    expect(writer.stats).toMatchObject({ succeeded: 10, failed: 0, retries: 1 });
  });
});
