import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * `index_prefixes` on text fields: ES answers prefix queries of min_chars..max_chars from the
 * hidden `._index_prefix` field with a constant score; the engine gives the same documents and
 * scores from the field's terms, refuses what ES scores differently (match_phrase_prefix), and
 * validates the mapping as TextFieldMapper does.
 */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'p', { mappings: { properties: { text: { type: 'text', index_prefixes: { min_chars: 2, max_chars: 5 } } } } }, [
    ['1', { text: 'some short words with a stupendously long one' }],
    ['2', { text: 'shore leave' }],
  ]);
});

describe('index_prefixes', () => {
  it('answers prefix queries inside and outside min_chars..max_chars with a constant score', async () => {
    for (const [prefix, expected] of [['shor', ['1', '2']], ['s', ['1', '2']], ['stupendousl', ['1']]] as const) {
      const r = await t.client.search({ index: 'p', query: { prefix: { text: { value: prefix, boost: 2 } } } });
      expect(r.hits.hits.map((h) => h._id).sort()).toEqual([...expected]);
      expect(new Set(r.hits.hits.map((h) => h._score))).toEqual(new Set([2]));
    }
  });

  it('refuses match_phrase_prefix whose last term ES would read from the prefix field', async () => {
    const e = await failure(t.client.search({ index: 'p', query: { match_phrase_prefix: { text: 'short wor' } } }));
    expect(e.status).toBe(400);
    expect(JSON.stringify(e.error)).toContain('with index_prefixes');
    const longer = await t.client.search({ index: 'p', query: { match_phrase_prefix: { text: 'a stupendousl' } } });
    expect(longer.hits.hits.map((h) => h._id)).toEqual(['1']);
  });

  it('validates min_chars and max_chars with Elasticsearch messages', async () => {
    const create = (index_prefixes: Record<string, unknown>) => failure(t.client.indices.create({ index: 'bad', mappings: { properties: { text: { type: 'text', index_prefixes } } } }));
    expect(JSON.stringify((await create({ min_chars: 0 })).error)).toContain('min_chars [0] must be greater than zero');
    expect(JSON.stringify((await create({ max_chars: 20 })).error)).toContain('max_chars [20] must be less than 20');
    expect(JSON.stringify((await create({ min_chars: 4, max_chars: 3 })).error)).toContain('min_chars [4] must be less than max_chars [3]');
  });
});
