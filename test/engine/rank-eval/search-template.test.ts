import { describe, expect, it } from 'vitest';
import { renderSearchTemplate } from '../../../src/engine/rank-eval/search-template.js';

describe('renderSearchTemplate', () => {
  it('escapes {{var}} as a JSON string body and leaves {{{var}}} raw', () => {
    const source = '{"query": {"match": {"title": "{{q}}"}}, "size": {{{size}}}}';
    const rendered = renderSearchTemplate(source, { q: 'say "hi"\\ <b>\n', size: 3 });
    // HTML is not escaped (mustache.js would write &lt;b&gt;): the encoder is JSON's
    expect(JSON.parse(rendered)).toEqual({ query: { match: { title: 'say "hi"\\ <b>\n' } }, size: 3 });
  });

  it('renders missing parameters as nothing, sections over lists, and dotted paths', () => {
    expect(renderSearchTemplate('[{{missing}}]', {})).toBe('[]');
    expect(renderSearchTemplate('{{#tags}}<{{.}}>{{/tags}}', { tags: ['a', 'b'] })).toBe('<a><b>');
    expect(renderSearchTemplate('{{user.name}}', { user: { name: 'ada' } })).toBe('ada');
  });

  it('has the toJson, join and url lambdas of Elasticsearch mustache', () => {
    const rendered = renderSearchTemplate('{"terms": {"tags": {{#toJson}}tags{{/toJson}} }, "q": "{{#join}}words{{/join}}"}', { tags: ['a', 'b"c'], words: ['x', 'y'] });
    expect(JSON.parse(rendered)).toEqual({ terms: { tags: ['a', 'b"c'] }, q: 'x,y' });
    expect(renderSearchTemplate('{{#url}}{{q}}{{/url}}', { q: 'a b&c' })).toBe('a%20b%26c');
  });
});
