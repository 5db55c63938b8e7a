import { createAnalysisRegistry } from './analysis/index.js';
import type { SearchService } from './contract.js';
import type { AnalysisFactory } from './indices/index-service.js';
import { createSearchService, defaultPhases } from './search/index.js';

/**
 * The analysis layer as the indices see it: one registry per index, from its flat settings;
 * `*_path` settings name files in `configDir` (the node's config directory).
 */
export function defaultAnalysisFactory(configDir?: string): AnalysisFactory {
  return (settings) => createAnalysisRegistry(settings, { configDir });
}

/** The search layer (src/engine/search). */
export function defaultSearchService(): SearchService {
  return createSearchService({ phases: defaultPhases() });
}
