import type { HunspellNodeSettings } from './analysis/hunspell/hunspell-service.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, unsupported } from './errors.js';
import { writeFileAtomic } from './index/store/record-file.js';
import { parsePainless } from './search/script/painless-parser.js';
import { compileMustache } from './search/script/mustache.js';
import { stringifyJson } from './json-numbers.js';
import type { ScriptPolicy, StoredScript } from './search/script/script-spec.js';

/**
 * Stored scripts (`PUT _scripts/<id>`, ScriptMetadata in the cluster state): kept in
 * `stored-scripts.json` of the data directory, looked up by `{"script": {"id": ...}}`. A painless
 * script is parsed when stored, so a syntax error is the PUT's 400 (ES compiles it there too).
 */
export class StoredScripts {
  private scripts: Record<string, StoredScript> = {};
  private readonly file: string;

  constructor(root: string) {
    this.file = join(root, 'stored-scripts.json');
    if (existsSync(this.file)) this.scripts = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, StoredScript>;
  }

  get(id: string): StoredScript | undefined {
    return Object.hasOwn(this.scripts, id) ? this.scripts[id] : undefined;
  }

  put(id: string, body: unknown): void {
    if (id === '' || /[#]/.test(id)) throw new EngineError(400, 'illegal_argument_exception', `Validation Failed: 1: id cannot contain '#' for stored script;`);
    const script = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).script : undefined;
    if (script === null || typeof script !== 'object' || Array.isArray(script)) throw new EngineError(400, 'parse_exception', 'unable to parse stored script; must specify [script] object');
    const s = script as Record<string, unknown>;
    for (const k of Object.keys(s)) if (!['lang', 'source', 'code', 'options'].includes(k)) throw new EngineError(400, 'x_content_parse_exception', `[script] unknown field [${k}]`);
    const lang = s.lang;
    if (lang === undefined) throw new EngineError(400, 'illegal_argument_exception', 'must specify lang for stored script');
    if (typeof lang !== 'string' || lang === '') throw new EngineError(400, 'illegal_argument_exception', 'lang cannot be empty');
    const raw = s.source ?? s.code;
    // StoredScriptSource.Builder.setSource: an object (a search template) is kept as its JSON text, with a JSON content type
    const objectSource = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
    const source = objectSource ? stringifyJson(raw) : raw;
    if (typeof source !== 'string') throw new EngineError(400, 'illegal_argument_exception', 'must specify source for stored script');
    if (source === '') throw new EngineError(400, 'illegal_argument_exception', 'source cannot be empty');
    let options = s.options as Record<string, unknown> | undefined;
    if (lang === 'mustache') {
      options = { ...(objectSource ? { content_type: JSON_MEDIA_TYPE } : {}), ...options };
      checkMustache(id, source, options);
    } else {
      if (lang !== 'painless') throw new EngineError(400, 'illegal_argument_exception', `script_lang not supported [${lang}]`);
      parsePainless(source);
    }
    this.scripts = { ...this.scripts, [id]: { lang, source, ...(options !== undefined && Object.keys(options).length > 0 ? { options } : {}) } };
    writeFileAtomic(this.file, JSON.stringify(this.scripts));
  }

  /** Removes a stored script; false when there was none. */
  delete(id: string): boolean {
    if (!Object.hasOwn(this.scripts, id)) return false;
    const { [id]: _gone, ...rest } = this.scripts;
    this.scripts = rest;
    writeFileAtomic(this.file, JSON.stringify(this.scripts));
    return true;
  }
}

/** XContentType.JSON.mediaType(): the content type a search template given as an object is kept with. */
const JSON_MEDIA_TYPE = 'application/json;charset=utf-8';

/** StoredScriptSource's options check, then ScriptService.putStoredScript's compile of a mustache template. */
function checkMustache(id: string, source: string, options: Record<string, unknown>): void {
  const keys = Object.keys(options);
  if (keys.length > 1 || (keys.length === 1 && keys[0] !== 'content_type')) {
    throw new EngineError(400, 'illegal_argument_exception', `illegal compiler options [{${Object.entries(options).map(([k, v]) => `${k}=${String(v)}`).join(', ')}}] specified`);
  }
  const contentType = options.content_type;
  try {
    compileMustache(source, typeof contentType === 'string' ? contentType : undefined);
  } catch (error) {
    // an unknown content type (createEncoder's IllegalArgumentException) is wrapped; a compile error is thrown as is
    if (error instanceof EngineError && error.type === 'illegal_argument_exception' && error.message.startsWith('No encoder found')) {
      throw new EngineError(400, 'illegal_argument_exception', `failed to parse/compile stored script [${id}]`, {}, error);
    }
    throw error;
  }
}

/** Node settings the engine reads at start (elasticsearch.yml in Elasticsearch). */
export interface NodeSettings extends HunspellNodeSettings {
  /** `script.allowed_types`: `inline`, `stored`, or `none`; default both. */
  'script.allowed_types'?: string[];
  /** `script.allowed_contexts`: context names (`score`, `filter`, `field`, `aggs_map`, ...) or `none`; default all. */
  'script.allowed_contexts'?: string[];
  /** `script.painless.regex.enabled`: `limited` (the default), `true` or `false`. */
  'script.painless.regex.enabled'?: string | boolean;
  /** `script.painless.regex.limit-factor`: the complexity limit of `limited` regexes (default 6). */
  'script.painless.regex.limit-factor'?: number | string;
}

/**
 * Painless's regex settings (CompilerSettings). `limited` and `true` behave alike here: the
 * engine's regexes run on RE2 automata, linear in the input, so a pattern cannot backtrack
 * catastrophically and the limit factor (Elasticsearch counts the backtracking matcher's charAt
 * calls against limit-factor x input length) is never reached. `false` (every regex a compile
 * error) is not built: scripts are compiled in places that do not see node settings, so it is
 * refused when the node opens rather than ignored.
 */
function checkRegexSettings(node: NodeSettings): void {
  const enabled = node['script.painless.regex.enabled'];
  if (enabled !== undefined && !['true', 'false', 'limited', true, false].includes(enabled)) {
    throw new EngineError(400, 'illegal_argument_exception', `[script.painless.regex.enabled] must be one of [true, false, limited], not [${String(enabled)}]`);
  }
  if (enabled === false || enabled === 'false') throw unsupported('[script.painless.regex.enabled: false] (disabling Painless regexes)');
  const factor = node['script.painless.regex.limit-factor'];
  if (factor !== undefined && !(Number.isInteger(Number(factor)) && Number(factor) >= 1)) {
    throw new EngineError(400, 'illegal_argument_exception', `Failed to parse value [${String(factor)}] for setting [script.painless.regex.limit-factor] must be >= 1`);
  }
}

const TYPES = new Set(['inline', 'stored']);

/** The script policy of the node: its stored scripts and its allowed types and contexts (ScriptService). */
export function scriptPolicy(scripts: StoredScripts, node: NodeSettings = {}): ScriptPolicy {
  checkRegexSettings(node);
  const types = node['script.allowed_types'];
  const contexts = node['script.allowed_contexts'];
  for (const t of types ?? []) if (t !== 'none' && !TYPES.has(t)) throw new EngineError(400, 'illegal_argument_exception', `unknown script type [${t}] found in setting [script.allowed_types].`);
  if (types?.includes('none') && types.length > 1) throw new EngineError(400, 'illegal_argument_exception', 'cannot specify both [none] and other script types in setting [script.allowed_types].');
  if (contexts?.includes('none') && contexts.length > 1) throw new EngineError(400, 'illegal_argument_exception', 'cannot specify both [none] and other script contexts in setting [script.allowed_contexts].');
  return {
    stored: (id) => scripts.get(id),
    ...(types ? { allowedTypes: new Set(types.filter((t) => t !== 'none')) } : {}),
    ...(contexts ? { allowedContexts: new Set(contexts.filter((c) => c !== 'none')) } : {}),
  };
}
