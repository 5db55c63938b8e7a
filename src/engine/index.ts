/**
 * The embedded Elasticsearch-compatible engine: open a data directory, answer REST requests
 * in-process (client Connection) or over HTTP (server).
 */
export { Engine } from './engine.js';
export type { EngineOptions } from './engine.js';
export { acquireEngine, releaseEngine } from './engine-registry.js';
export {
  EmbeddedConnection,
  embeddedConnection,
  createEmbeddedClient,
  createEmbeddedClientOptions,
  EMBEDDED_DIR_ENV,
} from './connection.js';
export type { EmbeddedClientOptions } from './connection.js';
export { EmbeddedFolderError } from './connection.js';
export { folderHolder, SharedFolder, TAKEOVER_WINDOW_MS } from './shared-folder.js';
export type { FolderHolder } from './shared-folder.js';
export type { EngineRequest, EngineResponse } from './rest/rest-types.js';
export { EngineError } from './errors.js';
export { startEngineServer } from './server.js';
export type { EngineServer, EngineServerOptions } from './server.js';
