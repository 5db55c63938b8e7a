import { describe, expect, it } from 'vitest';
import { useTestClient } from '../helpers.js';

/** Expected tokens from the Elasticsearch reference (cjk_bigram, cjk_width, cjk analyzer pages) and Lucene's TestCJKAnalyzer. */
const t = useTestClient();

async function analyze(body: Record<string, unknown>): Promise<Array<[string, number, number, number, string, number?]>> {
  const res = await t.client.indices.analyze({ text: '', ...body });
  return (res.tokens ?? []).map((k) => {
    const row: [string, number, number, number, string, number?] = [k.token, k.start_offset, k.end_offset, k.position, k.type];
    if (k.positionLength !== undefined) row.push(Number(k.positionLength));
    return row;
  });
}

describe('CJK analysis', () => {
  it('cjk_bigram: overlapping bigrams over han and hiragana (Elasticsearch docs example)', async () => {
    const tokens = await analyze({ tokenizer: 'standard', filter: ['cjk_bigram'], text: '東京都は、日本の首都であり' });
    expect(tokens.map((k) => k[0])).toEqual(['東京', '京都', '都は', '日本', '本の', 'の首', '首都', '都で', 'であ', 'あり']);
    expect(tokens[3]).toEqual(['日本', 5, 7, 3, '<DOUBLE>']);
  });

  it('cjk_bigram and cjk_width as defined filters and pre-built (analysis-common 40_token_filters.yml)', async () => {
    await t.client.indices.create({ index: 'cjk-filters', settings: { analysis: { filter: { my_cjk_width: { type: 'cjk_width' }, my_cjk_bigram: { type: 'cjk_bigram' } } } } });
    const want = ['多く', 'くの', 'の学', '学生', '生が', 'が試', '試験', '験に', 'に落', '落ち', 'ちた'];
    for (const [index, filter] of [['cjk-filters', 'my_cjk_bigram'], [undefined, 'cjk_bigram']] as const) {
      expect((await analyze({ index, tokenizer: 'standard', filter: [filter], text: '多くの学生が試験に落ちた' })).map((k) => k[0])).toEqual(want);
    }
    for (const [index, filter] of [['cjk-filters', 'my_cjk_width'], [undefined, 'cjk_width']] as const) {
      expect((await analyze({ index, tokenizer: 'keyword', filter: [filter], text: 'ｶﾀｶﾅ' })).map((k) => k[0])).toEqual(['カタカナ']);
    }
  });

  it('cjk_bigram: a lone character is a <SINGLE> unigram; other tokens pass through', async () => {
    expect(await analyze({ tokenizer: 'standard', filter: ['cjk_bigram'], text: '一 abc 二三' })).toEqual([
      ['一', 0, 1, 0, '<SINGLE>'],
      ['abc', 2, 5, 1, '<ALPHANUM>'],
      ['二三', 6, 8, 2, '<DOUBLE>'],
    ]);
  });

  it('cjk_bigram: output_unigrams stacks each bigram on its first unigram with positionLength 2', async () => {
    expect(await analyze({ tokenizer: 'standard', filter: [{ type: 'cjk_bigram', output_unigrams: true }], text: '多くの' })).toEqual([
      ['多', 0, 1, 0, '<SINGLE>'],
      ['多く', 0, 2, 0, '<DOUBLE>', 2],
      ['く', 1, 2, 1, '<SINGLE>'],
      ['くの', 1, 3, 1, '<DOUBLE>', 2],
      ['の', 2, 3, 2, '<SINGLE>'],
    ]);
  });

  it('cjk_bigram: ignored_scripts passes those tokens through untouched', async () => {
    const tokens = await analyze({ tokenizer: 'standard', filter: [{ type: 'cjk_bigram', ignored_scripts: ['hiragana', 'katakana', 'hangul'] }], text: '東京ひら' });
    expect(tokens).toEqual([
      ['東京', 0, 2, 0, '<DOUBLE>'],
      ['ひ', 2, 3, 1, '<HIRAGANA>'],
      ['ら', 3, 4, 2, '<HIRAGANA>'],
    ]);
  });

  it('cjk_width: halfwidth katakana with voiced marks and fullwidth Latin (Elasticsearch docs example)', async () => {
    expect((await analyze({ tokenizer: 'standard', filter: ['cjk_width'], text: 'ｼｰｻｲﾄﾞﾗｲﾅｰ' })).map((k) => k[0])).toEqual(['シーサイドライナー']);
    expect((await analyze({ tokenizer: 'keyword', filter: ['cjk_width'], text: 'ＡＢＣ１２３ｰﾊﾟ' })).map((k) => k[0])).toEqual(['ABC123ーパ']);
  });

  it('cjk analyzer: width folding, lowercase, bigrams and its English stop words', async () => {
    expect((await analyze({ analyzer: 'cjk', text: 'ＴＨＥ quick 一二三 www' })).map((k) => [k[0], k[3]])).toEqual([
      ['quick', 1],
      ['一二', 2],
      ['二三', 3],
    ]);
    expect((await analyze({ analyzer: 'cjk', text: 'the 一二', })).map((k) => k[0])).toEqual(['一二']);
  });

  it('cjk analyzer pre-built and defined (analysis-common 20_analyzers.yml)', async () => {
    await t.client.indices.create({ index: 'cjk-analyzer', settings: { analysis: { analyzer: { my_analyzer: { type: 'cjk' } } } } });
    expect((await analyze({ analyzer: 'cjk', text: '多くの' })).map((k) => k[0])).toEqual(['多く', 'くの']);
    expect((await analyze({ index: 'cjk-analyzer', analyzer: 'my_analyzer', text: '多くの' })).map((k) => k[0])).toEqual(['多く', 'くの']);
  });

  it('cjk analyzer: stopwords can be replaced', async () => {
    await t.client.indices.create({ index: 'cjk-stop', settings: { analysis: { analyzer: { my: { type: 'cjk', stopwords: ['quick'] } } } } });
    const res = await t.client.indices.analyze({ index: 'cjk-stop', analyzer: 'my', text: 'the quick 漢字' });
    expect((res.tokens ?? []).map((k) => k.token)).toEqual(['the', '漢字']);
  });

  it('a cjk text field finds documents by bigram match and phrase', async () => {
    await t.client.indices.create({ index: 'cjk-docs', mappings: { properties: { body: { type: 'text', analyzer: 'cjk' } } } });
    await t.client.index({ index: 'cjk-docs', id: '1', document: { body: '東京都は日本の首都' }, refresh: true });
    await t.client.index({ index: 'cjk-docs', id: '2', document: { body: '京都は古都' }, refresh: true });
    const ids = async (query: Record<string, unknown>) => (await t.client.search({ index: 'cjk-docs', query })).hits.hits.map((h) => h._id).sort();
    expect(await ids({ match_phrase: { body: '東京都' } })).toEqual(['1']);
    expect(await ids({ match_phrase: { body: '京都は' } })).toEqual(['1', '2']);
    expect(await ids({ match: { body: '首都' } })).toEqual(['1']);
  });
});
