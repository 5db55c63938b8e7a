import { EngineError, illegalArgument, unsupported } from '../errors.js';
import { parseAliasDefinition } from './alias-definition.js';
import type { AliasMetadata } from './index-service.js';
import type { FlatSettings } from './index-settings.js';
import { flattenSettings, validateSettingKeys, validateSettingValues } from './index-settings.js';
import { stripDocType } from './template-mappings.js';
import { parseLifecycle } from './data-stream-lifecycle.js';
import type { DataStreamLifecycle } from './data-stream-lifecycle.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `template` of a component or composable template (Template): settings, mappings, aliases. */
export interface TemplateBody {
  settings?: FlatSettings;
  mappings?: Json;
  aliases?: Record<string, AliasMetadata>;
  /** The data stream lifecycle (DataStreamLifecycle) its data streams get. */
  lifecycle?: DataStreamLifecycle;
}

export type { DataStreamLifecycle };

/** `PUT _component_template/<name>` (ComponentTemplate). */
export interface ComponentTemplate {
  template: TemplateBody;
  version?: number;
  _meta?: Json;
  deprecated?: boolean;
}

/** `PUT _index_template/<name>` (ComposableIndexTemplate). */
export interface ComposableTemplate {
  index_patterns: string[];
  template?: TemplateBody;
  composed_of: string[];
  priority?: number;
  version?: number;
  _meta?: Json;
  data_stream?: Json;
  allow_auto_create?: boolean;
  ignore_missing_component_templates?: string[];
  deprecated?: boolean;
}

/** `PUT _template/<name>` (IndexTemplateMetadata, the legacy templates). */
export interface LegacyTemplate {
  order: number;
  version?: number;
  index_patterns: string[];
  settings: FlatSettings;
  mappings: Json;
  aliases: Record<string, AliasMetadata>;
}

function unknownField(parser: string, key: string): EngineError {
  return new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] unknown field [${key}]`);
}

function stringList(value: unknown, field: string, parser: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] failed to parse field [${field}]`);
}

function longField(value: unknown, field: string, parser: string): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] failed to parse field [${field}]`);
  return n;
}

function boolField(value: unknown, field: string, parser: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] failed to parse field [${field}]`);
}

function metaField(value: unknown, parser: string): Json {
  if (!isRecord(value)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${parser}] failed to parse field [_meta]`);
  return value;
}

/** Template settings: flat `index.*` keys, checked as index creation checks them (no resets). */
export function parseTemplateSettings(input: unknown): FlatSettings {
  const flat = flattenSettings(input);
  validateSettingKeys(flat, true);
  validateSettingValues(flat);
  const out: FlatSettings = {};
  for (const [key, value] of Object.entries(flat)) if (value !== null) out[key] = value;
  return out;
}

function parseAliases(input: unknown): Record<string, AliasMetadata> {
  if (!isRecord(input)) throw illegalArgument('aliases must be an object');
  const out: Record<string, AliasMetadata> = {};
  for (const [name, definition] of Object.entries(input)) out[name] = parseAliasDefinition(isRecord(definition) ? definition : {});
  return out;
}

function parseMappings(input: unknown): Json {
  if (!isRecord(input)) throw new EngineError(400, 'mapper_parsing_exception', 'Failed to parse mapping: mappings must be an object');
  return stripDocType(input);
}

/** Template.PARSER: `{settings, mappings, aliases, lifecycle}`. */
export function parseTemplateBody(input: unknown): TemplateBody {
  if (!isRecord(input)) throw new EngineError(400, 'x_content_parse_exception', '[1:2] [template] template doesn\'t support values of type: VALUE_STRING');
  const out: TemplateBody = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'settings') {
      if (value !== null) out.settings = parseTemplateSettings(value);
    } else if (key === 'mappings') {
      if (value !== null) out.mappings = parseMappings(value);
    } else if (key === 'aliases') {
      if (value !== null) out.aliases = parseAliases(value);
    } else if (key === 'lifecycle') {
      if (value !== null) out.lifecycle = parseLifecycle(value);
    } else if (key === 'data_stream_options') {
      throw unsupported('data stream options in templates (template.data_stream_options)');
    } else throw unknownField('template', key);
  }
  return out;
}

/** ComponentTemplate.PARSER. */
export function parseComponentTemplate(body: Json): ComponentTemplate {
  let template: TemplateBody | undefined;
  const out: Omit<ComponentTemplate, 'template'> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'template') template = parseTemplateBody(value);
    else if (key === 'version') out.version = longField(value, key, 'component_template');
    else if (key === '_meta') out._meta = metaField(value, 'component_template');
    else if (key === 'deprecated') out.deprecated = boolField(value, key, 'component_template');
    else throw unknownField('component_template', key);
  }
  if (!template) throw new EngineError(400, 'x_content_parse_exception', '[1:2] Required [template]');
  return { template, ...out };
}

/** ComposableIndexTemplate.PARSER. */
export function parseComposableTemplate(body: Json): ComposableTemplate {
  let patterns: string[] | undefined;
  const out: Omit<ComposableTemplate, 'index_patterns' | 'composed_of'> & { composed_of?: string[] } = {};
  const P = 'index_template';
  for (const [key, value] of Object.entries(body)) {
    if (key === 'index_patterns') patterns = stringList(value, key, P);
    else if (key === 'template') {
      if (value !== null) out.template = parseTemplateBody(value);
    } else if (key === 'composed_of') out.composed_of = value === null ? [] : stringList(value, key, P);
    else if (key === 'priority') {
      if (value !== null) out.priority = longField(value, key, P);
    } else if (key === 'version') {
      if (value !== null) out.version = longField(value, key, P);
    } else if (key === '_meta') out._meta = metaField(value, P);
    else if (key === 'data_stream') {
      if (!isRecord(value)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [${P}] failed to parse field [data_stream]`);
      for (const k of Object.keys(value)) {
        // the 8.x failure store (feature-flagged there, `data_stream_options` later) is not built
        if (k === 'failure_store') throw unsupported('data stream failure store (data_stream.failure_store)');
        if (k !== 'hidden' && k !== 'allow_custom_routing') throw unknownField('data_stream_template', k);
      }
      out.data_stream = value;
    } else if (key === 'allow_auto_create') out.allow_auto_create = boolField(value, key, P);
    else if (key === 'ignore_missing_component_templates') out.ignore_missing_component_templates = stringList(value, key, P);
    else if (key === 'deprecated') out.deprecated = boolField(value, key, P);
    else throw unknownField(P, key);
  }
  if (!patterns) throw new EngineError(400, 'x_content_parse_exception', '[1:2] Required [index_patterns]');
  // PutComposableIndexTemplateAction.Request#validate
  if (patterns.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: index patterns are missing;');
  return { index_patterns: patterns, ...out, composed_of: out.composed_of ?? [] };
}

