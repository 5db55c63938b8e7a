import type { Token } from '../contract.js';
import { EngineError } from '../errors.js';
import { TooComplexError, type Dfa } from '../automaton/automaton.js';
import { PatternSyntaxError, compileLuceneRegExp } from '../automaton/lucene-regexp.js';
import { makeToken, type Tokenizer } from './analysis-types.js';

/**
 * Lucene's SimplePatternTokenizer (`simple_pattern`: tokens are the greedy matches of a Lucene
 * RegExp) and SimplePatternSplitTokenizer (`simple_pattern_split`: tokens are the text between
 * matches), ported scan for scan over the pattern's DFA: at each position the longest non-empty
 * match, else one UTF-16 unit on; a scan that reaches the end of the text without a match ends
 * the stream, as Lucene's does. A (state, position) a scan once left without a match is
 * remembered with its outcome, so a text is never scanned quadratically.
 */

/** The pattern's DFA, failing as Elasticsearch does on a bad or too complex pattern. */
function patternDfa(pattern: string): Dfa {
  try {
    return compileLuceneRegExp(pattern);
  } catch (e) {
    if (e instanceof PatternSyntaxError) throw new EngineError(400, 'illegal_argument_exception', e.message);
    if (e instanceof TooComplexError) throw new EngineError(400, 'too_complex_to_determinize_exception', `Determinizing ${pattern} would require more than ${e.limit} effort.`);
    throw e;
  }
}

const codePointWidth = (text: string, i: number): number => {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
};

/** No match here: the scan died (false alarm) or reached the end of the text. */
const DIED = 1;
const ENDED = 2;

class Matcher {
  private readonly outcomes = new Map<number, number>();
  private readonly visited: number[] = [];

  constructor(
    private readonly dfa: Dfa,
    private readonly text: string,
  ) {}

  /** The longest non-empty match at `i` (its length in UTF-16 units), or -DIED / -ENDED. */
  match(i: number): number {
    const { dfa, text } = this;
    const n = text.length;
    let state = dfa.step(0, text.codePointAt(i) as number);
    if (state < 0) return -DIED;
    let j = i + codePointWidth(text, i);
    let accept = -1;
    let outcome = DIED;
    this.visited.length = 0;
    while (true) {
      const key = j * 65536 + state;
      const known = this.outcomes.get(key);
      if (known !== undefined) {
        outcome = known;
        break;
      }
      this.visited.push(key);
      if (dfa.accept[state] === 1) accept = j - i;
      if (j >= n) {
        outcome = ENDED;
        break;
      }
      state = dfa.step(state, text.codePointAt(j) as number);
      j += codePointWidth(text, j);
      if (state < 0) break;
    }
    for (const key of this.visited) if (Math.floor(key / 65536) - i > accept) this.outcomes.set(key, outcome);
    return accept > 0 ? accept : -outcome;
  }
}

export class SimplePatternTokenizer implements Tokenizer {
  private readonly dfa: Dfa;

  constructor(pattern: string) {
    this.dfa = patternDfa(pattern);
  }

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    const m = new Matcher(this.dfa, text);
    let i = 0;
    while (i < text.length) {
      const length = m.match(i);
      if (length > 0) {
        out.push(makeToken(text.slice(i, i + length), out.length, i, i + length, 'word'));
        i += length;
      } else if (length === -ENDED) break;
      else i += this.dfa.step(0, text.codePointAt(i) as number) < 0 ? codePointWidth(text, i) : 1;
    }
    return out;
  }
}

export class SimplePatternSplitTokenizer implements Tokenizer {
  private readonly dfa: Dfa;

  constructor(pattern: string) {
    this.dfa = patternDfa(pattern);
  }

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    const m = new Matcher(this.dfa, text);
    let start = 0;
    let i = 0;
    const emit = (end: number) => {
      if (end > start) out.push(makeToken(text.slice(start, end), out.length, start, end, 'word'));
    };
    while (i < text.length) {
      const length = m.match(i);
      if (length > 0) {
        emit(i);
        i += length;
        start = i;
      } else if (length === -ENDED) {
        i = text.length;
      } else {
        i += this.dfa.step(0, text.codePointAt(i) as number) < 0 ? codePointWidth(text, i) : 1;
      }
    }
    emit(text.length);
    return out;
  }
}
