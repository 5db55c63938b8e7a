import { EngineError } from '../errors.js';
import { nanosField, readNanos } from '../date-nanos.js';
import { murmur3x86_32 } from '../murmur3.js';
import type { FieldInfo, IndexView, SegmentView } from '../contract.js';
import { NONE } from './primitive.js';
import type { Primitive } from './primitive.js';
import { isObject } from './parse-util.js';
import { runSteps } from './paced-run.js';

/**
 * `slice` of a scroll or point-in-time search (SliceBuilder): the documents split into `max`
 * disjoint parts, part `id` searched. As SliceBuilder.toFilter does it, shards are split first:
 * with at least as many slices as shards, slice `id` searches shard `id % shards` only, and that
 * shard's slices split its documents; with fewer slices than shards, a slice takes whole shards
 * (`shard % max == id`). Within a shard:
 * - a scroll without `field`, or `field: _id`: TermsSliceQuery, Murmur3 (seed 7919) of each
 *   document's `_id` as Lucene indexes it (Uid.encodeId), `floorMod(hash, max) == id`;
 * - a point in time without `field`: DocIdSliceQuery, contiguous ranges of Lucene doc ids;
 * - a numeric field with doc values: DocValuesSliceQuery, hppc's BitMixer.mix of each doc value
 *   (the long Lucene keeps: sortable bits for double, float and half_float), a document without a
 *   value hashing as 0.
 */
export interface SliceSpec {
  field?: string;
  id: number;
  max: number;
}

function parseError(key: string, reason: string): EngineError {
  return new EngineError(400, 'x_content_parse_exception', `[slice] failed to parse field [${key}]`, {}, new EngineError(400, 'illegal_argument_exception', reason));
}

/** The `slice` object of a search body (SliceBuilder's parser and its setters' checks, in order). */
export function parseSlice(value: unknown): SliceSpec {
  if (!isObject(value)) throw new EngineError(400, 'x_content_parse_exception', '[slice] slice doesn\'t support values of type: VALUE_STRING');
  const spec: SliceSpec = { id: -1, max: -1 };
  for (const [key, v] of Object.entries(value)) {
    if (key === 'field') {
      if (typeof v !== 'string') throw new EngineError(400, 'x_content_parse_exception', '[slice] field doesn\'t support values of type: VALUE_NUMBER');
      spec.field = v;
      continue;
    }
    if (key !== 'id' && key !== 'max') throw new EngineError(400, 'x_content_parse_exception', `[slice] unknown field [${key}]`);
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new EngineError(400, 'x_content_parse_exception', `[slice] failed to parse field [${key}]`);
    if (key === 'id') {
      if (n < 0) throw parseError(key, 'id must be greater than or equal to 0');
      if (spec.max !== -1 && n >= spec.max) throw parseError(key, 'max must be greater than id');
      spec.id = n;
    } else {
      if (n <= 1) throw parseError(key, 'max must be greater than 1');
      if (spec.id !== -1 && spec.id >= n) throw parseError(key, 'max must be greater than id');
      spec.max = n;
    }
  }
  return spec;
}

const UTF8 = 0xff;
const NUMERIC = 0xfe;
const BASE64_ESCAPE = 0xfd;

function isUrlBase64WithoutPadding(id: string): boolean {
  const last = id.charAt(id.length - 1);
  switch (id.length & 3) {
    case 1:
      return false;
    case 2:
      if (!'AQgw'.includes(last)) return false;
      break;
    case 3:
      if (!'AEIMQUYcgkosw048'.includes(last)) return false;
      break;
  }
  return /^[A-Za-z0-9_-]*$/.test(id);
}

/** Uid.encodeId: the bytes Lucene's `_id` term holds for an id (numeric, base64 or UTF-8 form). */
export function encodeId(id: string): Uint8Array {
  if (/^[0-9]+$/.test(id)) {
    const b = new Uint8Array(1 + ((id.length + 1) >> 1));
    b[0] = NUMERIC;
    for (let i = 0; i < id.length; i += 2) {
      const b1 = id.charCodeAt(i) - 48;
      const b2 = i + 1 === id.length ? 0x0f : id.charCodeAt(i + 1) - 48;
      b[1 + (i >> 1)] = (b1 << 4) | b2;
    }
    return b;
  }
  if (isUrlBase64WithoutPadding(id)) {
    const bytes = Buffer.from(id, 'base64url');
    if (bytes[0]! >= BASE64_ESCAPE) return Uint8Array.from([BASE64_ESCAPE, ...bytes]);
    return new Uint8Array(bytes);
  }
  const utf8 = Buffer.from(id, 'utf8');
  const b = new Uint8Array(1 + utf8.length);
  b[0] = UTF8;
  b.set(utf8, 1);
  return b;
}

/** TermsSliceQuery.SEED. */
const TERMS_SEED = 7919;

/** Java's Math.floorMod of an int hash. */
const floorMod = (x: number, m: number): number => ((x % m) + m) % m;

const MASK64 = (1n << 64n) - 1n;

/** hppc BitMixer.mix(long): Stafford's variant 9 of the 64-bit mix, truncated to an int. */
export function bitMix(value: bigint): number {
  let z = BigInt.asUintN(64, value);
  z = ((z ^ (z >> 32n)) * 0x4cd6944c5cc20b6dn) & MASK64;
  z = ((z ^ (z >> 29n)) * 0xfc12c5b19d3259e9n) & MASK64;
  z ^= z >> 32n;
  return Number(BigInt.asIntN(32, z));
}

const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** The 16 bits of a half-float value (exactly representable: it was stored as one). */
function halfFloatBits(v: number): number {
  F32[0] = v;
  const x = I32[0]! >>> 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant = (mant | 0x800000) >> (1 - e);
    return sign | (mant >> 13);
  }
  return sign | (e << 10) | (mant >> 13);
}

