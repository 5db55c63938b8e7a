import { EngineError } from '../errors.js';

/** Wildcard and regexp patterns (Lucene syntax) as anchored JS regular expressions over whole terms. */

const escapeChar = (c: string): string => (/[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);

/** `*` any sequence, `?` one character, `\` escapes. */
export function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeChar(pattern[++i] as string);
    else re += escapeChar(c);
  }
  return new RegExp(`^(?:${re})$`, caseInsensitive ? 'iu' : 'u');
}

/**
 * Lucene RegExp's common subset: `.` `*` `+` `?` `|` `()` `[...]` `[^...]` `{n}` `{n,}` `{n,m}`
 * and `\` escapes. Lucene-only operators (`@`, `&`, `~`, `<n-m>`, `#`) are rejected with a 400;
 * `^`/`$` are literals in Lucene and escaped here.
 */
export function luceneRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) throw bad(pattern, 'expected character after backslash');
      re += escapeChar(next);
    } else if (c === '[') {
      const end = findClassEnd(pattern, i);
      const body = pattern.slice(i + 1, end);
      re += `[${body.replace(/\\(?!.)|[\]/]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else if (c === '{') {
      const end = pattern.indexOf('}', i);
      const body = end === -1 ? '' : pattern.slice(i + 1, end);
      if (!/^\d+(,\d*)?$/.test(body)) throw bad(pattern, `invalid repetition at position ${i}`);
      re += `{${body}}`;
      i = end;
    } else if (c === '(') {
      depth++;
      re += '(?:';
    } else if (c === ')') {
      if (--depth < 0) throw bad(pattern, `unexpected ')' at position ${i}`);
      re += ')';
    } else if (c === '.' || c === '*' || c === '+' || c === '?' || c === '|') {
      re += c === '.' ? '[\\s\\S]' : c;
    } else if (c === '@' || c === '&' || c === '~' || c === '#' || c === '<') {
      throw new EngineError(400, 'illegal_argument_exception', `[regexp] operator [${c}] is not supported by the indexkit embedded engine`);
    } else {
      re += escapeChar(c);
    }
  }
  if (depth !== 0) throw bad(pattern, 'expected \')\'');
  try {
    return new RegExp(`^(?:${re})$`, caseInsensitive ? 'iu' : 'u');
  } catch (e) {
    throw bad(pattern, (e as Error).message);
  }
}

function findClassEnd(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']' && i > start + 1) return i;
  }
  throw bad(pattern, `expected ']' at position ${pattern.length}`);
}

const bad = (pattern: string, why: string): EngineError =>
  new EngineError(400, 'illegal_argument_exception', `failed to parse regexp [${pattern}]: ${why}`);
