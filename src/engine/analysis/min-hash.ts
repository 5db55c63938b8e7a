import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';

/**
 * Lucene's MinHashFilter (`min_hash`): each term hashed with MurmurHash3 x64 128 (of its UTF-16LE
 * bytes), re-hashed `hash_count` ways, spread over `bucket_count` buckets by the top 32 bits; each
 * bucket keeps its `hash_set_size` smallest hashes (unsigned 128-bit order), empty buckets borrow
 * the next bucket's minimum when `with_rotation`. The output is the kept hashes as terms of 8
 * UTF-16 units (6 plus the hash number's 2 when hash_count > 1), type MIN_HASH, all at position
 * 0, offsets 0 to the last token's end.
 */

const M64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M64;
const mul = (a: bigint, b: bigint): bigint => (a * b) & M64;

function fmix64(k: bigint): bigint {
  k ^= k >> 33n;
  k = mul(k, 0xff51afd7ed558ccdn);
  k ^= k >> 33n;
  k = mul(k, 0xc4ceb9fe1a85ec53n);
  k ^= k >> 33n;
  return k;
}

const littleEndian = (bytes: Uint8Array, at: number, n: number): bigint => {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] as number);
  return v;
};

/** MurmurHash3_x64_128 with seed 0, as unsigned 64-bit halves [h1 (val1), h2 (val2)]. */
export function murmur3x64_128(bytes: Uint8Array): [bigint, bigint] {
  let h1 = 0n;
  let h2 = 0n;
  const len = bytes.length;
  const rounded = len & ~15;
  for (let i = 0; i < rounded; i += 16) {
    let k1 = littleEndian(bytes, i, 8);
    let k2 = littleEndian(bytes, i + 8, 8);
    k1 = mul(rotl(mul(k1, C1), 31n), C2);
    h1 ^= k1;
    h1 = (mul(rotl(h1, 27n) + h2, 5n) + 0x52dce729n) & M64;
    k2 = mul(rotl(mul(k2, C2), 33n), C1);
    h2 ^= k2;
    h2 = (mul(rotl(h2, 31n) + h1, 5n) + 0x38495ab5n) & M64;
  }
  const tail = len & 15;
  if (tail > 8) {
    const k2 = mul(rotl(mul(littleEndian(bytes, rounded + 8, tail - 8), C2), 33n), C1);
    h2 ^= k2;
  }
  if (tail > 0) {
    const k1 = mul(rotl(mul(littleEndian(bytes, rounded, Math.min(tail, 8)), C1), 31n), C2);
    h1 ^= k1;
  }
  h1 ^= BigInt(len);
  h2 ^= BigInt(len);
  h1 = (h1 + h2) & M64;
  h2 = (h2 + h1) & M64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & M64;
  h2 = (h2 + h1) & M64;
  return [h1, h2];
}

const utf16le = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >> 8;
  }
  return out;
};

/** A 128-bit hash as Lucene's LongPair: [val1, val2], ordered by val2 then val1, unsigned. */
type Hash = [bigint, bigint];
const compare = (a: Hash, b: Hash): number => (a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : 0);

/** hash_count × bucket_count above this is refused: that many sets per analysis is unbounded work. */
const MAX_BUCKETS = 1 << 20;

export interface MinHashOptions {
  hashCount: number;
  bucketCount: number;
  hashSetSize: number;
  withRotation: boolean;
}

export class MinHashFilter implements TokenFilter {
  private readonly intHashes: Hash[];
  private readonly bucketSize: bigint;

