import { createAnalysisRegistry } from '../../../src/engine/analysis/index.js';
import { EngineError } from '../../../src/engine/errors.js';
import type {
  AnalysisRegistry,
  FieldInfo,
  FieldStats,
  FieldType,
  IndexView,
  MappingLookup,
  SegmentView,
  TermPostings,
} from '../../../src/engine/contract.js';

/**
 * A naive, obviously-correct in-memory implementation of the search layer's IndexView
 * contract: documents are analysed with the real analysis layer through a flat mapping
 * (`{ "title": { type: "text" }, "title.raw": { type: "keyword", source: "title" } }`),
 * segments are plain maps. A reference implementation, not a mock: the index layer can
 * property-test its segments against it.
 */

export interface RefField {
  type: FieldType;
  analyzer?: string;
  searchAnalyzer?: string;
  normalizer?: string;
  index?: boolean;
  docValues?: boolean;
  ignoreAbove?: number;
  /** Source path to read when different from the field path (multi-fields). */
  source?: string;
}

export interface RefDoc {
  id: string;
  source: Record<string, unknown>;
  deleted?: boolean;
  seqNo?: number;
  version?: number;
}

interface DocEntry {
  id: string;
  source?: Record<string, unknown>;
  nestedPath?: string;
  parent: number;
  nestedOffset: number;
  live: boolean;
  seqNo: number;
  version: number;
  lengths: Map<string, number>;
  numerics: Map<string, number[]>;
  keywords: Map<string, string[]>;
  has: Set<string>;
}

/** Values at a dotted path of an object (arrays flattened). */
export function valuesAt(obj: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(obj) ? obj.flat(Infinity).filter((v) => v !== null) : obj === null || obj === undefined ? [] : [obj];
  if (Array.isArray(obj)) return obj.flatMap((o) => valuesAt(o, path));
  if (typeof obj !== 'object' || obj === null) return [];
  const rec = obj as Record<string, unknown>;
  return valuesAt(rec[path[0] as string], path.slice(1));
}

class RefMapping implements MappingLookup {
  constructor(
    private readonly fields: Map<string, FieldInfo>,
    private readonly nested: string[],
  ) {}
  field(path: string): FieldInfo | undefined {
    return this.fields.get(path);
  }
  fieldPaths(): string[] {
    return [...this.fields.keys()];
  }
  nestedPaths(): string[] {
    return this.nested;
  }
}

class RefSegment implements SegmentView {
  constructor(
    readonly docs: DocEntry[],
    private readonly postingsMap: Map<string, Map<string, TermPostings>>,
  ) {}
  get maxDoc(): number {
    return this.docs.length;
  }
  private d(doc: number): DocEntry {
    const e = this.docs[doc];
    if (!e) throw new Error(`no doc ${doc}`);
    return e;
  }
  isLive(doc: number): boolean {
    return this.d(this.d(doc).parent).live;
  }
  id(doc: number): string {
    return this.d(doc).id;
  }
  source(doc: number): Record<string, unknown> | undefined {
    return this.d(doc).source;
  }
  seqNo(doc: number): number {
    return this.d(doc).seqNo;
  }
  primaryTerm(): number {
    return 1;
  }
  version(doc: number): number {
    return this.d(doc).version;
  }
  nestedPath(doc: number): string | undefined {
    return this.d(doc).nestedPath;
  }
  parentOf(doc: number): number {
    return this.d(doc).parent;
  }
  nestedOffset(doc: number): number {
    return this.d(doc).nestedOffset;
  }
  postings(field: string, term: string): TermPostings | undefined {
    return this.postingsMap.get(field)?.get(term);
  }
  terms(field: string): readonly string[] {
    return [...(this.postingsMap.get(field)?.keys() ?? [])].sort();
  }
  fieldLength(field: string, doc: number): number {
    return this.d(doc).lengths.get(field) ?? 0;
  }
  numericValues(field: string, doc: number): readonly number[] | undefined {
    return this.d(doc).numerics.get(field);
  }
  keywordValues(field: string, doc: number): readonly string[] | undefined {
    return this.d(doc).keywords.get(field);
  }
  hasField(field: string, doc: number): boolean {
    return this.d(doc).has.has(field);
  }
}

export interface ReferenceIndexOptions {
  maxResultWindow?: number;
  /** Index settings for the analysis registry (`{ analysis: { analyzer: ... } }`). */
  settings?: Record<string, unknown>;
  uuid?: string;
}

