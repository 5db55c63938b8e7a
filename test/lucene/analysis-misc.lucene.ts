import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
import type { ChainToken, LuceneComponent } from './lucene-harness.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';

/**
 * common_grams, dictionary_decompounder, min_hash, the classic tokenizer and filter, and
 * simple_pattern(_split), judged by Lucene 8.7's factories (commonGrams, commonGramsQuery,
 * dictionaryCompoundWord, minHash, classic, simplePattern, simplePatternSplit): random texts and
 * settings must give the same terms, offsets, positions, position lengths and types from the
 * engine's `_analyze` as from Lucene. Lucene 9 (Elasticsearch 8) behaves as 8.7 for all of them;
 * the one later change, decompounded parts typed `subword`, is Lucene 10's and not followed.
 */

const t = useTestClient();
const lucene = useLuceneHarness();

type EsToken = { token: string; start_offset: number; end_offset: number; position: number; type: string; positionLength?: number };

async function engineTokens(tokenizer: unknown, filter: unknown[], text: string): Promise<ChainToken[]> {
  const r = await t.client.indices.analyze({ tokenizer: tokenizer as never, filter: filter as never, text });
  return ((r.tokens ?? []) as EsToken[]).map((x) => [x.token, x.start_offset, x.end_offset, x.position, x.type, x.positionLength ?? 1]);
}

const VOCABULARY = ['the', 'The', 'THE', 'of', 'a', 'quick', 'brown', 'fox', 'rain', 'in', 'spain', 'Donau', 'dampf', 'schiff', 'fahrt', 'Donaudampfschifffahrt',
  'dampfschiff', 'schifffahrt', 'xx', 'Ab', 'abcde', 'résumé', 'über', 'Äpfel', 'Apfelbaum', 'baum', 'apfel', 'ÄPFELBAUM', '𝒜bc'];

const randomText = (r: Random): string => Array.from({ length: int(r, 0, 9) }, () => pick(r, VOCABULARY)).join(pick(r, [' ', '  ', ' \t ']));

