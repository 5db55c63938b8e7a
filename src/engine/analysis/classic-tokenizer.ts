import type { Token } from '../contract.js';
import type { TokenFilter } from './analysis-types.js';

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
