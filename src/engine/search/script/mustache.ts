import { EngineError, unsupported } from '../../errors.js';
import { stringifyJson, writtenAsDouble } from '../../json-numbers.js';
import { javaDouble } from '../aggs/value-format.js';

/**
 * Mustache as Elasticsearch's lang-mustache runs it (mustache.java with its CustomMustacheFactory
 * and CustomReflectionObjectHandler), for search templates and `_rank_eval` templates:
 *
 * - `{{name}}` writes the value's Java `toString` through the encoder of the template's content
 *   type (JSON string escaping by default, as Jackson's quoteAsString; none for `text/plain`; form
 *   URL encoding for `application/x-www-form-urlencoded`); `{{{name}}}` and `{{& name}}` write it
 *   raw; a missing or null value writes nothing.
 * - Dotted names find their first part in the nearest scope holding it, the rest inside it; lists
 *   answer `list.0` (an index) and `list.size`; `{{.}}` is the current scope.
 * - `{{#name}}` repeats over a non-empty list, enters an object or a truthy value once, and skips
 *   null, false, "" and []; `{{^name}}` renders for those; `{{! comment}}`; `{{=<% %>=}}`.
 * - The functions `{{#toJson}}name{{/toJson}}` (a list or object as JSON, another value as its
 *   text), `{{#join}}name{{/join}}` and `{{#join delimiter='x'}}name{{/join delimiter='x'}}` (the
 *   list's values joined, or the name itself when it is not a list), and `{{#url}}...{{/url}}`
 *   (the rendered body form-URL-encoded).
 *
 * Compile errors are mustache.java's messages in a `script_exception`; partials and template
 * inheritance (`{{> x}}`, `{{< x}}`, `{{$ x}}`) are refused with a 400 naming them. Rendering stops
 * at 1 MB of output (Elasticsearch 9's `mustache.max_output_size_bytes` default).
 */

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string; escape: boolean; raw: string }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[] }
  | { kind: 'toJson' | 'join'; variable: string; delimiter: string; body: string }
  | { kind: 'url'; children: Node[] };

type Encoder = (s: string) => string;

/** A compiled template: render it with parameters. */
export interface MustacheTemplate {
  render(params: Record<string, unknown>): string;
}

const TEMPLATE_NAME = 'query-template';
export const MAX_OUTPUT_CHARS = 1024 * 1024;
/** Sections entered and values written, at most, per render: nested sections over lists multiply. */
const MAX_STEPS = 2_000_000;

