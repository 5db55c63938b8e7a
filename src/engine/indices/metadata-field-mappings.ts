import type { Mapping } from '../index/mapping/mapping.js';

type Json = Record<string, unknown>;

/**
 * The metadata field mappers an Elasticsearch 8.19 index has (IndicesModule's built-in ones, then
 * the default distribution's plugins: mapper-extras' `_feature`, x-pack core's `_tier`, and
 * `_field_names` last). `_tsid` and `_ts_routing_hash` exist in time_series indices only.
 * The get field mapping API lists them like any other mapper when a pattern matches them.
 */
const METADATA_FIELDS = ['_ignored', '_id', '_routing', '_index', '_index_mode', '_source', '_ignored_source', '_nested_path', '_version', '_seq_no', '_doc_count', '_data_stream_timestamp', '_feature', '_tier', '_field_names'];
const TIME_SERIES_FIELDS = ['_tsid', '_ts_routing_hash'];

export function metadataFieldNames(mapping: Mapping): string[] {
  return mapping.modes.indexMode === 'time_series' ? [...METADATA_FIELDS, ...TIME_SERIES_FIELDS] : METADATA_FIELDS;
}

/**
 * What a metadata mapper prints (MetadataFieldMapper#toXContent): nothing unless one of its
 * parameters was configured (`_routing: {required: true}`, `_source: {mode: ...}`,
 * `_data_stream_timestamp: {enabled: true}`), then its section of the mapping.
 */
export function metadataFieldMapping(mapping: Mapping, name: string): Json {
  const section = mapping.toJSON()[name];
  return section !== undefined && section !== null && typeof section === 'object' && Object.keys(section).length > 0 ? { [name]: section } : {};
}
