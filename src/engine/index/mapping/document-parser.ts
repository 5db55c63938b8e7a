import { EngineError, illegalArgument } from '../../errors.js';
import { FEATURE_META_FIELD, checkFeatureValue, encodeFeature, featureColumn, parseFeatureFloat } from '../../rank-feature.js';
import type { CompletionEntry, ParsedChild, ParsedDocument, ParsedField, ParsedFields } from '../parsed-document.js';
import { emptyField } from '../parsed-document.js';
import { compileDateFormat, looksLikeDate } from './date-format.js';
import type { DynamicMode, FieldMapper, Mapper, ObjectMapper } from './mapper-types.js';
import type { Mapping } from './mapping.js';
import { depthExceeded, documentParsing, fieldParseFailure, strictDynamic } from './mapping-errors.js';
import { VALUE_CONVERTERS } from './value-parsers.js';
import { runIndexTimeScripts } from './index-time-scripts.js';
import { resolveContexts } from './completion-contexts.js';
import { PHRASE_FIELD_SUFFIX, analyzeWithEnd, fixedShingles } from '../../analysis/fixed-shingles.js';
import { detectedType, templateMapping } from './dynamic-templates.js';
import { isRangeType } from '../../range-field.js';
import { flattenLeaves } from './flattened-field.js';
import { Joiner, parseJoinValue } from './join-field.js';
import { encodeNanos, nanosField, nanosToMillis } from '../../date-nanos.js';
import { indexDenseVector, dynamicDenseVector } from './dense-vector-parsing.js';

import { copyNumberForm, writtenAsDouble } from '../../json-numbers.js';

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

