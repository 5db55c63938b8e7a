/** The search layer: query DSL -> Query -> Weight -> Scorer -> collectors, behind `SearchService`. */
export { createSearchService } from './search-service.js';
export { defaultPhases } from './default-phases.js';
export type { SearchServiceOptions } from './search-service.js';
export type { SearchPhase, PhaseContext } from './phases.js';
export type { Execution, TargetState } from './executor.js';
export { MatchSet } from './match-set.js';
export type { Leaf } from './match-set.js';
export { parseQuery } from './parse-query.js';
export type { Query, QueryKind } from './query.js';
export type { Primitive, PrimitiveOp } from './primitive.js';
export { QUERY_KINDS } from './query.js';
export { bm25, bm25Boost, bm25Idf, bm25AvgFieldLength, bm25NormCache, bm25Weight, BM25_K1, BM25_B, LEGACY_BM25_FACTOR } from './bm25.js';
export { intToByte4, byte4ToInt, encodedLength } from './small-float.js';
export { minimumShouldMatch } from './minimum-should-match.js';
export { EXTENSION_KEYS } from './search-request.js';
