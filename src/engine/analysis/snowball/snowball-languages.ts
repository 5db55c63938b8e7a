import snowballStemmers from 'snowball-stemmers';
import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as greek } from '@orama/stemmers/greek';
import { stemmer as hindi } from '@orama/stemmers/indian';
import { stemmer as indonesian } from '@orama/stemmers/indonesian';
import { stemmer as lithuanian } from '@orama/stemmers/lithuanian';
import { stemmer as nepali } from '@orama/stemmers/nepali';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as serbian } from '@orama/stemmers/serbian';
import { illegalArgument, unsupported } from '../../errors.js';
import { englishSnowballStem } from '../english-snowball.js';
import { estonianStem } from './estonian.js';
import { german2 } from './german2.js';
import { kpStem } from './kp.js';
import { lovinsStem } from './lovins.js';
import { yiddishStem } from './yiddish.js';

/**
 * The Snowball stemmers by the names Lucene 9's SnowballFilter takes (the class name in
 * org.tartarus.snowball.ext without "Stemmer": `Danish`, `Kp`, `German2`, ...), as Elasticsearch's
 * `snowball` filter and analyzer pass their capitalized `language` to it.
 *
 * Lucene 9 compiled its stemmers from Snowball commit d8cf01d (2020, Snowball 2.x; gradle/generation
 * /snowball.gradle), and its TestSnowballVocab checks them against snowball-data 3546105. Two npm
 * packages run them here, each for the languages where it gives exactly those vocabularies' stems
 * (test/lucene/snowball-vocab.lucene.ts):
 * - `@orama/stemmers` (Snowball 2.x JavaScript): ORAMA_ALGORITHMS. The older `snowball-stemmers`
 *   is wrong for Lucene 9 in Danish and Finnish (digits), French (ë, ï) and Russian (ё), so
 *   those four come from here too.
 * - `snowball-stemmers`: PACKAGE_ALGORITHMS, where it agrees with Lucene 9 (orama lacks Basque,
 *   Catalan and Porter). Its Arabic is an older arabic.sbl whose normalization deletes punctuation
 *   (ARABIC_KEPT) that Lucene's keeps as ordinary characters; keepingPunctuation hides it.
 * English, Estonian, Kp, Lovins and Yiddish are the engine's own (english-snowball.ts; estonian.ts:
 * Lucene keeps the 2019 Estonian algorithm, which no package has; kp.ts and lovins.ts: in no
 * maintained package, Snowball 3 and Lucene 10 dropped them; yiddish.ts: the packages have
 * Snowball's later revision); German2 is German after German2's prelude (german2.ts).
 */
const PACKAGE_ALGORITHMS: Readonly<Record<string, string>> = {
  Arabic: 'arabic',
  Armenian: 'armenian',
  Basque: 'basque',
  Catalan: 'catalan',
  Dutch: 'dutch',
  German: 'german',
  Hungarian: 'hungarian',
  Irish: 'irish',
  Italian: 'italian',
  Norwegian: 'norwegian',
  Porter: 'porter',
  Portuguese: 'portuguese',
  Romanian: 'romanian',
  Spanish: 'spanish',
  Swedish: 'swedish',
  Turkish: 'turkish',
};

const ORAMA_ALGORITHMS: Readonly<Record<string, (word: string) => string>> = {
  Danish: danish,
  Finnish: finnish,
  French: french,
  Greek: greek,
  Hindi: hindi,
  Indonesian: indonesian,
  Lithuanian: lithuanian,
  Nepali: nepali,
  Russian: russian,
  Serbian: serbian,
};

/**
 * Languages Lucene 9's SnowballFilter has that this engine does not run (a 400 naming them):
 * Tamil, for want of a judge (the Tamil vocabulary of Lucene 9's snowball-data commit is not to be
 * had here, and Lucene 8.7 has no Tamil).
 */
export const UNSUPPORTED_SNOWBALL_LANGUAGES: readonly string[] = ['Tamil'];

