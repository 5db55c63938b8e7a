import type { CharFilterResult } from './analysis-types.js';

/**
 * Rewrites text while recording, as Lucene's BaseCharFilter does, how output offsets map back
 * to input offsets: a sorted list of (output offset, cumulative diff) corrections.
 */
export class OffsetRewriter {
  private out = '';
  private readonly outOffsets: number[] = [];
  private readonly diffs: number[] = [];
  private cumulative = 0;

  constructor(private readonly input: string) {}

  copy(from: number, to: number): void {
    this.out += this.input.slice(from, to);
  }

  /** Replaces input[start, start + inputLength) with `replacement`. */
  replace(_start: number, inputLength: number, replacement: string): void {
    const outStart = this.out.length;
    this.out += replacement;
    const diff = inputLength - replacement.length;
    if (diff > 0) {
      this.cumulative += diff;
      this.add(outStart + replacement.length, this.cumulative);
    } else if (diff < 0) {
      // Extra output characters all map back to the end of the replaced input.
      const prev = this.cumulative;
      for (let extra = 0; extra < -diff; extra++) this.add(outStart + inputLength + extra, prev - extra - 1);
      this.cumulative = prev + diff;
    }
  }

  private add(outputOffset: number, diff: number): void {
    const last = this.outOffsets.length - 1;
    if (last >= 0 && this.outOffsets[last] === outputOffset) this.diffs[last] = diff;
    else {
      this.outOffsets.push(outputOffset);
      this.diffs.push(diff);
    }
  }

  result(): CharFilterResult {
    const offsets = this.outOffsets;
    const diffs = this.diffs;
    return {
      text: this.out,
      correctOffset(offset: number): number {
        let lo = 0;
        let hi = offsets.length - 1;
        let found = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if ((offsets[mid] as number) <= offset) {
            found = mid;
            lo = mid + 1;
          } else hi = mid - 1;
        }
        return found < 0 ? offset : offset + (diffs[found] as number);
      },
    };
  }
}
