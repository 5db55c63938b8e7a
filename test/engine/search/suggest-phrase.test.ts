import { describe, expect, it } from 'vitest';
import { createIndexWithDocs, failure, useTestClient } from '../helpers.js';

/**
 * The phrase suggester through the real client. A path of candidates scores
 * exp(sum over tokens of log10(channel x P(token))) — Elasticsearch's own mix of bases — where
 * channel is real_word_error_likelihood (0.95 as a Java float) for the input's own tokens and
 * the candidate's string similarity otherwise (0.8 as a float for one edit in five letters),
 * and P is the smoothed n-gram probability from the field's term frequencies. Options must beat
 * the input phrase's own score x confidence.
 */

type Option = { text: string; highlighted?: string; score: number };
type Entry = { text: string; offset: number; length: number; options: Option[] };

const RWL = Math.fround(0.95);
const ONE_EDIT = Math.fround(0.8);
const score = (...probabilities: number[]): number => Math.exp(probabilities.reduce((s, p) => s + Math.log10(p), 0));

const t = useTestClient(async (client) => {
  // title: nobel (ttf 2), prize (3), winners, peace, prime, numbers (1 each): 9 tokens, 6 terms.
  // title.shingles adds "nobel prize" (2), "prize winners", "peace prize", "prime numbers" (1):
  // 14 tokens, 10 terms.
  const titles = ['nobel prize', 'nobel prize winners', 'peace prize', 'prime numbers'];
  await createIndexWithDocs(
    client,
    'titles',
    {
      settings: {
        analysis: {
          filter: { pairs: { type: 'shingle', min_shingle_size: 2, max_shingle_size: 2 } },
          analyzer: { shingled: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'pairs'] } },
        },
      },
      mappings: { properties: { title: { type: 'text', fields: { shingles: { type: 'text', analyzer: 'shingled' } } } } },
    },
    titles.map((title, i) => [String(i + 1), { title }]),
  );
  // the corpus of Elasticsearch's NoisyChannelSpellCheckerTests.testNgram
  const lines = [
    'Xorr the God-Jewel', 'Grog the God-Crusher', 'Xorn', 'Walter Newell', 'Wanda Maximoff', 'Captain America', 'American Ace',
    'USA Hero', 'Wundarr the Aquarian', "Will o' the Wisp", 'Xemnu the Titan', 'Fantastic Four', 'Quasar', 'Quasar II',
  ];
  await createIndexWithDocs(
    client,
    'marvel',
    {
      settings: {
        analysis: {
          filter: { ngrams: { type: 'shingle', min_shingle_size: 2, max_shingle_size: 3, output_unigrams: false } },
          analyzer: {
            body: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
            body_ngram: { type: 'custom', tokenizer: 'standard', filter: ['ngrams', 'lowercase'] },
            body_reverse: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'reverse'] },
          },
        },
      },
      mappings: {
        properties: {
          body: { type: 'text', analyzer: 'body', fields: { ngram: { type: 'text', analyzer: 'body_ngram' }, reverse: { type: 'text', analyzer: 'body_reverse' } } },
        },
      },
    },
    lines.map((body, i) => [String(i), { body }]),
  );
});

async function phrase(text: string, options: Record<string, unknown>): Promise<Entry> {
  const r = await t.client.search({ index: 'titles', size: 0, suggest: { s: { text, phrase: { field: 'title', ...options } } } });
  return (r.suggest as unknown as Record<string, Entry[]>).s![0]!;
}