/** The long a numeric field's doc values hold for `value` (NumericUtils' sortable bits for floating points). */
function docValueLong(f: FieldInfo, value: number): bigint {
  switch (f.type) {
    case 'double': {
      F64[0] = value;
      const bits = I64[0]!;
      return bits ^ ((bits >> 63n) & 0x7fffffffffffffffn);
    }
    case 'float': {
      F32[0] = value;
      const bits = I32[0]!;
      return BigInt(bits ^ ((bits >> 31) & 0x7fffffff));
    }
    case 'half_float': {
      const bits = (halfFloatBits(value) << 16) >> 16;
      return BigInt(bits ^ ((bits >> 15) & 0x7fff));
    }
    case 'scaled_float':
      return BigInt(Math.round(value * (f.scalingFactor ?? 1)));
    default:
      return BigInt(Math.trunc(value));
  }
}

const NUMERIC_TYPES = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'date', 'date_nanos', 'boolean', 'token_count']);

/** Documents tested between two pause points of a paced search. */
const DOCS_PER_STEP = 4096;

function* docsWhereSteps(seg: SegmentView, test: (doc: number) => boolean): Generator<void, Int32Array> {
  const out: number[] = [];
  for (let doc = 0; doc < seg.maxDoc; doc++) {
    if (doc % DOCS_PER_STEP === DOCS_PER_STEP - 1) yield;
    if (test(doc)) out.push(doc);
  }
  return Int32Array.from(out);
}

/**
 * The docs of each segment that `testOf(segment)` accepts (every doc is tested: a hash per doc),
 * found once per segment, in slices when a paced search prefetches them.
 */
function testedDocs(label: string, testOf: (seg: SegmentView) => (doc: number) => boolean): Primitive {
  const bySegment = new WeakMap<SegmentView, Int32Array>();
  function* found(seg: SegmentView): Generator<void, Int32Array> {
    let docs = bySegment.get(seg);
    if (!docs) bySegment.set(seg, (docs = yield* docsWhereSteps(seg, testOf(seg))));
    return docs;
  }
  return {
    op: 'docs',
    boost: 1,
    label,
    match: (seg) => runSteps(found(seg)),
    prefetch: function* (seg) {
      yield* found(seg);
    },
  };
}

function sliceQuery(spec: SliceSpec, id: number, max: number, view: IndexView, scroll: boolean): Primitive {
  const label = `slice(${spec.field ?? (scroll ? '_id' : '_doc')}, ${id}/${max})`;
  if (spec.field === undefined && !scroll) {
    // DocIdSliceQuery: over the shard's reader, a contiguous range of its doc ids
    let maxDoc = 0;
    for (const seg of view.segments) maxDoc += seg.maxDoc;
    const remainder = maxDoc % max;
    const quotient = Math.floor(maxDoc / max);
    const start = id < remainder ? (quotient + 1) * id : remainder * (quotient + 1) + (id - remainder) * quotient;
    const end = start + (id < remainder ? quotient + 1 : quotient);
    const bases = new Map<SegmentView, number>();
    let base = 0;
    for (const seg of view.segments) {
      bases.set(seg, base);
      base += seg.maxDoc;
    }
    return testedDocs(label, (seg) => {
      const b = bases.get(seg) ?? 0;
      return (doc) => doc + b >= start && doc + b < end;
    });
  }
  if (spec.field === undefined || spec.field === '_id') {
    if (!scroll) throw new EngineError(400, 'illegal_argument_exception', 'cannot slice on [_id] when using [point-in-time]');
    const inSlice = (docId: string): boolean => floorMod(murmur3x86_32(encodeId(docId), TERMS_SEED), max) === id;
    return testedDocs(label, (seg) => (doc) => seg.nestedPath(doc) === undefined && inSlice(seg.id(doc)));
  }
  const field = spec.field;
  const f = view.mapping.field(field);
  if (!f) throw new EngineError(400, 'illegal_argument_exception', `field ${field} not found`);
  if (!f.docValues || !NUMERIC_TYPES.has(f.type)) throw new EngineError(400, 'illegal_argument_exception', `cannot load numeric doc values on ${field}`);
  const values = (seg: SegmentView, doc: number): bigint[] | undefined => {
    if (f.type === 'date_nanos') return readNanos(seg.keywordValues(nanosField(f.path), doc));
    return seg.numericValues(f.path, doc)?.map((v) => docValueLong(f, v));
  };
  return testedDocs(label, (seg) => (doc) => {
    const vs = values(seg, doc);
    if (vs === undefined || vs.length === 0) return floorMod(0, max) === id;
    return vs.some((v) => floorMod(bitMix(v), max) === id);
  });
}

/**
 * SliceBuilder.toFilter for the shard at `shardIndex` of the `numShards` the search targets:
 * undefined when the shard's every document is in the slice.
 */
export function sliceFilter(spec: SliceSpec, shardIndex: number, numShards: number, view: IndexView, scroll: boolean): Primitive | undefined {
  if (numShards === 1) return sliceQuery(spec, spec.id, spec.max, view, scroll);
  if (spec.max >= numShards) {
    const targetShard = spec.id % numShards;
    if (targetShard !== shardIndex) return NONE;
    let slicesInShard = Math.floor(spec.max / numShards);
    if (spec.max % numShards > targetShard) slicesInShard++;
    if (slicesInShard === 1) return undefined;
    return sliceQuery(spec, Math.floor(spec.id / numShards), slicesInShard, view, scroll);
  }
  return shardIndex % spec.max === spec.id ? undefined : NONE;
}
