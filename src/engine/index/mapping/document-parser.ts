import { EngineError } from '../../errors.js';
import type { CompletionEntry, ParsedChild, ParsedDocument, ParsedField, ParsedFields } from '../parsed-document.js';
import { emptyField } from '../parsed-document.js';
import { compileDateFormat, looksLikeDate } from './date-format.js';
import type { DynamicMode, FieldMapper, Mapper, ObjectMapper } from './mapper-types.js';
import type { Mapping } from './mapping.js';
import { depthExceeded, documentParsing, fieldParseFailure, strictDynamic } from './mapping-errors.js';
import { VALUE_CONVERTERS } from './value-parsers.js';
import { resolveContexts } from './completion-contexts.js';
import { PHRASE_FIELD_SUFFIX, analyzeWithEnd, fixedShingles } from '../../analysis/fixed-shingles.js';
import { detectedType, templateMapping } from './dynamic-templates.js';
import { isRangeType } from '../../range-field.js';
import { flattenLeaves } from './flattened-field.js';
import { encodeNanos, nanosField, nanosToMillis } from '../../date-nanos.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstNonNull(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  for (const item of value) {
    const inner = firstNonNull(item);
    if (inner !== null && inner !== undefined) return inner;
  }
  return undefined;
}

interface Walk {
  id: string | undefined;
  fields: ParsedFields;
  children: ParsedChild[];
  /** Fields with a value left out (ignore_malformed, ignore_above): the root document's `_ignored`. */
  ignored: Set<string>;
  /** The values each leaf field received, as given (what completion contexts read through `path`). */
  values: Map<string, unknown[]>;
  /** Completion fields with context mappings that received inputs (their contexts are resolved at the end). */
  contextFields: Map<string, FieldMapper>;
}

/** The `_ignored` metadata field (IgnoredFieldMapper): indexed keywords on the root document. */
export const IGNORED_FIELD = '_ignored';

/** DocumentParser: a document value for a field alias. */
const aliasWrite = (path: string): EngineError => documentParsing(`Cannot write to a field alias [${path}].`);

/** The `_routing` metadata field (RoutingFieldMapper): a document's custom routing, indexed as a keyword. */
export const ROUTING_FIELD = '_routing';

/**
 * Turns a `_source` into per-field indexable values following the mapping, adding dynamic
 * fields to the mapping as Elasticsearch's dynamic mapping does.
 */
export class DocumentParser {
  constructor(private readonly mapping: Mapping) {}

  parse(source: Json, id: string | undefined): ParsedDocument {
    const walk: Walk = { id, fields: new Map(), children: [], ignored: new Set(), values: new Map(), contextFields: new Map() };
    this.walkObject(source, this.mapping.root, '', this.mapping.rootDynamic, walk);
    for (const [path, mapper] of walk.contextFields) {
      const pathValues = (p: string): unknown[] => walk.values.get(p) ?? [];
      for (const entry of walk.fields.get(path)?.completions ?? []) {
        entry.contexts = resolveContexts(path, mapper.info.completion!.contexts!, entry.given, pathValues);
        delete entry.given;
      }
    }
    if (walk.ignored.size > 0) walk.fields.set(IGNORED_FIELD, { ...emptyField(true, true), keywords: [...walk.ignored] });
    return { fields: walk.fields, children: walk.children };
  }

