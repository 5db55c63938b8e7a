import type { Token } from '../contract.js';
import type { TokenFilter } from './analysis-types.js';
import { KEYWORD_TOKENS } from './english-stemmers.js';
import {
  KSTEM_COUNTRY_NATIONALITY,
  KSTEM_DIRECT_CONFLATIONS,
  KSTEM_EXCEPTION_WORDS,
  KSTEM_PROPER_NOUNS,
  KSTEM_SUPPLEMENT,
  KSTEM_WORDS,
} from './kstem-data.js';

/**
 * Lucene's KStemmer (Krovetz's stemmer, `kstem` and stemmer `light_english`/`kstem`): a
 * dictionary-driven English stemmer that removes an inflectional or derivational ending only
 * when the result is a dictionary word, with defaults for the productive endings. Ported step for
 * step on an OpenStringBuilder-like buffer, whose truncated characters stay readable, since
 * several steps read and rewrite them in place.
 */

interface DictEntry {
  readonly root: string | undefined;
  readonly exception: boolean;
}

let dictionary: Map<string, DictEntry> | undefined;

/** KStemmer.initializeDictHash, built on first use (about 28,000 words). */
function dict(): Map<string, DictEntry> {
  if (dictionary) return dictionary;
  const d = new Map<string, DictEntry>();
  for (const w of KSTEM_EXCEPTION_WORDS) d.set(w, { root: w, exception: true });
  for (const [w, root] of KSTEM_DIRECT_CONFLATIONS) d.set(w, { root, exception: false });
  for (const [w, root] of KSTEM_COUNTRY_NATIONALITY) d.set(w, { root, exception: false });
  const plain: DictEntry = { root: undefined, exception: false };
  for (const line of KSTEM_WORDS) for (const w of line.split(' ')) d.set(w, plain);
  for (const w of KSTEM_SUPPLEMENT) d.set(w, plain);
  for (const w of KSTEM_PROPER_NOUNS) d.set(w, plain);
  dictionary = d;
  return d;
}

const MAX_WORD_LEN = 50;

class KStemmer {
  /** The word buffer: `buf` keeps characters past `len`, as Lucene's OpenStringBuilder does. */
  private buf: string[] = [];
  private len = 0;
  /** Index of the final letter of the stem. */
  private j = 0;
  /** Index of the final letter of the word. */
  private k = 0;
  private matchedEntry: DictEntry | undefined;
  private readonly d = dict();

  private charAt(i: number): string {
    return this.buf[i] as string;
  }
  private setLength(n: number): void {
    this.len = n;
  }
  private write(c: string): void {
    this.buf[this.len++] = c;
  }
  private append(s: string): void {
    for (const c of s) this.write(c);
  }
  private setCharAt(i: number, c: string): void {
    this.buf[i] = c;
  }
  private word(): string {
    return this.buf.slice(0, this.len).join('');
  }

  private isCons(index: number): boolean {
    const ch = this.charAt(index);
    if (ch === 'a' || ch === 'e' || ch === 'i' || ch === 'o' || ch === 'u') return false;
    if (ch !== 'y' || index === 0) return true;
    return !this.isCons(index - 1);
  }

  private endsIn(s: string): boolean {
    if (s.length > this.k) return false;
    const r = this.len - s.length;
    this.j = this.k;
    for (let i = 0; i < s.length; i++) if (s[i] !== this.charAt(r + i)) return false;
    this.j = r - 1;
    return true;
  }

  /** endsIn(char...) for 2 to 4 letters: compares at k, the word's last index. */
  private endsInChars(s: string): boolean {
    if (s.length > this.k) return false;
    for (let i = 0; i < s.length; i++) if (this.charAt(this.k - s.length + 1 + i) !== s[i]) return false;
    this.j = this.k - s.length;
    return true;
  }

  private lookup(): boolean {
    this.matchedEntry = this.d.get(this.word());
    return this.matchedEntry !== undefined;
  }

  private wordInDict(): DictEntry | undefined {
    if (this.matchedEntry !== undefined) return this.matchedEntry;
    const e = this.d.get(this.word());
    if (e !== undefined && !e.exception) this.matchedEntry = e;
    return e;
  }

