import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import type { TokenFilter } from './analysis-types.js';
import { KEYWORD_TOKENS } from './english-stemmers.js';

/**
 * `word_delimiter_graph` and `word_delimiter`: Lucene's WordDelimiterGraphFilter and the older
 * WordDelimiterFilter, with WordDelimiterIterator's rules for splitting a term into subwords
 * ("Wi-Fi" -> Wi, Fi; "PowerShot" -> Power, Shot; "SD500" -> SD, 500; "O'Neil's" -> O, Neil) and
 * the catenations and original they may add. Terms are UTF-16 code units, as Java's char[].
 */

const LOWER = 0x01;
const UPPER = 0x02;
const DIGIT = 0x04;
const SUBWORD_DELIM = 0x08;
const ALPHA = LOWER | UPPER;
const ALPHANUM = ALPHA | DIGIT;

export const WD_FLAGS = {
  generateWordParts: 1,
  generateNumberParts: 2,
  catenateWords: 4,
  catenateNumbers: 8,
  catenateAll: 16,
  preserveOriginal: 32,
  splitOnCaseChange: 64,
  splitOnNumerics: 128,
  stemEnglishPossessive: 256,
  ignoreKeywords: 512,
} as const;

const isAlpha = (type: number) => (type & ALPHA) !== 0;
const isDigit = (type: number) => (type & DIGIT) !== 0;
const isSubwordDelim = (type: number) => (type & SUBWORD_DELIM) !== 0;
const isUpper = (type: number) => (type & UPPER) !== 0;

const CATEGORY_TYPES: ReadonlyArray<[RegExp, number]> = [
  [/^\p{Lu}$/u, UPPER],
  [/^\p{Ll}$/u, LOWER],
  [/^[\p{Lt}\p{Lm}\p{Lo}\p{Mn}\p{Me}\p{Mc}]$/u, ALPHA],
  [/^[\p{Nd}\p{Nl}\p{No}]$/u, DIGIT],
];

/** WordDelimiterIterator.getType: the subword type of one UTF-16 code unit by its general category. */
function categoryType(ch: number): number {
  if (ch >= 0xd800 && ch <= 0xdfff) return ALPHA | DIGIT; // Character.SURROGATE: never split a pair
  const s = String.fromCharCode(ch);
  for (const [re, type] of CATEGORY_TYPES) if (re.test(s)) return type;
  return SUBWORD_DELIM;
}

/** DEFAULT_WORD_DELIM_TABLE for Latin-1 (Character.isLowerCase/isUpperCase/isDigit), categories above. */
function defaultType(ch: number): number {
  if (ch >= 256) return categoryType(ch);
  const s = String.fromCharCode(ch);
  if (/\p{Lowercase}/u.test(s)) return LOWER;
  if (/\p{Uppercase}/u.test(s)) return UPPER;
  if (ch >= 0x30 && ch <= 0x39) return DIGIT;
  return SUBWORD_DELIM;
}

/** A character-type table: a lookup with a lazily filled cache over the 16-bit range. */
export class CharTypeTable {
  private readonly cache = new Uint8Array(0x10000);

  constructor(
    private readonly compute: (ch: number) => number,
    private readonly overrides?: ReadonlyMap<number, number>,
  ) {}

  typeOf(ch: number): number {
    let t = this.cache[ch] as number;
    if (t === 0) {
      t = this.overrides?.get(ch) ?? this.compute(ch);
      this.cache[ch] = t;
    }
    return t;
  }
}

const DEFAULT_TABLE = new CharTypeTable(defaultType);

const TYPE_NAMES: Record<string, number> = { LOWER, UPPER, ALPHA, DIGIT, ALPHANUM, SUBWORD_DELIM };

