import { EngineError } from '../errors.js';

/**
 * Runs a search's steps (see executeSteps) on the event loop in slices: after `sliceMs` of work it
 * lets other requests run (setImmediate) before going on, and it stops, answering Elasticsearch's
 * `task_cancelled_exception`, once `signal` says the client has gone (an HTTP disconnect).
 */
export async function runPaced<T>(steps: Generator<void, T>, signal?: AbortSignal, sliceMs = SLICE_MS): Promise<T> {
  let sliceStart = performance.now();
  try {
    for (;;) {
      if (signal?.aborted) throw new EngineError(400, 'task_cancelled_exception', 'task cancelled [http channel closed]');
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  } finally {
    steps.return(undefined as T);
  }
}

/** Work done between two chances for other requests to run. */
export const SLICE_MS = 10;
