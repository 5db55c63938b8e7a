/**
 * Text analysis for the embedded engine: Elasticsearch's analyzers, tokenizers, token filters,
 * char filters and normalizers, built per index from its settings.
 */
export { createAnalysisRegistry, IndexAnalysisRegistry } from './analysis-registry.js';
export { MAX_TOKEN_COUNT_DEFAULT, analyzeRequest } from './analyze-request.js';
export { builtInAnalyzer, BUILT_IN_ANALYZER_TYPES } from './built-in-analyzers.js';
export { ChainAnalyzer, ChainNormalizer, DEFAULT_POSITION_INCREMENT_GAP, keywordAnalyzer, whitespaceKeywordAnalyzer } from './chain-analyzer.js';
export { porterStem } from './porter-stemmer.js';
export { ENGLISH_STOP_WORDS } from './stop-filter.js';
export { StandardTokenizer } from './standard-tokenizer.js';
