/**
 * Lucene classic QueryParser syntax as Elasticsearch's query_string accepts it, parsed into a
 * small clause tree: terms, "phrases"~slop, field:value, field:(group), +/-/NOT/AND/OR/&&/||/!,
 * wildcards * ?, /regexp/, term~fuzziness, ^boost, [a TO b] {a TO b} ranges, >, >=, <, <=,
 * _exists_:field, parentheses and \ escapes. Clause occurrence follows QueryParser.addClause.
 */

export type Occur = 'must' | 'should' | 'must_not';

export type QsNode =
  | { t: 'bool'; clauses: Array<{ occur: Occur; node: QsNode }>; boost?: number }
  | {
      t: 'term';
      field?: string;
      text: string;
      quoted: boolean;
      /** Contains an unescaped * or ?. */
      wildcard: boolean;
      regex: boolean;
      fuzzy?: string;
      slop?: number;
      boost?: number;
    }
  | { t: 'range'; field?: string; lower?: string; upper?: string; includeLower: boolean; includeUpper: boolean; boost?: number }
  | { t: 'exists'; field: string; boost?: number };

export class QsSyntaxError extends Error {}

/** Deepest `(...)` nesting parsed; past it the query is refused instead of recursed into (no stack overflow). */
export const MAX_GROUP_DEPTH = 100;

const SPECIAL = new Set([...'+-!():^[]"{}~*?\\/ \t\n\r']);

