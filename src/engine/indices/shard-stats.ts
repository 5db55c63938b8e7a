import type { ShardView } from '../index/shard-view.js';

/**
 * The `_stats` metrics `get` and `fielddata` of one index, summed over its shards (the engine's
 * shards are all primaries on one node, so `primaries` and `total` are the same).
 */

/**
 * ShardGetService's counters (GetStats): every get of a document by id on a shard, the GET and
 * HEAD document APIs, `_source`, each `_mget` item, a terms lookup's fetch and an update's read of
 * the current document, split by whether the document existed. Times in whole milliseconds.
 */
export class GetStats {
  private total = 0;
  private timeNs = 0n;
  private exists = 0;
  private existsNs = 0n;
  private missing = 0;
  private missingNs = 0n;

  /** Runs one get, counting it. */
  record<T>(get: () => T | undefined): T | undefined {
    const started = process.hrtime.bigint();
    const doc = get();
    const took = process.hrtime.bigint() - started;
    this.total++;
    this.timeNs += took;
    if (doc === undefined) {
      this.missing++;
      this.missingNs += took;
    } else {
      this.exists++;
      this.existsNs += took;
    }
    return doc;
  }

  /** The `get` block of `_stats`. */
  toJson(): Record<string, number> {
    const ms = (ns: bigint): number => Number(ns / 1_000_000n);
    return {
      total: this.total,
      time_in_millis: ms(this.timeNs),
      exists_total: this.exists,
      exists_time_in_millis: ms(this.existsNs),
      missing_total: this.missing,
      missing_time_in_millis: ms(this.missingNs),
      current: 0,
    };
  }
}

/** Whether a field name matches one of `fielddata_fields`' patterns (`*` wildcards). */
function matchesAny(field: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.includes('*') ? new RegExp(`^${p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(field) : p === field));
}

/**
 * The `fielddata` block (FieldDataStats) over the shards' current readers: the heap the engine
 * holds for fielddata is the global ordinals terms aggregations built (doc values of keyword
 * fields stay in the segments, as they stay off heap in Elasticsearch). `fields` lists the
 * per-field sizes `fielddata_fields` asks for; `global_ordinals.fields` the build time and
 * largest per-shard value count of every field whose global ordinals were built.
 */
export function fielddataStats(views: readonly ShardView[], fieldPatterns: readonly string[] | undefined): Record<string, unknown> {
  let bytes = 0;
  let buildMs = 0;
  const perField = new Map<string, number>();
  const ordinals = new Map<string, { buildMs: number; valueCount: number }>();
  for (const view of views) {
    for (const [field, g] of view.globalOrdinals) {
      bytes += g.bytes;
      buildMs += g.buildMs;
      perField.set(field, (perField.get(field) ?? 0) + g.bytes);
      const o = ordinals.get(field);
      ordinals.set(field, { buildMs: (o?.buildMs ?? 0) + g.buildMs, valueCount: Math.max(o?.valueCount ?? 0, g.valueCount) });
    }
  }
  const out: Record<string, unknown> = { memory_size_in_bytes: bytes, evictions: 0 };
  if (fieldPatterns !== undefined) {
    const fields: Record<string, unknown> = {};
    for (const [field, size] of perField) if (matchesAny(field, fieldPatterns)) fields[field] = { memory_size_in_bytes: size };
    // FieldMemoryStats lists the fields asked for that have fielddata loaded
    if (Object.keys(fields).length > 0) out.fields = fields;
  }
  const global: Record<string, unknown> = { build_time_in_millis: Math.floor(buildMs) };
  if (ordinals.size > 0) {
    const fields: Record<string, unknown> = {};
    for (const [field, o] of ordinals) fields[field] = { build_time_in_millis: Math.floor(o.buildMs), shard_max_value_count: o.valueCount };
    global.fields = fields;
  }
  out.global_ordinals = global;
  return out;
}
