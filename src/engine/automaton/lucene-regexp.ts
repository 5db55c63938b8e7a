import { MAX_CODE_POINT, Nfa, TooComplexError, complement, complementRanges, determinize, intersect, normalizeRanges } from './automaton.js';
import type { Dfa, Fragment } from './automaton.js';

/**
 * Lucene's RegExp syntax (org.apache.lucene.util.automaton.RegExp, as Elasticsearch 8 uses it),
 * parsed by the same grammar and compiled to a DFA:
 *
 *   union  := inter ('|' union)?           inter  := concat ('&' inter)?        [INTERSECTION]
 *   concat := repeat concat?               repeat := compl ('?' | '*' | '+' | '{n}' | '{n,}' | '{n,m}')*
 *   compl  := '~' compl | class           [COMPLEMENT]
 *   class  := '[' '^'? (char ('-' char)?)+ ']' | simple
 *   simple := char | '.' | '#' [EMPTY] | '@' [ANYSTRING] | '"' string '"' | '(' ')' | '(' union ')'
 *           | '<' name '>' [AUTOMATON] | '<' n '-' m '>' [INTERVAL]
 *   char   := code point | '\' code point | '\d' '\D' '\s' '\S' '\w' '\W'
 *
 * `^` and `$` are plain characters (terms are matched whole); an operator character where an
 * operand is expected is a literal, exactly as Lucene parses it. Case-insensitive matching folds
 * ASCII letters only (ASCII_CASE_INSENSITIVE).
 */

export const INTERSECTION = 0x0001;
export const COMPLEMENT = 0x0002;
export const EMPTY = 0x0004;
export const ANYSTRING = 0x0008;
export const AUTOMATON = 0x0010;
export const INTERVAL = 0x0020;
/** Every optional operator (Elasticsearch's `ALL` is 0xffff, the same operators). */
export const ALL = 0xffff;
export const NONE = 0;

/** A pattern Lucene's parser rejects (Lucene's IllegalArgumentException message). */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
}

type Node =
  | { k: 'chars'; ranges: Array<[number, number]> }
  | { k: 'string'; cps: number[]; ci: boolean }
  | { k: 'empty' }
  | { k: 'anystring' }
  | { k: 'union'; parts: Node[] }
  | { k: 'concat'; parts: Node[] }
  | { k: 'inter'; a: Node; b: Node }
  | { k: 'complement'; a: Node }
  | { k: 'repeat'; a: Node; min: number; max: number }
  | { k: 'interval'; min: number; max: number; digits: number };

/** Nesting (groups, repeats, complements) beyond which a pattern is refused rather than recursed into. */
const MAX_NESTING = 1000;

class Parser {
  pos = 0;
  private depth = 0;

  constructor(
    private readonly s: string,
    private readonly flags: number,
    private readonly ci: boolean,
  ) {}

  parse(): Node {
    if (this.s.length === 0) return { k: 'string', cps: [], ci: false };
    const e = this.union();
    if (this.pos < this.s.length) throw new PatternSyntaxError(`end-of-string expected at position ${this.pos}`);
    return e;
  }

