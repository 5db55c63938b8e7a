import { parsingError, unsupported } from '../../../errors.js';
import type { AggSpec, PipelineType } from '../agg-types.js';
import { compileError, compileScript } from './painless-subset.js';
import type { CompiledScript, ScriptValue } from './painless-subset.js';
import { checkKeys, gapPolicyOf, pathMap, resolveValue } from './pipeline-options.js';

/**
 * `bucket_selector` (BucketSelectorPipelineAggregator): keeps the buckets of the enclosing
 * multi-bucket aggregation for which the script returns true. Each `buckets_path` variable is
 * the bucket's value through the gap policy (default skip: a gap is NaN, which compares false),
 * next to the script's own `params`.
 */

interface SelectorScript {
  source: string;
  params: Record<string, unknown>;
  compiled: CompiledScript;
}

function scriptOf(spec: AggSpec, paths: Record<string, string>): SelectorScript {
  const raw = spec.body.script;
  if (raw === undefined) throw parsingError(`Missing required field [script] for aggregation [${spec.name}]`);
  let source: string;
  let lang = 'painless';
  let params: Record<string, unknown> = {};
  if (typeof raw === 'string') source = raw;
  else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    if (o.id !== undefined) throw unsupported('stored scripts');
    const s = o.source ?? o.inline;
    if (typeof s !== 'string') throw parsingError(`must specify either [source] for an inline script or [id] for a stored script`);
    for (const k of Object.keys(o)) if (!['source', 'inline', 'lang', 'params', 'options'].includes(k)) throw parsingError(`[script] unknown field [${k}]`);
    source = s;
    if (o.lang !== undefined) lang = String(o.lang);
    if (o.params !== undefined) {
      if (o.params === null || typeof o.params !== 'object' || Array.isArray(o.params)) throw parsingError('[script] [params] must be an object');
      params = o.params as Record<string, unknown>;
    }
  } else throw parsingError(`[script] must be a string or an object in [${spec.name}]`);
  if (lang !== 'painless' && lang !== 'expression') throw unsupported(`script lang [${lang}]`);
  const compiled = compileScript(source, lang === 'expression');
  for (const v of compiled.vars) {
    if (!(v in paths) && !(v in params)) throw compileError(source, `variable [${v}] is neither a buckets_path entry nor a script param`);
  }
  return { source, params, compiled };
}

function paramValue(v: unknown): ScriptValue {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? { t: 'int', v } : { t: 'double', v };
  if (typeof v === 'boolean') return { t: 'bool', v };
  return { t: 'null' };
}

export const bucketSelector: PipelineType = {
  kind: 'parent',
  validate(spec) {
    checkKeys(spec, ['buckets_path', 'script', 'gap_policy']);
    gapPolicyOf(spec, 'skip');
    scriptOf(spec, pathMap(spec));
  },
  apply(spec, buckets) {
    const paths = pathMap(spec);
    const gap = gapPolicyOf(spec, 'skip');
    const script = scriptOf(spec, paths);
    return buckets.filter((bucket) => {
      const vars = new Map<string, ScriptValue>();
      for (const [k, v] of Object.entries(script.params)) vars.set(k, paramValue(v));
      for (const [name, path] of Object.entries(paths)) vars.set(name, { t: 'double', v: resolveValue(bucket, path, gap) });
      const result = script.compiled.run(vars);
      if (result.t !== 'bool') throw compileError(script.source, `the script must return a boolean, not a ${result.t}`);
      return result.v;
    });
  },
};
