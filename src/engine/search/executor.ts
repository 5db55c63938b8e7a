import { withConstantFields } from './constant-keyword.js';
import { compileScript } from './script/script-spec.js';
import { ipKey, requestIp } from './aggs/buckets/ip-values.js';
import type { ScriptPolicy } from './script/script-spec.js';
import { compileScriptFields } from './script/script-fields.js';
import type { CompiledScriptField } from './script/script-fields.js';
import type { CompiledScript } from './script/painless.js';
import type { IndexView, SearchTarget } from '../contract.js';
import { EngineError } from '../errors.js';
import { runSteps } from './paced-run.js';
import { checkDocValueFieldsLimit } from './doc-fields.js';
import { MatchSet } from './match-set.js';
import type { Leaf } from './match-set.js';
import { checkClauseCount } from './clause-limit.js';
import { collapseKey, collapseSource } from './collapse.js';
import { definitionsOf } from './nested-inner-hits.js';
import type { CollapseSource } from './collapse.js';
import { parseQuery } from './parse-query.js';
import { collectNamed, prefetchDocs } from './primitive.js';
import { sliceFilter } from './slice.js';
import type { SliceSpec } from './slice.js';
import type { Primitive } from './primitive.js';
import { rewrite } from './rewrite.js';
import { RewriteContext } from './rewrite-context.js';
import { rescoreHits } from './rescore-phase.js';
import type { Rescored } from './rescore-phase.js';
import { NO_MORE_DOCS, drain } from './scorer.js';
import type { SearchRequest } from './search-request.js';
import { allShardsFailed, isShardError } from './shard-failure.js';
import type { ShardFailure } from './shard-failure.js';
import { INT32_SORT_TYPES, checkDateResolutions, checkSameSortTypes, compareKeys, docSortKey, exactSortValue, missingSortValue, printedSortKey, sortSource } from './sort.js';
import { formatSortDate, isDateSort, parseAfterDate } from './date-sort.js';
import type { SortKey, SortSource, SortSpec } from './sort.js';
import { selectTopK } from './top-k.js';
import { WeightContext, createWeight } from './weight.js';
import type { Weight } from './weight.js';
import { QueryProfiler, nanoTime, withProfiler } from './profile/query-profile.js';
import type { FetchProfile } from './profile/fetch-profile.js';
import type { DocumentLookup } from './document-lookup.js';
import { knnSearchQuery } from './vectors/knn-search.js';
import type { Query } from './query.js';

/**
 * Runs a parsed search over its targets as Lucene does: rewrite per index, one Weight per index,
 * a Scorer per segment iterated doc-at-a-time into a MatchSet (live top-level docs only), then
 * post_filter, search_after and a bounded top-k by score or by sort keys.
 */

export interface TargetState {
  target: SearchTarget;
  view: IndexView;
  position: number;
  /** The query rewritten for this index (alias filter included): what a highlighter reads terms from. */
  query: Primitive;
  weight?: Weight;
  postFilter?: Weight;
  named: Array<{ name: string; weight: Weight }>;
  sortSources: Array<SortSource | null>;
  boost: number;
  /** How this index reads the `collapse` field. */
  collapse?: CollapseSource;
  /** The rescore queries, rewritten for this index (explain reads them), and their weights. */
  rescoreQueries?: Primitive[];
  rescore?: Weight[];
  /** Per rescorer, the compiled script of a script rescorer. */
  rescoreScripts?: Array<CompiledScript | undefined>;
  /** `script_fields`, compiled against this target's mapping. */
  scriptFields?: CompiledScriptField[];
  /** `profile: true`: this shard's query profile (the main query's weights and scorers, rewrite and collection times). */
  profiler?: QueryProfiler;
}

