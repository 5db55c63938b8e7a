import { MAX_CODE_POINT, Nfa, determinize } from './automaton.js';
import type { Dfa, Fragment } from './automaton.js';

/**
 * Lucene's WildcardQuery.toAutomaton: `*` any string, `?` any one code point, `\` makes the next
 * code point literal (a trailing `\` is itself literal). Case-insensitive matching adds each
 * character's other case (Elasticsearch's AutomatonQueries.toCaseInsensitiveWildcardAutomaton).
 */
export function compileWildcard(pattern: string, caseInsensitive: boolean, limit = 10_000): Dfa {
  const nfa = new Nfa(Math.max(4 * limit, 1000), limit);
  const parts: Fragment[] = [];
  const cps = [...pattern].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] as number;
    if (c === 42) {
      // `**` is the same language as `*`: one loop keeps the NFA small
      if (i > 0 && cps[i - 1] === 42 && (i < 2 || cps[i - 2] !== 92)) continue;
      parts.push(nfa.star(nfa.chars([[0, MAX_CODE_POINT]])));
    } else if (c === 63) parts.push(nfa.chars([[0, MAX_CODE_POINT]]));
    else if (c === 92 && i + 1 < cps.length) parts.push(literal(nfa, cps[++i] as number, caseInsensitive));
    else parts.push(literal(nfa, c, caseInsensitive));
  }
  const f = nfa.concat(parts);
  return determinize(nfa, f.start, f.end, limit);
}

function literal(nfa: Nfa, c: number, caseInsensitive: boolean): Fragment {
  const alt = caseInsensitive ? otherCase(c) : c;
  return nfa.chars(alt === c ? [[c, c]] : alt < c ? [[alt, alt], [c, c]] : [[c, c], [alt, alt]]);
}

/** Java's Character.toUpperCase/toLowerCase of one code point: the other case when it is one code point. */
export function otherCase(c: number): number {
  const ch = String.fromCodePoint(c);
  const lower = ch.toLowerCase();
  const alt = lower !== ch ? lower : ch.toUpperCase();
  return [...alt].length === 1 ? (alt.codePointAt(0) as number) : c;
}
