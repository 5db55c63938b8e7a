/**
 * Elasticsearch's RandomSamplingQuery, bit for bit: per segment, a java.util.SplittableRandom
 * seeded with Lucene's BitMixer.mix(hash ^ seed) drives FastGeometric (a geometric distribution
 * from a 13-bit float log2 lookup table, several samples per 32-bit draw), and the sampled doc
 * ids are -1 + g1, -1 + g1 + g2, ... below maxDoc. The same seed, hash and segment layout give
 * the same documents as Elasticsearch.
 */

const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** java.util.SplittableRandom(long seed): nextInt() only. */
export class SplittableRandom {
  private seed: bigint;
  constructor(seed: bigint) {
    this.seed = BigInt.asUintN(64, seed);
  }

  nextInt(): number {
    this.seed = BigInt.asUintN(64, this.seed + GOLDEN_GAMMA);
    let z = this.seed;
    z = BigInt.asUintN(64, (z ^ (z >> 33n)) * 0x62a9d9ed799705f5n);
    return Number(BigInt.asIntN(32, BigInt.asUintN(64, (z ^ (z >> 28n)) * 0xcb24d0a5c88c35b3n) >> 32n));
  }
}

/** Lucene's BitMixer.mix(int): MurmurHash3's fmix32. */
export function bitMix(k: number): number {
  k = Math.imul(k ^ (k >>> 16), 0x85ebca6b);
  k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35);
  return k ^ (k >>> 16);
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const floatToIntBits = (x: number): number => {
  f32[0] = x;
  return i32[0] as number;
};
const intBitsToFloat = (b: number): number => {
  i32[0] = b;
  return f32[0] as number;
};
const fr = Math.fround;

const BITS = 13;
const SHIFT = 23 - BITS;
const LOG2_TABLE = (() => {
  const table = new Float32Array(1 << (BITS + 1));
  const dx = 1 << SHIFT;
  let x = 0x3f800000 + dx / 2;
  const log2 = fr(Math.log(2.0));
  for (let i = 0; i < table.length; i++) {
    table[i] = fr(fr(Math.log(intBitsToFloat(x))) / log2);
    x += dx;
  }
  return table;
})();

function fastLog2(x: number): number {
  const bits = floatToIntBits(x);
  const log2x = ((bits >>> 23) & 0xff) - 127;
  return fr((LOG2_TABLE[(bits & 0x7fffff) >>> SHIFT] as number) + log2x);
}

const BIASES = [fr(fr(-0.49294917) / 256.0), fr(fr(4.7501511) / 65536.0), fr(fr(31.557305) / 4294967296.0)];
const PERMITTED_BITS = [8, 16, 32];
const PERMITTED_RANGES = [256.0, 65536.0, 4294967296.0];

/** Java's (int) cast of a float: toward zero, NaN 0, saturating. */
const toInt = (v: number): number => (Number.isNaN(v) ? 0 : v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : Math.trunc(v));

/** FastGeometric(rng, p): next() is a geometric sample of at least 1. */
export class FastGeometric {
  private currentSample: number;
  private readonly samples: number[];
  private readonly norm: number;
  private readonly rngRange: number;
  private readonly log2RngRange: number;
  private readonly bias: number;
  private readonly mask: number;
  private readonly bitsPerSample: number;
  private readonly needToGenerate: number;

  constructor(
    private readonly rng: () => number,
    p: number,
  ) {
    const bits = toInt((1.5 * Math.log(Math.log(0.01) / Math.log(1.0 - p) - 1.0)) / Math.log(2.0));
    let pos = PERMITTED_BITS.indexOf(bits);
    if (pos < 0) pos = Math.min(PERMITTED_BITS.filter((b) => b < bits).length, PERMITTED_BITS.length - 1);
    this.bitsPerSample = PERMITTED_BITS[pos] as number;
    this.needToGenerate = 32 / this.bitsPerSample;
    this.mask = 0x7fffffff >>> (32 - this.bitsPerSample - 1);
    this.currentSample = this.needToGenerate - 1;
    this.samples = new Array<number>(this.needToGenerate).fill(0);
    this.norm = fr(Math.log(2.0) / Math.log(1.0 - p));
    this.rngRange = PERMITTED_RANGES[pos] as number;
    this.log2RngRange = fastLog2(this.rngRange);
    this.bias = BIASES[pos] as number;
  }

  next(): number {
    this.currentSample++;
    if (this.currentSample === this.needToGenerate) {
      this.generate();
      this.currentSample = 0;
    }
    return (this.samples[this.currentSample] as number) + 1;
  }

  private generate(): void {
    const rn = this.rng();
    if (this.needToGenerate === 1) {
      const u = fr(fr(fr(0.5 * this.rngRange) + fr(rn)) + 0.5);
      this.samples[0] = toInt(fr(this.norm * fr(fastLog2(u) - this.log2RngRange)));
      return;
    }
    for (let i = 0, shift = this.bitsPerSample; shift <= 32; i++, shift += this.bitsPerSample) {
      const u = fr(((rn >>> shift) & this.mask) + 0.5);
      this.samples[i] = toInt(fr(this.norm * fr(fr(fastLog2(u) - this.log2RngRange) + this.bias)));
    }
  }
}

/** The doc ids RandomSamplingQuery(p, seed, hash) matches in a segment of `maxDoc` docs (chunk size 1), ascending. */
export function sampledDocs(maxDoc: number, p: number, seed: number, hash: number): number[] {
  const random = new SplittableRandom(BigInt(bitMix(hash ^ seed)));
  const geometric = new FastGeometric(() => random.nextInt(), p);
  const out: number[] = [];
  let doc = -1;
  for (;;) {
    doc += geometric.next();
    if (doc >= maxDoc) return out;
    out.push(doc);
  }
}
