import { EngineError } from '../errors.js';
import type { Primitive } from './primitive.js';

/**
 * Lucene's clause limit (IndexSearcher.maxClauseCount; Elasticsearch 8 derives
 * `indices.query.bool.max_clause_count` from the heap, 4,096 is its value for a small node):
 * a boolean query with more direct clauses is `too_many_clauses`, a query tree with more leaf
 * clauses (terms of phrases and synonyms counted one by one) `too_many_nested_clauses`. Checked
 * on the rewritten query, before any weight or scorer is built.
 */
export const MAX_CLAUSE_COUNT = 4096;

/** The refusal of a query with more than `max` clauses: direct ones of one boolean query, or in all (`nested`). */
export function tooManyClauses(nested: boolean, max = MAX_CLAUSE_COUNT): EngineError {
  return nested ? tooMany('too_many_nested_clauses', `Query contains too many nested clauses; maxClauseCount is set to ${max}`) : tooMany('too_many_clauses', `maxClauseCount is set to ${max}`);
}

/** Elasticsearch 8.16+'s answer: an illegal_argument_exception caused by Lucene's exception (400). */
function tooMany(type: 'too_many_clauses' | 'too_many_nested_clauses', reason: string): EngineError {
  return new EngineError(400, 'illegal_argument_exception', 'Query rewrite failed: too many clauses', { caused_by: { type, reason } });
}

export function checkClauseCount(root: Primitive, max = MAX_CLAUSE_COUNT): void {
  let total = 0;
  const stack: Primitive[] = [root];
  const leaves = (n: number): void => {
    total += n;
    if (total > max) throw tooMany('too_many_nested_clauses', `Query contains too many nested clauses; maxClauseCount is set to ${max}`);
  };
  while (stack.length > 0) {
    const p = stack.pop() as Primitive;
    switch (p.op) {
      case 'bool': {
        const direct = p.must.length + p.should.length + p.filter.length + p.mustNot.length;
        if (direct > max) throw tooMany('too_many_clauses', `maxClauseCount is set to ${max}`);
        stack.push(...p.must, ...p.should, ...p.filter, ...p.mustNot);
        break;
      }
      case 'dismax':
        if (p.subs.length > max) throw tooMany('too_many_clauses', `maxClauseCount is set to ${max}`);
        stack.push(...p.subs);
        break;
      case 'const':
      case 'nested':
      case 'named':
        stack.push(p.inner);
        break;
      case 'boosting':
        stack.push(p.positive, p.negative);
        break;
      case 'function_score':
      case 'script_score':
        stack.push(p.inner);
        break;
      case 'synonym':
        leaves(p.terms.length);
        break;
      case 'phrase':
        leaves(p.terms.reduce((n, alternatives) => n + alternatives.length, 0));
        break;
      case 'span':
        leaves(p.source.leafCount());
        break;
      default:
        leaves(1);
    }
  }
}
