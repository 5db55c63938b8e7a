import { EngineError, parsingError, tokenOf } from '../errors.js';
import { parseJson, stringifyJson } from '../json-numbers.js';
import { parseQuery } from './parse-query.js';
import { isObject } from './parse-util.js';
import { compileMustache } from './script/mustache.js';
import type { MustacheTemplate } from './script/mustache.js';
import type { ScriptPolicy } from './script/script-spec.js';

type Json = Record<string, unknown>;

/**
 * Search templates as lang-mustache's SearchTemplateRequest and TransportSearchTemplateAction
 * handle them: the request body (`source` as an object or a string, or the `id` of a stored
 * script; `params`, `explain`, `profile`), the template rendered in the `template` script
 * context, and the rendered text read as a search body.
 */
export interface SearchTemplateRequest {
  /** Inline template source (an object source is kept as its JSON text). */
  source?: string;
  /** A stored script's id. */
  id?: string;
  params: Json;
  explain: boolean;
  profile: boolean;
}

const FIELDS = ['source', 'inline', 'template', 'id', 'params', 'explain', 'profile'];


function fieldError(field: string, value: unknown): EngineError {
  return new EngineError(400, 'x_content_parse_exception', `[1:1] [search_template] ${field} doesn't support values of type: ${tokenOf(value)}`);
}

function bool(field: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw fieldError(field, value);
}

/** SearchTemplateRequest.fromXContent (an ObjectParser named `search_template`). */
export function parseSearchTemplateRequest(body: Json): SearchTemplateRequest {
  const out: SearchTemplateRequest = { params: {}, explain: false, profile: false };
  for (const [key, value] of Object.entries(body)) {
    if (!FIELDS.includes(key)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [search_template] unknown field [${key}]`);
    switch (key) {
      case 'params':
        if (!isObject(value)) throw fieldError(key, value);
        out.params = value;
        break;
      case 'id':
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw fieldError(key, value);
        out.id = String(value);
        delete out.source;
        break;
      case 'explain':
        out.explain = bool(key, value);
        break;
      case 'profile':
        out.profile = bool(key, value);
        break;
      default:
        // source, inline, template: an object is converted to JSON, which the template then is
        if (isObject(value)) out.source = stringifyJson(value);
        else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.source = String(value);
        else throw fieldError(key, value);
        delete out.id;
    }
  }
  return out;
}

/** SearchTemplateRequest.validate: the problems that fail the request before it runs. */
export function templateValidationErrors(req: SearchTemplateRequest): string[] {
  const errors: string[] = [];
  const script = req.source ?? req.id;
  if (script === undefined || script === '') errors.push('template is missing');
  if (script === undefined) errors.push("template's script type is missing");
  return errors;
}

export function validationFailed(errors: string[]): EngineError {
  return new EngineError(400, 'action_request_validation_exception', `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`);
}

/**
 * ScriptService.compile(script, TemplateScript.CONTEXT): the type and context allowed, a stored
 * script looked up (resource_not_found when absent), its `content_type` option choosing the encoder.
 */
export function compileSearchTemplate(ref: { source?: string; id?: string }, policy: ScriptPolicy): MustacheTemplate {
  const type = ref.id !== undefined ? 'stored' : 'inline';
  if (policy.allowedTypes && !policy.allowedTypes.has(type)) throw new EngineError(400, 'illegal_argument_exception', `cannot execute [${type}] scripts`);
  if (policy.allowedContexts && !policy.allowedContexts.has('template')) throw new EngineError(400, 'illegal_argument_exception', 'cannot execute scripts using [template] context');
  if (ref.id === undefined) return compileMustache(ref.source ?? '');
  const stored = policy.stored(ref.id);
  if (!stored) throw new EngineError(404, 'resource_not_found_exception', `unable to find script [${ref.id}] in cluster state`);
  if (stored.lang !== 'mustache') throw new EngineError(400, 'illegal_argument_exception', `${stored.lang} does not know how to handle context [template]`);
  const contentType = stored.options?.content_type;
  return compileMustache(stored.source, typeof contentType === 'string' ? contentType : undefined);
}

/** The template of a search template request, compiled and executed with its params. */
export function renderSearchTemplate(req: SearchTemplateRequest, policy: ScriptPolicy): string {
  return compileSearchTemplate(req, policy).render(req.params);
}

// ---------------------------------------------------------------------------------------------
// the rendered text as JSON

interface Scan {
  /** End of the last member of the top-level object whose value was complete. */
  completedEnd: number;
  /** The containers still open at the end, innermost last. */
  open: ('OBJECT' | 'ARRAY')[];
  inString: boolean;
}

/** Where a truncated JSON text stops: its open containers, and the top-level members that were complete. */
function scanTruncated(text: string): Scan {
  const open: ('OBJECT' | 'ARRAY')[] = [];
  let completedEnd = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') open.push(c === '{' ? 'OBJECT' : 'ARRAY');
    else if (c === '}' || c === ']') {
      open.pop();
      if (open.length === 1 && open[0] === 'OBJECT') completedEnd = i + 1;
    } else if (c === ',' && open.length === 1 && open[0] === 'OBJECT') completedEnd = i;
  }
  return { completedEnd, open, inString };
}

function position(text: string): string {
  const lines = text.split('\n');
  return `[${lines.length}:${(lines[lines.length - 1] ?? '').length + 1}]`;
}

function isEndOfInput(text: string, error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  if (/end of (JSON )?input/i.test(message)) return true;
  const at = /at position (\d+)/.exec(message);
  return at !== null && Number(at[1]) >= text.trimEnd().length;
}

function parseError(error: unknown): EngineError {
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(400, 'x_content_parse_exception', `[1:1] ${message}`, {}, new EngineError(400, 'json_parse_exception', message));
}

/**
 * The rendered template as a search body. Elasticsearch reads it as a stream, so in a text cut
 * short (`{"query": {"unknown": {}}` ...) a complete `query` is parsed, and its error reported,
 * before the end of the input is: that order is kept here. `asSearch` false (`_render/template`)
 * only reads the JSON.
 */
export function parseRenderedTemplate(text: string, asSearch: boolean): Json {
  if (text.trim() === '') throw parsingError('Expected [START_OBJECT] but found [null]');
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    if (!isEndOfInput(text, error)) throw parseError(error);
    const scan = scanTruncated(text);
    if (asSearch && scan.completedEnd > 0) {
      let partial: unknown;
      try {
        partial = JSON.parse(`${text.slice(0, scan.completedEnd)}}`);
      } catch {
        partial = undefined;
      }
      if (isObject(partial)) {
        if (partial.query !== undefined) parseQuery(partial.query);
        if (partial.post_filter !== undefined) parseQuery(partial.post_filter);
      }
    }
    // Jackson's JsonEOFException messages
    const what = scan.inString ? ' in VALUE_STRING' : scan.open.length > 0 ? `: expected close marker for ${scan.open[scan.open.length - 1] as string}` : ' within/between tokens';
    // XContentEOFException, which Elasticsearch answers with a 500
    throw new EngineError(500, 'x_content_e_o_f_exception', `${position(text)} Unexpected end-of-input${what}`);
  }
  if (!isObject(value)) {
    const found = value === undefined ? 'null' : Array.isArray(value) ? 'START_ARRAY' : 'VALUE';
    throw parsingError(`Expected [START_OBJECT] but found [${found}]`);
  }
  return value;
}
