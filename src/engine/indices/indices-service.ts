import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, illegalArgument, indexNotFound, unsupported } from '../errors.js';
import { IndexTemplates } from './index-templates.js';
import type { ResolvedTemplate } from './index-templates.js';
import { mergeDefaults, mergeTemplateMappings, stripDocType } from './template-mappings.js';
import { mapperParsing } from '../index/mapping/mapping-errors.js';
import { Mapping } from '../index/mapping/mapping.js';
import type { AliasMetadata, AnalysisFactory, IndexMetadata } from './index-service.js';
import { IndexService } from './index-service.js';
import type { FlatSettings } from './index-settings.js';
import { availableParallelism } from 'node:os';
import { indexSortOf } from './index-sort.js';
import { SimilarityService, checkFieldSimilarities } from '../search/similarity/similarity-settings.js';
import { applyAutoExpandReplicas, checkPartitionedMapping, checkRoutingPartition, mappingDefaults, flattenSettings, validateMergeScheduler, validateSettingKeys, validateSettingValues } from './index-settings.js';
import { invalidAliasName, isWildcard, randomUuid, resolveDateMathName, validateName, wildcardMatch } from './index-names.js';
import { parseAliasDefinition } from './alias-definition.js';
import { indexClosed, wildcardStates } from './index-state.js';
import { allShardsUnavailable, noShardAvailable, unavailableShards } from './unassigned-shards.js';
import { checkAliasRouting, checkRoutingRequired, sourceModesOf, validateIndexModeSettings } from './index-modes.js';
import { defaultModeMapping } from '../index/mapping/source-mode.js';
import { simpleMatcher } from '../automaton/simple-match.js';
import { DataStreams, backingIndexName, validateDataStreamName } from './data-streams.js';
import type { DataStream, DataStreamAlias } from './data-streams.js';

type Json = Record<string, unknown>;

export interface ResolveOptions {
  ignoreUnavailable?: boolean;
  allowNoIndices?: boolean;
  expandWildcards?: string;
  /**
   * Closed indices named (or reached through an alias) are returned instead of refused: the
   * metadata APIs (mappings, settings, aliases) read them; searches and writes never do.
   */
  allowClosed?: boolean;
  /** Red indices (failed at start-up) are returned instead of refused: listings of shards and health. */
  allowFailed?: boolean;
}

/** What a write does, for the data stream rules (append-only streams, backing indices written only conditionally). */
export interface WriteOp {
  type: 'index' | 'create' | 'update' | 'delete';
  /** if_seq_no / if_primary_term given. */
  conditional?: boolean;
  /** A custom routing given with the write. */
  routing?: string;
  /** `require_data_stream`: the target must be (or auto-create) a data stream. */
  requireDataStream?: boolean;
}

export interface ResolvedIndex {
  service: IndexService;
  /** Alias filter (query DSL) when reached only through filtered aliases. */
  filter?: Json;
  /** The aliases' `search_routing` values when reached only through aliases that all have one. */
  searchRouting?: string[];
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every index of a data directory, their aliases, and name resolution (the "cluster state"). */
export class IndicesService {
  private readonly indices = new Map<string, IndexService>();
  /** Component, composable and legacy index templates (`templates.json`). */
  readonly templates: IndexTemplates;
  /** The data streams (`data_streams.json`); their backing indices are indices of this map. */
  readonly dataStreams: DataStreams;

  constructor(
    private readonly dataDir: string,
    private readonly analysisFactory: AnalysisFactory,
  ) {
    this.templates = new IndexTemplates(dataDir, (settings, mappings, composable) => void this.validateTemplate(settings, mappings, composable));
    this.dataStreams = new DataStreams(dataDir);
    const root = join(dataDir, 'indices');
    mkdirSync(root, { recursive: true });
    for (const entry of readdirSync(root)) {
      // an index that cannot be opened is kept, failed (red), and never stops the others
      const service = IndexService.open(join(root, entry), analysisFactory, () => this.globalAnalysis());
      if (service) this.indices.set(service.name, service);
    }
  }

  /** The indices whose shards failed to allocate at start-up (red), with their causes. */
  failed(): IndexService[] {
    return this.all().filter((service) => service.failure !== undefined);
  }

  /**
   * Tries again to open a failed index (`_open` after `_close`, `_cluster/reroute?retry_failed`):
   * when its word files are back, it is opened as at start-up; otherwise it stays failed, with
   * the new cause. Returns the index as it now is.
   */
  retryFailed(service: IndexService): IndexService {
    if (!service.failure) return service;
    const reopened = IndexService.open(service.dir, this.analysisFactory, () => this.globalAnalysis());
    if (!reopened) return service;
    this.indices.set(reopened.name, reopened);
    return reopened;
  }

