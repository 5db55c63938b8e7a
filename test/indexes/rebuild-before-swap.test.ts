import { afterEach, describe, expect, it } from 'vitest';
import { createIndex } from '../../src/indexes/create-index.js';
import { indexState } from '../../src/indexes/index-state.js';
import { rebuildIndex } from '../../src/indexes/rebuild-index.js';
import { updateIndex } from '../../src/indexes/update-index.js';
import { ITEM_MAPPING, ITEM_MODEL, createItems, makeLifecycleProject, type TestProject } from '../helpers/lifecycle-project.js';

// rebuildIndex's beforeSwap hook (the relevance gate's hook point): it sees the filled new index
// before the alias moves, and stopping there leaves the alias alone, the new index deleted or,
// when the error says keepTarget, kept; either way the live index's rebuild marker is cleared.
let current: TestProject | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function itemsProject() {
  current = await makeLifecycleProject({
    indexes: { items: { models: ['./models/item.mjs#Item'] } },
    files: { 'models/item.mjs': ITEM_MODEL, 'mappings/items.json': JSON.stringify(ITEM_MAPPING) },
  });
  await createItems(current.db, 30);
  await createIndex(current.project, 'items');
  await updateIndex(current.project, 'items');
  const client = await current.project.clients.forIndex('items');
  return { project: current.project, client, live: (await indexState(client, 'items')).concrete };
}

describe('rebuildIndex beforeSwap', () => {
  it('sees the filled new index before the alias moves, then the alias moves', async () => {
    const { project, client, live } = await itemsProject();
    const seen: Array<{ target: string; previous: string[]; documents: number; aliasOn: string[] }> = [];
    const result = await rebuildIndex(project, 'items', {
      beforeSwap: async ({ target, previous }) => {
        seen.push({ target, previous, documents: (await client.count({ index: target })).count, aliasOn: (await indexState(client, 'items')).concrete });
      },
    });
    expect(seen).toEqual([{ target: result.target, previous: live, documents: 30, aliasOn: live }]);
    expect((await indexState(client, 'items')).concrete).toEqual([result.target]);
  });

  it('stops the rebuild when it throws: the alias stays, the new index is deleted, or kept when keepTarget', async () => {
    const { project, client, live } = await itemsProject();
    let target = '';
    await expect(
      rebuildIndex(project, 'items', {
        beforeSwap: async (r) => {
          target = r.target;
          throw new Error('not this one');
        },
      }),
    ).rejects.toThrow('not this one');
    expect(await client.indices.exists({ index: target })).toBe(false);
    const after = await indexState(client, 'items');
    expect(after.concrete).toEqual(live);
    expect(after.meta?.rebuild).toBeUndefined();

    const steps: string[] = [];
    await expect(
      rebuildIndex(project, 'items', {
        onStep: (s) => steps.push(s),
        beforeSwap: async (r) => {
          target = r.target;
          throw Object.assign(new Error('worse'), { keepTarget: true });
        },
      }),
    ).rejects.toThrow('worse');
    expect(await client.indices.exists({ index: target })).toBe(true);
    expect((await client.count({ index: target })).count).toBe(30);
    const kept = await indexState(client, 'items');
    expect(kept.concrete).toEqual(live);
    expect(kept.meta?.rebuild).toBeUndefined();
    expect(steps.at(-1)).toBe(`rebuild stopped: items is unchanged; ${target} is kept for inspection`);
  });
});
