import type { Client } from '@elastic/elasticsearch';

/** A 3-shard index of parents, children routed to them and one grandchild (relations parent -> child -> grand). */
export const INDEX = 'jq';

export const PARENTS: Array<[string, string]> = [
  ['p1', 'red apple pie'],
  ['p2', 'green apple'],
  ['p3', 'blue berry'],
  ['p4', 'lonely parent'],
  ['p5', 'apple apple apple'],
];

export const CHILDREN: Array<[string, string, string]> = [
  ['c1', 'p1', 'apple is red'],
  ['c2', 'p1', 'apple apple'],
  ['c3', 'p1', 'pear'],
  ['c4', 'p2', 'apple'],
  ['c5', 'p3', 'apple berry apple'],
  ['c6', 'p3', 'berry'],
  ['c7', 'p5', 'orange'],
];

export async function setup(client: Client): Promise<void> {
  await client.indices.create({
    index: INDEX,
    settings: { number_of_shards: 3 },
    mappings: { properties: { rel: { type: 'join', relations: { parent: 'child', child: 'grand' } }, text: { type: 'text' }, n: { type: 'keyword' } } },
  });
  const operations: unknown[] = [];
  for (const [id, text] of PARENTS) operations.push({ index: { _index: INDEX, _id: id } }, { text, n: id, rel: 'parent' });
  for (const [id, parent, text] of CHILDREN) operations.push({ index: { _index: INDEX, _id: id, routing: parent } }, { text, n: id, rel: { name: 'child', parent } });
  operations.push({ index: { _index: INDEX, _id: 'g1', routing: 'p1' } }, { text: 'apple', n: 'g1', rel: { name: 'grand', parent: 'c1' } });
  const bulk = await client.bulk({ operations, refresh: true });
  if (bulk.errors) throw new Error(JSON.stringify(bulk.items));
}
