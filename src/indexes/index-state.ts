import type { SearchSide as Client } from '../client/search-side.js';
import { errors } from '@elastic/elasticsearch';
import { readMeta, type IndexkitMeta } from './index-meta.js';

/** What stands behind a configured index name on the search side. */
export interface IndexState {
  /** The configured name, which users query. */
  name: string;
  /** `alias`: the indexkit scheme; `plain`: a concrete index of that name (before migration); `missing`. */
  kind: 'alias' | 'plain' | 'missing';
  /** Concrete indexes behind the name. */
  concrete: string[];
  /** The concrete index that receives writes. */
  writeIndex?: string;
  /** indexkit's `_meta` of the write index (absent for indexes indexkit did not create). */
  meta?: IndexkitMeta;
  /** The whole `_meta` of the write index (indexkit's and the mapping file's own keys). */
  rawMeta?: Record<string, unknown>;
}

const notFound = (error: unknown) => error instanceof errors.ResponseError && error.statusCode === 404;

export async function indexState(client: Client, name: string): Promise<IndexState> {
  let aliases: Record<string, { aliases: Record<string, { is_write_index?: boolean }> }> | undefined;
  try {
    aliases = (await client.indices.getAlias({ name })) as typeof aliases;
  } catch (error) {
    if (!notFound(error)) throw error;
  }
  if (aliases && Object.keys(aliases).length > 0) {
    const concrete = Object.keys(aliases).sort();
    const writeIndex = concrete.find((i) => aliases![i]!.aliases[name]?.is_write_index) ?? (concrete.length === 1 ? concrete[0] : undefined);
    return { name, kind: 'alias', concrete, writeIndex, ...(writeIndex ? await metaOf(client, writeIndex) : {}) };
  }
  if (await client.indices.exists({ index: name })) {
    return { name, kind: 'plain', concrete: [name], writeIndex: name, ...(await metaOf(client, name)) };
  }
  return { name, kind: 'missing', concrete: [] };
}

async function metaOf(client: Client, index: string): Promise<{ meta?: IndexkitMeta; rawMeta?: Record<string, unknown> }> {
  const response = (await client.indices.getMapping({ index })) as Record<string, { mappings?: { _meta?: Record<string, unknown> } }>;
  const entry = response[index] ?? Object.values(response)[0];
  return { meta: readMeta(entry), rawMeta: entry?.mappings?._meta };
}

/**
 * Read-modify-write of indexkit's `_meta` on one concrete index (the put-mapping API replaces
 * `_meta` whole, so the mapping file's own `_meta` keys are carried over).
 */
export async function updateMeta(client: Client, index: string, change: (meta: IndexkitMeta | undefined) => IndexkitMeta): Promise<IndexkitMeta> {
  const { meta, rawMeta } = await metaOf(client, index);
  const next = change(meta);
  await client.indices.putMapping({ index, _meta: { ...(rawMeta ?? {}), indexkit: next } });
  return next;
}
