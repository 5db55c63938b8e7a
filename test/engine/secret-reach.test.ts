/**
 * The embedded folder's secret (what other processes send as `Authorization: ApiKey <secret>`)
 * lives in the 0600 holder record; no error, log line or serialized client object may carry it.
 * A client error's `meta.meta.connection` reaches the folder, its engine and its lock: an app
 * that logs the error with console.error (util.inspect) or a JSON logger must not print it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openTestClient } from './helpers.js';

describe('the embedded folder secret', () => {
  it('is in no inspected or JSON-serialized client error', async () => {
    const t = await openTestClient();
    try {
      const lockDir = join(t.dir, 'lock');
      const record = readdirSync(lockDir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(lockDir, f), 'utf8')) as { secret?: string }).find((r) => r.secret);
      expect(record?.secret?.length).toBeGreaterThan(20);
      const error = await t.client.get({ index: 'missing', id: '1' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeDefined();
      const seen = [inspect(error, { depth: Infinity, showHidden: false }), inspect(t.client, { depth: 12 }), JSON.stringify((error as { meta?: unknown }).meta, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))];
      // the walk really reached the folder and its lock (the test could fail)
      expect(seen[0]).toContain('lock');
      for (const text of seen) expect(text).not.toContain(record!.secret);
    } finally {
      await t.close();
    }
  });
});