export class ReferenceIndex implements IndexView {
  readonly mapping: RefMapping;
  readonly analysis: AnalysisRegistry;
  readonly segments: RefSegment[] = [];
  readonly maxResultWindow: number;
  readonly uuid: string;
  private readonly infos = new Map<string, FieldInfo>();
  private readonly defs: Record<string, RefField>;

  /**
   * @param segments documents per segment (one inner array per segment)
   */
  constructor(
    readonly index: string,
    mapping: Record<string, RefField>,
    segments: RefDoc[][],
    options: ReferenceIndexOptions = {},
  ) {
    this.defs = mapping;
    this.maxResultWindow = options.maxResultWindow ?? 10000;
    this.uuid = options.uuid ?? `${index}-uuid`;
    const registry = createAnalysisRegistry(options.settings ?? {});
    this.analysis = registry;
    const nested: string[] = [];
    for (const [path, def] of Object.entries(mapping)) {
      if (def.type === 'nested') nested.push(path);
      const nestedPath = nested.filter((n) => path.startsWith(`${n}.`)).sort((a, b) => b.length - a.length)[0];
      const analyzer = def.type === 'text' ? registry.analyzer(def.analyzer ?? 'standard') : undefined;
      const info: FieldInfo = {
        path,
        type: def.type,
        indexed: def.index ?? (def.type !== 'object' && def.type !== 'nested'),
        docValues: def.docValues ?? (def.type !== 'text' && def.type !== 'object' && def.type !== 'nested'),
        ...(analyzer ? { analyzer, searchAnalyzer: def.searchAnalyzer ? registry.analyzer(def.searchAnalyzer) : analyzer } : {}),
        ...(def.normalizer ? { normalizer: registry.normalizer(def.normalizer) } : {}),
        ...(def.ignoreAbove !== undefined ? { ignoreAbove: def.ignoreAbove } : {}),
        ...(nestedPath ? { nestedPath } : {}),
        ...(def.type === 'date' ? { parseDate: (v: unknown) => parseDateValue(v) } : {}),
      };
      this.infos.set(path, info);
    }
    this.mapping = new RefMapping(this.infos, nested);
    let seq = 0;
    for (const docs of segments) this.segments.push(this.buildSegment(docs, () => seq++));
  }

  private buildSegment(docs: RefDoc[], nextSeq: () => number): RefSegment {
    const entries: DocEntry[] = [];
    const postings = new Map<string, Map<string, { docs: number[]; freqs: number[]; positions: number[][] }>>();
    const nestedPaths = this.mapping.nestedPaths();
    for (const d of docs) {
      const seqNo = d.seqNo ?? nextSeq();
      // children first (block join order), then the parent
      const children: Array<{ path: string; offset: number; obj: unknown }> = [];
      for (const np of nestedPaths) {
        valuesAt(d.source, np.split('.')).forEach((obj, offset) => children.push({ path: np, offset, obj }));
      }
      const parentIndex = entries.length + children.length;
      for (const c of children) {
        const e = this.entry(d.id, undefined, c.path, parentIndex, c.offset, !d.deleted, seqNo, d.version ?? 1);
        entries.push(e);
        this.indexFields(e, entries.length - 1, postings, (field) => {
          if (!field.startsWith(`${c.path}.`)) return undefined;
          return valuesAt(c.obj, field.slice(c.path.length + 1).split('.'));
        });
      }
      const e = this.entry(d.id, d.source, undefined, parentIndex, 0, !d.deleted, seqNo, d.version ?? 1);
      entries.push(e);
      this.indexFields(e, parentIndex, postings, (field, info) => (info.nestedPath ? undefined : valuesAt(d.source, (this.defs[field]?.source ?? field).split('.'))));
    }
    const final = new Map<string, Map<string, TermPostings>>();
    for (const [field, terms] of postings) {
      const m = new Map<string, TermPostings>();
      for (const [term, p] of terms) {
        m.set(term, {
          docFreq: p.docs.length,
          totalTermFreq: p.freqs.reduce((a, b) => a + b, 0),
          docs: Int32Array.from(p.docs),
          freqs: Int32Array.from(p.freqs),
          ...(this.infos.get(field)?.type === 'text' ? { positions: p.positions.map((x) => Int32Array.from(x)) } : {}),
        });
      }
      final.set(field, m);
    }
    return new RefSegment(entries, final);
  }

