import { lowercase } from './case-filters.js';

/**
 * Lucene 9's SpanishPluralStemmer (stemmer `spanish_plural`), from the plural rules of
 * wikilengua.org. Lucene 8.7 does not have it, so its tests here come from Lucene's own
 * TestSpanishPluralStemFilter examples rather than the Lucene harness.
 */

const INVARIANTS = new Set(
  ('abrebotellas abrecartas abrelatas afueras albatros albricias aledaños alexis aries alicates analisis andurriales antitesis añicos ' +
    'apendicitis apocalipsis arcoiris aries bilis boletus boris brindis cactus canutas caries cascanueces cascarrabias ciempies cifosis ' +
    'cortaplumas corpus cosmos cosquillas creces crisis cuatrocientas cuatrocientos cuelgacapas cuentacuentos cuentapasos cumpleaños ' +
    'doscientas doscientos dosis enseres entonces esponsales estatus exequias fauces forceps fotosintesis gafas gafotas gargaras gris ' +
    'honorarios ictus jueves lapsus lavacoches lavaplatos limpiabotas lunes maitines martes mondadientes novecientas novecientos nupcias ' +
    'ochocientas ochocientos pais paris parabrisas paracaidas parachoques paraguas pararrayos pisapapeles piscis portaaviones portamaletas ' +
    'portamantas quinientas quinientos quinientos quitamanchas recogepelotas rictus rompeolas sacacorchos sacapuntas saltamontes salvavidas ' +
    'seis seiscientas seiscientos setecientas setecientos sintesis tenis tifus trabalenguas vacaciones venus versus viacrucis virus viveres volandas').split(' '),
);
const SPECIAL_CASES = new Set('yoes noes sies clubes faralaes albalaes itemes albumes sandwiches relojes bojes contrarreloj carcajes'.split(' '));

const ACCENTS: Readonly<Record<string, string>> = {
  à: 'a', á: 'a', â: 'a', ä: 'a', ò: 'o', ó: 'o', ô: 'o', ö: 'o', è: 'e', é: 'e', ê: 'e', ë: 'e', ù: 'u', ú: 'u', û: 'u', ü: 'u', ì: 'i', í: 'i', î: 'i', ï: 'i',
};
const isVowel = (c: string | undefined): boolean => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';

/**
 * Lucene's SpanishPluralStemmer: accents off (for words of four letters or more), invariant
 * plurals kept, special cases cut by two, then the plural rules on the last letters.
 *
 * @example spanishPluralStem('voces') // 'voz'
 */
export function spanishPluralStem(term: string): string {
  const len = term.length;
  if (len < 4) return term;
  let s = '';
  for (let i = 0; i < len; i++) {
    const c = term[i] as string;
    s += Object.hasOwn(ACCENTS, c) ? ACCENTS[c] : c;
  }
  // Lucene's sets ignore case
  const folded = lowercase(s);
  if (INVARIANTS.has(folded)) return s;
  if (SPECIAL_CASES.has(folded)) return s.slice(0, len - 2);
  if (s[len - 1] !== 's') return s;
  const c2 = s[len - 2];
  const c3 = s[len - 3];
  const c4 = s[len - 4];
  const cut = (n: number) => s.slice(0, len - n);
  if (!isVowel(c2)) return cut(1);
  if (c4 === 'q' || (c4 === 'g' && c3 === 'u' && (c2 === 'i' || c2 === 'e'))) return cut(1);
  if (isVowel(c4) && c3 === 'r' && c2 === 'e') return cut(2);
  if (isVowel(c4) && (c3 === 'd' || c3 === 'l' || c3 === 'n' || c3 === 'x') && c2 === 'e') return cut(2);
  if ((c3 === 'y' || c3 === 'u') && c2 === 'e') return cut(2);
  if ((c4 === 'u' || c4 === 'l' || c4 === 'r' || c4 === 't' || c4 === 'n') && c3 === 'i' && c2 === 'e') return cut(2);
  if (c3 === 's' && c2 === 'e') return cut(2);
  if (isVowel(c3) && c2 === 'i') return s.slice(0, len - 2) + 'y';
  if (c3 === 'd' && c2 === 'i') return s.slice(0, len - 2) + 'y';
  if (c2 === 'e' && c3 === 'c') return s.slice(0, len - 3) + 'z';
  return cut(1);
}
