import { EngineError } from '../errors.js';

/** Work done between two chances for other requests to run. */
export const SLICE_MS = 10;

/**
 * One request's share of the event loop. Every long step of the request (parsing a large body,
 * collecting, building hits and phases, each search of an `_msearch`) runs through the same
 * pacer: after `sliceMs` of work since the request last let others run, it yields
 * (setImmediate) before going on, and it stops, answering Elasticsearch's
 * `task_cancelled_exception`, once `signal` says the client has gone (an HTTP disconnect).
 *
 * It also records what it did: how many times it yielded, and the longest synchronous slice it
 * saw (monotonic clock), which the server can report (`reportPacing`) for tests to hold to a budget.
 */
export class Pacer {
  yields = 0;
  longestSliceMs = 0;
  private sliceStart = performance.now();

  constructor(
    readonly signal?: AbortSignal,
    readonly sliceMs = SLICE_MS,
  ) {}

  /** Throws task_cancelled_exception once the client has gone. */
  checkCancelled(): void {
    if (this.signal?.aborted) throw new EngineError(400, 'task_cancelled_exception', 'task cancelled [http channel closed]');
  }

  /** Whether this slice has used its time (a caller about to do more work should `pause()`). */
  get due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Lets other requests run if this slice has used its time; throws if the client has gone. */
  async pause(): Promise<void> {
    this.checkCancelled();
    if (!this.due) return;
    await this.yieldNow();
    this.checkCancelled();
  }

  private async yieldNow(): Promise<void> {
    this.endSlice();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.yields++;
    this.sliceStart = performance.now();
  }

  /** Records the slice running now as ended (the request is done, or about to wait). */
  endSlice(): void {
    this.longestSliceMs = Math.max(this.longestSliceMs, performance.now() - this.sliceStart);
  }

  /** Starts a new slice after the request waited on something else (I/O, a lock). */
  resume(): void {
    this.sliceStart = performance.now();
  }

  /**
   * Runs steps (a generator that yields at its pause points) a slice at a time; `cancellable`
   * false for work that must finish once started even if the client leaves.
   */
  async run<T>(steps: Generator<void, T>, cancellable = true): Promise<T> {
    try {
      // a request running many short step sequences (each search of an _msearch) pauses between them
      if (this.due) await (cancellable ? this.pause() : this.yieldNow());
      for (;;) {
        if (cancellable) this.checkCancelled();
        const r = steps.next();
        if (r.done) return r.value;
        if (this.due) await (cancellable ? this.pause() : this.yieldNow());
      }
    } finally {
      steps.return(undefined as T);
    }
  }
}

/** The pacer of a request: the one given, or a new one watching `signal`. */
export function pacerOf(pace?: Pacer | AbortSignal): Pacer {
  return pace instanceof Pacer ? pace : new Pacer(pace);
}

/**
 * Runs a search's steps (see executeSteps) on the event loop in slices: after `SLICE_MS` of work it
 * lets other requests run before going on, and stops once the signal aborts (see {@link Pacer}).
 */
export function runPaced<T>(steps: Generator<void, T>, pace?: Pacer | AbortSignal): Promise<T> {
  return pacerOf(pace).run(steps);
}

/** Drives a step generator to its end without pausing. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
