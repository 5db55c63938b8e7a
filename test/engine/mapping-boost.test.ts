import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { failure, useTestClient } from './helpers.js';

/**
 * FieldMapper.Builder.parse on an index created in 8.x: `boost` (deprecated in 7.x, without effect)
 * is refused on every field type, by the field's own (leaf) name:
 * `Unknown parameter [boost] on mapper [title]`; other unknown parameters name the type too.
 */
const t = useTestClient();
/** Mappings the client's types would refuse (that is the point). */
const props = (json: object): Record<string, estypes.MappingProperty> => json as Record<string, estypes.MappingProperty>;

describe('mapping parameter validation', () => {
  it('refuses boost on text, keyword, numeric, geo_point and multi-fields, naming the leaf field', async () => {
    const cases: Array<[object, string]> = [
      [{ title: { type: 'text', boost: 2 } }, 'title'],
      [{ tag: { type: 'keyword', boost: 1.5 } }, 'tag'],
      [{ n: { type: 'long', boost: 2 } }, 'n'],
      [{ where: { type: 'geo_point', boost: 2 } }, 'where'],
      [{ user: { properties: { name: { type: 'keyword', boost: 2 } } } }, 'name'],
      [{ body: { type: 'text', fields: { raw: { type: 'keyword', boost: 2 } } } }, 'raw'],
    ];
    for (const [i, [properties, name]] of cases.entries()) {
      const r = await failure(t.client.indices.create({ index: `boost-${i}`, mappings: { properties: props(properties) } }));
      expect(r.status).toBe(400);
      expect(r.error).toMatchObject({ type: 'mapper_parsing_exception' });
      expect(String((r.error.caused_by as Record<string, unknown> | undefined)?.reason ?? r.error.reason)).toBe(`Unknown parameter [boost] on mapper [${name}]`);
    }
  });

  it('refuses boost in put-mapping and names the type of other unknown parameters', async () => {
    await t.client.indices.create({ index: 'docs', mappings: { properties: { title: { type: 'text' } } } });
    const put = await failure(t.client.indices.putMapping({ index: 'docs', properties: props({ score: { type: 'float', boost: 3 } }) }));
    expect(put).toMatchObject({ status: 400, error: { type: 'mapper_parsing_exception', reason: 'Unknown parameter [boost] on mapper [score]' } });
    const other = await failure(t.client.indices.putMapping({ index: 'docs', properties: props({ obj: { properties: { f: { type: 'keyword', foo: 1 } } } }) }));
    expect(other).toMatchObject({ status: 400, error: { type: 'mapper_parsing_exception', reason: 'unknown parameter [foo] on mapper [f] of type [keyword]' } });
  });
});
