import { EngineError, tokenOf, unsupported } from '../../../errors.js';
import type { AggSpec, PipelineType } from '../agg-types.js';
import { xContentError } from '../buckets/options.js';
import { compilePainless } from '../../script/painless.js';
import type { CompiledScript } from '../../script/painless.js';
import { fromJson, isNumeric, javaTypeName, toDouble } from '../../script/java-values.js';
import { compileError } from '../../script/script-errors.js';
import { compileDecimalFormat } from '../value-format.js';
import { scriptBody } from './bucket-selector.js';
import { gapPolicyOf, resolveValueOrNull, simpleValue, singlePath } from './pipeline-options.js';

/**
 * `moving_fn` (MovFnPipelineAggregator): for each bucket of a histogram, date_histogram or
 * auto_date_histogram that has a value (gap policy default skip; a gap is passed over, not
 * counted), the script's double over the window of the values before it: `values` holds the
 * non-gap values from `index - window + shift` to `index + shift` (clamped), where `index`
 * counts the buckets with a value so far. The script is Painless with MovingFunctionScript's
 * context: `params` and `values` (a double[]), and the MovingFunctions helpers
 * (script/moving-functions.ts). A script that returns nothing returns 0.0, as a Painless
 * method returning a double does.
 */

const KEYS = ['buckets_path', 'script', 'window', 'shift', 'format', 'gap_policy'];


/** ObjectParser's declareInt: a number (truncated, as intValue coerces) or a numeric string. */
function intField(spec: AggSpec, key: string): number | undefined {
  const v = spec.body[key];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if ((typeof v !== 'number' && typeof v !== 'string') || !Number.isFinite(n)) {
    if (typeof v === 'string') throw xContentError(`[moving_fn] failed to parse field [${key}]`, new EngineError(400, 'number_format_exception', `For input string: "${v}"`));
    throw xContentError(`[moving_fn] ${key} doesn't support values of type: ${tokenOf(v)}`);
  }
  return Math.trunc(n);
}

function stringField(spec: AggSpec, key: string): string | undefined {
  const v = spec.body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw xContentError(`[moving_fn] ${key} doesn't support values of type: ${tokenOf(v)}`);
  return v;
}

interface MovFnOptions {
  path: string;
  window: number;
  shift: number;
  script: CompiledScript;
  params: Record<string, unknown>;
}

/** MovFnPipelineAggregationBuilder.PARSER, then its constructor's and setters' checks. */
function options(spec: AggSpec): MovFnOptions {
  for (const k of Object.keys(spec.body)) if (!KEYS.includes(k)) throw xContentError(`[moving_fn] unknown field [${k}]`);
  const missing = ['buckets_path', 'script', 'window'].filter((k) => spec.body[k] === undefined);
  if (missing.length > 0) throw new EngineError(400, 'illegal_argument_exception', `Required [${missing.join(', ')}]`);
  stringField(spec, 'buckets_path');
  const path = singlePath(spec);
  const window = intField(spec, 'window') as number;
  if (window <= 0) {
    throw xContentError('[moving_fn] failed to build [moving_fn] after last required field arrived', new EngineError(400, 'illegal_argument_exception', '[window] must be a positive, non-zero integer.'));
  }
  const shift = intField(spec, 'shift') ?? 0;
  const format = stringField(spec, 'format');
  if (format !== undefined) {
    if (format === '') throw xContentError('[moving_fn] failed to parse field [format]', new EngineError(400, 'illegal_argument_exception', '[format] must not be null or an empty string.'));
    compileDecimalFormat(format);
  }
  const gap = stringField(spec, 'gap_policy');
  if (gap !== undefined) gapPolicyOf({ ...spec, body: { gap_policy: gap.toLowerCase() } }, 'skip');
  const { source, lang, params } = scriptBody(spec);
  if (lang !== 'painless') throw unsupported(`script lang [${lang}] in moving_fn`);
  const script = compilePainless(source, params, () => undefined, false, { movingFunction: true });
  return { path, window, shift, script, params };
}

/** MovFnPipelineAggregator.clamp: an index into the list of values. */
const clamp = (i: number, size: number): number => (i < 0 ? 0 : Math.min(i, size));

export const movingFn: PipelineType = {
  kind: 'parent',
  histogramParent: true,
  withoutGaps: true,
  validate(spec) {
    options(spec);
  },
  apply(spec, buckets) {
    const o = options(spec);
    const gap = gapPolicyOf({ ...spec, body: { gap_policy: String(spec.body.gap_policy ?? 'skip').toLowerCase() } }, 'skip');
    const resolved = buckets.map((b) => resolveValueOrNull(b, o.path, gap));
    const values = resolved.filter((v): v is number => v !== null && !Number.isNaN(v));
    const params = fromJson(o.params);
    let index = 0;
    return buckets.map((bucket, i) => {
      const v = resolved[i];
      if (v === null || v === undefined || Number.isNaN(v)) return bucket;
      const window = values.slice(clamp(index - o.window + o.shift, values.length), clamp(index + o.shift, values.length));
      index++;
      const result = o.script.run({ doc: -1, values: () => [], params, window });
      let value = 0;
      if (isNumeric(result)) value = toDouble(result);
      else if (result.t !== 'null') throw compileError(o.script.source, 0, `Cannot cast from [${javaTypeName(result)}] to [double].`, 'class_cast_exception');
      return { ...bucket, [spec.name]: simpleValue(spec, value) };
    });
  },
};
