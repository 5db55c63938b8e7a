import type { IndexView, SegmentView } from '../contract.js';
import { EngineError, unsupported } from '../errors.js';
import { nestedChain, nestedParentOf } from './nested-parents.js';
import { docValueFields, parseFieldRequests, sourceFields } from './doc-fields.js';
import type { Execution, TargetState } from './executor.js';
import { highlightDocs } from './highlight/index.js';
import { parseHighlight } from './highlight/highlight-options.js';
import type { Leaf } from './match-set.js';
import { javaFloat } from './float-format.js';
import { parseInnerHit } from './inner-hits.js';
import type { InnerHitSpec } from './inner-hits.js';
import { isObject } from './parse-util.js';
import { collectInnerHits } from './primitive.js';
import type { Primitive, PrimitiveOf } from './primitive.js';
import { NO_MORE_DOCS } from './scorer.js';
import { compareKeys, parseSort, printedSortKey, sortKey, sortSource } from './sort.js';
import type { SortKey, SortSource, SortSpec } from './sort.js';
import { WeightContext, createWeight } from './weight.js';
import type { Weight } from './weight.js';

/**
 * `inner_hits` of a `nested` query (NestedQueryBuilder.NestedInnerHitContextBuilder, InnerHitsPhase):
 * for every hit, the children of the query's path that match its inner query, ranked by score (or
 * the inner hit's sort), each with `_nested` (field, offset) and its own object as `_source`.
 * Multi-level: a nested query inside one with `inner_hits` gives each of that one's inner hits
 * inner hits of its own (the children of that nested object); `_nested` then chains every level
 * from the top (`{field: comments, offset: 1, _nested: {field: votes, offset: 0}}`).
 */

/** The options the engine answers in a nested inner hit; the others are refused naming them. */
export function parseNestedInnerHit(v: unknown): InnerHitSpec {
  const spec = parseInnerHit(v);
  for (const key of ['stored_fields', 'collapse']) {
    if (spec.body[key] !== undefined) throw unsupported(`${key} in nested inner_hits`);
  }
  if (spec.body.explain === true) throw unsupported('explain in nested inner_hits');
  const source = spec.body._source;
  if (source !== undefined && typeof source !== 'boolean') throw unsupported('_source filtering in nested inner_hits');
  if (spec.body.sort !== undefined) parseSort(spec.body.sort);
  if (spec.body.highlight !== undefined) parseHighlight(spec.body.highlight);
  if (spec.body.docvalue_fields !== undefined) parseFieldRequests(spec.body.docvalue_fields);
  if (spec.body.fields !== undefined) parseFieldRequests(spec.body.fields);
  return spec;
}

interface Definition {
  name: string;
  path: string;
  /** The enclosing inner hit's path (its nested objects are the parents), or undefined for top-level documents. */
  parentPath: string | undefined;
  /** The inner hits of nested queries inside this one's query, per inner hit of this one. */
  children: Definition[];
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
  defs = buildDefinitions(st.view, st.query, undefined);
  definitions.set(st, defs);
  return defs;
}

/** The definitions of the nested queries with inner_hits in `query` (names unique per level, as ES's map per builder). */
function buildDefinitions(view: IndexView, query: Primitive, parentPath: string | undefined): Definition[] {
  const wctx = new WeightContext(view, (reason) => new EngineError(400, 'query_shard_exception', reason, { index_uuid: view.uuid, index: view.index }));
  const names = new Set<string>();
  const maxWindow = Number(view.setting?.('index.max_inner_result_window') ?? 100);
  return collectInnerHits(query).map((p: PrimitiveOf<'nested'>) => {
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
    return {
      name,
      path: p.path,
      parentPath,
      children: buildDefinitions(view, p.inner, p.path),
      query,
      spec,
      weight: createWeight(p.inner, wctx, true),
      sort,
      sortSources: sort.map((s) => (s.kind === 'field' ? sortSource(s, view) : null)),
    };
  });
}

