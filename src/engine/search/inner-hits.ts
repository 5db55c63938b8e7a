import { EngineError, unsupported } from '../errors.js';
import { isObject } from './parse-util.js';

/**
 * `inner_hits` options as Elasticsearch's InnerHitBuilder reads them. Collapse expands each group
 * with a search of its own (ExpandSearchPhase), so the options are kept as the body of that search.
 */
export interface InnerHitSpec {
  name?: string;
  ignoreUnmapped: boolean;
  from: number;
  size: number;
  /** The fetch options as a `_search` body: from, size, sort, _source, fields, highlight, collapse... */
  body: Record<string, unknown>;
}

/** An error from an ObjectParser: x_content_parse_exception, the cause as Elasticsearch nests it. */
export function xContentError(reason: string, cause?: EngineError): EngineError {
  return new EngineError(400, 'x_content_parse_exception', `[1:1] ${reason}`, {}, cause);
}

const DEFAULT_SIZE = 3;

function bool(parser: string, key: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw xContentError(`[${parser}] ${key} doesn't support values of type: ${typeof v === 'number' ? 'VALUE_NUMBER' : 'VALUE_STRING'}`);
}

function int(parser: string, key: string, v: unknown): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw xContentError(`[${parser}] failed to parse field [${key}]`);
  return n;
}

/** The inner collapse of an inner hit: exactly `{ "field": "<name>" }` (no inner_hits, no nested collapse). */
function innerCollapse(v: unknown): Record<string, unknown> {
  if (!isObject(v) || Object.keys(v).length !== 1 || typeof v.field !== 'string') {
    throw xContentError('[inner_hits] failed to parse field [collapse]', new EngineError(400, 'parsing_exception', 'Invalid token in the inner collapse'));
  }
  return { field: v.field };
}

/** Parses one `inner_hits` object (InnerHitBuilder.fromXContent). */
export function parseInnerHit(v: unknown): InnerHitSpec {
  if (!isObject(v)) throw xContentError('[inner_hits] inner_hits doesn\'t support values of its type, expected an object');
  const spec: InnerHitSpec = { ignoreUnmapped: false, from: 0, size: DEFAULT_SIZE, body: {} };
  const body = spec.body;
  for (const [key, value] of Object.entries(v)) {
    switch (key) {
      case 'name':
        if (typeof value !== 'string') throw xContentError('[inner_hits] name doesn\'t support values of its type');
        spec.name = value;
        break;
      case 'ignore_unmapped':
        spec.ignoreUnmapped = bool('inner_hits', key, value);
        break;
      case 'from':
        spec.from = int('inner_hits', key, value);
        if (spec.from < 0) throw xContentError('[inner_hits] failed to parse field [from]', new EngineError(400, 'illegal_argument_exception', 'illegal from value, at least 0 or higher'));
        break;
      case 'size':
        spec.size = int('inner_hits', key, value);
        if (spec.size < 0) throw xContentError('[inner_hits] failed to parse field [size]', new EngineError(400, 'illegal_argument_exception', 'illegal size value, at least 0 or higher'));
        break;
      case 'explain':
      case 'version':
      case 'seq_no_primary_term':
      case 'track_scores':
        body[key] = bool('inner_hits', key, value);
        break;
      case 'stored_fields':
      case 'docvalue_fields':
      case 'fields':
      case 'sort':
      case '_source':
      case 'highlight':
        body[key] = value;
        break;
      case 'collapse':
        body.collapse = innerCollapse(value);
        break;
      case 'script_fields':
        throw unsupported('script_fields');
      default:
        throw xContentError(`[inner_hits] unknown field [${key}]`);
    }
  }
  body.from = spec.from;
  body.size = spec.size;
  return spec;
}
