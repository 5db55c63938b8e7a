import type { CompletionInput, FieldInfo, FieldStats, IndexView, MappingLookup, SearchTarget, SegmentView, TermPostings } from '../../contract.js';
import { EngineError } from '../../errors.js';
import { termPostings } from '../../index/segment/segment-core.js';
import type { FieldData } from '../../index/segment/segment-core.js';
import { parseRuntimeSection } from '../../index/mapping/runtime-fields.js';
import type { RuntimeField } from '../../index/mapping/runtime-fields.js';
import { runSteps } from '../paced-run.js';
import { compilePainless } from '../script/painless.js';
import { evaluateSegment } from './runtime-values.js';
import type { RuntimeEvaluation } from './runtime-values.js';

/**
 * An IndexView with its runtime fields (the mapping's `runtime` section and the search's
 * `runtime_mappings`) evaluated: the mapping answers their FieldInfo (a runtime field shadows an
 * indexed field of the same name), the segments their values. Values are computed per segment on
 * first use, or ahead of the query as paced steps (`prefetch`) for the fields the request names.
 */
export class RuntimeView implements IndexView {
  readonly mapping: MappingLookup;
  readonly segments: readonly RuntimeSegment[];
  private readonly evaluations = new Map<string, RuntimeEvaluation>();
  private readonly stats = new Map<string, FieldStats | undefined>();

  private constructor(
    private readonly base: IndexView,
    private readonly runtime: ReadonlyMap<string, FieldInfo>,
  ) {
    this.mapping = new RuntimeLookup(base.mapping, runtime);
    this.segments = base.segments.map((seg) => new RuntimeSegment(seg, this));
  }

  /** The view with its runtime fields, or the view itself when it has none. */
  static of(base: IndexView, extra: readonly RuntimeField[]): IndexView {
    const runtime = new Map<string, FieldInfo>();
    for (const path of base.mapping.fieldPaths()) {
      const info = base.mapping.field(path);
      if (info?.runtime) runtime.set(path, info);
    }
    // runtime_mappings of the search shadow the mapping's fields of the same name
    for (const r of extra) for (const leaf of r.leaves) runtime.set(leaf.path, leaf);
    if (runtime.size === 0) return base;
    return new RuntimeView(base, runtime);
  }

  get index(): string {
    return this.base.index;
  }
  get uuid(): string {
    return this.base.uuid;
  }
  get analysis() {
    return this.base.analysis;
  }
  get numDocs(): number {
    return this.base.numDocs;
  }
  get maxResultWindow(): number {
    return this.base.maxResultWindow;
  }
  get maxAnalyzedOffset(): number | undefined {
    return this.base.maxAnalyzedOffset;
  }
  get shardId(): number | undefined {
    return this.base.shardId;
  }
  get localView(): IndexView | undefined {
    return this.base.localView;
  }
  setting(key: string): unknown {
    return this.base.setting?.(key);
  }
  routingOf(id: string): string | undefined {
    return this.base.routingOf?.(id);
  }
  loadGlobalOrdinals(field: string): void {
    if (!this.runtime.has(field)) this.base.loadGlobalOrdinals?.(field);
  }

  isRuntime(field: string): boolean {
    return this.runtime.has(field);
  }

  /** Runtime field names, to find those a request names. */
  runtimeNames(): IterableIterator<string> {
    return this.runtime.keys();
  }

  fieldStats(field: string): FieldStats | undefined {
    if (!this.runtime.has(field)) return this.base.fieldStats(field);
    if (this.stats.has(field)) return this.stats.get(field);
    let found = false;
    const stats: FieldStats = { docCount: 0, sumTotalTermFreq: 0, sumDocFreq: 0 };
    for (const seg of this.segments) {
      const data = seg.data(field);
      if (!data) continue;
      found = true;
      for (let i = 0; i < data.present.length; i++) stats.docCount += data.present[i]!;
      stats.sumTotalTermFreq += data.sumTotalTermFreq;
      stats.sumDocFreq += data.sumDocFreq;
    }
    const result = found ? stats : undefined;
    this.stats.set(field, result);
    return result;
  }

  docFreq(field: string, term: string): number {
    if (!this.runtime.has(field)) return this.base.docFreq(field, term);
    let n = 0;
    for (const seg of this.segments) n += seg.postings(field, term)?.docFreq ?? 0;
    return n;
  }

