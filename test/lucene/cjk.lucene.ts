import { describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { useTestClient } from '../engine/helpers.js';
import { useLuceneHarness } from './lucene-harness.js';
import type { ChainToken } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';

/**
 * Lucene 8.7 judges the CJK analysis (`npx vitest run --config vitest.lucene.config.ts
 * test/lucene/cjk.lucene.ts`): random mixed-script texts through the engine's `_analyze` and
 * through Lucene's CJKAnalyzer, or the standard tokenizer with CJKWidthFilter and
 * CJKBigramFilter (random scripts and outputUnigrams), must give the same terms, offsets,
 * positions, position lengths and types.
 */

const TEXTS = 1000;

/** Pieces of text by script; halfwidth katakana with its voiced marks, fullwidth Latin and digits. */
const PIECES: readonly string[] = [
  '中', '国', '人', '東京', '大学', '日本語', '漢字', '𠀋', '𠮷野',
  'ひ', 'らが', 'な', 'の', 'です',
  'カ', 'タカナ', 'テスト', 'ー', 'ヽ', 'ヾ',
  'ｶ', 'ﾀｶﾅ', 'ｶﾞ', 'ﾊﾟ', 'ﾊﾞ', 'ｳﾞ', 'ｱﾞ', 'ﾟ', 'ﾞ', 'ｰ', '･', 'ﾜ', 'ｦ', 'ﾝ',
  '한', '국어', '텍스트', '한국abc',
  'ＡＢＣ', 'ｆｕｌｌ', '１２３', 'Ｔｈｅ', '！',
  'the', 'and', 'www', 'Latin', 'abc', 'x', 's', '42', '3.14',
];
const SEPARATORS = ['', '', '', ' ', ' ', ', ', '。', '-', '\u3000'];

function randomCjkText(r: Random): string {
  let text = '';
  for (let i = int(r, 1, 12); i > 0; i--) text += pick(r, PIECES) + pick(r, SEPARATORS);
  return text;
}

type Chain = Array<[factory: string, args: Record<string, string>]>;
interface Case {
  lucene: 'cjk' | Chain;
  engine: estypes.IndicesAnalyzeRequest;
}

const SCRIPTS = ['han', 'hiragana', 'katakana', 'hangul'] as const;

/** The CJKAnalyzer, or a random chain of width folding and bigrams, for both sides. */
function randomCase(r: Random): Case {
  if (r() < 0.4) return { lucene: 'cjk', engine: { analyzer: 'cjk' } };
  const ignored = SCRIPTS.filter(() => r() < 0.2);
  const outputUnigrams = r() < 0.5;
  const width = r() < 0.7;
  const bigramArgs: Record<string, string> = { outputUnigrams: String(outputUnigrams) };
  for (const s of ignored) bigramArgs[s] = 'false';
  return {
    lucene: [...(width ? [['cjkWidth', {}] as [string, Record<string, string>]] : []), ['cjkBigram', bigramArgs]],
    engine: {
      tokenizer: 'standard',
      filter: [...(width ? ['cjk_width'] : []), { type: 'cjk_bigram', ignored_scripts: ignored, output_unigrams: outputUnigrams }],
    },
  };
}

const t = useTestClient();
const lucene = useLuceneHarness();

describe('CJK analysis agrees with Lucene', () => {
  it('gives the same terms, offsets, positions, position lengths and types', async () => {
    const r = rng(1515);
    const diffs: string[] = [];
    let tokens = 0;
    for (let i = 0; i < TEXTS; i++) {
      const text = randomCjkText(r);
      const c = randomCase(r);
      const want = await lucene.analyzeChain(c.lucene, text);
      const res = await t.client.indices.analyze({ ...c.engine, text });
      const got: ChainToken[] = (res.tokens ?? []).map((k) => [k.token, k.start_offset, k.end_offset, k.position, k.type, Number(k.positionLength ?? 1)]);
      tokens += want.length;
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        diffs.push(`${JSON.stringify(c.engine)} ${JSON.stringify(text)}: engine ${JSON.stringify(got)}, lucene ${JSON.stringify(want)}`);
      }
    }
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(tokens).toBeGreaterThan(TEXTS);
  });
});
