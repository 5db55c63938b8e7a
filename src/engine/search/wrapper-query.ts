import { EngineError, parsingError } from '../errors.js';
import type { Query } from './query.js';

/** Jackson's MIME base64 alphabet (Base64Variants.MIME_NO_LINEFEEDS, what XContentParser.binaryValue reads). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string): Buffer {
  const stripped = text.replace(/\s+/g, '');
  if (!BASE64.test(stripped) || stripped.replace(/=+$/, '').length % 4 === 1) {
    throw new EngineError(400, 'x_content_parse_exception', `[1:1] [wrapper] failed to parse field [query]: Failed to decode VALUE_STRING as base64 (MIME-NO-LINEFEEDS)`);
  }
  return Buffer.from(stripped, 'base64');
}

/**
 * WrapperQueryBuilder: `{"wrapper": {"query": "<base64>"}}`, the base64 text of a query's JSON,
 * parsed (as Elasticsearch does when it rewrites the wrapper) as any other query. The body holds
 * exactly one field, `query`; a wrapper with no query is refused as fromXContent does.
 */
export function parseWrapper(body: unknown, parseQuery: (json: unknown) => Query): Query {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw parsingError('[wrapper] query malformed');
  const keys = Object.keys(body);
  const field = keys[0];
  if (field === undefined) throw parsingError('[wrapper] query malformed');
  if (field !== 'query') throw parsingError(`[wrapper] query malformed, expected \`query\` but was ${field}`);
  if (keys.length > 1) throw parsingError(`[wrapper] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const value = (body as Record<string, unknown>).query;
  if (value === null) throw parsingError('wrapper query has no [query] specified');
  if (typeof value !== 'string') {
    throw new EngineError(400, 'x_content_parse_exception', `[1:1] [wrapper] failed to parse field [query]: Current token not VALUE_STRING or VALUE_EMBEDDED_OBJECT, can not access as binary`);
  }
  const source = decodeBase64(value).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new EngineError(400, 'x_content_parse_exception', `[1:1] [wrapper] the wrapped query is not JSON: ${(error as Error).message}`);
  }
  return parseQuery(json);
}
