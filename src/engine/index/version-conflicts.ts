import { EngineError } from '../errors.js';

/** 409 `version_conflict_engine_exception`, with Elasticsearch's reason texts. */
export function versionConflict(index: string, uuid: string, id: string, detail: string, shard = 0): EngineError {
  return new EngineError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${detail}`, {
    index_uuid: uuid,
    shard: String(shard),
    index,
  });
}

export const seqNoConflict = (required: number, term: number, current: { seqNo: number } | undefined): string =>
  current
    ? `required seqNo [${required}], primary term [${term}]. current document has seqNo [${current.seqNo}] and primary term [1]`
    : `required seqNo [${required}], primary term [${term}]. but no document was found`;

export const alreadyExists = (version: number): string => `document already exists (current version [${version}])`;

export const externalConflict = (current: number, provided: number, gte: boolean): string =>
  gte
    ? `current version [${current}] is higher than the one provided [${provided}]`
    : `current version [${current}] is higher or equal to the one provided [${provided}]`;

export function documentMissing(index: string, uuid: string, id: string, shard = 0): EngineError {
  return new EngineError(404, 'document_missing_exception', `[${id}]: document missing`, { index_uuid: uuid, shard: String(shard), index });
}
