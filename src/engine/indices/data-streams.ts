import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, illegalArgument } from '../errors.js';
import { writeFileAtomic } from '../index/store/record-file.js';
import { isWildcard, validateName, wildcardMatch } from './index-names.js';
import type { DataStreamLifecycle } from './template-parsing.js';

type Json = Record<string, unknown>;

/** The one timestamp field a data stream has (DataStream.TIMESTAMP_FIELD_NAME). */
export const TIMESTAMP_FIELD = '@timestamp';

/** A data stream of the cluster state (DataStream): its backing indices, oldest first, the last one written to. */
export interface DataStream {
  name: string;
  /** Bumped by every rollover; the next backing index gets it as its six-digit suffix. */
  generation: number;
  indices: string[];
  hidden: boolean;
  allowCustomRouting: boolean;
  /** The matching template's `_meta` when the stream was created. */
  meta?: Json;
  /** The matching template's data stream lifecycle when the stream was created (stored and reported; retention is not run). */
  lifecycle?: DataStreamLifecycle;
  /** Lazy rollover requested: the next write rolls the stream over first. */
  rolloverOnWrite: boolean;
}

/**
 * DataStreamAlias: an alias over data streams (never over indices), with at most one write data
 * stream and a filter per data stream.
 */
export interface DataStreamAlias {
  name: string;
  data_streams: string[];
  write_data_stream?: string;
  /** Data stream name -> the alias's filter (query DSL) on it. */
  filters?: Record<string, Json>;
}

/** DataStream.getDefaultBackingIndexName: `.ds-<stream>-<yyyy.MM.dd>-<generation, six digits>`, the date in UTC. */
export function backingIndexName(stream: string, generation: number, epochMillis: number): string {
  const d = new Date(epochMillis);
  const date = `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCDate()).padStart(2, '0')}`;
  return `.ds-${stream}-${date}-${String(generation).padStart(6, '0')}`;
}

/**
 * MetadataCreateDataStreamService.createDataStream's name checks: lowercase, not a backing or
 * failure store prefix, then the index name rules (validateIndexOrAliasName) as `data_stream [x] ...`.
 */
export function validateDataStreamName(name: string): void {
  if (name !== name.toLowerCase()) throw illegalArgument(`data_stream [${name}] must be lowercase`);
  if (name.startsWith('.ds-')) throw illegalArgument(`data_stream [${name}] must not start with '.ds-'`);
  if (name.startsWith('.fs-')) throw illegalArgument(`data_stream [${name}] must not start with '.fs-'`);
  validateName(name, (n, reason) => illegalArgument(`data_stream [${n}] ${reason}`));
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The data streams of the cluster state (Metadata.dataStreams): kept in `data_streams.json` of the
 * data directory, written whole on each change (temp file + rename), read at open, as the index
 * templates are. The backing indices themselves are ordinary (hidden) indices of the folder.
 */
export class DataStreams {
  private readonly streams = new Map<string, DataStream>();
  private aliasMap = new Map<string, DataStreamAlias>();
  private readonly file: string;

  constructor(root: string) {
    this.file = join(root, 'data_streams.json');
    if (!existsSync(this.file)) return;
    const stored: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
    if (!isRecord(stored) || !Array.isArray(stored.data_streams)) return;
    for (const entry of stored.data_streams as DataStream[]) this.streams.set(entry.name, entry);
    if (Array.isArray(stored.data_stream_aliases)) for (const alias of stored.data_stream_aliases as DataStreamAlias[]) this.aliasMap.set(alias.name, alias);
  }

  private persist(): void {
    writeFileAtomic(this.file, JSON.stringify({ data_streams: [...this.streams.values()], data_stream_aliases: [...this.aliasMap.values()] }));
  }

  /** The data stream aliases (Metadata.dataStreamAliases), by name. */
  aliases(): DataStreamAlias[] {
    return [...this.aliasMap.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  alias(name: string): DataStreamAlias | undefined {
    return this.aliasMap.get(name);
  }

  /** The aliases that point to a stream. */
  aliasesOf(stream: string): DataStreamAlias[] {
    return this.aliases().filter((a) => a.data_streams.includes(stream));
  }

  /** Replaces every data stream alias (an `_aliases` request's outcome) and writes the file. */
  replaceAliases(aliases: DataStreamAlias[]): void {
    this.aliasMap = new Map(aliases.filter((a) => a.data_streams.length > 0).map((a) => [a.name, a]));
    this.persist();
  }

  get(name: string): DataStream | undefined {
    return this.streams.get(name);
  }

  has(name: string): boolean {
    return this.streams.has(name);
  }

  /** Every stream, by name. */
  all(): DataStream[] {
    return [...this.streams.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Streams named by `pattern` (a name or a `*` pattern), by name; hidden ones only when asked or the pattern starts with a dot. */
  match(pattern: string, hidden: boolean): DataStream[] {
    if (!isWildcard(pattern)) {
      const one = this.streams.get(pattern);
      return one ? [one] : [];
    }
    return this.all().filter((s) => (!s.hidden || hidden || (pattern.startsWith('.') && s.name.startsWith('.'))) && wildcardMatch(pattern, s.name));
  }

  /** The stream an index backs (IndexAbstraction.getParentDataStream). */
  parentOf(index: string): DataStream | undefined {
    for (const stream of this.streams.values()) if (stream.indices.includes(index)) return stream;
    return undefined;
  }

  /** Adds or replaces a stream and writes the file. */
  put(stream: DataStream): void {
    this.streams.set(stream.name, stream);
    this.persist();
  }

  remove(name: string): void {
    if (!this.streams.delete(name)) throw new EngineError(404, 'resource_not_found_exception', `data_streams matching [${name}] not found`);
    // Metadata.Builder.removeDataStream: the stream leaves its aliases, an alias left with none goes
    for (const alias of [...this.aliasMap.values()]) {
      if (!alias.data_streams.includes(name)) continue;
      const { [name]: _filter, ...filters } = alias.filters ?? {};
      void _filter;
      const next: DataStreamAlias = { name: alias.name, data_streams: alias.data_streams.filter((d) => d !== name), ...(alias.write_data_stream !== undefined && alias.write_data_stream !== name ? { write_data_stream: alias.write_data_stream } : {}), ...(Object.keys(filters).length > 0 ? { filters } : {}) };
      if (next.data_streams.length === 0) this.aliasMap.delete(alias.name);
      else this.aliasMap.set(alias.name, next);
    }
    this.persist();
  }
}
