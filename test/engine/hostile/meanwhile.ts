import type { EngineServer } from '../../../src/engine/index.js';

export interface RawResponse {
  status: number;
  body: { error?: { type: string; reason: string; root_cause: Array<{ type: string; reason: string }>; caused_by?: { type: string; reason: string } }; [key: string]: unknown };
}

/** One HTTP request to the engine server, JSON in and out. */
export async function send(server: EngineServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as RawResponse['body']) : {} };
}

/**
 * Sends the hostile request, then (once it has reached the server) a cheap `GET /`: returns the
 * hostile answer and how long the cheap one took. The requirement is that the cheap one
 * is answered within 100 ms while the hostile one runs.
 */
export async function withCheapMeanwhile(server: EngineServer, hostile: () => Promise<RawResponse>): Promise<{ answer: RawResponse; cheapMs: number }> {
  const pending = hostile();
  await new Promise((r) => setTimeout(r, 5));
  const started = performance.now();
  const cheap = await fetch(`${server.url}/`);
  const cheapMs = performance.now() - started;
  if (cheap.status !== 200) throw new Error(`GET / answered ${cheap.status}`);
  await cheap.text();
  return { answer: await pending, cheapMs };
}
