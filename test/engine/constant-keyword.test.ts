import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

const t = useTestClient();

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }): string[] => res.hits.hits.map((h) => String(h._id)).sort();

/** Messages below are ConstantKeywordFieldMapper's (x-pack/plugin/mapper-constant-keyword). */
describe('constant_keyword (ConstantKeywordFieldMapper)', () => {
  it('takes its value from the first document that has the field, updates the mapping, and refuses another value', async () => {
    await t.client.indices.create({ index: 'ck-dyn', mappings: { properties: { env: { type: 'constant_keyword' }, n: { type: 'long' } } } });
    await t.client.index({ index: 'ck-dyn', id: '1', document: { n: 1 } });
    let mapping = await t.client.indices.getMapping({ index: 'ck-dyn' });
    expect(mapping['ck-dyn']?.mappings.properties?.env).toEqual({ type: 'constant_keyword' });
    await t.client.indices.refresh({ index: 'ck-dyn' });
    // no value yet: nothing matches, nothing is aggregated
    expect(ids(await t.client.search({ index: 'ck-dyn', query: { exists: { field: 'env' } } }))).toEqual([]);

    await t.client.index({ index: 'ck-dyn', id: '2', document: { env: 'prod', n: 2 } });
    mapping = await t.client.indices.getMapping({ index: 'ck-dyn' });
    expect(mapping['ck-dyn']?.mappings.properties?.env).toEqual({ type: 'constant_keyword', value: 'prod' });

    const bad = await failure(t.client.index({ index: 'ck-dyn', id: '3', document: { env: 'dev' } }));
    expect(bad.status).toBe(400);
    expect(bad.error.type).toBe('document_parsing_exception');
    expect((bad.error.caused_by as { reason: string }).reason).toBe(
      '[constant_keyword] field [env] only accepts values that are equal to the value defined in the mappings [prod], but got [dev]',
    );
    const nul = await failure(t.client.index({ index: 'ck-dyn', id: '3', document: { env: null } }));
    expect((nul.error.caused_by as { reason: string }).reason).toBe("[constant_keyword] field [env] doesn't accept [null] values");

    // the document indexed before the value was set has it too
    await t.client.indices.refresh({ index: 'ck-dyn' });
    expect(ids(await t.client.search({ index: 'ck-dyn', query: { term: { env: 'prod' } } }))).toEqual(['1', '2']);
  });

  it('answers every term-level query with all documents or none by testing the value', async () => {
    await t.client.indices.create({ index: 'ck-q', mappings: { properties: { env: { type: 'constant_keyword', value: 'prod' } } } });
    await t.client.index({ index: 'ck-q', id: '1', document: {} });
    await t.client.index({ index: 'ck-q', id: '2', document: { env: 'prod' } });
    await t.client.indices.refresh({ index: 'ck-q' });
    const count = async (query: Record<string, unknown>): Promise<number> => (await t.client.count({ index: 'ck-q', query })).count;
    expect(await count({ term: { env: 'prod' } })).toBe(2);
    expect(await count({ term: { env: 'dev' } })).toBe(0);
    expect(await count({ term: { env: { value: 'PROD', case_insensitive: true } } })).toBe(2);
    // Regex.simpleMatch: a `*` in a term value is a wildcard for a constant field
    expect(await count({ term: { env: 'pr*' } })).toBe(2);
    expect(await count({ terms: { env: ['dev', 'prod'] } })).toBe(2);
    expect(await count({ terms: { env: ['dev'] } })).toBe(0);
    expect(await count({ prefix: { env: 'pro' } })).toBe(2);
    expect(await count({ prefix: { env: 'dev' } })).toBe(0);
    expect(await count({ wildcard: { env: '*o*' } })).toBe(2);
    expect(await count({ regexp: { env: 'p.*d' } })).toBe(2);
    expect(await count({ regexp: { env: 'd.*' } })).toBe(0);
    expect(await count({ fuzzy: { env: 'prad' } })).toBe(2);
    expect(await count({ fuzzy: { env: { value: 'prad', fuzziness: 0 } } })).toBe(0);
    // a match with fuzziness asks the field for its fuzzy query (MatchQueryParser)
    expect(await count({ match: { env: { query: 'prad', fuzziness: 'AUTO' } } })).toBe(2);
    expect(await count({ match: { env: { query: 'prad', fuzziness: 0 } } })).toBe(0);
    expect(await count({ match: { env: 'prad' } })).toBe(0);
    expect(await count({ range: { env: { gte: 'prod', lte: 'prod' } } })).toBe(2);
    expect(await count({ range: { env: { gt: 'prod' } } })).toBe(0);
    expect(await count({ range: { env: { lt: 'prod' } } })).toBe(0);
    expect(await count({ range: { env: { gt: 'a', lt: 'q' } } })).toBe(2);
    expect(await count({ exists: { field: 'env' } })).toBe(2);

    // a match_all: the score is the boost
    const scored = await t.client.search({ index: 'ck-q', query: { term: { env: { value: 'prod', boost: 3 } } } });
    expect(scored.hits.hits.map((h) => h._score)).toEqual([3, 3]);
  });

  it('aggregates, sorts and returns the value for every document, keeping _source as given', async () => {
    await t.client.indices.create({ index: 'ck-a1', mappings: { properties: { env: { type: 'constant_keyword', value: 'a' } } } });
    await t.client.indices.create({ index: 'ck-a2', mappings: { properties: { env: { type: 'constant_keyword', value: 'b' } } } });
    await t.client.index({ index: 'ck-a1', id: '1', document: {} });
    await t.client.index({ index: 'ck-a1', id: '2', document: { env: 'a' } });
    await t.client.index({ index: 'ck-a2', id: '3', document: {} });
    await t.client.indices.refresh({ index: 'ck-a*' });

    const aggs = await t.client.search({ index: 'ck-a*', size: 0, aggs: { envs: { terms: { field: 'env' } } } });
    const buckets = (aggs.aggregations?.envs as { buckets: Array<{ key: string; doc_count: number }> }).buckets;
    expect(buckets.map((b) => [b.key, b.doc_count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);

    const sorted = await t.client.search({ index: 'ck-a*', sort: [{ env: 'desc' }, { _index: 'asc' }], fields: ['env'], docvalue_fields: ['env'] });
    expect(sorted.hits.hits.map((h) => [h._index, h.sort?.[0], h.fields?.env, h._source])).toEqual([
      ['ck-a2', 'b', ['b'], {}],
      ['ck-a1', 'a', ['a'], {}],
      ['ck-a1', 'a', ['a'], { env: 'a' }],
    ]);
  });

  it('checks its mapping as Elasticsearch does: value set once, a number or a string, no other parameters', async () => {
    await t.client.indices.create({ index: 'ck-m', mappings: { properties: { env: { type: 'constant_keyword', meta: { unit: 'none' } } } } });
    await t.client.indices.putMapping({ index: 'ck-m', properties: { env: { type: 'constant_keyword', value: 42, meta: { unit: 'none' } } as never } });
    const mapping = await t.client.indices.getMapping({ index: 'ck-m' });
    // the value is kept as its text (Objects::toString)
    expect(mapping['ck-m']?.mappings.properties?.env).toEqual({ type: 'constant_keyword', value: '42', meta: { unit: 'none' } });
    await t.client.indices.create({ index: 'ck-n', mappings: { properties: { env: { type: 'constant_keyword', value: 7 } as never } } });
    expect((await t.client.indices.getMapping({ index: 'ck-n' }))['ck-n']?.mappings.properties?.env).toEqual({ type: 'constant_keyword', value: '7' });

    const change = await failure(t.client.indices.putMapping({ index: 'ck-m', properties: { env: { type: 'constant_keyword', value: 'x' } as never } }));
    expect(change.error.reason).toBe('Mapper for [env] conflicts with existing mapper:\n\tCannot update parameter [value] from [42] to [x]');

    const object = await failure(t.client.indices.create({ index: 'ck-bad', mappings: { properties: { env: { type: 'constant_keyword', value: { a: 1 } } as never } } }));
    expect(object.error.type).toBe('mapper_parsing_exception');
    expect(String(object.error.reason)).toContain('Property [value] on field [env] must be a number or a string, but got [{a=1}]');
    const param = await failure(t.client.indices.create({ index: 'ck-bad', mappings: { properties: { env: { type: 'constant_keyword', index: false } as never } } }));
    expect(String(param.error.reason)).toContain('unknown parameter [index] on mapper [env] of type [constant_keyword]');
  });

  it('sorts with keyword fields of other indices, and fails the search against a long of another index with hits', async () => {
    await t.client.indices.create({ index: 'ck-s-kw', mappings: { properties: { k: { type: 'keyword' } } } });
    await t.client.indices.create({ index: 'ck-s-long', mappings: { properties: { k: { type: 'long' } } } });
    await t.client.indices.create({ index: 'ck-s-const', mappings: { properties: { k: { type: 'constant_keyword', value: 'value' } } } });
    await t.client.index({ index: 'ck-s-kw', id: '3', document: { k: 'abc' } });
    await t.client.index({ index: 'ck-s-long', id: '2', document: { k: 42 } });
    await t.client.index({ index: 'ck-s-const', id: '1', document: {} });
    await t.client.indices.refresh({ index: 'ck-s-*' });
    const mixed = await t.client.search({ index: 'ck-s-kw,ck-s-const', sort: ['k'] });
    expect(mixed.hits.hits.map((h) => [h._id, h.sort])).toEqual([
      ['3', ['abc']],
      ['1', ['value']],
    ]);
    // SearchPhaseController.checkSameSortTypes (the shards in index order: ck-s-const first)
    const bad = await failure(t.client.search({ index: 'ck-s-*', sort: ['k'] }));
    expect(bad.status).toBe(400);
    expect((bad.error.caused_by as { reason: string }).reason).toBe("Can't sort on field [k]; the field has incompatible sort types: [STRING] and [LONG] across shards!");
    // with size 0 no shard returns sorted top docs: nothing is merged, nothing fails
    expect((await t.client.search({ index: 'ck-s-*', sort: ['k'], query: { exists: { field: 'k' } }, size: 0 })).hits.total).toEqual({ value: 3, relation: 'eq' });
  });
});