export interface ExecuteOptions {
  nowMs: number;
  /** Add the implicit `_shard_doc` tiebreaker (point in time). */
  pit: boolean;
  /** Result window to check against index.max_result_window: from + size, or the scroll batch size. */
  window: { size: number; scroll: boolean };
  /** `timeout`: performance.now() past which collection stops (partial results, `timed_out: true`). */
  deadline?: number;
  /** Shards that already failed on their own in an earlier run of this search (listed, not searched). */
  failed?: { failures: ShardFailure[]; targets: ReadonlySet<SearchTarget> };
  /** Shards the can_match phase skipped (counted, not searched). */
  skipped?: ReadonlySet<SearchTarget>;
  /** Stored scripts and the node's script.allowed_types / allowed_contexts. */
  scripts?: ScriptPolicy;
  /** `search.allow_expensive_queries` (default true). */
  allowExpensiveQueries?: boolean;
  /** The documents more_like_this items name. */
  documents?: DocumentLookup;
}

/** Docs collected between two looks at the clock (Elasticsearch's timeout is checked as cheaply). */
const TIMEOUT_CHECK_INTERVAL = 1024;

export class Execution {
  readonly sort: SortSpec[];
  readonly needsScores: boolean;
  /** Indices into `matches` of the docs that also pass post_filter, in collection order. */
  hitIdx: Int32Array = new Int32Array(0);
  keys: SortKey[][] = [];
  maxScore = Number.NaN;
  terminatedEarly = false;
  /** Collection stopped at the `timeout`: the hits are those found until then. */
  timedOut = false;
  /** `now` of the search (date math in a highlight_query of the fetch phase). */
  nowMs = 0;
  /** The leaf being collected (to name the index of a failure). */
  currentLeaf = 0;
  /** Shards the can_match phase skipped. */
  skipped = 0;
  /** `collapse`: the group key of every hit (parallel to hitIdx). */
  groupKeys?: Array<number | string | null>;
  /** `rescore`: the final ranking and the rescored scores. */
  rescored?: Rescored;
  /** `profile: true`: each searched shard's fetch profile, by target (hits.ts). */
  fetchProfiles?: Map<number, FetchProfile>;
  /** `profile: true`: each searched shard's aggregation profile, by target (aggs/aggregations.ts). */
  aggProfiles?: Map<number, Array<Record<string, unknown>>>;
  constructor(
    readonly req: SearchRequest,
    readonly states: TargetState[],
    readonly failures: ShardFailure[],
    readonly matches: MatchSet,
    pit: boolean,
  ) {
    const sort: SortSpec[] = req.sort.length > 0 ? [...req.sort] : [{ kind: 'score', field: '_score', order: 'desc', missing: '_last' }];
    // ES SearchRequest: a sorted PIT search gets the implicit `_shard_doc` tiebreaker, unless the
    // sort already ends with it or search_after gives exactly one value per explicit sort
    const after = req.searchAfter;
    if (pit && req.sort.length > 0 && (!after || after.length === req.sort.length + 1) && req.sort[req.sort.length - 1]?.kind !== 'shard_doc') {
      sort.push({ kind: 'shard_doc', field: '_shard_doc', order: 'asc', missing: '_last' });
    }
    if (!pit && sort.some((s) => s.kind === 'shard_doc')) {
      throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [_shard_doc] sort field cannot be used without [point in time];');
    }
    this.sort = sort;
    this.needsScores = sort.some((s) => s.kind === 'score') || req.trackScores || req.minScore !== undefined || req.explain;
  }

  get leaves(): Leaf[] {
    return this.matches.leaves;
  }

  /** Number of hits (post_filter applied). */
  get total(): number {
    return this.hitIdx.length;
  }

