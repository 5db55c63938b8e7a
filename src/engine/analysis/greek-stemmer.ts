/**
 * Lucene's GreekStemmer (Ntais, "Development of a Stemmer for the Greek Language") and
 * GreekLowerCaseFilter. The stemmer works on a buffer whose removed characters stay in place
 * (several rules "add back" part of what they removed), so it is ported on a char array and a
 * length, rule for rule, keeping Lucene's operator precedence where it differs from the paper.
 */

const set = (words: string): ReadonlySet<string> => new Set(words.split(' '));

const EXC4 = set('θ δ ελ γαλ ν π ιδ παρ');
const EXC6 = set(
  'αλ αδ ενδ αμαν αμμοχαλ ηθ ανηθ αντιδ φυσ βρωμ γερ εξωδ καλπ καλλιν καταδ μουλ μπαν μπαγιατ μπολ μποσ νιτ ξικ συνομηλ πετσ πιτσ πικαντ πλιατσ ποστελν πρωτοδ σερτ συναδ τσαμ υποδ φιλον φυλοδ χασ',
);
const EXC7 = set('αναπ αποθ αποκ αποστ βουβ ξεθ ουλ πεθ πικρ ποτ σιχ χ');
const EXC8A = set('τρ τσ');
const EXC8B = set(
  'βετερ βουλκ βραχμ γ δραδουμ θ καλπουζ καστελ κορμορ λαοπλ μωαμεθ μ μουσουλμ ν ουλ π πελεκ πλ πολισ πορτολ σαρακατσ σουλτ τσαρλατ ορφ τσιγγ τσοπ φωτοστεφ χ ψυχοπλ αγ ορφ γαλ γερ δεκ διπλ αμερικαν ουρ πιθ πουριτ σ ζωντ ικ καστ κοπ λιχ λουθηρ μαιντ μελ σιγ σπ στεγ τραγ τσαγ φ ερ αδαπ αθιγγ αμηχ ανικ ανοργ απηγ απιθ ατσιγγ βασ βασκ βαθυγαλ βιομηχ βραχυκ διατ διαφ ενοργ θυσ καπνοβιομηχ καταγαλ κλιβ κοιλαρφ λιβ μεγλοβιομηχ μικροβιομηχ νταβ ξηροκλιβ ολιγοδαμ ολογαλ πενταρφ περηφ περιτρ πλατ πολυδαπ πολυμηχ στεφ ταβ τετ υπερηφ υποκοπ χαμηλοδαπ ψηλοταβ',
);
const EXC9 = set('αβαρ βεν εναρ αβρ αδ αθ αν απλ βαρον ντρ σκ κοπ μπορ νιφ παγ παρακαλ σερπ σκελ συρφ τοκ υ δ εμ θαρρ θ');
const EXC12A = set('π απ συμπ ασυμπ ακαταπ αμεταμφ');
const EXC12B = set('αλ αρ εκτελ ζ μ ξ παρακαλ αρ προ νισ');
const EXC13 = set('διαθ θ παρακαταθ προσθ συνθ');
const EXC14 = set('φαρμακ χαδ αγκ αναρρ βρομ εκλιπ λαμπιδ λεχ μ πατ ρ λ μεδ μεσαζ υποτειν αμ αιθ ανηκ δεσποζ ενδιαφερ δε δευτερευ καθαρευ πλε τσα');
const EXC15A = set(
  'αβαστ πολυφ αδηφ παμφ ρ ασπ αφ αμαλ αμαλλι ανυστ απερ ασπαρ αχαρ δερβεν δροσοπ ξεφ νεοπ νομοτ ολοπ ομοτ προστ προσωποπ συμπ συντ τ υποτ χαρ αειπ αιμοστ ανυπ αποτ αρτιπ διατ εν επιτ κροκαλοπ σιδηροπ λ ναυ ουλαμ ουρ π τρ μ',
);
const EXC15B = set('ψοφ ναυλοχ');
const EXC16 = set('ν χερσον δωδεκαν ερημον μεγαλον επταν');
const EXC17 = set('ασβ σβ αχρ χρ απλ αειμν δυσχρ ευχρ κοινοχρ παλιμψ');
const EXC18 = set('ν ρ σπι στραβομουτσ κακομουτσ εξων');
const EXC19 = set('παρασουσ φ χ ωριοπλ αζ αλλοσουσ ασουσ');

