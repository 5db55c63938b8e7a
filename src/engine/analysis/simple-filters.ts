import type { Token } from '../contract.js';
import { illegalArgument } from '../errors.js';
import { TOKEN_TYPES, makeToken, type TokenFilter } from './analysis-types.js';

/** Removes tokens failing `keep`, in place. */
function retain(tokens: Token[], keep: (t: Token) => boolean): Token[] {
  let out = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (!keep(t)) continue;
    tokens[out++] = t;
  }
  tokens.length = out;
  return tokens;
}

/** Lucene's TrimFilter: strips leading and trailing whitespace from terms (offsets unchanged). */
export class TrimFilter implements TokenFilter {
  readonly normalizes = true;
  filter(tokens: Token[]): Token[] {
    for (const t of tokens) t.term = t.term.trim();
    return tokens;
  }
}

/** Elasticsearch's `unique`: drops repeated terms (on the same position only, if asked). */
export class UniqueFilter implements TokenFilter {
  constructor(private readonly onlyOnSamePosition = false) {}
  filter(tokens: Token[]): Token[] {
    const seen = new Set<string>();
    let lastPosition = -1;
    return retain(tokens, (t) => {
      if (this.onlyOnSamePosition && t.position !== lastPosition) seen.clear();
      lastPosition = t.position;
      if (seen.has(t.term)) return false;
      seen.add(t.term);
      return true;
    });
  }
}

/** Lucene's LengthFilter: keeps terms whose length (UTF-16 units) is within [min, max]. */
export class LengthFilter implements TokenFilter {
  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    if (min < 0) throw illegalArgument('minimum length must be greater than or equal to zero');
    if (min > max) throw illegalArgument('maximum length must not be greater than minimum length');
  }
  filter(tokens: Token[]): Token[] {
    return retain(tokens, (t) => t.term.length >= this.min && t.term.length <= this.max);
  }
}

/** Lucene's TruncateTokenFilter: cuts terms to `length` characters. */
export class TruncateFilter implements TokenFilter {
  constructor(private readonly length: number) {
    if (!(length >= 1)) throw illegalArgument(`length parameter must be a positive number: ${length}`);
  }
  filter(tokens: Token[]): Token[] {
    for (const t of tokens) if (t.term.length > this.length) t.term = t.term.slice(0, this.length);
    return tokens;
  }
}

/**
 * Lucene's FingerprintFilter: one token of the sorted, de-duplicated terms joined by the
 * separator, or nothing when it would exceed max_output_size. Type `fingerprint`.
 */
export class FingerprintFilter implements TokenFilter {
  constructor(
    private readonly separator = ' ',
    private readonly maxOutputSize = 255,
  ) {}

  filter(tokens: Token[]): Token[] {
    if (tokens.length === 0) return tokens;
    const unique = [...new Set(tokens.map((t) => t.term))].sort();
    const term = unique.join(this.separator);
    if (term.length > this.maxOutputSize) return [];
    const end = Math.max(...tokens.map((t) => t.endOffset));
    return [makeToken(term, 0, 0, end, TOKEN_TYPES.fingerprint)];
  }
}

const RE_DIGIT = /\p{Nd}/u;

/** Lucene's DecimalDigitFilter (`decimal_digit`): any Unicode decimal digit becomes 0-9. */
export function decimalDigits(term: string): string {
  let i = 0;
  while (i < term.length && term.charCodeAt(i) < 0x80) i++;
  if (i === term.length) return term;
  let out = '';
  for (const ch of term) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80 || !RE_DIGIT.test(ch)) {
      out += ch;
      continue;
    }
    // Digit blocks are runs of ten starting at zero: count back to the start of the run.
    let zero = cp;
    while (zero > 0 && RE_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
    out += String((cp - zero) % 10);
  }
  return out;
}

export class DecimalDigitFilter implements TokenFilter {
  readonly normalizes = true;
  filter(tokens: Token[]): Token[] {
    for (const t of tokens) t.term = decimalDigits(t.term);
    return tokens;
  }
}

/** Lucene's FrenchAnalyzer.DEFAULT_ARTICLES, the elision filter's default. */
export const FRENCH_ELISION_ARTICLES = ['l', 'm', 't', 'qu', 'n', 's', 'j', 'd', 'c', 'jusqu', 'quoiqu', 'lorsqu', 'puisqu'];

/** Lucene's ElisionFilter: removes an article and its apostrophe from the start of a term (l'avion -> avion). */
export class ElisionFilter implements TokenFilter {
  readonly normalizes = true;
  private readonly articles: ReadonlySet<string>;

  constructor(
    articles: readonly string[] = FRENCH_ELISION_ARTICLES,
    private readonly ignoreCase = false,
  ) {
    this.articles = new Set(ignoreCase ? articles.map((a) => a.toLowerCase()) : articles);
  }

  filter(tokens: Token[]): Token[] {
    for (const t of tokens) {
      const at = t.term.search(/['\u2019]/);
      if (at < 0) continue;
      const article = t.term.slice(0, at);
      if (this.articles.has(this.ignoreCase ? article.toLowerCase() : article)) t.term = t.term.slice(at + 1);
    }
    return tokens;
  }
}
