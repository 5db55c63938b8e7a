import { describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

const t = useTestClient();
/** The client types similarity groups by their parameters; Elasticsearch keeps them as strings. */
const settings = (s: Record<string, unknown>): estypes.IndicesIndexSettings => s as estypes.IndicesIndexSettings;

async function scores(index: string, query: estypes.QueryDslQueryContainer): Promise<Record<string, number>> {
  const r = await t.client.search({ index, query });
  return Object.fromEntries(r.hits.hits.map((h) => [h._id as string, h._score as number]));
}

describe('index.similarity', () => {
  it('scores a field mapped with a named similarity by it, and others by BM25', async () => {
    await createIndexWithDocs(
      t.client,
      'sim-named',
      {
        settings: settings({ similarity: { lm: { type: 'LMDirichlet', mu: 100 } } }),
        mappings: { properties: { a: { type: 'text', similarity: 'lm' }, b: { type: 'text' }, c: { type: 'text', similarity: 'boolean' } } },
      },
      [
        ['1', { a: 'quick fox', b: 'quick fox', c: 'quick quick fox' }],
        ['2', { a: 'slow dog dog dog', b: 'slow dog dog dog', c: 'slow dog' }],
      ],
    );
    // LMDirichlet: log(1 + freq / (mu * P)) + log(mu / (dl + mu)), P = (ttf + 1) / (T + 1) = 2 / 7
    const p = 2 / 7;
    const want = Math.fround(Math.log(1 + 1 / (100 * p)) + Math.log(100 / (2 + 100)));
    expect((await scores('sim-named', { match: { a: 'quick' } }))['1']).toBeCloseTo(want, 6);
    // BM25 (LegacyBM25Similarity): 2.2 * idf * tf, idf = ln(1 + (2 - 1 + 0.5) / (1 + 0.5))
    const bm25 = (await scores('sim-named', { match: { b: 'quick' } }))['1'] as number;
    expect(bm25).toBeGreaterThan(0.5);
    expect(bm25).not.toBeCloseTo(want, 3);
    // boolean: the query boost, whatever the frequency
    expect(await scores('sim-named', { match: { c: { query: 'quick', boost: 3 } } })).toEqual({ 1: 3 });
  });

  it('takes `default` as the similarity of fields that name none', async () => {
    await createIndexWithDocs(t.client, 'sim-default', { settings: settings({ similarity: { default: { type: 'boolean' } } }), mappings: { properties: { a: { type: 'text' } } } }, [
      ['1', { a: 'x x x y' }],
      ['2', { a: 'x' }],
    ]);
    expect(await scores('sim-default', { match: { a: 'x' } })).toEqual({ 1: 1, 2: 1 });
  });

  it('explains a DFR score as Lucene does', async () => {
    await createIndexWithDocs(
      t.client,
      'sim-explain',
      { settings: settings({ similarity: { dfr: { type: 'DFR', basic_model: 'g', after_effect: 'l', normalization: 'h2' } } }), mappings: { properties: { a: { type: 'text', similarity: 'dfr' } } } },
      [['1', { a: 'alpha beta' }]],
    );
    const r = await t.client.search({ index: 'sim-explain', query: { term: { a: 'alpha' } }, explain: true });
    const explanation = r.hits.hits[0]?._explanation;
    expect(explanation?.description).toBe('weight(a:alpha in 0) [PerFieldSimilarity], result of:');
    expect(explanation?.details?.[0]?.description).toBe('score(DFRSimilarity, freq=1.0), computed as boost * basicModel.score(stats, tfn) * afterEffect.score(stats, tfn) from:');
    expect(explanation?.details?.[0]?.details?.map((d) => d.description.split(',')[0] ?? '')).toEqual(['NormalizationH2', 'BasicModelG', 'AfterEffectL']);
  });

  it('refuses what SimilarityService refuses, with its messages', async () => {
    const create = (similarity: Record<string, unknown>) => failure(t.client.indices.create({ index: 'sim-bad', settings: settings({ similarity }) }));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ BM25: { type: 'BM25' } }, 'Cannot redefine built-in Similarity [BM25]'],
      [{ s: { k1: 1 } }, 'Similarity [s] must have an associated type'],
      [{ s: { type: 'nope' } }, 'Unknown Similarity type [nope] for [s]'],
      [{ s: { type: 'BM25', k2: 1 } }, 'Unknown settings for similarity of type [BM25]: [k2]'],
      [{ s: { type: 'DFR', basic_model: 'be', after_effect: 'l', normalization: 'h2' } }, "Basic model [be] isn't supported anymore, please use another model."],
      [{ s: { type: 'DFR', basic_model: 'x', after_effect: 'l', normalization: 'h2' } }, 'Unsupported BasicModel [x], expected one of [g, if, in, ine]'],
      [{ s: { type: 'DFR', basic_model: 'g', after_effect: 'no', normalization: 'h2' } }, "After effect [no] isn't supported anymore, please use another effect."],
      [{ s: { type: 'IB', distribution: 'll', lambda: 'df', normalization: 'h9' } }, 'Unsupported Normalization [h9]'],
      [{ s: { type: 'DFI', independence_measure: 'x' } }, 'Unsupported IndependenceMeasure [x], expected one of [chisquared, saturated, standardized]'],
      [{ s: { type: 'BM25', b: 2 } }, 'illegal b value: 2.0, must be between 0 and 1'],
      [{ s: { type: 'LMJelinekMercer', lambda: 0 } }, 'lambda must be in the range (0 .. 1]'],
    ];
    for (const [similarity, reason] of cases) {
      const { status, error } = await create(similarity);
      expect({ status, type: error.type, reason: error.reason }).toEqual({ status: 400, type: 'illegal_argument_exception', reason });
    }
    expect(await t.client.indices.exists({ index: 'sim-bad' })).toBe(false);
  });

  it('counts overlapping tokens in the field length with discount_overlaps: false', async () => {
    // "wi-fi dog": wi-fi and wi at one position, fi, dog: 3 positions, 4 tokens; "cat dog fox bird": 4 of each
    const docs: Array<[string, Record<string, unknown>]> = [
      ['1', { t: 'wi-fi dog' }],
      ['2', { t: 'cat dog fox bird' }],
    ];
    const analysis = { filter: { wdg: { type: 'word_delimiter_graph', preserve_original: true } }, analyzer: { wdg: { tokenizer: 'whitespace', filter: ['wdg'] } } };
    const mappings = { properties: { t: { type: 'text' as const, analyzer: 'wdg', similarity: 'counting' } } };
    for (const overlaps of ['false', 'true']) {
      await createIndexWithDocs(t.client, `sim-overlaps-${overlaps}`, { settings: settings({ analysis, similarity: { counting: { type: 'BM25', discount_overlaps: overlaps } } }), mappings }, docs);
    }
    const counted = await scores('sim-overlaps-false', { term: { t: 'dog' } });
    expect(counted['1']).toBe(counted['2']);
    const discounted = await scores('sim-overlaps-true', { term: { t: 'dog' } });
    expect(discounted['1']).toBeGreaterThan(discounted['2'] as number);
    expect(discounted['2']).toBe(counted['2']);
  });

  it('refuses a field naming a similarity the index does not define', async () => {
    const { status, error } = await failure(t.client.indices.create({ index: 'sim-unknown', mappings: { properties: { a: { type: 'text', similarity: 'mine' } } } }));
    expect(status).toBe(400);
    expect(error.type).toBe('mapper_parsing_exception');
    expect(error.reason).toBe('Failed to parse mapping: Unknown Similarity type [mine] for field [a]');
  });

  it('refuses combined_fields over a field with a similarity of its own', async () => {
    await createIndexWithDocs(t.client, 'sim-combined', { mappings: { properties: { a: { type: 'text', similarity: 'boolean' }, b: { type: 'text' } } } }, [['1', { a: 'x', b: 'x' }]]);
    const { status, error } = await failure(t.client.search({ index: 'sim-combined', query: { combined_fields: { query: 'x', fields: ['a', 'b'] } } }));
    expect(status).toBe(400);
    expect(JSON.stringify(error)).toContain('[combined_fields] queries cannot be used with per-field similarities');
  });
});

