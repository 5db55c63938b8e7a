import { LifecycleError } from '../errors.js';
import type { Project } from '../project.js';
import { isConcreteIndexOf } from './index-naming.js';
import { indexState } from './index-state.js';

export interface DeleteIndexResult {
  index: string;
  /** Concrete indexes deleted (with the alias, which goes with its last index). */
  deleted: string[];
}

/**
 * Deletes the concrete indexes behind `name` (the alias and every index it points to, plus an
 * unfinished rebuild's target), or the plain index of that name. Missing is an error unless
 * `ifExists`.
 */
export async function deleteIndex(project: Project, name: string, options: { ifExists?: boolean } = {}): Promise<DeleteIndexResult> {
  const client = await project.clients.forIndex(name);
  const state = await indexState(client, name);
  if (state.kind === 'missing') {
    if (options.ifExists) return { index: name, deleted: [] };
    throw new LifecycleError('INDEX_NOT_FOUND', `index "${name}" does not exist`);
  }
  const targets = new Set(state.concrete);
  const rebuildTarget = state.meta?.rebuild?.target;
  if (rebuildTarget && isConcreteIndexOf(name, rebuildTarget)) targets.add(rebuildTarget);
  const deleted = [...targets].sort();
  await client.indices.delete({ index: deleted.join(','), ignore_unavailable: true });
  return { index: name, deleted };
}
