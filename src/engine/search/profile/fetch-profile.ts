import type { SegmentView } from '../../contract.js';
import { nanoTime } from './query-profile.js';

/**
 * The fetch phase's profile on one shard (FetchProfiler): the real time spent fetching its hits,
 * broken down into moving to a segment (`next_reader`), reading the stored `_id`/`_routing`
 * (`load_stored_fields`) and the `_source` (`load_source`), and one child per fetch sub-phase that
 * ran, each with its `next_reader` and `process` times, in the order FetchPhase runs them.
 */

/** FetchPhase's sub-phases, in SearchModule's registration order (InnerHitsPhase and StoredFieldsPhase last). */
const SUB_PHASES = ['FetchSourcePhase', 'FetchFieldsPhase', 'InnerHitsPhase', 'StoredFieldsPhase'] as const;
export type FetchSubPhase = (typeof SUB_PHASES)[number];

class Timer {
  nanos = 0n;
  count = 0;
  time<T>(fn: () => T): T {
    const start = nanoTime();
    try {
      return fn();
    } finally {
      this.nanos += nanoTime() - start;
      this.count++;
    }
  }
}

interface SubPhase {
  nextReader: Timer;
  process: Timer;
  debug?: Record<string, number>;
}

export class FetchProfile {
  private total = 0n;
  private readonly nextReader = new Timer();
  readonly loadStoredFields = new Timer();
  readonly loadSource = new Timer();
  private readonly phases = new Map<FetchSubPhase, SubPhase>();
  private segment?: SegmentView;

  constructor(private readonly storedFields: readonly string[]) {}

  /** Times one hit's fetch; `segment` is its segment (moving to another one is a `next_reader`). */
  hit<T>(segment: SegmentView, fn: () => T): T {
    const start = nanoTime();
    try {
      if (segment !== this.segment) {
        this.nextReader.time(() => {
          this.segment = segment;
        });
        for (const phase of this.phases.values()) phase.nextReader.time(() => undefined);
      }
      return fn();
    } finally {
      this.total += nanoTime() - start;
    }
  }

  /** Times a sub-phase's work on the current hit. */
  process<T>(name: FetchSubPhase, fn: () => T): T {
    let phase = this.phases.get(name);
    if (!phase) {
      phase = { nextReader: new Timer(), process: new Timer() };
      // the sub-phase's processor is set for the current segment too
      phase.nextReader.time(() => undefined);
      this.phases.set(name, phase);
    }
    return phase.process.time(fn);
  }

  /** Adds to a sub-phase's debug counter (FetchSourcePhase's `fast_path`). */
  debug(name: FetchSubPhase, key: string, n = 1): void {
    const phase = this.phases.get(name);
    if (!phase) return;
    phase.debug ??= {};
    phase.debug[key] = (phase.debug[key] ?? 0) + n;
  }

  toJSON(): Record<string, unknown> {
    const children = SUB_PHASES.filter((name) => this.phases.has(name)).map((name) => {
      const phase = this.phases.get(name) as SubPhase;
      const out: Record<string, unknown> = {
        type: name,
        description: '',
        time_in_nanos: Number(phase.nextReader.nanos + phase.process.nanos),
        breakdown: { next_reader: Number(phase.nextReader.nanos), next_reader_count: phase.nextReader.count, process: Number(phase.process.nanos), process_count: phase.process.count },
      };
      if (phase.debug) out.debug = phase.debug;
      return out;
    });
    const out: Record<string, unknown> = {
      type: 'fetch',
      description: '',
      time_in_nanos: Number(this.total),
      breakdown: {
        load_stored_fields: Number(this.loadStoredFields.nanos),
        load_stored_fields_count: this.loadStoredFields.count,
        next_reader: Number(this.nextReader.nanos),
        next_reader_count: this.nextReader.count,
        load_source: Number(this.loadSource.nanos),
        load_source_count: this.loadSource.count,
      },
      debug: { stored_fields: [...this.storedFields] },
    };
    if (children.length > 0) out.children = children;
    return out;
  }
}
