import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/** `_routing: {doc_values: true}`: routing still places documents, but is not returned as stored metadata. */

const t = useTestClient(async (client) => {
  await client.indices.create({ index: 'dv', settings: { number_of_shards: 5, number_of_routing_shards: 5 }, mappings: { _routing: { doc_values: true } as never } });
  await client.indices.create({ index: 'stored', settings: { number_of_shards: 5, number_of_routing_shards: 5 } });
  for (const index of ['dv', 'stored']) await client.index({ index, id: '1', routing: '5', document: { foo: 'bar' }, refresh: true });
});

describe('_routing doc_values', () => {
  it('leaves _routing out of get and search hits, where a stored routing shows it', async () => {
    const dv = await t.client.get({ index: 'dv', id: '1', routing: '5' });
    expect(dv._routing).toBeUndefined();
    expect((await t.client.get({ index: 'stored', id: '1', routing: '5' }))._routing).toBe('5');
    const hits = await t.client.search({ index: 'dv,stored' });
    expect(Object.fromEntries(hits.hits.hits.map((h) => [h._index, h._routing ?? null]))).toEqual({ dv: null, stored: '5' });
  });

  // the shard of id "1" (5 shards) is not the shard of routing "5" (get/41_routing_doc_values.yml)
  it('still routes: a get without the routing looks in another shard', async () => {
    expect((await t.client.get({ index: 'dv', id: '1' }, { ignore: [404] })).found).toBe(false);
  });

  it('refuses an unknown _routing parameter', async () => {
    const bad = await failure(t.client.indices.create({ index: 'bad', mappings: { _routing: { stored: true } as never } }));
    expect(bad.error.type).toBe('mapper_parsing_exception');
  });
});
