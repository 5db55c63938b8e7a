import { EngineError, illegalArgument, indexNotFound } from '../../errors.js';
import { aliasToJSON, parseAliasDefinition } from '../../indices/alias-definition.js';
import { checkAliasRouting } from '../../indices/index-modes.js';
import type { AliasMetadata, IndexService } from '../../indices/index-service.js';
import type { DataStreamAlias } from '../../indices/data-streams.js';
import { aliasSelector, missingAliases } from '../../indices/alias-patterns.js';
import { invalidAliasName, isWildcard, resolveDateMathName, validateName, wildcardMatch } from '../../indices/index-names.js';
import { jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';
import { ROUTE_PARAMS } from '../route-params.js';
import { resolveOptions } from './index-routes.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list of index or alias names, each `<...{date math}>` name resolved (DateMathExpressionResolver). */
function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const now = Date.now();
  const names = Array.isArray(value) ? value.map(String) : String(value).split(',').filter((s) => s !== '');
  return names.map((name) => resolveDateMathName(name, now));
}

/** AliasesNotFoundException: `aliases [a, b] missing` (Arrays.toString), the names as its resource ids. */
function aliasesMissing(names: string[]): EngineError {
  return new EngineError(404, 'aliases_not_found_exception', `aliases [${names.join(', ')}] missing`, { 'resource.type': 'aliases', 'resource.id': names.length === 1 ? names[0] : names });
}

/** Working copy of every index's aliases, so a list of actions applies all-or-nothing. */
class AliasPlan {
  readonly aliases = new Map<IndexService, Record<string, AliasMetadata>>();
  readonly removedIndices = new Set<IndexService>();
  readonly added = new Set<string>();
  /** Working copy of the data stream aliases (DataStreamAlias), by name. */
  readonly streamAliases = new Map<string, DataStreamAlias>();
  readonly addedStreamAliases = new Set<string>();
  /** How many actions changed something (TransportIndicesAliasesAction's finalActions). */
  changes = 0;

  constructor(private readonly ctx: RestContext) {
    for (const service of ctx.indices.all()) aliases(this, service);
    for (const alias of ctx.indices.dataStreams.aliases()) this.streamAliases.set(alias.name, JSON.parse(JSON.stringify(alias)) as DataStreamAlias);
  }

  /** IndexNameExpressionResolver.dataStreamNames: the streams the names and patterns reach. */
  dataStreamNames(names: string[]): string[] {
    const out = new Set<string>();
    for (const name of names) {
      if (isWildcard(name) || name === '_all') {
        for (const stream of this.ctx.indices.dataStreams.match(name === '_all' ? '*' : name, false)) out.add(stream.name);
      } else if (this.ctx.indices.dataStreams.has(name)) out.add(name);
    }
    return [...out].sort();
  }

  /** The concrete indices the names reach that back no data stream (a stream's own name reaches none here). */
  nonBackingIndices(names: string[]): IndexService[] {
    const out: IndexService[] = [];
    for (const name of names) {
      if (isWildcard(name) || name === '_all') {
        out.push(...this.ctx.indices.all().filter((s) => wildcardMatch(name === '_all' ? '*' : name, s.name) && !this.ctx.indices.dataStreams.parentOf(s.name)));
        continue;
      }
      const service = this.ctx.indices.get(name);
      if (service && !this.ctx.indices.dataStreams.parentOf(name)) out.push(service);
    }
    return [...new Set(out)].filter((s) => !this.removedIndices.has(s));
  }

