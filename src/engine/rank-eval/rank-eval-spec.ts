import { EngineError, unsupported } from '../errors.js';
import type { Metric, RatedDocument } from './metrics.js';
import { METRIC_PARSER_NAMES, isMetricName, parseMetric } from './metrics.js';
import type { Json } from './object-parser.js';
import {
  checkFields,
  failedToBuild,
  failedToParseField,
  isObject,
  notAnObject,
  readInt,
  readObject,
  readObjectArray,
  readString,
  readStringArray,
  requiredFields,
} from './object-parser.js';

/**
 * A `_rank_eval` body parsed as Elasticsearch's RankEvalSpec, RatedRequest, RatedDocument and
 * ScriptWithId parse it, with their validation messages and error wrapping
 * (`[rank_eval] failed to parse field [requests]` around the rated request's own failure).
 */

export interface RatedRequest {
  id: string;
  ratedDocs: RatedDocument[];
  /** The search body; absent when the request names a template. */
  request?: Json;
  params: Json;
  templateId?: string;
  summaryFields: string[];
}

/** A `templates[].template`: inline (`source`) or stored (`id`). */
export type TemplateRef = { source: string } | { id: string };

export interface RankEvalSpec {
  requests: RatedRequest[];
  metric: Metric;
  /** Templates by id: an inline mustache source, or the id of a stored script. */
  templates: Map<string, TemplateRef>;
  maxConcurrentSearches: number;
}

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/** RatedRequest.validateEvaluatedQuery: the parts a rated request's search must not have. */
export function validateEvaluatedQuery(request: Json): void {
  if (request.suggest !== undefined) throw illegal('Query in rated requests should not contain a suggest section.');
  if (request.aggs !== undefined || request.aggregations !== undefined) throw illegal('Query in rated requests should not contain aggregations.');
  if (request.highlight !== undefined) throw illegal('Query in rated requests should not contain a highlighter section.');
  if (request.explain === true || request.explain === 'true') throw illegal('Query in rated requests should not use explain.');
  if (request.profile === true || request.profile === 'true') throw illegal('Query in rated requests should not use profile.');
}

function parseRatedDocument(body: Json): RatedDocument {
  checkFields('rated_document', body, ['_index', '_id', 'rating']);
  const missing = ['_index', '_id', 'rating'].filter((f) => body[f] === undefined);
  if (missing.length > 0) throw requiredFields(missing);
  const index = readString('rated_document', '_index', body._index);
  const id = readString('rated_document', '_id', body._id);
  const rating = readInt('rated_document', 'rating', body.rating);
  if (index === '') throw failedToBuild('rated_document', illegal('Index must be set for each rated document'));
  if (id === '') throw failedToBuild('rated_document', illegal('DocId must be set for each rated document'));
  return { index, id, rating };
}

const REQUEST_FIELDS = ['id', 'ratings', 'request', 'params', 'summary_fields', 'template_id'];

function parseRatedRequest(body: Json): RatedRequest {
  checkFields('request', body, REQUEST_FIELDS);
  const missing = ['id', 'ratings'].filter((f) => body[f] === undefined);
  if (missing.length > 0) throw requiredFields(missing);
  const id = readString('request', 'id', body.id);
  const ratedDocs: RatedDocument[] = [];
  for (const item of readObjectArray('request', 'ratings', body.ratings, 'rated_document')) {
    try {
      ratedDocs.push(parseRatedDocument(item));
    } catch (error) {
      throw failedToParseField('request', 'ratings', error);
    }
  }
  const request = body.request === undefined ? undefined : readObject('request', 'request', body.request);
  const params = body.params === undefined ? undefined : readObject('request', 'params', body.params);
  const templateId = body.template_id === undefined ? undefined : readString('request', 'template_id', body.template_id);
  const summaryFields = body.summary_fields === undefined ? [] : readStringArray('request', 'summary_fields', body.summary_fields);
  const hasParams = params !== undefined && Object.keys(params).length > 0;
  const build = (reason: string): EngineError => failedToBuild('request', illegal(reason));
  if (hasParams && request !== undefined) throw build('Ambiguous rated request: Set both, verbatim test request and test request template parameters.');
  if (templateId !== undefined && request !== undefined) throw build('Ambiguous rated request: Set both, verbatim test request and test request template parameters.');
  if (!hasParams && request === undefined) throw build('Need to set at least test request or test request template parameters.');
  if (hasParams && templateId === undefined) throw build('If template parameters are supplied need to set id of template to apply them to too.');
  if (request !== undefined) {
    try {
      validateEvaluatedQuery(request);
    } catch (error) {
      throw failedToBuild('request', error as EngineError);
    }
  }
  const seen = new Set<string>();
  for (const doc of ratedDocs) {
    const key = `${doc.index}\u0000${doc.id}`;
    if (seen.has(key)) throw build(`Found duplicate rated document key [{"_index":"${doc.index}","_id":"${doc.id}"}] in evaluation request [${id}]`);
    seen.add(key);
  }
  return { id, ratedDocs, ...(request !== undefined ? { request } : {}), params: params ?? {}, ...(templateId !== undefined ? { templateId } : {}), summaryFields };
}