const VOWELS = new Set(['α', 'ε', 'η', 'ι', 'ο', 'υ', 'ω']);
const VOWELS_NO_Y = new Set(['α', 'ε', 'η', 'ι', 'ο', 'ω']);

class Buffer {
  readonly s: string[];
  len: number;
  constructor(term: string) {
    this.s = term.split('');
    this.len = this.s.length;
  }
  /** Whether the first `len` characters end with any of the suffixes. */
  ends(...suffixes: string[]): boolean {
    return suffixes.some((suffix) => {
      const n = suffix.length;
      if (n > this.len) return false;
      for (let i = 0; i < n; i++) if (this.s[this.len - n + i] !== suffix[i]) return false;
      return true;
    });
  }
  in(words: ReadonlySet<string>): boolean {
    return words.has(this.s.slice(0, this.len).join(''));
  }
  vowel(): boolean {
    return this.len > 0 && VOWELS.has(this.s[this.len - 1] as string);
  }
  vowelNoY(): boolean {
    return this.len > 0 && VOWELS_NO_Y.has(this.s[this.len - 1] as string);
  }
  /** Writes `chars` so that they end at the current length. */
  write(chars: string): void {
    for (let i = 0; i < chars.length; i++) this.s[this.len - chars.length + i] = chars[i] as string;
  }
}

function rule0(b: Buffer): number {
  const len = b.len;
  if (len > 9 && b.ends('καθεστωτοσ', 'καθεστωτων')) return len - 4;
  if (len > 8 && b.ends('γεγονοτοσ', 'γεγονοτων')) return len - 4;
  if (len > 8 && b.ends('καθεστωτα')) return len - 3;
  if (len > 7 && b.ends('τατογιου', 'τατογιων')) return len - 4;
  if (len > 7 && b.ends('γεγονοτα')) return len - 3;
  if (len > 7 && b.ends('καθεστωσ')) return len - 2;
  // Lucene's precedence: only the first suffix is under len > 6
  if ((len > 6 && b.ends('σκαγιου')) || b.ends('σκαγιων', 'ολογιου', 'ολογιων', 'κρεατοσ', 'κρεατων', 'περατοσ', 'περατων', 'τερατοσ', 'τερατων')) return len - 4;
  if (len > 6 && b.ends('τατογια')) return len - 3;
  if (len > 6 && b.ends('γεγονοσ')) return len - 2;
  if (len > 5 && b.ends('φαγιου', 'φαγιων', 'σογιου', 'σογιων')) return len - 4;
  if (len > 5 && b.ends('σκαγια', 'ολογια', 'κρεατα', 'περατα', 'τερατα')) return len - 3;
  if (len > 4 && b.ends('φαγια', 'σογια', 'φωτοσ', 'φωτων')) return len - 3;
  if (len > 4 && b.ends('κρεασ', 'περασ', 'τερασ')) return len - 2;
  if (len > 3 && b.ends('φωτα')) return len - 2;
  if (len > 2 && b.ends('φωσ')) return len - 1;
  return len;
}

function rule1(b: Buffer): void {
  if (b.len > 4 && b.ends('αδεσ', 'αδων')) {
    b.len -= 4;
    if (!b.ends('οκ', 'μαμ', 'μαν', 'μπαμπ', 'πατερ', 'γιαγι', 'νταντ', 'κυρ', 'θει', 'πεθερ')) b.len += 2;
  }
}

function rule2(b: Buffer): void {
  if (b.len > 4 && b.ends('εδεσ', 'εδων')) {
    b.len -= 4;
    if (b.ends('οπ', 'ιπ', 'εμπ', 'υπ', 'γηπ', 'δαπ', 'κρασπ', 'μιλ')) b.len += 2;
  }
}

function rule3(b: Buffer): void {
  if (b.len > 5 && b.ends('ουδεσ', 'ουδων')) {
    b.len -= 5;
    if (b.ends('αρκ', 'καλιακ', 'πεταλ', 'λιχ', 'πλεξ', 'σκ', 'σ', 'φλ', 'φρ', 'βελ', 'λουλ', 'χν', 'σπ', 'τραγ', 'φε')) b.len += 3;
  }
}