  indices(expression: unknown, field: string): IndexService[] {
    const names = list(expression);
    if (names.length === 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: [${field}] One of [index] or [indices] is required;`);
    const out: IndexService[] = [];
    for (const name of names) {
      if (isWildcard(name) || name === '_all') {
        // a stream's backing indices are hidden: a pattern reaches them only through the stream
        out.push(...this.ctx.indices.all().filter((s) => wildcardMatch(name === '_all' ? '*' : name, s.name) && (name.startsWith('.') || !this.ctx.indices.dataStreams.parentOf(s.name))));
        continue;
      }
      const service = this.ctx.indices.get(name);
      if (!service) throw indexNotFound(name);
      out.push(service);
    }
    return out.filter((s) => !this.removedIndices.has(s));
  }

  /** Checked on the final state: `add` + `remove_index` of an index with the alias's name is how an index becomes an alias. */
  validateNames(): void {
    for (const name of this.addedStreamAliases) {
      // Metadata.Builder.build: a data stream alias may not share a data stream's name
      if (this.ctx.indices.dataStreams.has(name)) throw new EngineError(500, 'illegal_state_exception', `data stream alias and data stream have the same name (${name})`);
    }
    for (const name of [...this.added, ...this.addedStreamAliases]) {
      const index = this.ctx.indices.get(name);
      if ((index && !this.removedIndices.has(index)) || this.ctx.indices.dataStreams.has(name)) throw invalidAliasName(name, 'an index or data stream exists with the same name as the alias');
    }
    // Metadata.Builder's name collision checks: one name is either an index alias or a data stream alias
    for (const [name, alias] of this.streamAliases) {
      if (alias.data_streams.length === 0) continue;
      for (const [service, map] of this.aliases) {
        if (!this.removedIndices.has(service) && map[name] !== undefined) throw new EngineError(500, 'illegal_state_exception', `data stream alias and indices alias have the same name (${name})`);
      }
    }
  }

  validateWriteIndexes(): void {
    const writers = new Map<string, string[]>();
    for (const [service, map] of this.aliases) {
      if (this.removedIndices.has(service)) continue;
      for (const [alias, meta] of Object.entries(map)) {
        if (meta.is_write_index === true) writers.set(alias, [...(writers.get(alias) ?? []), service.name]);
      }
    }
    for (const [alias, names] of writers) {
      if (names.length > 1) throw illegalArgument(`alias [${alias}] has more than one write index [${names.sort().join(',')}]`);
    }
  }

  commit(): void {
    for (const service of this.removedIndices) this.ctx.indices.remove(service);
    const streamAliases = [...this.streamAliases.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    if (JSON.stringify(streamAliases) !== JSON.stringify(this.ctx.indices.dataStreams.aliases())) this.ctx.indices.dataStreams.replaceAliases(streamAliases);
    for (const [service, map] of this.aliases) {
      if (this.removedIndices.has(service)) continue;
      if (JSON.stringify(map) === JSON.stringify(service.meta.aliases)) continue;
      service.meta.aliases = map;
      service.persistMeta();
    }
  }
}

function aliases(plan: AliasPlan, service: IndexService): Record<string, AliasMetadata> {
  let map = plan.aliases.get(service);
  if (!map) plan.aliases.set(service, (map = JSON.parse(JSON.stringify(service.meta.aliases)) as Record<string, AliasMetadata>));
  return map;
}

/** AliasActionResult: what one action did, as the response's `action_results` show it. */
interface ActionResult {
  action: { type: string; indices: string[] | null; aliases: string[] | null };
  status: number;
  error?: Json;
}

function aliasNames(spec: Json): string[] {
  const names = list(spec.alias ?? spec.aliases);
  if (names.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: One of [alias] or [aliases] is required;');
  return names;
}

function definitionOf(spec: Json): AliasMetadata {
  const { index: _i, indices: _is, alias: _a, aliases: _as, must_exist: _m, ...definition } = spec;
  void _i; void _is; void _a; void _as; void _m;
  return parseAliasDefinition(definition);
}

/**
 * AliasActionResult.build: the action as asked (its original index expression and aliases; on data
 * streams, the streams it resolved to, as 140_data_stream_aliases.yml shows), a remove that removed
 * nothing a 404 in the results, anything else a 200.
 */
function result(type: string, spec: Json, removed?: number, streams?: string[]): ActionResult {
  const original = (value: unknown): string[] | null => (value === undefined || value === null ? null : Array.isArray(value) ? value.map(String) : String(value).split(','));
  const action = { type, indices: streams ?? original(spec.index ?? spec.indices), aliases: original(spec.alias ?? spec.aliases) };
  if (type === 'remove' && removed === 0) return { action, status: 404, error: aliasesMissing(list(spec.alias ?? spec.aliases)).toBody() };
  return { action, status: 200 };
}

/** The backing index check of TransportIndicesAliasesAction: a stream's backing indices take no aliases. */
function refuseBackingIndices(plan: AliasPlan, ctx: RestContext, targets: IndexService[], names: string[]): void {
  for (const service of targets) {
    const parent = ctx.indices.dataStreams.parentOf(service.name);
    if (parent) throw illegalArgument(`The provided expressions [${names.join(',')}] match a backing index belonging to data stream [${parent.name}]. Data stream backing indices don't support aliases.`);
  }
  void plan;
}

/** AddDataStreamAlias: the alias gains the stream, becomes its write alias when asked (or stops being it), and takes its filter. */
function addStreamAlias(plan: AliasPlan, name: string, stream: string, metadata: AliasMetadata): void {
  validateName(name, invalidAliasName);
  const alias = plan.streamAliases.get(name) ?? { name, data_streams: [] };
  if (!alias.data_streams.includes(stream)) alias.data_streams = [...alias.data_streams, stream];
  if (metadata.is_write_index === true) alias.write_data_stream = stream;
  else if (metadata.is_write_index === false && alias.write_data_stream === stream) delete alias.write_data_stream;
  const filters = { ...(alias.filters ?? {}) };
  if (metadata.filter !== undefined) filters[stream] = metadata.filter;
  else delete filters[stream];
  if (Object.keys(filters).length > 0) alias.filters = filters;
  else delete alias.filters;
  plan.streamAliases.set(name, alias);
  plan.addedStreamAliases.add(name);
}

/** RemoveDataStreamAlias for every alias of the stream the names (or patterns) match; how many went. */
function removeStreamAliases(plan: AliasPlan, names: string[], stream: string): number {
  let removed = 0;
  for (const alias of plan.streamAliases.values()) {
    if (!alias.data_streams.includes(stream)) continue;
    if (!names.some((n) => n === '_all' || n === alias.name || (isWildcard(n) && wildcardMatch(n, alias.name)))) continue;
    alias.data_streams = alias.data_streams.filter((d) => d !== stream);
    if (alias.write_data_stream === stream) delete alias.write_data_stream;
    if (alias.filters?.[stream] !== undefined) {
      const { [stream]: _gone, ...rest } = alias.filters;
      void _gone;
      if (Object.keys(rest).length > 0) alias.filters = rest;
      else delete alias.filters;
    }
    removed++;
  }
  return removed;
}

function addAlias(plan: AliasPlan, ctx: RestContext, spec: Json): ActionResult {
  const expression = list(spec.index ?? spec.indices);
  if (expression.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [add] One of [index] or [indices] is required;');
  const names = aliasNames(spec);
  const metadata = definitionOf(spec);
  const streams = plan.dataStreamNames(expression);
  if (streams.length > 0) {
    // TransportIndicesAliasesAction: what data stream aliases do not support, then no mixing with indices
    for (const [field, value] of [['routing', spec.routing], ['index_routing', spec.index_routing], ['search_routing', spec.search_routing], ['is_hidden', spec.is_hidden]] as const) {
      if (value !== undefined && value !== null) throw illegalArgument(`aliases that point to data streams don't support ${field}`);
    }
    if (plan.nonBackingIndices(expression).length > 0) throw illegalArgument(`expressions [${expression.join(', ')}] that match with both data streams and regular indices are disallowed`);
    for (const stream of streams) for (const name of names) addStreamAlias(plan, name, stream, metadata);
    plan.changes++;
    return result('add', spec, undefined, streams);
  }
  const targets = plan.indices(expression, 'add');
  refuseBackingIndices(plan, ctx, targets, expression);
  for (const name of names) {
    validateName(name, invalidAliasName);
    plan.added.add(name);
    for (const service of targets) {
      checkAliasRouting(service.mapping.modes.indexMode, metadata);
      aliases(plan, service)[name] = { ...metadata };
      plan.changes++;
    }
  }
  return result('add', spec);
}

/**
 * A remove: every alias the names (or patterns) match on each target. `must_exist: true` fails the
 * request when an index lacks one; otherwise a remove that removed nothing is a 404 in the results.
 */
function removeAlias(plan: AliasPlan, ctx: RestContext, spec: Json): ActionResult {
  const expression = list(spec.index ?? spec.indices);
  if (expression.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: [remove] One of [index] or [indices] is required;');
  const names = list(spec.alias ?? spec.aliases);
  const mustExist = spec.must_exist === true || spec.must_exist === 'true';
  const streams = plan.dataStreamNames(expression);
  let removed = 0;
  let targets: IndexService[];
  if (streams.length > 0) {
    for (const stream of streams) removed += removeStreamAliases(plan, names, stream);
    targets = plan.nonBackingIndices(expression);
    if (targets.length === 0) {
      plan.changes += removed;
      return result('remove', spec, removed, streams);
    }
  } else targets = plan.indices(expression, 'remove');
  refuseBackingIndices(plan, ctx, targets, expression);
  // AliasAction.Remove: `must_exist: true` fails the request when an index has none of them
  const selected = aliasSelector(names);
  for (const service of targets) {
    const map = aliases(plan, service);
    const found = Object.keys(map).filter(selected);
    if (found.length === 0 && mustExist) throw aliasesMissing(names);
    for (const alias of found) delete map[alias];
    removed += found.length;
  }
  plan.changes += removed;
  return result('remove', spec, removed);
}

function removeIndex(plan: AliasPlan, ctx: RestContext, spec: Json): ActionResult {
  const expression = list(spec.index ?? spec.indices);
  if (plan.dataStreamNames(expression).length > 0) throw illegalArgument('Unsupported action [REMOVE_INDEX]');
  const targets = plan.indices(expression, 'remove_index');
  refuseBackingIndices(plan, ctx, targets, expression);
  for (const service of targets) plan.removedIndices.add(service);
  plan.changes += targets.length;
  return { action: { type: 'remove_index', indices: targets.map((t) => t.name), aliases: [] }, status: 200 };
}

/** `must_exist` belongs to `remove` alone (AliasActions.mustExist). */
function checkMustExist(type: string, spec: Json): void {
  if (spec.must_exist === undefined || type === 'remove') return;
  throw new EngineError(400, 'x_content_parse_exception', `[1:1] [${type}] failed to parse field [must_exist]`, {}, illegalArgument(`[must_exist] is unsupported for [${type.toUpperCase()}]`));
}

const ACTIONS: Record<string, (plan: AliasPlan, ctx: RestContext, spec: Json) => ActionResult> = {
  add: addAlias,
  remove: removeAlias,
  remove_index: removeIndex,
};

/** The response of an alias change (IndicesAliasesResponse): `action_results` only when one of them failed. */
function aliasesResponse(results: ActionResult[]): RestResult {
  const errors = results.some((r) => r.status !== 200);
  return ok({ acknowledged: true, errors, ...(errors ? { action_results: results } : {}) });
}

function updateAliases(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  if (!Array.isArray(body.actions)) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: Must specify at least one alias action;');
  const plan = new AliasPlan(ctx);
  const results: ActionResult[] = [];
  const requested: string[] = [];
  for (const action of body.actions) {
    if (!isRecord(action) || Object.keys(action).length !== 1) throw new EngineError(400, 'x_content_parse_exception', '[1:1] [alias_action] failed to parse');
    const [type, spec] = Object.entries(action)[0]!;
    const handler = ACTIONS[type];
    if (!handler) throw new EngineError(400, 'x_content_parse_exception', `[1:1] [aliases] unknown field [${type}]`);
    if (!isRecord(spec)) throw new EngineError(400, 'x_content_parse_exception', `[1:1] [${type}] failed to parse`);
    checkMustExist(type, spec);
    requested.push(...list(spec.alias ?? spec.aliases));
    results.push(handler(plan, ctx, spec));
  }
  // TransportIndicesAliasesAction: nothing to do at all is aliases_not_found_exception
  if (plan.changes === 0 && results.length > 0) throw aliasesMissing([...new Set(requested)]);
  plan.validateNames();
  plan.validateWriteIndexes();
  plan.commit();
  return aliasesResponse(results);
}

/** The body fields RestIndexPutAliasAction reads; any other is "Unsupported field [x]" there. */
const PUT_ALIAS_FIELDS = new Set(['index', 'alias', 'routing', 'index_routing', 'search_routing', 'filter', 'is_write_index', 'is_hidden']);

function putAlias(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req);
  for (const key of Object.keys(body)) {
    if (!PUT_ALIAS_FIELDS.has(key)) throw illegalArgument(`Unsupported field [${key}]`);
    // every field but filter is a single value there; an array or object is a token it does not expect
    const value = body[key];
    if (key !== 'filter' && typeof value === 'object' && value !== null) {
      throw illegalArgument(`Failed to parse [${key}]: Unexpected token [${Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT'}]`);
    }
  }
  const plan = new AliasPlan(ctx);
  const added = addAlias(plan, ctx, { ...body, index: req.params.index, alias: req.params.name });
  plan.validateNames();
  plan.validateWriteIndexes();
  plan.commit();
  return aliasesResponse([added]);
}

function deleteAlias(req: RestRequest, ctx: RestContext): RestResult {
  const plan = new AliasPlan(ctx);
  // RestIndexDeleteAliasesAction: a missing alias is an error of the request, not a result
  const removed = removeAlias(plan, ctx, { index: req.params.index, alias: req.params.name });
  if (removed.status !== 200) throw aliasesMissing(list(req.params.name));
  plan.commit();
  return aliasesResponse([removed]);
}

function getAliases(req: RestRequest, ctx: RestContext): RestResult {
  const wanted = req.params.name ? list(req.params.name) : undefined;
  // GetAliasesRequest's IndicesOptions expand to open, closed and hidden indices
  const services = ctx.indices.resolve(req.params.index ?? '_all', resolveOptions(req, { allowClosed: true, expandWildcards: 'all' })).map((r) => r.service);
  const out: Json = {};
  const seen = new Set<string>();
  const selected = aliasSelector(wanted);
  for (const service of services) {
    const aliasesOut: Json = {};
    for (const [alias, meta] of Object.entries(service.meta.aliases).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!selected(alias)) continue;
      aliasesOut[alias] = aliasToJSON(meta);
      seen.add(alias);
    }
    if (!wanted || Object.keys(aliasesOut).length > 0) out[service.name] = { aliases: aliasesOut };
  }
  // TransportGetAliasesAction.postProcess: each requested data stream with (matching) aliases,
  // RestGetAliasesAction printing the write flag and the stream's filter
  for (const stream of requestedStreams(ctx, req.params.index)) {
    const aliasesOut: Json = {};
    for (const alias of ctx.indices.dataStreams.aliasesOf(stream)) {
      if (!selected(alias.name)) continue;
      aliasesOut[alias.name] = {
        ...(alias.write_data_stream === stream ? { is_write_index: true } : {}),
        ...(alias.filters?.[stream] !== undefined ? { filter: alias.filters[stream] } : {}),
      };
      seen.add(alias.name);
    }
    if (Object.keys(aliasesOut).length > 0) out[stream] = { aliases: aliasesOut };
  }
  if (wanted) {
    const missing = missingAliases(wanted, seen);
    if (missing.length > 0) {
      // RestGetAliasesAction: the missing names sorted, "alias [a]" or "aliases [a,b]"
      const error = missing.length === 1 ? `alias [${missing[0]}] missing` : `aliases [${missing.join(',')}] missing`;
      return { status: 404, body: { ...out, error, status: 404 } };
    }
  }
  return ok(out);
}

/** The data streams an alias request's index expression names (all of them, hidden ones included, when it names none). */
function requestedStreams(ctx: RestContext, expression: string | undefined): string[] {
  const parts = expression === undefined || expression === '' ? ['_all'] : list(expression);
  const out = new Set<string>();
  for (const part of parts) {
    if (part === '_all' || isWildcard(part)) for (const stream of ctx.indices.dataStreams.match(part === '_all' ? '*' : part, true)) out.add(stream.name);
    else if (ctx.indices.dataStreams.has(part)) out.add(part);
  }
  return [...out].sort();
}

function aliasExists(req: RestRequest, ctx: RestContext): RestResult {
  const result = getAliases(req, ctx);
  const found = result.status === 200 && Object.keys(result.body as Json).length > 0;
  return { status: found ? 200 : 404, body: '' };
}

export const ALIAS_ROUTES: Route[] = [
  { method: 'POST', pattern: '/_aliases', handler: updateAliases, params: ROUTE_PARAMS.aliases },
  { method: 'PUT', pattern: '/{index}/_alias/{name}', handler: putAlias, params: ROUTE_PARAMS.aliases },
  { method: 'POST', pattern: '/{index}/_alias/{name}', handler: putAlias, params: ROUTE_PARAMS.aliases },
  { method: 'PUT', pattern: '/{index}/_aliases/{name}', handler: putAlias, params: ROUTE_PARAMS.aliases },
  { method: 'POST', pattern: '/{index}/_aliases/{name}', handler: putAlias, params: ROUTE_PARAMS.aliases },
  { method: 'DELETE', pattern: '/{index}/_alias/{name}', handler: deleteAlias, params: ROUTE_PARAMS.aliases },
  { method: 'DELETE', pattern: '/{index}/_aliases/{name}', handler: deleteAlias, params: ROUTE_PARAMS.aliases },
  { method: 'GET', pattern: '/_alias', handler: getAliases, params: ROUTE_PARAMS.getAlias },
  { method: 'GET', pattern: '/_aliases', handler: getAliases, params: ROUTE_PARAMS.getAlias },
  { method: 'GET', pattern: '/_alias/{name}', handler: getAliases, params: ROUTE_PARAMS.getAlias },
  { method: 'GET', pattern: '/{index}/_alias', handler: getAliases, params: ROUTE_PARAMS.getAlias },
  { method: 'GET', pattern: '/{index}/_aliases', handler: getAliases, params: ROUTE_PARAMS.getAlias },
  { method: 'GET', pattern: '/{index}/_alias/{name}', handler: getAliases, params: ROUTE_PARAMS.getAlias },
  { method: 'HEAD', pattern: '/_alias/{name}', handler: aliasExists, params: ROUTE_PARAMS.getAlias },
  { method: 'HEAD', pattern: '/{index}/_alias/{name}', handler: aliasExists, params: ROUTE_PARAMS.getAlias },
];
