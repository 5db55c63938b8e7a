import { EngineError, unsupported } from '../../errors.js';
import { MAX_CLAUSE_COUNT } from '../clause-limit.js';
import { normalizeKeyword } from '../field-values.js';
import type { Primitive } from '../primitive.js';
import type { Query, QueryOf, SpanNode, SpanQuery } from '../query.js';
import { prefixDocs } from '../rewrite-context.js';
import type { RewriteContext } from '../rewrite-context.js';
import { fuzzyTopTerms } from '../rewrite-terms.js';
import {
  SpanContainSource,
  SpanFirstSource,
  SpanGapSource,
  SpanMaskSource,
  SpanNearSource,
  SpanNoneSource,
  SpanNotSource,
  SpanOrSource,
  SpanTermSource,
} from './span-source.js';
import type { SpanSource } from './span-source.js';
import { SAYT_MAX_GRAM, SAYT_PREFIX_SUFFIX } from '../../analysis/search-as-you-type.js';

/**
 * A span query -> the SpanQuery tree Elasticsearch 8's builders make for one index (doToQuery),
 * with Lucene's rewrite of span_multi: the multi-term query's terms over the whole index, as
 * SpanBooleanQueryRewriteWithMaxClause (all of them, more than max_clause_count an error) or,
 * with a `top_terms_N` rewrite (and for fuzzy, its max_expansions), TopTermsSpanBooleanQueryRewrite.
 */

type Rewrite = (q: Query, ctx: RewriteContext) => Primitive;

export function rewriteSpan(q: SpanQuery, ctx: RewriteContext, rewrite: Rewrite): Primitive {
  if (q.span.type === 'gap') throw unsupported('span_gap outside span_near');
  const source = build(q.span, ctx, rewrite);
  // MatchOnlyTextFieldMapper indexes no positions: span queries cannot run on it
  if (ctx.field(source.field)?.matchOnly) throw unsupported(`span queries on the match_only_text field [${source.field}] (it indexes no positions)`);
  const scoring = source.scoring();
  if (scoring instanceof SpanTermSource && scoring.hiddenPrefix) {
    // outermost, the masked prefix term scores with the hidden field's own statistics and norms
    throw unsupported(`span_multi prefix query on [${source.field}] with index_prefixes outside span_near/span_or/... (its hidden prefix field's statistics)`);
  }
  return { op: 'span', source, boost: q.boost };
}

/** An IllegalArgumentException of a query builder: the shard's `failed to create query`. */
function illegal(ctx: RewriteContext, reason: string): never {
  return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
}

function build(node: SpanNode, ctx: RewriteContext, rewrite: Rewrite): SpanSource {
  switch (node.type) {
    case 'term':
      return spanTerm(node, ctx);
    case 'near':
      return spanNear(node, ctx, rewrite);
    case 'or': {
      const clauses = node.clauses.map((c) => build(c, ctx, rewrite));
      const field = sameField(clauses, ctx, 'Clauses must have same field.');
      return new SpanOrSource(field, clauses);
    }
    case 'not': {
      const include = build(node.include, ctx, rewrite);
      const exclude = build(node.exclude, ctx, rewrite);
      if (include.field !== exclude.field) illegal(ctx, 'Clauses must have same field.');
      return new SpanNotSource(include, exclude, node.pre, node.post);
    }
    case 'first':
      return new SpanFirstSource(build(node.match, ctx, rewrite), node.end);
    case 'containing':
    case 'within': {
      const big = build(node.big, ctx, rewrite);
      const little = build(node.little, ctx, rewrite);
      if (big.field !== little.field) illegal(ctx, 'big and little not same field');
      return new SpanContainSource(node.type, big, little);
    }
    case 'field_masking':
      return new SpanMaskSource(build(node.query, ctx, rewrite), ctx.field(node.field)?.path ?? node.field);
    case 'multi':
      return spanMulti(node.match, ctx, rewrite);
    case 'gap':
      throw unsupported('span_gap outside span_near');
  }
}

function sameField(clauses: SpanSource[], ctx: RewriteContext, reason: string): string {
  const field = (clauses[0] as SpanSource).field;
  for (const c of clauses) if (c.field !== field) illegal(ctx, reason);
  return field;
}

/** SpanTermQueryBuilder: the term as the field's term query makes it; the field must index positions. */
function spanTerm(node: Extract<SpanNode, { type: 'term' }>, ctx: RewriteContext): SpanSource {
  const f = ctx.field(node.field);
  if (!f) return new SpanTermSource(node.field, String(node.value));
  if (f.type !== 'text') illegal(ctx, `Span term query requires position data, but field ${node.field} was indexed without position data`);
  ctx.requireSearchable(f);
  return new SpanTermSource(f.path, String(node.value));
}

