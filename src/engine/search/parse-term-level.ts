import { illegalArgument, parsingError, unsupported } from '../errors.js';
import {
  asBoolean,
  asInt,
  asString,
  asStringList,
  commonOption,
  expectObject,
  isObject,
  parseFuzziness,
  singleField,
  unknownParam,
} from './parse-util.js';
import type {
  ExistsQuery,
  FuzzyQuery,
  IdsQuery,
  PrefixQuery,
  RangeQuery,
  RegexpQuery,
  TermQuery,
  TermsQuery,
  WildcardQuery,
} from './query.js';

/** Parsers of the term-level queries. Values stay raw here; rewrite.ts converts them per field type. */

export function scalar(queryName: string, v: unknown): unknown {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v === null) throw parsingError(`[${queryName}] value cannot be null`);
  throw parsingError(`[${queryName}] unknown token [${Array.isArray(v) ? 'START_ARRAY' : 'START_OBJECT'}] after [value]`);
}

export function parseTerm(body: unknown): TermQuery {
  const name = 'term';
  const [field, spec] = singleField(name, body);
  const q: TermQuery = { kind: 'term', field, value: undefined, caseInsensitive: false, boost: 1 };
  if (!isObject(spec)) {
    q.value = scalar(name, spec);
    return q;
  }
  for (const [key, v] of Object.entries(spec)) {
    // TermQueryBuilder.TERM_FIELD: `term` is read as the value too
    if (key === 'value' || key === 'term') q.value = scalar(name, v);
    else if (key === 'case_insensitive') q.caseInsensitive = asBoolean(name, key, v);
    else if (!commonOption(name, q, key, v)) throw unknownParam(name, key);
  }
  if (q.value === undefined) throw parsingError(`[term] query requires a value`);
  return q;
}

export function parseTerms(body: unknown): TermsQuery {
  const name = 'terms';
  const spec = expectObject(name, body);
  const q: TermsQuery = { kind: 'terms', field: '', values: [], boost: 1 };
  let field: string | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (field !== undefined) throw parsingError(`[${name}] query does not support multiple fields`);
    field = key;
    // a lookup reaches the parser only where no coordinator resolved it (an alias filter, a percolated query)
    if (isObject(v)) throw unsupported('terms lookup outside the body of _search, _msearch, _count and _explain');
    if (!Array.isArray(v)) throw parsingError(`[terms] query does not support [${key}]`);
    // checked in place rather than copied (a copy of 1,000,000 values was ~60 ms of one step), by
    // index: an iterator allocates a result per value until the loop is optimized
    const values = v as unknown[];
    for (let i = 0; i < values.length; i++) scalar(name, values[i]);
    q.values = values;
  }
  if (field === undefined) throw parsingError(`[terms] query requires a field`);
  q.field = field;
  return q;
}

export function parseRange(body: unknown): RangeQuery {
  const name = 'range';
  const [field, specRaw] = singleField(name, body);
  const spec = expectObject(name, specRaw);
  const q: RangeQuery = { kind: 'range', field, boost: 1 };
  const legacy: { from?: unknown; to?: unknown; include_lower?: boolean; include_upper?: boolean } = {};
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    switch (key) {
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (v !== null) q[key] = scalar(name, v);
        break;
      // the older form RangeQueryBuilder still parses: from/to with include_lower/include_upper (default true)
      case 'from':
      case 'to':
        legacy[key] = v === null ? undefined : scalar(name, v);
        break;
      case 'include_lower':
      case 'include_upper':
        legacy[key] = v === true || v === 'true';
        break;
      case 'format':
        q.format = asString(name, key, v);
        break;
      case 'time_zone':
        q.timeZone = asString(name, key, v);
        break;
      case 'relation': {
        const relation = String(v).toLowerCase();
        if (relation !== 'intersects' && relation !== 'within' && relation !== 'contains') throw parsingError(`[range] query does not support relation [${String(v)}]`);
        q.relation = relation;
        break;
      }
      default:
        throw unknownParam(name, key);
    }
  }
  if (legacy.from !== undefined) {
    delete q.gt;
    delete q.gte;
    q[legacy.include_lower === false ? 'gt' : 'gte'] = legacy.from as RangeQuery['gte'];
  }
  if (legacy.to !== undefined) {
    delete q.lt;
    delete q.lte;
    q[legacy.include_upper === false ? 'lt' : 'lte'] = legacy.to as RangeQuery['lte'];
  }
  return q;
}

