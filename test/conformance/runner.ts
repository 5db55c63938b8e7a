import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { assertCloseTo, assertCompare, assertContains, assertFalse, assertLength, assertMatch, assertTrue, javaRegex } from './assertions.js';
import { AssertionFailure, Stash, evaluatePath, parsePath } from './stash.js';
import type { Section, Step, Suite } from './suite.js';
import { Dbl, isMap, javaString, parseJson, parseJsonStream, show, toJson } from './values.js';
import type { Value } from './values.js';

/** The Elasticsearch version the engine answers as: `skip.version` ranges and `gte_v*` features compare to it. */
export const ES_VERSION = '8.19.0';

/** Runner features this runner implements (Elasticsearch's Features.SUPPORTED, minus what it lacks). */
export const RUNNER_FEATURES = new Set([
  'catch_unauthorized',
  'default_shards',
  'embedded_stash_key',
  'headers',
  'node_selector',
  'stash_in_key',
  'stash_in_path',
  'stash_path_replace',
  'warnings',
  'warnings_regex',
  'yaml',
  'contains',
  'arbitrary_key',
  'allowed_warnings',
  'allowed_warnings_regex',
  'close_to',
  'capabilities',
  // Features.isSupported: true on any JDK >= 9, as every Elasticsearch 8 runs on (ISO week fields: Monday first)
  'spi_on_classpath_jdk9',
]);

/** The engine's own failure for what it does not implement (a 400 naming the feature). */
export const REFUSAL = /is not supported by the indexkit embedded engine/;

interface ApiPath {
  path: string;
  methods: string[];
  parts: string[];
}

export interface ApiSpec {
  name: string;
  paths: ApiPath[];
  params: Set<string>;
  body: 'none' | 'optional' | 'required';
}

/** Reads rest-api-spec/api/*.json (8.x format with `url.paths[]`) from each folder; later folders win. */
export function loadApiSpecs(dirs: string[]): Map<string, ApiSpec> {
  const specs = new Map<string, ApiSpec>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('_'))) {
      const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, {
        url: { paths: { path: string; methods: string[]; parts?: Record<string, unknown> }[] };
        params?: Record<string, unknown>;
        body?: { required?: boolean } | null;
      }>;
      for (const [name, spec] of Object.entries(json)) {
        specs.set(name, {
          name,
          paths: spec.url.paths.map((p) => ({ path: p.path, methods: p.methods, parts: Object.keys(p.parts ?? {}) })),
          params: new Set(Object.keys(spec.params ?? {})),
          body: spec.body ? (spec.body.required ? 'required' : 'optional') : 'none',
        });
      }
    }
  }
  return specs;
}

export interface Response {
  status: number;
  method: string;
  body: Value | undefined;
  /** Raw text, for messages. */
  text: string;
  /** Not an exception for the Java low-level client: 2xx, HEAD 404, or a status in `ignore`. */
  ok: boolean;
}

export interface Failure {
  section: 'setup' | 'test' | 'teardown';
  line: number;
  step: string;
  message: string;
  expected?: string;
  actual?: string;
  /** wrong_answer: a 2xx (or non-error) answer that fails the test; wrong_error_type: the wrong error. */
  category: 'wrong_answer' | 'wrong_error_type' | 'failure';
  /** The engine refused a feature with its 400 "not supported". */
  refused: boolean;
}

export interface TestResult {
  file: string;
  dir: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  skipReason?: string;
  failure?: Failure;
  ms: number;
}

