import { EngineError, illegalArgument } from '../../errors.js';
import { aliasToJSON } from '../../indices/alias-definition.js';
import type { AliasMetadata } from '../../indices/index-service.js';
import type { FlatSettings } from '../../indices/index-settings.js';
import { unflattenSettings } from '../../indices/index-settings.js';
import { renderLifecycle } from './lifecycle-render.js';
import type { ResolvedTemplate } from '../../indices/index-templates.js';
import type { ComposableTemplate, TemplateBody } from '../../indices/template-parsing.js';
import { parseComponentTemplate, parseComposableTemplate, parseLegacyTemplate } from '../../indices/template-parsing.js';
import { boolParam, jsonBody } from '../request-params.js';
import { ok } from '../rest-types.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';

/**
 * Index templates: `_index_template` (composable), `_component_template`, `_template` (legacy),
 * and the two simulate APIs (RestPutComposableIndexTemplateAction, RestSimulateIndexTemplateAction
 * and their neighbours).
 */

type Json = Record<string, unknown>;

function renderSettings(settings: FlatSettings, req: RestRequest): Json {
  if (boolParam(req, 'flat_settings', false)) return Object.fromEntries(Object.keys(settings).sort().map((k) => [k, settings[k]]));
  return unflattenSettings(settings);
}

function renderAliases(aliases: Record<string, AliasMetadata>): Json {
  const out: Json = {};
  for (const name of Object.keys(aliases).sort()) out[name] = aliasToJSON(aliases[name]!);
  return out;
}

/** Template.toXContent: settings, mappings and aliases, each when present. */
function renderBody(body: TemplateBody, req: RestRequest, ctx: RestContext): Json {
  const out: Json = {};
  if (body.settings !== undefined) out.settings = renderSettings(body.settings, req);
  if (body.mappings !== undefined) out.mappings = body.mappings;
  if (body.aliases !== undefined) out.aliases = renderAliases(body.aliases);
  if (body.lifecycle !== undefined) out.lifecycle = renderLifecycle(body.lifecycle, req, ctx, { effective: false });
  return out;
}

/** ComposableIndexTemplate.toXContent. */
function renderComposable(t: ComposableTemplate, req: RestRequest, ctx: RestContext): Json {
  const out: Json = { index_patterns: t.index_patterns };
  if (t.template !== undefined) out.template = renderBody(t.template, req, ctx);
  out.composed_of = t.composed_of;
  if (t.priority !== undefined) out.priority = t.priority;
  if (t.version !== undefined) out.version = t.version;
  if (t._meta !== undefined) out._meta = t._meta;
  if (t.data_stream !== undefined) out.data_stream = { hidden: t.data_stream.hidden === true, allow_custom_routing: t.data_stream.allow_custom_routing === true };
  if (t.allow_auto_create !== undefined) out.allow_auto_create = t.allow_auto_create;
  if (t.ignore_missing_component_templates !== undefined) out.ignore_missing_component_templates = t.ignore_missing_component_templates;
  if (t.deprecated !== undefined) out.deprecated = t.deprecated;
  return out;
}

function nameParam(req: RestRequest): string {
  return req.params.name ?? '';
}

function rejectComma(name: string): void {
  if (name.includes(',')) throw new EngineError(400, 'action_request_validation_exception', "Validation Failed: 1: template name may not contain ',';");
}

// --- composable index templates ---

function putIndexTemplate(req: RestRequest, ctx: RestContext): RestResult {
  const template = parseComposableTemplate(jsonBody(req, true));
  ctx.indices.templates.putComposable(nameParam(req), template, boolParam(req, 'create', false));
  return ok({ acknowledged: true });
}

function getIndexTemplate(req: RestRequest, ctx: RestContext): RestResult {
  const name = req.params.name;
  if (name !== undefined) rejectComma(name);
  const names = ctx.indices.templates.matchNames('index_templates', name ?? '*');
  const index_templates = names.map((n) => ({ name: n, index_template: renderComposable(ctx.indices.templates.composable(n)!, req, ctx) }));
  if (names.length === 0 && name !== undefined) {
    if (!name.includes('*')) throw new EngineError(404, 'resource_not_found_exception', `index template matching [${name}] not found`);
    return ok({ index_templates }, 404);
  }
  return ok({ index_templates });
}

function indexTemplateExists(req: RestRequest, ctx: RestContext): RestResult {
  return { status: ctx.indices.templates.matchNames('index_templates', nameParam(req)).length > 0 ? 200 : 404, body: '' };
}

function deleteIndexTemplate(req: RestRequest, ctx: RestContext): RestResult {
  const templates = ctx.indices.templates;
  ctx.indices.templates.deleteComposables(nameParam(req), (names) => {
    // MetadataIndexTemplateService.dataStreamsExclusivelyUsingTemplates: a stream that no other template would match keeps its templates
    const users = ctx.indices.dataStreams
      .all()
      .filter((stream) => {
        const candidates = templates.composableCandidates(stream.name, stream.hidden);
        return candidates.some((c) => names.includes(c.name)) && candidates.every((c) => names.includes(c.name));
      })
      .map((stream) => stream.name);
    if (users.length > 0) throw illegalArgument(`unable to remove composable templates [${[...names].sort().join(', ')}] as they are in use by a data streams [${users.sort().join(', ')}]`);
  });
  return ok({ acknowledged: true });
}

