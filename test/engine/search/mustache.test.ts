import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/engine/errors.js';
import { parseJson } from '../../../src/engine/json-numbers.js';
import { compileMustache, formUrlEncode, jsonEscape } from '../../../src/engine/search/script/mustache.js';

const render = (source: string, params: Record<string, unknown>, contentType?: string): string => compileMustache(source, contentType).render(params);

function compileFailure(source: string): EngineError {
  try {
    compileMustache(source);
  } catch (error) {
    return error as EngineError;
  }
  throw new Error(`expected ${source} not to compile`);
}

describe('compileMustache', () => {
  it('escapes {{var}} as Jackson quotes a JSON string and leaves {{{var}}} and {{&var}} raw', () => {
    const source = '{"query": {"match": {"title": "{{q}}"}}, "size": {{{size}}}, "from": {{&from}}}';
    const rendered = render(source, { q: 'say "hi"\\ <b>\n\u0001', size: 3, from: 2 });
    // HTML is not escaped (the encoder is JSON's), control characters are \\u00XX in upper case
    expect(rendered).toContain('"say \\"hi\\"\\\\ <b>\\n\\u0001"');
    expect(JSON.parse(rendered)).toEqual({ query: { match: { title: 'say "hi"\\ <b>\n\u0001' } }, size: 3, from: 2 });
    expect(jsonEscape('\u001f\t')).toBe('\\u001F\\t');
  });

  it('picks the encoder of the content type option', () => {
    expect(render('{{q}}', { q: 'a "b"' }, 'text/plain')).toBe('a "b"');
    expect(render('{{q}}', { q: 'a b&c' }, 'application/x-www-form-urlencoded')).toBe('a+b%26c');
    expect(() => compileMustache('{{q}}', 'text/html')).toThrow('No encoder found for media type [text/html]');
  });

  it('writes missing and null values as nothing, and other values as Java writes them', () => {
    expect(render('[{{missing}}][{{nothing}}]', { nothing: null })).toBe('[][]');
    expect(render('{{list}} {{map}} {{flag}} {{n}}', { list: ['a', 1], map: { a: 1, b: 'x' }, flag: true, n: 1.5 })).toBe('[a, 1] {a=1, b=x} true 1.5');
    // a parameter written 3.0 is a Double to Elasticsearch
    expect(render('{{d}} {{i}} {{big}}', parseJson('{"d": 3.0, "i": 3, "big": 12345678.5}') as Record<string, unknown>)).toBe('3.0 3 1.23456785E7');
  });

  it('looks dotted names up from the nearest scope holding their first part, lists by index and size', () => {
    expect(render('{{user.name}}', { user: { name: 'ada' } })).toBe('ada');
    expect(render('{{list.0}}-{{list.1}}-{{list.size}}', { list: ['x', 'y'] })).toBe('x-y-2');
    expect(render('{{#items}}{{name}}@{{site}};{{/items}}', { site: 'top', items: [{ name: 'a' }, { name: 'b', site: 'own' }] })).toBe('a@top;b@own;');
    // the first part found, the rest is looked up in it only
    expect(render('{{#inner}}[{{user.name}}]{{/inner}}', { user: { name: 'outer' }, inner: { user: {} } })).toBe('[]');
    expect(() => render('{{list.5}}', { list: ['x'] })).toThrow(EngineError);
  });

  it('repeats sections over lists, enters objects and truthy values, and inverts on null, false, "" and []', () => {
    expect(render('{{#tags}}<{{.}}>{{/tags}}', { tags: ['a', 'b'] })).toBe('<a><b>');
    expect(render('{{#user}}{{name}}{{/user}}', { user: { name: 'ada' } })).toBe('ada');
    expect(render('{{#n}}[{{.}}]{{/n}}', { n: 0 })).toBe('[0]');
    for (const empty of [null, false, '', []]) {
      expect(render('{{#x}}yes{{/x}}{{^x}}no{{/x}}', { x: empty })).toBe('no');
    }
    expect(render('{{^x}}no{{/x}}', { x: {} })).toBe('');
    expect(render('{{operator}}{{^operator}}or{{/operator}}', {})).toBe('or');
  });

  it('drops the line of a section tag that stands alone on it', () => {
    expect(render('{\n  {{#a}}\n  "x": 1\n  {{/a}}\n}', { a: true })).toBe('{\n  "x": 1\n}');
    expect(render('a {{#b}}B{{/b}} c', { b: true })).toBe('a B c');
  });

  it('changes delimiters and skips comments', () => {
    expect(render('{{! a comment }}{{=<% %>=}}<% q %> {{q}}', { q: 'v' })).toBe('v {{q}}');
  });

  it('has the toJson, join and url functions of Elasticsearch mustache', () => {
    const rendered = render('{"terms": {"tags": {{#toJson}}tags{{/toJson}} }, "q": "{{#join}}words{{/join}}", "o": {{#toJson}}obj{{/toJson}}}', {
      tags: ['a', 'b"c'],
      words: ['x', 'y'],
      obj: { k: [1, 2] },
    });
    expect(JSON.parse(rendered)).toEqual({ terms: { tags: ['a', 'b"c'] }, q: 'x,y', o: { k: [1, 2] } });
    expect(render("{{#join delimiter='||'}}words{{/join delimiter='||'}}", { words: ['x', 'y', 3] })).toBe('x||y||3');
    // join of something that is not a list gives back the name, toJson of a missing value nothing
    expect(render('{{#join}}words{{/join}}|{{#toJson}}nope{{/toJson}}|{{#toJson}}s{{/toJson}}', { words: 'abc', s: 'plain "text"' })).toBe('words||plain "text"');
    expect(render('{{#url}}https://h/{{#join}}idx{{/join}}/{{q}}{{/url}}', { idx: ['<a>', 'b'], q: 'a b&c' })).toBe('https%3A%2F%2Fh%2F%3Ca%3E%2Cb%2Fa+b%26c');
    expect(formUrlEncode('métriques *.-_~')).toBe('m%C3%A9triques+*.-_%7E');
  });

  it('fails to compile as mustache.java does, in a script_exception', () => {
    const improper = compileFailure('{"text": "{{{my_value}}"}');
    expect(improper.type).toBe('script_exception');
    expect(improper.message).toBe('Improperly closed variable in query-template:1');
    expect(improper.extra.lang).toBe('mustache');
    expect(compileFailure('{{#a}}\n{{#b}}{{/a}}').message).toBe('Mismatched start/end tags: b != a in query-template:2');
    expect(compileFailure('x\n{{#a}}').message).toBe("Failed to close 'a' tag @[query-template:2]");
    expect(compileFailure('{{#toJson}}a{{b}}{{/toJson}}').message).toBe('Mustache function [toJson] must contain one and only one identifier');
  });

  it('refuses partials with a 400 naming them', () => {
    const error = compileFailure('{{> header}}');
    expect(error.status).toBe(400);
    expect(error.message).toContain('mustache partials');
  });

  it('stops rendering at 1 MB of output', () => {
    const words = Array.from({ length: 2000 }, () => 'x'.repeat(1000));
    expect(() => render('{{#w}}{{.}}{{/w}}', { w: words })).toThrow('Mustache script result size limit exceeded');
  });
});
