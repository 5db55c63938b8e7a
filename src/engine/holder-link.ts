import { Agent, request as httpRequest } from 'node:http';
import type { HolderRecord } from './index/store/dir-lock.js';
import type { EngineRequest } from './rest/rest-types.js';

/** How a forwarded request failed: `unsent` never reached the holder whole; `unknown` may have been applied. */
export class HolderUnreachable extends Error {
  override readonly name = 'HolderUnreachable';
  constructor(
    readonly delivery: 'unsent' | 'unknown',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ForwardOptions {
  timeout?: number;
  signal?: AbortSignal;
}

export interface ForwardedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

const agents = new Map<string, Agent>();

function agentFor(key: string): Agent {
  let agent = agents.get(key);
  if (!agent) {
    // Keep-alive: a search through the holder costs one round trip on an open socket. Sockets are unref'd by Node's agent when idle.
    agent = new Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(key, agent);
  }
  return agent;
}

/** Drops the pooled sockets to a holder that is gone. */
export function forgetHolder(record: HolderRecord): void {
  const key = endpointKey(record);
  agents.get(key)?.destroy();
  agents.delete(key);
}

function endpointKey(record: HolderRecord): string {
  return record.endpoint?.socket ?? `${record.endpoint?.host}:${record.endpoint?.port}`;
}

/**
 * Sends one request to the process holding the folder, over its private endpoint, with the
 * folder's secret. Failures say whether the request can have been applied: an error before the
 * request was handed whole to the socket means it was not (`unsent`); after, it may have been.
 */
export function forward(record: HolderRecord, request: EngineRequest, options: ForwardOptions = {}): Promise<ForwardedResponse> {
  const endpoint = record.endpoint!;
  const body = request.body === undefined || request.body === null ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) if (value !== undefined && name.toLowerCase() !== 'content-length') headers[name] = value;
  headers.host = 'localhost';
  headers.authorization = `ApiKey ${record.secret}`;
  if (body) headers['content-length'] = String(body.length);
  const qs = typeof request.querystring === 'string' ? request.querystring : '';
  return new Promise((resolve, reject) => {
    let sent = false;
    let settled = false;
    const fail = (error: Error, timedOut = false) => {
      if (settled) return;
      settled = true;
      if (timedOut || error.name === 'AbortError') reject(error);
      else reject(new HolderUnreachable(sent ? 'unknown' : 'unsent', `process ${record.pid} holding the folder did not answer: ${error.message}`, { cause: error }));
    };
    const req = httpRequest({
      ...(endpoint.socket ? { socketPath: endpoint.socket } : { host: endpoint.host ?? '127.0.0.1', port: endpoint.port }),
      method: request.method,
      path: qs ? `${request.path}?${qs}` : request.path,
      headers,
      agent: agentFor(endpointKey(record)),
      signal: options.signal,
    });
    req.on('finish', () => (sent = true));
    req.on('error', (error) => fail(error));
    if (options.timeout !== undefined) {
      req.setTimeout(options.timeout, () => {
        const error = new Error(`Request timed out after ${options.timeout} ms`);
        error.name = 'TimeoutError';
        fail(error, true);
        req.destroy(error);
      });
    }
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => fail(error));
      res.on('aborted', () => fail(new Error('response aborted')));
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) return fail(new Error('response cut short'));
        if (res.headers['x-indexkit-holder'] === 'closing') {
          // The holder is handing the folder over and did not apply this request: send it to the next one.
          sent = false;
          return fail(new Error('it is handing the folder over'));
        }
        settled = true;
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && name !== 'connection' && name !== 'keep-alive') out[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ statusCode: res.statusCode ?? 500, headers: out, body: Buffer.concat(chunks) });
      });
    });
    req.end(body);
  });
}

const READ_ENDPOINTS = new Set(['_search', '_count', '_msearch', '_mget', '_field_caps', '_validate', '_explain', '_rank_eval', '_analyze', '_refresh', '_flush', '_termvectors', '_mtermvectors', 'scroll', 'query']);

function queryParams(request: EngineRequest): URLSearchParams {
  if (typeof request.querystring === 'string') return new URLSearchParams(request.querystring);
  return new URLSearchParams(Object.entries(request.querystring ?? {}).map(([k, v]): [string, string] => [k, String(v)]));
}

function externallyVersioned(meta: Record<string, unknown> | undefined, defaults: URLSearchParams): boolean {
  const type = (meta?.version_type as string | undefined) ?? defaults.get('version_type');
  const version = meta?.version ?? defaults.get('version');
  return version !== undefined && version !== null && (type === 'external' || type === 'external_gte');
}

/**
 * Whether resending a request that may already have been applied is invisible: reads (GET,
 * HEAD, and POST to the read endpoints: `_search`, `_count`, `_mget`, refresh...), and writes
 * whose result does not depend on being first: a document written or deleted by id with an
 * external version, one at a time or as `_bulk` sends them (every action `index` or `delete`
 * with `_id` and an external version; a resent action answers 409 or changes nothing).
 * Everything else (`create`, `update`, unversioned writes, index creation) is not resent:
 * the caller gets an error saying the outcome is unknown.
 */
export function safeToResend(request: EngineRequest): boolean {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return true;
  const segments = request.path.split('/').filter(Boolean);
  const params = queryParams(request);
  if (segments.includes('_bulk')) {
    const text = request.body === undefined || request.body === null ? '' : request.body.toString();
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    for (let i = 0; i < lines.length; i++) {
      let action: Record<string, Record<string, unknown>>;
      try {
        action = JSON.parse(lines[i]!) as Record<string, Record<string, unknown>>;
      } catch {
        return false;
      }
      const [op] = Object.keys(action);
      const meta = action[op!];
      if ((op !== 'index' && op !== 'delete') || meta?._id === undefined || !externallyVersioned(meta, params)) return false;
      if (op === 'index') i++; // its source line
    }
    return true;
  }
  if ((method === 'PUT' || method === 'POST' || method === 'DELETE') && segments.length === 3 && segments[1] === '_doc') {
    return params.get('op_type') !== 'create' && externallyVersioned(undefined, params);
  }
  if (method === 'DELETE') return false;
  return READ_ENDPOINTS.has(segments.at(-1) ?? '') || segments.at(-2) === '_explain';
}
