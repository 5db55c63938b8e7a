// The public API of indexkit: explicit named re-exports only.

export { defineSearchModel, documentIdOf, primaryKeyOf, keyColumnOf, keyPropertyOf } from './models/search-model.js';
export type { SearchModel, Row, RelatedTable, ModelKeys } from './models/search-model.js';
export { ModelRegistry } from './models/model-registry.js';
export type { RegisteredModel } from './models/model-registry.js';
export { validateProject } from './models/validator.js';
export type { ValidationReport, ValidateOptions } from './models/validator.js';
export type { Problem } from './models/problem.js';

export { loadConfig, resolveConfigPath, ConfigValidationError, DEFAULT_CONFIG_FILE } from './config/load-config.js';
export type { LoadConfigOptions } from './config/load-config.js';
export { loadMapping, mappingHash, mappingPath } from './config/mapping-files.js';
export type { MappingFile, MappingBody } from './config/mapping-files.js';
export { indexNameProblem, isValidIndexName } from './config/index-name.js';
export type {
  LoadedConfig,
  SearchSettings,
  GeneralSettings,
  IndexSettings,
  DatabaseSettings,
  ConnectionSetting,
  ConnectionOptions,
  UpdateStrategy,
  SearchProduct,
  AwsAuth,
} from './config/settings-types.js';

export { ClientRegistry } from './client/client-registry.js';
export type { SearchSide, SearchRequestOptions, RawRequest, ServerInfo, SentRequest } from './client/search-side.js';
export { toSearchSide } from './client/adapters/elasticsearch.js';
export { probeServer } from './client/server-probe.js';
export type { ServerReport, FeatureCheck } from './client/server-probe.js';
export { clientOptionsFor } from './client/client-options.js';
export { Redactor, secretsOf } from './client/redact.js';
export { createKnex } from './db/knex-factory.js';

export { Project, openProject } from './project.js';
export { TypedEvents } from './typed-events.js';
export type { OpenProjectOptions, ProjectSearchOptions } from './project.js';
export { ProjectInvalidError } from './models/project-invalid-error.js';
export { indexkitMigrationSource, migrateLatest, migrateRollback, migrationStatus, MIGRATIONS_TABLE } from './db/migration-source.js';
export { parseDuration, parseSince, formatDuration, durationArgument, timeArgument } from './config/duration.js';

// index lifecycle
export { createIndex } from './indexes/create-index.js';
export type { CreateIndexResult } from './indexes/create-index.js';
export { updateIndex } from './indexes/update-index.js';
export type { UpdateIndexOptions, UpdateIndexResult, UpdateProgress, ModelRunResult } from './indexes/update-index.js';
export { deleteIndex } from './indexes/delete-index.js';
export type { DeleteIndexResult } from './indexes/delete-index.js';
export { pruneIndex } from './indexes/prune-index.js';
export type { PruneIndexOptions, PruneIndexResult } from './indexes/prune-index.js';
export { rebuildIndex } from './indexes/rebuild-index.js';
export type { RebuildIndexOptions, RebuildIndexResult } from './indexes/rebuild-index.js';
export { indexStatus } from './indexes/index-status.js';
export type { IndexStatus } from './indexes/index-status.js';
export { updateMapping } from './indexes/update-mapping.js';
export type { UpdateMappingResult } from './indexes/update-mapping.js';
export { classifyDrift, DRIFT_KINDS } from './indexes/mapping-drift.js';
export type { Drift, DriftKind } from './indexes/mapping-drift.js';
export { indexState } from './indexes/index-state.js';
export type { IndexState } from './indexes/index-state.js';
export { WriteTargets, resolveWriteTargets } from './indexes/write-targets.js';
export { BulkWriter, groupFailures } from './indexes/bulk-writer.js';
export type { BulkFailure, BulkOperation, BulkTarget, BulkWriterOptions, FailureGroup } from './indexes/bulk-writer.js';
export { concreteIndexName } from './indexes/index-naming.js';
export { isRetryable, backoffDelay, RETRYABLE_HTTP_STATUS, RETRYABLE_PG_CODES } from './client/retry.js';

export { IndexkitError, ConfigError, MappingError, ModelError, LifecycleError, ERROR_CODES, EXIT } from './errors.js';
export type { ErrorCode, ErrorLocation } from './errors.js';