  private check(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  private more(): boolean {
    return this.pos < this.s.length;
  }

  private peek(chars: string): boolean {
    return this.more() && chars.includes(String.fromCodePoint(this.s.codePointAt(this.pos) as number));
  }

  private match(c: string): boolean {
    if (this.more() && this.s.codePointAt(this.pos) === c.codePointAt(0)) {
      this.pos += c.length;
      return true;
    }
    return false;
  }

  private next(): number {
    if (!this.more()) throw new PatternSyntaxError('unexpected end-of-string');
    const c = this.s.codePointAt(this.pos) as number;
    this.pos += c > 0xffff ? 2 : 1;
    return c;
  }

  private nest<T>(fn: () => T): T {
    if (++this.depth > MAX_NESTING) throw new PatternSyntaxError(`regular expression nested deeper than ${MAX_NESTING} at position ${this.pos}`);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private union(): Node {
    const parts = [this.inter()];
    while (this.match('|')) parts.push(this.inter());
    return parts.length === 1 ? (parts[0] as Node) : { k: 'union', parts };
  }

  private inter(): Node {
    const e = this.concat();
    if (this.check(INTERSECTION) && this.match('&')) return { k: 'inter', a: e, b: this.inter() };
    return e;
  }

  private concat(): Node {
    const parts = [this.repeat()];
    while (this.more() && !this.peek(')|') && (!this.check(INTERSECTION) || !this.peek('&'))) parts.push(this.repeat());
    return parts.length === 1 ? (parts[0] as Node) : { k: 'concat', parts };
  }

  private repeat(): Node {
    let e = this.complement();
    let wraps = 0;
    while (this.peek('?*+{')) {
      if (++wraps + this.depth > MAX_NESTING) throw new PatternSyntaxError(`regular expression nested deeper than ${MAX_NESTING} at position ${this.pos}`);
      if (this.match('?')) e = { k: 'repeat', a: e, min: 0, max: 1 };
      else if (this.match('*')) e = { k: 'repeat', a: e, min: 0, max: Infinity };
      else if (this.match('+')) e = { k: 'repeat', a: e, min: 1, max: Infinity };
      else if (this.match('{')) {
        const n = this.integer();
        let m = n;
        if (this.match(',')) m = this.peek('0123456789') ? this.integer() : Infinity;
        if (!this.match('}')) throw new PatternSyntaxError(`expected '}' at position ${this.pos}`);
        e = { k: 'repeat', a: e, min: n, max: m };
      }
    }
    return e;
  }

  private integer(): number {
    const start = this.pos;
    while (this.peek('0123456789')) this.next();
    if (start === this.pos) throw new PatternSyntaxError(`integer expected at position ${this.pos}`);
    const text = this.s.slice(start, this.pos);
    const n = Number(text);
    if (n > 0x7fffffff) throw new PatternSyntaxError(`For input string: "${text}"`);
    return n;
  }

  private complement(): Node {
    if (this.check(COMPLEMENT) && this.match('~')) return this.nest(() => ({ k: 'complement', a: this.complement() }) as Node);
    return this.charClassExp();
  }

  private charClassExp(): Node {
    if (!this.match('[')) return this.simple();
    const negate = this.match('^');
    let ranges = this.charClass();
    while (this.more() && !this.peek(']')) ranges = ranges.concat(this.charClass());
    if (!this.match(']')) throw new PatternSyntaxError(`expected ']' at position ${this.pos}`);
    return { k: 'chars', ranges: negate ? complementRanges(ranges) : normalizeRanges(ranges) };
  }

  private charClass(): Array<[number, number]> {
    const predefined = this.predefined();
    if (predefined) return predefined;
    const c = this.charExp();
    if (this.match('-')) {
      const to = this.charExp();
      if (c > to) throw new PatternSyntaxError(`invalid range: from (${c}) cannot be > to (${to})`);
      return [[c, to]];
    }
    return this.charRanges(c);
  }

  /** One character, with its other ASCII case under case-insensitive matching. */
  private charRanges(c: number): Array<[number, number]> {
    const alt = this.ci ? asciiOtherCase(c) : c;
    return alt === c ? [[c, c]] : [[c, c], [alt, alt]];
  }

  /** `\d \D \s \S \w \W`; `\\` a backslash; `\` before another ASCII letter is an error (as in Java). */
  private predefined(): Array<[number, number]> | undefined {
    if (!this.match('\\')) return undefined;
    if (this.peek('dDwWsS')) {
      const c = String.fromCodePoint(this.next());
      const base: Record<string, Array<[number, number]>> = {
        d: [[48, 57]],
        s: [[9, 10], [13, 13], [32, 32]],
        w: [[48, 57], [65, 90], [95, 95], [97, 122]],
      };
      const ranges = base[c.toLowerCase()] as Array<[number, number]>;
      return c === c.toLowerCase() ? ranges : complementRanges(ranges);
    }
    if (this.peek('\\')) {
      this.next();
      return [[92, 92]];
    }
    if (this.peek('abcefghijklmnopqrtuvxyzABCEFGHIJKLMNOPQRTUVXYZ')) throw new PatternSyntaxError(`invalid character class \\${String.fromCodePoint(this.next())}`);
    return undefined;
  }

  private charExp(): number {
    this.match('\\');
    return this.next();
  }

  private simple(): Node {
    if (this.match('.')) return { k: 'chars', ranges: [[0, MAX_CODE_POINT]] };
    if (this.check(EMPTY) && this.match('#')) return { k: 'empty' };
    if (this.check(ANYSTRING) && this.match('@')) return { k: 'anystring' };
    if (this.match('"')) {
      const start = this.pos;
      while (this.more() && !this.peek('"')) this.next();
      if (!this.match('"')) throw new PatternSyntaxError(`expected '"' at position ${this.pos}`);
      return { k: 'string', cps: [...this.s.slice(start, this.pos - 1)].map((ch) => ch.codePointAt(0) as number), ci: this.ci };
    }
    if (this.match('(')) {
      if (this.match(')')) return { k: 'string', cps: [], ci: false };
      const e = this.nest(() => this.union());
      if (!this.match(')')) throw new PatternSyntaxError(`expected ')' at position ${this.pos}`);
      return e;
    }
    if ((this.check(AUTOMATON) || this.check(INTERVAL)) && this.match('<')) return this.angle();
    const predefined = this.predefined();
    if (predefined) return { k: 'chars', ranges: normalizeRanges(predefined) };
    return { k: 'chars', ranges: normalizeRanges(this.charRanges(this.charExp())) };
  }

  /** `<name>` (a named automaton: none is ever registered) or `<n-m>` (a decimal interval). */
  private angle(): Node {
    const start = this.pos;
    while (this.more() && !this.peek('>')) this.next();
    if (!this.match('>')) throw new PatternSyntaxError(`expected '>' at position ${this.pos}`);
    const body = this.s.slice(start, this.pos - 1);
    const i = body.indexOf('-');
    if (i === -1) {
      if (!this.check(AUTOMATON)) throw new PatternSyntaxError(`interval syntax error at position ${this.pos - 1}`);
      throw new PatternSyntaxError(`'${body}' not found`);
    }
    if (!this.check(INTERVAL)) throw new PatternSyntaxError(`illegal identifier at position ${this.pos - 1}`);
    const lo = body.slice(0, i);
    const hi = body.slice(i + 1);
    if (i === 0 || i === body.length - 1 || hi.includes('-') || !/^\d+$/.test(lo) || !/^\d+$/.test(hi) || Number(lo) > 0x7fffffff || Number(hi) > 0x7fffffff) {
      throw new PatternSyntaxError(`interval syntax error at position ${this.pos - 1}`);
    }
    const a = Number(lo);
    const b = Number(hi);
    return { k: 'interval', min: Math.min(a, b), max: Math.max(a, b), digits: lo.length === hi.length ? lo.length : 0 };
  }
}

function asciiOtherCase(c: number): number {
  if (c >= 97 && c <= 122) return c - 32;
  if (c >= 65 && c <= 90) return c + 32;
  return c;
}

/** Options of {@link compileLuceneRegExp}. */
export interface RegExpOptions {
  /** Syntax flags (INTERSECTION | COMPLEMENT | ...), default ALL. */
  flags?: number;
  caseInsensitive?: boolean;
  /** Most DFA states (Elasticsearch's `max_determinized_states`), default 10,000. */
  maxDeterminizedStates?: number;
  /** Accept any string that starts with a match (completion suggester regexes). */
  prefix?: boolean;
}

/** Parses a Lucene regular expression and compiles it to a DFA (throws PatternSyntaxError, TooComplexError). */
export function compileLuceneRegExp(pattern: string, opts: RegExpOptions = {}): Dfa {
  const limit = opts.maxDeterminizedStates ?? 10_000;
  const ast = new Parser(pattern, opts.flags ?? ALL, opts.caseInsensitive ?? false).parse();
  const nfa = newNfa(limit);
  let frag = build(nfa, ast, limit);
  if (opts.prefix) frag = nfa.concat([frag, nfa.star(nfa.chars([[0, MAX_CODE_POINT]]))]);
  return determinize(nfa, frag.start, frag.end, limit);
}

/** NFA size allowed per pattern: a multiple of the DFA limit (Lucene refuses `x{0,1000000}` the same way). */
const newNfa = (limit: number): Nfa => new Nfa(Math.max(4 * limit, 1000), limit);

function toDfa(node: Node, limit: number): Dfa {
  const nfa = newNfa(limit);
  const f = build(nfa, node, limit);
  return determinize(nfa, f.start, f.end, limit);
}

function build(nfa: Nfa, node: Node, limit: number): Fragment {
  switch (node.k) {
    case 'chars':
      return nfa.chars(node.ranges);
    case 'string':
      return nfa.concat(node.cps.map((c) => nfa.chars(normalizeRanges(node.ci && asciiOtherCase(c) !== c ? [[c, c], [asciiOtherCase(c), asciiOtherCase(c)]] : [[c, c]]))));
    case 'empty':
      return nfa.emptyLanguage();
    case 'anystring':
      return nfa.star(nfa.chars([[0, MAX_CODE_POINT]]));
    case 'union':
      return nfa.union(node.parts.map((p) => build(nfa, p, limit)));
    case 'concat':
      return nfa.concat(node.parts.map((p) => build(nfa, p, limit)));
    case 'repeat':
      if (node.min > node.max) return nfa.emptyLanguage();
      if (node.min > limit || (node.max !== Infinity && node.max > limit)) throw new TooComplexError(limit);
      return nfa.repeat(() => build(nfa, node.a, limit), node.min, node.max);
    case 'inter':
      return nfa.embed(intersect(toDfa(node.a, limit), toDfa(node.b, limit), limit));
    case 'complement':
      return nfa.embed(complement(toDfa(node.a, limit), limit));
    case 'interval':
      return decimalInterval(nfa, node.min, node.max, node.digits);
  }
}

/**
 * Lucene's Automata.makeDecimalInterval: the decimal numbers from `min` to `max`; with `digits`
 * > 0 exactly that many digits (zero-padded), else any number of leading zeros.
 */
function decimalInterval(nfa: Nfa, min: number, max: number, digits: number): Fragment {
  const alternatives: Fragment[] = [];
  const digit = (a: number, b: number): Fragment => nfa.chars([[48 + a, 48 + b]]);
  const lo = String(min);
  const hi = String(max);
  for (let len = lo.length; len <= hi.length; len++) {
    const from = len === lo.length ? lo : `1${'0'.repeat(len - 1)}`;
    const to = len === hi.length ? hi : '9'.repeat(len);
    for (const seq of digitRanges(from, to)) {
      const pad = digits > 0 ? digits - len : -1;
      if (digits > 0 && pad < 0) continue;
      const lead = pad >= 0 ? Array.from({ length: pad }, () => digit(0, 0)) : [nfa.star(digit(0, 0))];
      alternatives.push(nfa.concat([...lead, ...seq.map(([a, b]) => digit(a, b))]));
    }
  }
  return nfa.union(alternatives);
}

/** The numbers from `lo` to `hi` (same length, no leading zero unless "0") as digit-range sequences. */
function digitRanges(lo: string, hi: string): Array<Array<[number, number]>> {
  if (lo.length === 0) return [[]];
  const a = Number(lo[0]);
  const b = Number(hi[0]);
  const restLo = lo.slice(1);
  const restHi = hi.slice(1);
  if (a === b) return digitRanges(restLo, restHi).map((s) => [[a, a] as [number, number], ...s]);
  const out: Array<Array<[number, number]>> = [];
  const nines = '9'.repeat(restLo.length);
  const zeros = '0'.repeat(restLo.length);
  let first = a;
  let last = b;
  if (restLo !== zeros) {
    for (const s of digitRanges(restLo, nines)) out.push([[a, a], ...s]);
    first = a + 1;
  }
  if (restHi !== nines) last = b - 1;
  if (first <= last) out.push([[first, last], ...Array.from({ length: restLo.length }, () => [0, 9] as [number, number])]);
  if (restHi !== nines) for (const s of digitRanges(zeros, restHi)) out.push([[b, b], ...s]);
  return out;
}
