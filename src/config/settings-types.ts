/**
 * The shape of search.config.yaml after defaults are applied. The defaults themselves live
 * in one place: the `default` values of schema/search-config.schema.json, which ajv applies
 * and editors show.
 */

export const UPDATE_STRATEGIES = ['full', 'partial'] as const;
export type UpdateStrategy = (typeof UPDATE_STRATEGIES)[number];

export const SEARCH_PRODUCTS = ['elasticsearch', 'opensearch'] as const;
export type SearchProduct = (typeof SEARCH_PRODUCTS)[number];

/** Amazon OpenSearch Service (`es`) or OpenSearch Serverless (`aoss`): requests signed with SigV4. */
export interface AwsAuth {
  region: string;
  service?: 'es' | 'aoss';
}

export interface ConnectionOptions {
  node?: string | string[];
  cloudId?: string;
  /** The server's product, which picks the client: @elastic/elasticsearch (default) or @opensearch-project/opensearch. */
  product?: SearchProduct;
  auth?: { username?: string; password?: string; apiKey?: string | { id: string; api_key: string }; bearer?: string; aws?: AwsAuth };
  tls?: { ca?: string; caFingerprint?: string; rejectUnauthorized?: boolean; cert?: string; key?: string };
  requestTimeout?: number;
  maxRetries?: number;
  compression?: boolean;
}

/** A URL string (`https://...`, `embedded:<dir>`) or client options. */
export type ConnectionSetting = string | ConnectionOptions;

export interface DatabaseConnectionOptions {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  ssl?: boolean | Record<string, unknown>;
  connectionString?: string;
}

export interface DatabaseSettings {
  client: 'pg' | 'pglite';
  connection: string | DatabaseConnectionOptions;
  searchPath?: string[];
  pool?: { min?: number; max?: number };
}

export interface IndexSettings {
  models: string[];
  connection: string;
  mapping?: string;
}

export interface GeneralSettings {
  mappingsDir: string;
  chunkSize: number;
  chunkBytes: number;
  concurrency: number;
  pageSize: number;
  autoSync: boolean;
  neverAutoSync: string[];
  strictValidation: boolean;
  updateStrategy: UpdateStrategy;
  cacheExpiry: number;
  retryOnConflict: number;
  maxRetries: number;
  requestTimeout: number;
  /** The query log of executeSearch. */
  queryLog: QueryLogSettings;
  /** Document sync: modes, the outbox worker, related-table dependencies (src/sync). */
  sync: SyncSettings;
}

export const SYNC_MODES = ['live', 'near-live', 'periodic'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/**
 * `settings.sync.related[]`: a table whose changes re-index some of a model's documents. Exactly
 * one of `foreignKey`, `keyColumn`, `select` says how to find the affected model rows.
 */
export interface RelatedDependency {
  /** The model whose documents depend on `table` (any spelling neverAutoSync accepts). */
  model: string;
  /** The related table (optionally schema-qualified). */
  table: string;
  /** Columns of `table` whose change matters; a change to any other column re-indexes nothing. Default: every column. */
  columns?: string[];
  /** A column of the model's table holding the related row's `references` column (posts.author_id -> authors.id). */
  foreignKey?: string;
  /** The related table's column that `foreignKey` points at. Default `id`. */
  references?: string;
  /** A column of the related table holding the model's primary key (comments.post_id). */
  keyColumn?: string;
  /** A select returning the affected model primary keys (one column), with `?` bound to the related row's `param` column. */
  select?: string;
  /** The related table's column bound to the `?` of `select`. Default `id`. */
  param?: string;
}

/** `settings.sync`: how changes reach the search side. */
export interface SyncSettings {
  mode: SyncMode;
  /** periodic: milliseconds between batches. */
  intervalMs: number;
  /** live and near-live: milliseconds between polls when no notification comes. */
  pollIntervalMs: number;
  /** Outbox entries claimed per batch. */
  batchSize: number;
  /** Attempts before an entry is parked as dead. */
  maxAttempts: number;
  /** First retry delay of a failed entry (doubling, with jitter, up to backoffMaxMs). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** An in-flight entry whose worker has held it this long is handed to another worker. */
  leaseMs: number;
  related: RelatedDependency[];
}

/** `settings.queryLog`: how executeSearch's query log is written (src/search/query-log.ts). */
export interface QueryLogSettings {
  enabled: boolean;
  flushIntervalMs: number;
  maxBatch: number;
  maxQueue: number;
}

export interface SearchSettings {
  connections: Record<string, ConnectionSetting>;
  database: DatabaseSettings;
  indexes: Record<string, IndexSettings>;
  settings: GeneralSettings;
}

/** Settings plus where they came from, so that every later message can name the file and line. */
export interface LoadedConfig extends SearchSettings {
  /** Absolute path of the settings file. */
  file: string;
  /** The path as the user gave it, for messages. */
  displayFile: string;
  /** Folder that relative paths in the file are relative to. */
  baseDir: string;
  /** Line of a path in the settings file (`['indexes', 'blog', 'models', 0]`), if known; `key: true` for the line of the key itself. */
  lineOf(path: ReadonlyArray<string | number>, options?: { key?: boolean }): number | undefined;
}