  names(): string[] {
    return [...this.indices.keys()].sort();
  }

  private globalAnalysisRegistry?: ReturnType<AnalysisFactory>;

  /** The components `_analyze` without an index uses: the pre-built ones, reading word files from the node's config directory. */
  globalAnalysis(): ReturnType<AnalysisFactory> {
    return (this.globalAnalysisRegistry ??= this.analysisFactory({}));
  }

  all(): IndexService[] {
    return this.names().map((name) => this.indices.get(name)!);
  }

  /** A data stream alias reaches the backing indices of its streams, through its filter on each stream. */
  private addStreamAlias(alias: DataStreamAlias, add: (service: IndexService, filter: Json | undefined) => void, states: ReturnType<typeof wildcardStates>): void {
    for (const name of alias.data_streams) {
      const stream = this.dataStreams.get(name);
      for (const index of stream?.indices ?? []) {
        const service = this.indices.get(index);
        if (service && (service.closed ? states.closed : states.open)) add(service, alias.filters?.[name]);
      }
    }
  }

  get(name: string): IndexService | undefined {
    return this.indices.get(name);
  }

  /** alias name -> indices carrying it. */
  aliasTargets(alias: string): IndexService[] {
    return this.all().filter((service) => service.meta.aliases[alias] !== undefined);
  }

  allAliasNames(): string[] {
    const names = new Set<string>();
    for (const service of this.indices.values()) for (const alias of Object.keys(service.meta.aliases)) names.add(alias);
    return [...names].sort();
  }

  exists(name: string): boolean {
    return this.indices.has(name) || this.aliasTargets(name).length > 0 || this.dataStreams.alias(name) !== undefined;
  }

