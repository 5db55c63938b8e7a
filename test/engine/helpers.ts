import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, errors } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { afterAll, beforeAll } from 'vitest';
import { acquireEngine, createEmbeddedClientOptions, releaseEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A request straight to the engine's REST layer: JSON in, the status and the parsed JSON out. */
export type EngineCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Json }>;

/** `engine.handle` as tests call it; `engine` is read on each call (tests open it in beforeAll). */
export function engineCaller(engine: () => Engine): EngineCall {
  return async (method, path, body) => {
    const res = await engine().handle({ method, path, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.statusCode, body: JSON.parse(String(res.body)) as Json };
  };
}

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

/** What useTestClient gives a test file: the open TestClient's parts, readable once its beforeAll has run. */
export interface SharedTestClient {
  readonly client: Client;
  readonly engine: Engine;
  readonly dir: string;
}

/**
 * One TestClient for the calling test file: opens it (then runs `setup` with its client) in
 * `beforeAll`, closes it and removes its temp dir in `afterAll`.
 */
export function useTestClient(setup?: (client: Client) => Promise<void>): SharedTestClient {
  let opened: TestClient | undefined;
  const current = (): TestClient => {
    if (!opened) throw new Error('useTestClient: the test client is not open; read it in a test or hook, after its beforeAll has run');
    return opened;
  };
  beforeAll(async () => {
    opened = await openTestClient();
    await setup?.(opened.client);
  });
  afterAll(async () => {
    if (!opened) return;
    const { dir } = opened;
    try {
      await opened.close();
    } finally {
      opened = undefined;
      removeDir(dir);
    }
  });
  return {
    get client() {
      return current().client;
    },
    get engine() {
      return current().engine;
    },
    get dir() {
      return current().dir;
    },
  };
}

/**
 * Creates `index` with `body` (the indices.create request without `index`), then bulk-indexes
 * `docs` (`[_id, source]` pairs, in order) with refresh: true; throws if any item fails.
 */
export async function createIndexWithDocs(
  client: Client,
  index: string,
  body: Omit<estypes.IndicesCreateRequest, 'index'>,
  docs: Array<[string, Record<string, unknown>]>,
): Promise<void> {
  await client.indices.create({ ...body, index });
  if (docs.length === 0) return;
  const operations = docs.flatMap(([_id, source]) => [{ index: { _index: index, _id } }, source]);
  const bulk = await client.bulk({ operations, refresh: true });
  if (!bulk.errors) return;
  const failed = bulk.items.map((item) => Object.values(item)[0]).find((result) => result?.error);
  throw new Error(`bulk into [${index}] failed for [${failed?._id}]: ${JSON.stringify(failed?.error)}`);
}

/** The status and whole body of the Elasticsearch-shaped failure a request must end in. */
export async function failedResponse(promise: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof errors.ResponseError) return { status: error.statusCode!, body: error.body as Record<string, unknown> };
    throw error;
  }
  throw new Error('expected a ResponseError');
}

/** The status, error type and reason of the Elasticsearch-shaped failure a request must end in. */
export async function errorOf(promise: Promise<unknown>): Promise<{ status: number; type: string; reason: string }> {
  const { status, body } = await failedResponse(promise);
  const error = (body as { error: { type: string; reason: string } }).error;
  return { status, type: error.type, reason: error.reason };
}

/** The status and `error` body of the Elasticsearch-shaped failure a request must end in. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; error: Record<string, unknown> }> {
  const { status, body } = await failedResponse(promise);
  return { status, error: (body as { error: Record<string, unknown> }).error };
}
