import type { Token } from '../contract.js';
import type { Tokenizer } from './analysis-types.js';
import { TOKEN_TYPES, makeToken } from './analysis-types.js';

/**
 * The `path_hierarchy` tokenizer: Lucene 9's PathHierarchyTokenizer ("/a/b/c" -> "/a", "/a/b",
 * "/a/b/c") and, with `reverse`, ReversePathHierarchyTokenizer ("a.b.c" -> "a.b.c", "b.c", "c"),
 * with `delimiter`, `replacement` and `skip`. Every token is at position 0, as in Lucene 9
 * (Elasticsearch 8); Lucene 10 moved the forward tokens to one position each.
 */
export class PathHierarchyTokenizer implements Tokenizer {
  constructor(
    private readonly delimiter: string,
    private readonly replacement: string,
    private readonly skip: number,
    private readonly reverse: boolean,
  ) {}

  tokenize(text: string): Token[] {
    return this.reverse ? this.backward(text) : this.forward(text);
  }

  /** PathHierarchyTokenizer.incrementToken, one call per loop turn. */
  private forward(text: string): Token[] {
    const out: Token[] = [];
    let read = 0;
    let startPosition = 0;
    let skipped = 0;
    let endDelimiter = false;
    let result = '';
    for (;;) {
      let term = result;
      let length = 0;
      let added = false;
      if (endDelimiter) {
        term += this.replacement;
        length++;
        endDelimiter = false;
        added = true;
      }
      let ended = false;
      for (;;) {
        if (read >= text.length) {
          ended = true;
          break;
        }
        const c = text[read++] as string;
        if (!added) {
          added = true;
          skipped++;
          if (skipped > this.skip) {
            term += c === this.delimiter ? this.replacement : c;
            length++;
          } else startPosition++;
        } else if (c === this.delimiter) {
          if (skipped > this.skip) {
            endDelimiter = true;
            break;
          }
          skipped++;
          if (skipped > this.skip) {
            term += this.replacement;
            length++;
          } else startPosition++;
        } else if (skipped > this.skip) {
          term += c;
          length++;
        } else startPosition++;
      }
      if (ended && !(skipped > this.skip && added)) return out;
      length += result.length;
      out.push(makeToken(term, 0, startPosition, startPosition + length, TOKEN_TYPES.word));
      result = term;
      if (ended) return out;
    }
  }

  /** ReversePathHierarchyTokenizer: every suffix that starts after a delimiter, longest first. */
  private backward(text: string): Token[] {
    const delimiters = [0];
    let replaced = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (c === this.delimiter) {
        delimiters.push(i + 1);
        replaced += this.replacement;
      } else replaced += c;
    }
    if ((delimiters[delimiters.length - 1] as number) < text.length) delimiters.push(text.length);
    const count = delimiters.length;
    const idx = count - 1 - this.skip;
    const end = idx >= 0 ? (delimiters[idx] as number) : 0;
    const out: Token[] = [];
    for (let skipped = 0; skipped < count - this.skip - 1; skipped++) {
      const start = delimiters[skipped] as number;
      out.push(makeToken(replaced.slice(start, end), 0, start, end, TOKEN_TYPES.word));
    }
    return out;
  }
}