export function parseExists(body: unknown): ExistsQuery {
  const name = 'exists';
  const spec = expectObject(name, body);
  const q: ExistsQuery = { kind: 'exists', field: '', boost: 1 };
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'field') q.field = asString(name, key, v);
    else if (!commonOption(name, q, key, v)) throw unknownParam(name, key);
  }
  if (q.field === '') throw parsingError(`[exists] must be provided with a [field]`);
  return q;
}

export function parseIds(body: unknown): IdsQuery {
  const name = 'ids';
  const spec = expectObject(name, body);
  const q: IdsQuery = { kind: 'ids', values: [], boost: 1 };
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'values') q.values = asStringList(name, key, v);
    else if (!commonOption(name, q, key, v)) throw unknownParam(name, key);
  }
  return q;
}

type PatternKind = 'prefix' | 'wildcard' | 'regexp';

/** prefix, wildcard, regexp: `{ field: "v" }` or `{ field: { value, case_insensitive, rewrite, flags } }`. */
export function parsePattern<K extends PatternKind>(kind: K, body: unknown): PrefixQuery | WildcardQuery | RegexpQuery {
  const [field, spec] = singleField(kind, body);
  const q = { kind, field, value: '', caseInsensitive: false, boost: 1 } as PrefixQuery | WildcardQuery | RegexpQuery;
  if (!isObject(spec)) {
    q.value = asString(kind, 'value', spec);
    return q;
  }
  let saw = false;
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'value' || (kind === 'wildcard' && key === 'wildcard')) {
      q.value = asString(kind, key, v);
      saw = true;
    } else if (key === 'case_insensitive') q.caseInsensitive = asBoolean(kind, key, v);
    else if (key === 'rewrite') {
      q.rewrite = asString(kind, key, v);
    } else if (kind === 'regexp' && key === 'flags') {
      (q as RegexpQuery).flags = regexpFlags(asString(kind, key, v));
    } else if (kind === 'regexp' && key === 'flags_value') {
      (q as RegexpQuery).flags = asInt(kind, key, v) & ALL_FLAGS;
    } else if (kind === 'regexp' && key === 'max_determinized_states') {
      (q as RegexpQuery).maxDeterminizedStates = asInt(kind, key, v);
    } else if (!commonOption(kind, q, key, v)) throw unknownParam(kind, key);
  }
  if (!saw) throw parsingError(`[${kind}] query requires a value`);
  return q;
}

/** Elasticsearch's RegexpFlag names, `|`-separated, case-insensitive; empty means ALL. */
const REGEXP_FLAGS: Record<string, number> = { INTERSECTION: 0x1, COMPLEMENT: 0x2, EMPTY: 0x4, ANYSTRING: 0x8, INTERVAL: 0x20, NONE: 0, ALL: 0xff };
const ALL_FLAGS = 0xff;

export function regexpFlags(text: string): number {
  if (text === '') return ALL_FLAGS;
  let flags = 0;
  for (const name of text.split('|')) {
    if (name === '') continue;
    const value = REGEXP_FLAGS[name.toUpperCase()];
    if (value === undefined) throw illegalArgument(`Unknown regexp flag [${name}]`);
    if (value === ALL_FLAGS) return ALL_FLAGS;
    flags |= value;
  }
  return flags;
}

/** The rewrites the engine scores as Elasticsearch does outside span_multi: constant score. */
export function checkConstantRewrite(kind: string, r: string | undefined): void {
  if (r === undefined || r === 'constant_score' || r === 'constant_score_blended' || r === 'constant_score_boolean') return;
  throw parsingError(`[${kind}] rewrite [${r}] is not supported by the indexkit embedded engine (constant_score only)`);
}

export function parseFuzzy(body: unknown): FuzzyQuery {
  const name = 'fuzzy';
  const [field, spec] = singleField(name, body);
  const q: FuzzyQuery = {
    kind: 'fuzzy',
    field,
    value: '',
    fuzziness: { auto: true, low: 3, high: 6 },
    prefixLength: 0,
    maxExpansions: 50,
    transpositions: true,
    boost: 1,
  };
  if (!isObject(spec)) {
    q.value = asString(name, 'value', spec);
    return q;
  }
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    switch (key) {
      case 'value':
        q.value = asString(name, key, v);
        break;
      case 'fuzziness':
        q.fuzziness = parseFuzziness(name, v);
        break;
      case 'prefix_length':
        q.prefixLength = asInt(name, key, v);
        break;
      case 'max_expansions':
        q.maxExpansions = asInt(name, key, v);
        break;
      case 'transpositions':
        q.transpositions = asBoolean(name, key, v);
        break;
      case 'rewrite':
        q.rewrite = asString(name, key, v);
        break;
      default:
        throw unknownParam(name, key);
    }
  }
  return q;
}