/** The language names SnowballFilter accepts here, in order. */
export const SNOWBALL_LANGUAGES: readonly string[] = ['English', 'Estonian', 'German2', 'Kp', 'Lovins', 'Yiddish', ...Object.keys(PACKAGE_ALGORITHMS), ...Object.keys(ORAMA_ALGORITHMS)].sort();

/** The punctuation the package's Arabic normalization deletes and Lucene's Arabic stemmer keeps. */
const ARABIC_KEPT = [...'!"%*,./:;?\\\u060C\u061B\u061F\u066A\u066B\u066C'];
/** Placeholders: Private Use Area, then CJK code points, which no Snowball Arabic rule names. */
const PLACEHOLDER_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0xe000, 0xf8ff],
  [0x4e00, 0x9fff],
];

/**
 * `stem` with the ARABIC_KEPT characters of `word` swapped for placeholders absent from the word
 * (one UTF-16 unit each, so lengths and positions stay) and swapped back after: the package then
 * treats them as any other non-Arabic character, as Lucene's stemmer does.
 */
function keepingPunctuation(stem: (word: string) => string): (word: string) => string {
  return (word) => {
    const kept = ARABIC_KEPT.filter((c) => word.includes(c));
    if (kept.length === 0) return stem(word);
    const there = new Set(word);
    const to = new Map<string, string>();
    const back = new Map<string, string>();
    for (const [from, until] of PLACEHOLDER_RANGES) {
      for (let cp = from; cp <= until && to.size < kept.length; cp++) {
        const placeholder = String.fromCharCode(cp);
        if (there.has(placeholder)) continue;
        const c = kept[to.size] as string;
        to.set(c, placeholder);
        back.set(placeholder, c);
      }
    }
    // only a word of more than 27,000 distinct characters has no free placeholders: it stays as it is
    if (to.size < kept.length) return word;
    const swap = (s: string, map: Map<string, string>) => Array.from(s, (c) => map.get(c) ?? c).join('');
    return swap(stem(swap(word, to)), back);
  };
}

const made = new Map<string, (word: string) => string>([
  ['English', englishSnowballStem],
  ['Estonian', estonianStem],
  ['Kp', kpStem],
  ['Lovins', lovinsStem],
  ['Yiddish', yiddishStem],
]);

/**
 * The stem function of the Snowball `language` (exact, case-sensitive, as Lucene's Class.forName
 * lookup), or undefined. One stemmer per language, shared: stemming is synchronous and the
 * package's stemmer takes each word afresh.
 *
 * @example snowballStemmer('Danish')?.('hestene') // 'hest'
 */
export function snowballStemmer(language: string): ((word: string) => string) | undefined {
  let stem = made.get(language);
  if (stem !== undefined) return stem;
  if (Object.hasOwn(ORAMA_ALGORITHMS, language)) {
    stem = ORAMA_ALGORITHMS[language];
  } else if (language === 'German2') {
    stem = german2(snowballStemmer('German') as (word: string) => string);
  } else {
    const algorithm = Object.hasOwn(PACKAGE_ALGORITHMS, language) ? PACKAGE_ALGORITHMS[language] : undefined;
    if (algorithm === undefined) return undefined;
    const stemmer = snowballStemmers.newStemmer(algorithm);
    stem = (word) => stemmer.stem(word);
    if (language === 'Arabic') stem = keepingPunctuation(stem);
  }
  if (stem === undefined) return undefined;
  made.set(language, stem);
  return stem;
}

/**
 * The stem function of the Snowball `language`; a Lucene 9 language this engine lacks is a 400
 * naming it, anything else the 400 Lucene's SnowballFilter answers for a class it cannot load.
 */
export function snowballStemmerNamed(language: string): (word: string) => string {
  const stem = snowballStemmer(language);
  if (stem !== undefined) return stem;
  if (UNSUPPORTED_SNOWBALL_LANGUAGES.includes(language)) throw unsupported(`snowball language ${language}`);
  // Lucene's SnowballFilter(TokenStream, String) when Class.forName fails
  throw illegalArgument(`Invalid stemmer class specified: ${language}`);
}
