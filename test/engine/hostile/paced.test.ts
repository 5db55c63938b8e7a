import { describe, expect, it } from 'vitest';
import { runPaced } from '../../../src/engine/search/paced-run.js';
import { createIndexWithDocs, useTestClient } from '../helpers.js';

/** Issue 12: long searches let other requests run, and stop when their client disconnects. */
function* busySteps(totalMs: number, log: string[]): Generator<void, string> {
  try {
    const end = performance.now() + totalMs;
    while (performance.now() < end) {
      const chunk = performance.now() + 1;
      while (performance.now() < chunk) {
        // one millisecond of work between two pause points
      }
      yield;
    }
    return 'done';
  } finally {
    log.push('cleaned up');
  }
}

describe('paced searches', () => {
  it('let a callback queued meanwhile run within a slice, not after the whole 300 ms of work', async () => {
    const log: string[] = [];
    const started = performance.now();
    let waited = Infinity;
    setImmediate(() => (waited = performance.now() - started));
    expect(await runPaced(busySteps(300, log), undefined)).toBe('done');
    expect(waited).toBeLessThan(100);
    expect(log).toEqual(['cleaned up']);
  });

  it('stop with task_cancelled_exception once the signal aborts, and release what the steps hold', async () => {
    const log: string[] = [];
    const gone = new AbortController();
    setTimeout(() => gone.abort(), 20);
    const started = performance.now();
    await expect(runPaced(busySteps(5000, log), gone.signal)).rejects.toMatchObject({ status: 400, type: 'task_cancelled_exception' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(log).toEqual(['cleaned up']);
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
