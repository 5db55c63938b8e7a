import type { IndexView, SegmentView } from '../contract.js';
import { parsingError } from '../errors.js';
import { FEATURE_META_FIELD, decodeFeature, featureColumn, javaFloatText } from '../rank-feature.js';
import { asNumber, commonOption, expectObject, isObject, unknownParam } from './parse-util.js';
import { NONE } from './primitive.js';
import type { Primitive } from './primitive.js';
import type { RankFeatureFunction, RankFeatureQuery } from './query.js';
import { scanDocs } from './rewrite-context.js';
import type { RewriteContext } from './rewrite-context.js';

/**
 * The `rank_feature` query (RankFeatureQueryBuilder) as Lucene's FeatureQuery scores it: every doc
 * with the feature, scored by a function of its decoded value S with the query's boost as the
 * weight w, in float as FeatureField's functions compute it:
 *   saturation  w * (1 - k / (S + k)), k the pivot, by default FeatureField.computePivotFeatureValue
 *               (the feature's totalTermFreq / docFreq over the shard, deleted docs included, decoded)
 *   log         w * ln(a + S)
 *   sigmoid     w * (1 - k^a / (S^a + k^a))
 *   linear      w * S
 */

const NAME = 'rank_feature';
const FUNCTIONS = ['log', 'saturation', 'sigmoid', 'linear'] as const;

function functionParams(kind: string, v: unknown, allowed: readonly string[]): Record<string, number> {
  const spec = expectObject(kind, v);
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (!allowed.includes(key)) throw parsingError(`[${kind}] unknown field [${key}]`);
    out[key] = Math.fround(asNumber(kind, key, value));
  }
  return out;
}

function required(kind: string, params: Record<string, number>, names: readonly string[]): void {
  const missing = names.filter((n) => params[n] === undefined);
  if (missing.length > 0) throw parsingError(`[${kind}] failed to parse object: Required [${missing.join(', ')}]`);
}

/** RankFeatureQueryBuilder.PARSER: `field`, at most one of the four functions (saturation by default), boost, _name. */
export function parseRankFeature(body: unknown): RankFeatureQuery {
  const spec = expectObject(NAME, body);
  const q: { kind: 'rank_feature'; boost: number; name?: string; field?: string } = { kind: NAME, boost: 1 };
  const functions: RankFeatureFunction[] = [];
  for (const [key, v] of Object.entries(spec)) {
    if (commonOption(NAME, q, key, v)) continue;
    if (key === 'field') {
      if (typeof v !== 'string') throw parsingError(`[feature] field doesn't support values of type: ${Array.isArray(v) ? 'START_ARRAY' : isObject(v) ? 'START_OBJECT' : 'VALUE_NUMBER'}`);
      q.field = v;
      continue;
    }
    if (!(FUNCTIONS as readonly string[]).includes(key)) throw unknownParam('feature', key);
    if (key === 'log') {
      const p = functionParams(key, v, ['scaling_factor']);
      required(key, p, ['scaling_factor']);
      functions.push({ type: 'log', scalingFactor: p.scaling_factor as number });
    } else if (key === 'saturation') {
      const p = functionParams(key, v, ['pivot']);
      functions.push(p.pivot === undefined ? { type: 'saturation' } : { type: 'saturation', pivot: p.pivot });
    } else if (key === 'sigmoid') {
      const p = functionParams(key, v, ['pivot', 'exponent']);
      required(key, p, ['pivot', 'exponent']);
      functions.push({ type: 'sigmoid', pivot: p.pivot as number, exponent: p.exponent as number });
    } else {
      functionParams(key, v, []);
      functions.push({ type: 'linear' });
    }
  }
  if (q.field === undefined) throw parsingError(`[feature] failed to parse object: Required [field]`);
  if (functions.length > 1) throw parsingError(`[feature] failed to parse object: Can only specify one of [log], [saturation], [sigmoid] and [linear]`);
  return { ...q, field: q.field, function: functions[0] ?? { type: 'saturation' } };
}

/** FeatureField.computePivotFeatureValue: the decoded average frequency of the feature's term in this shard. */
function pivotOf(view: IndexView, column: string): number {
  let docFreq = 0;
  let totalTermFreq = 0;
  for (const seg of view.segments) {
    for (let d = 0; d < seg.maxDoc; d++) {
      const freq = seg.numericValues(column, d)?.[0];
      if (freq === undefined) continue;
      docFreq++;
      totalTermFreq += freq;
    }
  }
  if (docFreq === 0) return 1;
  return decodeFeature(Math.fround(totalTermFreq / docFreq));
}

/** The per-doc score of a function at weight `w` and feature value `s` (FeatureField's SimScorers). */
function scorer(fn: RankFeatureFunction, pivot: number): (s: number, w: number) => number {
  switch (fn.type) {
    case 'linear':
      return (s, w) => Math.fround(w * s);
    case 'log':
      return (s, w) => Math.fround(w * Math.log(Math.fround(fn.scalingFactor + s)));
    case 'saturation':
      // "should be f / (f + k) but we rewrite it to 1 - k / (f + k) to make sure it doesn't decrease with f in spite of rounding"
      return (s, w) => Math.fround(w * Math.fround(1 - Math.fround(pivot / Math.fround(s + pivot))));
    case 'sigmoid': {
      const pivotPa = Math.pow(fn.pivot, fn.exponent);
      return (s, w) => Math.fround(w * (1 - pivotPa / (Math.pow(s, fn.exponent) + pivotPa)));
    }
  }
}

