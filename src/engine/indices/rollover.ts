import { EngineError, illegalArgument, unsupported } from '../errors.js';
import type { AliasMetadata, IndexService } from './index-service.js';
import { parseTimeValue } from './index-settings.js';
import { resolveDateMathName, validateName } from './index-names.js';
import type { IndicesService } from './indices-service.js';
import { backingIndexName } from './data-streams.js';
import type { DataStream } from './data-streams.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The conditions RolloverConditions parses; the size ones need store sizes the engine does not measure as Lucene does. */
const DOC_CONDITIONS = ['max_docs', 'max_primary_shard_docs', 'min_docs', 'min_primary_shard_docs'] as const;
const AGE_CONDITIONS = ['max_age', 'min_age'] as const;
const SIZE_CONDITIONS = ['max_size', 'max_primary_shard_size', 'min_size', 'min_primary_shard_size'];

interface Condition {
  name: string;
  /** As Condition.toString shows it: `[max_docs: 1]`. */
  label: string;
  met: (stats: SourceStats) => boolean;
}

interface SourceStats {
  docs: number;
  maxShardDocs: number;
  ageMs: number;
}

export interface RolloverRequest {
  target: string;
  newIndex?: string;
  dryRun: boolean;
  lazy: boolean;
  body: Json;
}

/** TimeValue.toString: the largest unit the value reaches, one decimal at most (`90s` is `1.5m`). */
export function timeValueString(ms: number): string {
  if (ms === 0) return '0s';
  const units: Array<[number, string]> = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1000, 's'], [1, 'ms']];
  for (const [size, suffix] of units) {
    if (ms >= size) return `${Number((ms / size).toFixed(1))}${suffix}`;
  }
  return `${Math.round(ms * 1_000_000)}nanos`;
}

function parseConditions(input: unknown): Condition[] {
  if (input === undefined || input === null) return [];
  if (!isRecord(input)) throw new EngineError(400, 'x_content_parse_exception', '[1:2] [conditions] conditions doesn\'t support values of type: VALUE_STRING');
  const out: Condition[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (SIZE_CONDITIONS.includes(name)) throw unsupported(`rollover condition [${name}]`);
    if ((DOC_CONDITIONS as readonly string[]).includes(name)) {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [conditions] failed to parse field [${name}]`);
      const read = name.endsWith('primary_shard_docs') ? (s: SourceStats) => s.maxShardDocs : (s: SourceStats) => s.docs;
      out.push({ name, label: `[${name}: ${n}]`, met: name.startsWith('max') ? (s) => read(s) >= n : (s) => read(s) >= n });
    } else if ((AGE_CONDITIONS as readonly string[]).includes(name)) {
      const ms = parseTimeValue(String(value), name);
      out.push({ name, label: `[${name}: ${timeValueString(ms)}]`, met: (s) => s.ageMs >= ms });
    } else throw new EngineError(400, 'x_content_parse_exception', `[1:2] [conditions] unknown field [${name}]`);
  }
  if (out.some((c) => c.name.startsWith('min_')) && !out.some((c) => c.name.startsWith('max_'))) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: at least one max_* rollover condition must be set when using min_* conditions;');
  }
  return out;
}

/** IndexAbstraction.Alias#getWriteIndex: the flagged write index, or the only index unless it says it is not one. */
function writeIndexOf(indices: IndicesService, alias: string): IndexService {
  const targets = indices.aliasTargets(alias);
  const flagged = targets.filter((t) => t.meta.aliases[alias]!.is_write_index === true);
  if (flagged.length === 1) return flagged[0]!;
  if (targets.length === 1 && targets[0]!.meta.aliases[alias]!.is_write_index !== false) return targets[0]!;
  throw illegalArgument(`rollover target [${alias}] does not point to a write index`);
}

/** MetadataRolloverService.generateRolloverIndexName: `<prefix>-<n + 1, six digits>`. */
function nextIndexName(source: string): string {
  const m = /^(.*-)(\d+)$/.exec(source);
  if (!m) throw illegalArgument(`index name [${source}] does not match pattern '^.*-\\d+$'`);
  return `${m[1]}${String(Number(m[2]) + 1).padStart(6, '0')}`;
}

/**
 * `POST /<alias>/_rollover[/<new_index>]` (TransportRolloverAction, MetadataRolloverService) for an
 * alias: the conditions read the write index (primary documents, age), a new index is created as
 * PUT /<index> creates one (templates included), and the alias moves to it (or, when it names an
 * explicit write index, stays on both with the flag moved). A data stream gets a new backing index.
 */
export function rollover(indices: IndicesService, request: RolloverRequest): Json {
  const conditions = parseConditions(request.body.conditions);
  for (const key of Object.keys(request.body)) {
    if (!['conditions', 'settings', 'mappings', 'aliases'].includes(key)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [rollover] unknown field [${key}]`);
  }
  const target = request.target;
  if (indices.get(target)) throw illegalArgument('rollover target is a [concrete index] but one of [alias,data_stream] was expected');
  const stream = indices.dataStreams.get(target);
  if (stream) return rolloverStream(indices, stream, request, conditions);
  if (indices.aliasTargets(target).length === 0) throw new EngineError(404, 'resource_not_found_exception', `rollover target [${target}] does not exist`);
  if (request.lazy) throw illegalArgument('Lazy rollover can be applied only on a data stream.');
  const source = writeIndexOf(indices, target);
  const now = Date.now();
  const newName = request.newIndex !== undefined ? resolveDateMathName(request.newIndex, now) : nextIndexName(source.name);
  validateName(newName);
  const existing = indices.get(newName);
  if (existing) throw new EngineError(400, 'resource_already_exists_exception', `index [${newName}/${existing.uuid}] already exists`, { index_uuid: existing.uuid, index: newName });
  checkNoTemplateAlias(indices, newName, target);
  const { results, met } = evaluate(source, conditions, now);
  const answer = (rolledOver: boolean): Json => ({ acknowledged: rolledOver, shards_acknowledged: rolledOver, old_index: source.name, new_index: newName, rolled_over: rolledOver, dry_run: request.dryRun, lazy: false, conditions: results });
  if (request.dryRun || !met) return answer(false);
  const createBody: Json = {};
  for (const key of ['settings', 'mappings', 'aliases']) if (request.body[key] !== undefined) createBody[key] = request.body[key];
  const created = indices.create(newName, createBody);
  // MetadataRolloverService.rolloverAliasToNewIndex: no filter or routing is carried over
  const old: AliasMetadata = source.meta.aliases[target]!;
  const moved: AliasMetadata = old.is_hidden !== undefined ? { is_hidden: old.is_hidden } : {};
  if (old.is_write_index === true) {
    created.meta.aliases = { ...created.meta.aliases, [target]: { ...moved, is_write_index: true } };
    source.meta.aliases = { ...source.meta.aliases, [target]: { ...moved, is_write_index: false } };
  } else {
    created.meta.aliases = { ...created.meta.aliases, [target]: moved };
    const { [target]: _gone, ...rest } = source.meta.aliases;
    void _gone;
    source.meta.aliases = rest;
  }
  created.persistMeta();
  source.persistMeta();
  return answer(true);
}

