import { mergeDynamicTemplates, parseDynamicTemplates } from './dynamic-templates.js';
import type { DynamicTemplate } from './dynamic-templates.js';
import type { AnalysisRegistry, FieldInfo, MappingLookup } from '../../contract.js';
import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import { buildRoot } from './mapper-builder.js';
import type { AliasMapper, DynamicMode, FieldMapper, Mapper, MappingDefaults, ObjectMapper } from './mapper-types.js';
import { depthExceeded, mapperParsing } from './mapping-errors.js';
import { mergeProperties, normalizeProperties } from './mapping-merge.js';
import { flattenedRootOf, keyedFieldInfo } from './flattened-field.js';
import { joinMappingJson, parentIdField, parentIdInfo } from './join-field.js';
import { STANDARD_MODES, checkSourceModeUpdate, resolveSource } from './source-mode.js';
import type { SourceMode, SourceModes } from './source-mode.js';
import { checkSyntheticSupport } from './synthetic-source.js';
import { mergeRuntimeSections, parseRuntimeSection } from './runtime-fields.js';
import type { RuntimeField } from './runtime-fields.js';
import { compileIndexTimeScripts } from './index-time-scripts.js';
import { scriptJson } from './script-param.js';
import type { ScriptedField } from './index-time-scripts.js';

type Json = Record<string, unknown>;

const ROOT_PARAMS = new Set([
  'properties',
  'dynamic',
  '_meta',
  '_source',
  'date_detection',
  'dynamic_date_formats',
  'numeric_detection',
  'dynamic_templates',
  '_routing',
  'runtime',
  'subobjects',
]);

