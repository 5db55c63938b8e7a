import { RE2JS } from 're2js';

/**
 * java.util.regex.Pattern for Painless, run on re2js (a port of RE2/J, linear-time automata with
 * java.util.regex.Matcher's API and leftmost-first submatch semantics, so group spans agree with
 * Java's backtracking matcher for every construct both have). JavaScript's RegExp was the other
 * choice: it has lookaround and backreferences, but its `.`, `\s`, `$`, `\b`, case folding and
 * `[...]` syntax differ from Java's just as much, and it backtracks, so a catastrophic pattern
 * (`(a+)+b`) would freeze the engine; RE2 cannot.
 *
 * The Java pattern is translated construct by construct to an RE2 pattern with the same meaning;
 * what has no exact RE2 form (backreferences, lookaround, possessive quantifiers, atomic groups,
 * class intersection, Unicode properties, CANON_EQ, UNICODE_CHARACTER_CLASS...) is refused by
 * name. Where Java and RE2 differ only on some inputs (line terminators other than `\n` around
 * `^`/`$`, `\b` and ASCII-only case folding on non-ASCII text), the pattern records an input
 * condition and a match on an input breaking it is refused instead of answered differently.
 */

/** java.util.regex.Pattern's flag bits. */
export const JAVA_FLAGS = { UNIX_LINES: 1, CASE_INSENSITIVE: 2, COMMENTS: 4, MULTILINE: 8, LITERAL: 16, DOTALL: 32, UNICODE_CASE: 64, CANON_EQ: 128, UNICODE_CHARACTER_CLASS: 256 } as const;

/** Painless's regex literal flag letters (`/p/iu`) and the Pattern flags they set (Walker#flags). */
export const PAINLESS_REGEX_FLAGS: Record<string, number> = { c: 128, i: 2, l: 16, m: 8, s: 32, U: 256, u: 64, x: 4 };

/** Raised for a Java construct with no exact translation; `what` names it. */
export class RegexNotSupported extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

/** Java's PatternSyntaxException: the pattern is invalid in Java too. */
export class JavaPatternSyntax extends Error {}

type InputCondition = 'noTrailingTerminator' | 'onlyNewlineTerminators' | 'asciiOnly';

export interface JavaPattern {
  /** The pattern as written (Pattern.pattern()). */
  source: string;
  /** Pattern.flags(). */
  flags: number;
  re: RE2JS;
  /** Inputs on which the translation would not be exact, with the construct to name when refusing. */
  conditions: Map<InputCondition, string>;
}

const LINE_TERMINATORS = /[\n\r\u0085\u2028\u2029]/;
const OTHER_TERMINATORS = /[\r\u0085\u2028\u2029]/;

/** Java's POSIX character classes (US-ASCII only without UNICODE_CHARACTER_CLASS), as class contents. */
const PUNCT = '!-\\/:-@\\[-`{-~';
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: PUNCT,
  Graph: `a-zA-Z0-9${PUNCT}`,
  Print: `a-zA-Z0-9${PUNCT}\\x20`,
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
const SPACE = '\\t\\n\\x0B\\f\\r ';
const HSPACE = ' \\t\\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}';
const VSPACE = '\\n\\x0B\\f\\r\\x{85}\\x{2028}\\x{2029}';

const hex = (cp: number): string => `\\x{${cp.toString(16)}}`;
/** A code point as an RE2 literal (letters and digits as they are, anything else by its code). */
const literal = (cp: number): string => (/[A-Za-z0-9]/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : hex(cp));

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  d: boolean;
}

