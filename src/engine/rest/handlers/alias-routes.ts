import { EngineError, illegalArgument, indexNotFound } from '../../errors.js';
import { aliasToJSON, parseAliasDefinition } from '../../indices/alias-definition.js';
import { checkAliasRouting } from '../../indices/index-modes.js';
import type { AliasMetadata, IndexService } from '../../indices/index-service.js';
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
  /** TransportIndicesAliasesAction's finalActions: none at all (with actions asked) is a 404. */
  finalActions = 0;

  constructor(private readonly ctx: RestContext) {
    for (const service of ctx.indices.all()) aliases(this, service);
  }

  indices(expression: unknown, field: string): IndexService[] {
    const names = list(expression);
    if (names.length === 0) throw new EngineError(400, 'action_request_validation_exception', `Validation Failed: 1: [${field}] One of [index] or [indices] is required;`);
    const out: IndexService[] = [];
    for (const name of names) {
      if (isWildcard(name) || name === '_all') {
        out.push(...this.ctx.indices.all().filter((s) => wildcardMatch(name === '_all' ? '*' : name, s.name)));
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
    for (const name of this.added) {
      const index = this.ctx.indices.get(name);
      if (index && !this.removedIndices.has(index)) throw invalidAliasName(name, 'an index or data stream exists with the same name as the alias');
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

function addAlias(plan: AliasPlan, spec: Json): void {
  const targets = plan.indices(spec.index ?? spec.indices, 'add');
  const names = list(spec.alias ?? spec.aliases);
  if (names.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: One of [alias] or [aliases] is required;');
  const { index: _i, indices: _is, alias: _a, aliases: _as, ...definition } = spec;
  void _i; void _is; void _a; void _as;
  const metadata = parseAliasDefinition(definition);
  for (const name of names) {
    validateName(name, invalidAliasName);
    plan.added.add(name);
    for (const service of targets) {
      checkAliasRouting(service.mapping.modes.indexMode, metadata);
      aliases(plan, service)[name] = { ...metadata };
      plan.finalActions++;
    }
  }
}

/**
 * Removes the aliases (names or patterns) from the target indices; how many went. With
 * `must_exist: true` an alias missing fails the whole request (AliasAction.Remove); otherwise a
 * remove that found nothing is this action's 404 in `action_results` (8.14).
 */
function removeAlias(plan: AliasPlan, spec: Json): number {
  const targets = plan.indices(spec.index ?? spec.indices, 'remove');
  const names = list(spec.alias ?? spec.aliases);
  const mustExist = spec.must_exist === true || spec.must_exist === 'true';
  let removed = 0;
  for (const service of targets) {
    const map = aliases(plan, service);
    const selected = aliasSelector(names);
    const found = Object.keys(map).filter(selected);
    if (found.length === 0 && mustExist) throw aliasesMissing(names);
    for (const alias of found) delete map[alias];
    removed += found.length;
  }
  plan.finalActions += removed;
  return removed;
}

/** `must_exist` belongs to `remove` alone (AliasActions.mustExist). */
function checkMustExist(type: string, spec: Json): void {
  if (spec.must_exist === undefined || type === 'remove') return;
  throw new EngineError(400, 'x_content_parse_exception', `[1:1] [${type}] failed to parse field [must_exist]`, {}, illegalArgument(`[must_exist] is unsupported for [${type.toUpperCase()}]`));
}

const ACTIONS: Record<string, (plan: AliasPlan, ctx: RestContext, spec: Json) => number | undefined> = {
  add: (plan, _ctx, spec) => {
    addAlias(plan, spec);
    return undefined;
  },
  remove: (plan, _ctx, spec) => removeAlias(plan, spec),
  remove_index: (plan, _ctx, spec) => {
    for (const service of plan.indices(spec.index ?? spec.indices, 'remove_index')) {
      plan.removedIndices.add(service);
      plan.finalActions++;
    }
    return undefined;
  },
};

/** IndicesAliasesResponse.AliasActionResult: the action as asked, its status, its error. */
function actionResult(type: string, spec: Json, error: EngineError | undefined): Json {
  const original = (value: unknown): string[] | null => (value === undefined || value === null ? null : Array.isArray(value) ? value.map(String) : String(value).split(','));
  const result: Json = { action: { type, indices: original(spec.index ?? spec.indices), aliases: original(spec.alias ?? spec.aliases) }, status: error ? error.status : 200 };
  if (error) result.error = error.toBody();
  return result;
}

function updateAliases(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req, true);
  if (!Array.isArray(body.actions)) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: Must specify at least one alias action;');
  const plan = new AliasPlan(ctx);
  const results: Json[] = [];
  const asked: string[] = [];
  let errors = false;
  for (const action of body.actions) {
    if (!isRecord(action) || Object.keys(action).length !== 1) throw new EngineError(400, 'x_content_parse_exception', '[1:1] [alias_action] failed to parse');
    const [type, spec] = Object.entries(action)[0]!;
    const handler = ACTIONS[type];
    if (!handler) throw new EngineError(400, 'x_content_parse_exception', `[1:1] [aliases] unknown field [${type}]`);
    if (!isRecord(spec)) throw new EngineError(400, 'x_content_parse_exception', `[1:1] [${type}] failed to parse`);
    checkMustExist(type, spec);
    asked.push(...list(spec.alias ?? spec.aliases));
    const removed = handler(plan, ctx, spec);
    const error = removed === 0 ? aliasesMissing(list(spec.alias ?? spec.aliases)) : undefined;
    if (error) errors = true;
    results.push(actionResult(type, spec, error));
  }
  if (plan.finalActions === 0 && body.actions.length > 0) throw aliasesMissing([...new Set(asked)]);
  plan.validateNames();
  plan.validateWriteIndexes();
  plan.commit();
  // IndicesAliasesResponse: the results of every action only when one of them failed
  return ok(errors ? { acknowledged: true, errors, action_results: results } : { acknowledged: true, errors });
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
  addAlias(plan, { ...body, index: req.params.index, alias: req.params.name });
  plan.validateNames();
  plan.validateWriteIndexes();
  plan.commit();
  return ok({ acknowledged: true, errors: false });
}

function deleteAlias(req: RestRequest, ctx: RestContext): RestResult {
  const plan = new AliasPlan(ctx);
  // one remove action (must_exist unset): nothing removed is the request's 404
  if (removeAlias(plan, { index: req.params.index, alias: req.params.name }) === 0) throw aliasesMissing(list(req.params.name));
  plan.commit();
  return ok({ acknowledged: true, errors: false });
}

function getAliases(req: RestRequest, ctx: RestContext): RestResult {
  const wanted = req.params.name ? list(req.params.name) : undefined;
  const selected = aliasSelector(wanted);
  // GetAliasesRequest's IndicesOptions expand to open, closed and hidden indices
  const services = ctx.indices.resolve(req.params.index ?? '_all', resolveOptions(req, { allowClosed: true, expandWildcards: 'all' })).map((r) => r.service);
  const out: Json = {};
  const seen = new Set<string>();
  for (const service of services) {
    const aliasesOut: Json = {};
    for (const [alias, meta] of Object.entries(service.meta.aliases).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!selected(alias)) continue;
      aliasesOut[alias] = aliasToJSON(meta);
      seen.add(alias);
    }
    if (!wanted || Object.keys(aliasesOut).length > 0) out[service.name] = { aliases: aliasesOut };
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