  private matched(): DictEntry | undefined {
    return this.matchedEntry;
  }

  private setSuffix(s: string): void {
    this.setLength(this.j + 1);
    this.append(s);
    this.k = this.j + s.length;
  }

  private doubleC(i: number): boolean {
    if (i < 1) return false;
    if (this.charAt(i) !== this.charAt(i - 1)) return false;
    return this.isCons(i);
  }

  private vowelInStem(): boolean {
    for (let i = 0; i < this.j + 1; i++) if (!this.isCons(i)) return true;
    return false;
  }

  private plural(): void {
    if (this.charAt(this.k) !== 's') return;
    if (this.endsInChars('ies')) {
      this.setLength(this.j + 3);
      this.k--;
      if (this.lookup()) return;
      this.k++;
      this.write('s');
      this.setSuffix('y');
      this.lookup();
    } else if (this.endsInChars('es')) {
      this.setLength(this.j + 2);
      this.k--;
      const tryE = this.j > 0 && !(this.charAt(this.j) === 's' && this.charAt(this.j - 1) === 's');
      if (tryE && this.lookup()) return;
      this.setLength(this.j + 1);
      this.k--;
      if (this.lookup()) return;
      this.write('e');
      this.k++;
      if (!tryE) this.lookup();
    } else if (this.len > 3 && this.charAt(this.k - 1) !== 's' && !this.endsInChars('ous')) {
      this.setLength(this.k);
      this.k--;
      this.lookup();
    }
  }

  private pastTense(): void {
    if (this.len <= 4) return;
    if (this.endsInChars('ied')) {
      this.setLength(this.j + 3);
      this.k--;
      if (this.lookup()) return;
      this.k++;
      this.write('d');
      this.setSuffix('y');
      this.lookup();
      return;
    }
    if (this.endsInChars('ed') && this.vowelInStem()) {
      this.setLength(this.j + 2);
      this.k = this.j + 1;
      const entry = this.wordInDict();
      if (entry !== undefined && !entry.exception) return;
      this.setLength(this.j + 1);
      this.k = this.j;
      if (this.lookup()) return;
      if (this.doubleC(this.k)) {
        this.setLength(this.k);
        this.k--;
        if (this.lookup()) return;
        this.write(this.charAt(this.k));
        this.k++;
        this.lookup();
        return;
      }
      if (this.charAt(0) === 'u' && this.charAt(1) === 'n') {
        this.write('e');
        this.write('d');
        this.k += 2;
        return;
      }
      this.setLength(this.j + 1);
      this.write('e');
      this.k = this.j + 1;
    }
  }

  private aspect(): void {
    if (this.len <= 5) return;
    if (this.endsInChars('ing') && this.vowelInStem()) {
      this.setCharAt(this.j + 1, 'e');
      this.setLength(this.j + 2);
      this.k = this.j + 1;
      const entry = this.wordInDict();
      if (entry !== undefined && !entry.exception) return;
      this.setLength(this.k);
      this.k--;
      if (this.lookup()) return;
      if (this.doubleC(this.k)) {
        this.k--;
        this.setLength(this.k + 1);
        if (this.lookup()) return;
        this.write(this.charAt(this.k));
        this.k++;
        this.lookup();
        return;
      }
      if (this.j > 0 && this.isCons(this.j) && this.isCons(this.j - 1)) {
        this.k = this.j;
        this.setLength(this.k + 1);
        return;
      }
      this.setLength(this.j + 1);
      this.write('e');
      this.k = this.j + 1;
    }
  }

  private ityEndings(): void {
    const oldK = this.k;
    if (!this.endsInChars('ity')) return;
    const j = this.j;
    this.setLength(j + 1);
    this.k = j;
    if (this.lookup()) return;
    this.write('e');
    this.k = j + 1;
    if (this.lookup()) return;
    this.setCharAt(j + 1, 'i');
    this.append('ty');
    this.k = oldK;
    if (j > 0 && this.charAt(j - 1) === 'i' && this.charAt(j) === 'l') {
      this.setLength(j - 1);
      this.append('le');
      this.k = j;
      this.lookup();
      return;
    }
    if (j > 0 && this.charAt(j - 1) === 'i' && this.charAt(j) === 'v') {
      this.setLength(j + 1);
      this.write('e');
      this.k = j + 1;
      this.lookup();
      return;
    }
    if (j > 0 && this.charAt(j - 1) === 'a' && this.charAt(j) === 'l') {
      this.setLength(j + 1);
      this.k = j;
      this.lookup();
      return;
    }
    if (this.lookup()) return;
    this.setLength(j + 1);
    this.k = j;
  }