/** Reads a MappingCharFilter-style escape (`\u002C`, `\t`...), as Elasticsearch's parseString. */
function parseEscapes(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    let c = s[i++] as string;
    if (c === '\\') {
      if (i >= s.length) throw illegalArgument(`Invalid escaped char in [${s}]`);
      c = s[i++] as string;
      const simple: Record<string, string> = { '\\': '\\', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
      if (c === 'u') {
        if (i + 3 >= s.length) throw illegalArgument(`Invalid escaped char in [${s}]`);
        const hex = s.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw illegalArgument(`For input string: "${hex}"`);
        c = String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else if (simple[c] !== undefined) {
        c = simple[c] as string;
      }
    }
    out += c;
  }
  return out;
}

/**
 * `type_table` rules (`$ => DIGIT`, `\u200D => ALPHANUM`), as WordDelimiterTokenFilterFactory
 * parses them: a custom table starts from the general-category types for every character.
 */
export function parseTypeTable(rules: readonly string[]): CharTypeTable {
  const overrides = new Map<number, number>();
  for (const rule of rules) {
    const m = /(.*)\s*=>\s*(.*)\s*$/.exec(rule);
    if (!m) throw illegalArgument(`Invalid Mapping Rule : [${rule}]`);
    const lhs = parseEscapes((m[1] as string).trim());
    const name = (m[2] as string).trim();
    const rhs = Object.hasOwn(TYPE_NAMES, name) ? TYPE_NAMES[name] : undefined;
    if (lhs.length !== 1) throw illegalArgument(`Invalid Mapping Rule : [${rule}]. Only a single character is allowed.`);
    if (rhs === undefined) throw illegalArgument(`Invalid Mapping Rule : [${rule}]. Illegal type.`);
    overrides.set(lhs.charCodeAt(0), rhs);
  }
  return new CharTypeTable(categoryType, overrides);
}

/** WordDelimiterIterator: walks the subwords of one term. */
class SubwordIterator {
  text = '';
  private length = 0;
  startBounds = 0;
  endBounds = 0;
  current = 0;
  end = 0;
  private hasFinalPossessive = false;
  private skipPossessive = false;

  constructor(
    private readonly table: CharTypeTable,
    private readonly splitOnCaseChange: boolean,
    private readonly splitOnNumerics: boolean,
    private readonly stemEnglishPossessive: boolean,
  ) {}

  private charType(i: number): number {
    return this.table.typeOf(this.text.charCodeAt(i));
  }

  setText(text: string): void {
    this.text = text;
    this.length = this.endBounds = text.length;
    this.current = this.startBounds = this.end = 0;
    this.skipPossessive = this.hasFinalPossessive = false;
    while (this.startBounds < this.length && isSubwordDelim(this.charType(this.startBounds))) this.startBounds++;
    while (this.endBounds > this.startBounds && isSubwordDelim(this.charType(this.endBounds - 1))) this.endBounds--;
    if (this.endsWithPossessive(this.endBounds)) this.hasFinalPossessive = true;
    this.current = this.startBounds;
  }

  /** The next subword's end, or -1 (DONE). */
  next(): number {
    this.current = this.end;
    if (this.current === -1) return -1;
    if (this.skipPossessive) {
      this.current += 2;
      this.skipPossessive = false;
    }
    let lastType = 0;
    while (this.current < this.endBounds && isSubwordDelim((lastType = this.charType(this.current)))) this.current++;
    if (this.current >= this.endBounds) return (this.end = -1);
    for (this.end = this.current + 1; this.end < this.endBounds; this.end++) {
      const type = this.charType(this.end);
      if (this.isBreak(lastType, type)) break;
      lastType = type;
    }
    if (this.end < this.endBounds - 1 && this.endsWithPossessive(this.end + 2)) this.skipPossessive = true;
    return this.end;
  }

  /** The current subword's type, by its first character (upper and lower both ALPHA). */
  type(): number {
    if (this.end === -1) return 0;
    const type = this.charType(this.current);
    return type === LOWER || type === UPPER ? ALPHA : type;
  }

  isSingleWord(): boolean {
    return this.current === this.startBounds && this.end === (this.hasFinalPossessive ? this.endBounds - 2 : this.endBounds);
  }

  private isBreak(lastType: number, type: number): boolean {
    if ((type & lastType) !== 0) return false;
    if (!this.splitOnCaseChange && isAlpha(lastType) && isAlpha(type)) return false;
    if (isUpper(lastType) && isAlpha(type)) return false;
    if (!this.splitOnNumerics && ((isAlpha(lastType) && isDigit(type)) || (isDigit(lastType) && isAlpha(type)))) return false;
    return true;
  }

  private endsWithPossessive(pos: number): boolean {
    const t = this.text;
    return (
      this.stemEnglishPossessive &&
      pos > 2 &&
      t[pos - 2] === "'" &&
      (t[pos - 1] === 's' || t[pos - 1] === 'S') &&
      isAlpha(this.charType(pos - 3)) &&
      (pos === this.endBounds || isSubwordDelim(this.charType(pos)))
    );
  }
}

export interface WordDelimiterOptions {
  flags: number;
  table?: CharTypeTable;
  protectedWords?: ReadonlySet<string>;
  /** word_delimiter_graph's adjust_offsets. */
  adjustOffsets?: boolean;
}

/** A run of subwords being catenated (WordDelimiterConcatenation). */
class Concatenation {
  text = '';
  startPart = 0;
  endPart = 0;
  startPos = 0;
  type = 0;
  subwordCount = 0;

  append(s: string): void {
    this.text += s;
    this.subwordCount++;
  }

  isEmpty(): boolean {
    return this.text.length === 0;
  }

  clear(): void {
    this.text = '';
    this.startPart = this.endPart = this.type = this.subwordCount = 0;
  }
}

/** Emits tokens by position increment onto an output list, keeping the input's keyword marks. */
class TokenSink {
  readonly out: Token[] = [];
  private position = -1;

  emit(from: Token, term: string, posInc: number, start: number, end: number, posLen: number): void {
    this.position += posInc;
    const t: Token = { term, position: this.position, startOffset: start, endOffset: end, type: from.type };
    if (posLen !== 1) t.positionLength = posLen;
    if (KEYWORD_TOKENS.has(from)) KEYWORD_TOKENS.add(t);
    this.out.push(t);
  }

  /** Passes an input token through with a new increment. */
  pass(t: Token, posInc: number): void {
    this.position += posInc;
    t.position = this.position;
    this.out.push(t);
  }
}

/** The position increments of a token list, as Lucene's PositionIncrementAttribute. */
function increments(tokens: readonly Token[]): number[] {
  let last = -1;
  return tokens.map((t) => {
    const inc = t.position - last;
    last = t.position;
    return inc;
  });
}

abstract class WordDelimiterBase implements TokenFilter {
  protected readonly flags: number;
  protected readonly table: CharTypeTable;
  protected readonly protectedWords: ReadonlySet<string> | undefined;

  constructor(options: WordDelimiterOptions) {
    this.flags = options.flags;
    this.table = options.table ?? DEFAULT_TABLE;
    this.protectedWords = options.protectedWords;
  }

  protected has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  protected iterator(): SubwordIterator {
    return new SubwordIterator(this.table, this.has(WD_FLAGS.splitOnCaseChange), this.has(WD_FLAGS.splitOnNumerics), this.has(WD_FLAGS.stemEnglishPossessive));
  }

  protected shouldConcatenate(type: number): boolean {
    return (this.has(WD_FLAGS.catenateWords) && isAlpha(type)) || (this.has(WD_FLAGS.catenateNumbers) && isDigit(type));
  }

  /**
   * The loop both filters share: keyword tokens (with ignore_keywords) pass as they are; a term of
   * one subword, or a protected word, passes with the increments held back before it; any other
   * term goes to `split`, which gets the increments held back so far and returns what it holds back.
   */
  protected walk(
    tokens: Token[],
    split: (token: Token, inc: number, it: SubwordIterator, sink: TokenSink, accumPosInc: number) => number,
    passed?: () => void,
  ): Token[] {
    const sink = new TokenSink();
    const incs = increments(tokens);
    const it = this.iterator();
    let accumPosInc = 0;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as Token;
      const inc = incs[i] as number;
      if (this.has(WD_FLAGS.ignoreKeywords) && KEYWORD_TOKENS.has(token)) {
        sink.pass(token, inc);
        continue;
      }
      const term = token.term;
      accumPosInc += inc;
      it.setText(term);
      it.next();
      if ((it.current === 0 && it.end === term.length) || this.protectedWords?.has(term)) {
        sink.pass(token, accumPosInc);
        accumPosInc = 0;
        passed?.();
        continue;
      }
      accumPosInc = split(token, inc, it, sink, accumPosInc);
    }
    return sink.out;
  }

  protected shouldGenerateParts(type: number): boolean {
    return (this.has(WD_FLAGS.generateWordParts) && isAlpha(type)) || (this.has(WD_FLAGS.generateNumberParts) && isDigit(type));
  }

  abstract filter(tokens: Token[]): Token[];
}

