import { unwrapped } from '../constant-keyword.js';
import type { FieldInfo, SegmentView } from '../../contract.js';
import { EngineError, illegalArgument, parsingError, unsupported } from '../../errors.js';
import type { Vector, VectorSpec } from '../../vector-spec.js';
import { dotProduct, hexBytes, isNotUnitVector, javaFloatText, normalized, similarityToScore, vectorPreview, vectorScore } from '../../vector-spec.js';
import { asInt, asNumber, asString, commonOption, isObject } from '../parse-util.js';
import type { Primitive } from '../primitive.js';
import { NONE } from '../primitive.js';
import type { KnnQuery, Query } from '../query.js';
import type { RewriteContext } from '../rewrite-context.js';
import { drain } from '../scorer.js';
import { WeightContext, createWeight } from '../weight.js';
import { knnVector } from './vector-values.js';

/**
 * The `knn` query (KnnVectorQueryBuilder, 8.12+) and the shard side of a top-level knn search
 * (KnnSearchBuilder): the k documents of a shard nearest to the query vector among those its
 * filter keeps, scored by the field's similarity. Searched exactly, every vector compared (the
 * true neighbours HNSW approximates; num_candidates is checked and otherwise has no effect).
 * A vector field inside a nested object is searched inside a `nested` query only, one best child
 * per parent (ESDiversifyingChildren*KnnVectorQuery); a filter there, and `query_vector_builder`
 * (an inference model), are refused with a 400.
 */

export const NUM_CANDS_LIMIT = 10_000;

/** Parses a knn object: the `knn` query, or one top-level knn search (`topLevel`: inner_hits is its own). */
export function parseKnn(body: unknown, parseQuery: (v: unknown) => Query, topLevel: boolean): KnnQuery {
  if (!isObject(body)) throw parsingError(`[knn] query malformed, no start_object after query name`);
  const q: Partial<KnnQuery> & { kind: 'knn'; boost: number; filter: Query[] } = { kind: 'knn', boost: 1, filter: [] };
  for (const [key, v] of Object.entries(body)) {
    if (key === 'field') q.field = asString('knn', key, v);
    else if (key === 'query_vector') {
      if (typeof v === 'string') q.vector = v;
      else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) q.vector = v as number[];
      else throw parsingError(`[knn] failed to parse field [query_vector]`);
    } else if (key === 'k') q.k = asInt('knn', key, v);
    else if (key === 'num_candidates') q.numCandidates = asInt('knn', key, v);
    else if (key === 'similarity') q.similarity = asNumber('knn', key, v);
    else if (key === 'filter') q.filter = (Array.isArray(v) ? v : [v]).map(parseQuery);
    else if (key === 'query_vector_builder') throw unsupported('query_vector_builder (building the query vector needs a machine learning model)');
    else if (key === 'rescore_vector') checkRescoreVector(v);
    else if (key === 'inner_hits' && topLevel) throw unsupported('inner_hits of a knn search');
    else if (!commonOption('knn', q, key, v)) throw parsingError(`[knn] unknown field [${key}]`);
  }
  if (q.field === undefined) throw parsingError(`[knn] failed to parse: Required [field]`);
  if (q.vector === undefined) throw illegalArgument('either [query_vector_builder] or [query_vector] must be provided');
  if (q.k !== undefined && q.k < 1) throw illegalArgument('[k] must be greater than 0');
  if (q.numCandidates !== undefined && q.numCandidates > NUM_CANDS_LIMIT) throw illegalArgument(`[num_candidates] cannot exceed [${NUM_CANDS_LIMIT}]`);
  if (q.numCandidates !== undefined && q.numCandidates < 1) throw illegalArgument('[num_candidates] must be greater than 0');
  if (q.k !== undefined && q.numCandidates !== undefined && q.numCandidates < q.k) throw illegalArgument('[num_candidates] cannot be less than [k]');
  return q as KnnQuery;
}

/** RescoreVectorBuilder: oversample 1..10, or 0 (quantized vectors are never approximated here, so it changes nothing). */
function checkRescoreVector(v: unknown): void {
  if (!isObject(v) || v.oversample === undefined) throw illegalArgument('[rescore_vector] requires field [oversample]');
  const oversample = asNumber('knn', 'oversample', v.oversample);
  if (oversample < 1 && oversample !== 0) throw illegalArgument('[oversample] must be >= 1.0');
}