async function judge(cases: number, seed: number, make: (r: Random) => { es: unknown[]; lucene: LuceneComponent[]; files?: Record<string, string> }): Promise<string[]> {
  const r = rng(seed);
  const diffs: string[] = [];
  for (let n = 0; n < cases; n++) {
    const text = randomText(r);
    const chain = make(r);
    const expected = await lucene.chain({ name: 'whitespace' }, chain.lucene, text, chain.files);
    // Lone surrogates: the harness prints Java's '?' for them; the engine's terms carry U+FFFD, what Lucene indexes
    const actual = (await engineTokens('whitespace', chain.es, text)).map((x): ChainToken => [x[0].replaceAll('\uFFFD', '?'), x[1], x[2], x[3], x[4], x[5]]);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      diffs.push(`${JSON.stringify(text)} ${JSON.stringify(chain.es)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
    }
  }
  return diffs;
}

const someWords = (r: Random, from: readonly string[]): string[] => [...new Set(Array.from({ length: int(r, 1, 5) }, () => pick(r, from)))];

describe('common_grams agrees with Lucene', () => {
  it('600 random texts, word lists, ignore_case and query_mode (with a stop filter making holes before it)', async () => {
    const diffs = await judge(600, 1501, (r) => {
      const words = someWords(r, ['the', 'The', 'of', 'a', 'in', 'fox', 'über', 'ÄPFELBAUM']);
      const ignoreCase = r() < 0.5;
      const queryMode = r() < 0.4;
      const stop = r() < 0.3;
      return {
        es: [...(stop ? [{ type: 'stop', stopwords: ['xx', 'Ab'] }] : []), { type: 'common_grams', common_words: words, ignore_case: ignoreCase, query_mode: queryMode }],
        lucene: [
          ...(stop ? [{ name: 'stop', params: { words: 'stop.txt' } } as LuceneComponent] : []),
          { name: queryMode ? 'commonGramsQuery' : 'commonGrams', params: { words: 'words.txt', ignoreCase: String(ignoreCase) } },
        ],
        files: { 'words.txt': words.join('\n'), 'stop.txt': 'xx\nAb' },
      };
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

describe('dictionary_decompounder agrees with Lucene', () => {
  it('600 random texts, dictionaries and sizes', async () => {
    const diffs = await judge(600, 1502, (r) => {
      const words = someWords(r, ['Donau', 'dampf', 'schiff', 'fahrt', 'dampfschiff', 'schifffahrt', 'apfel', 'Apfel', 'baum', 'ab', 'bc', 'c', 'fel']);
      const sizes = { min_word_size: int(r, 0, 8), min_subword_size: int(r, 0, 4), max_subword_size: int(r, 2, 15) };
      const longest = r() < 0.4;
      return {
        es: [{ type: 'dictionary_decompounder', word_list: words, ...sizes, only_longest_match: longest }],
        lucene: [{
          name: 'dictionaryCompoundWord',
          params: { dictionary: 'dict.txt', minWordSize: String(sizes.min_word_size), minSubwordSize: String(sizes.min_subword_size), maxSubwordSize: String(sizes.max_subword_size), onlyLongestMatch: String(longest) },
        }],
        files: { 'dict.txt': words.join('\n') },
      };
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

describe('min_hash agrees with Lucene', () => {
  it('300 random texts with random hash counts, bucket counts, set sizes and rotation', async () => {
    const diffs = await judge(300, 1503, (r) => {
      const hashCount = int(r, 1, 3);
      const bucketCount = pick(r, [1, 2, 5, 16, 512]);
      const hashSetSize = int(r, 1, 3);
      const rotation = r() < 0.5;
      return {
        es: [{ type: 'min_hash', hash_count: hashCount, bucket_count: bucketCount, hash_set_size: hashSetSize, with_rotation: rotation }],
        lucene: [{ name: 'minHash', params: { hashCount: String(hashCount), bucketCount: String(bucketCount), hashSetSize: String(hashSetSize), withRotation: String(rotation) } }],
      };
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

describe('the classic tokenizer and filter agree with Lucene', () => {
  const PIECES = ["O'Reilly's", "don't", 'I.B.M.', 'U.S.A', 'AT&T', 'Excite@Home', 'john.doe@mail.example.com', 'a-b_c@x-y.z', 'www.example.com', '3.14',
    '1-2-3', '1,000.5', 'a1/b2', 'x86_64', 'R2-D2', 'ab.cd.', '中文字', 'ひらがな', 'カタカナ', '한국어', 'ภาษาไทย', '๑๒๓', 'Ⅳ', '½', 'café', 'Straße',
    '𝒜bc', 'e\u0301', 'wi-fi', '--', '...', "''", '@', '&', 'x', "rock'n'roll", 'J.R.R.', 'a.1.', '١٢٣', 'ǅ', 'ℌ', '_', ',', '/'];
  const CHARS = ['a', 'B', '1', '.', '-', '_', '/', ',', "'", '&', '@', 'é', '中', 'ก', '๑', ' ', '½', 'ª', 'Ω'];
  const word = (r: Random): string =>
    r() < 0.6 ? pick(r, PIECES) : Array.from({ length: int(r, 1, 8) }, () => pick(r, CHARS)).join('');

  it('1,500 random texts, with max_token_length and the classic filter', async () => {
    const r = rng(1504);
    const diffs: string[] = [];
    for (let n = 0; n < 1500; n++) {
      const text = Array.from({ length: int(r, 1, 6) }, () => word(r)).join(pick(r, [' ', '', ', ', '. ']));
      const max = r() < 0.2 ? int(r, 1, 6) : undefined;
      const filter = r() < 0.5;
      const tokenizer = { type: 'classic', ...(max !== undefined ? { max_token_length: max } : {}) };
      const expected = await lucene.chain({ name: 'classic', params: max !== undefined ? { maxTokenLength: String(max) } : {} }, filter ? [{ name: 'classic' }] : [], text);
      const actual = await engineTokens(tokenizer, filter ? ['classic'] : [], text);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)} ${JSON.stringify(tokenizer)} ${filter}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

describe('simple_pattern and simple_pattern_split agree with Lucene', () => {
  const PATTERNS = ['[a-z]+', '[abcdef0123456789]{4}', 'a*b', '==', '[ ,]+', 'x|xyz', 'ab|abcd', '.', '[^ ]+', '(ab)+c?', 'é+', '[0-9]+(\\.[0-9]+)?', '🙂', 'a{2,3}', '"quoted"'];
  const CHARS = ['a', 'b', 'c', 'd', 'x', 'y', 'z', '=', ' ', ',', '.', '1', '9', 'é', '🙂', 'A', '"'];
  it('800 random texts and patterns, each tokenizer', async () => {
    const r = rng(1505);
    const diffs: string[] = [];
    for (let n = 0; n < 800; n++) {
      const text = Array.from({ length: int(r, 0, 24) }, () => pick(r, CHARS)).join('');
      const pattern = pick(r, PATTERNS);
      const split = r() < 0.5;
      const expected = await lucene.chain({ name: split ? 'simplePatternSplit' : 'simplePattern', params: { pattern } }, [], text);
      const actual = await engineTokens({ type: split ? 'simple_pattern_split' : 'simple_pattern', pattern }, [], text);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)} ${pattern} split=${split}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});