  private nceEndings(): void {
    const oldK = this.k;
    if (!this.endsInChars('nce')) return;
    const j = this.j;
    const c = this.charAt(j);
    if (!(c === 'e' || c === 'a')) return;
    this.setLength(j);
    this.write('e');
    this.k = j;
    if (this.lookup()) return;
    this.setLength(j);
    this.k = j - 1;
    if (this.lookup()) return;
    this.write(c);
    this.append('nce');
    this.k = oldK;
  }

  private nessEndings(): void {
    if (!this.endsInChars('ness')) return;
    this.setLength(this.j + 1);
    this.k = this.j;
    if (this.charAt(this.j) === 'i') this.setCharAt(this.j, 'y');
    this.lookup();
  }

  private ismEndings(): void {
    if (!this.endsInChars('ism')) return;
    this.setLength(this.j + 1);
    this.k = this.j;
    this.lookup();
  }

  private mentEndings(): void {
    const oldK = this.k;
    if (!this.endsInChars('ment')) return;
    this.setLength(this.j + 1);
    this.k = this.j;
    if (this.lookup()) return;
    this.append('ment');
    this.k = oldK;
  }

  private izeEndings(): void {
    const oldK = this.k;
    if (!this.endsInChars('ize')) return;
    const j = this.j;
    this.setLength(j + 1);
    this.k = j;
    if (this.lookup()) return;
    this.write('i');
    if (this.doubleC(j)) {
      this.setLength(j);
      this.k = j - 1;
      if (this.lookup()) return;
      this.write(this.charAt(j - 1));
    }
    this.setLength(j + 1);
    this.write('e');
    this.k = j + 1;
    if (this.lookup()) return;
    this.setLength(j + 1);
    this.append('ize');
    this.k = oldK;
  }

  private ncyEndings(): void {
    if (!this.endsInChars('ncy')) return;
    const j = this.j;
    if (!(this.charAt(j) === 'e' || this.charAt(j) === 'a')) return;
    this.setCharAt(j + 2, 't');
    this.setLength(j + 3);
    this.k = j + 2;
    if (this.lookup()) return;
    this.setCharAt(j + 2, 'c');
    this.write('e');
    this.k = j + 3;
    this.lookup();
  }

  private bleEndings(): void {
    const oldK = this.k;
    if (!this.endsInChars('ble')) return;
    const j = this.j;
    if (!(this.charAt(j) === 'a' || this.charAt(j) === 'i')) return;
    const c = this.charAt(j);
    this.setLength(j);
    this.k = j - 1;
    if (this.lookup()) return;
    if (this.doubleC(this.k)) {
      this.setLength(this.k);
      this.k--;
      if (this.lookup()) return;
      this.k++;
      this.write(this.charAt(this.k - 1));
    }
    this.setLength(j);
    this.write('e');
    this.k = j;
    if (this.lookup()) return;
    this.setLength(j);
    this.append('ate');
    this.k = j + 2;
    if (this.lookup()) return;
    this.setLength(j);
    this.write(c);
    this.append('ble');
    this.k = oldK;
  }

  private icEndings(): void {
    if (!this.endsInChars('ic')) return;
    const j = this.j;
    this.setLength(j + 3);
    this.append('al');
    this.k = j + 4;
    if (this.lookup()) return;
    this.setCharAt(j + 1, 'y');
    this.setLength(j + 2);
    this.k = j + 1;
    if (this.lookup()) return;
    this.setCharAt(j + 1, 'e');
    if (this.lookup()) return;
    this.setLength(j + 1);
    this.k = j;
    if (this.lookup()) return;
    this.append('ic');
    this.k = j + 2;
  }

