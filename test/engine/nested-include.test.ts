import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from './helpers.js';

const t = useTestClient();

const docs: Array<[string, Record<string, unknown>]> = [
  ['1', { title: 'one', users: [{ first: 'John', last: 'Smith', age: 30, tags: [{ t: 'red' }] }, { first: 'Alice', last: 'White', age: 40 }] }],
  ['2', { title: 'two', users: [{ first: 'Bob', last: 'Smith', age: 50, tags: [{ t: 'blue' }] }] }],
  ['3', { title: 'three' }],
];

async function ids(index: string, query: Record<string, unknown>): Promise<string[]> {
  const result = await t.client.search({ index, query, size: 10 });
  return result.hits.hits.map((hit) => hit._id!).sort();
}

describe('nested include_in_parent / include_in_root', () => {
  it('indexes a nested object flat into its parent: non-nested queries and aggregations see it, the nested query still pairs fields', async () => {
    await createIndexWithDocs(t.client, 'inc-parent', { mappings: { properties: { title: { type: 'keyword' }, users: { type: 'nested', include_in_parent: true, properties: { first: { type: 'text' }, last: { type: 'keyword' }, age: { type: 'long' } } } } } }, docs);
    // the parent holds every child's values: John (first child) and White (second child) match together
    expect(await ids('inc-parent', { bool: { must: [{ match: { 'users.first': 'john' } }, { term: { 'users.last': 'White' } }] } })).toEqual(['1']);
    expect(await ids('inc-parent', { term: { 'users.last': 'Smith' } })).toEqual(['1', '2']);
    // the nested query still matches within one child only
    expect(await ids('inc-parent', { nested: { path: 'users', query: { bool: { must: [{ match: { 'users.first': 'john' } }, { term: { 'users.last': 'White' } }] } } } })).toEqual([]);
    // values of sibling children are separated by the position_increment_gap (100): no phrase across them
    expect(await ids('inc-parent', { match_phrase: { 'users.first': 'john alice' } })).toEqual([]);
    expect(await ids('inc-parent', { match_phrase: { 'users.first': { query: 'john alice', slop: 101 } } })).toEqual(['1']);
    expect(await ids('inc-parent', { exists: { field: 'users.age' } })).toEqual(['1', '2']);
    const aggs = await t.client.search({ index: 'inc-parent', size: 0, aggs: { total: { sum: { field: 'users.age' } }, lasts: { terms: { field: 'users.last' } } } });
    // 30 + 40 + 50, read from the parents' doc values
    expect((aggs.aggregations!.total as { value: number }).value).toBe(120);
    expect((aggs.aggregations!.lasts as { buckets: Array<{ key: string; doc_count: number }> }).buckets).toEqual([
      { key: 'Smith', doc_count: 2 },
      { key: 'White', doc_count: 1 },
    ]);
    const mapping = await t.client.indices.getMapping({ index: 'inc-parent' });
    const users = mapping['inc-parent']!.mappings.properties!.users as Record<string, unknown>;
    expect(users.include_in_parent).toBe(true);
    expect(users.include_in_root).toBeUndefined();
  });

  it('without the flags a non-nested query on a nested field matches nothing', async () => {
    await createIndexWithDocs(t.client, 'inc-none', { mappings: { properties: { users: { type: 'nested', properties: { last: { type: 'keyword' } } } } } }, docs);
    expect(await ids('inc-none', { term: { 'users.last': 'Smith' } })).toEqual([]);
  });

  it('reaches the root from a second level: include_in_root, and include_in_parent through a parent included in the root', async () => {
    const mappings = (inner: Record<string, unknown>, outer: Record<string, unknown>): Record<string, unknown> => ({
      properties: { users: { type: 'nested', ...outer, properties: { last: { type: 'keyword' }, tags: { type: 'nested', ...inner, properties: { t: { type: 'keyword' } } } } } },
    });
    await createIndexWithDocs(t.client, 'inc-root', { mappings: mappings({ include_in_root: true }, {}) as never }, docs);
    expect(await ids('inc-root', { term: { 'users.tags.t': 'red' } })).toEqual(['1']);
    // only in the root: the users level does not hold the tag
    expect(await ids('inc-root', { nested: { path: 'users', query: { term: { 'users.tags.t': 'blue' } } } })).toEqual([]);
    await createIndexWithDocs(t.client, 'inc-chain', { mappings: mappings({ include_in_parent: true, include_in_root: true }, { include_in_parent: true }) as never }, docs);
    expect(await ids('inc-chain', { term: { 'users.tags.t': 'blue' } })).toEqual(['2']);
    expect(await ids('inc-chain', { nested: { path: 'users', query: { term: { 'users.tags.t': 'blue' } } } })).toEqual(['2']);
    // counted once in the root although both flags lead there
    const count = await t.client.search({ index: 'inc-chain', size: 0, aggs: { n: { value_count: { field: 'users.tags.t' } } } });
    expect((count.aggregations!.n as { value: number }).value).toBe(2);
    const mapping = await t.client.indices.getMapping({ index: 'inc-chain' });
    const tags = (mapping['inc-chain']!.mappings.properties!.users as { properties: Record<string, Record<string, unknown>> }).properties.tags!;
    // NestedObjectMapper.Builder: include_in_root is dropped where the parent already reaches the root
    expect(tags.include_in_parent).toBe(true);
    expect(tags.include_in_root).toBeUndefined();
  });

  it('refuses a change of either flag in a mapping update, and the flags on a plain object', async () => {
    await t.client.indices.create({ index: 'inc-update', mappings: { properties: { users: { type: 'nested', include_in_parent: true } } } });
    const dropped = await failure(t.client.indices.putMapping({ index: 'inc-update', properties: { users: { type: 'nested', properties: { x: { type: 'keyword' } } } } }));
    expect(dropped.status).toBe(500);
    expect(dropped.error.type).toBe('mapper_exception');
    expect(dropped.error.reason).toBe("the [include_in_parent] parameter can't be updated on a nested object mapping");
    await t.client.indices.create({ index: 'inc-update-root', mappings: { properties: { users: { type: 'nested' } } } });
    const rooted = await failure(t.client.indices.putMapping({ index: 'inc-update-root', properties: { users: { type: 'nested', include_in_root: true } } }));
    expect(rooted.status).toBe(500);
    expect(rooted.error.reason).toBe("the [include_in_root] parameter can't be updated on a nested object mapping");
    // a dotted name (no type given) leaves the flags alone
    await t.client.indices.putMapping({ index: 'inc-update', properties: { 'users.z': { type: 'keyword' } } });
    // include_in_root true next to include_in_parent at the top level is dropped: no change
    await t.client.indices.putMapping({ index: 'inc-update', properties: { users: { type: 'nested', include_in_parent: true, include_in_root: true, properties: { y: { type: 'long' } } } } });
    const object = await failure(t.client.indices.create({ index: 'inc-object', mappings: { properties: { o: { type: 'object', include_in_parent: true } } } as never }));
    expect(object.status).toBe(400);
    expect(object.error.type).toBe('mapper_parsing_exception');
  });
});
