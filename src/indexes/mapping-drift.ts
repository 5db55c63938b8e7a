import type { MappingBody } from '../config/mapping-files.js';

export const DRIFT_KINDS = ['in-sync', 'additive', 'breaking'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface Drift {
  kind: DriftKind;
  /** One line per difference: `+ mappings.properties.subtitle (text)`, `~ mappings.properties.title.type text -> keyword`. */
  changes: string[];
}

/** Settings Elasticsearch lets you change on an open index. */
const DYNAMIC_SETTINGS = new Set(['refresh_interval', 'number_of_replicas', 'max_result_window', 'max_inner_result_window', 'max_ngram_diff', 'max_shingle_diff', 'blocks.read_only', 'auto_expand_replicas']);
/** Mapping parameters Elasticsearch lets you change on an existing field. */
const UPDATABLE_FIELD_PARAMS = new Set(['ignore_above', 'search_analyzer', 'search_quote_analyzer', 'meta', 'ignore_malformed', 'fields', 'properties', 'dynamic']);
/** Top-level mapping keys that put-mapping may change. */
const UPDATABLE_ROOT = new Set(['dynamic', '_meta', 'date_detection', 'numeric_detection', 'dynamic_templates', 'dynamic_date_formats', 'runtime']);

/**
 * How the mapping file (`next`) differs from what the index was created with (`current`):
 * in sync, additive (new fields, new multi-fields, updatable parameters, dynamic settings,
 * aliases: `search update-mapping` applies it in place), or breaking (a changed or removed
 * field, analysis, shards: only `search rebuild-index` can apply it).
 */
export function classifyDrift(current: MappingBody, next: MappingBody): Drift {
  const additive: string[] = [];
  const breaking: string[] = [];

  const currentSettings = flattenSettings(current.settings ?? {});
  const nextSettings = flattenSettings(next.settings ?? {});
  for (const key of new Set([...Object.keys(currentSettings), ...Object.keys(nextSettings)])) {
    if (same(currentSettings[key], nextSettings[key])) continue;
    const line = `~ settings.${key} ${show(currentSettings[key])} -> ${show(nextSettings[key])}`;
    (DYNAMIC_SETTINGS.has(key) ? additive : breaking).push(line);
  }

  const { properties: currentProps = {}, ...currentRoot } = current.mappings;
  const { properties: nextProps = {}, ...nextRoot } = next.mappings;
  for (const key of new Set([...Object.keys(currentRoot), ...Object.keys(nextRoot)])) {
    if (same(currentRoot[key], nextRoot[key])) continue;
    const line = `~ mappings.${key} ${show(currentRoot[key])} -> ${show(nextRoot[key])}`;
    (UPDATABLE_ROOT.has(key) ? additive : breaking).push(line);
  }
  compareFields(currentProps as Record<string, Field>, nextProps as Record<string, Field>, 'mappings.properties', additive, breaking);

  if (!same(current.aliases ?? {}, next.aliases ?? {})) additive.push(`~ aliases ${show(Object.keys(current.aliases ?? {}))} -> ${show(Object.keys(next.aliases ?? {}))}`);

  const kind: DriftKind = breaking.length > 0 ? 'breaking' : additive.length > 0 ? 'additive' : 'in-sync';
  return { kind, changes: [...breaking, ...additive] };
}

type Field = Record<string, unknown> & { type?: string; properties?: Record<string, Field>; fields?: Record<string, Field> };

function compareFields(current: Record<string, Field>, next: Record<string, Field>, path: string, additive: string[], breaking: string[]): void {
  for (const name of new Set([...Object.keys(current), ...Object.keys(next)])) {
    const here = `${path}.${name}`;
    const a = current[name];
    const b = next[name];
    if (!a) {
      additive.push(`+ ${here} (${b!.type ?? 'object'})`);
      continue;
    }
    if (!b) {
      breaking.push(`- ${here} (${a.type ?? 'object'}): removing a field needs a rebuild`);
      continue;
    }
    const typeA = a.type ?? (a.properties ? 'object' : undefined);
    const typeB = b.type ?? (b.properties ? 'object' : undefined);
    if (typeA !== typeB) {
      breaking.push(`~ ${here}.type ${show(typeA)} -> ${show(typeB)}`);
      continue;
    }
    for (const param of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (param === 'properties' || param === 'fields' || same(a[param], b[param])) continue;
      const line = `~ ${here}.${param} ${show(a[param])} -> ${show(b[param])}`;
      (UPDATABLE_FIELD_PARAMS.has(param) ? additive : breaking).push(line);
    }
    compareFields(a.properties ?? {}, b.properties ?? {}, `${here}.properties`, additive, breaking);
    compareFields(a.fields ?? {}, b.fields ?? {}, `${here}.fields`, additive, breaking);
  }
}

/** `{ index: { refresh_interval: '1s' } }`, `{ 'index.refresh_interval': '1s' }` and `{ refresh_interval: '1s' }` are the same setting. */
export function flattenSettings(settings: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flattenSettings(value as Record<string, unknown>, full));
    else out[full.replace(/^index\./, '')] = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