/** Script.parse(parser, "mustache") for one `templates[].template`: an inline source or a stored script's id. */
function parseTemplateScript(body: Json): TemplateRef {
  checkFields('script', body, ['source', 'id', 'lang', 'params', 'options', 'inline']);
  const source = body.source ?? body.inline;
  if (body.id !== undefined) {
    if (source !== undefined) throw illegal('must specify either [source] for an inline script or [id] for a stored script');
    if (body.lang !== undefined) throw illegal('illegally specified <lang> for a stored script');
    if (body.options !== undefined) throw illegal('illegally specified <options> for a stored script');
    return { id: readString('script', 'id', body.id) };
  }
  const lang = body.lang === undefined ? 'mustache' : readString('script', 'lang', body.lang);
  if (lang !== 'mustache') throw unsupported(`script language [${lang}] in _rank_eval templates`);
  if (source === undefined) throw illegal('must specify either [source] for an inline script or [id] for a stored script');
  if (typeof source === 'string') return { source };
  if (isObject(source)) return { source: JSON.stringify(source) };
  throw failedToParseField('script', 'source', illegal(`[source] must be a string or an object`));
}

function parseTemplate(body: Json): [string, TemplateRef] {
  checkFields('script_with_id', body, ['id', 'template']);
  const missing = ['id', 'template'].filter((f) => body[f] === undefined);
  if (missing.length > 0) throw requiredFields(missing);
  const id = readString('script_with_id', 'id', body.id);
  const script = readObject('script_with_id', 'template', body.template);
  try {
    return [id, parseTemplateScript(script)];
  } catch (error) {
    throw failedToParseField('script_with_id', 'template', error);
  }
}

function parseMetricObject(body: Json): Metric {
  const names = Object.keys(body);
  if (names.length === 0) throw new EngineError(400, 'parsing_exception', 'Failed to parse object: expecting token of type [FIELD_NAME] but found [END_OBJECT]', { line: 1, col: 1 });
  if (names.length > 1) throw new EngineError(400, 'parsing_exception', 'Failed to parse object: expecting token of type [END_OBJECT] but found [FIELD_NAME]', { line: 1, col: 1 });
  const name = names[0] as string;
  if (!isMetricName(name)) {
    throw new EngineError(400, 'named_object_not_found_exception', `[1:1] unable to parse EvaluationMetric with name [${name}]: parser not found`);
  }
  const params = body[name];
  if (!isObject(params)) throw notAnObject(METRIC_PARSER_NAMES[name], params);
  return parseMetric(name, params);
}

/** Parses a `_rank_eval` body; throws the EngineError Elasticsearch would answer with. */
export function parseRankEvalSpec(body: Json): RankEvalSpec {
  checkFields('rank_eval', body, ['requests', 'metric', 'templates', 'max_concurrent_searches']);
  const missing = ['requests', 'metric'].filter((f) => body[f] === undefined);
  if (missing.length > 0) throw requiredFields(missing);
  const requests: RatedRequest[] = [];
  for (const item of readObjectArray('rank_eval', 'requests', body.requests, 'request')) {
    try {
      requests.push(parseRatedRequest(item));
    } catch (error) {
      throw failedToParseField('rank_eval', 'requests', error);
    }
  }
  let metric: Metric;
  try {
    metric = parseMetricObject(readObject('rank_eval', 'metric', body.metric));
  } catch (error) {
    if (error instanceof EngineError && error.message.startsWith('[1:1] [rank_eval] metric ')) throw error;
    throw failedToParseField('rank_eval', 'metric', error);
  }
  const templates = new Map<string, TemplateRef>();
  if (body.templates !== undefined) {
    for (const item of readObjectArray('rank_eval', 'templates', body.templates, 'script_with_id')) {
      try {
        const [id, source] = parseTemplate(item);
        templates.set(id, source);
      } catch (error) {
        throw failedToParseField('rank_eval', 'templates', error);
      }
    }
  }
  const maxConcurrentSearches = body.max_concurrent_searches === undefined ? 10 : readInt('rank_eval', 'max_concurrent_searches', body.max_concurrent_searches);
  if (requests.length === 0) {
    throw failedToBuild('rank_eval', illegal('Cannot evaluate ranking if no search requests with rated results are provided. Seen: []'));
  }
  if (templates.size === 0) {
    const bare = requests.find((r) => r.request === undefined);
    if (bare) {
      throw failedToBuild('rank_eval', new EngineError(500, 'illegal_state_exception', `Cannot evaluate ranking if neither template nor evaluation request is provided. Seen for request id: ${bare.id}`));
    }
  }
  return { requests, metric, templates, maxConcurrentSearches };
}