function parseVersion(v: string): number[] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  if (!m) throw new Error(`bad version [${v}]`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** SkipSection.parseVersionRanges: `all`, `" - 7.99.99"`, `"8.0.0 - 8.2.99"`, comma-separated. */
export function versionInRanges(ranges: string, version = ES_VERSION): boolean {
  const v = parseVersion(version);
  return ranges.split(',').some((range) => {
    const r = range.trim();
    if (r === 'all') return true;
    const [lo = '', hi = ''] = r.split('-').map((s) => s.trim());
    const lower = lo === '' ? [0, 0, 0] : parseVersion(lo);
    const upper = hi === '' ? [999, 999, 999] : parseVersion(hi);
    return compareVersions(v, lower) >= 0 && compareVersions(v, upper) <= 0;
  });
}

export interface RunnerOptions {
  baseUrl: string;
  specs: Map<string, ApiSpec>;
  /** Named cluster features the engine claims (`gte_vX.Y.Z` follow {@link ES_VERSION}). */
  clusterFeatures: Set<string>;
  /**
   * Whether the engine's handler of `method path` has the capabilities (what the engine's
   * `GET /_capabilities` answers, asked in-process because prerequisites are read synchronously).
   */
  capabilities: (method: string, path: string, wanted: string[], parameters: string[]) => boolean;
  requestTimeoutMs?: number;
}

const asList = (v: Value | undefined): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map((x) => javaString(x)) : [javaString(v)]);

export class YamlRunner {
  private readonly stash = new Stash();
  private last?: Response;
  private readonly pits = new Set<string>();

  constructor(private readonly options: RunnerOptions) {}

  private hasClusterFeature(feature: string): boolean {
    const m = /^gte_v(\d+\.\d+\.\d+)$/.exec(feature);
    if (m) return compareVersions(parseVersion(ES_VERSION), parseVersion(m[1]!)) >= 0;
    return this.options.clusterFeatures.has(feature);
  }

  private hasCapabilities(check: Value): boolean {
    if (!isMap(check)) return false;
    return this.options.capabilities(javaString(check.method ?? 'GET'), javaString(check.path ?? '/'), asList(check.capabilities), asList(check.parameters));
  }

  /** PrerequisiteSection: the reason to skip, or undefined to run. */
  async skipReason(section: Section | undefined): Promise<string | undefined> {
    for (const { kind, arg } of section?.prerequisites ?? []) {
      const reason = arg.reason === undefined ? '' : ` (${javaString(arg.reason)})`;
      const features = [...asList(arg.features), ...asList(arg.test_runner_features)];
      const missing = features.filter((f) => !RUNNER_FEATURES.has(f) && f !== 'no_xpack');
      if (missing.length > 0 || features.includes('xpack')) return `runner feature [${missing.join(', ') || 'xpack'}] not supported${reason}`;
      if (kind === 'skip') {
        if (arg.awaits_fix !== undefined) return `awaits fix${reason}`;
        if (arg.version !== undefined && versionInRanges(javaString(arg.version))) return `version ${ES_VERSION} in [${javaString(arg.version)}]${reason}`;
        const skipFeatures = asList(arg.cluster_features).filter((f) => this.hasClusterFeature(f));
        if (skipFeatures.length > 0) return `cluster has [${skipFeatures.join(', ')}]${reason}`;
        if (asList(arg.os).length > 0 && asList(arg.os).some((os) => os.toLowerCase().includes('linux'))) return `os${reason}`;
        for (const issue of Array.isArray(arg.known_issues) ? arg.known_issues : []) {
          if (isMap(issue) && this.hasClusterFeature(javaString(issue.cluster_feature)) && !this.hasClusterFeature(javaString(issue.fixed_by))) return `known issue${reason}`;
        }
        for (const check of Array.isArray(arg.capabilities) ? arg.capabilities : []) if (this.hasCapabilities(check)) return `capabilities present${reason}`;
      } else {
        const lacking = asList(arg.cluster_features).filter((f) => !this.hasClusterFeature(f));
        if (lacking.length > 0) return `cluster lacks [${lacking.join(', ')}]${reason}`;
        for (const check of Array.isArray(arg.capabilities) ? arg.capabilities : []) if (!this.hasCapabilities(check)) return `capabilities missing${reason}`;
      }
    }
    return undefined;
  }

