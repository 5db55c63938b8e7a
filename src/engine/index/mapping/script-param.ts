import { unsupported } from '../../errors.js';
import { mapperParsing } from './mapping-errors.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `script` parameter of a runtime field or of a mapped field (Script.parse), as
 * Script.toXContent prints an inline script: `source`, `lang`, then `options` and `params` when
 * given. `owner` names the field in errors (`runtime field [x]`, `field [x]`).
 */
export function scriptJson(raw: unknown, owner: string): Json {
  if (typeof raw === 'string') return { source: raw, lang: 'painless' };
  if (!isRecord(raw)) throw mapperParsing(`Failed to parse mapping: Error parsing [script] on ${owner}`);
  for (const key of Object.keys(raw)) {
    if (!['source', 'id', 'lang', 'params', 'options'].includes(key)) throw mapperParsing(`Failed to parse mapping: [script] unknown field [${key}]`);
  }
  if (raw.id !== undefined) throw unsupported(`a stored script in ${owner}`);
  if (typeof raw.source !== 'string') throw mapperParsing(`Failed to parse mapping: must specify either [source] for an inline script or [id] for a stored script`);
  const lang = raw.lang ?? 'painless';
  if (lang !== 'painless') throw unsupported(`script lang [${String(lang)}] in ${owner}`);
  if (raw.params !== undefined && !isRecord(raw.params)) throw mapperParsing(`Failed to parse mapping: [script] params must be an object`);
  const out: Json = { source: raw.source, lang: 'painless' };
  if (isRecord(raw.options) && Object.keys(raw.options).length > 0) out.options = raw.options;
  if (isRecord(raw.params) && Object.keys(raw.params).length > 0) out.params = raw.params;
  return out;
}

/** `on_script_error` (OnScriptError): `fail` (the default) or `continue`. */
export function onScriptError(value: unknown): 'fail' | 'continue' {
  if (value === undefined || value === 'fail') return 'fail';
  if (value === 'continue') return 'continue';
  throw mapperParsing(`Failed to parse mapping: Unknown value [${String(value)}] for field [on_script_error] - accepted values are [fail, continue]`);
}
