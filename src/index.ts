// The public API of indexkit: explicit named re-exports only.

export { defineSearchModel, documentIdOf, primaryKeyOf } from './models/search-model.js';
export type { SearchModel, Row, RelatedTable } from './models/search-model.js';
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
} from './config/settings-types.js';

export { ClientRegistry } from './client/client-registry.js';
export { clientOptionsFor } from './client/client-options.js';
export { Redactor, secretsOf } from './client/redact.js';
export { createKnex } from './db/knex-factory.js';

export { IndexkitError, ConfigError, MappingError, ModelError, ERROR_CODES, EXIT } from './errors.js';
export type { ErrorCode, ErrorLocation } from './errors.js';
