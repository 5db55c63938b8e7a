import type { FieldInfo } from '../../../contract.js';
import { nanosToMillis, subMillisNanos } from '../../../date-nanos.js';
import { EngineError, parsingError, unsupported } from '../../../errors.js';
import { parseIsoDate, UTC } from '../../date-math.js';
import type { AggSpec, DocSet } from '../agg-types.js';
import { commonKind, fieldReaders } from '../values-source.js';
import type { FieldReader, ValueKind } from '../values-source.js';
import { dateFormatter, valueFormat } from '../value-format.js';
import { docRangeSteps } from '../doc-steps.js';
import { runSteps } from '../../paced-run.js';
import type { ValueFormat } from '../value-format.js';

/**
 * The values-source side of metric aggregations (Elasticsearch's ValuesSourceConfig): the common
 * options (`field`, `missing`, `format`, `script`), option validation, and the values of a
 * DocSet grouped by shard (target index), in collection order, as each shard's aggregator sees
 * them before the reduce.
 */

/** Options every values-source metric accepts (`value_type` is deprecated but still parsed by ES). */
export const SOURCE_KEYS = ['field', 'missing', 'format', 'script', 'value_type'] as const;

/** Throws ES's errors for unknown keys, scripts and a missing `field`. */
export function checkSourceOptions(spec: AggSpec, extraKeys: readonly string[], opts: { format?: boolean } = {}): void {
  const body = spec.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw parsingError(`[${spec.type}] expected an object for aggregation [${spec.name}]`);
  for (const k of Object.keys(body)) {
    if (k === 'format' && opts.format === false) throw parsingError(`[${spec.type}] unknown field [${k}]`);
    if (!(SOURCE_KEYS as readonly string[]).includes(k) && !extraKeys.includes(k)) throw parsingError(`[${spec.type}] unknown field [${k}]`);
  }
  if (body.script !== undefined) throw scriptUnsupported(spec);
  if (body.field === undefined) throw new EngineError(400, 'illegal_argument_exception', 'Required one of fields [field, script], but none were specified. ');
  if (typeof body.field !== 'string') throw parsingError(`[${spec.type}] field [field] must be a string, found [${JSON.stringify(body.field)}]`);
  if (body.format !== undefined && typeof body.format !== 'string') throw parsingError(`[${spec.type}] field [format] must be a string`);
  if (body.missing !== undefined && (body.missing === null || typeof body.missing === 'object')) throw parsingError(`[${spec.type}] [missing] must be a number, string or boolean`);
}

export function scriptUnsupported(spec: AggSpec): EngineError {
  return new EngineError(
    400,
    'illegal_argument_exception',
    `[script] in aggregation [${spec.name}] of type [${spec.type}] is not supported by the indexkit embedded engine: aggregate on a field instead`,
  );
}

export interface NumericValues {
  /** The field's kind where mapped (undefined when unmapped everywhere). */
  kind: ValueKind | undefined;
  format: ValueFormat;
  /** Values per shard (target index), in collection order; multi-valued docs give every value. */
  shards: number[][];
  /** The target index (into `exec.states`) of each list of `shards`. */
  targets: number[];
}

/** The numeric values of `spec.body.field` over `docs` (numbers; dates as epoch millis; booleans 0/1). */
export function numericValues(spec: AggSpec, docs: DocSet): NumericValues {
  return runSteps(numericValuesSteps(spec, docs));
}

/** {@link numericValues} as steps that pause between ranges of docs (a paced request). */
export function* numericValuesSteps(spec: AggSpec, docs: DocSet): Generator<void, NumericValues> {
  const field = spec.body.field as string;
  const readers = fieldReaders(docs, field, 'nanos');
  for (const r of readers) {
    if (r && r.kind === 'keyword') {
      throw new EngineError(400, 'illegal_argument_exception', `Field [${field}] of type [${r.info.type}] is not supported for aggregation [${spec.type}]`);
    }
  }
  const kind = commonKind(readers);
  const nanos = nanosResolution(readers, field);
  const format = nanos ? nanosValueFormat(spec.body.format as string | undefined, nanos) : valueFormat(kind, spec.body.format as string | undefined);
  const missingRaw = spec.body.missing;
  const missing = missingRaw === undefined ? undefined : nanos ? Number(nanos.parseDateNanos!(missingRaw)) : numericMissing(missingRaw, kind, readers);
  const targets: number[] = [];
  const shards = yield* groupByShardSteps<number>(
    docs,
    (li, doc, out) => {
      const r = readers[li];
      const vs = r ? (r.values(doc) as readonly number[] | undefined) : undefined;
      if (vs && vs.length > 0) for (const v of vs) out.push(v);
      else if (missing !== undefined) out.push(missing);
    },
    targets,
  );
  return { kind, format, shards, targets };
}

