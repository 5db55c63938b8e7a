import type { Knex } from 'knex';
import { querysetError } from '../models/queryset-error.js';
import type { Project } from '../project.js';

/** One thing `search check --connect` tried: a connection, the database, or a model's queryset for an index. */
export interface ConnectCheck {
  kind: 'connection' | 'database' | 'queryset';
  /** `connections.default`, `database`, `Post in blog`. */
  name: string;
  ok: boolean;
  /** What answered: the cluster's name and version, or the key the queryset selects. */
  detail?: string;
  error?: unknown;
  index?: string;
  model?: string;
}

/**
 * Reaches everything the settings name: every connection answers (`GET /`), the database answers
 * (`select 1`), and each model's queryset runs for each of its indexes with `limit 0` (no rows
 * read) and selects its key (`select <key> from (<queryset>) limit 0`, which also catches a key
 * made ambiguous by a join). Failures are returned, not thrown: the caller reports them all.
 */
export async function connectChecks(project: Project): Promise<ConnectCheck[]> {
  const out: ConnectCheck[] = [];
  for (const name of Object.keys(project.config.connections)) {
    try {
      const client = await project.clients.get(name);
      const info = (await client.info()) as { cluster_name?: string; version?: { number?: string; distribution?: string } };
      out.push({ kind: 'connection', name: `connections.${name}`, ok: true, detail: `${info.version?.distribution ?? 'elasticsearch'} ${info.version?.number ?? '?'} (${info.cluster_name ?? 'cluster'})` });
    } catch (error) {
      out.push({ kind: 'connection', name: `connections.${name}`, ok: false, error });
    }
  }
  let db: Knex;
  try {
    db = await project.db();
    await db.raw('select 1');
    out.push({ kind: 'database', name: 'database', ok: true });
  } catch (error) {
    out.push({ kind: 'database', name: 'database', ok: false, error });
    return out;
  }
  for (const index of Object.keys(project.config.indexes)) {
    for (const model of project.registry.modelsFor(index)) {
      const key = model.keys.keyProperty;
      const check: ConnectCheck = { kind: 'queryset', name: `${model.name} in ${index}`, ok: true, index, model: model.name, detail: `selects ${key}` };
      try {
        const queryset = model.model.getSearchQueryset(db, index).clone().clearOrder().limit(0);
        await db.select(key).from(queryset.as('q')).limit(0);
      } catch (error) {
        Object.assign(check, { ok: false, detail: undefined, error: querysetError(error, model, index, key) });
      }
      out.push(check);
    }
  }
  return out;
}
