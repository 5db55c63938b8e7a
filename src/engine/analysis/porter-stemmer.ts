/**
 * The Porter stemming algorithm exactly as Lucene's `org.apache.lucene.analysis.en.PorterStemmer`
 * (Martin Porter's reference implementation, with its two departures from the 1980 paper:
 * `-logi -> -log` in step 3 and `-bli -> -ble`). Words of one or two letters are left alone; the
 * stemmer expects lowercase input, as PorterStemFilter after LowerCaseFilter gives it.
 *
 * @example porterStem('generalization') // 'gener'
 */
export function porterStem(word: string): string {
  return word.length <= 2 ? word : stemmer.stem(word);
}

/** One reusable stemmer: its buffer grows to the longest word seen. */
class PorterStemmer {
  private b = new Uint16Array(64);
  /** Offset of the last character of the word. */
  private k = 0;
  /** General offset into the word (end of the stem before a matched suffix). */
  private j = 0;

  stem(word: string): string {
    const n = word.length;
    if (this.b.length < n + 8) this.b = new Uint16Array(n * 2 + 8);
    for (let i = 0; i < n; i++) this.b[i] = word.charCodeAt(i);
    this.k = n - 1;
    this.j = 0;
    if (this.k > 1) {
      this.step1();
      this.step2();
      this.step3();
      this.step4();
      this.step5();
      this.step6();
    }
    // The stem is mostly a prefix of the word (suffixes removed); rebuild only what changed.
    const len = this.k + 1;
    let same = 0;
    while (same < len && same < n && this.b[same] === word.charCodeAt(same)) same++;
    if (same === len) return len === n ? word : word.slice(0, len);
    let tail = '';
    for (let i = same; i < len; i++) tail += String.fromCharCode(this.b[i] ?? 0);
    return word.slice(0, same) + tail;
  }

  private ch(i: number): number {
    return this.b[i] ?? 0;
  }

  /** cons(i) is true <=> b[i] is a consonant ('y' is one after a vowel or at the start). */
  private cons(i: number): boolean {
    switch (this.ch(i)) {
      case 97: // a
      case 101: // e
      case 105: // i
      case 111: // o
      case 117: // u
        return false;
      case 121: // y
        return i === 0 ? true : !this.cons(i - 1);
      default:
        return true;
    }
  }

  /** m() measures the number of consonant sequences between 0 and j: [C](VC)^m[V]. */
  private m(): number {
    let n = 0;
    let i = 0;
    const j = this.j;
    for (;;) {
      if (i > j) return n;
      if (!this.cons(i)) break;
      i++;
    }
    i++;
    for (;;) {
      for (;;) {
        if (i > j) return n;
        if (this.cons(i)) break;
        i++;
      }
      i++;
      n++;
      for (;;) {
        if (i > j) return n;
        if (!this.cons(i)) break;
        i++;
      }
      i++;
    }
  }

  /** vowelinstem() is true <=> 0..j contains a vowel. */
  private vowelInStem(): boolean {
    for (let i = 0; i <= this.j; i++) if (!this.cons(i)) return true;
    return false;
  }

  /** doublec(j) is true <=> j, j-1 contain a double consonant. */
  private doublec(j: number): boolean {
    if (j < 1) return false;
    if (this.ch(j) !== this.ch(j - 1)) return false;
    return this.cons(j);
  }

  /** cvc(i) is true <=> i-2, i-1, i is consonant-vowel-consonant and the last is not w, x or y. */
  private cvc(i: number): boolean {
    if (i < 2 || !this.cons(i) || this.cons(i - 1) || !this.cons(i - 2)) return false;
    const ch = this.ch(i);
    return !(ch === 119 || ch === 120 || ch === 121);
  }

  private ends(s: string): boolean {
    const l = s.length;
    const o = this.k - l + 1;
    if (o < 0) return false;
    for (let i = 0; i < l; i++) if (this.b[o + i] !== s.charCodeAt(i)) return false;
    this.j = this.k - l;
    return true;
  }

  /** Sets (j+1)...k to s, readjusting k. */
  private setto(s: string): void {
    const o = this.j + 1;
    for (let i = 0; i < s.length; i++) this.b[o + i] = s.charCodeAt(i);
    this.k = this.j + s.length;
  }

  private r(s: string): void {
    if (this.m() > 0) this.setto(s);
  }

