import { Client } from '@elastic/elasticsearch';
import type { LoadedConfig } from '../config/settings-types.js';
import { IndexkitError } from '../errors.js';
import { elasticsearchSide } from './adapters/elasticsearch.js';
import { openSearchSide } from './adapters/opensearch.js';
import { clientOptionsFor } from './client-options.js';
import { openEmbeddedClient } from './embedded-client.js';
import { createOpenSearchClient } from './opensearch-client.js';
import type { SearchSide } from './search-side.js';

type ConfigPart = Pick<LoadedConfig, 'connections' | 'indexes' | 'baseDir' | 'settings'>;

/**
 * One search side per named connection (an @elastic/elasticsearch Client, or an
 * @opensearch-project/opensearch Client for `product: opensearch`, behind the SearchSide
 * interface), built on first use and reused (the Python original built a new client, and a
 * new connection pool, per call).
 */
export class ClientRegistry {
  private readonly clients = new Map<string, Promise<SearchSide>>();

  constructor(private readonly config: ConfigPart) {}

  /** The client of connection `name` (default: `default`). */
  get(name = 'default'): Promise<SearchSide> {
    let client = this.clients.get(name);
    if (!client) {
      client = this.build(name);
      this.clients.set(name, client);
      // A failed build is not cached: the next call tries again.
      client.catch(() => this.clients.delete(name));
    }
    return client;
  }

  /** The client of the connection an index lives on. */
  forIndex(index: string): Promise<SearchSide> {
    const settings = this.config.indexes[index];
    if (!settings) throw new IndexkitError('CONFIG_INVALID', `index "${index}" is not configured (configured: ${Object.keys(this.config.indexes).join(', ') || 'none'})`, { exitCode: 2 });
    return this.get(settings.connection);
  }

  /** Closes every client built (and the embedded engines they opened). */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(clients.map(async (c) => (await c).close()));
  }

  private async build(name: string): Promise<SearchSide> {
    const setting = this.config.connections[name];
    if (setting === undefined) {
      throw new IndexkitError('CONNECTION_INVALID', `connection "${name}" is not configured (configured: ${Object.keys(this.config.connections).join(', ') || 'none'})`, { exitCode: 2 });
    }
    const resolved = clientOptionsFor(name, setting, { baseDir: this.config.baseDir, settings: this.config.settings });
    // The embedded engine is reached in-process through the Elasticsearch client, whatever `product` says.
    if (resolved.kind === 'embedded') return elasticsearchSide(await openEmbeddedClient(resolved.dir, resolved.options));
    const product = typeof setting === 'object' ? (setting.product ?? 'elasticsearch') : 'elasticsearch';
    const aws = typeof setting === 'object' ? setting.auth?.aws : undefined;
    if (product === 'opensearch') return openSearchSide(await createOpenSearchClient(name, resolved.options, aws));
    if (aws) throw new IndexkitError('CONNECTION_INVALID', `connections.${name} has auth.aws (SigV4), which needs product: opensearch (Amazon OpenSearch Service and Serverless run OpenSearch)`, { exitCode: 2 });
    return elasticsearchSide(new Client(resolved.options));
  }
}
