import type { Token } from '../contract.js';
import type { TokenFilter } from './analysis-types.js';

/**
 * Jacques Savoy's light and minimal stemmers for French, German, Spanish, Italian and
 * Portuguese, as Lucene implements them (FrenchLightStemmer, GermanMinimalStemmer, ...): rules on
 * the end of a term, in UTF-16 code units, with Lucene's StemmerUtil `endsWith` and `delete`.
 * Used by the language analyzers and the `stemmer` filter's light_/minimal_ languages.
 */

/** A term as Lucene's char[] with a length: rules index from the end and shorten it. */
class Chars {
  readonly s: string[];
  len: number;

  constructor(term: string) {
    this.s = term.split('');
    this.len = this.s.length;
  }

  at(i: number): string {
    return this.s[i] ?? '';
  }

  last(n = 1): string {
    return this.s[this.len - n] ?? '';
  }

  set(fromEnd: number, c: string): void {
    this.s[this.len - fromEnd] = c;
  }

  endsWith(suffix: string): boolean {
    if (suffix.length > this.len) return false;
    for (let i = 0; i < suffix.length; i++) if (this.s[this.len - suffix.length + i] !== suffix[i]) return false;
    return true;
  }

  /** StemmerUtil.delete: removes the char at `pos`. */
  delete(pos: number): void {
    this.s.splice(pos, 1);
    this.len--;
  }

  map(table: Readonly<Record<string, string>>): void {
    for (let i = 0; i < this.len; i++) {
      const r = table[this.s[i] as string];
      if (r !== undefined) this.s[i] = r;
    }
  }

  toString(): string {
    return this.s.slice(0, this.len).join('');
  }
}

const isLetter = (c: string) => /\p{L}/u.test(c);

/** Accent tables, keyed by accented char. */
const folding = (groups: Record<string, string>): Record<string, string> => {
  const table: Record<string, string> = {};
  for (const [to, from] of Object.entries(groups)) for (const c of from) table[c] = to;
  return table;
};

const FRENCH_NORM = folding({ a: 'àáâ', o: 'ô', e: 'èéê', u: 'ùû', i: 'î', c: 'ç' });
const GERMAN_LIGHT = folding({ a: 'äàáâ', o: 'öòóô', i: 'ïìíî', u: 'üùúû' });
const ROMANCE = folding({ a: 'àáâä', o: 'òóôö', e: 'èéêë', u: 'ùúûü', i: 'ìíîï' });
const PORTUGUESE = folding({ a: 'àáâäã', o: 'òóôöõ', e: 'èéêë', u: 'ùúûü', i: 'ìíîï', c: 'ç' });

function frenchNorm(w: Chars): void {
  if (w.len > 4) {
    w.map(FRENCH_NORM);
    let ch = w.at(0);
    for (let i = 1; i < w.len; i++) {
      if (w.at(i) === ch && isLetter(ch)) w.delete(i--);
      else ch = w.at(i);
    }
  }
  if (w.len > 4 && w.endsWith('ie')) w.len -= 2;
  if (w.len > 4) {
    if (w.last() === 'r') w.len--;
    if (w.last() === 'e') w.len--;
    if (w.last() === 'e') w.len--;
    if (w.last() === w.last(2) && isLetter(w.last())) w.len--;
  }
}

