import { readFileSync } from 'node:fs';
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
 * The longest synchronous slice a request may hold the engine for: fifty times the slice after which
 * the engine lets other requests run (SLICE_MS). The slice is measured on the monotonic clock, so a
 * loaded CI machine that preempts the engine mid-slice lengthens it (250 ms was seen at load 20 on
 * two cores); the freezes this guards against lasted seconds to minutes. A cheap request sent
 * meanwhile waits at most one slice; the 100 ms figure is measured by
 * `npm run bench:hostile`, not asserted here.
 */
export const SLICE_BUDGET_MS = 50 * SLICE_MS;

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

/**
 * What a cheap request waits for while an expensive one runs, in CPU time of the engine's event-loop thread:
 * the issue asks that a cheap request sent meanwhile be answered within 100 ms. On a loaded 2-core CI
 * machine the wall clock also counts the time other processes hold the cores (at a load of 19 a
 * 10 ms slice took 100 ms and more), so the budget is held on the CPU time the engine's main thread
 * spent from the cheap request's sending to its answer: its own work plus whatever the expensive
 * request did before letting it run (GC pauses included; GC helper threads, which do not hold the
 * loop, left out). Unpaced, that is the expensive request's whole remaining work (seconds for the
 * issue's cases); paced, about one slice (SLICE_MS) plus the cheap request itself.
 */
export const CHEAP_ANSWER_MS = 100;

/** CPU time (user + system, ms) of a thread so far, from its proc stat file (Linux, 10 ms ticks); undefined where there is none. */
function statCpuMs(file: string): number | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, the 14th and 15th fields of proc_pid_stat(5) (the 12th and 13th after the name)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** CPU time (ms) of a process's main thread (the engine's event loop in a child process). */
export const mainThreadCpuMs = (pid: number): number | undefined => statCpuMs(`/proc/${pid}/task/${pid}/stat`);

/** CPU time (ms) of the thread running this test (the event loop of an engine opened in the test). */
export const ownThreadCpuMs = (): number | undefined => statCpuMs('/proc/thread-self/stat');

export interface CheapSample {
  wallMs: number;
  /** The engine process's CPU time from the sending to the answer (undefined where it cannot be read). */
  cpuMs: number | undefined;
  /** Whether the answer came before the expensive request's. */
  beforeExpensive: boolean;
}

/**
 * Runs `expensive` and, from its sending until its answer, cheap requests one after another; returns
 * the expensive answer and what each cheap request waited. `cpuNow` reads the engine's CPU time
 * before a cheap request; `cheap` sends one and gives the engine's CPU time at its answer.
 */
export async function withCheapMeanwhile<T>(expensive: () => Promise<T>, cheap: () => Promise<number | undefined>, cpuNow: () => number | undefined): Promise<{ answer: T; cheap: CheapSample[] }> {
  let done = false;
  const running = expensive().finally(() => {
    done = true;
  });
  const samples: CheapSample[] = [];
  do {
    const wall = performance.now();
    const cpu = cpuNow();
    const answeredAt = await cheap();
    samples.push({ wallMs: performance.now() - wall, cpuMs: cpu === undefined || answeredAt === undefined ? undefined : answeredAt - cpu, beforeExpensive: !done });
  } while (!done);
  return { answer: await running, cheap: samples };
}

/** A cheap search on the engine server (reportPacing), giving the engine's CPU time at its answer. */
export function cheapSearch(server: EngineServer, path: string, body: unknown): () => Promise<number | undefined> {
  return async () => {
    const res = await fetchAgainOnStaleSocket(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.text();
    if (res.status !== 200) throw new Error(`the cheap request answered ${res.status}`);
    const cpu = res.headers.get('x-indexkit-cpu-ms');
    return cpu === null ? undefined : Number(cpu);
  };
}

/** The longest wait of the cheap requests: CPU time where it could be read, else the wall clock. */
export function longestCheapWaitMs(samples: CheapSample[]): number {
  return Math.max(...samples.map((s) => s.cpuMs ?? s.wallMs));
}

/**
 * For an engine in the test's own process: runs `work` while a callback queued again and again on the
 * event loop measures each of its turns in this thread's CPU time (what a cheap request sent meanwhile
 * would wait: the slice the work ran before letting it in). Returns the work's result and the longest
 * turn (0 where the thread's CPU time cannot be read).
 */
export async function withLongestTurn<T>(work: () => Promise<T>): Promise<{ result: T; longestTurnMs: number }> {
  let done = false;
  const running = work().finally(() => {
    done = true;
  });
  let longestTurnMs = 0;
  while (!done) {
    const before = ownThreadCpuMs();
    await new Promise((r) => setImmediate(r));
    const after = ownThreadCpuMs();
    if (before !== undefined && after !== undefined) longestTurnMs = Math.max(longestTurnMs, after - before);
  }
  return { result: await running, longestTurnMs };
}
