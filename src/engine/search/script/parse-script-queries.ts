import { parsingError } from '../../errors.js';
import { asNumber, commonOption, expectObject, isObject, unknownParam } from '../parse-util.js';
import type { Query, ScriptQuery, ScriptScoreQuery } from '../query.js';
import { parseScript } from './script-spec.js';
import type { ScriptSpec } from './script-spec.js';

/** `script_score` and `script` queries (ScriptScoreQueryBuilder, ScriptQueryBuilder). */

export function parseScriptScore(body: unknown, parse: (q: unknown) => Query): ScriptScoreQuery {
  const spec = expectObject('script_score', body);
  let query: Query | undefined;
  let script: ScriptSpec | undefined;
  let minScore: number | undefined;
  const common = { boost: 1 } as { boost: number; name?: string };
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'query') query = parse(v);
    else if (key === 'script') script = parseScript(v, 'script_score');
    else if (key === 'min_score') minScore = Math.fround(asNumber('script_score', key, v));
    else if (!commonOption('script_score', common, key, v)) throw unknownParam('script_score', key);
  }
  if (!query) throw parsingError("[script_score] requires 'query' field");
  if (!script) throw parsingError("[script_score] requires 'script' field");
  return { kind: 'script_score', query, script, ...(minScore !== undefined ? { minScore } : {}), ...common };
}

export function parseScriptQuery(body: unknown): ScriptQuery {
  const spec = expectObject('script', body);
  let script: ScriptSpec | undefined;
  const common = { boost: 1 } as { boost: number; name?: string };
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'script') script = parseScript(v, 'script query');
    else if (isObject(v) && key !== 'script') throw parsingError(`[script] query does not support [${key}]`);
    else if (!commonOption('script', common, key, v)) throw unknownParam('script', key);
  }
  if (!script) throw parsingError('script must be provided with a [script] query');
  return { kind: 'script', script, ...common };
}
