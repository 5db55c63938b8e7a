import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, errors } from '@elastic/elasticsearch';
import { acquireEngine, createEmbeddedClientOptions, releaseEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

export function tempDir(prefix = 'indexkit-engine-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface TestClient {
  client: Client;
  engine: Engine;
  dir: string;
  close(): Promise<void>;
}

/** A real @elastic/elasticsearch Client over a fresh embedded engine in a temp dir. */
export async function openTestClient(dir = tempDir()): Promise<TestClient> {
  const engine = await acquireEngine(dir);
  const client = new Client(createEmbeddedClientOptions(dir));
  return {
    client,
    engine,
    dir,
    async close() {
      await client.close();
      await releaseEngine(dir);
    },
  };
}

/** The status and `error` body of the Elasticsearch-shaped failure a request must end in. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; error: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof errors.ResponseError) return { status: error.statusCode!, error: (error.body as { error: Record<string, unknown> }).error };
    throw error;
  }
  throw new Error('expected a ResponseError');
}