const WHITESPACE = /\s*/y;
const CONJUNCTION = /(AND|OR|&&|\|\|)(?=[\s(]|$)/y;
const NOT = /NOT(?=[\s(]|$)/y;

export function parseQueryStringSyntax(input: string, defaultOperator: 'or' | 'and'): QsNode {
  let i = 0;
  let depth = 0;
  // sticky expressions read at i: no slice of the rest of the input per clause (a 50,000-clause
  // query is read in one synchronous step, so each clause must cost little)
  const peekWs = (): void => {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(input);
    i = WHITESPACE.lastIndex;
  };
  const fail = (msg: string): never => {
    throw new QsSyntaxError(`Cannot parse '${input}': ${msg}`);
  };

  const readWord = (): { text: string; wildcard: boolean } => {
    let text = '';
    let wildcard = false;
    while (i < input.length) {
      const c = input[i] as string;
      if (c === '\\') {
        const n = input[i + 1];
        if (n === undefined) fail(`Lexical error at line 1, column ${i + 2}.  Encountered: <EOF> after : "\\"`);
        text += `\\${n}`;
        i += 2;
        continue;
      }
      if (c === '*' || c === '?') {
        wildcard = true;
        text += c;
        i++;
        continue;
      }
      if (SPECIAL.has(c) && !(c === '-' || c === '+' || c === '!') ) break;
      if ((c === '-' || c === '+' || c === '!') && text === '') break;
      text += c;
      i++;
    }
    return { text, wildcard };
  };

  const suffixes = (node: QsNode): QsNode => {
    for (;;) {
      if (input[i] === '~' && node.t === 'term') {
        i++;
        const m = /^\d+(\.\d+)?|^AUTO(:\d+,\d+)?/i.exec(input.slice(i));
        const v = m ? m[0] : '';
        i += v.length;
        if (node.quoted) node.slop = v === '' ? 0 : Math.trunc(Number(v));
        else node.fuzzy = v === '' ? 'AUTO' : v;
      } else if (input[i] === '^') {
        i++;
        const m = /^\d+(\.\d+)?/.exec(input.slice(i));
        if (!m) fail(`Encountered " "^" "^ "" at line 1, column ${i}.`);
        node.boost = Number(m![0]);
        i += m![0].length;
      } else return node;
    }
  };

  const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

  const parseRange = (field: string | undefined): QsNode => {
    const open = input[i++] as string;
    const close = input.slice(i).search(/[\]}]/);
    if (close === -1) fail(`Encountered "<EOF>" at line 1, column ${input.length}.`);
    const body = input.slice(i, i + close).trim();
    const endChar = input[i + close];
    i += close + 1;
    const m = /^(\S+|"[^"]*")\s+TO\s+(\S+|"[^"]*")$/.exec(body);
    if (!m) fail(`Encountered "${endChar}" at line 1, column ${i}.`);
    const clean = (s: string): string | undefined => (s === '*' ? undefined : unescape(s.replace(/^"|"$/g, '')));
    return { t: 'range', field, lower: clean(m![1] as string), upper: clean(m![2] as string), includeLower: open === '[', includeUpper: endChar === ']' };
  };

  const parseClause = (field: string | undefined): QsNode => {
    peekWs();
    const c = input[i];
    if (c === undefined) fail(`Encountered "<EOF>" at line 1, column ${input.length}.`);
    if (c === '(') {
      if (++depth > MAX_GROUP_DEPTH) fail(`groups nested deeper than ${MAX_GROUP_DEPTH} at column ${i + 1}`);
      i++;
      const inner = parseBoolean(field, true);
      depth--;
      if (input[i] !== ')') fail(`Encountered "<EOF>" at line 1, column ${input.length}. Was expecting: ")"`);
      i++;
      return suffixes(inner);
    }
    if (c === '"') {
      const end = findQuoteEnd(i + 1);
      const text = unescape(input.slice(i + 1, end));
      i = end + 1;
      return suffixes({ t: 'term', field, text, quoted: true, wildcard: false, regex: false });
    }
    if (c === '/') {
      let j = i + 1;
      while (j < input.length && input[j] !== '/') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) fail(`Lexical error at line 1, column ${input.length + 1}.  Encountered: <EOF> after : "${input.slice(i)}"`);
      const text = input.slice(i + 1, j);
      i = j + 1;
      return suffixes({ t: 'term', field, text, quoted: false, wildcard: false, regex: true });
    }
    if (c === '[' || c === '{') return suffixes(parseRange(field));
    if (c === '>' || c === '<') {
      const op = input[i + 1] === '=' ? `${c}=` : c;
      i += op.length;
      const { text } = readWord();
      const v = unescape(text);
      const r: QsNode =
        op === '>' ? { t: 'range', field, lower: v, includeLower: false, includeUpper: true }
        : op === '>=' ? { t: 'range', field, lower: v, includeLower: true, includeUpper: true }
        : op === '<' ? { t: 'range', field, upper: v, includeLower: true, includeUpper: false }
        : { t: 'range', field, upper: v, includeLower: true, includeUpper: true };
      return suffixes(r);
    }
    const { text, wildcard } = readWord();
    if (text === '' && !wildcard) fail(`Encountered " "${c}" "${c} "" at line 1, column ${i}.`);
    if (input[i] === ':' && !wildcard || (input[i] === ':' && /^[\w.*]+$/.test(text))) {
      i++;
      const name = unescape(text);
      if (name === '_exists_') {
        peekWs();
        const { text: f } = readWord();
        return suffixes({ t: 'exists', field: unescape(f) });
      }
      return parseClause(name);
    }
    if (text === '*' && field === undefined && input[i] === ':') {
      i++;
      return parseClause('*');
    }
    return suffixes({ t: 'term', field, text: wildcard ? text : unescape(text), quoted: false, wildcard, regex: false });
  };

  const findQuoteEnd = (from: number): number => {
    for (let j = from; j < input.length; j++) {
      if (input[j] === '\\') j++;
      else if (input[j] === '"') return j;
    }
    return fail(`Lexical error at line 1, column ${input.length + 1}.  Encountered: <EOF> after : "${input.slice(from - 1)}"`);
  };

  const parseBoolean = (field: string | undefined, nested: boolean): QsNode => {
    const clauses: Array<{ occur: Occur; node: QsNode }> = [];
    let first = true;
    for (;;) {
      peekWs();
      if (i >= input.length || (nested && input[i] === ')')) break;
      let conj: 'and' | 'or' | undefined;
      CONJUNCTION.lastIndex = i;
      const conjMatch = CONJUNCTION.exec(input);
      if (conjMatch) {
        if (first) fail(`Encountered " <${conjMatch[1] === 'OR' || conjMatch[1] === '||' ? 'OR' : 'AND'}> "${conjMatch[1]} "" at line 1, column ${i}.`);
        conj = conjMatch[1] === 'AND' || conjMatch[1] === '&&' ? 'and' : 'or';
        i += conjMatch[0].length;
        peekWs();
      }
      let mod: 'req' | 'not' | undefined;
      if (input[i] === '+') {
        mod = 'req';
        i++;
      } else if (input[i] === '-' || input[i] === '!') {
        mod = 'not';
        i++;
      } else if (((NOT.lastIndex = i), NOT.test(input))) {
        mod = 'not';
        i += 3;
      }
      const node = parseClause(field);
      addClause(clauses, conj, mod, node, defaultOperator);
      first = false;
    }
    if (clauses.length === 1 && clauses[0]?.occur !== 'must_not') return (clauses[0] as { node: QsNode }).node;
    return { t: 'bool', clauses };
  };

  const root = parseBoolean(undefined, false);
  if (i < input.length) fail(`Encountered " ")" ") "" at line 1, column ${i}.`);
  return root;
}

/** QueryParserBase.addClause: how AND/OR and +/- decide each clause's occurrence. */
function addClause(
  clauses: Array<{ occur: Occur; node: QsNode }>,
  conj: 'and' | 'or' | undefined,
  mod: 'req' | 'not' | undefined,
  node: QsNode,
  defaultOperator: 'or' | 'and',
): void {
  const last = clauses[clauses.length - 1];
  if (last && conj === 'and' && last.occur !== 'must_not') last.occur = 'must';
  if (last && defaultOperator === 'and' && conj === 'or' && last.occur !== 'must_not') last.occur = 'should';
  let required: boolean;
  let prohibited: boolean;
  if (defaultOperator === 'or') {
    required = mod === 'req';
    prohibited = mod === 'not';
    if (conj === 'and' && !prohibited) required = true;
  } else {
    prohibited = mod === 'not';
    required = !prohibited && conj !== 'or';
  }
  clauses.push({ occur: required && !prohibited ? 'must' : prohibited ? 'must_not' : 'should', node });
}
