import type { ClusterSettings } from '../cluster-settings.js';
import { parseTimeValue } from './index-settings.js';
import type { IndexService } from './index-service.js';
import type { IndicesService } from './indices-service.js';
import type { DataStream } from './data-streams.js';
import { effectiveRetention, isInternalStream } from './data-stream-lifecycle.js';
import type { GlobalRetention } from './data-stream-lifecycle.js';
import { parseRolloverSetting, rolloverConditionsMet } from './rollover-configuration.js';

type Settings = Readonly<Record<string, unknown>>;

export const MANAGED_BY_DSL = 'Data stream lifecycle';
export const MANAGED_BY_ILM = 'Index Lifecycle Management';
export const UNMANAGED = 'Unmanaged';

/**
 * DataStream.isIndexManagedByDataStreamLifecycle / ManagedBy: an `index.lifecycle.name` (ILM's
 * setting, stored and reported; ILM itself is x-pack and not run) wins over an enabled stream
 * lifecycle unless `index.lifecycle.prefer_ilm` is false; with neither, nobody manages the index.
 */
export function managedBy(stream: DataStream, settings: Settings): string {
  const policy = settings['index.lifecycle.name'];
  const dsl = stream.lifecycle !== undefined && stream.lifecycle.enabled;
  if (policy !== undefined && policy !== null && policy !== '' && (!dsl || String(settings['index.lifecycle.prefer_ilm'] ?? true) !== 'false')) return MANAGED_BY_ILM;
  return dsl ? MANAGED_BY_DSL : UNMANAGED;
}

/** DataStreamGlobalRetentionSettings.get: the two cluster settings, -1 meaning none. */
export function globalRetentionOf(settings: ClusterSettings): GlobalRetention {
  const read = (key: string): { ms: number; text: string } | undefined => {
    const text = settings.get(key);
    const ms = parseTimeValue(text, key);
    return ms === -1 ? undefined : { ms, text };
  };
  const out: GlobalRetention = {};
  const def = read('data_streams.lifecycle.retention.default');
  const max = read('data_streams.lifecycle.retention.max');
  if (def) out.default = def;
  if (max) out.max = max;
  return out;
}

/**
 * DataStream.getGenerationLifecycleDate: none for the write index; else the
 * `index.lifecycle.origination_date` setting, else when the index was rolled over, else its creation.
 */
export function generationDate(stream: DataStream, index: IndexService): number | undefined {
  if (stream.indices[stream.indices.length - 1] === index.name) return undefined;
  const origination = index.meta.settings['index.lifecycle.origination_date'];
  if (origination !== undefined && origination !== null && /^\d+$/.test(String(origination))) return Number(origination);
  return index.meta.rolloverDate ?? index.meta.creationDate;
}

export interface LifecycleServiceOptions {
  indices: IndicesService;
  settings: ClusterSettings;
  /** Epoch milliseconds; tests pass a clock they move instead of sleeping. */
  clock?: () => number;
}

/**
 * DataStreamLifecycleService, run in-process: at each run, every data stream whose lifecycle is
 * enabled has its write index rolled over when `cluster.lifecycle.default.rollover` says so
 * (max_age=auto from the effective retention; min_docs=1 keeps an empty write index), then every
 * other backing index it manages whose generation is older than the effective retention deleted.
 * Downsampling (x-pack) and the force merge after rollover are not run.
 *
 * The engine runs it on an unref'd timer every `data_streams.lifecycle.poll_interval` (5m by
 * default) only while it is open (`start`/`stop`), so an embedded process never wakes up or is
 * kept alive by it; `run()` may be called directly (the tests do, with their own clock).
 */
