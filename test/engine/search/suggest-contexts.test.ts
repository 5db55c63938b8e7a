import { describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { geohashLevelsForPrecision, geohashNeighbors, geohashOf } from '../../../src/engine/geohash.js';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/** Completion contexts (category and geo) and completion multi-fields, through the real client. */

type Option = { text: string; _id: string; _score: number; contexts?: Record<string, string[]> };

const places = [
  { _id: '1', suggest: { input: 'Cafe Amsterdam', weight: 5, contexts: { kind: ['food'] } }, location: { lat: 52.37, lon: 4.89 } },
  { _id: '2', suggest: { input: 'Cafe Berlin', weight: 9, contexts: { kind: 'drink' } }, location: { lat: 52.52, lon: 13.4 } },
  { _id: '3', suggest: 'Camping Amsterdam', kind: 'sleep', location: { lat: 52.36, lon: 4.9 } },
];

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'places',
    {
      mappings: {
        properties: {
          kind: { type: 'keyword' },
          location: { type: 'geo_point' },
          suggest: {
            type: 'completion',
            contexts: [
              { name: 'kind', type: 'category', path: 'kind' },
              { name: 'near', type: 'geo', precision: 4, path: 'location' },
            ],
          },
        },
      },
    },
    places.map(({ _id, ...doc }) => [_id, doc]),
  );
  await createIndexWithDocs(
    client,
    'titles',
    { mappings: { properties: { suggest: { type: 'completion', fields: { raw: { type: 'keyword' }, plain: { type: 'completion' } } } } } },
    [
      ['1', { suggest: { input: ['Cafe Amsterdam'], weight: 5 } }],
      ['2', { suggest: { input: 'Cafe Berlin', weight: 9 } }],
    ],
  );
});

async function suggest(completion: estypes.SearchCompletionSuggester, prefix = 'ca', index = 'places'): Promise<Option[]> {
  const res = await t.client.search({ index, suggest: { s: { prefix, completion } } });
  return (res.suggest!.s![0]!.options as Option[]);
}

describe('completion contexts', () => {
  it('keeps the inputs whose category context matches, scored by weight times the best boost', async () => {
    const food = await suggest({ field: 'suggest', contexts: { kind: 'food' } });
    expect(food.map((o) => [o._id, o._score, o.contexts])).toEqual([['1', 5, { kind: ['food'] }]]);
    // the path field gives document 3 its category; a boost multiplies the weight
    const boosted = await suggest({ field: 'suggest', contexts: { kind: [{ context: 'sleep', boost: 4 }, 'drink'] } });
    expect(boosted.map((o) => [o._id, o._score])).toEqual([['2', 9], ['3', 4]]);
    const prefixed = await suggest({ field: 'suggest', contexts: { kind: { context: 'dr', prefix: true } } });
    expect(prefixed.map((o) => o._id)).toEqual(['2']);
  });

  it('matches geo contexts by geohash cell and its neighbours at the mapping precision', async () => {
    const amsterdam = await suggest({ field: 'suggest', contexts: { near: { lat: 52.37, lon: 4.9 } } });
    expect(amsterdam.map((o) => o._id).sort()).toEqual(['1', '3']);
    expect(amsterdam[0]!.contexts!.near![0]).toHaveLength(4);
  });

  it('requires contexts in the query and at index time, and names an unknown one', async () => {
    const missing = await failure(t.client.search({ index: 'places', suggest: { s: { prefix: 'ca', completion: { field: 'suggest' } } } }));
    expect(JSON.stringify(missing.error)).toContain('Missing mandatory contexts in context query');
    const unknown = await failure(t.client.search({ index: 'places', suggest: { s: { prefix: 'ca', completion: { field: 'suggest', contexts: { color: 'red' } } } } }));
    expect(JSON.stringify(unknown.error)).toContain('Unknown context name [color], must be one of [kind, near]');
    const bare = await failure(t.client.index({ index: 'places', id: '9', document: { suggest: 'Nowhere' } }));
    expect(bare.error.reason).toBe('Contexts are mandatory in context enabled completion field [suggest]');
  });

  it('gives a completion field multi-fields: a keyword of each input, a completion without contexts', async () => {
    const res = await t.client.search({ index: 'titles', query: { term: { 'suggest.raw': 'Cafe Berlin' } } });
    expect(res.hits.hits.map((h) => h._id)).toEqual(['2']);
    const plain = await suggest({ field: 'suggest.plain' }, 'cafe', 'titles');
    expect(plain.map((o) => [o._id, o._score])).toEqual([['2', 9], ['1', 5]]);
  });
});

describe('geohash', () => {
  it('encodes, finds the eight neighbours, and turns a distance into a geohash length as GeoUtils does', () => {
    expect(geohashOf(57.64911, 10.40744, 11)).toBe('u4pruydqqvj');
    const around = geohashNeighbors('u4pruy');
    expect(around).toHaveLength(8);
    expect(new Set(around.map((h) => h.slice(0, 4)))).toContain('u4pr');
    expect(geohashLevelsForPrecision(5000)).toBe(6);
    expect(geohashLevelsForPrecision(0)).toBe(12);
  });
});