export interface SourceConfig {
  enabled: boolean;
  /** How `_source` is kept: as sent (`stored`), rebuilt from the indexed values (`synthetic`), or not at all. */
  mode: SourceMode;
  includes: string[];
  excludes: string[];
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `_ignored` metadata field: searchable (term, terms, exists) like a keyword, not in `*` expansions. */
const IGNORED_INFO: FieldInfo = { path: '_ignored', type: 'keyword', indexed: true, docValues: true };

/**
 * The `_routing` metadata field: searchable (term, terms, exists, prefix...) like a keyword, not in
 * `*` expansions; sorted and aggregated only with `_routing: {doc_values: true}` (else ES has no fielddata for it).
 */
const ROUTING_INFO: FieldInfo = { path: '_routing', type: 'keyword', indexed: true, docValues: false, metadata: '_routing' };

/**
 * FieldAliasMapper.validate: the target must be another existing field (not the alias itself, not an
 * object, not an alias) in the same nested scope.
 */
function validateAlias(alias: AliasMapper, leaves: ReadonlyMap<string, FieldMapper>, mapperAt: (path: string) => Mapper | undefined): void {
  const invalid = `Invalid [path] value [${alias.target}] for field alias [${alias.path}]`;
  if (alias.target === alias.path) throw mapperParsing(`${invalid}: an alias cannot refer to itself.`);
  const target = leaves.get(alias.target);
  if (!target) {
    if (mapperAt(alias.target)?.kind === 'alias') throw mapperParsing(`${invalid}: an alias cannot refer to another alias.`);
    throw mapperParsing(`${invalid}: an alias must refer to an existing field in the mappings.`);
  }
  const aliasScope = alias.nestedPath;
  const pathScope = target.info.nestedPath;
  if (aliasScope !== pathScope) {
    throw new EngineError(
      400,
      'illegal_argument_exception',
      `${invalid}: an alias must have the same nested scope as its target. ${aliasScope === undefined ? 'The alias is not nested' : `The alias's nested scope is [${aliasScope}]`}, but ${pathScope === undefined ? 'the target is not nested.' : `the target's nested scope is [${pathScope}].`}`,
    );
  }
}

/** A lookup frozen at one mapping version (what an IndexView carries). */
class FrozenLookup implements MappingLookup {
  private readonly routing: FieldInfo;
  private readonly aliases: ReadonlyMap<string, string>;
  constructor(
    private readonly fields: ReadonlyMap<string, FieldInfo>,
    private readonly nested: readonly string[],
    readonly syntheticSource: boolean,
    routingDocValues: boolean,
    aliases: ReadonlyMap<string, string>,
    readonly sourceDisabled: boolean,
    private readonly includes: ReadonlyMap<string, { parent: boolean; root: boolean }> = new Map(),
  ) {
    this.routing = { ...ROUTING_INFO, docValues: routingDocValues };
    this.aliases = new Map(aliases);
  }
  private readonly keyed = new Map<string, FieldInfo>();
  /** A join field's hidden `<join>#<parent>` fields: searchable, not in `*` expansions. */
  private readonly hidden = new Map<string, FieldInfo>();
  field(path: string): FieldInfo | undefined {
    const target = this.aliases.get(path);
    if (target !== undefined) return this.fields.get(target);
    return this.fields.get(path) ?? (path === '_ignored' ? IGNORED_INFO : path === '_routing' ? this.routing : this.hidden.get(path) ?? this.keyedField(path));
  }
  /** Adds the hidden fields of a join field (ParentIdFieldMapper per parent relation). */
  withJoinFields(): this {
    for (const info of this.fields.values()) {
      for (const r of info.join?.relations ?? []) this.hidden.set(parentIdField(info.path, r.parent), parentIdInfo(info.path, r.parent));
    }
    return this;
  }
  aliasTarget(path: string): string | undefined {
    return this.aliases.get(path);
  }
  aliasPaths(): string[] {
    return [...this.aliases.keys()];
  }
  /** A key path under a flattened field (`labels.release`), searched as a keyword of its own. */
  private keyedField(path: string): FieldInfo | undefined {
    let info = this.keyed.get(path);
    if (info) return info;
    const root = flattenedRootOf(path, (p) => this.fields.get(p));
    if (!root) return undefined;
    info = keyedFieldInfo(root, path);
    if (this.keyed.size < 10_000) this.keyed.set(path, info);
    return info;
  }
  fieldPaths(): string[] {
    return [...this.fields.keys()];
  }
  nestedPaths(): string[] {
    return [...this.nested];
  }
  nestedIncludes(path: string): { parent: boolean; root: boolean } | undefined {
    return this.includes.get(path);
  }
}

/**
 * The mapping of one index: the mapper tree plus root options (`_meta`, `_source`, dynamic
 * detection). Mutable (put-mapping, dynamic updates); `lookup()` gives an immutable snapshot.
 */
export class Mapping {
  private json: Json;
  root: ObjectMapper;
  private frozen?: FrozenLookup;
  private readonly leaves = new Map<string, FieldMapper>();
  /** Bumped on every change, so callers can tell when to persist. */
  version = 0;

  private constructor(
    private readonly analysis: AnalysisRegistry,
    json: Json,
    /** `index.mapping.ignore_above`, `.coerce` and `.ignore_malformed`: the defaults of fields that set none. */
    private mappingDefaults: MappingDefaults = {},
    /** The index mode and `index.mapping.source.mode`, which decide with `_source` how the source is kept. */
    readonly modes: SourceModes = STANDARD_MODES,
  ) {
    this.unset = Object.keys(json).length === 0;
    this.json = this.withResolvedSource(json);
    this.root = this.build(this.json);
  }

  /** The definition with its `_source` section as SourceFieldMapper resolves it (see source-mode.ts). */
  private withResolvedSource(json: Json): Json {
    const { json: source } = resolveSource(json._source, this.modes);
    const out: Json = { ...json };
    if (source === undefined) delete out._source;
    else out._source = source;
    if (this.modes.indexMode !== 'standard') out._data_stream_timestamp = { enabled: true };
    return out;
  }