  private entry(id: string, source: Record<string, unknown> | undefined, nestedPath: string | undefined, parent: number, nestedOffset: number, live: boolean, seqNo: number, version: number): DocEntry {
    return { id, source, nestedPath, parent, nestedOffset, live, seqNo, version, lengths: new Map(), numerics: new Map(), keywords: new Map(), has: new Set() };
  }

  private indexFields(
    e: DocEntry,
    doc: number,
    postings: Map<string, Map<string, { docs: number[]; freqs: number[]; positions: number[][] }>>,
    values: (field: string, info: FieldInfo) => unknown[] | undefined,
  ): void {
    const add = (field: string, term: string, position: number): void => {
      let terms = postings.get(field);
      if (!terms) postings.set(field, (terms = new Map()));
      let p = terms.get(term);
      if (!p) terms.set(term, (p = { docs: [], freqs: [], positions: [] }));
      if (p.docs[p.docs.length - 1] !== doc) {
        p.docs.push(doc);
        p.freqs.push(0);
        p.positions.push([]);
      }
      p.freqs[p.freqs.length - 1]! += 1;
      p.positions[p.positions.length - 1]!.push(position);
    };
    for (const [field, info] of this.infos) {
      if (info.type === 'object' || info.type === 'nested') continue;
      const vs = values(field, info);
      if (!vs || vs.length === 0) continue;
      e.has.add(field);
      if (info.type === 'text') {
        let base = 0;
        let length = 0;
        for (const v of vs) {
          const tokens = info.analyzer!.analyze(String(v));
          let last = -1;
          for (const t of tokens) {
            add(field, t.term, base + t.position);
            last = Math.max(last, t.position);
          }
          length += tokens.length;
          base += last + 1 + (info.analyzer!.positionIncrementGap ?? 100);
        }
        e.lengths.set(field, length);
      } else if (info.type === 'keyword') {
        const kept = vs.map(String).filter((s) => info.ignoreAbove === undefined || s.length <= info.ignoreAbove);
        const norm = kept.map((s) => (info.normalizer ? info.normalizer.normalize(s) : s));
        for (const t of norm) add(field, t, 0);
        e.keywords.set(field, [...new Set(norm)].sort());
        e.lengths.set(field, norm.length);
      } else {
        const nums = vs.map((v) => (info.type === 'date' ? parseDateValue(v) : info.type === 'boolean' ? (v === true || v === 'true' ? 1 : 0) : Number(v)));
        e.numerics.set(field, nums.sort((a, b) => a - b));
      }
    }
  }

  fieldStats(field: string): FieldStats | undefined {
    let docCount = 0;
    let sumTotalTermFreq = 0;
    let sumDocFreq = 0;
    for (const seg of this.segments) {
      for (const t of seg.terms(field)) {
        const p = seg.postings(field, t)!;
        sumTotalTermFreq += p.totalTermFreq;
        sumDocFreq += p.docFreq;
      }
      for (let d = 0; d < seg.maxDoc; d++) {
        if (seg.terms(field).length > 0 && seg.docs[d]!.has.has(field) && (seg.fieldLength(field, d) > 0)) docCount++;
      }
    }
    return docCount > 0 ? { docCount, sumTotalTermFreq, sumDocFreq } : undefined;
  }

  docFreq(field: string, term: string): number {
    let n = 0;
    for (const seg of this.segments) n += seg.postings(field, term)?.docFreq ?? 0;
    return n;
  }

  get numDocs(): number {
    let n = 0;
    for (const seg of this.segments) for (let d = 0; d < seg.maxDoc; d++) if (seg.isLive(d) && seg.nestedPath(d) === undefined) n++;
    return n;
  }
}

function parseDateValue(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = String(v);
  if (/^-?\d+$/.test(s)) return Number(s);
  const ms = Date.parse(/T|Z|[+-]\d\d:\d\d$/.test(s) || s.length > 10 ? s : `${s}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new EngineError(400, 'parse_exception', `failed to parse date field [${s}] with format [strict_date_optional_time||epoch_millis]`);
  return ms;
}

/** Shorthand: one-segment index. */
export function refIndex(name: string, mapping: Record<string, RefField>, docs: RefDoc[], options?: ReferenceIndexOptions): ReferenceIndex {
  return new ReferenceIndex(name, mapping, [docs], options);
}
