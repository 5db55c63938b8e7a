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

describe('text fields with index_options docs or freqs', () => {
  const t = useTestClient(async (client) => {
    await client.indices.create({
      index: 'options',
      mappings: { properties: { docs: { type: 'text', index_options: 'docs' }, freqs: { type: 'text', index_options: 'freqs' }, full: { type: 'text' } } },
    });
    const text = 'red red red fox';
    await client.index({ index: 'options', id: '1', document: { docs: text, freqs: text, full: text } });
    await client.index({ index: 'options', id: '2', document: { docs: 'red fox', freqs: 'red fox', full: 'red fox' } });
    await client.indices.refresh({ index: 'options' });
  });

  const error = async (query: Record<string, unknown>): Promise<string> => {
    try {
      await t.client.search({ index: 'options', query });
      return 'ok';
    } catch (e) {
      return JSON.stringify((e as { body?: unknown }).body);
    }
  };

  it('docs: every frequency reads 1 (the doc with red three times scores as if once)', async () => {
    const res = await t.client.search({ index: 'options', query: { match: { docs: 'red' } } });
    const byId = Object.fromEntries(res.hits.hits.map((h) => [h._id!, h._score!]));
    const full = await t.client.search({ index: 'options', query: { match: { full: 'red' } } });
    const fullById = Object.fromEntries(full.hits.hits.map((h) => [h._id!, h._score!]));
    // with freqs, three reds outweigh the longer text; without, the shorter text wins
    expect(fullById['1']).toBeGreaterThan(fullById['2']!);
    expect(byId['2']).toBeGreaterThan(byId['1']!);
  });

  it('phrases and intervals are refused as Elasticsearch refuses them', async () => {
    expect(await error({ match_phrase: { freqs: 'red fox' } })).toContain('field:[freqs] was indexed without position data; cannot run PhraseQuery');
    expect(await error({ match_phrase: { docs: 'red fox' } })).toContain('field:[docs] was indexed without position data; cannot run PhraseQuery');
    expect(await error({ intervals: { freqs: { match: { query: 'red fox' } } } })).toContain('Cannot create intervals over field [freqs] with no positions indexed');
    expect(await error({ span_term: { freqs: 'red' } })).toContain('was indexed without position data; cannot run SpanTermQuery');
    expect(await error({ match_phrase: { full: 'red fox' } })).toBe('ok');
  });
});
