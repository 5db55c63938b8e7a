import type { IndexView, SegmentView } from '../contract.js';
import { scriptFieldValues } from './script/script-fields.js';
import type { CompiledScriptField } from './script/script-fields.js';
import { allShardsFailed, isShardError } from './shard-failure.js';
import { scriptScore, segmentEnv } from './script/script-scorers.js';
import type { CompiledScript } from './script/painless.js';
import type { Execution } from './executor.js';
import { docValueFields, ignoredFieldValues, sourceFields, storedFieldValues } from './doc-fields.js';
import { javaFloat } from './float-format.js';
import type { Leaf } from './match-set.js';
import { NO_MORE_DOCS } from './scorer.js';
import { NODE_ID } from './shard-failure.js';
import { runSteps } from './paced-run.js';
import { EngineError } from '../errors.js';
import { explain } from './explain.js';
import type { Explanation } from './explain.js';
import type { TargetState } from './executor.js';
import { definitionsOf, nestedInnerHits } from './nested-inner-hits.js';
import { combineScores } from './rescore.js';
import { filterSource } from './source-filter.js';
import { WeightContext } from './weight.js';
import { FetchProfile } from './profile/fetch-profile.js';
import type { FetchSubPhase } from './profile/fetch-profile.js';
import { percolatorHitFields } from './percolator/rewrite-percolate.js';

/**
 * The named queries (`_name`) of the search's query and post_filter that match this document
 * (MatchedQueriesPhase): their names, or with `include_named_queries_score` a map of name to the
 * named query's own score on the document.
 */
export function matchedQueries(exec: Execution, leaf: Leaf, doc: number): string[] | Record<string, number> | undefined {
  const st = exec.states[leaf.target];
  if (!st) return undefined;
  const scores = new Map<string, number>();
  for (const { name, weight } of st.named) {
    if (scores.has(name)) continue;
    const s = weight.scorer(leaf.segment);
    if (s && s.advance(doc) === doc && doc !== NO_MORE_DOCS) scores.set(name, exec.req.namedQueriesScore ? javaFloat(s.score()) : 0);
  }
  if (scores.size === 0) return undefined;
  return exec.req.namedQueriesScore ? Object.fromEntries(scores) : javaHashMapOrder([...scores.keys()], new Set(st.named.map((n) => n.name)).size);
}

