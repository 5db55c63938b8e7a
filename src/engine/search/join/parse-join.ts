import { illegalArgument, parsingError } from '../../errors.js';
import { parseInnerHit } from '../inner-hits.js';
import { asBoolean, asInt, asString, commonOption, expectObject, isObject, unknownParam } from '../parse-util.js';
import type { HasChildQuery, HasParentQuery, JoinScoreMode, ParentIdQuery, Query } from '../query.js';

/**
 * The parent-join queries as HasChildQueryBuilder, HasParentQueryBuilder and ParentIdQueryBuilder
 * read them (fromXContent): an object value is `query` or `inner_hits`, anything else a value.
 */

type Parse = (json: unknown) => Query;

/** NestedQueryBuilder.parseScoreMode (has_child's `score_mode`). */
function scoreMode(v: unknown): JoinScoreMode {
  const s = asString('has_child', 'score_mode', v);
  const modes: Record<string, JoinScoreMode> = { none: 'none', min: 'min', max: 'max', avg: 'avg', sum: 'sum' };
  const mode = modes[s];
  if (mode === undefined) throw illegalArgument(`No score mode for child query [${s}] found`);
  return mode;
}

/** Keys whose value is an object; any other key with an object value is `does not support`. */
function objectKey(name: string, key: string, v: unknown): boolean {
  if (!isObject(v)) return false;
  if (key === 'query' || key === 'inner_hits') return true;
  throw unknownParam(name, key);
}

/**
 * The body both joining queries share: `query` and `inner_hits` objects, the common options, then
 * the query's own keys (`own` reads one and says whether it knew it); returns the inner query, if any.
 */
function parseJoining(name: 'has_child' | 'has_parent', body: unknown, parse: Parse, q: HasChildQuery | HasParentQuery, own: (key: string, v: unknown) => boolean): Query | undefined {
  let query: Query | undefined;
  for (const [key, v] of Object.entries(expectObject(name, body))) {
    if (objectKey(name, key, v)) {
      if (key === 'query') {
        query = parse(v);
        q.queryJson = v;
      } else q.innerHits = parseInnerHit(v);
    } else if (commonOption(name, q, key, v)) continue;
    else if (key === 'ignore_unmapped') q.ignoreUnmapped = asBoolean(name, key, v);
    else if (!own(key, v)) throw unknownParam(name, key);
  }
  return query;
}

export function parseHasChild(body: unknown, parse: Parse): HasChildQuery {
  const name = 'has_child';
  let type: string | undefined;
  const q = { kind: name, scoreMode: 'none', minChildren: 1, maxChildren: 2147483647, ignoreUnmapped: false, boost: 1 } as HasChildQuery;
  const query = parseJoining(name, body, parse, q, (key, v) => {
    if (key === 'type') type = asString(name, key, v);
    else if (key === 'score_mode') q.scoreMode = scoreMode(v);
    else if (key === 'min_children') q.minChildren = asInt(name, key, v);
    else if (key === 'max_children') q.maxChildren = asInt(name, key, v);
    else return false;
    return true;
  });
  if (type === undefined) throw illegalArgument(`[${name}] requires 'type' field`);
  if (query === undefined) throw illegalArgument(`[${name}] requires 'query' field`);
  // HasChildQueryBuilder.minMaxChildren
  if (q.minChildren <= 0) throw illegalArgument(`[${name}] requires positive 'min_children' field`);
  if (q.maxChildren <= 0) throw illegalArgument(`[${name}] requires positive 'max_children' field`);
  if (q.maxChildren < q.minChildren) throw illegalArgument(`[${name}] 'max_children' is less than 'min_children'`);
  q.type = type;
  q.query = query;
  return q;
}

export function parseHasParent(body: unknown, parse: Parse): HasParentQuery {
  const name = 'has_parent';
  let parentType: string | undefined;
  const q = { kind: name, score: false, ignoreUnmapped: false, boost: 1 } as HasParentQuery;
  const query = parseJoining(name, body, parse, q, (key, v) => {
    if (key === 'parent_type') parentType = asString(name, key, v);
    else if (key === 'score') q.score = asBoolean(name, key, v);
    else return false;
    return true;
  });
  if (parentType === undefined) throw illegalArgument(`[${name}] requires 'parent_type' field`);
  if (query === undefined) throw illegalArgument(`[${name}] requires 'query' field`);
  q.parentType = parentType;
  q.query = query;
  return q;
}

export function parseParentId(body: unknown): ParentIdQuery {
  const name = 'parent_id';
  const spec = expectObject(name, body);
  let type: string | undefined;
  let id: string | undefined;
  const q = { kind: name, ignoreUnmapped: false, boost: 1 } as ParentIdQuery;
  for (const [key, v] of Object.entries(spec)) {
    if (typeof v === 'object' && v !== null) throw parsingError(`[${name}] query does not support [${key}]`);
    if (commonOption(name, q, key, v)) continue;
    if (key === 'type') type = asString(name, key, v);
    else if (key === 'id') id = asString(name, key, v);
    else if (key === 'ignore_unmapped') q.ignoreUnmapped = asBoolean(name, key, v);
    else throw unknownParam(name, key);
  }
  if (type === undefined) throw illegalArgument(`[${name}] requires 'type' field`);
  if (id === undefined) throw illegalArgument(`[${name}] requires 'id' field`);
  q.type = type;
  q.id = id;
  return q;
}
