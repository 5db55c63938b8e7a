import { describe, expect, it } from 'vitest';
import { useTestClient } from './helpers.js';

const t = useTestClient(async (client) => {
  await client.indices.create({
    index: 'words',
    settings: { analysis: { normalizer: { folded: { type: 'custom', filter: ['lowercase', 'asciifolding'] } } } },
    mappings: { properties: { title: { type: 'text', analyzer: 'english' }, tag: { type: 'keyword', normalizer: 'folded' }, n: { type: 'long' } } },
  });
});

describe('_analyze on a field', () => {
  it("uses a text field's analyzer", async () => {
    const { tokens } = await t.client.indices.analyze({ index: 'words', field: 'title', text: 'The Running Dogs' });
    expect(tokens!.map((x) => x.token)).toEqual(['run', 'dog']);
  });

  it('gives a keyword field one token, through its normalizer', async () => {
    const { tokens } = await t.client.indices.analyze({ index: 'words', field: 'tag', text: 'Crème Brûlée' });
    expect(tokens!.map((x) => [x.token, x.start_offset, x.end_offset])).toEqual([['creme brulee', 0, 12]]);
  });

  it('refuses a field that is not tokenized, as Elasticsearch does', async () => {
    const error = await t.client.indices.analyze({ index: 'words', field: 'n', text: '12' }).catch((e: { meta: { statusCode: number; body: { error: { type: string; reason: string } } } }) => e.meta);
    expect(error).toMatchObject({ statusCode: 400, body: { error: { type: 'illegal_argument_exception', reason: "Can't process field [n], Analysis requests are only supported on tokenized fields" } } });
  });
});