  /**
   * PUT /<index>: settings, mappings, aliases, over what the matching index templates give
   * (MetadataCreateIndexService: a composable template, else the legacy ones). `autoCreate` is a
   * write creating the index it names.
   */
  create(expression: string, body: Json = {}, options: { autoCreate?: boolean; dataStream?: string } = {}): IndexService {
    const now = Date.now();
    // MetadataCreateIndexService: the index and alias names may be date math (`<logs-{now/d}>`)
    const name = resolveDateMathName(expression, now);
    validateName(name);
    if (this.indices.has(name)) {
      throw new EngineError(400, 'resource_already_exists_exception', `index [${name}/${this.indices.get(name)!.uuid}] already exists`, {
        index_uuid: this.indices.get(name)!.uuid,
        index: name,
      });
    }
    if (this.aliasTargets(name).length > 0) throw new EngineError(400, 'invalid_index_name_exception', `Invalid index name [${name}], already exists as alias`, { index_uuid: '_na_', index: name });
    if (this.dataStreams.has(name)) throw new EngineError(400, 'invalid_index_name_exception', `Invalid index name [${name}], already exists as data stream`, { index_uuid: '_na_', index: name });
    for (const key of Object.keys(body)) {
      if (!['settings', 'mappings', 'aliases'].includes(key)) {
        throw new EngineError(400, 'parse_exception', `unknown key [${key}] for create index`);
      }
    }
    const requestFlat = flattenSettings(body.settings);
    // MetadataCreateDataStreamService.createBackingIndex: a hidden index, its templates found by the stream's name
    if (options.dataStream !== undefined) requestFlat['index.hidden'] = 'true';
    const hiddenSetting = requestFlat['index.hidden'];
    const template = options.dataStream !== undefined ? this.templates.resolveFor(options.dataStream, this.dataStreams.get(options.dataStream)?.hidden ?? false) : this.templates.resolveFor(name, hiddenSetting === undefined || hiddenSetting === null ? undefined : String(hiddenSetting) === 'true');
    if (options.dataStream !== undefined && template.aliases.some((map) => Object.keys(map).length > 0)) {
      throw unsupported(`data stream aliases (index template [${template.composable?.name ?? ''}] gives aliases to data stream [${options.dataStream}])`);
    }
    if (template.composable?.template.data_stream && options.dataStream === undefined) {
      if (options.autoCreate) throw unsupported(`data streams (index template [${template.composable.name}] would auto-create data stream [${name}])`);
      throw illegalArgument(`cannot create index with name [${name}], because it matches with template [${template.composable.name}] that creates data streams only, use create data stream api instead`);
    }
    const flat = { ...template.settings, ...requestFlat };
    validateSettingKeys(flat, true);
    validateSettingValues(flat);
    const settings: FlatSettings = {};
    for (const [key, value] of Object.entries(flat)) if (value !== null) settings[key] = value;
    validateMergeScheduler(settings, availableParallelism());
    // SimilarityService's constructor: every `index.similarity.<name>` group builds
    const similarities = new SimilarityService(settings);
    settings['index.number_of_shards'] ??= '1';
    settings['index.number_of_replicas'] ??= '1';
    Object.assign(settings, applyAutoExpandReplicas(settings));
    checkRoutingPartition(name, settings);
    const uuid = randomUuid();
    const creationDate = Date.now();
    const analysis = this.analysisFactory(settings);
    validateIndexModeSettings(settings);
    const modes = sourceModesOf(settings);
    const defaults = defaultModeMapping(modes.indexMode);
    let mappings: Json = {};
    let lookup = Mapping.parse({}, analysis).lookup();
    let built: Mapping | undefined;
    if (body.mappings !== undefined && !isRecord(body.mappings)) throw mapperParsing('Failed to parse mapping: mappings must be an object');
    const requestMappings = body.mappings as Json | undefined;
    const mappingSource = template.mappings.length === 0 ? requestMappings : templateMappings(template, requestMappings);
    if (mappingSource !== undefined || defaults !== undefined) {
      try {
        const parse = (json: unknown): Mapping => {
          const parsed = Mapping.parse(json, analysis, Number(settings['index.mapping.total_fields.limit'] ?? 1000), Number(settings['index.mapping.depth.limit'] ?? 20), mappingDefaults(settings), modes);
          // the other limits of index.mapping.* (nested fields, field name length)
          parsed.applyLimits(settings);
          parsed.checkDepth();
          return parsed;
        };
        let mapping = parse(mappingSource ?? {});
        if (defaults !== undefined) {
          // IndexMode#getDefaultMapping first, the index's own mapping merged over it; a host.name
          // (or a host that is no object) of its own takes the place of the injected keyword
          const own = mapping.toJSON();
          const host = mapping.mapperAt('host');
          mapping = parse(host && (host.kind !== 'object' || host.properties.has('name')) ? withoutHostName(defaults) : defaults);
          mapping.merge(own);
        }
        checkFieldSimilarities(mapping.lookup(), similarities);
        mappings = mapping.toJSON();
        lookup = mapping.lookup();
        built = mapping;
      } catch (error) {
        const refusal = error instanceof EngineError && /is not supported by the indexkit embedded engine/.test(error.message);
        if (error instanceof EngineError && !refusal && (error.type === 'mapper_parsing_exception' || error.type === 'illegal_argument_exception')) {
          throw mapperParsing(`Failed to parse mapping: ${error.message}`, error);
        }
        throw error;
      }
    }
    if (built) checkPartitionedMapping(name, settings, built);
    // IndexSortConfig.buildIndexSort runs as the index is created: a bad sort creates nothing
    indexSortOf(settings, lookup);
    if (modes.indexMode === 'time_series' && built) checkTimeSeriesMapping(settings, built);
    const aliases: Record<string, AliasMetadata> = {};
    if (body.aliases !== undefined) {
      if (!isRecord(body.aliases)) throw illegalArgument('aliases must be an object');
      for (const [aliasExpression, definition] of Object.entries(body.aliases)) {
        const alias = resolveDateMathName(aliasExpression, now);
        validateName(alias, invalidAliasName);
        if (alias === name || this.indices.has(alias)) throw invalidAliasName(alias, 'an index or data stream exists with the same name as the alias');
        aliases[alias] = parseAliasDefinition(isRecord(definition) ? definition : {});
        checkAliasRouting(modes.indexMode, aliases[alias]);
      }
    }
    // MetadataCreateIndexService.resolveAndValidateAliases: the request's aliases, then the
    // templates' by precedence; `{index}` in a template's alias name is the index's name
    for (const map of template.aliases) {
      for (const [templated, definition] of Object.entries(map)) {
        const alias = resolveDateMathName(templated.replaceAll('{index}', name), now);
        if (Object.hasOwn(aliases, alias)) continue;
        validateName(alias, invalidAliasName);
        if (alias === name || this.indices.has(alias)) throw invalidAliasName(alias, 'an index or data stream exists with the same name as the alias');
        aliases[alias] = { ...definition };
        checkAliasRouting(modes.indexMode, aliases[alias]);
      }
    }
    const meta: IndexMetadata = { name, uuid, creationDate, settings, mappings, aliases };
    const service = IndexService.create(join(this.dataDir, 'indices', uuid), meta, analysis);
    this.indices.set(name, service);
    return service;
  }