/** Compiles a Java pattern with Pattern flags, or throws RegexNotSupported / JavaPatternSyntax. */
export function compileJavaPattern(source: string, flags: number): JavaPattern {
  if (flags & JAVA_FLAGS.CANON_EQ) throw new RegexNotSupported('the CANON_EQ flag (c)');
  if (flags & JAVA_FLAGS.UNICODE_CHARACTER_CLASS) throw new RegexNotSupported('the UNICODE_CHARACTER_CLASS flag (U)');
  const conditions = new Map<InputCondition, string>();
  const f: Flags = { i: (flags & JAVA_FLAGS.CASE_INSENSITIVE) !== 0, m: (flags & JAVA_FLAGS.MULTILINE) !== 0, s: (flags & JAVA_FLAGS.DOTALL) !== 0, x: (flags & JAVA_FLAGS.COMMENTS) !== 0, d: (flags & JAVA_FLAGS.UNIX_LINES) !== 0 };
  const globalI = f.i;
  let re2: string;
  if (flags & JAVA_FLAGS.LITERAL) {
    re2 = Array.from(source, (c) => literal(c.codePointAt(0) as number)).join('');
    if (f.i) conditions.set('asciiOnly', 'case-insensitive matching (ASCII-only in Java) of non-ASCII text');
  } else re2 = new Translator(source, { ...f }, conditions).translate();
  if (globalI) re2 = `(?i)${re2}`;
  let re: RE2JS;
  try {
    re = RE2JS.compile(re2);
  } catch (e) {
    // what re2js rejects after translation (a repetition over 1000, ...) has no exact form here
    throw new RegexNotSupported(`the pattern [${source}] (${(e as Error).message})`);
  }
  return { source, flags, re, conditions };
}

const nonAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
};

/** The construct to name when `input` is one the translation of `p` would not answer as Java does. */
export function inexactOn(p: JavaPattern, input: string): string | undefined {
  for (const [cond, what] of p.conditions) {
    if (cond === 'asciiOnly' && nonAscii(input)) return what;
    if (cond === 'onlyNewlineTerminators' && OTHER_TERMINATORS.test(input)) return what;
    if (cond === 'noTrailingTerminator' && input.length > 0 && LINE_TERMINATORS.test(input[input.length - 1] as string)) return what;
  }
  return undefined;
}

class Translator {
  private i = 0;
  private readonly stack: Flags[] = [];
  /** Whether the atom just read can match the empty string. */
  private nullable = false;
  /** Whether the sequence just read can match the empty string. */
  private seqNullable = true;

  constructor(
    private readonly src: string,
    private f: Flags,
    private readonly conditions: Map<InputCondition, string>,
  ) {
    if (f.i) this.caseInsensitive();
  }

  translate(): string {
    const out = this.sequence();
    if (this.i < this.src.length) throw new JavaPatternSyntax(`Unmatched closing ')'`);
    return out;
  }