  /** The script and leaves of a runtime field, compiled once per search. */
  evaluation(field: string): RuntimeEvaluation | undefined {
    const info = this.runtime.get(field);
    if (!info?.runtime) return undefined;
    const key = info.runtime.composite ?? field;
    let evaluation = this.evaluations.get(key);
    if (!evaluation) {
      const leaves = info.runtime.composite !== undefined ? [...this.runtime.values()].filter((l) => l.runtime?.composite === key) : [info];
      const spec = info.runtime.script;
      const emit = info.runtime.composite !== undefined ? [1, 2] : info.runtime.type === 'geo_point' ? [2] : [1];
      // DateFieldScript's parse(Object): the value's text read with the runtime field's own format
      const parseDate = info.runtime.type === 'date' ? info.parseDate : undefined;
      const script = spec ? compilePainless(spec.source, spec.params, (path) => this.mapping.field(path), false, { doc: true, emit, ...(parseDate ? { parseDate: (text: string) => parseDate(text) } : {}) }) : undefined;
      const scope = this.base.mapping
        .nestedPaths()
        .filter((p) => field.startsWith(`${p}.`))
        .sort((a, b) => b.length - a.length)[0];
      evaluation = { leaves, scope, readsSource: spec !== undefined && spec.source.includes('_source'), ...(script ? { script } : {}) };
      this.evaluations.set(key, evaluation);
    }
    return evaluation;
  }

  /** Evaluates the named runtime fields on every segment ahead of the query, as steps that pause. */
  *prefetch(fields: Iterable<string>): Generator<void, void> {
    for (const field of fields) {
      if (!this.runtime.has(field)) continue;
      for (const seg of this.segments) yield* seg.load(field);
    }
  }
}

/** MappingLookup with the runtime fields: they answer first, and are listed with the others. */
class RuntimeLookup implements MappingLookup {
  constructor(
    private readonly base: MappingLookup,
    private readonly runtime: ReadonlyMap<string, FieldInfo>,
  ) {}
  get syntheticSource(): boolean | undefined {
    return this.base.syntheticSource;
  }
  get sourceDisabled(): boolean | undefined {
    return this.base.sourceDisabled;
  }
  field(path: string): FieldInfo | undefined {
    return this.runtime.get(path) ?? this.base.field(path);
  }
  fieldPaths(): string[] {
    const paths = this.base.fieldPaths();
    const seen = new Set(paths);
    for (const path of this.runtime.keys()) if (!seen.has(path)) paths.push(path);
    return paths;
  }
  nestedPaths(): string[] {
    return this.base.nestedPaths();
  }
  aliasTarget(path: string): string | undefined {
    return this.runtime.has(path) ? undefined : this.base.aliasTarget?.(path);
  }
  aliasPaths(): string[] {
    return this.base.aliasPaths?.() ?? [];
  }
}

/** A segment whose runtime fields read the values their evaluation computed. */
export class RuntimeSegment implements SegmentView {
  private readonly computed = new Map<string, FieldData>();
  private readonly postingsCache = new Map<string, TermPostings>();
  private readonly running = new Set<string>();

  constructor(
    readonly base: SegmentView,
    private readonly view: RuntimeView,
  ) {}

  /** Caches keyed by the segment (can-match, completion) see the base segment's core. */
  get core(): object {
    return (this.base as { core?: object }).core ?? this.base;
  }

  /** Evaluates a runtime field (with its composite's siblings) on this segment, as steps. */
  *load(field: string): Generator<void, void> {
    if (this.computed.has(field)) return;
    const evaluation = this.view.evaluation(field);
    if (!evaluation) return;
    const key = evaluation.leaves[0]?.runtime?.composite ?? field;
    if (this.running.has(key)) throw new EngineError(400, 'illegal_argument_exception', `Cycle detected. Make sure that the runtime field [${key}] doesn't refer to itself, directly or through other runtime fields.`);
    this.running.add(key);
    try {
      const data = yield* evaluateSegment(evaluation, this);
      for (const [path, fieldData] of data) this.computed.set(path, fieldData);
    } finally {
      this.running.delete(key);
    }
  }

