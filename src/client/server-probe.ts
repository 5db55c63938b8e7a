import { randomBytes } from 'node:crypto';
import type { SearchSide, ServerInfo } from './search-side.js';

/** One feature indexkit relies on, tried for real on the server. */
export interface FeatureCheck {
  feature: string;
  ok: boolean;
  /** Why it failed: the server's `type: reason`. */
  detail?: string;
}

export interface ServerReport extends ServerInfo {
  features: FeatureCheck[];
}

/**
 * What the server is (product, distribution, version) and whether each feature indexkit uses
 * works there, found by using it on a throwaway index (`indexkit-probe-<random>`, deleted at
 * the end) through the same adapter the commands use, so that a feature OpenSearch (or a
 * Serverless collection) lacks or spells differently shows up at `search check --connect`,
 * named, rather than in the middle of a rebuild. Version tables cannot see managed services'
 * own limits; a real request can.
 *
 * @example
 * const report = await probeServer(await project.clients.get());
 * for (const f of report.features.filter((f) => !f.ok)) console.log(`${f.feature}: ${f.detail}`);
 */
export async function probeServer(side: SearchSide): Promise<ServerReport> {
  const info = await side.info();
  const index = `indexkit-probe-${randomBytes(4).toString('hex')}`;
  const alias = `${index}-alias`;
  const features: FeatureCheck[] = [];
  const attempt = async (feature: string, run: () => Promise<string | undefined>): Promise<boolean> => {
    try {
      const problem = await run();
      features.push(problem ? { feature, ok: false, detail: problem } : { feature, ok: true });
      return !problem;
    } catch (error) {
      features.push({ feature, ok: false, detail: describe(error) });
      return false;
    }
  };
  try {
    const created = await attempt('create index with mappings, settings and a write alias', async () => {
      await side.indices.create({
        index,
        settings: { number_of_shards: 1 },
        mappings: { _meta: { indexkit: { probe: true } }, properties: { title: { type: 'text' }, suggest: { type: 'completion' } } },
        aliases: { [alias]: { is_write_index: true } },
      });
      return undefined;
    });
    if (!created) return { ...info, features };
    await attempt('_meta updates through put-mapping', async () => {
      await side.indices.putMapping({ index, _meta: { indexkit: { probe: 2 } } });
      const mapping = (await side.indices.getMapping({ index }))[index]?.mappings?._meta as { indexkit?: { probe?: unknown } } | undefined;
      return mapping?.indexkit?.probe === 2 ? undefined : 'the _meta written is not the _meta read back';
    });
    await attempt('bulk with external_gte versions and filter_path', async () => {
      const line = (version: number) => `{"index":{"_index":"${alias}","_id":"1","version":${version},"version_type":"external_gte"}}\n{"title":"probe tea","suggest":"probe"}\n`;
      const response = await side.transport.request<Record<string, unknown>>({ method: 'POST', path: '/_bulk', querystring: { refresh: 'true', filter_path: 'errors,items.*.status' }, bulkBody: line(5) + line(5) + line(4) });
      const statuses = (response.items as Array<Record<string, { status: number }>> | undefined)?.map((i) => Object.values(i)[0]?.status);
      if ('took' in response) return 'filter_path was ignored (the response has took)';
      return JSON.stringify(statuses) === '[201,200,409]' ? undefined : `expected statuses [201,200,409] (an equal version accepted, a lower one refused), got ${JSON.stringify(statuses)}`;
    });
    await attempt('_aliases actions (add with is_write_index, remove) in one call', async () => {
      await side.indices.updateAliases({ actions: [{ add: { index, alias: `${alias}-2`, is_write_index: true } }, { remove: { index, alias } }] });
      const aliases = Object.keys((await side.indices.getAlias({ index }))[index]?.aliases ?? {});
      return aliases.join(',') === `${alias}-2` ? undefined : `expected only ${alias}-2 after the swap, got ${aliases.join(', ') || 'none'}`;
    });
    await attempt('track_total_hits', async () => {
      const total = (await side.search({ index, track_total_hits: true, query: { match: { title: 'tea' } } })).hits.total;
      return typeof total === 'object' && total.value === 1 ? undefined : `expected hits.total.value 1, got ${JSON.stringify(total)}`;
    });
    await attempt('completion and phrase suggesters', async () => {
      const response = await side.search({ index, size: 0, suggest: { c: { prefix: 'pro', completion: { field: 'suggest' } }, p: { text: 'probe tee', phrase: { field: 'title' } } } });
      return response.suggest?.c && response.suggest.p ? undefined : 'the response has no suggest.c and suggest.p';
    });
    await attempt('point-in-time walk (prune-index)', async () => {
      const pit = await side.openPointInTime({ index, keep_alive: '1m' });
      try {
        const page = await side.search({ size: 10, _source: false, track_total_hits: false, pit: { id: pit.id, keep_alive: '1m' }, sort: [{ _shard_doc: 'asc' }] });
        return page.hits.hits.map((h) => h._id).join(',') === '1' ? undefined : `expected document 1 in the point-in-time, got ${page.hits.hits.map((h) => h._id).join(',') || 'none'}`;
      } finally {
        await side.closePointInTime({ id: pit.id }).catch(() => undefined);
      }
    });
  } finally {
    await side.indices.delete({ index, ignore_unavailable: true }).catch(() => undefined);
  }
  return { ...info, features };
}

/** The server's `type: reason`, or the error's message. */
function describe(error: unknown): string {
  const body = (error as { meta?: { body?: { error?: { type?: string; reason?: string } | string; message?: string } } })?.meta?.body;
  if (typeof body?.error === 'object' && body.error.type) return `${body.error.type}: ${body.error.reason ?? ''}`.trim();
  if (typeof body?.error === 'string') return body.error;
  if (body?.message) return body.message;
  return error instanceof Error ? error.message : String(error);
}

/** One line naming the server: "opensearch 2.17.1 (OpenSearch client)". */
export function describeServer(info: ServerInfo): string {
  return `${info.distribution} ${info.version} (${info.product === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} client)`;
}