/** FrenchLightStemmer ("UniNE"). */
export function frenchLightStem(term: string): string {
  const w = new Chars(term);
  const norm = (cut = 0) => {
    w.len -= cut;
    frenchNorm(w);
    return w.toString();
  };
  if (w.len > 5 && w.last() === 'x') {
    if (w.last(3) === 'a' && w.last(2) === 'u' && w.last(4) !== 'e') w.set(2, 'l');
    w.len--;
  }
  if (w.len > 3 && w.last() === 'x') w.len--;
  if (w.len > 3 && w.last() === 's') w.len--;
  if (w.len > 9 && w.endsWith('issement')) {
    w.len -= 6;
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 8 && w.endsWith('issant')) {
    w.len -= 4;
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 6 && w.endsWith('ement')) {
    w.len -= 4;
    if (w.len > 3 && w.endsWith('ive')) {
      w.len--;
      w.set(1, 'f');
    }
    return norm();
  }
  if (w.len > 11 && w.endsWith('ficatrice')) {
    w.len -= 5;
    w.set(2, 'e');
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 10 && w.endsWith('ficateur')) {
    w.len -= 4;
    w.set(2, 'e');
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 9 && w.endsWith('catrice')) {
    w.len -= 3;
    w.set(4, 'q');
    w.set(3, 'u');
    w.set(2, 'e');
    return norm();
  }
  if (w.len > 8 && w.endsWith('cateur')) {
    w.len -= 2;
    w.set(4, 'q');
    w.set(3, 'u');
    w.set(2, 'e');
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 8 && w.endsWith('atrice')) {
    w.len -= 4;
    w.set(2, 'e');
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 7 && w.endsWith('ateur')) {
    w.len -= 3;
    w.set(2, 'e');
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 6 && w.endsWith('trice')) {
    w.len--;
    w.set(3, 'e');
    w.set(2, 'u');
    w.set(1, 'r');
  }
  if (w.len > 5 && w.endsWith('ième')) return norm(4);
  if (w.len > 7 && w.endsWith('teuse')) {
    w.len -= 2;
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 6 && w.endsWith('teur')) {
    w.len--;
    w.set(1, 'r');
    return norm();
  }
  if (w.len > 5 && w.endsWith('euse')) return norm(2);
  if (w.len > 8 && w.endsWith('ère')) {
    w.len--;
    w.set(2, 'e');
    return norm();
  }
  if (w.len > 7 && w.endsWith('ive')) {
    w.len--;
    w.set(1, 'f');
    return norm();
  }
  if (w.len > 4 && (w.endsWith('folle') || w.endsWith('molle'))) {
    w.len -= 2;
    w.set(1, 'u');
    return norm();
  }
  if (w.len > 9 && w.endsWith('nnelle')) return norm(5);
  if (w.len > 9 && w.endsWith('nnel')) return norm(3);
  if (w.len > 4 && w.endsWith('ète')) {
    w.len--;
    w.set(2, 'e');
  }
  if (w.len > 8 && w.endsWith('ique')) w.len -= 4;
  if (w.len > 8 && w.endsWith('esse')) return norm(3);
  if (w.len > 7 && w.endsWith('inage')) return norm(3);
  if (w.len > 9 && w.endsWith('isation')) {
    w.len -= 7;
    if (w.len > 5 && w.endsWith('ual')) w.set(2, 'e');
    return norm();
  }
  if (w.len > 9 && w.endsWith('isateur')) return norm(7);
  if (w.len > 8 && w.endsWith('ation')) return norm(5);
  if (w.len > 8 && w.endsWith('ition')) return norm(5);
  return norm();
}

/** FrenchMinimalStemmer. */
export function frenchMinimalStem(term: string): string {
  const w = new Chars(term);
  if (w.len < 6) return term;
  if (w.last() === 'x') {
    if (w.last(3) === 'a' && w.last(2) === 'u') w.set(2, 'l');
    w.len--;
    return w.toString();
  }
  if (w.last() === 's') w.len--;
  if (w.last() === 'r') w.len--;
  if (w.last() === 'e') w.len--;
  if (w.last() === 'é') w.len--;
  if (w.last() === w.last(2) && isLetter(w.last())) w.len--;
  return w.toString();
}

const stEnding = (c: string) => 'bdfghklmnt'.includes(c) && c !== '';

/** GermanLightStemmer ("UniNE"). */
export function germanLightStem(term: string): string {
  const w = new Chars(term);
  w.map(GERMAN_LIGHT);
  // step 1
  if (w.len > 5 && w.endsWith('ern')) w.len -= 3;
  else if (w.len > 4 && w.last(2) === 'e' && 'mnrs'.includes(w.last())) w.len -= 2;
  else if (w.len > 3 && w.last() === 'e') w.len -= 1;
  else if (w.len > 3 && w.last() === 's' && stEnding(w.last(2))) w.len -= 1;
  // step 2
  if (w.len > 5 && w.endsWith('est')) w.len -= 3;
  else if (w.len > 4 && w.last(2) === 'e' && (w.last() === 'r' || w.last() === 'n')) w.len -= 2;
  else if (w.len > 4 && w.last(2) === 's' && w.last() === 't' && stEnding(w.last(3))) w.len -= 2;
  return w.toString();
}

/** GermanMinimalStemmer. */
export function germanMinimalStem(term: string): string {
  const w = new Chars(term);
  if (w.len < 5) return term;
  w.map({ ä: 'a', ö: 'o', ü: 'u' });
  if (w.len > 6 && w.endsWith('nen')) return cut(w, 3);
  if (w.len > 5) {
    const pairs: Record<string, string> = { n: 'e', e: 's', s: 'e', r: 'e' };
    if (pairs[w.last()] !== undefined && w.last(2) === pairs[w.last()]) return cut(w, 2);
  }
  if ('nesr'.includes(w.last())) return cut(w, 1);
  return w.toString();
}

const cut = (w: Chars, n: number): string => {
  w.len -= n;
  return w.toString();
};

/**
 * GermanNormalizationFilter's state machine (German2 snowball heuristics): ß -> ss; ä, ö, ü ->
 * a, o, u; ae, oe -> a, o; ue -> u unless after a vowel or q.
 */
