import { illegalArgument } from './errors.js';

/**
 * Lucene's FeatureField, as the `rank_feature` and `rank_features` field types index it: a
 * feature value is a positive normal float kept as the term frequency of the feature's term, its
 * float bits shifted right by 15 (the sign, the exponent and the top 9 bits of the mantissa: a
 * relative precision of 2^-8). `rank_feature` fields are the feature (their path) of the hidden
 * `_feature` field; `rank_features` fields hold each of their keys as a feature.
 *
 * The engine keeps each feature's frequency as the only number of a hidden doc-values column
 * (featureColumn), so that sorting, aggregations, scripts and docvalue_fields, which read the
 * field's own path, find nothing there and refuse the field as Elasticsearch does.
 */

/** RankFeatureMetaFieldMapper.NAME: the field every `rank_feature` field is a feature of. */
export const FEATURE_META_FIELD = '_feature';

/** The hidden column holding the frequency of `feature` in the feature field `field`. */
export function featureColumn(field: string, feature: string): string {
  return `${field}\u0000feature\u0000${feature}`;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Float.floatToIntBits. */
function floatBits(value: number): number {
  f32[0] = value;
  return i32[0] as number;
}

/** Float.intBitsToFloat. */
function bitsFloat(bits: number): number {
  i32[0] = bits;
  return f32[0] as number;
}

/** Float.MIN_NORMAL. */
export const FLOAT_MIN_NORMAL = 2 ** -126;

/** FeatureField.MAX_FREQ: the frequency of Float.MAX_VALUE. */
const MAX_FREQ = floatBits(3.4028234663852886e38) >>> 15;

/** FeatureField.tokenStream: the term frequency of a feature value (`Float.floatToIntBits(value) >>> 15`). */
export function encodeFeature(value: number): number {
  return floatBits(Math.fround(value)) >>> 15;
}

/** FeatureField.decodeFeatureValue: the float a frequency (possibly a float average) stands for. */
export function decodeFeature(freq: number): number {
  if (freq > MAX_FREQ) return 3.4028234663852886e38;
  return bitsFloat(Math.trunc(freq) << 15);
}

/** Java's Float.toString (JDK 19+: the shortest decimal that reads back as the same float). */
export function javaFloatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const f = Math.fround(value);
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = f.toExponential(p - 1);
    if (Math.fround(Number(digits)) === f) break;
  }
  const [mantissa, exp] = digits.split('e') as [string, string];
  const e = Number(exp);
  const abs = Math.abs(f);
  if (abs >= 1e-3 && abs < 1e7) {
    const plain = String(Number(digits));
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${e}`;
}

/**
 * FeatureField.setFeatureValue: the value (already inverted for a negative score impact) must be
 * a finite, positive normal float.
 */
export function checkFeatureValue(value: number, feature: string, field: string): number {
  const v = Math.fround(value);
  if (!Number.isFinite(v)) throw illegalArgument(`featureValue must be finite, got: ${javaFloatText(v)} for feature ${feature} on field ${field}`);
  if (v < FLOAT_MIN_NORMAL) {
    throw illegalArgument(
      `featureValue must be a positive normal float, got: ${javaFloatText(v)} for feature ${feature} on field ${field} which is less than the minimum positive normal float: ${javaFloatText(FLOAT_MIN_NORMAL)}`,
    );
  }
  return v;
}

/** Java's Float.parseFloat decimal syntax (a float/double suffix allowed). */
const JAVA_FLOAT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/** XContentParser.floatValue (numbers, and strings coerced with Float.parseFloat); throws as Jackson does. */
export function parseFeatureFloat(value: unknown): number {
  if (typeof value === 'number') return Math.fround(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') throw illegalArgument('empty String');
    if (!JAVA_FLOAT.test(text)) throw illegalArgument(`For input string: "${value}"`);
    return Math.fround(Number(text.replace(/[fFdD]$/, '')));
  }
  if (typeof value === 'boolean') throw illegalArgument(`Current token (VALUE_${String(value).toUpperCase()}) not numeric, can not use numeric value accessors`);
  throw illegalArgument(`Current token (START_${Array.isArray(value) ? 'ARRAY' : 'OBJECT'}) not numeric, can not use numeric value accessors`);
}
