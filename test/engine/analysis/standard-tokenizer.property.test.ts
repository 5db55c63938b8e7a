import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LowercaseFilter } from '../../../src/engine/analysis/case-filters.js';
import { StandardTokenizer } from '../../../src/engine/analysis/standard-tokenizer.js';
import { referenceTokenize } from './segmenter-reference.js';
import { describeTokens } from './token-helpers.js';

/**
 * Pieces the generated strings are made of: ASCII letters and digits, the punctuation UAX#29
 * treats specially (MidLetter, MidNum, MidNumLet, ExtendNumLet, quotes), spaces and controls,
 * accented Latin (precomposed and combining), a few ideographs, kana and emoji sequences.
 * (Lone joiners, modifiers and Hebrew quotes are left out: there ICU's UAX#29 and Lucene's
 * grammar differ in ways the reference does not model.)
 */
const PIECES = [
  'a', 'b', 'x', 'Z', 'Q', '0', '1', '7', '.', ',', "'", '’', '-', '_', '@', ':', ';', '"', '/', '(', '!', '#', '*',
  ' ', ' ', ' ', '\t', '\n', '\r\n', 'é', 'ñ', 'Ü', 'ß', 'ø', '\u0301', '\u00ad', 'Ω', 'ж', '中', '文', '字',
  'べ', 'カ', 'ー', '©', '™', '😀', '👍🏽', '👨‍👩‍👧', '🇫🇷', '1️⃣', '#️⃣',
];

const mixedText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));

describe('StandardTokenizer against the Intl.Segmenter reference', () => {
  const tokenizer = new StandardTokenizer();

  it('produces the same terms, offsets, positions and types on mixed-script strings', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(describeTokens(tokenizer.tokenize(text))).toEqual(describeTokens(referenceTokenize(text)));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on other scripts, combining marks, format characters and UAX#29 punctuation', () => {
    const scripts = fc
      .array(
        fc.constantFrom(
          'a', '0', '.', ',', "'", '_', ':', ' ', '\n', 'مرحبا', 'ب', '\u064e', '١', 'नम', 'स्ते', '\u093e', 'Ελλάδα', 'Հայ',
          '０', 'Ａ', '²', '½', 'ℕ', 'ⓐ', '\u00b7', '\u0387', '\u2027', '\u066c', '\u060c', '\u202f', '\u2060', '\ufeff',
          '\u200b', 'ǅ', 'ʰ', '\u02c2', '〃', '々', 'ゝ', 'ㄅ', '𐐀', '𝐀', '🄰', '\u2028',
        ),
        { maxLength: 30 },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(scripts, (text) => {
        expect(describeTokens(tokenizer.tokenize(text))).toEqual(describeTokens(referenceTokenize(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on word-shaped strings (letters and digits joined by mid punctuation)', () => {
    const wordy = fc
      .array(fc.constantFrom('ab', 'x', '12', '3', '.', ',', "'", ':', '_', ' ', 'é'), { maxLength: 30 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(wordy, (text) => {
        expect(describeTokens(tokenizer.tokenize(text))).toEqual(describeTokens(referenceTokenize(text)));
      }),
      { numRuns: 3000 },
    );
  });

  it('lowercases in the fused pass exactly as a separate LowerCaseFilter does', () => {
    const fused = new StandardTokenizer(255, true);
    const cased = fc
      .array(fc.constantFrom(...PIECES, 'ABC', 'İ', 'ΣΟΦΙΑ', 'Ⅻ', 'Ⓐ', '𐐀', 'ǅ', 'ÀÉÎ'), { maxLength: 30 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(cased, (text) => {
        expect(describeTokens(fused.tokenize(text))).toEqual(describeTokens(new LowercaseFilter().filter(tokenizer.tokenize(text))));
      }),
      { numRuns: 2000 },
    );
  });
});
