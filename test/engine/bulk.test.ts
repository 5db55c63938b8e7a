import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'b', mappings: { properties: { n: { type: 'long' } } } });
});

describe('_bulk', () => {
  it('runs index/create/update/delete with per-item status and errors', async () => {
    const res = await t.client.bulk({
      operations: [
        { index: { _index: 'b', _id: '1' } },
        { n: 1 },
        { create: { _index: 'b', _id: '1' } },
        { n: 2 },
        { update: { _index: 'b', _id: '1' } },
        { doc: { n: 3 } },
        { update: { _index: 'b', _id: 'missing' } },
        { doc: { n: 3 } },
        { index: { _index: 'b', _id: 'bad' } },
        { n: 'not a number' },
        { delete: { _index: 'b', _id: '1' } },
        { index: { _index: 'b' } },
        { n: 9 },
      ],
    });
    expect(res.errors).toBe(true);
    expect(typeof res.took).toBe('number');
    const summary = res.items.map((item) => {
      const [action, result] = Object.entries(item)[0]!;
      return [action, result.status, result.result ?? result.error?.type];
    });
    expect(summary).toEqual([
      ['index', 201, 'created'],
      ['create', 409, 'version_conflict_engine_exception'],
      ['update', 200, 'updated'],
      ['update', 404, 'document_missing_exception'],
      ['index', 400, 'document_parsing_exception'],
      ['delete', 200, 'deleted'],
      ['index', 201, 'created'],
    ]);
    const auto = res.items[6]!.index!;
    expect(auto._id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(res.items[0]!.index).toMatchObject({ _index: 'b', _id: '1', _version: 1, _seq_no: 0, _primary_term: 1, _shards: { total: 2, successful: 1, failed: 0 } });
  });

  it('uses the index of the path (/{index}/_bulk) and refresh=true', async () => {
    const res = await t.client.bulk({ index: 'b', refresh: true, operations: [{ index: { _id: 'p1' } }, { n: 1 }, { index: { _id: 'p2' } }, { n: 2 }] });
    expect(res.errors).toBe(false);
    expect((await t.client.count({ index: 'b' })).count).toBeGreaterThanOrEqual(2);
  });

  it('rejects malformed action lines with 400 illegal_argument_exception', async () => {
    try {
      await t.client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: '{"explode":{"_index":"b"}}\n{"a":1}\n' });
      throw new Error('expected failure');
    } catch (error) {
      expect(error).toBeInstanceOf(errors.ResponseError);
      const body = (error as errors.ResponseError).body as { error: { type: string; reason: string } };
      expect((error as errors.ResponseError).statusCode).toBe(400);
      expect(body.error.type).toBe('illegal_argument_exception');
      expect(body.error.reason).toBe('Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [explode]');
    }
  });

  it('accepts gzip-compressed bulk bodies from a client with compression on', async () => {
    const { Client } = await import('@elastic/elasticsearch');
    const { createEmbeddedClientOptions } = await import('../../src/engine/index.js');
    const gz = new Client({ ...createEmbeddedClientOptions(t.dir), compression: true });
    const res = await gz.bulk({ operations: [{ index: { _index: 'b', _id: 'gz' } }, { n: 5 }] });
    expect(res.errors).toBe(false);
    expect((await gz.get({ index: 'b', id: 'gz' }))._source).toEqual({ n: 5 });
    await gz.close();
  });

  it('works with the client bulk helper', async () => {
    const result = await t.client.helpers.bulk({
      datasource: Array.from({ length: 250 }, (_, i) => ({ id: String(i), n: i })),
      onDocument: (doc) => ({ index: { _index: 'helper', _id: doc.id } }),
      refreshOnCompletion: true,
    });
    expect(result.successful).toBe(250);
    expect((await t.client.count({ index: 'helper' })).count).toBe(250);
  });
});
