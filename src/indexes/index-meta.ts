import type { MappingBody, MappingFile } from '../config/mapping-files.js';
import { packageVersion } from '../package-info.js';

/** What indexkit records in an index's `_meta` (under `mappings._meta.indexkit`). */
export interface IndexkitMeta {
  /** sha256 of the mapping file the index was created (or last updated) from. */
  mappingHash: string;
  /** The mapping file's body at that time, so drift can be classified without guessing. */
  mapping: MappingBody;
  version: string;
  createdAt: string;
  /** The alias this concrete index serves. */
  alias: string;
  /** Present while a rebuild fills another index for the same alias: writes go to both. */
  rebuild?: RebuildMarker;
  /** Present while an update-index run fills this index: a second run is refused while its heartbeat is fresh. */
  update?: RunMarker;
  /** Per-model progress of the last update-index run into this index, for --resume. */
  checkpoints?: Record<string, Checkpoint>;
}

/** A long run on an index: who, since when, and a heartbeat refreshed while it runs. */
export interface RunMarker {
  startedAt: string;
  /** Refreshed while the run goes on; a marker older than the stale limit belongs to a dead run. */
  heartbeatAt: string;
  owner: string;
}

export interface RebuildMarker extends RunMarker {
  target: string;
}

export interface Checkpoint {
  /** Primary key of the last row whose document the search side acknowledged, in key order. */
  lastKey: string | number;
  runStartedAt: string;
  since?: string;
  done: boolean;
  indexed: number;
  failed: number;
}

export function newMeta(mapping: MappingFile, alias: string): IndexkitMeta {
  return { mappingHash: mapping.hash, mapping: mapping.body, version: packageVersion, createdAt: new Date().toISOString(), alias };
}

/** The create-index body for a mapping file, with indexkit's `_meta` merged into the mapping's own. */
export function createBody(mapping: MappingBody, meta: IndexkitMeta, overrides: { settings?: Record<string, unknown>; aliases?: Record<string, unknown> } = {}): Record<string, unknown> {
  const { _meta: ownMeta, ...mappings } = mapping.mappings;
  return {
    mappings: { ...mappings, _meta: { ...(ownMeta ?? {}), indexkit: meta } },
    settings: { ...(mapping.settings ?? {}), ...(overrides.settings ?? {}) },
    aliases: { ...(mapping.aliases ?? {}), ...(overrides.aliases ?? {}) },
  };
}

/** Reads indexkit's `_meta` from a get-mapping response entry. */
export function readMeta(mappingEntry: { mappings?: { _meta?: Record<string, unknown> } } | undefined): IndexkitMeta | undefined {
  const meta = mappingEntry?.mappings?._meta?.indexkit;
  return meta && typeof meta === 'object' ? (meta as IndexkitMeta) : undefined;
}
