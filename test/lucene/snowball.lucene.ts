import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../engine/helpers.js';
import { useLuceneHarness } from './lucene-harness.js';
import { namedStopWords } from '../../src/engine/analysis/stop-filter.js';
import { int, pick, rng } from './random-corpus.js';
import type { Random } from './random-corpus.js';

/**
 * The Snowball stemmers (the npm package snowball-stemmers, and the engine's own English) and the
 * language analyzers built on them, judged by Lucene 8.7's own SnowballPorterFilterFactory and
 * analyzer classes: random words made of each language's letters and of the suffixes its
 * algorithm knows (read from the package's stemmer tables at test time, so every rule is
 * reached), stemmed alone and in random texts.
 *
 * Elasticsearch 8 runs Lucene 9, whose stemmers were regenerated from Snowball 2.0 (LUCENE-9220);
 * Lucene 8.7 (the judge here) has the older generation. Hungarian's ő and ű are respelled for
 * Lucene 8.7 (LUCENE8_SPELLING below: Lucene 9 is right there). The languages the engine refuses
 * are not asked (Tamil and Yiddish, Lucene 9 only: snowball-vocab.lucene.ts judges Yiddish). Words Snowball 2.x
 * changed on purpose are left to snowball-vocab.lucene.ts (LUCENE9_CHANGED). German2 and Lithuanian
 * words are made from their Snowball test vocabularies (Estonian, Kp and Lovins too). Arabic is judged through the engine's punctuation step
 * (snowball-languages.ts keepingPunctuation): the package's older algorithm deletes punctuation
 * Lucene keeps, and this judge's words are full of it.
 */

const t = useTestClient();
const lucene = useLuceneHarness();

const PACKAGE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('snowball-stemmers'), 'utf8');

/** The languages Lucene 8.7's org.tartarus.snowball.ext has that the engine runs. */
const LUCENE8_LANGUAGES = [
  'Arabic', 'Armenian', 'Basque', 'Catalan', 'Danish', 'Dutch', 'English', 'Estonian', 'Finnish', 'French', 'German', 'German2', 'Hungarian',
  'Irish', 'Italian', 'Kp', 'Lithuanian', 'Lovins', 'Norwegian', 'Porter', 'Portuguese', 'Romanian', 'Russian', 'Spanish', 'Swedish', 'Turkish',
];

/**
 * Words whose stems Snowball 2.x (Lucene 9, the engine) changed on purpose, so Lucene 8.7 is no
 * judge of them; snowball-vocab.lucene.ts judges them with Lucene 9's own test vocabularies.
 * French reads ë and ï after a vowel as marked vowels now ("aiguë" -> aigu); German2 stems
 * -nisse to -nis, as German does.
 */
const LUCENE9_CHANGED: Readonly<Record<string, RegExp>> = {
  French: /[ëï]/,
  German2: /niss/,
};

/** Languages the old package lacks: their words are made from their Snowball test vocabulary (test/lucene/snowball-vocab). */
const VOCABULARY: Readonly<Record<string, string>> = {
  Estonian: 'estonian',
  German2: 'german2',
  Kp: 'kraaij_pohlmann',
  Lithuanian: 'lithuanian',
  Lovins: 'lovins',
};

/**
 * Hungarian: Lucene 8.7's stemmer was generated from Snowball's ISO-8859-1 source, which spelled
 * ő and ű as õ and û (snowball commit 4bcae97, 2014: "The Hungarian stemmer should be ISO-8859-2
 * not -1"); Lucene 9's knows ő and ű (as the engine). Lucene 8.7 is asked with õ and û in their
 * place, and its answer read back, so the whole algorithm is still judged.
 */
const LUCENE8_SPELLING: Readonly<Record<string, { to: (w: string) => string; from: (w: string) => string }>> = {
  Hungarian: {
    to: (w) => w.replace(/ő/g, 'õ').replace(/ű/g, 'û'),
    from: (w) => w.replace(/õ/g, 'ő').replace(/û/g, 'ű'),
  },
};

