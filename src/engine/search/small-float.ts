/**
 * Lucene's `SmallFloat` one-byte encoding of a field length (the "norm"), as BM25Similarity
 * stores it: lengths 0..23 are exact, larger ones keep 4 significant bits. Scores use the
 * decoded (lossy) length, so a 100-token field scores as if it had 96 tokens.
 */

/** Encodes a non-negative long into 4 significant bits plus a shift, preserving order. */
function longToInt4(i: number): number {
  if (i < 0) throw new RangeError(`Only supports positive values, got ${i}`);
  const numBits = i === 0 ? 0 : Math.floor(Math.log2(i)) + 1;
  if (numBits < 4) return i; // subnormal value
  const shift = numBits - 4;
  // keep the 4 most significant bits, drop the implicit leading one, record the shift (+1: 0 is subnormal)
  let encoded = Math.floor(i / 2 ** shift) & 0x07;
  encoded |= (shift + 1) << 3;
  return encoded;
}

function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}

const MAX_INT4 = longToInt4(2147483647);
/** 24: the byte values used verbatim for small lengths. */
const NUM_FREE_VALUES = 255 - MAX_INT4;

/** `SmallFloat.intToByte4`: a field length to its one-byte norm (0..255). */
export function intToByte4(i: number): number {
  if (i < NUM_FREE_VALUES) return i;
  return NUM_FREE_VALUES + longToInt4(i - NUM_FREE_VALUES);
}

/** `SmallFloat.byte4ToInt`: a one-byte norm (0..255) back to the length it stands for. */
export function byte4ToInt(b: number): number {
  const i = b & 0xff;
  if (i < NUM_FREE_VALUES) return i;
  return Math.min(NUM_FREE_VALUES + int4ToLong(i - NUM_FREE_VALUES), 2147483647);
}

/** BM25Similarity's LENGTH_TABLE: decoded length of every norm byte. */
export const LENGTH_TABLE: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let i = 0; i < 256; i++) t[i] = byte4ToInt(i);
  return t;
})();

/** Length as BM25 sees it after the norm round trip. */
export const encodedLength = (length: number): number => LENGTH_TABLE[intToByte4(length)] ?? length;
