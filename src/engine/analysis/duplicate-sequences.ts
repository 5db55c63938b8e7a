import { murmur3x64_128 } from './min-hash.js';

/**
 * Elasticsearch's duplicate-text spotting for `significant_text`'s `filter_duplicate_text`
 * (server/.../lucene/analysis/miscellaneous/DuplicateByteSequenceSpotter and
 * DeDuplicatingTokenFilter): each token is reduced to one byte (the low byte of h1 of
 * MurmurHash3_x64_128, seed 0, over its UTF-8 bytes) and every run of 6 consecutive bytes is
 * counted in a table that lives across the documents one aggregation bucket collects on a shard.
 * A token whose 6-byte window was seen before marks itself and the 5 tokens before it as
 * duplicates, and they are dropped. Being one byte per token, two different 6-token runs can
 * collide, exactly as they do in Elasticsearch.
 */

/** The run length that counts as a duplicate (DuplicateByteSequenceSpotter.TREE_DEPTH). */
export const DUPLICATE_SEQUENCE_LENGTH = 6;
/** Sightings are counted up to this (DuplicateByteSequenceSpotter.MAX_HIT_COUNT). */
const MAX_HIT_COUNT = 255;

const utf8 = new TextEncoder();

/** The byte a token stands for in the sequence table. */
export function tokenByte(term: string): number {
  const [h1] = murmur3x64_128(utf8.encode(term));
  return Number(h1 & 0xffn);
}

/** The table of 6-byte runs seen so far, fed one byte at a time. */
export class DuplicateByteSequenceSpotter {
  private readonly counts = new Map<number, number>();
  private readonly window = new Uint8Array(DUPLICATE_SEQUENCE_LENGTH);
  private filled = false;
  private next = 0;

  /** Forgets the bytes before (a new document starts); the counts stay. */
  startNewSequence(): void {
    this.filled = false;
    this.next = 0;
  }

  /** Adds a byte; answers how many times the run of the last 6 bytes was seen before (at most 255). */
  addByte(b: number): number {
    this.window[this.next] = b;
    this.next = (this.next + 1) % DUPLICATE_SEQUENCE_LENGTH;
    if (this.next === 0) this.filled = true;
    if (!this.filled) return 0;
    // the run read oldest first, as a 48-bit number (exact in a double)
    let key = 0;
    for (let i = 0; i < DUPLICATE_SEQUENCE_LENGTH; i++) key = key * 256 + (this.window[(this.next + i) % DUPLICATE_SEQUENCE_LENGTH] as number);
    const prior = this.counts.get(key) ?? 0;
    this.counts.set(key, Math.min(prior + 1, MAX_HIT_COUNT));
    return prior;
  }
}

/**
 * Which tokens of one token stream survive (DeDuplicatingTokenFilter without emitDuplicates).
 * The marks live in a ring of 6 slots as in Elasticsearch's filter, which does not clear a slot's
 * mark when a new token takes the slot: a mark made on a not yet used slot (possible at a stream's
 * start when the spotter's run continues from an earlier value of the same document) lands on the
 * token that later fills it, and that is kept here too.
 */
export function keepNonDuplicates(terms: readonly string[], spotter: DuplicateByteSequenceSpotter): boolean[] {
  const w = DUPLICATE_SEQUENCE_LENGTH;
  const keep = new Array<boolean>(terms.length).fill(true);
  const slotToken = new Array<number | undefined>(w).fill(undefined);
  const marks = new Array<number>(w).fill(0);
  let cursor = 0;
  let wrapped = false;
  const release = (slot: number): void => {
    if ((marks[slot] as number) > 0) {
      keep[slotToken[slot] as number] = false;
      marks[slot] = 0;
    }
  };
  for (let i = 0; i < terms.length; i++) {
    const sightings = spotter.addByte(tokenByte(terms[i] as string));
    slotToken[cursor] = i;
    if (sightings >= 1) {
      for (let k = 0; k < w; k++) {
        const slot = (cursor - k + w) % w;
        marks[slot] = Math.max(marks[slot] as number, sightings);
      }
    }
    cursor = (cursor + 1) % w;
    if (cursor === 0) wrapped = true;
    if (wrapped && slotToken[cursor] !== undefined) release(cursor);
  }
  for (let slot = wrapped ? (cursor + 1) % w : 0; slot !== cursor; slot = (slot + 1) % w) release(slot);
  return keep;
}
