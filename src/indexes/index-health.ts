import type { SearchSide } from '../client/search-side.js';

/** A concrete index whose primaries are not allocated (health red), and why, as the search side explains it. */
export interface RedIndex {
  index: string;
  /** `unassigned_info.details` of `_cluster/allocation/explain` for its first primary, when the server gives it. */
  cause?: string;
}

export interface IndexHealth {
  /** The worst health of the concrete indices behind the name (an alias may reach several). */
  status: 'green' | 'yellow' | 'red';
  red: RedIndex[];
}

interface HealthBody {
  status: IndexHealth['status'];
  indices?: Record<string, { status: IndexHealth['status'] }>;
}

/**
 * The health of an index (or of the indices behind an alias), and for each red one the reason its
 * shards failed to allocate: the embedded engine keeps an index it could not open at start-up (a
 * word file or hunspell dictionary removed from its config directory, unreadable files) red, as
 * Elasticsearch does, and serves the others; searches and writes to a red index fail.
 */
export async function indexHealth(client: SearchSide, name: string): Promise<IndexHealth> {
  const health = await client.transport.request<HealthBody>({ method: 'GET', path: `/_cluster/health/${encodeURIComponent(name)}`, querystring: { level: 'indices' } });
  const red: RedIndex[] = [];
  for (const [index, h] of Object.entries(health.indices ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (h.status !== 'red') continue;
    red.push({ index, ...(await allocationCause(client, index)) });
  }
  return { status: health.status, red };
}

async function allocationCause(client: SearchSide, index: string): Promise<{ cause?: string }> {
  try {
    const explain = await client.transport.request<{ unassigned_info?: { details?: string; reason?: string } }>({
      method: 'POST',
      path: '/_cluster/allocation/explain',
      body: { index, shard: 0, primary: true },
    });
    const info = explain.unassigned_info;
    const cause = info?.details ?? info?.reason;
    return cause ? { cause } : {};
  } catch {
    // a server that cannot explain it still reported the index red
    return {};
  }
}

/** `index blog_v2 is red: failed shard on node [...]: ...` for the CLI and errors. */
export function describeRed(red: RedIndex): string {
  return `index ${red.index} is red (its shards failed to open)${red.cause ? `: ${red.cause}` : ''}`;
}
