import type { SearchSide as Client } from '../client/search-side.js';
import type { RunMarker } from './index-meta.js';
import { indexState } from './index-state.js';

/**
 * A marker older than this (no heartbeat) belongs to a rebuild that died; writers stop
 * dual-writing and a new rebuild may take over.
 */
export const REBUILD_STALE_MS = 60_000;

export function isLiveMarker<M extends RunMarker>(marker: M | undefined, now = Date.now()): marker is M {
  return marker !== undefined && now - Date.parse(marker.heartbeatAt) < REBUILD_STALE_MS;
}

/**
 * Where a write to index `name` must go: the alias's write index and, while a rebuild fills
 * a new concrete index, that index too (so no write made during the rebuild is lost when the
 * alias swaps). Writers cache the answer for at most `WRITE_TARGETS_TTL_MS`; the rebuild waits
 * that long after setting its marker before it starts reading rows.
 */
export const WRITE_TARGETS_TTL_MS = 1_000;

export class WriteTargets {
  private readonly cache = new Map<string, { at: number; targets: Promise<string[]> }>();

  constructor(private readonly ttlMs = WRITE_TARGETS_TTL_MS) {}

  get(client: Client, name: string): Promise<string[]> {
    const hit = this.cache.get(name);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.targets;
    const targets = resolveWriteTargets(client, name);
    this.cache.set(name, { at: Date.now(), targets });
    targets.catch(() => this.cache.delete(name));
    return targets;
  }
}

export async function resolveWriteTargets(client: Client, name: string): Promise<string[]> {
  const state = await indexState(client, name);
  if (state.kind === 'missing') return [];
  const primary = state.writeIndex ?? state.concrete[0]!;
  const marker = state.meta?.rebuild;
  return isLiveMarker(marker) && marker.target !== primary ? [primary, marker.target] : [primary];
}
