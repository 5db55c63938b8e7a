import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, useTestClient } from '../helpers.js';

/**
 * The faceted product search of the tutorials, replayed against the embedded engine through
 * the real client: one request with a fuzzy multi_match with boosts, the category/price filters
 * as post_filter (so the facets still count every match), terms facets for category and brand,
 * price range buckets, price stats, fuzzy completion suggestions, a phrase "did you mean" and
 * `<mark>` highlights. Every expected value below is worked out by hand from the ten products.
 */

const PRODUCTS = [
  { id: 1, name: 'Sony WH-1000XM5 Wireless Headphones', brand: 'Sony', category: 'headphones', price: 349.99, description: 'Industry leading noise cancelling wireless headphones.', suggest: { input: ['Sony WH-1000XM5', 'Wireless Headphones'], weight: 50 } },
  { id: 2, name: 'Sony WF-C500 Wireless Earbuds', brand: 'Sony', category: 'earbuds', price: 99.99, description: 'Compact wireless earbuds with clear sound.', suggest: { input: ['Sony WF-C500', 'Wireless Earbuds'], weight: 20 } },
  { id: 3, name: 'Bose QuietComfort Wireless Headphones', brand: 'Bose', category: 'headphones', price: 299.0, description: 'Wireless headphones with world class quiet.', suggest: { input: ['Bose QuietComfort', 'Wireless Headphones'], weight: 40 } },
  { id: 4, name: 'JBL Tune 510BT Wireless Headphones', brand: 'JBL', category: 'headphones', price: 49.95, description: 'Lightweight headphones with deep bass.', suggest: { input: ['JBL Tune 510BT', 'Wireless Headphones'], weight: 30 } },
  { id: 5, name: 'Anker Soundcore Wireless Earbuds', brand: 'Anker', category: 'earbuds', price: 39.99, description: 'Budget earbuds with long battery life.', suggest: { input: ['Anker Soundcore', 'Wireless Earbuds'], weight: 10 } },
  { id: 6, name: 'Sony SRS-XB13 Bluetooth Speaker', brand: 'Sony', category: 'speakers', price: 59.99, description: 'Portable speaker with extra bass.', suggest: { input: ['Sony SRS-XB13', 'Bluetooth Speaker'], weight: 15 } },
  { id: 7, name: 'JBL Flip 6 Bluetooth Speaker', brand: 'JBL', category: 'speakers', price: 129.95, description: 'Waterproof portable speaker.', suggest: { input: ['JBL Flip 6', 'Bluetooth Speaker'], weight: 25 } },
  { id: 8, name: 'Sennheiser HD 560S Headphones', brand: 'Sennheiser', category: 'headphones', price: 199.0, description: 'Open back wired headphones for audiophiles.', suggest: { input: ['Sennheiser HD 560S'], weight: 35 } },
  { id: 9, name: 'Logitech Wireless Mouse', brand: 'Logitech', category: 'mice', price: 24.99, description: 'A quiet mouse for the office.', suggest: { input: ['Logitech M185', 'Wireless Mouse'], weight: 5 } },
  { id: 10, name: 'Apple AirPods Pro', brand: 'Apple', category: 'earbuds', price: 249.0, description: 'Wireless earbuds with active noise cancellation.', suggest: { input: ['Apple AirPods Pro', 'Wireless Earbuds'], weight: 60 } },
];

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'products',
    {
      mappings: {
        properties: {
          name: { type: 'text' },
          brand: { type: 'keyword' },
          category: { type: 'keyword' },
          price: { type: 'double' },
          description: { type: 'text' },
          suggest: { type: 'completion' },
        },
      },
    },
    PRODUCTS.map(({ id, ...doc }) => [String(id), doc]),
  );
});

