import { noteNowRead } from './date-math.js';
import { parseScript } from './script/script-spec.js';
import type { ScriptSpec } from './script/script-spec.js';
import { parseNestedInnerHit } from './nested-inner-hits.js';
import { EngineError, parsingError, unsupported } from '../errors.js';
import {
  asBoolean,
  asMinimumShouldMatch,
  asNumber,
  asString,
  commonOption,
  expectObject,
  oneOf,
  unknownParam,
} from './parse-util.js';
import type { Json } from './parse-util.js';
import { BOOST_MODES, FVF_MODIFIERS, NESTED_SCORE_MODES, SCORE_MODES } from './query.js';
import type {
  BoolQuery,
  BoostingQuery,
  ConstantScoreQuery,
  DisMaxQuery,
  FunctionScoreQuery,
  NestedQuery,
  Query,
  ScoreFunction,
} from './query.js';

/** Parsers of the compound queries; `parse` is the recursive entry point (parse-query.ts). */
type Parse = (v: unknown) => Query;

function clauses(parse: Parse, v: unknown): Query[] {
  return Array.isArray(v) ? v.map((x) => parse(x)) : [parse(v)];
}

export function parseBool(body: unknown, parse: Parse): BoolQuery {
  const name = 'bool';
  const spec = expectObject(name, body);
  const q: BoolQuery = { kind: 'bool', must: [], should: [], filter: [], mustNot: [], boost: 1 };
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    switch (key) {
      case 'must':
        q.must.push(...clauses(parse, v));
        break;
      case 'should':
        q.should.push(...clauses(parse, v));
        break;
      case 'filter':
        q.filter.push(...clauses(parse, v));
        break;
      case 'must_not':
      case 'mustNot':
        q.mustNot.push(...clauses(parse, v));
        break;
      case 'minimum_should_match':
        q.minimumShouldMatch = asMinimumShouldMatch(name, v);
        break;
      case 'adjust_pure_negative':
        break;
      default:
        throw parsingError(`[bool] query does not support [${key}]`);
    }
  }
  return q;
}

export function parseConstantScore(body: unknown, parse: Parse): ConstantScoreQuery {
  const name = 'constant_score';
  const spec = expectObject(name, body);
  let filter: Query | undefined;
  const q = { kind: 'constant_score', boost: 1 } as ConstantScoreQuery;
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'filter') filter = parse(v);
    else if (!commonOption(name, q, key, v)) throw unknownParam(name, key);
  }
  if (!filter) throw parsingError(`[constant_score] requires a 'filter' element`);
  q.filter = filter;
  return q;
}

export function parseDisMax(body: unknown, parse: Parse): DisMaxQuery {
  const name = 'dis_max';
  const spec = expectObject(name, body);
  const q: DisMaxQuery = { kind: 'dis_max', queries: [], tieBreaker: 0, boost: 1 };
  let saw = false;
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'queries') {
      q.queries = clauses(parse, v);
      saw = true;
    } else if (key === 'tie_breaker') q.tieBreaker = asNumber(name, key, v);
    else if (!commonOption(name, q, key, v)) throw unknownParam(name, key);
  }
  if (!saw) throw parsingError(`[dis_max] requires 'queries' field with at least one clause`);
  return q;
}

export function parseBoosting(body: unknown, parse: Parse): BoostingQuery {
  const name = 'boosting';
  const spec = expectObject(name, body);
  let positive: Query | undefined;
  let negative: Query | undefined;
  let negativeBoost: number | undefined;
  const common = { boost: 1 } as { boost: number; name?: string };
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'positive') positive = parse(v);
    else if (key === 'negative') negative = parse(v);
    else if (key === 'negative_boost') negativeBoost = asNumber(name, key, v);
    else if (!commonOption(name, common, key, v)) throw unknownParam(name, key);
  }
  if (!positive) throw parsingError(`[boosting] query requires 'positive' query to be set'`);
  if (!negative) throw parsingError(`[boosting] query requires 'negative' query to be set'`);
  if (negativeBoost === undefined || negativeBoost < 0) {
    throw parsingError(`[boosting] query requires 'negative_boost' to be set to be a positive value'`);
  }
  return { kind: 'boosting', positive, negative, negativeBoost, ...common };
}

const DECAY = new Set(['gauss', 'linear', 'exp']);

function parseFunction(spec: Json, parse: Parse, functions: ScoreFunction[]): void {
  let filter: Query | undefined;
  let weight: number | undefined;
  let fn: ScoreFunction | undefined;
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'filter') filter = parse(v);
    else if (key === 'weight') weight = asNumber('function_score', key, v);
    else if (key === 'field_value_factor') fn = fieldValueFactor(v);
    else if (key === 'random_score') fn = randomScore(v);
    else if (key === 'script_score') fn = scriptScoreFunction(v);
    else if (DECAY.has(key)) throw unsupported(`function_score ${key}`);
    else throw parsingError(`failed to parse [function_score] query. field [${key}] is not supported`);
  }
  if (fn) {
    if (filter) fn.filter = filter;
    if (weight !== undefined) fn.weight = weight;
    functions.push(fn);
  } else if (weight !== undefined) {
    functions.push({ type: 'weight', weight, ...(filter ? { filter } : {}) });
  } else {
    throw parsingError(`failed to parse [function_score] query. an entry in functions list is missing a function.`);
  }
}

