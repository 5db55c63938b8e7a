import { EngineError, illegalArgument } from '../../errors.js';
import { checkFilters, indexFieldCaps, mergeFieldCaps } from '../../indices/field-caps.js';
import type { IndexFieldCaps } from '../../indices/field-caps.js';
import { unknownField } from '../../rank-eval/object-parser.js';
import { indexFilterCanMatch } from '../../search/can-match.js';
import { boolParam, jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { resolveOptions } from './index-routes.js';

const BODY_FIELDS = ['index_filter', 'runtime_mappings', 'fields'];
const PARAMS = ['fields', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'include_unmapped', 'filters', 'types', 'include_empty_fields'];

const split = (value: string | undefined): string[] => (value === undefined ? [] : value.split(',').map((v) => v.trim()).filter((v) => v !== ''));

function isMatchAll(filter: unknown): boolean {
  return filter === undefined || (typeof filter === 'object' && filter !== null && Object.keys(filter).length === 1 && 'match_all' in filter);
}

/**
 * `_field_caps` (RestFieldCapabilitiesAction): `fields` from the URL or the body (not both),
 * `filters`, `types`, `include_unmapped`, `include_empty_fields`, and the body's `index_filter`
 * (an index whose shards all rewrite it to match_none is left out). Runtime fields report their runtime type (`runtime_mappings` adds the request's).
 */
function fieldCaps(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req);
  for (const key of Object.keys(body)) if (!BODY_FIELDS.includes(key)) throw unknownField('field_caps_request', key, BODY_FIELDS);
  let fields = Array.isArray(body.fields) ? body.fields.map(String) : typeof body.fields === 'string' ? [body.fields] : [];
  if (req.query.fields !== undefined) {
    if (fields.length > 0) throw illegalArgument("can't specify a request body and [fields] request parameter, either specify a request body or the [fields] request parameter");
    fields = split(req.query.fields);
  }
  if (fields.length === 0) throw new EngineError(400, 'action_request_validation_exception', "Validation Failed: 1: specified fields can't be null or empty;");
  const filters = split(req.query.filters);
  checkFilters(filters);
  const options = { fields, filters, types: split(req.query.types), includeEmptyFields: boolParam(req, 'include_empty_fields', true) };
  const includeUnmapped = boolParam(req, 'include_unmapped', false);
  const now = Date.now();
  const perIndex: Array<{ index: string; caps: Map<string, IndexFieldCaps> }> = [];
  const seen = new Set<string>();
  for (const { service } of ctx.indices.resolve(req.params.index, { allowNoIndices: true, ...resolveOptions(req) })) {
    if (seen.has(service.name)) continue;
    seen.add(service.name);
    const views = isMatchAll(body.index_filter) && options.includeEmptyFields ? [] : service.searchViews();
    if (!isMatchAll(body.index_filter) && !indexFilterCanMatch(body.index_filter, views, now)) continue;
    const runtime = body.runtime_mappings === undefined ? [] : service.mapping.parseRuntimeMappings(body.runtime_mappings);
    perIndex.push({ index: service.name, caps: indexFieldCaps(service.mapping, views, { ...options, runtime }) });
  }
  return ok(mergeFieldCaps(perIndex, includeUnmapped));
}

export const FIELD_CAPS_ROUTES: Route[] = [
  { method: 'GET', pattern: '/_field_caps', handler: fieldCaps, params: PARAMS },
  { method: 'POST', pattern: '/_field_caps', handler: fieldCaps, params: PARAMS },
  { method: 'GET', pattern: '/{index}/_field_caps', handler: fieldCaps, params: PARAMS },
  { method: 'POST', pattern: '/{index}/_field_caps', handler: fieldCaps, params: PARAMS },
];
