import type { Matcher } from 're2js';
import type { JavaValue } from './java-values.js';
import type { JavaPattern } from './java-regex.js';
import { inexactOn } from './java-regex.js';

/**
 * The methods Painless whitelists on java.util.regex.Pattern and Matcher
 * (modules/lang-painless/src/main/resources/org/elasticsearch/painless/java.util.regex.txt), with
 * java.util.regex's exceptions. `Pattern.compile` is not among them: Painless makes patterns only
 * from `/.../` literals, so they are constants of the script.
 */

export interface JavaMatcher {
  pattern: JavaPattern;
  input: string;
  m: Matcher;
  /** Whether the last match attempt succeeded (Java's state for group/start/end). */
  matched: boolean;
}

/** Raises an error of a Java exception type with a message (painless-runtime's `fail`). */
export type Fail = (type: string, reason: string) => never;

const int = (v: number): JavaValue => ({ t: 'int', v });
const bool = (v: boolean): JavaValue => ({ t: 'bool', v });
const str = (v: string | null): JavaValue => (v === null ? { t: 'null' } : { t: 'str', v });

/** `pattern.matcher(input)`: refuses (400) an input the translation would not answer as Java does. */
export function newMatcher(p: JavaPattern, input: JavaValue, fail: Fail, unsupported: (what: string) => never): JavaValue {
  if (input.t === 'null') return fail('null_pointer_exception', 'Cannot invoke "java.lang.CharSequence.length()" because "this.text" is null');
  if (input.t !== 'str') return fail('class_cast_exception', `Cannot cast ${input.t} to java.lang.CharSequence`);
  const inexact = inexactOn(p, input.v);
  if (inexact !== undefined) return unsupported(`regular expressions: ${inexact}`);
  return { t: 'matcher', v: { pattern: p, input: input.v, m: p.re.matcher(input.v), matched: false } };
}

/** Pattern.quote: the text as a literal pattern. */
export function quotePattern(s: string): string {
  if (!s.includes('\\E')) return `\\Q${s}\\E`;
  return `\\Q${s.split('\\E').join('\\E\\\\E\\Q')}\\E`;
}

/** A Pattern's method, or undefined when it has none of that name and arity. */
export function patternMethod(p: JavaPattern, name: string, args: JavaValue[], fail: Fail, unsupported: (what: string) => never): JavaValue | undefined {
  switch (`${name}/${args.length}`) {
    case 'matcher/1':
      return newMatcher(p, args[0] as JavaValue, fail, unsupported);
    case 'pattern/0':
    case 'toString/0':
      return str(p.source);
    case 'flags/0':
      return int(p.flags);
    case 'split/1':
    case 'split/2':
      return unsupported('[Pattern.split] (it returns a String[]; arrays)');
    case 'splitAsStream/1':
      return unsupported('[Pattern.splitAsStream] (streams)');
    case 'asPredicate/0':
      return unsupported('[Pattern.asPredicate] (functional interfaces)');
  }
  return undefined;
}

