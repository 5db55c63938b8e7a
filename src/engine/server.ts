import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { EngineError } from './errors.js';
import type { Engine } from './engine.js';
import { acquireEngine, releaseEngine } from './engine-registry.js';

export interface EngineServerOptions {
  /** An open engine (the caller keeps ownership), or a data directory to open. */
  engine?: Engine;
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Listen on this Unix domain socket instead of host:port (the private endpoint of an embedded folder). */
  socketPath?: string;
  /**
   * The private endpoint of an embedded folder's holder: idle connections stay open (no
   * keep-alive timeout, so a client never sends on a socket the server is closing), and
   * close() hands over instead of dropping connections: requests that arrive meanwhile are
   * answered 503 with `x-indexkit-holder: closing` without being applied (the client sends them
   * to the next holder), until none came for HANDOVER_QUIET_MS.
   */
  handover?: boolean;
  /** Accept `Authorization: ApiKey base64(id:key)` (or the raw key) equal to this. */
  apiKey?: string;
  basicAuth?: { username: string; password: string };
  maxBodyBytes?: number;
  /**
   * Host header names served besides loopback ones when bound to a loopback address (a DNS
   * rebinding page reaches 127.0.0.1 under its own name); `*` serves any Host. Servers bound to
   * another address serve any Host.
   */
  allowedHosts?: string[];
  /**
   * Tell each answer how the request shared the event loop, in `x-indexkit-yields` and
   * `x-indexkit-longest-slice-ms` headers, and the CPU time the engine process has used when it
   * answers in `x-indexkit-cpu-ms` (tests hold the engine to a budget with them).
   */
  reportPacing?: boolean;
}

function pacingHeaders(pacing: { yields: number; longestSliceMs: number }): Record<string, string> {
  return { 'x-indexkit-yields': String(pacing.yields), 'x-indexkit-longest-slice-ms': pacing.longestSliceMs.toFixed(1), 'x-indexkit-cpu-ms': mainThreadCpuMs().toFixed(1) };
}

/**
 * CPU time (ms) of the thread running the event loop: on Linux its utime + stime from
 * /proc/thread-self/stat (10 ms ticks; GC helper threads left out, they do not hold the loop), else
 * the whole process's.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, the 14th and 15th fields of proc_pid_stat(5) (the 12th and 13th after the name)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    const cpu = process.cpuUsage();
    return (cpu.user + cpu.system) / 1000;
  }
}

export interface EngineServer {
  /** `http://host:port`, or `unix:<path>` for a socket. */
  url: string;
  /** The TCP port (0 for a socket). */
  port: number;
  /** Lets the process exit while the server still listens (the private endpoint of a folder's holder). */
  unref(): void;
  /** Stops accepting, finishes in-flight requests, then closes (and flushes) the engine it opened. */
  close(): Promise<void>;
}

const PRODUCT = { 'x-elastic-product': 'Elasticsearch' };

/** How long a closing holder's endpoint must go without a request before it drops its connections. */
const HANDOVER_QUIET_MS = 30;

/**
 * Writes a chunked response body (a large JSON answer) one chunk at a time, letting other requests
 * run between two chunks and waiting for the socket to drain when its buffer is full: encoding and
 * copying 21 MB at once would hold the event loop for a few hundred ms on a loaded machine.
 */
async function writeChunks(res: ServerResponse, status: number, headers: Record<string, string>, chunks: readonly string[]): Promise<void> {
  let length = 0;
  for (const chunk of chunks) length += Buffer.byteLength(chunk);
  res.writeHead(status, { ...headers, 'content-length': length });
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  res.end();
}

