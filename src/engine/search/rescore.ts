import { EngineError, parsingError, unsupported } from '../errors.js';
import { xContentError } from './inner-hits.js';
import { parseQuery } from './parse-query.js';
import { isObject } from './parse-util.js';
import type { Query } from './query.js';

/**
 * `rescore` with the query rescorer (Elasticsearch's RescorerBuilder, QueryRescorerBuilder and
 * QueryRescorer): each rescorer re-scores the first `window_size` hits of every shard, in sequence.
 */

export const RESCORE_MODES = ['total', 'multiply', 'avg', 'max', 'min'] as const;
export type RescoreMode = (typeof RESCORE_MODES)[number];

export interface RescoreSpec {
  windowSize: number;
  query: Query;
  queryWeight: number;
  rescoreQueryWeight: number;
  scoreMode: RescoreMode;
}

/** RescorerBuilder.DEFAULT_WINDOW_SIZE. */
const DEFAULT_WINDOW_SIZE = 10;

/** QueryRescoreMode.combine, in float arithmetic as Java's. */
export function combineScores(mode: RescoreMode, primary: number, secondary: number): number {
  switch (mode) {
    case 'total':
      return Math.fround(primary + secondary);
    case 'multiply':
      return Math.fround(primary * secondary);
    case 'avg':
      return Math.fround(Math.fround(primary + secondary) / 2);
    case 'max':
      return Math.max(primary, secondary);
    case 'min':
      return Math.min(primary, secondary);
  }
}

function weight(key: string, v: unknown): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw xContentError(`[query] failed to parse field [${key}]`);
  return Math.fround(n);
}

function parseQueryRescorer(v: unknown, windowSize: number): RescoreSpec {
  if (!isObject(v)) throw xContentError('[query] query doesn\'t support values of its type, expected an object');
  let query: Query | undefined;
  const spec: Omit<RescoreSpec, 'query'> = { windowSize, queryWeight: 1, rescoreQueryWeight: 1, scoreMode: 'total' };
  for (const [key, value] of Object.entries(v)) {
    switch (key) {
      case 'rescore_query':
        query = parseQuery(value);
        break;
      case 'query_weight':
        spec.queryWeight = weight(key, value);
        break;
      case 'rescore_query_weight':
        spec.rescoreQueryWeight = weight(key, value);
        break;
      case 'score_mode': {
        const mode = RESCORE_MODES.find((m) => m === String(value).toLowerCase());
        if (!mode) throw xContentError('[query] failed to parse field [score_mode]', new EngineError(400, 'illegal_argument_exception', `illegal score_mode [${String(value)}]`));
        spec.scoreMode = mode;
        break;
      }
      default:
        throw xContentError(`[query] unknown field [${key}]`);
    }
  }
  if (!query) throw xContentError('[query] failed to parse object', new EngineError(400, 'illegal_argument_exception', 'rescore_query cannot be null'));
  return { ...spec, query };
}

function parseOne(v: unknown): RescoreSpec {
  if (!isObject(v)) throw parsingError(`rescore doesn't support values of its type, expected an object`);
  let windowSize: number | undefined;
  let rescorer: unknown;
  for (const [key, value] of Object.entries(v)) {
    if (key === 'window_size') {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw parsingError(`rescore doesn't support [${key}]`);
      if (value < 0) throw new EngineError(400, 'illegal_argument_exception', `rescore window_size must be >= 0, got [${value}]`);
      windowSize = value;
    } else if (!isObject(value)) {
      throw parsingError(`rescore doesn't support [${key}]`);
    } else if (key === 'query') {
      rescorer = value;
    } else if (key === 'learning_to_rank' || key === 'script') {
      // scripts and learning to rank models are not built
      throw unsupported(`${key} rescorer`);
    } else {
      throw new EngineError(400, 'x_content_parse_exception', `[1:1] unknown field [${key}]`);
    }
  }
  if (rescorer === undefined) throw parsingError('missing rescore type');
  return parseQueryRescorer(rescorer, windowSize ?? DEFAULT_WINDOW_SIZE);
}

/** Parses the `rescore` section: one rescorer or an array of them, applied in order. */
export function parseRescore(v: unknown): RescoreSpec[] {
  return Array.isArray(v) ? v.map(parseOne) : [parseOne(v)];
}
