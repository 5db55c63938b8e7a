import type { Client } from '@elastic/elasticsearch';
import { isSearchSide, SEARCH_SIDE, type SearchSide } from '../search-side.js';

/**
 * The search side over an @elastic/elasticsearch Client (a cluster, or the embedded engine's
 * in-process client). The ES 9 client already returns bodies and throws the errors the
 * interface promises, so this adapter only forwards.
 */
export function elasticsearchSide(client: Client): SearchSide {
  return {
    [SEARCH_SIDE]: true,
    product: 'elasticsearch',
    async info() {
      const info = await client.info();
      return { product: 'elasticsearch', distribution: 'elasticsearch', version: info.version.number, name: info.name, clusterName: info.cluster_name };
    },
    search: (params, options) => client.search(params, options),
    count: (params, options) => client.count(params, options),
    index: (params, options) => client.index(params, options),
    get: (params, options) => client.get(params, options),
    delete: (params, options) => client.delete(params, options),
    bulk: (params, options) => client.bulk(params, options),
    openPointInTime: (params, options) => client.openPointInTime(params, options),
    closePointInTime: (params, options) => client.closePointInTime(params, options),
    rankEval: (params, options) => client.rankEval(params, options),
    indices: {
      create: (params, options) => client.indices.create(params, options),
      delete: (params, options) => client.indices.delete(params, options),
      exists: (params, options) => client.indices.exists(params, options),
      refresh: (params, options) => client.indices.refresh(params, options),
      getAlias: (params, options) => client.indices.getAlias(params, options),
      getMapping: (params, options) => client.indices.getMapping(params, options),
      putMapping: (params, options) => client.indices.putMapping(params, options),
      updateAliases: (params, options) => client.indices.updateAliases(params, options),
    },
    // The transport takes the same raw request; its `method` type is a plain string.
    transport: { request: (params, options) => client.transport.request(params as Parameters<Client['transport']['request']>[0], options) },
    onRequest(listener) {
      client.diagnostic.on('request', (_error, event) => {
        const params = event?.meta.request.params;
        if (params) listener({ method: params.method, path: params.path, ...(params.body === undefined ? {} : { body: String(params.body) }) });
      });
    },
    close: () => client.close(),
  } as SearchSide;
}

const wrapped = new WeakMap<Client, SearchSide>();

/** A search side as given, or a bare @elastic/elasticsearch Client (as the public API accepts) behind its adapter. */
export function toSearchSide(client: Client | SearchSide): SearchSide {
  if (isSearchSide(client)) return client;
  let side = wrapped.get(client);
  if (!side) wrapped.set(client, (side = elasticsearchSide(client)));
  return side;
}
