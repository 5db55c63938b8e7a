import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisRegistry } from '../contract.js';
import { EngineError, illegalArgument, unsupported } from '../errors.js';
import { DocumentParser, ROUTING_FIELD } from '../index/mapping/document-parser.js';
import { emptyField } from '../index/parsed-document.js';
import type { ParsedDocument } from '../index/parsed-document.js';
import { memoryIndexView } from '../index/memory-index.js';
import { checkPercolatorQuery } from '../search/percolator/rewrite-percolate.js';
import { Mapping } from '../index/mapping/mapping.js';
import type { IndexSortKey } from './index-sort.js';
import { indexSortOf } from './index-sort.js';
import type { StoredDoc } from '../index/shard.js';
import { Shard } from '../index/shard.js';
import { IndexRouting } from '../index/routing.js';
import type { ShardView } from '../index/shard-view.js';
import { readSnapshot, writeSnapshot, writeSnapshotIncrementally } from '../index/store/snapshot.js';
import type { SnapshotJob } from '../index/store/snapshot.js';
import { writeFileAtomic } from '../index/store/record-file.js';
import { Translog } from '../index/store/translog.js';
import {
  alreadyExists,
  documentMissing,
  externalConflict,
  seqNoConflict,
  versionConflict,
} from '../index/version-conflicts.js';
import type { FlatSettings } from './index-settings.js';
import { checkPartitionedMapping, mappingDefaults, parseTimeValue } from './index-settings.js';
import { filterSource } from './source-filter.js';
import { GetStats, fielddataStats } from './shard-stats.js';
import { synthesizeSource } from '../index/mapping/synthetic-source.js';
import type { SourceMode } from '../index/mapping/source-mode.js';
import { sourceModesOf } from './index-modes.js';
import { copyNumberForm, unmarkNumber } from '../json-numbers.js';
import { SimilarityService } from '../search/similarity/similarity-settings.js';
import { noShardAvailable, unavailableShards } from './unassigned-shards.js';

type Json = Record<string, unknown>;

export interface AliasMetadata {
  filter?: Json;
  index_routing?: string;
  search_routing?: string;
  is_write_index?: boolean;
  is_hidden?: boolean;
}

export interface IndexMetadata {
  name: string;
  uuid: string;
  creationDate: number;
  settings: FlatSettings;
  mappings: Json;
  aliases: Record<string, AliasMetadata>;
  /** `close` after `POST /<index>/_close` (IndexMetadata.State); absent while open. */
  state?: 'close';
  /** When the data stream it was the write index of rolled over (IndexMetadata.getRolloverInfos). */
  rolloverDate?: number;
}

export interface WriteOptions {
  opType?: 'index' | 'create';
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
  version?: number;
  versionType?: 'internal' | 'external' | 'external_gte';
  /** Custom routing: the shard is chosen by this value instead of the id. */
  routing?: string;
}

export interface WriteResult {
  id: string;
  result: 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';
  seqNo: number;
  version: number;
  /** Set by update when asked for the new source. */
  source?: Json;
}

export type AnalysisFactory = (settings: FlatSettings) => AnalysisRegistry;

/** Translog size that triggers a flush (snapshot + truncation). */
const FLUSH_THRESHOLD_BYTES = 64 * 1024 * 1024;
const MAX_ID_BYTES = 512;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `doc` merged into `target` as partial updates do (objects merge, everything else replaces). */
function deepMerge(target: Json, doc: Json): Json {
  const out: Json = { ...target };
  for (const key of Object.keys(target)) copyNumberForm(target, key, out, key);
  for (const [key, value] of Object.entries(doc)) {
    const before = out[key];
    const merged = isRecord(before) && isRecord(value);
    out[key] = merged ? deepMerge(before, value) : value;
    if (!merged) {
      unmarkNumber(out, key);
      copyNumberForm(doc, key, out, key);
    }
  }
  return out;
}

/** 500 `translog_exception`, as Elasticsearch fails a write its translog could not take. */
function writeFailure(index: string, dir: string, error: unknown): EngineError {
  const code = (error as NodeJS.ErrnoException).code;
  const cause = new EngineError(500, 'i_o_exception', error instanceof Error ? error.message : String(error));
  const hint = code === 'ENOSPC' ? `the disk holding ${dir} is full: free space and retry` : `check the disk holding ${dir} and retry`;
  return new EngineError(500, 'translog_exception', `[${index}] failed to write the translog; the operations of this request were not applied: ${hint}`, {}, cause);
}

