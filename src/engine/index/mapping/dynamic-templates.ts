import { unsupported } from '../../errors.js';
import { simpleMatch } from '../../automaton/simple-match.js';
import { mapperParsing } from './mapping-errors.js';

type Json = Record<string, unknown>;

/**
 * `dynamic_templates` (DynamicTemplate): mappings for new fields chosen by their name (`match`,
 * `unmatch`), full path (`path_match`, `path_unmatch`) and detected type (`match_mapping_type`,
 * `unmatch_mapping_type`), the first template that fits winning; `{name}` and `{dynamic_type}`
 * in the mapping are replaced by the field's name and the detected type's default mapping type.
 */
export interface DynamicTemplate {
  name: string;
  match: string[];
  unmatch: string[];
  pathMatch: string[];
  pathUnmatch: string[];
  matchMappingType: string[];
  unmatchMappingType: string[];
  regex: boolean;
  mapping: Json;
}

/** XContentFieldType: what dynamic detection found in a document value. */
export const DETECTED_TYPES = ['object', 'string', 'long', 'double', 'boolean', 'date', 'binary'] as const;
export type DetectedType = (typeof DETECTED_TYPES)[number];

/** XContentFieldType.defaultMappingType: the mapping type a template without `type` gives. */
const DEFAULT_MAPPING_TYPE: Record<DetectedType, string> = { object: 'object', string: 'text', long: 'long', double: 'float', boolean: 'boolean', date: 'date', binary: 'binary' };

const PARAMS = ['match', 'unmatch', 'path_match', 'path_unmatch', 'match_mapping_type', 'unmatch_mapping_type', 'match_pattern', 'mapping', 'runtime'];

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, template: string, key: string): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw mapperParsing(`[${key}] values of dynamic template [${template}] must be strings`);
  return list as string[];
}

/** RootObjectMapper.parseDynamicTemplates: a list of `{name: {conditions..., mapping}}`. */
export function parseDynamicTemplates(value: unknown): DynamicTemplate[] {
  if (!Array.isArray(value)) throw mapperParsing(`Dynamic template syntax error. An array of named objects is expected.`);
  return value.map((entry) => {
    if (!isRecord(entry) || Object.keys(entry).length !== 1) throw mapperParsing(`Dynamic template syntax error. An array of named objects is expected.`);
    const [name, body] = Object.entries(entry)[0]!;
    if (!isRecord(body)) throw mapperParsing(`Dynamic template syntax error. An array of named objects is expected.`);
    for (const key of Object.keys(body)) if (!PARAMS.includes(key)) throw mapperParsing(`Illegal dynamic template parameter: [${key}]`);
    if (body.runtime !== undefined) throw unsupported('dynamic_templates with runtime fields');
    if (!isRecord(body.mapping)) throw mapperParsing(`template [${name}] must have either mapping or runtime set`);
    const pattern = body.match_pattern === undefined ? 'simple' : String(body.match_pattern);
    if (pattern !== 'simple' && pattern !== 'regex') throw mapperParsing(`No matching pattern found for [${pattern}]`);
    const types = (key: string): string[] => {
      const list = stringList(body[key], name, key);
      for (const t of list) {
        if (t !== '*' && !(DETECTED_TYPES as readonly string[]).includes(t)) throw mapperParsing(`No field type matched on [${t}], possible values are [${DETECTED_TYPES.join(', ')}]`);
      }
      return list;
    };
    const template: DynamicTemplate = {
      name,
      match: stringList(body.match, name, 'match'),
      unmatch: stringList(body.unmatch, name, 'unmatch'),
      pathMatch: stringList(body.path_match, name, 'path_match'),
      pathUnmatch: stringList(body.path_unmatch, name, 'path_unmatch'),
      matchMappingType: types('match_mapping_type'),
      unmatchMappingType: types('unmatch_mapping_type'),
      regex: pattern === 'regex',
      mapping: body.mapping,
    };
    if (template.regex) for (const p of [...template.match, ...template.unmatch, ...template.pathMatch, ...template.pathUnmatch]) toRegex(p, name);
    return template;
  });
}

function toRegex(pattern: string, template: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    throw mapperParsing(`Pattern [${pattern}] of dynamic template [${template}] is not a valid regular expression`);
  }
}

function matchesAny(template: DynamicTemplate, patterns: string[], value: string): boolean {
  return patterns.some((p) => (template.regex ? toRegex(p, template.name).test(value) : simpleMatch(p, value)));
}

/** DynamicTemplate.match: every condition the template sets holds for the field. */
function fits(t: DynamicTemplate, path: string, name: string, type: DetectedType): boolean {
  if (t.match.length > 0 && !matchesAny(t, t.match, name)) return false;
  if (t.unmatch.length > 0 && matchesAny(t, t.unmatch, name)) return false;
  if (t.pathMatch.length > 0 && !matchesAny(t, t.pathMatch, path)) return false;
  if (t.pathUnmatch.length > 0 && matchesAny(t, t.pathUnmatch, path)) return false;
  if (t.matchMappingType.length > 0 && !t.matchMappingType.some((m) => m === '*' || m === type)) return false;
  if (t.unmatchMappingType.length > 0 && t.unmatchMappingType.some((m) => m === '*' || m === type)) return false;
  return true;
}

/** `{name}` and `{dynamic_type}` replaced in every key and string value (DynamicTemplate.processMap). */
function substitute(value: unknown, name: string, dynamicType: string): unknown {
  const text = (s: string): string => s.replaceAll('{name}', name).replaceAll('{dynamic_type}', dynamicType);
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((v) => substitute(v, name, dynamicType));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), substitute(v, name, dynamicType)]));
  return value;
}

/** The mapping the first fitting template gives a new field, or undefined when none fits. */
export function templateMapping(templates: DynamicTemplate[], path: string, type: DetectedType): Json | undefined {
  const name = path.slice(path.lastIndexOf('.') + 1);
  const template = templates.find((t) => fits(t, path, name, type));
  if (!template) return undefined;
  const dynamicType = DEFAULT_MAPPING_TYPE[type];
  const mapping = substitute(template.mapping, name, dynamicType) as Json;
  // Elasticsearch prints `type` first
  if (mapping.type === undefined && !(type === 'object' && mapping.properties !== undefined)) return { type: dynamicType, ...mapping };
  return mapping;
}

/** The type dynamic detection found, from the mapping it would add without templates. */
export function detectedType(definition: Json): DetectedType {
  switch (definition.type) {
    case 'object':
      return 'object';
    case 'boolean':
      return 'boolean';
    case 'long':
      return 'long';
    case 'float':
    case 'double':
      return 'double';
    case 'date':
      return 'date';
    default:
      return 'string';
  }
}

/** RootObjectMapper.merge: templates of the update replace those with the same name, the others are appended. */
export function mergeDynamicTemplates(existing: unknown, incoming: unknown): unknown {
  if (!Array.isArray(existing) || !Array.isArray(incoming)) return incoming;
  const out = [...existing] as Json[];
  for (const entry of incoming as Json[]) {
    const name = isRecord(entry) ? Object.keys(entry)[0] : undefined;
    const at = out.findIndex((e) => isRecord(e) && Object.keys(e)[0] === name);
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  return out;
}