  /** index.mapping.total_fields.limit: objects, fields and multi-fields counted, as Elasticsearch does. */
  fieldLimit = 1000;
  /**
   * `index.mapping.total_fields.ignore_dynamic_beyond_limit`: a dynamic field that would pass
   * fieldLimit is left out of the mapping (its name recorded in `_ignored`) instead of failing the document.
   */
  ignoreDynamicBeyondLimit = false;
  /** `index.mapping.nested_objects.limit`: nested documents one document may hold. */
  nestedObjectsLimit = 10000;

  /** index.mapping.depth.limit: the root is depth 1, an object at `a.b` depth 3 (Elasticsearch's count). */
  depthLimit = 20;

  /** `index.mapping.nested_fields.limit`: nested object mappers in the mapping. */
  nestedFieldsLimit = 50;
  /** `index.mapping.field_name_length.limit`: the longest leaf name of a mapper (unlimited by default). */
  fieldNameLengthLimit = Number.MAX_SAFE_INTEGER;

  /**
   * MappingLookup.checkLimits past the field count: the first object mapper deeper than depthLimit,
   * a mapper whose own name is longer than fieldNameLengthLimit, more nested mappers than
   * nestedFieldsLimit, refused as Elasticsearch refuses them.
   */
  checkDepth(root: ObjectMapper = this.root): void {
    const stack: ObjectMapper[] = [root];
    let nested = 0;
    while (stack.length > 0) {
      const object = stack.pop() as ObjectMapper;
      for (const mapper of object.properties.values()) {
        const names = mapper.kind === 'field' ? [mapper.name, ...[...mapper.multiFields.values()].map((m) => m.name)] : [mapper.name];
        for (const name of names) {
          if (name.length > this.fieldNameLengthLimit) throw new EngineError(400, 'illegal_argument_exception', `Field name [${name}] is longer than the limit of [${this.fieldNameLengthLimit}] characters`);
        }
        if (mapper.kind !== 'object') continue;
        if (mapper.path.split('.').length + 1 > this.depthLimit) throw depthExceeded(this.depthLimit, mapper.path);
        if (mapper.type === 'nested') nested++;
        stack.push(mapper);
      }
    }
    if (nested > this.nestedFieldsLimit) throw new EngineError(400, 'illegal_argument_exception', `Limit of nested fields [${this.nestedFieldsLimit}] has been exceeded`);
  }

  get defaults(): MappingDefaults {
    return this.mappingDefaults;
  }

  /** New mapping defaults (static settings updated on a closed index): the mappers are built again with them. */
  applyDefaults(defaults: MappingDefaults): void {
    if (JSON.stringify(defaults) === JSON.stringify(this.mappingDefaults)) return;
    this.mappingDefaults = defaults;
    this.root = this.build(this.json);
  }

  /** Takes the limits of an index's settings (`index.mapping.*`) and checks the mapping against them. */
  applyLimits(settings: Readonly<Record<string, unknown>>): void {
    this.fieldLimit = Number(settings['index.mapping.total_fields.limit'] ?? 1000);
    this.ignoreDynamicBeyondLimit = String(settings['index.mapping.total_fields.ignore_dynamic_beyond_limit'] ?? false) === 'true';
    this.depthLimit = Number(settings['index.mapping.depth.limit'] ?? 20);
    this.nestedFieldsLimit = Number(settings['index.mapping.nested_fields.limit'] ?? 50);
    this.nestedObjectsLimit = Number(settings['index.mapping.nested_objects.limit'] ?? 10000);
    const nameLength = settings['index.mapping.field_name_length.limit'];
    this.fieldNameLengthLimit = nameLength === undefined ? Number.MAX_SAFE_INTEGER : Number(nameLength);
  }

