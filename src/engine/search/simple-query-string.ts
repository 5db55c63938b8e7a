import type { MatchOptions, Query, SimpleQueryStringQuery } from './query.js';
import type { RewriteContext } from './rewrite-context.js';
import { resolveFields } from './rewrite-text.js';

/**
 * simple_query_string (Lucene's SimpleQueryParser): `+` AND, `|` OR, `-` NOT, `"phrase"~slop`,
 * `prefix*`, `term~N`, `( )`, `\` escapes; whitespace applies default_operator. It never fails
 * on syntax: stray operators are ignored. Each term searches all fields as most_fields.
 */
export function simpleQueryStringToQuery(q: SimpleQueryStringQuery, ctx: RewriteContext): Query {
  const fields = q.fields.length > 0 ? q.fields : ['*'];
  const p = new Parser(q, fields, ctx);
  const out = p.parseSequence(false) ?? { kind: 'match_none', boost: 1 };
  if (q.minimumShouldMatch !== undefined && out.kind === 'bool') out.minimumShouldMatch = q.minimumShouldMatch;
  out.boost *= q.boost;
  return out;
}

class Parser {
  private i = 0;
  private readonly s: string;
  constructor(
    private readonly q: SimpleQueryStringQuery,
    private readonly fields: string[],
    private readonly ctx: RewriteContext,
  ) {
    this.s = q.query;
  }
  private on(flag: string): boolean {
    return this.q.flags.has(flag);
  }

  /** Left-to-right fold with the current operator, flattening runs of the same operator. */
  parseSequence(nested: boolean): Query | undefined {
    let acc: Query | undefined;
    let accOp: 'and' | 'or' | undefined;
    let op: 'and' | 'or' = this.q.defaultOperator;
    let negate = false;
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (/\s/.test(c) && this.on('WHITESPACE')) {
        this.i++;
        continue;
      }
      if (c === ')' && nested && this.on('PRECEDENCE')) {
        this.i++;
        break;
      }
      if (c === '+' && this.on('AND')) {
        op = 'and';
        this.i++;
        continue;
      }
      if (c === '|' && this.on('OR')) {
        op = 'or';
        this.i++;
        continue;
      }
      if (c === '-' && this.on('NOT')) {
        negate = !negate;
        this.i++;
        continue;
      }
      let clause: Query | undefined;
      const before = this.i;
      if (c === ')' && !nested) {
        // a stray closing parenthesis is ignored (the parser never fails on syntax)
        this.i++;
        continue;
      }
      if (c === '(' && this.on('PRECEDENCE')) {
        this.i++;
        clause = this.parseSequence(true);
      } else if (c === '"' && this.on('PHRASE')) {
        clause = this.phrase();
      } else {
        clause = this.term();
      }
      if (!clause) {
        if (this.i === before) this.i++; // always make progress on characters that form no term
        continue;
      }
      if (negate) {
        // SimpleQueryParser: NOT x = match_all (should) minus x
        clause = { kind: 'bool', must: [], should: [{ kind: 'match_all', boost: 1 }], filter: [], mustNot: [clause], boost: 1 };
        negate = false;
      }
      if (!acc) acc = clause;
      else if (accOp === op && acc.kind === 'bool') (op === 'and' ? acc.must : acc.should).push(clause);
      else acc = { kind: 'bool', must: op === 'and' ? [acc, clause] : [], should: op === 'or' ? [acc, clause] : [], filter: [], mustNot: [], boost: 1 };
      accOp = op;
      op = this.q.defaultOperator;
    }
    return acc;
  }

  private phrase(): Query | undefined {
    const end = this.s.indexOf('"', this.i + 1);
    if (end === -1) {
      this.i++;
      return this.term();
    }
    const text = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    let slop = 0;
    const m = /^~(\d+)/.exec(this.s.slice(this.i));
    if (m && this.on('SLOP')) {
      slop = Number(m[1]);
      this.i += m[0].length;
    }
    return this.fieldsQuery(text, 'phrase', { slop });
  }

  private term(): Query | undefined {
    let text = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === '\\' && this.on('ESCAPE') && this.i + 1 < this.s.length) {
        text += this.s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (/\s/.test(c) || (c === '|' && this.on('OR')) || (c === '+' && this.on('AND')) || (c === ')' && this.on('PRECEDENCE')) || (c === '(' && this.on('PRECEDENCE')) || (c === '"' && this.on('PHRASE'))) break;
      if (c === '~' && this.on('FUZZY')) break;
      text += c;
      this.i++;
    }
    let fuzzy: number | undefined;
    const m = /^~(\d*)/.exec(this.s.slice(this.i));
    if (m && this.s[this.i] === '~') {
      this.i += m[0].length;
      fuzzy = m[1] === '' ? 2 : Math.min(2, Number(m[1]));
    }
    if (text === '') return undefined;
    if (text.endsWith('*') && this.on('PREFIX') && text.length > 1) {
      const prefix = text.slice(0, -1);
      return this.perField((field, isText) => ({ kind: 'prefix', field, value: isText ? prefix.toLowerCase() : prefix, caseInsensitive: false, boost: 1 }));
    }
    return this.fieldsQuery(text, 'boolean', fuzzy !== undefined ? { fuzziness: { auto: false, edits: fuzzy } } : {});
  }

  private options(extra: Partial<MatchOptions>): MatchOptions {
    return {
      operator: this.q.defaultOperator,
      prefixLength: 0,
      maxExpansions: 50,
      transpositions: true,
      zeroTerms: 'none',
      lenient: true,
      slop: 0,
      ...(this.q.analyzer ? { analyzer: this.q.analyzer } : {}),
      ...extra,
    };
  }

  private fieldsQuery(text: string, type: 'boolean' | 'phrase', extra: Partial<MatchOptions>): Query {
    return {
      kind: 'multi_match',
      fields: this.fields,
      text,
      type: type === 'phrase' ? 'phrase' : 'most_fields',
      boost: 1,
      ...this.options({ ...extra, lenient: this.q.lenient || this.fields.some((f) => f.includes('*')) }),
      ...(type === 'phrase' ? { tieBreaker: 1 } : {}),
    };
  }

  private perField(make: (field: string, isText: boolean) => Query): Query {
    const queries: Query[] = [];
    for (const { field, boost } of resolveFields(this.ctx, this.fields)) {
      if (field.type !== 'text' && field.type !== 'keyword') continue;
      const q = make(field.path, field.type === 'text');
      q.boost *= boost;
      queries.push(q);
    }
    if (queries.length === 0) return { kind: 'match_none', boost: 1 };
    if (queries.length === 1) return queries[0] as Query;
    return { kind: 'dis_max', queries, tieBreaker: 1, boost: 1 };
  }
}
