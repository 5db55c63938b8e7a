import { describe, expect, it } from 'vitest';
import { useTestClient } from './helpers.js';

const t = useTestClient();

describe('stored_fields of a store: true field filled by copy_to', () => {
  it('returns the copied values with its own, in source order, from get, mget and search', async () => {
    await t.client.indices.create({
      index: 'people',
      mappings: {
        properties: {
          first: { type: 'keyword', copy_to: 'full' },
          last: { type: 'keyword', copy_to: 'full' },
          age: { type: 'keyword', copy_to: 'n' },
          full: { type: 'text', store: true },
          n: { type: 'long', store: true },
          plain: { type: 'keyword', store: true },
        },
      },
    });
    await t.client.index({ index: 'people', id: '1', document: { full: 'Dr.', first: 'John', last: ['Smith', 'Jones'], age: '42', plain: 'p' }, refresh: true });
    const got = await t.client.get({ index: 'people', id: '1', stored_fields: ['full', 'n', 'plain'] });
    // the own value first (it comes first in the source), then first, then last's two values
    expect(got.fields).toEqual({ full: ['Dr.', 'John', 'Smith', 'Jones'], n: [42], plain: ['p'] });
    const mget = await t.client.mget({ index: 'people', docs: [{ _id: '1', stored_fields: ['full'] }] });
    expect((mget.docs[0] as { fields?: unknown }).fields).toEqual({ full: ['Dr.', 'John', 'Smith', 'Jones'] });
    const found = await t.client.search({ index: 'people', query: { match: { full: 'jones' } }, stored_fields: ['full'] });
    expect(found.hits.hits.map((h) => h.fields)).toEqual([{ full: ['Dr.', 'John', 'Smith', 'Jones'] }]);
  });
});