export class DataStreamLifecycleService {
  private readonly indices: IndicesService;
  private readonly settings: ClusterSettings;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** DataStreamLifecycleErrorStore: the last error per index, cleared when a step on it succeeds. */
  readonly errors = new Map<string, { message: string; firstOccurrence: number; recorded: number; retryCount: number }>();
  private lastRunStartedAt: number | undefined;
  /** The duration of the last run and the time between the last two starts (GetDataStreamLifecycleStatsAction). */
  lastRunDuration: number | undefined;
  timeBetweenStarts: number | undefined;

  constructor(options: LifecycleServiceOptions) {
    this.indices = options.indices;
    this.settings = options.settings;
    this.clock = options.clock ?? Date.now;
    this.settings.onUpdate((keys) => {
      if (this.running && keys.includes('data_streams.lifecycle.poll_interval')) this.schedule();
    });
  }

  now(): number {
    return this.clock();
  }

  /** Starts the periodic runs (the engine calls it when it opens). */
  start(): void {
    this.running = true;
    this.schedule();
  }

  /** Stops them (the engine calls it when it closes). */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const interval = parseTimeValue(this.settings.get('data_streams.lifecycle.poll_interval'), 'data_streams.lifecycle.poll_interval');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      try {
        this.run();
      } finally {
        if (this.running) this.schedule();
      }
    }, interval);
    this.timer.unref();
  }

  /** One pass over every data stream (DataStreamLifecycleService.run). */
  run(now = this.clock()): void {
    const started = now;
    if (this.lastRunStartedAt !== undefined) this.timeBetweenStarts = started - this.lastRunStartedAt;
    this.lastRunStartedAt = started;
    const global = globalRetentionOf(this.settings);
    const conditions = parseRolloverSetting(this.settings.get('cluster.lifecycle.default.rollover'), 'cluster.lifecycle.default.rollover');
    for (const original of this.indices.dataStreams.all()) {
      if (original.lifecycle === undefined || !original.lifecycle.enabled) continue;
      const retention = effectiveRetention(original.lifecycle, global, isInternalStream(original.name));
      let stream = original;
      const write = this.indices.get(stream.indices[stream.indices.length - 1]!);
      if (write && !write.closed && !write.failure && managedBy(stream, write.meta.settings) === MANAGED_BY_DSL) {
        this.step(write.name, now, () => {
          if (rolloverConditionsMet(conditions, write, retention?.ms, now)) stream = this.indices.rolloverDataStream(stream, now);
        });
      }
      // downsampling (x-pack's downsample action) applies to time series backing indices only: it is
      // not run here, and an index it would have downsampled carries that as its lifecycle error
      if (stream.lifecycle?.downsampling !== undefined) {
        for (const name of stream.indices.slice(0, -1)) {
          const index = this.indices.get(name);
          if (index?.meta.settings['index.mode'] !== 'time_series' || managedBy(stream, index.meta.settings) !== MANAGED_BY_DSL) continue;
          this.step(name, now, () => {
            throw new Error(`downsampling of [${name}] is not supported by the indexkit embedded engine (x-pack downsample)`);
          });
        }
      }
      if (retention === undefined) continue;
      for (const name of stream.indices.slice(0, -1)) {
        const index = this.indices.get(name);
        if (!index || managedBy(stream, index.meta.settings) !== MANAGED_BY_DSL) continue;
        const generated = generationDate(stream, index);
        if (generated === undefined || now - generated <= retention.ms) continue;
        this.step(name, now, () => {
          this.indices.remove(index);
          this.errors.delete(name);
        });
      }
    }
    this.lastRunDuration = Math.max(0, this.clock() - started);
  }

  /** Runs one action on an index, recording its failure as the error store does instead of stopping the run. */
  private step(index: string, now: number, action: () => void): void {
    try {
      action();
      this.errors.delete(index);
    } catch (error) {
      const previous = this.errors.get(index);
      const message = error instanceof Error ? error.message : String(error);
      this.errors.set(index, { message, firstOccurrence: previous?.firstOccurrence ?? now, recorded: now, retryCount: (previous?.retryCount ?? -1) + 1 });
    }
  }
}
