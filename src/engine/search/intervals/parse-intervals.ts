import { EngineError, parsingError, tokenOf, unsupported } from '../../errors.js';
import { asBoolean, asInt, asNumber, asString, isObject, parseFuzziness } from '../parse-util.js';
import type { Json } from '../parse-util.js';
import { INTERVAL_FILTER_TYPES } from '../query.js';
import type { Fuzziness, IntervalFilterType, IntervalsFilter, IntervalsQuery, IntervalsRule } from '../query.js';

/**
 * `{ "intervals": { "<field>": { "<rule>": {...}, "boost": 1, "_name": "n" } } }`, with the
 * messages of Elasticsearch's IntervalQueryBuilder and IntervalsSourceProvider parsers.
 */
export function parseIntervals(body: unknown): IntervalsQuery {
  if (!isObject(body)) throw parsingError(`Expected [FIELD_NAME] but got [${tokenOf(body)}]`);
  const keys = Object.keys(body);
  const field = keys[0];
  if (field === undefined) throw parsingError('Expected [FIELD_NAME] but got [END_OBJECT]');
  if (keys.length > 1) throw parsingError('Expected [END_OBJECT] but got [FIELD_NAME]');
  const spec = body[field];
  if (!isObject(spec)) throw parsingError(`Expected [START_OBJECT] but got [${tokenOf(spec)}]`);
  const q: IntervalsQuery = { kind: 'intervals', field, boost: 1, rule: undefined as unknown as IntervalsRule };
  let ruleName: string | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (key === '_name') q.name = asString('intervals', key, v);
    else if (key === 'boost') q.boost = Math.fround(asNumber('intervals', key, v));
    else {
      if (ruleName !== undefined) throw parsingError(`Only one interval rule can be specified, found [${ruleName}] and [${key}]`);
      ruleName = key;
      q.rule = parseRule(key, v);
    }
  }
  if (ruleName === undefined) throw parsingError('Missing intervals from interval query definition');
  return q;
}

const RULES = ['match', 'any_of', 'all_of', 'prefix', 'wildcard', 'fuzzy', 'regexp', 'range'] as const;

function parseRule(name: string, v: unknown): IntervalsRule {
  if (!(RULES as readonly string[]).includes(name)) {
    throw parsingError(`Unknown interval type [${name}], expecting one of [match, any_of, all_of, prefix, wildcard, regexp, range]`);
  }
  const o = objectOf(name, v);
  switch (name) {
    case 'match': {
      const r = fields(name, o, { query: 'string', max_gaps: 'int', ordered: 'bool', analyzer: 'string', use_field: 'string', filter: 'filter' });
      return {
        type: 'match',
        query: required(name, r, 'query') as string,
        maxGaps: (r.max_gaps as number | undefined) ?? -1,
        ordered: (r.ordered as boolean | undefined) ?? false,
        ...common(r),
      };
    }
    case 'any_of': {
      const r = fields(name, o, { intervals: 'rules', filter: 'filter' });
      return { type: 'any_of', intervals: required(name, r, 'intervals') as IntervalsRule[], ...(r.filter ? { filter: r.filter as IntervalsFilter } : {}) };
    }
    case 'all_of': {
      const r = fields(name, o, { intervals: 'rules', ordered: 'bool', max_gaps: 'int', filter: 'filter' });
      return {
        type: 'all_of',
        intervals: required(name, r, 'intervals') as IntervalsRule[],
        ordered: (r.ordered as boolean | undefined) ?? false,
        maxGaps: (r.max_gaps as number | undefined) ?? -1,
        ...(r.filter ? { filter: r.filter as IntervalsFilter } : {}),
      };
    }
    case 'prefix': {
      const r = fields(name, o, { prefix: 'string', analyzer: 'string', use_field: 'string' });
      return { type: 'prefix', prefix: required(name, r, 'prefix') as string, ...common(r) };
    }
    case 'wildcard':
    case 'regexp': {
      const r = fields(name, o, { pattern: 'string', analyzer: 'string', use_field: 'string' });
      return { type: name, pattern: required(name, r, 'pattern') as string, ...common(r) };
    }
    case 'fuzzy': {
      const r = fields(name, o, { term: 'string', prefix_length: 'int', transpositions: 'bool', fuzziness: 'fuzziness', analyzer: 'string', use_field: 'string' });
      return {
        type: 'fuzzy',
        term: required(name, r, 'term') as string,
        prefixLength: (r.prefix_length as number | undefined) ?? 0,
        transpositions: (r.transpositions as boolean | undefined) ?? true,
        fuzziness: (r.fuzziness as Fuzziness | undefined) ?? { auto: true, low: 3, high: 6 },
        ...common(r),
      };
    }
    default: {
      const r = fields(name, o, { gte: 'string', gt: 'string', lte: 'string', lt: 'string', analyzer: 'string', use_field: 'string' });
      if ((r.gte === undefined) === (r.gt === undefined)) throw failedToParse(name, 'Either [gte] or [gt], one of them must be provided');
      if ((r.lte === undefined) === (r.lt === undefined)) throw failedToParse(name, 'Either [lte] or [lt], one of them must be provided');
      return {
        type: 'range',
        lower: (r.gte ?? r.gt) as string,
        upper: (r.lte ?? r.lt) as string,
        includeLower: r.gte !== undefined,
        includeUpper: r.lte !== undefined,
        ...common(r),
      };
    }
  }
}