/** One buffered output of the graph filter: graph positions and the slice (or text) of the term. */
interface GraphPart {
  text: string | undefined;
  startPos: number;
  endPos: number;
  startPart: number;
  endPart: number;
}

/** Lucene's WordDelimiterGraphFilter: subwords as a correct token graph (position lengths). */
export class WordDelimiterGraphFilter extends WordDelimiterBase {
  private readonly adjustOffsets: boolean;

  constructor(options: WordDelimiterOptions) {
    super(options);
    this.adjustOffsets = options.adjustOffsets ?? false;
  }

  filter(tokens: Token[]): Token[] {
    let lastStartOffset = 0;
    return this.walk(tokens, (token, inc, it, sink, held) => {
      let accumPosInc = held;
      if (it.end === -1) {
        // only delimiters: dropped (its increment held back for the next token), or kept as it is
        if (!this.has(WD_FLAGS.preserveOriginal)) return accumPosInc;
        sink.pass(token, inc);
        return 0;
      }
      const term = token.term;
      const parts = this.bufferParts(it, term);
      const adjusting = this.adjustOffsets && token.endOffset - token.startOffset === term.length;
      let wordPos = 0;
      for (const p of parts) {
        let start = adjusting ? token.startOffset + p.startPart : token.startOffset;
        let end = adjusting ? token.startOffset + p.endPart : token.endOffset;
        start = Math.max(start, lastStartOffset);
        end = Math.max(end, lastStartOffset);
        lastStartOffset = start;
        sink.emit(token, p.text ?? term.slice(p.startPart, p.endPart), accumPosInc + p.startPos - wordPos, start, end, p.endPos - p.startPos);
        accumPosInc = 0;
        wordPos = p.startPos;
      }
      return accumPosInc;
    });
  }

