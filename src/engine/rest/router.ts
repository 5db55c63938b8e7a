import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { EngineError, illegalArgument, unsupported } from '../errors.js';
import { COMMON_PARAMS } from './route-params.js';
import type { EngineRequest, EngineResponse, RestContext, RestRequest, RestResult, Route } from './rest-types.js';
import { applyFilterPath } from './filter-path.js';
import { isSmallJson, jsonTextSteps, toJsonText } from './json-text.js';
import { Pacer, runSteps } from '../search/paced-run.js';
import { DECODE_CHUNK_BYTES, decodeUtf8Steps } from './utf8-steps.js';
import { collectDeprecations, warningHeader } from '../deprecation.js';
import { ES_VERSION } from './handlers/cluster-routes.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

interface CompiledRoute extends Route {
  segments: string[];
  literals: number;
}

const PRODUCT_HEADERS = { 'x-elastic-product': 'Elasticsearch' };

/**
 * Percent-decodes one path segment as Elasticsearch's RestUtils.decodeComponent: a truncated or
 * non-hex escape is a 400 illegal_argument_exception, invalid UTF-8 decodes to U+FFFD.
 */
function decodePathSegment(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  let out = '';
  const flush = (): void => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') {
      flush();
      out += s[i];
      continue;
    }
    if (i + 2 >= s.length) throw illegalArgument(`partial escape sequence at end of string: ${s}`);
    const hex = s.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw illegalArgument(`invalid escape sequence \`%${hex}' at index ${i} of: ${s}`);
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  flush();
  return out;
}

function decodeQuery(querystring: EngineRequest['querystring']): Record<string, string> {
  if (!querystring) return {};
  if (typeof querystring !== 'string') {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(querystring)) if (value !== undefined && value !== null) out[key] = Array.isArray(value) ? value.join(',') : String(value);
    return out;
  }
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(querystring)) out[key] = value;
  return out;
}

function header(headers: EngineRequest['headers'], name: string): string | undefined {
  const value = headers?.[name] ?? headers?.[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

const MAX_INFLATED_BYTES = 100 * 1024 * 1024;

/**
 * The body as text. A compressed body is inflated on the thread pool (zlib's async form), and a
 * large one is decoded a slice at a time through the request's pacer (utf8-steps.ts): neither is
 * one long synchronous step.
 */
async function decodeBody(req: EngineRequest, pace: Pacer): Promise<string> {
  const body = req.body;
  if (body === undefined || body === null || body === '') return '';
  const encoding = (header(req.headers, 'content-encoding') ?? '').toLowerCase();
  let buffer = typeof body === 'string' ? undefined : body;
  if (encoding.includes('gzip') || encoding.includes('deflate')) {
    const raw = buffer ?? Buffer.from(body as string, 'binary');
    // a small compressed body must not inflate past http.max_content_length's default (100mb)
    const options = { maxOutputLength: MAX_INFLATED_BYTES };
    pace.endSlice();
    try {
      buffer = await (encoding.includes('gzip') ? gunzipAsync(raw, options) : inflateAsync(raw, options));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
      throw new EngineError(413, 'content_too_long_exception', `request content length exceeds the limit of [${MAX_INFLATED_BYTES}] bytes (http.max_content_length) once decompressed`);
    } finally {
      pace.resume();
    }
  }
  if (!buffer) return body as string;
  // a write is not cancelled by its client leaving (as in Elasticsearch): the decoding only pauses
  return buffer.length > DECODE_CHUNK_BYTES ? pace.run(decodeUtf8Steps(buffer), false) : buffer.toString('utf8');
}

/** Jackson's StreamReadConstraints default, which Elasticsearch's JSON parser applies. */
export const MAX_JSON_NESTING = 1000;

/**
 * Refuses a JSON (or NDJSON) body nested deeper than {@link MAX_JSON_NESTING}, in one linear
 * scan before anything parses or walks it: no handler can then recurse past the stack.
 */
export function checkJsonNesting(text: string): void {
  runSteps(checkJsonNestingSteps(text));
}

/** Characters scanned between two pause points. */
const NESTING_SCAN_CHARS = 256 * 1024;

/** {@link checkJsonNesting} as steps, pausing every {@link NESTING_SCAN_CHARS} characters. */
export function* checkJsonNestingSteps(text: string): Generator<void, void> {
  if (text.length <= 2 * MAX_JSON_NESTING) return;
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  let pauseAt = NESTING_SCAN_CHARS;
  for (let i = 0; i < text.length; i++) {
    if (i >= pauseAt) {
      pauseAt = i + NESTING_SCAN_CHARS;
      yield;
    }
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_NESTING) {
        const message = `Document nesting depth (${depth}) exceeds the maximum allowed (${MAX_JSON_NESTING}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`;
        throw new EngineError(400, 'x_content_parse_exception', `[${line}:${i - lineStart + 1}] ${message}`, {}, new EngineError(400, 'stream_constraints_exception', message));
      }
    } else if (c === 125 || c === 93) depth = Math.max(0, depth - 1);
    else if (c === 10) {
      line++;
      lineStart = i + 1;
    }
  }
}