  /**
   * The index a write goes to: a concrete index, an alias's write index, a data stream's write
   * index, or a new auto-created index (or data stream, when a data stream template matches).
   */
  resolveWrite(name: string, autoCreate = true, op: WriteOp = { type: 'index' }): IndexService {
    return openOnly(this.resolveWriteTarget(name, autoCreate, op));
  }

  private resolveWriteTarget(name: string, autoCreate: boolean, op: WriteOp): IndexService {
    const direct = this.indices.get(name);
    if (direct) {
      if (op.requireDataStream) throw notADataStream(name);
      checkBackingIndexWrite(this.dataStreams.parentOf(name), op);
      return direct;
    }
    const stream = this.dataStreams.get(name);
    if (stream) return this.streamWriteIndex(stream, op);
    // IndexAbstraction.DataStreamAlias#getWriteIndex: the write index of its write data stream, if it has one
    const streamAlias = this.dataStreams.alias(name);
    if (streamAlias) {
      const writer = streamAlias.write_data_stream === undefined ? undefined : this.dataStreams.get(streamAlias.write_data_stream);
      if (!writer) throw illegalArgument(`no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`);
      return this.streamWriteIndex(writer, op);
    }
    if (op.requireDataStream && this.aliasTargets(name).length > 0) throw notADataStream(name);
    const targets = this.aliasTargets(name);
    if (targets.length > 0) {
      const writers = targets.filter((t) => t.meta.aliases[name]!.is_write_index === true);
      if (writers.length === 1) return writers[0]!;
      if (targets.length === 1 && targets[0]!.meta.aliases[name]!.is_write_index !== false) return targets[0]!;
      throw illegalArgument(
        `no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`,
      );
    }
    if (!autoCreate) throw indexNotFound(name);
    if (isWildcard(name)) throw invalidNameForWrite(name);
    // AutoCreateIndex.shouldAutoCreate: a matching composable template's allow_auto_create decides
    const composable = this.templates.findComposable(name, false);
    if (composable?.template.allow_auto_create === false) {
      throw new EngineError(404, 'index_not_found_exception', `no such index [${name}] and composable template [${composable.template.index_patterns.join(', ')}] forbids index auto creation`, { 'resource.type': 'index_expression', 'resource.id': name, index_uuid: '_na_', index: name });
    }
    if (op.requireDataStream && composable?.template.data_stream === undefined) {
      throw new EngineError(404, 'index_not_found_exception', `no such index [${name}] and the index creation request requires a data stream, but no matching index template with data stream template was found for it`, { 'resource.type': 'index_expression', 'resource.id': name, index_uuid: '_na_', index: name });
    }
    if (composable?.template.data_stream !== undefined) {
      // TransportBulkAction's auto-create: the data stream is made, then the write checked against it
      return this.streamWriteIndex(this.createDataStream(name), op);
    }
    return this.create(name, {}, { autoCreate: true });
  }

  /** TransportBulkAction.validateWriteIndex: a data stream takes only `create` writes, into its write index. */
  private streamWriteIndex(stream: DataStream, op: WriteOp): IndexService {
    if (op.type !== 'create') throw illegalArgument('only write ops with an op_type of create are allowed in data streams');
    // IndexRequest.checkIndexRequest: custom routing only where the stream's template allows it
    if (op.routing !== undefined && !stream.allowCustomRouting) {
      throw illegalArgument(`index request targeting data stream [${stream.name}] specifies a custom routing but the [allow_custom_routing] setting was not enabled in the data stream's template.`);
    }
    const current = stream.rolloverOnWrite ? this.rolloverDataStream(stream) : stream;
    return this.indices.get(current.indices[current.indices.length - 1]!)!;
  }

