import { ShardTargetFailure } from '../../shard-failure.js';
import { EngineError, parsingError, unsupported } from '../../../errors.js';
import { docValueFields, parseFieldRequests, sourceFields, storedFieldValues } from '../../doc-fields.js';
import type { FieldRequest } from '../../doc-fields.js';
import type { Execution } from '../../executor.js';
import { explainQuery, matchedQueries } from '../../hits.js';
import { highlightDocs } from '../../highlight/index.js';
import { parseHighlight } from '../../highlight/highlight-options.js';
import { NODE_ID } from '../../shard-failure.js';
import { WeightContext } from '../../weight.js';
import { javaFloat } from '../../float-format.js';
import type { Leaf } from '../../match-set.js';
import { docRangeSteps, pacedMetric } from '../doc-steps.js';
import { compareKeys, docSortKey, missingSortValue, parseSort, printedSortKey, sortSource } from '../../sort.js';
import type { SortKey, SortSource, SortSpec } from '../../sort.js';
import { filterSource, parseSourceFilter } from '../../source-filter.js';
import type { SourceFilter } from '../../source-filter.js';
import type { AggSpec, DocSet, MetricType } from '../agg-types.js';

/**
 * `top_hits`: the best `size` documents of a bucket (after `from`), by score or by `sort`,
 * rendered as InternalTopHits writes its SearchHits:
 * `{ hits: { total: { value, relation: 'eq' }, max_score, hits: [{ _index, _id, _score, _source, sort? }] } }`.
 */

const KEYS = ['from', 'size', 'sort', '_source', 'track_scores', 'version', 'seq_no_primary_term', 'docvalue_fields', 'fields', 'stored_fields', 'explain', 'highlight', 'script_fields'];
/** index.max_inner_result_window's default. */
const MAX_INNER_RESULT_WINDOW = 100;

interface TopHitsOptions {
  from: number;
  size: number;
  sort: SortSpec[];
  source: SourceFilter;
  trackScores: boolean;
  version: boolean;
  seqNoPrimaryTerm: boolean;
  docvalueFields: FieldRequest[];
  fields: FieldRequest[];
  storedFields?: string[];
  explain: boolean;
  /** The enclosing search (its named queries apply to the hits). */
  exec?: Execution;
}

function nonNegativeInt(spec: AggSpec, key: string, fallback: number): number {
  const v = spec.body[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw parsingError(`[top_hits] failed to parse field [${key}]`);
  if (v < 0) throw new EngineError(400, 'illegal_argument_exception', `[${key}] must be greater than or equal to 0. Found [${v}] in [${spec.name}]`);
  return v;
}

function bool(spec: AggSpec, key: string): boolean {
  const v = spec.body[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw parsingError(`[top_hits] failed to parse field [${key}]`);
  return v;
}

function options(spec: AggSpec): TopHitsOptions {
  const body = spec.body;
  for (const k of Object.keys(body)) if (!KEYS.includes(k)) throw parsingError(`Unknown key for a ${Array.isArray(body[k]) ? 'START_ARRAY' : typeof body[k] === 'object' ? 'START_OBJECT' : 'VALUE_STRING'} in [${spec.name}]: [${k}].`);
  if (body.script_fields !== undefined) throw unsupported('top_hits script_fields');
  if (body.highlight !== undefined) parseHighlight(body.highlight);
  const stored = body.stored_fields === undefined ? undefined : Array.isArray(body.stored_fields) ? body.stored_fields.map(String) : [String(body.stored_fields)];
  if (stored?.includes('_none_')) throw unsupported('top_hits stored_fields _none_');
  const from = nonNegativeInt(spec, 'from', 0);
  const size = nonNegativeInt(spec, 'size', 3);
  if (from + size > MAX_INNER_RESULT_WINDOW) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `Top hits result window is too large, the top hits aggregator [${spec.name}]'s from + size must be less than or equal to: [${MAX_INNER_RESULT_WINDOW}] but was [${from + size}]. This limit can be set by changing the [index.max_inner_result_window] index level setting.`,
    );
  }
  return {
    from,
    size,
    sort: parseSort(body.sort),
    // stored_fields without `_source` leave the source out, unless `_source` asks for it
    source: stored && !stored.includes('_source') && body._source === undefined ? { fetch: false, includes: [], excludes: [] } : parseSourceFilter(body._source, {}),
    ...(stored ? { storedFields: stored.filter((f) => f !== '_source') } : {}),
    explain: bool(spec, 'explain'),
    trackScores: bool(spec, 'track_scores'),
    version: bool(spec, 'version'),
    seqNoPrimaryTerm: bool(spec, 'seq_no_primary_term'),
    docvalueFields: parseFieldRequests(body.docvalue_fields),
    fields: parseFieldRequests(body.fields),
  };
}

