import { EngineError } from '../../../errors.js';
import { murmur3x86_32 } from '../../../murmur3.js';
import { regexpMatcher } from '../../pattern.js';
import type { AggSpec } from '../agg-types.js';
import type { ValueKind } from '../values-source.js';
import { xContentError } from './options.js';

/**
 * Terms `include` / `exclude` (Elasticsearch's IncludeExclude): a Lucene regexp over the whole
 * term, an array of exact values, or `{ partition, num_partitions }` (a term belongs to
 * partition `floorMod(murmur3_x86_32(utf8(term), 31), n)`; numbers `floorMod(mix64(value), n)`).
 */

export type TermFilter = (key: string | number) => boolean;

/** Validates the shapes at parse time. */
export function validateIncludeExclude(spec: AggSpec): void {
  const inc = spec.body.include;
  const exc = spec.body.exclude;
  for (const [k, v] of [['include', inc], ['exclude', exc]] as const) {
    if (v === undefined || typeof v === 'string' || Array.isArray(v)) continue;
    if (k === 'include' && typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.partition !== 'number') throw xContentError(`[${spec.type}] failed to parse field [include]`, new EngineError(400, 'illegal_argument_exception', 'Missing [partition] parameter for partition-based include'));
      if (typeof o.num_partitions !== 'number') throw xContentError(`[${spec.type}] failed to parse field [include]`, new EngineError(400, 'illegal_argument_exception', 'Missing [num_partitions] parameter for partition-based include'));
      if (o.partition < 0 || o.partition >= o.num_partitions) {
        throw xContentError(`[${spec.type}] failed to parse field [include]`, new EngineError(400, 'illegal_argument_exception', `Invalid partition number [${o.partition}]: must be >= 0 and < [num_partitions] ${o.num_partitions}`));
      }
      continue;
    }
    throw xContentError(`[${spec.type}] failed to parse field [${k}]`);
  }
}

/** The filter for a field kind, or undefined when neither option is given. */
export function compileIncludeExclude(
  spec: AggSpec,
  kind: ValueKind | 'ip',
  toKey: (v: unknown) => string | number,
  bytesOf?: (key: string | number) => Uint8Array,
): TermFilter | undefined {
  const inc = spec.body.include;
  const exc = spec.body.exclude;
  if (inc === undefined && exc === undefined) return undefined;
  const numeric = kind !== 'keyword';
  if (numeric && (typeof inc === 'string' || typeof exc === 'string')) {
    // AggregationExecutionException keeps ElasticsearchException's status: 500
    throw new EngineError(
      500,
      'aggregation_execution_exception',
      `Aggregation [${spec.name}] cannot support regular expression style include/exclude settings as they can only be applied to string fields. Use an array of values for include/exclude clauses`,
    );
  }
  const one = (v: unknown, including: boolean): TermFilter | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'string') {
      const dfa = regexpMatcher(v);
      return (k) => dfa.test(String(k));
    }
    if (Array.isArray(v)) {
      const set = new Set(v.map((x) => toKey(x)));
      return (k) => set.has(k);
    }
    if (including && typeof v === 'object' && v !== null) {
      const { partition, num_partitions: n } = v as { partition: number; num_partitions: number };
      // an ip term is hashed over its 16 bytes (the BytesRef), a string over its UTF-8 bytes
      if (bytesOf) return (k) => floorMod(murmur3x86_32(bytesOf(k), 31), n) === partition;
      return numeric ? (k) => floorMod(mix64(Number(k)), n) === partition : (k) => floorMod(murmur3(String(k), 31), n) === partition;
    }
    return undefined;
  };
  const i = one(inc, true);
  const e = one(exc, false);
  return (k) => (i === undefined || i(k)) && (e === undefined || !e(k));
}

function floorMod(a: number | bigint, n: number): number {
  if (typeof a === 'bigint') return Number(((a % BigInt(n)) + BigInt(n)) % BigInt(n));
  return ((a % n) + n) % n;
}

/** HPPC BitMixer.mix64 over the value's long bits (doubles through doubleToLongBits). */
function mix64(x: number): bigint {
  let z: bigint;
  if (Number.isInteger(x)) z = BigInt.asIntN(64, BigInt(x));
  else {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, x);
    z = dv.getBigInt64(0);
  }
  const M = (v: bigint): bigint => BigInt.asIntN(64, v);
  const ushr = (v: bigint, s: bigint): bigint => BigInt.asUintN(64, v) >> s;
  z = M((z ^ ushr(z, 32n)) * 0x4cd6944c5cc20b6dn);
  z = M((z ^ ushr(z, 29n)) * BigInt.asIntN(64, 0xfc12c5b19d3259e9n));
  return M(z ^ ushr(z, 32n));
}

/** Lucene StringHelper.murmurhash3_x86_32 over the UTF-8 bytes. */
export function murmur3(text: string, seed: number): number {
  return murmur3x86_32(new TextEncoder().encode(text), seed);
}