/** SpanNearQueryBuilder: one clause is that clause; the near's field is its first clause's. */
function spanNear(node: Extract<SpanNode, { type: 'near' }>, ctx: RewriteContext, rewrite: Rewrite): SpanSource {
  const gapField = (c: SpanNode) => (c.type === 'gap' ? (ctx.field(c.field)?.path ?? c.field) : undefined);
  const first = node.clauses[0] as SpanNode;
  if (node.clauses.length === 1) {
    if (first.type === 'gap') throw unsupported('span_gap outside span_near');
    return build(first, ctx, rewrite);
  }
  const clauses: SpanSource[] = [];
  let field: string | undefined;
  for (const c of node.clauses) {
    const gap = gapField(c);
    if (c.type === 'gap') {
      if (!node.inOrder) illegal(ctx, 'Gaps can only be added to ordered near queries');
      if (field !== undefined && gap !== field) illegal(ctx, '[span_near] clauses must have same field');
      field ??= gap as string;
      clauses.push(new SpanGapSource(field, c.width));
      continue;
    }
    const s = build(c, ctx, rewrite);
    field ??= s.field;
    if (s.field !== field) illegal(ctx, `Cannot add clause ${s.toString()} to SpanNearQuery for field ${field}`);
    clauses.push(s);
  }
  return new SpanNearSource(field as string, clauses, node.slop, node.inOrder);
}

/** QueryParsers.parseRewriteMethod's top_terms sizes; null for the other (constant or scoring boolean) rewrites. */
function topTermsSize(ctx: RewriteContext, rewriteMethod: string | undefined): number | null {
  if (rewriteMethod === undefined) return null;
  if (['constant_score', 'constant_score_boolean', 'constant_score_blended', 'scoring_boolean'].includes(rewriteMethod)) return null;
  const m = /^top_terms_(?:boost_|blended_freqs_)?(\d+)$/.exec(rewriteMethod);
  if (m) return Number(m[1]);
  return illegal(ctx, `Failed to parse rewrite_method [${rewriteMethod}]`);
}