  static parse(json: unknown, analysis: AnalysisRegistry, fieldLimit = 1000, depthLimit = 20, defaults: MappingDefaults = {}, modes: SourceModes = STANDARD_MODES): Mapping {
    const definition = { ...Mapping.validateRoot(json ?? {}, modes) };
    if (isRecord(definition.properties)) definition.properties = normalizeProperties(definition.properties, String(definition.subobjects ?? true) === 'false');
    const mapping = new Mapping(analysis, definition, defaults, modes);
    mapping.fieldLimit = fieldLimit;
    mapping.depthLimit = depthLimit;
    mapping.checkDepth();
    mapping.checkDataStreamTimestamp();
    const count = mapping.fieldCount();
    if (count > fieldLimit) throw new EngineError(400, 'illegal_argument_exception', `Limit of total fields [${fieldLimit}] has been exceeded`);
    return mapping;
  }

  /**
   * DocumentParserContext.addDynamicMapper under ignore_dynamic_beyond_limit: whether adding a
   * dynamic definition (counted with its multi-fields and properties, as Mapper.getTotalFieldsCount)
   * would pass the total fields limit.
   */
  dynamicBeyondLimit(definition: Json): boolean {
    if (!this.ignoreDynamicBeyondLimit) return false;
    const size = (def: Json): number => {
      let n = 1;
      if (isRecord(def.fields)) n += Object.keys(def.fields).length;
      if (isRecord(def.properties)) for (const child of Object.values(def.properties)) if (isRecord(child)) n += size(child);
      return n;
    };
    return this.fieldCount() + size(definition) > this.fieldLimit;
  }

  /**
   * Fields counted against index.mapping.total_fields.limit (RootObjectMapper.getTotalFieldsCount):
   * objects, leaves, multi-fields and aliases (the root not counted), and each runtime field of the
   * mapping's `runtime` section (a composite one counts once).
   */
  fieldCount(root: ObjectMapper = this.root): number {
    let n = this.runtime.length;
    const walk = (object: ObjectMapper): void => {
      for (const mapper of object.properties.values()) {
        n++;
        if (mapper.kind === 'object') walk(mapper);
        else if (mapper.kind === 'field') n += mapper.multiFields.size;
      }
    };
    walk(root);
    return n;
  }

