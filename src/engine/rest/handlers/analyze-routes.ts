import { MAX_TOKEN_COUNT_DEFAULT, analyzeRequest, keywordAnalyzer } from '../../analysis/index.js';
import { illegalArgument } from '../../errors.js';
import { jsonBody } from '../request-params.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { ok } from '../rest-types.js';

function analyze(req: RestRequest, ctx: RestContext): RestResult {
  const body = jsonBody(req);
  for (const key of ['analyzer', 'field', 'text', 'tokenizer', 'normalizer']) {
    if (body[key] === undefined && req.query[key] !== undefined) body[key] = req.query[key];
  }
  if (!req.params.index) return ok(analyzeRequest(undefined, body, undefined, MAX_TOKEN_COUNT_DEFAULT, ctx.indices.globalAnalysis()));
  const service = ctx.indices.resolveSingle(req.params.index);
  const fieldAnalyzer = (field: string) => {
    const info = service.mapping.lookup().field(field);
    if (!info) return undefined;
    if (info.type === 'text') return info.analyzer;
    // Keyword fields analyse to one token, through their normalizer; other types do not analyse at all.
    if (info.type === 'keyword') return keywordAnalyzer(info.normalizer);
    throw illegalArgument(`Can't process field [${field}], Analysis requests are only supported on tokenized fields`);
  };
  return ok(analyzeRequest(service.analysis, body, fieldAnalyzer, Number(service.meta.settings['index.analyze.max_token_count'] ?? MAX_TOKEN_COUNT_DEFAULT)));
}

export const ANALYZE_ROUTES: Route[] = [
  { method: 'GET', pattern: '/_analyze', handler: analyze },
  { method: 'POST', pattern: '/_analyze', handler: analyze },
  { method: 'GET', pattern: '/{index}/_analyze', handler: analyze },
  { method: 'POST', pattern: '/{index}/_analyze', handler: analyze },
];
