import { describe, expect, it } from 'vitest';
import { useTestClient } from '../helpers.js';

describe('text fields with norms: false', () => {
  const t = useTestClient(async (client) => {
    await client.indices.create({
      index: 'norms',
      mappings: { properties: { plain: { type: 'text' }, flat: { type: 'text', norms: false } } },
    });
    await client.index({ index: 'norms', id: 'short', document: { plain: 'apple', flat: 'apple' } });
    await client.index({ index: 'norms', id: 'long', document: { plain: 'apple pear plum fig kiwi lime', flat: 'apple pear plum fig kiwi lime' } });
    await client.index({ index: 'norms', id: 'none', document: { plain: 'pear', flat: 'pear' } });
    await client.indices.refresh({ index: 'norms' });
  });

  const scores = async (query: Record<string, unknown>): Promise<Record<string, number>> => {
    const res = await t.client.search({ index: 'norms', query });
    return Object.fromEntries(res.hits.hits.map((h) => [h._id!, h._score!]));
  };

  it('score every length alike (Lucene reads norm 1), where a normed field prefers the shorter text', async () => {
    const plain = await scores({ match: { plain: 'apple' } });
    expect(plain.short).toBeGreaterThan(plain.long!);
    const flat = await scores({ match: { flat: 'apple' } });
    expect(flat.short).toBe(flat.long);
    // BM25 with dl = 1 and avgdl = sumTotalTermFreq / docCount = 8 / 3: idf * freq / (freq + k1 * (1 - b + b * 1 / avgdl)) * (k1 + 1)
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    const norm = 1.2 * (1 - 0.75 + (0.75 * 1) / (8 / 3));
    expect(flat.short).toBeCloseTo((idf * 2.2 * 1) / (1 + norm), 5);
  });

  it('explain agrees with the score', async () => {
    const res = await t.client.explain({ index: 'norms', id: 'long', query: { match: { flat: 'apple' } } });
    expect(res.explanation!.value).toBeCloseTo((await scores({ match: { flat: 'apple' } })).long!, 6);
  });

  it('combined_fields leaves a field without norms out of the combined length', async () => {
    const combined = await scores({ combined_fields: { query: 'apple', fields: ['flat'] } });
    expect(combined.short).toBe(combined.long);
  });
});
