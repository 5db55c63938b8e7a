import { rewriteDistanceFeature } from './distance-feature.js';
import { rewriteGeoBoundingBox, rewriteGeoDistance, rewriteGeoGrid, rewriteGeoPolygon } from './geo/rewrite-geo-queries.js';
import { rewriteGeoShape } from './geo/geo-shape-query.js';
import { rewriteRankFeature } from './rank-feature-query.js';
import { rewriteTermsSet } from './terms-set-query.js';
import { EngineError, unsupported } from '../errors.js';
import { minimumShouldMatch } from './minimum-should-match.js';
import { NONE, booleanQuery, named } from './primitive.js';
import { MAX_CLAUSE_COUNT, tooManyClauses } from './clause-limit.js';
import type { Primitive, PrimitiveFunction } from './primitive.js';
import type { Query, QueryKind, QueryOf } from './query.js';
import { queryStringToQuery } from './query-string.js';
import { scanDocs } from './rewrite-context.js';
import type { RewriteContext } from './rewrite-context.js';
import {
  rewriteExists,
  rewriteFuzzy,
  rewriteIds,
  rewritePrefix,
  rewriteRange,
  rewriteRegexp,
  rewriteTerm,
  rewriteTerms,
  rewriteWildcard,
} from './rewrite-terms.js';
import { rewriteCombinedFields } from './combined-fields.js';
import { rewriteIntervals } from './intervals/rewrite-intervals.js';
import { rewriteMoreLikeThis } from './more-like-this/rewrite-more-like-this.js';
import { rewritePercolate } from './percolator/rewrite-percolate.js';
import { rewriteSpan } from './spans/rewrite-spans.js';
import { rewriteHasChild, rewriteHasParent, rewriteParentId } from './join/join-queries.js';
import { rewriteMatch, rewriteMultiMatch } from './rewrite-text.js';
import { compileScript } from './script/script-spec.js';
import { simpleQueryStringToQuery } from './simple-query-string.js';
import { rewriteKnn } from './vectors/knn-query.js';
import { rewriteRankDocs } from './compound-retriever.js';

/**
 * Query -> Primitive for one index: fields resolved, text analysed, values converted.
 * Every query kind has its rewriter here; `_name` is applied uniformly.
 */
export function rewrite(q: Query, ctx: RewriteContext): Primitive {
  const r = REWRITERS[q.kind] as Rewriter<typeof q.kind>;
  const field = (q as { field?: unknown }).field;
  if (typeof field === 'string' && ctx.field(field)?.runtime) return named(runtimeFieldQuery(q, ctx, () => r(q as never, ctx)), q.name);
  return named(r(q as never, ctx), q.name);
}

/**
 * A query on a runtime field (AbstractScriptFieldQuery): every document's values tested, the match
 * scoring the query's boost (`runtime_field_score is always 1`); refused without expensive queries.
 */
function runtimeFieldQuery(q: Query, ctx: RewriteContext, inner: () => Primitive): Primitive {
  if (!ctx.allowExpensiveQueries) throw new EngineError(500, 'exception', "queries cannot be executed against runtime fields while [search.allow_expensive_queries] is set to [false].");
  const p = ctx.asFilter(inner);
  if (p.op === 'none') return p;
  const value = (q as { value?: unknown }).value;
  const description = q.kind === 'term' ? `${String((q as { field: string }).field)}:${String(value)}` : `${String((q as { field: string }).field)}:${q.kind}`;
  return { op: 'const', inner: p, boost: (q as { boost?: number }).boost ?? 1, runtime: description };
}

type Rewriter<K extends QueryKind> = (q: QueryOf<K>, ctx: RewriteContext) => Primitive;

const all = (list: Query[], ctx: RewriteContext): Primitive[] => list.map((c) => rewrite(c, ctx));