/** The among strings of a stemmer in the package (its suffixes and prefixes), and the letters they use. */
function alphabet(language: string): { endings: string[]; letters: string[] } {
  const folder = Object.hasOwn(VOCABULARY, language) ? VOCABULARY[language] : undefined;
  if (folder !== undefined) return vocabularyAlphabet(folder);
  const start = PACKAGE_SOURCE.indexOf(`function ${language.toLowerCase()}Stemmer()`);
  const next = PACKAGE_SOURCE.indexOf('Stemmer() {', start + 30);
  const source = PACKAGE_SOURCE.slice(start, next < 0 ? undefined : next);
  // lowercase words only, as every chain lowercases before stemming: the uppercase letters and
  // the ~ in the tables are the algorithms' own markers (French's H, I, U, Y; Portuguese's a~, o~)
  const endings = [...source.matchAll(/new Among\((?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'), -?\d+, -?\d+/g)]
    .map((m) => (m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (JSON.parse(`"${(m[2] ?? '').replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string)))
    .filter((e) => e === e.toLowerCase() && !e.includes('~'));
  const letters = [...new Set(endings.join(''))];
  return { endings, letters: letters.length > 0 ? letters : [...'abcdefghijklmnopqrstuvwxyz'] };
}

/** The endings (last one to five letters) and letters of every 7th word of a Snowball test vocabulary. */
function vocabularyAlphabet(folder: string): { endings: string[]; letters: string[] } {
  const words = gunzipSync(readFileSync(new URL(`./snowball-vocab/${folder}/voc.txt.gz`, import.meta.url)))
    .toString('utf8')
    .split('\n')
    .filter((w, i) => w !== '' && i % 7 === 0);
  const endings = new Set<string>();
  for (const w of words) for (let n = 1; n <= 5 && n < w.length; n++) endings.add(w.slice(-n));
  return { endings: [...endings], letters: [...new Set(words.join(''))] };
}

function randomWord(r: Random, a: { endings: string[]; letters: string[] }): string {
  let w = '';
  const n = int(r, 0, 7);
  for (let i = 0; i < n; i++) w += pick(r, a.letters);
  const k = int(r, 0, 2);
  for (let i = 0; i < k; i++) w += pick(r, a.endings);
  return w.length > 0 ? w : pick(r, a.letters);
}

describe('snowball filter languages agree with Lucene', () => {
  for (const language of LUCENE8_LANGUAGES) {
    it(`${language}: 2,000 words`, async () => {
      const r = rng(7000 + language.length * 31 + language.charCodeAt(0));
      const a = alphabet(language);
      const changed = Object.hasOwn(LUCENE9_CHANGED, language) ? LUCENE9_CHANGED[language] : undefined;
      const words = Array.from({ length: 2000 }, () => randomWord(r, a)).filter((w) => !/\s/.test(w) && !(changed?.test(w) ?? false));
      const diffs: string[] = [];
      for (let i = 0; i < words.length; i += 200) {
        const batch = words.slice(i, i + 200);
        const text = batch.join(' ');
        const spelling = Object.hasOwn(LUCENE8_SPELLING, language) ? LUCENE8_SPELLING[language] : undefined;
        const asked = spelling ? spelling.to(text) : text;
        const expected = (await lucene.chain({ name: 'whitespace' }, [{ name: 'snowballPorter', params: { language } }], asked)).map((x) => (spelling ? spelling.from(x[0]) : x[0]));
        const got = await t.client.indices.analyze({ tokenizer: 'whitespace', filter: [{ type: 'snowball', language }] as never, text });
        const actual = (got.tokens ?? []).map((x) => x.token);
        expect(actual.length).toBe(expected.length);
        expected.forEach((term, k) => {
          if (actual[k] !== term) diffs.push(`${batch[k]}: engine ${actual[k]}, lucene ${term}`);
        });
      }
      expect(diffs.slice(0, 10)).toEqual([]);
    });
  }
});

describe('Estonian (the engine\'s own) agrees with Lucene on a whole vocabulary', () => {
  it('every word of snowball-data estonian/voc.txt', async () => {
    const words = gunzipSync(readFileSync(new URL('./snowball-vocab/estonian/voc.txt.gz', import.meta.url)))
      .toString('utf8')
      .split('\n')
      .filter((w) => w !== '');
    expect(words.length).toBeGreaterThan(50_000);
    const diffs: string[] = [];
    for (let i = 0; i < words.length; i += 2000) {
      const batch = words.slice(i, i + 2000);
      const text = batch.join(' ');
      const expected = (await lucene.chain({ name: 'whitespace' }, [{ name: 'snowballPorter', params: { language: 'Estonian' } }], text)).map((x) => x[0]);
      const got = await t.client.indices.analyze({ tokenizer: 'whitespace', filter: [{ type: 'snowball', language: 'Estonian' }] as never, text });
      const actual = (got.tokens ?? []).map((x) => x.token);
      expect(actual.length).toBe(expected.length);
      expected.forEach((term, k) => {
        if (actual[k] !== term) diffs.push(`${batch[k]}: engine ${actual[k]}, lucene ${term}`);
      });
    }
    expect(diffs.slice(0, 10)).toEqual([]);
  }, 120_000);
});

/** The analyzers on Snowball stemmers and the Lucene classes Elasticsearch 8 builds them from. */
const ANALYZERS: ReadonlyArray<[type: string, luceneClass: `org.apache.lucene.${string}`, stemmer: string]> = [
  ['armenian', 'org.apache.lucene.analysis.hy.ArmenianAnalyzer', 'Armenian'],
  ['basque', 'org.apache.lucene.analysis.eu.BasqueAnalyzer', 'Basque'],
  ['catalan', 'org.apache.lucene.analysis.ca.CatalanAnalyzer', 'Catalan'],
  ['danish', 'org.apache.lucene.analysis.da.DanishAnalyzer', 'Danish'],
  ['estonian', 'org.apache.lucene.analysis.et.EstonianAnalyzer', 'Estonian'],
  ['dutch', 'org.apache.lucene.analysis.nl.DutchAnalyzer', 'Dutch'],
  ['finnish', 'org.apache.lucene.analysis.fi.FinnishAnalyzer', 'Finnish'],
  ['hungarian', 'org.apache.lucene.analysis.hu.HungarianAnalyzer', 'Hungarian'],
  ['irish', 'org.apache.lucene.analysis.ga.IrishAnalyzer', 'Irish'],
  ['lithuanian', 'org.apache.lucene.analysis.lt.LithuanianAnalyzer', 'Lithuanian'],
  ['norwegian', 'org.apache.lucene.analysis.no.NorwegianAnalyzer', 'Norwegian'],
  ['romanian', 'org.apache.lucene.analysis.ro.RomanianAnalyzer', 'Romanian'],
  ['russian', 'org.apache.lucene.analysis.ru.RussianAnalyzer', 'Russian'],
  ['swedish', 'org.apache.lucene.analysis.sv.SwedishAnalyzer', 'Swedish'],
  ['turkish', 'org.apache.lucene.analysis.tr.TurkishAnalyzer', 'Turkish'],
];

/** Pieces every analyzer meets: elisions, apostrophes, Irish prefixes and hyphenations, Turkish I's, Dutch dictionary words, digits. */
const SPECIAL = [
  "l'home", "D'Artagnan", "s'hi", "n'hi", 'nAthair', 'tUisce', 'nÓg', 'tAcht', "d'fhág", "m'athair", "b'fhéidir", 'h-Éireann', 'n-éan', 't-uisce', 'h', 'n',
  "Türkiye'de", "Ankara'nın", 'İSTANBUL', 'IŞIK', 'KIRMIZI', 'I\u0307', 'Iı', 'fiets', 'bromfiets', 'ei', 'kind', 'FIETS', 'Kinderen', '2024', 'x1',
  'Şeker', 'ţară', 'ÀÉÎÕÜ', 'Ævar', 'Øl', 'Åbo',
];

describe('language analyzers on Snowball agree with Lucene', () => {
  for (const [type, luceneClass, stemmer] of ANALYZERS) {
    it(`${type}: 300 random texts`, async () => {
      const r = rng(8100 + type.length * 17 + type.charCodeAt(0));
      const a = alphabet(stemmer);
      const stop = namedStopWords(`_${type}_`) ?? [];
      const diffs: string[] = [];
      for (let n = 0; n < 300; n++) {
        const words = Array.from({ length: int(r, 1, 8) }, () => {
          for (;;) {
            const w = analyzerWord();
            // Hungarian's ő and ű: judged through the stemmer test's respelling (LUCENE8_SPELLING)
            if (type !== 'hungarian' || !/[őűŐŰ]/.test(w)) return w;
          }
        });
        function analyzerWord(): string {
          const x = r();
          if (x < 0.15) return pick(r, SPECIAL);
          if (x < 0.3 && stop.length > 0) return pick(r, stop);
          const w = randomWord(r, a);
          return r() < 0.2 ? w.toUpperCase() : r() < 0.1 ? w.charAt(0).toUpperCase() + w.slice(1) : w;
        }
        const text = words.join(pick(r, [' ', ', ', ' - ']));
        const expected = (await lucene.analyze(luceneClass, text)).map(([term, start, end, position]) => [term, start, end, position]);
        const got = await t.client.indices.analyze({ analyzer: type, text });
        const actual = (got.tokens ?? []).map((x) => [x.token, x.start_offset, x.end_offset, x.position]);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) diffs.push(`${JSON.stringify(text)}\n  engine ${JSON.stringify(actual)}\n  lucene ${JSON.stringify(expected)}`);
      }
      expect(diffs.slice(0, 5)).toEqual([]);
    });
  }
});
