import { getHeapStatistics } from 'node:v8';
import type { IndexView, RequestCacheStats, SearchParams, SearchTarget } from '../contract.js';
import { JsonDouble } from './float-format.js';

/** A response's Java doubles (JsonDouble: `2.0`) survive the cached JSON text as a tagged object. */
const DOUBLE_TAG = '\u0000double';
const keepDouble = (_key: string, v: unknown): unknown => (v instanceof JsonDouble ? { [DOUBLE_TAG]: v.value } : v);
const reviveDouble = (_key: string, v: unknown): unknown =>
  v !== null && typeof v === 'object' && Object.hasOwn(v, DOUBLE_TAG) ? new JsonDouble((v as Record<string, number>)[DOUBLE_TAG] as number) : v;

/**
 * The shard request cache (Elasticsearch's IndicesRequestCache): the result of a shard's query
 * phase, kept per shard under a key made of the shard, its reader (the view: a refresh that changed
 * the shard makes a new one, so older entries are never read again and are dropped) and the request
 * as the shard receives it (the body with its terms lookups already resolved, and the parameters
 * that reach the shard).
 *
 * Which requests use it (IndicesService.canCache): not a scroll, not dfs_query_then_fetch, not a
 * point in time (its reader is not the shard's current one); `request_cache=false` never,
 * `request_cache=true` always, no parameter: when `index.requests.cache.enable` (default true) and
 * `size` is 0. A request whose result depends on the clock (date math on `now`, random_score
 * without a seed) is not cached and counts neither a hit nor a miss, as in Elasticsearch; that is
 * known only once it ran, and a request found in the cache was stored by an identical one that did
 * not read it. Timed out requests and shards that failed are not stored.
 *
 * The engine computes a search over all its shards at once, so what it reuses is the whole
 * response: when every shard of the request has an entry stored by an identical request, the
 * response is answered from the cache (with a new `took`); each shard still counts its own hit or
 * miss. `memory_size_in_bytes` is the UTF-16 size of the keys and of the stored responses (shared
 * out between the shards that stored them), an estimate as Elasticsearch's is (key + value bytes).
 * The cache holds at most 1% of the heap (`indices.requests.cache.size`'s default); the least
 * recently used entries go first, counted as `evictions`.
 */

/** URL parameters that change only how the coordinating node renders a response, not a shard's request. */
const RENDERING_PARAMS = new Set(['typed_keys', 'request_cache', 'pretty', 'human', 'error_trace', 'filter_path', 'max_concurrent_shard_requests', 'pre_filter_shard_size', 'batched_reduce_size', 'ccs_minimize_roundtrips', 'preference', 'routing']);

interface Entry {
  shard: string;
  bytes: number;
  /** The key of the whole request that stored it, and its response (JSON). */
  responseKey: string;
  response: string;
}

interface ShardCounters {
  hits: number;
  misses: number;
  evictions: number;
  bytes: number;
  /** The view (reader) the shard's entries belong to. */
  view: number;
}

/** What a request may do with the cache: the shards that use it, with their keys. */
export interface CachePlan {
  shards: Array<{ target: SearchTarget; shard: string; key: string }>;
  /** Set when every shard of the request uses the cache: the key of the whole response. */
  responseKey?: string;
}

export class ShardRequestCache {
  private readonly entries = new Map<string, Entry>();
  private readonly shards = new Map<string, ShardCounters>();
  private readonly viewIds = new WeakMap<IndexView, number>();
  private nextViewId = 1;
  private totalBytes = 0;

  constructor(private readonly limitBytes = Math.floor(getHeapStatistics().heap_size_limit * 0.01)) {}