/** A Matcher's method, or undefined when it has none of that name and arity. */
export function matcherMethod(recv: JavaValue & { t: 'matcher' }, name: string, args: JavaValue[], fail: Fail, unsupported: (what: string) => never): JavaValue | undefined {
  const mt = recv.v;
  const { m } = mt;
  const count = m.groupCount();
  const group = (v: JavaValue | undefined): number => {
    if (v?.t !== 'int') return fail('class_cast_exception', `Cannot cast ${v?.t === 'str' ? 'java.lang.String' : 'the argument'} to int`);
    if (v.v < 0 || v.v > count) return fail('index_out_of_bounds_exception', `No group ${v.v}`);
    return v.v;
  };
  const needMatch = (): void => {
    if (!mt.matched) fail('illegal_state_exception', 'No match found');
  };
  const attempt = (ok: boolean): JavaValue => {
    mt.matched = ok;
    return bool(ok);
  };
  switch (`${name}/${args.length}`) {
    case 'matches/0':
      return attempt(m.matches());
    case 'lookingAt/0':
      return attempt(m.lookingAt());
    case 'find/0':
      return attempt(m.find());
    case 'find/1': {
      const from = args[0];
      if (from?.t !== 'int') return fail('class_cast_exception', 'Cannot cast the argument to int');
      if (from.v < 0 || from.v > mt.input.length) return fail('index_out_of_bounds_exception', 'Illegal start index');
      return attempt(m.find(from.v));
    }
    case 'group/0':
      needMatch();
      return str(m.group());
    case 'group/1': {
      const g = group(args[0]);
      needMatch();
      return str(m.group(g));
    }
    case 'namedGroup/1': {
      const n = args[0];
      if (n?.t !== 'str') return fail('class_cast_exception', 'Cannot cast the argument to java.lang.String');
      if (!Object.hasOwn(m.namedGroups, n.v)) return fail('illegal_argument_exception', `No group with name <${n.v}>`);
      needMatch();
      return str(m.group(n.v));
    }
    case 'groupCount/0':
      return int(count);
    case 'start/0':
    case 'end/0':
      if (!mt.matched) return fail('illegal_state_exception', 'No match available');
      return int(name === 'start' ? m.start() : m.end());
    case 'start/1':
    case 'end/1': {
      const g = group(args[0]);
      if (!mt.matched) return fail('illegal_state_exception', 'No match available');
      return int(name === 'start' ? m.start(g) : m.end(g));
    }
    case 'replaceAll/1':
    case 'replaceFirst/1': {
      const r = args[0];
      if (r?.t !== 'str') return fail('class_cast_exception', 'Cannot cast the argument to java.lang.String');
      mt.matched = false;
      return str(replace(mt, r.v, name === 'replaceAll', fail));
    }
    case 'reset/0':
      m.reset();
      mt.matched = false;
      return recv;
    case 'pattern/0':
      return { t: 'pattern', v: mt.pattern };
    case 'hitEnd/0':
    case 'requireEnd/0':
    case 'region/2':
    case 'regionStart/0':
    case 'regionEnd/0':
    case 'hasAnchoringBounds/0':
    case 'hasTransparentBounds/0':
    case 'useAnchoringBounds/1':
    case 'useTransparentBounds/1':
    case 'usePattern/1':
      return unsupported(`[Matcher.${name}]`);
  }
  return undefined;
}

/**
 * Matcher.replaceAll / replaceFirst with Java's replacement syntax: `$n` (the longest group number
 * that exists), `${name}`, and `\` quoting the next character.
 */
function replace(mt: JavaMatcher, replacement: string, all: boolean, fail: Fail): string {
  const { m, input } = mt;
  const count = m.groupCount();
  m.reset();
  let out = '';
  let last = 0;
  while (m.find()) {
    out += input.slice(last, m.start());
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i] as string;
      if (c === '\\') {
        i++;
        if (i >= replacement.length) return fail('illegal_argument_exception', 'character to be escaped is missing');
        out += replacement[i] as string;
      } else if (c === '$') {
        i++;
        if (i >= replacement.length) return fail('illegal_argument_exception', 'Illegal group reference: group index is missing');
        if (replacement[i] === '{') {
          const close = replacement.indexOf('}', i);
          const name = close === -1 ? '' : replacement.slice(i + 1, close);
          if (close === -1 || name.length === 0) return fail('illegal_argument_exception', "named capturing group is missing trailing '}'");
          if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) return fail('illegal_argument_exception', 'named capturing group is missing trailing \'}\'');
          if (!Object.hasOwn(m.namedGroups, name)) return fail('illegal_argument_exception', `No group with name {${name}}`);
          out += m.group(name) ?? '';
          i = close;
        } else {
          let n = (replacement.charCodeAt(i) ?? 0) - 48;
          if (n < 0 || n > 9) return fail('illegal_argument_exception', 'Illegal group reference');
          // more digits while the number stays a group that exists
          while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1] as string)) {
            const next = n * 10 + (replacement.charCodeAt(i + 1) - 48);
            if (next > count) break;
            n = next;
            i++;
          }
          if (n > count) return fail('index_out_of_bounds_exception', `No group ${n}`);
          out += m.group(n) ?? '';
        }
      } else out += c;
    }
    last = m.end();
    if (!all) break;
  }
  return out + input.slice(last);
}
