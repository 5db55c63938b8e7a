/**
 * The shape of search.config.yaml after defaults are applied. The defaults themselves live
 * in one place: the `default` values of schema/search-config.schema.json, which ajv applies
 * and editors show.
 */

export const UPDATE_STRATEGIES = ['full', 'partial'] as const;
export type UpdateStrategy = (typeof UPDATE_STRATEGIES)[number];

export interface ConnectionOptions {
  node?: string | string[];
  cloudId?: string;
  auth?: { username?: string; password?: string; apiKey?: string | { id: string; api_key: string }; bearer?: string };
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
  /** Line of a path in the settings file (`['indexes', 'blog', 'models', 0]`), if known. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}
