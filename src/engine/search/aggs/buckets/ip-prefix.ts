import { EngineError } from '../../../errors.js';
import type { AggSpec, BucketResult, BucketType } from '../agg-types.js';
import { formatIpKey, ipKey, ipReaders, requestIp } from './ip-values.js';
import { checkKeys, optBoolean, optInt, requireField, xContentError } from './options.js';
import { bucketSubs } from './subs.js';

/**
 * `ip_prefix` (IpPrefixAggregationBuilder, IpPrefixAggregator, InternalIpPrefix): one bucket
 * per network, the address masked with the first `prefix_length` bits. With `is_ipv6: false`
 * the mask is 4 bytes applied to the last 4 bytes of the 16-byte encoding (so an IPv6 address
 * gives the IPv4-looking network of its low bytes) and the bucket carries `netmask`; with
 * `is_ipv6: true` it is 16 bytes over the whole encoding (an IPv4 address, stored IPv4-mapped,
 * gives `::` below a /96). Buckets are sorted by key bytes; `append_prefix_length` writes
 * `key/len`; `min_doc_count` (at least 1) drops smaller buckets.
 */

interface PrefixOptions {
  field: string;
  prefixLength: number;
  isIpv6: boolean;
  appendPrefixLength: boolean;
  keyed: boolean;
  minDocCount: number;
  missing?: Uint8Array;
}

const rangeError = (name: string, max: number, value: number): EngineError =>
  new EngineError(400, 'illegal_argument_exception', `[${name}] must be in range [0, ${max}] while value is [${value}]`);

function options(spec: AggSpec): PrefixOptions {
  checkKeys(spec, ['field', 'missing', 'value_type', 'prefix_length', 'is_ipv6', 'append_prefix_length', 'min_doc_count', 'keyed']);
  const field = requireField(spec);
  const isIpv6 = optBoolean(spec, 'is_ipv6') ?? false;
  const prefixLength = optInt(spec, 'prefix_length') ?? -1;
  // the builder's setters refuse a negative length and a min_doc_count below 1 while parsing
  if (spec.body.prefix_length !== undefined && prefixLength < 0) {
    throw xContentError(`[${spec.type}] failed to parse field [prefix_length]`, rangeError('prefix_length', isIpv6 ? 128 : 32, prefixLength));
  }
  const minDocCount = optInt(spec, 'min_doc_count') ?? 1;
  if (minDocCount < 1) throw xContentError(`[${spec.type}] failed to parse field [min_doc_count]`, new EngineError(400, 'illegal_argument_exception', `[min_doc_count] must be in range [1, 2147483647] while value is [${minDocCount}]`));
  const missing = spec.body.missing;
  return {
    field,
    prefixLength,
    isIpv6,
    appendPrefixLength: optBoolean(spec, 'append_prefix_length') ?? false,
    keyed: optBoolean(spec, 'keyed') ?? false,
    minDocCount,
    ...(missing !== undefined && missing !== null ? { missing: requestIp(missing) } : {}),
  };
}

/** IpPrefixAggregationBuilder.extractNetmask: `prefixLength` one bits, in 4 or 16 bytes. */
export function netmask(prefixLength: number, isIpv6: boolean): Uint8Array {
  const mask = new Uint8Array(isIpv6 ? 16 : 4);
  for (let bit = 0; bit < prefixLength; bit++) mask[bit >> 3] = (mask[bit >> 3] as number) | (0x80 >> (bit & 7));
  return mask;
}

export const ipPrefixAgg: BucketType = {
  validate(spec) {
    options(spec);
  },
  collect(spec, docs, ctx): BucketResult {
    const o = options(spec);
    // IpPrefixAggregationBuilder.innerBuild (per shard)
    const max = o.isIpv6 ? 128 : 32;
    if (o.prefixLength < 0 || o.prefixLength > max) throw rangeError('prefix_length', max, o.prefixLength);
    const mask = netmask(o.prefixLength, o.isIpv6);
    const offset = mask.length === 4 ? 12 : 0;
    const readers = ipReaders(spec, docs, o.field);
    const byKey = new Map<string, number[]>();
    const subnet = new Uint8Array(mask.length);
    for (let i = 0; i < docs.count; i++) {
      const r = readers[docs.leaf[i] as number];
      let vals = r ? r.values(docs.doc[i] as number) : undefined;
      if ((!vals || vals.length === 0) && o.missing) vals = [o.missing];
      if (!vals) continue;
      let previous: string | undefined;
      for (const v of vals) {
        for (let b = 0; b < mask.length; b++) subnet[b] = (v[b + offset] as number) & (mask[b] as number);
        const key = ipKey(subnet);
        // consecutive values in the same network count the doc once (values are sorted)
        if (key === previous) continue;
        previous = key;
        let list = byKey.get(key);
        if (!list) byKey.set(key, (list = []));
        if (list[list.length - 1] !== i) list.push(i);
      }
    }
    const netmaskText = o.isIpv6 ? undefined : formatIpKey(ipKey(netmask(o.prefixLength, false)));
    const buckets = [...byKey.entries()]
      .filter(([, list]) => list.length >= o.minDocCount)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, list]) => {
        const text = formatIpKey(key);
        const b: Record<string, unknown> = { key: o.appendPrefixLength ? `${text}/${o.prefixLength}` : text };
        if (netmaskText !== undefined) b.netmask = netmaskText;
        b.doc_count = list.length;
        b.is_ipv6 = o.isIpv6;
        b.prefix_length = o.prefixLength;
        return Object.assign(b, bucketSubs(spec, docs, list, ctx));
      });
    const result: BucketResult = { typed: 'ip_prefix', result: {}, buckets };
    if (o.keyed) {
      result.keyed = (b) => {
        const { key, ...rest } = b;
        return [String(key), rest];
      };
    }
    return result;
  },
};