function rule4(b: Buffer): void {
  if (b.len > 3 && b.ends('εωσ', 'εων')) {
    b.len -= 3;
    if (b.in(EXC4)) b.len++;
  }
}

function rule5(b: Buffer): void {
  if (b.len > 2 && b.ends('ια')) {
    b.len -= 2;
    if (b.vowel()) b.len++;
  } else if (b.len > 3 && b.ends('ιου', 'ιων')) {
    b.len -= 3;
    if (b.vowel()) b.len++;
  }
}

function rule6(b: Buffer): void {
  let removed = false;
  if (b.len > 3 && b.ends('ικα', 'ικο')) {
    b.len -= 3;
    removed = true;
  } else if (b.len > 4 && b.ends('ικου', 'ικων')) {
    b.len -= 4;
    removed = true;
  }
  if (removed && (b.vowel() || b.in(EXC6))) b.len += 2;
}

function rule7(b: Buffer): void {
  if (b.len === 5 && b.ends('αγαμε')) {
    b.len -= 1;
    return;
  }
  if (b.len > 7 && b.ends('ηθηκαμε')) b.len -= 7;
  else if (b.len > 6 && b.ends('ουσαμε')) b.len -= 6;
  else if (b.len > 5 && b.ends('αγαμε', 'ησαμε', 'ηκαμε')) b.len -= 5;
  if (b.len > 3 && b.ends('αμε')) {
    b.len -= 3;
    if (b.in(EXC7)) b.len += 2;
  }
}

function rule8(b: Buffer): void {
  let removed = false;
  // Lucene's precedence: the length check covers the first suffix of each group only
  if (b.len > 8 && b.ends('ιουντανε')) {
    b.len -= 8;
    removed = true;
  } else if ((b.len > 7 && b.ends('ιοντανε')) || b.ends('ουντανε', 'ηθηκανε')) {
    b.len -= 7;
    removed = true;
  } else if ((b.len > 6 && b.ends('ιοτανε')) || b.ends('οντανε', 'ουσανε')) {
    b.len -= 6;
    removed = true;
  } else if ((b.len > 5 && b.ends('αγανε')) || b.ends('ησανε', 'οτανε', 'ηκανε')) {
    b.len -= 5;
    removed = true;
  }
  if (removed && b.in(EXC8A)) {
    b.len += 4;
    b.write('αγαν');
  }
  if (b.len > 3 && b.ends('ανε')) {
    b.len -= 3;
    if (b.vowelNoY() || b.in(EXC8B)) b.len += 2;
  }
}

function rule9(b: Buffer): void {
  if (b.len > 5 && b.ends('ησετε')) b.len -= 5;
  if (b.len > 3 && b.ends('ετε')) {
    b.len -= 3;
    if (
      b.in(EXC9) ||
      b.vowelNoY() ||
      b.ends('οδ', 'αιρ', 'φορ', 'ταθ', 'διαθ', 'σχ', 'ενδ', 'ευρ', 'τιθ', 'υπερθ', 'ραθ', 'ενθ', 'ροθ', 'σθ', 'πυρ', 'αιν', 'συνδ', 'συν', 'συνθ', 'χωρ', 'πον', 'βρ', 'καθ', 'ευθ', 'εκθ', 'νετ', 'ρον', 'αρκ', 'βαρ', 'βολ', 'ωφελ')
    ) {
      b.len += 2;
    }
  }
}

function rule10(b: Buffer): void {
  if (b.len > 5 && b.ends('οντασ', 'ωντασ')) {
    b.len -= 5;
    if (b.len === 3 && b.ends('αρχ')) {
      b.len += 3;
      b.s[b.len - 3] = 'ο';
    }
    if (b.ends('κρε')) {
      b.len += 3;
      b.s[b.len - 3] = 'ω';
    }
  }
}

function rule11(b: Buffer): void {
  if (b.len > 6 && b.ends('ομαστε')) {
    b.len -= 6;
    if (b.len === 2 && b.ends('ον')) b.len += 5;
  } else if (b.len > 7 && b.ends('ιομαστε')) {
    b.len -= 7;
    if (b.len === 2 && b.ends('ον')) {
      b.len += 5;
      b.write('ομαστ');
    }
  }
}

