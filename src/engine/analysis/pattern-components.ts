import type { Token } from '../contract.js';
import { EngineError, unsupported } from '../errors.js';
import { TOKEN_TYPES, makeToken, type CharFilter, type CharFilterResult, type TokenFilter, type Tokenizer } from './analysis-types.js';
import { OffsetRewriter } from './offset-rewriter.js';
import type { ComponentParams } from './analysis-settings.js';
import { RE2JS } from 're2js';
import { KEYWORD_TOKENS } from './english-stemmers.js';

/**
 * The regular-expression components: the `pattern` tokenizer (and analyzer), the
 * `pattern_replace` char filter and token filter, and keyword_marker's `keywords_pattern`.
 * Elasticsearch compiles these Java regular expressions with java.util.regex, a backtracking
 * matcher; an index setting is user input, so here they run on RE2 (re2js), which matches in
 * time linear in the text: a hostile `(a+)+b` cannot hold the engine. RE2 agrees with Java on the
 * common syntax (classes, \w \W \s \d, \p{L}, groups and named groups, lazy quantifiers,
 * \Q...\E, inline (?i) (?m) (?s)). A positive lookahead ending the pattern (`(\d+)-(?=\d)`, the
 * docs' pattern_replace example) is matched as a last group that the match does not consume.
 * What needs backtracking (backreferences, other lookarounds, possessive quantifiers, atomic
 * groups) and Java-only syntax (class intersections `&&`) are refused with a 400 naming the
 * setting, never matched differently.
 */

/** java.util.regex.Pattern's flag names, as Elasticsearch's Regex.flagsFromString reads them, and their RE2 flags. */
const JAVA_FLAGS: Record<string, number | 'literal' | 'comments' | 'refused'> = {
  CASE_INSENSITIVE: RE2JS.CASE_INSENSITIVE,
  MULTILINE: RE2JS.MULTILINE,
  DOTALL: RE2JS.DOTALL,
  // RE2 folds case and reads \p classes over Unicode already
  UNICODE_CASE: 0,
  UNICODE_CHARACTER_CLASS: 0,
  UNIX_LINES: 0,
  LITERAL: 'literal',
  COMMENTS: 'comments',
  CANON_EQ: 'refused',
};

/**
 * Constructs RE2 cannot run in linear time (or that Java reads otherwise), with what they are;
 * tested on the pattern with its other escapes blanked out. (Possessive quantifiers and the like
 * are RE2 syntax errors: pattern_syntax_exception.)
 */
const REFUSED_SYNTAX: Array<[RegExp, string]> = [
  [/\\[1-9]|\\k</, 'backreferences'],
  [/\(\?<?[=!]/, 'lookahead and lookbehind'],
  [/\(\?>/, 'atomic groups'],
  [/\[[^\]]*&&/, 'character class intersections (&&)'],
];

/**
 * A pattern from the settings, compiled: RE2 (linear-time) with Java's flags applied; with a
 * trailing lookahead, its last group is that lookahead (matched, not consumed, not a group of the user's).
 */
export class UserPattern {
  constructor(
    readonly re: RE2JS,
    readonly lookahead: boolean,
  ) {}

  /** Whether the whole of `text` matches (Java's Matcher.matches()). */
  matches(text: string): boolean {
    return this.re.matches(text);
  }
}

/** One match: its span (without a trailing lookahead) and the user's groups. */
export interface PatternMatch {
  start(group?: number): number;
  end(group?: number): number;
  group(group: number | string): string | null;
  groupCount(): number;
}

/**
 * `X(?=Y)` at the top level of a pattern (no `|` outside groups in X) as `[X, Y]`, else undefined.
 * Only then is the lookahead a plain condition on what follows the match.
 */
function trailingLookahead(source: string): [string, string] | undefined {
  if (!source.endsWith(')')) return undefined;
  let depth = 0;
  let inClass = false;
  let topAlternation = false;
  let lastTopOpen = -1;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      if (depth === 0) lastTopOpen = i;
      depth++;
    } else if (c === ')') depth--;
    else if (c === '|' && depth === 0) topAlternation = true;
  }
  if (topAlternation || depth !== 0 || !source.startsWith('(?=', lastTopOpen)) return undefined;
  return [source.slice(0, lastTopOpen), source.slice(lastTopOpen + 3, -1)];
}