/** The conditions against an index's primary documents and age: each condition's result, and whether the rollover happens. */
function evaluate(source: IndexService, conditions: Condition[], now: number): { results: Record<string, boolean>; met: boolean } {
  const shardCounts = source.shards.map((shard) => shard.stats().count);
  const stats: SourceStats = { docs: shardCounts.reduce((a, b) => a + b, 0), maxShardDocs: Math.max(0, ...shardCounts), ageMs: now - source.meta.creationDate };
  const results: Record<string, boolean> = {};
  for (const c of conditions) results[c.label] = c.met(stats);
  const mins = conditions.filter((c) => c.name.startsWith('min_'));
  const maxes = conditions.filter((c) => c.name.startsWith('max_'));
  return { results, met: conditions.length === 0 || (mins.every((c) => results[c.label]) && maxes.some((c) => results[c.label])) };
}

/**
 * MetadataRolloverService.rolloverDataStream: a new backing index `.ds-<stream>-<date>-<generation + 1>`
 * from the stream's template; a new index name, settings, mappings or aliases in the request are refused
 * as Elasticsearch refuses them. `lazy` marks the stream to roll over on its next write.
 */
function rolloverStream(indices: IndicesService, stream: DataStream, request: RolloverRequest, conditions: Condition[]): Json {
  if (request.newIndex !== undefined) throw illegalArgument('new index name may not be specified when rolling over a data stream');
  for (const key of ['settings', 'mappings', 'aliases']) {
    const value = request.body[key];
    if (value !== undefined && !(isRecord(value) && Object.keys(value).length === 0)) {
      throw illegalArgument('aliases, mappings, and index settings may not be specified when rolling over a data stream');
    }
  }
  const now = Date.now();
  const source = indices.get(stream.indices[stream.indices.length - 1]!)!;
  const newName = backingIndexName(stream.name, stream.generation + 1, now);
  if (request.lazy) {
    if (request.dryRun) throw illegalArgument('Lazy rollover can be used only without any conditions and dry-run.');
    if (conditions.length > 0) throw illegalArgument('Lazy rollover can be used only without any conditions and dry-run.');
    if (!stream.rolloverOnWrite) indices.dataStreams.put({ ...stream, rolloverOnWrite: true });
    return { acknowledged: true, shards_acknowledged: false, old_index: source.name, new_index: newName, rolled_over: false, dry_run: false, lazy: true, conditions: {} };
  }
  const { results, met } = evaluate(source, conditions, now);
  const answer = (rolledOver: boolean, name: string): Json => ({ acknowledged: rolledOver, shards_acknowledged: rolledOver, old_index: source.name, new_index: name, rolled_over: rolledOver, dry_run: request.dryRun, lazy: false, conditions: results });
  if (request.dryRun || !met) return answer(false, newName);
  const next = indices.rolloverDataStream(stream, now);
  return answer(true, next.indices[next.indices.length - 1]!);
}

/** MetadataRolloverService.checkNoDuplicatedAliasInIndexTemplate: a template giving the rollover alias to the new index would make it point to two write candidates. */
function checkNoTemplateAlias(indices: IndicesService, newName: string, alias: string): void {
  const resolved = indices.templates.resolveFor(newName, undefined);
  const owner = resolved.composable?.name ?? resolved.legacy.find((l) => Object.hasOwn(l.template.aliases, alias))?.name;
  if (resolved.aliases.some((map) => Object.hasOwn(map, alias))) {
    throw illegalArgument(`Rollover alias [${alias}] can point to multiple indices, found duplicated alias [[${alias}]] in index template [${owner}]`);
  }
}