/** The query vector checked against the field (DenseVectorFieldType.createKnnQuery); a message on failure. */
export function queryVectorFor(spec: VectorSpec, given: number[] | string): Vector {
  const dims = spec.dims as number;
  const mismatch = (n: number): EngineError => illegalArgument(`The query vector has a different number of dimensions [${n}] than the document vectors [${dims}].`);
  if (spec.elementType !== 'float') {
    let bytes: Int8Array;
    if (typeof given === 'string') {
      const parsed = hexBytes(given);
      if (!parsed) throw illegalArgument(`failed to parse hex string [${given}] as a vector`);
      bytes = parsed;
    } else {
      given.forEach((n, i) => {
        const f = Math.fround(n);
        if (f % 1 !== 0) throw illegalArgument(`element_type [${spec.elementType}] vectors only support non-decimal values but found decimal value [${javaFloatText(f)}] at dim [${i}];${vectorPreview(given, true)}`);
        if (f < -128 || f > 127) throw illegalArgument(`element_type [${spec.elementType}] vectors only support integers between [-128, 127] but found [${javaFloatText(f)}] at dim [${i}];${vectorPreview(given, true)}`);
      });
      bytes = Int8Array.from(given);
    }
    const n = spec.elementType === 'bit' ? bytes.length * 8 : bytes.length;
    if (n !== dims) throw mismatch(n);
    if (spec.similarity === 'cosine' && dotProduct(bytes, bytes) === 0) throw illegalArgument(`The [cosine] similarity does not support vectors with zero magnitude.${vectorPreview(bytes, false)}`);
    return bytes;
  }
  if (typeof given === 'string') throw illegalArgument(`[query_vector] of a float field must be an array of numbers`);
  if (given.length !== dims) throw mismatch(given.length);
  let vector: Float32Array = Float32Array.from(given);
  vector.forEach((f, i) => {
    if (!Number.isFinite(f)) {
      throw illegalArgument(`element_type [float] vectors do not support ${Number.isNaN(f) ? 'NaN' : 'infinite'} values but found [${Number.isNaN(f) ? 'NaN' : f > 0 ? 'Infinity' : '-Infinity'}] at dim [${i}];${vectorPreview(vector, true)}`);
    }
  });
  if (spec.similarity === 'dot_product' || spec.similarity === 'cosine') {
    const sq = dotProduct(vector, vector);
    if (!Number.isFinite(sq)) throw illegalArgument(`NaN or Infinite magnitude detected, this usually means the vector values are too extreme to fit within a float.${vectorPreview(vector, true)}`);
    if (spec.similarity === 'dot_product' && isNotUnitVector(sq)) throw illegalArgument(`The [dot_product] similarity can only be used with unit-length vectors.${vectorPreview(vector, true)}`);
    if (spec.similarity === 'cosine' && Math.sqrt(sq) === 0) throw illegalArgument(`The [cosine] similarity does not support vectors with zero magnitude.${vectorPreview(vector, true)}`);
    if (spec.similarity === 'cosine' && isNotUnitVector(sq)) vector = normalized(vector, sq).vector;
  }
  return vector;
}

/** Selected docs per segment of one shard, with their scores. */
export type ShardSelection = Map<SegmentView, Map<number, number>>;

interface Candidate {
  seg: number;
  doc: number;
  score: number;
}

/** The vector field of a knn search (undefined: unmapped, which matches nothing since 8.16), or the 400 Elasticsearch gives for it. */
function knnField(q: KnnQuery, ctx: RewriteContext): FieldInfo | undefined {
  const f = ctx.field(q.field);
  const failWith = (reason: string): never => ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  if (!f) {
    // index.query.parse.allow_unmapped_fields: false (SearchExecutionContext.failIfFieldMappingNotFound)
    if (String(ctx.view.setting?.('index.query.parse.allow_unmapped_fields')) === 'false') ctx.fail(`No field mapping can be found for the field with name [${q.field}]`);
    return undefined;
  }
  if (f.type !== 'dense_vector' || !f.vector) return failWith(`[knn] queries are only supported on [dense_vector] fields`);
  if (!f.vector.indexed) return failWith(`to perform knn search on field [${f.path}], its mapping must have [index] set to [true]`);
  return f;
}

/**
 * A shard's k nearest documents (live top-level docs passing the filter; with a nested field, the
 * best child of each parent), at or above the similarity threshold, best first; ties by doc order.
 */
