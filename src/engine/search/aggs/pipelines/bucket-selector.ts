import { parsingError, unsupported } from '../../../errors.js';
import type { AggSpec, PipelineType } from '../agg-types.js';
import { JavaHashMap } from '../../script/java-collections.js';
import type { JavaValue } from '../../script/java-values.js';
import { double, fromJson, javaTypeName } from '../../script/java-values.js';
import { compilePainless } from '../../script/painless.js';
import type { CompiledScript } from '../../script/painless.js';
import { paramsRead, parsePainless } from '../../script/painless-parser.js';
import { compileError } from '../../script/script-errors.js';
import { checkKeys, gapPolicyOf, pathMap, resolveValue } from './pipeline-options.js';
import type { GapPolicy } from './pipeline-options.js';

/**
 * `bucket_selector` (BucketSelectorPipelineAggregator): keeps the buckets of the enclosing
 * multi-bucket aggregation for which the script returns true. The script runs on the engine's one
 * Painless interpreter (script/painless.ts) with `params` holding the script's own params and each
 * `buckets_path` variable (a double: the bucket's value through the gap policy, default skip,
 * where a gap is NaN, which compares false); `lang: expression` reads the variables by bare name.
 */

export interface SelectorScript {
  source: string;
  params: Record<string, unknown>;
  compiled: CompiledScript;
}

/** A pipeline's `script` as Script.parse reads it: a string (inline painless) or {source, lang, params}. */
export function scriptBody(spec: AggSpec): { source: string; lang: string; params: Record<string, unknown> } {
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
  return { source, lang, params };
}

/** The pipeline's `script` (bucket_selector, bucket_script), compiled, its variables checked against buckets_path and params. */
export function scriptOf(spec: AggSpec, paths: Record<string, string>): SelectorScript {
  const { source, lang, params } = scriptBody(spec);
  if (lang !== 'painless' && lang !== 'expression') throw unsupported(`script lang [${lang}]`);
  const bare = lang === 'expression';
  const compiled = compilePainless(source, params, () => undefined, false, { bare });
  // a variable neither in buckets_path nor in params would be a NullPointerException per bucket
  for (const v of paramsRead(parsePainless(source), bare)) {
    if (!(v in paths) && !(v in params)) throw compileError(source, 0, `variable [${v}] is neither a buckets_path entry nor a script param`);
  }
  return { source, params, compiled };
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
      const result = runOnBucket(script, paths, bucket, gap);
      if (result.t !== 'bool') throw compileError(script.source, 0, `the script must return a boolean, not a ${javaTypeName(result)}`);
      return result.v;
    });
  },
};

/** The script on one bucket: `params` holds the script's params and each buckets_path value as a double. */
export function runOnBucket(script: SelectorScript, paths: Record<string, string>, bucket: Record<string, unknown>, gap: GapPolicy): JavaValue {
  return script.compiled.run({ doc: -1, values: () => [], params: bucketParams(script, paths, bucket, gap) });
}

function bucketParams(script: SelectorScript, paths: Record<string, string>, bucket: Record<string, unknown>, gap: GapPolicy): JavaValue {
  const vars = new JavaHashMap();
  for (const [k, v] of (fromJson(script.params) as Extract<JavaValue, { t: 'map' }>).v) vars.set(k, v);
  for (const [name, path] of Object.entries(paths)) vars.set({ t: 'str', v: name }, double(resolveValue(bucket, path, gap)));
  return { t: 'map', v: vars };
}
