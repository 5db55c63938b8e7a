import type { Client } from '@elastic/elasticsearch';
import type { LoadedConfig } from '../config/settings-types.js';
import type { ClientOptions } from './client-types.js';
import { clientOptionsFor } from './client-options.js';
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

/** Who holds the data folder of an `embedded:` connection (see the engine's FolderHolder). */
export interface EmbeddedFolderStatus {
  connection: string;
  dir: string;
  holder?: { pid: number; host: string; command: string; since: string; state: 'alive' | 'stale' | 'released'; self: boolean; endpoint?: string };
}

/** The embedded data folders among `connections`, each with the process holding it (if any). */
export async function embeddedFolders(config: Pick<LoadedConfig, 'connections' | 'baseDir'>): Promise<EmbeddedFolderStatus[]> {
  const out: EmbeddedFolderStatus[] = [];
  for (const [name, setting] of Object.entries(config.connections)) {
    let resolved;
    try {
      resolved = clientOptionsFor(name, setting, { baseDir: config.baseDir });
    } catch {
      continue; // an invalid connection is reported where it is used
    }
    if (resolved.kind !== 'embedded') continue;
    const engine = (await import('../engine/index.js')) as { folderHolder(dir: string): (EmbeddedFolderStatus['holder'] & { recordFile: string }) | undefined };
    const holder = engine.folderHolder(resolved.dir);
    out.push({ connection: name, dir: resolved.dir, ...(holder ? { holder: { pid: holder.pid, host: holder.host, command: holder.command, since: holder.since, state: holder.state, self: holder.self, ...(holder.endpoint ? { endpoint: holder.endpoint } : {}) } } : {}) });
  }
  return out;
}