const UPDATE_FIELDS = ['script', 'scripted_upsert', 'upsert', 'doc', 'doc_as_upsert', 'detect_noop', '_source'];

/** ObjectParser's suggestion (SuggestingErrorOnUnknown): candidates with Levenshtein similarity above 0.5. */
function didYouMean(field: string, candidates: string[]): string {
  const similarity = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row;
    }
    return 1 - prev[b.length]! / Math.max(a.length, b.length);
  };
  const scored = candidates.map((c) => ({ c, d: similarity(field, c) })).filter((x) => x.d > 0.5).sort((x, y) => y.d - x.d || x.c.localeCompare(y.c));
  if (scored.length === 0) return '';
  return scored.length === 1 ? ` did you mean [${scored[0]!.c}]?` : ` did you mean any of [${scored.map((x) => x.c).join(', ')}]?`;
}

/** One index: metadata, mapping, the shard, its translog and flush snapshots, in `<dir>/indices/<uuid>/`. */
export class IndexService {
  /** Translog bytes that trigger a flush (tests lower it to exercise crashes around flushes). */
  static flushThresholdBytes = FLUSH_THRESHOLD_BYTES;
  readonly mapping: Mapping;
  /** number_of_shards over routing_num_shards: where each id (or routing value) lives. */
  readonly routing: IndexRouting;
  /** `index.sort.*` (final settings): the order of the docs in every segment, or undefined. */
  readonly indexSort: IndexSortKey[] | undefined;
  /** `index.similarity.*` as SimilarityService builds them (rebuilt when the settings change). */
  similarities!: SimilarityService;
  private shardList: Shard[] = [];
  /** Shards written since the last {@link refreshWritten} (a write's `refresh=true` refreshes only those). */
  private written = new Set<Shard>();
  private readonly parser: DocumentParser;
  private translog!: Translog;
  private persistedMappingVersion: number;
  private metaDirty = false;
  lastWriteAt = 0;
  private snapshotBytes = 0;
  /** When the index failed to open (UnassignedInfo's `at`). */
  readonly failedAt?: number;

  private constructor(
    readonly dir: string,
    readonly meta: IndexMetadata,
    readonly analysis: AnalysisRegistry,
    /**
     * Why the index could not be opened when the engine started (a word file or hunspell
     * dictionary its analysis needs is gone, its stored files are unreadable): its shards are
     * unassigned, as Elasticsearch leaves the shards of an index that failed to allocate. Its
     * metadata is served; its data files are never read, rewritten or deleted while it is failed.
     */
    readonly failure?: EngineError,
  ) {
    if (failure) {
      this.failedAt = Date.now();
      this.mapping = failedMapping(meta, analysis);
      this.similarities = new SimilarityService({});
      this.indexSort = undefined;
      this.routing = new IndexRouting(Number(meta.settings['index.number_of_shards'] ?? 1), undefined, 1);
      this.persistedMappingVersion = this.mapping.version;
      this.parser = new DocumentParser(this.mapping, false, () => undefined, () => false);
      return;
    }
    this.mapping = Mapping.parse(meta.mappings, analysis, Number(meta.settings['index.mapping.total_fields.limit'] ?? 1000), Number(meta.settings['index.mapping.depth.limit'] ?? 20), mappingDefaults(meta.settings), sourceModesOf(meta.settings));
    this.applySettings();
    this.indexSort = indexSortOf(meta.settings, this.mapping.lookup());
    const numShards = Number(meta.settings['index.number_of_shards'] ?? 1);
    const routingShards = meta.settings['index.number_of_routing_shards'];
    this.routing = new IndexRouting(numShards, routingShards !== undefined ? Number(routingShards) : undefined, Number(meta.settings['index.routing_partition_size'] ?? 1));
    this.persistedMappingVersion = this.mapping.version;
    this.parser = new DocumentParser(this.mapping, true, (query) => this.checkPercolatorQuery(query), (similarity) => this.similarities.countsOverlaps(similarity));
    this.load();
    if (this.mapping.version !== this.persistedMappingVersion) this.persistMeta();
  }