  /**
   * Which shards of a search may use the cache, and under which keys (undefined: none).
   * `size` is the request's final size (URL and body merged).
   */
  plan(targets: SearchTarget[], body: Record<string, unknown>, params: SearchParams, size: number, request: { scroll: boolean; pit: boolean; kind: string }): CachePlan | undefined {
    // SearchService.canCache: a profiled search is never cached (its profile is of this run)
    if (request.scroll || request.pit || params.search_type === 'dfs_query_then_fetch' || body.profile === true) return undefined;
    const shardParams: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) if (!RENDERING_PARAMS.has(k) && v !== undefined) shardParams[k] = v;
    // written only once a shard uses the cache: a search with hits (size > 0) never does, and the
    // text of a large body (1,000,000 terms, 11 MB) takes ~100 ms to write
    let requestKey: string | undefined;
    const flag = params.request_cache;
    const shards: CachePlan['shards'] = [];
    for (const target of targets) {
      const view = target.view;
      if (flag === false) continue;
      if (flag !== true) {
        const enabled = view.setting?.('index.requests.cache.enable');
        if (String(enabled ?? 'true') === 'false' || size !== 0) continue;
      }
      const shard = shardKey(view);
      requestKey ??= JSON.stringify([request.kind, body, shardParams]);
      const key = `${shard}\u0000${this.viewId(view)}\u0000${JSON.stringify(target.aliasFilter ?? null)}\u0000${requestKey}`;
      shards.push({ target, shard, key });
    }
    if (shards.length === 0) return undefined;
    const plan: CachePlan = { shards };
    if (shards.length === targets.length) plan.responseKey = JSON.stringify([request.kind, body, params, shards.map((s) => s.key)]);
    return plan;
  }

  /** The stored response when every shard of the plan has it (counting a hit on each), else undefined. */
  lookup(plan: CachePlan): Record<string, unknown> | undefined {
    if (plan.responseKey === undefined) return undefined;
    let response: string | undefined;
    for (const s of plan.shards) {
      this.syncView(s.shard, s.target.view);
      const entry = this.entries.get(s.key);
      if (!entry || entry.responseKey !== plan.responseKey) return undefined;
      response = entry.response;
    }
    for (const s of plan.shards) {
      this.touch(s.key);
      this.counters(s.shard).hits++;
    }
    return response === undefined ? undefined : (JSON.parse(response, reviveDouble) as Record<string, unknown>);
  }

  /** After the request ran: a hit for each shard with an entry, a miss (and a new entry) for the others. */
  store(plan: CachePlan, response: Record<string, unknown>): void {
    const json = plan.responseKey === undefined ? '' : JSON.stringify(response, keepDouble);
    const share = Math.ceil((json.length * 2) / plan.shards.length);
    for (const s of plan.shards) {
      this.syncView(s.shard, s.target.view);
      const counters = this.counters(s.shard);
      const existing = this.entries.get(s.key);
      if (existing && (plan.responseKey === undefined || existing.responseKey === plan.responseKey)) {
        counters.hits++;
        this.touch(s.key);
        continue;
      }
      if (existing) this.remove(s.key, existing);
      else counters.misses++;
      const entry: Entry = { shard: s.shard, bytes: s.key.length * 2 + share, responseKey: plan.responseKey ?? '', response: json };
      this.entries.set(s.key, entry);
      counters.bytes += entry.bytes;
      this.totalBytes += entry.bytes;
    }
    this.evict();
  }

  /** The figures of an index's shards (`_stats` metric `request_cache`), summed. */
  stats(uuid: string): RequestCacheStats {
    const out: RequestCacheStats = { memory_size_in_bytes: 0, evictions: 0, hit_count: 0, miss_count: 0 };
    for (const [shard, c] of this.shards) {
      if (!shard.startsWith(`${uuid}#`)) continue;
      out.memory_size_in_bytes += c.bytes;
      out.evictions += c.evictions;
      out.hit_count += c.hits;
      out.miss_count += c.misses;
    }
    return out;
  }

  /**
   * `POST /_cache/clear?request=true`: drops the entries of these indices, or of all (the counters
   * stay). Also called when index or cluster settings change: a stored result was checked against
   * the old ones (index.max_terms_count, search.max_buckets...), as Elasticsearch checks them
   * before it looks in the cache.
   */
  clear(uuids?: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) if (!uuids || uuids.has(entry.shard.slice(0, entry.shard.indexOf('#')))) this.remove(key, entry);
  }

  private viewId(view: IndexView): number {
    let id = this.viewIds.get(view);
    if (id === undefined) {
      id = this.nextViewId++;
      this.viewIds.set(view, id);
    }
    return id;
  }

  /** A shard read through a new view (a refresh changed it): its older entries can never be read again. */
  private syncView(shard: string, view: IndexView): void {
    const id = this.viewId(view);
    const c = this.counters(shard);
    if (c.view === id) return;
    if (c.view !== 0) for (const [key, entry] of this.entries) if (entry.shard === shard) this.remove(key, entry);
    c.view = id;
  }

  private counters(shard: string): ShardCounters {
    let c = this.shards.get(shard);
    if (!c) this.shards.set(shard, (c = { hits: 0, misses: 0, evictions: 0, bytes: 0, view: 0 }));
    return c;
  }

  private touch(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
    this.counters(entry.shard).bytes -= entry.bytes;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.totalBytes <= this.limitBytes) return;
      this.remove(key, entry);
      this.counters(entry.shard).evictions++;
    }
  }
}

function shardKey(view: IndexView): string {
  return `${view.uuid}#${view.shardId ?? 0}`;
}