describe('index.mapping limits', () => {
  it('enforces index.mapping.nested_fields.limit on creation and on mapping updates', async () => {
    const limited = settings({ 'mapping.nested_fields.limit': 1 });
    const two = { properties: { a: { type: 'nested' as const }, b: { type: 'nested' as const } } };
    const { error } = await failure(t.client.indices.create({ index: 'nested-limit', settings: limited, mappings: two }));
    expect(error.reason).toBe('Failed to parse mapping: Limit of nested fields [1] has been exceeded');
    await t.client.indices.create({ index: 'nested-limit', settings: limited, mappings: { properties: { a: { type: 'nested' } } } });
    const update = await failure(t.client.indices.putMapping({ index: 'nested-limit', properties: { b: { type: 'nested' } } }));
    expect(update.error.reason).toBe('Limit of nested fields [1] has been exceeded');
  });

  it('enforces index.mapping.field_name_length.limit and index.mapping.depth.limit', async () => {
    const long = await failure(t.client.indices.create({ index: 'name-limit', settings: settings({ 'mapping.field_name_length.limit': 3 }), mappings: { properties: { abcd: { type: 'keyword' } } } }));
    expect(long.error.reason).toBe('Failed to parse mapping: Field name [abcd] is longer than the limit of [3] characters');
    const deep = await failure(t.client.indices.create({ index: 'depth-limit', settings: settings({ 'mapping.depth.limit': 2 }), mappings: { properties: { a: { properties: { b: { properties: { c: { type: 'keyword' } } } } } } } }));
    expect(deep.error.reason).toBe('Failed to parse mapping: Limit of mapping depth [2] has been exceeded due to object field [a.b]');
    const zero = await failure(t.client.indices.create({ index: 'depth-zero', settings: settings({ 'mapping.depth.limit': 0 }) }));
    expect(zero.error.reason).toBe('Failed to parse value [0] for setting [index.mapping.depth.limit] must be >= 1');
  });
});
