import { EngineError } from '../errors.js';
import { combineScores } from './metrics.js';
import type { Json } from './object-parser.js';
import { failedToParseField, isObject } from './object-parser.js';
import type { RankEvalSpec, RatedRequest } from './rank-eval-spec.js';
import { validateEvaluatedQuery } from './rank-eval-spec.js';
import type { MustacheTemplate } from '../search/script/mustache.js';
import type { ScriptPolicy } from '../search/script/script-spec.js';
import { compileSearchTemplate } from '../search/search-template.js';

/**
 * TransportRankEvalAction: one search per rated request (its body, or its template rendered with
 * its params), `size` forced to the metric's `k` and `_source` limited to `summary_fields`; each
 * result joined with the ratings and scored; the overall score is the mean over the requests that
 * ran. A search that fails while running (a shard failure, a missing index) becomes that request's
 * entry in `failures`, as an item of Elasticsearch's multi-search would; a request that does not
 * parse fails the whole call, as it does in Elasticsearch.
 *
 * Known deviations from Elasticsearch 8:
 * - searches run one after the other (`max_concurrent_searches` is validated, the result is the same);
 * - a rated request's search body is parsed when it runs: with several wrong parts, the one
 *   reported may differ (Elasticsearch parses every request body before rendering any template);
 * - parse errors say `[1:1]` for their position (the engine's JSON reader keeps none);
 * - a `template_id` that `templates` does not define is a 400 naming it (Elasticsearch: a 500
 *   NullPointerException);
 * Templates (inline or stored) are compiled before any search, as TransportRankEvalAction does.
 */

/** Runs one search body against the request's targets; throws EngineError. */
export type RankEvalSearch = (body: Json) => Json;

/** Failures Elasticsearch meets while running an item of its multi-search, not while parsing it. */
const EXECUTION_FAILURES = new Set(['search_phase_execution_exception', 'index_not_found_exception', 'index_closed_exception', 'search_context_missing_exception']);

function isExecutionFailure(error: unknown): error is EngineError {
  return error instanceof EngineError && EXECUTION_FAILURES.has(error.type);
}

function renderTemplate(templates: Map<string, MustacheTemplate>, rated: RatedRequest): Json {
  const template = templates.get(rated.templateId as string);
  if (template === undefined) {
    // Elasticsearch fails here with a NullPointerException (500); a 400 naming the id says more
    throw new EngineError(400, 'illegal_argument_exception', `[rank_eval] rated request [${rated.id}] names template [${rated.templateId}], which [templates] does not define`);
  }
  const rendered = template.render(rated.params);
  let body: unknown;
  try {
    body = JSON.parse(rendered);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new EngineError(400, 'x_content_parse_exception', `[1:1] ${message}`, { caused_by: { type: 'json_parse_exception', reason: message } });
  }
  if (!isObject(body)) throw new EngineError(400, 'parsing_exception', `Expected [START_OBJECT] but found [${Array.isArray(body) ? 'START_ARRAY' : 'VALUE'}]`, { line: 1, col: 1 });
  validateEvaluatedQuery(body);
  return body;
}

/** The response body of `_rank_eval` for a parsed spec. */
export function runRankEval(spec: RankEvalSpec, search: RankEvalSearch, scripts: ScriptPolicy): Json {
  if (spec.maxConcurrentSearches < 1) throw new EngineError(400, 'illegal_argument_exception', 'maxConcurrentSearchRequests must be positive');
  const { metric } = spec;
  if (metric.k < 0) throw new EngineError(400, 'illegal_argument_exception', `[size] parameter cannot be negative, found [${metric.k}]`);
  const templates = new Map([...spec.templates].map(([id, ref]) => [id, compileSearchTemplate(ref, scripts)]));
  const details: Json = {};
  const failures: Json = {};
  for (const rated of spec.requests) {
    const templated = rated.request === undefined;
    const source = templated ? renderTemplate(templates, rated) : (rated.request as Json);
    const body: Json = {
      ...source,
      size: metric.k,
      _source: rated.summaryFields.length === 0 ? false : { includes: rated.summaryFields, excludes: [] },
    };
    let response: Json;
    try {
      response = search(body);
    } catch (error) {
      if (isExecutionFailure(error)) {
        failures[rated.id] = { error: error.toResponse().error };
        continue;
      }
      // the search body failed to parse: Elasticsearch rejects the whole request while parsing it
      if (templated) throw error;
      throw failedToParseField('rank_eval', 'requests', failedToParseField('request', 'request', error));
    }
    const hits = ((response.hits as Json | undefined)?.hits ?? []) as Json[];
    const quality = metric.evaluate(hits, rated.ratedDocs);
    details[rated.id] = {
      metric_score: quality.score,
      unrated_docs: quality.ratedHits.filter((h) => h.rating === null).map((h) => ({ _index: h.hit._index, _id: h.hit._id })),
      hits: quality.ratedHits.map((h) => ({ hit: h.hit, rating: h.rating })),
      metric_details: { [metric.name]: quality.details },
    };
  }
  // over the details map, as Elasticsearch does: a repeated id counts once, with its last result
  const overall = combineScores(Object.values(details).map((d) => (d as { metric_score: number }).metric_score));
  // Jackson writes a NaN double as the string "NaN" (every request failed: 0 / 0)
  return { metric_score: Number.isNaN(overall) ? 'NaN' : overall, details, failures };
}