type FieldKind = 'string' | 'int' | 'bool' | 'filter' | 'rules' | 'fuzziness';

/** An ObjectParser's declared fields: unknown ones are `[rule] unknown field [x]`. */
function fields(rule: string, o: Json, declared: Record<string, FieldKind>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    const kind = declared[key];
    if (kind === undefined) throw new EngineError(400, 'x_content_parse_exception', `[1:1] [${rule}] unknown field [${key}]`);
    switch (kind) {
      case 'string':
        out[key] = asString(rule, key, v);
        break;
      case 'int':
        out[key] = asInt(rule, key, v);
        break;
      case 'bool':
        out[key] = asBoolean(rule, key, v);
        break;
      case 'fuzziness':
        out[key] = parseFuzziness(rule, v);
        break;
      case 'rules':
        if (!Array.isArray(v)) throw failedToParse(rule, `[${key}] must be an array of interval rules`);
        out[key] = v.map((x) => innerRule(x));
        break;
      case 'filter':
        out[key] = parseFilter(v);
        break;
    }
  }
  return out;
}

function common(r: Record<string, unknown>): { analyzer?: string; useField?: string; filter?: IntervalsFilter } {
  return {
    ...(r.analyzer !== undefined ? { analyzer: r.analyzer as string } : {}),
    ...(r.use_field !== undefined ? { useField: r.use_field as string } : {}),
    ...(r.filter !== undefined ? { filter: r.filter as IntervalsFilter } : {}),
  };
}

function required(rule: string, r: Record<string, unknown>, key: string): unknown {
  if (r[key] === undefined) throw failedToParse(rule, `Required [${key}]`);
  return r[key];
}

const failedToParse = (rule: string, reason: string): EngineError =>
  new EngineError(400, 'x_content_parse_exception', `[1:1] [${rule}] failed to parse field`, undefined, new EngineError(400, 'illegal_argument_exception', reason));

/** One `{ "<rule>": {...} }` object inside `intervals` or a filter. */
function innerRule(v: unknown): IntervalsRule {
  if (!isObject(v)) throw parsingError(`Expected [FIELD_NAME] but got [${tokenOf(v)}]`);
  const keys = Object.keys(v);
  const name = keys[0];
  if (name === undefined) throw parsingError('Expected [FIELD_NAME] but got [END_OBJECT]');
  if (keys.length > 1) throw parsingError('Expected [END_OBJECT] but got [FIELD_NAME]');
  return parseRule(name, v[name]);
}

function parseFilter(v: unknown): IntervalsFilter {
  if (!isObject(v)) throw parsingError(`Expected [FIELD_NAME] but got [${tokenOf(v)}]`);
  const keys = Object.keys(v);
  const name = keys[0];
  if (name === undefined) throw parsingError('Expected [FIELD_NAME] but got [END_OBJECT]');
  if (name === 'script') throw unsupported('script filter of an intervals query');
  if (keys.length > 1) throw parsingError('Expected [END_OBJECT] but got [FIELD_NAME]');
  const type = name.toLowerCase();
  if (!(INTERVAL_FILTER_TYPES as readonly string[]).includes(type)) throw new EngineError(400, 'illegal_argument_exception', `Unknown filter type [${type}]`);
  const inner = v[name];
  if (!isObject(inner)) throw parsingError(`Expected [START_OBJECT] but got [${tokenOf(inner)}]`);
  return { type: type as IntervalFilterType, rule: innerRule(inner) };
}

function objectOf(rule: string, v: unknown): Json {
  if (!isObject(v)) throw parsingError(`[${rule}] Expected START_OBJECT but was: ${tokenOf(v)}`);
  return v;
}

