import type { FieldInfo, IndexView, MappingLookup, SegmentView } from '../../contract.js';
import { EngineError, unsupported } from '../../errors.js';
import { parseQuery } from '../parse-query.js';
import { collectNamed, subPrimitives } from '../primitive.js';
import type { Primitive, PrimitiveOf } from '../primitive.js';
import { rewrite } from '../rewrite.js';
import { RewriteContext } from '../rewrite-context.js';
import { NO_MORE_DOCS } from '../scorer.js';
import { WeightContext, createWeight } from '../weight.js';
import type { Weight } from '../weight.js';
import type { PercolateQuery } from './percolate-query.js';

type Json = Record<string, unknown>;

/** What the fetch phase adds to a hit a percolate query matched: `_percolator_document_slot` and the named queries per slot. */
export interface PercolateFetch {
  /** The query's `name`, else its field: the suffix of the slot field when a search holds several percolate queries. */
  name: string;
  /** The slots of the percolated documents the hit's stored query matches, with the names of its sub-queries matching each. */
  slots(segment: SegmentView, doc: number): { slots: number[]; matched: string[][] } | undefined;
  /** The matched percolated documents, to highlight with the hit's stored query (PercolatorHighlightSubFetchPhase). */
  highlights(segment: SegmentView, doc: number): PercolatedHighlight[];
}

/** One matched percolated document: where it is in the in-memory index, its source, and the stored query that matched it. */
export interface PercolatedHighlight {
  /** Slot of the document, and how many documents the query percolates (one: fields keep their names). */
  slot: number;
  documents: number;
  view: IndexView;
  segment: SegmentView;
  doc: number;
  source: Json;
  query: Primitive;
}

/** Queries PercolatorFieldMapper.parseQueryBuilder refuses inside a stored query. */
const REFUSED_INSIDE = ['has_child', 'has_parent', 'knn'];

/**
 * PercolatorFieldMapper.parse's check of a stored query: parsed and converted with the mapping of
 * the moment, where a field the mapping lacks fails (`setAllowUnmappedFields(false)`). `empty` is
 * an index of no documents with that mapping.
 */
export function checkPercolatorQuery(query: unknown, empty: IndexView): void {
  refuseInside(query);
  rewrite(parseQuery(query), new RewriteContext(strictView(empty), Date.now()));
}

function refuseInside(node: unknown): void {
  if (Array.isArray(node)) node.forEach(refuseInside);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, child] of Object.entries(node)) {
      if (REFUSED_INSIDE.includes(key)) throw new EngineError(400, 'illegal_argument_exception', `the [${key}] query is unsupported inside a percolator query`);
      refuseInside(child);
    }
  }
}

/** SearchExecutionContext.failIfFieldMappingNotFound: a query on a field the mapping lacks fails. */
function strictView(view: IndexView): IndexView {
  const mapping = view.mapping;
  const strict: MappingLookup = {
    field(path: string): FieldInfo | undefined {
      const info = mapping.field(path);
      if (!info && !path.startsWith('_')) throw new EngineError(400, 'query_shard_exception', `No field mapping can be found for the field with name [${path}]`, { index_uuid: view.uuid, index: view.index });
      return info;
    },
    fieldPaths: () => mapping.fieldPaths(),
    nestedPaths: () => mapping.nestedPaths(),
    ...(mapping.aliasTarget ? { aliasTarget: (p: string) => mapping.aliasTarget?.(p) } : {}),
    ...(mapping.aliasPaths ? { aliasPaths: () => mapping.aliasPaths?.() ?? [] } : {}),
  };
  return Object.assign(Object.create(view) as IndexView, { mapping: strict });
}

/**
 * The percolate query for one shard (PercolateQueryBuilder.doToQuery, PercolateQuery): a document
 * of the shard matches when the query stored in its percolator field matches one of the
 * percolated documents, held in an index of their own; its score is the stored query's best
 * score there (BM25Similarity, as a MemoryIndex searcher scores).
 */
