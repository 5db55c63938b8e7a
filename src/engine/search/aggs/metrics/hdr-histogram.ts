import { unsupported } from '../../../errors.js';

/**
 * The `hdr` method of percentiles and percentile_ranks: HdrHistogram 2.1.9's DoubleHistogram as
 * Elasticsearch uses it (`new DoubleHistogram(numberOfSignificantValueDigits)`, auto-resizing; one
 * per shard, merged on reduce by re-recording each shard's buckets into a fresh histogram).
 *
 * A DoubleHistogram keeps an integer histogram and a conversion ratio: value v is recorded as the
 * integer `(long)(v * doubleToIntegerRatio)`, where doubleToIntegerRatio = subBucketHalfCount /
 * L and L (`currentLowestValueInAutoRange`) is a power of two. The integer histogram buckets an
 * integer x log-linearly: bucket b = 0 below subBucketCount, else floor(log2 x) - halfMagnitude;
 * its sub-buckets are 2^b wide. Auto-ranging only ever shifts the integers by whole binary orders
 * of magnitude (shiftValuesLeft/Right move the normalizing index offset), so the cells a value falls
 * in, as double intervals, do not depend on L: only the unit, 1 integer = L / subBucketHalfCount,
 * does, and it shows in every answer (highestEquivalentValue = lowest + size - 1 units).
 *
 * Which L the final histogram has: recording into a fresh histogram halves L from 2^800 until it is
 * at or below the first non-zero value (findCappedContainingBinaryOrderOfMagnitude steps, so L ends
 * as the largest power of two at or below it); a smaller value later shifts L down the same way; a
 * larger value tries shiftValuesRight, which fails (and the histogram resizes instead, L unchanged)
 * whenever the smallest recorded value sits in the first half-bucket above L, which it always does.
 * Elasticsearch's reduce records each shard's cells in ascending order into fresh histograms, so
 * the final L is the largest power of two at or below the smallest non-zero value, whatever the
 * shards and the order of collection. That is what this computes: the final merged histogram.
 *
 * A negative value fails its shard before it gets here (percentiles.ts hdrOf: ES's
 * ArrayIndexOutOfBoundsException); a range of values wider than the 2^63 integers the histogram
 * can cover is refused with a 400.
 */
export class HdrHistogram {
  private readonly halfMagnitude: number;
  private readonly half: number;
  private readonly subBucketCount: number;
  private readonly values: number[] = [];

  constructor(readonly digits: number) {
    // AbstractHistogram.numberOfSubbuckets / init
    const largestValueWithSingleUnitResolution = 2 * Math.pow(10, digits);
    const subBucketCountMagnitude = Math.ceil(Math.log(largestValueWithSingleUnitResolution) / Math.log(2));
    this.halfMagnitude = (subBucketCountMagnitude > 1 ? subBucketCountMagnitude : 1) - 1;
    this.subBucketCount = Math.pow(2, this.halfMagnitude + 1);
    this.half = this.subBucketCount / 2;
  }

  record(value: number): void {
    if (value < 0) throw unsupported('hdr percentiles over negative values (Elasticsearch fails the shard: "Negative values cannot be recorded")');
    this.values.push(value);
  }

  get totalCount(): number {
    return this.values.length;
  }

  /** The merged state: the unit (integer 1 in doubles) and the cells (lowest integer, size, count) in ascending order. */
  private state?: { unit: number; cells: Array<{ lowest: number; size: number; count: number }> };

  private build(): NonNullable<HdrHistogram['state']> {
    if (this.state) return this.state;
    let min = Infinity;
    for (const v of this.values) if (v > 0 && v < min) min = v;
    // L: the largest power of two at or below the smallest non-zero value (2^800 if there is none)
    const lowest = Number.isFinite(min) ? Math.pow(2, floorLog2(min)) : Math.pow(2, 800);
    const unit = lowest / this.half;
    const toInteger = 1 / unit;
    const byLowest = new Map<number, { lowest: number; size: number; count: number }>();
    for (const v of this.values) {
      const x = Math.trunc(v * toInteger);
      if (x >= 2 ** 62) throw unsupported('hdr percentiles over values spanning more than the 2^62 units of the histogram');
      const cell = this.cellOf(x);
      const hit = byLowest.get(cell.lowest);
      if (hit) hit.count++;
      else byLowest.set(cell.lowest, { ...cell, count: 1 });
    }
    const cells = [...byLowest.values()].sort((a, b) => a.lowest - b.lowest);
    this.state = { unit, cells };
    return this.state;
  }

  /** getBucketIndex / getSubBucketIndex / lowestEquivalentValue / sizeOfEquivalentValueRange of an integer. */
  private cellOf(x: number): { lowest: number; size: number } {
    const bucket = x < this.subBucketCount ? 0 : floorLog2(x) - this.halfMagnitude;
    const size = Math.pow(2, bucket);
    return { lowest: Math.floor(x / size) * size, size };
  }

  /** DoubleHistogram.getValueAtPercentile (2.1.9: the count at the percentile rounds to nearest). */
  valueAtPercentile(percentile: number): number {
    const { unit, cells } = this.build();
    const requested = Math.min(percentile, 100);
    let countAtPercentile = Math.trunc((requested / 100) * this.totalCount + 0.5);
    countAtPercentile = Math.max(countAtPercentile, 1);
    let total = 0;
    for (const cell of cells) {
      total += cell.count;
      if (total >= countAtPercentile) return (percentile === 0 ? cell.lowest : cell.lowest + cell.size - 1) * unit;
    }
    return 0;
  }

  /** DoubleHistogram.getPercentileAtOrBelowValue: the share of values in the cells up to the value's. */
  percentileAtOrBelow(value: number): number {
    const { unit, cells } = this.build();
    if (this.totalCount === 0) return 100;
    const x = Math.trunc(value * (1 / unit));
    // Java fails there (countsArrayIndex: "Histogram recorded value cannot be negative.")
    if (x < 0) throw unsupported(`hdr percentile_ranks of a negative value [${value}]`);
    const target = this.cellOf(x).lowest;
    let total = 0;
    for (const cell of cells) {
      if (cell.lowest > target) break;
      total += cell.count;
    }
    return (100 * total) / this.totalCount;
  }
}

/** floor(log2(v)) of a positive finite double, exactly (from its exponent bits). */
function floorLog2(v: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const exponent = (view.getUint16(0) >> 4) & 0x7ff;
  if (exponent === 0) return floorLog2(v * 2 ** 64) - 64; // subnormal
  return exponent - 1023;
}
