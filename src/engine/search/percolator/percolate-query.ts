import { EngineError, illegalArgument, unsupported } from '../../errors.js';
import { asNumber, asString, isObject } from '../parse-util.js';
import type { Json } from '../parse-util.js';

/** The stored document a percolate query names (`index`, `id`, `routing`, `preference`, `version`). */
export interface IndexedDocument {
  index: string;
  id: string;
  routing?: string;
  version?: number;
}

/**
 * The `percolate` query as PercolateQueryBuilder's parser reads it: the percolator `field`, the
 * documents to percolate (`document`, `documents`, or a stored one by `index` and `id`), and the
 * `name` its `_percolator_document_slot` field carries when a search holds several.
 */
export interface PercolateQuery {
  kind: 'percolate';
  boost: number;
  name?: string;
  field: string;
  slotName?: string;
  documents: Json[];
  indexed?: IndexedDocument;
}

const NAME = 'percolate';
const xContent = (reason: string): EngineError => new EngineError(400, 'x_content_parse_exception', `[1:1] ${reason}`);

/** PercolateQueryBuilder.PARSER (a ConstructingObjectParser with required and exclusive field sets). */
export function parsePercolate(body: unknown): PercolateQuery {
  if (!isObject(body)) throw new EngineError(400, 'parsing_exception', `[${NAME}] query malformed, no start_object after query name`, { line: 1, col: 1 });
  const q: PercolateQuery = { kind: 'percolate', boost: 1, field: '', documents: [] };
  let field: string | undefined;
  let index: string | undefined;
  let id: string | undefined;
  let routing: string | undefined;
  let version: number | undefined;
  const given: string[] = [];
  for (const [key, v] of Object.entries(body)) {
    switch (key) {
      case 'field':
        field = asString(NAME, key, v);
        break;
      case 'document':
        if (!isObject(v)) throw xContent(`[${NAME}] document doesn't support values of type: ${Array.isArray(v) ? 'START_ARRAY' : 'VALUE_STRING'}`);
        q.documents = [v];
        given.push(key);
        break;
      case 'documents':
        for (const d of Array.isArray(v) ? v : [v]) {
          if (!isObject(d)) throw xContent(`[${NAME}] documents doesn't support values of type: VALUE_STRING`);
          q.documents.push(d);
        }
        given.push(key);
        break;
      case 'index':
        index = asString(NAME, key, v);
        break;
      case 'id':
        id = asString(NAME, key, v);
        given.push(key);
        break;
      case 'routing':
        routing = asString(NAME, key, v);
        break;
      case 'preference':
        asString(NAME, key, v);
        break;
      case 'version':
        version = asNumber(NAME, key, v);
        break;
      case 'name':
        q.slotName = asString(NAME, key, v);
        break;
      case '_name':
        q.name = asString(NAME, key, v);
        break;
      case 'boost':
        q.boost = Math.fround(asNumber(NAME, key, v));
        break;
      default:
        throw xContent(`[${NAME}] unknown field [${key}]`);
    }
  }
  if (given.length === 0) throw illegalArgument('Required one of fields [document, documents, id], but none were specified.');
  if (given.length > 1) throw illegalArgument(`The following fields are not allowed together: [${given.join(', ')}]`);
  if (field === undefined) throw illegalArgument('Required [field]');
  q.field = field;
  if (id !== undefined) {
    if (index === undefined) throw illegalArgument('[index] is a required argument');
    if (version !== undefined) throw unsupported('[version] of a percolate query');
    q.indexed = { index, id, ...(routing !== undefined ? { routing } : {}) };
  }
  return q;
}