  /** `sort` values of the j-th hit, as Elasticsearch reports them. */
  sortValues(j: number): unknown[] {
    const m = this.hitIdx[j] as number;
    return this.sort.map((s, k) => {
      const key = this.keys[k]?.[j] ?? null;
      if (s.kind === 'score') return this.hitScore(j);
      // a _geo_distance sort's missing value is +Infinity, which Jackson writes as a string
      if (typeof key === 'number' && !Number.isFinite(key)) return String(key);
      if (key !== null && s.kind === 'field' && s.format !== undefined && (typeof key === 'number' || typeof key === 'bigint')) {
        const leaf = this.leaves[this.matches.leaf[m] as number] as Leaf;
        const src = this.states[leaf.target]?.sortSources[k];
        if (isDateSort(src)) return formatSortDate(key, s.format);
      }
      if (s.kind === 'field' && typeof key === 'string') {
        const leaf = this.leaves[this.matches.leaf[m] as number] as Leaf;
        return printedSortKey(this.states[leaf.target]?.sortSources[k], key);
      }
      if (key !== null || s.kind !== 'field') return key;
      const leaf = this.leaves[this.matches.leaf[m] as number] as Leaf;
      const src = this.states[leaf.target]?.sortSources[k];
      const numeric = src?.type === 'numeric' || (src?.type === 'missing' && src.numeric);
      // a formatted sort reports a missing value as null (DocValueFormat cannot format the sentinel)
      if (numeric && s.format !== undefined && isDateSort(src)) return null;
      const integral = src?.type === 'numeric' ? !['double', 'float', 'half_float', 'scaled_float'].includes(src.info.type) : true;
      return exactSortValue(missingSortValue(s, numeric, integral, src?.type === 'numeric' && INT32_SORT_TYPES.has(src.info.type)));
    });
  }

  /** The j-th hit's score: the query's, or the rescorers'. */
  hitScore(j: number): number {
    return this.rescored?.scores.get(j) ?? (this.matches.score[this.hitIdx[j] as number] as number);
  }

  /** The first `k` hits in rank order after search_after (one per group when collapsing), as indices into hitIdx. */
  top(k: number): Int32Array {
    if (this.rescored) return this.rescored.order.subarray(0, Math.min(k, this.rescored.order.length));
    const before = this.before();
    const after = this.req.searchAfter;
    const accept = after ? this.afterFilter(after) : undefined;
    if (this.groupKeys) {
      const heads = this.groupHeads(before, accept);
      return selectTopK(heads.length, k, (a, b) => before(heads[a] as number, heads[b] as number)).map((i) => heads[i] as number);
    }
    return selectTopK(this.hitIdx.length, k, before, accept);
  }

  /** The best hit of every collapse group (CollapsingTopDocsCollector), in collection order. */
  groupHeads(before: (a: number, b: number) => boolean = this.before(), accept?: (j: number) => boolean): Int32Array {
    const keys = this.groupKeys ?? [];
    const best = new Map<number | string | null, number>();
    for (let j = 0; j < this.hitIdx.length; j++) {
      if (accept && !accept(j)) continue;
      const key = keys[j] ?? null;
      const cur = best.get(key);
      if (cur === undefined || before(j, cur)) best.set(key, j);
    }
    return Int32Array.from(best.values());
  }

  /** Whether hit a ranks before hit b: the sort, then index and doc order. */
  private before(): (a: number, b: number) => boolean {
    const { matches, hitIdx } = this;
    const score = matches.score;
    const leafOf = matches.leaf;
    const docOf = matches.doc;
    const tiebreak = (a: number, b: number): number => {
      const ma = hitIdx[a] as number;
      const mb = hitIdx[b] as number;
      return (leafOf[ma] as number) - (leafOf[mb] as number) || (docOf[ma] as number) - (docOf[mb] as number);
    };
    let before: (a: number, b: number) => boolean;
    if (this.sort.length === 1 && this.sort[0]?.kind === 'score' && this.sort[0].order === 'desc') {
      before = (a, b) => {
        const sa = score[hitIdx[a] as number] as number;
        const sb = score[hitIdx[b] as number] as number;
        return sa > sb || (sa === sb && tiebreak(a, b) < 0);
      };
    } else {
      before = (a, b) => {
        const c = this.compare(a, b);
        return c < 0 || (c === 0 && tiebreak(a, b) < 0);
      };
    }
    return before;
  }

