import { gunzipSync, inflateSync } from 'node:zlib';
import { EngineError, illegalArgument, unsupported } from '../errors.js';
import { COMMON_PARAMS } from './route-params.js';
import type { EngineRequest, EngineResponse, RestContext, RestRequest, RestResult, Route } from './rest-types.js';
import { applyFilterPath } from './filter-path.js';

interface CompiledRoute extends Route {
  segments: string[];
  literals: number;
}

const PRODUCT_HEADERS = { 'x-elastic-product': 'Elasticsearch' };

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

function decodeBody(req: EngineRequest): string {
  const body = req.body;
  if (body === undefined || body === null || body === '') return '';
  const encoding = (header(req.headers, 'content-encoding') ?? '').toLowerCase();
  let buffer = typeof body === 'string' ? undefined : body;
  if (encoding.includes('gzip') || encoding.includes('deflate')) {
    const raw = buffer ?? Buffer.from(body as string, 'binary');
    buffer = encoding.includes('gzip') ? gunzipSync(raw) : inflateSync(raw);
  }
  return buffer ? buffer.toString('utf8') : (body as string);
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
          if (actual.startsWith('_') && !creating && pattern !== '{id}' && pattern !== '{scroll_id}' && pattern !== '{name}' && actual !== '_all') {
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
    const method = req.method.toUpperCase();
    let result: RestResult;
    let query: Record<string, string> = {};
    try {
      const [pathPart, inlineQuery] = req.path.split('?', 2) as [string, string | undefined];
      query = { ...decodeQuery(inlineQuery), ...decodeQuery(req.querystring) };
      const segments = pathPart.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
      const { route, params, methods } = this.match(method, segments);
      if (!route) {
        result = this.noRoute(method, pathPart, segments, methods);
      } else {
        if (route.params) checkParams(pathPart, query, route.params);
        const restRequest: RestRequest = { method, path: pathPart, params, query, rawBody: decodeBody(req), headers: req.headers ?? {} };
        result = await route.handler(restRequest, this.context);
      }
    } catch (error) {
      result = errorResult(error);
    }
    return this.render(req, method, query, result);
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
    const headers: Record<string, string> = { ...PRODUCT_HEADERS, 'content-type': contentType(req, result.text === true) };
    const opaqueId = header(req.headers, 'x-opaque-id');
    if (opaqueId !== undefined) headers['x-opaque-id'] = opaqueId;
    if (method === 'HEAD') return { statusCode: result.status, headers, body: '' };
    let body: string;
    if (result.text) body = String(result.body);
    else {
      let value = result.body;
      if (query.filter_path) value = applyFilterPath(value, query.filter_path);
      body = toJsonText(value, query.pretty !== undefined && query.pretty !== 'false');
    }
    return { statusCode: result.status, headers, body };
  }
}

const EXACT = /"\\u0000exact:(-?\d+)\\u0000"/g;

/** JSON text of a response; a bigint (a long beyond 2^53, e.g. Long.MAX_VALUE sort sentinels) is written exactly. */
export function toJsonText(value: unknown, pretty: boolean): string {
  let sawBigint = false;
  const replacer = (_key: string, v: unknown): unknown => {
    if (typeof v !== 'bigint') return v;
    sawBigint = true;
    return `\u0000exact:${v.toString()}\u0000`;
  };
  const text = pretty ? JSON.stringify(value, replacer, 2) + '\n' : JSON.stringify(value, replacer);
  return sawBigint ? text.replace(EXACT, '$1') : text;
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
