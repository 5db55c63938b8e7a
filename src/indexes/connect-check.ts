import type { Knex } from 'knex';
import { describeServer, probeServer, type ServerReport } from '../client/server-probe.js';
import { IndexkitError } from '../errors.js';
import { querysetError } from '../models/queryset-error.js';
import type { Project } from '../project.js';
import { describeRed, indexHealth } from './index-health.js';

/** One thing `search check --connect` tried: a connection, the database, or a model's queryset for an index. */
export interface ConnectCheck {
  kind: 'connection' | 'database' | 'queryset' | 'index';
  /** `connections.default`, `database`, `Post in blog`. */
  name: string;
  ok: boolean;
  /** What answered: the cluster's name and version, or the key the queryset selects. */
  detail?: string;
  error?: unknown;
  /** A connection's server: product, version, and the features tried there. */
  server?: ServerReport;
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
      // The server's product and version, and each feature indexkit uses tried on a throwaway index.
      const server = await probeServer(await project.clients.get(name));
      out.push({ kind: 'connection', name: `connections.${name}`, ok: true, detail: `${describeServer(server)} (${server.clusterName ?? 'cluster'}), ${server.features.filter((f) => f.ok).length}/${server.features.length} features work`, server });
      for (const f of server.features.filter((f) => !f.ok)) {
        const error = new IndexkitError('CONNECTION_INVALID', `connections.${name}: ${f.feature} does not work on ${server.distribution} ${server.version}: ${f.detail ?? 'no detail'}`);
        out.push({ kind: 'connection', name: `connections.${name}: ${f.feature}`, ok: false, error });
      }
    } catch (error) {
      out.push({ kind: 'connection', name: `connections.${name}`, ok: false, error });
    }
  }
  out.push(...(await redIndexChecks(project, new Set(out.filter((c) => c.kind === 'connection' && c.ok && !c.name.includes(':')).map((c) => c.name.slice('connections.'.length))))));
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

/**
 * Each configured index that exists on a connection that answered, checked for health red (its
 * shards not allocated: an embedded engine that could not open it at start-up, for instance because
 * a word file its analysis reads is gone): one failed check per red index, naming the cause.
 */
async function redIndexChecks(project: Project, reachable: ReadonlySet<string>): Promise<ConnectCheck[]> {
  const out: ConnectCheck[] = [];
  for (const [index, settings] of Object.entries(project.config.indexes)) {
    if (!reachable.has(settings.connection)) continue;
    const client = await project.clients.get(settings.connection);
    try {
      if (!(await client.indices.exists({ index }))) continue;
      const health = await indexHealth(client, index);
      for (const red of health.red) {
        const error = new IndexkitError('INDEX_RED', `${describeRed(red)}; searches and writes to ${index} fail until it opens: restore what the cause names, then close and open the index (or restart the engine)`);
        out.push({ kind: 'index', name: `index ${index}`, ok: false, error, index });
      }
      if (health.red.length === 0) out.push({ kind: 'index', name: `index ${index}`, ok: true, detail: `health ${health.status}` });
    } catch (error) {
      out.push({ kind: 'index', name: `index ${index}`, ok: false, error, index });
    }
  }
  return out;
}