  private compare(a: number, b: number): number {
    for (let k = 0; k < this.sort.length; k++) {
      const s = this.sort[k] as SortSpec;
      const keys = this.keys[k] as SortKey[];
      const c = compareKeys(keys[a] ?? this.missingKey(a, k), keys[b] ?? this.missingKey(b, k), s);
      if (c !== 0) return c;
    }
    return 0;
  }

  /** Per target and sort: the value a missing numeric key sorts as on that index's shard (null: compare as missing). */
  private sentinelCache?: SortKey[][];

  /**
   * A hit's missing sort key as its own index's shard substitutes it before the merge: the sentinel of
   * that index's field type (Integer.MAX_VALUE for integer, Long.MAX_VALUE for long...), so hits from
   * indices with different numeric types merge as Elasticsearch merges them.
   */
  private missingKey(j: number, k: number): SortKey {
    const target = (this.leaves[this.matches.leaf[this.hitIdx[j] as number] as number] as Leaf).target;
    this.sentinelCache ??= this.states.map((st) =>
      this.sort.map((s, kk) => {
        const src = st.sortSources[kk];
        if (s.kind !== 'field' || !src || src.type !== 'numeric') return null;
        const integral = !['double', 'float', 'half_float', 'scaled_float'].includes(src.info.type);
        return missingSortValue(s, true, integral, INT32_SORT_TYPES.has(src.info.type));
      }),
    );
    return this.sentinelCache[target]?.[k] ?? null;
  }

  private afterFilter(after: unknown[]): (j: number) => boolean {
    if (after.length !== this.sort.length) {
      throw new EngineError(400, 'illegal_argument_exception', `search_after has ${after.length} value(s) but sort has ${this.sort.length}.`);
    }
    const values = after.map((v, k) => {
      const s = this.sort[k] as SortSpec;
      if (v === null) return null;
      // scores are floats reported as their shortest decimal: read them back as the same float
      if (s.kind === 'score') return Math.fround(Number(v));
      if (s.kind !== 'field') return Number(v);
      const dateSource = this.states.map((st) => st.sortSources[k]).find(isDateSort);
      if (dateSource) return parseAfterDate(v, s, dateSource);
      // DocValueFormat.IP.parseBytesRef: an address, compared as its bytes
      if (this.states.some((st) => { const src = st.sortSources[k]; return src?.type === 'keyword' && src.ip === true; })) return ipKey(requestIp(v));
      const numeric = this.states.some((st) => st.sortSources[k]?.type === 'numeric');
      // "Infinity": the sort value of a doc without a point under a _geo_distance sort
      if (numeric && typeof v === 'string') return Number.isFinite(Number(v)) || v === 'Infinity' ? Number(v) : Date.parse(v);
      return v as number | string;
    });
    // a missing numeric value compares as the sentinel ES reports for it (Long.MAX_VALUE...)
    const sentinels = this.sort.map((s, k) => {
      const src = this.states.map((st) => st.sortSources[k]).find((x) => x !== null && x !== undefined);
      if (s.kind !== 'field' || !src || src.type === 'keyword' || (src.type === 'missing' && !src.numeric)) return null;
      const integral = src.type === 'numeric' ? !['double', 'float', 'half_float', 'scaled_float'].includes(src.info.type) : true;
      return missingSortValue(s, true, integral, src.type === 'numeric' && INT32_SORT_TYPES.has(src.info.type));
    });
    return (j) => {
      for (let k = 0; k < this.sort.length; k++) {
        const key = (this.keys[k] as SortKey[])[j] ?? this.missingKey(j, k) ?? sentinels[k] ?? null;
        const c = compareKeys(key, values[k] ?? null, this.sort[k] as SortSpec);
        if (c !== 0) return c > 0;
      }
      return false;
    };
  }
}

