import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import { Nfa, determinize, type Dfa, type Fragment } from '../automaton/automaton.js';
import { makeToken, type TokenFilter, type Tokenizer } from './analysis-types.js';
import { CLASSIC_RANGES } from './classic-classes.js';

/**
 * Lucene's ClassicTokenizer (`classic`, the StandardTokenizer of Lucene 3.0): the JFlex grammar
 * of ClassicTokenizerImpl.jflex over its Unicode 3.0 character classes (classic-classes.ts,
 * generated from Lucene itself):
 *
 *   ALPHANUM    (LETTER|THAI|digit)+                   APOSTROPHE  ALPHA ("'" ALPHA)+
 *   ACRONYM     LETTER "." (LETTER ".")+               COMPANY     ALPHA ("&"|"@") ALPHA
 *   EMAIL       ALPHANUM (("."|"-"|"_") ALPHANUM)* "@" ALPHANUM (("."|"-") ALPHANUM)+
 *   HOST        ALPHANUM ("." ALPHANUM)+               CJ          one Chinese or Japanese character
 *   NUM         ALPHANUM and HAS_DIGIT parts alternating, joined by one of _ - / . ,
 *   ACRONYM_DEP ALPHANUM "." (ALPHANUM ".")+  (reported as <HOST>, the term without its last dot)
 *
 * Each rule is a DFA over the symbols below; at each position the longest match wins, the rule
 * listed first on a tie, and a position where nothing matches is skipped, as JFlex scans. A
 * (rule, state, position) that once led to no match is remembered, so the scan stays linear
 * (longest-match scanning is otherwise quadratic on texts such as "a_a_a_…").
 * Tokens longer than max_token_length are dropped, their position kept.
 */

// Symbols: the character classes, then the punctuation the grammar names.
const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
const THAI = 3;
const CJ = 4;
const PUNCT = '.-_/,\'&@';
const sym = (c: string): number => 5 + PUNCT.indexOf(c);

const CLASS = new Uint8Array(0x10000);
for (let i = 0; i < CLASSIC_RANGES.length; i += 3) {
  const end = CLASSIC_RANGES[i + 1] as number;
  for (let c = CLASSIC_RANGES[i] as number; c <= end && c < 0x10000; c++) CLASS[c] = CLASSIC_RANGES[i + 2] as number;
}
for (const c of PUNCT) CLASS[c.charCodeAt(0)] = sym(c);

const TYPES = ['<ALPHANUM>', '<APOSTROPHE>', '<ACRONYM>', '<COMPANY>', '<EMAIL>', '<HOST>', '<NUM>', '<CJ>', '<ACRONYM_DEP>'] as const;
const ACRONYM_DEP = 8;

interface Rule {
  dfa: Dfa;
  live: Uint8Array;
}

/** The nine rules of the grammar, in its order. */
function buildRules(): Rule[] {
  return [
    (n: Nfa, g: Grammar) => g.alphanum(),
    (n: Nfa, g: Grammar) => n.concat([g.alpha(), plus(n, () => n.concat([g.s("'"), g.alpha()]))]),
    (n: Nfa, g: Grammar) => n.concat([g.c([LETTER]), g.s('.'), plus(n, () => n.concat([g.c([LETTER]), g.s('.')]))]),
    (n: Nfa, g: Grammar) => n.concat([g.alpha(), g.c([sym('&'), sym('@')]), g.alpha()]),
    (n: Nfa, g: Grammar) =>
      n.concat([
        g.alphanum(),
        n.star(n.concat([g.c([sym('.'), sym('-'), sym('_')]), g.alphanum()])),
        g.s('@'),
        g.alphanum(),
        plus(n, () => n.concat([g.c([sym('.'), sym('-')]), g.alphanum()])),
      ]),
    (n: Nfa, g: Grammar) => n.concat([g.alphanum(), plus(n, () => n.concat([g.s('.'), g.alphanum()]))]),
    (n: Nfa, g: Grammar) => {
      const an = () => g.alphanum();
      const hd = () => g.hasDigit();
      const p = () => g.c([sym('_'), sym('-'), sym('/'), sym('.'), sym(',')]);
      return n.union([
        n.concat([an(), p(), hd()]),
        n.concat([hd(), p(), an()]),
        n.concat([an(), plus(n, () => n.concat([p(), hd(), p(), an()]))]),
        n.concat([hd(), plus(n, () => n.concat([p(), an(), p(), hd()]))]),
        n.concat([an(), p(), hd(), plus(n, () => n.concat([p(), an(), p(), hd()]))]),
        n.concat([hd(), p(), an(), plus(n, () => n.concat([p(), hd(), p(), an()]))]),
      ]);
    },
    (n: Nfa, g: Grammar) => g.c([CJ]),
    (n: Nfa, g: Grammar) => n.concat([g.alphanum(), g.s('.'), plus(n, () => n.concat([g.alphanum(), g.s('.')]))]),
  ].map((build) => {
    const nfa = new Nfa(100_000, 10_000);
    const f = build(nfa, new Grammar(nfa));
    const dfa = determinize(nfa, f.start, f.end, 4096);
    return { dfa, live: dfa.live() };
  });
}

const plus = (n: Nfa, build: () => Fragment): Fragment => n.concat([build(), n.star(build())]);

