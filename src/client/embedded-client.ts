import type { Client } from '@elastic/elasticsearch';
import type { ClientOptions } from './client-types.js';
import { IndexkitError } from '../errors.js';

/**
 * A client whose requests the embedded engine answers in-process (no sockets), with its data
 * in `dir`. The engine is loaded only when an `embedded:` connection is used.
 */
export async function openEmbeddedClient(dir: string, options: ClientOptions): Promise<Client> {
  const engine = (await import('../engine/index.js')) as Record<string, unknown>;
  const create = engine.createEmbeddedClient as ((dir: string, options: ClientOptions) => Promise<Client>) | undefined;
  if (typeof create !== 'function') {
    throw new IndexkitError('CONNECTION_INVALID', `embedded:${dir}: the embedded engine is not available in this build`);
  }
  return create(dir, options);
}