function fieldValueFactor(v: unknown): ScoreFunction {
  const name = 'field_value_factor';
  const spec = expectObject(name, v);
  let field: string | undefined;
  const fn = { type: name, field: '', factor: 1, modifier: 'none' } as Extract<ScoreFunction, { type: 'field_value_factor' }>;
  for (const [key, x] of Object.entries(spec)) {
    if (key === 'field') field = asString(name, key, x);
    else if (key === 'factor') fn.factor = asNumber(name, key, x);
    else if (key === 'modifier') fn.modifier = oneOf(name, key, x, FVF_MODIFIERS);
    else if (key === 'missing') fn.missing = asNumber(name, key, x);
    else throw parsingError(`[${name}] query does not support [${key}]`);
  }
  if (field === undefined) throw parsingError(`[${name}] required field 'field' missing`);
  fn.field = field;
  return fn;
}

function randomScore(v: unknown): ScoreFunction {
  const spec = expectObject('random_score', v);
  if (spec.seed === undefined) noteNowRead();
  const seed = spec.seed === undefined ? Date.now() : asNumber('random_score', 'seed', spec.seed);
  if (spec.field === '_id') {
    throw new EngineError(400, 'illegal_argument_exception', 'Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled');
  }
  return { type: 'random_score', seed, ...(typeof spec.field === 'string' ? { field: spec.field } : {}) };
}

/** ScriptScoreFunctionBuilder: `{ "script": <script> }`. */
function scriptScoreFunction(v: unknown): ScoreFunction {
  const spec = expectObject('script_score', v);
  let script: ScriptSpec | undefined;
  for (const [key, x] of Object.entries(spec)) {
    if (key === 'script') script = parseScript(x, 'function_score script_score');
    else throw parsingError(`script_score query does not support [${key}]`);
  }
  if (!script) throw parsingError('script_score function requires a [script]');
  return { type: 'script_score', script };
}

export function parseFunctionScore(body: unknown, parse: Parse): FunctionScoreQuery {
  const name = 'function_score';
  const spec = expectObject(name, body);
  const q: FunctionScoreQuery = {
    kind: 'function_score',
    query: { kind: 'match_all', boost: 1 },
    functions: [],
    scoreMode: 'multiply',
    boostMode: 'multiply',
    maxBoost: Number.MAX_VALUE,
    boost: 1,
  };
  const single: Json = {};
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    switch (key) {
      case 'query':
        q.query = parse(v);
        break;
      case 'functions':
        if (!Array.isArray(v)) throw parsingError(`[function_score] [functions] must be an array`);
        for (const f of v) parseFunction(expectObject(name, f), parse, q.functions);
        break;
      case 'score_mode':
        q.scoreMode = oneOf(name, key, v, SCORE_MODES);
        break;
      case 'boost_mode':
        q.boostMode = oneOf(name, key, v, BOOST_MODES);
        break;
      case 'max_boost':
        q.maxBoost = asNumber(name, key, v);
        break;
      case 'min_score':
        q.minScore = asNumber(name, key, v);
        break;
      case 'weight':
      case 'field_value_factor':
      case 'random_score':
      case 'script_score':
        single[key] = v;
        break;
      default:
        if (DECAY.has(key)) throw unsupported(`function_score ${key}`);
        throw parsingError(`failed to parse [function_score] query. field [${key}] is not supported`);
    }
  }
  if (Object.keys(single).length > 0) {
    if (q.functions.length > 0) {
      throw parsingError(
        `failed to parse [function_score] query. already found [functions] array, now encountering [${Object.keys(single)[0]}].`,
      );
    }
    parseFunction(single, parse, q.functions);
  }
  return q;
}

export function parseNested(body: unknown, parse: Parse): NestedQuery {
  const name = 'nested';
  const spec = expectObject(name, body);
  let path: string | undefined;
  let query: Query | undefined;
  const q = { kind: 'nested', scoreMode: 'avg', ignoreUnmapped: false, boost: 1 } as NestedQuery;
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(name, q, key, v)) continue;
    if (key === 'path') path = asString(name, key, v);
    else if (key === 'query') query = parse(v);
    else if (key === 'score_mode') q.scoreMode = oneOf(name, key, v, NESTED_SCORE_MODES);
    else if (key === 'ignore_unmapped') q.ignoreUnmapped = asBoolean(name, key, v);
    else if (key === 'inner_hits') q.innerHits = parseNestedInnerHit(v);
    else throw unknownParam(name, key);
  }
  if (!query) throw parsingError(`[nested] requires 'query' field`);
  if (path === undefined) throw parsingError(`[nested] requires 'path' field`);
  q.path = path;
  q.query = query;
  return q;
}