/** Whether Long.parseLong reads `digits` (an optional sign and digits): within a Java long. */
function isJavaLong(digits: string): boolean {
  const n = BigInt(digits);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** Whether the first non-null number of `value` (at `holder[key]`) was written as a double (`230.0`, `1e2`): Jackson's token type. */
function firstWrittenAsDouble(value: unknown, holder: unknown, key: string | number): boolean {
  if (!Array.isArray(value)) return writtenAsDouble(holder, key);
  for (const [i, item] of value.entries()) {
    if (item === null || item === undefined) continue;
    return firstWrittenAsDouble(item, value, i);
  }
  return false;
}

/** The Jackson token a JSON value starts with (what parsing errors name). */
function jsonToken(value: unknown): string {
  if (value === null || value === undefined) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (typeof value === 'number') return 'VALUE_NUMBER';
  return 'VALUE_STRING';
}

interface Walk {
  id: string | undefined;
  /** The root document's fields (what a nested object with include_in_root adds to). */
  rootFields?: ParsedFields;
  /** The write's custom routing (a join field's child relation requires one). */
  routing?: string | undefined;
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
 * Adds a nested document's fields to another document, as Lucene adds further instances of a field:
 * a text field's positions continue after the values it already has (its position_increment_gap
 * already counted in `nextPosition`), its length adds up, values append.
 */
function includeFields(target: ParsedFields, source: ParsedFields): void {
  for (const [path, from] of source) {
    let to = target.get(path);
    if (!to) target.set(path, (to = emptyField(from.indexed, from.docValues)));
    if (from.terms) {
      const base = to.terms && to.terms.length > 0 ? to.nextPosition : 0;
      (to.terms ??= []).push(...from.terms);
      const positions = (to.positions ??= []);
      for (const position of from.positions ?? []) positions.push(base + position);
      to.nextPosition = base + from.nextPosition;
    }
    to.length += from.length;
    if (from.keywords) (to.keywords ??= []).push(...from.keywords);
    if (from.numbers) (to.numbers ??= []).push(...from.numbers);
    if (from.completions) (to.completions ??= []).push(...from.completions);
  }
}

/**
 * Turns a `_source` into per-field indexable values following the mapping, adding dynamic
 * fields to the mapping as Elasticsearch's dynamic mapping does.
 */
export class DocumentParser {
  /**
   * `dynamicUpdates` false: fields the mapping lacks are left out instead of added to it (a document
   * parsed only to be read). `checkPercolatorQuery` validates a percolator field's query against the
   * mapping (throws the reason it is refused). `countsOverlaps` says whether a text field's
   * similarity (its mapping's `similarity` name) counts overlapping tokens in the field length
   * (`discount_overlaps: false`); they are discounted otherwise.
   */
  constructor(
    private readonly mapping: Mapping,
    private readonly dynamicUpdates = true,
    private readonly checkPercolatorQuery?: (query: unknown) => void,
    private readonly countsOverlaps?: (similarity: string | undefined) => boolean,
  ) {}

  parse(source: Json, id: string | undefined, routing?: string): ParsedDocument {
    const walk: Walk = { id, routing, fields: new Map(), children: [], ignored: new Set(), values: new Map(), contextFields: new Map() };
    this.walkObject(source, this.mapping.root, '', this.mapping.rootDynamic, walk);
    this.runScripts(source, walk);
    for (const [path, mapper] of walk.contextFields) {
      const pathValues = (p: string): unknown[] => walk.values.get(p) ?? [];
      for (const entry of walk.fields.get(path)?.completions ?? []) {
        entry.contexts = resolveContexts(path, mapper.info.completion!.contexts!, entry.given, pathValues);
        delete entry.given;
      }
    }
    if (walk.ignored.size > 0) walk.fields.set(IGNORED_FIELD, { ...emptyField(true, true), keywords: [...walk.ignored] });
    if (this.dynamicUpdates && this.mapping.dataStreamTimestamp && this.mapping.modes.indexMode === 'standard') checkTimestampCount(walk.fields.get('@timestamp'));
    return { fields: walk.fields, children: walk.children };
  }

  /** The mapping's index-time scripts on the parsed document (DocumentParser.executeIndexTimeScripts). */
  private runScripts(source: Json, walk: Walk): void {
    const scripted = this.mapping.indexTimeScripts;
    if (scripted.length === 0) return;
    runIndexTimeScripts(scripted, {
      fields: walk.fields,
      source,
      storedValues: () => {
        const out = new Map<string, unknown[]>();
        for (const [path, values] of walk.values) if (this.mapping.leaf(path)?.info.stored) out.set(path, values);
        return out;
      },
      index: (mapper, values) => {
        // every value is checked before any is indexed: a failing script leaves the field empty
        for (const v of values) if ('json' in v) VALUE_CONVERTERS[mapper.type](mapper, v.json);
        for (const v of values) {
          if ('json' in v) {
            this.indexLeaf(mapper, v.json, walk);
            continue;
          }
          let field = walk.fields.get(mapper.path);
          if (!field) walk.fields.set(mapper.path, (field = emptyField(mapper.info.indexed, mapper.info.docValues)));
          (field.numbers ??= []).push(v.millis);
        }
      },
      ignore: (path) => walk.ignored.add(path),
    });
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
        const inner = { [key.slice(dot + 1)]: value };
        copyNumberForm(object, key, inner, key.slice(dot + 1));
        this.walkObject({ [key.slice(0, dot)]: inner }, mapper, prefix, inherited, walk);
        continue;
      }
      const path = prefix ? `${prefix}.${key}` : key;
      let child = mapper.properties.get(key) ?? this.mapping.mapperAt(path);
      if (!child) {
        if (value === null || value === undefined) continue;
        if (dynamic === 'strict') throw strictDynamic(key, mapper.path || '_doc');
        if (dynamic === 'false') continue;
        if (dynamic === 'runtime' && !isRecord(firstNonNull(value))) {
          this.addRuntime(path, value, walk.ignored);
          continue;
        }
        const definition = (mapper.type === 'nested' ? undefined : this.denseVectorDefinition(value, path)) ?? this.dynamicDefinition(value, path, object, key);
        if (!definition) continue;
        if (this.mapping.dynamicBeyondLimit(definition)) {
          walk.ignored.add(path);
          continue;
        }
        this.addDynamic(path, definition);
        child = this.mapping.mapperAt(path);
        if (!child) continue;
      }
      if (child.kind === 'object') this.walkObjectValue(value, child, path, dynamic, walk);
      else if (child.kind === 'alias') throw aliasWrite(child.path);
      else if (child.type === 'dense_vector') this.indexVector(child, value, walk);
      else if (child.type === 'flattened') this.indexFlattened(child, value, walk);
      else if (child.type === 'percolator') this.indexPercolator(child, value, walk);
      else if (child.type === 'rank_features') this.indexRankFeatures(child, value, walk);
      else if (child.type === 'join') this.indexJoin(child, value, walk);
      else this.indexLeafValues(child, value, walk);
    }
  }

  /** A join field's value: the relation name as a keyword, the links in the hidden `<join>#<parent>` fields. */
  private indexJoin(mapper: FieldMapper, value: unknown, walk: Walk): void {
    let parsed;
    try {
      parsed = parseJoinValue(new Joiner(mapper.path, mapper.info.join?.relations ?? []), value, walk.id, walk.routing);
    } catch (error) {
      if (!(error instanceof EngineError) || /is not supported by the indexkit embedded engine/.test(error.message)) throw error;
      throw documentParsing(`failed to parse: ${error.message}`, error);
    }
    walk.fields.set(mapper.path, { ...emptyField(true, true), keywords: [parsed.name] });
    for (const link of parsed.links) walk.fields.set(link.field, { ...emptyField(true, true), keywords: [link.value] });
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
      if (dynamic === 'false') return;
      if (dynamic === 'runtime') {
        if (!isRecord(firstNonNull(value))) this.addRuntime(path, value, walk.ignored);
        return;
      }
      const definition = this.dynamicDefinition(value, path);
      if (!definition) return;
      if (definition.type === 'nested' || definition.type === 'object') {
        throw documentParsing(`Tried to add ${definition.type === 'nested' ? 'nested ' : 'sub'}object [${name}] to object [${mapper.path || '_doc'}] which does not support subobjects`);
      }
      if (this.mapping.dynamicBeyondLimit(definition)) {
        walk.ignored.add(path);
        return;
      }
      this.addDynamicAt(mapper.path, name, definition);
      child = this.flatChild(mapper, name);
      if (!child) return;
    }
    if (child.kind === 'object') return;
    if (child.kind === 'alias') throw aliasWrite(child.path);
    if (child.type === 'flattened') this.indexFlattened(child, value, walk);
    else if (child.type === 'rank_features') this.indexRankFeatures(child, value, walk);
    else if (child.type === 'dense_vector') this.indexVector(child, value, walk);
    else if (child.type === 'join') this.indexJoin(child, value, walk);
    else this.indexLeafValues(child, value, walk);
  }

  /** A dense_vector value: dims set by the first one when the mapping has none, then the vector as its doc value. */
  private indexVector(mapper: FieldMapper, value: unknown, walk: Walk): void {
    indexDenseVector(mapper, value, walk.id, walk.fields, (definition) => {
      this.addDynamic(mapper.path, definition);
      return this.mapping.leaf(mapper.path);
    });
  }

  /** DocumentParser: a new field given an array of 128 to 4,096 floats is mapped as a dense_vector (8.11+). */
  private denseVectorDefinition(value: unknown, path: string): Json | undefined {
    if (this.mapping.dynamicTemplates.length > 0 && templateMapping(this.mapping.dynamicTemplates, path, 'double') !== undefined) return undefined;
    return dynamicDenseVector(value);
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
        const rootFields = walk.rootFields ?? walk.fields;
        const child: Walk = { id: walk.id, rootFields, fields: new Map(), children: walk.children, ignored: walk.ignored, values: new Map(), contextFields: walk.contextFields };
        this.walkObject(item, mapper, path, dynamic, child);
        walk.children.push({ path, offset, fields: child.fields });
        // DocumentParser.nested: the nested document's fields (those it took from its own nested
        // objects included) are added to its parent and/or the root document, the root only once
        if (mapper.includeInParent) includeFields(walk.fields, child.fields);
        if (mapper.includeInRoot && (!mapper.includeInParent || walk.fields !== rootFields)) includeFields(rootFields, child.fields);
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
    // FieldMapper.parse of a field with a script: its values come from the script only
    if (mapper.info.indexScript) throw fieldParseFailure(mapper.path, mapper.type, walk.id, value, illegalArgument('Cannot index data directly into a field with a [script] parameter'));
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
        if (definition && this.mapping.dynamicBeyondLimit(definition)) {
          walk.ignored.add(target);
          continue;
        }
        if (definition) this.addDynamic(target, definition);
        targetMapper = this.mapping.leaf(target);
      }
      if (!targetMapper && this.mapping.mapperAt(target)?.kind === 'alias') throw documentParsing(`Cannot copy to a field alias [${target}].`);
      if (targetMapper?.info.indexScript) throw fieldParseFailure(targetMapper.path, targetMapper.type, walk.id, actual, illegalArgument('Cannot index data directly into a field with a [script] parameter'));
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
  /**
   * PercolatorFieldMapper.parse: one query per document, parsed and converted with the mapping of
   * the moment (unmapped fields refused); kept as its JSON in doc values for the percolate query.
   */
  private indexPercolator(mapper: FieldMapper, value: unknown, walk: Walk): void {
    for (const query of Array.isArray(value) ? value : [value]) {
      if (walk.fields.has(mapper.path)) {
        const reason = 'a document can only contain one percolator query';
        throw documentParsing(`failed to parse: ${reason}`, new EngineError(400, 'illegal_argument_exception', reason));
      }
      try {
        this.checkPercolatorQuery?.(query);
      } catch (error) {
        if (error instanceof EngineError) throw documentParsing(`failed to parse: ${error.message}`, error);
        throw error;
      }
      walk.fields.set(mapper.path, { ...emptyField(false, true), keywords: [JSON.stringify(query)] });
    }
  }

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

  /**
   * RankFeaturesFieldMapper.parse: an object (or an array of them) of feature -> positive float,
   * each a FeatureField of the field (inverted for a negative score impact); a null feature is skipped.
   */
  private indexRankFeatures(mapper: FieldMapper, value: unknown, walk: Walk): void {
    const fail = (reason: string): EngineError => documentParsing(`failed to parse: ${reason}`, illegalArgument(reason));
    if (Array.isArray(value)) {
      for (const item of value) this.indexRankFeatures(mapper, item, walk);
      return;
    }
    if (!isRecord(value)) throw fail(`[rank_features] fields must be json objects, expected a START_OBJECT but got: ${jsonToken(value)}`);
    for (const [feature, v] of Object.entries(value)) {
      if (v === null) continue;
      if (typeof v !== 'number' && typeof v !== 'string') {
        throw fail(`[rank_features] fields take hashes that map a feature to a strictly positive float, but got unexpected token ${jsonToken(v)}`);
      }
      let freq: number;
      try {
        let f = parseFeatureFloat(v);
        if (walk.fields.has(featureColumn(mapper.path, feature))) {
          throw illegalArgument(`[rank_features] fields do not support indexing multiple values for the same rank feature [${mapper.path}.${feature}] in the same document`);
        }
        if (mapper.info.positiveScoreImpact === false) f = Math.fround(1 / f);
        freq = encodeFeature(checkFeatureValue(f, feature, mapper.path));
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        throw fail(error.message);
      }
      this.addFeature(walk, featureColumn(mapper.path, feature), freq);
    }
  }

  /** One FeatureField: its frequency as the only value of the feature's hidden column. */
  private addFeature(walk: Walk, column: string, freq: number): void {
    walk.fields.set(column, { ...emptyField(false, true), numbers: [freq] });
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
      case 'feature': {
        // RankFeatureFieldMapper: one FeatureField per document
        const column = featureColumn(FEATURE_META_FIELD, mapper.path);
        if (walk.fields.has(column)) {
          const reason = `[rank_feature] fields do not support indexing multiple values for the same field [${mapper.path}] in the same document`;
          throw fieldParseFailure(mapper.path, mapper.type, walk.id, value, illegalArgument(reason));
        }
        this.addFeature(walk, column, converted.value);
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
    // FieldInvertState: the length counts every token; numOverlap those at the previous token's position
    const discount = !this.countsOverlaps?.(mapper.info.similarity);
    let last = -1;
    let length = 0;
    for (const token of tokens) {
      const position = base + token.position;
      terms.push(token.term);
      positions.push(position);
      if (position !== last || !discount) length++;
      last = position;
    }
    field.length += length;
    const gap = mapper.params.position_increment_gap !== undefined ? Number(mapper.params.position_increment_gap) : analyzer.positionIncrementGap;
    field.nextPosition = (last >= 0 ? last : base - 1) + gap + 1;
  }

  /** What dynamic mapping adds for a new field: the first fitting dynamic template's mapping, else the default detection's. */
  private dynamicDefinition(value: unknown, path: string, holder?: unknown, key?: string | number): Json | undefined {
    if (!this.dynamicUpdates) return undefined;
    const detected = this.detectedDefinition(value, holder, key);
    if (!detected) return undefined;
    const templates = this.mapping.dynamicTemplates;
    return (templates.length > 0 ? templateMapping(templates, path, detectedType(detected)) : undefined) ?? detected;
  }

  /** What dynamic mapping adds for a new value, as Elasticsearch's default detection does. */
  private detectedDefinition(value: unknown, holder?: unknown, key?: string | number): Json | undefined {
    const sample = firstNonNull(value);
    if (sample === undefined || sample === null) return undefined;
    if (typeof sample === 'boolean') return { type: 'boolean' };
    if (typeof sample === 'number') {
      const double = !Number.isInteger(sample) || (key !== undefined && firstWrittenAsDouble(value, holder, key));
      return { type: double ? 'float' : 'long' };
    }
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
      // DocumentParser: Long.parseLong first (digits only), then Double.parseDouble ("230.0" is a float)
      return { type: /^[+-]?\d+$/.test(sample) && isJavaLong(sample) ? 'long' : 'float' };
    }
    return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  }

  /**
   * `dynamic: runtime` (DynamicFieldsBuilder's runtime mode): a new leaf becomes a runtime field
   * without a script (read from `_source`): strings keyword (or date, or a number under
   * numeric_detection), integers long, other numbers double, booleans boolean. Nothing is indexed.
   */
  private addRuntime(path: string, value: unknown, ignored: Set<string>): void {
    if (!this.dynamicUpdates || this.mapping.lookup().field(path)?.runtime) return;
    const detected = this.detectedDefinition(value);
    if (!detected) return;
    const type = detected.type === 'text' ? 'keyword' : detected.type === 'float' ? 'double' : detected.type;
    if (type !== 'keyword' && type !== 'long' && type !== 'double' && type !== 'boolean' && type !== 'date') return;
    const definition: Json = { type };
    if (type === 'date' && detected.format !== undefined) definition.format = detected.format;
    if (this.mapping.ignoreDynamicBeyondLimit && this.mapping.fieldCount() + this.mapping.runtimeFields.length + 1 > this.mapping.fieldLimit) {
      ignored.add(path);
      return;
    }
    this.mapping.merge({ runtime: { [path]: definition } }, true);
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

/** DataStreamTimestampFieldMapper.postParse: a data stream's document has exactly one `@timestamp` value. */
function checkTimestampCount(field: ParsedField | undefined): void {
  const count = field?.numbers?.length ?? field?.keywords?.length ?? 0;
  if (count === 1) return;
  const reason = count === 0 ? 'data stream timestamp field [@timestamp] is missing' : 'data stream timestamp field [@timestamp] encountered multiple values';
  throw documentParsing(`[1:1] failed to parse: ${reason}`, illegalArgument(reason));
}
