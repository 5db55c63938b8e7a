import type { IndexView, SegmentView } from '../contract.js';
import { EngineError, unsupported } from '../errors.js';
import { docValueFields, parseFieldRequests } from './doc-fields.js';
import type { Execution, TargetState } from './executor.js';
import { highlightDocs } from './highlight/index.js';
import { parseHighlight } from './highlight/highlight-options.js';
import type { Leaf } from './match-set.js';
import { javaFloat } from './float-format.js';
import { parseInnerHit } from './inner-hits.js';
import type { InnerHitSpec } from './inner-hits.js';
import { isObject } from './parse-util.js';
import { matchesPattern } from './rewrite-terms.js';
import { collectInnerHits } from './primitive.js';
import type { Primitive, PrimitiveOf } from './primitive.js';
import { NO_MORE_DOCS } from './scorer.js';
import { compareKeys, parseSort, sortKey, sortSource } from './sort.js';
import type { SortKey, SortSource, SortSpec } from './sort.js';
import { WeightContext, createWeight } from './weight.js';
import type { Weight } from './weight.js';

/**
 * `inner_hits` of a `nested` query (NestedQueryBuilder.NestedInnerHitContextBuilder, InnerHitsPhase):
 * for every hit, the children of the query's path that match its inner query, ranked by score (or
 * the inner hit's sort), each with `_nested` (field, offset) and its own object as `_source`.
 * One level of nesting, as the engine's nested query.
 */

/** The options the engine answers in a nested inner hit; the others are refused naming them. */
export function parseNestedInnerHit(v: unknown): InnerHitSpec {
  const spec = parseInnerHit(v);
  for (const key of ['fields', 'stored_fields', 'collapse']) {
    if (spec.body[key] !== undefined) throw unsupported(`${key} in nested inner_hits`);
  }
  if (spec.body.explain === true) throw unsupported('explain in nested inner_hits');
  const source = spec.body._source;
  if (source !== undefined && typeof source !== 'boolean') throw unsupported('_source filtering in nested inner_hits');
  if (spec.body.sort !== undefined) parseSort(spec.body.sort);
  if (spec.body.highlight !== undefined) parseHighlight(spec.body.highlight);
  if (spec.body.docvalue_fields !== undefined) parseFieldRequests(spec.body.docvalue_fields);
  return spec;
}

interface Definition {
  name: string;
  path: string;
  /** The nested query's own inner query (what its inner hits highlight). */
  query: Primitive;
  spec: InnerHitSpec;
  weight: Weight;
  sort: SortSpec[];
  sortSources: Array<SortSource | null>;
}

const definitions = new WeakMap<TargetState, Definition[]>();

/** The nested inner hits of one index's query, checked (names, index.max_inner_result_window) before the query runs. */
export function definitionsOf(st: TargetState): Definition[] {
  let defs = definitions.get(st);
  if (defs) return defs;
  const view = st.view;
  const wctx = new WeightContext(view, (reason) => new EngineError(400, 'query_shard_exception', reason, { index_uuid: view.uuid, index: view.index }));
  const names = new Set<string>();
  const maxWindow = Number(view.setting?.('index.max_inner_result_window') ?? 100);
  defs = collectInnerHits(st.query).map((p: PrimitiveOf<'nested'>) => {
    const spec = p.innerHits as InnerHitSpec;
    const name = spec.name ?? p.path;
    if (names.has(name)) throw new EngineError(400, 'illegal_argument_exception', `[inner_hits] already contains an entry for key [${name}]`);
    names.add(name);
    if (spec.from + spec.size > maxWindow) {
      throw new EngineError(
        400,
        'illegal_argument_exception',
        `Inner result window is too large, the inner hit definition's [${name}]'s from + size must be less than or equal to: [${maxWindow}] but was [${spec.from + spec.size}]. This limit can be set by changing the [index.max_inner_result_window] index level setting.`,
      );
    }
    const sort = spec.body.sort !== undefined ? parseSort(spec.body.sort) : [];
    const query = p.inner.op === 'bool' ? (p.inner.must[0] ?? p.inner) : p.inner;
    return { name, path: p.path, query, spec, weight: createWeight(p.inner, wctx, true), sort, sortSources: sort.map((s) => (s.kind === 'field' ? sortSource(s, view) : null)) };
  });
  definitions.set(st, defs);
  return defs;
}

/** The nested object a child doc stands for, read from its parent's _source. */
function nestedObject(source: Record<string, unknown> | undefined, path: string, offset: number): unknown {
  let v: unknown = source;
  for (const part of path.split('.')) {
    if (Array.isArray(v)) v = v[0];
    v = isObject(v) ? v[part] : undefined;
  }
  return Array.isArray(v) ? v[offset] : v;
}

interface Child {
  doc: number;
  score: number;
  keys: SortKey[];
}

