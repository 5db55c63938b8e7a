/**
 * Snowball's Yiddish stemmer (Assaf Urieli, 2020, for YIVO spelling) as Lucene 9 ships it
 * (org.tartarus.snowball.ext.YiddishStemmer, Elasticsearch 8's `Yiddish` snowball language).
 * Snowball revised it later, so the npm packages' Yiddish is not Lucene 9's; this is written from
 * the 2020 algorithm and judged by the Snowball vocabulary Lucene 9's tests use
 * (test/lucene/snowball-vocab.lucene.ts).
 *
 * Hebrew letters are written below in a one-letter transliteration (`he`), so the rules read left
 * to right; GE and TSU are the Latin markers the algorithm puts in for the ge- and tsu- prefixes,
 * removed at the end.
 */

/** The transliteration: Latin capitals and digits for the Hebrew letters. */
const LETTERS: Readonly<Record<string, string>> = {
  A: '\u05D0', B: '\u05D1', G: '\u05D2', D: '\u05D3', H: '\u05D4', V: '\u05D5', Z: '\u05D6', X: '\u05D7', T: '\u05D8',
  Y: '\u05D9', K: '\u05DB', L: '\u05DC', M: '\u05DE', N: '\u05E0', S: '\u05E1', E: '\u05E2', F: '\u05E4', C: '\u05E6',
  Q: '\u05E7', R: '\u05E8', W: '\u05E9', O: '\u05EA', '1': '\u05F0', '2': '\u05F1', '3': '\u05F2',
};
/** Hebrew for a transliterated string: `he('EN')` is ען. */
const he = (latin: string): string => Array.from(latin, (c) => LETTERS[c] ?? c).join('');

const GE = 'GE';
const TSU = 'TSU';

const FINAL_FORMS: Readonly<Record<string, string>> = { '\u05DA': he('K'), '\u05DD': he('M'), '\u05DF': he('N'), '\u05E3': he('F'), '\u05E5': he('C') };
const MELUPM = '\u05BC';
const KHIRIK = '\u05B4';
/** Points and dots (niked), dropped. */
const NIKED = new Set([...'\u05B0\u05B4\u05B5\u05B6\u05B1\u05B7\u05B2\u05B8\u05B3\u05C2\u05C1\u05B9\u05BC\u05BB\u05BF']);
const VOWELS = new Set(he('AVYE23'));
const CONSONANTS = new Set([...Object.values(LETTERS), ...Object.keys(FINAL_FORMS)].filter((c) => !VOWELS.has(c)));

/** Vov-vov, vov-yud and yud-yud as their ligatures (unless pointed apart), final letters as medial ones, no points. */
function prelude(word: string): string {
  let s = '';
  for (let i = 0; i < word.length; ) {
    const pair = word.slice(i, i + 2);
    const after = word[i + 2];
    if (pair === he('VV') && after !== MELUPM) s += he('1');
    else if (pair === he('VY') && after !== KHIRIK) s += he('2');
    else if (pair === he('YY') && after !== KHIRIK) s += he('3');
    else {
      const c = word[i] as string;
      s += FINAL_FORMS[c] ?? c;
      i += 1;
      continue;
    }
    i += 2;
  }
  return Array.from(s)
    .filter((c) => !NIKED.has(c))
    .join('');
}

/** Separable and inseparable verbal prefixes, longest first. */
const VERB_PREFIXES = [
  'ADVRK', 'DVRK', 'AHYN', 'AHER', 'A1EQ', 'MYT', 'ANTQEGN', 'AQEGN', 'ANYDER', 'ARAF', 'AR2S', 'AR2F', 'ARVM', 'AR3N',
  'ARVNTER', 'ARYBER', 'NAK', 'FARB3', 'AH3M', 'AFYR', 'FAR2S', 'FVNANDER', 'CVZAMEN', 'CVN2F', 'CVRYQ',
  'A2S', 'A2F', 'AVM', 'AVNTER', 'AYBER', 'A3N', 'AN', 'AF', 'B3', 'FAR', 'CV', 'ANT', 'BA', 'DER', 'CE',
]
  .map(he)
  .sort((a, b) => b.length - a.length);
const TSU_ENDINGS = ['CVGN', 'CVQT', 'CVQN'].map(he);
const NON_HEBRAIC_TRIPLES = ['WFR', 'WTR', 'WTW', 'DZW'].map(he);

/**
 * Marks ge- (at the start or after a verbal prefix) as GE and tsu- after a verbal prefix as TSU,
 * and finds R1: after three consonants (a Hebrew root) or after the first vowels, at least three
 * letters past the prefix.
 */
