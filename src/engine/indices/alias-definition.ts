import { illegalArgument } from '../errors.js';
import type { AliasMetadata } from './index-service.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ALIAS_KEYS = ['filter', 'routing', 'index_routing', 'search_routing', 'is_write_index', 'is_hidden'];

/** `{ filter, routing, index_routing, search_routing, is_write_index, is_hidden }` -> stored alias metadata. */
export function parseAliasDefinition(definition: Json): AliasMetadata {
  for (const key of Object.keys(definition)) {
    if (!ALIAS_KEYS.includes(key)) throw illegalArgument(`[alias] unknown field [${key}]`);
  }
  const out: AliasMetadata = {};
  if (definition.filter !== undefined) {
    if (!isRecord(definition.filter)) throw illegalArgument('[alias] filter must be an object');
    out.filter = definition.filter;
  }
  if (definition.routing !== undefined) {
    out.index_routing = String(definition.routing);
    out.search_routing = String(definition.routing);
  }
  if (definition.index_routing !== undefined) out.index_routing = String(definition.index_routing);
  if (definition.search_routing !== undefined) out.search_routing = String(definition.search_routing);
  if (definition.is_write_index !== undefined && definition.is_write_index !== null) out.is_write_index = String(definition.is_write_index) === 'true';
  if (definition.is_hidden !== undefined && definition.is_hidden !== null) out.is_hidden = String(definition.is_hidden) === 'true';
  return out;
}

/** The alias as GET _alias shows it. */
export function aliasToJSON(alias: AliasMetadata): Json {
  const out: Json = {};
  if (alias.filter) out.filter = alias.filter;
  if (alias.index_routing !== undefined) out.index_routing = alias.index_routing;
  if (alias.search_routing !== undefined) out.search_routing = alias.search_routing;
  if (alias.is_write_index !== undefined) out.is_write_index = alias.is_write_index;
  if (alias.is_hidden !== undefined) out.is_hidden = alias.is_hidden;
  return out;
}