  private walkObject(object: Json, mapper: ObjectMapper, prefix: string, inherited: DynamicMode, walk: Walk): void {
    const dynamic = mapper.dynamic ?? inherited;
    for (const key in object) {
      const value = object[key];
      if (key === '') throw documentParsing(`field name cannot be an empty string`);
      if (mapper.subobjects === false) {
        this.walkFlat(key, value, mapper, prefix, dynamic, walk);
        continue;
      }
      if (key.includes('.')) {
        // `{"user.name": "x"}` is the same as `{"user": {"name": "x"}}`.
        const dot = key.indexOf('.');
        this.walkObject({ [key.slice(0, dot)]: { [key.slice(dot + 1)]: value } }, mapper, prefix, inherited, walk);
        continue;
      }
      const path = prefix ? `${prefix}.${key}` : key;
      let child = mapper.properties.get(key) ?? this.mapping.mapperAt(path);
      if (!child) {
        if (value === null || value === undefined) continue;
        if (dynamic === 'strict') throw strictDynamic(key, mapper.path || '_doc');
        if (dynamic === 'false' || dynamic === 'runtime') continue;
        const definition = this.dynamicDefinition(value, path);
        if (!definition) continue;
        this.addDynamic(path, definition);
        child = this.mapping.mapperAt(path);
        if (!child) continue;
      }
      if (child.kind === 'object') this.walkObjectValue(value, child, path, dynamic, walk);
      else if (child.kind === 'alias') throw aliasWrite(child.path);
      else if (child.type === 'flattened') this.indexFlattened(child, value, walk);
      else this.indexLeafValues(child, value, walk);
    }
  }

  /**
   * One entry of an object with `subobjects: false`: `name` (dots and all) is a field of that object;
   * an object value with no field of that name adds its keys to the name (DocumentParser's flatten
   * context: `{time: {max: 1}}` is the field `time.max`).
   */
  private walkFlat(name: string, value: unknown, mapper: ObjectMapper, prefix: string, dynamic: DynamicMode, walk: Walk): void {
    const path = prefix ? `${prefix}.${name}` : name;
    let child = this.flatChild(mapper, name);
    if (!child) {
      if (value === null || value === undefined) return;
      const items = Array.isArray(value) ? value : [value];
      if (items.some(isRecord)) {
        for (const item of items) {
          if (isRecord(item)) for (const key in item) this.walkFlat(`${name}.${key}`, item[key], mapper, prefix, dynamic, walk);
          else if (item !== null && item !== undefined) this.walkFlat(name, item, mapper, prefix, dynamic, walk);
        }
        return;
      }
      if (dynamic === 'strict') throw strictDynamic(name, mapper.path || '_doc');
      if (dynamic === 'false' || dynamic === 'runtime') return;
      const definition = this.dynamicDefinition(value, path);
      if (!definition) return;
      if (definition.type === 'nested' || definition.type === 'object') {
        throw documentParsing(`Tried to add ${definition.type === 'nested' ? 'nested ' : 'sub'}object [${name}] to object [${mapper.path || '_doc'}] which does not support subobjects`);
      }
      this.addDynamicAt(mapper.path, name, definition);
      child = this.flatChild(mapper, name);
      if (!child) return;
    }
    if (child.kind === 'object') return;
    if (child.kind === 'alias') throw aliasWrite(child.path);
    if (child.type === 'flattened') this.indexFlattened(child, value, walk);
    else this.indexLeafValues(child, value, walk);
  }

  /** The field `name` of a `subobjects: false` object, as of the current mapping (dynamic updates rebuild the tree). */
  private flatChild(mapper: ObjectMapper, name: string): Mapper | undefined {
    const current = mapper.path === '' ? this.mapping.root : this.mapping.mapperAt(mapper.path);
    return mapper.properties.get(name) ?? (current?.kind === 'object' ? current.properties.get(name) : undefined);
  }

  private walkObjectValue(value: unknown, mapper: ObjectMapper, path: string, dynamic: DynamicMode, walk: Walk): void {
    if (value === null || value === undefined || !mapper.enabled) return;
    const items = Array.isArray(value) ? value : [value];
    let offset = 0;
    for (const item of items) {
      if (item === null) continue;
      if (Array.isArray(item)) {
        this.walkObjectValue(item, mapper, path, dynamic, walk);
        continue;
      }
      if (!isRecord(item)) {
        throw documentParsing(`object mapping for [${path}] tried to parse field [${path}] as object, but found a concrete value`);
      }
      if (mapper.type === 'nested') {
        const child: Walk = { id: walk.id, fields: new Map(), children: walk.children, ignored: walk.ignored, values: new Map(), contextFields: walk.contextFields };
        this.walkObject(item, mapper, path, dynamic, child);
        walk.children.push({ path, offset, fields: child.fields });
        if (walk.children.length > this.mapping.nestedObjectsLimit) {
          throw documentParsing(
            `The number of nested documents has exceeded the allowed limit of [${this.mapping.nestedObjectsLimit}]. This limit can be set by changing the [index.mapping.nested_objects.limit] index level setting.`,
          );
        }
        offset++;
      } else {
        this.walkObject(item, mapper, path, dynamic, walk);
      }
    }
  }