function matchingChildren(def: Definition, seg: SegmentView, parent: number): Child[] {
  let first = parent;
  while (first > 0 && seg.parentOf(first - 1) === parent && first - 1 !== parent) first--;
  const scorer = def.weight.scorer(seg);
  const out: Child[] = [];
  if (!scorer || first === parent) return out;
  for (let d = scorer.advance(first); d !== NO_MORE_DOCS && d < parent; d = scorer.nextDoc()) {
    if (seg.nestedPath(d) !== def.path) continue;
    const keys = def.sort.map((s, k) => {
      const src = def.sortSources[k];
      if (s.kind === 'score') return null;
      return s.kind === 'field' && src ? sortKey(s, src, seg, d) : d;
    });
    out.push({ doc: d, score: Math.fround(scorer.score()), keys });
  }
  return out;
}

function compareChildren(def: Definition, a: Child, b: Child): number {
  if (def.sort.length === 0) return b.score - a.score || a.doc - b.doc;
  for (let k = 0; k < def.sort.length; k++) {
    const s = def.sort[k] as SortSpec;
    const c = s.kind === 'score' ? (s.order === 'desc' ? b.score - a.score : a.score - b.score) : compareKeys(a.keys[k] ?? null, b.keys[k] ?? null, s);
    if (c !== 0) return c;
  }
  return a.doc - b.doc;
}

function childHit(view: IndexView, seg: SegmentView, parent: number, def: Definition, child: Child, showScore: boolean): Record<string, unknown> {
  const body = def.spec.body;
  const offset = seg.nestedOffset(child.doc);
  const hit: Record<string, unknown> = { _index: view.index, _id: seg.id(parent), _nested: { field: def.path, offset } };
  if (body.version === true) hit._version = seg.version(parent);
  if (body.seq_no_primary_term === true) {
    hit._seq_no = seg.seqNo(parent);
    hit._primary_term = seg.primaryTerm(parent);
  }
  hit._score = showScore ? javaFloat(child.score) : null;
  const object = body._source === false ? undefined : nestedObject(seg.source(parent), def.path, offset);
  if (object !== undefined) hit._source = object;
  const requests = parseFieldRequests(body.docvalue_fields);
  if (requests.length > 0) {
    // metadata fields (_seq_no, _version...) are the parent's; the nested fields are the child's
    const meta = requests.filter((r) => r.field.startsWith('_'));
    const fields = { ...docValueFields(view, seg, child.doc, requests.filter((r) => !r.field.startsWith('_'))), ...docValueFields(view, seg, parent, meta) };
    if (Object.keys(fields).length > 0) hit.fields = fields;
  }
  if (def.sort.length > 0) hit.sort = def.sort.map((s, k) => (s.kind === 'score' ? javaFloat(child.score) : child.keys[k] ?? null));
  return hit;
}

/**
 * Stored fields are highlighted from their stored values, which a field excluded from _source keeps
 * alone; the engine highlights children from their _source object, so it refuses stored fields.
 */
function checkHighlightFields(view: IndexView, section: unknown): void {
  for (const { pattern } of parseHighlight(section).fields) {
    const stored = view.mapping.fieldPaths().find((p) => matchesPattern(pattern, p) && view.mapping.field(p)?.stored === true);
    if (stored !== undefined) throw unsupported(`highlight of the stored field [${stored}] in nested inner_hits`);
  }
}

/** The object a child stands for, under its path (what the highlighter reads `path.field` values from). */
function childSource(source: Record<string, unknown> | undefined, path: string, offset: number): Record<string, unknown> | undefined {
  const object = nestedObject(source, path, offset);
  if (object === undefined) return undefined;
  return path.split('.').reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: inner }), object as Record<string, unknown>);
}

/** The `inner_hits` of one hit for the nested queries of its index's query, or undefined when there are none. */
export function nestedInnerHits(exec: Execution, st: TargetState, leaf: Leaf, parent: number): Record<string, unknown> | undefined {
  const seg = leaf.segment;
  const totalHitsAsInt = exec.req.totalHitsAsInt;
  const defs = definitionsOf(st);
  if (defs.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const def of defs) {
    const children = matchingChildren(def, seg, parent).sort((a, b) => compareChildren(def, a, b));
    const byScore = def.sort.length === 0 || def.sort.some((s) => s.kind === 'score');
    const showScore = byScore || def.spec.body.track_scores === true;
    const page = children.slice(def.spec.from, def.spec.from + def.spec.size);
    const max = children.reduce((m, c) => Math.max(m, c.score), -Infinity);
    const hits = page.map((c) => childHit(st.view, seg, parent, def, c, showScore));
    if (def.spec.body.highlight !== undefined && page.length > 0) {
      checkHighlightFields(st.view, def.spec.body.highlight);
      const source = seg.source(parent);
      const targets = page.map((c, k) => ({ hit: hits[k] as Record<string, unknown>, leaf, doc: c.doc, source: childSource(source, def.path, seg.nestedOffset(c.doc)) ?? {} }));
      highlightDocs(def.spec.body.highlight, { exec, nowMs: exec.nowMs }, targets, def.query);
    }
    out[def.name] = {
      hits: {
        total: totalHitsAsInt ? children.length : { value: children.length, relation: 'eq' },
        max_score: showScore && children.length > 0 ? javaFloat(max) : null,
        hits,
      },
    };
  }
  return out;
}
