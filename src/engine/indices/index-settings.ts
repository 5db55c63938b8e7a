import { EngineError, illegalArgument, unsupported } from '../errors.js';
import { validateIndexSortValues } from './index-sort.js';
import { SIMILARITY_PREFIX } from '../search/similarity/similarity-settings.js';
import { parseIndexMode } from '../index/mapping/source-mode.js';
import type { MappingDefaults } from '../index/mapping/mapper-types.js';
import type { Mapping } from '../index/mapping/mapping.js';
import { calculateNumRoutingShards } from '../index/routing.js';

/** Index settings as Elasticsearch keeps them: flat `index.*` keys with string (or string list) values. */
export type FlatSettings = Record<string, string | string[]>;

type Json = Record<string, unknown>;

const DYNAMIC = new Set(['index.mapping.total_fields.ignore_dynamic_beyond_limit', 'index.refresh_interval', 'index.requests.cache.enable', 'index.number_of_replicas', 'index.max_result_window', 'index.max_rescore_window', 'index.auto_expand_replicas', 'index.hidden', 'index.max_inner_result_window', 'index.max_ngram_diff', 'index.max_shingle_diff', 'index.max_terms_count', 'index.max_regex_length', 'index.mapping.total_fields.limit', 'index.mapping.depth.limit', 'index.mapping.nested_fields.limit', 'index.mapping.field_name_length.limit', 'index.mapping.nested_objects.limit', 'index.max_docvalue_fields_search', 'index.max_script_fields', 'index.highlight.max_analyzed_offset', 'index.blocks.write', 'index.blocks.read_only', 'index.blocks.read_only_allow_delete']);
const STATIC = new Set(['index.mapping.coerce', 'index.mapping.ignore_malformed', 'index.number_of_shards', 'index.codec', 'index.number_of_routing_shards', 'index.routing_partition_size', 'index.sort.field', 'index.sort.order', 'index.sort.mode', 'index.sort.missing']);
/**
 * Families of operational settings the engine keeps but that change nothing it answers (merges,
 * translog syncing, slow logs, pipelines named for ingest...), and that Elasticsearch 8.19 declares
 * `Property.Dynamic` (IndexSettings, MergeSchedulerConfig, MergePolicyConfig, the slow logs):
 * they can be updated on an open index. The others of the families accepted at creation
 * (`index.codec`, `index.query_string.lenient`, `index.store.type`, `index.shard.check_on_startup`...)
 * are static: an open index refuses them unless the update asks to `reopen` it.
 */
const DYNAMIC_FAMILIES = /^index\.(analyze\.max_token_count|translog\.(durability|sync_interval|flush_threshold_size|flush_threshold_age|generation_threshold_size|retention\.age|retention\.size)|merge\.(scheduler|policy)\.[a-z_.]+|search\.slowlog\.[a-z_.]+|indexing\.slowlog\.[a-z_.]+|search\.idle\.after|max_[a-z_]+|gc_deletes|default_pipeline|final_pipeline|priority|query\.default_field|unassigned\.node_left\.delayed_timeout|write\.wait_for_active_shards|lifecycle\.[a-z_.]+)$/;
/** The codecs CodecService names in 8.19 (`index.codec`; Lucene's own codec names are not taken). */
const CODECS = ['default', 'best_compression', 'lucene_default', 'legacy_default', 'legacy_best_compression'];
const PREFIXES = ['index.analysis.', 'index.mapping.', 'index.routing.', 'index.blocks.'];
const APPLIED_MAPPING_SETTINGS = new Set(['index.mapping.total_fields.ignore_dynamic_beyond_limit', 'index.mapping.coerce', 'index.mapping.ignore_malformed', 'index.mapping.total_fields.limit', 'index.mapping.nested_objects.limit', 'index.mapping.ignore_above', 'index.mapping.depth.limit', 'index.mapping.nested_fields.limit', 'index.mapping.field_name_length.limit']);
const FINAL_MODE_SETTINGS = new Set(['index.mode', 'index.mapping.source.mode', 'index.routing_path']);
const PRIVATE = new Set(['index.uuid', 'index.creation_date', 'index.provided_name', 'index.version.created']);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flattenInto(out: Record<string, string | string[] | null>, prefix: string, value: unknown): void {
  if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) flattenInto(out, prefix ? `${prefix}.${key}` : key, inner);
    return;
  }
  if (value === null) out[prefix] = null;
  else if (Array.isArray(value)) out[prefix] = value.map((v) => String(v));
  else out[prefix] = String(value);
}