/** The content-type of the answer: the compatible-with media type when the client asked for it. */
function contentType(req: EngineRequest, text: boolean): string {
  if (text) return 'text/plain; charset=UTF-8';
  const accept = header(req.headers, 'accept') ?? header(req.headers, 'content-type') ?? '';
  const m = /compatible-with=(\d+)/.exec(accept);
  return m ? `application/vnd.elasticsearch+json;compatible-with=${m[1]}` : 'application/json';
}

/** Elasticsearch's REST routes over the engine: method + path pattern -> handler. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: readonly Route[],
    private readonly context: RestContext,
  ) {
    this.routes = routes.map((route) => {
      const segments = route.pattern.split('/').filter((s) => s !== '');
      return { ...route, segments, literals: segments.filter((s) => !s.startsWith('{')).length };
    });
  }

  private match(method: string, segments: string[]): { route?: CompiledRoute; params: Record<string, string>; methods: Set<string> } {
    let best: CompiledRoute | undefined;
    let bestParams: Record<string, string> = {};
    const methods = new Set<string>();
    for (const route of this.routes) {
      if (route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < segments.length; i++) {
        const pattern = route.segments[i]!;
        const actual = segments[i]!;
        if (pattern.startsWith('{')) {
          // `/_foo` never matches an index parameter: underscore paths are APIs.
          const creating = route.method === 'PUT' && method === 'PUT' && segments.length === 1;
          if (actual.startsWith('_') && !creating && pattern !== '{id}' && pattern !== '{scroll_id}' && pattern !== '{name}' && pattern !== '{fields}' && actual !== '_all') {
            matched = false;
            break;
          }
          params[pattern.slice(1, -1)] = actual;
        } else if (pattern !== actual) {
          matched = false;
          break;
        }
      }
      if (!matched) continue;
      const effective = method === 'HEAD' && route.method === 'GET' ? 'HEAD' : route.method;
      methods.add(route.method);
      if (effective !== method && !(method === 'HEAD' && route.method === 'HEAD')) continue;
      if (!best || route.literals > best.literals || (route.literals === best.literals && route.method === method && best.method !== method)) {
        best = route;
        bestParams = params;
      }
    }
    return { route: best, params: bestParams, methods };
  }

  async handle(req: EngineRequest): Promise<EngineResponse> {
    const pace = new Pacer(req.signal);
    // the deprecation warnings raised while this request is answered become its Warning header
    const warnings = new Set<string>();
    const response = await collectDeprecations(warnings, () => this.handlePaced(req, pace));
    if (warnings.size > 0) response.headers.warning = warningHeader(warnings, ES_VERSION.number, ES_VERSION.build_hash);
    pace.endSlice();
    // set, not spread: spreading would read (join) a chunked body
    response.pacing = { yields: pace.yields, longestSliceMs: pace.longestSliceMs };
    return response;
  }

  private async handlePaced(req: EngineRequest, pace: Pacer): Promise<EngineResponse> {
    const method = req.method.toUpperCase();
    let result: RestResult;
    let query: Record<string, string> = {};
    try {
      const [pathPart, inlineQuery] = req.path.split('?', 2) as [string, string | undefined];
      query = { ...decodeQuery(inlineQuery), ...decodeQuery(req.querystring) };
      const segments = pathPart.split('/').filter((s) => s !== '').map(decodePathSegment);
      const { route, params, methods } = this.match(method, segments);
      if (!route) {
        result = this.noRoute(method, pathPart, segments, methods);
      } else {
        if (route.params) checkParams(pathPart, query, route.params);
        const rawBody = await decodeBody(req, pace);
        // a write is not cancelled by its client leaving (as in Elasticsearch): the scan only pauses
        if (rawBody.length > NESTING_SCAN_CHARS) await pace.run(checkJsonNestingSteps(rawBody), false);
        else checkJsonNesting(rawBody);
        const restRequest: RestRequest = { method, path: pathPart, params, query, rawBody, headers: req.headers ?? {}, pace, ...(req.signal ? { signal: req.signal } : {}) };
        result = await route.handler(restRequest, this.context);
      }
    } catch (error) {
      result = errorResult(error);
    }
    try {
      return await this.renderPaced(req, method, query, result, pace);
    } catch (error) {
      // the client left while its response was written (task_cancelled_exception): nobody reads this
      return this.render(req, method, query, errorResult(error));
    }
  }

  private noRoute(method: string, path: string, segments: string[], methods: Set<string>): RestResult {
    if (methods.size > 0) {
      return {
        status: 405,
        body: { error: `Incorrect HTTP method for uri [${path}] and method [${method}], allowed: [${[...methods].sort().join(', ')}]`, status: 405 },
      };
    }
    const api = segments.find((s) => s.startsWith('_'));
    if (api) return errorResult(unsupported(`${method} ${path.replace(/^\/[^_/][^/]*/, '/{index}')}`));
    return { status: 400, body: { error: `no handler found for uri [${path}] and method [${method}]` } };
  }

  private render(req: EngineRequest, method: string, query: Record<string, string>, result: RestResult): EngineResponse {
    const headers = this.headers(req, result);
    if (method === 'HEAD') return { statusCode: result.status, headers, body: '' };
    if (result.text) return { statusCode: result.status, headers, body: String(result.body) };
    const [value, pretty] = jsonOf(query, result);
    return { statusCode: result.status, headers, body: toJsonText(value, pretty) };
  }

  /** render, writing the JSON text a slice at a time through `pace`: a large response (10,000 hits) lets others run. */
  private async renderPaced(req: EngineRequest, method: string, query: Record<string, string>, result: RestResult, pace: Pacer): Promise<EngineResponse> {
    if (method === 'HEAD' || result.text) return this.render(req, method, query, result);
    const [value, pretty] = jsonOf(query, result);
    if (isSmallJson(value)) return { statusCode: result.status, headers: this.headers(req, result), body: toJsonText(value, pretty) };
    const chunks = await pace.run(jsonTextSteps(value, pretty));
    return chunkedResponse(result.status, this.headers(req, result), chunks);
  }

  private headers(req: EngineRequest, result: RestResult): Record<string, string> {
    const headers: Record<string, string> = { ...PRODUCT_HEADERS, 'content-type': contentType(req, result.text === true) };
    const opaqueId = header(req.headers, 'x-opaque-id');
    if (opaqueId !== undefined) headers['x-opaque-id'] = opaqueId;
    return headers;
  }
}

/** A response whose body is `chunks` joined; the join is made only if `body` is read. */
function chunkedResponse(statusCode: number, headers: Record<string, string>, chunks: string[]): EngineResponse {
  if (chunks.length <= 1) return { statusCode, headers, body: chunks[0] ?? '' };
  let body: string | undefined;
  return {
    statusCode,
    headers,
    chunks,
    get body(): string {
      body ??= chunks.join('');
      return body;
    },
  };
}

/** What a JSON response writes (filter_path applied), and whether `pretty` asks for indentation. */
function jsonOf(query: Record<string, string>, result: RestResult): [unknown, boolean] {
  const value = query.filter_path ? applyFilterPath(result.body, query.filter_path) : result.body;
  return [value, query.pretty !== undefined && query.pretty !== 'false'];
}

/** `request [/x/_doc/1] contains unrecognized parameter: [foo]`, as Elasticsearch answers. */
function checkParams(path: string, query: Record<string, string>, allowed: readonly string[]): void {
  const unknown = Object.keys(query).filter((key) => !COMMON_PARAMS.has(key) && !allowed.includes(key));
  if (unknown.length === 0) return;
  const listed = unknown.map((key) => `[${key}]`).join(', ');
  throw illegalArgument(`request [${path}] contains unrecognized parameter${unknown.length > 1 ? 's' : ''}: ${listed}`);
}

export function errorResult(error: unknown): RestResult {
  if (error instanceof EngineError) return { status: error.status, body: error.toResponse() };
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new EngineError(500, 'exception', message);
  return { status: 500, body: wrapped.toResponse() };
}