/** String.hashCode. */
function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * Names in the order a java.util.HashMap of `size` entries iterates them (MatchedQueriesPhase walks a
 * HashMap of the named queries' weights): by bucket, `(h ^ h >>> 16) & (capacity - 1)`, the capacity
 * doubling from 16 while the map holds more than 3/4 of it; insertion order within a bucket.
 */
function javaHashMapOrder(names: string[], size: number): string[] {
  let capacity = 16;
  while (size > capacity * 0.75) capacity *= 2;
  const bucket = (name: string): number => {
    const h = javaHashCode(name);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return names.map((name, i) => ({ name, i, b: bucket(name) })).sort((x, y) => x.b - y.b || x.i - y.i).map((x) => x.name);
}

/** The explanation of a hit's query score (indices_boost included). */
export function explainQuery(st: TargetState | undefined, wctx: WeightContext, leaf: Leaf, doc: number, score: number): Explanation {
  const detail = st ? explain(st.query, wctx, leaf.segment, doc, leaf.docBase + doc) : null;
  const base = detail ?? { value: javaFloat(score), description: 'score', details: [] };
  // indices_boost multiplies the query score
  return st && st.boost !== 1 ? { value: javaFloat(score), description: 'product of:', details: [base, { value: st.boost, description: 'index boost', details: [] }] } : base;
}

/** Script fields of a hit; a script failing here fails the shard's fetch phase. */
function fetchScriptFields(fields: CompiledScriptField[], view: IndexView, seg: SegmentView, doc: number): Record<string, unknown[]> {
  try {
    return scriptFieldValues(fields, seg, doc);
  } catch (e) {
    if (!isShardError(e)) throw e;
    throw allShardsFailed([{ index: view.index, error: e, shard: view.shardId ?? 0 }], 'fetch');
  }
}

function scriptRescoreValue(script: CompiledScript, leaf: Leaf, doc: number, score: number): number {
  const env = segmentEnv(script, leaf.segment);
  env.doc = doc;
  env.score = score;
  return scriptScore(script, env);
}

/** QueryRescorer.explain, rescorer after rescorer: the first pass times query_weight, combined with the rescore query where it re-scored the hit. */
function explainRescore(exec: Execution, st: TargetState, wctx: WeightContext, leaf: Leaf, doc: number, j: number, first: Explanation): Explanation {
  let current = first;
  exec.req.rescore.forEach((spec, k) => {
    const primary = Math.fround(Math.fround(current.value) * spec.queryWeight);
    const prim: Explanation = { value: javaFloat(primary), description: 'product of:', details: [current, { value: javaFloat(spec.queryWeight), description: 'primaryWeight', details: [] }] };
    const script = st.rescoreScripts?.[k];
    if (script) {
      // ScriptRescorer.explain: the script's explanation, with the previous pass as `_score: ` when it reads it
      const value = exec.rescored?.rescoredBy[k]?.has(j) ? scriptRescoreValue(script, leaf, doc, current.value) : null;
      if (value === null) return;
      const desc = `script score function, computed with script:"${script.description}"`;
      current = script.usesScore
        ? { value: javaFloat(value), description: `${desc}, computed as:`, details: [{ value: current.value, description: '_score: ', details: [current] }] }
        : { value: javaFloat(value), description: desc, details: [] };
      return;
    }
    const query = st.rescoreQueries?.[k];
    const sec = query && exec.rescored?.rescoredBy[k]?.has(j) ? explain(query, wctx, leaf.segment, doc, leaf.docBase + doc) : null;
    if (!sec) {
      current = prim;
      return;
    }
    const secondary = Math.fround(Math.fround(sec.value) * spec.rescoreQueryWeight);
    current = {
      value: javaFloat(combineScores(spec.scoreMode, primary, secondary)),
      description: `${spec.scoreMode} of:`,
      details: [prim, { value: javaFloat(secondary), description: 'product of:', details: [sec, { value: javaFloat(spec.rescoreQueryWeight), description: 'secondaryWeight', details: [] }] }],
    };
  });
  return current;
}

/** The fetch phase: hit objects for ranked hits, as Elasticsearch 8 shapes them. */
export function buildHits(exec: Execution, ranked: ArrayLike<number>, withSort: boolean): Array<{ hit: Record<string, unknown>; hitIndex: number }> {
  return runSteps(buildHitsSteps(exec, ranked, withSort));
}

/** Hits fetched between two pause points of {@link buildHitsSteps}. */
const HITS_PER_STEP = 64;

/** {@link buildHits} as steps: pauses every {@link HITS_PER_STEP} hits (a 10,000-hit page fetches for a while). */
export function* buildHitsSteps(exec: Execution, ranked: ArrayLike<number>, withSort: boolean): Generator<void, Array<{ hit: Record<string, unknown>; hitIndex: number }>> {
  const { req, matches } = exec;
  const out: Array<{ hit: Record<string, unknown>; hitIndex: number }> = [];
  const showScore = exec.needsScores && (exec.sort.some((s) => s.kind === 'score') || req.trackScores || req.explain);
  for (let r = 0; r < ranked.length; r++) {
    if (r % HITS_PER_STEP === HITS_PER_STEP - 1) yield;
    const j = ranked[r] as number;
    const leaf = exec.leaves[matches.leaf[exec.hitIdx[j] as number] as number] as Leaf;
    const profile = req.profile ? fetchProfileOf(exec, leaf.target) : undefined;
    const hit = profile ? profile.hit(leaf.segment, () => fetchHit(exec, j, showScore, withSort, profile)) : fetchHit(exec, j, showScore, withSort);
    out.push({ hit, hitIndex: j });
  }
  return out;
}

/** The fetch profile of one searched shard (created at its first hit). */
function fetchProfileOf(exec: Execution, target: number): FetchProfile {
  exec.fetchProfiles ??= new Map();
  let profile = exec.fetchProfiles.get(target);
  if (!profile) {
    const { req } = exec;
    // StoredFieldsSpec of FetchPhase: none with stored_fields _none_, else _id and _routing, and _source when a sub-phase reads it
    const needsSource = req.source.fetch || req.fields.length > 0;
    profile = new FetchProfile(req.storedFieldsNone ? [] : ['_id', '_routing', ...(needsSource ? ['_source'] : [])]);
    exec.fetchProfiles.set(target, profile);
  }
  return profile;
}

/** One hit as the fetch phase builds it; `profile` times its parts as the fetch sub-phases that do them. */
function fetchHit(exec: Execution, j: number, showScore: boolean, withSort: boolean, profile?: FetchProfile): Record<string, unknown> {
  const { req, matches } = exec;
  const run = <T>(phase: FetchSubPhase, fn: () => T): T => (profile ? profile.process(phase, fn) : fn());
  const m = exec.hitIdx[j] as number;
  const leaf = exec.leaves[matches.leaf[m] as number] as Leaf;
  const seg = leaf.segment;
  const doc = matches.doc[m] as number;
  const view = leaf.view;
  const hit: Record<string, unknown> = { _index: view.index };
  const stored = (): { routing?: string; ignored?: readonly string[] } => {
    if (req.storedFieldsNone) return {};
    hit._id = seg.id(doc);
    const routing = view.routingOf?.(seg.id(doc));
    const ignored = seg.keywordValues('_ignored', doc);
    return { ...(routing !== undefined ? { routing } : {}), ...(ignored ? { ignored } : {}) };
  };
  const { routing, ignored } = profile && !req.storedFieldsNone ? profile.loadStoredFields.time(stored) : stored();
  if (req.version) hit._version = seg.version(doc);
  if (req.seqNoPrimaryTerm) {
    hit._seq_no = seg.seqNo(doc);
    hit._primary_term = seg.primaryTerm(doc);
  }
  hit._score = showScore ? javaFloat(exec.hitScore(j)) : null;
  // metadata fields: _routing and _ignored (fields whose values ignore_malformed or ignore_above left out)
  if (!req.storedFieldsNone) {
    run('StoredFieldsPhase', () => {
      if (routing !== undefined) hit._routing = routing;
      if (ignored && ignored.length > 0) hit._ignored = [...ignored];
    });
  }
  const source = profile && (req.source.fetch || req.fields.length > 0) ? profile.loadSource.time(() => seg.source(doc)) : seg.source(doc);
  if (req.source.fetch && source) {
    run('FetchSourcePhase', () => {
      const filtered = filterSource(source, req.source);
      if (filtered) hit._source = filtered;
    });
    // FetchSourcePhase's fast path: the whole source, unfiltered
    if (req.source.includes.length === 0 && req.source.excludes.length === 0) profile?.debug('FetchSourcePhase', 'fast_path');
  }
  // collapse: the hit's group value joins its fields (SearchPhaseController sets it on every hit)
  const collapsed = req.collapse && exec.groupKeys ? { [req.collapse.field]: [exec.groupKeys[j] ?? null] } : {};
  const scripted = exec.states[leaf.target]?.scriptFields;
  if (req.fields.length > 0 || req.docvalueFields.length > 0 || req.storedFields || req.collapse || scripted) {
    run('FetchFieldsPhase', () => {
      // stored_fields: fields mapped with store: true (values as in _source), listed first as ES does
      const storedValues = req.storedFields ? storedFieldValues(view, seg.storedSource?.(doc) ?? source, req.storedFields) : {};
      const fields = { ...storedValues, ...sourceFields(view, source, req.fields, { seg, doc }), ...docValueFields(view, seg, doc, req.docvalueFields), ...(scripted ? fetchScriptFields(scripted, view, seg, doc) : {}), ...collapsed };
      // IgnoredFieldMapper's value fetcher: `fields: [_ignored]` reads the metadata field itself
      if (ignored && ignored.length > 0 && req.fields.some((f) => f.field === '_ignored')) fields._ignored = [...ignored];
      if (Object.keys(fields).length > 0) hit.fields = fields;
      const kept = ignored && req.fields.length > 0 ? ignoredFieldValues(view, source, req.fields, ignored) : {};
      if (Object.keys(kept).length > 0) hit.ignored_field_values = kept;
    });
  }
  const percolated = exec.states[leaf.target] ? percolatorHitFields((exec.states[leaf.target] as TargetState).query, seg, doc) : undefined;
  if (percolated) hit.fields = { ...(hit.fields as Record<string, unknown> | undefined), ...percolated };
  if (withSort) hit.sort = exec.sortValues(j).map((v, k) => (exec.sort[k]?.kind === 'score' && typeof v === 'number' ? javaFloat(v) : v));
  const st = exec.states[leaf.target];
  const names = matchedQueries(exec, leaf, doc);
  if (names) hit.matched_queries = names;
  if (req.explain) {
    hit._shard = `[${view.index}][${view.shardId ?? 0}]`;
    hit._node = NODE_ID;
    const wctx = new WeightContext(view, (reason) => new EngineError(400, 'query_shard_exception', reason));
    const boosted = explainQuery(st, wctx, leaf, doc, matches.score[m] as number);
    hit._explanation = exec.rescored && st ? explainRescore(exec, st, wctx, leaf, doc, j, boosted) : boosted;
  }
  const inner = st && definitionsOf(st).length > 0 ? run('InnerHitsPhase', () => nestedInnerHits(exec, st, leaf, doc)) : undefined;
  if (inner) hit.inner_hits = inner;
  return hit;
}
