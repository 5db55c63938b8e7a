import type { FieldInfo } from '../../../contract.js';
import { EngineError } from '../../../errors.js';
import { formatIp, parseIp } from '../../../ip-address.js';
import type { AggSpec, DocSet } from '../agg-types.js';
import type { FieldReader } from '../values-source.js';

/**
 * `ip` field values for aggregations (Elasticsearch's ValuesSource.Bytes over an ip field's
 * SortedSetDocValues): each value is the 16-byte InetAddressPoint encoding, a document's values
 * in byte order. The engine keeps ip doc values as printed addresses; they are parsed back here.
 *
 * Bucket keys are the bytes as lowercase hex (`ipKey`): comparing two keys as strings compares
 * the bytes, which is the order of ES's BytesRef keys (terms ties, ip_prefix buckets).
 */

export interface IpReader {
  info: FieldInfo;
  values(doc: number): readonly Uint8Array[] | undefined;
}

/** Hex of the bytes: sorts as the bytes do. */
export function ipKey(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** The bytes of an `ipKey` (16 bytes, or 4 for an IPv4 prefix key). */
export function keyBytes(key: string): Uint8Array {
  const out = new Uint8Array(key.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(key.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** DocValueFormat.IP of a key: 16 bytes as InetAddresses prints them, 4 bytes as a dotted quad. */
export function formatIpKey(key: string): string {
  const bytes = keyBytes(key);
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  return formatIp(bytes);
}

/** InetAddresses.forString for a request value: `'x' is not an IP string literal.` otherwise. */
export function requestIp(value: unknown): Uint8Array {
  const bytes = typeof value === 'string' ? parseIp(value) : undefined;
  if (!bytes) throw new EngineError(400, 'illegal_argument_exception', `'${String(value)}' is not an IP string literal.`);
  return bytes;
}

/**
 * One reader per leaf of `docs` for an ip aggregation: null where `field` is unmapped; a field
 * of another type fails as ValuesSourceConfig does for an aggregation that only takes ips.
 */
export function ipReaders(spec: AggSpec, docs: DocSet, field: string): Array<IpReader | null> {
  const cache = new Map<object, IpReader | null>();
  return docs.leaves.map((leaf) => {
    const info = leaf.view.mapping.field(field);
    if (!info) return null;
    if (info.type !== 'ip') {
      throw new EngineError(400, 'illegal_argument_exception', `Field [${field}] of type [${info.type}] is not supported for aggregation [${spec.type}]`);
    }
    const seg = leaf.segment;
    let r = cache.get(seg);
    if (r === undefined) {
      r = {
        info,
        values(doc) {
          const texts = seg.keywordValues(field, doc);
          if (!texts || texts.length === 0) return undefined;
          const out: Uint8Array[] = [];
          for (const t of texts) {
            const b = parseIp(t);
            if (b) out.push(b);
          }
          return out.length > 1 ? out.sort((a, b) => (ipKey(a) < ipKey(b) ? -1 : ipKey(a) > ipKey(b) ? 1 : 0)) : out;
        },
      };
      cache.set(seg, r);
    }
    return r;
  });
}

/** An ip field's values as terms keys: the 16 bytes in hex, in byte order (ES's BytesRef terms). */
export function ipKeyReaders(spec: AggSpec, docs: DocSet, field: string): Array<FieldReader | null> {
  return ipReaders(spec, docs, field).map((r) =>
    r === null
      ? null
      : {
          kind: 'keyword' as const,
          info: r.info,
          values: (doc: number) => r.values(doc)?.map(ipKey),
        },
  );
}

/** Whether `field` is mapped as an ip in any leaf of `docs`. */
export function isIpInLeaves(docs: DocSet, field: string): boolean {
  return docs.leaves.some((leaf) => leaf.view.mapping.field(field)?.type === 'ip');
}
