import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import { TOKEN_TYPES, type TokenFilter } from './analysis-types.js';

export interface ShingleOptions {
  minShingleSize: number;
  maxShingleSize: number;
  outputUnigrams: boolean;
  outputUnigramsIfNoShingles: boolean;
  tokenSeparator: string;
  fillerToken: string;
}

export const SHINGLE_DEFAULTS: ShingleOptions = {
  minShingleSize: 2,
  maxShingleSize: 2,
  outputUnigrams: true,
  outputUnigramsIfNoShingles: false,
  tokenSeparator: ' ',
  fillerToken: '_',
};

/** A slot of the shingle window: a real token, or a filler for an empty position (stop word). */
interface Slot {
  token?: Token;
  term: string;
  position: number;
  startOffset: number;
  endOffset: number;
}

/**
 * Lucene's ShingleFilter: word n-grams. For each position, the unigram (when output_unigrams)
 * then the shingles of min..max tokens starting there, each typed `shingle`, at the position
 * of its first token with positionLength = its size. Empty positions (left by a stop filter)
 * are filled with filler_token, at most max_shingle_size - 1 per gap; shingles made only of
 * fillers are not emitted.
 */
export class ShingleFilter implements TokenFilter {
  private readonly o: ShingleOptions;

  constructor(options: Partial<ShingleOptions> = {}) {
    this.o = { ...SHINGLE_DEFAULTS, ...options };
    if (this.o.maxShingleSize < 2) throw illegalArgument('Max shingle size must be >= 2');
    if (this.o.minShingleSize < 2) throw illegalArgument('Min shingle size must be >= 2');
    if (this.o.minShingleSize > this.o.maxShingleSize) throw illegalArgument('Min shingle size must be <= max shingle size');
  }

  filter(tokens: Token[]): Token[] {
    const o = this.o;
    const slots: Slot[] = [];
    let lastPosition = -1;
    for (const t of tokens) {
      const gap = t.position - lastPosition - 1;
      for (let f = Math.max(0, gap - (o.maxShingleSize - 1)); f < gap; f++) {
        const position = t.position - gap + f;
        slots.push({ term: o.fillerToken, position, startOffset: t.startOffset, endOffset: t.startOffset });
      }
      slots.push({ token: t, term: t.term, position: t.position, startOffset: t.startOffset, endOffset: t.endOffset });
      lastPosition = Math.max(lastPosition, t.position);
    }
    const out: Token[] = [];
    let shingles = 0;
    for (let s = 0; s < slots.length; s++) {
      const first = slots[s] as Slot;
      if (o.outputUnigrams && first.token) out.push(first.token);
      let term = first.term;
      let allFiller = first.token === undefined;
      for (let size = 2; size <= o.maxShingleSize && s + size <= slots.length; size++) {
        const last = slots[s + size - 1] as Slot;
        term += o.tokenSeparator + last.term;
        if (last.token) allFiller = false;
        if (size < o.minShingleSize || allFiller) continue;
        const shingle: Token = {
          term,
          position: first.position,
          startOffset: first.startOffset,
          endOffset: last.endOffset,
          type: TOKEN_TYPES.shingle,
          positionLength: size,
        };
        out.push(shingle);
        shingles++;
      }
    }
    if (!o.outputUnigrams && shingles === 0 && o.outputUnigramsIfNoShingles) return tokens;
    return out;
  }
}