class Grammar {
  constructor(private readonly n: Nfa) {}
  c(symbols: number[]): Fragment {
    return this.n.chars(symbols.map((s) => [s, s] as const));
  }
  s(ch: string): Fragment {
    return this.c([sym(ch)]);
  }
  alphanum(): Fragment {
    return plus(this.n, () => this.c([LETTER, THAI, DIGIT]));
  }
  alpha(): Fragment {
    return plus(this.n, () => this.c([LETTER]));
  }
  hasDigit(): Fragment {
    return this.n.concat([this.n.star(this.c([LETTER, DIGIT])), this.c([DIGIT]), this.n.star(this.c([LETTER, DIGIT]))]);
  }
}

const SYMBOLS = 5 + PUNCT.length;

/**
 * The nine rule DFAs run as one: product states (a tuple of rule states) discovered as the text
 * needs them, each with the first rule that accepts there; one table read per character.
 */
class ProductScanner {
  private readonly rules = buildRules();
  private readonly ids = new Map<string, number>();
  private readonly tuples: Int32Array[] = [];
  /** Per product state: the first accepting rule, or -1. */
  readonly accepts: number[] = [];
  /** [state * SYMBOLS + symbol]: the next state, -1 dead, -2 not computed yet. */
  private table = new Int32Array(0);

  constructor() {
    this.intern(new Int32Array(this.rules.length));
  }

  private intern(tuple: Int32Array): number {
    const key = tuple.join(',');
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.tuples.length;
    this.ids.set(key, id);
    this.tuples.push(tuple);
    this.accepts.push(this.rules.findIndex((r, k) => (tuple[k] as number) >= 0 && r.dfa.accept[tuple[k] as number] === 1));
    if (this.table.length < (id + 1) * SYMBOLS) {
      const grown = new Int32Array(Math.max(64, (id + 1) * 2) * SYMBOLS).fill(-2);
      grown.set(this.table);
      this.table = grown;
    }
    return id;
  }

  next(state: number, symbol: number): number {
    const cached = this.table[state * SYMBOLS + symbol] as number;
    if (cached !== -2) return cached;
    const from = this.tuples[state] as Int32Array;
    const to = new Int32Array(this.rules.length);
    let alive = false;
    this.rules.forEach((r, k) => {
      const f = from[k] as number;
      const n = f < 0 || symbol === OTHER ? -1 : r.dfa.step(f, symbol);
      to[k] = n >= 0 && r.live[n] === 1 ? n : -1;
      if ((to[k] as number) >= 0) alive = true;
    });
    const id = alive ? this.intern(to) : -1;
    this.table[state * SYMBOLS + symbol] = id;
    return id;
  }
}

let scanner: ProductScanner | undefined;

/** Lucene's ClassicTokenizer.MAX_TOKEN_LENGTH_LIMIT. */
const MAX_TOKEN_LENGTH_LIMIT = 1024 * 1024;

export class ClassicTokenizer implements Tokenizer {
  constructor(private readonly maxTokenLength = 255) {
    if (!Number.isInteger(maxTokenLength) || maxTokenLength < 1 || maxTokenLength > MAX_TOKEN_LENGTH_LIMIT) {
      throw illegalArgument(`maxTokenLength must be greater than 0 and less than ${MAX_TOKEN_LENGTH_LIMIT} passed: ${maxTokenLength}`);
    }
  }

  tokenize(text: string): Token[] {
    const product = (scanner ??= new ProductScanner());
    const n = text.length;
    const out: Token[] = [];
    // (position, state) pairs known to lead to no longer match: never scanned twice
    let failing: Set<number> | undefined;
    const visited: number[] = [];
    let position = 0;
    let i = 0;
    while (i < n) {
      const c = CLASS[text.charCodeAt(i)] as number;
      // Every rule starts with a letter, digit, Thai or CJ character (surrogates are OTHER).
      if (c === OTHER || c > CJ) {
        i++;
        continue;
      }
      let state = 0;
      let end = -1;
      let best = -1;
      visited.length = 0;
      for (let j = i; j < n; ) {
        const code = text.charCodeAt(j);
        // Supplementary characters and lone surrogates are in no class of Unicode 3.0.
        state = product.next(state, code >= 0xd800 && code <= 0xdfff ? OTHER : (CLASS[code] as number));
        j++;
        if (state < 0) break;
        const key = j * 4096 + state;
        if (failing?.has(key)) break;
        visited.push(key);
        const accept = product.accepts[state] as number;
        if (accept >= 0) {
          end = j;
          best = accept;
        }
      }
      for (const key of visited) if (Math.floor(key / 4096) > end) (failing ??= new Set()).add(key);
      if (best < 0) {
        i++;
        continue;
      }
      if (end - i <= this.maxTokenLength) {
        // ACRONYM_DEP: the term loses its last dot, the offsets (set before) keep it
        const termEnd = best === ACRONYM_DEP ? end - 1 : end;
        out.push(makeToken(text.slice(i, termEnd), position, i, end, best === ACRONYM_DEP ? '<HOST>' : (TYPES[best] as string)));
      }
      position++;
      i = end;
    }
    return out;
  }
}

/** Lucene's ClassicFilter: drops a trailing 's from <APOSTROPHE> tokens and the dots of <ACRONYM> ones. */
export class ClassicFilter implements TokenFilter {
  filter(tokens: Token[]): Token[] {
    for (const t of tokens) {
      const s = t.term;
      if (t.type === '<APOSTROPHE>' && s.length >= 2 && s[s.length - 2] === "'" && (s[s.length - 1] === 's' || s[s.length - 1] === 'S')) {
        t.term = s.slice(0, -2);
      } else if (t.type === '<ACRONYM>') {
        t.term = s.replaceAll('.', '');
      }
    }
    return tokens;
  }
}
