import { describe, expect, it } from 'vitest';
import { mappingHash, parseMapping } from '../../src/config/mapping-files.js';
import { MappingError } from '../../src/errors.js';

describe('parseMapping', () => {
  it('counts leaf fields across objects and multi-fields', () => {
    const mapping = parseMapping(
      'blog',
      '/x/blog.json',
      'blog.json',
      JSON.stringify({
        mappings: {
          properties: {
            title: { type: 'text', fields: { raw: { type: 'keyword' } } },
            author: { properties: { name: { type: 'text' }, id: { type: 'long' } } },
            comments: { type: 'nested', properties: { body: { type: 'text' } } },
          },
        },
      }),
    );
    expect(mapping.fieldCount).toBe(5);
  });

  it('accepts every Elasticsearch field type, not just the ones the embedded engine implements', () => {
    const text = JSON.stringify({ mappings: { properties: { where: { type: 'geo_point' }, ip: { type: 'ip' }, v: { type: 'dense_vector' } } } });
    expect(parseMapping('blog', '/x', 'blog.json', text).fieldCount).toBe(3);
  });

  it('names the path and line of a bad type deep inside a multi-field', () => {
    const text = '{\n  "mappings": {\n    "properties": {\n      "title": {\n        "type": "text",\n        "fields": { "raw": { "type": "keywrd" } }\n      }\n    }\n  }\n}';
    const error = (() => {
      try {
        parseMapping('blog', '/x', 'blog.json', text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MappingError);
    expect((error as Error).message).toBe(
      'mappings.properties.title.fields.raw.type is "keywrd" in blog.json:6, expected an Elasticsearch field type (did you mean "keyword"?)',
    );
  });
});

describe('mappingHash', () => {
  it('does not change when the file is reformatted or its keys reordered', () => {
    const a = { mappings: { properties: { a: { type: 'text' }, b: { type: 'long' } } } };
    const b = JSON.parse('{"mappings":{"properties":{"b":{"type":"long"},"a":{"type":"text"}}}}') as unknown;
    expect(mappingHash(a)).toBe(mappingHash(b));
  });

  it('changes when a field changes', () => {
    expect(mappingHash({ mappings: { properties: { a: { type: 'text' } } } })).not.toBe(mappingHash({ mappings: { properties: { a: { type: 'keyword' } } } }));
  });
});