/** PutIndexTemplateRequest.source: a legacy template. */
export function parseLegacyTemplate(body: Json, orderParam: number | undefined): LegacyTemplate {
  const out: LegacyTemplate = { order: orderParam ?? 0, index_patterns: [], settings: {}, mappings: {}, aliases: {} };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'index_patterns' || key === 'template') out.index_patterns = stringList(value, key, 'template');
    else if (key === 'order') out.order = longField(value, key, 'template');
    else if (key === 'version') {
      if (value !== null) out.version = longField(value, key, 'template');
    } else if (key === 'settings') out.settings = parseTemplateSettings(value);
    else if (key === 'mappings') out.mappings = value === null ? {} : parseMappings(value);
    else if (key === 'aliases') out.aliases = parseAliases(value);
    else throw new EngineError(400, 'parse_exception', `unknown key [${key}] in the template `);
  }
  if (out.index_patterns.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: index patterns are missing;');
  return out;
}

/** MetadataIndexTemplateService.validate's name and pattern checks (InvalidIndexTemplateException). */
export function validateTemplateNames(name: string, patterns: readonly string[]): void {
  const errors: string[] = [];
  if (name.includes(' ')) errors.push('name must not contain a space');
  if (name.includes(',')) errors.push("name must not contain a ','");
  if (name.includes('#')) errors.push("name must not contain a '#'");
  if (name.includes('*')) errors.push("name must not contain a '*'");
  if (name.startsWith('_')) errors.push("name must not start with '_'");
  if (name.toLowerCase() !== name) errors.push('name must be lower cased');
  for (const pattern of patterns) {
    if (pattern.includes(' ')) errors.push(`index_patterns [${pattern}] must not contain a space`);
    if (pattern.includes(',')) errors.push(`index_pattern [${pattern}] must not contain a ','`);
    if (pattern.includes('#')) errors.push(`index_pattern [${pattern}] must not contain a '#'`);
    if (pattern.includes('<')) errors.push(`index_pattern [${pattern}] must not contain a '<'`);
    if (pattern.startsWith('_')) errors.push(`index_pattern [${pattern}] must not start with '_'`);
    if (/[\\/?"<>| ,]/.test(pattern)) errors.push(`index_pattern [${pattern}] must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]`);
  }
  if (errors.length > 0) throw invalidTemplate(name, errors.join(', '));
}

/** InvalidIndexTemplateException: `index_template [<name>] invalid, cause [<cause>]`. */
export function invalidTemplate(name: string, cause: string): EngineError {
  return new EngineError(400, 'invalid_index_template_exception', `index_template [${name}] invalid, cause [${cause}]`);
}