  /** The first shard (the only one of a one-shard index). */
  get shard(): Shard {
    return this.shardList[0]!;
  }

  /** The in-memory shards (replaced when writes that could not be made durable are dropped). */
  get shards(): readonly Shard[] {
    return this.shardList;
  }

  /** The shard a document lives in, by its id or its custom routing (IndexRouting.shardId). */
  shardFor(id: string, routing?: string): Shard {
    return this.shardList[this.routing.shardId(id, routing)]!;
  }

  /** The index's last sequence number (one sequence for the whole index, over its shards). */
  private get maxSeqNo(): number {
    let max = -1;
    for (const shard of this.shardList) if (shard.maxSeqNo > max) max = shard.maxSeqNo;
    return max;
  }

  /** Builds the shards from what is durable: the last flush snapshot, then the translog. */
  private load(): void {
    const dir = this.dir;
    this.written.clear();
    this.shardList = Array.from({ length: this.routing.numShards }, (_, shardId) => new Shard({
      index: this.meta.name,
      uuid: this.meta.uuid,
      analysis: this.analysis,
      lookup: () => this.mapping.lookup(),
      maxResultWindow: () => this.maxResultWindow,
      setting: (key) => this.meta.settings[key],
      similarities: () => this.similarities,
      maxAnalyzedOffset: () => this.maxAnalyzedOffset,
      shardId,
      routingDocValues: () => this.mapping.routingDocValues,
      indexSort: this.indexSort,
    }));
    const snapshotPath = join(dir, 'snapshot.bin');
    // temp files of a flush a crash interrupted: never renamed into place, so never read
    for (const temp of [`${snapshotPath}.tmp`, `${snapshotPath}.flushing`, join(dir, 'translog.bin.next')]) rmSync(temp, { force: true });
    const snapshot = readSnapshot(snapshotPath);
    if (existsSync(snapshotPath)) this.snapshotBytes = statSync(snapshotPath).size;
    for (const doc of snapshot.docs) this.applyIndex(doc.id, doc.source, doc.seqNo, doc.version, doc.routing);
    const { translog, ops } = Translog.open(join(dir, 'translog.bin'));
    this.translog = translog;
    for (const op of ops) {
      if (op.seqNo <= snapshot.maxSeqNo) continue;
      if (op.op === 'index') this.applyIndex(op.id, op.source, op.seqNo, op.version, op.routing);
      else this.shardFor(op.id, op.routing).delete(op.id, op.seqNo, op.version);
    }
    if (this.maxSeqNo < snapshot.maxSeqNo) this.shard.maxSeqNo = snapshot.maxSeqNo;
    for (const shard of this.shardList) shard.refresh();
  }

  /** Creates a new index directory with its metadata. */
  static create(dir: string, meta: IndexMetadata, analysis: AnalysisRegistry): IndexService {
    mkdirSync(dir, { recursive: true });
    const service = new IndexService(dir, meta, analysis);
    service.persistMeta();
    return service;
  }

  /**
   * Opens an existing index directory (snapshot + translog replay). An index that cannot be opened
   * (its analysis or its stored files fail) comes back failed, with the cause, instead of throwing:
   * one broken index never keeps the engine from starting (see {@link failure}). `fallback` gives
   * the analysis its metadata is parsed with then (the node's pre-built components).
   */
  static open(dir: string, analysisFactory: AnalysisFactory, fallback: () => AnalysisRegistry = () => ({ analyzer: () => undefined, normalizer: () => undefined })): IndexService | undefined {
    const metaPath = join(dir, 'meta.json');
    if (!existsSync(metaPath)) return undefined;
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as IndexMetadata;
    try {
      return new IndexService(dir, meta, analysisFactory(meta.settings));
    } catch (error) {
      return new IndexService(dir, meta, fallback(), allocationFailure(error));
    }
  }

  get name(): string {
    return this.meta.name;
  }

  /**
   * A red index has no shards to write to: the request layer refuses it first (IndicesService), this
   * keeps any other way in from touching the files it left as they were.
   */
  private assertAssigned(id: string, routing: string | undefined): void {
    if (this.failure) throw unavailableShards(this, this.routing.shardId(id, routing));
  }

  private assertReadable(): void {
    if (this.failure) throw noShardAvailable(`[${this.name}]`);
  }

