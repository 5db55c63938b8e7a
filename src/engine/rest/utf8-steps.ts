/**
 * UTF-8 decoding of a large request body a slice at a time: `buffer.toString('utf8')` of an 11 MB
 * body (1,000,000 terms) is one synchronous step of 10-80 ms, so bodies above {@link DECODE_CHUNK_BYTES}
 * are decoded in pieces of about that size with a pause point between them.
 *
 * A piece always starts at a byte that is not a continuation byte (10xxxxxx), moving the cut at most
 * three bytes on. The decoder (WHATWG's, which `toString` follows) ends a sequence at any byte that is
 * not a continuation byte, so decoding the pieces one by one gives exactly what decoding the whole
 * buffer gives, replacement characters for malformed sequences included; three continuation bytes
 * before the cut complete or break any sequence.
 */

/** Bytes decoded between two pause points. */
export const DECODE_CHUNK_BYTES = 1024 * 1024;

const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80;

/** The text of `buffer` (UTF-8), decoded `chunkBytes` at a time with a pause point (yield) between pieces. */
export function* decodeUtf8Steps(buffer: Uint8Array, chunkBytes = DECODE_CHUNK_BYTES): Generator<void, string> {
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes.length <= chunkBytes) return bytes.toString('utf8');
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + chunkBytes);
    for (let moved = 0; end < bytes.length && moved < 3 && isContinuation(bytes[end] as number); moved++) end++;
    if (start > 0) yield;
    parts.push(bytes.toString('utf8', start, end));
    start = end;
  }
  return parts.join('');
}