/** `{number_of_shards: 1}`, `{index: {...}}`, `{"index.x": "y"}` -> `{ "index.number_of_shards": "1" }`. null values mean reset. */
export function flattenSettings(input: unknown): Record<string, string | string[] | null> {
  if (input === undefined || input === null) return {};
  if (!isRecord(input)) throw illegalArgument(`settings must be an object`);
  const raw: Record<string, string | string[] | null> = {};
  flattenInto(raw, '', input);
  const out: Record<string, string | string[] | null> = {};
  for (const [key, value] of Object.entries(raw)) out[key.startsWith('index.') ? key : `index.${key}`] = value;
  return out;
}

export function validateSettingKeys(flat: Record<string, unknown>, creating: boolean): void {
  for (const key of Object.keys(flat)) {
    if (PRIVATE.has(key)) {
      if (creating) throw illegalArgument(`private index setting [${key}] can not be set explicitly`);
      throw illegalArgument(`final ${key} setting [${key}], not updateable`);
    }
    // IndexModule.SIMILARITY_SETTINGS_PREFIX: a static group setting (checked by SimilarityService)
    if (key.startsWith(SIMILARITY_PREFIX)) continue;
    // IndexSettings.MODE, INDEX_MAPPER_SOURCE_MODE_SETTING and the time_series settings: final,
    // checked together at creation (index-modes.ts)
    if (FINAL_MODE_SETTINGS.has(key) || key.startsWith('index.time_series.')) {
      if (!creating) throw illegalArgument(`final index setting [${key}], not updateable`);
      if (key === 'index.mode' && flat[key] !== null) parseIndexMode(String(flat[key]).toLowerCase());
      continue;
    }
    // index.mapping.*: only the limits and defaults the mapper applies are taken; the others
    // (dynamic_strings.auto_text, a main-branch setting behind a feature flag, ...) are refused.
    if (key.startsWith('index.mapping.') && !APPLIED_MAPPING_SETTINGS.has(key)) throw unsupported(key);
    if (DYNAMIC.has(key) || STATIC.has(key) || DYNAMIC_FAMILIES.test(key) || PREFIXES.some((p) => key.startsWith(p))) continue;
    if (key.startsWith('index.') && /^index\.(max_|translog\.|merge\.|search\.|indexing\.|query\.|unassigned\.|write\.|shard\.|lifecycle\.|default_pipeline|final_pipeline|priority|store\.|gc_deletes|load_fixed_bitset|query_string|format|auto_expand)/.test(key)) continue;
    throw illegalArgument(`unknown setting [${key}] please check that any required plugins are installed, or check the breaking changes documentation for removed settings`);
  }
}

