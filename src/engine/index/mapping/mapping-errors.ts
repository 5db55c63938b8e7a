import { EngineError } from '../../errors.js';

export const mapperParsing = (reason: string, causedBy?: EngineError): EngineError =>
  new EngineError(400, 'mapper_parsing_exception', reason, {}, causedBy);

/** A document that does not fit its mapping (Elasticsearch 8.8+: `document_parsing_exception`). */
export const documentParsing = (reason: string, causedBy?: EngineError): EngineError =>
  new EngineError(400, 'document_parsing_exception', reason, {}, causedBy);

export const strictDynamic = (field: string, within: string): EngineError =>
  new EngineError(
    400,
    'strict_dynamic_mapping_exception',
    `mapping set to strict, dynamic introduction of [${field}] within [${within}] is not allowed`,
  );

/** A JSON value as Java prints the parsed map or list (`{object=wow}`, `[1, 2]`), as the preview does. */
export function javaString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** `failed to parse field [price] of type [long] in document with id '1'. Preview of field's value: 'abc'` */
export function fieldParseFailure(
  path: string,
  type: string,
  id: string | undefined,
  value: unknown,
  cause: EngineError,
): EngineError {
  const preview = typeof value === 'string' ? value : javaString(value);
  return documentParsing(
    `failed to parse field [${path}] of type [${type}] in document with id '${id ?? 'null'}'. Preview of field's value: '${preview}'`,
    cause,
  );
}

/** Elasticsearch's refusal of an object nested deeper than index.mapping.depth.limit. */
export const depthExceeded = (limit: number, path: string): EngineError =>
  new EngineError(400, 'illegal_argument_exception', `Limit of mapping depth [${limit}] has been exceeded due to object field [${path}]`);