export function germanNormalize(term: string): string {
  const N = 0;
  const V = 1;
  const U = 2;
  let state = N;
  let out = '';
  for (const c of term) {
    switch (c) {
      case 'a':
      case 'o':
        state = U;
        out += c;
        break;
      case 'u':
        state = state === N ? U : V;
        out += c;
        break;
      case 'e':
        if (state !== U) out += c;
        state = V;
        break;
      case 'i':
      case 'q':
      case 'y':
        state = V;
        out += c;
        break;
      case 'ä':
        out += 'a';
        state = V;
        break;
      case 'ö':
        out += 'o';
        state = V;
        break;
      case 'ü':
        out += 'u';
        state = V;
        break;
      case 'ß':
        out += 'ss';
        state = N;
        break;
      default:
        out += c;
        state = N;
    }
  }
  return out;
}

/** SpanishLightStemmer. */
export function spanishLightStem(term: string): string {
  const w = new Chars(term);
  if (w.len < 5) return term;
  w.map(ROMANCE);
  switch (w.last()) {
    case 'o':
    case 'a':
    case 'e':
      return cut(w, 1);
    case 's':
      if (w.last(2) === 'e' && w.last(3) === 's' && w.last(4) === 'e') return cut(w, 2);
      if (w.last(2) === 'e' && w.last(3) === 'c') {
        w.set(3, 'z');
        return cut(w, 2);
      }
      if (w.last(2) === 'o' || w.last(2) === 'a' || w.last(2) === 'e') return cut(w, 2);
  }
  return w.toString();
}

/** ItalianLightStemmer. */
export function italianLightStem(term: string): string {
  const w = new Chars(term);
  if (w.len < 6) return term;
  w.map(ROMANCE);
  switch (w.last()) {
    case 'e':
      return cut(w, w.last(2) === 'i' || w.last(2) === 'h' ? 2 : 1);
    case 'i':
      return cut(w, w.last(2) === 'h' || w.last(2) === 'i' ? 2 : 1);
    case 'a':
    case 'o':
      return cut(w, w.last(2) === 'i' ? 2 : 1);
  }
  return w.toString();
}

function portugueseRemoveSuffix(w: Chars): void {
  if (w.len > 4 && w.endsWith('es') && 'rslz'.includes(w.last(3))) {
    w.len -= 2;
    return;
  }
  if (w.len > 3 && w.endsWith('ns')) {
    w.set(2, 'm');
    w.len -= 1;
    return;
  }
  if (w.len > 4 && (w.endsWith('eis') || w.endsWith('éis'))) {
    w.set(3, 'e');
    w.set(2, 'l');
    w.len -= 1;
    return;
  }
  if (w.len > 4 && w.endsWith('ais')) {
    w.set(2, 'l');
    w.len -= 1;
    return;
  }
  if (w.len > 4 && w.endsWith('óis')) {
    w.set(3, 'o');
    w.set(2, 'l');
    w.len -= 1;
    return;
  }
  if (w.len > 4 && w.endsWith('is')) {
    w.set(1, 'l');
    return;
  }
  if (w.len > 3 && (w.endsWith('ões') || w.endsWith('ães'))) {
    w.len--;
    w.set(2, 'ã');
    w.set(1, 'o');
    return;
  }
  if (w.len > 6 && w.endsWith('mente')) {
    w.len -= 5;
    return;
  }
  if (w.len > 3 && w.last() === 's') w.len -= 1;
}

function portugueseNormFeminine(w: Chars): void {
  if (w.len > 7 && (w.endsWith('inha') || w.endsWith('iaca') || w.endsWith('eira'))) {
    w.set(1, 'o');
    return;
  }
  if (w.len > 6) {
    if (['osa', 'ica', 'ida', 'ada', 'iva', 'ama'].some((s) => w.endsWith(s))) {
      w.set(1, 'o');
      return;
    }
    if (w.endsWith('ona')) {
      w.set(3, 'ã');
      w.set(2, 'o');
      w.len -= 1;
      return;
    }
    if (w.endsWith('ora')) {
      w.len -= 1;
      return;
    }
    if (w.endsWith('esa')) {
      w.set(3, 'ê');
      w.len -= 1;
      return;
    }
    if (w.endsWith('na')) w.set(1, 'o');
  }
}

/** PortugueseLightStemmer ("UniNE"). */
export function portugueseLightStem(term: string): string {
  const w = new Chars(term);
  if (w.len < 4) return term;
  portugueseRemoveSuffix(w);
  if (w.len > 3 && w.last() === 'a') portugueseNormFeminine(w);
  if (w.len > 4 && 'eao'.includes(w.last())) w.len--;
  w.map(PORTUGUESE);
  return w.toString();
}

/** A filter applying GermanNormalizationFilter to every token (keywords too, as Lucene does). */
export const germanNormalizationFilter = (): TokenFilter => ({
  normalizes: true,
  filter(tokens: Token[]): Token[] {
    for (const t of tokens) t.term = germanNormalize(t.term);
    return tokens;
  },
});