describe('the faceted product search of the tutorials', () => {
  it('answers hits, facets, suggestions and highlights in one request', async () => {
    const res = await t.client.search({
      index: 'products',
      // the shopper typed "wireles headphones"; fuzziness AUTO allows 2 edits on words of 6+ letters
      query: { multi_match: { query: 'wireles headphones', fields: ['name^3', 'description'], fuzziness: 'AUTO' } },
      // the shopper ticked "headphones" and "up to $300": filters apply to the hits only
      post_filter: { bool: { filter: [{ term: { category: 'headphones' } }, { range: { price: { lte: 300 } } }] } },
      aggs: {
        categories: { terms: { field: 'category' } },
        brands: { terms: { field: 'brand' } },
        prices: { range: { field: 'price', ranges: [{ key: 'under $50', to: 50 }, { from: 50, to: 100 }, { from: 100, to: 200 }, { from: 200 }] } },
        price_stats: { stats: { field: 'price' } },
      },
      suggest: {
        name_suggest: { prefix: 'wirless', completion: { field: 'suggest', skip_duplicates: true, fuzzy: { fuzziness: 1 } } },
        did_you_mean: {
          text: 'wireles hedphones',
          phrase: { field: 'name', max_errors: 2, direct_generator: [{ field: 'name', suggest_mode: 'always' }], highlight: { pre_tag: '<em>', post_tag: '</em>' } },
        },
      },
      highlight: { pre_tags: ['<mark>'], post_tags: ['</mark>'], fields: { name: {}, description: {} } },
    });

    // The query matches every product with "wireless" (1 edit from "wireles"; "wired" is 3
    // edits away) or "headphones" in name or description: 1, 2, 3, 4, 5, 8, 9, 10 (not the
    // speakers 6 and 7). The post_filter keeps headphones up to $300: 3 (299.00), 4 (49.95),
    // 8 (199.00); 1 costs 349.99. 3 and 4 have both words in the boosted name, 8 only one.
    expect(res.hits.total).toEqual({ value: 3, relation: 'eq' });
    const ids = res.hits.hits.map((h) => h._id);
    expect(ids.slice(0, 2).sort()).toEqual(['3', '4']);
    expect(ids[2]).toBe('8');

    const aggs = res.aggregations as Record<string, { buckets: Array<Record<string, unknown>> } & Record<string, unknown>>;
    // Facets count the 8 query matches, not the 3 post-filtered hits:
    // headphones 1, 3, 4, 8; earbuds 2, 5, 10; mice 9.
    expect(aggs.categories).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [
        { key: 'headphones', doc_count: 4 },
        { key: 'earbuds', doc_count: 3 },
        { key: 'mice', doc_count: 1 },
      ],
    });
    // Sony 1, 2; every other brand once, ties in key order (byte order: "Anker" < "Apple" < "Bose" ...).
    expect(aggs.brands!.buckets).toEqual([
      { key: 'Sony', doc_count: 2 },
      { key: 'Anker', doc_count: 1 },
      { key: 'Apple', doc_count: 1 },
      { key: 'Bose', doc_count: 1 },
      { key: 'JBL', doc_count: 1 },
      { key: 'Logitech', doc_count: 1 },
      { key: 'Sennheiser', doc_count: 1 },
    ]);
    // Prices of the matches: 349.99, 99.99, 299.00, 49.95, 39.99, 199.00, 24.99, 249.00.
    // < 50: 49.95, 39.99, 24.99; [50, 100): 99.99; [100, 200): 199.00; >= 200: 349.99, 299, 249.
    expect(aggs.prices!.buckets).toEqual([
      { key: 'under $50', to: 50, doc_count: 3 },
      { key: '50.0-100.0', from: 50, to: 100, doc_count: 1 },
      { key: '100.0-200.0', from: 100, to: 200, doc_count: 1 },
      { key: '200.0-*', from: 200, doc_count: 3 },
    ]);
    // sum = 349.99 + 99.99 + 299 + 49.95 + 39.99 + 199 + 24.99 + 249 = 1311.91; avg = sum / 8
    const stats = aggs.price_stats as unknown as { count: number; min: number; max: number; avg: number; sum: number };
    expect(stats.count).toBe(8);
    expect(stats.min).toBe(24.99);
    expect(stats.max).toBe(349.99);
    expect(stats.sum).toBeCloseTo(1311.91, 9);
    expect(stats.avg).toBeCloseTo(1311.91 / 8, 9);

    const suggest = res.suggest as unknown as Record<string, Array<{ text: string; offset: number; length: number; options: Array<Record<string, unknown>> }>>;
    // "wirless" is one insertion from the prefix "wireless" of every "Wireless ..." input.
    // skip_duplicates keeps the best-weighted document of each text: "Wireless Earbuds" (10,
    // weight 60), "Wireless Headphones" (1, weight 50), "Wireless Mouse" (9, weight 5).
    const completion = suggest.name_suggest![0]!;
    expect(completion.text).toBe('wirless');
    expect(completion.options.map((o) => [o.text, o._id])).toEqual([
      ['Wireless Earbuds', '10'],
      ['Wireless Headphones', '1'],
      ['Wireless Mouse', '9'],
    ]);
    expect((completion.options[0]!._source as { name: string }).name).toBe('Apple AirPods Pro');

    // "wireles" -> "wireless" and "hedphones" -> "headphones" are one edit each; max_errors 2
    // lets both be corrected, and the corrected phrase is the top option. Adjacent corrected
    // words share one tag pair (Correction.join in Elasticsearch).
    const phrase = suggest.did_you_mean![0]!;
    expect(phrase.text).toBe('wireles hedphones');
    expect(phrase.options[0]).toMatchObject({ text: 'wireless headphones', highlighted: '<em>wireless headphones</em>' });

    // Highlights: the fuzzy term highlights "Wireless"; "wired" (3 edits) stays plain.
    const byId = new Map(res.hits.hits.map((h) => [h._id, h.highlight]));
    expect(byId.get('3')).toEqual({
      name: ['Bose QuietComfort <mark>Wireless</mark> <mark>Headphones</mark>'],
      description: ['<mark>Wireless</mark> <mark>headphones</mark> with world class quiet.'],
    });
    expect(byId.get('4')).toEqual({
      name: ['JBL Tune 510BT <mark>Wireless</mark> <mark>Headphones</mark>'],
      description: ['Lightweight <mark>headphones</mark> with deep bass.'],
    });
    expect(byId.get('8')).toEqual({
      name: ['Sennheiser HD 560S <mark>Headphones</mark>'],
      description: ['Open back wired <mark>headphones</mark> for audiophiles.'],
    });
  });

  it('a size 0 request gives the facets alone, unaffected by post_filter', async () => {
    const res = await t.client.search({
      index: 'products',
      size: 0,
      query: { match: { description: 'speaker' } },
      post_filter: { term: { brand: 'JBL' } },
      aggs: { brands: { terms: { field: 'brand' } }, avg_price: { avg: { field: 'price' } } },
    });
    // "speaker" is in the descriptions of 6 (Sony, 59.99) and 7 (JBL, 129.95); post_filter keeps 7
    expect(res.hits.hits).toEqual([]);
    expect(res.hits.total).toEqual({ value: 1, relation: 'eq' });
    const aggs = res.aggregations as Record<string, Record<string, unknown>>;
    expect(aggs.brands!.buckets).toEqual([
      { key: 'JBL', doc_count: 1 },
      { key: 'Sony', doc_count: 1 },
    ]);
    // (59.99 + 129.95) / 2 = 94.97
    expect(aggs.avg_price!.value).toBeCloseTo(94.97, 9);
  });

  it('answers the multi-search of UI libraries: one search per facet, each excluding its own filter, with typed_keys', async () => {
    // searchkit-style: the hits search applies both filters; each facet's search applies the
    // other facet's filter only, so a ticked brand still shows the other brands' counts.
    const query = { match: { name: 'wireless' } }; // 1, 2, 3, 4, 5, 9 (names with "Wireless")
    const brand = { term: { brand: 'Sony' } };
    const category = { term: { category: 'headphones' } };
    const res = await t.client.msearch({
      index: 'products',
      typed_keys: true,
      searches: [
        {},
        { size: 10, query: { bool: { must: [query], filter: [brand, category] } } },
        {},
        { size: 0, query: { bool: { must: [query], filter: [category] } }, aggs: { brands: { terms: { field: 'brand' } } } },
        {},
        { size: 0, query: { bool: { must: [query], filter: [brand] } }, aggs: { categories: { terms: { field: 'category' } }, price: { stats: { field: 'price' } } } },
      ],
    });
    const [hits, brands, categories] = res.responses as Array<{ hits: { hits: Array<{ _id: string }> }; aggregations?: Record<string, { buckets?: unknown[] } & Record<string, unknown>> }>;
    // Sony headphones with "wireless" in the name: 1
    expect(hits!.hits.hits.map((h) => h._id)).toEqual(['1']);
    // headphones with "wireless": 1 (Sony), 3 (Bose), 4 (JBL)
    expect(brands!.aggregations!['sterms#brands']!.buckets).toEqual([
      { key: 'Bose', doc_count: 1 },
      { key: 'JBL', doc_count: 1 },
      { key: 'Sony', doc_count: 1 },
    ]);
    // Sony with "wireless": 1 (headphones, 349.99), 2 (earbuds, 99.99)
    expect(categories!.aggregations!['sterms#categories']!.buckets).toEqual([
      { key: 'earbuds', doc_count: 1 },
      { key: 'headphones', doc_count: 1 },
    ]);
    expect(categories!.aggregations!['stats#price']).toMatchObject({ count: 2, min: 99.99, max: 349.99 });
  });
});
