import type { JavaPattern } from './java-regex.js';
import { JavaPatternSyntax, PAINLESS_REGEX_FLAGS, RegexNotSupported, compileJavaPattern } from './java-regex.js';
import { compileError, notSupported } from './script-errors.js';

/**
 * A `/pattern/flags` literal compiled when the script compiles, as Painless's ERegex does: an
 * invalid pattern is a compile error `Error compiling regex: <description>` at the literal, a
 * Java construct the engine cannot translate exactly a compile error naming it.
 */
export function regexLiteral(source: string, pattern: string, flagLetters: string, at: number): JavaPattern {
  let flags = 0;
  for (const l of flagLetters) flags |= PAINLESS_REGEX_FLAGS[l] as number;
  try {
    return compileJavaPattern(pattern, flags);
  } catch (e) {
    if (e instanceof JavaPatternSyntax) throw compileError(source, at, `Error compiling regex: ${e.message}`);
    if (e instanceof RegexNotSupported) throw notSupported(source, at, `regular expressions: ${e.what}`);
    throw e;
  }
}