function sendError(res: ServerResponse, error: EngineError, extraHeaders: Record<string, string> = {}): void {
  const body = JSON.stringify(error.toResponse());
  res.writeHead(error.status, { ...PRODUCT, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function authorized(header: string | undefined, options: EngineServerOptions): boolean {
  if (!options.apiKey && !options.basicAuth) return true;
  if (!header) return false;
  const [scheme, value = ''] = header.split(' ', 2) as [string, string | undefined];
  if (options.apiKey && scheme.toLowerCase() === 'apikey') {
    if (same(value, options.apiKey)) return true;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const key = decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : decoded;
    return same(decoded, options.apiKey) || same(key, options.apiKey) || same(Buffer.from(options.apiKey).toString('base64'), value);
  }
  if (options.basicAuth && scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return same(decoded, `${options.basicAuth.username}:${options.basicAuth.password}`);
  }
  return false;
}

/** 401 with the reason Elasticsearch gives for missing, wrong basic, or wrong API key credentials. */
function authenticationFailure(header: string | undefined, url: string): EngineError {
  const path = url.split('?')[0];
  const extra = { header: { 'WWW-Authenticate': ['Basic realm="security" charset="UTF-8"', 'ApiKey'] } };
  if (!header) return new EngineError(401, 'security_exception', `missing authentication credentials for REST request [${path}]`, extra);
  const [scheme, value = ''] = header.split(' ', 2) as [string, string | undefined];
  if (scheme.toLowerCase() === 'basic') {
    const user = Buffer.from(value, 'base64').toString('utf8').split(':')[0];
    return new EngineError(401, 'security_exception', `unable to authenticate user [${user}] for REST request [${path}]`, extra);
  }
  return new EngineError(401, 'security_exception', 'unable to authenticate with provided credentials and anonymous access is not allowed for this request', extra);
}

/** The media types Elasticsearch reads a body in (XContentType), vendor forms included; parameters ignored. */
const BODY_TYPES = /^application\/(?:json|x-ndjson|cbor|smile|yaml|\*|vnd\.elasticsearch\+(?:json|x-ndjson|cbor|smile|yaml))$/;

/**
 * Elasticsearch's answer to a body it cannot read: 406 with a bare-string error. This is also
 * what keeps a web page's cross-site `text/plain` or form POST (no CORS preflight) from writing.
 */
function unreadableBody(contentType: string | undefined): { status: number; body: string } | undefined {
  if (contentType !== undefined && BODY_TYPES.test((contentType.split(';')[0] ?? '').trim().toLowerCase())) return undefined;
  const error = contentType === undefined ? 'Content-Type header is missing' : `Content-Type header [${contentType}] is not supported`;
  return { status: 406, body: JSON.stringify({ error, status: 406 }) };
}

const isLoopbackAddress = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** The name of a Host header without its port (`[::1]:9200` -> `::1`). */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return h.replace(/:\d*$/, '');
}

/** Whether a loopback-bound server serves this Host: loopback names and addresses, and those allowed. */
function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined || allowed.includes('*')) return true;
  const name = hostName(header);
  return isLoopbackAddress(name) || name.endsWith('.localhost') || allowed.some((a) => a.toLowerCase() === name);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(tooLargeError(size, max)) : resolveBody(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function tooLargeError(size: number, max: number): EngineError {
  return new EngineError(413, 'content_too_long_exception', `request content length [${size}] exceeds the limit of [${max}] bytes (http.max_content_length)`);
}

/**
 * Serves the engine's REST API over HTTP (node:http), for other processes and tools.
 *
 * @example
 * const server = await startEngineServer({ dataDir: '.search/data', port: 9200 });
 * // new Client({ node: server.url })
 * await server.close();
 */
export async function startEngineServer(options: EngineServerOptions): Promise<EngineServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 100 * 1024 * 1024;
  const ownsEngine = !options.engine;
  if (!options.engine && !options.dataDir) throw new Error('startEngineServer needs an engine or a dataDir');
  // An empty secret would turn authentication off without a word: refuse it.
  if (options.apiKey === '') throw new Error('startEngineServer: apiKey is empty; give a key, or leave apiKey out to serve without authentication');
  if (options.basicAuth && (options.basicAuth.username === '' || options.basicAuth.password === '')) {
    throw new Error('startEngineServer: basicAuth needs a non-empty username and password');
  }
  const engine = options.engine ?? (await acquireEngine(options.dataDir!));
  const checkHost = isLoopbackAddress(host.replace(/^\[|\]$/g, ''));
  const allowedHosts = options.allowedHosts ?? [];
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  let handingOver = false;
  let lastRequestAt = 0;
  const server = createServer((req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) onIdle?.();
    });
    if (handingOver) {
      lastRequestAt = Date.now();
      req.resume();
      sendError(res, new EngineError(503, 'node_closed_exception', 'node closed'), { 'x-indexkit-holder': 'closing', connection: 'close' });
      return;
    }
    void (async () => {
      try {
        if (checkHost && !hostAllowed(req.headers.host, allowedHosts)) {
          const reason = `Host [${req.headers.host}] is not a loopback name; this engine listens on ${host} and serves other Host names only when allowed (search engine serve --allow-host)`;
          sendError(res, new EngineError(403, 'security_exception', reason), { connection: 'close' });
          req.resume();
          return;
        }
        if (!authorized(req.headers.authorization, options)) {
          sendError(res, authenticationFailure(req.headers.authorization, req.url ?? '/'), { 'www-authenticate': 'Basic realm="security" charset="UTF-8"' });
          return;
        }
        const declared = Number(req.headers['content-length'] ?? 0);
        if (declared > maxBody) {
          sendError(res, tooLargeError(declared, maxBody), { connection: 'close' });
          req.resume();
          return;
        }
        const body = await readBody(req, maxBody);
        const refusal = body.length > 0 ? unreadableBody(req.headers['content-type']) : undefined;
        if (refusal) {
          res.writeHead(refusal.status, { ...PRODUCT, 'content-type': 'application/json', 'content-length': Buffer.byteLength(refusal.body) });
          res.end(refusal.body);
          return;
        }
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        // a client that disconnects stops its search (ES cancels the task of a closed HTTP channel)
        const gone = new AbortController();
        res.on('close', () => {
          if (!res.writableFinished) gone.abort();
        });
        const response = await engine.handle({
          signal: gone.signal,
          method: req.method ?? 'GET',
          path: q >= 0 ? url.slice(0, q) : url,
          querystring: q >= 0 ? url.slice(q + 1) : '',
          headers: req.headers,
          body: body.length > 0 ? body : null,
        });
        const pacing: Record<string, string> = options.reportPacing && response.pacing ? pacingHeaders(response.pacing) : {};
        if (response.chunks && req.method !== 'HEAD') {
          await writeChunks(res, response.statusCode, { ...response.headers, ...pacing }, response.chunks);
          return;
        }
        const payload = Buffer.from(response.body);
        res.writeHead(response.statusCode, { ...response.headers, ...pacing, 'content-length': payload.length });
        res.end(req.method === 'HEAD' ? undefined : payload);
      } catch (error) {
        const failure = error instanceof EngineError ? error : new EngineError(500, 'exception', error instanceof Error ? error.message : String(error));
        if (!res.headersSent) sendError(res, failure);
        else res.destroy();
      }
    })();
  });
  if (options.handover) server.keepAliveTimeout = 0;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    if (options.socketPath) server.listen(options.socketPath, () => resolveListen());
    else server.listen(options.port ?? 9200, host, () => resolveListen());
  });
  const address = server.address();
  const url = options.socketPath ? `unix:${options.socketPath}` : `http://${host.includes(':') ? `[${host}]` : host}:${(address as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port: options.socketPath ? 0 : (address as AddressInfo).port,
    unref: () => void server.unref(),
    close() {
      closing ??= (async () => {
        if (options.handover) {
          handingOver = true;
          lastRequestAt = Date.now();
          // Stop listening (a new connection is refused: the client knows nothing was sent) but keep the open
          // connections (http's close() would drop idle ones, with a request perhaps already on its way).
          const stopped = new Promise<void>((resolveStop) => NetServer.prototype.close.call(server, () => resolveStop()));
          while (inFlight > 0 || Date.now() - lastRequestAt < HANDOVER_QUIET_MS) {
            if (inFlight > 0) await new Promise<void>((resolveIdle) => (onIdle = resolveIdle));
            else await new Promise((resolveWait) => setTimeout(resolveWait, HANDOVER_QUIET_MS));
          }
          server.closeAllConnections();
          await stopped;
          return;
        }
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeIdleConnections();
        });
        if (inFlight > 0) await new Promise<void>((resolveIdle) => (onIdle = resolveIdle));
        if (ownsEngine) await releaseEngine(options.dataDir!);
      })();
      return closing;
    },
  };
}
