import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

const t = useTestClient();

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id)).sort();

const MAPPINGS = { properties: { query: { type: 'percolator' }, body: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'integer' } } } as const;

async function queries(index: string, stored: Record<string, unknown>): Promise<void> {
  await t.client.indices.create({ index, mappings: MAPPINGS });
  for (const [id, query] of Object.entries(stored)) await t.client.index({ index, id, document: { query } });
  await t.client.indices.refresh({ index });
}

describe('percolator field and percolate query (modules/percolator)', () => {
  it('stored queries are checked against the mapping when indexed', async () => {
    await t.client.indices.create({ index: 'perc-check', mappings: MAPPINGS });
    const unmapped = await failure(t.client.index({ index: 'perc-check', id: '1', document: { query: { term: { missing: 'x' } } } }));
    expect(unmapped.status).toBe(400);
    expect(unmapped.error.type).toBe('document_parsing_exception');
    expect((unmapped.error.caused_by as { reason: string }).reason).toBe('No field mapping can be found for the field with name [missing]');
    const two = await failure(t.client.index({ index: 'perc-check', id: '2', document: { query: [{ match_all: {} }, { match_all: {} }] } }));
    expect((two.error.caused_by as { reason: string }).reason).toBe('a document can only contain one percolator query');
    const bad = await failure(t.client.index({ index: 'perc-check', id: '3', document: { query: { nope: {} } } }));
    expect(bad.error.type).toBe('document_parsing_exception');
    // a field mapped later makes the query valid
    await t.client.indices.putMapping({ index: 'perc-check', properties: { missing: { type: 'keyword' } } });
    await t.client.index({ index: 'perc-check', id: '1', document: { query: { term: { missing: 'x' } } }, refresh: true });
    const hit = await t.client.search({ index: 'perc-check', query: { percolate: { field: 'query', document: { missing: 'x' } } } });
    expect(ids(hit)).toEqual(['1']);
    // PercolatorFieldType.valueFetcher reads the query from _source; it has no doc values
    const fetched = await t.client.search({ index: 'perc-check', fields: ['query'], _source: false });
    expect(fetched.hits.hits[0]?.fields).toEqual({ query: [{ term: { missing: 'x' } }] });
    const docValues = await failure(t.client.search({ index: 'perc-check', docvalue_fields: ['query'] }));
    expect(JSON.stringify(docValues.error)).toContain('Fielddata is not supported on field [query] of type [percolator]');
  });

  it('percolates one or several documents, with the slots each stored query matched', async () => {
    await queries('perc-docs', {
      fox: { match: { body: 'fox' } },
      dog: { match: { body: 'dog' } },
      red: { term: { tag: 'red' } },
      big: { range: { n: { gte: 10 } } },
    });
    const one = await t.client.search({ index: 'perc-docs', query: { percolate: { field: 'query', document: { body: 'the quick brown fox', tag: 'red', n: 3 } } } });
    expect(ids(one)).toEqual(['fox', 'red']);
    const many = await t.client.search({
      index: 'perc-docs',
      query: { percolate: { field: 'query', documents: [{ body: 'a fox' }, { body: 'a dog', n: 20 }, { body: 'fox and dog' }] } },
    });
    const slots = Object.fromEntries(many.hits.hits.map((h) => [h._id, h.fields?._percolator_document_slot]));
    expect(slots).toEqual({ fox: [0, 2], dog: [1, 2], big: [1] });
  });

  it('scores a stored query as Lucene BM25Similarity over the one-document index, constant in filter context', async () => {
    await queries('perc-score', { fox: { match: { body: 'fox' } } });
    const res = await t.client.search({ index: 'perc-score', query: { percolate: { field: 'query', document: { body: 'quick brown fox' }, boost: 3 } } });
    // one document: idf = ln(1 + 0.5 / 1.5), dl = avgdl, so tf part = 1 / (1 + 1.2); no (k1 + 1) factor
    // in a MemoryIndex's BM25Similarity (Elasticsearch's legacy 2.2 is the shard's similarity only)
    const idf = Math.fround(Math.log(1 + 0.5 / 1.5));
    const expected = 3 * idf * (1 / 2.2);
    expect(res.hits.hits[0]?._score as number).toBeCloseTo(expected, 5);
    const filtered = await t.client.search({ index: 'perc-score', query: { constant_score: { filter: { percolate: { field: 'query', document: { body: 'fox' } } }, boost: 1.5 } } });
    expect(filtered.hits.hits.map((h) => h._score)).toEqual([1.5]);
  });

  it('several percolate queries name their slot fields; a stored document can be percolated', async () => {
    await queries('perc-names', { fox: { match: { body: 'fox' } }, dog: { match: { body: 'dog' } } });
    await t.client.index({ index: 'perc-names', id: 'doc', document: { body: 'a dog' }, refresh: true });
    const res = await t.client.search({
      index: 'perc-names',
      query: {
        bool: {
          should: [
            { percolate: { field: 'query', document: { body: 'fox' }, name: 'first' } },
            { percolate: { field: 'query', index: 'perc-names', id: 'doc', name: 'second' } },
          ],
        },
      },
    });
    const fields = Object.fromEntries(res.hits.hits.map((h) => [h._id, h.fields]));
    expect(fields).toEqual({ fox: { _percolator_document_slot_first: [0] }, dog: { _percolator_document_slot_second: [0] } });
  });

  it('highlights the percolated documents with each hit\'s stored query (the percolate query docs example)', async () => {
    await t.client.indices.create({ index: 'perc-hl', mappings: { properties: { query: { type: 'percolator' }, message: { type: 'text' } } } });
    await t.client.index({ index: 'perc-hl', id: '3', document: { query: { match: { message: 'brown fox' } } } });
    await t.client.index({ index: 'perc-hl', id: '4', document: { query: { match: { message: 'lazy dog' } } } });
    await t.client.indices.refresh({ index: 'perc-hl' });
    const one = await t.client.search({
      index: 'perc-hl',
      query: { percolate: { field: 'query', document: { message: 'The quick brown fox jumps over the lazy dog' } } },
      highlight: { fields: { message: {} } },
    });
    const byId = Object.fromEntries(one.hits.hits.map((h) => [h._id, h.highlight]));
    expect(byId).toEqual({
      '3': { message: ['The quick <em>brown</em> <em>fox</em> jumps over the lazy dog'] },
      '4': { message: ['The quick brown fox jumps over the <em>lazy</em> <em>dog</em>'] },
    });
    const many = await t.client.search({
      index: 'perc-hl',
      query: { percolate: { field: 'query', documents: [{ message: 'bonsai tree' }, { message: 'new tree' }, { message: 'the office' }, { message: 'brown fox' }, { message: 'a lazy dog' }] } },
      highlight: { fields: { message: {} } },
    });
    const slots = Object.fromEntries(many.hits.hits.map((h) => [h._id, h.highlight]));
    expect(slots).toEqual({ '3': { '3_message': ['<em>brown</em> <em>fox</em>'] }, '4': { '4_message': ['a <em>lazy</em> <em>dog</em>'] } });
  });

  it('refuses what Elasticsearch refuses', async () => {
    await queries('perc-errors', { all: { match_all: {} } });
    const notPercolator = await failure(t.client.search({ index: 'perc-errors', query: { percolate: { field: 'tag', document: {} } } }));
    expect(JSON.stringify(notPercolator.error)).toContain('expected field [tag] to be of type [percolator], but is of type [keyword]');
    const missing = await failure(t.client.search({ index: 'perc-errors', query: { percolate: { field: 'nope', document: {} } } }));
    expect(JSON.stringify(missing.error)).toContain('field [nope] does not exist');
    const none = await failure(t.client.search({ index: 'perc-errors', query: { percolate: { field: 'query' } } }));
    expect(JSON.stringify(none.error)).toContain('Required one of fields [document, documents, id], but none were specified.');
    const searched = await failure(t.client.search({ index: 'perc-errors', query: { term: { query: 'x' } } }));
    expect(JSON.stringify(searched.error)).toContain('Percolator fields are not searchable directly, use a percolate query instead');
    const direct = await failure(t.client.search({ index: 'perc-errors', query: { percolate: { field: 'query', index: 'perc-errors', id: 'none' } } }));
    expect(JSON.stringify(direct.error)).toContain(`indexed document [perc-errors/none] couldn't be found`);
  });
});
