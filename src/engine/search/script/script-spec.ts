import type { FieldInfo } from '../../contract.js';
import { EngineError, unsupported } from '../../errors.js';
import { isObject } from '../parse-util.js';
import { compilePainless } from './painless.js';
import type { CompiledScript } from './painless.js';

/**
 * A `script` as Elasticsearch's Script.parse reads it: a string (inline Painless) or an object
 * with `source`, `lang`, `params`, `options`. Stored scripts (`id`) and languages other than
 * painless are refused with a 400 naming them.
 */
export interface ScriptSpec {
  source: string;
  params: Record<string, unknown>;
}

const KEYS = ['source', 'id', 'lang', 'params', 'options'];

export function parseScript(raw: unknown, where: string): ScriptSpec {
  if (typeof raw === 'string') return { source: raw, params: {} };
  if (!isObject(raw)) throw new EngineError(400, 'x_content_parse_exception', `[${where}] script must be a string or an object`);
  for (const k of Object.keys(raw)) if (!KEYS.includes(k)) throw new EngineError(400, 'x_content_parse_exception', `[script] unknown field [${k}]`);
  if (raw.id !== undefined && raw.source !== undefined) throw new EngineError(400, 'illegal_argument_exception', 'must specify either [source] for an inline script or [id] for a stored script');
  if (raw.id !== undefined) throw unsupported(`stored script [${String(raw.id)}] in ${where}`);
  if (typeof raw.source !== 'string') throw new EngineError(400, 'illegal_argument_exception', 'must specify either [source] for an inline script or [id] for a stored script');
  const lang = raw.lang ?? 'painless';
  if (lang !== 'painless') {
    if (lang === 'expression' || lang === 'mustache') throw unsupported(`script lang [${String(lang)}] in ${where}`);
    throw new EngineError(400, 'illegal_argument_exception', `script_lang not supported [${String(lang)}]`);
  }
  if (raw.params !== undefined && !isObject(raw.params)) throw new EngineError(400, 'x_content_parse_exception', '[script] params must be an object');
  if (raw.options !== undefined && !isObject(raw.options)) throw new EngineError(400, 'x_content_parse_exception', '[script] options must be an object');
  return { source: raw.source, params: (raw.params as Record<string, unknown> | undefined) ?? {} };
}

/** Compiles a parsed script against a mapping. */
export function compileScript(spec: ScriptSpec, field: (path: string) => FieldInfo | undefined, hasScore: boolean): CompiledScript {
  return compilePainless(spec.source, spec.params, field, hasScore);
}
