/**
 * Every field type Elasticsearch 8/9 knows (Mapping > Field data types in its reference).
 * A mapping file may use any of them against a real cluster; the embedded engine answers
 * the ones it implements and refuses the rest with a clear error at create time.
 */
export const ELASTICSEARCH_FIELD_TYPES = [
  'aggregate_metric_double', 'alias', 'annotated_text', 'binary', 'boolean', 'byte', 'completion',
  'constant_keyword', 'counted_keyword', 'date', 'date_nanos', 'date_range', 'dense_vector', 'double',
  'double_range', 'flattened', 'float', 'float_range', 'geo_point', 'geo_shape', 'half_float',
  'histogram', 'integer', 'integer_range', 'ip', 'ip_range', 'join', 'keyword', 'long', 'long_range',
  'match_only_text', 'murmur3', 'nested', 'object', 'passthrough', 'percolator', 'point',
  'rank_feature', 'rank_features', 'scaled_float', 'search_as_you_type', 'semantic_text', 'shape',
  'short', 'sparse_vector', 'text', 'token_count', 'unsigned_long', 'version', 'wildcard',
] as const;
export type ElasticsearchFieldType = (typeof ELASTICSEARCH_FIELD_TYPES)[number];

const KNOWN = new Set<string>(ELASTICSEARCH_FIELD_TYPES);
export const isElasticsearchFieldType = (type: string): type is ElasticsearchFieldType => KNOWN.has(type);

/** Types whose fields hold sub-fields under `properties`. */
export const OBJECT_TYPES: ReadonlySet<string> = new Set(['object', 'nested', 'passthrough']);