/** Java's COMMENTS flag: whitespace and `#` comments outside character classes are not part of the pattern. */
function stripComments(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/**
 * Compiles a Java-style pattern with `|`-separated Java flag names (Regex.flagsFromString) for the
 * setting `key` of the component `p`; throws Elasticsearch-style errors, and a 400 naming the
 * setting for what RE2 cannot match in linear time.
 */
export function compileJavaPattern(pattern: string, flags: string, p: ComponentParams, key: string, wholeTerm = false): UserPattern {
  let re2Flags = 0;
  let literal = false;
  let comments = false;
  for (const flag of flags.split('|').map((f) => f.trim().toUpperCase()).filter((f) => f !== '')) {
    const mapped = JAVA_FLAGS[flag];
    if (mapped === undefined) throw new EngineError(400, 'illegal_argument_exception', `Unknown regex flag [${flag}]`);
    if (mapped === 'refused') throw unsupported(`regex flag ${flag}`);
    if (mapped === 'literal') literal = true;
    else if (mapped === 'comments') comments = true;
    else re2Flags |= mapped;
  }
  let source = pattern;
  let lookahead = false;
  if (literal) source = RE2JS.quote(pattern);
  else {
    if (comments) source = stripComments(source);
    const split = wholeTerm ? undefined : trailingLookahead(source);
    if (split) {
      source = `(?:${split[0]})(${split[1]})`;
      lookahead = true;
    }
    const bare = source.replace(/\\[^1-9k]/g, '__');
    for (const [construct, what] of REFUSED_SYNTAX) {
      if (construct.test(bare)) {
        throw new EngineError(400, 'illegal_argument_exception', `pattern [${pattern}] of [${p.where.replace(/^\[|\]$/g, '')}.${key}] uses ${what}, which cannot be matched in linear time; user patterns are matched by RE2 (no backtracking)`);
      }
    }
  }
  try {
    return new UserPattern(RE2JS.compile(source, re2Flags), lookahead);
  } catch (e) {
    throw new EngineError(400, 'pattern_syntax_exception', `${(e as Error).message.replace(/^error parsing regexp: /, '')}\n${pattern}`);
  }
}

/**
 * Every match of `pattern` in `text`, left to right (empty ones too, as Java's Matcher.find gives
 * them: the next search starts one further after an empty match).
 */
function* matchesOf(pattern: UserPattern, text: string): Generator<PatternMatch> {
  const m = pattern.re.matcher(text);
  const look = pattern.lookahead ? m.groupCount() : 0;
  const view: PatternMatch = {
    start: (g = 0) => m.start(g),
    end: (g = 0) => (g === 0 && look > 0 ? m.start(look) : m.end(g)),
    group: (g) => (g === 0 && look > 0 ? text.slice(m.start(), m.start(look)) : m.group(g as number)),
    groupCount: () => m.groupCount() - (look > 0 ? 1 : 0),
  };
  let from = 0;
  while (from <= text.length && m.find(from)) {
    yield view;
    from = view.end() > m.start() ? view.end() : view.end() + 1;
  }
}

/** Java's Matcher.appendReplacement syntax: `$1`, `${name}`, and `\\` escapes. */
export function expandReplacement(m: PatternMatch, replacement: string): string {
  if (!replacement.includes('$') && !replacement.includes('\\')) return replacement;
  return replacement.replace(/\\(.)|\$(\d+)|\$\{(\w+)\}/g, (_all, escaped: string | undefined, group: string | undefined, name: string | undefined) => {
    if (escaped !== undefined) return escaped;
    if (group !== undefined) return Number(group) <= m.groupCount() ? (m.group(Number(group)) ?? '') : '';
    try {
      return m.group(name ?? '') ?? '';
    } catch {
      return '';
    }
  });
}

/** Lucene's PatternTokenizer: splits on matches (group -1) or emits a capture group of each match. */
export class PatternTokenizer implements Tokenizer {
  constructor(
    private readonly pattern: UserPattern,
    private readonly group = -1,
  ) {}

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    let position = 0;
    if (this.group < 0) {
      let start = 0;
      for (const m of matchesOf(this.pattern, text)) {
        if (m.end() === m.start()) continue;
        if (m.start() > start) out.push(makeToken(text.slice(start, m.start()), position++, start, m.start(), TOKEN_TYPES.word));
        start = m.end();
      }
      if (start < text.length) out.push(makeToken(text.slice(start), position, start, text.length, TOKEN_TYPES.word));
      return out;
    }
    for (const m of matchesOf(this.pattern, text)) {
      if (this.group > m.groupCount()) continue;
      const from = m.start(this.group);
      const to = m.end(this.group);
      if (from < 0 || to <= from) continue;
      out.push(makeToken(text.slice(from, to), position++, from, to, TOKEN_TYPES.word));
    }
    return out;
  }
}