  private indexLeafValues(mapper: FieldMapper, value: unknown, walk: Walk): void {
    // a geo_point given as [lon, lat] is one value, not two
    const onePoint = mapper.type === 'geo_point' && Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number');
    if (Array.isArray(value) && !onePoint) {
      for (const item of value) this.indexLeafValues(mapper, item, walk);
      return;
    }
    if (mapper.type === 'constant_keyword') return this.checkConstant(mapper, value, walk);
    let actual = value;
    if (actual === null || actual === undefined) {
      if (mapper.nullValue === undefined) return;
      actual = mapper.nullValue;
    }
    const seen = walk.values.get(mapper.path);
    if (seen) seen.push(actual);
    else walk.values.set(mapper.path, [actual]);
    // TokenCountFieldMapper: null_value is the count itself, not a text to analyze
    const givenCount = mapper.type === 'token_count' && actual !== value;
    const entries = this.indexLeaf(mapper, actual, walk, givenCount);
    for (const sub of mapper.multiFields.values()) {
      // CompletionFieldMapper.MultiFieldParser: a completion's sub-fields get each parsed input
      if (entries === undefined) this.indexLeaf(sub, actual, walk);
      else for (const entry of entries) this.indexLeaf(sub, sub.type === 'completion' ? { input: entry.input, weight: entry.weight, ...(entry.given ? { contexts: entry.given } : {}) } : entry.input, walk);
    }
    for (const target of mapper.copyTo) {
      let targetMapper = this.mapping.leaf(target);
      if (!targetMapper && this.mapping.mapperAt(target) === undefined) {
        const definition = this.dynamicDefinition(actual, target);
        if (definition) this.addDynamic(target, definition);
        targetMapper = this.mapping.leaf(target);
      }
      if (!targetMapper && this.mapping.mapperAt(target)?.kind === 'alias') throw documentParsing(`Cannot copy to a field alias [${target}].`);
      if (targetMapper) {
        this.indexLeaf(targetMapper, actual, walk);
        for (const sub of targetMapper.multiFields.values()) this.indexLeaf(sub, actual, walk);
      }
    }
  }

  /**
   * ConstantKeywordFieldMapper.parseCreateField: nothing is indexed; the first value sets the
   * mapping's `value` (a dynamic mapping update), any other value than the mapping's is refused.
   */
  private checkConstant(mapper: FieldMapper, value: unknown, walk: Walk): void {
    const fail = (reason: string, type = 'illegal_argument_exception'): EngineError =>
      fieldParseFailure(mapper.path, mapper.type, walk.id, value, new EngineError(400, type, reason));
    if (isRecord(value)) throw fail(`Can't get text on a START_OBJECT`, 'illegal_state_exception');
    if (value === null || value === undefined) throw fail(`[constant_keyword] field [${mapper.path}] doesn't accept [null] values`);
    const text = String(value);
    const expected = mapper.info.constantValue;
    if (expected === undefined) {
      this.addDynamic(mapper.path, { ...mapper.params, type: 'constant_keyword', value: text });
    } else if (expected !== text) {
      throw fail(`[constant_keyword] field [${mapper.path}] only accepts values that are equal to the value defined in the mappings [${expected}], but got [${text}]`);
    }
  }