  /**
   * MetadataCreateDataStreamService.createDataStream: the composable template matching the name
   * must have a `data_stream` section; the first backing index is created as a hidden index
   * through that template, and the stream takes the template's `_meta` and lifecycle.
   */
  createDataStream(name: string, now = Date.now()): DataStream {
    validateDataStreamName(name);
    if (this.dataStreams.has(name)) throw new EngineError(400, 'resource_already_exists_exception', `data_stream [${name}] already exists`);
    if (this.dataStreams.alias(name)) throw new EngineError(500, 'illegal_state_exception', `data stream alias and data stream have the same name (${name})`);
    if (this.indices.has(name) || this.aliasTargets(name).length > 0) {
      throw new EngineError(400, 'resource_already_exists_exception', `${this.indices.has(name) ? 'index' : 'alias'} [${name}] already exists`, this.indices.has(name) ? { index_uuid: this.indices.get(name)!.uuid, index: name } : {});
    }
    const winner = this.templates.findComposable(name, false);
    if (!winner) throw illegalArgument(`no matching index template found for data stream [${name}]`);
    const dsTemplate = winner.template.data_stream;
    if (dsTemplate === undefined) throw illegalArgument(`matching index template [${winner.name}] for data stream [${name}] has no data stream template`);
    const hidden = dsTemplate.hidden === true || dsTemplate.hidden === 'true';
    const resolved = this.templates.compose(winner.template);
    // DataStreamLifecycleService downsamples a time series stream through x-pack's downsample action
    if (resolved.lifecycle?.downsampling !== undefined && resolved.settings['index.mode'] === 'time_series') {
      throw unsupported(`downsampling in the lifecycle of the time series data stream [${name}] (x-pack downsample)`);
    }
    const stream: DataStream = {
      name,
      generation: 1,
      indices: [],
      hidden,
      allowCustomRouting: dsTemplate.allow_custom_routing === true || dsTemplate.allow_custom_routing === 'true',
      ...(winner.template._meta !== undefined ? { meta: winner.template._meta as Json } : {}),
      ...(resolved.lifecycle !== undefined ? { lifecycle: resolved.lifecycle } : {}),
      rolloverOnWrite: false,
    };
    const backing = backingIndexName(name, 1, now);
    if (this.indices.has(backing)) throw new EngineError(400, 'resource_already_exists_exception', `index [${backing}/${this.indices.get(backing)!.uuid}] already exists`, { index_uuid: this.indices.get(backing)!.uuid, index: backing });
    // registered first so that the backing index finds the stream's template and hidden flag
    this.dataStreams.put({ ...stream, indices: [backing] });
    try {
      this.create(backing, {}, { dataStream: name });
    } catch (error) {
      this.dataStreams.remove(name);
      throw error;
    }
    return this.dataStreams.get(name)!;
  }

  /**
   * MetadataRolloverService.rolloverDataStream: a new backing index of generation + 1 (named with
   * today's date) becomes the write index. `body` holds nothing for a data stream (its settings
   * and mappings come from the template).
   */
  rolloverDataStream(stream: DataStream, now = Date.now()): DataStream {
    const generation = stream.generation + 1;
    const backing = backingIndexName(stream.name, generation, now);
    if (this.indices.has(backing)) throw new EngineError(400, 'resource_already_exists_exception', `index [${backing}/${this.indices.get(backing)!.uuid}] already exists`, { index_uuid: this.indices.get(backing)!.uuid, index: backing });
    const winner = this.templates.findComposable(stream.name, stream.hidden);
    if (!winner || winner.template.data_stream === undefined) throw illegalArgument(`no matching index template found for data stream [${stream.name}]`);
    this.create(backing, {}, { dataStream: stream.name });
    // the rollover info the data stream lifecycle dates the old generation by
    const previous = this.indices.get(stream.indices[stream.indices.length - 1]!);
    if (previous) {
      previous.meta.rolloverDate = now;
      previous.persistMeta();
    }
    const next: DataStream = { ...stream, generation, indices: [...stream.indices, backing], rolloverOnWrite: false };
    this.dataStreams.put(next);
    return next;
  }

  /** DELETE /_data_stream/<name>: the stream and every backing index. */
  deleteDataStream(stream: DataStream): void {
    this.dataStreams.remove(stream.name);
    for (const index of stream.indices) {
      const service = this.indices.get(index);
      if (service) this.remove(service);
    }
  }

  /** A single index for a read (GET doc, _source): concrete or an alias to exactly one index. */
  resolveSingle(expression: string, request = `get [${expression}]`): IndexService {
    const name = resolveDateMathName(expression, Date.now());
    // IndexNameExpressionResolver.concreteSingleIndex excludes data streams: a stream's name is no index
    const direct = this.indices.get(name);
    if (direct) return readable(direct, request);
    const targets = this.aliasTargets(name);
    if (targets.length === 1) return readable(targets[0]!, request);
    if (targets.length > 1) {
      throw illegalArgument(`alias [${name}] has more than one index associated with it [${targets.map((t) => t.name).join(', ')}], can't execute a single index op`);
    }
    throw indexNotFound(name);
  }