/** The objects at a nested path of a source, in source order (arrays along the way flattened). */
function nestedItems(source: unknown, parts: string[]): unknown[] {
  if (Array.isArray(source)) return source.flatMap((s) => nestedItems(s, parts));
  if (parts.length === 0) return source === undefined || source === null ? [] : [source];
  if (typeof source !== 'object' || source === null) return [];
  const record = source as Record<string, unknown>;
  for (let i = parts.length; i >= 1; i--) {
    const key = parts.slice(0, i).join('.');
    if (key in record) return nestedItems(record[key], parts.slice(i));
  }
  return [];
}

export const topHits: MetricType = pacedMetric({
  validate(spec) {
    options(spec);
  },
  *steps(spec, docs, ctx) {
    const o = options(spec);
    // the sub-search inherits what it does not set from the search (SubSearchContext): its `fields`, and the named queries
    if (spec.body.fields === undefined) o.fields = ctx.exec.req.fields;
    o.exec = ctx.exec;
    const sort: SortSpec[] = o.sort.length > 0 ? o.sort : [{ kind: 'score', field: '_score', order: 'desc', missing: '_last' }];
    // TopHitsAggregationBuilder.doBuild builds its sort on every shard, whether or not its bucket has docs
    // there: a field no mapping knows fails that shard (as the search's own sort does)
    for (const st of ctx.exec.states) {
      for (const x of sort) {
        if (x.kind !== 'field') continue;
        try {
          sortSource(x, st.view);
        } catch (e) {
          if (e instanceof EngineError && e.type === 'query_shard_exception') throw new ShardTargetFailure(st.target, e);
          throw e;
        }
      }
    }
    const byScore = sort.length === 1 && sort[0]?.kind === 'score';
    const scored = byScore || o.trackScores || sort.some((s) => s.kind === 'score');
    const keys = yield* sortKeysSteps(docs, sort);
    // ties (and equal keys) go by shard, then doc: TopDocs.merge's order
    const cmp = (a: number, b: number): number => {
      for (let k = 0; k < sort.length; k++) {
        const c = compareKeys(keys[k]?.[a] ?? null, keys[k]?.[b] ?? null, sort[k] as SortSpec);
        if (c !== 0) return c;
      }
      return (docs.leaf[a] as number) - (docs.leaf[b] as number) || (docs.doc[a] as number) - (docs.doc[b] as number);
    };
    const picked = (yield* firstSteps(docs.count, o.from + o.size, cmp)).slice(o.from);
    let maxScore = -Infinity;
    if (scored) {
      yield* docRangeSteps(docs.count, (from, to) => {
        for (let i = from; i < to; i++) maxScore = Math.max(maxScore, docs.score[i] as number);
      });
    }
    const hits = picked.map((i) => renderHit(docs, i, o, sort, keys, scored, byScore));
    if (spec.body.highlight !== undefined) {
      highlightDocs(
        spec.body.highlight,
        ctx,
        picked.map((i, k) => ({ hit: hits[k] as Record<string, unknown>, leaf: docs.leaves[docs.leaf[i] as number] as Leaf, doc: docs.doc[i] as number })),
      );
    }
    return {
      hits: {
        total: { value: docs.count, relation: 'eq' },
        max_score: scored && Number.isFinite(maxScore) ? javaFloat(maxScore) : null,
        hits,
      },
    };
  },
});

/**
 * The first `n` positions of `[0, count)` in `cmp` order, as a stable sort of all of them would
 * give (an equal position goes after those already kept), keeping only `n` (top_hits' size, at most
 * 100 by default): a sort of every doc of the bucket was one step of ~100 ms over 100,000 docs.
 */
function* firstSteps(count: number, n: number, cmp: (a: number, b: number) => number): Generator<void, number[]> {
  const top: number[] = [];
  if (n <= 0) return top;
  yield* docRangeSteps(count, (from, to) => {
    for (let i = from; i < to; i++) {
      if (top.length === n && cmp(i, top[n - 1] as number) >= 0) continue;
      // upper bound: after every kept position that is not greater
      let lo = 0;
      let hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(top[mid] as number, i) <= 0) lo = mid + 1;
        else hi = mid;
      }
      top.splice(lo, 0, i);
      if (top.length > n) top.pop();
    }
  });
  return top;
}