  /** Plurals and -ed or -ing: caresses -> caress, ponies -> poni, meeting -> meet. */
  private step1(): void {
    if (this.ch(this.k) === 115 /* s */) {
      if (this.ends('sses')) this.k -= 2;
      else if (this.ends('ies')) this.setto('i');
      else if (this.ch(this.k - 1) !== 115) this.k--;
    }
    if (this.ends('eed')) {
      if (this.m() > 0) this.k--;
    } else if ((this.ends('ed') || this.ends('ing')) && this.vowelInStem()) {
      this.k = this.j;
      if (this.ends('at')) this.setto('ate');
      else if (this.ends('bl')) this.setto('ble');
      else if (this.ends('iz')) this.setto('ize');
      else if (this.doublec(this.k)) {
        const ch = this.ch(this.k);
        this.k--;
        if (ch === 108 || ch === 115 || ch === 122) this.k++; // l, s, z
      } else if (this.m() === 1 && this.cvc(this.k)) this.setto('e');
    }
  }

  /** Terminal y to i when there is another vowel in the stem. */
  private step2(): void {
    if (this.ends('y') && this.vowelInStem()) this.b[this.k] = 105;
  }

  /** Double suffixes to single ones: -ization -> -ize... when m() > 0. */
  private step3(): void {
    if (this.k === 0) return;
    const rules = STEP3[this.ch(this.k - 1)];
    if (!rules) return;
    for (const [suffix, replacement] of rules) {
      if (this.ends(suffix)) {
        this.r(replacement);
        return;
      }
    }
  }

  /** -ic-, -full, -ness etc. */
  private step4(): void {
    const rules = STEP4[this.ch(this.k)];
    if (!rules) return;
    for (const [suffix, replacement] of rules) {
      if (this.ends(suffix)) {
        this.r(replacement);
        return;
      }
    }
  }

  /** -ant, -ence etc. in context <c>vcvc<v>. */
  private step5(): void {
    if (this.k === 0) return;
    const suffixes = STEP5[this.ch(this.k - 1)];
    if (!suffixes) return;
    let matched = false;
    for (const suffix of suffixes) {
      if (this.ends(suffix)) {
        if (suffix === 'ion') {
          const c = this.ch(this.j);
          if (this.j >= 0 && (c === 115 || c === 116)) {
            matched = true;
            break;
          }
          continue;
        }
        matched = true;
        break;
      }
    }
    if (matched && this.m() > 1) this.k = this.j;
  }

  /** Removes a final -e if m() > 1, and changes -ll to -l if m() > 1. */
  private step6(): void {
    this.j = this.k;
    if (this.ch(this.k) === 101) {
      const a = this.m();
      if (a > 1 || (a === 1 && !this.cvc(this.k - 1))) this.k--;
    }
    if (this.ch(this.k) === 108 && this.doublec(this.k) && this.m() > 1) this.k--;
  }
}

type Rules = ReadonlyArray<readonly [string, string]>;
const code = (c: string): number => c.charCodeAt(0);

/** Step 3 rules by the penultimate letter, in Lucene's order. */
const STEP3: Record<number, Rules> = {
  [code('a')]: [['ational', 'ate'], ['tional', 'tion']],
  [code('c')]: [['enci', 'ence'], ['anci', 'ance']],
  [code('e')]: [['izer', 'ize']],
  [code('l')]: [['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous']],
  [code('o')]: [['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate']],
  [code('s')]: [['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous']],
  [code('t')]: [['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble']],
  [code('g')]: [['logi', 'log']],
};

/** Step 4 rules by the last letter. */
const STEP4: Record<number, Rules> = {
  [code('e')]: [['icate', 'ic'], ['ative', ''], ['alize', 'al']],
  [code('i')]: [['iciti', 'ic']],
  [code('l')]: [['ical', 'ic'], ['ful', '']],
  [code('s')]: [['ness', '']],
};

/** Step 5 suffixes by the penultimate letter (`ion` only after s or t). */
const STEP5: Record<number, readonly string[]> = {
  [code('a')]: ['al'],
  [code('c')]: ['ance', 'ence'],
  [code('e')]: ['er'],
  [code('i')]: ['ic'],
  [code('l')]: ['able', 'ible'],
  [code('n')]: ['ant', 'ement', 'ment', 'ent'],
  [code('o')]: ['ion', 'ou'],
  [code('s')]: ['ism'],
  [code('t')]: ['ate', 'iti'],
  [code('u')]: ['ous'],
  [code('v')]: ['ive'],
  [code('z')]: ['ize'],
};

const stemmer = new PorterStemmer();
