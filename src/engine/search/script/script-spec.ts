import type { FieldInfo } from '../../contract.js';
import { EngineError, unsupported } from '../../errors.js';
import { isObject } from '../parse-util.js';
import { compilePainless } from './painless.js';
import type { CompiledScript, ScriptContext } from './painless.js';

/**
 * A `script` as Elasticsearch's Script.parse reads it: a string (inline Painless) or an object
 * with `source` or `id` (a stored script), `lang`, `params`, `options`. Languages other than
 * painless are refused with a 400 naming them.
 */
export interface ScriptSpec {
  /** Inline source; undefined for a stored script. */
  source?: string;
  /** A stored script's id. */
  id?: string;
  params: Record<string, unknown>;
}

/** A stored script as `PUT _scripts/<id>` keeps it. */
export interface StoredScript {
  lang: string;
  source: string;
  options?: Record<string, unknown>;
}

/**
 * What the node allows (ScriptService): `script.allowed_types` (inline, stored; default both) and
 * `script.allowed_contexts` (default all), and the stored scripts of the cluster.
 */
export interface ScriptPolicy {
  stored(id: string): StoredScript | undefined;
  allowedTypes?: ReadonlySet<string>;
  allowedContexts?: ReadonlySet<string>;
}

const KEYS = ['source', 'id', 'lang', 'params', 'options'];

export function parseScript(raw: unknown, where: string): ScriptSpec {
  if (typeof raw === 'string') return { source: raw, params: {} };
  if (!isObject(raw)) throw new EngineError(400, 'x_content_parse_exception', `[${where}] script must be a string or an object`);
  for (const k of Object.keys(raw)) if (!KEYS.includes(k)) throw new EngineError(400, 'x_content_parse_exception', `[script] unknown field [${k}]`);
  if (raw.id !== undefined && raw.source !== undefined) throw new EngineError(400, 'illegal_argument_exception', 'must specify either [source] for an inline script or [id] for a stored script');
  if (raw.params !== undefined && !isObject(raw.params)) throw new EngineError(400, 'x_content_parse_exception', '[script] params must be an object');
  if (raw.options !== undefined && !isObject(raw.options)) throw new EngineError(400, 'x_content_parse_exception', '[script] options must be an object');
  const params = (raw.params as Record<string, unknown> | undefined) ?? {};
  if (raw.id !== undefined) {
    if (raw.lang !== undefined) throw new EngineError(400, 'illegal_argument_exception', `illegally specified <lang> for a stored script`);
    if (raw.options !== undefined) throw new EngineError(400, 'illegal_argument_exception', 'illegally specified <options> for a stored script');
    return { id: String(raw.id), params };
  }
  if (typeof raw.source !== 'string') throw new EngineError(400, 'illegal_argument_exception', 'must specify either [source] for an inline script or [id] for a stored script');
  checkLang(raw.lang ?? 'painless', where);
  return { source: raw.source, params };
}

function checkLang(lang: unknown, where: string): void {
  if (lang === 'painless') return;
  if (lang === 'expression' || lang === 'mustache') throw unsupported(`script lang [${String(lang)}] in ${where}`);
  throw new EngineError(400, 'illegal_argument_exception', `script_lang not supported [${String(lang)}]`);
}

/**
 * The source of a script as ScriptService.compile sees it: the type and context allowed, a
 * stored script looked up (resource_not_found when absent).
 */
export function scriptSource(spec: ScriptSpec, contextName: string, policy: ScriptPolicy | undefined, where = contextName): string {
  const type = spec.id !== undefined ? 'stored' : 'inline';
  if (policy?.allowedTypes && !policy.allowedTypes.has(type)) throw new EngineError(400, 'illegal_argument_exception', `cannot execute [${type}] scripts`);
  if (policy?.allowedContexts && !policy.allowedContexts.has(contextName)) throw new EngineError(400, 'illegal_argument_exception', `cannot execute scripts using [${contextName}] context`);
  if (spec.id === undefined) return spec.source as string;
  if (!policy) throw unsupported(`stored script [${spec.id}] in ${where}`);
  const stored = policy.stored(spec.id);
  if (!stored) throw new EngineError(404, 'resource_not_found_exception', `unable to find script [${spec.id}] in cluster state`);
  checkLang(stored.lang, where);
  return stored.source;
}

/**
 * Compiles a parsed script against a mapping in a script context (`score`, `filter`, `field`,
 * `aggs_map`, ...), as the policy allows.
 */
export function compileScript(
  spec: ScriptSpec,
  field: (path: string) => FieldInfo | undefined,
  hasScore: boolean,
  contextName: string,
  policy?: ScriptPolicy,
  context: ScriptContext = { doc: true },
): CompiledScript {
  return compilePainless(scriptSource(spec, contextName, policy), spec.params, field, hasScore, context);
}