function rule12(b: Buffer): void {
  if (b.len > 5 && b.ends('ιεστε')) {
    b.len -= 5;
    if (b.in(EXC12A)) b.len += 4;
  }
  if (b.len > 4 && b.ends('εστε')) {
    b.len -= 4;
    if (b.in(EXC12B)) b.len += 3;
  }
}

function rule13(b: Buffer): void {
  if (b.len > 6 && b.ends('ηθηκεσ')) b.len -= 6;
  else if (b.len > 5 && b.ends('ηθηκα', 'ηθηκε')) b.len -= 5;
  let removed = false;
  if (b.len > 4 && b.ends('ηκεσ')) {
    b.len -= 4;
    removed = true;
  } else if (b.len > 3 && b.ends('ηκα', 'ηκε')) {
    b.len -= 3;
    removed = true;
  }
  if (removed && (b.in(EXC13) || b.ends('σκωλ', 'σκουλ', 'ναρθ', 'σφ', 'οθ', 'πιθ'))) b.len += 2;
}

function rule14(b: Buffer): void {
  let removed = false;
  if (b.len > 5 && b.ends('ουσεσ')) {
    b.len -= 5;
    removed = true;
  } else if (b.len > 4 && b.ends('ουσα', 'ουσε')) {
    b.len -= 4;
    removed = true;
  }
  if (removed && (b.in(EXC14) || b.vowel() || b.ends('ποδαρ', 'βλεπ', 'πανταχ', 'φρυδ', 'μαντιλ', 'μαλλ', 'κυματ', 'λαχ', 'ληγ', 'φαγ', 'ομ', 'πρωτ'))) {
    b.len += 3;
  }
}

function rule15(b: Buffer): void {
  let removed = false;
  if (b.len > 4 && b.ends('αγεσ')) {
    b.len -= 4;
    removed = true;
  } else if (b.len > 3 && b.ends('αγα', 'αγε')) {
    b.len -= 3;
    removed = true;
  }
  if (removed) {
    const cond1 = b.in(EXC15A) || b.ends('οφ', 'πελ', 'χορτ', 'λλ', 'σφ', 'ρπ', 'φρ', 'πρ', 'λοχ', 'σμην');
    const cond2 = b.in(EXC15B) || b.ends('κολλ');
    if (cond1 && !cond2) b.len += 2;
  }
}

function rule16(b: Buffer): void {
  let removed = false;
  if (b.len > 4 && b.ends('ησου')) {
    b.len -= 4;
    removed = true;
  } else if (b.len > 3 && b.ends('ησε', 'ησα')) {
    b.len -= 3;
    removed = true;
  }
  if (removed && b.in(EXC16)) b.len += 2;
}

function rule17(b: Buffer): void {
  if (b.len > 4 && b.ends('ηστε')) {
    b.len -= 4;
    if (b.in(EXC17)) b.len += 3;
  }
}

function rule18(b: Buffer): void {
  let removed = false;
  if (b.len > 6 && b.ends('ησουνε', 'ηθουνε')) {
    b.len -= 6;
    removed = true;
  } else if (b.len > 4 && b.ends('ουνε')) {
    b.len -= 4;
    removed = true;
  }
  if (removed && b.in(EXC18)) {
    b.len += 3;
    b.write('ουν');
  }
}

function rule19(b: Buffer): void {
  let removed = false;
  if (b.len > 6 && b.ends('ησουμε', 'ηθουμε')) {
    b.len -= 6;
    removed = true;
  } else if (b.len > 4 && b.ends('ουμε')) {
    b.len -= 4;
    removed = true;
  }
  if (removed && b.in(EXC19)) {
    b.len += 3;
    b.write('ουμ');
  }
}

function rule20(b: Buffer): void {
  if (b.len > 5 && b.ends('ματων', 'ματοσ')) b.len -= 3;
  else if (b.len > 4 && b.ends('ματα')) b.len -= 2;
}