/** Elasticsearch's `pattern_replace` char filter, with offsets mapped back to the input. */
export class PatternReplaceCharFilter implements CharFilter {
  readonly normalizes = true;
  constructor(
    private readonly pattern: UserPattern,
    private readonly replacement: string,
  ) {}

  apply(text: string): CharFilterResult {
    const rw = new OffsetRewriter(text);
    let copied = 0;
    for (const m of matchesOf(this.pattern, text)) {
      if (m.end() === m.start()) continue;
      rw.copy(copied, m.start());
      rw.replace(m.start(), m.end() - m.start(), expandReplacement(m, this.replacement));
      copied = m.end();
    }
    rw.copy(copied, text.length);
    return rw.result();
  }
}

/** Elasticsearch's `pattern_replace` token filter: replaces matches in each term (all, or the first). */
export class PatternReplaceFilter implements TokenFilter {
  readonly normalizes = true;
  constructor(
    private readonly pattern: UserPattern,
    private readonly replacement: string,
    private readonly all = true,
  ) {}

  filter(tokens: Token[]): Token[] {
    for (const t of tokens) t.term = this.replace(t.term);
    return tokens;
  }

  private replace(term: string): string {
    let out = '';
    let copied = 0;
    for (const m of matchesOf(this.pattern, term)) {
      out += term.slice(copied, m.start()) + expandReplacement(m, this.replacement);
      copied = m.end();
      if (!this.all) break;
    }
    return copied === 0 && out === '' ? term : out + term.slice(copied);
  }
}

/** The group spans of every match of `pattern` in `text`: `spans[m][g - 1]` is group g of match m. */
function groupSpans(pattern: UserPattern, text: string): Array<Array<[number, number]>> {
  const all: Array<Array<[number, number]>> = [];
  for (const m of matchesOf(pattern, text)) {
    const spans: Array<[number, number]> = [];
    for (let g = 1; g <= m.groupCount(); g++) spans.push([m.start(g), m.end(g)]);
    all.push(spans);
  }
  return all;
}

/**
 * Lucene's PatternCaptureGroupTokenFilter (`pattern_capture`): each capture group of each match
 * of each pattern becomes a token at the original's position, ordered as its nextCapture picks
 * them (the smallest start across the patterns' current groups, the first pattern on ties);
 * empty groups, and with preserve_original a group equal to the whole term, are skipped.
 */
export class PatternCaptureFilter implements TokenFilter {
  constructor(
    private readonly patterns: readonly UserPattern[],
    private readonly preserveOriginal: boolean,
  ) {}

  filter(tokens: Token[]): Token[] {
    const out: Token[] = [];
    for (const token of tokens) {
      const term = token.term;
      const captures = this.captures(term);
      const rest = this.preserveOriginal ? captures : captures.slice(1);
      if (!this.preserveOriginal && captures.length > 0) {
        const [start, end] = captures[0] as [number, number];
        token.term = term.slice(start, end);
      }
      out.push(token);
      for (const [start, end] of rest) {
        const copy: Token = { ...token, term: term.slice(start, end) };
        if (KEYWORD_TOKENS.has(token)) KEYWORD_TOKENS.add(copy);
        out.push(copy);
      }
    }
    return out;
  }

  /** The capture spans in nextCapture's order. */
  private captures(term: string): Array<[number, number]> {
    const matches = this.patterns.map((p) => groupSpans(p, term));
    const n = matches.length;
    const matchAt = new Array<number>(n).fill(-1);
    const group = new Array<number>(n).fill(-1);
    const groupCount = (i: number) => (matches[i]?.[0]?.length ?? 0);
    const span = (i: number): [number, number] => (matches[i] as Array<Array<[number, number]>>)[matchAt[i] as number]?.[(group[i] as number) - 1] ?? [-1, -1];
    const out: Array<[number, number]> = [];
    for (;;) {
      let min = Number.MAX_SAFE_INTEGER;
      let current = -1;
      for (let i = 0; i < n; i++) {
        if (group[i] === -1) {
          matchAt[i] = (matchAt[i] as number) + 1;
          group[i] = (matchAt[i] as number) < (matches[i] as unknown[]).length ? 1 : 0;
        }
        if (group[i] === 0) continue;
        while ((group[i] as number) < groupCount(i) + 1) {
          const [start, end] = span(i);
          if (start === end || (this.preserveOriginal && start === 0 && end === term.length)) {
            group[i] = (group[i] as number) + 1;
            continue;
          }
          if (start < min) {
            min = start;
            current = i;
          }
          break;
        }
        if (group[i] === groupCount(i) + 1) {
          group[i] = -1;
          i--;
        }
      }
      if (current === -1) return out;
      out.push(span(current));
      group[current] = (group[current] as number) + 1;
    }
  }
}