  /** A flattened field: every leaf value as a keyword of the root and of its key path's field. */
  private indexFlattened(mapper: FieldMapper, value: unknown, walk: Walk): void {
    const info = mapper.info;
    if (!info.indexed && !info.docValues) return;
    let leaves;
    try {
      leaves = flattenLeaves(mapper, value);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      throw fieldParseFailure(mapper.path, 'flattened', walk.id, value, error);
    }
    const add = (path: string, keyword: string): void => {
      let field = walk.fields.get(path);
      if (!field) walk.fields.set(path, (field = emptyField(info.indexed, info.docValues)));
      (field.keywords ??= []).push(keyword);
    };
    for (const { key, value: keyword } of leaves) {
      if (info.ignoreAbove !== undefined && keyword.length > info.ignoreAbove) {
        walk.ignored.add(mapper.path);
        continue;
      }
      add(mapper.path, keyword);
      add(`${mapper.path}.${key}`, keyword);
    }
  }

  /** Indexes one value of a leaf; returns a completion field's parsed inputs. */
  private indexLeaf(mapper: FieldMapper, value: unknown, walk: Walk, givenCount = false): CompletionEntry[] | undefined {
    if (isRecord(value) && mapper.type !== 'completion' && mapper.type !== 'geo_point' && !isRangeType(mapper.type)) {
      throw fieldParseFailure(mapper.path, mapper.type, walk.id, value, new EngineError(400, 'illegal_state_exception', `Can't get text on a START_OBJECT`));
    }
    let converted;
    try {
      converted = givenCount ? { kind: 'number' as const, value: Number(value) } : VALUE_CONVERTERS[mapper.type](mapper, value);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      if (mapper.ignoreMalformed) {
        walk.ignored.add(mapper.path);
        return undefined;
      }
      throw fieldParseFailure(mapper.path, mapper.type, walk.id, value, error);
    }
    const info = mapper.info;
    let field = walk.fields.get(mapper.path);
    if (!field) {
      field = emptyField(info.indexed, info.docValues);
      walk.fields.set(mapper.path, field);
    }
    switch (converted.kind) {
      case 'text':
        if (info.indexed) {
          if (info.indexPhrases) this.addPhrases(walk, mapper, converted.value);
          this.addText(field, mapper, converted.value);
        }
        break;
      case 'keyword': {
        const normalized = info.normalizer ? info.normalizer.normalize(converted.value) : converted.value;
        if (info.ignoreAbove !== undefined && converted.value.length > info.ignoreAbove) {
          walk.ignored.add(mapper.path);
          break;
        }
        (field.keywords ??= []).push(normalized);
        break;
      }
      case 'number':
        (field.numbers ??= []).push(converted.value);
        break;
      case 'date_nanos': {
        // epoch millis (rounded down) as the numeric doc values, the exact nanos in a companion column
        (field.numbers ??= []).push(nanosToMillis(converted.value));
        const exact = nanosField(mapper.path);
        let column = walk.fields.get(exact);
        if (!column) walk.fields.set(exact, (column = emptyField(false, true)));
        (column.keywords ??= []).push(encodeNanos(converted.value));
        break;
      }
      case 'completion':
        (field.completions ??= []).push(...converted.value);
        for (const entry of converted.value) this.addText(field, mapper, entry.input);
        if (info.completion?.contexts) walk.contextFields.set(mapper.path, mapper);
        return converted.value;
    }
    return undefined;
  }

  /** index_phrases: the value's two-word shingles into the hidden `._index_phrase` field, at the main field's positions. */
  private addPhrases(walk: Walk, mapper: FieldMapper, text: string): void {
    const analyzer = mapper.info.analyzer;
    if (!analyzer) return;
    const path = mapper.path + PHRASE_FIELD_SUFFIX;
    let field = walk.fields.get(path);
    if (!field) walk.fields.set(path, (field = emptyField(true, false)));
    const base = walk.fields.get(mapper.path)?.nextPosition ?? 0;
    const { tokens, endPosition } = analyzeWithEnd(analyzer, text);
    const shingles = fixedShingles(tokens, endPosition);
    const terms = (field.terms ??= []);
    const positions = (field.positions ??= []);
    let last = -1;
    for (const s of shingles) {
      terms.push(s.term);
      positions.push(base + s.position);
      if (s.position !== last) field.length++;
      last = s.position;
    }
  }

