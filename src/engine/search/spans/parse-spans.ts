import { illegalArgument, parsingError } from '../../errors.js';
import { javaFloat } from '../float-format.js';
import { asBoolean, asInt, asString, commonOption, expectObject, isObject, singleField, unknownParam } from '../parse-util.js';
import type { Query, SpanNode, SpanQuery } from '../query.js';

/**
 * The span query family as Elasticsearch 8's builders parse it (SpanTermQueryBuilder,
 * SpanNearQueryBuilder, ...): a nested clause must be a span query and cannot carry a boost;
 * span_multi wraps a multi-term query (prefix, wildcard, regexp, fuzzy, range, term).
 */

type ParseQuery = (json: unknown) => Query;

/** Float.toString of a float: `2.0`, `0.5`. */
function floatText(x: number): string {
  const v = javaFloat(x);
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

const span = (node: SpanNode): SpanQuery => ({ kind: 'span', span: node, boost: 1 });

const MULTI_TERM_KINDS = new Set(['prefix', 'wildcard', 'regexp', 'fuzzy', 'range', 'term']);

/** A nested span clause: a span query without a boost (SpanQueryBuilderUtil.checkNoBoost). */
function clause(queryName: string, key: string, json: unknown, parse: ParseQuery, mustBe: string): SpanNode {
  const q = parse(json);
  if (q.kind !== 'span') throw parsingError(mustBe);
  if (q.boost !== 1) throw parsingError(`${queryName} [${key}] as a nested span clause can't have non-default boost value [${floatText(q.boost)}]`);
  return q.span;
}

export function parseSpanTerm(body: unknown): SpanQuery {
  const name = 'span_term';
  const [field, spec] = singleField(name, body);
  const q = span({ type: 'term', field, value: undefined });
  let value: unknown;
  if (isObject(spec)) {
    for (const [key, v] of Object.entries(spec)) {
      if (key === 'value' || key === 'term') value = v;
      else if (!commonOption(name, q, key, v)) throw unknownParam(name, key);
    }
  } else value = spec;
  if (value === undefined || value === null) throw illegalArgument('value cannot be null');
  if (typeof value === 'object') throw parsingError(`[${name}] unknown token [START_${Array.isArray(value) ? 'ARRAY' : 'OBJECT'}] after [value]`);
  q.span = { type: 'term', field, value };
  return q;
}

export function parseSpanNear(body: unknown, parse: ParseQuery): SpanQuery {
  const name = 'span_near';
  const spec = expectObject(name, body);
  const q = span({ type: 'near', clauses: [], slop: 0, inOrder: true });
  const near = q.span as Extract<SpanNode, { type: 'near' }>;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (key === 'clauses') {
      if (!Array.isArray(v)) throw parsingError(`[span_near] query does not support [clauses]`);
      for (const c of v) near.clauses.push(clause(name, key, c, parse, 'span_near [clauses] must be of type span query'));
    } else if (key === 'slop') near.slop = asInt(name, key, v);
    else if (key === 'in_order') near.inOrder = asBoolean(name, key, v);
    else throw unknownParam(name, key);
  }
  if (near.clauses.length === 0) throw parsingError('span_near must include [clauses]');
  return q;
}

export function parseSpanOr(body: unknown, parse: ParseQuery): SpanQuery {
  const name = 'span_or';
  const spec = expectObject(name, body);
  const q = span({ type: 'or', clauses: [] });
  const or = q.span as Extract<SpanNode, { type: 'or' }>;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (key === 'clauses' && Array.isArray(v)) {
      for (const c of v) or.clauses.push(clause(name, key, c, parse, 'span_or [clauses] must be of type span query'));
    } else throw unknownParam(name, key);
  }
  if (or.clauses.length === 0) throw parsingError('span_or must include [clauses]');
  return q;
}

