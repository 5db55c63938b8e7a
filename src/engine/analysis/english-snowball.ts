/**
 * The Snowball English stemmer ("Porter2"), as Lucene's SnowballFilter runs it for `snowball`
 * and the `stemmer` filter's `porter2`: the algorithm of snowballstem.org's english.sbl, with its
 * exceptional words, R1/R2 regions, Y marking and five suffix steps. Terms are UTF-16 strings;
 * only the lowercase a-z letters and the apostrophe take part in the rules, as in the original.
 */

const isVowel = (c: string | undefined) => c !== undefined && 'aeiouy'.includes(c) && c !== '';
const isVowelWXY = (c: string | undefined) => c !== undefined && c !== '' && 'aeiouywxY'.includes(c);
const VALID_LI = 'cdeghkmnrt';

const EXCEPTIONS1: Readonly<Record<string, string>> = {
  skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl', ugly: 'ugli', early: 'earli',
  only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes',
};
const EXCEPTIONS2 = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed']);

/** The longest of `suffixes` that `w` ends with (Snowball's among in backward mode). */
function longestSuffix(w: string, suffixes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const s of suffixes) if (w.endsWith(s) && (best === undefined || s.length > best.length)) best = s;
  return best;
}

/** Snowball's `gopast v gopast non-v` from `from`: the index after them, or -1. */
function pastVowelThenConsonant(w: string, from: number): number {
  let i = from;
  while (i < w.length && !isVowel(w[i])) i++;
  if (i >= w.length) return -1;
  i++;
  while (i < w.length && isVowel(w[i])) i++;
  if (i >= w.length) return -1;
  return i + 1;
}

/** A short syllable ending at `end` (exclusive): non-v_WXY v non-v, or non-v v at the start. */
function shortSyllableAt(w: string, end: number): boolean {
  const a = w[end - 1];
  const b = w[end - 2];
  if (end >= 3 && !isVowelWXY(a) && isVowel(b) && !isVowel(w[end - 3])) return true;
  return end === 2 && a !== undefined && !isVowel(a) && isVowel(b);
}

const hasVowel = (s: string) => [...s].some((c) => isVowel(c));

export function englishSnowballStem(term: string): string {
  const exception = Object.hasOwn(EXCEPTIONS1, term) ? EXCEPTIONS1[term] : undefined;
  if (exception !== undefined) return exception;
  if (term.length < 3) return term;
  let w = term.startsWith("'") ? term.slice(1) : term;
  // prelude: initial y and y after a vowel become Y (consonants)
  let marked = '';
  let yFound = false;
  for (let i = 0; i < w.length; i++) {
    const c = w[i] as string;
    const consonantY = c === 'y' && (i === 0 || isVowel(marked[i - 1]));
    yFound ||= consonantY;
    marked += consonantY ? 'Y' : c;
  }
  w = marked;
  // mark_regions
  let p1 = w.length;
  let p2 = w.length;
  const prefix = ['gener', 'commun', 'arsen'].find((p) => w.startsWith(p));
  const r1 = prefix !== undefined ? prefix.length : pastVowelThenConsonant(w, 0);
  if (r1 >= 0) {
    p1 = r1;
    const r2 = pastVowelThenConsonant(w, r1);
    if (r2 >= 0) p2 = r2;
  }
  w = step1a(w);
  if (!EXCEPTIONS2.has(w)) {
    w = step1b(w, p1);
    w = step1c(w);
    w = step2(w, p1);
    w = step3(w, p1, p2);
    w = step4(w, p2);
    w = step5(w, p1, p2);
  }
  // postlude: only when the prelude marked a y, every Y (an input Y too) becomes y again
  return yFound ? w.replace(/Y/g, 'y') : w;
}

function step1a(word: string): string {
  let w = word;
  const apostrophe = longestSuffix(w, ["'", "'s", "'s'"]);
  if (apostrophe !== undefined) w = w.slice(0, -apostrophe.length);
  const s = longestSuffix(w, ['sses', 'ied', 'ies', 's', 'us', 'ss']);
  const stem = s === undefined ? w : w.slice(0, -s.length);
  switch (s) {
    case 'sses':
      return `${stem}ss`;
    case 'ied':
    case 'ies':
      return stem.length >= 2 ? `${stem}i` : `${stem}ie`;
    case 's':
      // next gopast v: a vowel before the letter just before the s
      return hasVowel(stem.slice(0, -1)) ? stem : w;
    default:
      return w;
  }
}

function step1b(word: string, p1: number): string {
  const s = longestSuffix(word, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly']);
  if (s === undefined) return word;
  const stem = word.slice(0, -s.length);
  if (s === 'eed' || s === 'eedly') return stem.length >= p1 ? `${stem}ee` : word;
  if (!hasVowel(stem)) return word;
  const end = longestSuffix(stem, ['at', 'bl', 'iz', 'bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt']);
  if (end === 'at' || end === 'bl' || end === 'iz') return `${stem}e`;
  if (end !== undefined) return stem.slice(0, -1);
  return stem.length === p1 && shortSyllableAt(stem, stem.length) ? `${stem}e` : stem;
}

function step1c(w: string): string {
  const last = w[w.length - 1];
  if ((last === 'y' || last === 'Y') && w.length > 2 && !isVowel(w[w.length - 2])) return `${w.slice(0, -1)}i`;
  return w;
}

const STEP2: ReadonlyArray<[string, string]> = [
  ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'], ['entli', 'ent'], ['izer', 'ize'], ['ization', 'ize'],
  ['ational', 'ate'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['alli', 'al'], ['fulness', 'ful'],
  ['ousli', 'ous'], ['ousness', 'ous'], ['iveness', 'ive'], ['iviti', 'ive'], ['biliti', 'ble'], ['bli', 'ble'], ['ogi', 'og'],
  ['fulli', 'ful'], ['lessli', 'less'], ['li', ''],
];
const STEP2_MAP = new Map(STEP2);

function step2(w: string, p1: number): string {
  const s = longestSuffix(w, [...STEP2_MAP.keys()]);
  if (s === undefined) return w;
  const stem = w.slice(0, -s.length);
  if (stem.length < p1) return w;
  if (s === 'ogi') return stem.endsWith('l') ? `${stem}og` : w;
  if (s === 'li') return VALID_LI.includes(stem[stem.length - 1] ?? '') && stem.length > 0 ? stem : w;
  return stem + (STEP2_MAP.get(s) as string);
}

const STEP3 = new Map<string, string>([
  ['tional', 'tion'], ['ational', 'ate'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''], ['ative', ''],
]);

function step3(w: string, p1: number, p2: number): string {
  const s = longestSuffix(w, [...STEP3.keys()]);
  if (s === undefined) return w;
  const stem = w.slice(0, -s.length);
  if (stem.length < p1) return w;
  if (s === 'ative') return stem.length >= p2 ? stem : w;
  return stem + (STEP3.get(s) as string);
}

const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion'];

function step4(w: string, p2: number): string {
  const s = longestSuffix(w, STEP4);
  if (s === undefined) return w;
  const stem = w.slice(0, -s.length);
  if (stem.length < p2) return w;
  if (s === 'ion') return stem.endsWith('s') || stem.endsWith('t') ? stem : w;
  return stem;
}

function step5(w: string, p1: number, p2: number): string {
  const last = w[w.length - 1];
  const stem = w.slice(0, -1);
  if (last === 'e') {
    if (stem.length >= p2 || (stem.length >= p1 && !shortSyllableAt(stem, stem.length))) return stem;
    return w;
  }
  if (last === 'l' && stem.length >= p2 && stem.endsWith('l')) return stem;
  return w;
}
