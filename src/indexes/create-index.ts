import { errors } from '@elastic/elasticsearch';
import type { SearchSide as Client } from '../client/search-side.js';
import { elasticsearchReason } from '../client/response-error.js';
import { mappingHash, type MappingFile } from '../config/mapping-files.js';
import { LifecycleError, MappingError } from '../errors.js';
import type { Project } from '../project.js';
import { createBody, newMeta } from './index-meta.js';
import { concreteIndexName } from './index-naming.js';
import { indexState } from './index-state.js';

export interface CreateIndexResult {
  index: string;
  concrete: string;
  created: boolean;
  mappingHash: string;
}

/** The mapping file of an index, or an empty one (dynamic mapping) when there is none. */
export function mappingOf(project: Project, index: string): MappingFile {
  const mapping = project.report.mappings.get(index);
  if (mapping) return mapping;
  const body = { mappings: {} };
  return { index, file: '', displayFile: '(none)', body, hash: mappingHash(body), fieldCount: 0 };
}

/**
 * Creates `<name>-<timestamp>` from the mapping file (mappings, settings, aliases) with the
 * alias `<name>` pointing at it as write index, and records the mapping file's hash, its body
 * and the indexkit version in `_meta`. An existing index or alias of that name is an error
 * unless `ifNotExists`.
 */
export async function createIndex(project: Project, name: string, options: { ifNotExists?: boolean } = {}): Promise<CreateIndexResult> {
  const client = await project.clients.forIndex(name);
  const mapping = mappingOf(project, name);
  const state = await indexState(client, name);
  if (state.kind !== 'missing') {
    if (options.ifNotExists) return { index: name, concrete: state.writeIndex ?? state.concrete[0] ?? name, created: false, mappingHash: state.meta?.mappingHash ?? '' };
    throw new LifecycleError('INDEX_EXISTS', `index "${name}" already exists (${state.kind === 'alias' ? `alias of ${state.concrete.join(', ')}` : 'a plain index'}); use --if-not-exists to skip it, or rebuild-index to recreate it`);
  }
  const concrete = concreteIndexName(name);
  await createConcreteIndex(client, mapping, name, concrete, { aliases: { [name]: { is_write_index: true } } });
  return { index: name, concrete, created: true, mappingHash: mapping.hash };
}

/** Creates one concrete index from a mapping file, with indexkit's `_meta`. */
export async function createConcreteIndex(
  client: Client,
  mapping: MappingFile,
  alias: string,
  concrete: string,
  overrides: { settings?: Record<string, unknown>; aliases?: Record<string, unknown> } = {},
): Promise<void> {
  try {
    await client.transport.request({ method: 'PUT', path: `/${encodeURIComponent(concrete)}`, body: createBody(mapping.body, newMeta(mapping, alias), overrides) });
  } catch (error) {
    // A 400 here is the mapping file's fault (an analyzer it names that does not exist, a bad
    // parameter): say which file, with the search side's reason.
    const reason = error instanceof errors.ResponseError && error.statusCode === 400 ? elasticsearchReason(error) : undefined;
    if (!reason) throw error;
    throw new MappingError('MAPPING_INVALID', `the search side refused the mapping of index "${alias}" from ${mapping.displayFile}: ${reason}; fix the mapping file (search check lists what it knows)`, { cause: error, location: { file: mapping.displayFile } });
  }
}
