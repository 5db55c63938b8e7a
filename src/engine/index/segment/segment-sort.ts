import type { SegmentCore } from './segment-core.js';
import { parseIp } from '../../ip-address.js';

/** One key of an index sort (IndexSortConfig's FieldSortSpec, resolved against the mapping). */
export interface IndexSortKey {
  field: string;
  /**
   * Numbers (numeric, date and boolean fields), keywords (also a date_nanos field's exact-nanos
   * column, 19 zero-padded digits in numeric order), or ips (printed addresses, ordered by their
   * 16-byte encoding as Lucene's SortedSetSortField orders an ip field's doc values).
   */
  kind: 'number' | 'keyword' | 'ip';
  reverse: boolean;
  /** MultiValueMode of a multi-valued doc: min (the ascending default) or max (the descending one). */
  mode: 'min' | 'max';
  /** Docs without a value: first, or last (the default) whatever the order. */
  missingFirst: boolean;
}

type SortValue = number | string | undefined;

/** Lucene compares keywords as UTF-8 bytes: code point order (UTF-16 order differs past the BMP). */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** An ip's 16 bytes as hex: string order is byte order. */
function ipSortKey(printed: string): string {
  const bytes = parseIp(printed);
  let out = '';
  for (const b of bytes ?? []) out += b.toString(16).padStart(2, '0');
  return out;
}

function valueOf(core: SegmentCore, doc: number, key: IndexSortKey): SortValue {
  const data = core.fields.get(key.field);
  if (key.kind === 'ip') {
    const printed = data?.keywords?.[doc];
    if (!printed || printed.length === 0) return undefined;
    const keys = printed.map(ipSortKey).sort();
    return key.mode === 'min' ? keys[0] : keys[keys.length - 1];
  }
  // doc values are kept sorted: the first is the min, the last the max
  const values = key.kind === 'number' ? data?.numbers?.[doc] : data?.keywords?.[doc];
  if (!values || values.length === 0) return undefined;
  return key.mode === 'min' ? values[0] : values[values.length - 1];
}

function compare(a: SortValue, b: SortValue, key: IndexSortKey): number {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    return (a === undefined) === key.missingFirst ? -1 : 1;
  }
  const cmp = typeof a === 'number' ? a - (b as number) : compareCodePoints(a, b as string);
  return key.reverse ? -cmp : cmp;
}

/**
 * The kept docs of the inputs, as [input, doc] pairs, in index-sort order (Lucene's IndexSorter and
 * MultiSorter): ties keep their order, lower input first, then lower doc.
 */
export function indexSortOrder(inputs: ReadonlyArray<{ core: SegmentCore; live: Uint8Array | null }>, keys: readonly IndexSortKey[]): Array<[number, number]> {
  const entries: Array<{ input: number; doc: number; values: SortValue[] }> = [];
  inputs.forEach(({ core, live }, input) => {
    for (let doc = 0; doc < core.maxDoc; doc++) {
      if (live === null || live[doc]) entries.push({ input, doc, values: keys.map((key) => valueOf(core, doc, key)) });
    }
  });
  entries.sort((x, y) => {
    for (let k = 0; k < keys.length; k++) {
      const cmp = compare(x.values[k], y.values[k], keys[k]!);
      if (cmp !== 0) return cmp;
    }
    return 0;
  });
  return entries.map(({ input, doc }) => [input, doc]);
}
