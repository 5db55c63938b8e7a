import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/** The unified highlighter's matched_fields: matches found through multi-fields, tagged in the main field's text. */

const t = useTestClient(async (client) => {
  await createIndexWithDocs(
    client,
    'films',
    { mappings: { properties: { title: { type: 'text', analyzer: 'whitespace', fields: { english: { type: 'text', analyzer: 'english' } } } } } },
    [['1', { title: 'Running with wolves' }]],
  );
});

describe('highlight matched_fields', () => {
  it('tags in the main field the words that matched only through a multi-field', async () => {
    const search = (matched?: string[]) =>
      t.client.search({
        index: 'films',
        query: { multi_match: { query: 'run wolves', fields: ['title', 'title.english'] } },
        highlight: { fields: { title: matched ? { matched_fields: matched } : {} } },
      });
    // the whitespace-analyzed title has "wolves" but not "run" (which only the english stem of "Running" matches)
    expect((await search()).hits.hits[0]!.highlight).toEqual({ title: ['Running with <em>wolves</em>'] });
    expect((await search(['title.english'])).hits.hits[0]!.highlight).toEqual({ title: ['<em>Running</em> with <em>wolves</em>'] });
  });

  it('refuses matched_fields with require_field_match false, as Elasticsearch does', async () => {
    const res = await failure(
      t.client.search({ index: 'films', query: { match: { title: 'wolves' } }, highlight: { require_field_match: false, fields: { title: { matched_fields: ['title.english'] } } } }),
    );
    expect(res.status).toBe(400);
    expect(res.error.reason).toBe('Matched fields are not supported when [require_field_match] is set to [false]');
  });
});
