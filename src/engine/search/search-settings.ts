import type { SearchParams } from '../contract.js';
import type { ScriptPolicy } from './script/script-spec.js';
import type { DocumentLookup } from './document-lookup.js';

/**
 * The cluster and node settings a search obeys, handed from the REST layer with the search's
 * params (under `search_settings`, an object no URL parameter can forge).
 */
export interface SearchSettings {
  /** `search.allow_expensive_queries`. */
  allowExpensiveQueries: boolean;
  /** Stored scripts, `script.allowed_types`, `script.allowed_contexts`. */
  scripts: ScriptPolicy;
  /** `search.aggs.only_allowed_metric_scripts` and the allowed inline and stored scripted_metric scripts. */
  metricScripts: { onlyAllowed: boolean; inline: readonly string[]; stored: readonly string[] };
  /** `search.aggs.rewrite_to_filter_by_filter` (default true): which aggregator a profile names. */
  rewriteToFilterByFilter?: boolean;
  /** The documents of every index, for the queries that read some while rewritten (more_like_this items). */
  documents?: DocumentLookup;
}

export function searchSettingsOf(params: SearchParams): SearchSettings | undefined {
  const s = params.search_settings;
  return s !== null && typeof s === 'object' && 'scripts' in s ? (s as SearchSettings) : undefined;
}
