import type { Token } from '../contract.js';
import { EngineError, unsupported } from '../errors.js';
import { TOKEN_TYPES, makeToken, type CharFilter, type CharFilterResult, type TokenFilter, type Tokenizer } from './analysis-types.js';
import { OffsetRewriter } from './offset-rewriter.js';

/**
 * The regular-expression components: the `pattern` tokenizer, the `pattern_replace` char
 * filter and token filter. Elasticsearch compiles Java regular expressions; these use
 * JavaScript's, which agree on the common syntax (classes, \w \W \s \d, groups, quantifiers,
 * \p{L} with the u flag) but not on every construct (possessive quantifiers, \Q...\E, inline
 * flags other than (?i)).
 */

const JAVA_FLAGS: Record<string, string> = {
  CASE_INSENSITIVE: 'i',
  MULTILINE: 'm',
  DOTALL: 's',
  UNICODE_CASE: '',
  UNICODE_CHARACTER_CLASS: '',
  CANON_EQ: '',
  UNIX_LINES: '',
  LITERAL: '',
  COMMENTS: '',
};

/** Compiles a Java-style pattern with `|`-separated Java flag names; throws Elasticsearch-style errors. */
export function compileJavaPattern(pattern: string, flags = '', global = true): RegExp {
  let js = global ? 'g' : '';
  for (const flag of flags.split('|').map((f) => f.trim()).filter((f) => f !== '')) {
    const mapped = JAVA_FLAGS[flag];
    if (mapped === undefined) throw new EngineError(400, 'illegal_argument_exception', `Unknown regex flag [${flag}]`);
    if (flag === 'COMMENTS' || flag === 'LITERAL' || flag === 'CANON_EQ') throw unsupported(`regex flag ${flag}`);
    if (!js.includes(mapped)) js += mapped;
  }
  // Java allows (?i) at the start; JavaScript has no inline flags.
  let source = pattern;
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    if (!js.includes('i')) js += 'i';
  }
  try {
    return new RegExp(source, `${js}u`);
  } catch {
    try {
      return new RegExp(source, js);
    } catch (e) {
      throw new EngineError(400, 'pattern_syntax_exception', `${(e as Error).message.replace(/^Invalid regular expression: /, '')}\n${pattern}`);
    }
  }
}

/** Java's Matcher.appendReplacement syntax: `$1`, `${name}`, and `\\` escapes. */
export function expandReplacement(m: RegExpMatchArray, replacement: string): string {
  if (!replacement.includes('$') && !replacement.includes('\\')) return replacement;
  return replacement.replace(/\\(.)|\$(\d+)|\$\{(\w+)\}/g, (_all, escaped: string | undefined, group: string | undefined, name: string | undefined) => {
    if (escaped !== undefined) return escaped;
    if (group !== undefined) return m[Number(group)] ?? '';
    return m.groups?.[name ?? ''] ?? '';
  });
}

/** Lucene's PatternTokenizer: splits on matches (group -1) or emits a capture group of each match. */
export class PatternTokenizer implements Tokenizer {
  constructor(
    private readonly pattern: RegExp,
    private readonly group = -1,
  ) {}

  tokenize(text: string): Token[] {
    const out: Token[] = [];
    let position = 0;
    const re = new RegExp(this.pattern.source, this.pattern.flags.includes('g') ? this.pattern.flags : `${this.pattern.flags}g`);
    if (this.group < 0) {
      let start = 0;
      for (const m of text.matchAll(re)) {
        if (m[0].length === 0) continue;
        if (m.index > start) out.push(makeToken(text.slice(start, m.index), position++, start, m.index, TOKEN_TYPES.word));
        start = m.index + m[0].length;
      }
      if (start < text.length) out.push(makeToken(text.slice(start), position, start, text.length, TOKEN_TYPES.word));
      return out;
    }
    const withIndices = new RegExp(re.source, `${re.flags}d`);
    for (const m of text.matchAll(withIndices)) {
      const span = m.indices?.[this.group];
      if (!span || span[1] <= span[0]) continue;
      out.push(makeToken(text.slice(span[0], span[1]), position++, span[0], span[1], TOKEN_TYPES.word));
    }
    return out;
  }
}

/** Elasticsearch's `pattern_replace` char filter, with offsets mapped back to the input. */
export class PatternReplaceCharFilter implements CharFilter {
  readonly normalizes = true;
  constructor(
    private readonly pattern: RegExp,
    private readonly replacement: string,
  ) {}

  apply(text: string): CharFilterResult {
    const rw = new OffsetRewriter(text);
    let copied = 0;
    for (const m of text.matchAll(this.pattern)) {
      if (m[0].length === 0) continue;
      rw.copy(copied, m.index);
      rw.replace(m.index, m[0].length, expandReplacement(m, this.replacement));
      copied = m.index + m[0].length;
    }
    rw.copy(copied, text.length);
    return rw.result();
  }
}

/** Elasticsearch's `pattern_replace` token filter: replaces matches in each term (all, or the first). */
export class PatternReplaceFilter implements TokenFilter {
  readonly normalizes = true;
  constructor(
    private readonly pattern: RegExp,
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
    for (const m of term.matchAll(this.pattern)) {
      out += term.slice(copied, m.index) + expandReplacement(m, this.replacement);
      copied = m.index + m[0].length;
      if (!this.all) break;
    }
    return copied === 0 && out === '' ? term : out + term.slice(copied);
  }
}
