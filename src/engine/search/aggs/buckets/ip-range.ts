import { EngineError } from '../../../errors.js';
import { compareIp, formatIp, parseCidr } from '../../../ip-address.js';
import type { AggSpec, BucketResult, BucketType } from '../agg-types.js';
import { ipReaders, requestIp } from './ip-values.js';
import { checkKeys, optBoolean, requireField, xContentError } from './options.js';
import { bucketSubs } from './subs.js';

/**
 * `ip_range` (IpRangeAggregationBuilder, BinaryRangeAggregator, InternalBinaryRange): ranges of
 * addresses, `from` inclusive and `to` exclusive, or a CIDR `mask` (from its lowest address to
 * the one after its highest; an end at `::` or at the last address is left open). Ranges are
 * sorted by from (open first), then to (open last), as BinaryRangeAggregator sorts them; a doc
 * counts once in each range one of its values falls in. A range without `key` is keyed
 * `from-to` with `*` for an open end (the mask itself for a mask range).
 */

interface IpRangeDef {
  key: string;
  from?: Uint8Array;
  to?: Uint8Array;
}

const MIN = new Uint8Array(16);
const MAX = new Uint8Array(16).fill(0xff);

/** InetAddressPoint.nextUp: the address after `bytes` (not called on the last address). */
function nextUp(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 15; i >= 0; i--) {
    if (out[i] === 0xff) {
      out[i] = 0;
      continue;
    }
    out[i] = (out[i] as number) + 1;
    break;
  }
  return out;
}

function parseAddress(spec: AggSpec, v: unknown): Uint8Array {
  try {
    return requestIp(v);
  } catch (e) {
    throw xContentError(`[${spec.type}] failed to parse field [ranges]`, e as EngineError);
  }
}

function parseRanges(spec: AggSpec): IpRangeDef[] {
  const given = spec.body.ranges;
  // ObjectParser.declareObjectArray: a single object is a list of one
  const raw = given !== null && typeof given === 'object' && !Array.isArray(given) ? [given] : given;
  if (raw !== undefined && !Array.isArray(raw)) throw xContentError(`[${spec.type}] ranges doesn't support values of type: VALUE`);
  const ranges = (raw ?? []).map((r): IpRangeDef => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new EngineError(400, 'parsing_exception', '[ranges] must contain objects, but hit a VALUE');
    const o = r as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!['key', 'from', 'to', 'mask'].includes(k)) throw new EngineError(400, 'parsing_exception', `Unexpected ip range parameter: [${k}]`);
    }
    const given = o.key === undefined || o.key === null ? undefined : String(o.key);
    if (o.mask !== undefined && o.mask !== null) {
      const mask = String(o.mask);
      const cidr = parseCidr(mask);
      if (!cidr) throw xContentError(`[${spec.type}] failed to parse field [ranges]`, new EngineError(400, 'illegal_argument_exception', `Expected [ip/prefix] but was [${mask}]`));
      const [lower, upper] = cidr;
      return {
        key: given ?? mask,
        ...(compareIp(lower, MIN) === 0 ? {} : { from: lower }),
        ...(compareIp(upper, MAX) === 0 ? {} : { to: nextUp(upper) }),
      };
    }
    const from = o.from === undefined || o.from === null ? undefined : parseAddress(spec, o.from);
    const to = o.to === undefined || o.to === null ? undefined : parseAddress(spec, o.to);
    const key = given ?? `${from ? formatIp(from) : '*'}-${to ? formatIp(to) : '*'}`;
    return { key, ...(from ? { from } : {}), ...(to ? { to } : {}) };
  });
  // BinaryRangeAggregator.RANGE_COMPARATOR: from ascending (open first), then to ascending (open last)
  const cmp = (a: Uint8Array | undefined, b: Uint8Array | undefined, open: number): number => (a === undefined ? (b === undefined ? 0 : -open) : b === undefined ? open : compareIp(a, b));
  return ranges.sort((a, b) => cmp(a.from, b.from, 1) || cmp(a.to, b.to, -1));
}

function options(spec: AggSpec): { field: string; ranges: IpRangeDef[]; keyed: boolean; missing?: Uint8Array } {
  checkKeys(spec, ['field', 'missing', 'value_type', 'keyed', 'ranges']);
  const field = requireField(spec);
  const ranges = parseRanges(spec);
  const missing = spec.body.missing;
  return { field, ranges, keyed: optBoolean(spec, 'keyed') ?? false, ...(missing !== undefined && missing !== null ? { missing: requestIp(missing) } : {}) };
}

export const ipRangeAgg: BucketType = {
  validate(spec) {
    options(spec);
  },
  collect(spec, docs, ctx): BucketResult {
    const o = options(spec);
    // IpRangeAggregationBuilder.innerBuild (per shard)
    if (o.ranges.length === 0) throw new EngineError(400, 'illegal_argument_exception', `No [ranges] specified for the [${spec.name}] aggregation`);
    const readers = ipReaders(spec, docs, o.field);
    const n = o.ranges.length;
    const pos: number[][] = o.ranges.map(() => []);
    const hit = new Uint8Array(n);
    for (let i = 0; i < docs.count; i++) {
      const r = readers[docs.leaf[i] as number];
      let vals = r ? r.values(docs.doc[i] as number) : undefined;
      if ((!vals || vals.length === 0) && o.missing) vals = [o.missing];
      if (!vals || vals.length === 0) continue;
      hit.fill(0);
      for (const v of vals) {
        for (let k = 0; k < n; k++) {
          const range = o.ranges[k] as IpRangeDef;
          if ((range.from === undefined || compareIp(v, range.from) >= 0) && (range.to === undefined || compareIp(v, range.to) < 0)) hit[k] = 1;
        }
      }
      for (let k = 0; k < n; k++) if (hit[k] === 1) (pos[k] as number[]).push(i);
    }
    const buckets = o.ranges.map((range, k) => {
      const b: Record<string, unknown> = { key: range.key };
      if (range.from) b.from = formatIp(range.from);
      if (range.to) b.to = formatIp(range.to);
      b.doc_count = (pos[k] as number[]).length;
      return Object.assign(b, bucketSubs(spec, docs, pos[k] as number[], ctx));
    });
    const result: BucketResult = { typed: 'ip_range', result: {}, buckets };
    if (o.keyed) {
      result.keyed = (b) => {
        const { key, ...rest } = b;
        return [String(key), rest];
      };
    }
    return result;
  },
};
