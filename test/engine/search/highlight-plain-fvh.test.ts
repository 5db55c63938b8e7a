import { describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * The `plain` and `fvh` highlighters through the real client, with fragments worked out by hand
 * from Lucene's Highlighter (fragmenters, QueryScorer) and FastVectorHighlighter
 * (SimpleFragListBuilder, boundary scanners).
 */

// alpha[0,5) beta[6,10) gamma[11,16) delta[17,22) epsilon[23,30) zeta[31,35) eta[36,39) theta[40,45) iota[46,50) kappa[51,56)
const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'hlpf',
    {
      mappings: {
        properties: {
          body: { type: 'text', term_vector: 'with_positions_offsets' },
          plain: { type: 'text' },
          tags: { type: 'text', term_vector: 'with_positions_offsets' },
        },
      },
    },
    [
      ['words', { body: WORDS, plain: WORDS }],
      ['tags', { tags: ['red apple', 'green pear', 'red cherry'] }],
    ],
  );
});

async function hl(query: estypes.QueryDslQueryContainer, highlight: estypes.SearchHighlight): Promise<Record<string, Record<string, string[]> | undefined>> {
  const r = await t.client.search({ index: 'hlpf', query, highlight });
  return Object.fromEntries(r.hits.hits.map((h) => [h._id as string, h.highlight]));
}

describe('plain highlighter', () => {
  it('cuts fragments at fragment_size, keeps the text between tokens, orders by score then position', async () => {
    // simple fragmenter, 20: new fragments before delta (end 22 > 20) and theta (end 45 > 40); the middle one scores 0
    const r = await hl({ match: { body: 'beta kappa' } }, { type: 'plain', fragmenter: 'simple', fragment_size: 20, fields: { body: {} } });
    expect(r.words).toEqual({ body: ['alpha <em>beta</em> gamma', ' theta iota <em>kappa</em>'] });
    const one = await hl({ match: { body: 'beta kappa' } }, { type: 'plain', fragment_size: 20, number_of_fragments: 1, fields: { body: {} } });
    expect(one.words).toEqual({ body: ['alpha <em>beta</em> gamma'] });
  });

  it('tags the terms of a phrase one by one, and each value of a multi-valued field on its own', async () => {
    const r = await hl({ match_phrase: { body: 'delta epsilon' } }, { type: 'plain', fields: { body: {} } });
    expect(r.words).toEqual({ body: ['alpha beta gamma <em>delta</em> <em>epsilon</em> zeta eta theta iota kappa'] });
    const tags = await hl({ match: { tags: 'red' } }, { type: 'plain', fields: { tags: {} } });
    expect(tags.tags).toEqual({ tags: ['<em>red</em> apple', '<em>red</em> cherry'] });
  });

  it('cuts no_match_size at the last token ending within it (unified goes to the next word boundary)', async () => {
    // gamma ends at 16 > 13: the excerpt ends with beta (10)
    const words = await hl({ match: { body: 'zeta' } }, { type: 'plain', fields: { plain: { no_match_size: 13 } } });
    expect(words.words).toEqual({ plain: ['alpha beta'] });
    const unified = await hl({ match: { body: 'zeta' } }, { fields: { plain: { no_match_size: 13 } } });
    expect(unified.words).toEqual({ plain: ['alpha beta gamma'] });
  });

  it('refuses an unknown fragmenter', async () => {
    const f = await failure(t.client.search({ index: 'hlpf', query: { match: { body: 'beta' } }, highlight: { type: 'plain', fragmenter: 'bogus' as never, fields: { body: {} } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('unknown fragmenter option [bogus] for the field [body]');
  });
});

describe('fvh highlighter', () => {
  it('centres a fragment on the match and widens it to the boundary chars', async () => {
    const r = await hl({ match: { body: 'kappa' } }, { type: 'fvh', fragment_size: 18, fields: { body: {} } });
    // frag [45,63): the value ends at 56; the start scans back from 45 to the space at 39
    expect(r.words).toEqual({ body: ['theta iota <em>kappa</em>'] });
    // boundary_max_scan 2 finds no boundary char before 45: the fragment starts there
    const short = await hl({ match: { body: 'kappa' } }, { type: 'fvh', fragment_size: 18, boundary_max_scan: 2, fields: { body: {} } });
    expect(short.words).toEqual({ body: [' iota <em>kappa</em>'] });
  });

  it('tags a phrase once and keeps it in one fragment', async () => {
    const r = await hl({ match_phrase: { body: 'delta epsilon' } }, { type: 'fvh', fragment_size: 18, fields: { body: {} } });
    // phrase [17,30): frag [15,33), widened to [11,35)
    expect(r.words).toEqual({ body: ['gamma <em>delta epsilon</em> zeta'] });
  });

  it('needs term vectors with offsets and a fragment_size of 3 margins', async () => {
    const noVectors = await failure(t.client.search({ index: 'hlpf', query: { match: { plain: 'beta' } }, highlight: { type: 'fvh', fields: { plain: {} } } }));
    expect(noVectors.status).toBe(400);
    expect(JSON.stringify(noVectors.error)).toContain('the field [plain] should be indexed with term vector with position offsets to be used with fast vector highlighter');
    const small = await failure(t.client.search({ index: 'hlpf', query: { match: { body: 'beta' } }, highlight: { type: 'fvh', fragment_size: 10, fields: { body: {} } } }));
    expect(JSON.stringify(small.error)).toContain('fragCharSize(10) is too small. It must be 18 or higher.');
    // a wildcard skips fields the fvh cannot highlight
    const r = await hl({ match: { body: 'beta' } }, { type: 'fvh', require_field_match: false, fields: { 'p*': {}, body: {} } });
    expect(Object.keys(r.words ?? {})).toEqual(['body']);
  });

  it('refuses a multi-valued field with a 400 naming the feature', async () => {
    const f = await failure(t.client.search({ index: 'hlpf', query: { match: { tags: 'red' } }, highlight: { type: 'fvh', fields: { tags: {} } } }));
    expect(f.status).toBe(400);
    expect(JSON.stringify(f.error)).toContain('fvh highlighter on a multi-valued field');
  });
});
