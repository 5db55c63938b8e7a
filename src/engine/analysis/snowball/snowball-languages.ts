import snowballStemmers from 'snowball-stemmers';
import { illegalArgument, unsupported } from '../../errors.js';
import { englishSnowballStem } from '../english-snowball.js';

/**
 * The Snowball stemmers by the names Lucene 9's SnowballFilter takes (the class name in
 * org.tartarus.snowball.ext without "Stemmer": `Danish`, `Kp`, `German2`, ...), as Elasticsearch's
 * `snowball` filter and analyzer pass their capitalized `language` to it. They run the npm package
 * `snowball-stemmers` (the Snowball project's stemmers as JavaScript), judged against Lucene by
 * test/lucene/snowball.lucene.ts; English is the engine's own (english-snowball.ts).
 *
 * Not run from the package: Arabic (the package's is an older arabic.sbl that deletes or rewrites
 * punctuation such as ! % * , . : and Arabic ، ٪ ٫, which Lucene's keeps, so stems differ) and
 * Tamil (Lucene 9 only, so there is no Lucene 8.7 judge for it here).
 */
const PACKAGE_ALGORITHMS: Readonly<Record<string, string>> = {
  Armenian: 'armenian',
  Basque: 'basque',
  Catalan: 'catalan',
  Danish: 'danish',
  Dutch: 'dutch',
  Finnish: 'finnish',
  French: 'french',
  German: 'german',
  Hungarian: 'hungarian',
  Irish: 'irish',
  Italian: 'italian',
  Norwegian: 'norwegian',
  Porter: 'porter',
  Portuguese: 'portuguese',
  Romanian: 'romanian',
  Russian: 'russian',
  Spanish: 'spanish',
  Swedish: 'swedish',
  Turkish: 'turkish',
};

/** Languages Lucene 9's SnowballFilter has that this engine does not run (a 400 naming them). */
export const UNSUPPORTED_SNOWBALL_LANGUAGES: readonly string[] = [
  'Arabic', 'Estonian', 'German2', 'Greek', 'Hindi', 'Indonesian', 'Kp', 'Lithuanian', 'Lovins', 'Nepali', 'Serbian', 'Tamil', 'Yiddish',
];

/** The language names SnowballFilter accepts here, in order. */
export const SNOWBALL_LANGUAGES: readonly string[] = ['English', ...Object.keys(PACKAGE_ALGORITHMS)].sort();

const made = new Map<string, (word: string) => string>([['English', englishSnowballStem]]);

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
  const algorithm = Object.hasOwn(PACKAGE_ALGORITHMS, language) ? PACKAGE_ALGORITHMS[language] : undefined;
  if (algorithm === undefined) return undefined;
  const stemmer = snowballStemmers.newStemmer(algorithm);
  stem = (word) => stemmer.stem(word);
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
  throw illegalArgument(`Invalid stemmer class specified: ${language}; the snowball languages are ${SNOWBALL_LANGUAGES.join(', ')}`);
}