  /** bufferWordParts: every part and catenation of one term, sorted as Lucene emits them. */
  private bufferParts(it: SubwordIterator, term: string): GraphPart[] {
    const parts: GraphPart[] = [];
    const buffer = (text: string | undefined, startPos: number, endPos: number, startPart: number, endPart: number) =>
      parts.push({ text, startPos, endPos, startPart, endPart });
    const concat = new Concatenation();
    const concatAll = new Concatenation();
    let wordPos = 0;
    let lastConcatCount = 0;
    const concatenate = (c: Concatenation) => {
      if (c.isEmpty()) {
        c.type = it.type();
        c.startPart = it.current;
        c.startPos = wordPos;
      }
      c.append(term.slice(it.current, it.end));
      c.endPart = it.end;
    };
    const write = (c: Concatenation) => buffer(c.text, c.startPos, wordPos, c.startPart, c.endPart);
    const flush = (c: Concatenation) => {
      if (wordPos === c.startPos) wordPos++;
      lastConcatCount = c.subwordCount;
      if (c.subwordCount !== 1 || !this.shouldGenerateParts(c.type)) write(c);
      c.clear();
    };
    const preserve = this.has(WD_FLAGS.preserveOriginal);
    if (preserve) buffer(undefined, 0, 1, 0, term.length);
    if (it.isSingleWord()) {
      buffer(undefined, wordPos, wordPos + 1, it.current, it.end);
      wordPos++;
      it.next();
    } else {
      while (it.end !== -1) {
        const wordType = it.type();
        if (!concat.isEmpty() && (concat.type & wordType) === 0) flush(concat);
        if (this.shouldConcatenate(wordType)) concatenate(concat);
        if (this.has(WD_FLAGS.catenateAll)) concatenate(concatAll);
        if (this.shouldGenerateParts(wordType)) {
          buffer(undefined, wordPos, wordPos + 1, it.current, it.end);
          wordPos++;
        }
        it.next();
      }
      if (!concat.isEmpty()) flush(concat);
      if (!concatAll.isEmpty()) {
        if (concatAll.subwordCount > lastConcatCount) {
          if (wordPos === concatAll.startPos) wordPos++;
          write(concatAll);
        }
        concatAll.clear();
      }
    }
    if (preserve) (parts[0] as GraphPart).endPos = Math.max(wordPos, 1);
    // Lucene's PositionSorter (a stable merge sort): smaller start part first, then the longer part
    const head = preserve ? parts.splice(0, 1) : [];
    parts.sort((a, b) => a.startPart - b.startPart || b.endPart - a.endPart);
    return [...head, ...parts];
  }
}

/** Lucene's WordDelimiterFilter (`word_delimiter`): the older, non-graph form. */
export class WordDelimiterFilter extends WordDelimiterBase {
  filter(tokens: Token[]): Token[] {
    let first = true;
    return this.walk(
      tokens,
      (token, inc, it, sink, accumPosInc) => {
        if (it.end === -1 && !this.has(WD_FLAGS.preserveOriginal)) {
          // only delimiters: dropped, and its own increment of 1 not held back (Lucene's old hole logic)
          return inc === 1 && !first ? accumPosInc - 1 : accumPosInc;
        }
        const state: { accumPosInc: number; first: boolean } = { accumPosInc, first };
        this.splitWord(it, token, sink, state);
        first = state.first;
        return state.accumPosInc;
      },
      () => {
        first = false;
      },
    );
  }