const REWRITERS: { [K in QueryKind]: Rewriter<K> } = {
  match_all: (q) => ({ op: 'all', boost: q.boost }),
  match_none: () => NONE,
  match: rewriteMatch,
  multi_match: rewriteMultiMatch,
  term: rewriteTerm,
  terms: rewriteTerms,
  range: rewriteRange,
  exists: rewriteExists,
  distance_feature: rewriteDistanceFeature,
  geo_distance: rewriteGeoDistance,
  geo_bounding_box: rewriteGeoBoundingBox,
  geo_polygon: rewriteGeoPolygon,
  geo_shape: rewriteGeoShape,
  geo_grid: rewriteGeoGrid,
  rank_feature: rewriteRankFeature,
  terms_set: rewriteTermsSet,
  knn: (q, ctx) => rewriteKnn(q, ctx, rewrite),
  rank_docs: rewriteRankDocs,
  ids: rewriteIds,
  prefix: rewritePrefix,
  wildcard: rewriteWildcard,
  regexp: rewriteRegexp,
  fuzzy: rewriteFuzzy,
  bool: (q, ctx) => {
    // ES BoolQueryBuilder: a bool without clauses is match_all
    const direct = q.must.length + q.should.length + q.filter.length + q.mustNot.length;
    if (direct === 0) return { op: 'all', boost: q.boost };
    // Lucene's BooleanQuery.Builder.add refuses the clause past maxClauseCount while the query is
    // built, before any clause is rewritten (a 100,000-clause bool costs nothing to refuse)
    if (direct > MAX_CLAUSE_COUNT) throw tooManyClauses(false);
    const should = all(q.should, ctx);
    // ES 8 BoolQueryBuilder, in any context: should clauses are optional beside must or filter and
    // one must match otherwise (Lucene's rule); a bool of only must_not clauses gets a match_all
    // filter and loses its minimum_should_match (Queries.fixNegativeQueryIfNeeded)
    const pureNegative = q.must.length + q.should.length + q.filter.length === 0;
    const msm = q.minimumShouldMatch !== undefined && !pureNegative ? minimumShouldMatch(should.length, q.minimumShouldMatch) : 0;
    const must = all(q.must, ctx);
    const filter = ctx.asFilter(() => all(q.filter, ctx));
    const mustNot = ctx.asFilter(() => all(q.mustNot, ctx));
    return booleanQuery({ op: 'bool', must, should, filter, mustNot, msm, boost: q.boost });
  },
  constant_score: (q, ctx) => ({ op: 'const', inner: ctx.asFilter(() => rewrite(q.filter, ctx)), boost: q.boost }),
  dis_max: (q, ctx) => ({ op: 'dismax', subs: all(q.queries, ctx), tieBreaker: q.tieBreaker, boost: q.boost }),
  boosting: (q, ctx) => ({
    op: 'boosting',
    positive: rewrite(q.positive, ctx),
    negative: rewrite(q.negative, ctx),
    negativeBoost: q.negativeBoost,
    boost: q.boost,
  }),
  function_score: (q, ctx) => ({
    op: 'function_score',
    inner: rewrite(q.query, ctx),
    functions: q.functions.map((fn): PrimitiveFunction => {
      const fnFilter = fn.filter;
      const filter = fnFilter ? { filter: ctx.asFilter(() => rewrite(fnFilter, ctx)) } : {};
      switch (fn.type) {
        case 'weight':
          return { type: 'weight', weight: fn.weight, ...filter };
        case 'field_value_factor': {
          // its doc values are epoch millis rounded down, not the nanos ES reads: refused
          if (ctx.field(fn.field)?.type === 'date_nanos') throw unsupported(`field_value_factor on the date_nanos field [${fn.field}]`);
          const { filter: _f, ...rest } = fn;
          return { ...rest, ...filter };
        }
        case 'random_score':
          return { type: 'random_score', seed: fn.seed, ...(fn.weight !== undefined ? { weight: fn.weight } : {}), ...filter };
        case 'script_score':
          return { type: 'script_score', script: compileScript(fn.script, (path) => ctx.field(path), true, 'score', ctx.scripts), ...(fn.weight !== undefined ? { weight: fn.weight } : {}), ...filter };
      }
    }),
    scoreMode: q.scoreMode,
    boostMode: q.boostMode,
    maxBoost: q.maxBoost,
    ...(q.minScore !== undefined ? { minScore: q.minScore } : {}),
    boost: q.boost,
  }),
  nested: (q, ctx) => {
    ctx.checkExpensive('joining');
    if (!ctx.view.mapping.nestedPaths().includes(q.path)) {
      if (q.ignoreUnmapped) return NONE;
      return ctx.fail(`[nested] failed to find nested object under path [${q.path}]`);
    }
    const outer = ctx.nestedPath;
    // inside another nested query the parents are that query's nested objects (ESToParentBlockJoinQuery
    // with the outer path's filter); a path outside it has no parents there: refused, not answered
    if (outer !== undefined && !q.path.startsWith(`${outer}.`)) throw unsupported(`nested query [${q.path}] inside nested query [${outer}]: [${q.path}] is not nested under [${outer}]`);
    // as ES: the inner query only sees the children of this path
    // (Lucene: the `_nested_path` TermQuery, a FILTER clause of the block join's child query)
    const children: Primitive = {
      op: 'docs',
      boost: 0,
      label: `nested:${q.path}`,
      match: (seg) => scanDocs(seg, (d) => seg.nestedPath(d) === q.path),
      profile: { type: 'TermQuery', description: `_nested_path:${q.path}` },
    };
    ctx.nestedPath = q.path;
    let innerQuery: Primitive;
    try {
      innerQuery = rewrite(q.query, ctx);
    } finally {
      ctx.nestedPath = outer;
    }
    const inner: Primitive = { op: 'bool', must: [innerQuery], should: [], filter: [children], mustNot: [], msm: 0, boost: 1 };
    return {
      op: 'nested',
      path: q.path,
      inner,
      ...(mightMatchNonNestedDocs(ctx, innerQuery, q.path) ? {} : { unfilteredChild: true as const }),
      scoreMode: q.scoreMode,
      boost: q.boost,
      ...(outer !== undefined ? { parentPath: outer } : {}),
      ...(q.innerHits ? { innerHits: { ...q.innerHits, name: q.innerHits.name ?? q.path } } : {}),
    };
  },
  query_string: (q, ctx) => rewrite(queryStringToQuery(q, ctx), ctx),
  simple_query_string: (q, ctx) => rewrite(simpleQueryStringToQuery(q, ctx), ctx),
  intervals: rewriteIntervals,
  span: (q, ctx) => rewriteSpan(q, ctx, rewrite),
  has_child: (q, ctx) => rewriteHasChild(q, ctx, rewrite),
  has_parent: (q, ctx) => rewriteHasParent(q, ctx, rewrite),
  parent_id: (q, ctx) => rewriteParentId(q, ctx, rewrite),
  combined_fields: rewriteCombinedFields,
  more_like_this: rewriteMoreLikeThis,
  percolate: rewritePercolate,
  script_score: (q, ctx) => (ctx.checkExpensive('script score'), {
    op: 'script_score',
    inner: rewrite(q.query, ctx),
    script: compileScript(q.script, (path) => ctx.field(path), true, 'score', ctx.scripts),
    ...(q.minScore !== undefined ? { minScore: q.minScore } : {}),
    boost: q.boost,
  }),
  script: (q, ctx) => {
    ctx.checkExpensive('script');
    // the script filter walks top-level docs only
    if (ctx.nestedPath !== undefined) throw unsupported(`script query inside nested query [${ctx.nestedPath}]`);
    return { op: 'script_filter', script: compileScript(q.script, (path) => ctx.field(path), false, 'filter', ctx.scripts), boost: q.boost };
  },
};


/**
 * NestedHelper.mightMatchNonNestedDocs for the queries whose answer can be false: a term on a
 * field of this nested path (not included in its parent or the root) only matches this path's
 * docs, so NestedQueryBuilder adds no `_nested_path` filter. The engine filters regardless (the
 * same docs); only the profile, which shows Lucene's child query, reads it.
 */
function mightMatchNonNestedDocs(ctx: RewriteContext, p: Primitive, nestedPath: string): boolean {
  if (p.op !== 'term' || p.field.startsWith('_')) return true;
  const scope = ctx.view.mapping.field(p.field)?.nestedPath;
  if (scope !== nestedPath) return true;
  const includes = ctx.view.mapping.nestedIncludes?.(nestedPath);
  return includes === undefined || includes.parent || includes.root;
}
