import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, illegalArgument } from './errors.js';
import { writeFileAtomic } from './index/store/record-file.js';
import { wildcardMatch } from './indices/index-names.js';
import { parseTimeValue } from './indices/index-settings.js';
import { DEFAULT_ROLLOVER, parseRolloverSetting } from './indices/rollover-configuration.js';

/**
 * `_cluster/settings` (ClusterSettings, ClusterUpdateSettingsRequest): persistent and transient
 * dynamic settings, transient winning, persistent ones kept in `cluster-settings.json` of the data
 * directory. Only settings the engine honours are accepted; any other is refused as Elasticsearch
 * refuses an unknown one, and a value the engine cannot honour is refused with a 400 naming it.
 *
 * - `action.destructive_requires_name` (default true): false lets DELETE /<index> expand wildcards.
 * - `search.max_buckets` (default 65,536): the too_many_buckets_exception limit.
 * - `search.default_allow_partial_results` (default true): the default of allow_partial_search_results.
 * - `search.aggs.rewrite_to_filter_by_filter`: changes no result; a profile names the aggregator it selects.
 * - `search.allow_expensive_queries` (default true): false refuses script, fuzzy, regexp, prefix,
 *   wildcard, range on text/keyword, joining (nested) and script_score queries as ES does.
 * - `search.aggs.only_allowed_metric_scripts` (default false), `search.aggs.allowed_inline_metric_scripts`
 *   and `search.aggs.allowed_stored_metric_scripts` (lists): the scripts a scripted_metric may run.
 * - `script.allowed_types` and `script.allowed_contexts` are node settings in Elasticsearch
 *   (elasticsearch.yml, `Engine.open(dir, { nodeSettings })` here), refused here as not dynamic.
 * - `indices.breaker.*`: only reset to null (the engine has no circuit breakers).
 * - `data_streams.lifecycle.retention.default` / `.max` (DataStreamGlobalRetentionSettings, -1:
 *   none), `data_streams.lifecycle.poll_interval` (default 5m, at least 1s) and
 *   `cluster.lifecycle.default.rollover`: the data stream lifecycle's (DataStreamLifecycleService).
 */

type Json = Record<string, unknown>;
export type SettingScope = 'persistent' | 'transient';

/** A setting's value as ES stores it: a string, or a list of strings for list settings. */
export type SettingValue = string | string[];

interface SettingDef {
  default: SettingValue;
  /** The value as ES stores it, or a thrown 400. */
  parse(value: unknown, key: string): SettingValue;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const bool: SettingDef['parse'] = (value) => {
  const s = stringOf(value);
  if (s !== 'true' && s !== 'false') throw illegalArgument(`Failed to parse value [${s}] as only [true] or [false] are allowed.`);
  return s;
};

/** Setting.stringListSetting: a JSON array of strings (a single string is a one-element list). */
const stringList: SettingDef['parse'] = (value, key) => {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.some((v) => v !== null && typeof v === 'object')) throw illegalArgument(`Failed to parse value [${stringOf(value)}] for setting [${key}]`);
  return value.map((v) => String(v));
};

/** Node settings Elasticsearch reads from elasticsearch.yml only. */
const NODE_ONLY = new Set(['script.allowed_types', 'script.allowed_contexts', 'script.max_size_in_bytes']);

/** Setting.timeSetting with a minimum (`-1` allowed when the minimum allows it). */
function timeSetting(min: { ms: number; text: string } | undefined): SettingDef['parse'] {
  return (value, key) => {
    const s = stringOf(value);
    const ms = parseTimeValue(s, key);
    if (min !== undefined && ms < min.ms) throw illegalArgument(`failed to parse value [${s}] for setting [${key}], must be >= [${min.text}]`);
    return s;
  };
}

/** DataStreamGlobalRetentionSettings.validateIsolatedRetentionValue: -1 (none) or at least 10s. */
const retentionSetting: SettingDef['parse'] = (value, key) => {
  const s = stringOf(value);
  const ms = parseTimeValue(s, key);
  if (ms !== -1 && ms < 10_000) throw illegalArgument(`Setting '${key}' should be greater than 10s`);
  return s;
};

const SETTINGS: Record<string, SettingDef> = {
  'data_streams.lifecycle.retention.default': { default: '-1', parse: retentionSetting },
  'data_streams.lifecycle.retention.max': { default: '-1', parse: retentionSetting },
  'data_streams.lifecycle.poll_interval': { default: '5m', parse: timeSetting({ ms: 1000, text: '1s' }) },
  'cluster.lifecycle.default.rollover': {
    default: DEFAULT_ROLLOVER,
    parse(value, key) {
      const s = stringOf(value);
      parseRolloverSetting(s, key);
      return s;
    },
  },
  'action.destructive_requires_name': { default: 'true', parse: bool },
  'search.default_allow_partial_results': { default: 'true', parse: bool },
  'search.aggs.rewrite_to_filter_by_filter': { default: 'true', parse: bool },
  'search.allow_expensive_queries': { default: 'true', parse: bool },
  'search.aggs.only_allowed_metric_scripts': { default: 'false', parse: bool },
  'search.aggs.allowed_inline_metric_scripts': { default: [], parse: stringList },
  'search.aggs.allowed_stored_metric_scripts': { default: [], parse: stringList },
  'search.max_buckets': {
    default: '65536',
    parse(value, key) {
      const s = stringOf(value);
      if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw illegalArgument(`Failed to parse value [${s}] for setting [${key}]`);
      if (Number(s) < 0) throw illegalArgument(`Failed to parse value [${s}] for setting [${key}] must be >= 0`);
      return String(Number(s));
    },
  },
};

const BREAKERS = /^indices\.breaker\./;