/** One level of a nested hit's identity: the path relative to the level above, and the offset among its siblings there. */
interface Level {
  field: string;
  offset: number;
}

/** The levels from the top-level document down to nested doc `doc` (SearchHit.NestedIdentity, outermost first). */
function identityOf(view: IndexView, seg: SegmentView, doc: number, path: string): Level[] {
  const chain = nestedChain(view.mapping.nestedPaths(), path);
  const levels: Level[] = [];
  let d = doc;
  for (let i = chain.length - 1; i >= 0; i--) {
    const here = chain[i] as string;
    const above = chain[i - 1];
    levels.unshift({ field: above === undefined ? here : here.slice(above.length + 1), offset: seg.nestedOffset(d) });
    if (above !== undefined) d = nestedParentOf(seg, d, above);
  }
  return levels;
}

/** `_nested` of a hit: the levels nested into each other. */
function nestedIdentity(levels: readonly Level[]): Record<string, unknown> | undefined {
  return levels.reduceRight<Record<string, unknown> | undefined>((inner, l) => ({ field: l.field, offset: l.offset, ...(inner ? { _nested: inner } : {}) }), undefined);
}

/** The nested object a child doc stands for, read from its top-level document's source level by level. */
function nestedObject(source: Record<string, unknown> | undefined, levels: readonly Level[]): unknown {
  let v: unknown = source;
  for (const level of levels) {
    for (const part of level.field.split('.')) {
      if (Array.isArray(v)) v = v[0];
      v = isObject(v) ? v[part] : undefined;
    }
    v = Array.isArray(v) ? v[level.offset] : v;
  }
  return v;
}

/** A nested hit's source as the fields API reads it: only its own object, under its full path (one object per nested level). */
function nestedSource(object: unknown, levels: readonly Level[]): Record<string, unknown> {
  let v: unknown = object ?? {};
  for (let i = levels.length - 1; i >= 0; i--) {
    const parts = (levels[i] as Level).field.split('.');
    v = [v];
    for (let k = parts.length - 1; k >= 0; k--) v = { [parts[k] as string]: v };
  }
  return v as Record<string, unknown>;
}

interface Child {
  doc: number;
  score: number;
  keys: SortKey[];
}

/** The children of `parent` (a top-level doc, or a nested doc of def.parentPath) that match the definition's query. */
function matchingChildren(def: Definition, seg: SegmentView, parent: number): Child[] {
  // the top-level document's block holds every nested doc under it, right before it
  const root = seg.parentOf(parent);
  let first = parent;
  while (first > 0 && seg.parentOf(first - 1) === root && first - 1 !== root) first--;
  const scorer = def.weight.scorer(seg);
  const out: Child[] = [];
  if (!scorer || first === parent) return out;
  for (let d = scorer.advance(first); d !== NO_MORE_DOCS && d < parent; d = scorer.nextDoc()) {
    if (seg.nestedPath(d) !== def.path) continue;
    if (def.parentPath !== undefined && nestedParentOf(seg, d, def.parentPath) !== parent) continue;
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

function childHit(view: IndexView, seg: SegmentView, parent: number, def: Definition, child: Child, levels: readonly Level[], showScore: boolean): Record<string, unknown> {
  const body = def.spec.body;
  const hit: Record<string, unknown> = { _index: view.index, _id: seg.id(parent), _nested: nestedIdentity(levels) };
  if (body.version === true) hit._version = seg.version(parent);
  if (body.seq_no_primary_term === true) {
    hit._seq_no = seg.seqNo(parent);
    hit._primary_term = seg.primaryTerm(parent);
  }
  hit._score = showScore ? javaFloat(child.score) : null;
  const object = body._source === false ? undefined : nestedObject(seg.source(parent), levels);
  if (object !== undefined) hit._source = object;
  const requests = parseFieldRequests(body.docvalue_fields);
  const fetched = parseFieldRequests(body.fields);
  if (requests.length > 0 || fetched.length > 0) {
    // FetchFieldsPhase on a nested hit reads the nested hit's source: its own object under its full
    // path (`{comments: [{...}]}`), so its fields come grouped as at the top level ({comments: [{author: [...]}]})
    const source = seg.source(parent);
    const fromSource = fetched.length > 0 ? sourceFields(view, source === undefined ? undefined : nestedSource(nestedObject(source, levels), levels), fetched) : {};
    // metadata fields (_seq_no, _version...) are the parent's; the nested fields are the child's
    const meta = requests.filter((r) => r.field.startsWith('_'));
    const fields = { ...fromSource, ...docValueFields(view, seg, child.doc, requests.filter((r) => !r.field.startsWith('_'))), ...docValueFields(view, seg, parent, meta) };
    if (Object.keys(fields).length > 0) hit.fields = fields;
  }
  if (def.sort.length > 0) hit.sort = def.sort.map((s, k) => (s.kind === 'score' ? javaFloat(child.score) : printedSortKey(def.sortSources[k], child.keys[k] ?? null)));
  return hit;
}

/**
 * The object a child stands for, under its full path (what the highlighter reads `path.field`
 * values from). Stored fields read the document as indexed, where a field excluded from
 * _source (or all of them, with _source disabled) keeps its stored values.
 */
function childSource(source: Record<string, unknown> | undefined, path: string, levels: readonly Level[]): Record<string, unknown> | undefined {
  const object = nestedObject(source, levels);
  if (!isObject(object)) return undefined;
  return path.split('.').reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: inner }), object);
}