export function rewritePercolate(q: PercolateQuery, ctx: RewriteContext): Primitive {
  ctx.checkExpensive('percolate');
  const info = ctx.field(q.field);
  if (!info) return ctx.fail(`field [${q.field}] does not exist`);
  if (info.type !== 'percolator') return ctx.fail(`expected field [${q.field}] to be of type [percolator], but is of type [${info.type}]`);
  const lookup = ctx.documents;
  if (!lookup) throw unsupported('percolate query in this context');
  const documents = q.indexed ? [indexedDocument(q, lookup.source(q.indexed.index, q.indexed.id, q.indexed.routing))] : q.documents;
  const percolator = new Percolator(lookup.memoryIndex(ctx.view.index, documents), ctx);
  const field = info.path;
  const stored = (seg: SegmentView, doc: number): string | undefined => (seg.isLive(doc) && seg.nestedPath(doc) === undefined ? seg.keywordValues(field, doc)?.[0] : undefined);
  return {
    op: 'docs',
    boost: q.boost,
    label: `percolate:${field}`,
    match: (seg) => {
      const out: number[] = [];
      for (let d = 0; d < seg.maxDoc; d++) {
        const json = stored(seg, d);
        if (json !== undefined && percolator.run(json).slots.length > 0) out.push(d);
      }
      return Int32Array.from(out);
    },
    score: (seg) => (doc, boost) => {
      const json = stored(seg, doc);
      return json === undefined ? 0 : Math.fround(boost * percolator.run(json).score);
    },
    percolate: {
      name: q.slotName ?? q.field,
      slots: (seg, doc) => {
        const json = stored(seg, doc);
        if (json === undefined) return undefined;
        const result = percolator.run(json);
        return result.slots.length === 0 ? undefined : { slots: result.slots, matched: percolator.namedMatches(json, result.docs) };
      },
      highlights: (seg, doc) => {
        const json = stored(seg, doc);
        const memory = percolator.segment;
        if (json === undefined || !memory) return [];
        const result = percolator.run(json);
        return result.slots.map((slot, i) => ({
          slot,
          documents: documents.length,
          view: percolator.memory,
          segment: memory,
          doc: result.docs[i] as number,
          source: documents[slot] as Json,
          query: result.primitive,
        }));
      },
    },
  };
}

/** The source PercolateQueryBuilder.doRewrite gets for `index` and `id`. */
function indexedDocument(q: PercolateQuery, source: Json | null | undefined): Json {
  const { index, id } = q.indexed as { index: string; id: string };
  if (source === undefined) throw new EngineError(404, 'resource_not_found_exception', `indexed document [${index}/${id}] couldn't be found`);
  if (source === null) throw new EngineError(400, 'illegal_argument_exception', `indexed document [${index}/${id}] source disabled`);
  return source;
}

interface StoredResult {
  /** Matching top-level docs of the in-memory index, ascending, and their slots. */
  docs: number[];
  slots: number[];
  score: number;
  primitive: Primitive;
  wctx: WeightContext;
}

/** Runs stored queries (each once per shard) against the in-memory index of the percolated documents. */
class Percolator {
  private readonly results = new Map<string, StoredResult>();
  readonly segment: SegmentView | undefined;
  /** Top-level ordinal (slot) of each doc of the in-memory segment. */
  private readonly slotOf: Int32Array;

  constructor(
    readonly memory: IndexView,
    private readonly shard: RewriteContext,
  ) {
    this.segment = memory.segments[0];
    const seg = this.segment;
    this.slotOf = new Int32Array(seg?.maxDoc ?? 0);
    let slot = 0;
    for (let d = 0; d < this.slotOf.length; d++) this.slotOf[d] = seg?.nestedPath(d) === undefined ? slot++ : -1;
  }

  run(json: string): StoredResult {
    let result = this.results.get(json);
    if (!result) this.results.set(json, (result = this.evaluate(json)));
    return result;
  }