function markRegions(word: string): { s: string; p1: number } {
  let s = word;
  // R1 starts at the end unless found below (the length before TSU adds a letter, as Snowball sets it first)
  const p1 = s.length;
  let cursor = 0;
  if (s.startsWith(he('GE'))) {
    s = GE + s.slice(2);
    cursor = 2;
  }
  const prefix = VERB_PREFIXES.find((p) => s.startsWith(p, cursor));
  if (prefix !== undefined) {
    const at = cursor + prefix.length;
    const rest = s.slice(at);
    if (TSU_ENDINGS.includes(rest)) cursor = at;
    else if (rest.startsWith(he('GE'))) {
      s = s.slice(0, at) + GE + s.slice(at + 2);
      cursor = at + 2;
    } else if (rest.startsWith(he('CV'))) {
      s = s.slice(0, at) + TSU + s.slice(at + 2);
      cursor = at + 3;
    }
  }
  if (cursor + 3 > s.length) return { s, p1 };
  const x = cursor + 3;
  if (NON_HEBRAIC_TRIPLES.some((t) => s.startsWith(t, cursor))) cursor += 3;
  if ([0, 1, 2].every((k) => CONSONANTS.has(s[cursor + k] as string))) return { s, p1: cursor + 3 };
  let i = cursor;
  while (i < s.length && !VOWELS.has(s[i] as string)) i++;
  if (i >= s.length) return { s, p1 };
  while (i < s.length && VOWELS.has(s[i] as string)) i++;
  return { s, p1: Math.max(i, x) };
}

/** A word being stemmed: its letters and where R1 starts. */
interface Word {
  s: string;
  readonly p1: number;
}
type Action = (w: Word, at: number) => void;

const cut = (w: Word, from: number, by = ''): void => {
  w.s = w.s.slice(0, from) + by;
};
const deleteInR1: Action = (w, at) => {
  if (w.p1 <= at) cut(w, at);
};
const replaceBy =
  (by: string): Action =>
  (w, at) =>
    cut(w, at, by);

/** Irregular participle stems, by the letters their -en leaves: the first that ends the word is respelled. */
const PARTICIPLE_SPELLINGS: ReadonlyArray<readonly [string, string]> = [
  ['GANG', 'G3'], ['NVM', 'NEM'], ['MYT', 'M3D'], ['BYT', 'B3T'], ['BYS', 'B3S'], ['1YZ', '13Z'], ['TRYB', 'TR3B'],
  ['LYT', 'L3T'], ['QLYB', 'QL3B'], ['RYB', 'R3B'], ['RYS', 'R3S'], ['W1YG', 'W13G'], ['WMYS', 'WM3S'], ['WNYT', 'WN3D'],
  ['WRYB', 'WR3B'], ['BVND', 'BYND'], ['1VTW', '1YTW'], ['ZVNG', 'ZYNG'], ['TRVNQ', 'TRYNQ'], ['C1VNG', 'C1YNG'],
  ['WLVNG', 'WLYNG'], ['B2G', 'B3G'], ['H2B', 'H3B'], ['FARL2R', 'FARLYR'], ['WTAN', 'WT3'], ['W12R', 'W1ER'],
];
const PARTICIPLE_STEMS = PARTICIPLE_SPELLINGS.map(([from, to]) => [he(from), he(to)] as const);

/** -ene, -enem, -ener, -ens: removed in R1, then an irregular participle stem is respelled. */
const eneEnding: Action = (w, at) => {
  if (w.p1 > at) return;
  cut(w, at);
  const stem = PARTICIPLE_STEMS.find(([from]) => w.s.endsWith(from));
  if (stem !== undefined) cut(w, w.s.length - stem[0].length, stem[1]);
};

/** The endings a -t- may stand before: the first that ends the word goes, in R1. */
const AFTER_TES = ['ENER', 'ENEM', 'ENE', 'N', 'ER', 'NS', 'E', 'S'].map(he);

/**
 * -tn, -te, -ter, -ts, -tns, -tene, -tenem, -tener: in R1 the whole ending goes (and brakh becomes
 * breng); otherwise, or after brakh, the ending after the t goes if it is in R1.
 */
const tesEnding: Action = (w, at) => {
  if (w.p1 <= at) {
    cut(w, at);
    const brakh = [he('GEBRAK'), he('BRAK')].find((b) => w.s.endsWith(b));
    if (brakh === undefined) return;
    cut(w, w.s.length - brakh.length, he('BRENG'));
  }
  const ending = AFTER_TES.find((e) => w.s.endsWith(e));
  if (ending !== undefined && w.p1 <= w.s.length - ending.length) cut(w, w.s.length - ending.length);
};

const rules = (...groups: Array<[suffixes: string[], action: Action]>): ReadonlyMap<string, Action> =>
  new Map(groups.flatMap(([suffixes, action]) => suffixes.map((s) => [s, action] as [string, Action])));
const latin = (...suffixes: string[]): string[] => suffixes.map(he);

/** Runs the action of the longest of `table`'s suffixes that ends the word. */
function step(table: ReadonlyMap<string, Action>): (w: Word) => void {
  const suffixes = [...table.keys()].sort((a, b) => b.length - a.length);
  return (w) => {
    const suffix = suffixes.find((s) => w.s.endsWith(s));
    if (suffix !== undefined) (table.get(suffix) as Action)(w, w.s.length - suffix.length);
  };
}