  /** Comma lists, `_all`, wildcards, `-exclusions`, aliases (with their filters). */
  resolve(expression: string | undefined, options: ResolveOptions = {}): ResolvedIndex[] {
    const now = Date.now();
    const parts = expression === undefined || expression === '' ? ['_all'] : expression.split(',').map((p) => resolveDateMathName(p.trim(), now)).filter((p) => p !== '');
    const states = wildcardStates(options.expandWildcards ?? 'open');
    const routes = new Map<string, Array<Json | undefined>>();
    const routings = new Map<string, Array<string[] | undefined>>();
    const add = (service: IndexService, filter: Json | undefined, alias?: string): void => {
      const list = routes.get(service.name) ?? [];
      list.push(filter);
      routes.set(service.name, list);
      const searchRouting = alias === undefined ? undefined : service.meta.aliases[alias]?.search_routing;
      const values = routings.get(service.name) ?? [];
      values.push(searchRouting === undefined ? undefined : searchRouting.split(',').map((v) => v.trim()));
      routings.set(service.name, values);
    };
    parts.forEach((part, i) => {
      if (part.startsWith('-') && i > 0) {
        const pattern = part.slice(1);
        for (const name of [...routes.keys()]) if (wildcardMatch(pattern, name)) routes.delete(name);
        return;
      }
      // expand_wildcards=none: a wildcard is taken as a name, which no index has (8.6+)
      const expands = part === '_all' || ((part === '*' || isWildcard(part)) && !states.none);
      if (expands) {
        const pattern = part === '_all' ? '*' : part;
        for (const service of this.indices.values()) {
          const hidden = service.name.startsWith('.') || service.meta.settings['index.hidden'] === 'true';
          if (hidden && !states.hidden && !pattern.startsWith('.')) continue;
          if (!(service.closed ? states.closed : states.open)) continue;
          if (wildcardMatch(pattern, service.name)) add(service, undefined);
        }
        if (part !== '_all') {
          for (const alias of this.allAliasNames()) {
            if (!wildcardMatch(pattern, alias)) continue;
            for (const service of this.aliasTargets(alias)) add(service, service.meta.aliases[alias]!.filter, alias);
          }
          for (const alias of this.dataStreams.aliases()) if (wildcardMatch(pattern, alias.name)) this.addStreamAlias(alias, add, states);
        }
        // a data stream matched by the pattern brings its backing indices (hidden themselves)
        if (!states.none) {
          for (const stream of this.dataStreams.all()) {
            if (stream.hidden && !states.hidden && !(pattern.startsWith('.') && stream.name.startsWith('.'))) continue;
            if (!wildcardMatch(pattern, stream.name)) continue;
            for (const index of stream.indices) {
              const service = this.indices.get(index);
              if (service && (service.closed ? states.closed : states.open)) add(service, undefined);
            }
          }
        }
        return;
      }
      const direct = this.indices.get(part);
      if (direct) {
        add(direct, undefined);
        return;
      }
      const stream = this.dataStreams.get(part);
      if (stream) {
        for (const index of stream.indices) {
          const service = this.indices.get(index);
          if (service) add(service, undefined);
        }
        return;
      }
      const targets = this.aliasTargets(part);
      if (targets.length > 0) {
        for (const service of targets) add(service, service.meta.aliases[part]!.filter, part);
        return;
      }
      const streamAlias = this.dataStreams.alias(part);
      if (streamAlias) {
        this.addStreamAlias(streamAlias, add, states);
        return;
      }
      if (!options.ignoreUnavailable) throw indexNotFound(part);
    });
    const red: IndexService[] = [];
    for (const name of [...routes.keys()]) {
      // IndexNameExpressionResolver.shouldTrackConcreteIndex: a closed index is refused, or skipped with ignore_unavailable
      const service = this.indices.get(name)!;
      if (!service.closed || options.allowClosed) {
        if (service.failure && !options.allowClosed && !options.allowFailed) red.push(service);
        continue;
      }
      if (!options.ignoreUnavailable) throw indexClosed(service);
      routes.delete(name);
    }
    // a red index: its metadata is read (allowClosed), its shards are not there to search. Elasticsearch
    // would still answer from the other indices' shards (a 200 listing these failures); the engine
    // refuses the whole search instead, never a partial answer that could be taken for a whole one
    if (red.length > 0) throw allShardsUnavailable(red.sort((a, b) => (a.name < b.name ? -1 : 1)));
    if (routes.size === 0 && options.allowNoIndices === false) throw indexNotFound(expression ?? '_all');
    const out: ResolvedIndex[] = [];
    for (const [name, filters] of routes) {
      const service = this.indices.get(name)!;
      const values = routings.get(name) ?? [];
      // IndexNameExpressionResolver.resolveSearchRouting: a route without routing searches every shard
      const searchRouting = values.some((v) => v === undefined) ? {} : { searchRouting: [...new Set(values.flatMap((v) => v!))] };
      if (filters.some((f) => f === undefined)) out.push({ service, ...searchRouting });
      else if (filters.length === 1) out.push({ service, filter: filters[0]!, ...searchRouting });
      else out.push({ service, filter: { bool: { should: filters, minimum_should_match: 1 } }, ...searchRouting });
    }
    return out.sort((a, b) => (a.service.name < b.service.name ? -1 : 1));
  }

