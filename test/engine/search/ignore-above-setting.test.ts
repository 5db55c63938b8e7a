import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../helpers.js';

/** `index.mapping.ignore_above` (the default of keyword fields) and the `_ignored` metadata field in `fields`. */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'notes',
    {
      settings: { 'index.mapping.ignore_above': 5 },
      mappings: { properties: { tag: { type: 'keyword' }, code: { type: 'keyword', ignore_above: 20 }, when: { type: 'date', format: 'yyyy-MM-dd' } } },
    },
    [
      ['1', { tag: ['abc', 'abcdefgh'], code: 'abcdefgh', when: '2024-01-02' }],
      ['2', { tag: 'xyz', code: 'short' }],
    ],
  );
});

describe('index.mapping.ignore_above', () => {
  it('leaves out longer keyword values of fields without their own ignore_above, and records them in _ignored', async () => {
    const long = await t.client.search({ index: 'notes', query: { term: { tag: 'abcdefgh' } } });
    expect(long.hits.hits).toEqual([]);
    // the field's own ignore_above (20) wins over the index setting (5)
    const own = await t.client.search({ index: 'notes', query: { term: { code: 'abcdefgh' } } });
    expect(own.hits.hits.map((h) => h._id)).toEqual(['1']);
    const res = await t.client.search({ index: 'notes', query: { ids: { values: ['1'] } }, fields: ['tag', '_ignored', 'when'] });
    const hit = res.hits.hits[0]!;
    expect(hit.fields).toEqual({ tag: ['abc'], _ignored: ['tag'], when: ['2024-01-02'] });
    expect(hit._ignored).toEqual(['tag']);
    const clean = await t.client.search({ index: 'notes', query: { ids: { values: ['2'] } }, fields: ['_ignored'] });
    expect(clean.hits.hits[0]!.fields).toBeUndefined();
  });
});