  private caseInsensitive(): void {
    this.conditions.set('asciiOnly', 'case-insensitive matching (ASCII-only in Java without UNICODE_CASE, Unicode case folding with it) of non-ASCII text');
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  /** COMMENTS mode: whitespace and `#...` to the end of the line are not part of the pattern. */
  private skipComments(): void {
    if (!this.f.x) return;
    for (;;) {
      const c = this.src[this.i];
      if (c !== undefined && ' \t\n\v\f\r'.includes(c)) this.i++;
      else if (c === '#') {
        while (this.i < this.src.length && !LINE_TERMINATORS.test(this.src[this.i] as string)) this.i++;
      } else return;
    }
  }

  /** Alternatives up to a `)` or the end. */
  private sequence(): string {
    let out = '';
    let anyAlt = false;
    let thisAlt = true;
    for (;;) {
      this.skipComments();
      const c = this.peek();
      if (c === undefined || c === ')') {
        this.seqNullable = anyAlt || thisAlt;
        return out;
      }
      if (c === '|') {
        this.i++;
        out += '|';
        anyAlt ||= thisAlt;
        thisAlt = true;
        continue;
      }
      this.nullable = false;
      const atom = this.atom();
      if (atom === undefined) continue;
      out += atom + this.quantifier();
      thisAlt &&= this.nullable;
    }
  }

  private quantifier(): string {
    this.skipComments();
    const c = this.peek();
    let q: string;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      q = c;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) throw new JavaPatternSyntax(`Illegal repetition`);
      this.i += m[0].length;
      q = m[0];
    } else return '';
    const bounds = /^\{(\d+)(,(\d*))?\}$/.exec(q);
    const min = bounds ? Number(bounds[1]) : q === '+' ? 1 : 0;
    const repeats = bounds ? bounds[2] !== undefined && (bounds[3] === '' || Number(bounds[3]) > 1) : q !== '?';
    // Java's backtracker and RE2 capture differently when a repeated body matches the empty string
    if (repeats && this.nullable) throw new RegexNotSupported('a repeated group or anchor that can match the empty string');
    if (min === 0) this.nullable = true;
    let next = this.peek();
    if (next === '?') {
      this.i++;
      q = `${q}?`;
    } else if (next === '+') throw new RegexNotSupported('possessive quantifiers');
    this.skipComments();
    next = this.peek();
    if (next !== undefined && '*+?{'.includes(next)) throw new RegexNotSupported('stacked quantifiers');
    return q;
  }

  /** One atom, or undefined for an inline flag group that only changes flags. */
  private atom(): string | undefined {
    const c = this.src.codePointAt(this.i) as number;
    const ch = String.fromCodePoint(c);
    switch (ch) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '\\':
        return this.escape();
      case '.':
        this.i++;
        if (this.f.s) return '(?s:.)';
        return this.f.d ? '[^\\n]' : '[^\\n\\r\\x{85}\\x{2028}\\x{2029}]';
      case '^':
        this.i++;
        this.nullable = true;
        if (!this.f.m) return '\\A';
        this.lineAnchor('^ in MULTILINE mode');
        this.conditions.set('noTrailingTerminator', '^ in MULTILINE mode on text ending with a line terminator');
        return '(?m:^)';
      case '$':
        this.i++;
        this.nullable = true;
        if (this.f.m) {
          this.lineAnchor('$ in MULTILINE mode');
          return '(?m:$)';
        }
        this.conditions.set('noTrailingTerminator', '$ on text ending with a line terminator');
        return '\\z';
      case '*':
      case '+':
      case '?':
      case '{':
        // Java's COMMENTS mode parses whitespace before a quantifier in ways not followed here
        if (this.f.x) throw new RegexNotSupported('a quantifier with nothing before it in COMMENTS mode');
        throw new JavaPatternSyntax(ch === '{' ? 'Illegal repetition' : `Dangling meta character '${ch}'`);
      default:
        this.i += ch.length;
        return literal(c);
    }
  }

  /** `^`/`$` in MULTILINE mode: RE2 knows only `\n` as a line end (Java's UNIX_LINES). */
  private lineAnchor(what: string): void {
    if (!this.f.d) this.conditions.set('onlyNewlineTerminators', `${what} on text with line terminators other than \\n`);
  }

  private group(): string | undefined {
    const rest = this.src.slice(this.i);
    if (this.f.x && /^\(\s|^\(\?\s|^\(#/.test(rest)) throw new RegexNotSupported('whitespace inside a group opening in COMMENTS mode');
    let open: string;
    if (!rest.startsWith('(?')) {
      this.i++;
      open = '(';
    } else if (rest.startsWith('(?:')) {
      this.i += 3;
      open = '(?:';
    } else if (/^\(\?(=|!|<=|<!)/.test(rest)) throw new RegexNotSupported('lookaround groups');
    else if (rest.startsWith('(?>')) throw new RegexNotSupported('atomic groups');
    else if (rest.startsWith('(?<')) {
      const m = /^\(\?<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
      if (!m) throw new JavaPatternSyntax(`named capturing group is missing trailing '>'`);
      this.i += m[0].length;
      open = `(?P<${m[1] as string}>`;
    } else {
      const m = /^\(\?([idmsuxU]*)(?:-([idmsuxU]*))?([:)])/.exec(rest);
      if (!m) throw new JavaPatternSyntax(`Unknown inline modifier`);
      this.i += m[0].length;
      const saved = { ...this.f };
      const flagsOut = this.inlineFlags(m[1] ?? '', m[2] ?? '');
      // `(?i)` lasts to the end of the enclosing group, as in RE2; it matches the empty string
      if (m[3] === ')') {
        this.nullable = true;
        return flagsOut;
      }
      this.stack.push(saved);
      const body = this.sequence();
      this.close();
      this.f = this.stack.pop() as Flags;
      this.nullable = this.seqNullable;
      return `(?:${flagsOut}${body})`;
    }
    this.stack.push({ ...this.f });
    const body = this.sequence();
    this.close();
    this.f = this.stack.pop() as Flags;
    this.nullable = this.seqNullable;
    return `${open}${body})`;
  }

  private close(): void {
    if (this.peek() !== ')') throw new JavaPatternSyntax(`Unclosed group`);
    this.i++;
  }

  /** Applies inline flags; the RE2 text needed (only `i` is passed on; the others shape the translation). */
  private inlineFlags(on: string, off: string): string {
    if (on.includes('U') || off.includes('U')) throw new RegexNotSupported('the UNICODE_CHARACTER_CLASS flag (U)');
    for (const [letters, v] of [
      [on, true],
      [off, false],
    ] as const) {
      for (const l of letters) {
        if (l === 'i') this.f.i = v;
        if (l === 'm') this.f.m = v;
        if (l === 's') this.f.s = v;
        if (l === 'x') this.f.x = v;
        if (l === 'd') this.f.d = v;
      }
    }
    if (this.f.i) this.caseInsensitive();
    if (on.includes('i')) return '(?i)';
    if (off.includes('i')) return '(?-i)';
    return '';
  }

  /** An escape outside a class. */
  private escape(): string {
    const at = this.i;
    const c = this.src[this.i + 1];
    if (c === undefined) throw new JavaPatternSyntax(`Unexpected internal error`);
    this.i += 2;
    switch (c) {
      case 'd':
        return '[0-9]';
      case 'D':
        return '[^0-9]';
      case 'w':
        return '[a-zA-Z_0-9]';
      case 'W':
        return '[^a-zA-Z_0-9]';
      case 's':
        return `[${SPACE}]`;
      case 'S':
        return `[^${SPACE}]`;
      case 'h':
        return `[${HSPACE}]`;
      case 'H':
        return `[^${HSPACE}]`;
      case 'v':
        return `[${VSPACE}]`;
      case 'V':
        return `[^${VSPACE}]`;
      case 'b':
      case 'B':
        this.nullable = true;
        // Java's \b counts every letter and digit as a word character, RE2's only ASCII ones
        this.conditions.set('asciiOnly', `\\${c} on non-ASCII text`);
        return `\\${c}`;
      case 'A':
        this.nullable = true;
        return '\\A';
      case 'z':
        this.nullable = true;
        return '\\z';
      case 'Z':
        this.nullable = true;
        this.conditions.set('noTrailingTerminator', '\\Z on text ending with a line terminator');
        return '\\z';
      case 'Q': {
        const end = this.src.indexOf('\\E', this.i);
        const text = end === -1 ? this.src.slice(this.i) : this.src.slice(this.i, end);
        this.i = end === -1 ? this.src.length : end + 2;
        // a quantifier after \Q...\E applies to its last character, as after plain literals
        if (text.length === 0) throw new RegexNotSupported('an empty \\Q\\E');
        return Array.from(text, (t) => literal(t.codePointAt(0) as number)).join('');
      }
      case 'p':
      case 'P':
        return `[${this.property(c === 'P')}]`;
      case 'k':
        throw new RegexNotSupported('backreferences');
      case 'G':
        throw new RegexNotSupported('\\G (the end of the previous match)');
      case 'R':
      case 'X':
      case 'N':
        throw new RegexNotSupported(`\\${c}`);
      default:
        if (/[1-9]/.test(c)) throw new RegexNotSupported('backreferences');
        this.i = at;
        return literal(this.charEscape());
    }
  }

  /** `\p{Name}` / `\P{Name}`: a class body (negated with `^`); Java's POSIX classes only. */
  private property(negated: boolean): string {
    let name: string;
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.i);
      if (end === -1) throw new JavaPatternSyntax(`Unclosed character family`);
      name = this.src.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = this.peek() ?? '';
      this.i++;
    }
    const body = POSIX[name.startsWith('Is') && POSIX[name.slice(2)] ? name.slice(2) : name];
    if (body === undefined) throw new RegexNotSupported(`the character property \\p{${name}} (only the POSIX classes \\p{Lower}, \\p{Alpha}, \\p{Punct}... are built)`);
    if (this.f.i && ['Lower', 'Upper'].includes(name)) throw new RegexNotSupported(`\\p{${name}} with CASE_INSENSITIVE`);
    return negated ? `^${body}` : body;
  }

  /** A single-character escape at `\`: the code point it stands for. */
  private charEscape(): number {
    const rest = this.src.slice(this.i);
    const simple: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, a: 7, e: 27 };
    const c = rest[1] as string;
    if (simple[c] !== undefined) {
      this.i += 2;
      return simple[c];
    }
    let m: RegExpExecArray | null;
    if ((m = /^\\0([0-3][0-7]{2}|[0-7]{1,2})/.exec(rest))) {
      this.i += m[0].length;
      return parseInt(m[1] as string, 8);
    }
    if ((m = /^\\x([0-9a-fA-F]{2})/.exec(rest)) || (m = /^\\x\{([0-9a-fA-F]+)\}/.exec(rest)) || (m = /^\\u([0-9a-fA-F]{4})/.exec(rest))) {
      const cp = parseInt(m[1] as string, 16);
      if (cp > 0x10ffff) throw new JavaPatternSyntax(`Hexadecimal codepoint is too big`);
      if (cp >= 0xd800 && cp <= 0xdfff) throw new RegexNotSupported('surrogate escapes');
      this.i += m[0].length;
      return cp;
    }
    if ((m = /^\\c([\s\S])/.exec(rest))) {
      this.i += 3;
      return (m[1] as string).charCodeAt(0) ^ 64;
    }
    if (/[A-Za-z0-9]/.test(c)) throw new JavaPatternSyntax(`Illegal/unsupported escape sequence`);
    const cp = rest.codePointAt(1) as number;
    this.i += 1 + String.fromCodePoint(cp).length;
    return cp;
  }

  /** `[...]`: unions of ranges and escapes; nested classes and `&&` intersections are refused. */
  private charClass(): string {
    this.i++;
    let out = '[';
    if (this.peek() === '^') {
      this.i++;
      out += '^';
    }
    if (this.peek() === ']') throw new RegexNotSupported('a [ ] class starting with ]');
    let first = true;
    for (;;) {
      if (this.f.x && /[\s#]/.test(this.peek() ?? '')) throw new RegexNotSupported('whitespace or comments inside a character class in COMMENTS mode');
      const c = this.peek();
      if (c === undefined) throw new JavaPatternSyntax(`Unclosed character class`);
      if (c === ']') {
        if (first) throw new RegexNotSupported('an empty character class');
        this.i++;
        return `${out}]`;
      }
      first = false;
      if (c === '[') throw new RegexNotSupported('nested character classes');
      if (this.src.startsWith('&&', this.i)) throw new RegexNotSupported('character class intersection (&&)');
      if (c === '\\') {
        const e = this.src[this.i + 1];
        const sets: Record<string, string> = { d: '0-9', w: 'a-zA-Z_0-9', s: SPACE, h: HSPACE, v: VSPACE };
        if (e !== undefined && sets[e] !== undefined) {
          this.i += 2;
          out += sets[e];
          continue;
        }
        if (e === 'p') {
          this.i += 2;
          const body = this.property(false);
          out += body;
          continue;
        }
        if (e !== undefined && /[DWSHVPQEbBAzZGkRX1-9]/.test(e)) throw new RegexNotSupported(`\\${e} inside a character class`);
      }
      const lo = this.classChar();
      this.skipComments();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        this.skipComments();
        if (this.peek() === '[' || (this.peek() === '\\' && /[dwshvpDWSHVP]/.test(this.src[this.i + 1] ?? ''))) throw new JavaPatternSyntax(`Illegal character range`);
        const hi = this.classChar();
        if (hi < lo) throw new JavaPatternSyntax(`Illegal character range`);
        out += `${hex(lo)}-${hex(hi)}`;
      } else out += hex(lo);
    }
  }

  private classChar(): number {
    if (this.peek() === '\\') return this.charEscape();
    const cp = this.src.codePointAt(this.i) as number;
    this.i += String.fromCodePoint(cp).length;
    return cp;
  }
}