  /**
   * DELETE /<index>: concrete names only while action.destructive_requires_name is true (8.x's
   * default); when false, `_all` and wildcards expand to concrete indices (never to aliases), and
   * an expression matching nothing is `index_not_found_exception` with allow_no_indices=false.
   */
  delete(expression: string, options: ResolveOptions & { destructiveRequiresName?: boolean } = {}): string[] {
    const now = Date.now();
    const parts = expression.split(',').map((p) => resolveDateMathName(p.trim(), now)).filter((p) => p !== '');
    const doomed: IndexService[] = [];
    for (const part of parts) {
      if (part === '_all' || isWildcard(part)) {
        if (options.destructiveRequiresName !== false) throw illegalArgument('Wildcard expressions or all indices are not allowed');
        const pattern = part === '_all' ? '*' : part;
        const matched = [...this.indices.values()].filter((s) => wildcardMatch(pattern, s.name));
        if (matched.length === 0 && options.allowNoIndices === false) throw indexNotFound(part);
        for (const s of matched) if (!doomed.includes(s)) doomed.push(s);
        continue;
      }
      const service = this.indices.get(part);
      if (service) {
        // MetadataDeleteIndexService: a stream's write index stays; another backing index leaves the stream
        const parent = this.dataStreams.parentOf(part);
        if (parent && parent.indices[parent.indices.length - 1] === part) {
          throw illegalArgument(`index [${part}] is the write index for data stream [${parent.name}] and cannot be deleted`);
        }
        doomed.push(service);
        continue;
      }
      if (this.dataStreams.has(part)) {
        if (options.ignoreUnavailable) continue;
        throw illegalArgument(`The provided expression [${part}] matches a data stream, specify the corresponding concrete indices instead.`);
      }
      if (this.aliasTargets(part).length > 0) {
        // IndexNameExpressionResolver with ignore_aliases: an alias is skipped when unavailable names are ignored
        if (options.ignoreUnavailable) continue;
        throw illegalArgument(`The provided expression [${part}] matches an alias, specify the corresponding concrete indices instead.`);
      }
      if (!options.ignoreUnavailable) throw indexNotFound(part);
    }
    for (const service of doomed) this.remove(service);
    return doomed.map((s) => s.name);
  }

  /**
   * MetadataIndexTemplateService.validateTemplate: settings and mappings that make an index (the
   * analysis it names exists, the mapping parses against it), with nothing created.
   */
  validateTemplate(templateSettings: FlatSettings, mappings: Json[], composable: boolean): Mapping | undefined {
    const settings: FlatSettings = { 'index.number_of_shards': '1', 'index.number_of_replicas': '1', ...templateSettings };
    validateMergeScheduler(settings, availableParallelism());
    const analysis = this.analysisFactory(settings);
    validateIndexModeSettings(settings);
    if (mappings.length === 0) return undefined;
    const merged = composable ? mergeTemplateMappings(mappings) : mappings.reduce<Json>((acc, m) => mergeDefaults(acc, stripDocType(m)), {});
    try {
      const mapping = Mapping.parse(merged, analysis, Number(settings['index.mapping.total_fields.limit'] ?? 1000), Number(settings['index.mapping.depth.limit'] ?? 20), mappingDefaults(settings), sourceModesOf(settings));
      indexSortOf(settings, mapping.lookup());
      return mapping;
    } catch (error) {
      const refusal = error instanceof EngineError && /is not supported by the indexkit embedded engine/.test(error.message);
      if (error instanceof EngineError && !refusal && (error.type === 'mapper_parsing_exception' || error.type === 'illegal_argument_exception')) {
        throw mapperParsing(`Failed to parse mapping: ${error.message}`, error);
      }
      throw error;
    }
  }