  constructor(private readonly o: MinHashOptions) {
    if (o.hashCount <= 0) throw illegalArgument('hashCount must be greater than zero');
    if (o.bucketCount <= 0) throw illegalArgument('bucketCount must be greater than zero');
    if (o.hashSetSize <= 0) throw illegalArgument('hashSetSize must be greater than zero');
    if (o.hashCount * o.bucketCount > MAX_BUCKETS) {
      throw illegalArgument(`min_hash: hash_count × bucket_count is ${o.hashCount * o.bucketCount}, the embedded engine allows at most ${MAX_BUCKETS}`);
    }
    this.intHashes = Array.from({ length: o.hashCount }, (_, i) => murmur3x64_128(new Uint8Array([(i >>> 24) & 0xff, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff])));
    const space = 1n << 32n;
    this.bucketSize = space / BigInt(o.bucketCount) + (space % BigInt(o.bucketCount) !== 0n ? 1n : 0n);
  }

  filter(tokens: Token[]): Token[] {
    if (tokens.length === 0) return tokens;
    const { hashCount, bucketCount, hashSetSize } = this.o;
    // sets[hash][bucket]: the smallest hashes, sorted ascending (hashSetSize is small)
    const sets: Array<Map<number, Hash[]>> = Array.from({ length: hashCount }, () => new Map());
    for (const t of tokens) {
      const [v1, v2] = murmur3x64_128(utf16le(t.term));
      for (let i = 0; i < hashCount; i++) {
        const ih = this.intHashes[i] as Hash;
        // Lucene's combineOrdered(hash, intHash): (0 * 37 + hash) * 37 + intHash
        const h: Hash = [(v1 * 37n + ih[0]) & M64, (v2 * 37n + ih[1]) & M64];
        const bucket = Number((h[1] >> 32n) / this.bucketSize);
        const buckets = sets[i] as Map<number, Hash[]>;
        let set = buckets.get(bucket);
        if (!set) buckets.set(bucket, (set = []));
        addBounded(set, h, hashSetSize);
      }
    }
    if (this.o.withRotation && hashSetSize === 1) {
      // An empty bucket takes the minimum of the next non-empty one, circularly.
      for (const buckets of sets) {
        const filled = [...buckets.keys()].sort((a, b) => a - b);
        if (filled.length === 0) continue;
        let next = 0;
        for (let b = 0; b < bucketCount; b++) {
          while (next < filled.length && (filled[next] as number) < b) next++;
          const source = filled[next < filled.length ? next : 0] as number;
          if (source !== b) buckets.set(b, [((buckets.get(source) as Hash[])[0] as Hash)]);
        }
      }
    }
    const endOffset = (tokens[tokens.length - 1] as Token).endOffset;
    const out: Token[] = [];
    for (let i = 0; i < hashCount; i++) {
      const buckets = sets[i] as Map<number, Hash[]>;
      for (const b of [...buckets.keys()].sort((x, y) => x - y)) {
        for (const h of buckets.get(b) as Hash[]) {
          let term = '';
          if (hashCount > 1) term += String.fromCharCode((i >>> 16) & 0xffff, i & 0xffff);
          term += chars(h[1], 4) + chars(h[0], hashCount === 1 ? 4 : 2);
          out.push({ term: wellFormed(term), position: 0, startOffset: 0, endOffset, type: 'MIN_HASH' });
        }
      }
    }
    return out;
  }
}

/**
 * The term as Lucene indexes it: UTF-16 to UTF-8 turns an unpaired surrogate (a hash unit in
 * D800-DFFF) into U+FFFD, so the engine's terms are the bytes Lucene would store.
 */
const wellFormed = (term: string): string => term.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** The top `n` 16-bit units of a 64-bit value, most significant first. */
function chars(v: bigint, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(Number((v >> BigInt(48 - 16 * k)) & 0xffffn));
  return s;
}

/**
 * Lucene's FixedSizeTreeSet.add on a sorted array, quirk included: when full, a hash below the
 * largest evicts the largest before the set ignores it as a duplicate (a repeated term shrinks it).
 */
function addBounded(set: Hash[], h: Hash, capacity: number): void {
  if (set.length >= capacity) {
    if (compare(h, set[set.length - 1] as Hash) >= 0) return;
    set.pop();
  }
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(set[mid] as Hash, h) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo < set.length && compare(set[lo] as Hash, h) === 0) return;
  set.splice(lo, 0, h);
}