  private ionEndings(): void {
    const oldK = this.k;
    if (!this.endsInChars('ion')) return;
    if (this.endsIn('ization')) {
      this.setLength(this.j + 3);
      this.write('e');
      this.k = this.j + 3;
      this.lookup();
      return;
    }
    if (this.endsIn('ition')) {
      this.setLength(this.j + 1);
      this.write('e');
      this.k = this.j + 1;
      if (this.lookup()) return;
      this.setLength(this.j + 1);
      this.append('ition');
      this.k = oldK;
    } else if (this.endsIn('ation')) {
      this.setLength(this.j + 3);
      this.write('e');
      this.k = this.j + 3;
      if (this.lookup()) return;
      this.setLength(this.j + 1);
      this.write('e');
      this.k = this.j + 1;
      if (this.lookup()) return;
      this.setLength(this.j + 1);
      this.k = this.j;
      if (this.lookup()) return;
      this.setLength(this.j + 1);
      this.append('ation');
      this.k = oldK;
    }
    if (this.endsIn('ication')) {
      this.setLength(this.j + 1);
      this.write('y');
      this.k = this.j + 1;
      if (this.lookup()) return;
      this.setLength(this.j + 1);
      this.append('ication');
      this.k = oldK;
    }
    this.j = this.k - 3;
    this.setLength(this.j + 1);
    this.write('e');
    this.k = this.j + 1;
    if (this.lookup()) return;
    this.setLength(this.j + 1);
    this.k = this.j;
    if (this.lookup()) return;
    this.setLength(this.j + 1);
    this.append('ion');
    this.k = oldK;
  }

  private erAndOrEndings(): void {
    const oldK = this.k;
    if (this.charAt(this.k) !== 'r') return;
    if (this.endsInChars('izer')) {
      this.setLength(this.j + 4);
      this.k = this.j + 3;
      this.lookup();
      return;
    }
    if (this.endsInChars('er') || this.endsInChars('or')) {
      const j = this.j;
      const c = this.charAt(j + 1);
      if (this.doubleC(j)) {
        this.setLength(j);
        this.k = j - 1;
        if (this.lookup()) return;
        this.write(this.charAt(j - 1));
      }
      if (this.charAt(j) === 'i') {
        this.setCharAt(j, 'y');
        this.setLength(j + 1);
        this.k = j;
        if (this.lookup()) return;
        this.setCharAt(j, 'i');
        this.write('e');
      }
      if (this.charAt(j) === 'e') {
        this.setLength(j);
        this.k = j - 1;
        if (this.lookup()) return;
        this.write('e');
      }
      this.setLength(j + 2);
      this.k = j + 1;
      if (this.lookup()) return;
      this.setLength(j + 1);
      this.k = j;
      if (this.lookup()) return;
      this.write('e');
      this.k = j + 1;
      if (this.lookup()) return;
      this.setLength(j + 1);
      this.write(c);
      this.write('r');
      this.k = oldK;
    }
  }

  private lyEndings(): void {
    const oldK = this.k;
    if (!this.endsInChars('ly')) return;
    const j = this.j;
    this.setCharAt(j + 2, 'e');
    if (this.lookup()) return;
    this.setCharAt(j + 2, 'y');
    this.setLength(j + 1);
    this.k = j;
    if (this.lookup()) return;
    if (j > 0 && this.charAt(j - 1) === 'a' && this.charAt(j) === 'l') return;
    this.append('ly');
    this.k = oldK;
    if (j > 0 && this.charAt(j - 1) === 'a' && this.charAt(j) === 'b') {
      this.setCharAt(j + 2, 'e');
      this.k = j + 2;
      return;
    }
    if (this.charAt(j) === 'i') {
      this.setLength(j);
      this.write('y');
      this.k = j;
      if (this.lookup()) return;
      this.setLength(j);
      this.append('ily');
      this.k = oldK;
    }
    this.setLength(j + 1);
    this.k = j;
  }