const JSON_TYPES = ['application/json; charset=UTF-8', 'application/json;charset=utf-8', 'application/json'];

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** Jackson's JsonStringEncoder.quoteAsString: `"`, `\` and control characters escaped (\u00XX in upper case). */
export function jsonEscape(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
  return s.replace(/["\\\u0000-\u001f]/g, (c) => SHORT_ESCAPES[c] ?? `\\u00${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** java.net.URLEncoder.encode(s, UTF_8): letters, digits and `.-*_` kept, space as `+`, the rest %XX. */
export function formUrlEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function encoderFor(contentType: string | undefined): Encoder {
  if (contentType === undefined || JSON_TYPES.includes(contentType)) return jsonEscape;
  if (contentType === 'text/plain') return (s) => s;
  if (contentType === 'application/x-www-form-urlencoded') return formUrlEncode;
  throw new EngineError(400, 'illegal_argument_exception', `No encoder found for media type [${contentType}]`);
}

function mustacheError(message: string, source: string): EngineError {
  return new EngineError(400, 'script_exception', message, { script_stack: [], script: source, lang: 'mustache' }, new EngineError(500, 'mustache_exception', message));
}

// ---------------------------------------------------------------------------------------------
// parsing

interface Frame {
  name: string;
  kind: '#' | '^';
  children: Node[];
  /** Where the opening tag is, for the line an error names. */
  start: number;
}

/** The tag kinds whose line is dropped when the tag stands alone on it (the spec's standalone rule). */
const STANDALONE = new Set(['#', '^', '/', '!', '=']);
const REST_OF_LINE = /[ \t]*(\r?\n|$)/y;

function parse(source: string): Node[] {
  let open = '{{';
  let close = '}}';
  const root: Node[] = [];
  const stack: Frame[] = [];
  let nodes = root;
  let pos = 0;
  const lineAt = (offset: number): number => source.slice(0, offset).split('\n').length;
  const fail = (message: string): never => {
    throw mustacheError(message, source);
  };
  const pushText = (text: string): void => {
    if (text === '') return;
    const last = nodes[nodes.length - 1];
    if (last?.kind === 'text') last.text += text;
    else nodes.push({ kind: 'text', text });
  };
  while (pos < source.length) {
    const start = source.indexOf(open, pos);
    if (start < 0) {
      pushText(source.slice(pos));
      break;
    }
    let tagEnd: number;
    let content: string;
    let sigil = source[start + open.length] ?? '';
    if (sigil === '{' && open === '{{') {
      const end = source.indexOf(close, start + open.length + 1);
      if (end < 0) fail(`Improperly closed variable in ${TEMPLATE_NAME}:${lineAt(start)}`);
      if (source[end + close.length] !== '}') fail(`Improperly closed variable in ${TEMPLATE_NAME}:${lineAt(start)}`);
      content = source.slice(start + open.length + 1, end);
      tagEnd = end + close.length + 1;
    } else if (sigil === '=') {
      const end = source.indexOf(`=${close}`, start + open.length + 1);
      if (end < 0) fail(`Improperly closed variable in ${TEMPLATE_NAME}:${lineAt(start)}`);
      content = source.slice(start + open.length + 1, end);
      tagEnd = end + close.length + 1;
    } else {
      const end = source.indexOf(close, start + open.length);
      if (end < 0) fail(`Improperly closed variable in ${TEMPLATE_NAME}:${lineAt(start)}`);
      content = source.slice(start + open.length, end);
      tagEnd = end + close.length;
      if ('#^/!&><$+'.includes(sigil) && sigil !== '') content = content.slice(1);
      else sigil = '';
    }
    // a section, comment or delimiter tag alone on its line takes the line with it
    let before = source.slice(pos, start);
    let after = tagEnd;
    if (STANDALONE.has(sigil)) {
      const lineStart = source.lastIndexOf('\n', start - 1) + 1;
      REST_OF_LINE.lastIndex = tagEnd;
      const rest = REST_OF_LINE.exec(source);
      if (lineStart >= pos && /^[ \t]*$/.test(source.slice(lineStart, start)) && rest) {
        before = source.slice(pos, lineStart);
        after = tagEnd + rest[0].length;
      }
    }
    pushText(before);
    const line = (): number => lineAt(start);
    const name = content.trim();
    pos = after;
    switch (sigil) {
      case '!':
        break;
      case '=': {
        const parts = name.split(/\s+/);
        if (parts.length !== 2 || parts[0] === '' || parts[1] === '') fail(`Invalid delimiter string in ${TEMPLATE_NAME}:${line()}`);
        [open, close] = parts as [string, string];
        break;
      }
      case '>':
        // CustomMustacheFactory keeps DefaultMustacheFactory's DefaultResolver: a partial is read
        // at compile time from the node's classpath, then from a file relative to its working
        // directory (as `<name>`, the template having no extension); never from stored scripts.
        // What a node answers depends on its JVM's file permissions (the 8.x security manager or
        // 8.18+ entitlements deny the read; with neither, a missing file is "Template <name> not
        // found" and a present one is rendered), so it is refused here rather than imitated.
        throw unsupported(`mustache partials ({{>${name}}})`);
      case '<':
      case '$':
      case '+':
        throw unsupported(`mustache template inheritance ({{${sigil}${name}}})`);
      case '#':
      case '^': {
        if (name === '') fail(`Empty mustache in ${TEMPLATE_NAME}:${line()}`);
        const frame: Frame = { name, kind: sigil, children: [], start };
        stack.push(frame);
        nodes = frame.children;
        break;
      }
      case '/': {
        const frame = stack.pop();
        if (!frame) fail(`Failed to close '${name}' tag @[${TEMPLATE_NAME}:${line()}]`);
        const f = frame as Frame;
        if (f.name !== name) fail(`Mismatched start/end tags: ${f.name} != ${name} in ${TEMPLATE_NAME}:${line()}`);
        nodes = stack.length > 0 ? (stack[stack.length - 1] as Frame).children : root;
        nodes.push(sectionNode(f, source));
        break;
      }
      default: {
        if (name === '') fail(`Empty mustache in ${TEMPLATE_NAME}:${line()}`);
        nodes.push({ kind: 'value', name, escape: sigil === '', raw: source.slice(start, tagEnd) });
      }
    }
  }
  const unclosed = stack.pop();
  if (unclosed) fail(`Failed to close '${unclosed.name}' tag @[${TEMPLATE_NAME}:${lineAt(unclosed.start)}]`);
  return root;
}

const JOIN_WITH_DELIMITER = /^join delimiter='(.*)'$/s;

/** A closed section, or one of Elasticsearch's functions (CustomMustacheVisitor.iterable). */
function sectionNode(frame: Frame, source: string): Node {
  if (frame.kind === '#') {
    const lower = frame.name.toLowerCase();
    if (lower === 'url') return { kind: 'url', children: frame.children };
    const delimiter = lower === 'join' ? ',' : JOIN_WITH_DELIMITER.exec(frame.name)?.[1];
    if (lower === 'tojson' || delimiter !== undefined) {
      const fn = lower === 'tojson' ? 'toJson' : 'join';
      // CustomCode.extractVariableName: the body is one identifier, as text (or a tag's own text)
      if (frame.children.length !== 1) throw mustacheError(`Mustache function [${fn}] must contain one and only one identifier`, source);
      const only = frame.children[0] as Node;
      const variable = only.kind === 'text' ? only.text : only.kind === 'value' ? only.raw : '';
      return { kind: fn, variable, delimiter: delimiter ?? ',', body: variable };
    }
  }
  return { kind: 'section', name: frame.name, inverted: frame.kind === '^', children: frame.children };
}

// ---------------------------------------------------------------------------------------------
// rendering

/** A value and where it came from (for the written form of its numbers). */
interface Found {
  value: unknown;
  container?: unknown;
  key?: string | number;
}

const MISSING: Found = { value: undefined };

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** CollectionMap/ArrayMap.get and Map.get: a list answers `size` and integer indexes. */
function member(scope: unknown, key: string): Found | undefined {
  if (Array.isArray(scope)) {
    if (key === 'size') return { value: scope.length };
    if (!/^[+-]?\d+$/.test(key)) return undefined;
    const index = Number(key);
    if (index < 0 || index >= scope.length) {
      throw new EngineError(500, 'general_script_exception', `Error running ${TEMPLATE_NAME}`, {}, new EngineError(500, 'index_out_of_bounds_exception', `Index ${index} out of bounds for length ${scope.length}`));
    }
    return { value: scope[index], container: scope, key: index };
  }
  if (isMap(scope) && Object.hasOwn(scope, key)) return { value: scope[key], container: scope, key };
  return undefined;
}

/** Java's toString of a parameter value (XContent maps are LinkedHashMaps, lists ArrayLists). */
function javaString(found: Found): string {
  const { value } = found;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    const isDouble = !Number.isInteger(value) || (found.container !== undefined && writtenAsDouble(found.container, found.key as string | number));
    return isDouble ? javaDouble(value) : String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => javaString({ value: v, container: value, key: i })).join(', ')}]`;
  if (isMap(value)) return `{${Object.entries(value).map(([k, v]) => `${k}=${javaString({ value: v, container: value, key: k })}`).join(', ')}}`;
  return String(value);
}

class Renderer {
  private out = '';
  private steps = 0;

  constructor(private readonly encode: Encoder) {}

  run(nodes: Node[], scopes: unknown[]): string {
    this.renderNodes(nodes, scopes);
    return this.out;
  }

  private write(text: string): void {
    this.out += text;
    if (this.out.length > MAX_OUTPUT_CHARS) throw new EngineError(400, 'parse_exception', 'Mustache script result size limit exceeded');
  }

  private step(): void {
    if (++this.steps > MAX_STEPS) throw unsupported(`a mustache template doing more than ${MAX_STEPS} steps (sections over lists within lists)`);
  }

  /** ReflectionObjectHandler.find: the first part in the nearest scope holding it, the rest inside it. */
  private lookup(name: string, scopes: unknown[]): Found {
    if (name === '.') return { value: scopes[scopes.length - 1] };
    const parts = name.split('.');
    let found: Found | undefined;
    for (let i = scopes.length - 1; i >= 0 && found === undefined; i--) {
      const hit = member(scopes[i], parts[0] as string);
      if (hit !== undefined && !(Array.isArray(scopes[i]) && hit.value == null)) found = hit;
    }
    if (found === undefined) return MISSING;
    for (const part of parts.slice(1)) {
      if (found.value === null || found.value === undefined) return MISSING;
      found = member(found.value, part) ?? MISSING;
    }
    return found;
  }

  private renderNodes(nodes: Node[], scopes: unknown[]): void {
    for (const node of nodes) {
      this.step();
      switch (node.kind) {
        case 'text':
          this.write(node.text);
          break;
        case 'value': {
          const found = this.lookup(node.name, scopes);
          if (found.value === null || found.value === undefined) break;
          const text = javaString(found);
          this.write(node.escape ? this.encode(text) : text);
          break;
        }
        case 'section':
          this.section(node.name, node.inverted, node.children, scopes);
          break;
        case 'toJson': {
          const found = this.lookup(node.variable, scopes);
          if (found.value === null || found.value === undefined) break;
          this.write(Array.isArray(found.value) || isMap(found.value) ? stringifyJson(found.value) : javaString(found));
          break;
        }
        case 'join': {
          const { value } = this.lookup(node.variable, scopes);
          this.write(Array.isArray(value) ? value.map((v, i) => javaString({ value: v, container: value, key: i })).join(node.delimiter) : node.body);
          break;
        }
        case 'url': {
          const inner = new Renderer(this.encode);
          inner.steps = this.steps;
          const text = inner.run(node.children, scopes);
          this.steps = inner.steps;
          this.write(formUrlEncode(text));
          break;
        }
      }
    }
  }

  /** BaseObjectHandler.iterate and falsey. */
  private section(name: string, inverted: boolean, children: Node[], scopes: unknown[]): void {
    const { value } = this.lookup(name, scopes);
    const empty = value === null || value === undefined || value === false || value === '' || (Array.isArray(value) && value.length === 0);
    if (inverted) {
      if (empty) this.renderNodes(children, scopes);
      return;
    }
    if (empty) return;
    if (Array.isArray(value)) {
      for (const item of value) this.renderNodes(children, [...scopes, item]);
    } else {
      this.renderNodes(children, [...scopes, value]);
    }
  }
}

/**
 * Compiles a mustache template (MustacheScriptEngine.compile): `contentType` is the script's
 * `content_type` option, JSON by default.
 *
 * @example compileMustache('{"match": {"title": "{{q}}"}}').render({ q: 'say "hi"' }) // {"match": {"title": "say \"hi\""}}
 */
export function compileMustache(source: string, contentType?: string): MustacheTemplate {
  const encode = encoderFor(contentType);
  const nodes = parse(source);
  return { render: (params) => new Renderer(encode).run(nodes, [params]) };
}
