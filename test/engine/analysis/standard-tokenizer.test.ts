import { describe, expect, it } from 'vitest';
import { StandardTokenizer } from '../../../src/engine/analysis/standard-tokenizer.js';
import { describeTokens, terms } from './token-helpers.js';

const tokenizer = new StandardTokenizer();
const tokenize = (text: string) => describeTokens(tokenizer.tokenize(text));

describe('StandardTokenizer', () => {
  it('splits words on spaces and punctuation with UTF-16 offsets and sequential positions', () => {
    expect(tokenize('The 2 QUICK Brown-Foxes')).toEqual([
      'The@0[0-3]<ALPHANUM>',
      '2@1[4-5]<NUM>',
      'QUICK@2[6-11]<ALPHANUM>',
      'Brown@3[12-17]<ALPHANUM>',
      'Foxes@4[18-23]<ALPHANUM>',
    ]);
  });

  it('returns no tokens for the empty string and for punctuation only', () => {
    expect(tokenizer.tokenize('')).toEqual([]);
    expect(tokenizer.tokenize(' .,;:!?-- @ # $ % ')).toEqual([]);
  });

  it('keeps apostrophes inside words (WB6/WB7), typographic ones too', () => {
    expect(tokenize("can't dog's ’tis rock’n’roll")).toEqual([
      "can't@0[0-5]<ALPHANUM>",
      "dog's@1[6-11]<ALPHANUM>",
      'tis@2[13-16]<ALPHANUM>',
      'rock’n’roll@3[17-28]<ALPHANUM>',
    ]);
  });

  it('keeps periods between letters but drops the final one (U.S.A.)', () => {
    expect(tokenize('U.S.A. e.g.')).toEqual(['U.S.A@0[0-5]<ALPHANUM>', 'e.g@1[7-10]<ALPHANUM>']);
  });

  it('splits an e-mail address at @ but keeps the dotted domain together', () => {
    expect(tokenize('foo@bar.com')).toEqual(['foo@0[0-3]<ALPHANUM>', 'bar.com@1[4-11]<ALPHANUM>']);
  });

  it('keeps decimal and grouped numbers whole and types them <NUM>', () => {
    expect(tokenize('3.14 1,000 1,000.50 2024-01-15')).toEqual([
      '3.14@0[0-4]<NUM>',
      '1,000@1[5-10]<NUM>',
      '1,000.50@2[11-19]<NUM>',
      '2024@3[20-24]<NUM>',
      '01@4[25-27]<NUM>',
      '15@5[28-30]<NUM>',
    ]);
  });

  it('does not join a period between a letter and a digit (WB6 and WB11 both fail)', () => {
    expect(tokenize('a.1 1.a v1.2 1a')).toEqual([
      'a@0[0-1]<ALPHANUM>',
      '1@1[2-3]<NUM>',
      '1@2[4-5]<NUM>',
      'a@3[6-7]<ALPHANUM>',
      'v1.2@4[8-12]<ALPHANUM>',
      '1a@5[13-15]<ALPHANUM>',
    ]);
  });

  it('splits on hyphens and keeps underscores (ExtendNumLet)', () => {
    expect(tokenize('wi-fi foo_bar _12 a_ ___')).toEqual([
      'wi@0[0-2]<ALPHANUM>',
      'fi@1[3-5]<ALPHANUM>',
      'foo_bar@2[6-13]<ALPHANUM>',
      '_12@3[14-17]<NUM>',
      'a_@4[18-20]<ALPHANUM>',
    ]);
  });

  it('keeps a colon between letters (MidLetter) as Lucene does', () => {
    expect(tokenize('a:b 10:30')).toEqual(['a:b@0[0-3]<ALPHANUM>', '10@1[4-6]<NUM>', '30@2[7-9]<NUM>']);
  });

  it('emits each CJK ideograph and hiragana as its own token, katakana runs whole', () => {
    expect(tokenize('中文字 食べる カタカナabc')).toEqual([
      '中@0[0-1]<IDEOGRAPHIC>',
      '文@1[1-2]<IDEOGRAPHIC>',
      '字@2[2-3]<IDEOGRAPHIC>',
      '食@3[4-5]<IDEOGRAPHIC>',
      'べ@4[5-6]<HIRAGANA>',
      'る@5[6-7]<HIRAGANA>',
      'カタカナ@6[8-12]<KATAKANA>',
      'abc@7[12-15]<ALPHANUM>',
    ]);
  });

  it('types Hangul words <HANGUL> and joins Hangul with Latin letters as one word', () => {
    expect(tokenize('한국어 한국abc')).toEqual(['한국어@0[0-3]<HANGUL>', '한국abc@1[4-9]<ALPHANUM>']);
  });

  it('keeps Thai and other complex-context scripts together as one token', () => {
    expect(tokenize('ภาษาไทย ok')).toEqual(['ภาษาไทย@0[0-7]<SOUTHEAST_ASIAN>', 'ok@1[8-10]<ALPHANUM>']);
  });

  it('emits emoji, modifier, ZWJ and flag sequences as single <EMOJI> tokens', () => {
    expect(tokenize('poo💩poo 👍🏽 👨‍👩‍👧 🇫🇷 1️⃣')).toEqual([
      'poo@0[0-3]<ALPHANUM>',
      '💩@1[3-5]<EMOJI>',
      'poo@2[5-8]<ALPHANUM>',
      '👍🏽@3[9-13]<EMOJI>',
      '👨‍👩‍👧@4[14-22]<EMOJI>',
      '🇫🇷@5[23-27]<EMOJI>',
      '1️⃣@6[28-31]<EMOJI>',
    ]);
  });

  it('prefers the longer match between a keycap emoji and a word, and the emoji on a tie', () => {
    expect(tokenize('1️⃣ 1️⃣a #️⃣')).toEqual(['1️⃣@0[0-3]<EMOJI>', '1️⃣a@1[4-8]<ALPHANUM>', '#️⃣@2[9-12]<EMOJI>']);
  });

  it('keeps leading joiners in an emoji token and ends a word before a joined emoji', () => {
    expect(tokenize('\u200d😀 a\u200d😀')).toEqual(['\u200d😀@0[0-3]<EMOJI>', 'a\u200d@1[4-6]<ALPHANUM>', '😀@2[6-8]<EMOJI>']);
  });

  it('attaches combining marks and format characters to the word (WB4)', () => {
    expect(tokenize('cafe\u0301 soft\u00ADhyphen')).toEqual(['cafe\u0301@0[0-5]<ALPHANUM>', 'soft\u00ADhyphen@1[6-17]<ALPHANUM>']);
  });

  it('treats tabs, newlines and mixed scripts as boundaries', () => {
    expect(tokenize('one\ttwo\r\nthree\nΑθήνα Москва')).toEqual([
      'one@0[0-3]<ALPHANUM>',
      'two@1[4-7]<ALPHANUM>',
      'three@2[9-14]<ALPHANUM>',
      'Αθήνα@3[15-20]<ALPHANUM>',
      'Москва@4[21-27]<ALPHANUM>',
    ]);
  });

  it('splits a 300-character token at max_token_length 255', () => {
    const long = 'a'.repeat(300);
    expect(tokenize(`${long} b`)).toEqual([`${'a'.repeat(255)}@0[0-255]<ALPHANUM>`, `${'a'.repeat(45)}@1[255-300]<ALPHANUM>`, 'b@2[301-302]<ALPHANUM>']);
  });

  it('splits at a configured max_token_length as the Elasticsearch docs show (jumped -> jumpe, d)', () => {
    const small = new StandardTokenizer(5);
    expect(terms(small.tokenize("The 2 QUICK Brown-Foxes jumped over the lazy dog's bone."))).toEqual([
      'The', '2', 'QUICK', 'Brown', 'Foxes', 'jumpe', 'd', 'over', 'the', 'lazy', "dog's", 'bone',
    ]);
  });

  it('rejects a max_token_length below 1', () => {
    expect(() => new StandardTokenizer(0)).toThrow(/maxTokenLength must be greater than 0/);
  });
});