  private addText(field: ParsedField, mapper: FieldMapper, text: string): void {
    const analyzer = mapper.info.analyzer;
    if (!analyzer) return;
    const tokens = analyzer.analyze(text);
    const terms = (field.terms ??= []);
    const positions = (field.positions ??= []);
    const base = field.nextPosition;
    let last = -1;
    let length = 0;
    for (const token of tokens) {
      const position = base + token.position;
      terms.push(token.term);
      positions.push(position);
      if (position !== last) length++;
      last = position;
    }
    field.length += length;
    const gap = mapper.params.position_increment_gap !== undefined ? Number(mapper.params.position_increment_gap) : analyzer.positionIncrementGap;
    field.nextPosition = (last >= 0 ? last : base - 1) + gap + 1;
  }

  /** What dynamic mapping adds for a new field: the first fitting dynamic template's mapping, else the default detection's. */
  private dynamicDefinition(value: unknown, path: string): Json | undefined {
    const detected = this.detectedDefinition(value);
    if (!detected) return undefined;
    const templates = this.mapping.dynamicTemplates;
    return (templates.length > 0 ? templateMapping(templates, path, detectedType(detected)) : undefined) ?? detected;
  }

  /** What dynamic mapping adds for a new value, as Elasticsearch's default detection does. */
  private detectedDefinition(value: unknown): Json | undefined {
    const sample = firstNonNull(value);
    if (sample === undefined || sample === null) return undefined;
    if (typeof sample === 'boolean') return { type: 'boolean' };
    if (typeof sample === 'number') return { type: Number.isInteger(sample) ? 'long' : 'float' };
    if (isRecord(sample)) return { type: 'object' };
    if (typeof sample !== 'string') return undefined;
    if (this.mapping.dateDetection) {
      const formats = this.mapping.dynamicDateFormats;
      for (const [i, format] of formats.entries()) {
        const matches = format === 'strict_date_optional_time' ? looksLikeDate(sample) : compileDateFormat(format)?.(sample) !== undefined;
        if (matches) return i === 0 && format === 'strict_date_optional_time' ? { type: 'date' } : { type: 'date', format };
      }
    }
    if (this.mapping.numericDetection && sample.trim() !== '' && !Number.isNaN(Number(sample))) {
      return { type: Number.isInteger(Number(sample)) ? 'long' : 'float' };
    }
    return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  }

  /** Adds the field `name` (kept whole) to the object at `objectPath`, which has `subobjects: false`. */
  private addDynamicAt(objectPath: string, name: string, definition: Json): void {
    const parts = objectPath === '' ? [] : objectPath.split('.');
    if (parts.length + 2 > this.mapping.depthLimit) {
      const error = depthExceeded(this.mapping.depthLimit, [...parts, name].slice(0, this.mapping.depthLimit).join('.'));
      throw documentParsing(`failed to parse: ${error.message}`, error);
    }
    let json: Json = { [name]: definition };
    for (let i = parts.length - 1; i >= 0; i--) json = { [parts[i]!]: { properties: json } };
    this.mergeDynamic(json);
  }

  private addDynamic(path: string, definition: Json): void {
    const parts = path.split('.');
    // Refused before building anything: a 5,000-level document or a 1,000-part dotted name stops here.
    const isObject = definition.type === 'object' || definition.type === 'nested' || definition.properties !== undefined;
    const objectParts = isObject ? parts.length : parts.length - 1;
    if (objectParts + 1 > this.mapping.depthLimit) {
      const error = depthExceeded(this.mapping.depthLimit, parts.slice(0, this.mapping.depthLimit).join('.'));
      throw documentParsing(`failed to parse: ${error.message}`, error);
    }
    let json: Json = { [parts[parts.length - 1]!]: definition };
    for (let i = parts.length - 2; i >= 0; i--) json = { [parts[i]!]: { properties: json } };
    this.mergeDynamic(json);
  }

  private mergeDynamic(json: Json): void {
    try {
      this.mapping.merge({ properties: json }, true);
    } catch (error) {
      if (error instanceof EngineError && (error.message.startsWith('Limit of total fields') || error.message.startsWith('Limit of mapping depth'))) {
        throw documentParsing(`failed to parse: ${error.message}`, error);
      }
      throw error;
    }
  }
}