  private alEndings(): void {
    const oldK = this.k;
    if (this.len < 4) return;
    if (!this.endsInChars('al')) return;
    const j = this.j;
    this.setLength(j + 1);
    this.k = j;
    if (this.lookup()) return;
    if (this.doubleC(j)) {
      this.setLength(j);
      this.k = j - 1;
      if (this.lookup()) return;
      this.write(this.charAt(j - 1));
    }
    this.setLength(j + 1);
    this.write('e');
    this.k = j + 1;
    if (this.lookup()) return;
    this.setLength(j + 1);
    this.append('um');
    this.k = j + 2;
    if (this.lookup()) return;
    this.setLength(j + 1);
    this.append('al');
    this.k = oldK;
    if (j > 0 && this.charAt(j - 1) === 'i' && this.charAt(j) === 'c') {
      this.setLength(j - 1);
      this.k = j - 2;
      if (this.lookup()) return;
      this.setLength(j - 1);
      this.write('y');
      this.k = j - 1;
      if (this.lookup()) return;
      this.setLength(j - 1);
      this.append('ic');
      this.k = j;
      this.lookup();
      return;
    }
    if (this.charAt(j) === 'i') {
      this.setLength(j);
      this.k = j - 1;
      if (this.lookup()) return;
      this.append('ial');
      this.k = oldK;
      this.lookup();
    }
  }

  private iveEndings(): void {
    const oldK = this.k;
    if (!this.endsInChars('ive')) return;
    const j = this.j;
    this.setLength(j + 1);
    this.k = j;
    if (this.lookup()) return;
    this.write('e');
    this.k = j + 1;
    if (this.lookup()) return;
    this.setLength(j + 1);
    this.append('ive');
    if (j > 0 && this.charAt(j - 1) === 'a' && this.charAt(j) === 't') {
      this.setCharAt(j - 1, 'e');
      this.setLength(j);
      this.k = j - 1;
      if (this.lookup()) return;
      this.setLength(j - 1);
      if (this.lookup()) return;
      this.append('ative');
      this.k = oldK;
    }
    this.setCharAt(j + 2, 'o');
    this.setCharAt(j + 3, 'n');
    if (this.lookup()) return;
    this.setCharAt(j + 2, 'v');
    this.setCharAt(j + 3, 'e');
    this.k = oldK;
  }

  /** KStemmer.stem: the stem, or undefined when the term is left as it is. */
  stem(term: string): string | undefined {
    const len = term.length;
    this.k = len - 1;
    if (this.k <= 1 || this.k >= MAX_WORD_LEN - 1) return undefined;
    const entry = this.d.get(term);
    if (entry !== undefined) return entry.root;
    for (let i = 0; i < len; i++) {
      const c = term.charCodeAt(i);
      if (c < 0x61 || c > 0x7a) return undefined;
    }
    this.buf = term.split('');
    this.len = len;
    this.matchedEntry = undefined;
    const steps: Array<() => void> = [
      () => this.plural(),
      () => this.pastTense(),
      () => this.aspect(),
      () => this.ityEndings(),
      () => this.nessEndings(),
      () => this.ionEndings(),
      () => this.erAndOrEndings(),
      () => this.lyEndings(),
      () => this.alEndings(),
      () => {
        // Lucene looks the word up here (caching a non-exception match) before the -ive step
        this.wordInDict();
        this.iveEndings();
      },
      () => this.izeEndings(),
      () => this.mentEndings(),
      () => this.bleEndings(),
      () => this.ismEndings(),
      () => this.icEndings(),
      () => this.ncyEndings(),
      () => this.nceEndings(),
    ];
    for (const step of steps) {
      step();
      if (this.matched() !== undefined) break;
    }
    return this.matched()?.root ?? this.word();
  }
}

/**
 * The KStem stem of a lowercase term (terms with anything but a-z, or shorter than 3 or longer
 * than 48 characters, are returned as they are).
 *
 * @example kstem('dogs') // 'dog'
 */
export function kstem(term: string): string {
  return new KStemmer().stem(term) ?? term;
}

/** Lucene's KStemFilter: stems every token not marked as a keyword. */
export class KStemFilter implements TokenFilter {
  private readonly stemmer = new KStemmer();
  filter(tokens: Token[]): Token[] {
    for (const t of tokens) {
      if (KEYWORD_TOKENS.has(t)) continue;
      const stem = this.stemmer.stem(t.term);
      if (stem !== undefined) t.term = stem;
    }
    return tokens;
  }
}