/** The `inner_hits` of one hit for the nested queries of its index's query, or undefined when there are none. */
export function nestedInnerHits(exec: Execution, st: TargetState, leaf: Leaf, parent: number): Record<string, unknown> | undefined {
  const defs = definitionsOf(st);
  if (defs.length === 0) return undefined;
  return innerHitsOf(exec, st, leaf, parent, defs);
}

/** The inner hits under `parent` (a top-level doc, or a nested doc for the children of a nested inner hit). */
function innerHitsOf(exec: Execution, st: TargetState, leaf: Leaf, parent: number, defs: readonly Definition[]): Record<string, unknown> {
  const seg = leaf.segment;
  const root = seg.parentOf(parent);
  const totalHitsAsInt = exec.req.totalHitsAsInt;
  const out: Record<string, unknown> = {};
  for (const def of defs) {
    const children = matchingChildren(def, seg, parent).sort((a, b) => compareChildren(def, a, b));
    const byScore = def.sort.length === 0 || def.sort.some((s) => s.kind === 'score');
    const showScore = byScore || def.spec.body.track_scores === true;
    const page = children.slice(def.spec.from, def.spec.from + def.spec.size);
    const max = children.reduce((m, c) => Math.max(m, c.score), -Infinity);
    const levels = page.map((c) => identityOf(st.view, seg, c.doc, def.path));
    const hits = page.map((c, k) => childHit(st.view, seg, root, def, c, levels[k] as Level[], showScore));
    if (def.spec.body.highlight !== undefined && page.length > 0) {
      const source = seg.source(root);
      const stored = seg.storedSource?.(root) ?? source;
      const targets = page.map((c, k) => ({
        hit: hits[k] as Record<string, unknown>,
        leaf,
        doc: c.doc,
        source: childSource(source, def.path, levels[k] as Level[]) ?? {},
        storedSource: childSource(stored, def.path, levels[k] as Level[]) ?? {},
      }));
      highlightDocs(def.spec.body.highlight, { exec, nowMs: exec.nowMs }, targets, def.query);
    }
    if (def.children.length > 0) {
      page.forEach((c, k) => {
        (hits[k] as Record<string, unknown>).inner_hits = innerHitsOf(exec, st, leaf, c.doc, def.children);
      });
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
