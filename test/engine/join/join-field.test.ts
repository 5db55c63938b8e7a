import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';

const t = useTestClient();

const RELATIONS = { question: ['answer', 'comment'], answer: 'vote' };

describe('join field (ParentJoinFieldMapper)', () => {
  it('GET _mapping prints eager_global_ordinals and a lone child as a string', async () => {
    await t.client.indices.create({ index: 'jf-map', mappings: { properties: { qa: { type: 'join', relations: RELATIONS } } } });
    const res = await t.client.indices.getMapping({ index: 'jf-map' });
    expect(res['jf-map']?.mappings.properties?.qa).toEqual({ type: 'join', eager_global_ordinals: true, relations: { question: ['answer', 'comment'], answer: 'vote' } });
  });

  it('refuses a second join field, a child with two parents, and a join field inside an object', async () => {
    const two = await failure(t.client.indices.create({ index: 'jf-two', mappings: { properties: { a: { type: 'join', relations: { p: 'c' } }, b: { type: 'join', relations: { x: 'y' } } } } }));
    expect(two.status).toBe(400);
    expect(String(two.error.reason)).toContain('Only one [parent-join] field can be defined per index, got [a, b]');
    const parents = await failure(t.client.indices.create({ index: 'jf-parents', mappings: { properties: { j: { type: 'join', relations: { p: 'c', q: 'c' } } } } }));
    expect(String(parents.error.reason)).toContain('[c] cannot have multiple parents');
    const inner = await failure(t.client.indices.create({ index: 'jf-inner', mappings: { properties: { o: { properties: { j: { type: 'join', relations: { p: 'c' } } } } } } }));
    expect(String(inner.error.reason)).toContain('join field [o.j] cannot be added inside an object or in a multi-field');
  });

  it('put-mapping adds relations but never removes or moves one', async () => {
    await t.client.indices.create({ index: 'jf-merge', mappings: { properties: { j: { type: 'join', relations: { p: 'c' } } } } });
    await t.client.indices.putMapping({ index: 'jf-merge', properties: { j: { type: 'join', relations: { p: ['c', 'c2'], r: 'rc' } } } });
    const res = await t.client.indices.getMapping({ index: 'jf-merge' });
    expect(res['jf-merge']?.mappings.properties?.j).toEqual({ type: 'join', eager_global_ordinals: true, relations: { p: ['c', 'c2'], r: 'rc' } });
    // Joiner.canMerge: an existing child cannot become a parent
    const grown = await failure(t.client.indices.putMapping({ index: 'jf-merge', properties: { j: { type: 'join', relations: { p: ['c', 'c2'], r: 'rc', c: 'g' } } } }));
    expect(String(grown.error.reason)).toBe('Mapper for [j] conflicts with existing mapper:\n\tCannot create parent [c] from an existing child');
    const removed = await failure(t.client.indices.putMapping({ index: 'jf-merge', properties: { j: { type: 'join', relations: { p: 'c' } } } }));
    expect(removed.error.type).toBe('illegal_argument_exception');
    expect(String(removed.error.reason)).toContain('Cannot remove child [c2]');
  });

  it('indexes documents as ParentJoinFieldMapper.parse validates them', async () => {
    await t.client.indices.create({ index: 'jf-docs', mappings: { properties: { qa: { type: 'join', relations: RELATIONS } } } });
    await t.client.index({ index: 'jf-docs', id: 'q1', document: { qa: 'question' } });
    await t.client.index({ index: 'jf-docs', id: 'a1', routing: 'q1', document: { qa: { name: 'answer', parent: 'q1' } } });
    // a numeric parent id is its text
    await t.client.index({ index: 'jf-docs', id: 'v1', routing: 'q1', document: { qa: { name: 'vote', parent: 7 } } });
    const reason = async (document: Record<string, unknown>, routing?: string): Promise<unknown[]> => {
      const f = await failure(t.client.index({ index: 'jf-docs', id: 'x', document, ...(routing !== undefined ? { routing } : {}) }));
      return [f.status, f.error.type, f.error.reason, (f.error.caused_by as Record<string, unknown> | undefined)?.reason];
    };
    expect(await reason({ qa: { name: 'answer', parent: 'q1' } })).toEqual([400, 'document_parsing_exception', 'failed to parse: [routing] is missing for join field [qa]', '[routing] is missing for join field [qa]']);
    expect((await reason({ qa: { name: 'answer' } }, 'q1'))[3]).toBe('[parent] is missing for join field [qa]');
    expect((await reason({ qa: 'nope' }))[3]).toBe('unknown join name [nope] for field [qa]');
    expect((await reason({ qa: { parent: 'q1' } }, 'q1'))[3]).toBe('null join name in field [qa]');
    expect((await reason({ qa: { name: 'answer', parent: 'q1', other: 'x' } }, 'q1'))[3]).toBe('unknown field name [other] in join field [qa]');
    expect((await reason({ qa: 12 }))[3]).toBe('[qa] expected START_OBJECT or VALUE_STRING but was: VALUE_NUMBER');
    await t.client.indices.refresh({ index: 'jf-docs' });
    const byId = (res: { hits: { hits: Array<{ _id?: string | null; _routing?: string; fields?: Record<string, unknown> }> } }): unknown[] =>
      res.hits.hits.map((h) => [h._id, h._routing, h.fields]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    // the doc values: the relation name and the hidden link fields
    expect(byId(await t.client.search({ index: 'jf-docs', docvalue_fields: ['qa', 'qa#question', 'qa#answer'] }))).toEqual([
      ['a1', 'q1', { qa: ['answer'], 'qa#question': ['q1'], 'qa#answer': ['a1'] }],
      ['q1', undefined, { qa: ['question'], 'qa#question': ['q1'] }],
      ['v1', 'q1', { qa: ['vote'], 'qa#answer': ['7'] }],
    ]);
    // the fields API: the value as in _source (SourceValueFetcher.identity)
    expect(byId(await t.client.search({ index: 'jf-docs', fields: ['*'], _source: false }))).toEqual([
      ['a1', 'q1', { qa: [{ name: 'answer', parent: 'q1' }] }],
      ['q1', undefined, { qa: ['question'] }],
      ['v1', 'q1', { qa: [{ name: 'vote', parent: 7 }] }],
    ]);
  });
});
