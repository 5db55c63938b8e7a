/**
 * Lovins' stemmer (J. B. Lovins, "Development of a Stemming Algorithm", 1968) as Snowball encodes
 * it and Lucene 9 ships it (org.tartarus.snowball.ext.LovinsStemmer, Elasticsearch 8's `lovins`
 * stemmer and `Lovins` snowball language): remove the longest ending of Appendix A whose condition
 * (Appendix B) holds, undouble a final consonant pair, then respell the end (Appendix C).
 * Lucene 10 dropped it; Elasticsearch 8.16 deprecates it.
 */

/** Appendix A: each ending with the letter of its condition, longest endings first. */
const ENDINGS_BY_CONDITION = `
alistically B arizability A izationally B antialness A arisations A arizations A entialness A
allically C antaneous A antiality A arisation A arization A ationally B ativeness A eableness E
entations A entiality A entialize A entiation A ionalness A istically A itousness A izability A
izational A ableness A arizable A entation A entially A eousness A ibleness A icalness A ionalism A
ionality A ionalize A iousness A izations A lessness A ability A aically A alistic B alities A
ariness E aristic A arizing A ateness A atingly A ational B atively A ativism A elihood E encible A
entally A entials A entiate A entness A fulness A ibility A icalism A icalist A icality A icalize A
ication G icianry A ination A ingness A ionally A isation A ishness A istical A iteness A iveness A
ivistic A ivities A ization F izement A oidally A ousness A aceous A acious B action G alness A
ancial A ancies A ancing B ariser A arized A arizer A atable A ations B atives A eature Z efully A
encies A encing A ential A enting C entist A eously A ialist A iality A ialize A ically A icance A
icians A icists A ifully A ionals A ionate D ioning A ionist A iously A istics A izable E lessly A
nesses A oidism A acies A acity A aging B aical A alist A alism B ality A alize A allic BB anced B
ances B antic C arial A aries A arily A arity B arize A aroid A ately A ating I ation B ative A
ators A atory A ature E early Y ehood A eless A elity A ement A enced A ences A eness E ening E
ental A ented C ently A fully A ially A icant A ician A icide A icism A icist A icity A idine I
iedly A ihood A inate A iness A ingly B inism J inity CC ional A ioned A ished A istic A ities A
itous A ively A ivity A izers F izing F oidal A oides A otide A ously A able A ably A ages B ally B
ance B ancy B ants B aric A arly K ated I ates A atic B ator A ealy Y edly E eful A eity A ence A
ency A ened E enly E eous A hood A ials A ians A ible A ibly A ical A ides L iers A iful A ines M
ings N ions B ious A isms B ists A itic H ized F izer F less A lily A ness A ogen A ward A wise A
ying B yish A acy A age B aic A als BB ant B ars O ary F ata A ate A eal Y ear Y ely E ene E ent C
ery E ese A ful A ial A ian A ics A ide L ied A ier A ies P ily A ine M ing N ion Q ish C ism B
ist A ite AA ity A ium A ive A ize F oid A one R ous A ae A al BB ar X as B ed E en F es E ia A
ic A is A ly B on S or T um U us V yl R 's A s' A a A e A i A o A s W y B`;

/** The stem ends with one of `endings`. */
const endsWith = (stem: string, ...endings: string[]): boolean => endings.some((e) => stem.endsWith(e));
/** The stem's last letter, and the one before it. */
const last = (stem: string, back = 0): string => stem.charAt(stem.length - 1 - back);
/** Lovins' u*e: an e with a u two letters before it. */
const uStarE = (stem: string): boolean => stem.length >= 3 && last(stem) === 'e' && last(stem, 2) === 'u';

