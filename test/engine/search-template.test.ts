import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from './helpers.js';

/**
 * Search templates through the real @elastic/elasticsearch client (the calls indexkit's client
 * layer makes: putScript, getScript, searchTemplate, renderSearchTemplate, msearchTemplate).
 */

const shared = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'books', { mappings: { properties: { title: { type: 'text' }, tags: { type: 'keyword' }, year: { type: 'integer' } } } }, [
    ['1', { title: 'the quick fox', tags: ['animal', 'fast'], year: 2001 }],
    ['2', { title: 'the lazy dog', tags: ['animal'], year: 1999 }],
    ['3', { title: 'quick thinking', tags: ['mind'], year: 2010 }],
  ]);
  await createIndexWithDocs(client, 'films', { mappings: { properties: { title: { type: 'text' } } } }, [['1', { title: 'quick change' }]]);
});

describe('search templates', () => {
  it('stores a template given as an object as its JSON text, with a JSON content type', async () => {
    const { client } = shared;
    await client.putScript({ id: 'by-title', script: { lang: 'mustache', source: { query: { match: { title: '{{q}}' } }, size: '{{size}}{{^size}}10{{/size}}' } as never } });
    const got = await client.getScript({ id: 'by-title' });
    expect(got.found).toBe(true);
    expect(got.script?.lang).toBe('mustache');
    expect(typeof got.script?.source).toBe('string');
    expect(JSON.parse(got.script?.source as string)).toEqual({ query: { match: { title: '{{q}}' } }, size: '{{size}}{{^size}}10{{/size}}' });
    expect(got.script?.options).toEqual({ content_type: 'application/json;charset=utf-8' });
  });

  it('refuses a stored template that does not compile, with the compile error', async () => {
    const { status, error } = await failure(shared.client.putScript({ id: 'broken', script: { lang: 'mustache', source: '{"a": "{{{x}}"}' } }));
    expect(status).toBe(400);
    expect(error.type).toBe('script_exception');
    expect(error.reason).toBe('Improperly closed variable in query-template:1');
    expect((await shared.client.getScript({ id: 'broken' }, { ignore: [404] })).found).toBe(false);
  });

  it('searches with a stored template and with an inline one, as object or string', async () => {
    const { client } = shared;
    const stored = await client.searchTemplate({ index: 'books', id: 'by-title', params: { q: 'quick', size: 1 } });
    expect((stored.hits.total as { value: number }).value).toBe(2);
    expect(stored.hits.hits).toHaveLength(1);

    // an object source is JSON text in which "{{#toJson}}tags{{/toJson}}" renders inside quotes: not JSON any more
    const quoted = await failure(client.searchTemplate({ index: 'books', source: { query: { terms: { tags: '{{#toJson}}tags{{/toJson}}' } } } as never, params: { tags: ['mind'] } }));
    expect(quoted.status).toBe(400);
    expect(quoted.error.type).toBe('x_content_parse_exception');

    const inline = await client.searchTemplate({ index: 'books,films', source: { query: { match: { title: '{{q}}' } } } as never, params: { q: 'quick' }, rest_total_hits_as_int: true });
    expect(inline.hits.total).toBe(3);

    const asString = await client.searchTemplate({
      index: 'books',
      source: '{"query": {"terms": {"tags": {{#toJson}}tags{{/toJson}} }}, "sort": [{"year": "asc"}]}',
      params: { tags: ['mind', 'fast'] },
    });
    expect(asString.hits.hits.map((h) => h._id)).toEqual(['1', '3']);
  });

  it('takes explain and profile from the template request, the URL explain winning', async () => {
    const { client } = shared;
    const explained = await client.searchTemplate({ index: 'books', id: 'by-title', params: { q: 'lazy' }, explain: true });
    expect(explained.hits.hits[0]?._explanation?.description).toMatch(/^weight\(title:lazy in \d+\)/);
    const profiled = await client.searchTemplate({ index: 'books', id: 'by-title', params: { q: 'lazy' }, profile: true });
    expect(profiled.profile?.shards.length).toBeGreaterThan(0);
    expect(profiled.hits.hits[0]?._explanation).toBeUndefined();
    const overridden = await client.searchTemplate({ index: 'books', id: 'by-title', params: { q: 'lazy' }, explain: false, querystring: { explain: 'true' } as never });
    expect(overridden.hits.hits[0]?._explanation).toBeDefined();
  });

  it('answers a missing stored template with resource_not_found_exception (404)', async () => {
    const { status, error } = await failure(shared.client.searchTemplate({ index: 'books', id: 'nope', params: {} }));
    expect(status).toBe(404);
    expect(error.type).toBe('resource_not_found_exception');
    expect(error.reason).toBe('unable to find script [nope] in cluster state');
  });

  it('renders a template without searching, by id in the path or inline', async () => {
    const { client } = shared;
    const byId = await client.renderSearchTemplate({ id: 'by-title', params: { q: 'say "hi"' } });
    expect(byId.template_output).toEqual({ query: { match: { title: 'say "hi"' } }, size: '10' });
    const inline = await client.renderSearchTemplate({
      source: '{"q": "{{#join delimiter=\' OR \'}}words{{/join delimiter=\' OR \'}}", "u": "{{#url}}{{path}}{{/url}}", "first": "{{words.0}}"}',
      params: { words: ['a', 'b'], path: 'x y/z' },
    });
    expect(inline.template_output).toEqual({ q: 'a OR b', u: 'x+y%2Fz', first: 'a' });
  });

  it('fails a rendered template that is not JSON the way Elasticsearch reads it', async () => {
    const { client } = shared;
    const cut = await failure(client.searchTemplate({ index: 'books', source: '{"query": {"match": {', params: {} }));
    expect(cut.status).toBe(500);
    expect(cut.error.type).toBe('x_content_e_o_f_exception');
    // a complete query is read, and fails, before the end of the input is reached
    const unknown = await failure(client.searchTemplate({ index: 'books', source: '{"query": {"{{t}}": {} }', params: { t: 'unknown' } }));
    expect(unknown.status).toBe(400);
    expect(unknown.error.type).toBe('parsing_exception');
    expect(unknown.error.reason).toBe('unknown query [unknown]');
  });

  it('runs a multi search of templates, each failing on its own', async () => {
    const { client } = shared;
    const result = await client.msearchTemplate({
      rest_total_hits_as_int: true,
      typed_keys: true,
      search_templates: [
        { index: 'books' },
        { id: 'by-title', params: { q: 'quick' } },
        { index: 'books,films' },
        { source: '{"query": {"match": {"title": "{{q}}"}}, "aggs": {"years": {"max": {"field": "year"}}}}', params: { q: 'quick' } },
        { index: 'books' },
        { source: '{"query": {"match": {', params: {} },
        { index: 'books' },
        { source: '{"query": {"match_all": {}}, "track_total_hits": "{{n}}"}', params: { n: 1 } },
      ],
    });
    interface Item {
      status: number;
      hits: { total: number };
      aggregations: Record<string, { value: number }>;
      error: { type: string; reason: string };
    }
    const [first, second, third, fourth] = result.responses as unknown as Item[];
    expect(first?.hits.total).toBe(2);
    expect(first?.status).toBe(200);
    expect(second?.hits.total).toBe(3);
    expect(second?.aggregations['max#years']?.value).toBe(2010);
    expect(third?.status).toBe(500);
    expect(third?.error.type).toBe('x_content_e_o_f_exception');
    expect(fourth?.status).toBe(400);
    expect(fourth?.error.reason).toBe('[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got 1');
  });

  it('fails the whole multi search when a template is missing', async () => {
    const { status, error } = await failure(shared.client.msearchTemplate({ search_templates: [{ index: 'books' }, { source: '' }] }));
    expect(status).toBe(400);
    expect(error.type).toBe('action_request_validation_exception');
    expect(error.reason).toBe('Validation Failed: 1: template is missing;');
  });

  it('deletes a stored template', async () => {
    const { client } = shared;
    await client.putScript({ id: 'gone', script: { lang: 'mustache', source: '{"query": {"match_all": {}}}' } });
    expect((await client.deleteScript({ id: 'gone' })).acknowledged).toBe(true);
    expect((await failure(client.renderSearchTemplate({ id: 'gone', params: {} }))).status).toBe(404);
  });
});
