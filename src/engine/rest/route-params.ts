/**
 * The URL parameters Elasticsearch accepts per API (from its REST API spec), for the routes whose
 * parameters the engine checks: anything else is `request [...] contains unrecognized parameter`.
 */
const WRITE = ['refresh', 'routing', 'timeout', 'wait_for_active_shards', 'include_source_on_error', 'pipeline', 'require_alias', 'require_data_stream', 'version', 'version_type'];
const READ = ['preference', 'realtime', 'refresh', 'routing', '_source', '_source_excludes', '_source_includes', 'stored_fields', 'version', 'version_type', 'force_synthetic_source'];
const MULTI = ['allow_no_indices', 'expand_wildcards', 'ignore_unavailable'];

export const ROUTE_PARAMS = {
  index: [...WRITE, 'if_primary_term', 'if_seq_no', 'op_type'],
  create: WRITE,
  get: READ,
  delete: ['if_primary_term', 'if_seq_no', 'refresh', 'routing', 'timeout', 'version', 'version_type', 'wait_for_active_shards'],
  update: ['if_primary_term', 'if_seq_no', 'include_source_on_error', 'lang', 'refresh', 'require_alias', 'retry_on_conflict', 'routing', 'timeout', 'wait_for_active_shards', '_source', '_source_excludes', '_source_includes'],
  mget: READ.filter((p) => p !== 'version' && p !== 'version_type'),
  bulk: ['include_source_on_error', 'list_executed_pipelines', 'pipeline', 'refresh', 'routing', '_source', '_source_excludes', '_source_includes', 'timeout', 'wait_for_active_shards', 'require_alias', 'require_data_stream'],
  createIndex: ['master_timeout', 'timeout', 'wait_for_active_shards'],
  deleteIndex: [...MULTI, 'master_timeout', 'timeout'],
  getIndex: [...MULTI, 'flat_settings', 'include_defaults', 'local', 'master_timeout', 'features'],
  getMapping: [...MULTI, 'local', 'master_timeout'],
  putMapping: [...MULTI, 'master_timeout', 'timeout', 'write_index_only'],
  getSettings: [...MULTI, 'flat_settings', 'include_defaults', 'local', 'master_timeout'],
  putSettings: [...MULTI, 'flat_settings', 'master_timeout', 'preserve_existing', 'reopen', 'timeout'],
  refresh: MULTI,
  flush: [...MULTI, 'force', 'wait_if_ongoing'],
  aliases: ['master_timeout', 'timeout'],
  getAlias: [...MULTI, 'local', 'master_timeout'],
} as const satisfies Record<string, readonly string[]>;

/** Parameters every API accepts. */
export const COMMON_PARAMS = new Set(['pretty', 'human', 'error_trace', 'filter_path', 'source', 'source_content_type']);