/** The date_nanos field of a metric's readers (values in nanos), undefined for other types; a mix with `date` is refused. */
function nanosResolution(readers: ReadonlyArray<FieldReader | null>, field: string): FieldInfo | undefined {
  const nanos = readers.find((r) => r?.info.type === 'date_nanos')?.info;
  if (nanos && readers.some((r) => r !== null && r.info.type !== 'date_nanos')) throw unsupported(`a metric aggregation over [${field}] mapped as date_nanos in one index and another type in another`);
  return nanos;
}

/** DocValueFormat.DateTime in nanosecond resolution: a double of epoch nanos printed as its long's instant. */
function nanosValueFormat(format: string | undefined, info: FieldInfo): ValueFormat {
  const print = dateFormatter(format ?? info.dateFormat);
  return {
    kind: 'date',
    format: (v) => {
      const n = BigInt(Math.trunc(v));
      return print(nanosToMillis(n), subMillisNanos(n));
    },
  };
}

/** Keyword or numeric values as strings/numbers, for value_count and cardinality, as steps that pause between ranges of docs. */
export function* anyValuesSteps(spec: AggSpec, docs: DocSet): Generator<void, { kind: ValueKind | undefined; shards: Array<Array<number | string>> }> {
  const field = spec.body.field as string;
  const readers = fieldReaders(docs, field);
  const kind = commonKind(readers);
  const raw = spec.body.missing;
  let missing: number | string | undefined;
  if (raw !== undefined) missing = kind === 'keyword' || (kind === undefined && typeof raw === 'string') ? String(raw) : numericMissing(raw, kind, readers);
  const shards = yield* groupByShardSteps<number | string>(docs, (li, doc, out) => {
    const r = readers[li];
    const vs = r ? r.values(doc) : undefined;
    if (vs && vs.length > 0) for (const v of vs) out.push(v);
    else if (missing !== undefined) out.push(missing);
  });
  return { kind, shards };
}

/** Calls `each` per doc with the value list of the doc's shard (target index); lists in target order. */
function* groupByShardSteps<T>(docs: DocSet, each: (leaf: number, doc: number, out: T[]) => void, targetsOut?: number[]): Generator<void, T[][]> {
  const byTarget = new Map<number, T[]>();
  let lastLeaf = -1;
  let out: T[] = [];
  yield* docRangeSteps(docs.count, (from, to) => {
    for (let i = from; i < to; i++) {
      const li = docs.leaf[i] as number;
      if (li !== lastLeaf) {
        // docs come grouped by leaf: one lookup per run of a leaf, not per doc
        lastLeaf = li;
        const target = docs.leaves[li]?.target ?? 0;
        let list = byTarget.get(target);
        if (!list) byTarget.set(target, (list = []));
        out = list;
      }
      each(li, docs.doc[i] as number, out);
    }
  });
  const sorted = [...byTarget.entries()].sort((a, b) => a[0] - b[0]);
  if (targetsOut) for (const [t] of sorted) targetsOut.push(t);
  return sorted.map(([, v]) => v);
}

/** `missing` converted the way the field's DocValueFormat parses it (dates as date strings). */
export function numericMissing(raw: unknown, kind: ValueKind | undefined, readers: ReadonlyArray<FieldReader | null>): number {
  if (kind === 'boolean') {
    if (raw === true || raw === 'true') return 1;
    if (raw === false || raw === 'false') return 0;
    throw new EngineError(400, 'illegal_argument_exception', `Can't parse boolean value [${String(raw)}], expected [true] or [false]`);
  }
  if (kind === 'date') {
    if (typeof raw === 'number') return Math.trunc(raw);
    const text = String(raw);
    const iso = parseIsoDate(text, false, UTC);
    if (iso !== undefined) return iso;
    if (/^-?\d+$/.test(text)) return Number(text);
    const info = readers.find((r) => r)?.info;
    if (info?.parseDate) return info.parseDate(text);
    throw new EngineError(400, 'parse_exception', `failed to parse date field [${text}] with format [strict_date_optional_time||epoch_millis]`);
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (Number.isNaN(n)) throw new EngineError(400, 'number_format_exception', `For input string: "${String(raw)}"`);
  return n;
}

/**
 * Kahan summation exactly as Elasticsearch's CompensatedSum: aggregators sum each shard's values
 * with it, and the reduce sums the shard sums with it again.
 */
export class CompensatedSum {
  value = 0;
  delta = 0;

  add(value: number): this {
    if (!Number.isFinite(value)) this.value = value + this.value;
    if (Number.isFinite(this.value)) {
      const corrected = value + this.delta;
      const updated = this.value + corrected;
      this.delta = corrected - (updated - this.value);
      this.value = updated;
    }
    return this;
  }
}

/** Sum of per-shard Kahan sums, reduced with Kahan (the reduce ignores each shard's delta, as ES does). */
export function shardedSum(shards: number[][], map: (v: number) => number = (v) => v): number {
  const total = new CompensatedSum();
  for (const values of shards) {
    const s = new CompensatedSum();
    for (const v of values) s.add(map(v));
    total.add(s.value);
  }
  return total.value;
}
