import type { Token } from '../contract.js';
import type { TokenFilter } from './analysis-types.js';
import { lowercase } from './case-filters.js';

/**
 * Lucene's CommonGramsFilter (`common_grams`): every token, plus a bigram `a_b` (type `gram`,
 * position length 2, at the first word's position) wherever one of two neighbours is a common
 * word; with `query_mode`, Lucene's CommonGramsQueryFilter after it keeps the bigrams and only
 * the unigrams no bigram covers.
 */

const GRAM_TYPE = 'gram';

export class CommonGramsFilter implements TokenFilter {
  private readonly words: ReadonlySet<string>;

  constructor(
    words: readonly string[],
    /** CharArraySet's ignoreCase: Java's per-code-point lowercasing of both sides. */
    private readonly ignoreCase: boolean,
    private readonly queryMode: boolean,
  ) {
    this.words = new Set(ignoreCase ? words.map(lowercase) : words);
  }

  private isCommon(term: string): boolean {
    return this.words.has(this.ignoreCase ? lowercase(term) : term);
  }

  filter(tokens: Token[]): Token[] {
    const out: Token[] = [];
    let previous: Token | undefined;
    let lastWasCommon = false;
    for (const t of tokens) {
      const common = this.isCommon(t.term);
      if (previous && (lastWasCommon || common)) {
        out.push({ term: `${previous.term}_${t.term}`, position: previous.position, startOffset: previous.startOffset, endOffset: t.endOffset, type: GRAM_TYPE, positionLength: 2 });
      }
      out.push(t);
      previous = t;
      lastWasCommon = common;
    }
    return this.queryMode ? queryFilter(out) : out;
  }
}

/**
 * CommonGramsQueryFilter, statement for statement: a token is emitted when the next one is not a
 * gram; the last one unless the token emitted before it was a gram. Positions are rebuilt from
 * the increments of the tokens kept (a gram's increment becomes 1), as Lucene's do.
 */
function queryFilter(tokens: Token[]): Token[] {
  const kept: Array<{ token: Token; increment: number }> = [];
  let previous: { token: Token; increment: number } | undefined;
  let previousType: string | undefined;
  let lastPosition = -1;
  const emit = (p: { token: Token; increment: number }) => {
    previousType = p.token.type;
    if (p.token.type === GRAM_TYPE) {
      p.increment = 1;
      p.token.positionLength = 1;
    }
    kept.push(p);
  };
  for (const t of tokens) {
    const current = { token: t, increment: t.position - lastPosition };
    lastPosition = t.position;
    if (previous && t.type !== GRAM_TYPE) emit(previous);
    previous = current;
  }
  if (previous && previousType !== GRAM_TYPE) emit(previous);
  let position = -1;
  for (const k of kept) {
    position += k.increment;
    k.token.position = position;
    if (k.token.positionLength === 1) delete k.token.positionLength;
  }
  return kept.map((k) => k.token);
}
