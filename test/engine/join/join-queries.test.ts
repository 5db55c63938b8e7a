import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from '../helpers.js';
import { CHILDREN, INDEX, setup } from './fixture.js';

/**
 * has_child, has_parent and parent_id through the client, on a 3-shard index whose children are
 * routed to their parent's shard. Expected scores are computed here from the child (or parent)
 * query run on its own: JoinUtil combines those scores per parent in float arithmetic.
 */

const t = useTestClient(setup);

type Hit = { _id?: string | null; _score?: number | null };
const scores = (hits: Hit[]): Record<string, number> => Object.fromEntries(hits.map((h) => [String(h._id), Number(h._score)]));

/** Each child's score for `match: {text: words}`, as the search of the children alone gives it. */
async function childScores(words: string): Promise<Map<string, number>> {
  const res = await t.client.search({ index: INDEX, size: 100, query: { bool: { must: [{ match: { text: words } }], filter: [{ term: { rel: 'child' } }] } } });
  // a printed score is the shortest decimal of a float: Math.fround gives the float back
  return new Map(res.hits.hits.map((h) => [String(h._id), Math.fround(Number(h._score))]));
}

/** Lucene's GlobalOrdinalsWithScoreCollector, by hand: the children's scores per parent. */
function combine(children: Map<string, number>, mode: 'sum' | 'avg' | 'max' | 'min', boost = 1): Record<string, number> {
  const byParent = new Map<string, number[]>();
  for (const [id, parent] of CHILDREN) {
    const s = children.get(id);
    if (s !== undefined) byParent.set(parent, [...(byParent.get(parent) ?? []), s]);
  }
  const out: Record<string, number> = {};
  for (const [parent, list] of byParent) {
    let v = mode === 'min' ? Infinity : mode === 'max' ? -Infinity : 0;
    for (const s of list) v = mode === 'min' ? Math.min(v, s) : mode === 'max' ? Math.max(v, s) : Math.fround(v + s);
    if (mode === 'avg') v = Math.fround(v / list.length);
    out[parent] = Math.fround(v * boost);
  }
  return out;
}

