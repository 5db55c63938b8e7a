import { describe, expect, it } from 'vitest';
import { Pacer, SLICE_MS, runPaced } from '../../../src/engine/search/paced-run.js';
import { createIndexWithDocs, useTestClient } from '../helpers.js';

/**
 * Issue 12: long searches let other requests run, and stop when their client disconnects.
 * Asserted on order and counts, not on a wall clock: `steps` steps of ~1 ms each (30 slices'
 * worth), a log of what ran when.
 */
function* busySteps(steps: number, log: string[]): Generator<void, string> {
  try {
    for (let i = 0; i < steps; i++) {
      const chunk = performance.now() + 1;
      while (performance.now() < chunk) {
        // about a millisecond of work between two pause points
      }
      log.push('step');
      yield;
    }
    return 'done';
  } finally {
    log.push('cleaned up');
  }
}

const STEPS = 30 * SLICE_MS;

describe('paced searches', () => {
  it('let a callback queued meanwhile run between two slices, long before the work ends', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('other request'));
    const pacer = new Pacer();
    expect(await runPaced(busySteps(STEPS, log), pacer)).toBe('done');
    // the other request ran after the first slice: at most one slice of steps before it
    const at = log.indexOf('other request');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(STEPS / 2);
    expect(pacer.yields).toBeGreaterThan(1);
    expect(log.at(-1)).toBe('cleaned up');
  });

  it('stop with task_cancelled_exception once the signal aborts, and release what the steps hold', async () => {
    const log: string[] = [];
    const gone = new AbortController();
    setImmediate(() => gone.abort());
    await expect(runPaced(busySteps(STEPS * 100, log), gone.signal)).rejects.toMatchObject({ status: 400, type: 'task_cancelled_exception' });
    // stopped at the first pause after the abort, not after the whole work
    expect(log.filter((l) => l === 'step').length).toBeLessThan(STEPS);
    expect(log.at(-1)).toBe('cleaned up');
  });
});

const shared = useTestClient(async (client) => {
  await createIndexWithDocs(client, 'docs', { mappings: { properties: { body: { type: 'text' } } } }, Array.from({ length: 3000 }, (_, i): [string, Record<string, unknown>] => [String(i), { body: `common ${i}` }]));
});

describe('_search with a disconnected client', () => {
  it('answers task_cancelled_exception instead of running a search whose client is gone', async () => {
    const gone = new AbortController();
    gone.abort();
    const res = await shared.engine.handle({ method: 'POST', path: '/docs/_search', headers: { 'content-type': 'application/json' }, body: '{"query":{"match":{"body":"common"}}}', signal: gone.signal });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(String(res.body)).error.type).toBe('task_cancelled_exception');
    const live = await shared.client.search({ index: 'docs', query: { match: { body: 'common' } }, track_total_hits: true });
    expect((live.hits.total as { value: number }).value).toBe(3000);
  });
});
