import { HunspellService } from './analysis/hunspell/hunspell-service.js';
import type { HunspellNodeSettings } from './analysis/hunspell/hunspell-service.js';
import { createAnalysisRegistry } from './analysis/index.js';
import type { SearchService } from './contract.js';
import type { AnalysisFactory } from './indices/index-service.js';
import { createSearchService, defaultPhases } from './search/index.js';

/**
 * The analysis layer as the indices see it: one registry per index, from its flat settings;
 * `*_path` settings name files in `configDir` (the node's config directory).
 */
export function defaultAnalysisFactory(configDir?: string, nodeSettings: HunspellNodeSettings = {}): AnalysisFactory {
  // one HunspellService per node: dictionaries are loaded once and shared by every index
  let hunspell: HunspellService | undefined;
  const service = (): HunspellService => (hunspell ??= new HunspellService(configDir, nodeSettings));
  if (nodeSettings['indices.analysis.hunspell.dictionary.lazy'] !== true && nodeSettings['indices.analysis.hunspell.dictionary.lazy'] !== 'true') service();
  return (settings) => createAnalysisRegistry(settings, { configDir, hunspell: service() });
}

/** The search layer (src/engine/search). */
export function defaultSearchService(): SearchService {
  return createSearchService({ phases: defaultPhases() });
}