function spanMulti(inner: Query, ctx: RewriteContext, rewrite: Rewrite): SpanSource {
  if (inner.kind === 'prefix') return spanPrefix(inner, ctx);
  if (inner.kind === 'fuzzy') {
    const f = ctx.field(inner.field);
    if (!f) return new SpanNoneSource(inner.field, 'Inner query rewrote to match_none');
    if (f.type !== 'text' && f.type !== 'keyword') throw unsupported(`span_multi over a fuzzy query on [${f.type}] field [${f.path}]`);
    if (inner.rewrite !== undefined) throw unsupported('span_multi over a fuzzy query with a rewrite');
    const value = f.type === 'keyword' ? normalizeKeyword(f, inner.value) : inner.value;
    const terms = fuzzyTopTerms(ctx, f.path, value, inner).map((t) => t.term);
    return termsSource(f.path, terms.sort(), `${f.path}:${value}~${inner.fuzziness.auto ? 2 : inner.fuzziness.edits}`);
  }
  if (inner.kind === 'wildcard' || inner.kind === 'regexp' || inner.kind === 'range' || inner.kind === 'term') {
    const f = ctx.field(inner.field);
    // whether Elasticsearch rewrites a term query on an unmapped field to match_none here or fails is not known: refused
    if (!f && inner.kind === 'term') throw unsupported(`span_multi over a term query on the unmapped field [${inner.field}]`);
    if (!f) return new SpanNoneSource(inner.field, 'Inner query rewrote to match_none');
    if (inner.kind === 'term' && (f.type === 'text' || f.type === 'keyword')) notMultiTerm(ctx, 'org.apache.lucene.search.TermQuery');
    if (inner.kind === 'range' && ['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'date', 'date_nanos'].includes(f.type)) {
      notMultiTerm(ctx, 'org.apache.lucene.search.IndexOrDocValuesQuery');
    }
    if (f.type !== 'text' && f.type !== 'keyword') throw unsupported(`span_multi over a ${inner.kind} query on [${f.type}] field [${f.path}]`);
    const top = inner.kind === 'wildcard' || inner.kind === 'regexp' ? topTermsSize(ctx, inner.rewrite) : null;
    const p = rewrite({ ...inner, ...(inner.kind === 'wildcard' || inner.kind === 'regexp' ? { rewrite: undefined } : {}) } as Query, ctx);
    const named = p.op === 'named' ? p.inner : p;
    if (named.op === 'none') return new SpanNoneSource(f.path, 'Inner query rewrote to match_none');
    if (named.op !== 'docs' || !named.terms) throw unsupported(`span_multi over this ${inner.kind} query`);
    const accept = named.terms.matches;
    return expand(f.path, accept, top, multiTermText(inner, f.path), ctx);
  }
  throw unsupported(`span_multi over a ${inner.kind} query`);
}

function notMultiTerm(ctx: RewriteContext, className: string): never {
  const reason = `unsupported inner query, should be org.apache.lucene.search.MultiTermQuery but was ${className}`;
  return ctx.fail(`failed to create query: ${reason}`, { type: 'unsupported_operation_exception', reason });
}

/** The MultiTermQuery's toString, as the max_clause_count error quotes it. */
function multiTermText(q: Query, field: string): string {
  switch (q.kind) {
    case 'prefix':
      return `${field}:${q.value}*`;
    case 'wildcard':
      return `${field}:${q.value}`;
    case 'regexp':
      return `${field}:/${q.value}/`;
    case 'range': {
      const lo = q.gt ?? q.gte;
      const hi = q.lt ?? q.lte;
      return `${field}:${q.gte !== undefined ? '[' : '{'}${lo === undefined ? '*' : String(lo)} TO ${hi === undefined ? '*' : String(hi)}${q.lte !== undefined ? ']' : '}'}`;
    }
    default:
      return field;
  }
}

/** Code point order (Lucene's term order). */
const byCodePoint = (a: string, b: string): number => {
  const x = [...a].map((c) => c.codePointAt(0) as number);
  const y = [...b].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
};

/** The index's terms of `field` that `accept` keeps, as the span rewrite collects them. */
function expand(field: string, accept: (t: string) => boolean, top: number | null, text: string, ctx: RewriteContext): SpanSource {
  const terms = new Set<string>();
  for (const seg of ctx.view.segments) {
    for (const t of seg.terms(field)) {
      if (!accept(t) || terms.has(t)) continue;
      if (top === null && terms.size >= MAX_CLAUSE_COUNT) {
        // SpanBooleanQueryRewriteWithMaxClause's hard limit: a RuntimeException while the shard rewrites
        throw new EngineError(500, 'runtime_exception', `[${text} ] exceeds maxClauseCount [ Boolean maxClauseCount is set to ${MAX_CLAUSE_COUNT}]`);
      }
      terms.add(t);
    }
  }
  const sorted = [...terms].sort(byCodePoint);
  return termsSource(field, top === null ? sorted : sorted.slice(0, top), text);
}

function termsSource(field: string, terms: string[], text: string): SpanSource {
  if (terms.length === 0) return new SpanNoneSource(field, `no expansion found for ${text}`);
  if (terms.length === 1) return new SpanTermSource(field, terms[0] as string);
  return new SpanOrSource(
    field,
    terms.map((t) => new SpanTermSource(field, t)),
  );
}

/**
 * TextFieldType.spanPrefixQuery: with index_prefixes and a prefix of min_chars..max_chars
 * characters, one term of the hidden `._index_prefix` field masked as the field (answered here from
 * the field's own terms: same positions, its docFreq the docs with a term of that prefix); else the
 * prefix's terms. Other field types refuse span prefix queries.
 */
function spanPrefix(q: QueryOf<'prefix'>, ctx: RewriteContext): SpanSource {
  const f = ctx.field(q.field);
  if (!f) return new SpanNoneSource(q.field, 'Inner query rewrote to match_none');
  if (f.type !== 'text') illegal(ctx, `Can only use span prefix queries on text fields - not on [${q.field}] which is of type [${f.type}]`);
  ctx.requireSearchable(f);
  // SearchAsYouTypeFieldType / ShingleFieldType.spanPrefixQuery: the `._index_prefix` term masked as the field
  if (f.sayt && !f.sayt.prefix && q.value.length <= SAYT_MAX_GRAM) return new SpanMaskSource(new SpanTermSource(f.sayt.root + SAYT_PREFIX_SUFFIX, q.value), f.path);
  const p = f.indexPrefixes;
  if (p && q.value.length >= p.minChars && q.value.length <= p.maxChars) {
    const hidden = `${f.path}._index_prefix`;
    let docFreq = 0;
    for (const seg of ctx.view.segments) docFreq += prefixDocs(seg, f.path, q.value).length;
    return new SpanMaskSource(new SpanTermSource(hidden, q.value, { mainField: f.path, docFreq }), f.path);
  }
  const top = topTermsSize(ctx, q.rewrite);
  return expand(f.path, (t) => t.startsWith(q.value), top, `${f.path}:${q.value}*`, ctx);
}
