import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SearchSide as Client } from '../client/search-side.js';
import { LifecycleError } from '../errors.js';
import type { IndexkitMeta, RunMarker } from './index-meta.js';
import { updateMeta } from './index-state.js';
import { isLiveMarker } from './write-targets.js';

const HEARTBEAT_MS = 10_000;

/**
 * The claim of one update-index run on an index, as rebuild-index claims a rebuild: a marker
 * in the `_meta` of the index being filled, its heartbeat refreshed every 10 s, removed at the
 * end. A second run is refused while the marker's heartbeat is fresh (a run that died leaves a
 * marker that goes stale after a minute, or at once when it ran on this host and its process is
 * gone); `force` takes over. Every `_meta` write of the run
 * (its checkpoints, the heartbeat) goes through `updateMeta`, one at a time, so that none of
 * these read-modify-writes undoes another.
 *
 * Two runs starting within the same instant could both pass the check; each re-reads the marker
 * after writing its own and stops when it finds another's, which leaves a window of one round
 * trip.
 */
export class UpdateLock {
  private queue: Promise<unknown> = Promise.resolve();
  private heartbeat?: NodeJS.Timeout;

  private constructor(
    private readonly client: Client,
    readonly index: string,
    readonly marker: RunMarker,
  ) {}

  static async acquire(client: Client, name: string, index: string, options: { force?: boolean } = {}): Promise<UpdateLock> {
    const current = await markerOf(client, index);
    if (isLiveMarker(current) && !ownerIsGone(current.owner) && !options.force) throw inProgress(name, current);
    const now = new Date().toISOString();
    const lock = new UpdateLock(client, index, { startedAt: now, heartbeatAt: now, owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}` });
    await lock.updateMeta((meta) => ({ ...meta!, update: lock.marker }));
    const after = await markerOf(client, index);
    if (after?.owner !== lock.marker.owner) throw inProgress(name, after!);
    lock.heartbeat = setInterval(() => void lock.updateMeta((meta) => (meta?.update?.owner === lock.marker.owner ? { ...meta, update: { ...lock.marker, heartbeatAt: new Date().toISOString() } } : meta!)).catch(() => undefined), HEARTBEAT_MS);
    lock.heartbeat.unref();
    return lock;
  }

  /** updateMeta on the locked index, after the run's earlier `_meta` writes. */
  updateMeta(change: (meta: IndexkitMeta | undefined) => IndexkitMeta): Promise<IndexkitMeta> {
    const next = this.queue.then(() => updateMeta(this.client, this.index, change));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stops the heartbeat and removes the marker (only this run's). */
  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.updateMeta((meta) => {
      if (meta?.update?.owner !== this.marker.owner) return meta!;
      const { update: _mine, ...rest } = meta;
      return rest;
    });
  }
}

/**
 * Whether the run that wrote a marker is known to be gone: it ran on this host and its process
 * no longer exists (killed, or stopped by Ctrl-C before it could remove its marker), so
 * `--resume` right after works without --force. A run on another host is judged by its heartbeat only.
 */
export function ownerIsGone(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '') || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function markerOf(client: Client, index: string): Promise<RunMarker | undefined> {
  const response = (await client.indices.getMapping({ index })) as Record<string, { mappings?: { _meta?: { indexkit?: IndexkitMeta } } }>;
  return (response[index] ?? Object.values(response)[0])?.mappings?._meta?.indexkit?.update;
}

function inProgress(name: string, marker: RunMarker): LifecycleError {
  const ago = Math.round((Date.now() - Date.parse(marker.heartbeatAt)) / 1000);
  return new LifecycleError('UPDATE_IN_PROGRESS', `index "${name}" is already being updated by ${marker.owner} (started ${marker.startedAt}, last heartbeat ${ago}s ago); wait for it, or pass --force if that run is dead`);
}