  /** Closed by `POST /<index>/_close`: no reads or writes until it is opened again. */
  get closed(): boolean {
    return this.meta.state === 'close';
  }

  /**
   * Closes or opens the index (MetadataIndexStateService): a close flushes everything to the
   * snapshot first; an open restarts the shards, so what a shard reads at start-up (the mapping's
   * `@timestamp` segment sort) is read again. The state is kept in meta.json across restarts.
   */
  setClosed(closed: boolean): void {
    if (closed === this.closed) return;
    if (closed) {
      if (!this.failure) this.flush();
      this.meta.state = 'close';
    } else {
      delete this.meta.state;
      if (!this.failure) for (const shard of this.shardList) shard.restart();
    }
    this.persistMeta();
  }

  get uuid(): string {
    return this.meta.uuid;
  }

  /** Re-reads the settings the mapping enforces (after create or a settings update). */
  applySettings(): void {
    this.similarities = new SimilarityService(this.meta.settings);
    this.mapping.applyLimits(this.meta.settings);
    this.mapping.applyDefaults(mappingDefaults(this.meta.settings));
  }

  get maxAnalyzedOffset(): number {
    return Number(this.meta.settings['index.highlight.max_analyzed_offset'] ?? 1_000_000);
  }

  get maxResultWindow(): number {
    return Number(this.meta.settings['index.max_result_window'] ?? 10000);
  }

  /** index.refresh_interval in ms (-1: disabled). */
  get refreshIntervalMs(): number {
    const raw = this.meta.settings['index.refresh_interval'];
    return raw === undefined ? 1000 : parseTimeValue(String(raw), 'index.refresh_interval');
  }

  persistMeta(): void {
    // a failed index's mapping was parsed without its analysis: the stored one stays as it is
    if (!this.failure) this.meta.mappings = this.mapping.toJSON();
    writeFileAtomic(join(this.dir, 'meta.json'), JSON.stringify(this.meta));
    this.persistedMappingVersion = this.mapping.version;
    this.metaDirty = false;
  }

  /** The mapping as GET _mapping shows it: a red index's as it was stored (it was parsed without its analysis). */
  mappingSource(): Json {
    return this.failure ? this.meta.mappings : this.mapping.toJSON();
  }

  markMetaDirty(): void {
    this.metaDirty = true;
  }

  /** A document as the mapping indexes it, without adding dynamic fields to the mapping (they are left out). */
  parseDetached(source: Json): ParsedDocument {
    return new DocumentParser(this.mapping, false, (query) => this.checkPercolatorQuery(query), (similarity) => this.similarities.countsOverlaps(similarity)).parse(source, undefined);
  }

  /** An in-memory index of `docs` alone, parsed with the current mapping (what a percolate query searches). */
  memoryView(docs: readonly Json[]): ShardView {
    return memoryIndexView(this.name, this.uuid, this.mapping.lookup(), this.analysis, docs.map((source) => ({ source, parsed: this.parseDetached(source) })));
  }

  /** PercolatorFieldMapper.parse: the query must convert with the mapping of the moment. */
  private checkPercolatorQuery(query: unknown): void {
    checkPercolatorQuery(query, memoryIndexView(this.name, this.uuid, this.mapping.lookup(), this.analysis, []));
  }

  private applyIndex(id: string, source: Json, seqNo: number, version: number, routing?: string): void {
    const parsed = this.parser.parse(source, id, routing);
    this.checkPartitionedMapping(this.mapping);
    // RoutingFieldMapper: the routing value indexed as a keyword term of `_routing` (term, terms, exists)
    if (routing !== undefined) parsed.fields.set(ROUTING_FIELD, { ...emptyField(true, this.mapping.routingDocValues), keywords: [routing] });
    const config = this.mapping.source;
    let exposed: Json | undefined = source;
    if (!config.enabled) exposed = undefined;
    else if (config.mode === 'synthetic') exposed = synthesizeSource(source, this.mapping);
    else if (config.includes.length > 0 || config.excludes.length > 0) exposed = filterSource(source, config.includes, config.excludes);
    this.shardFor(id, routing).index(id, exposed, exposed === source ? undefined : source, parsed, seqNo, version, routing);
  }

