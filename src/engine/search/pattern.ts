import { EngineError } from '../errors.js';
import { TooComplexError } from '../automaton/automaton.js';
import type { Dfa } from '../automaton/automaton.js';
import { PatternSyntaxError, compileLuceneRegExp } from '../automaton/lucene-regexp.js';
import type { RegExpOptions } from '../automaton/lucene-regexp.js';
import { compileWildcard } from '../automaton/wildcard.js';

/**
 * Wildcard and regexp patterns (Lucene syntax) compiled to DFAs over whole terms: every user
 * pattern runs in one step per code point, never as a backtracking JavaScript RegExp.
 * Failures are Elasticsearch's: a syntax error is an `illegal_argument_exception` with Lucene's
 * message, a pattern past `max_determinized_states` a `too_complex_to_determinize_exception`.
 */

/** A compiled pattern: `test` matches a whole string in linear time. */
export type PatternMatcher = Pick<Dfa, 'test' | 'run'>;

/** index.max_regex_length's default. */
export const MAX_REGEX_LENGTH = 1000;

/** `*` any sequence, `?` one character, `\` escapes. */
export function wildcardMatcher(pattern: string, caseInsensitive: boolean): PatternMatcher {
  return compiled(pattern, () => compileWildcard(pattern, caseInsensitive));
}

/** Lucene RegExp syntax with its optional operators (`flags`, default ALL). */
export function regexpMatcher(pattern: string, opts: RegExpOptions = {}): PatternMatcher {
  return compiled(pattern, () => compileLuceneRegExp(pattern, opts));
}

function compiled(pattern: string, compile: () => Dfa): PatternMatcher {
  try {
    return compile();
  } catch (e) {
    if (e instanceof PatternSyntaxError) throw new EngineError(400, 'illegal_argument_exception', e.message);
    if (e instanceof TooComplexError) {
      throw new EngineError(400, 'too_complex_to_determinize_exception', `Determinizing ${pattern} would require more than ${e.limit} effort.`);
    }
    throw e;
  }
}

/** The query-time refusal of a regexp longer than index.max_regex_length (Elasticsearch's message). */
export function checkRegexLength(pattern: string, max = MAX_REGEX_LENGTH): string | undefined {
  if (pattern.length <= max) return undefined;
  return `The length of regex [${pattern.length}] used in the Regexp Query request has exceeded the allowed maximum of [${max}]. This maximum can be set by changing the [index.max_regex_length] index level setting.`;
}