// search
export { executeSearch, executeCount } from './search/execute-search.js';
export type { ExecuteSearchOptions, SearchBody } from './search/execute-search.js';
export { QUERY_TYPES, TOTAL_RELATIONS, userId, scoreRange } from './search/search-query.js';
export type { SearchQuery, SearchHit, SearchPage, QueryType, TotalRelation, UserLike, SearchAggregations, SearchSuggestions } from './search/search-query.js';
/** The client's own request and response types (`estypes.AggregationsStringTermsAggregate`, ...), for SearchQuery's generics. */
export type { estypes } from '@elastic/elasticsearch';
export { QueryLog } from './search/query-log.js';
export type { QueryLogOptions } from './search/query-log.js';
export { QueryLogEvents } from './search/query-log-events.js';
export type { QueryLogEventMap, QueryLogEventName } from './search/query-log-events.js';
export { toQueryLogRow, fromQueryLogRow } from './search/query-log-row.js';
export type { QueryLogRow, LoggedHit } from './search/query-log-row.js';
export { fromSearchQuery } from './search/from-search-query.js';
export type { SearchRows } from './search/from-search-query.js';
export { rerankQuery, hitRowsQuery, hitsToMatch, canonicalId, KEY_TYPES } from './search/rerank-query.js';
export type { FromSearchQueryOptions, KeyType } from './search/rerank-query.js';
export { pageWindow, pageOfWindow, lastPage, pageLinks, MAX_RESULT_WINDOW } from './search/pagination.js';
export type { PageRequest, PageWindow, PaginationOptions } from './search/pagination.js';
export { listQueries, getQuery, pruneQueries, applyQueryFilters, readQueryLog } from './search/query-audit.js';
export { queriesToCsv, formatQueryList, formatQuery, formatStats } from './search/query-report.js';
export type { QueryFilters, ListOptions } from './search/query-audit.js';
export { queryStats } from './search/query-stats.js';
export type { IndexQueryStats, StatsOptions, TermCount, TermStats, SearchFigures, ConversionFigures, FigureFilters } from './search/query-stats.js';
export { listConversions } from './search/conversions.js';
export type { Conversion, ConversionInput } from './search/conversions.js';
export { SEARCH_CONVERSIONS_TABLE } from './db/migrations/0003-search-conversions.js';
export { dashboardHandler } from './dashboard/dashboard-handler.js';
export type { DashboardHandler, DashboardOptions, DashboardProject } from './dashboard/dashboard-handler.js';
export { SEARCH_QUERIES_TABLE } from './db/migrations/0001-search-queries.js';
export { settingDefault } from './config/setting-defaults.js';
export { SearchQueryError } from './errors.js';
export type { QueryLogSettings } from './config/settings-types.js';

// sync
export {
  SearchSync,
  configureSearchSync,
  searchSync,
  updateSearchIndex,
  indexSearchDocument,
  updateSearchDocument,
  deleteSearchDocument,
  SYNC_ACTIONS,
} from './sync/search-sync.js';
export type { SyncAction, SyncActionResult, UpdateSearchIndexOptions, ModelLike, SearchSyncOptions } from './sync/search-sync.js';
export { withoutSearchUpdates, searchUpdatesSuspended } from './sync/without-search-updates.js';
export { SyncEvents, SYNC_OUTCOMES } from './sync/sync-events.js';
export type { SyncEventMap, SyncEventName, SyncOutcome, PreActionEvent, PostActionEvent } from './sync/sync-events.js';
export { DocumentCache } from './sync/document-cache.js';
export { SyncWorker, coalesce } from './sync/sync-worker.js';
export type { SyncWorkerOptions, BatchResult, RunSummary, OutboxChange } from './sync/sync-worker.js';
export { installSync, uninstallSync, capturePlan, relatedLink } from './sync/change-capture.js';
export type { InstallResult, InstalledCapture } from './sync/change-capture.js';
export { captureFunctionSql, captureTriggerSql, captureName } from './sync/capture-sql.js';
export type { TableCapture, ModelCapture, RelatedCapture, RelatedLink, SqlStatement } from './sync/capture-sql.js';
export { claimSql, reclaimSql, completeSql, failSql, requeueSql } from './sync/outbox-sql.js';
export type { OutboxEntry } from './sync/outbox-sql.js';
export { syncStatus, retryDead } from './sync/outbox-status.js';
export type { SyncStatus, DeadEntry } from './sync/outbox-status.js';
export { NotifyListener } from './sync/notify-listener.js';
export { syncSettingsOf } from './sync/sync-settings.js';
export { SYNC_OUTBOX_TABLE, SYNC_TRIGGERS_TABLE, SYNC_CHANNEL } from './db/migrations/0002-sync-outbox.js';
export { SYNC_MODES } from './config/settings-types.js';
export type { SyncMode, SyncSettings, RelatedDependency } from './config/settings-types.js';
export { SyncError } from './errors.js';
export { readJudgments, replayableRequest } from './relevance/judgments.js';
export type { Judgment, JudgedTerm, JudgmentSummary, ReadJudgmentsOptions } from './relevance/judgments.js';
export { DEFAULT_GRADING, normalizeTerm } from './relevance/judgments-sql.js';
export type { Grading } from './relevance/judgments-sql.js';
export { evaluateRelevance } from './relevance/evaluate.js';
export type { EvaluateOptions, EvaluationReport, QueryBuilder, SideReport, TermReport } from './relevance/evaluate.js';
export { relevanceGate, RelevanceRegressionError, REGRESSION_EXIT_CODE } from './relevance/rebuild-gate.js';
export type { RelevanceGateOptions } from './relevance/rebuild-gate.js';