const RULE21: ReadonlyArray<readonly [number, readonly string[]]> = [
  [9, ['ιοντουσαν']],
  [8, ['ιομασταν', 'ιοσασταν', 'ιουμαστε', 'οντουσαν']],
  [7, ['ιεμαστε', 'ιεσαστε', 'ιομουνα', 'ιοσαστε', 'ιοσουνα', 'ιουνται', 'ιουνταν', 'ηθηκατε', 'ομασταν', 'οσασταν', 'ουμαστε']],
  [6, ['ιομουν', 'ιονταν', 'ιοσουν', 'ηθειτε', 'ηθηκαν', 'ομουνα', 'οσαστε', 'οσουνα', 'ουνται', 'ουνταν', 'ουσατε']],
  [5, ['αγατε', 'ιεμαι', 'ιεται', 'ιεσαι', 'ιοταν', 'ιουμα', 'ηθεισ', 'ηθουν', 'ηκατε', 'ησατε', 'ησουν', 'ομουν', 'ονται', 'ονταν', 'οσουν', 'ουμαι', 'ουσαν']],
  [4, ['αγαν', 'αμαι', 'ασαι', 'αται', 'ειτε', 'εσαι', 'εται', 'ηδεσ', 'ηδων', 'ηθει', 'ηκαν', 'ησαν', 'ησει', 'ησεσ', 'ομαι', 'οταν']],
  [3, ['αει', 'εισ', 'ηθω', 'ησω', 'ουν', 'ουσ']],
  [2, ['αν', 'ασ', 'αω', 'ει', 'εσ', 'ησ', 'οι', 'οσ', 'ου', 'υσ', 'ων']],
];

/** The "long list": the first ending that fits, in Lucene's order (the number is both the length floor and the cut). */
function rule21(b: Buffer): number {
  for (const [n, suffixes] of RULE21) if (b.len > n && b.ends(...suffixes)) return b.len - n;
  if (b.len > 1 && b.vowel()) return b.len - 1;
  return b.len;
}

function rule22(b: Buffer): number {
  if (b.ends('εστερ', 'εστατ')) return b.len - 5;
  if (b.ends('οτερ', 'οτατ', 'υτερ', 'υτατ', 'ωτερ', 'ωτατ')) return b.len - 4;
  return b.len;
}

const SHORT_RULES = [rule1, rule2, rule3, rule4, rule5, rule6, rule7, rule8, rule9, rule10, rule11, rule12, rule13, rule14, rule15, rule16, rule17, rule18, rule19, rule20];

/**
 * Lucene's GreekStemmer; expects GreekLowerCaseFilter's output (lowercase, no tonos, final sigma
 * as σ).
 *
 * @example greekStem('πατερασ') // 'πατερ'
 */
export function greekStem(term: string): string {
  const b = new Buffer(term);
  if (b.len < 4) return term;
  const origLen = b.len;
  b.len = rule0(b);
  for (const rule of SHORT_RULES) rule(b);
  if (b.len === origLen) b.len = rule21(b);
  b.len = rule22(b);
  return b.s.slice(0, b.len).join('');
}

const GREEK_FOLD: Readonly<Record<string, string>> = {
  '\u03C2': '\u03C3',
  '\u0386': '\u03B1', '\u03AC': '\u03B1',
  '\u0388': '\u03B5', '\u03AD': '\u03B5',
  '\u0389': '\u03B7', '\u03AE': '\u03B7',
  '\u038A': '\u03B9', '\u03AA': '\u03B9', '\u03AF': '\u03B9', '\u03CA': '\u03B9', '\u0390': '\u03B9',
  '\u038E': '\u03C5', '\u03AB': '\u03C5', '\u03CD': '\u03C5', '\u03CB': '\u03C5', '\u03B0': '\u03C5',
  '\u038C': '\u03BF', '\u03CC': '\u03BF',
  '\u038F': '\u03C9', '\u03CE': '\u03C9',
  '\u03A2': '\u03C2',
};

/**
 * Lucene's GreekLowerCaseFilter (`lowercase` with `language: greek`): Java's per-code-point
 * lowercase, with final sigma as σ and the tonos and dialytika removed.
 */
export function greekLowercase(term: string, lower: (ch: string) => string): string {
  let out = '';
  for (const ch of term) out += Object.hasOwn(GREEK_FOLD, ch) ? GREEK_FOLD[ch] : lower(ch);
  return out;
}