  async raw(method: string, path: string, body?: string, headers: Record<string, string> = {}, ignore: number[] = []): Promise<Response> {
    const res = await fetch(this.options.baseUrl + path, {
      method,
      // a test's own Content-Type (any case) replaces the default; fetch would join the two into one value
      headers: body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type') ? { 'content-type': 'application/json', ...headers } : headers,
      body,
      signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000),
    });
    const text = await res.text();
    let parsed: Value | undefined;
    const type = res.headers.get('content-type') ?? '';
    if (text.length > 0 && /json/.test(type)) {
      try {
        parsed = parseJson(text);
      } catch {
        parsed = text;
      }
    } else if (text.length > 0 || method !== 'HEAD') {
      // ClientYamlTestResponse.getBody: a text answer is its string, an empty one "" (only a HEAD has no entity)
      parsed = text;
    }
    const ok = res.status < 300 || (method === 'HEAD' && res.status === 404) || ignore.includes(res.status);
    return { status: res.status, method, body: parsed, text, ok };
  }

  /** ClientYamlTestClient.callApi: best matching path, parts in the path, the rest in the query string. */
  private async callApi(api: string, params: Record<string, string>, bodies: Value[], headers: Record<string, string>): Promise<Response> {
    const spec = this.options.specs.get(api);
    if (!spec) throw new Error(`runner: no API spec for [${api}] (add it under test/conformance/api/)`);
    const names = Object.keys(params);
    let best: ApiPath[] = [];
    let bestCount = -1;
    for (const path of spec.paths) {
      const count = names.filter((n) => path.parts.includes(n)).length;
      if (count !== path.parts.length) continue;
      if (count > bestCount) {
        best = [path];
        bestCount = count;
      } else if (count === bestCount) best.push(path);
    }
    const path = best[0];
    if (!path) throw new Error(`runner: no path of [${api}] takes the parts ${JSON.stringify(names)}`);
    let url = path.path;
    const query = new URLSearchParams();
    let ignore: number[] = [];
    for (const [key, value] of Object.entries(params)) {
      if (path.parts.includes(key)) url = url.replace(`{${key}}`, encodeURIComponent(value));
      else if (key === 'ignore') ignore = value.split(',').map(Number);
      // The copied specs are older than some tests (e.g. `count` lacks `stats`): every other param goes
      // to the query string and the engine judges it, where Elasticsearch's runner would refuse it.
      else query.append(key, value);
    }
    let body: string | undefined;
    const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    if (bodies.length > 0) {
      if (spec.body === 'none') throw new Error(`runner: body is not supported by [${api}] api`);
      const replaced = bodies.map((b) => this.stash.replace(b));
      if (contentType && /yaml/.test(contentType) && replaced.length === 1) body = toYaml(toPlain(replaced[0]!));
      else body = replaced.length === 1 ? toJson(replaced[0]!) : replaced.map((b) => toJson(b) + '\n').join('');
    } else if (spec.body === 'required') throw new Error(`runner: body is required by [${api}] api`);
    const method = body !== undefined && path.methods.includes('POST') ? 'POST' : path.methods[0]!;
    const qs = query.toString();
    return this.raw(method, qs ? `${url}?${qs}` : url, body, headers, ignore);
  }

  /** DoSection.execute. */
  private async doStep(arg: Value): Promise<void> {
    if (!isMap(arg)) throw new Error('runner: a do section must be a map');
    const catchParam = arg.catch === undefined ? undefined : javaString(arg.catch);
    const headers: Record<string, string> = {};
    let api: string | undefined;
    let params: Record<string, string> = {};
    let bodies: Value[] = [];
    for (const [key, value] of Object.entries(arg)) {
      if (['catch', 'warnings', 'warnings_regex', 'allowed_warnings', 'allowed_warnings_regex', 'node_selector'].includes(key)) continue;
      if (key === 'headers') {
        for (const [h, v] of Object.entries(isMap(value) ? value : {})) headers[h] = javaString(v);
        continue;
      }
      api = key;
      ({ params, bodies } = apiCall(value));
    }
    if (!api) throw new Error('runner: client call section is mandatory within a do section');
    if (catchParam === 'param') return;
    const requestParams: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) requestParams[k] = this.stash.contains(v) ? javaString(this.stash.get(v)) : v;
    for (const [k, v] of Object.entries(headers)) if (this.stash.contains(v)) headers[k] = javaString(this.stash.get(v));
    let response: Response | undefined;
    try {
      response = await this.callApi(api, requestParams, bodies, headers);
    } finally {
      this.last = response;
      this.stash.set('body', response?.body ?? null);
    }
    if (api === 'open_point_in_time' && response.ok && isMap(response.body) && typeof response.body.id === 'string') this.pits.add(response.body.id);
    const describe = `api [${api}] returned [${response.status}] ${show(response.body, 500)}`;
    if (response.ok) {
      if (catchParam) throw new StepFailure(`expected [${catchStatus(catchParam)}] status code but ${describe}`, 'wrong_answer', catchParam, `${response.status} ${show(response.body, 500)}`);
      return;
    }
    const refused = REFUSAL.test(response.text);
    if (!catchParam) throw new StepFailure(`expected [2xx] status code but ${describe}`, 'failure', '2xx', `${response.status} ${show(response.body, 500)}`, refused);
    const expected = CATCHES[catchParam];
    if (expected) {
      if (!expected(response.status)) throw new StepFailure(`expected [${catchStatus(catchParam)}] status code but ${describe}`, refused ? 'failure' : 'wrong_error_type', catchParam, `${response.status} ${show(response.body, 500)}`, refused);
      return;
    }
    if (catchParam.length > 2 && catchParam.startsWith('/') && catchParam.endsWith('/')) {
      const error = isMap(response.body) ? response.body.error : undefined;
      const ok = response.status >= 400 && error !== undefined && error !== null && javaRegex(catchParam.slice(1, -1), false).test(javaString(error));
      if (!ok) throw new StepFailure(`the error message was expected to match the provided regex but didn't: ${describe}`, refused ? 'failure' : 'wrong_error_type', catchParam, `${response.status} ${show(response.body, 500)}`, refused);
      return;
    }
    throw new Error(`runner: catch value [${catchParam}] not supported`);
  }

  private actual(field: string): Value | undefined {
    if (this.stash.contains(field)) return this.stash.get(field);
    if (!this.last) return undefined;
    if (this.last.body === undefined || typeof this.last.body === 'string') {
      if (field === '' && this.last.method === 'HEAD') return this.last.status < 400;
      return typeof this.last.body === 'string' && field === '' ? this.last.body : undefined;
    }
    return evaluatePath(this.last.body, field, this.stash);
  }

  private expectedValue(v: Value): Value {
    if (isMap(v)) return this.stash.replace(v);
    if (this.stash.contains(v)) return this.stash.get(v);
    return v;
  }

  private async step(step: Step): Promise<void> {
    const { kind, arg } = step;
    if (kind === 'do') return this.doStep(arg);
    const pairs = (): [string, Value][] => (isMap(arg) ? Object.entries(arg) : []);
    switch (kind) {
      case 'match':
        for (const [field, expected] of pairs()) {
          if (isTypeField(field)) continue;
          assertMatch(field, this.actual(field), this.expectedValue(expected));
        }
        return;
      case 'length':
        for (const [field, expected] of pairs()) assertLength(field, this.actual(field), this.expectedValue(expected));
        return;
      case 'is_true':
        if (isTypeField(javaString(arg))) return;
        return assertTrue(javaString(arg), this.actual(javaString(arg)));
      case 'is_false':
        return assertFalse(javaString(arg), this.actual(javaString(arg)));
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        for (const [field, expected] of pairs()) assertCompare(kind, field, this.actual(field), this.expectedValue(expected));
        return;
      case 'close_to':
        for (const [field, spec] of pairs()) {
          if (!isMap(spec) || spec.value === undefined || !(typeof spec.error === 'number' || spec.error instanceof Dbl)) throw new Error('runner: close_to needs { value, error }');
          assertCloseTo(field, this.actual(field), this.expectedValue(spec.value), spec.error instanceof Dbl ? spec.error.value : spec.error);
        }
        return;
      case 'contains':
        for (const [field, expected] of pairs()) assertContains(field, this.actual(field), this.expectedValue(expected));
        return;
      case 'exists': {
        const v = this.actual(javaString(arg));
        if (v === null || v === undefined) throw new AssertionFailure(`field [${javaString(arg)}] does not exist`, 'a value', show(v));
        return;
      }
      case 'not_exists': {
        const v = this.actual(javaString(arg));
        if (v !== null && v !== undefined) throw new AssertionFailure(`field [${javaString(arg)}] exists`, '<missing>', show(v));
        return;
      }
      case 'set':
        for (const [field, name] of pairs()) this.stash.set(javaString(name), this.actual(field) ?? null);
        return;
      case 'transform_and_set':
        // TransformAndSetSection: `#base64EncodeInput(<value or stashed key>)` stashes it in base64,
        // `#base64EncodeCredentials(idPath,keyPath)` the last response's two values joined by ':'
        for (const [name, spec] of pairs()) {
          const text = javaString(spec);
          const input = /^#base64EncodeInput\((.*)\)$/s.exec(text);
          const credentials = /^#base64EncodeCredentials\(([^,]+),([^,]+)\)$/.exec(text);
          if (input) {
            const value = this.stash.contains(input[1]) ? javaString(this.stash.get(input[1]!)) : input[1]!;
            this.stash.set(name, Buffer.from(value, 'utf8').toString('base64'));
          } else if (credentials) this.stash.set(name, Buffer.from(`${javaString(this.actual(credentials[1]!.trim()) ?? null)}:${javaString(this.actual(credentials[2]!.trim()) ?? null)}`, 'utf8').toString('base64'));
          else throw new Error(`runner: unsupported transform_and_set [${text}]`);
        }
        return;
      default:
        throw new Error(`runner: unsupported step [${kind}]`);
    }
  }

  private async runSection(section: Section, name: Failure['section']): Promise<Failure | undefined> {
    for (const step of section.steps) {
      try {
        await this.step(step);
      } catch (error) {
        return this.classify(error, step, name);
      }
    }
    return undefined;
  }

  private classify(error: unknown, step: Step, section: Failure['section']): Failure {
    const stepText = `${step.kind}: ${show(step.arg, 200)}`;
    if (error instanceof StepFailure) return { section, line: step.line, step: stepText, message: error.message, expected: error.expected, actual: error.actual, category: error.category, refused: error.refused };
    if (error instanceof AssertionFailure) {
      const lastError = this.last !== undefined && !this.last.ok;
      const refused = (lastError && REFUSAL.test(this.last!.text)) || this.refusedItem(step);
      return { section, line: step.line, step: stepText, message: error.message, expected: error.expected, actual: error.actual, category: refused ? 'failure' : lastError ? 'wrong_error_type' : 'wrong_answer', refused };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { section, line: step.line, step: stepText, message, category: 'failure', refused: false };
  }

/**
   * Whether an assertion on a 2xx points into an item the engine refused (an `_msearch` response or
   * a `_bulk` item whose `error` is the engine's "not supported"): a refusal, not a wrong answer.
   */
  private refusedItem(step: Step): boolean {
    if (!this.last?.ok || this.last.body === undefined) return false;
    const fields = isMap(step.arg) ? Object.keys(step.arg) : [javaString(step.arg)];
    return fields.some((field) => {
      const parts = parsePath(field);
      for (let i = 1; i < parts.length; i++) {
        let value: Value | undefined;
        try {
          value = evaluatePath(this.last!.body, parts.slice(0, i).map((p) => p.replace(/\./g, '\\.')).join('.'), this.stash);
        } catch {
          return false;
        }
        if (isMap(value) && value.error !== undefined && REFUSAL.test(javaString(value.error))) return true;
      }
      return false;
    });
  }

  /** ESRestTestCase.wipeCluster, as far as the engine has the state: PITs, scrolls, data streams, indices (and their aliases), templates, cluster settings. */
  async wipe(): Promise<void> {
    for (const id of this.pits) await this.raw('DELETE', '/_pit', JSON.stringify({ id }));
    this.pits.clear();
    await this.raw('DELETE', '/_search/scroll/_all');
    // ESRestTestCase.wipeDataStreams, before the indices (a stream's write index cannot be deleted alone)
    await this.raw('DELETE', '/_data_stream/*?expand_wildcards=all');
    const deleted = await this.raw('DELETE', '/*?expand_wildcards=all');
    if (!deleted.ok) {
      const list = await this.raw('GET', '/_cat/indices?format=json&expand_wildcards=all');
      for (const row of Array.isArray(list.body) ? list.body : []) if (isMap(row)) await this.raw('DELETE', `/${encodeURIComponent(javaString(row.index))}`);
    }
    for (const path of ['/_index_template/*', '/_component_template/*', '/_template/*']) await this.raw('DELETE', path);
    await this.raw('PUT', '/_cluster/settings', JSON.stringify({ persistent: { '*': null }, transient: { '*': null } }));
  }

  /** One test: wipe, setup, the test, teardown (always), as ESClientYamlSuiteTestCase runs it. */
  async runTest(suite: Suite, test: Section): Promise<TestResult> {
    const started = Date.now();
    const base = { file: suite.file, dir: suite.dir, name: test.name };
    const skip = (await this.skipReason(suite.setup)) ?? (await this.skipReason(test));
    if (skip) return { ...base, status: 'skipped', skipReason: skip, ms: 0 };
    this.stash.clear();
    this.last = undefined;
    await this.wipe();
    let failure: Failure | undefined;
    try {
      if (suite.setup) failure = await this.runSection(suite.setup, 'setup');
      if (!failure) failure = await this.runSection(test, 'test');
    } finally {
      if (suite.teardown) {
        const teardownFailure = await this.runSection(suite.teardown, 'teardown');
        failure ??= teardownFailure;
      }
    }
    return { ...base, status: failure ? 'failed' : 'passed', failure, ms: Date.now() - started };
  }
}