/** Appendix B: what the stem left by removing an ending must be. */
const CONDITIONS: Readonly<Record<string, (stem: string) => boolean>> = {
  A: (s) => s.length >= 2,
  B: (s) => s.length >= 3,
  C: (s) => s.length >= 4,
  D: (s) => s.length >= 5,
  E: (s) => s.length >= 2 && last(s) !== 'e',
  F: (s) => s.length >= 3 && last(s) !== 'e',
  G: (s) => s.length >= 3 && last(s) === 'f',
  H: (s) => s.length >= 2 && endsWith(s, 't', 'll'),
  I: (s) => s.length >= 2 && last(s) !== 'o' && last(s) !== 'e',
  J: (s) => s.length >= 2 && last(s) !== 'a' && last(s) !== 'e',
  K: (s) => s.length >= 3 && (endsWith(s, 'l', 'i') || uStarE(s)),
  L: (s) => s.length >= 2 && last(s) !== 'u' && last(s) !== 'x' && !(last(s) === 's' && last(s, 1) !== 'o'),
  M: (s) => s.length >= 2 && !endsWith(s, 'a', 'c', 'e', 'm'),
  // three letters, four when the third from the end is an s (Lovins' s**)
  N: (s) => s.length >= 3 && (last(s, 2) !== 's' || s.length >= 4),
  O: (s) => s.length >= 2 && endsWith(s, 'l', 'i'),
  P: (s) => s.length >= 2 && last(s) !== 'c',
  Q: (s) => s.length >= 3 && last(s) !== 'l' && last(s) !== 'n',
  R: (s) => s.length >= 2 && endsWith(s, 'n', 'r'),
  S: (s) => s.length >= 2 && (s.endsWith('dr') || (last(s) === 't' && last(s, 1) !== 't')),
  T: (s) => s.length >= 2 && (last(s) === 's' || (last(s) === 't' && last(s, 1) !== 'o')),
  U: (s) => s.length >= 2 && endsWith(s, 'l', 'm', 'n', 'r'),
  V: (s) => s.length >= 2 && last(s) === 'c',
  W: (s) => s.length >= 2 && last(s) !== 's' && last(s) !== 'u',
  X: (s) => s.length >= 2 && (endsWith(s, 'l', 'i') || uStarE(s)),
  Y: (s) => s.length >= 2 && s.endsWith('in'),
  Z: (s) => s.length >= 2 && last(s) !== 'f',
  AA: (s) => s.length >= 2 && endsWith(s, 'd', 'f', 'ph', 'th', 'l', 'er', 'or', 'es', 't'),
  BB: (s) => s.length >= 3 && !endsWith(s, 'met', 'ryst'),
  CC: (s) => s.length >= 2 && last(s) === 'l',
};

/** The endings, longest first, each with its condition. */
const ENDINGS: ReadonlyArray<readonly [ending: string, condition: (stem: string) => boolean]> = (() => {
  const words = ENDINGS_BY_CONDITION.trim().split(/\s+/);
  const out: Array<[string, (stem: string) => boolean]> = [];
  for (let i = 0; i < words.length; i += 2) out.push([words[i] as string, CONDITIONS[words[i + 1] as string] as (stem: string) => boolean]);
  return out.sort((a, b) => b[0].length - a[0].length);
})();

/** Appendix C rule 1: these doubled consonants at the end lose a letter. */
const DOUBLES = new Set(['bb', 'dd', 'gg', 'll', 'mm', 'nn', 'pp', 'rr', 'ss', 'tt']);

/**
 * Appendix C rules 2 to 35: the longest of these endings is respelled, when the letter before
 * it is none of `unless` (the 1968 paper's "end" for -ent is a typo Snowball corrects).
 */
const RESPELLINGS: ReadonlyArray<readonly [ending: string, by: string, unless?: string]> = (
  [
    ['iev', 'ief'], ['uct', 'uc'], ['umpt', 'um'], ['rpt', 'rb'], ['urs', 'ur'], ['istr', 'ister'], ['metr', 'meter'],
    ['olv', 'olut'], ['ul', 'l', 'aio'], ['bex', 'bic'], ['dex', 'dic'], ['pex', 'pic'], ['tex', 'tic'], ['ax', 'ac'],
    ['ex', 'ec'], ['ix', 'ic'], ['lux', 'luc'], ['uad', 'uas'], ['vad', 'vas'], ['cid', 'cis'], ['lid', 'lis'],
    ['erid', 'eris'], ['pand', 'pans'], ['end', 'ens', 's'], ['ond', 'ons'], ['lud', 'lus'], ['rud', 'rus'],
    ['her', 'hes', 'pt'], ['mit', 'mis'], ['ent', 'ens', 'm'], ['ert', 'ers'], ['et', 'es', 'n'], ['yt', 'ys'], ['yz', 'ys'],
  ] as Array<[string, string, string?]>
).sort((a, b) => b[0].length - a[0].length);

/**
 * Stems a word with Lovins' algorithm.
 *
 * @example lovinsStem('nationally') // 'nat'
 */
export function lovinsStem(word: string): string {
  let s = word;
  for (const [ending, condition] of ENDINGS) {
    if (s.endsWith(ending) && condition(s.slice(0, s.length - ending.length))) {
      s = s.slice(0, s.length - ending.length);
      break;
    }
  }
  if (DOUBLES.has(s.slice(-2))) s = s.slice(0, -1);
  for (const [ending, by, unless] of RESPELLINGS) {
    if (!s.endsWith(ending)) continue;
    const before = s.charAt(s.length - ending.length - 1);
    if (unless === undefined || before === '' || !unless.includes(before)) s = s.slice(0, s.length - ending.length) + by;
    break;
  }
  return s;
}