  private static validateRoot(json: unknown, modes: SourceModes): Json {
    if (!isRecord(json)) throw mapperParsing('Failed to parse mapping: mapping must be an object');
    // DataStreamTimestampFieldMapper: enabled by the time_series and logsdb default mappings
    // and by the default mapping of a data stream's backing indices (any mode)
    const unknown = Object.keys(json).filter((key) => !ROOT_PARAMS.has(key) && !(key === '_data_stream_timestamp' && isRecord(json[key]) && (modes.indexMode === 'standard' || String((json[key] as Json).enabled) === 'true')));
    if (unknown.length > 0) {
      const listed = unknown.map((key) => `${key} : ${JSON.stringify(json[key])}`).join(', ');
      throw mapperParsing(`Root mapping definition has unsupported parameters:  [${listed}]`);
    }
    // routing kept as doc values (and so left out of get responses) is not built: refused, never answered as stored
    if (isRecord(json._routing)) {
      for (const key of Object.keys(json._routing)) {
        if (key !== 'required' && key !== 'doc_values') throw mapperParsing(`unknown parameter [${key}] on metadata field [_routing]`);
        const value = json._routing[key];
        if (value !== true && value !== false && value !== 'true' && value !== 'false') throw mapperParsing(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
      }
    }
    if (json.dynamic_templates !== undefined) parseDynamicTemplates(json.dynamic_templates);
    return json;
  }

  /** The runtime fields of the `runtime` section, in definition order. */
  private runtime: RuntimeField[] = [];

  /** The runtime fields of the `runtime` section. */
  get runtimeFields(): readonly RuntimeField[] {
    return this.runtime;
  }

  /** The mapped fields with an index-time `script`, compiled, in mapping order. */
  private scripted: ScriptedField[] = [];

  get indexTimeScripts(): readonly ScriptedField[] {
    return this.scripted;
  }

  /** Runtime fields given with a request (`runtime_mappings`), parsed against this index's analysis. */
  parseRuntimeMappings(section: unknown): RuntimeField[] {
    return parseRuntimeSection(section, { analysis: this.analysis }, 'runtime_mappings');
  }

  private build(json: Json): ObjectMapper {
    const { ignoreAbove, coerce, ignoreMalformed } = this.mappingDefaults;
    const ctx = {
      analysis: this.analysis,
      ...(ignoreAbove !== undefined ? { defaultIgnoreAbove: ignoreAbove } : {}),
      ...(coerce !== undefined ? { defaultCoerce: coerce } : {}),
      ...(ignoreMalformed !== undefined ? { defaultIgnoreMalformed: ignoreMalformed } : {}),
    };
    const runtime = parseRuntimeSection(json.runtime, ctx);
    const root = buildRoot(json, ctx);
    this.runtime = runtime;
    const leaves = new Map<string, FieldMapper>();
    const aliases: AliasMapper[] = [];
    const walk = (object: ObjectMapper): void => {
      for (const mapper of object.properties.values()) {
        if (mapper.kind === 'object') walk(mapper);
        else if (mapper.kind === 'alias') aliases.push(mapper);
        else {
          leaves.set(mapper.path, mapper);
          for (const sub of mapper.multiFields.values()) leaves.set(sub.path, sub);
        }
      }
    };
    walk(root);
    for (const alias of aliases) validateAlias(alias, leaves, (path) => this.mapperAtIn(root, path));
    // ParentJoinFieldMapper.doValidate
    const joins = [...leaves.values()].filter((leaf) => leaf.type === 'join').map((leaf) => leaf.path);
    if (joins.length > 1) throw illegalArgument(`Only one [parent-join] field can be defined per index, got [${joins.join(', ')}]`);
    this.scripted = compileIndexTimeScripts(leaves);
    this.leaves.clear();
    for (const [path, leaf] of leaves) this.leaves.set(path, leaf);
    this.aliases.clear();
    for (const alias of aliases) this.aliases.set(alias.path, alias.target);
    if (resolveSource(json._source, this.modes).mode === 'synthetic') checkSyntheticSupport(root);
    if (this.modes.indexMode !== 'time_series') {
      for (const leaf of this.leaves.values()) {
        // a dimension outside time_series: its single-value check (DocumentDimensions) is not built
        if (leaf.type === 'keyword' && String(leaf.params.time_series_dimension ?? false) === 'true') throw unsupported(`[time_series_dimension] on field [${leaf.path}] outside a time_series index`);
      }
    }
    this.frozen = undefined;
    return root;
  }

  /** Field aliases of the mapping: alias path -> target path. */
  private readonly aliases = new Map<string, string>();

  /** A restore point (merges never mutate the definition in place, so a reference is enough). */
  save(): { json: Json; version: number } {
    return { json: this.json, version: this.version };
  }

  /** Undoes dynamic updates of a document that then failed to parse (Elasticsearch applies none of them). */
  restore(saved: { json: Json; version: number }): void {
    if (saved.version === this.version) return;
    this.root = this.build(saved.json);
    this.json = saved.json;
    this.version++;
  }

  /** put-mapping: additive merge; conflicts throw `illegal_argument_exception`. */
  merge(incoming: unknown, dynamicUpdate = false): boolean {
    const definition = Mapping.validateRoot(incoming ?? {}, this.modes);
    if (definition._source !== undefined) checkSourceModeUpdate(this.json._source, definition._source);
    const resolvedSource = definition._source !== undefined ? resolveSource(definition._source, this.modes).json : undefined;
    const merged: Json = { ...this.json };
    // Root options (`_meta` included) are replaced as a whole, as Elasticsearch does.
    for (const [key, value] of Object.entries(definition)) {
      if (key === 'properties') continue;
      merged[key] = key === 'dynamic_templates' ? mergeDynamicTemplates(this.json.dynamic_templates, value) : key === '_source' ? resolvedSource : key === 'runtime' ? mergeRuntimeSections(this.json.runtime, value) : value;
    }
    if (merged._source === undefined) delete merged._source;
    if (isRecord(definition._source) && isRecord(this.json._source)) {
      const before = this.json._source.enabled ?? true;
      const after = definition._source.enabled ?? true;
      if (String(before) !== String(after)) {
        throw new EngineError(400, 'illegal_argument_exception', `Mapper for [_source] conflicts with existing mapper:\n\tCannot update parameter [enabled] from [${String(before)}] to [${String(after)}]`);
      }
    }
    if (definition.subobjects !== undefined && String(definition.subobjects) !== String(this.json.subobjects ?? true)) {
      throw new EngineError(400, 'illegal_argument_exception', `the [subobjects] parameter can't be updated for the object mapping [_doc]`);
    }
    const properties = mergeProperties(
      '',
      isRecord(this.json.properties) ? this.json.properties : {},
      isRecord(definition.properties) ? definition.properties : {},
      String(merged.subobjects ?? true) === 'false',
    );
    if (Object.keys(properties).length > 0) merged.properties = properties;
    const before = JSON.stringify(this.json);
    if (JSON.stringify(merged) === before) return false;
    const countBefore = this.fieldCount();
    const previous = { root: this.root, leaves: new Map(this.leaves), runtime: this.runtime, scripted: this.scripted };
    // Put the previous tree back: the update is refused as a whole.
    const putBack = (): void => {
      this.root = previous.root;
      this.leaves.clear();
      for (const [path, leaf] of previous.leaves) this.leaves.set(path, leaf);
      this.runtime = previous.runtime;
      this.scripted = previous.scripted;
      this.frozen = undefined;
    };
    let root: ObjectMapper;
    try {
      root = this.build(merged);
    } catch (error) {
      putBack();
      throw error;
    }
    const count = this.fieldCount(root);
    try {
      this.checkDepth(root);
    } catch (error) {
      putBack();
      throw error;
    }
    if (count > this.fieldLimit && count > countBefore) {
      putBack();
      throw new EngineError(
        400,
        'illegal_argument_exception',
        dynamicUpdate
          ? `Limit of total fields [${this.fieldLimit}] has been exceeded while adding new fields [${count - countBefore}]`
          : `Limit of total fields [${this.fieldLimit}] has been exceeded`,
      );
    }
    this.root = root;
    this.json = merged;
    this.unset = false;
    this.version++;
    return true;
  }

  /** The mapping as GET _mapping shows it (properties sorted by name, as Elasticsearch prints them). */
  toJSON(): Json {
    const sortProps = (props: Json, prefix: string): Json => {
      const out: Json = {};
      for (const name of Object.keys(props).sort()) {
        const def = props[name];
        if (!isRecord(def)) continue;
        const copy: Json = { ...def };
        const path = prefix ? `${prefix}.${name}` : name;
        if (copy.type === 'nested') this.nestedIncludesJson(copy, path);
        if (isRecord(copy.properties)) copy.properties = sortProps(copy.properties, path);
        if (isRecord(copy.fields)) copy.fields = sortProps(copy.fields, path);
        if (copy.type === 'object' && copy.properties !== undefined) delete copy.type;
        if (copy.type === 'join') Object.assign(copy, joinMappingJson(copy, name));
        // Script.toXContent: an index-time script in its full form (`source`, `lang`, `params`)
        if (copy.script !== undefined && copy.script !== null) copy.script = scriptJson(copy.script, `field [${path}]`);
        // on_script_error is serialized only when it is not the default (fail)
        if (copy.on_script_error === 'fail') delete copy.on_script_error;
        // SearchAsYouTypeFieldMapper: doc_values (always false) and max_shingle_size are always serialized
        if (copy.type === 'search_as_you_type') Object.assign(copy, { doc_values: false, max_shingle_size: copy.max_shingle_size ?? 3 });
        if (copy.type === undefined && copy.properties === undefined) copy.type = 'object';
        out[name] = copy;
      }
      return out;
    };
    const out: Json = {};
    for (const [key, value] of Object.entries(this.json)) {
      if (key === 'properties' && isRecord(value)) {
        if (Object.keys(value).length > 0) out.properties = sortProps(value, '');
      } else if (key === 'runtime') {
        // as RuntimeField.toXContent prints them: by name, scripts in their full form
        if (this.runtime.length > 0) out.runtime = Object.fromEntries([...this.runtime].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((r) => [r.name, r.json]));
      } else out[key] = value;
    }
    return out;
  }

  /**
   * NestedObjectMapper.toXContent: `include_in_parent` printed when set to true, `include_in_root`
   * when it holds after the builder's adjustment (dropped where include_in_parent reaches the root).
   */
  private nestedIncludesJson(def: Json, path: string): void {
    const mapper = this.mapperAt(path);
    if (mapper?.kind !== 'object') return;
    delete def.include_in_parent;
    delete def.include_in_root;
    const ordered: Json = { type: def.type };
    if (mapper.includeInParent) ordered.include_in_parent = true;
    if (mapper.includeInRoot) ordered.include_in_root = true;
    const rest = { ...def };
    for (const key of Object.keys(def)) delete def[key];
    Object.assign(def, ordered, rest);
  }

  /** `_data_stream_timestamp: {enabled: true}` (DataStreamTimestampFieldMapper): every document needs one `@timestamp`. */
  get dataStreamTimestamp(): boolean {
    const meta = this.json._data_stream_timestamp;
    return isRecord(meta) && String(meta.enabled) === 'true';
  }

  /** DataStreamTimestampFieldMapper.doValidate: an enabled timestamp meta field needs an indexed `@timestamp` date with doc values. */
  checkDataStreamTimestamp(): void {
    const meta = this.json._data_stream_timestamp;
    if (isRecord(meta)) {
      for (const key of Object.keys(meta)) if (key !== 'enabled') throw mapperParsing(`unknown parameter [${key}] on metadata field [_data_stream_timestamp]`);
    }
    // time_series and logsdb indices get it with their default mapping (its @timestamp merged in after this parse)
    if (!this.dataStreamTimestamp || this.modes.indexMode !== 'standard') return;
    const field = '@timestamp';
    const mapper = this.leaf(field);
    if (!mapper) throw illegalArgument(`data stream timestamp field [${field}] does not exist`);
    if (mapper.type !== 'date' && mapper.type !== 'date_nanos') throw illegalArgument(`data stream timestamp field [${field}] is of type [${mapper.type}], but [date,date_nanos] is expected`);
    if (!mapper.indexed) throw illegalArgument(`data stream timestamp field [${field}] is not indexed`);
    if (String(mapper.params.doc_values ?? true) === 'false') throw illegalArgument(`data stream timestamp field [${field}] doesn't have doc values`);
    if (mapper.nullValue !== undefined && mapper.nullValue !== null) throw illegalArgument(`data stream timestamp field [${field}] has disallowed [null_value] attribute specified`);
    if (mapper.ignoreMalformed) throw illegalArgument(`data stream timestamp field [${field}] has disallowed [ignore_malformed] attribute specified`);
  }

  /** `_routing: {doc_values: true}`: routing kept as doc values, not stored: left out of get responses and hits. */
  get routingDocValues(): boolean {
    return isRecord(this.json._routing) && String(this.json._routing.doc_values) === 'true';
  }

  /** `_routing: {required: true}`: every write and get must name its routing. */
  get routingRequired(): boolean {
    return isRecord(this.json._routing) && String(this.json._routing.required) === 'true';
  }

  /**
   * No mapping was ever given nor dynamically added (an index created without `mappings`): its
   * MappingMetadata is null in Elasticsearch, so `_field_caps` lists no field of it, not even metadata ones.
   */
  get isUnset(): boolean {
    return this.unset;
  }

  private unset: boolean;

  get meta(): Json | undefined {
    return isRecord(this.json._meta) ? this.json._meta : undefined;
  }

  get source(): SourceConfig {
    const config = isRecord(this.json._source) ? this.json._source : {};
    const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
    const mode = this.sourceMode;
    return {
      enabled: mode !== 'disabled',
      mode,
      includes: list(config.includes),
      excludes: list(config.excludes),
    };
  }

  /** How this index keeps `_source` (mapping, index mode and `index.mapping.source.mode` together). */
  get sourceMode(): SourceMode {
    return resolveSource(this.json._source, this.modes).mode;
  }

  get rootDynamic(): DynamicMode {
    return this.root.dynamic ?? 'true';
  }

  /** The root's `dynamic_templates`, in order. */
  get dynamicTemplates(): DynamicTemplate[] {
    if (this.json.dynamic_templates === undefined) return [];
    if (this.parsedTemplates?.source !== this.json.dynamic_templates) this.parsedTemplates = { source: this.json.dynamic_templates, templates: parseDynamicTemplates(this.json.dynamic_templates) };
    return this.parsedTemplates.templates;
  }

  private parsedTemplates?: { source: unknown; templates: DynamicTemplate[] };

  get dateDetection(): boolean {
    return String(this.json.date_detection ?? true) !== 'false';
  }

  get numericDetection(): boolean {
    return String(this.json.numeric_detection ?? false) === 'true';
  }

  get dynamicDateFormats(): string[] {
    const formats = this.json.dynamic_date_formats;
    return Array.isArray(formats) ? formats.map(String) : ['strict_date_optional_time', 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd'];
  }

  /** A leaf by full path (multi-fields included). */
  leaf(path: string): FieldMapper | undefined {
    return this.leaves.get(path);
  }

  /** The mapper at `path` (object or leaf, not multi-fields); under `subobjects: false` the rest of the path is one name. */
  mapperAt(path: string): Mapper | undefined {
    return this.mapperAtIn(this.root, path);
  }

  private mapperAtIn(root: ObjectMapper, path: string): Mapper | undefined {
    let current: Mapper | undefined = root;
    const parts = path.split('.');
    for (let i = 0; i < parts.length; i++) {
      if (!current || current.kind !== 'object') return undefined;
      if (current.subobjects === false) return current.properties.get(parts.slice(i).join('.'));
      current = current.properties.get(parts[i] as string);
    }
    return current;
  }

  lookup(): MappingLookup {
    if (!this.frozen) {
      const fields = new Map<string, FieldInfo>();
      const nested: string[] = [];
      const includes = new Map<string, { parent: boolean; root: boolean }>();
      const walk = (object: ObjectMapper): void => {
        for (const mapper of object.properties.values()) {
          if (mapper.kind === 'alias') continue;
          if (mapper.kind === 'object') {
            if (mapper.type === 'nested') {
              nested.push(mapper.path);
              includes.set(mapper.path, { parent: mapper.includeInParent === true, root: mapper.includeInRoot === true });
            }
            walk(mapper);
          } else {
            fields.set(mapper.path, mapper.info);
            for (const sub of mapper.multiFields.values()) fields.set(sub.path, sub.info);
          }
        }
      };
      walk(this.root);
      // a runtime field shadows an indexed field of the same name
      for (const r of this.runtime) for (const leaf of r.leaves) fields.set(leaf.path, leaf);
      this.frozen = new FrozenLookup(fields, nested, this.sourceMode === 'synthetic', this.routingDocValues, this.aliases, this.sourceMode === 'disabled', includes).withJoinFields();
    }
    return this.frozen;
  }
}
