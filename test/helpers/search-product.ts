import type { Client } from '@elastic/elasticsearch';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { toSearchSide } from '../../src/client/adapters/elasticsearch.js';
import { openSearchSide } from '../../src/client/adapters/opensearch.js';
import type { SearchSide } from '../../src/client/search-side.js';
import type { ConnectionSetting, SearchProduct } from '../../src/config/settings-types.js';
import { startEngineServer, type Engine } from '../../src/engine/index.js';

/**
 * The client the lifecycle, sync and search suites run with: @elastic/elasticsearch by
 * default, @opensearch-project/opensearch with INDEXKIT_TEST_PRODUCT=opensearch (`npm run
 * test:opensearch`). Both talk to the embedded engine; the OpenSearch client over HTTP.
 */
export const TEST_PRODUCT: SearchProduct = process.env.INDEXKIT_TEST_PRODUCT === 'opensearch' ? 'opensearch' : 'elasticsearch';

/** The connection setting for an engine server's (or proxy's) URL, for the product under test. */
export function testConnection(url: string): ConnectionSetting {
  return TEST_PRODUCT === 'opensearch' ? { node: url, product: 'opensearch' } : url;
}

/**
 * A search side of the product under test over `engine`: the in-process Elasticsearch client
 * as given, or the OpenSearch client through an HTTP server on the same engine.
 */
export async function testSearchSide(engine: Engine, client: Client): Promise<{ side: SearchSide; close(): Promise<void> }> {
  if (TEST_PRODUCT === 'elasticsearch') return { side: toSearchSide(client), close: async () => {} };
  const server = await startEngineServer({ engine, port: 0 });
  const side = openSearchSide(new OpenSearchClient({ node: server.url }));
  return {
    side,
    async close() {
      await side.close();
      await server.close();
    },
  };
}