function targetState(t: SearchTarget, position: number, numShards: number, req: SearchRequest, opts: ExecuteOptions, sort: SortSpec[], needsScores: boolean, query: Query = req.query): TargetState {
  const view = withConstantFields(t.view, sort.some((s) => s.kind === 'field' && s.field === '_index'));
  // SearchAfterBuilder.buildFieldDoc: a sort of only `_score` desc is no sort at all
  if (req.searchAfter && sort.every((s) => s.kind === 'score' && s.order === 'desc')) {
    throw new EngineError(400, 'illegal_argument_exception', 'Sort must contain at least one field.');
  }
  const ctx = new RewriteContext(view, opts.nowMs);
  if (opts.scripts) ctx.scripts = opts.scripts;
  if (opts.allowExpensiveQueries === false) ctx.allowExpensiveQueries = false;
  if (opts.documents) ctx.documents = opts.documents;
  ctx.requestSize = req.size;
  const wctx = new WeightContext(view, (reason, type = 'query_shard_exception') =>
    new EngineError(400, type, reason, type === 'query_shard_exception' ? { index_uuid: view.uuid, index: view.index } : {}),
  );
  // with size 0 Elasticsearch's score mode is the aggregations' (the engine scores regardless)
  const profiler = req.profile ? new QueryProfiler(req.size > 0) : undefined;
  const rewriteStart = nanoTime();
  let prim: Primitive = rewrite(query, ctx);
  if (t.aliasFilter) {
    const aliasFilter = parseQuery(t.aliasFilter);
    prim = { op: 'bool', must: [prim], should: [], filter: [ctx.asFilter(() => rewrite(aliasFilter, ctx))], mustNot: [], msm: 0, boost: 1 };
  }
  if (req.slice) {
    checkSliceCount(req.slice, view, opts.window.scroll);
    // DefaultSearchContext.buildFilteredQuery: the slice is one more filter of the query
    const slice = sliceFilter(req.slice, position, numShards, view, opts.window.scroll);
    if (slice) prim = { op: 'bool', must: [prim], should: [], filter: [slice], mustNot: [], msm: 0, boost: 1 };
  }
  if (profiler) profiler.rewriteNanos = nanoTime() - rewriteStart;
  checkClauseCount(prim);
  // SearchService.parseSource builds the query, then the docvalue_fields context and the collapse
  // context; preProcess checks the result window, then the rescore windows
  checkDocValueFieldsLimit(view, req.docvalueFields);
  const scriptFields = compileScriptFields(view, req.scriptFields, req.size, opts.scripts);
  const collapse = req.collapse ? collapseSource(req.collapse, view) : undefined;
  const max = view.maxResultWindow;
  if (opts.window.scroll && opts.window.size > max) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Batch size is too large, size must be less than or equal to: [${max}] but was [${opts.window.size}]. Scroll batch sizes cost as much memory as result windows so they are controlled by the [index.max_result_window] index level setting.`,
    );
  }
  if (!opts.window.scroll && opts.window.size > max) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Result window is too large, from + size must be less than or equal to: [${max}] but was [${opts.window.size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
    );
  }
  if (req.rescore.length > 0) checkRescore(req, view, sort);
  if (req.collapse && req.searchAfter && (sort.length !== 1 || sort[0]?.kind !== 'field' || sort[0].field !== req.collapse.field)) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      'Cannot use [collapse] in conjunction with [search_after] unless the search is sorted on the same field. Multiple sort fields are not allowed.',
    );
  }
  const state: TargetState = {
    target: t,
    view,
    position,
    query: prim,
    weight: profiler ? withProfiler(profiler, () => createWeight(prim, wctx, needsScores)) : createWeight(prim, wctx, needsScores),
    ...(profiler ? { profiler } : {}),
    named: collectNamed(prim).map((n) => ({ name: n.name, weight: createWeight(n.inner, wctx, req.namedQueriesScore) })),
    sortSources: sort.map((s) => (s.kind === 'field' ? sortSource(s, view) : null)),
    boost: req.indicesBoost.get(view.index) ?? 1,
    ...(collapse ? { collapse } : {}),
    ...(scriptFields.length > 0 ? { scriptFields } : {}),
  };
  // InnerHitContextBuilder.build: the inner hit definitions are checked when the search context is built
  definitionsOf(state);
  if (req.rescore.length > 0) {
    const queries = req.rescore.map((r) => rewrite(r.query, ctx));
    state.rescoreQueries = queries;
    state.rescore = queries.map((q) => createWeight(q, wctx, true));
    state.rescoreScripts = req.rescore.map((r) => (r.script ? compileScript(r.script, (path) => ctx.field(path), true, 'score', ctx.scripts) : undefined));
  }
  if (req.postFilter) {
    const postFilter = req.postFilter;
    const pf = ctx.asFilter(() => rewrite(postFilter, ctx));
    state.postFilter = createWeight(pf, wctx, false);
    state.named.push(...collectNamed(pf).map((n) => ({ name: n.name, weight: createWeight(n.inner, wctx, req.namedQueriesScore) })));
  }
  return state;
}

/** DefaultSearchContext.preProcess: a sliced scroll has at most index.max_slices_per_scroll slices. */
function checkSliceCount(slice: SliceSpec, view: IndexView, scroll: boolean): void {
  if (!scroll) return;
  const setting = view.setting?.('index.max_slices_per_scroll');
  const limit = setting !== undefined && setting !== null ? Number(setting) : 1024;
  if (slice.max > limit) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `The number of slices [${slice.max}] is too large. It must be less than [${limit}]. This limit can be set by changing the [index.max_slices_per_scroll] index level setting.`,
    );
  }
}

/** DefaultSearchContext.preProcess: rescore needs the score order, and windows within index.max_rescore_window. */
function checkRescore(req: SearchRequest, view: IndexView, sort: SortSpec[]): void {
  // a sort of only `_score` desc is no sort at all (SortBuilder.buildSort)
  if (!(sort.length === 1 && sort[0]?.kind === 'score' && sort[0].order === 'desc')) {
    throw new EngineError(400, 'illegal_argument_exception', 'Cannot use [sort] option in conjunction with [rescore].');
  }
  const setting = view.setting?.('index.max_rescore_window');
  const max = setting !== undefined && setting !== null ? Number(setting) : view.maxResultWindow;
  for (const r of req.rescore) {
    if (r.windowSize > max) {
      throw new EngineError(
        400,
        'illegal_argument_exception',
        `Rescore window [${r.windowSize}] is too large. It must be less than [${max}]. This prevents allocating massive heaps for storing the results to be rescored. This limit can be set by changing the [index.max_rescore_window] index level setting.`,
      );
    }
  }
}

/** Runs the query phase; throws `all shards failed` when every index failed. */
export function execute(targets: SearchTarget[], req: SearchRequest, opts: ExecuteOptions): Execution {
  return runSteps(executeSteps(targets, req, opts));
}

export { runSteps } from './paced-run.js';

/**
 * The query phase as steps: it pauses (yields) every {@link TIMEOUT_CHECK_INTERVAL} collected
 * docs, so an async driver can let other requests run and stop a search whose client left.
 */
export function* executeSteps(targets: SearchTarget[], req: SearchRequest, opts: ExecuteOptions): Generator<void, Execution> {
  const ordered = [...targets].sort((a, b) => (a.view.index < b.view.index ? -1 : a.view.index > b.view.index ? 1 : 0));
  const probe = new Execution(req, [], [], new MatchSet([]), opts.pit);
  const states: TargetState[] = [];
  const failures: ShardFailure[] = [...(opts.failed?.failures ?? [])];
  let searched = 0;
  const knnFailed = new Set<SearchTarget>();
  let query = req.query;
  if (req.knn.length > 0) {
    // the DFS phase of the knn searches: their global top k, then one query per shard
    const searchable = ordered.filter((t) => !opts.failed?.targets.has(t) && !opts.skipped?.has(t));
    query = knnSearchQuery(searchable, req.knn, req.queryJson !== undefined ? req.query : undefined, {
      nowMs: opts.nowMs,
      ...(opts.scripts ? { scripts: opts.scripts } : {}),
      fail: (t, e) => {
        if (!isShardError(e)) throw e;
        knnFailed.add(t);
        failures.push({ index: t.view.index, error: e, shard: t.view.shardId ?? 0 });
      },
    });
  }
  for (let position = 0; position < ordered.length; position++) {
    const t = ordered[position] as SearchTarget;
    // a failed shard keeps its position, so the others keep their shard index (`_shard_doc`)
    if (opts.failed?.targets.has(t) || opts.skipped?.has(t) || knnFailed.has(t)) continue;
    // each shard's rewrite and weight (a 65,536-term terms query) in a slice of its own
    if (searched++ > 0) yield;
    try {
      states.push(targetState(t, position, ordered.length, req, opts, probe.sort, probe.needsScores, query));
    } catch (e) {
      if (!isShardError(e)) throw e;
      failures.push({ index: t.view.index, error: e, shard: t.view.shardId ?? 0 });
    }
  }
  if (states.length === 0 && failures.length > 0) throw allShardsFailed(failures);
  checkDateResolutions(probe.sort, states.map((st) => st.sortSources));
  const leaves: Leaf[] = [];
  states.forEach((st, i) => {
    let base = 0;
    for (const segment of st.view.segments) {
      leaves.push({ target: i, shard: st.position, view: st.view, segment, docBase: base });
      base += segment.maxDoc;
    }
  });
  const matches = new MatchSet(leaves);
  const exec = new Execution(req, states, failures, matches, opts.pit);
  exec.nowMs = opts.nowMs;
  exec.skipped = opts.skipped?.size ?? 0;
  try {
    yield* collect(exec, opts.deadline);
    if (req.collapse) collectGroupKeys(exec);
  } catch (e) {
    // a failure while collecting (e.g. field_value_factor on a missing value) fails the shard
    if (!isShardError(e)) throw e;
    const failedIndex = exec.leaves[exec.currentLeaf]?.view.index ?? states[0]?.view.index ?? '_na_';
    throw allShardsFailed([...failures, { index: failedIndex, error: e }]);
  }
  if (req.from + req.size > 0) {
    // only the shards that returned hits take part in the merge of their sorted top docs
    const contributing = new Set<number>();
    for (let j = 0; j < exec.hitIdx.length; j++) contributing.add((exec.leaves[exec.matches.leaf[exec.hitIdx[j] as number] as number] as Leaf).target);
    checkSameSortTypes(probe.sort, states.filter((_, i) => contributing.has(i)).map((st) => st.sortSources));
  }
  if (req.rescore.length > 0) {
    exec.rescored = rescoreHits(exec, exec.groupKeys ? shardHeads(exec) : null, exec.groupKeys);
    if (exec.rescored.order.length > 0) exec.maxScore = exec.rescored.maxScore;
  }
  return exec;
}

/** The collapse key of every hit; a multi-valued one fails the shard (CollapsingDocValuesSource). */
function collectGroupKeys(exec: Execution): void {
  const { hitIdx, matches, states } = exec;
  const keys = new Array<number | string | null>(hitIdx.length);
  for (let j = 0; j < hitIdx.length; j++) {
    const m = hitIdx[j] as number;
    exec.currentLeaf = matches.leaf[m] as number;
    const leaf = exec.leaves[exec.currentLeaf] as Leaf;
    const src = states[leaf.target]?.collapse;
    keys[j] = src ? collapseKey(src, leaf.segment, matches.doc[m] as number) : null;
  }
  exec.groupKeys = keys;
}

/** Each shard's own group heads (a shard collapses its hits before rescoring them): keys made distinct per shard. */
function shardHeads(exec: Execution): Int32Array {
  const global = exec.groupKeys ?? [];
  const { hitIdx, matches } = exec;
  exec.groupKeys = global.map((k, j) => {
    const target = (exec.leaves[matches.leaf[hitIdx[j] as number] as number] as Leaf).target;
    return `${target}\u0000${typeof k}\u0000${String(k)}`;
  });
  const heads = exec.groupHeads();
  exec.groupKeys = global;
  return heads;
}

function* collect(exec: Execution, deadline?: number): Generator<void, void> {
  const { req, states, matches } = exec;
  const needsScores = exec.needsScores;
  const minScore = req.minScore;
  const limit = req.terminateAfter ?? Infinity;
  const pass: number[] = [];
  let maxScore = -Infinity;
  const targetCounts = new Map<number, number>();
  let sinceCheck = 0;
  for (let li = 0; li < exec.leaves.length && !exec.timedOut; li++) {
    const leaf = exec.leaves[li] as Leaf;
    exec.currentLeaf = li;
    const st = states[leaf.target] as TargetState;
    const seg = leaf.segment;
    // a segment's scorer (the postings of 65,536 terms) in a slice of its own, after a look at the clock
    if (li > 0 && deadline !== undefined && performance.now() > deadline) {
      exec.timedOut = true;
      break;
    }
    yield;
    yield* prefetchDocs(st.query, seg);
    const scorer = st.weight?.scorer(seg);
    if (!scorer) continue;
    const hasNested = st.view.mapping.nestedPaths().length > 0;
    const post = st.postFilter ? st.postFilter.scorer(seg) : undefined;
    const postDocs = post === undefined ? undefined : post === null ? new Int32Array(0) : drain(post);
    let pi = 0;
    let count = targetCounts.get(leaf.target) ?? 0;
    const collectStart = st.profiler ? nanoTime() : 0n;
    for (let doc = scorer.nextDoc(); doc !== NO_MORE_DOCS; doc = scorer.nextDoc()) {
      if (++sinceCheck >= TIMEOUT_CHECK_INTERVAL) {
        sinceCheck = 0;
        if (deadline !== undefined && performance.now() > deadline) {
          exec.timedOut = true;
          break;
        }
        const pausedAt = st.profiler ? nanoTime() : 0n;
        yield;
        // time other requests ran is not this search's collection time
        if (st.profiler) st.profiler.collectNanos -= nanoTime() - pausedAt;
      }
      if (!seg.isLive(doc) || (hasNested && seg.nestedPath(doc) !== undefined)) continue;
      if (count >= limit) {
        exec.terminatedEarly = true;
        break;
      }
      const score = needsScores ? Math.fround(scorer.score() * st.boost) : Number.NaN;
      if (minScore !== undefined && !(score >= minScore)) continue;
      count++;
      matches.push(li, doc, score);
      if (postDocs) {
        while (pi < postDocs.length && (postDocs[pi] as number) < doc) pi++;
        if (postDocs[pi] !== doc) continue;
      }
      pass.push(matches.count - 1);
      if (score > maxScore) maxScore = score;
    }
    if (st.profiler) st.profiler.collectNanos += nanoTime() - collectStart;
    targetCounts.set(leaf.target, count);
  }
  if (req.terminateAfter !== undefined && !exec.terminatedEarly) exec.terminatedEarly = false;
  exec.hitIdx = Int32Array.from(pass);
  exec.maxScore = needsScores && pass.length > 0 ? maxScore : Number.NaN;
  computeKeys(exec);
}

/** Sort keys of every hit for the non-score sorts (score sorts read `matches.score`). */
function computeKeys(exec: Execution): void {
  const { sort, hitIdx, matches, states } = exec;
  if (sort.length === 1 && sort[0]?.kind === 'score' && !exec.req.searchAfter) return;
  exec.keys = sort.map((s, k) => {
    const out = new Array<SortKey>(hitIdx.length);
    for (let j = 0; j < hitIdx.length; j++) {
      const m = hitIdx[j] as number;
      const leaf = exec.leaves[matches.leaf[m] as number] as Leaf;
      const doc = matches.doc[m] as number;
      out[j] = s.kind === 'score' ? (matches.score[m] as number) : docSortKey(s, states[leaf.target]?.sortSources[k], leaf, doc);
    }
    return out;
  });
}