/** 7.x-era files assert `_type` (`match: {_type: _doc}`, `is_true: hits.hits.0._type`); Elasticsearch 8 dropped it (see the tests' README). */
function isTypeField(field: string): boolean {
  return field.split('.').at(-1) === '_type';
}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly category: Failure['category'],
    readonly expected: string,
    readonly actual: string,
    readonly refused = false,
  ) {
    super(message);
  }
}

const CATCHES: Record<string, (status: number) => boolean> = {
  bad_request: (s) => s === 400,
  unauthorized: (s) => s === 401,
  forbidden: (s) => s === 403,
  missing: (s) => s === 404,
  request_timeout: (s) => s === 408,
  conflict: (s) => s === 409,
  gone: (s) => s === 410,
  unavailable: (s) => s === 503,
  request: (s) => s >= 400 && ![400, 401, 403, 404, 408, 409, 410].includes(s),
};

const CATCH_STATUS: Record<string, string> = { bad_request: '400', unauthorized: '401', forbidden: '403', missing: '404', request_timeout: '408', conflict: '409', gone: '410', unavailable: '503', request: '4xx|5xx' };

function catchStatus(catchParam: string): string {
  return CATCH_STATUS[catchParam] ?? '4xx|5xx';
}

/** The params and bodies of an API call section (ApiCallSection): array params join with commas. */
function apiCall(value: Value): { params: Record<string, string>; bodies: Value[] } {
  const params: Record<string, string> = {};
  const bodies: Value[] = [];
  const addBodyText = (text: string) => bodies.push(...parseJsonStream(text));
  for (const [key, v] of Object.entries(isMap(value) ? value : {})) {
    if (key === 'body') {
      if (typeof v === 'string') addBodyText(v);
      else if (Array.isArray(v)) {
        for (const item of v) {
          if (typeof item === 'string') addBodyText(item);
          else bodies.push(item);
        }
      }
      else bodies.push(v);
      continue;
    }
    const text = (x: Value) => (x instanceof Dbl ? toJson(x) : javaString(x));
    params[key] = Array.isArray(v) ? v.map(text).join(',') : text(v);
  }
  return { params, bodies };
}

function toPlain(v: Value): unknown {
  if (v instanceof Dbl) return v.value;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toPlain);
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}