/** Checks the values the engine interprets (shards, replicas, refresh interval, result window). */
export function validateSettingValues(flat: Record<string, unknown>): void {
  validateIndexSortValues(flat);
  const shards = flat['index.number_of_shards'];
  if (shards !== undefined && shards !== null) {
    const n = Number(shards);
    if (!Number.isInteger(n) || n < 1) throw illegalArgument(`Failed to parse value [${String(shards)}] for setting [index.number_of_shards] must be >= 1`);
    if (n > 1024) throw illegalArgument(`Failed to parse value [${n}] for setting [index.number_of_shards] must be <= 1024`);
  }
  const routingShards = flat['index.number_of_routing_shards'];
  if (routingShards !== undefined && routingShards !== null) {
    const r = Number(routingShards);
    const n = Number(shards ?? 1);
    if (!Number.isInteger(r) || r < 1) throw illegalArgument(`Failed to parse value [${String(routingShards)}] for setting [index.number_of_routing_shards] must be >= 1`);
    if (r < n || r % n !== 0) throw illegalArgument(`the number of source shards [${n}] must be a factor of [${r}]`);
  }
  const partition = flat['index.routing_partition_size'];
  if (partition !== undefined && partition !== null) intAtLeast(partition, 1, 'index.routing_partition_size');
  const replicas = flat['index.number_of_replicas'];
  if (replicas !== undefined && replicas !== null && !(Number.isInteger(Number(replicas)) && Number(replicas) >= 0)) {
    throw illegalArgument(`Failed to parse value [${String(replicas)}] for setting [index.number_of_replicas] must be >= 0`);
  }
  for (const key of ['index.max_result_window', 'index.max_rescore_window']) {
    const window = flat[key];
    if (window !== undefined && window !== null && !(Number.isInteger(Number(window)) && Number(window) >= 1)) {
      throw illegalArgument(`Failed to parse value [${String(window)}] for setting [${key}] must be >= 1`);
    }
  }
  const ignoreAbove = flat['index.mapping.ignore_above'];
  if (ignoreAbove !== undefined && ignoreAbove !== null && !(Number.isInteger(Number(ignoreAbove)) && Number(ignoreAbove) >= 0)) {
    throw illegalArgument(`Failed to parse value [${String(ignoreAbove)}] for setting [index.mapping.ignore_above] must be >= 0`);
  }
  // Setting.boolSetting: index.mapping.coerce (NumberFieldMapper), index.mapping.ignore_malformed (FieldMapper)
  for (const key of ['index.mapping.coerce', 'index.mapping.ignore_malformed', 'index.mapping.total_fields.ignore_dynamic_beyond_limit']) {
    const value = flat[key];
    if (value !== undefined && value !== null && !['true', 'false'].includes(String(value))) {
      throw illegalArgument(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
    }
  }
  const interval = flat['index.refresh_interval'];
  if (interval !== undefined && interval !== null) parseTimeValue(String(interval), 'index.refresh_interval');
  const requestCache = flat['index.requests.cache.enable'];
  // Setting.boolSetting: only `true` and `false`
  if (requestCache !== undefined && requestCache !== null && !['true', 'false'].includes(String(requestCache))) {
    throw illegalArgument(`Failed to parse value [${String(requestCache)}] as only [true] or [false] are allowed.`);
  }
  // MapperService's limits: Setting.longSetting with their minimums
  for (const [key, min] of [['index.mapping.depth.limit', 1], ['index.mapping.nested_fields.limit', 0], ['index.mapping.field_name_length.limit', 1]] as const) {
    const value = flat[key];
    if (value !== undefined && value !== null) intAtLeast(value, min, key);
  }
  for (const key of ['index.analyze.max_token_count', 'index.merge.scheduler.max_thread_count', 'index.merge.scheduler.max_merge_count']) {
    const value = flat[key];
    if (value !== undefined && value !== null) intAtLeast(value, 1, key);
  }
  const codec = flat['index.codec'];
  // EngineConfig.INDEX_CODEC_SETTING's validator
  if (codec !== undefined && codec !== null && !CODECS.includes(String(codec))) throw illegalArgument(`unknown value for [index.codec] must be one of [default, best_compression] but was: ${String(codec)}`);
  const durability = flat['index.translog.durability'];
  if (durability !== undefined && durability !== null && !['request', 'async'].includes(String(durability).toLowerCase())) {
    throw illegalArgument(`No enum constant org.elasticsearch.index.translog.Translog.Durability.${String(durability).toUpperCase()}`);
  }
}

/**
 * AutoExpandReplicas on the engine's one data node: `index.auto_expand_replicas: "min-max"` (max a
 * number or `all`) sets `index.number_of_replicas` to the node count minus one clamped to
 * [min, max], i.e. to `min`, as the allocation service writes it into the index's settings.
 * Returns the settings unchanged when it is absent or `false`.
 */
export function applyAutoExpandReplicas(settings: FlatSettings): FlatSettings {
  const value = settings['index.auto_expand_replicas'];
  if (value === undefined || value === 'false') return settings;
  const text = String(value);
  const dash = text.indexOf('-');
  if (dash <= 0) throw illegalArgument(`failed to parse [index.auto_expand_replicas] from value: [${text}] at index ${dash}`);
  const lower = text.slice(0, dash);
  const upper = text.slice(dash + 1);
  const min = /^\d+$/.test(lower) ? Number(lower) : NaN;
  const max = upper === 'all' ? Infinity : /^\d+$/.test(upper) ? Number(upper) : NaN;
  if (Number.isNaN(min) || Number.isNaN(max)) throw illegalArgument(`failed to parse [index.auto_expand_replicas] from value: [${text}] at index ${dash}`);
  if (min > max) throw illegalArgument(`[index.auto_expand_replicas] minReplicas must be =< maxReplicas but wasn't ${min} > ${max}`);
  const dataNodes = 1;
  return { ...settings, 'index.number_of_replicas': String(Math.min(max, Math.max(min, dataNodes - 1))) };
}

/** Setting.parseInt: an int of at least `min`, as Elasticsearch words the failure. */
function intAtLeast(value: unknown, min: number, key: string): number {
  const text = String(value);
  const n = Number(text);
  if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw illegalArgument(`Failed to parse value [${text}] for setting [${key}]`);
  if (n < min) throw illegalArgument(`Failed to parse value [${text}] for setting [${key}] must be >= ${min}`);
  return n;
}

/**
 * MergeSchedulerConfig.setMaxThreadAndMergeCount, as Elasticsearch 8.19 checks an index's merge
 * scheduler settings (at creation and on update): max_thread_count must not exceed max_merge_count.
 * The defaults are max(1, min(4, processors / 2)) threads and 5 more merges than threads.
 */
export function validateMergeScheduler(settings: Record<string, unknown>, processors: number): void {
  const threads = settings['index.merge.scheduler.max_thread_count'];
  const merges = settings['index.merge.scheduler.max_merge_count'];
  if ((threads === undefined || threads === null) && (merges === undefined || merges === null)) return;
  const maxThreads = threads === undefined || threads === null ? Math.max(1, Math.min(4, Math.floor(processors / 2))) : Number(threads);
  const maxMerges = merges === undefined || merges === null ? maxThreads + 5 : Number(merges);
  if (maxThreads > maxMerges) throw illegalArgument(`maxThreadCount (= ${maxThreads}) should be <= maxMergeCount (= ${maxMerges})`);
}

/**
 * Elasticsearch 8's defaults of the index settings the engine applies, as `include_defaults` lists
 * them (string values, as IndexScopedSettings renders them) for the keys an index does not set.
 */
export const INDEX_SETTING_DEFAULTS: Readonly<FlatSettings> = {
  'index.analyze.max_token_count': '10000',
  'index.auto_expand_replicas': 'false',
  'index.blocks.read_only': 'false',
  'index.blocks.read_only_allow_delete': 'false',
  'index.blocks.write': 'false',
  'index.hidden': 'false',
  'index.highlight.max_analyzed_offset': '1000000',
  'index.mapping.depth.limit': '20',
  'index.mapping.field_name_length.limit': '9223372036854775807',
  'index.mapping.nested_fields.limit': '50',
  'index.mapping.nested_objects.limit': '10000',
  'index.mapping.total_fields.limit': '1000',
  'index.max_docvalue_fields_search': '100',
  'index.max_inner_result_window': '100',
  'index.max_ngram_diff': '1',
  'index.max_regex_length': '1000',
  'index.max_result_window': '10000',
  'index.max_script_fields': '32',
  'index.max_shingle_diff': '3',
  'index.max_terms_count': '65536',
  'index.refresh_interval': '1s',
};

export function isDynamicSetting(key: string): boolean {
  return DYNAMIC.has(key) || DYNAMIC_FAMILIES.test(key);
}

const UNITS: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Elasticsearch time values: `1s`, `500ms`, `2m`, `-1` (returns -1). */
export function parseTimeValue(value: string, setting: string): number {
  const text = value.trim();
  if (text === '-1') return -1;
  if (text === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(nanos|micros|ms|s|m|h|d)$/.exec(text);
  if (!m) {
    throw new EngineError(400, 'illegal_argument_exception', `failed to parse setting [${setting}] with value [${value}] as a time value: unit is missing or unrecognized`);
  }
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** Nested form, as GET /<index>/_settings shows it. */
export function unflattenSettings(flat: FlatSettings): Json {
  const out: Json = {};
  for (const key of Object.keys(flat).sort()) {
    const parts = key.split('.');
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      if (!isRecord(node[part])) node[part] = {};
      node = node[part] as Json;
    }
    node[parts[parts.length - 1]!] = flat[key];
  }
  return out;
}

/** The analysis part of the settings, nested (`{ analyzer: {...}, filter: {...} }`), for the analysis layer. */
export function analysisSettings(flat: FlatSettings): Json {
  const index = unflattenSettings(flat).index;
  return isRecord(index) && isRecord(index.analysis) ? index.analysis : {};
}

/**
 * IndexMetadata.Builder.build: a routing partition must be smaller than the routing shards
 * (`number_of_routing_shards`, or the default MetadataCreateIndexService computes).
 */
export function checkRoutingPartition(index: string, settings: FlatSettings): void {
  const partition = Number(settings['index.routing_partition_size'] ?? 1);
  if (partition === 1) return;
  const routingShards = settings['index.number_of_routing_shards'];
  const numRoutingShards = routingShards !== undefined ? Number(routingShards) : calculateNumRoutingShards(Number(settings['index.number_of_shards'] ?? 1));
  if (partition >= numRoutingShards) {
    throw illegalArgument(`routing partition size [${partition}] should be a positive number less than the number of routing shards [${numRoutingShards}] for [${index}]`);
  }
}

/**
 * DocumentMapper.validate on a partitioned index: its mapping (once it has one) must require
 * routing; a join field is refused (ParentJoinFieldMapper's check, not built here).
 */
export function checkPartitionedMapping(index: string, settings: FlatSettings, mapping: Mapping): void {
  if (Number(settings['index.routing_partition_size'] ?? 1) === 1 || mapping.isUnset) return;
  if (!mapping.routingRequired) throw illegalArgument(`mapping type [_doc] must have routing required for partitioned index [${index}]`);
  if (mapping.lookup().fieldPaths().some((path) => mapping.lookup().field(path)?.type === 'join')) throw unsupported(`a [join] field in the partitioned index [${index}]`);
}

/** The mapping defaults of the settings: `index.mapping.ignore_above`, `.coerce`, `.ignore_malformed`, when set. */
export function mappingDefaults(settings: FlatSettings): MappingDefaults {
  const out: MappingDefaults = {};
  const ignoreAbove = settings['index.mapping.ignore_above'];
  if (ignoreAbove !== undefined && ignoreAbove !== null) out.ignoreAbove = Number(ignoreAbove);
  const coerce = settings['index.mapping.coerce'];
  if (coerce !== undefined && coerce !== null) out.coerce = String(coerce) === 'true';
  const ignoreMalformed = settings['index.mapping.ignore_malformed'];
  if (ignoreMalformed !== undefined && ignoreMalformed !== null) out.ignoreMalformed = String(ignoreMalformed) === 'true';
  return out;
}