  /** The runtime field's values on this segment (evaluated now if no prefetch did), or undefined for an indexed field. */
  data(field: string): FieldData | undefined {
    if (!this.view.isRuntime(field)) return undefined;
    if (!this.computed.has(field)) runSteps(this.load(field));
    return this.computed.get(field);
  }

  get maxDoc(): number {
    return this.base.maxDoc;
  }
  isLive(doc: number): boolean {
    return this.base.isLive(doc);
  }
  id(doc: number): string {
    return this.base.id(doc);
  }
  source(doc: number): Record<string, unknown> | undefined {
    return this.base.source(doc);
  }
  storedSource(doc: number): Record<string, unknown> | undefined {
    return this.base.storedSource?.(doc) ?? this.base.source(doc);
  }
  seqNo(doc: number): number {
    return this.base.seqNo(doc);
  }
  primaryTerm(doc: number): number {
    return this.base.primaryTerm(doc);
  }
  version(doc: number): number {
    return this.base.version(doc);
  }
  nestedPath(doc: number): string | undefined {
    return this.base.nestedPath(doc);
  }
  parentOf(doc: number): number {
    return this.base.parentOf(doc);
  }
  nestedOffset(doc: number): number {
    return this.base.nestedOffset(doc);
  }
  completions(field: string, doc: number): readonly CompletionInput[] | undefined {
    return (this.base as { completions?: (f: string, d: number) => readonly CompletionInput[] | undefined }).completions?.(field, doc);
  }

  postings(field: string, term: string): TermPostings | undefined {
    const data = this.data(field);
    if (!data) return this.base.postings(field, term);
    const index = data.termIndex.get(term);
    if (index === undefined) return undefined;
    const key = `${field}\u0000${term}`;
    let postings = this.postingsCache.get(key);
    if (!postings) {
      postings = termPostings(data, index);
      this.postingsCache.set(key, postings);
    }
    return postings;
  }
  termDocIds(field: string, term: string): Int32Array | undefined {
    if (!this.view.isRuntime(field)) return this.base.termDocIds?.(field, term) ?? this.base.postings(field, term)?.docs;
    return this.postings(field, term)?.docs;
  }
  terms(field: string): readonly string[] {
    return this.data(field)?.terms ?? (this.view.isRuntime(field) ? [] : this.base.terms(field));
  }
  fieldLength(field: string, doc: number): number {
    if (!this.view.isRuntime(field)) return this.base.fieldLength(field, doc);
    return this.data(field)?.lengths?.[doc] ?? 0;
  }
  numericValues(field: string, doc: number): readonly number[] | undefined {
    if (!this.view.isRuntime(field)) return this.base.numericValues(field, doc);
    return this.data(field)?.numbers?.[doc];
  }
  keywordValues(field: string, doc: number): readonly string[] | undefined {
    if (!this.view.isRuntime(field)) return this.base.keywordValues(field, doc);
    return this.data(field)?.keywords?.[doc];
  }
  hasField(field: string, doc: number): boolean {
    if (!this.view.isRuntime(field)) return this.base.hasField(field, doc);
    return this.data(field)?.present[doc] === 1;
  }
}

/** Every string and key of a request body: the names a request may use a runtime field under. */
function namesIn(value: unknown, out: Set<string>, depth = 0): Set<string> {
  if (depth > 64) return out;
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const item of value) namesIn(item, out, depth + 1);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.add(key);
      namesIn(item, out, depth + 1);
    }
  }
  return out;
}

/**
 * The search's targets with their runtime fields (the mapping's and the request's
 * `runtime_mappings`, parsed against each index), the fields the body names evaluated ahead as steps.
 */
export function* withRuntimeFields(targets: SearchTarget[], runtimeMappings: unknown, body: unknown): Generator<void, SearchTarget[]> {
  let names: Set<string> | undefined;
  const out: SearchTarget[] = [];
  for (const target of targets) {
    const extra = runtimeMappings === undefined ? [] : parseRuntimeSection(runtimeMappings, { analysis: target.view.analysis }, 'runtime_mappings');
    const view = RuntimeView.of(target.view, extra);
    if (view instanceof RuntimeView) {
      names ??= namesIn(body, new Set());
      yield* view.prefetch([...view.runtimeNames()].filter((n) => names!.has(n)));
    }
    out.push(view === target.view ? target : { ...target, view });
  }
  return out;
}
