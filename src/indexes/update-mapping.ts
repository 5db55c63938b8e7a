import { LifecycleError } from '../errors.js';
import type { Project } from '../project.js';
import { mappingOf } from './create-index.js';
import { indexState, updateMeta } from './index-state.js';
import { classifyDrift, flattenSettings, type Drift } from './mapping-drift.js';

export interface UpdateMappingResult {
  index: string;
  drift: Drift['kind'];
  changes: string[];
  applied: boolean;
}

const DYNAMIC = ['refresh_interval', 'number_of_replicas', 'max_result_window'];

/**
 * Applies an additive change of the mapping file to the live index in place (new fields and
 * multi-fields, updatable parameters, dynamic settings, aliases) and records the new hash.
 * A breaking change is refused with the advice to rebuild.
 */
export async function updateMapping(project: Project, name: string): Promise<UpdateMappingResult> {
  const client = await project.clients.forIndex(name);
  const mapping = mappingOf(project, name);
  const state = await indexState(client, name);
  if (state.kind === 'missing') throw new LifecycleError('INDEX_NOT_FOUND', `index "${name}" does not exist; run search create-index ${name}`);
  if (!state.meta?.mappingHash) {
    throw new LifecycleError('MAPPING_BREAKING', `index "${name}" was not created by indexkit (no _meta), so the change cannot be classified; run search rebuild-index ${name} to adopt it`);
  }
  if (state.meta.mappingHash === mapping.hash) return { index: name, drift: 'in-sync', changes: [], applied: false };
  const drift = classifyDrift(state.meta.mapping, mapping.body);
  if (drift.kind === 'breaking') {
    throw new LifecycleError('MAPPING_BREAKING', `the mapping of "${name}" changed in a way Elasticsearch cannot apply in place (${drift.changes.filter((c) => !c.startsWith('+')).slice(0, 3).join('; ')}); run search rebuild-index ${name}`);
  }
  const targets = state.concrete.join(',');
  const { _meta: _ownMeta, ...mappings } = mapping.body.mappings;
  await client.transport.request({ method: 'PUT', path: `/${encodeURIComponent(targets)}/_mapping`, body: mappings });
  const flat = flattenSettings(mapping.body.settings ?? {});
  const dynamic = Object.fromEntries(DYNAMIC.filter((k) => flat[k] !== undefined).map((k) => [k, flat[k]]));
  if (Object.keys(dynamic).length > 0) await client.transport.request({ method: 'PUT', path: `/${encodeURIComponent(targets)}/_settings`, body: { index: dynamic } });
  const aliases = Object.entries(mapping.body.aliases ?? {});
  if (aliases.length > 0) {
    await client.indices.updateAliases({ actions: state.concrete.flatMap((index) => aliases.map(([alias, options]) => ({ add: { index, alias, ...options } }))) as never });
  }
  for (const index of state.concrete) {
    await updateMeta(client, index, (meta) => ({ ...meta!, mappingHash: mapping.hash, mapping: mapping.body }));
  }
  return { index: name, drift: drift.kind, changes: drift.changes, applied: true };
}
