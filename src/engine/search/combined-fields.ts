import type { Analyzer } from '../contract.js';
import { EngineError, parsingError, unsupported } from '../errors.js';
import { asBoolean, asMinimumShouldMatch, asString, asStringList, commonOption, expectObject, oneOf } from './parse-util.js';
import { NONE, boosted } from './primitive.js';
import type { Primitive } from './primitive.js';
import type { CombinedFieldsQuery } from './query.js';
import type { RewriteContext } from './rewrite-context.js';
import { combine, positions, resolveFields } from './rewrite-text.js';

/**
 * `combined_fields` as Elasticsearch's CombinedFieldsQueryBuilder: the text analysed once with
 * the fields' shared search analyzer, each position a CombinedFieldQuery over every field (its
 * synonyms as its terms), combined with the operator and minimum_should_match like `match`.
 */

const NAME = 'combined_fields';
const OPTIONS = new Set(['query', 'fields', 'operator', 'minimum_should_match', 'zero_terms_query', 'auto_generate_synonyms_phrase_query']);

export function parseCombinedFields(body: unknown): CombinedFieldsQuery {
  const o = expectObject(NAME, body);
  const q: CombinedFieldsQuery = { kind: 'combined_fields', text: '', fields: [], operator: 'or', zeroTerms: 'none', autoGenerateSynonymsPhraseQuery: true, boost: 1 };
  let hasQuery = false;
  for (const [key, v] of Object.entries(o)) {
    if (commonOption(NAME, q, key, v)) continue;
    if (!OPTIONS.has(key)) throw new EngineError(400, 'x_content_parse_exception', `[1:1] [${NAME}] unknown field [${key}]`);
    switch (key) {
      case 'query':
        q.text = asString(NAME, key, v);
        hasQuery = true;
        break;
      case 'fields':
        q.fields = asStringList(NAME, key, v);
        for (const f of q.fields) validateBoost(f);
        break;
      case 'operator':
        q.operator = oneOf(NAME, key, v, ['or', 'and'] as const);
        break;
      case 'minimum_should_match':
        q.minimumShouldMatch = asMinimumShouldMatch(NAME, v);
        break;
      case 'zero_terms_query':
        q.zeroTerms = oneOf(NAME, key, v, ['none', 'all'] as const);
        break;
      case 'auto_generate_synonyms_phrase_query':
        q.autoGenerateSynonymsPhraseQuery = asBoolean(NAME, key, v);
        break;
    }
  }
  if (!hasQuery) throw parsingError(`[${NAME}] requires 'query' field`);
  return q;
}

/** CombinedFieldsQueryBuilder.validateFieldBoost: BM25F needs every field weight >= 1. */
function validateBoost(pattern: string): void {
  const caret = pattern.lastIndexOf('^');
  if (caret <= 0) return;
  const boost = Math.fround(Number(pattern.slice(caret + 1)));
  if (!(boost >= 1)) {
    throw new EngineError(400, 'x_content_parse_exception', `[1:1] [${NAME}] failed to parse field [fields]`, undefined, new EngineError(400, 'illegal_argument_exception', `[${NAME}] requires field boosts to be >= 1.0`));
  }
}

export function rewriteCombinedFields(q: CombinedFieldsQuery, ctx: RewriteContext): Primitive {
  const failArg = (reason: string): never => ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  if (q.fields.length === 0) failArg(`In [${NAME}] query, at least one field must be provided`);
  const resolved = resolveFields(ctx, q.fields);
  if (resolved.length === 0) return NONE;
  const fields: Array<{ field: string; weight: number }> = [];
  let shared: Analyzer | undefined;
  for (const { field: f, boost } of resolved) {
    if (f.type !== 'text') failArg(`Field [${f.path}] of type [${f.type}] does not support [${NAME}] queries`);
    if (f.matchOnly) throw unsupported(`[${NAME}] over the match_only_text field [${f.path}] (its postings have no frequencies)`);
    ctx.requireSearchable(f);
    const analyzer = ctx.analyzer(f, undefined, false);
    if (shared !== undefined && analyzer?.name !== shared.name) failArg(`All fields in [${NAME}] query must have the same search analyzer`);
    shared = analyzer;
    fields.push({ field: f.path, weight: Math.fround(boost) });
  }
  const tokens = shared ? shared.analyze(q.text) : [];
  if (tokens.some((t) => (t.positionLength ?? 1) > 1)) throw unsupported('combined_fields query over multi-position synonyms');
  const { terms } = positions(tokens);
  if (terms.length === 0) return q.zeroTerms === 'all' ? { op: 'all', boost: q.boost } : NONE;
  const clauses: Primitive[] = terms.map((alts) => ({ op: 'combined', fields, terms: alts, boost: 1 }));
  return boosted(combine(clauses, { operator: q.operator, ...(q.minimumShouldMatch !== undefined ? { minimumShouldMatch: q.minimumShouldMatch } : {}) }), q.boost);
}