describe('phrase suggester', () => {
  it('corrects "noble prize" to "nobel prize" with unigram stupid backoff', async () => {
    // Unigram P(w) = (1 + ttf) / (9 tokens + 6 terms). "noble" (absent) gets the candidate
    // "nobel" (transposition: 1 - 1/5 = 0.8); "prize" is indexed, so suggest_mode missing
    // leaves it alone. Input:  exp(log10(0.95 x 1/15) + log10(0.95 x 4/15)) = 0.16618 (cutoff)
    //                  nobel prize: exp(log10(0.8 x 3/15) + log10(0.95 x 4/15)) = 0.24853
    const e = await phrase('noble prize', { highlight: { pre_tag: '<em>', post_tag: '</em>' } });
    expect(e).toMatchObject({ text: 'noble prize', offset: 0, length: 11 });
    expect(e.options).toHaveLength(1);
    expect(e.options[0]).toMatchObject({ text: 'nobel prize', highlighted: '<em>nobel</em> prize' });
    expect(e.options[0]!.score).toBeCloseTo(score(ONE_EDIT * (3 / 15), RWL * (4 / 15)), 6);
    expect(e.options[0]!.score).toBeCloseTo(0.248531, 6);
    // without highlight there is no highlighted key
    expect(Object.keys((await phrase('noble prize', {})).options[0]!)).toEqual(['text', 'score']);
  });

  it('corrects two words with max_errors 2, one highlight around adjacent corrections', async () => {
    // "prise" gets prize (freq 3) and prime (freq 1), both 0.8. Per token (x / 15):
    // noble 0.95 x 1, nobel 0.8 x 3, prise 0.95 x 1, prize 0.8 x 4, prime 0.8 x 2.
    // Every path beats the input (0.95 x 0.95); by product: nobel prize 0.2307, nobel prime
    // 0.1707, noble prize 0.1542, nobel prise 0.1361, noble prime 0.1141 (5 = size).
    const e = await phrase('noble prise', { max_errors: 2, highlight: { pre_tag: '<em>', post_tag: '</em>' } });
    expect(e.options.map((o) => [o.text, o.highlighted])).toEqual([
      ['nobel prize', '<em>nobel prize</em>'],
      ['nobel prime', '<em>nobel prime</em>'],
      ['noble prize', 'noble <em>prize</em>'],
      ['nobel prise', '<em>nobel</em> prise'],
      ['noble prime', 'noble <em>prime</em>'],
    ]);
    const p = { noble: RWL / 15, nobel: (ONE_EDIT * 3) / 15, prise: RWL / 15, prize: (ONE_EDIT * 4) / 15, prime: (ONE_EDIT * 2) / 15 };
    expect(e.options.map((o) => o.score)).toEqual([
      expect.closeTo(score(p.nobel, p.prize), 6),
      expect.closeTo(score(p.nobel, p.prime), 6),
      expect.closeTo(score(p.noble, p.prize), 6),
      expect.closeTo(score(p.nobel, p.prise), 6),
      expect.closeTo(score(p.noble, p.prime), 6),
    ]);
    expect(e.options[0]!.score).toBeCloseTo(0.230658, 6);
    // the default max_errors 0.5 x 2 tokens = 1 correction per path; size trims
    expect((await phrase('noble prise', {})).options.map((o) => o.text)).toEqual(['noble prize', 'nobel prise', 'noble prime']);
    expect((await phrase('noble prise', { size: 1 })).options.map((o) => o.text)).toEqual(['noble prize']);
  });

  it('keeps the input phrase itself with confidence 0', async () => {
    // the cutoff drops to Double.MIN_VALUE: "noble prise" (0.0910) joins the single corrections
    const e = await phrase('noble prise', { confidence: 0 });
    expect(e.options.map((o) => o.text)).toEqual(['noble prize', 'nobel prise', 'noble prime', 'noble prise']);
    expect(e.options[3]!.score).toBeCloseTo(score(RWL / 15, RWL / 15), 6);
  });

  it('scores unigrams with laplace smoothing', async () => {
    // P(w) = (0.5 + ttf) / (9 + 0.5 x 6): nobel prize = exp(log10(0.8 x 2.5/12) + log10(0.95 x 3.5/12))
    const e = await phrase('noble prize', { smoothing: { laplace: { alpha: 0.5 } } });
    expect(e.options[0]!.text).toBe('nobel prize');
    expect(e.options[0]!.score).toBeCloseTo(score((ONE_EDIT * 2.5) / 12, (RWL * 3.5) / 12), 6);
    expect(e.options[0]!.score).toBeCloseTo(0.263016, 6);
  });

  it('uses bigrams from a shingle field, gram_size detected from its analyzer', async () => {
    // title.shingles: 14 tokens, 10 terms. First word: (1 + ttf) / 24. Second word, stupid
    // backoff: count("w1 w") / ttf(w1), or 0.4 x unigram when the bigram is unseen.
    //   input "noble prize": exp(log10(0.95 x 1/24) + log10(0.95 x 0.4 x 4/24)) = 0.07421
    //   "nobel prize":       exp(log10(0.8 x 3/24) + log10(0.95 x 2/2)) = 0.35978
    const r = await t.client.search({ index: 'titles', size: 0, suggest: { s: { text: 'noble prize', phrase: { field: 'title.shingles' } } } });
    const e = (r.suggest as unknown as Record<string, Entry[]>).s![0]!;
    expect(e.options).toHaveLength(1);
    expect(e.options[0]!.text).toBe('nobel prize');
    expect(e.options[0]!.score).toBeCloseTo(score((ONE_EDIT * 3) / 24, RWL * (2 / (2 + 0.00000000001))), 6);
    expect(e.options[0]!.score).toBeCloseTo(0.359775, 6);
    // linear interpolation (0.7 bigram + 0.3 unigram): second word 0.7 x 2/(0.5 + 2) + 0.3 x 4/24 = 0.61
    const li = await t.client.search({
      index: 'titles',
      size: 0,
      suggest: { s: { text: 'noble prize', phrase: { field: 'title.shingles', smoothing: { linear_interpolation: { trigram_lambda: 0, bigram_lambda: 0.7, unigram_lambda: 0.3 } } } } },
    });
    const lo = (li.suggest as unknown as Record<string, Entry[]>).s![0]!.options[0]!;
    expect(lo.score).toBeCloseTo(score((ONE_EDIT * 3) / 24, RWL * (0.7 * (2 / 2.5) + 0.3 * (4 / 24))), 6);
    // with separator "_" the bigram "nobel_prize" is never found: backoff 0.4 x 4/24 for both paths
    const sep = await t.client.search({ index: 'titles', size: 0, suggest: { s: { text: 'noble prize', phrase: { field: 'title.shingles', separator: '_' } } } });
    const so = (sep.suggest as unknown as Record<string, Entry[]>).s![0]!.options[0]!;
    expect(so.score).toBeCloseTo(score((ONE_EDIT * 3) / 24, RWL * Math.fround(0.4) * (4 / 24)), 6);
    // gram_size 1 forced: unigrams of the shingle field, (1 + ttf) / 24 for both words
    const uni = await t.client.search({ index: 'titles', size: 0, suggest: { s: { text: 'noble prize', phrase: { field: 'title.shingles', gram_size: 1 } } } });
    expect((uni.suggest as unknown as Record<string, Entry[]>).s![0]!.options[0]!.score).toBeCloseTo(score((ONE_EDIT * 3) / 24, (RWL * 4) / 24), 6);
  });

  it('takes candidates from the direct generators with their own options', async () => {
    // min_word_length 6: "noble" (5) gets no candidate, so nothing beats the input
    expect((await phrase('noble prize', { direct_generator: [{ field: 'title', min_word_length: 6 }] })).options).toEqual([]);
    // suggest_mode always still skips "prize": 3 docs > ceil(0.01 x 4)
    const always = await phrase('noble prize', { direct_generator: [{ field: 'title', suggest_mode: 'always' }] });
    expect(always.options.map((o) => o.text)).toEqual(['nobel prize']);
    // token_limit 2: two tokens are too many
    expect((await phrase('noble prize', { token_limit: 2 })).options).toEqual([]);
  });

  it('answers with typed_keys and the global text', async () => {
    const r = await t.client.search({ index: 'titles', typed_keys: true, suggest: { text: 'noble prize', dym: { phrase: { field: 'title' } } } });
    const entries = (r.suggest as unknown as Record<string, Entry[]>)['phrase#dym']!;
    expect(entries.map((e) => [e.text, e.options.map((o) => o.text)])).toEqual([['noble prize', ['nobel prize']]]);
  });

  it('rejects collate, an unknown smoothing model and a lone highlight tag', async () => {
    const collate = await failure(t.client.search({ index: 'titles', suggest: { s: { text: 'x', phrase: { field: 'title', collate: { query: { source: {} } } } } } }));
    expect(collate).toMatchObject({ status: 400, error: { type: 'illegal_argument_exception', reason: '[phrase suggester collate] is not supported by the indexkit embedded engine' } });
    const smoothing = await failure(t.client.search({ index: 'titles', suggest: { s: { text: 'x', phrase: { field: 'title', smoothing: { kneser_ney: {} } as never } } } }));
    expect(smoothing).toMatchObject({ status: 400, error: { reason: "suggester[phrase] doesn't support object field [kneser_ney]" } });
    const tag = await failure(t.client.search({ index: 'titles', suggest: { s: { text: 'x', phrase: { field: 'title', highlight: { pre_tag: '<b>' } as never } } } }));
    expect(tag.error.reason).toBe('Pre and post tag must both be null or both not be null.');
  });

  it("reproduces Elasticsearch's NoisyChannelSpellCheckerTests.testNgram", async () => {
    // Laplace (alpha 0.5) over the 2-3 word shingles of body.ngram, gram_size 2, candidates from
    // body in popular mode, words of any length
    const marvel = async (text: string, o: Record<string, unknown>): Promise<Option[]> => {
      const r = await t.client.search({
        index: 'marvel',
        size: 0,
        suggest: {
          s: {
            text,
            phrase: {
              field: 'body.ngram',
              analyzer: 'body',
              gram_size: 2,
              smoothing: { laplace: { alpha: 0.5 } },
              direct_generator: [{ field: 'body', suggest_mode: 'popular', min_word_length: 1 }],
              highlight: { pre_tag: '<em>', post_tag: '</em>' },
              ...o,
            },
          },
        },
      });
      return (r.suggest as unknown as Record<string, Entry[]>).s![0]!.options;
    };
    const one = await marvel('american ame', { max_errors: 1, size: 1, shard_size: 1, confidence: 1 });
    expect(one.map((o) => [o.text, o.highlighted])).toEqual([['american ace', 'american <em>ace</em>']]);
    // unigrams of a shingle-only field are all unseen: the input's own words (channel 0.95) win
    expect((await marvel('american ame', { max_errors: 1, size: 1, shard_size: 1, confidence: 0, gram_size: 1 })).map((o) => o.text)).toEqual(['american ame']);
    const four = await marvel('Xor the Got-Jewel', { real_word_error_likelihood: 0.85, max_errors: 0.5, size: 4, shard_size: 4, confidence: 0 });
    expect(four.map((o) => [o.text, o.highlighted])).toEqual([
      ['xorr the god jewel', '<em>xorr</em> the <em>god</em> jewel'],
      ['xor the god jewel', 'xor the <em>god</em> jewel'],
      ['xorn the god jewel', '<em>xorn</em> the <em>god</em> jewel'],
      ['xorr the got jewel', '<em>xorr</em> the got jewel'],
    ]);
    const corners = await marvel('Xor teh Got-Jewel', { real_word_error_likelihood: 0.85, max_errors: 4, size: 4, shard_size: 4, confidence: 1 });
    expect(corners.map((o) => [o.text, o.highlighted])).toEqual([
      ['xorr the god jewel', '<em>xorr the god</em> jewel'],
      ['xor the god jewel', 'xor <em>the god</em> jewel'],
      ['xorn the god jewel', '<em>xorn the god</em> jewel'],
      ['xor teh god jewel', 'xor teh <em>god</em> jewel'],
    ]);
  });

  it("combines generators with pre/post filters as Elasticsearch's testMultiGenerator", async () => {
    // "cae" has no correction starting with "c"; reversed, "eac" is one transposition from
    // "eca", which the post filter turns back into "ace"
    const forward = { field: 'body', suggest_mode: 'always', min_word_length: 1 };
    const reverse = { field: 'body.reverse', suggest_mode: 'always', min_word_length: 1, pre_filter: 'body_reverse', post_filter: 'body_reverse' };
    const run = async (generators: Array<Record<string, unknown>>): Promise<string[]> => {
      const r = await t.client.search({
        index: 'marvel',
        size: 0,
        suggest: {
          s: {
            text: 'american cae',
            phrase: { field: 'body.ngram', analyzer: 'body', gram_size: 2, max_errors: 1, shard_size: 1, smoothing: { laplace: { alpha: 0.5 } }, direct_generator: generators as never },
          },
        },
      });
      return (r.suggest as unknown as Record<string, Entry[]>).s![0]!.options.map((o) => o.text);
    };
    expect(await run([forward, reverse])).toEqual(['american ace']);
    expect(await run([forward])).toEqual([]);
  });
});
