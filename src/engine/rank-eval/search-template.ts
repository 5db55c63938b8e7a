import Mustache from 'mustache';
import type { Json } from './object-parser.js';

/**
 * Renders a search template's mustache source with parameters, as Elasticsearch's lang-mustache
 * does for JSON: `{{var}}` is escaped as a JSON string body (JsonEscapeEncoder), `{{{var}}}` is
 * raw, and the `toJson`, `join` and `url` lambdas are available (`{{#toJson}}param{{/toJson}}`).
 * `join` with a custom `delimiter` is not supported (it renders nothing, as an unknown tag).
 */

const jsonEscape = (value: unknown): string => JSON.stringify(String(value)).slice(1, -1);

function lookup(params: Json, path: string): unknown {
  let value: unknown = params;
  for (const part of path.trim().split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function renderSearchTemplate(source: string, params: Json): string {
  const view = {
    ...params,
    toJson: () => (text: string) => JSON.stringify(lookup(params, text) ?? null),
    join: () => (text: string) => {
      const value = lookup(params, text);
      return Array.isArray(value) ? value.map(String).join(',') : value === undefined ? '' : String(value);
    },
    url: () => (text: string, render: (t: string) => string) => encodeURIComponent(render(text)),
  };
  // a Writer per render: Mustache's shared cache would keep every user-supplied template forever
  return new Mustache.Writer().render(source, view, undefined, { escape: jsonEscape });
}