// --- component templates ---

function putComponentTemplate(req: RestRequest, ctx: RestContext): RestResult {
  const template = parseComponentTemplate(jsonBody(req, true));
  ctx.indices.templates.putComponent(nameParam(req), template, boolParam(req, 'create', false));
  return ok({ acknowledged: true });
}

function getComponentTemplate(req: RestRequest, ctx: RestContext): RestResult {
  const name = req.params.name;
  if (name !== undefined) rejectComma(name);
  const names = ctx.indices.templates.matchNames('component_templates', name ?? '*');
  const component_templates = names.map((n) => {
    const t = ctx.indices.templates.component(n)!;
    const component_template: Json = { template: renderBody(t.template, req, ctx) };
    if (t.version !== undefined) component_template.version = t.version;
    if (t._meta !== undefined) component_template._meta = t._meta;
    if (t.deprecated !== undefined) component_template.deprecated = t.deprecated;
    return { name: n, component_template };
  });
  if (names.length === 0 && name !== undefined) {
    if (!name.includes('*')) throw new EngineError(404, 'resource_not_found_exception', `component template matching [${name}] not found`);
    return ok({ component_templates }, 404);
  }
  return ok({ component_templates });
}

function componentTemplateExists(req: RestRequest, ctx: RestContext): RestResult {
  return { status: ctx.indices.templates.matchNames('component_templates', nameParam(req)).length > 0 ? 200 : 404, body: '' };
}

function deleteComponentTemplate(req: RestRequest, ctx: RestContext): RestResult {
  ctx.indices.templates.deleteComponents(nameParam(req));
  return ok({ acknowledged: true });
}

// --- legacy templates ---

function putLegacyTemplate(req: RestRequest, ctx: RestContext): RestResult {
  const order = req.query.order === undefined ? undefined : Number(req.query.order);
  if (order !== undefined && !Number.isInteger(order)) throw new EngineError(400, 'illegal_argument_exception', `Failed to parse int parameter [order] with value [${req.query.order}]`);
  const template = parseLegacyTemplate(jsonBody(req, true), order);
  ctx.indices.templates.putLegacy(nameParam(req), template, boolParam(req, 'create', false));
  return ok({ acknowledged: true });
}

function legacyNames(req: RestRequest, ctx: RestContext): string[] {
  const names = new Set<string>();
  for (const part of (req.params.name ?? '*').split(',')) for (const n of ctx.indices.templates.matchNames('templates', part)) names.add(n);
  return [...names].sort();
}

function getLegacyTemplate(req: RestRequest, ctx: RestContext): RestResult {
  const out: Json = {};
  for (const n of legacyNames(req, ctx)) {
    const t = ctx.indices.templates.legacy(n)!;
    out[n] = {
      order: t.order,
      ...(t.version !== undefined ? { version: t.version } : {}),
      index_patterns: t.index_patterns,
      settings: renderSettings(t.settings, req),
      mappings: t.mappings,
      aliases: renderAliases(t.aliases),
    };
  }
  // RestGetIndexTemplateAction: 404 (with the empty map) when names were given and none matched
  return ok(out, Object.keys(out).length === 0 && req.params.name !== undefined ? 404 : 200);
}

function legacyTemplateExists(req: RestRequest, ctx: RestContext): RestResult {
  return { status: legacyNames(req, ctx).length > 0 ? 200 : 404, body: '' };
}

function deleteLegacyTemplate(req: RestRequest, ctx: RestContext): RestResult {
  ctx.indices.templates.deleteLegacy(nameParam(req));
  return ok({ acknowledged: true });
}

// --- simulate ---

/** SimulateIndexTemplateResponse: the resolved template (settings, mappings, aliases) and the overlapping templates. */
function renderResolved(ctx: RestContext, req: RestRequest, resolved: Pick<ResolvedTemplate, 'settings' | 'mappings' | 'aliases' | 'lifecycle'>, overlapping: Array<{ name: string; index_patterns: string[] }>, indexName?: string): Json {
  const template: Json = { settings: renderSettings(resolved.settings, req) };
  const mapping = ctx.indices.validateTemplate(resolved.settings, resolved.mappings, true);
  if (mapping) template.mappings = mapping.toJSON();
  const aliases: Record<string, AliasMetadata> = {};
  for (const map of resolved.aliases) {
    for (const [name, alias] of Object.entries(map)) {
      const resolvedName = indexName === undefined ? name : name.replaceAll('{index}', indexName);
      if (!Object.hasOwn(aliases, resolvedName)) aliases[resolvedName] = alias;
    }
  }
  template.aliases = renderAliases(aliases);
  // a data stream template's lifecycle (TransportSimulateIndexTemplateAction.resolveTemplate)
  if (resolved.lifecycle !== undefined) template.lifecycle = renderLifecycle(resolved.lifecycle, req, ctx, { effective: false });
  return { template, overlapping };
}

