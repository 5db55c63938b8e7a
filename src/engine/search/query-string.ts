import { EngineError } from '../errors.js';
import { MAX_CLAUSE_COUNT, tooManyClauses } from './clause-limit.js';
import { parseQueryStringSyntax, QsSyntaxError } from './query-string-syntax.js';
import type { QsNode } from './query-string-syntax.js';
import type { MatchOptions, Query, QueryStringQuery } from './query.js';
import type { RewriteContext } from './rewrite-context.js';
import { resolveFields } from './rewrite-text.js';

/**
 * query_string -> Query nodes for one index (fields are resolved against its mapping, so
 * wildcard terms can be lowercased for text fields as Elasticsearch normalizes them).
 * Syntax errors fail as ES does: `query_shard_exception` "Failed to parse query [...]".
 */
export function queryStringToQuery(q: QueryStringQuery, ctx: RewriteContext): Query {
  let tree: QsNode;
  try {
    tree = parseQueryStringSyntax(q.query, q.defaultOperator);
  } catch (e) {
    if (e instanceof QsSyntaxError) {
      throw new EngineError(400, 'query_shard_exception', `Failed to parse query [${q.query}]`, {
        index_uuid: ctx.view.uuid,
        index: ctx.view.index,
        caused_by: { type: 'parse_exception', reason: e.message },
      });
    }
    throw e;
  }
  const defaults = q.fields.length > 0 ? q.fields : [q.defaultField ?? '*'];
  const out = convert(tree, defaults, q, ctx, true);
  out.boost *= q.boost;
  return out;
}

const matchOptions = (q: QueryStringQuery): MatchOptions => ({
  operator: q.defaultOperator,
  prefixLength: q.fuzzyPrefixLength,
  maxExpansions: q.fuzzyMaxExpansions,
  transpositions: true,
  zeroTerms: 'none',
  lenient: q.lenient,
  slop: q.phraseSlop,
  ...(q.analyzer ? { analyzer: q.analyzer } : {}),
});

function fieldsOf(node: { field?: string }, defaults: string[]): string[] {
  return node.field === undefined ? defaults : [node.field];
}

/** One term-level query per resolved field, combined with dis_max. */
function perField(ctx: RewriteContext, patterns: string[], make: (field: string, isText: boolean) => Query | undefined): Query {
  const queries: Query[] = [];
  for (const { field, boost } of resolveFields(ctx, patterns)) {
    const made = make(field.path, field.type === 'text');
    if (!made) continue;
    made.boost *= boost;
    queries.push(made);
  }
  if (queries.length === 0) return { kind: 'match_none', boost: 1 };
  if (queries.length === 1) return queries[0] as Query;
  return { kind: 'dis_max', queries, tieBreaker: 0, boost: 1 };
}

function convert(node: QsNode, defaults: string[], q: QueryStringQuery, ctx: RewriteContext, top: boolean): Query {
  const boost = node.boost ?? 1;
  switch (node.t) {
    case 'bool': {
      // refused before any clause is built (Lucene's BooleanQuery.Builder.add, see rewrite.ts)
      if (node.clauses.length > MAX_CLAUSE_COUNT) throw tooManyClauses(false);
      const b: Query = { kind: 'bool', must: [], should: [], filter: [], mustNot: [], boost };
      for (const c of node.clauses) {
        const sub = convert(c.node, defaults, q, ctx, false);
        if (c.occur === 'must') b.must.push(sub);
        else if (c.occur === 'should') b.should.push(sub);
        else b.mustNot.push(sub);
      }
      if (top && q.minimumShouldMatch !== undefined) b.minimumShouldMatch = q.minimumShouldMatch;
      return b;
    }
    case 'exists':
      return { kind: 'exists', field: node.field, boost };
    case 'range':
      return perField(ctx, fieldsOf(node, defaults), (field) => ({
        kind: 'range',
        field,
        boost: 1,
        ...(node.lower !== undefined ? { [node.includeLower ? 'gte' : 'gt']: node.lower } : {}),
        ...(node.upper !== undefined ? { [node.includeUpper ? 'lte' : 'lt']: node.upper } : {}),
      }));
    case 'term': {
      const fields = fieldsOf(node, defaults);
      const opts = matchOptions(q);
      let result: Query;
      if (node.regex) {
        result = perField(ctx, fields, (field) => ({ kind: 'regexp', field, value: node.text, caseInsensitive: false, boost: 1 }));
      } else if (node.wildcard) {
        if (node.text === '*') {
          result = node.field === undefined || node.field === '*' ? { kind: 'match_all', boost: 1 } : { kind: 'exists', field: node.field, boost: 1 };
        } else {
          const isPrefix = /^[^*?]*\*$/.test(node.text.replace(/\\./g, 'x'));
          result = perField(ctx, fields, (field, isText) => {
            const value = isText ? node.text.toLowerCase() : node.text;
            return isPrefix
              ? { kind: 'prefix', field, value: value.slice(0, -1).replace(/\\(.)/g, '$1'), caseInsensitive: false, boost: 1 }
              : { kind: 'wildcard', field, value, caseInsensitive: false, boost: 1 };
          });
        }
      } else {
        const type = node.quoted ? (q.type === 'phrase_prefix' ? 'phrase_prefix' : 'phrase') : 'boolean';
        const mo: MatchOptions = { ...opts, slop: node.slop ?? q.phraseSlop };
        if (node.fuzzy !== undefined) {
          const n = Number(node.fuzzy);
          mo.fuzziness = Number.isFinite(n) ? { auto: false, edits: Math.min(2, Math.trunc(n)) } : q.fuzziness;
        }
        const firstField = fields[0] ?? '*';
        if (fields.length === 1 && !firstField.includes('*') && !firstField.includes('^')) {
          result = { kind: 'match', field: firstField, text: node.text, type, boost: 1, ...mo };
        } else {
          const mmType = node.quoted ? (type === 'phrase_prefix' ? 'phrase_prefix' : 'phrase') : q.type === 'phrase' || q.type === 'phrase_prefix' ? 'best_fields' : q.type;
          result = {
            kind: 'multi_match',
            fields,
            text: node.text,
            type: mmType,
            boost: 1,
            ...mo,
            ...(q.tieBreaker !== undefined ? { tieBreaker: q.tieBreaker } : {}),
          };
        }
      }
      result.boost *= boost;
      return result;
    }
  }
}