describe('parent-join queries', () => {
  it('routes every child to its parent shard', async () => {
    const shards = await t.client.search({ index: INDEX, size: 0, aggs: {} });
    expect(shards._shards.total).toBe(3);
    for (const [id, parent] of CHILDREN) {
      const hit = await t.client.get({ index: INDEX, id, routing: parent });
      expect(hit._routing).toBe(parent);
    }
  });

  it('has_child with each score_mode scores parents from their matching children', async () => {
    const children = await childScores('apple');
    for (const mode of ['sum', 'avg', 'max', 'min'] as const) {
      const res = await t.client.search({ index: INDEX, query: { has_child: { type: 'child', query: { match: { text: 'apple' } }, score_mode: mode, boost: 2 } } });
      const got = Object.fromEntries(Object.entries(scores(res.hits.hits)).map(([id, s]) => [id, Math.fround(s)]));
      expect(got, mode).toEqual(combine(children, mode, 2));
    }
    const none = await t.client.search({ index: INDEX, query: { has_child: { type: 'child', query: { match: { text: 'apple' } }, boost: 3 } } });
    expect(scores(none.hits.hits)).toEqual({ p1: 3, p2: 3, p3: 3 });
  });

  it('explains a join match as the global-ordinals join queries of Lucene do', async () => {
    const explained = async (query: Record<string, unknown>): Promise<string | undefined> => {
      const res = await t.client.search({ index: INDEX, explain: true, query: { bool: { must: [query], filter: [{ ids: { values: ['p1'] } }] } } });
      const top = res.hits.hits[0]?._explanation;
      return top?.details?.[0]?.description ?? top?.description;
    };
    // GlobalOrdinalsWithScoreQuery: the boost after a caret; GlobalOrdinalsQuery (no score mode): none
    expect(await explained({ has_child: { type: 'child', query: { match: { text: 'apple' } }, score_mode: 'max', boost: 2 } })).toBe('A match, join value p1^2.0');
    expect(await explained({ has_child: { type: 'child', query: { match: { text: 'apple' } }, boost: 2 } })).toBe('A match, join value p1');
    expect(await explained({ has_child: { type: 'child', query: { match: { text: 'apple' } }, score_mode: 'sum' } })).toBe('A match, join value p1');
  });

  it('has_child min_children and max_children count the matching children', async () => {
    const ids = async (body: Record<string, unknown>): Promise<string[]> =>
      (await t.client.search({ index: INDEX, query: { has_child: { type: 'child', query: { match_all: {} }, ...body } } })).hits.hits.map((h) => String(h._id)).sort();
    expect(await ids({})).toEqual(['p1', 'p2', 'p3', 'p5']);
    expect(await ids({ min_children: 2 })).toEqual(['p1', 'p3']);
    expect(await ids({ min_children: 2, max_children: 2 })).toEqual(['p3']);
    expect(await ids({ max_children: 1 })).toEqual(['p2', 'p5']);
    const bad = await failure(t.client.search({ index: INDEX, query: { has_child: { type: 'child', query: { match_all: {} }, min_children: 3, max_children: 2 } } }));
    expect([bad.status, bad.error.type, bad.error.reason]).toEqual([400, 'illegal_argument_exception', "[has_child] 'max_children' is less than 'min_children'"]);
  });

  it('has_parent scores children with their parent score, or the boost', async () => {
    const parents = await t.client.search({ index: INDEX, query: { bool: { must: [{ match: { text: 'apple' } }], filter: [{ term: { rel: 'parent' } }] } } });
    const parentScore = scores(parents.hits.hits);
    const res = await t.client.search({ index: INDEX, size: 20, query: { has_parent: { parent_type: 'parent', query: { match: { text: 'apple' } }, score: true } } });
    const expected: Record<string, number> = {};
    for (const [id, parent] of CHILDREN) if (parentScore[parent] !== undefined) expected[id] = parentScore[parent] as number;
    expect(scores(res.hits.hits)).toEqual(expected);
    const plain = await t.client.search({ index: INDEX, size: 20, query: { has_parent: { parent_type: 'parent', query: { match: { text: 'apple' } }, boost: 0.5 } } });
    expect(scores(plain.hits.hits)).toEqual(Object.fromEntries(Object.keys(expected).map((id) => [id, 0.5])));
    // the middle level: grand children of the matching children
    const grand = await t.client.search({ index: INDEX, query: { has_parent: { parent_type: 'child', query: { match: { text: 'red' } } } } });
    expect(grand.hits.hits.map((h) => h._id)).toEqual(['g1']);
  });

  it('parent_id finds the children of one parent and relation', async () => {
    const res = await t.client.search({ index: INDEX, query: { parent_id: { type: 'child', id: 'p1' } }, sort: ['n'] });
    expect(res.hits.hits.map((h) => h._id)).toEqual(['c1', 'c2', 'c3']);
    const grand = await t.client.search({ index: INDEX, query: { parent_id: { type: 'grand', id: 'c1' } } });
    expect(grand.hits.hits.map((h) => h._id)).toEqual(['g1']);
  });

  it('fails as Elasticsearch for unknown relations, and ignore_unmapped matches nothing', async () => {
    const reason = async (query: Record<string, unknown>): Promise<unknown> => {
      const f = await failure(t.client.search({ index: INDEX, query }));
      const cause = (f.error.root_cause as Array<Record<string, unknown>>)[0];
      return [f.status, cause?.type, cause?.reason];
    };
    expect(await reason({ has_child: { type: 'nope', query: { match_all: {} } } })).toEqual([400, 'query_shard_exception', "[has_child] join field [rel] doesn't hold [nope] as a child"]);
    expect(await reason({ has_parent: { parent_type: 'grand', query: { match_all: {} } } })).toEqual([400, 'query_shard_exception', "[has_parent] join field [rel] doesn't hold [grand] as a parent"]);
    expect(await reason({ parent_id: { type: 'parent', id: 'x' } })).toEqual([400, 'query_shard_exception', '[parent_id] no relation found for child [parent]']);
    const ignored = await t.client.search({ index: INDEX, query: { has_child: { type: 'nope', query: { match_all: {} }, ignore_unmapped: true } } });
    expect(ignored.hits.hits).toEqual([]);
    const score = await failure(t.client.search({ index: INDEX, query: { has_child: { type: 'child', query: { match_all: {} }, score_mode: 'total' as 'sum' } } }));
    expect(score.error.reason).toBe('No score mode for child query [total] found');
  });
});