/** `POST _index_template/_simulate_index/<index>`: the template a new index of that name would get. */
function simulateIndex(req: RestRequest, ctx: RestContext): RestResult {
  const index = nameParam(req);
  const body = jsonBody(req);
  const templates = ctx.indices.templates;
  let extra: { name: string; template: ComposableTemplate } | undefined;
  if (Object.keys(body).length > 0) {
    // TransportSimulateIndexTemplateAction: the body is added under a temporary name, with a put's checks
    extra = { name: 'simulate_index_template_' + Math.random().toString(36).slice(2, 12), template: parseComposableTemplate(body) };
    templates.checkComposable(extra.name, extra.template);
  }
  const winner = templates.findComposable(index, false, extra);
  if (!winner) return ok({});
  const overlapping = templates.overlapping(winner.template.index_patterns, winner.name).filter((o) => o.name !== extra?.name);
  return ok(renderResolved(ctx, req, templates.compose(winner.template), overlapping, index));
}

/** `POST _index_template/_simulate[/<name>]`: a stored template, or the one in the body, resolved. */
function simulateTemplate(req: RestRequest, ctx: RestContext): RestResult {
  const templates = ctx.indices.templates;
  const body = jsonBody(req);
  const name = req.params.name;
  let template: ComposableTemplate;
  let templateName: string;
  if (Object.keys(body).length > 0) {
    template = parseComposableTemplate(body);
    templateName = name ?? 'simulate_template_' + Math.random().toString(36).slice(2, 12);
    templates.checkComposable(templateName, template);
  } else {
    if (name === undefined) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: must specify either a template name or a template body;');
    const stored = templates.composable(name);
    if (!stored) throw new EngineError(400, 'illegal_argument_exception', `unable to simulate template [${name}] that does not exist`);
    template = stored;
    templateName = name;
  }
  return ok(renderResolved(ctx, req, templates.compose(template), templates.overlapping(template.index_patterns, templateName)));
}

const GET_PARAMS = ['flat_settings', 'master_timeout', 'local', 'include_defaults'];
const PUT_PARAMS = ['create', 'cause', 'master_timeout', 'timeout'];
const SIMULATE_PARAMS = ['create', 'cause', 'master_timeout', 'include_defaults'];

export const TEMPLATE_ROUTES: Route[] = [
  { method: 'PUT', pattern: '/_index_template/{name}', handler: putIndexTemplate, params: PUT_PARAMS },
  { method: 'POST', pattern: '/_index_template/{name}', handler: putIndexTemplate, params: PUT_PARAMS },
  { method: 'GET', pattern: '/_index_template', handler: getIndexTemplate, params: GET_PARAMS },
  { method: 'GET', pattern: '/_index_template/{name}', handler: getIndexTemplate, params: GET_PARAMS },
  { method: 'HEAD', pattern: '/_index_template/{name}', handler: indexTemplateExists, params: GET_PARAMS },
  { method: 'DELETE', pattern: '/_index_template/{name}', handler: deleteIndexTemplate, params: ['master_timeout', 'timeout'] },
  { method: 'POST', pattern: '/_index_template/_simulate_index/{name}', handler: simulateIndex, params: SIMULATE_PARAMS },
  { method: 'POST', pattern: '/_index_template/_simulate', handler: simulateTemplate, params: SIMULATE_PARAMS },
  { method: 'POST', pattern: '/_index_template/_simulate/{name}', handler: simulateTemplate, params: SIMULATE_PARAMS },
  { method: 'PUT', pattern: '/_component_template/{name}', handler: putComponentTemplate, params: PUT_PARAMS },
  { method: 'POST', pattern: '/_component_template/{name}', handler: putComponentTemplate, params: PUT_PARAMS },
  { method: 'GET', pattern: '/_component_template', handler: getComponentTemplate, params: [...GET_PARAMS, 'settings_filter'] },
  { method: 'GET', pattern: '/_component_template/{name}', handler: getComponentTemplate, params: [...GET_PARAMS, 'settings_filter'] },
  { method: 'HEAD', pattern: '/_component_template/{name}', handler: componentTemplateExists, params: GET_PARAMS },
  { method: 'DELETE', pattern: '/_component_template/{name}', handler: deleteComponentTemplate, params: ['master_timeout', 'timeout'] },
  { method: 'PUT', pattern: '/_template/{name}', handler: putLegacyTemplate, params: [...PUT_PARAMS, 'order'] },
  { method: 'POST', pattern: '/_template/{name}', handler: putLegacyTemplate, params: [...PUT_PARAMS, 'order'] },
  { method: 'GET', pattern: '/_template', handler: getLegacyTemplate, params: GET_PARAMS },
  { method: 'GET', pattern: '/_template/{name}', handler: getLegacyTemplate, params: GET_PARAMS },
  { method: 'HEAD', pattern: '/_template/{name}', handler: legacyTemplateExists, params: GET_PARAMS },
  { method: 'DELETE', pattern: '/_template/{name}', handler: deleteLegacyTemplate, params: ['master_timeout', 'timeout'] },
];