/** FeatureField's factory checks (IllegalArgumentException: a query_shard_exception "failed to create query"). */
function check(ctx: RewriteContext, fn: RankFeatureFunction, positiveScoreImpact: boolean): void {
  const fail = (reason: string): never => ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  if (fn.type === 'log') {
    if (!positiveScoreImpact) fail('Cannot use the [log] function with a field that has a negative score impact as it would trigger negative scores');
    if (!(fn.scalingFactor >= 1) || !Number.isFinite(fn.scalingFactor)) fail(`scalingFactor must be >= 1, got: ${javaFloatText(fn.scalingFactor)}`);
  }
  if ((fn.type === 'saturation' || fn.type === 'sigmoid') && fn.pivot !== undefined && (!(fn.pivot > 0) || !Number.isFinite(fn.pivot))) {
    fail(`pivot must be > 0, got: ${javaFloatText(fn.pivot)}`);
  }
  if (fn.type === 'sigmoid' && (!(fn.exponent > 0) || !Number.isFinite(fn.exponent))) fail(`exp must be > 0, got: ${javaFloatText(fn.exponent)}`);
}

/** RankFeatureQueryBuilder.doToQuery: a rank_feature field, or `<rank_features field>.<feature>`; unmapped: no docs. */
export function rewriteRankFeature(q: RankFeatureQuery, ctx: RewriteContext): Primitive {
  const f = ctx.field(q.field);
  let positiveScoreImpact = true;
  let featureField: string;
  let feature: string;
  if (f?.type === 'rank_feature') {
    [featureField, feature] = [FEATURE_META_FIELD, f.path];
    positiveScoreImpact = f.positiveScoreImpact !== false;
  } else if (f) {
    const reason = `[rank_feature] query only works on [rank_feature] fields and features of [rank_features] fields, not [${f.type}]`;
    return ctx.fail(`failed to create query: ${reason}`, { type: 'illegal_argument_exception', reason });
  } else {
    const dot = q.field.lastIndexOf('.');
    const parent = dot === -1 ? undefined : ctx.field(q.field.slice(0, dot));
    if (parent?.type !== 'rank_features') return NONE;
    [featureField, feature] = [parent.path, q.field.slice(dot + 1)];
  }
  const column = featureColumn(featureField, feature);
  const fn = q.function;
  check(ctx, fn, positiveScoreImpact);
  const pivot = fn.type === 'saturation' ? (fn.pivot ?? pivotOf(ctx.view, column)) : fn.type === 'sigmoid' ? fn.pivot : 0;
  const score = scorer(fn, pivot);
  const valueOf = (seg: SegmentView, doc: number): number => decodeFeature(seg.numericValues(column, doc)?.[0] ?? 0);
  return {
    op: 'docs',
    boost: q.boost,
    label: `FeatureQuery(field=${featureField}, feature=${feature}, function=${functionText(fn, pivot)})`,
    match: (seg) => scanDocs(seg, (d) => seg.numericValues(column, d) !== undefined),
    score: (seg) => (doc, boost) => score(valueOf(seg, doc), Math.fround(boost)),
    explain: (seg) => (doc, boost) => explanation(fn, pivot, featureField, feature, Math.fround(boost), valueOf(seg, doc)),
  };
}

/** FeatureFunction.explain: the function's formula and its values. */
function explanation(fn: RankFeatureFunction, pivot: number, field: string, feature: string, w: number, s: number): { description: string; details: Array<[number, string]> } {
  const on = `on the ${field} field for the ${feature} feature, computed as`;
  const weight: [number, string] = [w, 'w, weight of this function'];
  const value: [number, string] = [s, 'S, feature value'];
  const k: [number, string] = [pivot, 'k, pivot feature value that would give a score contribution equal to w/2'];
  switch (fn.type) {
    case 'linear':
      return { description: `Linear function ${on} w * S from:`, details: [weight, value] };
    case 'log':
      return { description: `Log function ${on} w * log(a + S) from:`, details: [weight, [fn.scalingFactor, 'a, scaling factor'], value] };
    case 'saturation':
      return { description: `Saturation function ${on} w * S / (S + k) from:`, details: [weight, k, value] };
    case 'sigmoid':
      return {
        description: `Sigmoid function ${on} w * S^a / (S^a + k^a) from:`,
        details: [weight, k, [fn.exponent, 'a, exponent, higher values make the function grow slower before k and faster after k'], value],
      };
  }
}

/** FeatureFunction.toString, as FeatureQuery.toString shows it. */
function functionText(fn: RankFeatureFunction, pivot: number): string {
  switch (fn.type) {
    case 'linear':
      return 'LinearFunction';
    case 'log':
      return `LogFunction(scalingFactor=${javaFloatText(fn.scalingFactor)})`;
    case 'saturation':
      return `SaturationFunction(pivot=${javaFloatText(pivot)})`;
    case 'sigmoid':
      return `SigmoidFunction(pivot=${javaFloatText(fn.pivot)}, a=${javaFloatText(fn.exponent)})`;
  }
}
