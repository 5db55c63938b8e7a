/**
 * Snowball's Estonian stemmer (Linda Freienthal, 2019) as Lucene ships it
 * (org.tartarus.snowball.ext.EstonianStemmer, Elasticsearch's `estonian` stemmer and analyzer).
 * Snowball's later revisions of the algorithm (2023 on) are not Lucene's, so neither npm package
 * with an Estonian stemmer gives Lucene's stems; this is written from the 2019 algorithm and judged
 * by Lucene itself (test/lucene/snowball.lucene.ts).
 *
 * The word is read from its end. R1 starts after the first non-vowel that follows a vowel; every
 * suffix step considers only the longest of its suffixes that lies wholly in R1 and, when that
 * suffix's condition fails, does nothing (it does not fall back to a shorter suffix).
 */

const VOWELS = new Set([...'aeiouõäöü']);
/** Vowels a case ending may follow (no õ, ä, ö, ü). */
const RV = new Set([...'aeiuo']);
/** Consonants before which the emphatic -ki is dropped. */
const KI = new Set([...'kptgbdshfšzž']);
/** Letters before which the emphatic -gi is dropped. */
const GI = new Set([...'cjlmnqrvwxaeiouõäöü']);
const LONG_VOWELS = new Set(['aa', 'ee', 'ii', 'oo', 'uu', 'ää', 'öö', 'üü', 'õõ']);

/** A word during stemming: its letters and where R1 starts. */
interface Word {
  s: string;
  readonly p1: number;
}

/** The letter before position `at`, or ''. */
const before = (w: Word, at: number): string => (at > 0 ? (w.s[at - 1] as string) : '');
/** The two letters before `at` are a long vowel. */
const longVowelBefore = (w: Word, at: number): boolean => at >= 2 && LONG_VOWELS.has(w.s.slice(at - 2, at));
/** The case endings' condition: a plain vowel or a long vowel before the ending. */
const vowelBefore = (w: Word, at: number): boolean => RV.has(before(w, at)) || longVowelBefore(w, at);

/** The longest of `suffixes` that ends the word and lies in R1, or undefined. */
function r1Suffix(w: Word, suffixes: Iterable<string>): string | undefined {
  let found: string | undefined;
  for (const suffix of suffixes) {
    if ((found === undefined || suffix.length > found.length) && w.s.endsWith(suffix) && w.s.length - suffix.length >= w.p1) found = suffix;
  }
  return found;
}

/** Replaces the word's ending `suffix` with `by`. */
const replace = (w: Word, suffix: string, by = ''): void => {
  w.s = w.s.slice(0, w.s.length - suffix.length) + by;
};

/**
 * A suffix step: the longest suffix of `rules` in R1, and its action, which gets the position
 * where the suffix starts and may decline (return false) to leave the word as it is.
 */
type Action = (w: Word, at: number, suffix: string) => boolean;
function step(rules: ReadonlyMap<string, Action>): (w: Word) => boolean {
  return (w) => {
    const suffix = r1Suffix(w, rules.keys());
    if (suffix === undefined) return false;
    return (rules.get(suffix) as Action)(w, w.s.length - suffix.length, suffix);
  };
}

const remove: Action = (w, _at, suffix) => (replace(w, suffix), true);
const to =
  (by: string): Action =>
  (w, _at, suffix) => (replace(w, suffix, by), true);
const removeIf =
  (condition: (w: Word, at: number) => boolean): Action =>
  (w, at, suffix) => condition(w, at) && (replace(w, suffix), true);
const rules = (...groups: Array<[suffixes: string[], action: Action]>): ReadonlyMap<string, Action> =>
  new Map(groups.flatMap(([suffixes, action]) => suffixes.map((s) => [s, action] as [string, Action])));

/** Emphatic particles -gi and -ki, when at least four letters come before them. */
const emphasis = step(
  rules(
    [['gi'], (w, at, s) => at >= 4 && GI.has(before(w, at)) && !longVowelBefore(w, at) && (replace(w, s), true)],
    [['ki'], (w, at, s) => at >= 4 && KI.has(before(w, at)) && (replace(w, s), true)],
  ),
);

/** Verb endings; the word counts as a verb when one is removed. */
const verb = step(
  rules(
    [['nuksin', 'nuksime', 'nuksid', 'nuksite', 'ksin', 'ksid', 'ksime', 'ksite', 'mata', 'takse', 'dakse', 'taks', 'daks', 'sime', 'site', 'sin'], remove],
    [['akse'], to('a')],
    [['me', 'da', 'n', 'b'], removeIf((w, at) => VOWELS.has(before(w, at)))],
  ),
);

/** -lane, -mine, -line and their case forms to the genitive stem (-lase, -mise, -lise). */
const specialNounEndings = step(
  rules([['lasse', 'last', 'lane', 'lasi'], to('lase')], [['misse', 'mist', 'mine', 'misi'], to('mise')], [['lisse', 'list', 'line', 'lisi'], to('lise')]),
);

/** The case endings, each after a plain or a long vowel. */
const caseEnding = step(rules([['sse', 'st', 'le', 'lt', 'ga', 'ks', 'ta', 't', 's', 'l'], removeIf(vowelBefore)]));

/**
 * Plurals of the first three cases. -te: after four letters, -miste/-laste/-liste become
 * -mise/-lase/-lise and -te goes unless a t comes before it; shorter words keep a t (torte -> tort).
 */
