import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
import type { ChainToken } from './lucene-harness.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';

/**
 * hyphenation_decompounder judged by Lucene 8.7's HyphenationCompoundWordTokenFilter (factory
 * `hyphenationCompoundWord`): random FOP pattern files (classes with upper- and lowercase, patterns
 * with word-edge dots and digits 1-9, exceptions), random dictionaries, sizes and only_longest_match,
 * over random words (with characters outside the classes at the edges and inside), must give the
 * same terms, offsets, positions and types from the engine's `_analyze` as from Lucene.
 */

const t = useTestClient();
const lucene = useLuceneHarness();

const LETTERS = [...'abcdeäs'];

function patternFile(r: Random): string {
  const patterns = new Set<string>();
  for (let k = int(r, 5, 40); k > 0; k--) {
    let p = r() < 0.15 ? '.' : '';
    for (let n = int(r, 1, 4); n > 0; n--) p += (r() < 0.5 ? String(int(r, 1, 9)) : '') + pick(r, LETTERS);
    if (r() < 0.3) p += String(int(r, 1, 9));
    if (r() < 0.1) p += '.';
    patterns.add(p);
  }
  const exceptions = r() < 0.3 ? ['ab-cd', 'sa-bes-de'] : [];
  return `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE hyphenation-info>
<hyphenation-info>
<hyphen-char value="-"/>
<hyphen-min before="2" after="2"/>
<!-- a comment -->
<classes>
${LETTERS.filter(() => r() < 0.95).map((l) => `${l}${l.toUpperCase()}`).join('\n')}
</classes>
<exceptions>
${exceptions.join('\n')}
</exceptions>
<patterns>
${[...patterns].join('\n')}
</patterns>
</hyphenation-info>
`;
}

function randomWord(r: Random): string {
  let w = r() < 0.1 ? pick(r, ['-', '1', 'x']) : '';
  for (let n = int(r, 2, 12); n > 0; n--) w += r() < 0.1 ? pick(r, LETTERS).toUpperCase() : pick(r, LETTERS);
  if (r() < 0.05) w += pick(r, ['x', '1']) + pick(r, LETTERS);
  if (r() < 0.1) w += pick(r, ['-', '1']);
  return r() < 0.03 ? 'abcd' : w;
}

describe('hyphenation_decompounder agrees with Lucene', () => {
  it('300 random pattern files, dictionaries and settings over random words', async () => {
    const r = rng(4101);
    const diffs: string[] = [];
    const config = join(t.dir, 'config');
    mkdirSync(config, { recursive: true });
    for (let n = 0; n < 300; n++) {
      const xml = patternFile(r);
      const words = [...new Set(Array.from({ length: int(r, 1, 12) }, () => Array.from({ length: int(r, 1, 5) }, () => pick(r, LETTERS)).join('')))];
      const sizes = { min_word_size: int(r, 0, 8), min_subword_size: int(r, 0, 4), max_subword_size: int(r, 1, 10) };
      const longest = r() < 0.4;
      // Lucene's factory has no ignoreCase (Elasticsearch's word_list_case builds the set itself): case-sensitive here
      const ignoreCase = false;
      const text = Array.from({ length: int(r, 1, 8) }, () => randomWord(r)).join(' ');
      writeFileSync(join(config, `hyph${n}.xml`), xml);
      const expected = await lucene.chain({ name: 'whitespace' }, [{
        name: 'hyphenationCompoundWord',
        params: {
          hyphenator: 'h.xml', dictionary: 'd.txt', minWordSize: String(sizes.min_word_size), minSubwordSize: String(sizes.min_subword_size),
          maxSubwordSize: String(sizes.max_subword_size), onlyLongestMatch: String(longest)
        },
      }], text, { 'h.xml': xml, 'd.txt': words.join('\n') });
      const filter = { type: 'hyphenation_decompounder', hyphenation_patterns_path: `hyph${n}.xml`, word_list: words, word_list_case: ignoreCase, ...sizes, only_longest_match: longest };
      const got = await t.client.indices.analyze({ tokenizer: 'whitespace', filter: [filter] as never, text });
      const actual = (got.tokens ?? []).map((x): ChainToken => [x.token, x.start_offset, x.end_offset, x.position, x.type ?? '', (x as { positionLength?: number }).positionLength ?? 1]);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)} ${JSON.stringify(filter)}\n${xml}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
    }
    expect(diffs.slice(0, 3)).toEqual([]);
  });
});
