/**
 * Lucene's BrazilianStemmer (`brazilian_stem`, stemmer `brazilian`, the brazilian analyzer),
 * ported rule for rule with its quirks: R1, R2 and RV are computed once from the changed term
 * and never updated, `logias` is found but not replaced, and the verb rule for `ira` removes
 * `ava`.
 */

const isVowel = (c: string | undefined): boolean => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';

/** changeTerm: lowercase (pt-BR), accents off, ã/õ/ç/ñ folded. */
const CHANGES: Readonly<Record<string, string>> = { á: 'a', â: 'a', ã: 'a', é: 'e', ê: 'e', í: 'i', ó: 'o', ô: 'o', õ: 'o', ú: 'u', ü: 'u', ç: 'c', ñ: 'n' };

function changeTerm(value: string): string {
  let r = '';
  for (const c of value.toLowerCase()) r += Object.hasOwn(CHANGES, c) ? CHANGES[c] : c;
  return r;
}

function createCT(term: string): string {
  let ct = changeTerm(term);
  if (ct.length < 2) return ct;
  if ('"\'-,;.?!'.includes(ct[0] as string)) ct = ct.slice(1);
  if (ct.length < 2) return ct;
  if ('-,;.?!\'"'.includes(ct[ct.length - 1] as string)) ct = ct.slice(0, -1);
  return ct;
}

function getR1(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const i = value.length - 1;
  let j = 0;
  for (; j < i; j++) if (isVowel(value[j])) break;
  if (!(j < i)) return undefined;
  for (; j < i; j++) if (!isVowel(value[j])) break;
  if (!(j < i)) return undefined;
  return value.slice(j + 1);
}

function getRV(value: string): string | undefined {
  const i = value.length - 1;
  if (i > 0 && !isVowel(value[1])) {
    let j = 2;
    for (; j < i; j++) if (isVowel(value[j])) break;
    if (j < i) return value.slice(j + 1);
  }
  if (i > 1 && isVowel(value[0]) && isVowel(value[1])) {
    let j = 2;
    for (; j < i; j++) if (!isVowel(value[j])) break;
    if (j < i) return value.slice(j + 1);
  }
  if (i > 2) return value.slice(3);
  return undefined;
}

const ends = (value: string | undefined, suffix: string): boolean => value !== undefined && value.endsWith(suffix);
const removeSuffix = (value: string, suffix: string): string => (value.endsWith(suffix) ? value.slice(0, value.length - suffix.length) : value);
const replaceSuffix = (value: string, suffix: string, to: string): string => (value.endsWith(suffix) ? removeSuffix(value, suffix) + to : value);
const preceded = (value: string | undefined, suffix: string, before: string): boolean =>
  value !== undefined && value.endsWith(suffix) && removeSuffix(value, suffix).endsWith(before);

/** Step 1's rules by group: [CT length floor, [suffix, region, replacement]]; `logias` is Lucene's no-op. */
type Region = 'R1' | 'R2' | 'RV';
const STEP1: ReadonlyArray<readonly [number, ReadonlyArray<readonly [string, Region, string?]>]> = [
  [0, [['uciones', 'R2', 'u']]],
  [6, [['imentos', 'R2'], ['amentos', 'R2'], ['adores', 'R2'], ['adoras', 'R2'], ['logias', 'R2', 'logias'], ['encias', 'R2', 'ente'], ['amente', 'R1'], ['idades', 'R2']]],
  [5, [['acoes', 'R2'], ['imento', 'R2'], ['amento', 'R2'], ['adora', 'R2'], ['ismos', 'R2'], ['istas', 'R2'], ['logia', 'R2', 'log'], ['ucion', 'R2', 'u'], ['encia', 'R2', 'ente'], ['mente', 'R2'], ['idade', 'R2']]],
  [4, [['acao', 'R2'], ['ezas', 'R2'], ['icos', 'R2'], ['icas', 'R2'], ['ismo', 'R2'], ['avel', 'R2'], ['ivel', 'R2'], ['ista', 'R2'], ['osos', 'R2'], ['osas', 'R2'], ['ador', 'R2'], ['ivas', 'R2'], ['ivos', 'R2'], ['iras', 'RV', 'ir']]],
  [3, [['eza', 'R2'], ['ico', 'R2'], ['ica', 'R2'], ['oso', 'R2'], ['osa', 'R2'], ['iva', 'R2'], ['ivo', 'R2'], ['ira', 'RV', 'ir']]],
];