const pluralThreeFirstCases = step(
  rules(
    [['ikkude', 'ikke', 'ike'], to('iku')],
    [['sid'], removeIf((w, at) => !longVowelBefore(w, at))],
    [
      ['te'],
      (w, at, s) => {
        const t = before(w, at) === 't';
        if (at >= 4) {
          const three = w.s.slice(at - 3, at);
          if (three === 'mis' || three === 'las' || three === 'lis') return replace(w, s, 'e'), true;
          if (!t) return replace(w, s), true;
        }
        return !t && (replace(w, s, 't'), true);
      },
    ],
    [['de', 'd'], removeIf(vowelBefore)],
  ),
);

/** Comparative and superlative -ma, -mai, -m; the ma-infinitive. */
const degrees = step(rules([['mai', 'm'], removeIf((w, at) => RV.has(before(w, at)))], [['ma'], remove]));

/** Plural -i after a vowel. */
const iPlural = step(rules([['i'], removeIf((w, at) => RV.has(before(w, at)))]));

/** Participles -nu, -tu, -du, -va. */
const nu = step(rules([['nu', 'tu', 'du', 'va'], remove]));

/** kk, pp or tt before a final vowel loses one letter (mõtte -> mõte, hakka -> haka). */
function removeDoubleKpt(w: Word): void {
  const n = w.s.length;
  if (n < 3 || !VOWELS.has(w.s[n - 1] as string)) return;
  const pair = w.s.slice(n - 3, n - 1);
  if (pair === 'kk' || pair === 'pp' || pair === 'tt') w.s = w.s.slice(0, n - 2) + w.s.slice(n - 1);
}

/** Irregular verbs: each whole form to the stem Snowball gives them, and no further stemming. */
const VERB_FORMS: ReadonlyArray<[stem: string, forms: string]> = [
  ['joo', 'joon jood joob joote joome joovad jõin jõid jõi jõime jõite joomata juuakse joodakse juua jooma'],
  ['saa', 'saan saad saab saate saame saavad saaksin saaksid saaks saaksite saaksime sain said sai saite saime saamata saadakse saadi saama saada'],
  ['viima', 'viin viid viib viite viime viivad viiksin viiksid viiks viiksite viiksime viisin viisite viisime viimata viiakse viidi viima viia'],
  ['keesi', 'keen keeb keed kees keeme keete keevad keeksin keeks keeksid keeksime keeksite keemata keema keeta keedakse'],
  ['löö', 'löön lööd lööb lööme lööte löövad lööksin lööksid lööks lööksime lööksite löömata lüüakse löödakse löödi lööma lüüa'],
  ['löi', 'lõin lõid lõi lõime lõite'],
  ['loo', 'loon lood loob loome loote loovad looksin looksid looks looksime looksite loomata luuakse loodi luua looma'],
  ['käisi', 'käin käib käid käis käime käite käivad käiksin käiks käiksid käiksime käiksite käimata käiakse käidi käia käima'],
  ['söö', 'söön sööb sööd sööme sööte söövad sööksin sööks sööksid sööksime sööksite sõin sõi sõid sõime sõite söömata süüakse söödakse söödi sööma süüa'],
  ['too', 'toon tood toob toote toome toovad tooksin tooksid tooks tooksite tooksime tõin tõid tõi tõime tõite toomata tuuakse toodi tooma tuua'],
  ['võisi', 'võin võid võib võime võis võite võivad võiksin võiksid võiks võiksime võiksite võimata võidakse võidi võida võima'],
  ['jääma', 'jään jääd jääb jääme jääte jäävad jääksin jääksid jääks jääksime jääksite jäime jäite jäin jäid jäi jäämata jäädakse jääda jääma jäädi'],
  ['müüsi', 'müün müüd müüb müüs müüme müüte müüvad müüksin müüksid müüks müüksime müüksite müümata müüakse müüdi müüa müüma'],
  ['luge', 'loeb loen loed loeme loete loevad loeks loeksin loeksid loeksime loeksite'],
  ['põde', 'põen põeb põed põeme põete põevad põeksin põeks põeksid põeksime põeksite'],
  ['ladu', 'laon laob laod laome laote laovad laoksin laoks laoksid laoksime laoksite'],
  ['tegi', 'teeksin teeks teeksid teeksime teeksite teen teeb teed teeme teete teevad tegemata tehakse tehti tegema teha'],
  ['nägi', 'näen näeb näed näeme näete näevad näeksin näeks näeksid näeksime näeksite nägemata nähakse nähti näha nägema'],
];
const VERB_EXCEPTIONS = new Map(VERB_FORMS.flatMap(([stem, forms]) => forms.split(' ').map((f) => [f, stem] as [string, string])));

/** Where R1 starts: after the first non-vowel that follows the first vowel (the word's length if none). */
function r1Start(word: string): number {
  let i = 0;
  while (i < word.length && !VOWELS.has(word[i] as string)) i++;
  while (i < word.length && VOWELS.has(word[i] as string)) i++;
  return i < word.length ? i + 1 : word.length;
}

/**
 * Stems a lowercase Estonian word as Lucene's EstonianStemmer.
 *
 * @example estonianStem('raamatutest') // 'raama'
 */
export function estonianStem(word: string): string {
  const exception = VERB_EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  const w: Word = { s: word, p1: r1Start(word) };
  emphasis(w);
  if (!verb(w)) {
    specialNounEndings(w);
    caseEnding(w);
    pluralThreeFirstCases(w);
    degrees(w);
    iPlural(w);
    nu(w);
  }
  removeDoubleKpt(w);
  return w.s;
}