  /** `index.blocks.write` / `read_only` / `read_only_allow_delete`, enforced as cluster blocks. */
  private checkWritable(isDelete: boolean): void {
    const settings = this.meta.settings;
    const block = (id: number, name: string): EngineError =>
      new EngineError(403, 'cluster_block_exception', `index [${this.name}] blocked by: [FORBIDDEN/${id}/${name}];`);
    if (settings['index.blocks.read_only'] === 'true') throw block(5, 'index read-only (api)');
    if (settings['index.blocks.write'] === 'true') throw block(8, 'index write (api)');
    if (!isDelete && settings['index.blocks.read_only_allow_delete'] === 'true') {
      throw new EngineError(429, 'cluster_block_exception', `index [${this.name}] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];`);
    }
  }

  /**
   * Writes into time_series and logsdb indices are refused: their _id, routing, timestamp checks
   * and default settings (tsid, time bounds, ignore_malformed/ignore_above defaults, index sort)
   * are not built, and a write that ES answers differently must not be acknowledged.
   */
  private checkIndexMode(): void {
    const mode = this.mapping.modes.indexMode;
    if (mode !== 'standard') throw unsupported(`writing documents into an index with [index.mode=${mode}]`);
  }

  /**
   * A put-mapping that changes how `_source` is kept, on an index that holds documents: Elasticsearch
   * then shows each existing document as its stored `_source` (when it had one) or synthesizes it
   * without the fields kept only for synthetic source. Allowed only when no document would read
   * differently from what the engine keeps for it; refused (400) otherwise.
   */
  checkSourceModeChange(next: SourceMode, synthesize: (source: Json) => Json): void {
    const before = this.mapping.sourceMode;
    if (next === before) return;
    for (const doc of this.liveDocs()) {
      let shown: Json | undefined;
      if (next === 'synthetic') shown = synthesize(doc.original);
      else shown = before === 'stored' ? doc.source : undefined;
      if (JSON.stringify(shown) !== JSON.stringify(doc.source)) {
        throw unsupported(`changing [_source.mode] from [${before}] to [${next}] on an index whose documents would then read differently (document [${doc.id}])`);
      }
    }
  }

  /** RoutingMissingException: `_routing: {required: true}` and no routing given. */
  checkRouting(id: string, routing: string | undefined): void {
    if (routing === undefined && this.mapping.routingRequired) {
      throw new EngineError(400, 'routing_missing_exception', `routing is required for [${this.name}]/[${id}]`, { index_uuid: '_na_', index: this.name });
    }
  }

  /** DocumentMapper.validate: a partitioned index's mapping must require routing (once it has one). */
  checkPartitionedMapping(mapping: Mapping): void {
    checkPartitionedMapping(this.name, this.meta.settings, mapping);
  }

