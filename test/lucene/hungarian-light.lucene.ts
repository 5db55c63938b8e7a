import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
import { useLuceneHarness } from './lucene-harness.js';
import { int, pick, rng } from './random-corpus.js';
import { NAMED_STOP_WORDS } from '../../src/engine/analysis/stopword-lists.js';

/**
 * The `stemmer` filter's light_hungarian judged by Lucene 8.7's HungarianLightStemFilter (factory
 * `hungarianLightStem`) after a lowercase filter: Hungarian words (the stop list, and stems with
 * random chains of case, possessive and plural endings, accented and not) must stem the same.
 */

const t = useTestClient();
const lucene = useLuceneHarness();

const STEMS = ['ház', 'kert', 'alma', 'könyv', 'asztal', 'város', 'ember', 'gyerek', 'szem', 'kéz', 'víz', 'tó', 'kutya', 'madár', 'hegy',
  'iskola', 'barát', 'nap', 'év', 'idő', 'szó', 'fű', 'tűz', 'Budapest', 'Magyarország', 'egészség', 'hölgy', 'öröm', 'ürügy', 'kassza', 'toll', 'fal'];
const ENDINGS = ['ok', 'ek', 'ak', 'k', 'ban', 'ben', 'ba', 'be', 'ból', 'ből', 'ról', 'ről', 'nak', 'nek', 'val', 'vel', 'al', 'el', 'ért', 'hoz', 'hez',
  'höz', 'tól', 'től', 'nál', 'nél', 'on', 'en', 'ön', 'n', 't', 'at', 'et', 'ot', 'ig', 'ul', 'ül', 'kent', 'ként', 'ra', 're', 'va', 've', 'am', 'em',
  'om', 'ad', 'ed', 'od', 'a', 'e', 'ja', 'je', 'unk', 'ünk', 'juk', 'jük', 'tok', 'tek', 'tök', 'atok', 'etek', 'otok', 'itek', 'itok', 'im', 'id',
  'ik', 'ink', 'i', 'ai', 'ei', 'nk', 'm', 'd', 'ék', 'é'];
const LETTERS = [...'aábcdeéfghiíjklmnoóöőpqrstuúüűvwxyzë'];

function word(r: () => number): string {
  const u = r();
  let w = u < 0.7 ? pick(r, STEMS) : Array.from({ length: int(r, 1, 6) }, () => pick(r, LETTERS)).join('');
  for (let k = int(r, 0, 3); k > 0; k--) w += pick(r, ENDINGS);
  return r() < 0.1 ? w.toUpperCase() : w;
}

describe('light_hungarian agrees with Lucene', () => {
  it('the Hungarian stop list and 4000 generated words', async () => {
    const r = rng(3101);
    const words = [...(NAMED_STOP_WORDS._hungarian_ ?? []), ...Array.from({ length: 4000 }, () => word(r))];
    const diffs: string[] = [];
    for (let at = 0; at < words.length; at += 200) {
      const text = words.slice(at, at + 200).join(' ');
      const expected = (await lucene.chain({ name: 'whitespace' }, [{ name: 'lowercase' }, { name: 'hungarianLightStem' }], text)).map((x) => x[0]);
      const r2 = await t.client.indices.analyze({ tokenizer: 'whitespace', filter: ['lowercase', { type: 'stemmer', language: 'light_hungarian' }] as never, text });
      const actual = (r2.tokens ?? []).map((x) => x.token);
      expected.forEach((e, k) => {
        if (actual[k] !== e) diffs.push(`${words[at + k]}: engine ${actual[k]} lucene ${e}`);
      });
      expect(actual.length).toBe(expected.length);
    }
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});