export function parseSpanNot(body: unknown, parse: ParseQuery): SpanQuery {
  const name = 'span_not';
  const spec = expectObject(name, body);
  const q = span({ type: 'or', clauses: [] });
  let include: SpanNode | undefined;
  let exclude: SpanNode | undefined;
  let dist: number | undefined;
  let pre: number | undefined;
  let post: number | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (key === 'include' && isObject(v)) include = clause(name, key, v, parse, 'span_not [include] must be of type span query');
    else if (key === 'exclude' && isObject(v)) exclude = clause(name, key, v, parse, 'span_not [exclude] must be of type span query');
    else if (key === 'dist') dist = asInt(name, key, v);
    else if (key === 'pre') pre = asInt(name, key, v);
    else if (key === 'post') post = asInt(name, key, v);
    else throw unknownParam(name, key);
  }
  if (!include) throw parsingError('span_not must have [include] span query clause');
  if (!exclude) throw parsingError('span_not must have [exclude] span query clause');
  if (dist !== undefined && (pre !== undefined || post !== undefined)) throw parsingError('span_not can either use [dist] or [pre] & [post] (or none)');
  // SpanNotQueryBuilder.pre/post: a negative value counts as 0
  const clamp = (n: number | undefined) => Math.max(0, n ?? 0);
  q.span = { type: 'not', include, exclude, pre: clamp(dist ?? pre), post: clamp(dist ?? post) };
  return q;
}

export function parseSpanFirst(body: unknown, parse: ParseQuery): SpanQuery {
  const name = 'span_first';
  const spec = expectObject(name, body);
  const q = span({ type: 'or', clauses: [] });
  let match: SpanNode | undefined;
  let end: number | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (key === 'match' && isObject(v)) match = clause(name, key, v, parse, 'span_first [match] must be of type span query');
    else if (key === 'end') end = asInt(name, key, v);
    else throw unknownParam(name, key);
  }
  if (!match) throw parsingError('span_first must have [match] span query clause');
  if (end === undefined) throw parsingError('span_first must have [end] set for it');
  if (end < 0) throw illegalArgument('parameter [end] needs to be positive.');
  q.span = { type: 'first', match, end };
  return q;
}

export function parseSpanContain(name: 'span_containing' | 'span_within', body: unknown, parse: ParseQuery): SpanQuery {
  const spec = expectObject(name, body);
  const q = span({ type: 'or', clauses: [] });
  let big: SpanNode | undefined;
  let little: SpanNode | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (key === 'big' && isObject(v)) big = clause(name, key, v, parse, `${name} [big] must be of type span query`);
    else if (key === 'little' && isObject(v)) little = clause(name, key, v, parse, `${name} [little] must be of type span query`);
    else throw unknownParam(name, key);
  }
  if (!big) throw parsingError(`${name} must include [big]`);
  if (!little) throw parsingError(`${name} must include [little]`);
  q.span = name === 'span_containing' ? { type: 'containing', big, little } : { type: 'within', big, little };
  return q;
}

export function parseSpanMulti(body: unknown, parse: ParseQuery): SpanQuery {
  const name = 'span_multi';
  const spec = expectObject(name, body);
  const q = span({ type: 'or', clauses: [] });
  let match: Query | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (key === 'match' && isObject(v)) {
      const inner = parse(v);
      if (!MULTI_TERM_KINDS.has(inner.kind)) throw parsingError('[span_multi] [match] must be of type multi term query');
      match = inner;
    } else throw unknownParam(name, key);
  }
  if (!match) throw parsingError('[span_multi] must have [match] multi term query clause');
  q.span = { type: 'multi', match };
  return q;
}

export function parseFieldMaskingSpan(body: unknown, parse: ParseQuery): SpanQuery {
  const name = 'field_masking_span';
  const spec = expectObject(name, body);
  const q = span({ type: 'or', clauses: [] });
  let inner: SpanNode | undefined;
  let field: string | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (key === 'query' && isObject(v)) inner = clause(name, key, v, parse, '[field_masking_span] query must be of type span query');
    else if (key === 'field') field = asString(name, key, v);
    else throw unknownParam(name, key);
  }
  if (!inner) throw parsingError('field_masking_span must have [query] span query clause');
  if (field === undefined) throw parsingError('field_masking_span must have [field] set for it');
  q.span = { type: 'field_masking', query: inner, field };
  return q;
}

/** span_gap: `{ "<field>": <width> }`, meaningful only as a clause of span_near. */
export function parseSpanGap(body: unknown): SpanQuery {
  const [field, width] = singleField('span_gap', body);
  if (field === '') throw illegalArgument('[span_gap] field name is null or empty');
  return span({ type: 'gap', field, width: asInt('span_gap', field, width) });
}
