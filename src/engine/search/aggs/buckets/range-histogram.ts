import type { EngineError} from '../../../errors.js';
import { illegalArgument, unsupported } from '../../../errors.js';
import { decodeRange, isRangeType } from '../../../range-field.js';
import type { RangeType } from '../../../range-field.js';
import type { AggSpec, DocSet } from '../agg-types.js';
import { MAX_BUCKETS } from '../max-buckets.js';
import type { Rounding } from './date-rounding.js';

/**
 * histogram and date_histogram over a range field (RangeHistogramAggregator,
 * DateRangeHistogramAggregator): a document counts once in every bucket its ranges overlap. The
 * ranges of a document are walked by ascending start, each clipped to `hard_bounds`, keys from
 * round(from) to round(to) stepping by the rounding, skipping keys an earlier range already gave.
 */

/** The ranges of a document as [from, to] pairs of numbers (dates as epoch millis), by ascending from. */
export interface RangeReader {
  type: RangeType;
  ranges(doc: number): Array<[number, number]> | undefined;
}

/** Range readers per leaf when the field is a range field where it is mapped; undefined when it is not one. */
export function rangeReaders(docs: DocSet, field: string): Array<RangeReader | null> | undefined {
  const infos = docs.leaves.map((leaf) => leaf.view.mapping.field(field));
  const first = infos.find((i) => i !== undefined);
  if (!first || !isRangeType(first.type)) return undefined;
  return docs.leaves.map((leaf, li) => {
    const info = infos[li];
    if (!info) return null;
    const type = info.type;
    if (!isRangeType(type)) throw unsupported(`a histogram over the field [${field}] mapped as a range in one index and as [${type}] in another`);
    const seg = leaf.segment;
    return {
      type,
      ranges(doc: number) {
        const encoded = seg.keywordValues(field, doc);
        if (!encoded || encoded.length === 0) return undefined;
        const out = encoded.map((e): [number, number] => {
          const r = decodeRange(type, e);
          return [r.from as number, r.to as number];
        });
        return out.sort((a, b) => a[0] - b[0]);
      },
    };
  });
}

/** ES's type checks of the range histogram aggregators, and its refusal of `missing` on a range values source. */
export function checkRangeHistogram(spec: AggSpec, readers: ReadonlyArray<RangeReader | null>, date: boolean): void {
  const type = readers.find((r) => r !== null)?.type;
  if (type === undefined) return;
  if (date && type !== 'date_range') throw illegalArgument(`Expected date range type but found range type [${type}]`);
  if (!date && type === 'ip_range') throw illegalArgument(`Expected numeric range type but found non-numeric range [${type}]`);
  if (spec.body.missing !== undefined && spec.body.missing !== null) {
    throw illegalArgument("Can't apply missing values on a class org.elasticsearch.search.aggregations.support.ValuesSource$Range");
  }
}

/**
 * Calls `add(key)` once for every bucket key the ranges overlap. A range spanning more buckets than
 * a search may return (an open-ended range without hard_bounds) is refused rather than walked.
 */
export function rangeKeys(
  ranges: ReadonlyArray<[number, number]>,
  rounding: Rounding,
  hard: { min?: number; max?: number } | undefined,
  add: (key: number) => void,
): void {
  let previousKey = Number.NEGATIVE_INFINITY;
  for (const [from, to] of ranges) {
    const lo = hard?.min !== undefined ? Math.max(from, hard.min) : from;
    const hi = hard?.max !== undefined ? Math.min(to, hard.max) : to;
    const startKey = rounding.round(lo);
    const endKey = rounding.round(hi);
    if (!Number.isFinite(startKey) || !Number.isFinite(endKey) || Math.abs(lo) > 8.64e15 || Math.abs(hi) > 8.64e15) {
      throw tooWide();
    }
    let n = 0;
    for (let key = Math.max(startKey, previousKey); key <= endKey; key = rounding.next(key)) {
      if (key === previousKey) continue;
      if (++n > MAX_BUCKETS) throw tooWide();
      add(key);
    }
    if (endKey > previousKey) previousKey = endKey;
  }
}

function tooWide(): EngineError {
  return unsupported(`a histogram over a range field whose ranges span more than ${MAX_BUCKETS} buckets (set hard_bounds)`);
}
