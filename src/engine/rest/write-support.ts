import { EngineError, illegalArgument } from '../errors.js';
import type { IndexService, WriteOptions, WriteResult } from '../indices/index-service.js';
import type { RefreshPolicy } from './request-params.js';

type Json = Record<string, unknown>;

/** `_shards` of a write (one shard's copies): the replicas are never assigned on one node. */
export function shardsBlock(service: IndexService, noop = false): Json {
  if (noop) return { total: 0, successful: 0, failed: 0 };
  const replicas = Number(service.meta.settings['index.number_of_replicas'] ?? 1);
  return { total: 1 + replicas, successful: 1, failed: 0 };
}

/** The body of an index/create/delete/update answer, in Elasticsearch's key order. */
export function writeResponse(service: IndexService, result: WriteResult, forcedRefresh: boolean): Json {
  const body: Json = { _index: service.name, _id: result.id, _version: result.version, result: result.result };
  if (forcedRefresh) body.forced_refresh = true;
  body._shards = shardsBlock(service, result.result === 'noop');
  body._seq_no = result.seqNo;
  body._primary_term = 1;
  return body;
}

/**
 * The routing of a single-document operation addressed as `name`: an alias's `index_routing`
 * applies, and a different `routing` on the request is refused (IndexNameExpressionResolver.resolveIndexRouting).
 */
export function aliasRouting(service: IndexService, name: string, routing: string | undefined): string | undefined {
  if (name === service.name) return routing;
  const aliasValue = service.meta.aliases[name]?.index_routing;
  if (aliasValue === undefined) return routing;
  if (routing !== undefined && routing !== aliasValue) {
    throw illegalArgument(`Alias [${name}] has index routing associated with it [${aliasValue}], and was provided with routing value [${routing}], rejecting operation`);
  }
  return aliasValue;
}

export function writeStatus(result: WriteResult): number {
  if (result.result === 'created') return 201;
  if (result.result === 'not_found') return 404;
  return 200;
}

const VERSION_TYPES = ['internal', 'external', 'external_gte'] as const;

/** if_seq_no / if_primary_term / version / version_type / op_type from URL params or bulk metadata. */
/** IndexRequest.validate for `create`: only internal versioning, no compare-and-set. */
export function validateCreate(options: WriteOptions): void {
  if (options.opType !== 'create') return;
  if (options.versionType !== undefined && options.versionType !== 'internal') {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: create operations only support internal versioning. use index instead;');
  }
  if (options.ifSeqNo !== undefined || options.ifPrimaryTerm !== undefined) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: create operations do not support compare and set. use index instead;');
  }
}

export function writeOptions(source: Record<string, unknown>): WriteOptions {
  const options: WriteOptions = {};
  const num = (name: string): number | undefined => {
    const value = source[name];
    if (value === undefined || value === null) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw illegalArgument(`Failed to parse long parameter [${name}] with value [${String(value)}]`);
    return n;
  };
  const ifSeqNo = num('if_seq_no');
  const ifPrimaryTerm = num('if_primary_term');
  if ((ifSeqNo === undefined) !== (ifPrimaryTerm === undefined) && ifSeqNo !== undefined) {
    throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: ifSeqNo is set, but primary term is [0];');
  }
  if (ifSeqNo !== undefined) options.ifSeqNo = ifSeqNo;
  if (ifPrimaryTerm !== undefined) options.ifPrimaryTerm = ifPrimaryTerm;
  const version = num('version');
  if (version !== undefined) options.version = version;
  const versionType = source.version_type;
  if (versionType !== undefined) {
    if (!(VERSION_TYPES as readonly string[]).includes(String(versionType))) throw illegalArgument(`No version type match [${String(versionType)}]`);
    options.versionType = String(versionType) as WriteOptions['versionType'];
  }
  if (source.routing !== undefined && source.routing !== null) options.routing = String(source.routing);
  const opType = source.op_type;
  if (opType !== undefined) {
    if (opType !== 'index' && opType !== 'create') throw illegalArgument(`opType must be 'create' or 'index', found: [${String(opType)}]`);
    options.opType = opType;
  }
  return options;
}

/**
 * Acknowledge: fsync the translogs touched, then refresh the shards written if asked (`true` and
 * `wait_for` both make the writes visible).
 */
export function acknowledge(services: Iterable<IndexService>, refresh: RefreshPolicy): void {
  for (const service of services) {
    service.sync();
    service.refreshWritten(refresh !== 'false');
  }
}
