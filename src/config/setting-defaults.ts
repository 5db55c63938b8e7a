import { readPackageJson } from '../package-info.js';

interface SchemaNode {
  default?: unknown;
  properties?: Record<string, SchemaNode>;
}

/**
 * The default of `settings.<key>` as schema/search-config.schema.json declares it (an object
 * setting gets the defaults of its properties), for library callers that build things by hand
 * without loadConfig: the schema stays the one place defaults live.
 *
 * @example
 * settingDefault('pageSize'); // 25
 */
export function settingDefault<T = unknown>(key: string): T {
  const schema = readPackageJson('schema/search-config.schema.json') as { properties: { settings: SchemaNode } };
  const node = schema.properties.settings.properties?.[key];
  if (!node) throw new Error(`settings.${key} is not in schema/search-config.schema.json`);
  return valueOf(node) as T;
}

function valueOf(node: SchemaNode): unknown {
  if (node.properties) {
    const base = (node.default && typeof node.default === 'object' ? { ...node.default } : {}) as Record<string, unknown>;
    for (const [name, child] of Object.entries(node.properties)) {
      const value = valueOf(child);
      if (value !== undefined && !(name in base)) base[name] = value;
    }
    return base;
  }
  return node.default;
}
