import type { SegmentView } from '../contract.js';
import { illegalArgument, parsingError, unsupported } from '../errors.js';
import { MAX_CLAUSE_COUNT, tooManyClauses } from './clause-limit.js';
import { scalar } from './parse-term-level.js';
import { commonOption, isObject, singleField } from './parse-util.js';
import { NONE, boosted } from './primitive.js';
import type { Primitive } from './primitive.js';
import type { TermsSetQuery } from './query.js';
import { scanDocs } from './rewrite-context.js';
import type { RewriteContext } from './rewrite-context.js';
import { rewriteTerm } from './rewrite-terms.js';
import { numericResult } from './script/painless.js';
import { compileScript, parseScript } from './script/script-spec.js';
import { segmentEnv } from './script/script-scorers.js';

/**
 * `terms_set` (TermsSetQueryBuilder): Lucene's CoveringQuery over one term query per value (as
 * the `term` query builds it for the field's type; duplicates kept): a doc matches when at least
 * max(1, n) of them match, n its `minimum_should_match_field` value or its
 * `minimum_should_match_script` result (`params.num_terms` is the number of values); a doc
 * without one does not match. Its score is the sum of the matching term queries' scores, each
 * carrying the query's boost. Built as a bool: the term queries' disjunction, filtered by the count.
 */

const NAME = 'terms_set';

export function parseTermsSet(body: unknown): TermsSetQuery {
  const [field, specRaw] = singleField(NAME, body);
  if (!isObject(specRaw)) throw parsingError(`[${NAME}] unknown token [${Array.isArray(specRaw) ? 'START_ARRAY' : 'VALUE_STRING'}]`);
  const q: TermsSetQuery = { kind: NAME, field, terms: [], boost: 1 };
  for (const [key, v] of Object.entries(specRaw)) {
    if (key === 'terms' && Array.isArray(v)) q.terms = v.map((x) => scalar('terms', x));
    else if (key === 'minimum_should_match_script' && isObject(v)) {
      if (q.minimumShouldMatchField !== undefined) throw illegalArgument('A field has already been specified. Cannot specify both a field and script');
      q.minimumShouldMatchScript = parseScript(v, NAME);
    } else if (key === 'minimum_should_match_field' && !isObject(v) && !Array.isArray(v)) {
      if (q.minimumShouldMatchScript !== undefined) throw illegalArgument('A script has already been specified. Cannot specify both a field and script');
      q.minimumShouldMatchField = String(v);
    } else if (key === 'minimum_should_match') throw unsupported(`[minimum_should_match] of the [${NAME}] query (minimum_should_match_field and minimum_should_match_script are supported)`);
    else if (isObject(v) || Array.isArray(v) || !commonOption(NAME, q, key, v)) throw parsingError(`[${NAME}] query does not support [${key}]`);
  }
  return q;
}

/** The docs of one term query of the set in a segment (what CoveringScorer's sub-scorers iterate). */
function clauseDocs(p: Primitive, seg: SegmentView): ArrayLike<number> {
  switch (p.op) {
    case 'none':
      return [];
    case 'term':
      return seg.postings(p.field, p.term)?.docs ?? [];
    case 'docs':
      return p.match(seg);
    case 'const':
      return clauseDocs(p.inner, seg);
    default:
      throw unsupported(`[${NAME}] over a field whose term query is a [${p.op}] query`);
  }
}

/** The per-doc minimum of one segment: a function of the doc, undefined when the doc has none (it then never matches). */
type MinimumOf = (seg: SegmentView) => (doc: number) => number | undefined;

function minimumSource(q: TermsSetQuery, ctx: RewriteContext): MinimumOf {
  if (q.minimumShouldMatchField !== undefined) {
    const f = ctx.field(q.minimumShouldMatchField);
    if (!f) return ctx.fail(`failed to find minimum_should_match field [${q.minimumShouldMatchField}]`);
    const numeric = ['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long', 'token_count', 'date', 'boolean'];
    if (!numeric.includes(f.type) || !f.docValues) throw unsupported(`[minimum_should_match_field] [${f.path}] of type [${f.type}] (a numeric field with doc values is needed)`);
    const path = f.path;
    return (seg) => (doc) => {
      const v = seg.numericValues(path, doc)?.[0];
      return v === undefined ? undefined : Math.trunc(v);
    };
  }
  if (q.minimumShouldMatchScript !== undefined) {
    // TermsSetQueryBuilder.createValuesSource: the script's params plus num_terms
    const spec = { ...q.minimumShouldMatchScript, params: { ...q.minimumShouldMatchScript.params, num_terms: q.terms.length } };
    const script = compileScript(spec, (path) => ctx.field(path), false, NAME, ctx.scripts);
    return (seg) => {
      const env = segmentEnv(script, seg);
      return (doc) => {
        env.doc = doc;
        const v = script.run(env);
        return v.t === 'null' ? undefined : Math.trunc(numericResult(script, v));
      };
    };
  }
  const reason = 'No minimum should match has been specified';
  return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_state_exception', reason });
}

export function rewriteTermsSet(q: TermsSetQuery, ctx: RewriteContext): Primitive {
  if (q.terms.length === 0) return NONE;
  if (q.terms.length > MAX_CLAUSE_COUNT) throw tooManyClauses(false);
  const clauses = q.terms.map((value) => rewriteTerm({ kind: 'term', field: q.field, value, caseInsensitive: false, boost: 1 }, ctx));
  const minimum = minimumSource(q, ctx);
  const live = clauses.filter((c) => c.op !== 'none');
  if (live.length === 0) return NONE;
  const covering: Primitive = {
    op: 'docs',
    boost: 0,
    label: `CoveringQuery(${q.field})`,
    match: (seg) => {
      const counts = new Int32Array(seg.maxDoc);
      for (const c of live) {
        const docs = clauseDocs(c, seg);
        for (let i = 0; i < docs.length; i++) counts[docs[i] as number]!++;
      }
      const min = minimum(seg);
      return scanDocs(seg, (d) => {
        if (counts[d] === 0) return false;
        const n = min(d);
        return n !== undefined && (counts[d] as number) >= Math.max(1, n);
      });
    },
  };
  // each term query carries the boost (CoveringQuery's weight passes it to its sub-weights); duplicates are kept
  const disjunction: Primitive = { op: 'bool', must: [], should: live.map((c) => boosted(c, q.boost)), filter: [], mustNot: [], msm: 0, boost: 1 };
  return { op: 'bool', must: [disjunction], should: [], filter: [covering], mustNot: [], msm: 0, boost: 1 };
}