export function shardTopK(q: KnnQuery, ctx: RewriteContext, k: number, rewrite: (q: Query, ctx: RewriteContext) => Primitive): ShardSelection {
  const f = knnField(q, ctx);
  const out: ShardSelection = new Map();
  const spec = f?.vector;
  if (!f || !spec || spec.dims === undefined) return out;
  let query: Vector;
  try {
    query = queryVectorFor(spec, q.vector);
  } catch (e) {
    if (e instanceof EngineError && e.type === 'illegal_argument_exception') ctx.fail(`failed to create query: ${e.message}`, { type: e.type, reason: e.message });
    throw e;
  }
  if (f.nestedPath !== undefined) {
    if (ctx.nestedPath !== f.nestedPath) throw unsupported(`knn search on the field [${f.path}] inside a nested object, outside a nested query on [${f.nestedPath}]`);
    if (q.filter.length > 0) throw unsupported(`a filter on a knn search of the nested field [${f.path}]`);
  }
  const filter = q.filter.length > 0 ? filterWeight(q.filter, ctx, rewrite) : undefined;
  const minScore = q.similarity === undefined ? undefined : similarityToScore(spec, q.similarity);
  const found: Candidate[] = [];
  ctx.view.segments.forEach((seg, si) => {
    const allowed = filter ? new Set(filter(seg)) : undefined;
    const bestChild = new Map<number, Candidate>();
    for (let doc = 0; doc < seg.maxDoc; doc++) {
      if (!seg.isLive(doc)) continue;
      if (f.nestedPath === undefined ? seg.nestedPath(doc) !== undefined : seg.nestedPath(doc) !== f.nestedPath) continue;
      if (allowed && !allowed.has(doc)) continue;
      const vector = knnVector(seg, f, doc);
      if (!vector) continue;
      const score = vectorScore(spec, query, vector);
      if (minScore !== undefined && !(score >= minScore)) continue;
      if (f.nestedPath === undefined) {
        found.push({ seg: si, doc, score });
        continue;
      }
      const parent = seg.parentOf(doc);
      const best = bestChild.get(parent);
      if (!best || score > best.score) bestChild.set(parent, { seg: si, doc, score });
    }
    found.push(...bestChild.values());
  });
  found.sort((a, b) => b.score - a.score || a.seg - b.seg || a.doc - b.doc);
  for (const c of found.slice(0, k)) {
    const seg = ctx.view.segments[c.seg] as SegmentView;
    let docs = out.get(seg);
    if (!docs) out.set(seg, (docs = new Map()));
    docs.set(c.doc, c.score);
  }
  return out;
}

/** The knn filter (with a filtered alias's filter, as Elasticsearch adds it) as the docs of a segment. */
function filterWeight(filters: Query[], ctx: RewriteContext, rewrite: (q: Query, ctx: RewriteContext) => Primitive): (seg: SegmentView) => Int32Array {
  const prim: Primitive = ctx.asFilter(() => ({ op: 'bool', must: [], should: [], filter: filters.map((fq) => rewrite(fq, ctx)), mustNot: [], msm: 0, boost: 1 }));
  const weight = createWeight(prim, new WeightContext(ctx.view, (reason, type = 'query_shard_exception') => new EngineError(400, type, reason)), false);
  return (seg) => {
    const scorer = weight.scorer(seg);
    return scorer ? drain(scorer) : new Int32Array(0);
  };
}

/** The selected documents as a query: each matches with its similarity score times the boost (KnnScoreDocQuery). */
export function selectionQuery(selection: ShardSelection | undefined, q: KnnQuery): Primitive {
  if (!selection || selection.size === 0) return NONE;
  return {
    op: 'docs',
    boost: q.boost,
    label: `KnnScoreDocQuery(${q.field})`,
    match: (seg) => Int32Array.from([...(selection.get(unwrapped(seg))?.keys() ?? [])].sort((a, b) => a - b)),
    score: (seg) => {
      const docs = selection.get(unwrapped(seg));
      return (doc, boost) => Math.fround((docs?.get(doc) ?? 0) * boost);
    },
  };
}

/** The `knn` query for one shard: its own top k (k defaults to the request's size). */
export function rewriteKnn(q: KnnQuery, ctx: RewriteContext, rewrite: (q: Query, ctx: RewriteContext) => Primitive): Primitive {
  if (q.selected) return selectionQuery(q.selected.get(unwrapped(ctx.view)) as ShardSelection | undefined, q);
  const k = q.k ?? ctx.requestSize;
  if (q.numCandidates !== undefined && q.numCandidates < k && q.k === undefined) {
    // num_candidates defaults from k; an explicit one below the request size is the shard's k
    return selectionQuery(shardTopK(q, ctx, q.numCandidates, rewrite), q);
  }
  return selectionQuery(shardTopK(q, ctx, k, rewrite), q);
}
