import type { LoadedConfig } from '../config/settings-types.js';
import { IndexkitError } from '../errors.js';
import { maskUrlPasswords } from '../config/connection-url.js';
import { elasticsearchSide } from './adapters/elasticsearch.js';
import { clientOptionsFor } from './client-options.js';
import type { ClientOptions } from './client-types.js';
import { openEmbeddedClient } from './embedded-client.js';
import { createOpenSearchClient } from './opensearch-client.js';
import type { SearchSide } from './search-side.js';

type ConfigPart = Pick<LoadedConfig, 'connections' | 'indexes' | 'baseDir' | 'settings'> & Partial<Pick<LoadedConfig, 'displayFile' | 'lineOf'>>;

/**
 * One search side per named connection (an @elastic/elasticsearch Client, or an
 * @opensearch-project/opensearch Client for `product: opensearch`, behind the SearchSide
 * interface), built on first use and reused (the Python original built a new client, and a
 * new connection pool, per call).
 */
export class ClientRegistry {
  private readonly clients = new Map<string, Promise<SearchSide>>();

  constructor(
    private readonly config: ConfigPart,
    private readonly options: { onNotice?: (line: string) => void } = {},
  ) {}

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
    if (product === 'opensearch') {
      const { openSearchSide } = await import('./adapters/opensearch.js');
      return openSearchSide(await createOpenSearchClient(name, resolved.options, aws));
    }
    if (aws) throw new IndexkitError('CONNECTION_INVALID', `connections.${name} has auth.aws (SigV4), which needs product: opensearch (Amazon OpenSearch Service and Serverless run OpenSearch)`, { exitCode: 2 });
    // Imported on first use: a command that never reaches the search side (search check, a
    // settings error, the query log commands) starts without the client's few hundred modules.
    const { Client, SniffingTransport } = await import('@elastic/elasticsearch');
    if (!this.options.onNotice) return elasticsearchSide(new Client(resolved.options));
    const retryBackoff = this.noticeOnFirstRetry(name, resolved.options);
    // The client does not pass retryBackoff on to its transport; a transport subclass does.
    class NoticingTransport extends SniffingTransport {
      constructor(options: ConstructorParameters<typeof SniffingTransport>[0]) {
        super({ ...options, retryBackoff });
      }
    }
    return elasticsearchSide(new Client({ ...resolved.options, Transport: NoticingTransport }));
  }

  /**
   * The client's own backoff (the transport's formula), saying once per connection that the
   * search side did not answer, so that its retries are not seconds of silence.
   */
  private noticeOnFirstRetry(name: string, options: ClientOptions): (min: number, max: number, attempt: number) => number {
    let told = false;
    return (min, max, attempt) => {
      if (!told && this.options.onNotice) {
        told = true;
        const node = [options.node ?? []].flat().map((n) => (typeof n === 'string' ? n : String((n as { url?: URL }).url ?? '')))[0] ?? 'the search side';
        const line = this.config.lineOf?.(['connections', name]);
        const where = `connections.${name}${this.config.displayFile ? `, ${this.config.displayFile}${line === undefined ? '' : `:${line}`}` : ''}`;
        const retries = options.maxRetries ?? 3;
        this.options.onNotice(`no answer from ${maskUrlPasswords(node)} (${where}); retrying up to ${retries} time${retries === 1 ? '' : 's'}`);
      }
      // @elastic/transport's default: exponential, capped, with jitter (seconds).
      const ceiling = Math.min(max, 2 ** attempt) / 2;
      return ceiling + (Math.random() * (ceiling - min) + min);
    };
  }
}
