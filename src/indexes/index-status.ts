import type { Project } from '../project.js';
import { mappingOf } from './create-index.js';
import type { RebuildMarker } from './index-meta.js';
import { indexState } from './index-state.js';
import { countRows } from './keyset-reader.js';
import { readQueryset } from '../models/queryset-error.js';
import { classifyDrift, type Drift } from './mapping-drift.js';
import { isLiveMarker } from './write-targets.js';
import { indexHealth, type RedIndex } from './index-health.js';

export interface IndexStatus {
  index: string;
  exists: boolean;
  kind: 'alias' | 'plain' | 'missing';
  concrete: string[];
  writeIndex?: string;
  /** Documents in the index (after a refresh); undefined when a red index cannot be counted. */
  documents?: number;
  /** The concrete indices behind the name that are red (shards not allocated: not searchable nor writable), with the cause. */
  red?: RedIndex[];
  /** Rows in the models' querysets. */
  rows: number;
  models: Array<{ model: string; rows: number }>;
  mapping: {
    fileHash: string;
    indexHash?: string;
    /** `unknown` when the index was not created by indexkit (no `_meta`), `missing` when there is no index. */
    drift: Drift['kind'] | 'unknown' | 'missing';
    changes: string[];
  };
  rebuild?: RebuildMarker;
  /** Missing index, or its mapping differs from the file: `search status` exits 3. */
  drifted: boolean;
  /**
   * Documents minus rows (0 when they agree; undefined when the index is missing): negative when
   * rows are not indexed yet, positive when the index holds documents of rows that are gone.
   * `search status` exits 4 when it is not 0 (and nothing drifted).
   */
  difference?: number;
}

/**
 * Where an index stands: whether it exists, its alias and concrete index, documents against
 * rows, and mapping drift between the hash in `_meta` and the mapping file, classified so
 * the user knows whether `update-mapping` will do or `rebuild-index` is needed.
 */
export async function indexStatus(project: Project, name: string): Promise<IndexStatus> {
  const client = await project.clients.forIndex(name);
  const mapping = mappingOf(project, name);
  const state = await indexState(client, name);
  const db = await project.db();
  const models = await Promise.all(project.registry.modelsFor(name).map(async (m) => ({ model: m.name, rows: await readQueryset(m, name, () => countRows(db, m, name)) })));
  const rows = models.reduce((n, m) => n + m.rows, 0);
  if (state.kind === 'missing') {
    return { index: name, exists: false, kind: 'missing', concrete: [], rows, models, mapping: { fileHash: mapping.hash, drift: 'missing', changes: [] }, drifted: true };
  }
  // a red index answers neither searches nor counts: report it (and why) instead of failing on it
  const health = await indexHealth(client, name);
  const red = health.red.length > 0 ? { red: health.red } : {};
  const documents = health.red.length > 0 ? undefined : (await client.count({ index: name })).count;
  let drift: IndexStatus['mapping'];
  if (!state.meta?.mappingHash) drift = { fileHash: mapping.hash, drift: 'unknown', changes: ['the index has no indexkit _meta (created outside indexkit); rebuild-index adopts it'] };
  else if (state.meta.mappingHash === mapping.hash) drift = { fileHash: mapping.hash, indexHash: state.meta.mappingHash, drift: 'in-sync', changes: [] };
  else {
    const classified = classifyDrift(state.meta.mapping, mapping.body);
    drift = { fileHash: mapping.hash, indexHash: state.meta.mappingHash, drift: classified.kind, changes: classified.changes };
  }
  return {
    index: name,
    exists: true,
    kind: state.kind,
    concrete: state.concrete,
    writeIndex: state.writeIndex,
    ...(documents !== undefined ? { documents } : {}),
    ...red,
    rows,
    models,
    mapping: drift,
    ...(isLiveMarker(state.meta?.rebuild) ? { rebuild: state.meta!.rebuild } : {}),
    drifted: drift.drift !== 'in-sync',
    ...(documents !== undefined ? { difference: documents - rows } : {}),
  };
}
