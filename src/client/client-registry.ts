import { Client } from '@elastic/elasticsearch';
import type { LoadedConfig } from '../config/settings-types.js';
import { IndexkitError } from '../errors.js';
import { clientOptionsFor } from './client-options.js';
import { openEmbeddedClient } from './embedded-client.js';

type ConfigPart = Pick<LoadedConfig, 'connections' | 'indexes' | 'baseDir' | 'settings'>;

/**
 * One @elastic/elasticsearch Client per named connection, built on first use and reused
 * (the Python original built a new client, and a new connection pool, per call).
 */
export class ClientRegistry {
  private readonly clients = new Map<string, Promise<Client>>();

  constructor(private readonly config: ConfigPart) {}

  /** The client of connection `name` (default: `default`). */
  get(name = 'default'): Promise<Client> {
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
  forIndex(index: string): Promise<Client> {
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

  private async build(name: string): Promise<Client> {
    const setting = this.config.connections[name];
    if (setting === undefined) {
      throw new IndexkitError('CONNECTION_INVALID', `connection "${name}" is not configured (configured: ${Object.keys(this.config.connections).join(', ') || 'none'})`, { exitCode: 2 });
    }
    const resolved = clientOptionsFor(name, setting, { baseDir: this.config.baseDir, settings: this.config.settings });
    if (resolved.kind === 'embedded') return openEmbeddedClient(resolved.dir, resolved.options);
    return new Client(resolved.options);
  }
}