  private evaluate(json: string): StoredResult {
    const rctx = new RewriteContext(this.memory, this.shard.nowMs);
    rctx.scripts = this.shard.scripts;
    rctx.documents = this.shard.documents;
    const primitive = rewrite(parseQuery(JSON.parse(json) as unknown), rctx);
    const wctx = new WeightContext(this.memory, (reason, type = 'query_shard_exception') => new EngineError(400, type, reason));
    wctx.legacyBm25 = false;
    const docs: number[] = [];
    const slots: number[] = [];
    let score = 0;
    const scorer = this.segment ? createWeight(primitive, wctx, true).scorer(this.segment) : null;
    for (let d = scorer ? scorer.nextDoc() : NO_MORE_DOCS; d !== NO_MORE_DOCS; d = (scorer as NonNullable<typeof scorer>).nextDoc()) {
      const slot = this.slotOf[d] as number;
      if (slot < 0) continue;
      const s = (scorer as NonNullable<typeof scorer>).score();
      if (docs.length === 0 || s > score) score = s;
      docs.push(d);
      slots.push(slot);
    }
    return { docs, slots, score, primitive, wctx };
  }

  /** NamedMatches.findNamedMatches per matched doc: the `_name`s of the stored query's sub-queries matching it, in query order. */
  namedMatches(json: string, docs: readonly number[]): string[][] {
    const { primitive, wctx } = this.run(json);
    const named = collectNamed(primitive);
    const seg = this.segment;
    if (named.length === 0 || !seg) return docs.map(() => []);
    const weights = named.map((n: PrimitiveOf<'named'>) => ({ name: n.name, weight: createWeight(n.inner, wctx, false) as Weight }));
    return docs.map((doc) => weights.filter(({ weight }) => weight.scorer(seg)?.advance(doc) === doc).map(({ name }) => name));
  }
}

/** The name of the slot field: `_percolator_document_slot`, suffixed with the query's name when a search holds several. */
const SLOT_FIELD = '_percolator_document_slot';

/**
 * PercolatorMatchedSlotSubFetchPhase: for a hit, per percolate query of the search whose stored
 * query matched, the slots of the documents it matched and, per slot, its named sub-queries that
 * matched (`<slot field>_<slot>_matched_queries`). Undefined when there is nothing to add.
 */
export function percolatorHitFields(query: Primitive, segment: SegmentView, doc: number): Record<string, unknown[]> | undefined {
  const found = percolateQueries(query);
  let out: Record<string, unknown[]> | undefined;
  for (const percolate of found) {
    const result = percolate.slots(segment, doc);
    if (!result) continue;
    const field = found.length === 1 ? SLOT_FIELD : `${SLOT_FIELD}_${percolate.name}`;
    out ??= {};
    out[field] = result.slots;
    result.matched.forEach((names, i) => {
      if (names.length > 0) (out as Record<string, unknown[]>)[`${field}_${result.slots[i] as number}_matched_queries`] = names;
    });
  }
  return out;
}

/** The percolate queries of a search's query, in query order. */
function percolateQueries(query: Primitive): PercolateFetch[] {
  const found: PercolateFetch[] = [];
  const stack: Primitive[] = [query];
  while (stack.length > 0) {
    const node = stack.pop() as Primitive;
    if (node.op === 'docs' && node.percolate) found.unshift(node.percolate);
    stack.push(...subPrimitives(node));
  }
  return found;
}

/**
 * PercolatorHighlightSubFetchPhase: the percolated documents a hit's stored query matched, each
 * highlighted with that query, their fields prefixed with the slot (several documents) and the
 * percolate query's name (several percolate queries).
 */
export function percolatedHighlights(query: Primitive, segment: SegmentView, doc: number): Array<PercolatedHighlight & { prefix: string }> {
  const found = percolateQueries(query);
  return found.flatMap((percolate) =>
    percolate.highlights(segment, doc).map((h) => ({
      ...h,
      prefix: `${found.length === 1 ? '' : `${percolate.name}_`}${h.documents === 1 ? '' : `${h.slot}_`}`,
    })),
  );
}