const NOUN_ENDINGS = latin('VNG', 'H3T', 'Q3T', 'YQ3T', 'WAFT');

const step1 = step(
  rules(
    [latin('ERS', 'EN', 'NS', 'ENERS', 'ES', 'E', 'N', 'S', 'EM', 'ER'), deleteInR1],
    [latin('YE'), () => undefined],
    [latin('YES'), (w, at) => w.p1 <= at && cut(w, at, he('YE'))],
    [latin('ENE', 'ENEM', 'ENER', 'ENS'), eneEnding],
    [latin('T'), deleteInR1],
    [latin('TN', 'TE', 'TER', 'TS', 'TNS', 'TENE', 'TENEM', 'TENER'), tesEnding],
    [latin('G3N'), replaceBy(he('G3'))],
    [latin('GANGEN'), replaceBy(he('G3'))],
    [latin('NVMEN'), replaceBy(he('NEM'))],
    [latin('WRYBN'), replaceBy(he('WR3B'))],
    [[GE + he('MYTN')], replaceBy(he('M3D'))],
    [[GE + he('BYTN')], replaceBy(he('B3T'))],
    [[GE + he('BYSN')], replaceBy(he('B3S'))],
    [latin('1YZN'), replaceBy(he('13Z'))],
    [latin('TRYBN'), replaceBy(he('TR3B'))],
    [[GE + he('LYTN')], replaceBy(he('L3T'))],
    [latin('QLYBN'), replaceBy(he('QL3B'))],
    [latin('RYBN'), replaceBy(he('R3B'))],
    [[GE + he('RYSN')], replaceBy(he('R3S'))],
    [latin('W1YGN'), replaceBy(he('W13G'))],
    [latin('WMYSN'), replaceBy(he('WM3S'))],
    [latin('WNYTN'), replaceBy(he('WN3D'))],
    [latin('BVNDN'), replaceBy(he('BYND'))],
    [latin('1VTWN'), replaceBy(he('1YTW'))],
    [latin('ZVNGN'), replaceBy(he('ZYNG'))],
    [latin('TRVNQN'), replaceBy(he('TRYNQ'))],
    [latin('C1VNGN'), replaceBy(he('C1YNG'))],
    [latin('WLVNGN'), replaceBy(he('WLYNG'))],
    [latin('B2GN'), replaceBy(he('B3G'))],
    [latin('H2BN'), replaceBy(he('H3B'))],
    [latin('FARL2RN'), replaceBy(he('FARLYR'))],
    [latin('WTANEN'), replaceBy(he('WT3'))],
    [latin('W12RN'), replaceBy(he('W1ER'))],
    [latin('BRAKT'), replaceBy(he('BRENG'))],
    [NOUN_ENDINGS, deleteInR1],
    [latin('YZM', 'YZMEN'), deleteInR1],
    [latin('YM'), deleteInR1],
    [latin('VO'), (w, at) => w.p1 <= at && cut(w, at, he('H'))],
    [latin('ELEK', 'ELE', 'LEK', 'ELES', 'ELEN'), deleteInR1],
    [latin('YST', 'YSTN'), deleteInR1],
    // -gist, -shist keep their s: only the t goes
    [latin('GYST', 'WYST'), (w) => w.p1 <= w.s.length - 1 && cut(w, w.s.length - 1)],
    [latin('STV'), deleteInR1],
    [latin('STER', 'STE', 'STN'), deleteInR1],
    [latin('ST'), deleteInR1],
  ),
);

const step2 = step(
  rules(
    [NOUN_ENDINGS, deleteInR1],
    [latin('L'), (w, at) => w.p1 <= at && CONSONANTS.has(w.s[at - 1] as string) && cut(w, at)],
  ),
);

const step3 = step(
  rules(
    [latin('YG', 'YQ', 'YW', 'NYQ', 'DYQ', 'NDYQ', 'ENDYQ'), deleteInR1],
    [latin('BLYQ', 'GLYQ'), () => undefined],
  ),
);

/** The GE and TSU markers go, wherever they are, reading from the end. */
function dropMarkers(s: string): string {
  let out = s;
  let p = out.length;
  while (p > 0) {
    if (out.slice(p - 2, p) === GE) {
      out = out.slice(0, p - 2) + out.slice(p);
      p -= 2;
    } else if (out.slice(p - 3, p) === TSU) {
      out = out.slice(0, p - 3) + out.slice(p);
      p -= 3;
    } else p--;
  }
  return out;
}

/**
 * Stems a Yiddish word (YIVO spelling) as Lucene 9's YiddishStemmer.
 *
 * @example yiddishStem('געשפּילט') // 'שפיל'
 */
export function yiddishStem(word: string): string {
  const w: Word = markRegions(prelude(word));
  step1(w);
  step2(w);
  step3(w);
  return dropMarkers(w.s);
}
