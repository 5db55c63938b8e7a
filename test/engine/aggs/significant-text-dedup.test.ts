import { describe, expect, it } from 'vitest';
import { DuplicateByteSequenceSpotter, keepNonDuplicates } from '../../../src/engine/analysis/duplicate-sequences.js';
import { createIndexWithDocs, useTestClient } from '../helpers.js';

type Aggs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read freely in tests

describe('DeDuplicatingTokenFilter (duplicate-sequences)', () => {
  const run = (spotter: DuplicateByteSequenceSpotter, text: string): string => {
    const terms = text.split(' ');
    const keep = keepNonDuplicates(terms, spotter);
    return terms.filter((_t, i) => keep[i]).join(' ');
  };

  it('drops repeated runs of 6 or more tokens within a stream (DeDuplicatingTokenFilterTests.testSimple)', () => {
    const input = 'a b c 1 2 3 4 5 6 7 a b c d 1 2 3 4 5 6 7 e f 1 2 3 4 5 6 7';
    expect(run(new DuplicateByteSequenceSpotter(), input)).toBe('a b c 1 2 3 4 5 6 7 a b c d e f');
  });

  it('keeps runs shorter than 6 tokens', () => {
    expect(run(new DuplicateByteSequenceSpotter(), 'a b c d e x a b c d e')).toBe('a b c d e x a b c d e');
  });

  it('remembers runs across documents, but a new document does not continue the previous one', () => {
    const spotter = new DuplicateByteSequenceSpotter();
    expect(run(spotter, 'one two three four five six')).toBe('one two three four five six');
    spotter.startNewSequence();
    expect(run(spotter, 'zero one two three four five six seven')).toBe('zero seven');
    spotter.startNewSequence();
    // "four five six" + "one two three" would be a seen run only if the documents were joined
    expect(run(spotter, 'one two three')).toBe('one two three');
  });

  it('counts sightings up to 255', () => {
    const spotter = new DuplicateByteSequenceSpotter();
    const counts: number[] = [];
    for (let i = 0; i < 300; i++) {
      spotter.startNewSequence();
      let last = 0;
      for (const b of [1, 2, 3, 4, 5, 6]) last = spotter.addByte(b);
      counts.push(last);
    }
    expect(counts.slice(0, 3)).toEqual([0, 1, 2]);
    expect(counts[299]).toBe(255);
  });
});

describe('significant_text filter_duplicate_text', () => {
  const t = useTestClient(async (client) => {
    const docs: Array<[string, Record<string, unknown>]> = [
      ['1', { text: 'alpha one two three four five six', group: 'a' }],
      ['2', { text: 'beta one two three four five six', group: 'a' }],
    ];
    for (let i = 0; i < 10; i++) docs.push([`f${i}`, { text: `filler words number ${i}`, group: 'b' }]);
    await createIndexWithDocs(client, 'dedup', { settings: { number_of_shards: 1 }, mappings: { properties: { text: { type: 'text' }, group: { type: 'keyword' } } } }, docs);
  });

  async function oneCount(filter: boolean): Promise<Aggs> {
    const r = await t.client.search({
      index: 'dedup',
      size: 0,
      query: { term: { group: 'a' } },
      aggs: { sig: { significant_text: { field: 'text', include: ['one', 'beta'], min_doc_count: 1, filter_duplicate_text: filter } } },
    });
    const buckets = (r.aggregations as Aggs).sig.buckets as Aggs[];
    return Object.fromEntries(buckets.map((b) => [b.key, b.doc_count]));
  }

  it('counts a copied run of 6 tokens once: the second doc keeps only its own words', async () => {
    expect(await oneCount(false)).toEqual({ one: 2, beta: 1 });
    expect(await oneCount(true)).toEqual({ one: 1, beta: 1 });
  });
});