  private checkId(id: string): void {
    const bytes = Buffer.byteLength(id);
    if (bytes > MAX_ID_BYTES) {
      throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: id [${id}] is too long, must be no longer than 512 bytes but was: ${bytes};`);
    }
    if (id.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: if _id is specified it must not be empty;');
  }

  /** The version the write will get, after the concurrency checks. */
  private resolveVersion(id: string, options: WriteOptions, forDelete: boolean): number {
    const entry = this.shardFor(id, options.routing).entry(id);
    const current = entry && !entry.deleted ? entry : undefined;
    const conflict = (detail: string): EngineError => versionConflict(this.name, this.uuid, id, detail, this.routing.shardId(id, options.routing));
    if (options.opType === 'create' && current) throw conflict(alreadyExists(current.version));
    if (options.ifSeqNo !== undefined) {
      const term = options.ifPrimaryTerm ?? 1;
      if (!current || current.seqNo !== options.ifSeqNo || term !== 1) throw conflict(seqNoConflict(options.ifSeqNo, term, current));
    }
    const type = options.versionType ?? 'internal';
    if (type !== 'internal') {
      if (options.version === undefined) {
        throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: an external version is required;`);
      }
      const gte = type === 'external_gte';
      if (entry && (gte ? entry.version > options.version : entry.version >= options.version) && (current || !forDelete)) {
        throw conflict(externalConflict(entry.version, options.version, gte));
      }
      return options.version;
    }
    if (options.version !== undefined) {
      throw new EngineError(
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead;',
      );
    }
    return entry ? entry.version + 1 : 1;
  }

  /** `rawSource`: the JSON text of `source` as received (saves re-serializing it for the translog). */
  /** IndexingStats since this index was opened (in memory, as a shard's counters are since it started). */
  readonly indexing = { index_total: 0, delete_total: 0, noop_update_total: 0 };
  /** The `get` metric of `_stats`. */
  readonly gets = new GetStats();

  index(id: string, source: Json, options: WriteOptions = {}, rawSource?: string): WriteResult {
    this.assertAssigned(id, options.routing);
    this.checkWritable(false);
    this.checkIndexMode();
    this.checkId(id);
    this.checkRouting(id, options.routing);
    if (!isRecord(source)) throw new EngineError(400, 'mapper_parsing_exception', 'failed to parse, document is empty');
    const existed = this.shardFor(id, options.routing).entry(id)?.deleted === false;
    const version = this.resolveVersion(id, options, false);
    const seqNo = this.maxSeqNo + 1;
    const mappingBefore = this.mapping.version;
    const saved = this.mapping.save();
    try {
      this.applyIndex(id, source, seqNo, version, options.routing);
      this.written.add(this.shardFor(id, options.routing));
    } catch (error) {
      this.mapping.restore(saved);
      throw error;
    }
    if (this.mapping.version !== mappingBefore) this.metaDirty = true;
    this.translog.append({ op: 'index', id, seqNo, version, source, ...(options.routing !== undefined ? { routing: options.routing } : {}) }, rawSource);
    this.lastWriteAt = Date.now();
    this.indexing.index_total++;
    return { id, result: existed ? 'updated' : 'created', seqNo, version };
  }

  delete(id: string, options: WriteOptions = {}): WriteResult {
    this.assertAssigned(id, options.routing);
    this.checkWritable(true);
    this.checkId(id);
    this.checkRouting(id, options.routing);
    const shard = this.shardFor(id, options.routing);
    const existed = shard.entry(id)?.deleted === false;
    const version = this.resolveVersion(id, options, true);
    const seqNo = this.maxSeqNo + 1;
    shard.delete(id, seqNo, version);
    this.written.add(shard);
    this.translog.append({ op: 'delete', id, seqNo, version, ...(options.routing !== undefined ? { routing: options.routing } : {}) });
    this.lastWriteAt = Date.now();
    this.indexing.delete_total++;
    return { id, result: existed ? 'deleted' : 'not_found', seqNo, version };
  }

  /** `_update`: partial doc, upsert, doc_as_upsert, detect_noop. */
  update(id: string, body: Json, options: WriteOptions & { wantSource?: boolean } = {}): WriteResult {
    this.assertAssigned(id, options.routing);
    for (const key of Object.keys(body)) {
      if (key === 'script') throw illegalArgument('[update script] is not supported by the indexkit embedded engine');
      if (!UPDATE_FIELDS.includes(key)) {
        throw new EngineError(400, 'x_content_parse_exception', `[1:2] [UpdateRequest] unknown field [${key}]${didYouMean(key, UPDATE_FIELDS)}`);
      }
    }
    const doc = body.doc;
    if (doc !== undefined && !isRecord(doc)) throw new EngineError(400, 'x_content_parse_exception', '[1:9] [UpdateRequest] failed to parse field [doc]');
    if (doc === undefined && body.upsert === undefined) {
      throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: script or doc is missing;');
    }
    this.checkRouting(id, options.routing);
    // an update reads the current document through the shard's get service (getForUpdate): a get
    const existing = this.gets.record(() => this.shardFor(id, options.routing).get(id));
    if (!existing) {
      const upsert = body.doc_as_upsert === true ? doc : body.upsert;
      if (!isRecord(upsert)) throw documentMissing(this.name, this.uuid, id, this.routing.shardId(id, options.routing));
      const result = this.index(id, upsert, { ...options, opType: 'create' });
      return { ...result, ...(options.wantSource ? { source: upsert } : {}) };
    }
    if (options.ifSeqNo !== undefined) this.resolveVersion(id, { ifSeqNo: options.ifSeqNo, ifPrimaryTerm: options.ifPrimaryTerm, ...(options.routing !== undefined ? { routing: options.routing } : {}) }, false);
    // UpdateHelper reads the document's _source as a get does: synthetic when the index synthesizes it
    const current = this.mapping.sourceMode === 'synthetic' && existing.source ? existing.source : existing.original;
    const merged = doc ? deepMerge(current, doc) : current;
    const detectNoop = body.detect_noop !== false;
    if (detectNoop && JSON.stringify(merged) === JSON.stringify(current)) {
      this.indexing.noop_update_total++;
      return { id, result: 'noop', seqNo: existing.seqNo, version: existing.version, ...(options.wantSource ? { source: current } : {}) };
    }
    const result = this.index(id, merged, options.routing !== undefined ? { routing: options.routing } : {});
    return { ...result, ...(options.wantSource ? { source: merged } : {}) };
  }

  /** A realtime get by id (counted in the `get` stats). */
  get(id: string, routing?: string): StoredDoc | undefined {
    if (this.failure) throw noShardAvailable(`get [${this.name}][${id}]: routing [${routing ?? 'null'}]`);
    this.checkRouting(id, routing);
    return this.gets.record(() => this.shardFor(id, routing).get(id));
  }

  /** The `fielddata` metric of `_stats` over the shards' current readers. */
  fielddataStats(fields?: readonly string[]): Record<string, unknown> {
    return fielddataStats(this.shardList.map((shard) => shard.view()), fields);
  }

  /** `_cache/clear?fielddata=true`: drops the global ordinals built over the current readers. */
  clearFielddata(): void {
    for (const shard of this.shardList) shard.view().globalOrdinals.clear();
  }

  /** Every live document of every shard (buffered or not), for flush snapshots. */
  private *liveDocs(): Generator<StoredDoc> {
    for (const shard of this.shardList) yield* shard.liveDocs();
  }

  /** Counts for `_stats` / `_cat/indices` over the primaries (as of the last refresh). */
  stats(): { count: number; deleted: number; bytes: number } {
    this.assertReadable();
    const out = { count: 0, deleted: 0, bytes: 0 };
    for (const shard of this.shardList) {
      const s = shard.stats();
      out.count += s.count;
      out.deleted += s.deleted;
      out.bytes += s.bytes;
    }
    return out;
  }

  /**
   * fsync the translog (and the metadata if dynamic mapping changed) before acknowledging. When
   * that fails (disk full, I/O error) the writes applied in memory since the last sync are
   * dropped (the shard is rebuilt from what is durable) and a 500 `translog_exception` says so:
   * a write is acknowledged and visible only once it is on disk.
   */
  sync(): void {
    this.assertReadable();
    try {
      if (this.metaDirty || this.mapping.version !== this.persistedMappingVersion) this.persistMeta();
      this.translog.sync();
    } catch (error) {
      this.dropUndurableWrites();
      throw writeFailure(this.name, this.dir, error);
    }
    // A flush rewrites every source: wait for as many translog bytes as the last snapshot had (at least 64mb),
    // so flushing costs at most about twice the bytes written. The writes are already durable in the
    // translog: a flush that fails (disk full) leaves them there and is tried again on a later sync.
    if (this.translog.size > Math.max(IndexService.flushThresholdBytes, this.snapshotBytes) && !this.flushing) {
      try {
        this.startFlush();
      } catch {
        // kept in the translog; nothing lost
      }
    }
  }

  /** The incremental flush in progress, if any. */
  private flushing: SnapshotJob | undefined;

  /**
   * Flush off the request path: the live documents are captured and the translog moves to a new
   * generation at once; the snapshot is then written a slice at a time while requests go on, and
   * the old generation is dropped only when the snapshot is in place (a crash meanwhile replays
   * old generation + new one over the previous snapshot).
   */
  private startFlush(): void {
    if (this.translog.hasOldGeneration) {
      // a previous incremental flush did not finish: flush everything in one go
      this.flush();
      return;
    }
    const maxSeqNo = this.maxSeqNo;
    const docs = Array.from(this.liveDocs());
    this.translog.rotate();
    const job = writeSnapshotIncrementally(join(this.dir, 'snapshot.bin'), maxSeqNo, docs);
    this.flushing = job;
    job.done.then(
      (bytes) => {
        if (this.flushing !== job) return;
        this.flushing = undefined;
        this.snapshotBytes = bytes;
        try {
          this.translog.dropOldGeneration();
        } catch {
          // dropped by the next flush; recovery skips what the snapshot holds
        }
        for (const shard of this.shardList) shard.pruneTombstones();
      },
      () => {
        if (this.flushing === job) this.flushing = undefined;
      },
    );
  }

  /** Stops an incremental flush (its temp file removed); the translog generations keep everything. */
  private abortFlush(): void {
    this.flushing?.abort();
    this.flushing = undefined;
  }

  /** Rebuilds the shard from the snapshot and translog, forgetting operations that never reached the disk. */
  private dropUndurableWrites(): void {
    this.abortFlush();
    this.translog.discardPending();
    try {
      this.translog.close();
    } catch {
      // the descriptor is released by close(); its pending data was already discarded
    }
    this.load();
  }

  /** Refreshes every shard; returns the first shard's new view (the only one of a one-shard index). */
  refresh(): ShardView {
    this.assertReadable();
    for (const shard of this.shardList) shard.refresh();
    return this.shard.view();
  }

  /**
   * `refresh=true` / `wait_for` of a write: refreshes the shards written since the last call, as
   * Elasticsearch refreshes the shard a write went to (other shards keep their unrefreshed writes).
   * `apply` false only forgets them (a write without refresh).
   */
  refreshWritten(apply = true): void {
    if (apply) for (const shard of this.written) shard.refresh();
    this.written.clear();
  }

  /** The first shard's search view (the whole index when it has one shard). */
  searchView(): ShardView {
    return this.shardSearchView(this.shard);
  }

  /** The views searches read, one per shard in shard order. */
  searchViews(): ShardView[] {
    this.assertReadable();
    return this.shardList.map((shard) => this.shardSearchView(shard));
  }

  /** A shard's view, refreshing first when its buffer is older than index.refresh_interval. */
  private shardSearchView(shard: Shard): ShardView {
    const interval = this.refreshIntervalMs;
    const since = shard.dirtySince;
    if (interval >= 0 && since !== 0 && Date.now() - since >= interval) return shard.refresh();
    const view = shard.view();
    if (view.mapping !== this.mapping.lookup() || view.maxResultWindow !== this.maxResultWindow || view.maxAnalyzedOffset !== this.maxAnalyzedOffset) return shard.republish();
    return view;
  }

  /** Flush: snapshot of every live doc, then an empty translog (both generations). */
  flush(): void {
    this.assertReadable();
    this.abortFlush();
    this.translog.sync();
    this.snapshotBytes = writeSnapshot(join(this.dir, 'snapshot.bin'), this.maxSeqNo, this.liveDocs());
    this.translog.truncate();
    this.translog.dropOldGeneration();
    for (const shard of this.shardList) shard.pruneTombstones();
  }

  get translogBytes(): number {
    return this.translog.size;
  }

  /** Flushes and closes; on a full disk the translog (durable) stays as it is and no temp file is left. */
  close(): void {
    if (this.failure) return;
    this.abortFlush();
    try {
      if (this.translog.size > 0 || this.translog.hasPending || this.translog.hasOldGeneration) this.flush();
      if (this.metaDirty) this.persistMeta();
    } catch {
      // everything acknowledged is in the translog already: recovery replays it
    }
    this.translog.discardPending();
    this.translog.close();
  }

  /** Deletes the index's files (delete index). */
  destroy(): void {
    if (!this.failure) {
      this.abortFlush();
      this.translog.close();
    }
    // The metadata goes first: a crash halfway leaves a directory that is skipped, never half an index.
    rmSync(join(this.dir, 'meta.json'), { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A failed index's mapping, for its metadata: parsed with the fallback analysis where analyzers it
 * names resolve to the standard one (nothing is analyzed with it), else empty.
 */
function failedMapping(meta: IndexMetadata, fallback: AnalysisRegistry): Mapping {
  const lenient: AnalysisRegistry = {
    analyzer: (name) => fallback.analyzer(name) ?? fallback.analyzer('standard'),
    normalizer: (name) => fallback.normalizer(name) ?? fallback.normalizer('lowercase'),
  };
  try {
    return Mapping.parse(JSON.parse(JSON.stringify(meta.mappings)) as Json, lenient, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, mappingDefaults(meta.settings), sourceModesOf(meta.settings));
  } catch {
    return Mapping.parse({}, lenient, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, mappingDefaults(meta.settings), sourceModesOf(meta.settings));
  }
}

/** The cause a failed allocation reports, as an Elasticsearch error. */
function allocationFailure(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(500, code === undefined ? 'exception' : 'i_o_exception', message);
}