/** Sort keys per sort clause per position of the DocSet (scores for `_score`). */
function* sortKeysSteps(docs: DocSet, sort: SortSpec[]): Generator<void, SortKey[][]> {
  const sources = new Map<number, Array<SortSource | null>>();
  const sourceOf = (leaf: Leaf): Array<SortSource | null> => {
    let s = sources.get(leaf.target);
    if (!s) sources.set(leaf.target, (s = sort.map((x) => (x.kind === 'field' ? sortSource(x, leaf.view) : null))));
    return s;
  };
  const keys: SortKey[][] = [];
  for (let k = 0; k < sort.length; k++) {
    const s = sort[k] as SortSpec;
    const out = new Array<SortKey>(docs.count);
    yield* docRangeSteps(docs.count, (from, to) => {
      for (let i = from; i < to; i++) {
        const leaf = docs.leaves[docs.leaf[i] as number] as Leaf;
        const doc = docs.doc[i] as number;
        if (s.kind === 'score') {
          const score = docs.score[i] as number;
          out[i] = Number.isNaN(score) ? null : score;
        } else {
          out[i] = docSortKey(s, sourceOf(leaf)[k], leaf, doc);
        }
      }
    });
    keys.push(out);
  }
  return keys;
}

function renderHit(
  docs: DocSet,
  i: number,
  o: TopHitsOptions,
  sort: SortSpec[],
  keys: SortKey[][],
  scored: boolean,
  byScore: boolean,
): Record<string, unknown> {
  const leaf = docs.leaves[docs.leaf[i] as number] as Leaf;
  const seg = leaf.segment;
  const doc = docs.doc[i] as number;
  const hit: Record<string, unknown> = { _index: leaf.view.index, _id: seg.id(doc) };
  let source = seg.source(doc);
  const nestedPath = seg.nestedPath(doc);
  if (nestedPath !== undefined) {
    // a nested hit (under a `nested` aggregation): its place in the parent, and its own part of the source
    if (leaf.view.mapping.nestedPaths().some((p) => nestedPath.startsWith(`${p}.`))) throw unsupported('top_hits on multi-level nested documents');
    const offset = seg.nestedOffset(doc);
    hit._nested = { field: nestedPath, offset };
    const item = nestedItems(seg.source(seg.parentOf(doc)), nestedPath.split('.'))[offset];
    source = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
  }
  if (o.version) hit._version = seg.version(doc);
  if (o.seqNoPrimaryTerm) {
    hit._seq_no = seg.seqNo(doc);
    hit._primary_term = seg.primaryTerm(doc);
  }
  const score = docs.score[i] as number;
  hit._score = scored && !Number.isNaN(score) ? javaFloat(score) : null;
  if (o.source.fetch && source) {
    const filtered = filterSource(source, o.source);
    if (filtered) hit._source = filtered;
  }
  if (o.fields.length > 0 || o.docvalueFields.length > 0 || o.storedFields) {
    const stored = o.storedFields ? storedFieldValues(leaf.view, (nestedPath === undefined ? seg.storedSource?.(doc) : undefined) ?? source, o.storedFields) : {};
    const fields = { ...stored, ...sourceFields(leaf.view, source, o.fields, { seg, doc }), ...docValueFields(leaf.view, seg, doc, o.docvalueFields) };
    if (Object.keys(fields).length > 0) hit.fields = fields;
  }
  if (o.exec && nestedPath === undefined) {
    const names = matchedQueries(o.exec, leaf, doc);
    if (names) hit.matched_queries = names;
  }
  if (!byScore) {
    hit.sort = sort.map((s, k) => {
      const key = keys[k]?.[i] ?? null;
      if (s.kind === 'score') return key === null ? null : javaFloat(key as number);
      if (typeof key === 'string' && s.kind === 'field') return printedSortKey(sortSource(s, leaf.view), key);
      if (key !== null || s.kind !== 'field') return key;
      const src = sortSource(s, leaf.view);
      const numeric = src.type === 'numeric' || (src.type === 'missing' && src.numeric);
      const integral = src.type === 'numeric' ? !['double', 'float', 'half_float', 'scaled_float'].includes(src.info.type) : true;
      return missingSortValue(s, numeric, integral);
    });
  }
  if (o.explain && nestedPath !== undefined) throw unsupported('top_hits explain on nested documents');
  if (o.explain && o.exec) {
    const st = o.exec.states[leaf.target];
    hit._shard = `[${leaf.view.index}][${leaf.view.shardId ?? 0}]`;
    hit._node = NODE_ID;
    const wctx = new WeightContext(leaf.view, (reason) => new EngineError(400, 'query_shard_exception', reason));
    hit._explanation = explainQuery(st, wctx, leaf, doc, score);
  }
  return hit;
}
