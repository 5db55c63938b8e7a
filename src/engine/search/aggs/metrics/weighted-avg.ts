import { EngineError, parsingError } from '../../../errors.js';
import type { AggSpec, MetricType } from '../agg-types.js';
import { commonKind, fieldReaders } from '../values-source.js';
import { formatValue, valueFormat } from '../value-format.js';
import { CompensatedSum, numericMissing, scriptUnsupported } from './metric-source.js';

/**
 * `weighted_avg` as WeightedAvgAggregator computes it: per document with both a value and a
 * weight (each after its own `missing`), every value adds `value * weight` to the sum and `weight`
 * to the weights (Kahan-summed per shard, shard sums Kahan-reduced); the result is sum / weights,
 * null when the weights sum to 0. A document with more than one weight is an error.
 */

const SIDE_KEYS = ['field', 'missing', 'script', 'time_zone'];

type Json = Record<string, unknown>;

function side(spec: AggSpec, key: 'value' | 'weight'): Json {
  const raw = spec.body[key];
  if (raw === undefined) throw new EngineError(400, 'illegal_argument_exception', `[${key}] must be set for aggregation [${spec.name}]`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw parsingError(`[weighted_avg] ${key} doesn't support values of type: ${Array.isArray(raw) ? 'START_ARRAY' : 'VALUE_STRING'}`);
  const body = raw as Json;
  for (const k of Object.keys(body)) if (!SIDE_KEYS.includes(k)) throw parsingError(`[multivalues_source_field_config] unknown field [${k}]`);
  if (body.script !== undefined) throw scriptUnsupported(spec);
  if (typeof body.field !== 'string') throw new EngineError(400, 'illegal_argument_exception', '[field] must be set for aggregation [weighted_avg]');
  if (body.missing !== undefined && (body.missing === null || typeof body.missing === 'object')) throw parsingError(`[weighted_avg] [missing] must be a number, string or boolean`);
  return body;
}

export const weightedAvg: MetricType = {
  validate(spec) {
    const body = spec.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw parsingError(`[weighted_avg] expected an object for aggregation [${spec.name}]`);
    for (const k of Object.keys(body)) if (!['value', 'weight', 'format', 'value_type'].includes(k)) throw parsingError(`[weighted_avg] unknown field [${k}]`);
    if (body.format !== undefined && typeof body.format !== 'string') throw parsingError('[weighted_avg] field [format] must be a string');
    side(spec, 'value');
    side(spec, 'weight');
  },
  collect(spec, docs) {
    const value = side(spec, 'value');
    const weight = side(spec, 'weight');
    const valueReaders = fieldReaders(docs, value.field as string);
    const weightReaders = fieldReaders(docs, weight.field as string);
    for (const [readers, name] of [[valueReaders, value.field], [weightReaders, weight.field]] as const) {
      for (const r of readers) {
        if (r && r.kind === 'keyword') throw new EngineError(400, 'illegal_argument_exception', `Field [${String(name)}] of type [${r.info.type}] is not supported for aggregation [weighted_avg]`);
      }
    }
    const kind = commonKind(valueReaders);
    // MultiValuesSourceAggregationBuilder.resolveFormat: a Decimal with a `format`, else RAW (dates too)
    const format = valueFormat('number', spec.body.format as string | undefined);
    const valueMissing = value.missing === undefined ? undefined : numericMissing(value.missing, kind, valueReaders);
    const weightMissing = weight.missing === undefined ? undefined : numericMissing(weight.missing, commonKind(weightReaders), weightReaders);
    const perShard = new Map<number, { sum: CompensatedSum; weights: CompensatedSum }>();
    for (let i = 0; i < docs.count; i++) {
      const li = docs.leaf[i] as number;
      const doc = docs.doc[i] as number;
      const vr = valueReaders[li];
      const wr = weightReaders[li];
      const vs = vr ? (vr.values(doc) as readonly number[] | undefined) : undefined;
      const ws = wr ? (wr.values(doc) as readonly number[] | undefined) : undefined;
      const values = vs && vs.length > 0 ? vs : valueMissing !== undefined ? [valueMissing] : [];
      const weights = ws && ws.length > 0 ? ws : weightMissing !== undefined ? [weightMissing] : [];
      if (values.length === 0 || weights.length === 0) continue;
      if (weights.length > 1) {
        // AggregationExecutionException: a 500 (RestStatus.INTERNAL_SERVER_ERROR) from the shard
        throw new EngineError(
          500,
          'aggregation_execution_exception',
          'Encountered more than one weight for a single document. Use a script to combine multiple weights-per-doc into a single value.',
        );
      }
      const target = docs.leaves[li]?.target ?? 0;
      let acc = perShard.get(target);
      if (!acc) perShard.set(target, (acc = { sum: new CompensatedSum(), weights: new CompensatedSum() }));
      const w = weights[0] as number;
      for (const v of values) {
        acc.sum.add(v * w);
        acc.weights.add(w);
      }
    }
    const sum = new CompensatedSum();
    const weights = new CompensatedSum();
    for (const [, acc] of [...perShard.entries()].sort((a, b) => a[0] - b[0])) {
      sum.add(acc.sum.value);
      weights.add(acc.weights.value);
    }
    if (weights.value === 0) return { value: null };
    const result = sum.value / weights.value;
    const asString = formatValue(format, result);
    return { value: result, ...(asString !== undefined ? { value_as_string: asString } : {}) };
  },
};