/** `{a: {b: 1}}` -> `{'a.b': 1}` (Settings.Builder.loadFromMap), nulls and lists kept. */
function flatten(obj: Json, prefix = '', out: Json = {}): Json {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Json, key, out);
    else out[key] = v;
  }
  return out;
}

/** Flat keys as nested objects (Settings.toXContent without flat_settings). */
export function nestSettings(flat: Record<string, SettingValue>): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(flat).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Json;
    node[parts.at(-1)!] = value;
  }
  return out;
}

export class ClusterSettings {
  private readonly stored: Record<SettingScope, Record<string, SettingValue>> = { persistent: {}, transient: {} };
  private readonly file: string;
  private readonly listeners: Array<(keys: string[]) => void> = [];

  constructor(root: string) {
    this.file = join(root, 'cluster-settings.json');
    if (existsSync(this.file)) this.stored.persistent = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, SettingValue>;
  }

  /** The effective value: transient, else persistent, else the default. */
  get(key: string): string {
    const v = this.value(key);
    return Array.isArray(v) ? v.join(',') : v;
  }

  /** The effective value of a list setting. */
  list(key: string): string[] {
    const v = this.value(key);
    return Array.isArray(v) ? v : v === '' ? [] : [v];
  }

  private value(key: string): SettingValue {
    return this.stored.transient[key] ?? this.stored.persistent[key] ?? SETTINGS[key]?.default ?? '';
  }

  /** Calls `listener` with the keys of every accepted update (ClusterSettings.addSettingsUpdateConsumer). */
  onUpdate(listener: (keys: string[]) => void): void {
    this.listeners.push(listener);
  }

  bool(key: string): boolean {
    return this.get(key) === 'true';
  }

  int(key: string): number {
    return Number(this.get(key));
  }

  view(scope: SettingScope): Record<string, SettingValue> {
    return { ...this.stored[scope] };
  }

  /** Applies a PUT body; returns what each scope changed (the response's `persistent`/`transient`). */
  update(body: Json): Record<SettingScope, Record<string, SettingValue>> {
    for (const k of Object.keys(body)) {
      if (k !== 'persistent' && k !== 'transient') throw new EngineError(400, 'x_content_parse_exception', `[1:2] [cluster_update_settings_request] unknown field [${k}]`);
    }
    const updates: Record<SettingScope, Json> = { persistent: {}, transient: {} };
    for (const scope of ['persistent', 'transient'] as const) {
      const raw = body[scope];
      if (raw === undefined || raw === null) continue;
      if (typeof raw !== 'object' || Array.isArray(raw)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [cluster_update_settings_request] failed to parse field [${scope}]`);
      updates[scope] = flatten(raw as Json);
    }
    if (Object.keys(updates.persistent).length === 0 && Object.keys(updates.transient).length === 0) {
      throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no settings to update;');
    }
    // validate everything before changing anything
    const next: Record<SettingScope, Record<string, SettingValue>> = { persistent: { ...this.stored.persistent }, transient: { ...this.stored.transient } };
    const changed: Record<SettingScope, Record<string, SettingValue>> = { persistent: {}, transient: {} };
    for (const scope of ['persistent', 'transient'] as const) {
      for (const [key, value] of Object.entries(updates[scope])) {
        if (value === null) {
          // a null resets; wildcards reset every matching setting (ClusterUpdateSettings: `*`)
          for (const k of Object.keys(next[scope])) if (k === key || (key.includes('*') && wildcardMatch(key, k))) delete next[scope][k];
          if (NODE_ONLY.has(key)) throw illegalArgument(`${scope} setting [${key}], not dynamically updateable`);
          if (!key.includes('*') && !(key in SETTINGS) && !BREAKERS.test(key)) throw illegalArgument(`${scope} setting [${key}], not recognized`);
          continue;
        }
        if (NODE_ONLY.has(key)) throw illegalArgument(`${scope} setting [${key}], not dynamically updateable`);
        if (BREAKERS.test(key)) throw illegalArgument(`[${key}] is not supported by the indexkit embedded engine (it has no circuit breakers)`);
        const def = SETTINGS[key];
        if (!def) throw illegalArgument(`${scope} setting [${key}], not recognized`);
        const parsed = def.parse(value, key);
        next[scope][key] = parsed;
        changed[scope][key] = parsed;
      }
    }
    crossValidate(next);
    if (JSON.stringify(next.persistent) !== JSON.stringify(this.stored.persistent)) writeFileAtomic(this.file, JSON.stringify(next.persistent));
    this.stored.persistent = next.persistent;
    this.stored.transient = next.transient;
    const keys = [...Object.keys(updates.persistent), ...Object.keys(updates.transient)];
    for (const listener of this.listeners) listener(keys);
    return changed;
  }
}

/**
 * Validators that read two settings (DataStreamGlobalRetentionSettings.validateGlobalRetentionConfiguration):
 * the default retention may not exceed the max, transient values over persistent ones.
 */
function crossValidate(next: Record<SettingScope, Record<string, SettingValue>>): void {
  const read = (key: string): string => String(next.transient[key] ?? next.persistent[key] ?? '-1');
  const def = read('data_streams.lifecycle.retention.default');
  const max = read('data_streams.lifecycle.retention.max');
  const defMs = parseTimeValue(def, 'data_streams.lifecycle.retention.default');
  const maxMs = parseTimeValue(max, 'data_streams.lifecycle.retention.max');
  if (defMs !== -1 && maxMs !== -1 && defMs > maxMs) {
    throw illegalArgument(`Setting [data_streams.lifecycle.retention.default=${def}] cannot be greater than [data_streams.lifecycle.retention.max=${max}].`);
  }
}
