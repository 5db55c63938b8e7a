import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SLICE_MS } from '../../../src/engine/search/paced-run.js';

/** An engine server: in this process, or a child process (so the test's own work cannot delay its answers). */
export interface EngineServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `dataDir` from a child process (test/engine/fixtures/serve-engine.ts); close() stops it with SIGTERM. */
export async function serveInChild(dataDir: string): Promise<EngineServer & { child: ChildProcess }> {
  const fixture = join(import.meta.dirname, '..', 'fixtures', 'serve-engine.ts');
  const child = spawn(process.execPath, ['--import', 'tsx/esm', fixture, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`engine child exited ${code}: ${err}`)));
  });
  return {
    url,
    child,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface RawResponse {
  status: number;
  body: { error?: { type: string; reason: string; root_cause: Array<{ type: string; reason: string }>; caused_by?: { type: string; reason: string } }; [key: string]: unknown };
}

/**
 * fetch, sent again once when the server had closed the idle keep-alive connection it was given:
 * when this process was busy (a test building a 200 MB gzip body), the client's idle timer fires
 * late and it picks a connection the server closed on time ("other side closed"); nothing was
 * received by the server then, so sending again is safe. An engine that died refuses both.
 */
export async function fetchAgainOnStaleSocket(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code !== 'UND_ERR_SOCKET' || cause.message !== 'other side closed') throw error;
    return fetch(url, init);
  }
}

/** One HTTP request to the engine server, JSON in and out. */
export async function send(server: EngineServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await fetchAgainOnStaleSocket(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as RawResponse['body']) : {} };
}

/** How the engine shared its event loop while answering one request (its `reportPacing` headers). */
export interface Pacing {
  yields: number;
  longestSliceMs: number;
}

/**
 * The longest synchronous slice a request may hold the engine for: ten times the slice after which
 * the engine lets other requests run (SLICE_MS), a margin for a loaded machine. A cheap request
 * sent meanwhile waits at most one slice; the 100 ms figure is measured by
 * `npm run bench:hostile`, not asserted here on a wall clock.
 */
export const SLICE_BUDGET_MS = 10 * SLICE_MS;

/** One request to an engine serving with reportPacing (serveInChild): the answer and how the engine paced it. */
export async function sendPaced(server: EngineServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse & { pacing: Pacing }> {
  const res = await fetchAgainOnStaleSocket(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  const yields = res.headers.get('x-indexkit-yields');
  const slice = res.headers.get('x-indexkit-longest-slice-ms');
  if (yields === null || slice === null) throw new Error('the engine did not report its pacing (serve it with reportPacing)');
  return { status: res.status, body: text ? (JSON.parse(text) as RawResponse['body']) : {}, pacing: { yields: Number(yields), longestSliceMs: Number(slice) } };
}