  remove(service: IndexService): void {
    const parent = this.dataStreams.parentOf(service.name);
    // DataStream.removeBackingIndex: the stream's generation moves on too
    if (parent) this.dataStreams.put({ ...parent, generation: parent.generation + 1, indices: parent.indices.filter((i) => i !== service.name) });
    this.indices.delete(service.name);
    service.destroy();
  }

  closeAll(): void {
    for (const service of this.indices.values()) service.close();
    this.indices.clear();
  }

  hasDataDir(): boolean {
    return existsSync(this.dataDir);
  }
}

/** Writes of documents refuse a closed index, and a red one (its primaries are not active). */
function openOnly(service: IndexService): IndexService {
  if (service.closed) throw indexClosed(service);
  if (service.failure) throw unavailableShards(service, 0);
  return service;
}

/** Reads of one document refuse a closed index, and a red one (no shard to read from). */
function readable(service: IndexService, request: string): IndexService {
  if (service.closed) throw indexClosed(service);
  if (service.failure) throw noShardAvailable(request);
  return service;
}

/**
 * TransportBulkAction.prohibitAppendWritesInBackingIndices: a backing index takes updates, deletes
 * and conditional index requests; appends go through its data stream.
 */
function checkBackingIndexWrite(stream: DataStream | undefined, op: WriteOp): void {
  if (!stream) return;
  if (op.type === 'create') throw illegalArgument(`index request with op_type=create targeting backing indices is disallowed, target corresponding data stream [${stream.name}] instead`);
  if (op.type === 'index' && !op.conditional) {
    throw illegalArgument(`index request with op_type=index and no if_primary_term and if_seq_no set targeting backing indices is disallowed, target corresponding data stream [${stream.name}] instead`);
  }
}

/** BulkOperation.addFailureIfRequiresDataStreamAndNoParentDataStream. */
function notADataStream(name: string): EngineError {
  return new EngineError(404, 'resource_not_found_exception', `[require_data_stream] request flag is [true] and [${name}] is not a data stream`);
}

function invalidNameForWrite(name: string): EngineError {
  return new EngineError(400, 'invalid_index_name_exception', `Invalid index name [${name}], must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]`, { index_uuid: '_na_', index: name });
}

/**
 * IndexMode.TIME_SERIES#validateMapping and the routing_path check of a time_series index: no
 * nested fields, and every mapped field that `index.routing_path` names is a dimension.
 */
function checkTimeSeriesMapping(settings: FlatSettings, mapping: Mapping): void {
  const lookup = mapping.lookup();
  if (lookup.nestedPaths().length > 0) throw illegalArgument('cannot have nested fields when index is in [index.mode=time_series]');
  checkRoutingRequired('time_series', mapping.routingRequired);
  const raw = settings['index.routing_path'];
  const patterns = (Array.isArray(raw) ? raw : String(raw ?? '').split(',')).map((p) => p.trim()).filter((p) => p.length > 0);
  for (const pattern of patterns) {
    const matches = pattern.includes('*') ? simpleMatcher(pattern) : { test: (p: string) => p === pattern };
    for (const path of lookup.fieldPaths()) {
      if (!matches.test(path)) continue;
      if (String(mapping.leaf(path)?.params.time_series_dimension ?? false) !== 'true') {
        throw illegalArgument(
          `All fields that match routing_path must be configured with [time_series_dimension: true] or flattened fields with a list of dimensions in [time_series_dimensions] and without the [script] parameter. [${path}] was not a dimension.`,
        );
      }
    }
  }
}

/** The mapping a new index gets from its templates and the request's own mappings. */
function templateMappings(template: ResolvedTemplate, request: Json | undefined): Json {
  // composable: merged in order, the request last (MergeReason.INDEX_TEMPLATE); legacy: the
  // request over the highest order over the lower ones (XContentHelper.mergeDefaults)
  if (template.composable) return mergeTemplateMappings(request === undefined ? template.mappings : [...template.mappings, request]);
  return template.mappings.reduce<Json>((acc, m) => mergeDefaults(acc, stripDocType(m)), stripDocType(request ?? {}));
}

/** A default mode mapping without its injected `host.name`. */
function withoutHostName(defaults: Json): Json {
  const properties = { ...(defaults.properties as Json) };
  delete properties.host;
  return { ...defaults, properties };
}