  /** One input word with delimiters: the state machine of WordDelimiterFilter.incrementToken. */
  private splitWord(it: SubwordIterator, token: Token, sink: TokenSink, state: { accumPosInc: number; first: boolean }): void {
    const term = token.term;
    const hasIllegalOffsets = token.endOffset - token.startOffset !== term.length;
    const savedStart = token.startOffset;
    const savedEnd = token.endOffset;
    let hasOutputToken = false;
    let hasOutputFollowingOriginal = !this.has(WD_FLAGS.preserveOriginal);
    let lastConcatCount = 0;
    const buffered: Array<{ term: string; start: number; end: number; posInc: number }> = [];
    const concat = new Concatenation();
    const concatAll = new Concatenation();

    const position = (inject: boolean): number => {
      const posInc = state.accumPosInc;
      if (hasOutputToken) {
        state.accumPosInc = 0;
        return inject ? 0 : Math.max(1, posInc);
      }
      hasOutputToken = true;
      if (!hasOutputFollowingOriginal) {
        hasOutputFollowingOriginal = true;
        return 0;
      }
      state.accumPosInc = 0;
      return Math.max(1, posInc);
    };
    const emit = (t: { term: string; start: number; end: number; posInc: number }) => {
      sink.emit(token, t.term, t.posInc, t.start, t.end, 1);
      state.first = false;
    };
    const part = (singleWord: boolean) => {
      const start = savedStart + it.current;
      const end = savedStart + it.end;
      let offsets: [number, number] = [start, end];
      if (hasIllegalOffsets) offsets = singleWord && start <= savedEnd ? [start, savedEnd] : [savedStart, savedEnd];
      return { term: term.slice(it.current, it.end), start: offsets[0], end: offsets[1], posInc: position(false) };
    };
    const concatenate = (c: Concatenation) => {
      if (c.isEmpty()) c.startPart = savedStart + it.current;
      c.append(term.slice(it.current, it.end));
      c.endPart = savedStart + it.end;
    };
    const writeAndClear = (c: Concatenation) => {
      const [start, end] = hasIllegalOffsets ? [savedStart, savedEnd] : [c.startPart, c.endPart];
      const posInc = position(true);
      state.accumPosInc = 0;
      buffered.push({ term: c.text, start, end, posInc });
      c.clear();
    };
    const flush = (c: Concatenation): boolean => {
      lastConcatCount = c.subwordCount;
      if (c.subwordCount !== 1 || !this.shouldGenerateParts(c.type)) {
        writeAndClear(c);
        return true;
      }
      c.clear();
      return false;
    };

    if (this.has(WD_FLAGS.preserveOriginal)) {
      sink.emit(token, term, state.accumPosInc, token.startOffset, token.endOffset, 1);
      state.accumPosInc = 0;
      state.first = false;
    }
    for (;;) {
      if (it.end === -1) {
        if (!concat.isEmpty() && flush(concat)) continue;
        if (!concatAll.isEmpty()) {
          if (concatAll.subwordCount > lastConcatCount) {
            writeAndClear(concatAll);
            continue;
          }
          concatAll.clear();
        }
        // OffsetSorter: by start offset, then the larger increment first (stable)
        buffered.sort((a, b) => a.start - b.start || b.posInc - a.posInc);
        for (const b of buffered) {
          if (state.first && b.posInc === 0) b.posInc = 1;
          emit(b);
        }
        return;
      }
      if (it.isSingleWord()) {
        emit(part(true));
        it.next();
        continue;
      }
      const wordType = it.type();
      if (!concat.isEmpty() && (concat.type & wordType) === 0) {
        const wrote = flush(concat);
        hasOutputToken = false;
        if (wrote) continue;
      }
      if (this.shouldConcatenate(wordType)) {
        if (concat.isEmpty()) concat.type = wordType;
        concatenate(concat);
      }
      if (this.has(WD_FLAGS.catenateAll)) concatenate(concatAll);
      if (this.shouldGenerateParts(wordType)) buffered.push(part(false));
      it.next();
    }
  }
}