/** Step 2's verb endings by RV length floor; `ira` removes `ava`, as Lucene's code does. */
const STEP2: ReadonlyArray<readonly [number, readonly string[]]> = [
  [7, ['issemos', 'essemos', 'assemos', 'ariamos', 'eriamos', 'iriamos']],
  [6, ['iremos', 'eremos', 'aremos', 'avamos', 'iramos', 'eramos', 'aramos', 'asseis', 'esseis', 'isseis', 'arieis', 'erieis', 'irieis']],
  [5, ['irmos', 'iamos', 'armos', 'ermos', 'areis', 'ereis', 'ireis', 'asses', 'esses', 'isses', 'astes', 'assem', 'essem', 'issem', 'ardes', 'erdes', 'irdes', 'ariam', 'eriam', 'iriam', 'arias', 'erias', 'irias', 'estes', 'istes', 'areis', 'aveis']],
  [4, ['aria', 'eria', 'iria', 'asse', 'esse', 'isse', 'aste', 'este', 'iste', 'arei', 'erei', 'irei', 'aram', 'eram', 'iram', 'avam', 'arem', 'erem', 'irem', 'ando', 'endo', 'indo', 'arao', 'erao', 'irao', 'adas', 'idas', 'aras', 'eras', 'iras', 'avas', 'ares', 'eres', 'ires', 'ados', 'idos', 'amos', 'emos', 'imos', 'iras', 'ieis']],
  [3, ['ada', 'ida', 'ara', 'era', 'ira', 'iam', 'ado', 'ido', 'ias', 'ais', 'eis', 'ira', 'ear']],
  [2, ['ia', 'ei', 'am', 'em', 'ar', 'er', 'ir', 'as', 'es', 'is', 'eu', 'iu', 'ou']],
];

/**
 * Lucene's BrazilianStemmer.stem plus BrazilianStemFilter: the stem, or the term itself when
 * the changed term is shorter than 3 or longer than 29 characters.
 *
 * @example brazilianStem('boataria') // 'boat'
 */
export function brazilianStem(term: string): string {
  let ct = createCT(term);
  if (!(ct.length < 30 && ct.length > 2)) return term;
  for (let i = 0; i < ct.length; i++) if (!/^\p{L}$/u.test(ct[i] as string)) return ct;
  const r1 = getR1(ct);
  const regions: Record<Region, string | undefined> = { R1: r1, R2: getR1(r1), RV: getRV(ct) };
  const rv = regions.RV;

  let altered = false;
  step1: for (const [floor, rules] of STEP1) {
    if (ct.length < floor) continue;
    for (const [suffix, region, replacement] of rules) {
      if (!ends(ct, suffix) || !ends(regions[region], suffix)) continue;
      if (region === 'RV' && !preceded(ct, suffix, 'e')) continue;
      if (replacement !== suffix) ct = replacement === undefined ? removeSuffix(ct, suffix) : replaceSuffix(ct, suffix, replacement);
      altered = true;
      break step1;
    }
  }
  if (!altered && rv !== undefined) {
    step2: for (const [floor, suffixes] of STEP2) {
      if (rv.length < floor) continue;
      for (const suffix of suffixes) {
        if (!rv.endsWith(suffix)) continue;
        ct = removeSuffix(ct, floor === 3 && suffix === 'ira' ? 'ava' : suffix);
        altered = true;
        break step2;
      }
    }
  }
  if (rv !== undefined) {
    if (altered) {
      if (rv.endsWith('i') && preceded(rv, 'i', 'c')) ct = removeSuffix(ct, 'i');
    } else {
      for (const suffix of ['os', 'a', 'i', 'o']) {
        if (rv.endsWith(suffix)) {
          ct = removeSuffix(ct, suffix);
          break;
        }
      }
    }
    if (rv.endsWith('e')) {
      if (preceded(rv, 'e', 'gu')) ct = removeSuffix(removeSuffix(ct, 'e'), 'u');
      else if (preceded(rv, 'e', 'ci')) ct = removeSuffix(removeSuffix(ct, 'e'), 'i');
      else ct = removeSuffix(ct, 'e');
    }
  }
  return ct;
}
